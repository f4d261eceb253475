//! Presence on site, as group lectures and community-service activities prove it: a GPS fix
//! inside the place, and either a passed face check-in of the person's own made moments before
//! (so the check-in engine's liveness, enrolled face and replay rules apply) or the place's
//! current rotating code (`policy::lecture::check_code`). Each domain answers with its own
//! error codes.

use chrono::{DateTime, Utc};
use huijiao_core::api::GpsFix;
use huijiao_core::policy::checkin::{at_place, AtPlace, Fix};
use huijiao_core::policy::lecture::{check_code, CodeCheck};
use huijiao_core::{ErrorCode, Said};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What the person sent: where the phone is, and one proof.
pub struct Claim<'a> {
    pub location: &'a GpsFix,
    pub checkin_id: Option<Uuid>,
    pub code: Option<&'a str>,
}

/// The place and how it is proven: its point and radius, its code's secret and rotation, how
/// fresh a face must be, and the domain's codes for each refusal.
pub struct Site<'a> {
    pub at: (f64, f64),
    pub radius_m: u32,
    pub secret: &'a [u8],
    pub code_secs: u32,
    pub face_fresh_secs: u32,
    pub refusals: Refusals,
}

pub struct Refusals {
    pub face_not_passed: ErrorCode,
    pub code_expired: ErrorCode,
    pub code_wrong: ErrorCode,
    pub outside: ErrorCode,
    pub fix_unusable: ErrorCode,
}

/// Checks that the case's person is on site now. `Some(check-in)` when a face proved it,
/// `None` when the code did.
pub async fn prove(
    state: &AppState,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    claim: &Claim<'_>,
    site: &Site<'_>,
    now: DateTime<Utc>,
) -> ApiResult<Option<Uuid>> {
    let by_face = match (claim.checkin_id, claim.code) {
        (Some(id), _) => {
            if !super::passed_lately(db, case_id, id, site.face_fresh_secs, now).await? {
                return Err(site.refusals.face_not_passed.into());
            }
            Some(id)
        }
        (None, Some(code)) => match check_code(site.secret, code, now, site.code_secs) {
            CodeCheck::Valid => None,
            CodeCheck::Expired => return Err(site.refusals.code_expired.into()),
            CodeCheck::Wrong => return Err(site.refusals.code_wrong.into()),
        },
        (None, None) => {
            return Err(ApiError::field(
                "code",
                Said::new(
                    "the code shown on site, or a face check-in (checkin_id) made there",
                    "须提供现场展示的签到码，或在现场完成的人脸签到（checkin_id）",
                ),
            ))
        }
    };
    match at_place(
        &state.config.checkin.location,
        &Fix::from(claim.location),
        now,
        site.at,
        site.radius_m,
    ) {
        AtPlace::Inside => Ok(by_face),
        AtPlace::Outside => Err(site.refusals.outside.into()),
        AtPlace::Unusable => Err(site.refusals.fix_unusable.into()),
    }
}
