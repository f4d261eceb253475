//! Release at term end (解除社区矫正, law art. 44): the county agency releases the person on
//! the last day of the term or after, announces it where and before whom it says, and issues
//! the release certificate (a numbered PDF). The case closes read-only like any other end
//! (`intake::change`): the login is disabled and the biometric purge schedule starts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Datelike;
use huijiao_core::api::{Problem, ReleaseRequest, ReleaseView};
use huijiao_core::model::{AuditAction, CaseStatus, Role};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::help::certificate_number;
use huijiao_core::policy::release::{
    check_announcement, check_release, RELEASE_CERTIFICATE_PREFIX,
};
use huijiao_core::ErrorCode;
use huijiao_core::Label;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use super::{find_case, find_case_for_write, identity};
use crate::actor::Actor;
use crate::auth::extractor::Officer;
use crate::entities::release_certificate;
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::pdf::{self, date_zh};
use crate::state::AppState;
use crate::work::Work;

fn view(r: release_certificate::Model) -> ApiResult<ReleaseView> {
    Ok(ReleaseView {
        case_id: r.case_id,
        number: r.number,
        released_on: r.released_on,
        place: r.place,
        attendees: serde_json::from_value(r.attendees).map_err(ApiError::internal)?,
        note: r.note,
        unit_name: r.unit_name,
        issued_by: r.issued_by,
        issued_at: r.issued_at,
    })
}

fn check(req: &ReleaseRequest) -> ApiResult<()> {
    check_announcement(&req.place, &req.attendees, req.note.as_deref())
        .map_err(|p| ApiError::field(p.field, p.said))
}

/// The county agency releases the person at term end and issues the certificate.
#[utoipa::path(post, path = "/cases/{id}/release", tag = "cases", params(("id" = Uuid, Path)), request_body = ReleaseRequest,
    responses((status = 201, body = ReleaseView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn release(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<ReleaseRequest>,
) -> ApiResult<(StatusCode, Json<ReleaseView>)> {
    check(&req)?;
    let work = Work::begin(&state).await?;
    let c = find_case_for_write(work.db(), &caller, id).await?;
    let now = state.clock.now();
    let today = local_date(now);
    if c.status == CaseStatus::Active {
        check_release(c.end_date, today)?;
    }
    let party = crate::org::party(work.db(), &caller).await?;
    let c = super::intake::change(
        work.db(),
        now,
        &caller,
        party,
        c,
        CaseStatus::Released,
        "release at term end",
    )
    .await?;
    let unit = crate::org::own_unit(work.db(), &caller).await?;
    let year = u16::try_from(today.year()).map_err(ApiError::internal)?;
    let row = release_certificate::ActiveModel {
        case_id: Set(c.id),
        number: Set(certificate_number(
            RELEASE_CERTIFICATE_PREFIX,
            year,
            rand::random::<u64>(),
        )),
        released_on: Set(today),
        place: Set(req.place.trim().to_owned()),
        attendees: Set(json!(req
            .attendees
            .iter()
            .map(|a| a.trim())
            .collect::<Vec<_>>())),
        note: Set(req
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)),
        unit_name: Set(unit.name),
        issued_by: Set(caller.id),
        issued_at: Set(now),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::CaseReleased,
        "case",
        c.id,
        json!({ "number": row.number, "released_on": row.released_on }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(row)?)))
}

async fn find_release(
    state: &AppState,
    caller: &Officer,
    id: Uuid,
) -> ApiResult<(crate::entities::case::Model, release_certificate::Model)> {
    let c = find_case(&state.db, caller, id).await?;
    let r = release_certificate::Entity::find_by_id(c.id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok((c, r))
}

/// A released case's release and certificate number (its officers).
#[utoipa::path(get, path = "/cases/{id}/release", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReleaseView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ReleaseView>> {
    Ok(Json(view(find_release(&state, &caller, id).await?.1)?))
}

/// The release certificate as a PDF (A4, Chinese), for the case's officers to print and hand
/// over. Each download is audited.
#[utoipa::path(get, path = "/cases/{id}/release/certificate", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 503, body = Problem)))]
pub async fn certificate(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<impl IntoResponse> {
    let (c, r) = find_release(&state, &caller, id).await?;
    // The certificate is the person's own document: the officer's detail view of them.
    let (name, national_id) = identity(&c, Role::Officer, true);
    let gender = c
        .gender
        .as_deref()
        .map(|g| format!("，{g}"))
        .unwrap_or_default();
    let certificate = pdf::Certificate {
        title: "解除社区矫正证明书",
        body: vec![
            format!(
                "社区矫正对象 {name}{gender}，公民身份号码 {national_id}，因犯{}，经{}{}判处（决定）{}，社区矫正期限自 {} 起至 {} 止。",
                c.crime,
                c.court,
                c.judgment_number,
                c.sentence_kind.zh(),
                date_zh(c.start_date),
                date_zh(c.end_date),
            ),
            format!(
                "其社区矫正期限届满，依照《中华人民共和国社区矫正法》第四十四条的规定，于 {} 解除社区矫正。",
                date_zh(r.released_on)
            ),
        ],
        issuer_label: "出具机关",
        issuer: r.unit_name.clone(),
        issued_on: r.released_on,
        number_label: "证明书编号",
        number: r.number.clone(),
        check: None,
    };
    let download = certificate.download(&state.config.pdf_font).await?;
    crate::audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CaseReleaseCertificateRead,
        "case",
        Some(c.id.to_string()),
        json!({ "number": r.number }),
    )
    .await?;
    Ok(download)
}
