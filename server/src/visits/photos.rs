//! Photos taken on a visit: an officer of the case adds them once the visit is recorded (up to
//! `VISIT_PHOTOS_MAX`, each an image that really decodes), encrypted in the media store with
//! the visit's id bound in; the case's officers read them, each read audited. They may show
//! people, so they go with the case's biometrics when it closes (`checkins::retention`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use huijiao_core::api::{Problem, VisitPhotoNew, VisitPhotoView};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::visits::{VISIT_PHOTOS_MAX, VISIT_PHOTO_MAX_BYTES};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::extractor::Officer;
use crate::cases::{find_case, find_case_for_write};
use crate::entities::{visit, visit_photo};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::pdf;
use crate::state::AppState;
use crate::work::Work;

fn view(p: visit_photo::Model) -> VisitPhotoView {
    VisitPhotoView {
        id: p.id,
        visit_id: p.visit_id,
        content_type: p.content_type,
        size: p.size.max(0) as u64,
        created_at: p.created_at,
    }
}

/// An officer of the case adds a photo to a visit of a case still open.
#[utoipa::path(post, path = "/visits/{id}/photos", tag = "visits", params(("id" = Uuid, Path)), request_body = VisitPhotoNew,
    responses((status = 201, body = VisitPhotoView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<VisitPhotoNew>,
) -> ApiResult<(StatusCode, Json<VisitPhotoView>)> {
    let v = visit::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case_for_write(&state.db, &caller, v.case_id).await?;
    if !matches!(req.content_type.as_str(), "image/jpeg" | "image/png") {
        return Err(ApiError::field(
            "content_type",
            Said::new("image/jpeg or image/png", "须为 image/jpeg 或 image/png"),
        ));
    }
    let bytes =
        crate::validate::decoded_upload(&req.content_type, &req.content, VISIT_PHOTO_MAX_BYTES)
            .await?;
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, v.case_id).await?;
    let taken = visit_photo::Entity::find()
        .filter(visit_photo::Column::VisitId.eq(id))
        .count(work.db())
        .await?;
    if taken >= VISIT_PHOTOS_MAX as u64 {
        return Err(ErrorCode::VisitPhotosFull.into());
    }
    let key = state
        .media
        .put(&format!("visits/{id}"), &bytes, id.as_bytes())
        .await?;
    let row = visit_photo::ActiveModel {
        id: Set(Uuid::now_v7()),
        visit_id: Set(id),
        content_type: Set(req.content_type),
        size: Set(bytes.len() as i64),
        media_key: Set(key),
        taken_by: Set(caller.id),
        created_at: Set(state.clock.now()),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::VisitPhotoAdded,
        "case",
        c.id,
        json!({ "visit_id": id, "photo_id": row.id, "size": row.size }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(row))))
}

/// The photo itself, for the case's officers. Reading it is audited.
#[utoipa::path(get, path = "/visits/{id}/photos/{photo_id}", tag = "visits", params(("id" = Uuid, Path), ("photo_id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Officer,
    Path((id, photo_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<impl IntoResponse> {
    let v = visit::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let c = find_case(&state.db, &caller, v.case_id).await?;
    let p = visit_photo::Entity::find_by_id(photo_id)
        .filter(visit_photo::Column::VisitId.eq(id))
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let bytes = state.media.get(&p.media_key, id.as_bytes()).await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::VisitPhotoRead,
        "case",
        Some(c.id.to_string()),
        json!({ "visit_id": id, "photo_id": p.id }),
    )
    .await?;
    let ext = if p.content_type == "image/png" {
        "png"
    } else {
        "jpg"
    };
    Ok(pdf::attachment(
        &p.content_type,
        &format!("visit-{}.{ext}", p.id),
        bytes,
    ))
}
