//! Who did something and from where, for the audit log. A leaf: it imports no other module of
//! the server, so `audit` and `auth` both use it without depending on each other.

use huijiao_core::model::Role;
use uuid::Uuid;

/// Where a request came from.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// Who did it. Login attempts have no user yet, only an address; jobs have neither.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub role: Option<Role>,
    pub meta: RequestMeta,
}

impl Actor {
    /// The server itself (a job).
    pub fn system() -> Actor {
        Actor::default()
    }
}
