//! Quizzes: the supervisee starts an attempt (its questions in an order of its own, without
//! their keys), submits the answers once, and the server scores them (`policy::quiz`) against
//! the pass mark; attempts are limited per quiz. Officers see a person's attempts with their
//! answers; a volunteer sees progress only (the ledger), not answers.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use huijiao_core::api::{
    Problem, QuizAttemptView, QuizQuestionView, QuizResultView, QuizSubmission,
};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::learning::LessonKind;
use huijiao_core::policy::quiz::{question_order, score, Keyed};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::courses::lesson_to_study;
use crate::actor::Actor;
use crate::auth::extractor::{RequestParty, Supervisee};
use crate::cases::{find_case, own_case};
use crate::entities::{lesson, quiz_attempt, quiz_question};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

/// A quiz's questions, in authored order.
async fn questions_of(
    db: &impl ConnectionTrait,
    lesson_id: Uuid,
) -> ApiResult<Vec<quiz_question::Model>> {
    Ok(quiz_question::Entity::find()
        .filter(quiz_question::Column::LessonId.eq(lesson_id))
        .order_by_asc(quiz_question::Column::Ordinal)
        .all(db)
        .await?)
}

fn keyed(q: &quiz_question::Model) -> ApiResult<Keyed> {
    let options: Vec<String> =
        serde_json::from_value(q.options.clone()).map_err(ApiError::internal)?;
    Ok(Keyed {
        kind: q.kind,
        options: options.len(),
        key: serde_json::from_value(q.key.clone()).map_err(ApiError::internal)?,
        points: q.points.max(0) as u32,
    })
}

/// The attempt as its reader may see it: the questions in its order, never their keys; once
/// submitted, the score and which answers were right.
fn attempt_view(
    a: &quiz_attempt::Model,
    l: &lesson::Model,
    questions: &[quiz_question::Model],
) -> ApiResult<QuizAttemptView> {
    let order: Vec<Uuid> =
        serde_json::from_value(a.question_order.clone()).map_err(ApiError::internal)?;
    let by_id: HashMap<Uuid, &quiz_question::Model> = questions.iter().map(|q| (q.id, q)).collect();
    let asked: Vec<&quiz_question::Model> = order
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect();
    let answers: Vec<(Uuid, Vec<u32>)> = match &a.answers {
        Some(v) => serde_json::from_value::<Vec<huijiao_core::api::QuizAnswer>>(v.clone())
            .map_err(ApiError::internal)?
            .into_iter()
            .map(|x| (x.question_id, x.chosen))
            .collect(),
        None => vec![],
    };
    let mut results = Vec::new();
    if a.submitted_at.is_some() {
        for q in &asked {
            let chosen = answers
                .iter()
                .find(|(id, _)| *id == q.id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
            results.push(QuizResultView {
                question_id: q.id,
                right: keyed(q)?.is_right(&chosen),
                chosen,
            });
        }
    }
    Ok(QuizAttemptView {
        id: a.id,
        case_id: a.case_id,
        lesson_id: a.lesson_id,
        attempt_no: a.attempt_no,
        max_attempts: l.max_attempts.unwrap_or(1),
        submitted: a.submitted_at.is_some(),
        questions: asked
            .iter()
            .map(|q| {
                Ok(QuizQuestionView {
                    id: q.id,
                    kind: q.kind,
                    prompt: q.prompt.clone(),
                    options: serde_json::from_value(q.options.clone())
                        .map_err(ApiError::internal)?,
                    points: q.points.max(0) as u32,
                })
            })
            .collect::<ApiResult<_>>()?,
        started_at: a.started_at,
        submitted_at: a.submitted_at,
        points: a.points,
        max_points: a.max_points,
        percent: a.percent,
        pass_percent: l.pass_percent.unwrap_or(100),
        passed: a.passed,
        results,
    })
}

/// Starts an attempt at a quiz (or gives back the one open): its questions in an order of its
/// own, without their keys. Refused once the quiz's attempts are used up.
#[utoipa::path(post, path = "/lessons/{id}/attempts", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 201, body = QuizAttemptView), (status = 200, body = QuizAttemptView), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<(StatusCode, Json<QuizAttemptView>)> {
    let work = Work::begin(&state).await?;
    let (l, c) = lesson_to_study(work.db(), &caller, id).await?;
    if l.kind != LessonKind::Quiz {
        return Err(ErrorCode::NotAQuiz.into());
    }
    let questions = questions_of(work.db(), l.id).await?;
    let mine = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::CaseId.eq(c.id))
        .filter(quiz_attempt::Column::LessonId.eq(l.id));
    if let Some(open) = mine
        .clone()
        .filter(quiz_attempt::Column::SubmittedAt.is_null())
        .one(work.db())
        .await?
    {
        let v = attempt_view(&open, &l, &questions)?;
        work.commit().await?;
        return Ok((StatusCode::OK, Json(v)));
    }
    let used = mine.count(work.db()).await?;
    if used >= l.max_attempts.unwrap_or(1).max(0) as u64 {
        return Err(ErrorCode::QuizAttemptsExhausted.into());
    }
    let order: Vec<Uuid> = question_order(questions.len(), rand::random::<u64>)
        .into_iter()
        .map(|i| questions[i].id)
        .collect();
    let row = quiz_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        lesson_id: Set(l.id),
        attempt_no: Set(used as i32 + 1),
        question_order: Set(json!(order)),
        answers: Set(None),
        points: Set(None),
        max_points: Set(questions.iter().map(|q| q.points).sum()),
        percent: Set(None),
        passed: Set(None),
        started_at: Set(Utc::now()),
        submitted_at: Set(None),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    let v = attempt_view(&row, &l, &questions)?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Submits an attempt's answers, once; the server scores them against the pass mark and says
/// which were right (never what the right answer was).
#[utoipa::path(post, path = "/quiz-attempts/{id}/submit", tag = "learning", params(("id" = Uuid, Path)), request_body = QuizSubmission,
    responses((status = 200, body = QuizAttemptView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<QuizSubmission>,
) -> ApiResult<Json<QuizAttemptView>> {
    let work = Work::begin(&state).await?;
    let c = own_case(work.db(), &caller).await?;
    let a = quiz_attempt::Entity::find_by_id(id)
        .filter(quiz_attempt::Column::CaseId.eq(c.id))
        .lock_exclusive()
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if a.submitted_at.is_some() {
        return Err(ErrorCode::QuizAttemptSubmitted.into());
    }
    let l = lesson::Entity::find_by_id(a.lesson_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let questions = questions_of(work.db(), l.id).await?;
    let order: Vec<Uuid> =
        serde_json::from_value(a.question_order.clone()).map_err(ApiError::internal)?;
    let keyed_questions: Vec<Keyed> = questions.iter().map(keyed).collect::<ApiResult<_>>()?;
    let mut seen = std::collections::HashSet::new();
    for (i, answer) in req.answers.iter().enumerate() {
        let asked = questions
            .iter()
            .zip(&keyed_questions)
            .find(|(q, _)| q.id == answer.question_id && order.contains(&q.id));
        let fits = asked.is_some_and(|(_, k)| {
            answer.chosen.len() <= k.options
                && answer.chosen.iter().all(|&c| (c as usize) < k.options)
        });
        if !fits || !seen.insert(answer.question_id) {
            return Err(ApiError::field(
                format!("answers[{i}]"),
                Said::new(
                    "an answer, once, to a question of this attempt, choosing among its options",
                    "须对本次作答的题目作答一次，并在其选项中选择",
                ),
            ));
        }
    }
    let answers: Vec<Option<Vec<u32>>> = questions
        .iter()
        .map(|q| {
            req.answers
                .iter()
                .find(|a| a.question_id == q.id)
                .map(|a| a.chosen.clone())
        })
        .collect();
    let s = score(
        &keyed_questions,
        &answers,
        l.pass_percent.unwrap_or(100).max(0) as u32,
    );
    let now = Utc::now();
    let updated = quiz_attempt::Entity::update_many()
        .col_expr(
            quiz_attempt::Column::Answers,
            Expr::value(json!(req.answers)),
        )
        .col_expr(quiz_attempt::Column::Points, Expr::value(s.points as i32))
        .col_expr(quiz_attempt::Column::Percent, Expr::value(s.percent as i32))
        .col_expr(quiz_attempt::Column::Passed, Expr::value(s.passed))
        .col_expr(quiz_attempt::Column::SubmittedAt, Expr::value(now))
        .col_expr(
            quiz_attempt::Column::Version,
            Expr::col(quiz_attempt::Column::Version).add(1),
        )
        .filter(quiz_attempt::Column::Id.eq(a.id))
        .filter(quiz_attempt::Column::SubmittedAt.is_null())
        .exec(work.db())
        .await?;
    if updated.rows_affected == 0 {
        return Err(ErrorCode::QuizAttemptSubmitted.into());
    }
    work.audit(
        &Actor::from(&caller),
        AuditAction::QuizSubmitted,
        "case",
        c.id,
        json!({ "attempt_id": a.id, "points": s.points, "passed": s.passed }),
    )
    .await?;
    let a = quiz_attempt::Entity::find_by_id(a.id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let v = attempt_view(&a, &l, &questions)?;
    work.commit().await?;
    Ok(Json(v))
}

/// A case's quiz attempts, latest first, with their answers (the supervisee their own,
/// officers of the case; not volunteers).
#[utoipa::path(get, path = "/cases/{id}/quiz-attempts", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<QuizAttemptView>), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<QuizAttemptView>>> {
    find_case(&state.db, &caller, id).await?;
    let attempts = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::CaseId.eq(id))
        .order_by_desc(quiz_attempt::Column::StartedAt)
        .limit(200)
        .all(&state.db)
        .await?;
    let mut views = Vec::new();
    let mut lessons: HashMap<Uuid, (lesson::Model, Vec<quiz_question::Model>)> = HashMap::new();
    for a in &attempts {
        if !lessons.contains_key(&a.lesson_id) {
            let l = lesson::Entity::find_by_id(a.lesson_id)
                .one(&state.db)
                .await?
                .ok_or(ErrorCode::NotFound)?;
            let qs = questions_of(&state.db, l.id).await?;
            lessons.insert(l.id, (l, qs));
        }
        let (l, qs) = &lessons[&a.lesson_id];
        views.push(attempt_view(a, l, qs)?);
    }
    Ok(Json(views))
}
