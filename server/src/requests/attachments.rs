//! Evidence for leave requests, stored encrypted; readable by who can see the case. The bytes
//! must be what they claim: an image that decodes, or a PDF without active content
//! (`validate::check_upload`); downloads are never sniffed or opened in place.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use huijiao_core::api::{AttachmentUpload, AttachmentView, Problem};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::leave as rules;
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::auth::extractor::{AuthUser, RequestParty};
use crate::cases::find_case;
use crate::entities::{leave_attachment as la, leave_request};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::state::AppState;
use crate::work::Work;

const MAX_BYTES: usize = 10 * 1024 * 1024;

fn view(a: la::Model) -> AttachmentView {
    AttachmentView {
        id: a.id,
        kind: a.kind,
        content_type: a.content_type,
        size: a.size,
        uploaded_by: a.uploaded_by,
        uploaded_at: a.uploaded_at,
    }
}

async fn leave_for(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<leave_request::Model> {
    let l = leave_request::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&state.db, caller, l.case_id).await?;
    Ok(l)
}

/// Attaches evidence to a leave that is still a draft or awaiting decision.
#[utoipa::path(post, path = "/leaves/{id}/attachments", tag = "requests", params(("id" = Uuid, Path)), request_body = AttachmentUpload,
    responses((status = 201, body = AttachmentView), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    Json(req): Json<AttachmentUpload>,
) -> ApiResult<(StatusCode, Json<AttachmentView>)> {
    let l = leave_for(&state, &caller, id).await?;
    if !rules::LEAVE_ATTACHABLE.contains(&l.status) {
        return Err(ErrorCode::LeaveTransitionInvalid.into());
    }
    if !rules::ATTACHMENT_KINDS.contains(&req.kind.as_str()) {
        return Err(ApiError::field(
            "kind",
            Said::new(
                "medical, employer, school, legal or other",
                "须为 medical、employer、school、legal 或 other",
            ),
        ));
    }
    let bytes = crate::validate::decoded_upload(&req.content_type, &req.content, MAX_BYTES).await?;
    let key = state
        .media
        .put(&format!("leaves/{id}"), &bytes, id.as_bytes())
        .await?;
    let work = Work::begin(&state).await?;
    let a = la::ActiveModel {
        id: Set(Uuid::now_v7()),
        leave_id: Set(id),
        kind: Set(req.kind),
        content_type: Set(req.content_type),
        size: Set(bytes.len() as i64),
        media_key: Set(key),
        uploaded_by: Set(caller.id),
        uploaded_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::LeaveAttachmentAdded,
        "leave",
        id,
        json!({ "attachment_id": a.id, "kind": a.kind }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(a))))
}

#[utoipa::path(get, path = "/leaves/{id}/attachments", tag = "requests", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AttachmentView>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<AttachmentView>>> {
    leave_for(&state, &caller, id).await?;
    let rows = la::Entity::find()
        .filter(la::Column::LeaveId.eq(id))
        .order_by_asc(la::Column::UploadedAt)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect()))
}

/// The file itself. Reading it is audited.
#[utoipa::path(get, path = "/leaves/{id}/attachments/{attachment_id}", tag = "requests", params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<AppState>,
    caller: RequestParty,
    Path((id, attachment_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Response> {
    let l = leave_for(&state, &caller, id).await?;
    let a = la::Entity::find_by_id(attachment_id)
        .filter(la::Column::LeaveId.eq(id))
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let bytes = state.media.get(&a.media_key, id.as_bytes()).await?;
    let ext = match a.content_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    let disposition = format!("attachment; filename=\"{}.{ext}\"", a.id);
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::LeaveAttachmentRead,
        "leave",
        Some(id.to_string()),
        json!({ "attachment_id": a.id, "case_id": l.case_id }),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.as_str()),
            (header::CACHE_CONTROL, "no-store"),
            // Never rendered in the browser as something else, never opened in place.
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_DISPOSITION, disposition.as_str()),
        ],
        bytes,
    )
        .into_response())
}
