//! The check-in itself: a single-use challenge bound to the supervisee and phone, then the
//! selfie and GPS fix, checked for replay, face match and location, kept whatever the outcome.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{Duration, Utc};
use huijiao_core::api::{
    ChallengeView, CheckinRequest, CheckinReviewView, CheckinView, Page, Problem,
};
use huijiao_core::face::{compare, Decision, FaceAnalysis, Template};
use huijiao_core::model::{AuditAction, EventKind};
use huijiao_core::policy::calendar::local_date;
use huijiao_core::policy::checkin::{
    self as rules, CheckinAction, CheckinReason, CheckinResult, Fix,
};
use huijiao_core::policy::liveness::{self, Pose, PoseNotMet};
use huijiao_core::ErrorCode;
use huijiao_core::Said;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::{decode_photo, face_error};
use crate::audit::{self, Actor};
use crate::auth::extractor::{Officer, RequestParty, Supervisee};
use crate::auth::tokens::hash_refresh_token as sha256_hex;
use crate::cases::{find_case, own_active_case};
use crate::entities::{case, checkin, checkin_challenge};
use crate::error::{ApiError, ApiResult, Json, Path};
use crate::paging::{Order, PageQuery, PageRequest};
use crate::state::AppState;
use crate::validate::{check_gps_fix, check_text};
use crate::work::Work;

pub(super) fn view(c: &checkin::Model) -> ApiResult<CheckinView> {
    Ok(CheckinView {
        id: c.id,
        case_id: c.case_id,
        result: c.result,
        reasons: serde_json::from_value(c.reasons.clone()).map_err(ApiError::internal)?,
        face_distance: c.face_distance,
        created_at: c.created_at,
        counted: None,
        version: c.version,
        review: match (c.reviewed_by, c.reviewed_at) {
            (Some(reviewed_by), Some(reviewed_at)) => Some(CheckinReviewView {
                decision: if c.result == CheckinResult::Passed {
                    CheckinAction::Accept
                } else {
                    CheckinAction::Reject
                },
                note: c.review_note.clone().unwrap_or_default(),
                reviewed_by,
                reviewed_at,
            }),
            _ => None,
        },
    })
}

/// The view a submission answers with: the check-in and whether it counted.
async fn submitted(
    db: &impl ConnectionTrait,
    rules: &huijiao_core::policy::JurisdictionRules,
    c: &case::Model,
    row: &checkin::Model,
) -> ApiResult<CheckinView> {
    Ok(CheckinView {
        counted: Some(super::schedule::count(db, rules, c, row).await?),
        ..view(row)?
    })
}

/// A single-use check-in code for this supervisee and phone, valid for a short time.
#[utoipa::path(post, path = "/checkins/challenge", tag = "checkins",
    responses((status = 201, body = ChallengeView), (status = 403, body = Problem), (status = 429, body = Problem)))]
pub async fn challenge(
    State(state): State<AppState>,
    caller: Supervisee,
) -> ApiResult<(StatusCode, Json<ChallengeView>)> {
    let c = own_active_case(&state.db, &caller).await?;
    // Over the day's cap, the app is told now, before the supervisee takes a photo.
    super::tries::refuse_over_cap(&state.db, &state.config.checkin, c.id, state.clock.now())
        .await?;
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let now = state.clock.now();
    let expires_at = now + Duration::seconds(state.config.checkin.challenge_ttl_secs);
    let poses = liveness::draw_poses(&state.config.rules.liveness, rand::random::<bool>);
    checkin_challenge::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(caller.id),
        case_id: Set(c.id),
        device_id: Set(caller.device_id.clone().ok_or(ErrorCode::DeviceMismatch)?),
        nonce_hash: Set(sha256_hex(&nonce)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        poses: Set(Some(
            poses
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )),
        created_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ChallengeView {
            nonce,
            expires_at,
            poses,
        }),
    ))
}

/// The poses a code asks for; a code issued before active liveness asks for one straight photo.
fn poses_of(ch: &checkin_challenge::Model) -> Vec<Pose> {
    let poses: Vec<Pose> = ch
        .poses
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(Pose::parse)
        .collect();
    if poses.is_empty() {
        vec![Pose::Straight]
    } else {
        poses
    }
}

/// The field a photo of a check-in travels in: the straight photo, then the pose frames.
fn photo_field(index: usize) -> String {
    match index {
        0 => "photo".into(),
        i => format!("frames[{}]", i - 1),
    }
}

/// What the supervisee is asked to do for a pose, in both languages.
fn pose_instruction(pose: Pose) -> Said {
    match pose {
        Pose::Straight => Said::new("look straight at the camera", "请正视镜头"),
        Pose::TurnLeft => Said::new("turn your head to your left", "请向左转头"),
        Pose::TurnRight => Said::new("turn your head to your right", "请向右转头"),
    }
}

/// Submits a check-in. The same idempotency key again returns the first result (200).
#[utoipa::path(post, path = "/checkins", tag = "checkins", request_body = CheckinRequest,
    responses((status = 201, body = CheckinView), (status = 200, body = CheckinView), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn submit_checkin(
    State(state): State<AppState>,
    caller: Supervisee,
    Json(req): Json<CheckinRequest>,
) -> ApiResult<(StatusCode, Json<CheckinView>)> {
    let cfg = &state.config.checkin;
    let key = req.idempotency_key.trim();
    if !(8..=128).contains(&key.len()) || key.chars().any(char::is_control) {
        return Err(ApiError::field(
            "idempotency_key",
            Said::new(
                "8 to 128 printable characters",
                "须为 8 到 128 个可打印字符",
            ),
        ));
    }
    check_text("app_version", &req.app_version, 64)?;
    check_gps_fix("location", &req.location)?;
    let c = own_active_case(&state.db, &caller).await?;
    // A retry of a check-in already made (the app lost the answer): the same answer.
    if let Some(existing) = by_key(&state.db, caller.id, key).await? {
        let v = submitted(&state.db, &state.config.rules, &c, &existing).await?;
        return Ok((StatusCode::OK, Json(v)));
    }
    let engine = state.face.clone().ok_or(ErrorCode::FaceUnavailable)?;
    let now = state.clock.now();
    let device = caller.device_id.clone().ok_or(ErrorCode::DeviceMismatch)?;
    let challenge = checkin_challenge::Entity::find()
        .filter(checkin_challenge::Column::NonceHash.eq(sha256_hex(req.nonce.trim())))
        .one(&state.db)
        .await?
        .filter(|ch| {
            ch.user_id == caller.id
                && ch.device_id == device
                && ch.used_at.is_none()
                && ch.expires_at > now
        })
        .ok_or(ErrorCode::ChallengeInvalid)?;
    super::tries::refuse_over_cap(&state.db, cfg, c.id, now).await?;
    let aad = c.id.as_bytes();
    let t = super::active_template(&state.db, c.id)
        .await?
        .ok_or(ErrorCode::NotEnrolled)?;
    let template = Template::from_bytes(&state.media.keys.open(&t.template, aad)?)
        .ok_or_else(|| ApiError::internal("unreadable face template"))?;

    // The code's poses: one photo each, or (taken offline, before any code) the straight
    // photo alone, whose liveness then stays unproven.
    let poses = poses_of(&challenge);
    if !req.frames.is_empty() && req.frames.len() + 1 != poses.len() {
        return Err(ApiError::from(ErrorCode::LivenessFrameCount).naming(
            "frames",
            Said::new(
                format!("{} photos after the straight one", poses.len() - 1),
                format!("正视照片之后须再拍 {} 张", poses.len() - 1),
            ),
        ));
    }
    let photo = decode_photo("photo", &req.photo)?;
    let mut photos = vec![photo.clone()];
    for (i, f) in req.frames.iter().enumerate() {
        photos.push(decode_photo(&photo_field(i + 1), f)?);
    }

    // Quality and pose failures come back as 422 and leave the challenge unused, so the
    // supervisee can retake the photos.
    let photos = std::sync::Arc::new(photos);
    let analyses = super::analyze_photos(engine, photos, super::PhotoKind::Selfie).await?;
    let rejected = |err: ApiError| reject(&state, &c, &caller, &device, now, err);
    let analyses = match analyses {
        Ok(a) => a,
        Err((i, e)) => return Err(rejected(face_error(photo_field(i), e)).await?),
    };
    // Single-photo mode (or a code from before poses) asks for no pose: nothing to prove.
    let poses_asked = poses.len() > 1;
    let frames_sent = analyses.len() > 1;
    if poses_asked && frames_sent {
        let yaws: Vec<Option<f32>> = analyses.iter().map(FaceAnalysis::yaw).collect();
        if let Err(PoseNotMet {
            frame, expected, ..
        }) = liveness::check_poses(&state.config.rules.liveness, &poses, &yaws)
        {
            let err = ApiError::from(ErrorCode::LivenessPoseNotMet)
                .naming(photo_field(frame), pose_instruction(expected));
            return Err(rejected(err).await?);
        }
    }
    // Every photo must be the enrolled person; the furthest decides.
    let verdicts = analyses
        .iter()
        .map(|a| compare(&template, a, &cfg.match_policy))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| face_error("photo".into(), e))?;
    let worst = verdicts
        .iter()
        .max_by(|a, b| a.distance.total_cmp(&b.distance))
        .expect("the straight photo at least");

    let mut reasons = Vec::new();
    match worst.decision {
        Decision::Match => {}
        Decision::NoMatch => reasons.push(CheckinReason::FaceMismatch),
        Decision::Inconclusive => reasons.push(CheckinReason::FaceInconclusive),
    }
    if poses_asked && !frames_sent {
        reasons.push(CheckinReason::LivenessUnchecked);
    }
    let recent: Vec<Option<i64>> = checkin::Entity::find()
        .select_only()
        .column(checkin::Column::Phash)
        .filter(checkin::Column::CaseId.eq(c.id))
        .order_by_desc(checkin::Column::CreatedAt)
        .limit(cfg.replay_lookback)
        .into_tuple()
        .all(&state.db)
        .await?;
    let enrolment_hashes: Vec<i64> = t
        .photo_hashes
        .as_ref()
        .and_then(|h| serde_json::from_value(h.clone()).ok())
        .unwrap_or_default();
    let earlier: Vec<u64> = recent
        .into_iter()
        .flatten()
        .chain(enrolment_hashes)
        .map(|h| h as u64)
        .collect();
    if analyses
        .iter()
        .any(|a| a.is_replay(earlier.iter().copied(), cfg.replay_max_hamming))
    {
        reasons.push(CheckinReason::ReplayedPhoto);
    }
    let on_leave = crate::requests::leave::leave_on(&state.db, c.id, local_date(now))
        .await?
        .is_some();
    let centre = (!on_leave).then_some((c.residence_lat, c.residence_lon));
    let loc = &req.location;
    reasons.extend(rules::check_fix(
        &cfg.location,
        &Fix::from(loc),
        now,
        centre,
    ));
    let result = rules::outcome(&reasons);

    let photo_key = state
        .media
        .put(&format!("checkins/{}", c.id), &photo, aad)
        .await?;
    let work = Work::begin(&state).await?;
    let answer = match claim(&work, &state, &caller, &c, key, challenge.id, now).await {
        Ok(None) => None,
        Ok(Some(first)) => Some(Ok((StatusCode::OK, Json(first)))),
        Err(e) => Some(Err(e)),
    };
    // Answered or refused here, nothing is left behind: the transaction rolls back, the
    // photo goes.
    if let Some(answer) = answer {
        drop(work);
        state.media.delete(&photo_key).await?;
        return answer;
    }
    let row = checkin::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(c.id),
        user_id: Set(caller.id),
        device_id: Set(device),
        idempotency_key: Set(key.into()),
        challenge_id: Set(challenge.id),
        result: Set(result),
        reasons: Set(json!(reasons)),
        face_distance: Set(Some(f64::from(worst.distance))),
        matched_reference: Set(Some(verdicts[0].matched_reference as i32)),
        phash: Set(Some(analyses[0].phash as i64)),
        lat: Set(loc.lat),
        lon: Set(loc.lon),
        accuracy_m: Set(loc.accuracy_m),
        fix_time: Set(loc.fix_time),
        provider: Set(loc.provider.trim().into()),
        mock: Set(loc.mock),
        app_version: Set(req.app_version.trim().into()),
        photo_key: Set(Some(photo_key)),
        photo_purged_at: Set(None),
        created_at: Set(now),
        version: Set(1),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_note: Set(None),
    }
    .insert(work.db())
    .await?;
    if result == CheckinResult::Passed {
        super::requests::meet_open(work.db(), c.id, row.id, now).await?;
    }
    if let Some((kind, severity)) = rules::alert_for(result) {
        let (_, e) = crate::alerts::raise(
            work.db(),
            now,
            &c,
            kind,
            severity,
            json!({ "checkin_id": row.id, "reasons": reasons }),
        )
        .await?;
        work.publish(e);
    }
    work.audit(
        &Actor::from(&caller),
        AuditAction::CheckinSubmitted,
        "case",
        c.id,
        json!({ "checkin_id": row.id, "result": result }),
    )
    .await?;
    let v = submitted(work.db(), &state.config.rules, &c, &row).await?;
    work.notify_case(&c, EventKind::Checkin, &v, true).await?;
    work.commit().await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The check-in a supervisee already made with this idempotency key, if any.
async fn by_key(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    key: &str,
) -> ApiResult<Option<checkin::Model>> {
    Ok(checkin::Entity::find()
        .filter(checkin::Column::UserId.eq(user_id))
        .filter(checkin::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// Puts a refused attempt (a photo that cannot be judged, a pose not shown) on record, without
/// its photos, and hands the error back. Pose failures count towards the day's cap.
async fn reject(
    state: &AppState,
    c: &case::Model,
    caller: &Supervisee,
    device: &str,
    now: chrono::DateTime<Utc>,
    err: ApiError,
) -> ApiResult<ApiError> {
    if err.code != ErrorCode::Internal {
        crate::entities::checkin_rejection::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(c.id),
            user_id: Set(caller.id),
            device_id: Set(device.into()),
            code: Set(err.code.code().into()),
            created_at: Set(now),
        }
        .insert(&state.db)
        .await?;
    }
    Ok(err)
}

/// Under the case's lock (PostgreSQL row lock; SQLite has one connection), what was checked
/// before the face work is checked again: `Some` is the first answer to this key (a race with
/// this code or another won), `None` clears the submission to be stored; the challenge is
/// consumed (of two submissions racing with one code, one gets through), and parallel uploads
/// with several codes meet the day's cap one at a time.
async fn claim(
    work: &Work,
    state: &AppState,
    caller: &Supervisee,
    c: &case::Model,
    key: &str,
    challenge_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Option<CheckinView>> {
    case::Entity::find_by_id(c.id)
        .lock_exclusive()
        .one(work.db())
        .await?;
    if let Some(existing) = by_key(work.db(), caller.id, key).await? {
        return Ok(Some(
            submitted(work.db(), &state.config.rules, c, &existing).await?,
        ));
    }
    let consumed = checkin_challenge::Entity::update_many()
        .col_expr(checkin_challenge::Column::UsedAt, Expr::value(now))
        .filter(checkin_challenge::Column::Id.eq(challenge_id))
        .filter(checkin_challenge::Column::UsedAt.is_null())
        .exec(work.db())
        .await?
        .rows_affected
        == 1;
    if !consumed {
        return Err(ErrorCode::ChallengeInvalid.into());
    }
    super::tries::refuse_over_cap(work.db(), &state.config.checkin, c.id, now).await?;
    Ok(None)
}

/// A case's check-ins, newest first.
#[utoipa::path(get, path = "/cases/{id}/checkins", tag = "checkins", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<CheckinView>), (status = 404, body = Problem)))]
pub async fn list_checkins(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
    page: PageRequest,
) -> ApiResult<Json<Page<CheckinView>>> {
    find_case(&state.db, &caller, id).await?;
    let find = checkin::Entity::find().filter(checkin::Column::CaseId.eq(id));
    Ok(Json(
        page.read(&state.db, find, Order::NewestFirst, |c| view(&c))
            .await?,
    ))
}

crate::seek_by!(checkin, CreatedAt, created_at);

/// One check-in (the person's own, or their officers' — a review opens it).
#[utoipa::path(get, path = "/checkins/{id}", tag = "checkins", params(("id" = Uuid, Path)),
    responses((status = 200, body = CheckinView), (status = 404, body = Problem)))]
pub async fn get_checkin(
    State(state): State<AppState>,
    caller: RequestParty,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CheckinView>> {
    let row = checkin::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&state.db, &caller, row.case_id).await?;
    Ok(Json(view(&row)?))
}

/// The check-in photo, for the officers of the case only (reviewing a doubtful match). Audited.
#[utoipa::path(get, path = "/checkins/{id}/photo", tag = "checkins", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn checkin_photo(
    State(state): State<AppState>,
    caller: Officer,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let row = checkin::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    find_case(&state.db, &caller, row.case_id).await?;
    let key = row.photo_key.ok_or(ErrorCode::NotFound)?;
    let bytes = state.media.get(&key, row.case_id.as_bytes()).await?;
    audit::record(
        &state.db,
        &Actor::from(&caller),
        AuditAction::CheckinPhotoRead,
        "case",
        Some(row.case_id.to_string()),
        json!({ "checkin_id": id }),
    )
    .await?;
    let ct = if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}
