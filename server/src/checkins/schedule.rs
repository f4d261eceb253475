//! Check-in obligations over time: the current window, sensitive periods, and the job that
//! finds windows that closed without a passed check-in (each exactly once) and escalates.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use huijiao_core::api::{ObligationsView, Problem, SensitivePeriodRequest, SensitivePeriodView};
use huijiao_core::model::{AlertKind, AuditAction, CaseStatus};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::checkin::CheckinResult;
use huijiao_core::policy::schedule::{self, DailyBand, Window};
use huijiao_core::policy::{effective_level, Jurisdiction, JurisdictionRules};
use huijiao_core::Said;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, SystemAdmin};
use crate::cases::find_case;
use crate::entities::{case, checkin, face_template, missed_window, sensitive_period};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::events::Event;
use crate::state::AppState;
use crate::validate::check_text;
use crate::work::Work;

pub async fn in_sensitive_period(db: &impl ConnectionTrait, date: NaiveDate) -> ApiResult<bool> {
    Ok(sensitive_period::Entity::find()
        .filter(sensitive_period::Column::StartDate.lte(date))
        .filter(sensitive_period::Column::EndDate.gte(date))
        .one(db)
        .await?
        .is_some())
}

async fn window_on(
    db: &impl ConnectionTrait,
    j: &Jurisdiction,
    c: &case::Model,
    date: NaiveDate,
) -> ApiResult<Window> {
    Ok(schedule::window_for(
        j,
        c.level,
        in_sensitive_period(db, date).await?,
        c.start_date,
        date,
    ))
}

/// Whether a check-in meets the scheduled window of its local date.
pub async fn count(
    db: &impl ConnectionTrait,
    rules: &JurisdictionRules,
    c: &case::Model,
    row: &checkin::Model,
) -> ApiResult<schedule::WindowCount> {
    let date = local_date(row.created_at);
    let w = window_on(db, &rules.supervision, c, date).await?;
    let passed = row.result == CheckinResult::Passed;
    Ok(schedule::count_checkin(
        w,
        &rules.checkin_band,
        row.created_at,
        passed,
    ))
}

/// Whether a check-in with one of `results` falls within the window (and the daily band).
async fn in_window(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    w: &Window,
    band: &DailyBand,
    results: &[CheckinResult],
) -> ApiResult<bool> {
    let from = w.start.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::days(1);
    let to = w.closes_at(band);
    let found = checkin::Entity::find()
        .filter(checkin::Column::CaseId.eq(case_id))
        .filter(checkin::Column::Result.is_in(results.iter().map(|r| r.as_str())))
        .filter(checkin::Column::CreatedAt.gte(from))
        .filter(checkin::Column::CreatedAt.lte(to))
        .all(db)
        .await?;
    Ok(found.iter().any(|p| w.contains(p.created_at, band)))
}

/// Whether a passed check-in falls within the window (and the daily band).
async fn window_met(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    w: &Window,
    band: &DailyBand,
) -> ApiResult<bool> {
    in_window(db, case_id, w, band, &[CheckinResult::Passed]).await
}

/// Declares a sensitive period (重大节会): everyone is supervised one level stricter.
#[utoipa::path(post, path = "/sensitive-periods", tag = "checkins", request_body = SensitivePeriodRequest,
    responses((status = 201, body = SensitivePeriodView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn declare_sensitive_period(
    State(state): State<AppState>,
    caller: SystemAdmin,
    Json(req): Json<SensitivePeriodRequest>,
) -> ApiResult<(StatusCode, Json<SensitivePeriodView>)> {
    check_text("name", &req.name, 200)?;
    if req.end_date < req.start_date || (req.end_date - req.start_date).num_days() > 90 {
        return Err(ApiError::field(
            "end_date",
            Said::new(
                "on or after start_date, at most 90 days later",
                "不能早于 start_date，且最多晚 90 天",
            ),
        ));
    }
    let work = Work::begin(&state).await?;
    let p = sensitive_period::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(req.name.trim().into()),
        start_date: Set(req.start_date),
        end_date: Set(req.end_date),
        created_by: Set(caller.id),
        created_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::SensitivePeriodDeclared,
        "sensitive_period",
        p.id,
        json!({ "start": p.start_date, "end": p.end_date }),
    )
    .await?;
    work.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(SensitivePeriodView {
            id: p.id,
            name: p.name,
            start_date: p.start_date,
            end_date: p.end_date,
        }),
    ))
}

#[utoipa::path(get, path = "/sensitive-periods", tag = "checkins",
    responses((status = 200, body = Vec<SensitivePeriodView>)))]
pub async fn list_sensitive_periods(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Vec<SensitivePeriodView>>> {
    let rows = sensitive_period::Entity::find()
        .order_by_desc(sensitive_period::Column::StartDate)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| SensitivePeriodView {
                id: p.id,
                name: p.name,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .collect(),
    ))
}

/// What the case must do now: level in force, the current check-in window and whether it is met.
#[utoipa::path(get, path = "/cases/{id}/obligations", tag = "checkins", params(("id" = Uuid, Path)),
    responses((status = 200, body = ObligationsView), (status = 404, body = Problem)))]
pub async fn obligations(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ObligationsView>> {
    let c = find_case(&state.db, &caller, id).await?;
    let today = state.clock.today();
    let sensitive = in_sensitive_period(&state.db, today).await?;
    let level = c.level;
    let effective = effective_level(level, sensitive);
    let rules = &state.config.rules;
    let w = schedule::window_for(&rules.supervision, level, sensitive, c.start_date, today);
    let band = rules.checkin_band;
    Ok(Json(ObligationsView {
        level,
        effective_level: effective,
        in_sensitive_period: sensitive,
        checkin_every_days: rules.supervision.obligations(effective).checkin_every_days,
        location_interval_minutes: rules
            .supervision
            .obligations(effective)
            .location_interval_minutes,
        window: w,
        window_closes_at: w.closes_at(&band),
        window_met: window_met(&state.db, c.id, &w, &band).await?,
    }))
}

/// How far back the job looks for closed windows (covers a server down for a few days).
const LOOKBACK_DAYS: i64 = 3;

/// Finds check-in windows that closed by `now` without a passed check-in, for active,
/// enrolled cases, and raises one alert per window (the unique window record makes it once,
/// across runs and instances). Returns the events to publish.
pub async fn mark_missed<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    rules: &JurisdictionRules,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(db)
        .await?;
    let since = local_date(now) - Duration::days(LOOKBACK_DAYS);
    let mut events = Vec::new();
    for c in cases {
        events.extend(judge_windows(db, rules, &c, since, now).await?);
    }
    Ok(events)
}

/// The windows of case `c` from `since` that closed by `now` without a passed check-in, each
/// recorded missed once with its alert. A window holding a check-in that waits for an
/// officer's review is not judged until the officer decides (an accepted one meets it; a
/// rejected one has the window judged at once).
pub async fn judge_windows<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    rules: &JurisdictionRules,
    c: &case::Model,
    since: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Event>> {
    let band = rules.checkin_band;
    let mut events = Vec::new();
    // No one can be late for a check-in before their face is enrolled.
    let Some(enrolled) = face_template::Entity::find()
        .filter(face_template::Column::CaseId.eq(c.id))
        .order_by_asc(face_template::Column::CreatedAt)
        .one(db)
        .await?
    else {
        return Ok(events);
    };
    // Nor before the announcement.
    let Some(owed_from) = huijiao_core::policy::obligations_begin(c.start_date, c.announced_at)
    else {
        return Ok(events);
    };
    let enrolled_on = local_date(enrolled.created_at).max(owed_from);
    let mut seen = std::collections::HashSet::new();
    let mut date = since;
    while date <= local_date(now) {
        let w = window_on(db, &rules.supervision, c, date).await?;
        date += Duration::days(1);
        if !seen.insert(w.start) || w.start < enrolled_on || w.closes_at(&band) > now {
            continue;
        }
        // Met, or waiting for an officer's review: one read either way.
        let settled_or_pending = [CheckinResult::Passed, CheckinResult::NeedsReview];
        if in_window(db, c.id, &w, &band, &settled_or_pending).await? {
            continue;
        }
        let already = missed_window::Entity::find()
            .filter(missed_window::Column::CaseId.eq(c.id))
            .filter(missed_window::Column::WindowStart.eq(w.start))
            .one(db)
            .await?;
        if already.is_some() {
            continue;
        }
        let txn = db.begin().await?;
        let misses = missed_window::Entity::find()
            .filter(missed_window::Column::CaseId.eq(c.id))
            .filter(missed_window::Column::WindowEnd.gte(w.end - Duration::days(30)))
            .count(&txn)
            .await?
            + 1;
        let (severity, suggestion) = schedule::missed_escalation(misses);
        let (alert, event) = crate::alerts::raise(&txn, now, c, AlertKind::CheckinMissed, severity, json!({ "window_start": w.start, "window_end": w.end, "level": w.level, "misses_30d": misses, "sanction_suggestion": suggestion })).await?;
        let inserted = missed_window::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(c.id),
            window_start: Set(w.start),
            window_end: Set(w.end),
            level: Set(w.level.as_str().into()),
            alert_id: Set(alert.id),
            created_at: Set(now),
        }
        .insert(&txn)
        .await;
        match inserted {
            Ok(_) => {
                audit::record(
                    &txn,
                    &Actor::default(),
                    AuditAction::CheckinMissed,
                    "case",
                    Some(c.id.to_string()),
                    json!({ "window_start": w.start, "alert_id": alert.id }),
                )
                .await?;
                txn.commit().await?;
                events.push(event);
            }
            // Another run recorded this window first: drop our alert with the transaction.
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                txn.rollback().await?
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(events)
}
