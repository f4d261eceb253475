//! Leave requests (外出): the supervisee applies, the officer at the level the rules require
//! decides, the supervisee departs and reports back (销假); not back by the end date → overdue.
//! The rules themselves are `huijiao_core::policy::leave`.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use huijiao_core::api::{
    LeaveCreateRequest, LeaveDecisionRequest, LeaveExtendRequest, LeaveStepView, LeaveView, Page,
    Place, Problem,
};
use huijiao_core::model::{
    AlertKind, AlertSeverity, AuditAction, EventKind, LeaveReason, LeaveStatus, Role,
};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::leave::{self as rules};
use huijiao_core::policy::level::ApprovalLevel;
use huijiao_core::policy::transitions::{
    LeaveAction, Machine, Party, LEAVE, LEAVE_HOLDING, LEAVE_IN_FORCE, LEAVE_PENDING_OR_HOLDING,
};
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, UpdateMany,
};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::{AuthUser, Officer, Supervisee};
use crate::cases::find_case;
use crate::entities::{case, leave_request, leave_step};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::org::{officer_level, party};
use crate::paging::{Order, PageQuery, PageRequest, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::{check_paragraphs, check_text};
use crate::work::Work;

use super::workflow::{decide, take, Act, Request};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_leave, list_case_leaves))
        .routes(routes!(leave_queue))
        .routes(routes!(get_leave))
        .routes(routes!(submit_leave))
        .routes(routes!(cancel_leave))
        .routes(routes!(approve_leave))
        .routes(routes!(reject_leave))
        .routes(routes!(depart))
        .routes(routes!(report_return))
        .routes(routes!(extend_leave))
}

/// A leave as its readers see it; `today` (China time) says how long an overdue one is overdue.
async fn view(
    db: &impl ConnectionTrait,
    l: leave_request::Model,
    today: NaiveDate,
) -> ApiResult<LeaveView> {
    let steps = leave_step::Entity::find()
        .filter(leave_step::Column::LeaveId.eq(l.id))
        .order_by_asc(leave_step::Column::At)
        .all(db)
        .await?
        .into_iter()
        .map(|s| LeaveStepView {
            action: s.action,
            actor_id: s.actor_id,
            level: s.level,
            opinion: s.opinion,
            at: s.at,
        })
        .collect();
    let st = l.status;
    let sanction_suggestion = if st == LeaveStatus::Overdue {
        let sentence = case::Entity::find_by_id(l.case_id)
            .one(db)
            .await?
            .map(|c| c.sentence_kind);
        let days = (today - l.end_date).num_days();
        Some(rules::sanction_for_overdue(days, sentence))
    } else {
        None
    };
    Ok(LeaveView {
        id: l.id,
        case_id: l.case_id,
        parent_id: l.parent_id,
        reason_category: l.reason_category,
        reason_text: l.reason_text,
        destination: Place {
            name: l.destination,
            lat: l.dest_lat,
            lon: l.dest_lon,
        },
        start_date: l.start_date,
        end_date: l.end_date,
        days: l.days,
        window_total_days: l.window_total_days,
        required_level: l.required_level,
        urgent: l.urgent,
        late_notice: l.late_notice,
        standing: l.standing,
        contact_while_away: l.contact_while_away,
        status: st,
        version: l.version,
        steps,
        sanction_suggestion,
    })
}

async fn step(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    leave: Uuid,
    actor: Option<Uuid>,
    action: &str,
    level: Option<ApprovalLevel>,
    opinion: Option<String>,
) -> ApiResult<()> {
    leave_step::ActiveModel {
        id: Set(Uuid::now_v7()),
        leave_id: Set(leave),
        actor_id: Set(actor),
        action: Set(action.into()),
        level: Set(level),
        opinion: Set(opinion),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The supervisee's other leaves that hold days, for the two-month total.
async fn other_leaves(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    except: Option<Uuid>,
) -> ApiResult<Vec<(NaiveDate, NaiveDate)>> {
    let mut q = leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(case_id))
        .filter(leave_request::Column::ParentId.is_null())
        .filter(leave_request::Column::Status.is_in(LEAVE_HOLDING.map(LeaveStatus::as_str)));
    if let Some(id) = except {
        q = q.filter(leave_request::Column::Id.ne(id));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|l| (l.start_date, l.end_date))
        .collect())
}

async fn overlaps(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    start: NaiveDate,
    end: NaiveDate,
    except: Option<Uuid>,
) -> ApiResult<bool> {
    let mut q = leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(case_id))
        .filter(leave_request::Column::ParentId.is_null())
        .filter(
            leave_request::Column::Status.is_in(LEAVE_PENDING_OR_HOLDING.map(LeaveStatus::as_str)),
        )
        .filter(leave_request::Column::StartDate.lte(end))
        .filter(leave_request::Column::EndDate.gte(start));
    if let Some(id) = except {
        q = q.filter(leave_request::Column::Id.ne(id));
    }
    Ok(q.one(db).await?.is_some())
}

fn check_place(p: &Place) -> ApiResult<()> {
    check_text("destination.name", &p.name, 500)?;
    crate::validate::check_coordinates("destination", p.lat, p.lon)
}

/// The supervisee applies for leave from their own case.
#[utoipa::path(post, path = "/cases/{id}/leaves", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveCreateRequest,
    responses((status = 201, body = LeaveView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_leave(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveCreateRequest>,
) -> ApiResult<(StatusCode, Json<LeaveView>)> {
    check_paragraphs("reason_text", &req.reason_text, 2000)?;
    check_text("contact_while_away", &req.contact_while_away, 200)?;
    check_place(&req.destination)?;
    if req.reason_category == LeaveReason::Withheld {
        return Err(ApiError::field(
            "reason_category",
            Said::new(
                "medical, family, work, study, legal or other",
                "须为 medical、family、work、study、legal 或 other",
            ),
        ));
    }
    let work = Work::begin(&state).await?;
    let c = find_case(work.db(), &caller, id).await?;
    huijiao_core::policy::require_active(c.status)?;
    let today = state.clock.today();
    let lr = &state.config.rules.leave;
    let (end, a) = if req.standing {
        rules::assess_standing(lr, today, req.start_date)?
    } else {
        let others = other_leaves(work.db(), id, None).await?;
        (
            req.end_date,
            rules::assess_leave(lr, today, req.start_date, req.end_date, &others, req.urgent)?,
        )
    };
    if end > c.end_date {
        return Err(ErrorCode::LeaveBeyondTerm.into());
    }
    if overlaps(work.db(), id, req.start_date, end, None).await? {
        return Err(ErrorCode::LeaveOverlaps.into());
    }
    let now = state.clock.now();
    let l = leave_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        unit_id: Set(c.unit_id),
        parent_id: Set(None),
        reason_category: Set(req.reason_category),
        reason_text: Set(req.reason_text.trim().into()),
        destination: Set(req.destination.name.trim().into()),
        dest_lat: Set(req.destination.lat),
        dest_lon: Set(req.destination.lon),
        start_date: Set(req.start_date),
        end_date: Set(end),
        days: Set(a.days as i32),
        window_total_days: Set(a.window_total_days as i32),
        urgent: Set(req.urgent),
        late_notice: Set(a.late_notice),
        required_level: Set(a.required_level),
        standing: Set(req.standing),
        contact_while_away: Set(req.contact_while_away.trim().into()),
        status: Set(if req.submit {
            LeaveStatus::Submitted
        } else {
            LeaveStatus::Draft
        }),
        created_by: Set(caller.id),
        created_at: Set(now),
        submitted_at: Set(req.submit.then_some(now)),
        decided_at: Set(None),
        departed_at: Set(None),
        returned_at: Set(None),
        overdue_at: Set(None),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    step(
        work.db(),
        now,
        l.id,
        Some(caller.id),
        if req.submit { "submit" } else { "draft" },
        None,
        None,
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LeaveCreated,
        "leave",
        l.id,
        json!({ "case_id": id, "required_level": l.required_level, "submitted": req.submit }),
    )
    .await?;
    let v = view(work.db(), l, state.clock.today()).await?;
    // A draft is the supervisee's own business until submitted.
    if req.submit {
        work.notify_case(&c, EventKind::Leave, &v, true).await?;
    }
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Loads a leave whose case the caller may see.
async fn find_leave(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<leave_request::Model> {
    let l = leave_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(db, caller, l.case_id).await?;
    Ok(l)
}

/// One leave with its steps.
#[utoipa::path(get, path = "/leaves/{id}", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = LeaveView), (status = 404, body = Problem)))]
async fn get_leave(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeaveView>> {
    let l = find_leave(&state.db, &caller, id).await?;
    let v = view(&state.db, l, state.clock.today()).await?;
    Ok(Json(for_reader(v, caller.role)))
}

/// A leave as `reader` may see it: a volunteer of the team sees that the person is away and
/// when, not why (the reason, the officers' opinions, the exact destination).
fn for_reader(v: LeaveView, reader: Role) -> LeaveView {
    if reader != Role::Volunteer {
        return v;
    }
    let (name, lat, lon) = huijiao_core::policy::for_the_team(
        &v.destination.name,
        v.destination.lat,
        v.destination.lon,
    );
    LeaveView {
        reason_category: LeaveReason::Withheld,
        reason_text: String::new(),
        destination: Place { name, lat, lon },
        steps: v
            .steps
            .into_iter()
            .map(|s| LeaveStepView { opinion: None, ..s })
            .collect(),
        ..v
    }
}

/// A case's leaves, newest first.
#[utoipa::path(get, path = "/cases/{id}/leaves", tag = "requests", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<LeaveView>), (status = 404, body = Problem)))]
async fn list_case_leaves(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<LeaveView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = leave_request::Entity::find().filter(leave_request::Column::CaseId.eq(id));
    let rows = page.rows(&state.db, find, Order::NewestFirst).await?;
    let page = views(&state, rows).await?;
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(|v| for_reader(v, caller.role))
            .collect(),
        next: page.next,
    }))
}

crate::seek_by!(leave_request, CreatedAt, created_at);

/// The views of a page of leaves.
async fn views(state: &AppState, rows: Page<leave_request::Model>) -> ApiResult<Page<LeaveView>> {
    let mut items = Vec::with_capacity(rows.items.len());
    for l in rows.items {
        items.push(view(&state.db, l, state.clock.today()).await?);
    }
    Ok(Page {
        items,
        next: rows.next,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// Also list requests below the caller's level (filed for information).
    #[serde(default)]
    pub include_lower: bool,
}

/// The approval queue: submitted requests in the caller's jurisdiction that their level decides,
/// oldest first.
#[utoipa::path(get, path = "/leaves", tag = "requests", params(QueueQuery, PageQuery),
    responses((status = 200, body = Page<LeaveView>), (status = 403, body = Problem)))]
async fn leave_queue(
    State(state): State<AppState>,
    caller: Officer,
    Paged(q, page): Paged<QueueQuery>,
) -> ApiResult<Json<Page<LeaveView>>> {
    let mine = officer_level(&state.db, &caller).await?;
    let find = waiting(&caller, mine, q.include_lower)?;
    let rows = page.rows(&state.db, find, Order::OldestFirst).await?;
    Ok(Json(views(&state, rows).await?))
}

/// Submitted leave requests in `caller`'s jurisdiction that their level (`mine`) decides, and
/// with `include_lower` those below it: the approval queue and the work queue read this.
pub(crate) fn waiting(
    caller: &AuthUser,
    mine: ApprovalLevel,
    include_lower: bool,
) -> ApiResult<sea_orm::Select<leave_request::Entity>> {
    let levels: Vec<&str> = ApprovalLevel::ALL
        .iter()
        .filter(|&&l| l == mine || (include_lower && l < mine))
        .map(|l| l.as_str())
        .collect();
    Ok(leave_request::Entity::find()
        .filter(leave_request::Column::RequiredLevel.is_in(levels))
        .filter(leave_request::Column::Status.eq(LeaveStatus::Submitted.as_str()))
        .filter(leave_request::Column::CaseId.in_subquery(caller.case_ids()?)))
}

impl Request for leave_request::Model {
    type Table = leave_request::Entity;
    type Action = LeaveAction;
    type View = LeaveView;
    const MACHINE: &'static Machine<LeaveStatus, LeaveAction> = &LEAVE;
    const KIND: &'static str = "leave";
    const EVENT: EventKind = EventKind::Leave;

    fn case_id(&self) -> Uuid {
        self.case_id
    }

    /// A decision's time, or the person's own step's (submitted, left, back).
    fn record(
        q: UpdateMany<leave_request::Entity>,
        act: &Act<'_, LeaveAction>,
    ) -> UpdateMany<leave_request::Entity> {
        use leave_request::Column as C;
        let stamped = match act.action {
            LeaveAction::Approve | LeaveAction::Reject => Some(C::DecidedAt),
            LeaveAction::Submit => Some(C::SubmittedAt),
            LeaveAction::Depart => Some(C::DepartedAt),
            LeaveAction::Return => Some(C::ReturnedAt),
            _ => None,
        };
        match stamped {
            Some(c) => q.col_expr(c, Expr::value(act.now)),
            None => q,
        }
    }

    /// An officer approves only at or above the leave's required level (measures art. 28).
    async fn check(&self, _work: &Work, act: &Act<'_, LeaveAction>) -> ApiResult<()> {
        let mine = level_of(act.party);
        let needed = self.required_level;
        if act.action == LeaveAction::Approve
            && !mine.is_some_and(|m| rules::may_approve(m, needed))
        {
            return Err(rules::needs_code(needed).into());
        }
        Ok(())
    }

    /// A line of the leave's history; an approved extension moves the end of the leave it
    /// extends (a new version of it: a screen showing the old end date is stale).
    async fn follow(
        &self,
        work: &Work,
        act: &Act<'_, LeaveAction>,
        _done: &leave_request::Model,
    ) -> ApiResult<()> {
        let (db, now, by) = (work.db(), act.now, Some(act.caller.id));
        let level = level_of(act.party);
        let action = act.action.as_str();
        step(db, now, self.id, by, action, level, act.opinion.clone()).await?;
        // Back after the last day, before the overdue job saw it: the late return is raised
        // as the job would have (a leave already marked overdue has its alert).
        let late = (local_date(now) - self.end_date).num_days();
        if act.action == LeaveAction::Return && self.status == LeaveStatus::Active && late > 0 {
            raise_overdue(work, self, late, now).await?;
        }
        if let (LeaveAction::Approve, Some(parent)) = (act.action, self.parent_id) {
            leave_request::Entity::update_many()
                .col_expr(leave_request::Column::EndDate, Expr::value(self.end_date))
                .col_expr(leave_request::Column::Days, Expr::value(self.days))
                .col_expr(
                    leave_request::Column::Version,
                    Expr::col(leave_request::Column::Version).add(1),
                )
                .filter(leave_request::Column::Id.eq(parent))
                .exec(db)
                .await?;
            step(db, now, parent, by, "extended", level, None).await?;
        }
        Ok(())
    }

    fn detail(act: &Act<'_, LeaveAction>) -> serde_json::Value {
        match level_of(act.party) {
            Some(level) => json!({ "level": level.as_str() }),
            None => json!({}),
        }
    }

    async fn view(self, db: &impl ConnectionTrait, today: NaiveDate) -> ApiResult<LeaveView> {
        view(db, self, today).await
    }
}

/// The level an officer decides at; `None` for the person.
fn level_of(party: Party) -> Option<ApprovalLevel> {
    match party {
        Party::Person { level, .. } => level,
        Party::System => None,
    }
}

/// Submits a draft.
#[utoipa::path(post, path = "/leaves/{id}/submit", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = LeaveView), (status = 409, body = Problem)))]
async fn submit_leave(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeaveView>> {
    take::<leave_request::Model>(&state, &caller, id, LeaveAction::Submit, None, None).await
}

/// Withdraws a request before departure.
#[utoipa::path(post, path = "/leaves/{id}/cancel", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = LeaveView), (status = 409, body = Problem)))]
async fn cancel_leave(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeaveView>> {
    take::<leave_request::Model>(&state, &caller, id, LeaveAction::Cancel, None, None).await
}

/// Reports departure on an approved leave: on its dates (from `depart_early_days` before).
#[utoipa::path(post, path = "/leaves/{id}/depart", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = LeaveView), (status = 409, body = Problem)))]
async fn depart(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeaveView>> {
    let l = find_leave(&state.db, &caller, id).await?;
    // (The state table refuses a leave not approved first, with its own code.)
    if l.status == LeaveStatus::Approved {
        let (rules, today) = (&state.config.rules.leave, state.clock.today());
        rules::may_depart(rules, l.start_date, l.end_date, today)?;
    }
    take::<leave_request::Model>(&state, &caller, id, LeaveAction::Depart, None, None).await
}

/// Reports back (销假), also after the end date (the late return stays on record).
#[utoipa::path(post, path = "/leaves/{id}/return", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = LeaveView), (status = 409, body = Problem)))]
async fn report_return(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeaveView>> {
    // 销假 is made with a check-in: a passed face check-in in the last hours proves who is back.
    let l = find_leave(&state.db, &caller, id).await?;
    let since =
        state.clock.now() - chrono::Duration::hours(state.config.rules.leave.return_checkin_hours);
    if !crate::checkins::passed_since(&state.db, l.case_id, since).await? {
        return Err(ErrorCode::LeaveReturnNeedsCheckin.into());
    }
    take::<leave_request::Model>(&state, &caller, id, LeaveAction::Return, None, None).await
}

/// Approves; refused with `leave.needs_county_approval` / `leave.needs_city_approval` when
/// the caller's level is below what the rules require.
#[utoipa::path(post, path = "/leaves/{id}/approve", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = LeaveView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn approve_leave(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<LeaveView>> {
    decide::<leave_request::Model>(&state, &caller, id, req, LeaveAction::Approve).await
}

/// Rejects, with the reason.
#[utoipa::path(post, path = "/leaves/{id}/reject", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveDecisionRequest,
    responses((status = 200, body = LeaveView), (status = 409, body = Problem)))]
async fn reject_leave(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveDecisionRequest>,
) -> ApiResult<Json<LeaveView>> {
    decide::<leave_request::Model>(&state, &caller, id, req, LeaveAction::Reject).await
}

/// Asks to stay longer: a new request on the same rules, assessed on the new total.
#[utoipa::path(post, path = "/leaves/{id}/extend", tag = "requests", params(("id" = Uuid, Path)), request_body = LeaveExtendRequest,
    responses((status = 201, body = LeaveView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn extend_leave(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<LeaveExtendRequest>,
) -> ApiResult<(StatusCode, Json<LeaveView>)> {
    check_paragraphs("reason_text", &req.reason_text, 2000)?;
    let work = Work::begin(&state).await?;
    let parent = find_leave(work.db(), &caller, id).await?;
    // Only a leave itself is extended, not an extension request.
    if parent.parent_id.is_some() {
        return Err(ErrorCode::LeaveTransitionInvalid.into());
    }
    LEAVE.check(
        LeaveAction::Extend,
        parent.status,
        party(work.db(), &caller).await?,
    )?;
    let today = state.clock.today();
    let others = other_leaves(work.db(), parent.case_id, Some(parent.id)).await?;
    let a = rules::assess_extension(
        &state.config.rules.leave,
        today,
        parent.start_date,
        parent.end_date,
        req.new_end_date,
        &others,
    )?;
    let c = case::Entity::find_by_id(parent.case_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if req.new_end_date > c.end_date {
        return Err(ErrorCode::LeaveBeyondTerm.into());
    }
    if overlaps(
        work.db(),
        parent.case_id,
        parent.end_date.succ_opt().unwrap_or(parent.end_date),
        req.new_end_date,
        Some(parent.id),
    )
    .await?
    {
        return Err(ErrorCode::LeaveOverlaps.into());
    }
    let now = state.clock.now();
    let l = leave_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        parent_id: Set(Some(parent.id)),
        reason_text: Set(req.reason_text.trim().into()),
        end_date: Set(req.new_end_date),
        days: Set(a.days as i32),
        window_total_days: Set(a.window_total_days as i32),
        urgent: Set(false),
        late_notice: Set(false),
        required_level: Set(a.required_level),
        status: Set(LeaveStatus::Submitted),
        created_by: Set(caller.id),
        created_at: Set(now),
        submitted_at: Set(Some(now)),
        decided_at: Set(None),
        departed_at: Set(None),
        returned_at: Set(None),
        overdue_at: Set(None),
        version: Set(1),
        ..leave_request::ActiveModel::from(parent.clone())
    }
    .insert(work.db())
    .await?;
    step(work.db(), now, l.id, Some(caller.id), "extend", None, None).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LeaveExtensionRequested,
        "leave",
        l.id,
        json!({ "parent": parent.id, "required_level": l.required_level }),
    )
    .await?;
    let v = view(work.db(), l, state.clock.today()).await?;
    let c = case::Entity::find_by_id(v.case_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    work.notify_case(&c, EventKind::Leave, &v, true).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Marks active leaves whose end date has passed as overdue, each exactly once (the update is
/// conditional on the version read: another run, or a return reported meanwhile, wins), with
/// an alert for the officer carrying the sanction the rules suggest. Safe to run on several
/// instances at once.
pub async fn mark_overdue(work: &Work, now: DateTime<Utc>) -> ApiResult<usize> {
    let today = local_date(now);
    let due = leave_request::Entity::find()
        .filter(leave_request::Column::Status.eq(LeaveStatus::Active.as_str()))
        .filter(leave_request::Column::EndDate.lt(today))
        .all(work.db())
        .await?;
    let mut marked = 0;
    for l in due {
        match apply(
            work.db(),
            &LEAVE,
            LeaveAction::MarkOverdue,
            Party::System,
            &l,
            None,
            |q| q.col_expr(leave_request::Column::OverdueAt, Expr::value(now)),
        )
        .await
        {
            Ok(_) => {}
            Err(e) if e.code == ErrorCode::Conflict => continue,
            Err(e) => return Err(e),
        }
        step(work.db(), now, l.id, None, "overdue", None, None).await?;
        // Not back: 失联 risk. The officer is alerted at once.
        raise_overdue(work, &l, (today - l.end_date).num_days(), now).await?;
        marked += 1;
    }
    Ok(marked)
}

/// A leave not returned from `days` after its last day: audited, and the officer alerted with
/// what the rules suggest (measures art. 34-35 by the days away).
async fn raise_overdue(
    work: &Work,
    l: &leave_request::Model,
    days: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let c = case::Entity::find_by_id(l.case_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let sanction = rules::sanction_for_overdue(days, Some(c.sentence_kind));
    work.audit(
        &Actor::system(),
        AuditAction::LeaveMarkedOverdue,
        "leave",
        l.id,
        json!({ "case_id": l.case_id, "days_overdue": days, "sanction_suggestion": sanction }),
    )
    .await?;
    let (_, event) = crate::alerts::raise(
        work.db(),
        now,
        &c,
        AlertKind::LeaveOverdue,
        AlertSeverity::High,
        json!({ "leave_id": l.id, "days_overdue": days, "sanction_suggestion": sanction }),
    )
    .await?;
    work.publish(event);
    Ok(())
}

/// The approved leave a supervisee is on for `date`, if any: the location rules suspend the
/// activity area for its dates (`locations::rules` asks this when a fix would violate).
pub async fn leave_on(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    date: NaiveDate,
) -> ApiResult<Option<Place>> {
    Ok(leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(case_id))
        .filter(leave_request::Column::ParentId.is_null())
        .filter(leave_request::Column::Status.is_in(LEAVE_IN_FORCE.map(LeaveStatus::as_str)))
        .filter(leave_request::Column::StartDate.lte(date))
        .filter(leave_request::Column::EndDate.gte(date))
        .one(db)
        .await?
        .map(|l| Place {
            name: l.destination,
            lat: l.dest_lat,
            lon: l.dest_lon,
        }))
}
