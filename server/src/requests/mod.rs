//! Requests a supervisee makes and officers decide: leave (外出), relocation (迁居) and
//! visitors (会客). The rules are in `huijiao_core::policy`.

pub mod attachments;
pub mod leave;
pub mod relocation;
pub mod visitor;

use huijiao_core::model::UnitKind;
use huijiao_core::policy::leave::ApprovalLevel;
use huijiao_core::ErrorCode;
use sea_orm::{ConnectionTrait, EntityTrait};
use utoipa_axum::router::OpenApiRouter;

use crate::auth::extractor::AuthUser;
use crate::entities::org_unit;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    leave::routes()
        .merge(relocation::routes())
        .merge(visitor::routes())
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload, attachments::list))
                .routes(routes!(attachments::download))
                // Evidence travels base64 in JSON: 10 MB of file.
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
}

/// The level an officer decides at, from their unit's kind.
pub async fn officer_level(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
) -> ApiResult<ApprovalLevel> {
    let unit = org_unit::Entity::find_by_id(caller.unit_id.ok_or(ErrorCode::Forbidden)?)
        .one(db)
        .await?
        .ok_or(ErrorCode::Forbidden)?;
    Ok(ApprovalLevel::of_unit(
        UnitKind::parse(&unit.kind).ok_or_else(|| ApiError::internal("bad unit kind"))?,
    ))
}
