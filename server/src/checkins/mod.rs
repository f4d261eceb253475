//! Face enrolment and face-verified check-ins: challenge → selfie + GPS fix → verdict.

mod enrol;
pub mod requests;
pub mod retention;
pub mod schedule;
mod submit;

use axum::extract::DefaultBodyLimit;
use base64::Engine;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Photos travel base64 in JSON: up to 5 reference photos of a few MB each.
const PHOTO_BODY_LIMIT: usize = 40 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol::enrol_face, enrol::face_history))
        .routes(routes!(submit::challenge))
        .routes(routes!(submit::submit_checkin))
        .routes(routes!(submit::list_checkins))
        .routes(routes!(submit::checkin_photo))
        .routes(routes!(
            schedule::declare_sensitive_period,
            schedule::list_sensitive_periods
        ))
        .routes(routes!(schedule::obligations))
        .routes(routes!(
            requests::request_checkin,
            requests::list_checkin_requests
        ))
        .layer(DefaultBodyLimit::max(PHOTO_BODY_LIMIT))
}

pub fn decode_photo(field: &str, b64: &str) -> ApiResult<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| ApiError::field(field, "base64 of a JPEG or PNG"))
        .and_then(|b| {
            if b.is_empty() {
                Err(ApiError::field(field, "empty"))
            } else {
                Ok(b)
            }
        })
}

/// A face-engine failure as an API error naming the photo.
pub fn face_error(field: String, e: huijiao_core::face::FaceError) -> ApiError {
    let code = e.code();
    if code == huijiao_core::ErrorCode::Internal {
        return ApiError::internal(e);
    }
    ApiError {
        errors: vec![huijiao_core::api::FieldProblem {
            field,
            message: e.to_string(),
        }],
        ..code.into()
    }
}
