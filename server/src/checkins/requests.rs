//! Unscheduled check-ins: an officer asks for a check-in now, with a short deadline by level.
//! A passed check-in before the deadline meets it; the job marks the rest missed, once.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{CheckinRequestCreate, CheckinRequestView, EventView, Page, Problem};
use huijiao_core::model::{
    AlertKind, AlertSeverity, AuditAction, CaseStatus, CheckinRequestStatus, EventKind,
};
use huijiao_core::policy::checkin::CheckinResult;
use huijiao_core::policy::schedule;
use huijiao_core::policy::transitions::{CheckinRequestAction, Party, CHECKIN_REQUEST};
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, Officer};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{case, checkin, checkin_request as cr};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::events::Event;
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::{step, step_all};
use crate::work::Work;

fn view(r: cr::Model) -> CheckinRequestView {
    CheckinRequestView {
        id: r.id,
        case_id: r.case_id,
        requested_by: r.requested_by,
        deadline: r.deadline,
        status: r.status,
        checkin_id: r.checkin_id,
    }
}

/// Asks the supervisee for a check-in now (a random spot check, 随机抽查).
#[utoipa::path(post, path = "/cases/{id}/checkin-requests", tag = "checkins", params(("id" = Uuid, Path)), request_body = CheckinRequestCreate,
    responses((status = 201, body = CheckinRequestView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn request_checkin(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CheckinRequestCreate>,
) -> ApiResult<(StatusCode, Json<CheckinRequestView>)> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    huijiao_core::policy::require_active(c.status)?;
    // An active case without an app login yet has nobody to ask; a person who used the
    // day's tries cannot answer until their officer gives them back.
    if c.user_id.is_none() {
        return Err(ErrorCode::NoAppLogin.into());
    }
    let minutes = req
        .deadline_minutes
        .unwrap_or_else(|| schedule::random_checkin_minutes(c.level));
    if !(5..=24 * 60).contains(&minutes) {
        return Err(ApiError::field(
            "deadline_minutes",
            Said::new("5 minutes to 24 hours", "须为 5 分钟到 24 小时"),
        ));
    }
    let now = state.clock.now();
    let tries = crate::checkins::tries::tries(work.db(), &state.config.checkin, c.id, now).await?;
    if tries.remaining == 0 {
        return Err(ErrorCode::CheckinTriesExhausted.into());
    }
    let r = cr::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        requested_by: Set(Some(caller.id)),
        deadline: Set(now + Duration::minutes(minutes)),
        status: Set(CheckinRequestStatus::Open),
        checkin_id: Set(None),
        created_at: Set(now),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CheckinRequested,
        "case",
        id,
        json!({ "request_id": r.id, "deadline": r.deadline }),
    )
    .await?;
    let v = view(r);
    work.notify_case(&c, EventKind::CheckinRequest, &v, true)
        .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/cases/{id}/checkin-requests", tag = "checkins", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<CheckinRequestView>), (status = 404, body = Problem)))]
pub async fn list_checkin_requests(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<CheckinRequestView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = cr::Entity::find().filter(cr::Column::CaseId.eq(id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |r| Ok(view(r)))
            .await?,
    ))
}

crate::seek_by!(checkin_request, CreatedAt, created_at);

/// A passed check-in made `at` meets the case's open requests made before it whose deadline
/// it kept.
pub async fn meet_open(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    checkin_id: Uuid,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let meet = CheckinRequestAction::Meet;
    step_all::<cr::Entity, _>(db, &CHECKIN_REQUEST, meet, Party::System, |q| {
        q.col_expr(cr::Column::CheckinId, Expr::value(checkin_id))
            .filter(cr::Column::CaseId.eq(case_id))
            .filter(cr::Column::CreatedAt.lte(at))
            .filter(cr::Column::Deadline.gte(at))
    })
    .await?;
    Ok(())
}

/// Marks open requests past their deadline as missed (conditional: once) with an alert each.
/// A request answered by a check-in that waits for an officer's review waits too: the
/// officer's decision meets it, or leaves it to be marked here.
pub async fn mark_expired<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let due = cr::Entity::find()
        .filter(cr::Column::Status.eq(CheckinRequestStatus::Open))
        .filter(cr::Column::Deadline.lt(now))
        .all(db)
        .await?;
    let mut events = Vec::new();
    for r in due {
        let in_review = checkin::Entity::find()
            .filter(checkin::Column::CaseId.eq(r.case_id))
            .filter(checkin::Column::Result.eq(CheckinResult::NeedsReview.as_str()))
            .filter(checkin::Column::CreatedAt.gte(r.created_at))
            .filter(checkin::Column::CreatedAt.lte(r.deadline))
            .one(db)
            .await?;
        if in_review.is_some() {
            continue;
        }
        let txn = db.begin().await?;
        let missed = CheckinRequestAction::MarkMissed;
        let claimed = match step(&txn, &CHECKIN_REQUEST, missed, Party::System, &r, |q| q).await {
            Ok(_) => true,
            // Met or marked meanwhile.
            Err(e) if e.code == ErrorCode::Conflict => false,
            Err(e) => return Err(e),
        };
        if claimed {
            if let Some(c) = case::Entity::find_by_id(r.case_id).one(&txn).await? {
                let (_, e) = crate::alerts::raise(
                    &txn,
                    now,
                    &c,
                    AlertKind::CheckinMissed,
                    AlertSeverity::High,
                    json!({ "checkin_request_id": r.id, "deadline": r.deadline }),
                )
                .await?;
                audit::record(
                    &txn,
                    &Actor::default(),
                    AuditAction::CheckinRequestMissed,
                    "case",
                    Some(c.id.to_string()),
                    json!({ "request_id": r.id }),
                )
                .await?;
                events.push(e);
            }
        }
        txn.commit().await?;
    }
    Ok(events)
}

/// The system's random spot checks: during the daily band, each active enrolled case without an
/// open request is asked with the level's chance per run (`rand` decides; tests pass their
/// own). Returns the events to publish.
pub async fn ask_at_random<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    band: &schedule::DailyBand,
    now: DateTime<Utc>,
    interval_secs: u64,
    roll: &mut impl FnMut() -> f64,
) -> ApiResult<Vec<Event>> {
    let local = now
        .with_timezone(&huijiao_core::policy::calendar::local_offset())
        .time();
    if local < band.opens || local >= band.closes {
        return Ok(vec![]);
    }
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .filter(case::Column::UserId.is_not_null())
        .all(db)
        .await?;
    let mut events = Vec::new();
    for c in cases {
        let level = c.level;
        if roll() >= schedule::random_checkin_chance(level, interval_secs, band) {
            continue;
        }
        let enrolled = super::active_template(db, c.id).await?.is_some();
        let open = cr::Entity::find()
            .filter(cr::Column::CaseId.eq(c.id))
            .filter(cr::Column::Status.eq(CheckinRequestStatus::Open))
            .one(db)
            .await?
            .is_some();
        if !enrolled || open {
            continue;
        }
        let txn = db.begin().await?;
        let r = cr::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(c.id),
            requested_by: Set(None),
            deadline: Set(now + Duration::minutes(schedule::random_checkin_minutes(level))),
            status: Set(CheckinRequestStatus::Open),
            checkin_id: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            &Actor::default(),
            AuditAction::CheckinRequested,
            "case",
            Some(c.id.to_string()),
            json!({ "request_id": r.id, "random": true }),
        )
        .await?;
        let unit_path = crate::org::unit_path(&txn, c.unit_id).await?;
        txn.commit().await?;
        events.push(Event {
            unit_path,
            supervisee: c.user_id,
            helpers: Vec::new(),
            view: EventView {
                kind: EventKind::CheckinRequest.as_str().into(),
                case_id: c.id,
                payload: serde_json::to_value(view(r)).unwrap_or_default(),
            },
        });
    }
    Ok(events)
}
