//! Community service (公益活动): an officer schedules an activity for the people under a unit
//! (a place, a window, a capacity, an organiser); people sign up or are assigned
//! (`activities`). On the day each checks in and out on site, each time with a GPS fix inside
//! the place and a passed face check-in or the organiser's rotating code; the overlap of that
//! presence with the window is credited to the month's ledger (`presence`). The organiser or an
//! officer confirms or corrects it (audited); the close settles no-shows and flags missing
//! check-outs, and the month end alerts on a shortfall (`review`).

mod activities;
pub(crate) mod demo;
mod presence;
mod review;

pub use review::close_ended;

use chrono::{DateTime, Utc};
use huijiao_core::api::ServiceParticipationView;
use huijiao_core::model::Role;
use huijiao_core::policy::learning::Obligation;
use huijiao_core::policy::service::{ParticipationAction, PARTICIPATION};
use huijiao_core::policy::transitions::Party;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, UpdateMany};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::cases::identity;
use crate::entities::{case, service_participation};
use crate::error::ApiResult;
use crate::jobs::{announce, Job};
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("service", routes).jobs(JOBS);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(activities::create, activities::list))
        .routes(routes!(activities::get_one))
        .routes(routes!(activities::code))
        .routes(routes!(activities::sign_up, activities::roster))
        .routes(routes!(activities::withdraw))
        .routes(routes!(activities::cancel))
        .routes(routes!(presence::check_in))
        .routes(routes!(presence::check_out))
        .routes(routes!(review::review))
        .routes(routes!(review::month))
        .routes(routes!(review::shortfalls))
}

pub const JOBS: &[Job] = &[
    Job {
        name: "service.close",
        run: |s, w, now| {
            Box::pin(async move { Ok(announce(w, review::close_ended(s, w, now).await?)) })
        },
    },
    Job {
        name: "service.month_end",
        run: |s, w, now| {
            Box::pin(async move {
                Ok(announce(
                    w,
                    crate::ledger::close_last_month(s, w.db(), Obligation::CommunityService, now)
                        .await?,
                ))
            })
        },
    },
];

/// A participation as `reader` may see it: the name masked for minors in any list, and for
/// every reader who is not an officer (`policy::identity_shown`).
fn participation_view(
    p: &service_participation::Model,
    c: &case::Model,
    reader: Role,
) -> ServiceParticipationView {
    ServiceParticipationView {
        id: p.id,
        activity_id: p.activity_id,
        case_id: p.case_id,
        name: identity(c, reader, false).0,
        status: p.status,
        checked_in_at: p.checked_in_at,
        check_in_proof: p.check_in_proof,
        checked_out_at: p.checked_out_at,
        check_out_proof: p.check_out_proof,
        credited_minutes: p.credited_minutes.max(0) as u32,
        reviewed_by: p.reviewed_by,
        review_reason: p.review_reason.clone(),
        signed_up_by: p.signed_up_by,
        version: p.version,
        updated_at: p.updated_at,
        credit_remarks: vec![],
    }
}

/// Takes `action` on a participation for `party` (the `PARTICIPATION` table decides), at the
/// version read (or `expected_version`, the one the caller saw), stamped `now`; `more` sets
/// what else the move records. 409 `resource.conflict` if it changed meanwhile.
async fn take(
    db: &impl ConnectionTrait,
    action: ParticipationAction,
    party: Party,
    p: &service_participation::Model,
    expected_version: Option<i32>,
    now: DateTime<Utc>,
    more: impl FnOnce(
        UpdateMany<service_participation::Entity>,
    ) -> UpdateMany<service_participation::Entity>,
) -> ApiResult<service_participation::Model> {
    use service_participation::Column as C;
    crate::transition::apply(
        db,
        &PARTICIPATION,
        action,
        party,
        p,
        expected_version,
        |q| more(q.col_expr(C::UpdatedAt, Expr::value(now))),
    )
    .await
}
