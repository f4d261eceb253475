//! Presence on site: a supervisee checks in and out of an activity, each time with a GPS fix
//! inside its place and either a passed face check-in made moments before (the check-in
//! engine: liveness, the enrolled face, a real fix) or the organiser's rotating code. The
//! overlap of the presence with the window is credited to the month's ledger at check-out.
//! Sending either again (an outbox retry) returns the participation as it stands.

use axum::extract::State;
use chrono::{DateTime, Utc};
use huijiao_core::api::{Problem, Remark, ServiceParticipationView, ServicePresence};
use huijiao_core::policy::calendar::month_of;
use huijiao_core::policy::learning::{CreditSource, Obligation};
use huijiao_core::policy::service::{ParticipationAction, ParticipationStatus, PresenceProof};
use huijiao_core::policy::transitions::Party;
use huijiao_core::ErrorCode;
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::activities::{find_activity, participation_of, refuse_cancelled};
use super::participation_view;
use crate::auth::extractor::Supervisee;
use crate::cases::own_case;
use crate::checkins::on_site;
use crate::entities::{case, ledger_credit, service_activity, service_participation};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::ledger;
use crate::state::AppState;
use crate::validate::check_gps_fix;
use crate::work::Work;

/// What proved a presence: the proof, and the face check-in when it was one.
struct Proof {
    kind: PresenceProof,
    checkin_id: Option<Uuid>,
}

/// Checks that the person is on site now (`checkins::on_site`): the fix inside the place, and
/// a fresh passed face check-in of theirs or the activity's current code.
async fn prove(
    state: &AppState,
    db: &impl ConnectionTrait,
    a: &service_activity::Model,
    c: &case::Model,
    req: &ServicePresence,
    now: DateTime<Utc>,
) -> ApiResult<Proof> {
    let rules = &state.config.rules.service;
    let claim = on_site::Claim {
        location: &req.location,
        checkin_id: req.checkin_id,
        code: req.code.as_deref(),
    };
    let site = on_site::Site {
        at: (a.lat, a.lon),
        radius_m: a.radius_m.max(0) as u32,
        secret: &on_site::secret_of(&a.code_secret)?,
        code_secs: rules.code_secs,
        face_fresh_secs: rules.face_fresh_secs,
        refusals: on_site::Refusals {
            face_not_passed: ErrorCode::ActivityFaceNotPassed,
            code_expired: ErrorCode::ActivityCodeExpired,
            code_wrong: ErrorCode::ActivityCodeWrong,
            outside: ErrorCode::ActivityOutsidePlace,
            fix_unusable: ErrorCode::ActivityFixUnusable,
        },
    };
    let by_face = on_site::prove(state, db, c.id, &claim, &site, now).await?;
    Ok(Proof {
        kind: if by_face.is_some() {
            PresenceProof::Face
        } else {
            PresenceProof::Code
        },
        checkin_id: by_face,
    })
}

/// The activity, the person's case (locked: one presence at a time per person) and their
/// participation, for a check-in or check-out.
async fn on_site(
    work: &Work,
    caller: &Supervisee,
    id: Uuid,
    req: &ServicePresence,
) -> ApiResult<(
    service_activity::Model,
    case::Model,
    service_participation::Model,
)> {
    let a = find_activity(work.db(), caller, id).await?;
    refuse_cancelled(&a)?;
    check_gps_fix("location", &req.location)?;
    let c = own_case(work.db(), caller).await?;
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    let p = participation_of(work.db(), a.id, c.id)
        .await?
        .filter(|p| p.status.holds_place())
        .ok_or(ErrorCode::ActivityNotSignedUp)?;
    Ok((a, c, p))
}

fn set(
    col: service_participation::Column,
    v: impl Into<SimpleExpr>,
) -> (service_participation::Column, SimpleExpr) {
    (col, v.into())
}

/// Checks in on site: from shortly before the start until the end.
#[utoipa::path(post, path = "/service-activities/{id}/check-in", tag = "service", params(("id" = Uuid, Path)), request_body = ServicePresence,
    responses((status = 200, body = ServiceParticipationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<ServicePresence>,
) -> ApiResult<Json<ServiceParticipationView>> {
    let work = Work::begin(&state).await?;
    let (a, c, p) = on_site(&work, &caller, id, &req).await?;
    if p.status != ParticipationStatus::SignedUp {
        // Checked in already (a retry), or past it.
        return Ok(Json(participation_view(&p, &c, caller.role)));
    }
    huijiao_core::policy::require_active(c.status)?;
    let now = state.clock.now();
    if !state
        .config
        .rules
        .service
        .checkin_open(a.starts_at, a.ends_at, now)
    {
        return Err(ErrorCode::ActivityNotOpen.into());
    }
    let proof = prove(&state, work.db(), &a, &c, &req, now).await?;
    use service_participation::Column as C;
    let cols = [
        set(C::CheckedInAt, now),
        set(C::CheckInProof, proof.kind.as_str()),
        set(C::CheckInCheckinId, proof.checkin_id),
        set(C::CheckInLat, req.location.lat),
        set(C::CheckInLon, req.location.lon),
    ];
    let party = Party::person(caller.role, None);
    let check_in = ParticipationAction::CheckIn;
    let p = super::take(work.db(), check_in, party, &p, None, now, |q| {
        cols.into_iter().fold(q, |q, (col, v)| q.col_expr(col, v))
    })
    .await?;
    work.commit().await?;
    Ok(Json(participation_view(&p, &c, caller.role)))
}

/// Checks out on site, from the check-in until shortly after the end; the overlap of the
/// presence with the window goes to the month's ledger.
#[utoipa::path(post, path = "/service-activities/{id}/check-out", tag = "service", params(("id" = Uuid, Path)), request_body = ServicePresence,
    responses((status = 200, body = ServiceParticipationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn check_out(
    State(state): State<AppState>,
    caller: Supervisee,
    Path(id): Path<Uuid>,
    Json(req): Json<ServicePresence>,
) -> ApiResult<Json<ServiceParticipationView>> {
    let work = Work::begin(&state).await?;
    let (a, c, p) = on_site(&work, &caller, id, &req).await?;
    match p.status {
        ParticipationStatus::CheckedIn => {}
        ParticipationStatus::SignedUp => return Err(ErrorCode::ActivityTransitionInvalid.into()),
        // Checked out already (a retry), or settled since.
        _ => return Ok(Json(participation_view(&p, &c, caller.role))),
    }
    let rules = &state.config.rules.service;
    let now = state.clock.now();
    let checked_in = p
        .checked_in_at
        .ok_or_else(|| ApiError::internal("checked in, no time"))?;
    if now >= rules.closes_at(a.ends_at) {
        return Err(ErrorCode::ActivityNotOpen.into());
    }
    let proof = prove(&state, work.db(), &a, &c, &req, now).await?;
    let minutes = rules.credited_minutes(a.starts_at, a.ends_at, checked_in, now);
    use service_participation::Column as C;
    let cols = [
        set(C::CheckedOutAt, now),
        set(C::CheckOutProof, proof.kind.as_str()),
        set(C::CheckOutCheckinId, proof.checkin_id),
        set(C::CheckOutLat, req.location.lat),
        set(C::CheckOutLon, req.location.lon),
        set(C::CreditedMinutes, minutes as i32),
    ];
    let party = Party::person(caller.role, None);
    let check_out = ParticipationAction::CheckOut;
    let p = super::take(work.db(), check_out, party, &p, None, now, |q| {
        cols.into_iter().fold(q, |q, (col, v)| q.col_expr(col, v))
    })
    .await?;
    credit(work.db(), &a, &p, None, now).await?;
    work.commit().await?;
    let remarks = rules.credit_remarks(a.starts_at, a.ends_at, checked_in, now);
    Ok(Json(ServiceParticipationView {
        credit_remarks: remarks
            .into_iter()
            .map(|(k, said)| Remark::new(k, said))
            .collect(),
        ..participation_view(&p, &c, caller.role)
    }))
}

/// Puts what a participation credits in its month's ledger row (made on first use, corrected
/// in place after).
pub(super) async fn credit(
    db: &impl ConnectionTrait,
    a: &service_activity::Model,
    p: &service_participation::Model,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let existing = ledger_credit::Entity::find()
        .filter(ledger_credit::Column::ParticipationId.eq(p.id))
        .one(db)
        .await?;
    let entry = ledger::Entry {
        case_id: p.case_id,
        obligation: Obligation::CommunityService,
        month: month_of(a.starts_at),
        source: CreditSource::Service,
        credited_ms: i64::from(p.credited_minutes) * 60_000,
        reason: None,
        created_by: by,
        session_id: None,
        attendance_id: None,
        participation_id: Some(p.id),
    };
    ledger::put(db, existing, entry, now).await
}
