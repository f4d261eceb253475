//! One file per person (一人一档): `GET /cases/{id}/file` answers the whole case as one ZIP —
//! `dossier.pdf` (every section of the record, `sections`), the original attachments as they
//! were uploaded, and `manifest.json` naming each file with its size and SHA-256 — made from
//! the same tables the API reads, for the case's officers. A minor's identity is masked in it
//! as in any export; face images and templates are never in it. Each export is audited.

mod sections;

use std::io::Write;

use axum::extract::State;
use axum::response::IntoResponse;
use huijiao_core::api::Problem;
use huijiao_core::model::AuditAction;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;
use zip::write::SimpleFileOptions;

use crate::actor::Actor;
use crate::auth::extractor::Officer;
use crate::cases::find_case;
use crate::entities::{leave_attachment, leave_request};
use crate::error::{ApiError, ApiResult, Path};
use crate::pdf;
use crate::state::AppState;

/// This domain as the server wires it (`app::DOMAINS`).
pub const DOMAIN: crate::domain::Domain = crate::domain::Domain::new("casefile", routes);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(file))
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// The case file as a ZIP (officers of the case; audited).
#[utoipa::path(get, path = "/cases/{id}/file", tag = "casefile", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 503, body = Problem)))]
pub async fn file(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<impl IntoResponse> {
    let c = find_case(&state.db, &caller, id).await?;
    let now = state.clock.now();
    let blocks = sections::dossier(&state.db, &c, now).await?;
    let font = pdf::load_font(&state.config.pdf_font)?;
    let dossier =
        tokio::task::spawn_blocking(move || pdf::render(&font, "社区矫正对象档案", &blocks))
            .await
            .map_err(ApiError::internal)??;

    let mut files: Vec<(String, Vec<u8>)> = vec![("dossier.pdf".into(), dossier)];
    let leaves: Vec<Uuid> = leave_request::Entity::find()
        .filter(leave_request::Column::CaseId.eq(c.id))
        .all(&state.db)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    for a in leave_attachment::Entity::find()
        .filter(leave_attachment::Column::LeaveId.is_in(leaves))
        .all(&state.db)
        .await?
    {
        let bytes = state.media.get(&a.media_key, a.leave_id.as_bytes()).await?;
        let name = format!(
            "attachments/leave-{}/{}-{}.{}",
            a.leave_id,
            a.kind,
            a.id,
            extension(&a.content_type)
        );
        files.push((name, bytes));
    }
    let manifest = json!({
        "case_id": c.id,
        "generated_at": now,
        "generated_by": caller.id,
        "files": files.iter().map(|(name, bytes)| json!({
            "name": name, "size": bytes.len(), "sha256": hex::encode(Sha256::digest(bytes)),
        })).collect::<Vec<_>>(),
    });
    files.push((
        "manifest.json".into(),
        serde_json::to_vec_pretty(&manifest).map_err(ApiError::internal)?,
    ));
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let zipped = tokio::task::spawn_blocking(move || zip_up(files))
        .await
        .map_err(ApiError::internal)??;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseFileExported,
        "case",
        Some(c.id.to_string()),
        json!({ "files": names }),
    )
    .await?;
    Ok(pdf::attachment(
        "application/zip",
        &format!("case-{}.zip", c.id),
        zipped,
    ))
}

fn zip_up(files: Vec<(String, Vec<u8>)>) -> ApiResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(ApiError::internal)?;
        zip.write_all(&bytes).map_err(ApiError::internal)?;
    }
    Ok(zip.finish().map_err(ApiError::internal)?.into_inner())
}
