//! Field work (走访, 个别谈话, 到所报到): officers record home visits, talks and the person's
//! in-person reports at the office from their phone (`record`; through the outbox when
//! offline). The level in force sets when the next home visit and office report are due, and
//! each one let pass its date alerts the case's officers once (`due`).

mod due;
mod photos;
mod record;

pub use due::raise_overdue;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("visits", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record::record, record::of_case))
        .routes(routes!(due::of_case))
        .routes(routes!(photos::add))
        .routes(routes!(photos::get))
}

pub const JOBS: &[crate::jobs::Job] = &[crate::jobs::Job {
    name: "visits.overdue",
    run: |state, w, now| {
        Box::pin(async move {
            Ok(crate::jobs::announce(
                w,
                due::raise_overdue(w.db(), &state.config.rules.supervision, now).await?,
            ))
        })
    },
}];
