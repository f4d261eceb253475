//! Volunteer service certificates (志愿服务证明, after the Ministry of Civil Affairs' 2020 rules
//! on volunteer service records and certificates): an officer issues one from the confirmed
//! help of the months asked; the volunteer and officers download it as a PDF; anyone holding
//! its number can check that it was issued (`GET /certificates/{number}`, no sign-in: the
//! number's 60 random bits are what keeps others out).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Datelike;
use huijiao_core::api::{
    CertificateCheckView, CertificateIssue, CertificateView, HelpKindMinutes, Page, Problem,
};
use huijiao_core::model::AuditAction;
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::calendar::months_span;
use huijiao_core::policy::help::{
    certificate_number, minutes_by_kind, read_certificate_number, service_record, HelpStatus,
    SERVICE_CERTIFICATE_PREFIX,
};
use huijiao_core::policy::mask_name;
use huijiao_core::{ErrorCode, Label, Said};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::record::{audit_officer_read, volunteer_in_reach};
use crate::actor::Actor;
use crate::auth::extractor::{HelpReader, Officer, RequestMeta};
use crate::auth::throttle;
use crate::entities::{help_session, service_certificate};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::ledger::check_month;
use crate::paging::{Order, PageQuery, PageRequest};
use crate::pdf;
use crate::state::AppState;
use crate::work::Work;

fn view(c: &service_certificate::Model) -> ApiResult<CertificateView> {
    Ok(CertificateView {
        number: c.number.clone(),
        volunteer_id: c.volunteer_id,
        volunteer_name: c.volunteer_name.clone(),
        unit_id: c.unit_id,
        unit_name: c.unit_name.clone(),
        from_month: c.from_month.clone(),
        to_month: c.to_month.clone(),
        minutes: c.minutes.max(0) as u32,
        sessions: c.sessions.max(0) as u32,
        by_kind: serde_json::from_value(c.by_kind.clone()).map_err(ApiError::internal)?,
        issued_by: c.issued_by,
        issued_at: c.issued_at,
    })
}

/// An officer of the volunteer's jurisdiction issues a certificate of the confirmed help in
/// the months asked (China time). Audited.
#[utoipa::path(post, path = "/volunteers/{id}/certificates", tag = "help", params(("id" = Uuid, Path)), request_body = CertificateIssue,
    responses((status = 201, body = CertificateView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn issue(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
    Json(req): Json<CertificateIssue>,
) -> ApiResult<(StatusCode, Json<CertificateView>)> {
    let volunteer = volunteer_in_reach(&state.db, &caller, id).await?;
    check_month("from_month", &req.from_month, state.clock.now())?;
    check_month("to_month", &req.to_month, state.clock.now())?;
    let (from, to) = months_span(&req.from_month, &req.to_month).ok_or_else(|| {
        ApiError::field(
            "to_month",
            Said::new("not before from_month", "不能早于起始月份"),
        )
    })?;
    let work = Work::begin(&state).await?;
    let confirmed = help_session::Entity::find()
        .filter(help_session::Column::AuthorId.eq(volunteer.id))
        .filter(help_session::Column::Status.eq(HelpStatus::Confirmed.as_str()))
        .filter(help_session::Column::BeganAt.gte(from))
        .filter(help_session::Column::BeganAt.lt(to))
        .all(work.db())
        .await?;
    let months = service_record(
        confirmed
            .iter()
            .map(|s| (s.began_at, s.kind, s.minutes.max(0) as u32)),
    );
    let minutes: u32 = months.iter().map(|m| m.minutes).sum();
    if minutes == 0 {
        return Err(ErrorCode::HelpNothingToCertify.into());
    }
    let by_kind: Vec<HelpKindMinutes> = minutes_by_kind(&months)
        .into_iter()
        .map(|(kind, minutes)| HelpKindMinutes { kind, minutes })
        .collect();
    let unit = crate::org::own_unit(work.db(), &caller).await?;
    let now = state.clock.now();
    let year = now
        .with_timezone(&huijiao_core::policy::calendar::local_offset())
        .year();
    let row = service_certificate::ActiveModel {
        id: Set(Uuid::now_v7()),
        number: Set(certificate_number(
            SERVICE_CERTIFICATE_PREFIX,
            u16::try_from(year).map_err(ApiError::internal)?,
            rand::random::<u64>(),
        )),
        volunteer_id: Set(volunteer.id),
        volunteer_name: Set(volunteer.display_name),
        unit_id: Set(unit.id),
        unit_name: Set(unit.name),
        from_month: Set(req.from_month.clone()),
        to_month: Set(req.to_month.clone()),
        minutes: Set(i32::try_from(minutes).map_err(ApiError::internal)?),
        sessions: Set(confirmed.len() as i32),
        by_kind: Set(json!(by_kind)),
        issued_by: Set(caller.id),
        issued_at: Set(now),
    }
    .insert(work.db())
    .await?;
    work.audit(
        &Actor::from(&caller),
        AuditAction::HelpCertificateIssued,
        "user",
        volunteer.id,
        json!({ "number": row.number, "from_month": row.from_month, "to_month": row.to_month, "minutes": minutes }),
    )
    .await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(view(&row)?)))
}

/// A volunteer's certificates, newest first: their own, or a volunteer's of the officer's
/// jurisdiction.
#[utoipa::path(get, path = "/volunteers/{id}/certificates", tag = "help", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<CertificateView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_volunteer(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<CertificateView>>> {
    let volunteer = volunteer_in_reach(&state.db, &caller, id).await?;
    let find = service_certificate::Entity::find()
        .filter(service_certificate::Column::VolunteerId.eq(volunteer.id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |c| view(&c))
            .await?,
    ))
}

crate::seek_by!(service_certificate, IssuedAt, issued_at);

async fn by_number(
    db: &impl sea_orm::ConnectionTrait,
    typed: &str,
) -> ApiResult<service_certificate::Model> {
    let number = read_certificate_number(SERVICE_CERTIFICATE_PREFIX, typed)
        .map_err(|code| ApiError::from(code).naming("number", code.into()))?;
    service_certificate::Entity::find()
        .filter(service_certificate::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// Checks a certificate by its number (as printed, any case, with or without dashes). No
/// sign-in: whoever holds the certificate (an employer, a school) checks it here.
#[utoipa::path(get, path = "/certificates/{number}", tag = "help", params(("number" = String, Path)),
    responses((status = 200, body = CertificateCheckView), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn check(
    State(state): State<AppState>,
    meta: RequestMeta,
    Path(number): Path<String>,
) -> ApiResult<Json<CertificateCheckView>> {
    // Numbers are not guessable (60 random bits), but nobody may try them by the thousand:
    // an address with `auth.address_max_failures` misses in `auth.lockout_minutes` waits.
    let now = state.clock.now();
    let key = meta.ip.as_deref().map(|ip| format!("certificate:{ip}"));
    if let Some(k) = &key {
        if throttle::locked(&state.db, k, now).await?.is_some() {
            return Err(ErrorCode::HelpTooManyLookups.into());
        }
    }
    let found = by_number(&state.db, &number).await;
    if let (Err(_), Some(k)) = (&found, &key) {
        let cfg = &state.config.auth;
        let window = chrono::Duration::minutes(cfg.lockout_minutes);
        if let Ok(n) = throttle::count(&state.db, k, window, now).await? {
            if n >= cfg.address_max_failures {
                throttle::lock(&state.db, k, now + window).await?;
            }
        }
    }
    let c = found?;
    Ok(Json(CertificateCheckView {
        number: c.number,
        volunteer_name_masked: mask_name(&c.volunteer_name),
        unit_name: c.unit_name,
        from_month: c.from_month,
        to_month: c.to_month,
        minutes: c.minutes.max(0) as u32,
        issued_at: c.issued_at,
    }))
}

/// Hours and minutes as a certificate says them: `12 小时 30 分钟`.
fn hours(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} 小时"),
        (0, m) => format!("{m} 分钟"),
        (h, m) => format!("{h} 小时 {m} 分钟"),
    }
}

/// The certificate as a PDF (A4, Chinese), for the volunteer and officers of their
/// jurisdiction.
#[utoipa::path(get, path = "/certificates/{number}/pdf", tag = "help", params(("number" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn pdf(
    State(state): State<AppState>,
    caller: HelpReader,
    Path(number): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let c = by_number(&state.db, &number).await?;
    volunteer_in_reach(&state.db, &caller, c.volunteer_id).await?;
    let v = view(&c)?;
    let content = v
        .by_kind
        .iter()
        .map(|k| format!("{} {}", k.kind.zh(), hours(k.minutes)))
        .collect::<Vec<_>>()
        .join("，");
    let certificate = pdf::Certificate {
        title: "志愿服务证明",
        body: vec![
            format!(
                "兹证明 {} 于 {} 至 {} 期间参加社区矫正志愿服务（帮教），经本单位确认的服务时长共计 {}，共 {} 次。",
                c.volunteer_name,
                c.from_month,
                c.to_month,
                hours(v.minutes),
                v.sessions
            ),
            format!("服务内容：{content}。"),
        ],
        issuer_label: "出具单位",
        issuer: c.unit_name.clone(),
        issued_on: local_date(c.issued_at),
        number_label: "证明编号",
        number: c.number.clone(),
        check: Some(format!(
            "查验：凭证明编号访问 {}/api/v1/certificates/{}，无需登录。",
            state.config.public_url.trim_end_matches('/'),
            c.number
        )),
    };
    let download = certificate.download(&state.config.pdf_font).await?;
    audit_officer_read(
        &state,
        &caller,
        c.volunteer_id,
        json!({ "certificate": c.number }),
    )
    .await?;
    Ok(download)
}
