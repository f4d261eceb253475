//! A case's study record as xAPI statements (`api::xapi`), for a provincial platform's
//! learning record store: each lesson opened (launched), completed and left (terminated) with
//! the time credited, each quiz submitted (passed / failed, with its score), each lesson whose
//! completion rule was met (satisfied, cmi5), each lecture attended with the minutes it
//! credited. Officers of the case export it; audited.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    iso_duration, xapi_activity, xapi_actor, xapi_statement_id, Problem, XapiResult, XapiScore,
    XapiStatement, XapiVerbKind,
};
use huijiao_core::model::AuditAction;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::Officer;
use crate::cases::find_case;
use crate::entities::{lecture, lecture_attendance, lesson, quiz_attempt, study_session};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

#[utoipa::path(get, path = "/cases/{id}/xapi-statements", tag = "learning", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<XapiStatement>), (status = 404, body = Problem)))]
pub async fn export(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<XapiStatement>>> {
    let work = Work::begin(&state).await?;
    let c = find_case(work.db(), &caller, id).await?;
    let db = work.db();
    let sessions = study_session::Entity::find()
        .filter(study_session::Column::CaseId.eq(c.id))
        .order_by_asc(study_session::Column::OpenedAt)
        .all(db)
        .await?;
    let attempts = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::CaseId.eq(c.id))
        .filter(quiz_attempt::Column::SubmittedAt.is_not_null())
        .all(db)
        .await?;
    let attended = lecture_attendance::Entity::find()
        .filter(lecture_attendance::Column::CaseId.eq(c.id))
        .filter(lecture_attendance::Column::CreditedMinutes.gt(0))
        .all(db)
        .await?;
    let lesson_ids: HashSet<Uuid> = sessions
        .iter()
        .map(|s| s.lesson_id)
        .chain(attempts.iter().map(|a| a.lesson_id))
        .collect();
    let lessons: HashMap<Uuid, lesson::Model> = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(lesson_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let lectures: HashMap<Uuid, lecture::Model> = lecture::Entity::find()
        .filter(lecture::Column::Id.is_in(attended.iter().map(|a| a.lecture_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();

    let actor = xapi_actor(&state.config.public_url, c.id);
    let title = |id: &Uuid| lessons.get(id).map(|l| l.title.clone()).unwrap_or_default();
    let statement = |source: Uuid, verb: XapiVerbKind, object, result, timestamp| XapiStatement {
        id: xapi_statement_id(source, verb),
        actor: actor.clone(),
        verb: verb.verb(),
        object,
        result,
        timestamp,
    };
    let studied = |ms: i64, completion: Option<bool>| XapiResult {
        duration: Some(iso_duration(ms.max(0) as u64)),
        success: None,
        completion,
        score: None,
    };
    let mut out = Vec::new();
    for s in &sessions {
        let object = || xapi_activity("lesson", s.lesson_id, &title(&s.lesson_id));
        out.push(statement(
            s.id,
            XapiVerbKind::Launched,
            object(),
            None,
            s.opened_at,
        ));
        if s.completed {
            let at = s.last_beat_at.unwrap_or(s.opened_at);
            let result = Some(studied(s.credited_ms, Some(true)));
            out.push(statement(
                s.id,
                XapiVerbKind::Completed,
                object(),
                result,
                at,
            ));
        }
        if let Some(at) = s.ended_at {
            let result = Some(studied(s.credited_ms, Some(s.completed)));
            out.push(statement(
                s.id,
                XapiVerbKind::Terminated,
                object(),
                result,
                at,
            ));
        }
    }
    for a in &attempts {
        let (Some(at), Some(passed)) = (a.submitted_at, a.passed) else {
            continue;
        };
        let max = f64::from(a.max_points.max(1));
        let raw = f64::from(a.points.unwrap_or(0));
        let verb = if passed {
            XapiVerbKind::Passed
        } else {
            XapiVerbKind::Failed
        };
        let result = XapiResult {
            duration: None,
            success: Some(passed),
            completion: Some(true),
            score: Some(XapiScore {
                scaled: (raw / max).clamp(0.0, 1.0),
                raw,
                min: 0.0,
                max,
            }),
        };
        let object = xapi_activity("lesson", a.lesson_id, &title(&a.lesson_id));
        out.push(statement(a.id, verb, object, Some(result), at));
    }
    // Each lesson done by its own rule: satisfied when the last thing it needed happened,
    // named after the record that did it (so the statement id is the person's own).
    type First = Option<(DateTime<Utc>, Uuid)>;
    let mut firsts: HashMap<Uuid, (First, First)> = HashMap::new();
    for s in sessions.iter().filter(|s| s.completed) {
        let at = (s.last_beat_at.unwrap_or(s.opened_at), s.id);
        let first = &mut firsts.entry(s.lesson_id).or_default().0;
        *first = Some(first.map_or(at, |f| f.min(at)));
    }
    for a in attempts.iter().filter(|a| a.passed == Some(true)) {
        let Some(at) = a.submitted_at else { continue };
        let first = &mut firsts.entry(a.lesson_id).or_default().1;
        *first = Some(first.map_or((at, a.id), |f| f.min((at, a.id))));
    }
    for (lesson_id, (completed, passed)) in firsts {
        let Some(l) = lessons.get(&lesson_id) else {
            continue;
        };
        if let Some((at, source)) = l.move_on.met_at(completed, passed) {
            let object = xapi_activity("lesson", l.id, &l.title);
            let result = XapiResult {
                duration: None,
                success: None,
                completion: Some(true),
                score: None,
            };
            out.push(statement(
                source,
                XapiVerbKind::Satisfied,
                object,
                Some(result),
                at,
            ));
        }
    }
    for a in &attended {
        let Some(l) = lectures.get(&a.lecture_id) else {
            continue;
        };
        let result = studied(i64::from(a.credited_minutes) * 60_000, Some(true));
        let object = xapi_activity("lecture", l.id, &l.title);
        let at = a.arrived_at.unwrap_or(l.starts_at);
        out.push(statement(
            a.id,
            XapiVerbKind::Attended,
            object,
            Some(result),
            at,
        ));
    }
    out.sort_by_key(|s| s.timestamp);
    work.audit(
        &Actor::from(&caller),
        AuditAction::LearningXapiExported,
        "case",
        c.id,
        json!({ "statements": out.len() }),
    )
    .await?;
    work.commit().await?;
    Ok(Json(out))
}
