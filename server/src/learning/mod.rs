//! Education (教育学习): courses and their lessons (`courses`), study sessions credited from the
//! app's heartbeats by the core's `policy::learning::credit` (`sessions`), and the monthly
//! ledger of minutes owed and credited (`ledger`).

mod courses;
pub mod ledger;
pub mod sessions;

use huijiao_core::api::{CourseView, LessonView, StudySessionView};
use huijiao_core::policy::learning::{LearningRules, StudySessionStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::entities::{course, lesson, study_session};
use crate::jobs::announce;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(courses::create, courses::list))
        .routes(routes!(courses::get_one))
        .routes(routes!(courses::publish))
        .routes(routes!(courses::archive))
        .routes(routes!(sessions::open))
        .routes(routes!(sessions::beats))
        .routes(routes!(sessions::finish))
        .routes(routes!(sessions::of_case))
        .routes(routes!(ledger::month))
        .routes(routes!(ledger::adjust))
        .routes(routes!(ledger::shortfalls))
}

pub(crate) fn course_view(c: course::Model, lessons: Vec<lesson::Model>) -> CourseView {
    CourseView {
        id: c.id,
        unit_id: c.unit_id,
        title: c.title,
        category: c.category,
        description: c.description,
        status: c.status,
        lessons: lessons
            .into_iter()
            .map(|l| LessonView {
                id: l.id,
                ordinal: l.ordinal,
                title: l.title,
                kind: l.kind,
                body: l.body,
                duration_secs: l.duration_secs,
                min_minutes: l.min_minutes,
                seek_allowed: l.seek_allowed,
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
    }
}

/// Periodic work of this domain (run by `jobs`).
pub const JOBS: &[crate::jobs::Job] = &[
    crate::jobs::Job {
        name: "learning.silent_sessions",
        run: |s, w, now| Box::pin(async move { sessions::end_silent(s, w.db(), now).await }),
    },
    crate::jobs::Job {
        name: "learning.month_end",
        run: |s, w, now| {
            Box::pin(
                async move { Ok(announce(w, ledger::close_last_month(s, w.db(), now).await?)) },
            )
        },
    },
];
