//! Who is calling, and what they may see: the one place where access scope is decided.
//!
//! `AuthUser` verifies the bearer token, then checks the user, the session and (for
//! supervisees) the bound device against the database, so a logout, a lock or a device
//! change takes effect at once, not when the token expires. Every query over cases goes
//! through `AuthUser::case_scope()`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use chrono::Utc;
use huijiao_core::model::{DeviceStatus, Role, UserStatus};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::{Expr, Query};
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::tokens::Claims;
pub use crate::auth::tokens::SuperviseeToken;
use crate::db::any_of;
use crate::entities::{case, device, org_unit, session, team_member, user};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const DEVICE_HEADER: &str = "x-device-id";

use crate::actor::Actor;
pub use crate::actor::RequestMeta;

/// The phone a request names in the `X-Device-Id` header, if any: sign-in and refresh take it
/// there as every other call does, or in their body.
pub struct SentDevice(pub Option<String>);

impl SentDevice {
    /// The device id of the body, else of the header; two that differ are a mismatch.
    pub fn or_body(self, body: Option<&str>) -> Result<Option<String>, ErrorCode> {
        match (body, self.0) {
            (Some(b), Some(h)) if b.trim() != h.trim() => Err(ErrorCode::DeviceMismatch),
            (Some(b), _) => Ok(Some(b.to_owned())),
            (None, h) => Ok(h),
        }
    }
}

impl FromRequestParts<AppState> for SentDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> ApiResult<Self> {
        Ok(SentDevice(
            parts
                .headers
                .get(DEVICE_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ))
    }
}

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        Ok(request_meta(parts, state))
    }
}

fn request_meta(parts: &Parts, state: &AppState) -> RequestMeta {
    let forwarded = state
        .config
        .trust_forwarded_for
        .then(|| {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|s| s.trim().to_owned())
        })
        .flatten();
    let ip = forwarded.or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    });
    RequestMeta {
        ip,
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    /// Materialised path of the user's unit (officers' subtree prefix).
    pub unit_path: Option<String>,
    pub session_id: Uuid,
    pub device_id: Option<String>,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let claims = state.jwt.verify(bearer(parts)?)?;
        let u = user::Entity::find_by_id(claims.sub).one(&state.db).await?;
        let s = session::Entity::find_by_id(claims.sid)
            .one(&state.db)
            .await?;
        let (u, s) = still_valid(u.as_ref(), s.as_ref(), &claims.role, state.clock.now())?;
        // A reset password is changed before anything else is done with it.
        if u.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&api_path(parts)) {
            return Err(ErrorCode::PasswordChangeRequired.into());
        }
        let role = u.role;
        if role == Role::Supervisee {
            let bound = bound_phone(parts, &claims)?;
            if s.device_id.as_deref() != Some(bound) {
                return Err(ErrorCode::DeviceMismatch.into());
            }
            let approved = device::Entity::find()
                .filter(device::Column::UserId.eq(u.id))
                .filter(device::Column::DeviceId.eq(bound))
                .filter(device::Column::Status.eq(DeviceStatus::Approved.as_str()))
                .one(&state.db)
                .await?;
            if approved.is_none() {
                return Err(ErrorCode::DeviceMismatch.into());
            }
        }
        let unit_path = match u.unit_id {
            Some(unit) => state.unit_paths.get(&state.db, unit).await?,
            None => None,
        };
        Ok(AuthUser {
            id: u.id,
            role,
            unit_id: u.unit_id,
            unit_path,
            session_id: s.id,
            device_id: claims.dev,
            meta: request_meta(parts, state),
        })
    }
}

/// What an account with a reset password may do: see who it is, choose the new password, or
/// sign out.
const PASSWORD_CHANGE_PATHS: [&str; 3] = ["/me", "/auth/password", "/auth/logout"];

/// The request's path below the API's prefix.
fn api_path(parts: &Parts) -> &str {
    let path = parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(parts.uri.path(), |u| u.0.path());
    path.strip_prefix("/api/v1").unwrap_or(path)
}

fn bearer(parts: &Parts) -> Result<&str, ErrorCode> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ErrorCode::TokenMissing)
}

/// The phone a supervisee's token is bound to, when the request says it comes from it.
fn bound_phone<'c>(parts: &Parts, claims: &'c Claims) -> Result<&'c str, ErrorCode> {
    let bound = claims.dev.as_deref().ok_or(ErrorCode::TokenInvalid)?;
    // No header at all is an app that forgot it (the documented code says what to send);
    // another phone's id is a mismatch.
    let sent = parts
        .headers
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or(ErrorCode::DeviceRequired)?;
    if sent != bound {
        return Err(ErrorCode::DeviceMismatch);
    }
    Ok(bound)
}

/// Whether a verified token's account and session, as the database has them now, may still
/// act: the session live and the account's, the account active and in the token's role.
fn still_valid<'a>(
    u: Option<&'a user::Model>,
    s: Option<&'a session::Model>,
    role: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(&'a user::Model, &'a session::Model), ErrorCode> {
    let u = u.ok_or(ErrorCode::TokenInvalid)?;
    let s = s
        .filter(|s| s.user_id == u.id)
        .ok_or(ErrorCode::SessionRevoked)?;
    if s.revoked_at.is_some() || s.expires_at < now {
        return Err(ErrorCode::SessionRevoked);
    }
    if u.status != UserStatus::Active {
        return Err(ErrorCode::AccountDisabled);
    }
    if u.role.as_str() != role {
        return Err(ErrorCode::TokenInvalid);
    }
    Ok((u, s))
}

impl FromRequestParts<AppState> for SuperviseeToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let claims = state.jwt.verify(bearer(parts)?)?;
        if claims.role != Role::Supervisee.as_str() {
            return Err(ErrorCode::Forbidden.into());
        }
        let device_id = bound_phone(parts, &claims)?.to_owned();
        Ok(SuperviseeToken {
            user_id: claims.sub,
            session_id: claims.sid,
            device_id,
        })
    }
}

/// What `AuthUser` decides against the database, for many supervisee tokens at once: for
/// each, in order, whether its account, session and approved phone still hold.
pub async fn check_live(
    db: &impl ConnectionTrait,
    tokens: &[&SuperviseeToken],
    now: chrono::DateTime<Utc>,
) -> ApiResult<Vec<Result<(), ErrorCode>>> {
    let users: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(any_of(
            db,
            user::Column::Id,
            tokens.iter().map(|t| t.user_id),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let sessions: HashMap<Uuid, session::Model> = session::Entity::find()
        .filter(any_of(
            db,
            session::Column::Id,
            tokens.iter().map(|t| t.session_id),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let approved: HashSet<(Uuid, String)> = device::Entity::find()
        .filter(any_of(
            db,
            device::Column::UserId,
            tokens.iter().map(|t| t.user_id),
        ))
        .filter(device::Column::Status.eq(DeviceStatus::Approved.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.device_id))
        .collect();
    Ok(tokens
        .iter()
        .map(|t| {
            let (u, s) = still_valid(
                users.get(&t.user_id),
                sessions.get(&t.session_id),
                Role::Supervisee.as_str(),
                now,
            )?;
            let phone = (u.id, t.device_id.clone());
            if s.device_id.as_deref() != Some(t.device_id.as_str()) || !approved.contains(&phone) {
                return Err(ErrorCode::DeviceMismatch);
            }
            Ok(())
        })
        .collect())
}

impl From<&AuthUser> for Actor {
    fn from(u: &AuthUser) -> Self {
        Actor {
            id: Some(u.id),
            role: Some(u.role),
            meta: u.meta.clone(),
        }
    }
}

impl AuthUser {
    /// Units this caller may see: admins (system, security) all; an officer their unit's subtree.
    pub fn unit_scope(&self) -> ApiResult<Condition> {
        match self.role {
            Role::SystemAdmin | Role::SecurityAdmin => Ok(Condition::all()),
            Role::Officer => {
                Ok(Condition::all().add(org_unit::Column::Path.starts_with(self.subtree()?)))
            }
            _ => Err(ErrorCode::Forbidden.into()),
        }
    }

    fn subtree(&self) -> ApiResult<&str> {
        // An officer without a unit sees nothing, never everything.
        self.unit_path
            .as_deref()
            .ok_or_else(|| ErrorCode::Forbidden.into())
    }

    /// Condition on `cases` rows this caller may see. Admin duties see no case data.
    pub fn case_scope(&self) -> ApiResult<Condition> {
        match self.role {
            Role::Officer => Ok(Condition::all().add(
                case::Column::UnitId.in_subquery(
                    Query::select()
                        .column(org_unit::Column::Id)
                        .from(org_unit::Entity)
                        .and_where(
                            Expr::col(org_unit::Column::Path).like(format!("{}%", self.subtree()?)),
                        )
                        .to_owned(),
                ),
            )),
            Role::Volunteer => Ok(Condition::all().add(
                case::Column::Id.in_subquery(
                    Query::select()
                        .column(team_member::Column::CaseId)
                        .from(team_member::Entity)
                        .and_where(team_member::Column::UserId.eq(self.id))
                        .and_where(team_member::Column::RemovedAt.is_null())
                        .to_owned(),
                ),
            )),
            Role::Supervisee => Ok(Condition::all().add(case::Column::UserId.eq(self.id))),
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => {
                Err(ErrorCode::Forbidden.into())
            }
        }
    }

    /// The ids of the cases this caller may see (`case_scope`), as a subquery.
    pub fn case_ids(&self) -> ApiResult<sea_orm::sea_query::SelectStatement> {
        Ok(Query::select()
            .column(case::Column::Id)
            .from(case::Entity)
            .cond_where(self.case_scope()?)
            .to_owned())
    }

    /// Whether a unit (by its path) is inside this officer's subtree.
    pub fn covers_unit_path(&self, path: &str) -> bool {
        match self.role {
            Role::SystemAdmin | Role::SecurityAdmin => true,
            Role::Officer => self
                .unit_path
                .as_deref()
                .is_some_and(|p| path.starts_with(p)),
            _ => false,
        }
    }
}

/// Role extractors: the role a handler serves is in its signature (`caller: Officer`), checked
/// before the handler runs; each derefs to the `AuthUser` it wraps.
macro_rules! role_extractor {
    ($($(#[$m:meta])* $name:ident => $($role:ident)|+;)+) => {$(
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name(pub AuthUser);

        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
                let user = AuthUser::from_request_parts(parts, state).await?;
                if matches!(user.role, $(Role::$role)|+) {
                    Ok($name(user))
                } else {
                    Err(ErrorCode::Forbidden.into())
                }
            }
        }

        impl std::ops::Deref for $name {
            type Target = AuthUser;
            fn deref(&self) -> &AuthUser {
                &self.0
            }
        }

        impl From<&$name> for Actor {
            fn from(u: &$name) -> Self {
                Actor::from(&u.0)
            }
        }
    )+};
}

role_extractor! {
    /// A corrections officer (司法所 / 县级社区矫正机构 and above), scoped to their unit's subtree.
    Officer => Officer;
    /// A supervisee on their bound, approved phone.
    Supervisee => Supervisee;
    /// The system administrator duty (org tree, accounts, schedules).
    SystemAdmin => SystemAdmin;
    /// The security administrator duty (locks, sessions).
    SecurityAdmin => SecurityAdmin;
    /// The audit administrator duty (reads and verifies the audit chain, nothing else).
    AuditAdmin => AuditAdmin;
    /// Who may read the staff directory: officers (their subtree) and the account duties.
    DirectoryReader => Officer | SystemAdmin | SecurityAdmin;
    /// Either side of a supervisee's request: the supervisee or an officer of the case.
    RequestParty => Supervisee | Officer;
    /// A volunteer or social worker (协矫通), seeing the cases whose team they are on.
    Volunteer => Volunteer;
    /// Who reads help sessions: the case's officers, and their authors.
    HelpReader => Officer | Volunteer;
    /// Who runs on-site activities: officers, and the volunteers who organise them.
    ActivityStaff => Officer | Volunteer;
}
