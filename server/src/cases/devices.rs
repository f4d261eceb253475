//! Binding the supervisee's phone: one approved device at a time, approved by an officer.

use axum::extract::State;
use huijiao_core::api::{DeviceView, Problem};
use huijiao_core::model::{AuditAction, DeviceStatus};
use huijiao_core::policy::transitions::{DeviceAction, Party, DEVICE};
use huijiao_core::ErrorCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use super::{find_case, find_case_for_write};
use crate::audit::Actor;
use crate::auth::extractor::Officer;
use crate::entities::{device, session};
use crate::error::{ApiResult, Json, Path};
use crate::state::AppState;
use crate::transition::{step, step_all};
use crate::work::Work;

fn device_view(d: device::Model) -> ApiResult<DeviceView> {
    Ok(DeviceView {
        id: d.id,
        status: d.status,
        device_id: d.device_id,
        name: d.name,
        first_seen_at: d.first_seen_at,
        approved_by: d.approved_by,
        approved_at: d.approved_at,
    })
}

/// Devices the supervisee has signed in from (officers of the case).
#[utoipa::path(get, path = "/cases/{id}/devices", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<DeviceView>), (status = 404, body = Problem)))]
pub async fn list_devices(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<DeviceView>>> {
    let c = find_case(&state.db, &caller, id).await?;
    let Some(uid) = c.user_id else {
        return Ok(Json(vec![]));
    };
    let rows = device::Entity::find()
        .filter(device::Column::UserId.eq(uid))
        .order_by_asc(device::Column::FirstSeenAt)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(device_view)
            .collect::<ApiResult<_>>()?,
    ))
}

async fn set_device(
    state: &AppState,
    caller: &Officer,
    id: Uuid,
    device_row: Uuid,
    approve: bool,
) -> ApiResult<Json<DeviceView>> {
    let work = Work::begin(state).await?;
    let c = find_case_for_write(work.db(), caller, id).await?;
    let uid = c.user_id.ok_or(ErrorCode::NotFound)?;
    let d = device::Entity::find_by_id(device_row)
        .filter(device::Column::UserId.eq(uid))
        .one(work.db())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let now = state.clock.now();
    // Sessions on phones that are no longer the approved one end now.
    let end_sessions_on = async |phones: sea_orm::Condition| {
        crate::auth::end_sessions(work.db(), now, "device_changed", |q| {
            q.filter(session::Column::UserId.eq(uid)).filter(phones)
        })
        .await
    };
    let party = Party::person(caller.role, None);
    let d = if approve {
        let d = step(work.db(), &DEVICE, DeviceAction::Approve, party, &d, |q| {
            q.col_expr(device::Column::ApprovedBy, Expr::value(caller.id))
                .col_expr(device::Column::ApprovedAt, Expr::value(now))
        })
        .await?;
        // One approved phone at a time: the one before is revoked.
        step_all::<device::Entity, _>(work.db(), &DEVICE, DeviceAction::Revoke, party, |q| {
            q.filter(device::Column::UserId.eq(uid))
                .filter(device::Column::Id.ne(d.id))
                .filter(device::Column::Status.eq(DeviceStatus::Approved))
        })
        .await?;
        let others = session::Column::DeviceId.ne(d.device_id.clone());
        end_sessions_on(sea_orm::Condition::all().add(others)).await?;
        d
    } else {
        let this = session::Column::DeviceId.eq(d.device_id.clone());
        end_sessions_on(sea_orm::Condition::all().add(this)).await?;
        step(work.db(), &DEVICE, DeviceAction::Revoke, party, &d, |q| q).await?
    };
    let action = if approve {
        AuditAction::DeviceApproved
    } else {
        AuditAction::DeviceRevoked
    };
    work.audit(
        &Actor::from(caller),
        action,
        "case",
        id,
        json!({ "device": d.id }),
    )
    .await?;
    work.commit().await?;
    Ok(Json(device_view(d)?))
}

/// Approves a phone as the supervisee's one bound device; any other approved device is revoked
/// and its sessions end.
#[utoipa::path(post, path = "/cases/{id}/devices/{record_id}/approve", tag = "cases",
    params(("id" = Uuid, Path), ("record_id" = Uuid, Path, description = "the device record's `id` (`DeviceView.id`), not the phone's `device_id`")),
    responses((status = 200, body = DeviceView), (status = 404, body = Problem)))]
pub async fn approve_device(
    State(state): State<AppState>,
    caller: Officer,
    Path((id, device_row)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<DeviceView>> {
    set_device(&state, &caller, id, device_row, true).await
}

/// Revokes a device (lost or replaced phone); its sessions end.
#[utoipa::path(post, path = "/cases/{id}/devices/{record_id}/revoke", tag = "cases",
    params(("id" = Uuid, Path), ("record_id" = Uuid, Path, description = "the device record's `id` (`DeviceView.id`), not the phone's `device_id`")),
    responses((status = 200, body = DeviceView), (status = 404, body = Problem)))]
pub async fn revoke_device(
    State(state): State<AppState>,
    caller: Officer,
    Path((id, device_row)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<DeviceView>> {
    set_device(&state, &caller, id, device_row, false).await
}
