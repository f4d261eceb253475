//! Quizzes: the supervisee starts an attempt (its questions in an order of its own, without
//! their keys), submits the answers once, and the server scores them (`policy::quiz`) against
//! the pass mark; attempts are limited per quiz. Officers see a person's attempts with their
//! answers; a volunteer sees progress only (the ledger), not answers.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{
    Page, Problem, QuizAnswer, QuizAttemptView, QuizGrade, QuizGradeItem, QuizQuestionView,
    QuizResultView, QuizSubmission,
};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::learning::{QuizAttemptAction, QuizAttemptStatus, QUIZ_ATTEMPT};
use huijiao_core::policy::quiz::{question_order, score, Keyed, QuestionKind};
use huijiao_core::policy::transitions::Party;
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
use crate::auth::extractor::{Officer, RequestParty, Supervisee};
use crate::cases::{find_case, find_case_for_write, own_case};
use crate::entities::{lesson, quiz_attempt, quiz_question};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
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

/// What an attempt's answers were (none before it is submitted).
fn answers_of(a: &quiz_attempt::Model) -> ApiResult<Vec<QuizAnswer>> {
    match &a.answers {
        Some(v) => serde_json::from_value(v.clone()).map_err(ApiError::internal),
        None => Ok(vec![]),
    }
}

/// An officer's points for an attempt's written answers, by question.
fn grades_of(a: &quiz_attempt::Model) -> ApiResult<HashMap<Uuid, u32>> {
    let items: Vec<QuizGradeItem> = match &a.grades {
        Some(v) => serde_json::from_value(v.clone()).map_err(ApiError::internal)?,
        None => vec![],
    };
    Ok(items
        .into_iter()
        .map(|g| (g.question_id, g.points))
        .collect())
}

/// Each question's answer for scoring: the options chosen, `Some(vec![])` for a written
/// answer, `None` where nothing was answered.
fn for_scoring(
    questions: &[quiz_question::Model],
    answers: &[QuizAnswer],
) -> Vec<Option<Vec<u32>>> {
    questions
        .iter()
        .map(|q| {
            answers.iter().find(|a| a.question_id == q.id).map(|a| {
                if q.kind == QuestionKind::ShortText {
                    vec![]
                } else {
                    a.chosen.clone()
                }
            })
        })
        .collect()
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
    let answers = answers_of(a)?;
    let grades = grades_of(a)?;
    let mut results = Vec::new();
    if a.status != QuizAttemptStatus::Open {
        for q in &asked {
            let answer = answers.iter().find(|x| x.question_id == q.id);
            let chosen = answer.map(|x| x.chosen.clone()).unwrap_or_default();
            let awarded = grades.get(&q.id).copied();
            let right = if q.kind == QuestionKind::ShortText {
                awarded == Some(q.points.max(0) as u32)
            } else {
                keyed(q)?.is_right(&chosen)
            };
            results.push(QuizResultView {
                question_id: q.id,
                chosen,
                text: answer.and_then(|x| x.text.clone()),
                right,
                awarded,
            });
        }
    }
    Ok(QuizAttemptView {
        id: a.id,
        case_id: a.case_id,
        lesson_id: a.lesson_id,
        attempt_no: a.attempt_no,
        max_attempts: l.max_attempts.unwrap_or(1),
        submitted: a.status != QuizAttemptStatus::Open,
        status: a.status,
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
        awaiting_review: a.status == QuizAttemptStatus::AwaitingReview,
        version: a.version,
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
    // A quiz, or a lesson with a test after it.
    if l.pass_percent.is_none() {
        return Err(ErrorCode::NotAQuiz.into());
    }
    let questions = questions_of(work.db(), l.id).await?;
    let mine = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::CaseId.eq(c.id))
        .filter(quiz_attempt::Column::LessonId.eq(l.id));
    if let Some(open) = mine
        .clone()
        .filter(quiz_attempt::Column::Status.eq(QuizAttemptStatus::Open))
        .one(work.db())
        .await?
    {
        let v = attempt_view(&open, &l, &questions)?;
        work.commit().await?;
        return Ok((StatusCode::OK, Json(v)));
    }
    QUIZ_ATTEMPT.may(QuizAttemptAction::Start, Party::person(caller.role, None))?;
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
        started_at: Set(state.clock.now()),
        submitted_at: Set(None),
        version: Set(1),
        grades: Set(None),
        graded_by: Set(None),
        graded_at: Set(None),
        status: Set(QuizAttemptStatus::Open),
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
    // Handed in already: said before the answers are read.
    QUIZ_ATTEMPT.check(
        QuizAttemptAction::Submit,
        a.status,
        Party::person(caller.role, None),
    )?;
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
            if k.kind == QuestionKind::ShortText {
                answer.chosen.is_empty()
                    && answer.text.as_deref().is_some_and(|t| !t.trim().is_empty())
            } else {
                answer.text.is_none()
                    && answer.chosen.len() <= k.options
                    && answer.chosen.iter().all(|&c| (c as usize) < k.options)
            }
        });
        if !fits || !seen.insert(answer.question_id) {
            return Err(ApiError::field(
                format!("answers[{i}]"),
                Said::new(
                    "an answer, once, to a question of this attempt: options among its own, or for a short text the text",
                    "须对本次作答的题目作答一次：在其选项中选择，简答题填写文字",
                ),
            ));
        }
        if let Some(t) = &answer.text {
            check_paragraphs(&format!("answers[{i}].text"), t.trim(), 2000)?;
        }
    }
    let answers = for_scoring(&questions, &req.answers);
    let s = score(
        &keyed_questions,
        &answers,
        &[],
        l.pass_percent.unwrap_or(100).max(0) as u32,
    );
    let now = state.clock.now();
    let action = if s.awaiting_review {
        QuizAttemptAction::SubmitForReview
    } else {
        QuizAttemptAction::Submit
    };
    let a = apply(
        work.db(),
        &QUIZ_ATTEMPT,
        action,
        Party::person(caller.role, None),
        &a,
        None,
        |q| {
            use quiz_attempt::Column as C;
            q.col_expr(C::Answers, Expr::value(json!(req.answers)))
                .col_expr(C::Points, Expr::value(s.points as i32))
                .col_expr(C::Percent, Expr::value(s.percent as i32))
                .col_expr(
                    C::Passed,
                    Expr::value((!s.awaiting_review).then_some(s.passed)),
                )
                .col_expr(C::SubmittedAt, Expr::value(now))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::QuizSubmitted,
        "case",
        c.id,
        json!({ "attempt_id": a.id, "points": s.points, "passed": s.passed }),
    )
    .await?;
    let v = attempt_view(&a, &l, &questions)?;
    work.commit().await?;
    Ok(Json(v))
}

/// A case's quiz attempts, latest first, with their answers (the supervisee their own,
/// officers of the case; not volunteers).
#[utoipa::path(get, path = "/cases/{id}/quiz-attempts", tag = "learning", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<QuizAttemptView>), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<QuizAttemptView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = quiz_attempt::Entity::find().filter(quiz_attempt::Column::CaseId.eq(id));
    let Page {
        items: attempts,
        next,
    } = page.rows(&state.db, find, Order::NewestFirst).await?;
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
    Ok(Json(Page { items: views, next }))
}

crate::seek_by!(quiz_attempt, StartedAt, started_at);

/// One attempt with its answers (the person's own, or their officers' — grading opens it).
#[utoipa::path(get, path = "/quiz-attempts/{id}", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = QuizAttemptView), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<QuizAttemptView>> {
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&state.db, &caller, a.case_id).await?;
    let l = lesson::Entity::find_by_id(a.lesson_id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let qs = questions_of(&state.db, l.id).await?;
    Ok(Json(attempt_view(&a, &l, &qs)?))
}

/// An officer of the case grades an attempt's written answers — every one, each 0 to its
/// question's points — at the version seen; the attempt is then scored, passed or failed.
/// Audited.
#[utoipa::path(post, path = "/quiz-attempts/{id}/grade", tag = "learning", params(("id" = Uuid, Path)), request_body = QuizGrade,
    responses((status = 200, body = QuizAttemptView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn grade(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<QuizGrade>,
) -> ApiResult<Json<QuizAttemptView>> {
    let work = Work::begin(&state).await?;
    let a = quiz_attempt::Entity::find_by_id(id)
        .lock_exclusive()
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case_for_write(work.db(), &caller, a.case_id).await?;
    QUIZ_ATTEMPT.check(
        QuizAttemptAction::Grade,
        a.status,
        Party::person(caller.role, None),
    )?;
    if a.version != req.version {
        return Err(ErrorCode::Conflict.into());
    }
    let l = lesson::Entity::find_by_id(a.lesson_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let questions = questions_of(work.db(), l.id).await?;
    let answers = answers_of(&a)?;
    let written: Vec<&quiz_question::Model> = questions
        .iter()
        .filter(|q| {
            q.kind == QuestionKind::ShortText && answers.iter().any(|x| x.question_id == q.id)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (i, g) in req.grades.iter().enumerate() {
        let fits = written
            .iter()
            .find(|q| q.id == g.question_id)
            .is_some_and(|q| g.points <= q.points.max(0) as u32);
        if !fits || !seen.insert(g.question_id) {
            return Err(ApiError::field(
                format!("grades[{i}]"),
                Said::new(
                    "points, once, for a written answer of this attempt: 0 to its question's points",
                    "须对本次作答的每道简答评分一次：0 到该题分值",
                ),
            ));
        }
    }
    if seen.len() != written.len() {
        return Err(ApiError::field(
            "grades",
            Said::new("a grade for every written answer", "须为每道简答评分"),
        ));
    }
    let graded: Vec<Option<u32>> = questions
        .iter()
        .map(|q| {
            req.grades
                .iter()
                .find(|g| g.question_id == q.id)
                .map(|g| g.points)
        })
        .collect();
    let keyed_questions: Vec<Keyed> = questions.iter().map(keyed).collect::<ApiResult<_>>()?;
    let s = score(
        &keyed_questions,
        &for_scoring(&questions, &answers),
        &graded,
        l.pass_percent.unwrap_or(100).max(0) as u32,
    );
    let now = state.clock.now();
    let a = apply(
        work.db(),
        &QUIZ_ATTEMPT,
        QuizAttemptAction::Grade,
        Party::person(caller.role, None),
        &a,
        Some(req.version),
        |q| {
            q.col_expr(quiz_attempt::Column::Grades, Expr::value(json!(req.grades)))
                .col_expr(quiz_attempt::Column::GradedBy, Expr::value(caller.id))
                .col_expr(quiz_attempt::Column::GradedAt, Expr::value(now))
                .col_expr(quiz_attempt::Column::Points, Expr::value(s.points as i32))
                .col_expr(quiz_attempt::Column::Percent, Expr::value(s.percent as i32))
                .col_expr(quiz_attempt::Column::Passed, Expr::value(s.passed))
        },
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::QuizGraded,
        "case",
        c.id,
        json!({ "attempt_id": a.id, "points": s.points, "passed": s.passed }),
    )
    .await?;
    let v = attempt_view(&a, &l, &questions)?;
    work.commit().await?;
    Ok(Json(v))
}
