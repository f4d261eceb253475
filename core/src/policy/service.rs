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
use super::transitions::{Machine, Rule, Who};
use crate::error::ErrorCode;
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

    /// Why a presence from `checked_in` to `checked_out` credits less than the time spent, as
    /// (code, (en, zh)) remarks: time outside the schedule, under a whole minute, the cap.
    pub fn credit_remarks(
        &self,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
        checked_in: DateTime<Utc>,
        checked_out: DateTime<Utc>,
    ) -> Vec<(&'static str, (String, String))> {
        let mut out = Vec::new();
        let (from, until) = (starts.max(checked_in), ends.min(checked_out));
        if checked_in < starts || checked_out > ends {
            out.push(("outside_schedule", (
                "Only the activity's scheduled time counts: time before its start or after its end is not credited.".to_owned(),
                "只计活动安排时间内的时长：开始前、结束后的时间不计入。".to_owned(),
            )));
        }
        let secs = (until - from).num_seconds();
        if (0..60).contains(&secs) && checked_out > starts {
            out.push(("under_a_minute", (
                format!("{secs} seconds within the activity: time is credited in whole minutes, so nothing was credited."),
                format!("活动时间内仅 {secs} 秒：时长按整分钟计入，本次未计入时长。"),
            )));
        }
        if secs / 60 > i64::from(self.max_minutes_per_activity) {
            let max = self.max_minutes_per_activity;
            out.push((
                "capped",
                (
                    format!("At most {max} minutes are credited for one activity."),
                    format!("每次活动最多计入 {max} 分钟。"),
                ),
            ));
        }
        out
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

string_enum! {
    /// What can be done to a participation.
    ParticipationAction {
        /// Takes the place again after withdrawing (before the start).
        SignUp = "sign_up",
        /// Gives the place up before the start (or an officer's cancellation does).
        Withdraw = "withdraw",
        CheckIn = "check_in",
        CheckOut = "check_out",
        /// An officer confirms the credited minutes (or corrects them, with a reason).
        Confirm = "confirm",
        /// At the close: never checked in.
        MarkNoShow = "mark_no_show",
        /// At the close: checked in, never out.
        MarkIncomplete = "mark_incomplete",
    }
}

use ParticipationStatus as P;
/// The person signs up and withdraws, or an officer does it for them.
const PERSON_OR_OFFICER: Who = Who::AnyOf(&[Who::Supervisee, Who::Officer(None)]);
/// An officer, or the activity's organiser (a volunteer; the handler checks it is theirs).
const OFFICER_OR_ORGANISER: Who = Who::AnyOf(&[Who::Officer(None), Who::Volunteer]);
/// A person signs up (or an officer for them), checks in and out on site; an officer or the
/// organiser confirms what was credited, or corrects it — also after a no-show or a missing check-out; the job
/// settles what is still open at the close. Whether a correction (rather than a plain
/// confirmation) is asked for is the handler's: only it may follow a settled state.
#[rustfmt::skip]
pub const PARTICIPATION: Machine<ParticipationStatus, ParticipationAction> = Machine {
    invalid: ErrorCode::ActivityTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: ParticipationAction::SignUp, from: &[P::Withdrawn], to: Some(P::SignedUp), who: PERSON_OR_OFFICER },
        Rule { action: ParticipationAction::Withdraw, from: &[P::SignedUp], to: Some(P::Withdrawn), who: PERSON_OR_OFFICER },
        Rule { action: ParticipationAction::CheckIn, from: &[P::SignedUp], to: Some(P::CheckedIn), who: Who::Supervisee },
        Rule { action: ParticipationAction::CheckOut, from: &[P::CheckedIn], to: Some(P::CheckedOut), who: Who::Supervisee },
        Rule { action: ParticipationAction::Confirm, from: &[P::CheckedOut, P::Incomplete, P::NoShow, P::Confirmed], to: Some(P::Confirmed), who: OFFICER_OR_ORGANISER },
        Rule { action: ParticipationAction::MarkNoShow, from: &[P::SignedUp], to: Some(P::NoShow), who: Who::System },
        Rule { action: ParticipationAction::MarkIncomplete, from: &[P::CheckedIn], to: Some(P::Incomplete), who: Who::System },
    ],
};

string_enum! {
    open
    /// A community-service activity: scheduled until the close job settles it after its end,
    /// or called off before its start.
    ActivityStatus {
        Scheduled = "scheduled",
        Cancelled = "cancelled",
        Closed = "closed",
    }
}

string_enum! {
    ActivityAction {
        /// An officer calls it off before the start, with the reason.
        Cancel = "cancel",
        /// The job settles it once its check-out window has passed.
        Close = "close",
    }
}

#[rustfmt::skip]
pub const ACTIVITY: Machine<ActivityStatus, ActivityAction> = Machine {
    invalid: ErrorCode::ActivityCancelled,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: ActivityAction::Cancel, from: &[ActivityStatus::Scheduled], to: Some(ActivityStatus::Cancelled), who: Who::Officer(None) },
        Rule { action: ActivityAction::Close, from: &[ActivityStatus::Scheduled], to: Some(ActivityStatus::Closed), who: Who::System },
    ],
};

/// An activity is scheduled ahead, for half an hour to a long day.
pub const ACTIVITY_WINDOW: super::lecture::EventWindow = super::lecture::EventWindow {
    started_up_to_days: 0,
    shortest_mins: 30,
    longest_mins: 12 * 60,
    starts_en: "within the coming year",
    starts_zh: "须在未来一年之内",
    length_en: "30 minutes to 12 hours after the start",
    length_zh: "须在开始后 30 分钟到 12 小时之间",
};

/// How a settled activity leaves a participation that was still open at the close.
pub fn settle_at_close(status: ParticipationStatus) -> Option<ParticipationAction> {
    match status {
        ParticipationStatus::SignedUp => Some(ParticipationAction::MarkNoShow),
        ParticipationStatus::CheckedIn => Some(ParticipationAction::MarkIncomplete),
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
        use super::super::transitions::Party;
        use ParticipationStatus::*;
        for (from, to) in [(SignedUp, NoShow), (CheckedIn, Incomplete)] {
            let action = settle_at_close(from).unwrap();
            assert_eq!(PARTICIPATION.check(action, from, Party::System), Ok(to));
        }
        for s in [CheckedOut, Confirmed, Withdrawn, NoShow, Incomplete] {
            assert_eq!(settle_at_close(s), None);
        }
    }

    /// Only the person (or an officer for them) signs up and withdraws; only the person is on
    /// site; an officer or the organiser confirms; only the job settles.
    #[test]
    fn who_moves_a_participation() {
        use super::super::transitions::Party;
        use crate::model::Role;
        use ParticipationAction as A;
        use ParticipationStatus::*;
        let sv = Party::person(Role::Supervisee, None);
        let officer = Party::person(Role::Officer, None);
        let volunteer = Party::person(Role::Volunteer, None);
        assert_eq!(
            PARTICIPATION.check(A::Withdraw, SignedUp, sv),
            Ok(Withdrawn)
        );
        assert_eq!(
            PARTICIPATION.check(A::Withdraw, SignedUp, officer),
            Ok(Withdrawn)
        );
        assert_eq!(
            PARTICIPATION.check(A::Withdraw, SignedUp, volunteer),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(PARTICIPATION.check(A::SignUp, Withdrawn, sv), Ok(SignedUp));
        assert_eq!(
            PARTICIPATION.check(A::CheckIn, SignedUp, officer),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(
            PARTICIPATION.check(A::CheckOut, SignedUp, sv),
            Err(ErrorCode::ActivityTransitionInvalid)
        );
        assert_eq!(
            PARTICIPATION.check(A::Confirm, CheckedOut, sv),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(
            PARTICIPATION.check(A::Confirm, CheckedOut, volunteer),
            Ok(Confirmed)
        );
        assert_eq!(
            PARTICIPATION.check(A::Confirm, NoShow, officer),
            Ok(Confirmed)
        );
        assert_eq!(
            PARTICIPATION.check(A::MarkNoShow, SignedUp, officer),
            Err(ErrorCode::Forbidden)
        );
        for a in ParticipationAction::ALL {
            assert_eq!(
                PARTICIPATION
                    .rules
                    .iter()
                    .filter(|r| r.action == *a)
                    .count(),
                1
            );
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
    fn what_was_not_credited_is_said() {
        let r = ServiceRules::default();
        let t = |h: u32, m: u32, s: u32| Utc.with_ymd_and_hms(2026, 12, 5, h, m, s).unwrap();
        let codes = |i, o| {
            r.credit_remarks(t(1, 0, 0), t(4, 0, 0), i, o)
                .into_iter()
                .map(|(c, _)| c)
                .collect::<Vec<_>>()
        };
        // Out 12 s after the start: nothing credited, and why.
        assert_eq!(
            r.credited_minutes(t(1, 0, 0), t(4, 0, 0), t(1, 0, 0), t(1, 0, 12)),
            0
        );
        assert_eq!(codes(t(1, 0, 0), t(1, 0, 12)), ["under_a_minute"]);
        let said = &r.credit_remarks(t(1, 0, 0), t(4, 0, 0), t(1, 0, 0), t(1, 0, 12))[0].1;
        assert!(said.1.contains("12 秒"), "{said:?}");
        // Early and late: only the schedule counts.
        assert_eq!(codes(t(0, 30, 0), t(4, 30, 0)), ["outside_schedule"]);
        // A whole afternoon within the schedule: nothing to say.
        assert!(codes(t(1, 0, 0), t(3, 0, 30)).is_empty());
        let short = ServiceRules {
            max_minutes_per_activity: 60,
            ..r
        };
        let capped = short.credit_remarks(t(1, 0, 0), t(4, 0, 0), t(1, 0, 0), t(3, 0, 0));
        assert_eq!(capped[0].0, "capped");
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
