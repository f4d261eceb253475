//! Authentication: login with lockout, rotating refresh tokens with reuse detection, logout,
//! password change, and supervisee device binding.

pub mod extractor;
pub mod password;
pub mod throttle;
pub mod tokens;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::{
    LoginRequest, MeView, PasswordChangeRequest, Problem, RefreshRequest, TokenView,
};
use huijiao_core::model::{AuditAction, DeviceStatus, Role, UserStatus};
use huijiao_core::Said;
use huijiao_core::{policy, ErrorCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    UpdateMany,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::entities::{case, device, refresh_token, session, user};
use crate::error::{ApiError, ApiResult, Json};
use crate::state::AppState;
use crate::work::Work;
use extractor::{AuthUser, RequestMeta, SentDevice};

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain =
    crate::domain::Domain::new("auth", routes).public(&["/auth/login", "/auth/refresh"]);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(change_password))
        .routes(routes!(me))
}

fn clean_device_id(device_id: Option<&str>) -> ApiResult<Option<String>> {
    match device_id.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) if d.len() > 128 || d.chars().any(char::is_control) => Err(ApiError::field(
            "device_id",
            Said::new("at most 128 printable characters", "最多 128 个可打印字符"),
        )),
        Some(d) => Ok(Some(d.to_owned())),
    }
}

/// Sign in. Supervisees must send their device id; an unapproved phone is registered as
/// pending and refused with `auth.device_pending` until an officer approves it.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenView), (status = 401, body = Problem),
        (status = 423, body = Problem), (status = 403, body = Problem)))]
async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    sent: SentDevice,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<TokenView>> {
    let cfg = &state.config.auth;
    let device_id = clean_device_id(sent.or_body(req.device_id.as_deref())?.as_deref())?;
    if req.username.len() > 64 || req.password.len() > 1024 {
        return Err(ErrorCode::InvalidCredentials.into());
    }
    let username = req.username.trim();
    let now = state.clock.now();
    let window = Duration::minutes(cfg.lockout_minutes);
    let address = meta.ip.as_deref().map(throttle::address_key);
    if let Some(addr) = &address {
        if throttle::locked(&state.db, addr, now).await?.is_some() {
            return Err(ErrorCode::LoginThrottled.into());
        }
    }
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?;
    let anonymous = Actor {
        id: found.as_ref().map(|u| u.id),
        role: None,
        meta: meta.clone(),
    };
    // The attempt is counted before the password is checked, so of parallel guesses only
    // `lockout_threshold` are ever checked. A locked name answers after the same work as a
    // wrong password, so neither timing nor lockout tells whether the account exists.
    let key = throttle::user_key(username);
    let _in_line = state.login_gates.enter(&key).await;
    let locked = |until| ApiError {
        locked_until: Some(until),
        ..ErrorCode::AccountLocked.into()
    };
    let attempt = match throttle::count(&state.db, &key, window, now).await? {
        Ok(n) if n > cfg.lockout_threshold => {
            let until = now + window;
            throttle::lock(&state.db, &key, until).await?;
            Err(until)
        }
        other => other,
    };
    let attempt = match attempt {
        Ok(n) => n,
        Err(until) => {
            password::verify(cfg, req.password.clone(), None).await?;
            return Err(locked(until));
        }
    };
    let ok = password::verify(
        cfg,
        req.password.clone(),
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let Some(u) = found.filter(|_| ok) else {
        let work = Work::begin(&state).await?;
        if let Some(addr) = &address {
            if let Ok(n) = throttle::count(work.db(), addr, window, now).await? {
                if n >= cfg.address_max_failures {
                    throttle::lock(work.db(), addr, now + window).await?;
                }
            }
        }
        let lock_until = (attempt >= cfg.lockout_threshold).then(|| now + window);
        if let Some(until) = lock_until {
            throttle::lock(work.db(), &key, until).await?;
        }
        if let Some(id) = anonymous.id {
            // The account's own view of it, for officers and the security admin.
            user::Entity::update_many()
                .col_expr(user::Column::FailedLogins, Expr::value(attempt))
                .col_expr(user::Column::LockedUntil, Expr::value(lock_until))
                .filter(user::Column::Id.eq(id))
                .exec(work.db())
                .await?;
            if let Some(until) = lock_until {
                work.audit(
                    &anonymous,
                    AuditAction::AuthLockedOut,
                    "user",
                    id,
                    json!({ "until": until }),
                )
                .await?;
            }
        }
        // The account may not exist: the entry names no target then.
        audit::record(
            work.db(),
            &anonymous,
            AuditAction::AuthLoginFailed,
            "user",
            anonymous.id.map(|i| i.to_string()),
            json!({}),
        )
        .await?;
        work.commit().await?;
        return Err(match lock_until {
            Some(until) => locked(until),
            None => ErrorCode::InvalidCredentials.into(),
        });
    };
    throttle::clear(&state.db, &key).await?;
    if u.status != UserStatus::Active {
        return Err(ErrorCode::AccountDisabled.into());
    }
    let role = u.role;
    let actor = Actor {
        id: Some(u.id),
        role: Some(role),
        meta,
    };

    let work = Work::begin(&state).await?;
    let bound_device = if role == Role::Supervisee {
        let device_id = device_id.ok_or(ErrorCode::DeviceRequired)?;
        let existing = device::Entity::find()
            .filter(device::Column::UserId.eq(u.id))
            .filter(device::Column::DeviceId.eq(&device_id))
            .one(work.db())
            .await?;
        match existing {
            Some(d) if d.status == DeviceStatus::Approved => Some(device_id),
            Some(_) => return Err(ErrorCode::DevicePending.into()),
            None => {
                device::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(u.id),
                    device_id: Set(device_id.clone()),
                    name: Set(req
                        .device_name
                        .clone()
                        .map(|n| n.chars().take(200).collect())),
                    status: Set(DeviceStatus::Pending),
                    first_seen_at: Set(now),
                    approved_by: Set(None),
                    approved_at: Set(None),
                }
                .insert(work.db())
                .await?;
                work.audit(
                    &actor,
                    AuditAction::DeviceRegistered,
                    "user",
                    u.id,
                    json!({ "device_id": device_id }),
                )
                .await?;
                work.commit().await?;
                return Err(ErrorCode::DevicePending.into());
            }
        }
    } else {
        None
    };
    if u.failed_logins != 0 || u.locked_until.is_some() {
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .col_expr(
                user::Column::LockedUntil,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .filter(user::Column::Id.eq(u.id))
            .exec(work.db())
            .await?;
    }
    let session_id = Uuid::now_v7();
    session::ActiveModel {
        id: Set(session_id),
        user_id: Set(u.id),
        device_id: Set(bound_device.clone()),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(cfg.refresh_ttl_secs)),
        last_used_at: Set(now),
        revoked_at: Set(None),
        revoke_reason: Set(None),
    }
    .insert(work.db())
    .await?;
    let view = issue_tokens(&state, work.db(), &u, role, session_id, bound_device).await?;
    work.audit(
        &actor,
        AuditAction::AuthLoggedIn,
        "session",
        session_id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(Json(view))
}

async fn issue_tokens(
    state: &AppState,
    db: &impl ConnectionTrait,
    u: &user::Model,
    role: Role,
    session_id: Uuid,
    device: Option<String>,
) -> ApiResult<TokenView> {
    let now = state.clock.now();
    let (refresh, hash) = tokens::new_refresh_token();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(state.config.auth.refresh_ttl_secs)),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    let access = state.jwt.issue(u.id, session_id, role.as_str(), device)?;
    Ok(TokenView {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: state.jwt.access_ttl(),
        user: me_view(db, u, role).await?,
    })
}

async fn me_view(db: &impl ConnectionTrait, u: &user::Model, role: Role) -> ApiResult<MeView> {
    let case_id = if role == Role::Supervisee {
        case::Entity::find()
            .filter(case::Column::UserId.eq(u.id))
            .one(db)
            .await?
            .map(|c| c.id)
    } else {
        None
    };
    Ok(MeView {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role,
        unit_id: u.unit_id,
        case_id,
        must_change_password: u.must_change_password,
    })
}

/// Revokes a session (a refresh-token family) and so every access token issued under it.
pub async fn revoke_session(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    session_id: Uuid,
    reason: &str,
) -> ApiResult<()> {
    end_sessions(db, now, reason, |q| {
        q.filter(session::Column::Id.eq(session_id))
    })
    .await
}

/// Ends, now and for `reason`, the live sessions `narrow` selects (a user's, all but one,
/// those on other phones…), and so every access token issued under them.
pub async fn end_sessions(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    reason: &str,
    narrow: impl FnOnce(UpdateMany<session::Entity>) -> UpdateMany<session::Entity>,
) -> ApiResult<()> {
    let q = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokeReason, Expr::value(reason))
        .filter(session::Column::RevokedAt.is_null());
    narrow(q).exec(db).await?;
    Ok(())
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a used
/// one ends its whole session (someone else has a copy).
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenView), (status = 401, body = Problem)))]
async fn refresh(
    State(state): State<AppState>,
    meta: RequestMeta,
    sent: SentDevice,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<Json<TokenView>> {
    let device_id = clean_device_id(sent.or_body(req.device_id.as_deref())?.as_deref())?;
    let now = state.clock.now();
    let work = Work::begin(&state).await?;
    let token = refresh_token::Entity::find()
        .filter(
            refresh_token::Column::TokenHash
                .eq(tokens::hash_refresh_token(req.refresh_token.trim())),
        )
        .one(work.db())
        .await?
        .ok_or(ErrorCode::RefreshInvalid)?;
    let sess = session::Entity::find_by_id(token.session_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::RefreshInvalid)?;
    if sess.revoked_at.is_some() || sess.expires_at < now || token.expires_at < now {
        return Err(ErrorCode::RefreshInvalid.into());
    }
    let u = user::Entity::find_by_id(sess.user_id)
        .one(work.db())
        .await?
        .ok_or(ErrorCode::RefreshInvalid)?;
    let role = u.role;
    let actor = Actor {
        id: Some(u.id),
        role: Some(role),
        meta,
    };
    // Mark used only if still unused: of two racing presentations exactly one wins.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(work.db())
        .await?
        .rows_affected
        == 1;
    if !claimed {
        revoke_session(work.db(), now, sess.id, "refresh_reused").await?;
        work.audit(
            &actor,
            AuditAction::AuthRefreshReused,
            "session",
            sess.id,
            json!({}),
        )
        .await?;
        work.commit().await?;
        return Err(ErrorCode::RefreshReused.into());
    }
    if u.status != UserStatus::Active {
        return Err(ErrorCode::AccountDisabled.into());
    }
    if role == Role::Supervisee {
        if device_id.is_none() || device_id != sess.device_id {
            return Err(ErrorCode::DeviceMismatch.into());
        }
        let approved = device::Entity::find()
            .filter(device::Column::UserId.eq(u.id))
            .filter(device::Column::DeviceId.eq(device_id.clone().unwrap_or_default()))
            .filter(device::Column::Status.eq(DeviceStatus::Approved.as_str()))
            .one(work.db())
            .await?;
        if approved.is_none() {
            return Err(ErrorCode::DeviceMismatch.into());
        }
    }
    session::Entity::update_many()
        .col_expr(session::Column::LastUsedAt, Expr::value(now))
        .filter(session::Column::Id.eq(sess.id))
        .exec(work.db())
        .await?;
    let view = issue_tokens(&state, work.db(), &u, role, sess.id, sess.device_id.clone()).await?;
    work.audit(
        &actor,
        AuditAction::AuthRefreshed,
        "session",
        sess.id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(Json(view))
}

/// End this session: its refresh token and every access token issued under it stop working.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout(State(state): State<AppState>, caller: AuthUser) -> ApiResult<StatusCode> {
    let work = Work::begin(&state).await?;
    revoke_session(work.db(), state.clock.now(), caller.session_id, "logout").await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::AuthLoggedOut,
        "session",
        caller.session_id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change one's own password; every other session of the account is ended.
#[utoipa::path(post, path = "/auth/password", tag = "auth", request_body = PasswordChangeRequest,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(req): Json<PasswordChangeRequest>,
) -> ApiResult<StatusCode> {
    let cfg = &state.config.auth;
    let u = user::Entity::find_by_id(caller.id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if !password::verify(cfg, req.current_password, Some(u.password_hash.clone())).await? {
        return Err(ErrorCode::PasswordWrong.into());
    }
    policy::check_password_strength(&req.new_password)?;
    let hash = password::hash(cfg, req.new_password).await?;
    let work = Work::begin(&state).await?;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.updated_at = Set(state.clock.now());
    am.update(work.db()).await?;
    // Every other session ends; this one goes on.
    end_sessions(work.db(), work.now(), "password_changed", |q| {
        q.filter(session::Column::UserId.eq(caller.id))
            .filter(session::Column::Id.ne(caller.session_id))
    })
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::AuthPasswordChanged,
        "user",
        caller.id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Resets a forgotten password: a one-time password (shown once, to whoever reset it) that
/// must be changed at the next sign-in; every session of the account ends and any lockout is
/// lifted. The caller has checked who may reset whose (an officer their case's supervisee, the
/// security admin a staff account). Audited.
pub async fn reset_password(
    state: &AppState,
    work: &Work,
    actor: &Actor,
    u: user::Model,
) -> ApiResult<huijiao_core::api::IssuedLoginView> {
    let password = password::one_time();
    let hash = password::hash(&state.config.auth, password.clone()).await?;
    let now = work.now();
    let (id, username) = (u.id, u.username.clone());
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(true);
    am.failed_logins = Set(0);
    am.locked_until = Set(None);
    am.updated_at = Set(now);
    am.update(work.db()).await?;
    throttle::clear(work.db(), &throttle::user_key(&username)).await?;
    end_sessions(work.db(), now, "password_reset", |q| {
        q.filter(session::Column::UserId.eq(id))
    })
    .await?;
    work.audit(
        actor,
        AuditAction::AuthPasswordReissued,
        "user",
        id,
        json!({}),
    )
    .await?;
    Ok(huijiao_core::api::IssuedLoginView {
        user_id: id,
        username,
        initial_password: password,
    })
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses((status = 200, body = MeView), (status = 401, body = Problem)))]
async fn me(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<MeView>> {
    let u = user::Entity::find_by_id(caller.id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(me_view(&state.db, &u, caller.role).await?))
}
