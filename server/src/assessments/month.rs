//! A case's month: the draft, the officer's confirmation, and the confirmed months.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{AssessmentConfirm, AssessmentView, Problem};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::assessment::{
    change_line, grades_before as policy_grades_before, lines, outcome, AssessmentGrade,
    AssessmentLine,
};
use huijiao_core::policy::calendar::{month_of, months_span, Month};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use super::facts;
use crate::actor::Actor;
use crate::auth::extractor::{Officer, RequestParty};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{assessment, case};
use crate::error::{ApiError, ApiResult, Json, Path, Query};
use crate::ledger::check_month;
use crate::state::AppState;
use crate::validate::check_paragraphs;
use crate::work::Work;

fn view(a: assessment::Model) -> ApiResult<AssessmentView> {
    Ok(AssessmentView {
        case_id: a.case_id,
        month: a.month,
        lines: serde_json::from_value(a.lines).map_err(ApiError::internal)?,
        score: u32::try_from(a.score).map_err(ApiError::internal)?,
        grade: a.grade,
        level: a.level,
        proposed_level: a.proposed_level,
        note: a.note,
        confirmed_by: Some(a.confirmed_by),
        confirmed_at: Some(a.confirmed_at),
    })
}

/// A month of the case's supervision, checked: well formed, not ahead, not before the intake
/// announcement.
fn check_case_month(c: &case::Model, month: &str, now: DateTime<Utc>) -> ApiResult<()> {
    check_month("month", month, now)?;
    let began = c.announced_at.map(month_of);
    if began.as_deref().is_none_or(|b| month < b) {
        return Err(ApiError::field(
            "month",
            Said::new(
                "a month of this person's supervision (from the intake announcement)",
                "须为该对象接受社区矫正期间的月份（自入矫宣告起）",
            ),
        ));
    }
    Ok(())
}

/// The confirmed grades `outcome` weighs (`policy::assessment::grades_before`).
async fn grades_before(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    month: &str,
) -> ApiResult<Vec<AssessmentGrade>> {
    let Some(month) = Month::parse(month) else {
        return Ok(vec![]);
    };
    let earlier = [month.previous(), month.previous().previous()];
    let confirmed: HashMap<String, AssessmentGrade> = assessment::Entity::find()
        .filter(assessment::Column::CaseId.eq(case_id))
        .filter(assessment::Column::Month.is_in(earlier.iter().map(Month::to_string)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.month, a.grade))
        .collect();
    Ok(policy_grades_before(month, |m| {
        confirmed.get(&m.to_string()).copied()
    }))
}

/// The month's lines from the facts, before any officer's change.
async fn draft_lines(
    db: &impl ConnectionTrait,
    c: &case::Model,
    month: &str,
) -> ApiResult<Vec<AssessmentLine>> {
    let span = months_span(month, month).ok_or(ErrorCode::Internal)?;
    Ok(lines(&facts::counts(db, c.id, month, span).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`, China time (this month: the draft so far).
    pub month: String,
}

/// What the system makes of a month from the facts it saw (officers of the case). Nothing is
/// stored; the month so far for the current one.
#[utoipa::path(get, path = "/cases/{id}/assessments/draft", tag = "assessments", params(("id" = Uuid, Path), MonthQuery),
    responses((status = 200, body = AssessmentView), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn draft(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<AssessmentView>> {
    let c = find_case(&state.db, &caller, id).await?;
    check_case_month(&c, &q.month, state.clock.now())?;
    if let Some(done) = assessment::Entity::find_by_id((c.id, q.month.clone()))
        .one(&state.db)
        .await?
    {
        return Ok(Json(view(done)?));
    }
    let lines = draft_lines(&state.db, &c, &q.month).await?;
    let o = outcome(
        &lines,
        c.level,
        &grades_before(&state.db, c.id, &q.month).await?,
    );
    Ok(Json(AssessmentView {
        case_id: c.id,
        month: q.month,
        lines,
        score: o.score,
        grade: o.grade,
        level: c.level,
        proposed_level: o.proposed_level,
        note: None,
        confirmed_by: None,
        confirmed_at: None,
    }))
}

/// The draft's lines with the officer's changes (`policy::assessment::change_line`).
fn adjust(
    mut lines: Vec<AssessmentLine>,
    req: &AssessmentConfirm,
) -> ApiResult<Vec<AssessmentLine>> {
    for (i, a) in req.adjustments.iter().enumerate() {
        change_line(&mut lines, a.fact, a.points, &a.reason)
            .map_err(|p| ApiError::field(format!("adjustments[{i}].{}", p.field), p.said))?;
    }
    Ok(lines)
}

/// An officer of the case confirms a month that is over, changing a line's points only with
/// a reason. Its proposal for the level is theirs to apply. Audited.
#[utoipa::path(post, path = "/cases/{id}/assessments", tag = "assessments", params(("id" = Uuid, Path)), request_body = AssessmentConfirm,
    responses((status = 201, body = AssessmentView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<AssessmentConfirm>,
) -> ApiResult<(StatusCode, Json<AssessmentView>)> {
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        check_paragraphs("note", n, 2000)?;
    }
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    check_case_month(&c, &req.month, state.clock.now())?;
    if req.month >= month_of(state.clock.now()) {
        return Err(ErrorCode::AssessmentMonthNotOver.into());
    }
    if assessment::Entity::find_by_id((c.id, req.month.clone()))
        .one(work.db())
        .await?
        .is_some()
    {
        return Err(ErrorCode::AssessmentAlreadyConfirmed.into());
    }
    let lines = adjust(draft_lines(work.db(), &c, &req.month).await?, &req)?;
    let o = outcome(
        &lines,
        c.level,
        &grades_before(work.db(), c.id, &req.month).await?,
    );
    let row = assessment::ActiveModel {
        case_id: Set(c.id),
        month: Set(req.month.clone()),
        lines: Set(json!(lines)),
        score: Set(i32::try_from(o.score).map_err(ApiError::internal)?),
        grade: Set(o.grade),
        level: Set(c.level),
        proposed_level: Set(o.proposed_level),
        note: Set(note.map(str::to_owned)),
        confirmed_by: Set(caller.id),
        confirmed_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await
    .map_err(|e| match ApiError::from(e) {
        // Two officers confirming at once: the second finds the first's row.
        e if e.code == ErrorCode::Conflict => ErrorCode::AssessmentAlreadyConfirmed.into(),
        e => e,
    })?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::AssessmentConfirmed,
        "case",
        c.id,
        json!({ "month": row.month, "score": o.score, "grade": o.grade,
                "proposed_level": o.proposed_level,
                "adjusted": req.adjustments.iter().map(|a| a.fact).collect::<Vec<_>>() }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(row)?)))
}

/// A case's confirmed months, newest first: its officers, and the person their own.
#[utoipa::path(get, path = "/cases/{id}/assessments", tag = "assessments", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AssessmentView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<AssessmentView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let rows = assessment::Entity::find()
        .filter(assessment::Column::CaseId.eq(c.id))
        .order_by_desc(assessment::Column::Month)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect::<ApiResult<_>>()?))
}
