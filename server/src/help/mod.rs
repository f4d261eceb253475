//! Help (帮教): what a case's volunteers and social workers do for the person. They log each
//! help session from their app (`sessions`); the case's officers are alerted to the risks
//! flagged, confirm or return each session and comment. Confirmed time makes the volunteer's
//! service record (志愿服务记录), and each unit's teams are measured against the seeds' target
//! of one helper per two supervisees (`record`). Officers issue service certificates as PDFs
//! that anyone holding one can check by its number (`certificates`).

mod certificates;
pub(crate) mod demo;
mod record;
mod sessions;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain =
    crate::domain::Domain::new("help", routes).public(&["/certificates/{number}"]);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sessions::log, sessions::of_case))
        .routes(routes!(sessions::mine))
        .routes(routes!(sessions::get_one, sessions::amend))
        .routes(routes!(sessions::review))
        .routes(routes!(sessions::comment))
        .routes(routes!(record::service_record_of))
        .routes(routes!(record::coverage))
        .routes(routes!(certificates::issue, certificates::of_volunteer))
        .routes(routes!(certificates::check))
        .routes(routes!(certificates::pdf))
}
