//! Courses: authored as drafts by an officer of a county agency (or above) with their lessons,
//! published to every unit under the authoring one, archived when retired. Officers see the
//! courses of their units above and below; a supervisee sees the published ones that reach
//! their unit.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use huijiao_core::api::{CourseCreate, CourseDecision, CourseView, LessonCreate, Page, Problem};
use huijiao_core::model::{AuditAction, Role};
use huijiao_core::policy::learning::{
    CourseAction, CourseCategory, CourseStatus, FaceCheckPolicy, LessonKind, MoveOn, COURSE,
};
use huijiao_core::policy::quiz::{
    Keyed, QuestionProblem, DEFAULT_MAX_ATTEMPTS, DEFAULT_PASS_PERCENT,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::{course_view, question_counts};
use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer, RequestParty, Supervisee};
use crate::entities::{case, course, lesson, quiz_question};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::org::{path_and_above, units_reaching};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::{check_paragraphs, check_text};
use crate::work::Work;

fn check_lesson(i: usize, l: &LessonCreate) -> ApiResult<()> {
    let field = |name: &str| format!("lessons[{i}].{name}");
    check_text(&field("title"), &l.title, 200)?;
    if l.kind == LessonKind::Unknown {
        return Err(ApiError::field(
            field("kind"),
            Said::new(
                "video, audio, text, pdf or quiz",
                "须为 video、audio、text、pdf 或 quiz",
            ),
        ));
    }
    match (&l.body, l.kind) {
        (Some(body), LessonKind::Text) => check_paragraphs(&field("body"), body, 100_000)?,
        (None, LessonKind::Text) => {
            return Err(ApiError::field(
                field("body"),
                Said::new("a text lesson needs its text", "文字课程须有正文"),
            ))
        }
        (Some(_), _) => {
            return Err(ApiError::field(
                field("body"),
                Said::new("only a text lesson has a body", "只有文字课程有正文"),
            ))
        }
        (None, _) => {}
    }
    let timed = matches!(l.kind, LessonKind::Video | LessonKind::Audio);
    if timed != (l.duration_secs > 0) || l.duration_secs > 36_000 {
        return Err(ApiError::field(
            field("duration_secs"),
            Said::new(
                "the length of a video or audio lesson, 1 to 36000 seconds; 0 for the others",
                "视频或音频课程的时长，1 到 36000 秒；其他课程为 0",
            ),
        ));
    }
    check_quiz(i, l)?;
    check_rules(i, l)?;
    if l.min_minutes > 600 || (timed && u64::from(l.min_minutes) * 60 > u64::from(l.duration_secs))
    {
        return Err(ApiError::field(
            field("min_minutes"),
            Said::new(
                "at most 600, and no longer than the video or audio",
                "最多 600，且不超过视频或音频时长",
            ),
        ));
    }
    Ok(())
}

/// The lesson's completion rule (one it can meet) and its own face checks (not on a quiz:
/// nothing is studied by the clock there).
fn check_rules(i: usize, l: &LessonCreate) -> ApiResult<()> {
    let field = |name: &str| format!("lessons[{i}].{name}");
    let has_questions = !l.questions.is_empty();
    if l.move_on.is_some_and(|m| !m.fits(l.kind, has_questions)) {
        return Err(ApiError::field(
            field("move_on"),
            Said::new(
                "completed (a lesson studied by the clock), passed (a lesson with questions), completed_and_passed or completed_or_passed (both)",
                "completed（按时长学习的课程）、passed（带题目的课程）、completed_and_passed 或 completed_or_passed（两者兼有）",
            ),
        ));
    }
    if let Some(p) = l.face_checks {
        if l.kind == LessonKind::Quiz || p.per_hour > FaceCheckPolicy::MAX_PER_HOUR {
            return Err(ApiError::field(
                field("face_checks"),
                Said::new(
                    "at most 12 an hour, and not on a quiz",
                    "每小时最多 12 次，测验不设人脸核验",
                ),
            ));
        }
    }
    Ok(())
}

/// A lesson's questions, pass mark and attempts: a quiz has questions, any other lesson may
/// carry a test to take after it; the pass mark and attempts go with questions only.
fn check_quiz(i: usize, l: &LessonCreate) -> ApiResult<()> {
    let field = |name: &str| format!("lessons[{i}].{name}");
    if l.questions.is_empty() {
        if l.kind == LessonKind::Quiz {
            return Err(ApiError::field(
                field("questions"),
                Said::new("a quiz has 1 to 100 questions", "测验须有 1 到 100 道题"),
            ));
        }
        if l.pass_percent.is_some() || l.max_attempts.is_some() {
            return Err(ApiError::field(
                field("pass_percent"),
                Said::new(
                    "only a lesson with questions has a pass mark and attempts",
                    "只有带题目的课程有及格线和作答次数",
                ),
            ));
        }
        return Ok(());
    }
    if l.questions.len() > 100 {
        return Err(ApiError::field(
            field("questions"),
            Said::new("at most 100 questions", "最多 100 道题"),
        ));
    }
    if l.pass_percent.is_some_and(|p| !(1..=100).contains(&p)) {
        return Err(ApiError::field(
            field("pass_percent"),
            Said::new("1 to 100", "须为 1 到 100"),
        ));
    }
    if l.max_attempts.is_some_and(|a| !(1..=10).contains(&a)) {
        return Err(ApiError::field(
            field("max_attempts"),
            Said::new("1 to 10", "须为 1 到 10"),
        ));
    }
    for (j, q) in l.questions.iter().enumerate() {
        let at = |name: &str| format!("lessons[{i}].questions[{j}].{name}");
        check_text(&at("prompt"), &q.prompt, 1000)?;
        for (k, o) in q.options.iter().enumerate() {
            check_text(&at(&format!("options[{k}]")), o, 200)?;
        }
        let keyed = Keyed {
            kind: q.kind,
            options: q.options.len(),
            key: q.key.clone(),
            points: q.points,
        };
        if let Err(problem) = keyed.check() {
            let (name, said) = match problem {
                QuestionProblem::Kind => (
                    "kind",
                    Said::new(
                        "single, multiple, true_false or short_text",
                        "须为 single、multiple、true_false 或 short_text",
                    ),
                ),
                QuestionProblem::Options => (
                    "options",
                    Said::new(
                        "2 to 10 options (true/false: exactly 2; short text: none)",
                        "须有 2 到 10 个选项（判断题恰为 2 个，简答题没有选项）",
                    ),
                ),
                QuestionProblem::Key => (
                    "key",
                    Said::new(
                        "the right options' indices: one, or for multiple choice one or more, each once; none for a short text",
                        "正确选项的序号：单选和判断题一个，多选题至少一个，不得重复；简答题不填",
                    ),
                ),
                QuestionProblem::Points => ("points", Said::new("1 to 100", "须为 1 到 100")),
            };
            return Err(ApiError::field(at(name), said));
        }
    }
    Ok(())
}

/// A course's (or a lecture's) category must be one this server knows.
pub(super) fn check_category(category: CourseCategory) -> ApiResult<()> {
    if category == CourseCategory::Unknown {
        return Err(ApiError::field(
            "category",
            Said::new("a course category", "须为课程类别"),
        ));
    }
    Ok(())
}

/// A new course, a draft of the officer's unit (county agency or above), with its lessons.
#[utoipa::path(post, path = "/courses", tag = "learning", request_body = CourseCreate,
    responses((status = 201, body = CourseView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<CourseCreate>,
) -> ApiResult<(StatusCode, Json<CourseView>)> {
    check_text("title", &req.title, 200)?;
    check_category(req.category)?;
    if let Some(d) = &req.description {
        check_paragraphs("description", d, 5000)?;
    }
    if req.lessons.is_empty() || req.lessons.len() > 100 {
        return Err(ApiError::field(
            "lessons",
            Said::new("1 to 100 lessons", "须为 1 到 100 节课"),
        ));
    }
    for (i, l) in req.lessons.iter().enumerate() {
        check_lesson(i, l)?;
    }
    let work = Work::begin(&state).await?;
    let party = crate::org::party(work.db(), &caller).await?;
    // Authoring needs the level publishing does: a judicial office cannot make a draft either.
    COURSE
        .check(CourseAction::Publish, CourseStatus::Draft, party)
        .map_err(|_| ErrorCode::CourseAuthorLevel)?;
    let unit_id = caller.unit_id.ok_or(ErrorCode::Forbidden)?;
    let now = state.clock.now();
    let row = course::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit_id),
        unit_path: Set(crate::org::unit_path(work.db(), unit_id).await?),
        title: Set(req.title.trim().to_owned()),
        category: Set(req.category),
        description: Set(req.description.as_deref().map(str::trim).map(str::to_owned)),
        status: Set(CourseStatus::Draft),
        published_at: Set(None),
        created_by: Set(Some(caller.id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(work.db())
    .await?;
    let mut lessons = Vec::new();
    for (i, l) in req.lessons.iter().enumerate() {
        let has_questions = !l.questions.is_empty();
        lessons.push(
            lesson::ActiveModel {
                id: Set(Uuid::now_v7()),
                course_id: Set(row.id),
                ordinal: Set(i as i32 + 1),
                title: Set(l.title.trim().to_owned()),
                kind: Set(l.kind),
                body: Set(l.body.clone()),
                duration_secs: Set(l.duration_secs as i32),
                min_minutes: Set(l.min_minutes as i32),
                seek_allowed: Set(l.seek_allowed),
                pass_percent: Set(
                    has_questions.then(|| l.pass_percent.unwrap_or(DEFAULT_PASS_PERCENT) as i32)
                ),
                max_attempts: Set(
                    has_questions.then(|| l.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS) as i32)
                ),
                media_key: Set(None),
                media_type: Set(None),
                media_bytes: Set(None),
                move_on: Set(l
                    .move_on
                    .unwrap_or_else(|| MoveOn::default_for(l.kind, has_questions))),
                face_check_at_start: Set(l.face_checks.map(|p| p.at_start)),
                face_checks_per_hour: Set(l.face_checks.map(|p| p.per_hour as i32)),
            }
            .insert(work.db())
            .await?,
        );
        let lesson_id = lessons.last().map(|m| m.id).unwrap_or_default();
        for (j, q) in l.questions.iter().enumerate() {
            quiz_question::ActiveModel {
                id: Set(Uuid::now_v7()),
                lesson_id: Set(lesson_id),
                ordinal: Set(j as i32 + 1),
                kind: Set(q.kind),
                prompt: Set(q.prompt.trim().to_owned()),
                options: Set(json!(q
                    .options
                    .iter()
                    .map(|o| o.trim())
                    .collect::<Vec<_>>())),
                key: Set(json!(q.key)),
                points: Set(q.points as i32),
            }
            .insert(work.db())
            .await?;
        }
    }
    work.audit(
        &Actor::from(&caller),
        AuditAction::CourseCreated,
        "course",
        row.id,
        json!({ "lessons": lessons.len() }),
    )
    .await?;
    let questions = question_counts(work.db(), &lessons).await?;
    work.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(course_view(row, lessons, &questions)),
    ))
}

/// Which courses the caller may see: an officer those of their own subtree and the published
/// (or archived) ones of the units above; a supervisee the published ones of the units above
/// their case's unit.
async fn visible(db: &impl ConnectionTrait, caller: &AuthUser) -> ApiResult<Condition> {
    match caller.role {
        Role::Officer => {
            let path = caller.unit_path.as_deref().ok_or(ErrorCode::Forbidden)?;
            // Drafts stay with the authoring unit and the units above it.
            Ok(Condition::any()
                .add(
                    Condition::all()
                        .add(course::Column::UnitPath.is_in(path_and_above(path)))
                        .add(course::Column::Status.ne(CourseStatus::Draft.as_str())),
                )
                .add(course::Column::UnitPath.like(format!("{path}%"))))
        }
        Role::Supervisee => Ok(Condition::all()
            .add(course::Column::UnitPath.is_in(units_reaching(db, caller).await?))
            .add(course::Column::Status.eq(CourseStatus::Published.as_str()))),
        _ => Err(ErrorCode::Forbidden.into()),
    }
}

/// A course the caller may see, with its lessons in order (else 404).
pub(super) async fn find_course(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<(course::Model, Vec<lesson::Model>)> {
    let row = course::Entity::find_by_id(id)
        .filter(visible(db, caller).await?)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(id))
        .order_by_asc(lesson::Column::Ordinal)
        .all(db)
        .await?;
    Ok((row, lessons))
}

/// The courses the caller may see, newest first: for a supervisee, what they can study.
#[utoipa::path(get, path = "/courses", tag = "learning", params(PageQuery),
    responses((status = 200, body = Page<CourseView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: RequestParty,
    page: PageRequest,
) -> ApiResult<Json<Page<CourseView>>> {
    let find = course::Entity::find().filter(visible(&state.db, &caller).await?);
    let Page { items: rows, next } = page.rows(&state.db, find, Order::NewestFirst).await?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let all = lesson::Entity::find()
        .filter(lesson::Column::CourseId.is_in(ids))
        .order_by_asc(lesson::Column::Ordinal)
        .all(&state.db)
        .await?;
    let questions = question_counts(&state.db, &all).await?;
    let mut lessons: HashMap<Uuid, Vec<lesson::Model>> = HashMap::new();
    for l in all {
        lessons.entry(l.course_id).or_default().push(l);
    }
    Ok(Json(Page {
        items: rows
            .into_iter()
            .map(|c| {
                let mine = lessons.remove(&c.id).unwrap_or_default();
                course_view(c, mine, &questions)
            })
            .collect(),
        next,
    }))
}

crate::seek_by!(course, CreatedAt, created_at);

#[utoipa::path(get, path = "/courses/{id}", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CourseView>> {
    let (row, lessons) = find_course(&state.db, &caller, id).await?;
    let questions = question_counts(&state.db, &lessons).await?;
    Ok(Json(course_view(row, lessons, &questions)))
}

/// A lesson the supervisee may study (of a published course that reaches them, else 404) and
/// their case, which must be active; the case is locked for the rest of the transaction, so
/// two starts at once (two phones, a double tap) go one after the other.
pub(super) async fn lesson_to_study(
    db: &impl ConnectionTrait,
    caller: &Supervisee,
    id: Uuid,
) -> ApiResult<(lesson::Model, case::Model)> {
    let l = lesson::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_course(db, caller, l.course_id).await?;
    let c = crate::cases::own_case(db, caller).await?;
    huijiao_core::policy::require_active(c.status)?;
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(db)
        .await?;
    Ok((l, c))
}

/// A course the officer may change: one of their own unit's subtree (else 403 for one seen
/// from below, 404 for one not seen at all), with its lessons.
pub(super) async fn course_to_change(
    db: &impl ConnectionTrait,
    caller: &Officer,
    id: Uuid,
) -> ApiResult<(course::Model, Vec<lesson::Model>)> {
    let (row, lessons) = find_course(db, caller, id).await?;
    let own = caller
        .unit_path
        .as_deref()
        .is_some_and(|p| row.unit_path.starts_with(p));
    if !own {
        // Seen from below: a course of a unit above is not theirs to change.
        return Err(ErrorCode::Forbidden.into());
    }
    Ok((row, lessons))
}

/// Publishing or archiving a course of the officer's own subtree, at the version seen.
async fn decide(
    state: &AppState,
    caller: &Officer,
    id: Uuid,
    action: CourseAction,
    version: i32,
) -> ApiResult<Json<CourseView>> {
    let work = Work::begin(state).await?;
    let (row, lessons) = course_to_change(work.db(), caller, id).await?;
    let party = crate::org::party(work.db(), caller).await?;
    let now = state.clock.now();
    let row = apply(
        work.db(),
        &COURSE,
        action,
        party,
        &row,
        Some(version),
        |q| {
            let q = q.col_expr(course::Column::UpdatedAt, Expr::value(now));
            if action == CourseAction::Publish {
                q.col_expr(course::Column::PublishedAt, Expr::value(now))
            } else {
                q
            }
        },
    )
    .await?;
    let audit = match action {
        CourseAction::Publish => AuditAction::CoursePublished,
        CourseAction::Archive => AuditAction::CourseArchived,
    };
    work.audit(&Actor::from(caller), audit, "course", row.id, json!({}))
        .await?;
    let questions = question_counts(work.db(), &lessons).await?;
    work.commit().await?;
    Ok(Json(course_view(row, lessons, &questions)))
}

/// Publishes a draft: from now it reaches every unit under the authoring one.
#[utoipa::path(post, path = "/courses/{id}/publish", tag = "learning", params(("id" = Uuid, Path)), request_body = CourseDecision,
    responses((status = 200, body = CourseView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CourseDecision>,
) -> ApiResult<Json<CourseView>> {
    decide(&state, &caller, id, CourseAction::Publish, req.version).await
}

/// Archives a course: no new study sessions; what was credited stays.
#[utoipa::path(post, path = "/courses/{id}/archive", tag = "learning", params(("id" = Uuid, Path)), request_body = CourseDecision,
    responses((status = 200, body = CourseView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn archive(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CourseDecision>,
) -> ApiResult<Json<CourseView>> {
    decide(&state, &caller, id, CourseAction::Archive, req.version).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_and_the_units_above_it() {
        assert_eq!(
            crate::org::path_and_above("/p/c/k/"),
            ["/p/", "/p/c/", "/p/c/k/"]
        );
    }
}
