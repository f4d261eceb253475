//! One file per person (一人一档): `GET /cases/{id}/file` answers the whole case as one ZIP —
//! `dossier.pdf` (every section of the record, `sections`), the original attachments as they
//! were uploaded, and `manifest.json` naming each file with its size and SHA-256 — made from
//! the same tables the API reads, for the case's officers. A minor's identity is masked in it
//! as in any export; face images and templates are never in it. Each export is audited.

mod sections;

use std::io::{Seek, Write};

use axum::body::Body;
use axum::http::header;

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

    // The archive is written to a file nobody can open (unlinked at once) and sent from it
    // in chunks: one attachment at a time is in memory, however large the file.
    let mut zip = Archive::new(&state.config.data_dir)?;
    zip = zip.add("dossier.pdf".into(), dossier).await?;
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
        zip = zip.add(name, bytes).await?;
    }
    let manifest = json!({
        "case_id": c.id,
        "generated_at": now,
        "generated_by": caller.id,
        "files": zip.listed.iter().map(|(name, size, sha256)| json!({
            "name": name, "size": size, "sha256": sha256,
        })).collect::<Vec<_>>(),
    });
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(ApiError::internal)?;
    zip = zip.add("manifest.json".into(), manifest).await?;
    let names: Vec<String> = zip.listed.iter().map(|(n, _, _)| n.clone()).collect();
    let (file, length) = zip.finish().await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseFileExported,
        "case",
        Some(c.id.to_string()),
        json!({ "files": names }),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_LENGTH, length.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"case-{}.zip\"", c.id),
            ),
        ],
        Body::from_stream(crate::media::file_chunks(file)),
    ))
}

/// A ZIP being written to an unlinked temporary file, with what it lists (name, size,
/// SHA-256) for the manifest.
struct Archive {
    zip: zip::ZipWriter<std::fs::File>,
    listed: Vec<(String, usize, String)>,
}

impl Archive {
    fn new(dir: &std::path::Path) -> ApiResult<Archive> {
        let file = tempfile::tempfile_in(dir).map_err(ApiError::internal)?;
        Ok(Archive {
            zip: zip::ZipWriter::new(file),
            listed: Vec::new(),
        })
    }

    /// Adds a file (compressed off the async runtime).
    async fn add(mut self, name: String, bytes: Vec<u8>) -> ApiResult<Archive> {
        tokio::task::spawn_blocking(move || {
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            self.zip
                .start_file(name.as_str(), options)
                .map_err(ApiError::internal)?;
            self.zip.write_all(&bytes).map_err(ApiError::internal)?;
            let digest = hex::encode(Sha256::digest(&bytes));
            self.listed.push((name, bytes.len(), digest));
            Ok(self)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// The finished archive, from its start, and its length.
    async fn finish(self) -> ApiResult<(tokio::fs::File, u64)> {
        tokio::task::spawn_blocking(move || {
            let mut file = self.zip.finish().map_err(ApiError::internal)?;
            let length = file.stream_position().map_err(ApiError::internal)?;
            file.rewind().map_err(ApiError::internal)?;
            Ok((tokio::fs::File::from_std(file), length))
        })
        .await
        .map_err(ApiError::internal)?
    }
}
