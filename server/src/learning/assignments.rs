//! Assigning courses: an officer assigns a published course, due by a date, to everyone under
//! their unit, to one person, or to the people at one level; a person's assigned courses come
//! with their progress (lessons done by their own rule — studied through, passed, or both) and whether they
//! are overdue (and, once, an alert for each person who let one pass its date). The person's
//! volunteers see the progress too.

use huijiao_core::policy::calendar::local_date;
use std::collections::{BTreeMap, HashSet};

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use huijiao_core::api::{AssignedCourseView, CourseAssign, CourseAssignmentView, Problem};
use huijiao_core::model::{AlertKind, AlertSeverity, AuditAction, CaseStatus};
use huijiao_core::policy::learning::{assignment_reaches, AssignmentTarget, CourseStatus};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::courses::find_course;
use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer};
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{
    assignment_overdue, case, course, course_assignment, lesson, org_unit, quiz_attempt,
    study_session,
};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

fn assignment_view(a: &course_assignment::Model) -> CourseAssignmentView {
    CourseAssignmentView {
        id: a.id,
        course_id: a.course_id,
        unit_id: a.unit_id,
        case_id: a.case_id,
        level: a.level,
        due_on: a.due_on,
        assigned_by: a.assigned_by,
        created_at: a.created_at,
    }
}

/// Assigns a published course, due by `due_on` (today to a year ahead, China time), to the
/// people under the officer's unit — all of them, one (`case_id`), or one level's. Audited.
#[utoipa::path(post, path = "/courses/{id}/assignments", tag = "learning", params(("id" = Uuid, Path)), request_body = CourseAssign,
    responses((status = 201, body = CourseAssignmentView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn assign(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CourseAssign>,
) -> ApiResult<(StatusCode, Json<CourseAssignmentView>)> {
    // Whom it is about first: nothing is said of a course or a person out of reach.
    let work = Work::begin(&state).await?;
    let (c, _) = find_course(work.db(), &caller, id).await?;
    if let Some(case_id) = req.case_id {
        find_case_for_write(work.db(), &caller, case_id).await?;
    }
    let today = state.clock.today();
    if req.due_on < today || req.due_on > today + Duration::days(366) {
        return Err(ApiError::field(
            "due_on",
            Said::new(
                "a date from today to a year ahead",
                "须为今天起一年以内的日期",
            ),
        ));
    }
    if c.status != CourseStatus::Published {
        return Err(ErrorCode::CourseTransitionInvalid.into());
    }
    let unit_id = caller.unit_id.ok_or(ErrorCode::Forbidden)?;
    let unit_path = caller.unit_path.clone().ok_or(ErrorCode::Forbidden)?;
    let row = course_assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(c.id),
        unit_id: Set(unit_id),
        unit_path: Set(unit_path),
        case_id: Set(req.case_id),
        level: Set(req.level),
        due_on: Set(req.due_on),
        assigned_by: Set(Some(caller.id)),
        created_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CourseAssigned,
        "course",
        c.id,
        json!({ "assignment_id": row.id, "case_id": req.case_id, "level": req.level, "due_on": req.due_on }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(assignment_view(&row))))
}

/// Which of `lessons` the case has done, each by its own rule (`move_on`): studied through,
/// its questions passed, or both.
pub(super) async fn completed_lessons(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    lessons: &[lesson::Model],
) -> ApiResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = lessons.iter().map(|l| l.id).collect();
    let studied: HashSet<Uuid> = study_session::Entity::find()
        .filter(study_session::Column::CaseId.eq(case_id))
        .filter(study_session::Column::Completed.eq(true))
        .filter(study_session::Column::LessonId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.lesson_id)
        .collect();
    let passed: HashSet<Uuid> = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::CaseId.eq(case_id))
        .filter(quiz_attempt::Column::Passed.eq(true))
        .filter(quiz_attempt::Column::LessonId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.lesson_id)
        .collect();
    Ok(lessons
        .iter()
        .filter(|l| {
            l.move_on
                .met(studied.contains(&l.id), passed.contains(&l.id))
        })
        .map(|l| l.id)
        .collect())
}

/// The courses assigned to a person, earliest due first, with their progress: for the
/// supervisee (what to study, by when), officers and the person's volunteers.
#[utoipa::path(get, path = "/cases/{id}/assigned-courses", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AssignedCourseView>), (status = 404, body = Problem)))]
pub async fn of_case(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<AssignedCourseView>>> {
    let db = &state.db;
    let c = find_case(db, &caller, id).await?;
    let path = crate::org::unit_path(db, c.unit_id).await?;
    let assignments = course_assignment::Entity::find()
        .filter(
            Condition::any()
                .add(course_assignment::Column::CaseId.is_null())
                .add(course_assignment::Column::CaseId.eq(c.id)),
        )
        .order_by_asc(course_assignment::Column::DueOn)
        .all(db)
        .await?;
    // One line per course, at its earliest date.
    let mut due: BTreeMap<Uuid, &course_assignment::Model> = BTreeMap::new();
    for a in assignments.iter().filter(|a| {
        let target = AssignmentTarget {
            unit_path: &a.unit_path,
            case_id: a.case_id,
            level: a.level,
        };
        assignment_reaches(&target, c.id, &path, c.level)
    }) {
        due.entry(a.course_id).or_insert(a);
    }
    let course_ids: Vec<Uuid> = due.keys().copied().collect();
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.clone()))
        .all(db)
        .await?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::CourseId.is_in(course_ids))
        .all(db)
        .await?;
    let done = completed_lessons(db, c.id, &lessons).await?;
    let today = state.clock.today();
    let mut views: Vec<AssignedCourseView> = courses
        .iter()
        .filter_map(|course| {
            let a = due.get(&course.id)?;
            let mine: Vec<&lesson::Model> = lessons
                .iter()
                .filter(|l| l.course_id == course.id)
                .collect();
            let completed_lessons = mine.iter().filter(|l| done.contains(&l.id)).count() as u32;
            let completed = completed_lessons == mine.len() as u32;
            Some(AssignedCourseView {
                assignment_id: a.id,
                course_id: course.id,
                course_title: course.title.clone(),
                due_on: a.due_on,
                lessons: mine.len() as u32,
                lessons_completed: completed_lessons,
                completed,
                overdue: !completed && a.due_on < today,
            })
        })
        .collect();
    views.sort_by_key(|v| (v.due_on, v.course_id));
    Ok(Json(views))
}

/// Raises, once per assignment and person, an alert for an assigned course not completed by
/// its date (China time): the officer follows it up (repeated, it feeds the enforcement rules
/// as skipping education after being told). Returns the alerts' events.
pub async fn raise_overdue(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Vec<crate::events::Event>> {
    let today = local_date(now);
    let past = course_assignment::Entity::find()
        .filter(course_assignment::Column::DueOn.lt(today))
        .all(db)
        .await?;
    if past.is_empty() {
        return Ok(vec![]);
    }
    let raised: HashSet<(Uuid, Uuid)> = assignment_overdue::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.assignment_id, o.case_id))
        .collect();
    let cases = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Active.as_str()))
        .all(db)
        .await?;
    let paths: std::collections::HashMap<Uuid, String> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.path))
        .collect();
    let mut events = Vec::new();
    for a in &past {
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::CourseId.eq(a.course_id))
            .all(db)
            .await?;
        let target = AssignmentTarget {
            unit_path: &a.unit_path,
            case_id: a.case_id,
            level: a.level,
        };
        for c in &cases {
            let path = paths.get(&c.unit_id).map_or("", String::as_str);
            if raised.contains(&(a.id, c.id)) || !assignment_reaches(&target, c.id, path, c.level) {
                continue;
            }
            let done = completed_lessons(db, c.id, &lessons).await?;
            if done.len() >= lessons.len() {
                continue;
            }
            let (alert, event) = crate::alerts::raise(
                db,
                now,
                c,
                AlertKind::LearningOverdue,
                AlertSeverity::Medium,
                json!({ "assignment_id": a.id, "course_id": a.course_id, "due_on": a.due_on,
                        "lessons": lessons.len(), "lessons_completed": done.len() }),
            )
            .await?;
            assignment_overdue::ActiveModel {
                assignment_id: Set(a.id),
                case_id: Set(c.id),
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
