//! Org units (province → city → county agency → judicial office) and staff accounts.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use huijiao_core::api::{
    IssuedLoginView, Page, Problem, ReceivingUnitView, UnitCreateRequest, UnitView,
    UserCreateRequest, UserView,
};
use huijiao_core::model::{AuditAction, Role, UserStatus};
use huijiao_core::policy::transitions::{Party, UserAction, USER};
use huijiao_core::Said;
use huijiao_core::{policy, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit::Actor;
use crate::auth::extractor::{AuthUser, DirectoryReader, SecurityAdmin, SystemAdmin};
use crate::auth::password;
use crate::entities::{org_unit, session, user};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::transition::step;
use crate::validate::check_text;
use crate::work::Work;

pub mod paths;
pub use paths::{above_or_below, path_and_above, unit_path, PathCache};

/// The refusal of a `unit_id` the caller may not use: it does not say whether the unit exists.
pub fn unit_not_in_jurisdiction() -> ApiError {
    ApiError::field(
        "unit_id",
        Said::new(
            "no such unit in your jurisdiction",
            "您的辖区内没有这个单位",
        ),
    )
}

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("org", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_unit, list_units))
        .routes(routes!(get_unit))
        .routes(routes!(receiving_units))
        .routes(routes!(create_user, list_users))
        .routes(routes!(unlock_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(reset_user_password))
}

/// The caller's own unit (the one that issues what they sign); 403 for an account without one.
pub async fn own_unit(db: &impl ConnectionTrait, caller: &AuthUser) -> ApiResult<org_unit::Model> {
    Ok(
        org_unit::Entity::find_by_id(caller.unit_id.ok_or(ErrorCode::Forbidden)?)
            .one(db)
            .await?
            .ok_or(ErrorCode::Forbidden)?,
    )
}

/// The level an officer decides at, from their unit's kind.
pub async fn officer_level(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
) -> ApiResult<huijiao_core::policy::level::ApprovalLevel> {
    let unit = own_unit(db, caller).await?;
    Ok(huijiao_core::policy::level::ApprovalLevel::of_unit(
        unit.kind,
    ))
}

/// The caller as the state machines of `policy::transitions` see them: their role, and for
/// an officer the level they decide at.
/// The unit paths whose courses, lectures and activities reach a supervisee: their case's unit
/// and every unit above it.
pub async fn units_reaching(
    db: &impl ConnectionTrait,
    caller: &crate::auth::extractor::AuthUser,
) -> ApiResult<Vec<String>> {
    let c = crate::entities::case::Entity::find()
        .filter(crate::entities::case::Column::UserId.eq(caller.id))
        .one(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(path_and_above(&unit_path(db, c.unit_id).await?))
}

/// The display names of the accounts `ids`, for views that name who wrote something.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> ApiResult<std::collections::HashMap<Uuid, String>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

pub async fn party(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
) -> ApiResult<huijiao_core::policy::transitions::Party> {
    let level = match caller.role {
        Role::Officer => Some(officer_level(db, caller).await?),
        _ => None,
    };
    Ok(huijiao_core::policy::transitions::Party::person(
        caller.role,
        level,
    ))
}

pub fn unit_view(u: org_unit::Model) -> ApiResult<UnitView> {
    Ok(UnitView {
        id: u.id,
        kind: u.kind,
        name: u.name,
        parent_id: u.parent_id,
        code: u.code,
    })
}

pub fn user_view(u: user::Model) -> ApiResult<UserView> {
    Ok(UserView {
        id: u.id,
        role: u.role,
        status: u.status,
        username: u.username,
        display_name: u.display_name,
        unit_id: u.unit_id,
        locked_until: u.locked_until,
        created_at: u.created_at,
    })
}

/// Creates a unit under `parent` (or a root province). Used by the API and the demo seed.
pub async fn insert_unit(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    req: &UnitCreateRequest,
) -> ApiResult<org_unit::Model> {
    check_text("name", &req.name, 200)?;
    let id = Uuid::now_v7();
    let path = match (policy::parent_kind(req.kind), req.parent_id) {
        (None, None) => format!("/{id}/"),
        (Some(expected), Some(parent_id)) => {
            let parent = org_unit::Entity::find_by_id(parent_id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::field("parent_id", Said::new("no such unit", "没有这个单位"))
                })?;
            if parent.kind != expected {
                return Err(ErrorCode::UnitParentInvalid.into());
            }
            format!("{}{id}/", parent.path)
        }
        _ => return Err(ErrorCode::UnitParentInvalid.into()),
    };
    Ok(org_unit::ActiveModel {
        id: Set(id),
        parent_id: Set(req.parent_id),
        kind: Set(req.kind),
        name: Set(req.name.trim().into()),
        code: Set(req.code.clone()),
        path: Set(path),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Create an org unit (system admin).
#[utoipa::path(post, path = "/units", tag = "org", request_body = UnitCreateRequest,
    responses((status = 201, body = UnitView), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_unit(
    State(state): State<AppState>,
    caller: SystemAdmin,
    Json(req): Json<UnitCreateRequest>,
) -> ApiResult<(StatusCode, Json<UnitView>)> {
    let work = Work::begin(&state).await?;
    let unit = insert_unit(work.db(), state.clock.now(), &req).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::UnitCreated,
        "unit",
        unit.id,
        json!({ "kind": unit.kind, "parent_id": unit.parent_id }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(unit_view(unit)?)))
}

/// Units the caller may see: admins all, an officer their unit and below.
#[utoipa::path(get, path = "/units", tag = "org",
    responses((status = 200, body = Vec<UnitView>), (status = 403, body = Problem)))]
async fn list_units(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Vec<UnitView>>> {
    let units = org_unit::Entity::find()
        .filter(caller.unit_scope()?)
        .order_by_asc(org_unit::Column::Path)
        .all(&state.db)
        .await?;
    Ok(Json(
        units.into_iter().map(unit_view).collect::<ApiResult<_>>()?,
    ))
}

/// The units a case may move to — every county agency and judicial office, with where each
/// is — for anyone signed in: a supervisee choosing where to move (迁居), an officer helping.
/// Public organisation facts; nothing about people.
#[utoipa::path(get, path = "/units/receiving", tag = "org",
    responses((status = 200, body = Vec<ReceivingUnitView>), (status = 401, body = Problem)))]
async fn receiving_units(
    State(state): State<AppState>,
    _caller: AuthUser,
) -> ApiResult<Json<Vec<ReceivingUnitView>>> {
    let units = org_unit::Entity::find()
        .order_by_asc(org_unit::Column::Path)
        .all(&state.db)
        .await?;
    let names: std::collections::HashMap<Uuid, (&str, Option<Uuid>)> = units
        .iter()
        .map(|u| (u.id, (u.name.as_str(), u.parent_id)))
        .collect();
    Ok(Json(
        units
            .iter()
            .filter(|u| huijiao_core::policy::requests::may_receive_relocation(u.kind))
            .map(|u| {
                let mut above = vec![];
                let mut at = u.parent_id;
                // The units form a tree; the bound only guards against a broken one.
                while let Some((name, parent)) = at.and_then(|p| names.get(&p)) {
                    if above.len() > names.len() {
                        break;
                    }
                    above.push(*name);
                    at = *parent;
                }
                above.reverse();
                ReceivingUnitView {
                    id: u.id,
                    name: u.name.clone(),
                    kind: u.kind,
                    within: above.join(" "),
                }
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/units/{id}", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = UnitView), (status = 404, body = Problem)))]
async fn get_unit(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UnitView>> {
    let unit = org_unit::Entity::find_by_id(id)
        .filter(caller.unit_scope()?)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(unit_view(unit)?))
}

/// Creates a user account. Supervisee accounts come from their case (`/cases/{id}/login`).
pub async fn insert_user(
    state: &AppState,
    db: &impl ConnectionTrait,
    req: &UserCreateRequest,
) -> ApiResult<user::Model> {
    let username = req.username.trim();
    if username.len() < 3
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
    {
        return Err(ApiError::field(
            "username",
            Said::new(
                "3 to 64 characters: letters, digits, . _ - @",
                "3 到 64 个字符：字母、数字、. _ - @",
            ),
        ));
    }
    check_text("display_name", &req.display_name, 200)?;
    policy::check_password_strength(&req.password)?;
    if !req.role.is_admin() && req.unit_id.is_none() {
        return Err(ErrorCode::UnitRequired.into());
    }
    if let Some(unit) = req.unit_id {
        org_unit::Entity::find_by_id(unit)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::field("unit_id", Said::new("no such unit", "没有这个单位")))?;
    }
    if user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(ErrorCode::UsernameTaken.into());
    }
    let hash = password::hash(&state.config.auth, req.password.clone()).await?;
    let now = state.clock.now();
    user::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(username.into()),
        password_hash: Set(hash),
        display_name: Set(req.display_name.trim().into()),
        role: Set(req.role),
        unit_id: Set(req.unit_id),
        phone: Set(req.phone.clone()),
        status: Set(UserStatus::Active),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        must_change_password: Set(false),
    }
    .insert(db)
    .await
    .map_err(|e| match ApiError::from(e) {
        e if e.code == ErrorCode::Conflict => ErrorCode::UsernameTaken.into(),
        e => e,
    })
}

/// Create a staff account: admin duty, officer or volunteer (system admin).
#[utoipa::path(post, path = "/users", tag = "org", request_body = UserCreateRequest,
    responses((status = 201, body = UserView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_user(
    State(state): State<AppState>,
    caller: SystemAdmin,
    Json(req): Json<UserCreateRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    if req.role == Role::Supervisee {
        return Err(ErrorCode::RoleNotAllowed.into());
    }
    let work = Work::begin(&state).await?;
    let u = insert_user(&state, work.db(), &req).await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::UserCreated,
        "user",
        u.id,
        json!({ "role": u.role, "unit_id": u.unit_id }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(user_view(u)?)))
}

/// Users the caller may see: system and security admins all; an officer those in their subtree.
#[utoipa::path(get, path = "/users", tag = "org", params(PageQuery),
    responses((status = 200, body = Page<UserView>), (status = 403, body = Problem)))]
async fn list_users(
    State(state): State<AppState>,
    caller: DirectoryReader,
    page: PageRequest,
) -> ApiResult<Json<Page<UserView>>> {
    let mut find = user::Entity::find();
    if caller.role == Role::Officer {
        let units: Vec<Uuid> = org_unit::Entity::find()
            .filter(caller.unit_scope()?)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        find = find.filter(Condition::all().add(user::Column::UnitId.is_in(units)));
    }
    // A supervisee's account carries their name; the case is where their identity is shown, to
    // those who need it, so account lists mask it for everyone (minors included).
    Ok(Json(
        page.read(&state.db, find, Order::OldestFirst, |mut u| {
            if u.role == Role::Supervisee {
                u.display_name = policy::mask_name(&u.display_name);
            }
            user_view(u)
        })
        .await?,
    ))
}

// By user name, A to Z.
crate::seek_by!(user, Username, username: String);

/// What the security administrator does to an account.
enum AccountChange {
    /// A step of `policy::transitions::USER` (disabling also ends the sessions).
    Status(UserAction),
    /// Lifting a login lockout: no change of status.
    Unlock,
}

async fn set_user_state(
    state: &AppState,
    caller: &SecurityAdmin,
    id: Uuid,
    action: AuditAction,
    change: AccountChange,
) -> ApiResult<Json<UserView>> {
    if id == caller.id {
        return Err(ErrorCode::Forbidden.into());
    }
    let work = Work::begin(state).await?;
    let u = user::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let now = work.now();
    let u = match change {
        AccountChange::Status(step_taken) => {
            let party = Party::person(caller.role, None);
            let u = step(work.db(), &USER, step_taken, party, &u, |q| {
                q.col_expr(user::Column::UpdatedAt, Expr::value(now))
            })
            .await?;
            if step_taken == UserAction::Disable {
                crate::auth::end_sessions(work.db(), now, action.as_str(), |q| {
                    q.filter(session::Column::UserId.eq(id))
                })
                .await?;
            }
            u
        }
        AccountChange::Unlock => {
            let mut am: user::ActiveModel = u.into();
            am.failed_logins = Set(0);
            am.locked_until = Set(None);
            am.updated_at = Set(now);
            let u = am.update(work.db()).await?;
            let key = crate::auth::throttle::user_key(&u.username);
            crate::auth::throttle::clear(work.db(), &key).await?;
            u
        }
    };
    work.audit(&Actor::from(caller), action, "user", id, json!({}))
        .await?;
    work.commit().await?;
    Ok(Json(user_view(u)?))
}

/// Lift a login lockout (security admin).
#[utoipa::path(post, path = "/users/{id}/unlock", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn unlock_user(
    State(state): State<AppState>,
    caller: SecurityAdmin,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_user_state(
        &state,
        &caller,
        id,
        AuditAction::UserUnlocked,
        AccountChange::Unlock,
    )
    .await
}

/// Disable an account and end its sessions (security admin).
#[utoipa::path(post, path = "/users/{id}/disable", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn disable_user(
    State(state): State<AppState>,
    caller: SecurityAdmin,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_user_state(
        &state,
        &caller,
        id,
        AuditAction::UserDisabled,
        AccountChange::Status(UserAction::Disable),
    )
    .await
}

/// Re-enable a disabled account (security admin).
#[utoipa::path(post, path = "/users/{id}/enable", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn enable_user(
    State(state): State<AppState>,
    caller: SecurityAdmin,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_user_state(
        &state,
        &caller,
        id,
        AuditAction::UserEnabled,
        AccountChange::Status(UserAction::Enable),
    )
    .await
}

/// Resets a staff member's forgotten password to a one-time one, shown once here, that must be
/// changed at the next sign-in; every session of the account ends (security admin; a
/// supervisee's login is reset by an officer of their case).
#[utoipa::path(post, path = "/users/{id}/password/reset", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = IssuedLoginView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn reset_user_password(
    State(state): State<AppState>,
    caller: SecurityAdmin,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<IssuedLoginView>> {
    let work = Work::begin(&state).await?;
    let u = user::Entity::find_by_id(id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if u.role == Role::Supervisee {
        return Err(ErrorCode::StaffPasswordOnly.into());
    }
    let v = crate::auth::reset_password(&state, &work, &Actor::from(&caller), u).await?;
    work.commit().await?;
    Ok(Json(v))
}
