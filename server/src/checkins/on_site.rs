//! Events held on site — group lectures and community-service activities — in one shape: a
//! place with a radius, a time window, a unit that holds it (seen by the officers of that unit
//! and the units below and above, and by the people it reaches), and a rotating code whose
//! secret never leaves the server.
//!
//! Presence on site, as both prove it: a GPS fix inside the place, and either a passed face
//! check-in of the person's own made moments before (so the check-in engine's liveness,
//! enrolled face and replay rules apply) or the place's current rotating code
//! (`policy::lecture::check_code`). Each domain answers with its own error codes.

use chrono::{DateTime, Duration, Utc};
use huijiao_core::api::GpsFix;
use huijiao_core::api::Page;
use huijiao_core::model::Role;
use huijiao_core::policy::checkin::{at_place, AtPlace, Fix};
use huijiao_core::policy::lecture::{check_code, CodeCheck, EventWindow};
use huijiao_core::{ErrorCode, Said};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::auth::extractor::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::org::{above_or_below, units_reaching};
use crate::paging::{Order, PageRequest, Seek};
use crate::state::AppState;
use crate::validate::{check_coordinates, check_text};

/// The filter of a list of events.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// Events ending after this (a date: from its start, China time; default: a week ago).
    #[serde(
        default,
        deserialize_with = "huijiao_core::policy::calendar::period::start_opt"
    )]
    pub from: Option<DateTime<Utc>>,
}

/// A page of the events `find` selects that end after the query's `from`, soonest first.
pub async fn upcoming<E: Seek>(
    state: &AppState,
    find: Select<E>,
    ends_at: E::Column,
    q: &EventQuery,
    page: &PageRequest,
) -> ApiResult<Page<E::Model>> {
    let from = q
        .from
        .unwrap_or_else(|| state.clock.now() - Duration::days(7));
    let find = find.filter(ends_at.gt(from));
    page.rows(&state.db, find, Order::OldestFirst).await
}

/// What an event asks for, as its create request says it.
pub struct Event<'a> {
    pub title: &'a str,
    pub place: &'a str,
    /// Latitude and longitude.
    pub at: (f64, f64),
    pub radius_m: u32,
    /// Its start and end.
    pub window: (DateTime<Utc>, DateTime<Utc>),
}

/// The `Event` a create request describes (lectures and activities name their fields alike).
macro_rules! event_of {
    ($req:expr) => {
        $crate::checkins::on_site::Event {
            title: &$req.title,
            place: &$req.place,
            at: ($req.lat, $req.lon),
            radius_m: $req.radius_m,
            window: ($req.starts_at, $req.ends_at),
        }
    };
}
pub(crate) use event_of;

/// Checks an event's title, place, point, radius (20–2000 m) and window (its domain's
/// `EventWindow`), naming the field.
pub fn check_event(e: &Event<'_>, window: &EventWindow, now: DateTime<Utc>) -> ApiResult<()> {
    check_text("title", e.title, 200)?;
    check_text("place", e.place, 200)?;
    check_coordinates("lat", e.at.0, e.at.1)?;
    if !(20..=2000).contains(&e.radius_m) {
        return Err(ApiError::field(
            "radius_m",
            Said::new("20 to 2000 metres", "须为 20 到 2000 米"),
        ));
    }
    let (starts_at, ends_at) = e.window;
    let earliest = now - Duration::days(window.started_up_to_days);
    if starts_at < earliest || starts_at > now + Duration::days(366) {
        let said = Said::new(window.starts_en, window.starts_zh);
        return Err(ApiError::field("starts_at", said));
    }
    let length = ends_at - starts_at;
    if length < Duration::minutes(window.shortest_mins)
        || length > Duration::minutes(window.longest_mins)
    {
        let said = Said::new(window.length_en, window.length_zh);
        return Err(ApiError::field("ends_at", said));
    }
    Ok(())
}

/// A new event's code secret, as stored (hex).
pub fn new_secret() -> String {
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    hex::encode(secret)
}

/// An event's code secret, as the code functions take it.
pub fn secret_of(stored: &str) -> ApiResult<Vec<u8>> {
    hex::decode(stored).map_err(|_| ApiError::internal("an event's code secret is not hex"))
}

/// The events `caller` may see, by the holding unit's path in `unit_path`: an officer those of
/// their units and of the units above (whose events their people attend); a supervisee those
/// reaching their unit; anyone else what `others` allows (an activity's volunteer organiser).
pub async fn visible(
    db: &impl ConnectionTrait,
    caller: &AuthUser,
    unit_path: impl ColumnTrait,
    others: Option<Condition>,
) -> ApiResult<Condition> {
    match caller.role {
        Role::Officer => {
            let path = caller.unit_path.as_deref().ok_or(ErrorCode::Forbidden)?;
            Ok(above_or_below(unit_path, path))
        }
        Role::Supervisee => {
            Ok(Condition::all().add(unit_path.is_in(units_reaching(db, caller).await?)))
        }
        _ => others.ok_or_else(|| ErrorCode::Forbidden.into()),
    }
}

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
            let rules = &state.config.checkin.location;
            let place = (site.at, site.radius_m);
            match super::presence(db, rules, case_id, id, place, now, site.face_fresh_secs).await? {
                super::Presence::There => Some(id),
                super::Presence::NotPassed => return Err(site.refusals.face_not_passed.into()),
                super::Presence::Elsewhere => return Err(site.refusals.outside.into()),
            }
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
