//! Education's side of the monthly ledger (`crate::ledger`): minutes owed at the person's
//! level, minutes credited by source (online lessons, group lectures, officers' adjustments),
//! and the shortfall. Months are China time.

use axum::extract::State;
use axum::http::StatusCode;

use huijiao_core::api::{
    LearningAdjustment, LearningAdjustmentView, LearningCreditView, LearningMonthView, Page,
    Problem, ShortfallView,
};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::learning::{month_standing, CreditSource, Obligation};
use huijiao_core::Said;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{case, ledger_credit};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::ledger::{self, check_month, owed, MonthQuery};
use crate::paging::{PageQuery, Paged};
use crate::state::AppState;
use crate::validate::check_paragraphs;
use crate::work::Work;

/// A case's month as the ledger has it.
pub(super) async fn month_view(
    db: &impl ConnectionTrait,
    state: &AppState,
    c: &case::Model,
    month: &str,
) -> ApiResult<LearningMonthView> {
    let rows = ledger_credit::Entity::find()
        .filter(ledger_credit::Column::CaseId.eq(c.id))
        .filter(ledger_credit::Column::Obligation.eq(Obligation::Education))
        .filter(ledger_credit::Column::Month.eq(month))
        .order_by_asc(ledger_credit::Column::CreatedAt)
        .all(db)
        .await?;
    let ms_of = |source: CreditSource| -> i64 {
        rows.iter()
            .filter(|r| r.source == source)
            .map(|r| r.credited_ms)
            .sum()
    };
    let by_source: Vec<LearningCreditView> = [
        CreditSource::Lesson,
        CreditSource::Lecture,
        CreditSource::Adjustment,
    ]
    .into_iter()
    .map(|source| LearningCreditView {
        source,
        minutes: ms_of(source) / 60_000,
    })
    .collect();
    let owed_minutes = owed(state, c, Obligation::Education, month);
    let standing = month_standing(owed_minutes, rows.iter().map(|r| r.credited_ms).sum());
    Ok(LearningMonthView {
        case_id: c.id,
        month: month.to_owned(),
        owed_minutes,
        credited_minutes: standing.credited_minutes,
        short_minutes: standing.short_minutes,
        by_source,
        adjustments: rows
            .iter()
            .filter(|r| r.source == CreditSource::Adjustment)
            .map(|r| LearningAdjustmentView {
                id: r.id,
                minutes: (r.credited_ms / 60_000) as i32,
                reason: r.reason.clone().unwrap_or_default(),
                by: r.created_by,
                at: r.created_at,
            })
            .collect(),
    })
}

/// A person's education in a month: owed, credited by source, short. The supervisee reads
/// their own, officers and the person's volunteers theirs.
#[utoipa::path(get, path = "/cases/{id}/learning", tag = "learning", params(("id" = Uuid, Path), MonthQuery),
    responses((status = 200, body = LearningMonthView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn month(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<LearningMonthView>> {
    let month = q.month_at(state.clock.now())?;
    let c = find_case(&state.db, &caller, id).await?;
    Ok(Json(month_view(&state.db, &state, &c, &month).await?))
}

/// An officer corrects a month's minutes (e.g. study done on paper, or time to take back),
/// with the reason; audited.
#[utoipa::path(post, path = "/cases/{id}/learning/adjustments", tag = "learning", params(("id" = Uuid, Path)), request_body = LearningAdjustment,
    responses((status = 201, body = LearningMonthView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn adjust(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LearningAdjustment>,
) -> ApiResult<(StatusCode, Json<LearningMonthView>)> {
    check_month("month", &req.month, state.clock.now())?;
    if req.minutes == 0 || !(-6000..=6000).contains(&req.minutes) {
        return Err(ApiError::field(
            "minutes",
            Said::new(
                "minutes to add (or take away, negative), at most 6000 either way, not 0",
                "增加（负数为扣减）的分钟数，绝对值不超过 6000，不能为 0",
            ),
        ));
    }
    check_paragraphs("reason", &req.reason, 2000)?;
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let now = state.clock.now();
    let row = ledger::insert(
        work.db(),
        ledger::Entry {
            case_id: c.id,
            obligation: Obligation::Education,
            month: req.month.clone(),
            source: CreditSource::Adjustment,
            credited_ms: i64::from(req.minutes) * 60_000,
            reason: Some(req.reason.trim().to_owned()),
            created_by: Some(caller.id),
            session_id: None,
            attendance_id: None,
            participation_id: None,
        },
        now,
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LearningAdjusted,
        "case",
        c.id,
        json!({ "credit_id": row.id, "month": req.month, "minutes": req.minutes }),
    )
    .await?;
    let view = month_view(work.db(), &state, &c, &req.month).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Who in the officer's jurisdiction is short of their minutes in a month (default this one,
/// so far), most short first.
#[utoipa::path(get, path = "/learning/shortfalls", tag = "learning", params(MonthQuery, PageQuery),
    responses((status = 200, body = Page<ShortfallView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn shortfalls(
    State(state): State<AppState>,
    caller: Officer,
    Paged(q, page): Paged<MonthQuery>,
) -> ApiResult<Json<Page<ShortfallView>>> {
    let month = q.month_at(state.clock.now())?;
    Ok(Json(
        ledger::shortfalls(&state, &caller, Obligation::Education, &month, &page).await?,
    ))
}
