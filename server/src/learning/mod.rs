//! Education (教育学习): courses and their lessons (`courses`), study sessions credited from the
//! app's heartbeats by the core's `policy::learning::credit` (`sessions`, written by group commit
//! in `beats`) and kept honest by
//! face checks while studying (`face_checks`), quizzes scored on the server (`quizzes`) and written
//! reflections reviewed by officers (`reflections`), group
//! lectures attended on site (`lectures`), the monthly ledger of minutes owed and credited
//! (`ledger`), and the record exported as xAPI statements (`xapi`).

pub mod assignments;
pub mod beat_queue;
mod beat_writes;
pub mod beats;
mod courses;
pub(crate) mod demo;
pub mod face_checks;
mod lectures;
pub mod ledger;
mod media;
mod quizzes;
mod reflections;
pub mod sessions;
mod xapi;

use std::collections::HashMap;

use huijiao_core::api::{CourseView, LessonView, StudySessionView};
use huijiao_core::policy::learning::{LearningRules, Obligation, StudySessionStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::entities::{course, lesson, quiz_question, study_session};
use crate::error::ApiResult;
use crate::jobs::announce;
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("learning", routes)
    .jobs(JOBS)
    .uploads(&[(axum::http::Method::PUT, "/lessons/{id}/media")]);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(courses::create, courses::list))
        .routes(routes!(courses::get_one))
        .routes(routes!(courses::publish))
        .routes(routes!(courses::archive))
        .routes(routes!(sessions::open))
        .routes(routes!(beats::beats))
        .routes(routes!(sessions::finish))
        .routes(routes!(sessions::of_case))
        .routes(routes!(ledger::month))
        .routes(routes!(ledger::adjust))
        .routes(routes!(ledger::shortfalls))
        .routes(routes!(quizzes::start))
        .routes(routes!(quizzes::submit))
        .routes(routes!(quizzes::of_case))
        .routes(routes!(quizzes::grade))
        .routes(routes!(quizzes::get_one))
        .routes(routes!(assignments::assign))
        .routes(routes!(assignments::of_case))
        .routes(routes!(lectures::create, lectures::list))
        .routes(routes!(lectures::code))
        .routes(routes!(lectures::attend, lectures::roster))
        .routes(routes!(lectures::mark))
        .routes(routes!(xapi::export))
        .routes(routes!(reflections::write))
        .routes(routes!(reflections::of_case))
        .routes(routes!(reflections::review))
        .routes(routes!(reflections::get_one))
        // A lesson's file streams in, bounded by `media::MAX_MEDIA_BYTES` as it comes.
        .routes(routes!(media::upload, media::download))
}

/// How many questions each of these lessons (quizzes, and lessons with a test) has.
pub(crate) async fn question_counts(
    db: &impl ConnectionTrait,
    lessons: &[lesson::Model],
) -> ApiResult<HashMap<Uuid, u32>> {
    let ids: Vec<Uuid> = lessons
        .iter()
        .filter(|l| l.pass_percent.is_some())
        .map(|l| l.id)
        .collect();
    let mut counts = HashMap::new();
    if ids.is_empty() {
        return Ok(counts);
    }
    for q in quiz_question::Entity::find()
        .filter(quiz_question::Column::LessonId.is_in(ids))
        .all(db)
        .await?
    {
        *counts.entry(q.lesson_id).or_default() += 1;
    }
    Ok(counts)
}

pub(crate) fn lesson_view(l: lesson::Model, questions: u32) -> LessonView {
    let face_checks = l.face_checks();
    LessonView {
        id: l.id,
        ordinal: l.ordinal,
        title: l.title,
        kind: l.kind,
        body: l.body,
        duration_secs: l.duration_secs,
        min_minutes: l.min_minutes,
        seek_allowed: l.seek_allowed,
        questions,
        pass_percent: l.pass_percent,
        max_attempts: l.max_attempts,
        media_type: l.media_type,
        media_bytes: l.media_bytes,
        face_checks,
        move_on: l.move_on,
    }
}

pub(crate) fn course_view(
    c: course::Model,
    lessons: Vec<lesson::Model>,
    questions: &HashMap<Uuid, u32>,
) -> CourseView {
    CourseView {
        id: c.id,
        unit_id: c.unit_id,
        title: c.title,
        category: c.category,
        description: c.description,
        status: c.status,
        lessons: lessons
            .into_iter()
            .map(|l| {
                let n = questions.get(&l.id).copied().unwrap_or(0);
                lesson_view(l, n)
            })
            .collect(),
        published_at: c.published_at,
        version: c.version,
        created_at: c.created_at,
    }
}

pub(crate) fn session_view(s: &study_session::Model, rules: &LearningRules) -> StudySessionView {
    StudySessionView {
        id: s.id,
        case_id: s.case_id,
        lesson_id: s.lesson_id,
        status: s.status,
        opened_at: s.opened_at,
        ended_at: s.ended_at,
        last_seq: s.last_seq.max(0) as u32,
        credited_secs: s.credited_ms.max(0) as u64 / 1000,
        furthest_secs: s.furthest_ms.max(0) as u64 / 1000,
        completed: s.completed,
        heartbeat_secs: if s.status == StudySessionStatus::Open {
            rules.heartbeat_secs
        } else {
            0
        },
        face_check_by: s.face_check_by,
    }
}

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::Job {
        name: "learning.silent_sessions",
        run: |s, w, now| Box::pin(async move { sessions::end_silent(s, w.db(), now).await }),
    },
    crate::jobs::Job {
        name: "learning.face_checks",
        run: |s, w, now| Box::pin(async move { face_checks::settle_overdue(s, w, now).await }),
    },
    crate::jobs::Job {
        name: "learning.overdue",
        run: |_, w, now| {
            Box::pin(async move { Ok(announce(w, assignments::raise_overdue(w.db(), now).await?)) })
        },
    },
    crate::jobs::Job {
        name: "learning.month_end",
        run: |s, w, now| {
            Box::pin(async move {
                Ok(announce(
                    w,
                    crate::ledger::close_last_month(s, w.db(), Obligation::Education, now).await?,
                ))
            })
        },
    },
];
