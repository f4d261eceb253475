//! The monthly assessment (月度考核): the system drafts a case's month from the facts it saw
//! (`facts`: the alerts raised for the case that month and the closed ledger months), scored
//! and graded by `policy::assessment`; an officer of the case confirms a month that is over,
//! changing a line's points only with a reason, and applies the level it proposes through
//! the case's level history (`month`).

mod facts;
mod month;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("assessments", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(month::draft))
        .routes(routes!(month::confirm, month::of_case))
}
