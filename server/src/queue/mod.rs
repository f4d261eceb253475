//! An officer's work queue (`GET /me/queue`): everything waiting for them at their level in
//! their jurisdiction, in one answer — leave, move and visitor requests to decide, moves in to
//! give the receiving side's opinion on, alerts not
//! yet looked at, check-ins and roll calls the face check could not settle, reflections and
//! quiz answers to mark, proposed sanctions (county), volunteers' help sessions to confirm,
//! and supervisees' new phones. The app's queue screen reads it in one round trip; each kind
//! is the same selection its own list or decision reads (the leave queue, the open moves, the
//! state machines' levels).

use std::collections::HashMap;

use axum::extract::State;
use huijiao_core::api::{
    Problem, QueueCount, QueueItemView, QueueKind, WorkQueueView, QUEUE_KIND_LIMIT,
};
use huijiao_core::model::{AlertSeverity, AlertState, DeviceStatus, RequestStatus, Role};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::checkin::{CheckinReason, CheckinResult};
use huijiao_core::policy::help::HelpStatus;
use huijiao_core::policy::learning::{QuizAttemptStatus, ReflectionStatus};
use huijiao_core::policy::rollcall::{RollCallReason, RollCallStatus};
use huijiao_core::policy::sanctions::{SanctionAction, SanctionStatus, SANCTION};
use huijiao_core::policy::transitions::{RelocationAction, RELOCATION};
use huijiao_core::{Label, Lang};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::auth::extractor::{AuthUser, Officer};
use crate::cases::identity;
use crate::entities::{
    alert, case, checkin, device, help_session, leave_request, lesson, quiz_attempt, reflection,
    relocation_request, roll_call, sanction, visitor_request,
};
use crate::error::{ApiResult, Json, Reader};
use crate::org::{officer_level, party};
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("queue", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(work_queue))
}

/// Everything waiting for the caller, each kind oldest first (at most `QUEUE_KIND_LIMIT` of
/// a kind, with how many wait in all), the subject in the reader's language and the person
/// named as any list names them (a minor masked).
#[utoipa::path(get, path = "/me/queue", tag = "queue",
    responses((status = 200, body = WorkQueueView), (status = 403, body = Problem)))]
async fn work_queue(
    State(state): State<AppState>,
    caller: Officer,
    Reader(lang): Reader,
) -> ApiResult<Json<WorkQueueView>> {
    let db = &state.db;
    let mut q = Gathered::default();
    let mine = officer_level(db, &caller).await?;
    let party = party(db, &caller).await?;

    let leaves = crate::requests::leave::waiting(&caller, mine, false)?;
    q.gather(
        db,
        QueueKind::Leave,
        leaves,
        leave_request::Column::SubmittedAt,
        |l| Draft {
            lesson_id: None,
            id: l.id,
            case_id: l.case_id,
            subject: detailed(lang, l.reason_category.label(lang), &l.destination),
            since: l.submitted_at.unwrap_or(l.created_at),
            due_on: Some(l.start_date),
            urgent: l.urgent,
            version: l.version,
        },
    )
    .await?;

    let move_line = |r: relocation_request::Model| Draft {
        lesson_id: None,
        id: r.id,
        case_id: r.case_id,
        subject: r.new_address,
        since: r.created_at,
        due_on: Some(r.move_date),
        urgent: false,
        version: r.version,
    };
    if RELOCATION.may(RelocationAction::Approve, party).is_ok() {
        let moves = crate::requests::relocation::to_decide(&caller)?;
        q.gather(
            db,
            QueueKind::Relocation,
            moves,
            relocation_request::Column::CreatedAt,
            move_line,
        )
        .await?;
    }
    if RELOCATION.may(RelocationAction::Consult, party).is_ok() {
        let moves = crate::requests::relocation::to_consult(&caller)?;
        q.gather(
            db,
            QueueKind::Consultation,
            moves,
            relocation_request::Column::CreatedAt,
            move_line,
        )
        .await?;
    }

    let visitors = visitor_request::Entity::find()
        .filter(visitor_request::Column::Status.eq(RequestStatus::Submitted.as_str()))
        .filter(visitor_request::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::Visitor,
        visitors,
        visitor_request::Column::CreatedAt,
        |v| Draft {
            lesson_id: None,
            id: v.id,
            case_id: v.case_id,
            subject: labelled(lang, v.relation.label(lang), &v.visitor_name),
            since: v.created_at,
            due_on: Some(local_date(v.meeting_at)),
            urgent: false,
            version: v.version,
        },
    )
    .await?;

    let alerts = alert::Entity::find()
        .filter(alert::Column::State.eq(AlertState::Open.as_str()))
        .filter(alert::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::Alert,
        alerts,
        alert::Column::CreatedAt,
        |a| Draft {
            lesson_id: None,
            id: a.id,
            case_id: a.case_id,
            subject: a.kind.label(lang).into(),
            since: a.created_at,
            due_on: None,
            urgent: matches!(a.severity, AlertSeverity::High | AlertSeverity::Critical),
            version: a.version,
        },
    )
    .await?;

    let checkins = checkin::Entity::find()
        .filter(checkin::Column::Result.eq(CheckinResult::NeedsReview.as_str()))
        .filter(checkin::Column::ReviewedAt.is_null())
        .filter(checkin::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::Checkin,
        checkins,
        checkin::Column::CreatedAt,
        |c| {
            let first: Option<CheckinReason> =
                serde_json::from_value::<Vec<CheckinReason>>(c.reasons)
                    .ok()
                    .and_then(|r| r.into_iter().next());
            Draft {
                lesson_id: None,
                id: c.id,
                case_id: c.case_id,
                subject: first
                    .map_or(CheckinResult::NeedsReview.label(lang), |r| r.label(lang))
                    .into(),
                since: c.created_at,
                due_on: None,
                urgent: false,
                version: c.version,
            }
        },
    )
    .await?;

    let calls = roll_call::Entity::find()
        .filter(roll_call::Column::Status.eq(RollCallStatus::NeedsReview.as_str()))
        .filter(roll_call::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::RollCall,
        calls,
        roll_call::Column::UpdatedAt,
        |r| {
            let first: Option<RollCallReason> =
                serde_json::from_value::<Vec<RollCallReason>>(r.reasons)
                    .ok()
                    .and_then(|r| r.into_iter().next());
            Draft {
                lesson_id: None,
                id: r.id,
                case_id: r.case_id,
                subject: first.map_or(r.status.label(lang), |r| r.label(lang)).into(),
                since: r.decided_at.unwrap_or(r.updated_at),
                due_on: None,
                urgent: false,
                version: r.version,
            }
        },
    )
    .await?;

    let reflections = reflection::Entity::find()
        .filter(reflection::Column::Status.eq(ReflectionStatus::Submitted.as_str()))
        .filter(reflection::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::Reflection,
        reflections,
        reflection::Column::SubmittedAt,
        |r| Draft {
            lesson_id: Some(r.lesson_id),
            id: r.id,
            case_id: r.case_id,
            subject: String::new(),
            since: r.submitted_at,
            due_on: None,
            urgent: false,
            version: r.version,
        },
    )
    .await?;

    let quizzes = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::Status.eq(QuizAttemptStatus::AwaitingReview.as_str()))
        .filter(quiz_attempt::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::QuizAttempt,
        quizzes,
        quiz_attempt::Column::SubmittedAt,
        |a| Draft {
            lesson_id: Some(a.lesson_id),
            id: a.id,
            case_id: a.case_id,
            subject: String::new(),
            since: a.submitted_at.unwrap_or(a.started_at),
            due_on: None,
            urgent: false,
            version: a.version,
        },
    )
    .await?;
    q.name_lessons(db).await?;

    if SANCTION.may(SanctionAction::Approve, party).is_ok() {
        let proposed = sanction::Entity::find()
            .filter(sanction::Column::Status.eq(SanctionStatus::Proposed.as_str()))
            .filter(sanction::Column::CaseId.in_subquery(caller.case_ids()?));
        q.gather(
            db,
            QueueKind::Sanction,
            proposed,
            sanction::Column::ProposedAt,
            |s| Draft {
                lesson_id: None,
                id: s.id,
                case_id: s.case_id,
                subject: s.sanction.label(lang).into(),
                since: s.proposed_at,
                due_on: None,
                urgent: false,
                version: s.version,
            },
        )
        .await?;
    }

    let helped = help_session::Entity::find()
        .filter(help_session::Column::Status.eq(HelpStatus::Logged.as_str()))
        .filter(help_session::Column::CaseId.in_subquery(caller.case_ids()?));
    q.gather(
        db,
        QueueKind::HelpSession,
        helped,
        help_session::Column::CreatedAt,
        |h| Draft {
            lesson_id: None,
            id: h.id,
            case_id: h.case_id,
            subject: h.kind.label(lang).into(),
            since: h.created_at,
            due_on: None,
            urgent: false,
            version: h.version,
        },
    )
    .await?;

    q.phones(db, &caller, lang).await?;
    Ok(Json(q.finish(db).await?))
}

/// "就医（西安市）", "Medical (Xi'an)".
fn detailed(lang: Lang, what: &str, detail: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{what}（{detail}）"),
        Lang::En => format!("{what} ({detail})"),
    }
}

/// "被害人：王某", "Victim: 王某".
fn labelled(lang: Lang, label: &str, value: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{label}：{value}"),
        Lang::En => format!("{label}: {value}"),
    }
}

/// An item before its person (and a reflection's or quiz's lesson) is named.
struct Draft {
    /// The lesson whose title is the subject.
    lesson_id: Option<Uuid>,
    id: Uuid,
    case_id: Uuid,
    subject: String,
    since: chrono::DateTime<chrono::Utc>,
    due_on: Option<chrono::NaiveDate>,
    urgent: bool,
    version: i32,
}

#[derive(Default)]
struct Gathered {
    items: Vec<(QueueKind, Draft)>,
    counts: Vec<QueueCount>,
}

impl Gathered {
    /// Counts `find` and keeps its oldest `QUEUE_KIND_LIMIT` rows as drafts.
    async fn gather<E>(
        &mut self,
        db: &DatabaseConnection,
        kind: QueueKind,
        find: Select<E>,
        oldest: E::Column,
        draft: impl Fn(E::Model) -> Draft,
    ) -> ApiResult<()>
    where
        E: EntityTrait,
        E::Model: FromQueryResult + Send + Sync,
    {
        let count = find.clone().count(db).await?;
        let rows = find
            .order_by_asc(oldest)
            .limit(QUEUE_KIND_LIMIT)
            .all(db)
            .await?;
        self.items
            .extend(rows.into_iter().map(|r| (kind, draft(r))));
        if count > 0 {
            self.counts.push(QueueCount { kind, count });
        }
        Ok(())
    }

    /// Reflections and quiz answers say their lesson's title.
    async fn name_lessons(&mut self, db: &DatabaseConnection) -> ApiResult<()> {
        let ids: Vec<Uuid> = self.items.iter().filter_map(|(_, d)| d.lesson_id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let titles: HashMap<Uuid, String> = lesson::Entity::find()
            .filter(lesson::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l.title))
            .collect();
        for (_, d) in &mut self.items {
            if let Some(t) = d.lesson_id.and_then(|l| titles.get(&l)) {
                d.subject = t.clone();
            }
        }
        Ok(())
    }

    /// Supervisees' phones waiting for approval: a device belongs to an account, the account
    /// to a case.
    async fn phones(
        &mut self,
        db: &DatabaseConnection,
        caller: &AuthUser,
        lang: Lang,
    ) -> ApiResult<()> {
        let users = Query::select()
            .column(case::Column::UserId)
            .from(case::Entity)
            .cond_where(caller.case_scope()?)
            .and_where(case::Column::UserId.is_not_null())
            .to_owned();
        let pending = device::Entity::find()
            .filter(device::Column::Status.eq(DeviceStatus::Pending.as_str()))
            .filter(device::Column::UserId.in_subquery(users));
        let devices = pending
            .clone()
            .order_by_asc(device::Column::FirstSeenAt)
            .limit(QUEUE_KIND_LIMIT)
            .all(db)
            .await?;
        if devices.is_empty() {
            return Ok(());
        }
        let count = pending.count(db).await?;
        let cases: HashMap<Uuid, Uuid> = case::Entity::find()
            .filter(caller.case_scope()?)
            .filter(case::Column::UserId.is_in(devices.iter().map(|d| d.user_id)))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|c| Some((c.user_id?, c.id)))
            .collect();
        for d in devices {
            let Some(&case_id) = cases.get(&d.user_id) else {
                continue;
            };
            self.items.push((
                QueueKind::Device,
                Draft {
                    lesson_id: None,
                    id: d.id,
                    case_id,
                    subject: d
                        .name
                        .unwrap_or_else(|| DeviceStatus::Pending.label(lang).into()),
                    since: d.first_seen_at,
                    due_on: None,
                    urgent: false,
                    version: 0,
                },
            ));
        }
        self.counts.push(QueueCount {
            kind: QueueKind::Device,
            count,
        });
        Ok(())
    }

    /// Names each item's person as lists name them.
    async fn finish(self, db: &DatabaseConnection) -> ApiResult<WorkQueueView> {
        let cases: HashMap<Uuid, case::Model> = case::Entity::find()
            .filter(case::Column::Id.is_in(self.items.iter().map(|(_, d)| d.case_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let items = self
            .items
            .into_iter()
            .map(|(kind, d)| QueueItemView {
                kind,
                id: d.id,
                case_id: d.case_id,
                case_name: cases
                    .get(&d.case_id)
                    .map(|c| identity(c, Role::Officer, false).0)
                    .unwrap_or_default(),
                subject: d.subject,
                since: d.since,
                due_on: d.due_on,
                urgent: d.urgent,
                version: d.version,
            })
            .collect();
        Ok(WorkQueueView {
            items,
            counts: self.counts,
        })
    }
}
