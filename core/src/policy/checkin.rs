//! Check-in rules: where the phone says it is, how fresh and how precise that is, and how the
//! face result and the location together decide passed / failed / needs review.

use crate::model::string_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a check-in did not simply pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CheckinReason {
    /// The face is someone else's.
    FaceMismatch,
    /// Close to the threshold: an officer compares the photos.
    FaceInconclusive,
    /// The same photo (or nearly) was submitted before.
    ReplayedPhoto,
    /// The phone reports a mock (fake) location provider.
    MockLocation,
    /// The jurisdiction asks for head poses and the check-in came without them (taken
    /// offline): the face matched, but nothing shows it was live.
    LivenessUnchecked,
    /// The fix is older than allowed, or from the future.
    StaleFix,
    /// The fix is too imprecise to place the person.
    InaccurateFix,
    /// Outside the activity area.
    OutsideArea,
    /// A reason this version does not know (from a newer server).
    #[serde(other)]
    Unknown,
}

impl CheckinReason {
    /// The stable wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinReason::FaceMismatch => "face_mismatch",
            CheckinReason::FaceInconclusive => "face_inconclusive",
            CheckinReason::ReplayedPhoto => "replayed_photo",
            CheckinReason::MockLocation => "mock_location",
            CheckinReason::LivenessUnchecked => "liveness_unchecked",
            CheckinReason::StaleFix => "stale_fix",
            CheckinReason::InaccurateFix => "inaccurate_fix",
            CheckinReason::OutsideArea => "outside_area",
            CheckinReason::Unknown => "unknown",
        }
    }

    /// Reasons that fail a check-in outright; the others send it to an officer.
    pub fn is_hard(self) -> bool {
        matches!(
            self,
            CheckinReason::FaceMismatch
                | CheckinReason::ReplayedPhoto
                | CheckinReason::MockLocation
                | CheckinReason::OutsideArea
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum)
)]
#[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum CheckinResult {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "passed"))]
    Passed,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "failed"))]
    Failed,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "needs_review"))]
    NeedsReview,
    /// A result this version does not know (from a newer server); never stored.
    #[serde(other)]
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "unknown"))]
    Unknown,
}

/// The alert a check-in's result raises for the case officer: a failure is urgent, a doubtful
/// one waits for an officer to compare the photos; a pass raises none.
pub fn alert_for(
    result: CheckinResult,
) -> Option<(crate::model::AlertKind, crate::model::AlertSeverity)> {
    use crate::model::{AlertKind, AlertSeverity};
    match result {
        CheckinResult::Passed => None,
        CheckinResult::Failed => Some((AlertKind::CheckinFailed, AlertSeverity::High)),
        CheckinResult::NeedsReview | CheckinResult::Unknown => {
            Some((AlertKind::CheckinNeedsReview, AlertSeverity::Medium))
        }
    }
}

impl CheckinResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinResult::Passed => "passed",
            CheckinResult::Failed => "failed",
            CheckinResult::NeedsReview => "needs_review",
            CheckinResult::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            CheckinResult::Passed,
            CheckinResult::Failed,
            CheckinResult::NeedsReview,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

impl crate::model::Vocabulary for CheckinResult {
    fn as_str(self) -> &'static str {
        CheckinResult::as_str(self)
    }
    fn parse(s: &str) -> Option<Self> {
        CheckinResult::parse(s)
    }
}

string_enum! {
    /// An officer's review of a doubtful check-in (the photos compared, the circumstances
    /// known: sent offline, an older phone).
    CheckinAction {
        /// It was the supervisee, where they should be: it passes and its window counts.
        Accept = "accept",
        /// It was not: it fails, and counts as a failed check-in.
        Reject = "reject",
    }
}

use crate::policy::transitions::{Machine, Rule, Who};
/// A check-in's result is its state: the server's verdict, and an officer's for the doubtful
/// ones. A pass or a failure is final.
#[rustfmt::skip]
pub const CHECKIN: Machine<CheckinResult, CheckinAction> = Machine {
    invalid: crate::ErrorCode::CheckinTransitionInvalid,
    below_level: crate::ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: CheckinAction::Accept, from: &[CheckinResult::NeedsReview], to: Some(CheckinResult::Passed), who: Who::Officer(None) },
        Rule { action: CheckinAction::Reject, from: &[CheckinResult::NeedsReview], to: Some(CheckinResult::Failed), who: Who::Officer(None) },
    ],
};

/// Location limits of a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocationRules {
    /// Oldest acceptable fix, seconds before the check-in.
    pub max_fix_age_secs: i64,
    /// Least precise acceptable fix, metres.
    pub max_accuracy_m: f64,
    /// Radius of the activity area around the residence, km (until fences replace it).
    pub area_radius_km: f64,
}

impl Default for LocationRules {
    fn default() -> Self {
        LocationRules {
            max_fix_age_secs: 300,
            max_accuracy_m: 150.0,
            area_radius_km: 30.0,
        }
    }
}

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().asin()
}

pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub fix_time: DateTime<Utc>,
    pub mock: bool,
}

/// Location findings for a fix taken for a check-in at `now`. `area_centre` is the residence,
/// or `None` when the activity-area rule is suspended (approved leave).
pub fn check_fix(
    rules: &LocationRules,
    fix: &Fix,
    now: DateTime<Utc>,
    area_centre: Option<(f64, f64)>,
) -> Vec<CheckinReason> {
    let mut out = Vec::new();
    if fix.mock {
        out.push(CheckinReason::MockLocation);
    }
    let age = (now - fix.fix_time).num_seconds();
    // A fix from the future beyond clock skew is as untrustworthy as an old one.
    if age > rules.max_fix_age_secs || age < -60 {
        out.push(CheckinReason::StaleFix);
    }
    if fix.accuracy_m > rules.max_accuracy_m {
        out.push(CheckinReason::InaccurateFix);
    }
    if let Some((lat, lon)) = area_centre {
        // The fix's own uncertainty is given to the supervisee, not held against them.
        if distance_km(lat, lon, fix.lat, fix.lon) - fix.accuracy_m / 1000.0 > rules.area_radius_km
        {
            out.push(CheckinReason::OutsideArea);
        }
    }
    out
}

/// Where a fix puts the phone against a place (a lecture's venue, a service activity's place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtPlace {
    Inside,
    Outside,
    /// Mock, stale or too imprecise: it says nothing about where the phone is.
    Unusable,
}

/// Judges a fix against a place: a point and a radius, with the check-in rules' limits on
/// the fix itself (its age, its accuracy, a mock provider).
pub fn at_place(
    rules: &LocationRules,
    fix: &Fix,
    now: DateTime<Utc>,
    centre: (f64, f64),
    radius_m: u32,
) -> AtPlace {
    let place = LocationRules {
        area_radius_km: f64::from(radius_m) / 1000.0,
        ..*rules
    };
    let reasons = check_fix(&place, fix, now, Some(centre));
    if reasons.iter().any(|r| *r != CheckinReason::OutsideArea) {
        AtPlace::Unusable
    } else if reasons.is_empty() {
        AtPlace::Inside
    } else {
        AtPlace::Outside
    }
}

/// Combines the findings: any hard reason fails; otherwise any reason means review.
pub fn outcome(reasons: &[CheckinReason]) -> CheckinResult {
    if reasons.iter().any(|r| r.is_hard()) {
        CheckinResult::Failed
    } else if reasons.is_empty() {
        CheckinResult::Passed
    } else {
        CheckinResult::NeedsReview
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use CheckinReason::*;

    fn fix(lat: f64, lon: f64, acc: f64, age: i64, mock: bool, now: DateTime<Utc>) -> Fix {
        Fix {
            lat,
            lon,
            accuracy_m: acc,
            fix_time: now - Duration::seconds(age),
            mock,
        }
    }

    #[test]
    fn a_place_judges_the_fix_before_the_distance() {
        let now = Utc::now();
        let rules = LocationRules::default();
        let hall = (36.06, 103.83);
        // 150 m north of a 200 m place: inside; 500 m: outside.
        let north = |m: f64| 36.06 + m / 111_195.0;
        assert_eq!(
            at_place(
                &rules,
                &fix(north(150.0), 103.83, 10.0, 5, false, now),
                now,
                hall,
                200
            ),
            AtPlace::Inside
        );
        assert_eq!(
            at_place(
                &rules,
                &fix(north(500.0), 103.83, 10.0, 5, false, now),
                now,
                hall,
                200
            ),
            AtPlace::Outside
        );
        // A mock fix says nothing, wherever it claims to be; nor does a stale one.
        assert_eq!(
            at_place(
                &rules,
                &fix(36.06, 103.83, 10.0, 5, true, now),
                now,
                hall,
                200
            ),
            AtPlace::Unusable
        );
        assert_eq!(
            at_place(
                &rules,
                &fix(36.06, 103.83, 10.0, 3600, false, now),
                now,
                hall,
                200
            ),
            AtPlace::Unusable
        );
    }

    #[test]
    fn distances() {
        // Lanzhou to Xi'an is about 510 km.
        let d = distance_km(36.06, 103.83, 34.26, 108.94);
        assert!((500.0..520.0).contains(&d), "{d}");
        assert!(distance_km(36.0, 103.0, 36.0, 103.0) < 1e-9);
    }

    #[test]
    fn location_findings() {
        let r = LocationRules::default();
        let now = Utc::now();
        let home = Some((36.06, 103.83));
        assert_eq!(
            check_fix(&r, &fix(36.07, 103.84, 20.0, 10, false, now), now, home),
            vec![]
        );
        assert_eq!(
            check_fix(&r, &fix(36.07, 103.84, 20.0, 10, true, now), now, home),
            vec![MockLocation]
        );
        assert_eq!(
            check_fix(&r, &fix(36.07, 103.84, 20.0, 301, false, now), now, home),
            vec![StaleFix]
        );
        assert_eq!(
            check_fix(&r, &fix(36.07, 103.84, 20.0, -120, false, now), now, home),
            vec![StaleFix]
        );
        assert_eq!(
            check_fix(&r, &fix(36.07, 103.84, 151.0, 10, false, now), now, home),
            vec![InaccurateFix]
        );
        assert_eq!(
            check_fix(&r, &fix(34.26, 108.94, 20.0, 10, false, now), now, home),
            vec![OutsideArea]
        );
        assert_eq!(
            check_fix(&r, &fix(34.26, 108.94, 20.0, 10, false, now), now, None),
            vec![],
            "on approved leave"
        );
    }

    #[test]
    fn outcomes() {
        assert_eq!(outcome(&[]), CheckinResult::Passed);
        assert_eq!(outcome(&[FaceInconclusive]), CheckinResult::NeedsReview);
        assert_eq!(
            outcome(&[StaleFix, InaccurateFix]),
            CheckinResult::NeedsReview
        );
        assert_eq!(
            outcome(&[FaceInconclusive, MockLocation]),
            CheckinResult::Failed
        );
        for hard in [FaceMismatch, ReplayedPhoto, MockLocation, OutsideArea] {
            assert_eq!(outcome(&[hard]), CheckinResult::Failed, "{hard:?}");
        }
    }
}

/// How long biometric media are kept (defaults; per jurisdiction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionRules {
    /// Photos of passed check-ins.
    pub passed_photo_days: i64,
    /// Photos of failed or doubtful check-ins, counted from when their alert was resolved.
    pub reviewed_photo_days: i64,
    /// Every biometric record of a case, counted from when the case closed.
    pub after_close_days: i64,
}

impl Default for RetentionRules {
    fn default() -> Self {
        RetentionRules {
            passed_photo_days: 90,
            reviewed_photo_days: 30,
            after_close_days: 30,
        }
    }
}

/// Whether a check-in photo is due for deletion. A failed or doubtful one is evidence: kept
/// while its alert is open, then for `reviewed_photo_days`.
pub fn photo_due(
    rules: &RetentionRules,
    result: CheckinResult,
    taken_at: DateTime<Utc>,
    alert_resolved_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    match result {
        CheckinResult::Passed => now - taken_at > chrono::Duration::days(rules.passed_photo_days),
        _ => alert_resolved_at
            .is_some_and(|r| now - r > chrono::Duration::days(rules.reviewed_photo_days)),
    }
}

#[cfg(test)]
mod retention_tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn photo_retention() {
        let r = RetentionRules::default();
        let now = Utc::now();
        assert!(!photo_due(
            &r,
            CheckinResult::Passed,
            now - Duration::days(90),
            None,
            now
        ));
        assert!(photo_due(
            &r,
            CheckinResult::Passed,
            now - Duration::days(91),
            None,
            now
        ));
        assert!(
            !photo_due(
                &r,
                CheckinResult::Failed,
                now - Duration::days(400),
                None,
                now
            ),
            "kept while the alert is open"
        );
        assert!(!photo_due(
            &r,
            CheckinResult::NeedsReview,
            now - Duration::days(400),
            Some(now - Duration::days(29)),
            now
        ));
        assert!(photo_due(
            &r,
            CheckinResult::Failed,
            now - Duration::days(400),
            Some(now - Duration::days(31)),
            now
        ));
    }
}
