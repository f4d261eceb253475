//! The audit log and its verification.

use super::*;

view_type! {
    pub struct AuditEntryView {
        pub seq: i64,
        pub at: DateTime<Utc>,
        pub actor_id: Option<Uuid>,
        pub actor_role: Option<String>,
        pub action: String,
        pub target_kind: String,
        pub target_id: Option<String>,
        pub ip: Option<String>,
        pub request_id: Option<String>,
        pub detail: serde_json::Value,
        pub hash: String,
    }
}

view_type! {
    pub struct AuditVerifyView {
        pub ok: bool,
        pub checked: i64,
        /// The first entry whose hash does not match its content or its predecessor.
        pub first_broken_seq: Option<i64>,
    }
}
