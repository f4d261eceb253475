//! Requests a supervisee makes and officers decide: leave (外出), relocation (迁居) and
//! visitors (会客). The rules are in `huijiao_core::policy`.

pub mod attachments;
pub mod leave;
pub mod relocation;
pub mod visitor;
mod workflow;

use axum::extract::State;
use huijiao_core::api::RulesView;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::extractor::AuthUser;
use crate::error::Json;
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("requests", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    leave::routes()
        .routes(routes!(jurisdiction_rules))
        .merge(relocation::routes())
        .merge(visitor::routes())
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload, attachments::list))
                .routes(routes!(attachments::download))
                // Evidence travels base64 in JSON: 10 MB of file.
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
}

/// The jurisdiction's rules: the apps run the same assessments with them before a supervisee
/// applies ("this leave needs county approval", "a move needs a month's notice", "meeting this
/// person needs approval"), so what they explain is what the server enforces.
#[utoipa::path(get, path = "/rules", tag = "requests",
    responses((status = 200, body = RulesView)))]
async fn jurisdiction_rules(State(state): State<AppState>, _caller: AuthUser) -> Json<RulesView> {
    Json(RulesView {
        rules: state.config.rules.clone(),
        sanction_grounds: huijiao_core::policy::sanctions::GROUNDS
            .iter()
            .map(|g| huijiao_core::api::SanctionGroundView::of(g.code))
            .collect(),
    })
}

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[crate::jobs::Job {
    name: "leave.overdue",
    run: |_, w, now| Box::pin(async move { Ok(leave::mark_overdue(w, now).await? as u64) }),
}];
