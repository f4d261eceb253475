//! Community service (公益活动): activities a unit organises at a place (a point and a small
//! radius) in a time window, with a capacity. The seeds' norm is at least 8 hours a month
//! (2012 Implementing Measures art. 16); the 2020 law leaves the hours to local rules, so they
//! are jurisdiction data (`[rules.service]`), by supervision level, like education's.
//!
//! Hours are verified, not claimed: the person checks in and out on site, each time with a GPS
//! fix inside the place and either a passed face check-in (the check-in engine) or the
//! organiser's rotating code (`policy::lecture`'s codes, from the activity's own secret). What
//! is credited is the overlap of the verified presence with the scheduled window, capped; a
//! presence with no check-out credits nothing and is flagged. The organiser or an officer
//! confirms it, or corrects it with a reason (audited).
//!
//! Pure: the server keeps the clock and the secrets and applies what this returns.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::rollcall::ByLevel;
use crate::model::{string_enum, SupervisionLevel};

string_enum! {
    open
    /// What the service is (the kinds the seeds' programmes report).
    ServiceKind {
        /// Cleaning streets, parks, public places.
        Cleaning = "cleaning",
        /// Helping in an old people's home or for elderly neighbours.
        ElderlyCare = "elderly_care",
        /// Helping at crossings (交通劝导).
        TrafficHelp = "traffic_help",
        /// Planting, sorting waste, caring for green spaces.
        Environment = "environment",
        /// Community help: libraries, canteens, events.
        CommunityHelp = "community_help",
        /// An individual assignment with a partner organisation.
        PartnerPlacement = "partner_placement",
    }
}

string_enum! {
    open
    /// Where a person's part in an activity stands.
    ParticipationStatus {
        /// Signed up (or assigned by an officer); not on site yet.
        SignedUp = "signed_up",
        /// Checked in on site; the clock runs until check-out.
        CheckedIn = "checked_in",
        /// Checked in and out: the overlap is credited, waiting for the organiser.
        CheckedOut = "checked_out",
        /// The organiser or an officer confirmed (or corrected) the minutes.
        Confirmed = "confirmed",
        /// Checked in but never out by the close: nothing credited, flagged to the officers.
        Incomplete = "incomplete",
        /// Never checked in by the close.
        NoShow = "no_show",
        /// Withdrew before the start.
        Withdrawn = "withdrawn",
    }
}

impl ParticipationStatus {
    /// Takes a place in the activity (counts against its capacity).
    pub fn holds_place(self) -> bool {
        !matches!(self, ParticipationStatus::Withdrawn)
    }
}

string_enum! {
    open
    /// What proved a check-in or check-out.
    PresenceProof {
        /// A passed face check-in by the person, moments before.
        Face = "face",
        /// The organiser's rotating code, scanned on site.
        Code = "code",
    }
}

/// A jurisdiction's community-service rules (`[rules.service]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServiceRules {
    /// Minutes of community service owed each calendar month (China time), by level.
    pub minutes_per_month: ByLevel,
    /// Checking in opens this many minutes before an activity starts.
    pub checkin_opens_before_mins: u32,
    /// Checking out stays open this many minutes after an activity ends; after that the
    /// activity is closed and a missing check-out is flagged.
    pub checkout_grace_mins: u32,
    /// The most one activity credits, whatever its window.
    pub max_minutes_per_activity: u32,
    /// A face check-in proves presence for this many seconds after it was made.
    pub face_fresh_secs: u32,
    /// The organiser's code changes this often (seconds).
    pub code_secs: u32,
}

impl Default for ServiceRules {
    fn default() -> Self {
        ServiceRules {
            minutes_per_month: ByLevel {
                strict: 480,
                normal: 480,
                lenient: 480,
            },
            checkin_opens_before_mins: 30,
            checkout_grace_mins: 60,
            max_minutes_per_activity: 480,
            face_fresh_secs: 300,
            code_secs: 30,
        }
    }
}

impl ServiceRules {
    pub fn check(&self) -> Result<(), String> {
        if self.checkin_opens_before_mins > 240 || self.checkout_grace_mins > 240 {
            return Err(
                "checkin_opens_before_mins and checkout_grace_mins must be at most 240".into(),
            );
        }
        if !(30..=720).contains(&self.max_minutes_per_activity) {
            return Err("max_minutes_per_activity must be 30 to 720".into());
        }
        if !(30..=1800).contains(&self.face_fresh_secs) {
            return Err("face_fresh_secs must be 30 to 1800".into());
        }
        if !(10..=300).contains(&self.code_secs) {
            return Err("code_secs must be 10 to 300".into());
        }
        Ok(())
    }

    /// Minutes owed in a month at `level`.
    pub fn owed_minutes(&self, level: SupervisionLevel) -> u32 {
        self.minutes_per_month.of(level)
    }

    /// Whether checking in is open at `at`: from shortly before the start to the end.
    pub fn checkin_open(
        &self,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> bool {
        starts - Duration::minutes(i64::from(self.checkin_opens_before_mins)) <= at && at < ends
    }

    /// When the activity closes: check-outs are no longer taken, and what is missing is
    /// settled.
    pub fn closes_at(&self, ends: DateTime<Utc>) -> DateTime<Utc> {
        ends + Duration::minutes(i64::from(self.checkout_grace_mins))
    }

    /// The minutes a verified presence from `checked_in` to `checked_out` credits: its
    /// overlap with the scheduled window, to the whole minute below, capped.
    pub fn credited_minutes(
        &self,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
        checked_in: DateTime<Utc>,
        checked_out: DateTime<Utc>,
    ) -> u32 {
        let from = starts.max(checked_in);
        let until = ends.min(checked_out);
        let minutes = (until - from).num_seconds().max(0) / 60;
        (minutes as u32).min(self.max_minutes_per_activity)
    }
}

/// How a settled activity leaves a participation that was still open at the close.
pub fn settle_at_close(status: ParticipationStatus) -> Option<ParticipationStatus> {
    match status {
        ParticipationStatus::SignedUp => Some(ParticipationStatus::NoShow),
        ParticipationStatus::CheckedIn => Some(ParticipationStatus::Incomplete),
        _ => None,
    }
}

/// What the organiser's QR code holds: which activity, and its code.
pub fn qr_payload(activity: uuid::Uuid, code: &str) -> String {
    super::lecture::qr_payload_of("service", activity, code)
}

/// The activity and code a scanned QR code holds, if it is an activity's.
pub fn parse_qr(payload: &str) -> Option<(uuid::Uuid, String)> {
    super::lecture::parse_qr_of("service", payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, h, m, 0).unwrap()
    }

    #[test]
    fn credit_is_the_overlap_with_the_window() {
        let r = ServiceRules::default();
        // Window 09:00-12:00. Early arrival counts from the start; leaving late stops at the end.
        assert_eq!(
            r.credited_minutes(t(9, 0), t(12, 0), t(8, 40), t(12, 30)),
            180
        );
        // Arrived 09:25, left 11:10: 105 minutes.
        assert_eq!(
            r.credited_minutes(t(9, 0), t(12, 0), t(9, 25), t(11, 10)),
            105
        );
        // Presence wholly outside the window credits nothing.
        assert_eq!(
            r.credited_minutes(t(9, 0), t(12, 0), t(12, 5), t(12, 50)),
            0
        );
        assert_eq!(r.credited_minutes(t(9, 0), t(12, 0), t(11, 0), t(10, 0)), 0);
    }

    #[test]
    fn credit_is_capped() {
        let r = ServiceRules {
            max_minutes_per_activity: 240,
            ..ServiceRules::default()
        };
        assert_eq!(
            r.credited_minutes(t(8, 0), t(16, 0), t(8, 0), t(16, 0)),
            240
        );
    }

    #[test]
    fn checkin_opens_shortly_before_and_closes_at_the_end() {
        let r = ServiceRules::default();
        assert!(!r.checkin_open(t(9, 0), t(12, 0), t(8, 29)));
        assert!(r.checkin_open(t(9, 0), t(12, 0), t(8, 30)));
        assert!(r.checkin_open(t(9, 0), t(12, 0), t(11, 59)));
        assert!(!r.checkin_open(t(9, 0), t(12, 0), t(12, 0)));
        assert_eq!(r.closes_at(t(12, 0)), t(13, 0));
    }

    #[test]
    fn the_close_settles_what_is_open() {
        use ParticipationStatus::*;
        assert_eq!(settle_at_close(SignedUp), Some(NoShow));
        assert_eq!(settle_at_close(CheckedIn), Some(Incomplete));
        for s in [CheckedOut, Confirmed, Withdrawn, NoShow, Incomplete] {
            assert_eq!(settle_at_close(s), None);
        }
    }

    #[test]
    fn qr_codes_name_their_kind() {
        let id = uuid::Uuid::now_v7();
        let p = qr_payload(id, "12345678");
        assert_eq!(parse_qr(&p), Some((id, "12345678".to_owned())));
        // A lecture's QR code is not an activity's.
        assert_eq!(
            parse_qr(&super::super::lecture::qr_payload(id, "12345678")),
            None
        );
        assert_eq!(parse_qr("huijiao:service:x:12345678"), None);
    }

    #[test]
    fn rules_are_checked() {
        assert!(ServiceRules::default().check().is_ok());
        let bad = ServiceRules {
            face_fresh_secs: 5,
            ..ServiceRules::default()
        };
        assert!(bad.check().is_err());
    }
}
