//! Registering a case, the intake announcement, the app login, level and status changes.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    AnnounceRequest, CaseCreateRequest, CaseView, IssueLoginRequest, IssuedLoginView,
    LevelChangeRequest, LevelChangeView, Problem, StatusChangeRequest, UserCreateRequest,
};
use huijiao_core::model::{AuditAction, CaseStatus, Role, SupervisionLevel};
use huijiao_core::policy::transitions::{CaseAction, Party, UserAction, CASE, USER};
use huijiao_core::Said;
use huijiao_core::{policy, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{case_view, find_case, find_case_for_write};
use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, Officer};
use crate::entities::{case, level_change, org_unit, session, status_change, user};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::transition::{apply, step_all};
use crate::validate::{check_coordinates, check_paragraphs, check_text};
use crate::work::Work;

/// Writes a case row bumping its version, only if nobody else changed it since it was read:
/// an officer with a stale screen gets `resource.conflict` instead of overwriting.
pub async fn save_case(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    mut am: case::ActiveModel,
    read_version: i32,
) -> ApiResult<case::Model> {
    am.updated_at = Set(now);
    let id = am.id.clone().unwrap();
    crate::transition::update_at_version::<case::Entity>(db, id, read_version, |q| q.set(am)).await
}

/// Registers a case (pre-intake) for a person whose judgment has taken effect.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CaseCreateRequest,
    responses((status = 201, body = CaseView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_case(
    State(state): State<AppState>,
    caller: Officer,
    Json(req): Json<CaseCreateRequest>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let work = Work::begin(&state).await?;
    let c = insert_case(&state, work.db(), &caller, &req).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(case_view(c, &caller)?)))
}

/// Validates and inserts a case with its first level entry. Shared with the demo seed.
pub async fn insert_case(
    state: &AppState,
    db: &(impl ConnectionTrait + TransactionTrait),
    caller: &AuthUser,
    req: &CaseCreateRequest,
) -> ApiResult<case::Model> {
    check_text("name", &req.name, 100)?;
    check_text("crime", &req.crime, 500)?;
    check_text("court", &req.court, 200)?;
    check_text("judgment_number", &req.judgment_number, 100)?;
    check_text("residence.address", &req.residence.address, 500)?;
    check_coordinates("residence", req.residence.lat, req.residence.lon)?;
    for (i, order) in req.prohibition_orders.iter().enumerate() {
        check_paragraphs(&format!("prohibition_orders[{i}]"), order, 500)?;
    }
    if req.prohibition_orders.len() > 50 {
        return Err(ApiError::field(
            "prohibition_orders",
            Said::new("at most 50", "最多 50 项"),
        ));
    }
    if req.end_date <= req.start_date {
        return Err(ErrorCode::CaseDatesInvalid.into());
    }
    let national_id = policy::validate_national_id(&req.national_id)
        .map_err(|code| ApiError::from(code).naming("national_id", code.into()))?;
    let unit = org_unit::Entity::find_by_id(req.unit_id).one(db).await?;
    let unit = unit
        .filter(|u| caller.covers_unit_path(&u.path))
        .ok_or_else(crate::org::unit_not_in_jurisdiction)?;
    if let Some(officer) = req.officer_id {
        let o = user::Entity::find_by_id(officer).one(db).await?;
        let ok = match o {
            Some(o) if o.role == Role::Officer => match o.unit_id {
                Some(u) => org_unit::Entity::find_by_id(u)
                    .one(db)
                    .await?
                    .is_some_and(|u| caller.covers_unit_path(&u.path)),
                None => false,
            },
            _ => false,
        };
        if !ok {
            return Err(ApiError::field(
                "officer_id",
                Said::new(
                    "no such officer in your jurisdiction",
                    "您的辖区内没有这名工作人员",
                ),
            ));
        }
    }
    let id_hash = state.id_hash(&national_id);
    let open = case::Entity::find()
        .filter(case::Column::NationalIdHash.eq(&id_hash))
        .filter(case::Column::Status.is_not_in([
            CaseStatus::Released.as_str(),
            CaseStatus::Revoked.as_str(),
            CaseStatus::Terminated.as_str(),
        ]))
        .one(db)
        .await?;
    if open.is_some() {
        return Err(ErrorCode::NationalIdDuplicate.into());
    }
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let c = case::ActiveModel {
        id: Set(id),
        name: Set(req.name.trim().into()),
        national_id_hash: Set(id_hash),
        national_id_masked: Set(policy::mask_national_id(&national_id)),
        gender: Set(req.gender.clone()),
        minor: Set(req.minor),
        sentence_kind: Set(req.sentence_kind),
        crime: Set(req.crime.trim().into()),
        court: Set(req.court.trim().into()),
        judgment_number: Set(req.judgment_number.trim().into()),
        start_date: Set(req.start_date),
        end_date: Set(req.end_date),
        residence_address: Set(req.residence.address.trim().into()),
        residence_lat: Set(req.residence.lat),
        residence_lon: Set(req.residence.lon),
        prohibition_orders: Set(json!(req.prohibition_orders)),
        unit_id: Set(unit.id),
        officer_id: Set(req.officer_id.or(Some(caller.id))),
        status: Set(CaseStatus::PreIntake),
        level: Set(policy::INTAKE_LEVEL),
        user_id: Set(None),
        announced_at: Set(None),
        announced_by: Set(None),
        announce_place: Set(None),
        announce_attendees: Set(None),
        created_by: Set(caller.id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        closed_at: Set(None),
    }
    .insert(db)
    .await?;
    level_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        from_level: Set(None),
        to_level: Set(policy::INTAKE_LEVEL.as_str().into()),
        reason: Set("入矫时确定".into()),
        changed_by: Set(caller.id),
        changed_at: Set(now),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        &Actor::from(caller),
        AuditAction::CaseCreated,
        "case",
        Some(id.to_string()),
        json!({ "unit_id": unit.id, "minor": req.minor }),
    )
    .await?;
    Ok(c)
}

async fn record_status(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    case_id: Uuid,
    from: CaseStatus,
    to: CaseStatus,
    reason: &str,
    by: Uuid,
) -> ApiResult<()> {
    status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        from_status: Set(from.as_str().into()),
        to_status: Set(to.as_str().into()),
        reason: Set(reason.into()),
        changed_by: Set(by),
        changed_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records the intake announcement (入矫宣告): who announced, when, where. The case becomes active.
#[utoipa::path(post, path = "/cases/{id}/announce", tag = "cases", params(("id" = Uuid, Path)), request_body = AnnounceRequest,
    responses((status = 200, body = CaseView), (status = 409, body = Problem)))]
pub async fn announce(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<AnnounceRequest>,
) -> ApiResult<Json<CaseView>> {
    check_text("place", &req.place, 500)?;
    for (i, a) in req.attendees.iter().enumerate() {
        check_text(&format!("attendees[{i}]"), a, 200)?;
    }
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let from = c.status;
    let now = state.clock.now();
    let c = apply(
        work.db(),
        &CASE,
        CaseAction::Announce,
        Party::person(caller.role, None),
        &c,
        None,
        |q| {
            q.col_expr(case::Column::AnnouncedAt, Expr::value(now))
                .col_expr(case::Column::AnnouncedBy, Expr::value(caller.id))
                .col_expr(case::Column::AnnouncePlace, Expr::value(req.place.trim()))
                .col_expr(
                    case::Column::AnnounceAttendees,
                    Expr::value(json!(req.attendees)),
                )
                .col_expr(case::Column::UpdatedAt, Expr::value(now))
        },
    )
    .await?;
    record_status(
        work.db(),
        now,
        id,
        from,
        CaseStatus::Active,
        "入矫宣告",
        caller.id,
    )
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CaseAnnounced,
        "case",
        id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(Json(case_view(c, &caller)?))
}

/// Issues the supervisee's app login. The initial password is returned once; the first
/// login from the phone registers it for the officer to approve.
#[utoipa::path(post, path = "/cases/{id}/login", tag = "cases", params(("id" = Uuid, Path)), request_body = IssueLoginRequest,
    responses((status = 201, body = IssuedLoginView), (status = 409, body = Problem)))]
pub async fn issue_login(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<IssueLoginRequest>,
) -> ApiResult<(StatusCode, Json<IssuedLoginView>)> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    policy::require_active(c.status)?;
    if c.user_id.is_some() {
        return Err(ErrorCode::LoginAlreadyIssued.into());
    }
    let password = crate::auth::password::one_time();
    let u = crate::org::insert_user(
        &state,
        work.db(),
        &UserCreateRequest {
            username: req.username,
            password: password.clone(),
            display_name: c.name.clone(),
            role: Role::Supervisee,
            unit_id: Some(c.unit_id),
            phone: None,
        },
    )
    .await?;
    let version = c.version;
    let mut am: case::ActiveModel = c.into();
    am.user_id = Set(Some(u.id));
    save_case(work.db(), state.clock.now(), am, version).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CaseLoginIssued,
        "case",
        id,
        json!({ "user_id": u.id }),
    )
    .await?;
    work.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedLoginView {
            user_id: u.id,
            username: u.username,
            initial_password: password,
        }),
    ))
}

/// Resets the supervisee's forgotten app password to a one-time one, shown once here, that
/// must be changed at the next sign-in; every session ends (the phone signs in again).
#[utoipa::path(post, path = "/cases/{id}/login/reset", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = IssuedLoginView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reset_login(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<IssuedLoginView>> {
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let user_id = c.user_id.ok_or(ErrorCode::NoAppLogin)?;
    let u = crate::entities::user::Entity::find_by_id(user_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NoAppLogin)?;
    let v = crate::auth::reset_password(&state, &work, &Actor::from(&caller), u).await?;
    work.commit().await?;
    Ok(Json(v))
}

/// Moves the case to another supervision level, with the reason (assessment, risk…).
#[utoipa::path(post, path = "/cases/{id}/levels", tag = "cases", params(("id" = Uuid, Path)), request_body = LevelChangeRequest,
    responses((status = 201, body = LevelChangeView), (status = 409, body = Problem)))]
pub async fn change_level(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<LevelChangeRequest>,
) -> ApiResult<(StatusCode, Json<LevelChangeView>)> {
    check_paragraphs("reason", &req.reason, 1000)?;
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let from = c.level;
    if from == req.level {
        return Err(ErrorCode::LevelUnchanged.into());
    }
    let version = c.version;
    let mut am: case::ActiveModel = c.into();
    am.level = Set(req.level);
    save_case(work.db(), state.clock.now(), am, version).await?;
    let change = level_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        from_level: Set(Some(from.as_str().into())),
        to_level: Set(req.level.as_str().into()),
        reason: Set(req.reason.trim().into()),
        changed_by: Set(caller.id),
        changed_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CaseLevelChanged,
        "case",
        id,
        json!({ "from": from, "to": req.level }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(level_view(change)?)))
}

fn level_view(l: level_change::Model) -> ApiResult<LevelChangeView> {
    Ok(LevelChangeView {
        id: l.id,
        from_level: l
            .from_level
            .as_deref()
            .map(|s| SupervisionLevel::parse(s).ok_or_else(|| ApiError::internal("bad level")))
            .transpose()?,
        to_level: SupervisionLevel::parse(&l.to_level)
            .ok_or_else(|| ApiError::internal("bad level"))?,
        reason: l.reason,
        changed_by: l.changed_by,
        changed_at: l.changed_at,
    })
}

/// The case's level history, oldest first.
#[utoipa::path(get, path = "/cases/{id}/levels", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<LevelChangeView>), (status = 404, body = Problem)))]
pub async fn list_levels(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<LevelChangeView>>> {
    find_case(&state.db, &caller, id).await?;
    let rows = level_change::Entity::find()
        .filter(level_change::Column::CaseId.eq(id))
        .order_by_asc(level_change::Column::ChangedAt)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter().map(level_view).collect::<ApiResult<_>>()?,
    ))
}

/// Changes the case status (release at term, revocation, termination, absconding…). Closing a
/// case disables the supervisee's app login and ends its sessions.
#[utoipa::path(post, path = "/cases/{id}/status", tag = "cases", params(("id" = Uuid, Path)), request_body = StatusChangeRequest,
    responses((status = 200, body = CaseView), (status = 409, body = Problem)))]
pub async fn change_status(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<StatusChangeRequest>,
) -> ApiResult<Json<CaseView>> {
    check_paragraphs("reason", &req.reason, 1000)?;
    if req.status == CaseStatus::Released {
        return Err(ApiError::field(
            "status",
            Said::new(
                "a release goes through POST /cases/{id}/release, which issues the certificate",
                "解除社区矫正须通过 POST /cases/{id}/release 办理，并出具证明书",
            ),
        ));
    }
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let party = Party::person(caller.role, None);
    let c = change(
        work.db(),
        state.clock.now(),
        &caller,
        party,
        c,
        req.status,
        req.reason.trim(),
    )
    .await?;
    work.commit().await?;
    Ok(Json(case_view(c, &caller)?))
}

/// Moves a case to `to`, as `party`: the transition, its line in the status history, and on a
/// close (release, revocation, termination) the close time, the person's app login disabled
/// and their sessions ended. Audited.
pub(super) async fn change(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    caller: &Officer,
    party: Party,
    c: case::Model,
    to: CaseStatus,
    reason: &str,
) -> ApiResult<case::Model> {
    let (id, from, user_id) = (c.id, c.status, c.user_id);
    // Activation happens only through the announcement, which records who and where.
    let action = CaseAction::to_status(to).ok_or(ErrorCode::CaseTransitionInvalid)?;
    let closes = policy::case_is_closed(to);
    let c = apply(txn, &CASE, action, party, &c, None, |q| {
        let q = q.col_expr(case::Column::UpdatedAt, Expr::value(now));
        if closes {
            q.col_expr(case::Column::ClosedAt, Expr::value(now))
        } else {
            q
        }
    })
    .await?;
    record_status(txn, now, id, from, to, reason, caller.id).await?;
    if let (true, Some(uid)) = (closes, user_id) {
        // Already disabled by the security administrator: it stays so.
        step_all::<user::Entity, _>(txn, &USER, UserAction::CloseWithCase, party, |q| {
            q.filter(user::Column::Id.eq(uid))
        })
        .await?;
        crate::auth::end_sessions(txn, now, "case_closed", |q| {
            q.filter(session::Column::UserId.eq(uid))
        })
        .await?;
    }
    audit::record(
        txn,
        &Actor::from(caller),
        AuditAction::CaseStatusChanged,
        "case",
        Some(id.to_string()),
        json!({ "from": from, "to": to }),
    )
    .await?;
    Ok(c)
}
