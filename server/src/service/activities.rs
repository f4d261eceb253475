//! Activities: scheduled by an officer for a unit, seen by the people they reach, run on site
//! by their organiser (an officer or a volunteer of the unit), who shows the rotating code and
//! sees who came. Sign-ups hold a place up to the capacity.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    Page, Problem, ServiceActivityCreate, ServiceActivityView, ServiceCancel, ServiceCodeView,
    ServiceParticipationView, ServiceSignUp,
};
use huijiao_core::model::{AuditAction, EventKind, Role, UserStatus};
use huijiao_core::policy::lecture::current_code;
use huijiao_core::policy::service::{
    qr_payload, ActivityAction, ActivityStatus, ParticipationAction, ParticipationStatus,
    ServiceKind, ACTIVITY, ACTIVITY_WINDOW,
};
use huijiao_core::policy::transitions::Party;
use huijiao_core::{ErrorCode, Said};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::participation_view;
use crate::actor::Actor;
use crate::auth::extractor::{ActivityStaff, AuthUser, Officer, RequestParty};
use crate::cases::{find_case_for_write, own_case};
use crate::checkins::on_site;
use crate::entities::{case, service_activity, service_participation, user};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{PageQuery, Paged};
use crate::state::AppState;
use crate::transition::apply;
use crate::validate::check_paragraphs;
use crate::work::Work;

pub(super) fn activity_view(
    a: &service_activity::Model,
    taken: u32,
    participation: Option<ServiceParticipationView>,
) -> ServiceActivityView {
    ServiceActivityView {
        id: a.id,
        unit_id: a.unit_id,
        title: a.title.clone(),
        kind: a.kind,
        place: a.place.clone(),
        lat: a.lat,
        lon: a.lon,
        radius_m: a.radius_m.max(0) as u32,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        capacity: a.capacity.max(0) as u32,
        taken,
        organiser_id: a.organiser_id,
        notes: a.notes.clone(),
        status: a.status,
        cancelled_at: a.cancelled_at,
        cancel_reason: a.cancel_reason.clone(),
        participation,
        created_at: a.created_at,
    }
}

fn check_create(req: &ServiceActivityCreate, now: DateTime<Utc>) -> ApiResult<()> {
    on_site::check_event(&on_site::event_of!(req), &ACTIVITY_WINDOW, now)?;
    if req.kind == ServiceKind::Unknown {
        return Err(ApiError::field(
            "kind",
            Said::new(
                "one of the kinds of service this version knows",
                "须为已知的公益活动类型",
            ),
        ));
    }
    if !(1..=500).contains(&req.capacity) {
        return Err(ApiError::field(
            "capacity",
            Said::new("1 to 500 people", "须为 1 到 500 人"),
        ));
    }
    if let Some(notes) = &req.notes {
        check_paragraphs("notes", notes, 2000)?;
    }
    Ok(())
}

/// The organiser named, if they may run an activity of the unit at `unit_path`: an active
/// officer or volunteer of that unit or one below it.
async fn check_organiser(db: &impl ConnectionTrait, id: Uuid, unit_path: &str) -> ApiResult<()> {
    let refused = || {
        ApiError::field(
            "organiser_id",
            Said::new(
                "an active officer or volunteer of the activity's unit or one below it",
                "须为活动所属单位或其下级单位的在岗工作人员或志愿者",
            ),
        )
    };
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(refused)?;
    let path = match u.unit_id {
        Some(unit) => crate::org::unit_path(db, unit).await?,
        None => String::new(),
    };
    let fits = matches!(u.role, Role::Officer | Role::Volunteer)
        && u.status == UserStatus::Active
        && !path.is_empty()
        && path.starts_with(unit_path);
    if fits {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Schedules an activity for the people under `unit_id` (the officer's unit or one below).
#[utoipa::path(post, path = "/service-activities", tag = "service", request_body = ServiceActivityCreate,
    responses((status = 201, body = ServiceActivityView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<ServiceActivityCreate>,
) -> ApiResult<(StatusCode, Json<ServiceActivityView>)> {
    let work = Work::begin(&state).await?;
    let unit_path = crate::org::unit_path(work.db(), req.unit_id).await?;
    if unit_path.is_empty() || !caller.covers_unit_path(&unit_path) {
        return Err(ErrorCode::Forbidden.into());
    }
    let now = state.clock.now();
    check_create(&req, now)?;
    let organiser = req.organiser_id.unwrap_or(caller.id);
    if req.organiser_id.is_some() {
        check_organiser(work.db(), organiser, &unit_path).await?;
    }
    let row = service_activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(req.unit_id),
        unit_path: Set(unit_path),
        title: Set(req.title.trim().to_owned()),
        kind: Set(req.kind),
        place: Set(req.place.trim().to_owned()),
        lat: Set(req.lat),
        lon: Set(req.lon),
        radius_m: Set(req.radius_m as i32),
        starts_at: Set(req.starts_at),
        ends_at: Set(req.ends_at),
        capacity: Set(req.capacity as i32),
        organiser_id: Set(organiser),
        notes: Set(req
            .notes
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)),
        code_secret: Set(on_site::new_secret()),
        closed_at: Set(None),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        created_by: Set(caller.id),
        created_at: Set(now),
        status: Set(ActivityStatus::Scheduled),
        version: Set(1),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::ServiceActivityCreated,
        "service_activity",
        row.id,
        json!({ "unit_id": row.unit_id, "starts_at": row.starts_at, "capacity": row.capacity,
                "organiser_id": row.organiser_id }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(activity_view(&row, 0, None))))
}

/// The activities a caller may see (`on_site::visible`): officers and the people they reach,
/// and a volunteer those they organise.
async fn visible(db: &impl ConnectionTrait, caller: &AuthUser) -> ApiResult<Condition> {
    let organised = (caller.role == Role::Volunteer)
        .then(|| Condition::all().add(service_activity::Column::OrganiserId.eq(caller.id)));
    on_site::visible(db, caller, service_activity::Column::UnitPath, organised).await
}

pub(super) async fn find_activity(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<service_activity::Model> {
    Ok(service_activity::Entity::find_by_id(id)
        .filter(visible(db, caller).await?)
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

/// Who runs an activity on site: its organiser, and the officers whose subtree holds it.
pub(super) fn runs(caller: &AuthUser, a: &service_activity::Model) -> bool {
    caller.id == a.organiser_id || caller.covers_unit_path(&a.unit_path)
}

pub(super) async fn participation_of(
    db: &impl ConnectionTrait,
    activity_id: Uuid,
    case_id: Uuid,
) -> ApiResult<Option<service_participation::Model>> {
    Ok(service_participation::Entity::find()
        .filter(service_participation::Column::ActivityId.eq(activity_id))
        .filter(service_participation::Column::CaseId.eq(case_id))
        .one(db)
        .await?)
}

/// Places taken in each of these activities.
async fn taken(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> ApiResult<HashMap<Uuid, u32>> {
    let mut n = HashMap::new();
    for p in service_participation::Entity::find()
        .filter(service_participation::Column::ActivityId.is_in(ids))
        .all(db)
        .await?
        .iter()
        .filter(|p| p.status.holds_place())
    {
        *n.entry(p.activity_id).or_default() += 1;
    }
    Ok(n)
}

/// A supervisee's own participations in these activities.
async fn own_participations(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    ids: Vec<Uuid>,
) -> ApiResult<HashMap<Uuid, ServiceParticipationView>> {
    if caller.role != Role::Supervisee {
        return Ok(HashMap::new());
    }
    let c = own_case(db, &crate::auth::extractor::Supervisee(caller.clone())).await?;
    Ok(service_participation::Entity::find()
        .filter(service_participation::Column::CaseId.eq(c.id))
        .filter(service_participation::Column::ActivityId.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|p| (p.activity_id, participation_view(p, &c, caller.role)))
        .collect())
}

/// Activities from `from` on, soonest first, with the places taken (a supervisee's with their
/// own participation).
#[utoipa::path(get, path = "/service-activities", tag = "service", params(on_site::EventQuery, PageQuery),
    responses((status = 200, body = Page<ServiceActivityView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Paged(q, page): Paged<on_site::EventQuery>,
) -> ApiResult<Json<Page<ServiceActivityView>>> {
    let find = service_activity::Entity::find().filter(visible(&state.db, &caller).await?);
    let ends_at = service_activity::Column::EndsAt;
    let Page { items: rows, next } = on_site::upcoming(&state, find, ends_at, &q, &page).await?;
    let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    let taken = taken(&state.db, ids.clone()).await?;
    let mut mine = own_participations(&state.db, &caller, ids).await?;
    Ok(Json(Page {
        items: rows
            .iter()
            .map(|a| {
                let n = taken.get(&a.id).copied().unwrap_or(0);
                activity_view(a, n, mine.remove(&a.id))
            })
            .collect(),
        next,
    }))
}

crate::seek_by!(service_activity, StartsAt, starts_at);

/// One activity (a supervisee's with their own participation).
#[utoipa::path(get, path = "/service-activities/{id}", tag = "service", params(("id" = Uuid, Path)),
    responses((status = 200, body = ServiceActivityView), (status = 404, body = Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ServiceActivityView>> {
    let a = find_activity(&state.db, &caller, id).await?;
    let n = taken(&state.db, vec![a.id]).await?;
    let mut mine = own_participations(&state.db, &caller, vec![a.id]).await?;
    Ok(Json(activity_view(
        &a,
        n.get(&a.id).copied().unwrap_or(0),
        mine.remove(&a.id),
    )))
}

/// Nothing more happens on an activity that was called off.
pub(super) fn refuse_cancelled(a: &service_activity::Model) -> ApiResult<()> {
    match a.status {
        ActivityStatus::Cancelled => Err(ErrorCode::ActivityCancelled.into()),
        _ => Ok(()),
    }
}

/// The code to show now, to whoever runs the activity, while checking in or out is open.
#[utoipa::path(get, path = "/service-activities/{id}/code", tag = "service", params(("id" = Uuid, Path)),
    responses((status = 200, body = ServiceCodeView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn code(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ServiceCodeView>> {
    let a = find_activity(&state.db, &caller, id).await?;
    if !runs(&caller, &a) {
        return Err(ErrorCode::Forbidden.into());
    }
    refuse_cancelled(&a)?;
    let rules = &state.config.rules.service;
    let now = state.clock.now();
    let open = rules.checkin_open(a.starts_at, a.ends_at, now)
        || (a.ends_at <= now && now < rules.closes_at(a.ends_at));
    if !open {
        return Err(ErrorCode::ActivityNotOpen.into());
    }
    let (code, valid_until) =
        current_code(&on_site::secret_of(&a.code_secret)?, now, rules.code_secs);
    Ok(Json(ServiceCodeView {
        activity_id: a.id,
        qr: qr_payload(a.id, &code),
        code,
        valid_until,
        rotate_secs: rules.code_secs,
    }))
}

/// The case a sign-up or withdrawal is for: a supervisee's own (naming no other), or one an
/// officer supervises that the activity reaches.
async fn signing_case(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    a: &service_activity::Model,
    case_id: Option<Uuid>,
) -> ApiResult<case::Model> {
    match caller.role {
        Role::Supervisee => {
            let c = own_case(db, &crate::auth::extractor::Supervisee(caller.clone())).await?;
            if case_id.is_some_and(|id| id != c.id) {
                return Err(ErrorCode::NotFound.into());
            }
            Ok(c)
        }
        Role::Officer => {
            let id = case_id.ok_or_else(|| {
                ApiError::field(
                    "case_id",
                    Said::new("the person to sign up", "须指定报名的矫正对象"),
                )
            })?;
            let c = find_case_for_write(db, &Officer(caller.clone()), id).await?;
            let case_path = crate::org::unit_path(db, c.unit_id).await?;
            if !case_path.starts_with(&a.unit_path) {
                return Err(ErrorCode::NotFound.into());
            }
            Ok(c)
        }
        _ => Err(ErrorCode::Forbidden.into()),
    }
}

/// A supervisee signs up for an activity reaching them, or an officer assigns a person they
/// supervise (audited, the person is told), before it starts and while places are left.
/// Sending it again returns the place already held.
#[utoipa::path(post, path = "/service-activities/{id}/participants", tag = "service", params(("id" = Uuid, Path)), request_body = ServiceSignUp,
    responses((status = 201, body = ServiceParticipationView), (status = 200, body = ServiceParticipationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign_up(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    Json(req): Json<ServiceSignUp>,
) -> ApiResult<(StatusCode, Json<ServiceParticipationView>)> {
    let work = Work::begin(&state).await?;
    let a = find_activity(work.db(), &caller, id).await?;
    let c = signing_case(work.db(), &caller, &a, req.case_id).await?;
    // Places are counted under the activity's lock: two sign-ups for the last place cannot
    // both take it.
    service_activity::Entity::find_by_id(a.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    let before = participation_of(work.db(), a.id, c.id).await?;
    if let Some(p) = before.as_ref().filter(|p| p.status.holds_place()) {
        return Ok((StatusCode::OK, Json(participation_view(p, &c, caller.role))));
    }
    // An officer may plan ahead for someone not yet reporting; a person signs up while active.
    if caller.role == Role::Supervisee {
        huijiao_core::policy::require_active(c.status)?;
    }
    refuse_cancelled(&a)?;
    let now = state.clock.now();
    if now >= a.starts_at {
        return Err(ErrorCode::ActivitySignUpClosed.into());
    }
    let n = taken(work.db(), vec![a.id]).await?;
    if n.get(&a.id).copied().unwrap_or(0) >= a.capacity.max(0) as u32 {
        return Err(ErrorCode::ActivityFull.into());
    }
    let p = match before {
        // Withdrawn earlier: the same row takes the place again.
        Some(p) => {
            let party = Party::person(caller.role, None);
            super::take(
                work.db(),
                ParticipationAction::SignUp,
                party,
                &p,
                None,
                now,
                |q| {
                    q.col_expr(
                        service_participation::Column::SignedUpBy,
                        Expr::value(caller.id),
                    )
                },
            )
            .await?
        }
        None => {
            service_participation::ActiveModel {
                id: Set(Uuid::now_v7()),
                activity_id: Set(a.id),
                case_id: Set(c.id),
                status: Set(ParticipationStatus::SignedUp),
                signed_up_by: Set(caller.id),
                checked_in_at: Set(None),
                check_in_proof: Set(None),
                check_in_checkin_id: Set(None),
                check_in_lat: Set(None),
                check_in_lon: Set(None),
                checked_out_at: Set(None),
                check_out_proof: Set(None),
                check_out_checkin_id: Set(None),
                check_out_lat: Set(None),
                check_out_lon: Set(None),
                credited_minutes: Set(0),
                reviewed_by: Set(None),
                reviewed_at: Set(None),
                review_reason: Set(None),
                alert_id: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(work.db())
            .await?
        }
    };
    let view = participation_view(&p, &c, caller.role);
    if caller.role == Role::Officer {
        work.audit(
            &Actor::from(&caller),
            AuditAction::ServiceParticipantAssigned,
            "service_activity",
            a.id,
            json!({ "case_id": c.id, "participation_id": p.id }),
        )
        .await?;
        work.notify_case(&c, EventKind::ServiceParticipation, &view, true)
            .await?;
    }
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A supervisee withdraws, or an officer takes a person off, before the activity starts; the
/// place is free again.
#[utoipa::path(delete, path = "/service-activities/{id}/participants/{case_id}", tag = "service",
    params(("id" = Uuid, Path), ("case_id" = Uuid, Path)),
    responses((status = 200, body = ServiceParticipationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: RequestParty,
    Path((id, case_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<ServiceParticipationView>> {
    let work = Work::begin(&state).await?;
    let a = find_activity(work.db(), &caller, id).await?;
    let c = signing_case(work.db(), &caller, &a, Some(case_id)).await?;
    let p = participation_of(work.db(), a.id, c.id)
        .await?
        .ok_or(ErrorCode::ActivityNotSignedUp)?;
    let now = state.clock.now();
    let p = match p.status {
        ParticipationStatus::Withdrawn => p,
        ParticipationStatus::SignedUp if now >= a.starts_at => {
            return Err(ErrorCode::ActivitySignUpClosed.into())
        }
        _ => {
            let party = Party::person(caller.role, None);
            let withdraw = ParticipationAction::Withdraw;
            super::take(work.db(), withdraw, party, &p, None, now, |q| q).await?
        }
    };
    let view = participation_view(&p, &c, caller.role);
    if caller.role == Role::Officer {
        work.notify_case(&c, EventKind::ServiceParticipation, &view, true)
            .await?;
    }
    work.commit().await?;
    Ok(Json(view))
}

/// Who is on an activity: for its organiser everyone, for an officer the people they
/// supervise; names masked for minors, and all of them for an organiser who is not an officer.
#[utoipa::path(get, path = "/service-activities/{id}/participants", tag = "service", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ServiceParticipationView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn roster(
    State(state): State<AppState>,
    caller: ActivityStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<ServiceParticipationView>>> {
    // A volunteer sees only the activities they organise (`visible`).
    let a = find_activity(&state.db, &caller, id).await?;
    let rows = service_participation::Entity::find()
        .filter(service_participation::Column::ActivityId.eq(a.id))
        .order_by_asc(service_participation::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut cases = case::Entity::find()
        .filter(case::Column::Id.is_in(rows.iter().map(|p| p.case_id).collect::<Vec<_>>()));
    if caller.id != a.organiser_id {
        cases = cases.filter(caller.case_scope()?);
    }
    let cases: HashMap<Uuid, case::Model> = cases
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(Json(
        rows.iter()
            .filter_map(|p| {
                cases
                    .get(&p.case_id)
                    .map(|c| participation_view(p, c, caller.role))
            })
            .collect(),
    ))
}

/// An officer whose jurisdiction holds the activity calls it off before it starts, with the
/// reason: every place is given back and each person signed up is told. Audited.
#[utoipa::path(post, path = "/service-activities/{id}/cancel", tag = "service", params(("id" = Uuid, Path)), request_body = ServiceCancel,
    responses((status = 200, body = ServiceActivityView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<ServiceCancel>,
) -> ApiResult<Json<ServiceActivityView>> {
    let work = Work::begin(&state).await?;
    let a = find_activity(work.db(), &caller, id).await?;
    if !caller.covers_unit_path(&a.unit_path) {
        return Err(ErrorCode::Forbidden.into());
    }
    check_paragraphs("reason", &req.reason, 2000)?;
    let now = state.clock.now();
    let party = Party::person(caller.role, None);
    ACTIVITY.check(ActivityAction::Cancel, a.status, party)?;
    if now >= a.starts_at {
        return Err(ErrorCode::ActivityCancelTooLate.into());
    }
    // At the version read: of two officers cancelling at once, one does.
    let reason = req.reason.trim().to_owned();
    let a = apply(
        work.db(),
        &ACTIVITY,
        ActivityAction::Cancel,
        party,
        &a,
        None,
        |q| {
            use service_activity::Column as C;
            q.col_expr(C::CancelledAt, Expr::value(now))
                .col_expr(C::CancelReason, Expr::value(reason.clone()))
                .col_expr(C::ClosedAt, Expr::value(now))
        },
    )
    .await?;
    let signed_up = service_participation::Entity::find()
        .filter(service_participation::Column::ActivityId.eq(a.id))
        .filter(service_participation::Column::Status.eq(ParticipationStatus::SignedUp.as_str()))
        .all(work.db())
        .await?;
    for p in &signed_up {
        let party = Party::person(caller.role, None);
        let withdraw = ParticipationAction::Withdraw;
        let p = super::take(work.db(), withdraw, party, p, None, now, |q| q).await?;
        let c = case::Entity::find_by_id(p.case_id)
            .one(work.db())
            .await?
            .ok_or_else(|| ApiError::internal("a participation without its case"))?;
        work.notify_case(
            &c,
            EventKind::ServiceParticipation,
            &participation_view(&p, &c, Role::Supervisee),
            true,
        )
        .await?;
    }
    work.audit(
        &Actor::from(&caller),
        AuditAction::ServiceActivityCancelled,
        "service_activity",
        a.id,
        json!({ "reason": reason, "places_given_back": signed_up.len() }),
    )
    .await?;
    work.commit().await?;
    Ok(Json(activity_view(&a, 0, None)))
}
