//! Written reflections (观后感, Nanjing's 手机微课堂 practice): after a lesson the person writes
//! what they took from it; an officer of the case accepts it or returns it with what to
//! improve, and a returned one is rewritten in place (`policy::learning::REFLECTION`). Not for
//! volunteers: it is the person's own writing, read by those who supervise them.

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{Page, Problem, ReflectionReview, ReflectionView, ReflectionWrite};
use huijiao_core::model::{AuditAction, EventKind};
use huijiao_core::policy::learning::{
    check_reflection, ReflectionAction, ReflectionStatus, REFLECTION,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::courses::lesson_to_study;
use crate::actor::Actor;
use crate::auth::extractor::{Officer, RequestParty, Supervisee};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{lesson, reflection};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

fn view(r: &reflection::Model, lesson_title: &str) -> ReflectionView {
    ReflectionView {
        id: r.id,
        case_id: r.case_id,
        lesson_id: r.lesson_id,
        lesson_title: lesson_title.to_owned(),
        text: r.text.clone(),
        status: r.status,
        submitted_at: r.submitted_at,
        reviewed_by: r.reviewed_by,
        reviewed_at: r.reviewed_at,
        comment: r.comment.clone(),
        version: r.version,
    }
}

fn check_text_of(text: &str) -> ApiResult<()> {
    check_reflection(text).map_err(|why| ApiError::field("text", why))
}

/// Writes the caller's reflection on a lesson (201), or rewrites one that was returned (200).
#[utoipa::path(put, path = "/lessons/{id}/reflection", tag = "learning", params(("id" = Uuid, Path)), request_body = ReflectionWrite,
    responses((status = 201, body = ReflectionView), (status = 200, body = ReflectionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn write(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<ReflectionWrite>,
) -> ApiResult<(StatusCode, Json<ReflectionView>)> {
    let work = Work::begin(&state).await?;
    let (l, c) = lesson_to_study(work.db(), &caller, id).await?;
    let text = req.text.trim();
    check_text_of(text)?;
    let now = state.clock.now();
    let before = reflection::Entity::find()
        .filter(reflection::Column::CaseId.eq(c.id))
        .filter(reflection::Column::LessonId.eq(l.id))
        .one(work.db())
        .await?;
    let (status, row) = match before {
        None => {
            let row = reflection::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(c.id),
                lesson_id: Set(l.id),
                text: Set(text.to_owned()),
                status: Set(ReflectionStatus::Submitted),
                submitted_at: Set(now),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
                comment: Set(None),
                version: Set(1),
            }
            .insert(work.db())
            .await?;
            (StatusCode::CREATED, row)
        }
        Some(r) => {
            let party = crate::org::party(work.db(), &caller).await?;
            let row = apply(
                work.db(),
                &REFLECTION,
                ReflectionAction::Resubmit,
                party,
                &r,
                None,
                |q| {
                    q.col_expr(reflection::Column::Text, Expr::value(text))
                        .col_expr(reflection::Column::SubmittedAt, Expr::value(now))
                },
            )
            .await?;
            (StatusCode::OK, row)
        }
    };
    work.commit().await?;
    Ok((status, Json(view(&row, &l.title))))
}

async fn with_titles(
    db: &impl sea_orm::ConnectionTrait,
    rows: Vec<reflection::Model>,
) -> ApiResult<Vec<ReflectionView>> {
    let titles: std::collections::HashMap<Uuid, String> = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(rows.iter().map(|r| r.lesson_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.title))
        .collect();
    Ok(rows
        .iter()
        .map(|r| view(r, titles.get(&r.lesson_id).map_or("", String::as_str)))
        .collect())
}

/// A case's reflections, latest first (the person's own, or their officers').
#[utoipa::path(get, path = "/cases/{id}/reflections", tag = "learning", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<ReflectionView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<ReflectionView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let find = reflection::Entity::find().filter(reflection::Column::CaseId.eq(c.id));
    let rows = page.rows(&state.db, find, Order::NewestFirst).await?;
    Ok(Json(Page {
        items: with_titles(&state.db, rows.items).await?,
        next: rows.next,
    }))
}

crate::seek_by!(reflection, SubmittedAt, submitted_at);

/// One reflection (the person's own, or their officers' — a review opens it).
#[utoipa::path(get, path = "/reflections/{id}", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReflectionView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ReflectionView>> {
    let r = reflection::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&state.db, &caller, r.case_id).await?;
    let mut one = with_titles(&state.db, vec![r]).await?;
    one.pop().ok_or(ErrorCode::NotFound.into()).map(Json)
}

/// An officer of the case accepts a reflection or returns it with what to improve, at the
/// version seen. Audited; the person is told.
#[utoipa::path(post, path = "/reflections/{id}/review", tag = "learning", params(("id" = Uuid, Path)), request_body = ReflectionReview,
    responses((status = 200, body = ReflectionView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<ReflectionReview>,
) -> ApiResult<Json<ReflectionView>> {
    let work = Work::begin(&state).await?;
    let r = reflection::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case_for_write(work.db(), &caller, r.case_id).await?;
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match comment {
        Some(t) => check_paragraphs("comment", t, 2000)?,
        None if !req.accept => {
            return Err(ApiError::field(
                "comment",
                Said::new(
                    "what to improve, when returning it",
                    "退回时须说明需改进之处",
                ),
            ))
        }
        None => {}
    }
    let action = if req.accept {
        ReflectionAction::Accept
    } else {
        ReflectionAction::Return
    };
    let party = crate::org::party(work.db(), &caller).await?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &REFLECTION,
        action,
        party,
        &r,
        Some(req.version),
        |q| {
            q.col_expr(reflection::Column::ReviewedBy, Expr::value(caller.id))
                .col_expr(reflection::Column::ReviewedAt, Expr::value(now))
                .col_expr(
                    reflection::Column::Comment,
                    Expr::value(comment.map(str::to_owned)),
                )
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::ReflectionReviewed,
        "case",
        c.id,
        json!({ "reflection_id": row.id, "accepted": req.accept }),
    )
    .await?;
    let v = with_titles(work.db(), vec![row]).await?.remove(0);
    work.notify_case(&c, EventKind::Reflection, &v, true)
        .await?;
    work.commit().await?;
    Ok(Json(v))
}
