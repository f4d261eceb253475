//! When the next home visit and office report of a case are due (`policy::visits::due`), and
//! the job that alerts the case's officers once for each due date let pass.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use huijiao_core::api::Problem;
use huijiao_core::model::{AlertKind, AlertSeverity, CaseStatus, Role};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::visits::{due, VisitDue, VisitKind};
use huijiao_core::policy::Jurisdiction;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use crate::auth::extractor::RequestParty;
use crate::cases::find_case;
use crate::checkins::schedule::in_sensitive_period;
use crate::entities::{case, visit, visit_overdue};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;

/// The kinds that owe a schedule.
const SCHEDULED: [VisitKind; 2] = [VisitKind::HomeVisit, VisitKind::OfficeReport];

/// The local date of the last visit of each scheduled kind, per case (of `cases`, or of all).
async fn last_on(
    db: &impl ConnectionTrait,
    cases: Option<&[Uuid]>,
) -> ApiResult<HashMap<(Uuid, VisitKind), NaiveDate>> {
    let mut find = visit::Entity::find()
        .select_only()
        .column(visit::Column::CaseId)
        .column(visit::Column::Kind)
        .column_as(visit::Column::At.max(), "last")
        .filter(visit::Column::Kind.is_in(SCHEDULED.map(VisitKind::as_str)))
        .group_by(visit::Column::CaseId)
        .group_by(visit::Column::Kind);
    if let Some(ids) = cases {
        find = find.filter(visit::Column::CaseId.is_in(ids.iter().copied()));
    }
    Ok(find
        .into_tuple::<(Uuid, VisitKind, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(c, k, at)| ((c, k), local_date(at)))
        .collect())
}

/// What is due of an active case, as of `today`.
fn dues(
    j: &Jurisdiction,
    c: &case::Model,
    sensitive: bool,
    last: &HashMap<(Uuid, VisitKind), NaiveDate>,
    today: NaiveDate,
) -> Vec<VisitDue> {
    let Some(since) = c.announced_at.filter(|_| c.status == CaseStatus::Active) else {
        return vec![];
    };
    SCHEDULED
        .iter()
        .filter_map(|&k| {
            due(
                j,
                k,
                c.level,
                sensitive,
                local_date(since),
                last.get(&(c.id, k)).copied(),
                today,
            )
        })
        .collect()
}

/// When the case's next home visit and office report are due, and how late they are (none
/// unless the case is active). The person sees their office report only: home visits may be
/// unannounced.
#[utoipa::path(get, path = "/cases/{id}/visits/due", tag = "visits", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<VisitDue>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<VisitDue>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let today = state.clock.today();
    let sensitive = in_sensitive_period(&state.db, today).await?;
    let last = last_on(&state.db, Some(&[c.id])).await?;
    let mut out = dues(&state.config.rules.supervision, &c, sensitive, &last, today);
    if caller.role == Role::Supervisee {
        out.retain(|d| d.kind == VisitKind::OfficeReport);
    }
    Ok(Json(out))
}

/// Raises, once per case, kind and due date, an alert for a home visit or office report let
/// pass its date under the level in force. Returns the alerts' events.
pub async fn raise_overdue(
    db: &impl ConnectionTrait,
    j: &Jurisdiction,
    now: DateTime<Utc>,
) -> ApiResult<Vec<crate::events::Event>> {
    let today = local_date(now);
    let sensitive = in_sensitive_period(db, today).await?;
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(db)
        .await?;
    let last = last_on(db, None).await?;
    let raised: HashSet<(Uuid, String, NaiveDate)> = visit_overdue::Entity::find()
        .filter(visit_overdue::Column::DueOn.lt(today))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.case_id, o.kind, o.due_on))
        .collect();
    let mut events = Vec::new();
    for c in &cases {
        for d in dues(j, c, sensitive, &last, today) {
            let key = (c.id, d.kind.as_str().to_owned(), d.due_on);
            if d.overdue_days == 0 || raised.contains(&key) {
                continue;
            }
            let (alert, event) = crate::alerts::raise(
                db,
                now,
                c,
                AlertKind::VisitOverdue,
                AlertSeverity::Medium,
                json!({ "kind": d.kind, "due_on": d.due_on, "last_on": d.last_on,
                        "every_days": d.every_days, "level": d.level }),
            )
            .await?;
            visit_overdue::ActiveModel {
                case_id: Set(c.id),
                kind: Set(key.1),
                due_on: Set(d.due_on),
                alert_id: Set(Some(alert.id)),
                raised_at: Set(now),
            }
            .insert(db)
            .await?;
            events.push(event);
        }
    }
    Ok(events)
}
