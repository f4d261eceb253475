//! Field work (DOMAIN.md, "A case's life" 4): officers visit the person at home (走访) and talk
//! with them (个别谈话); the person reports in person at the office (到司法所报到). The level
//! in force — one stricter in a sensitive period — sets how often a home visit and an office
//! report are due: strict monthly and twice a month, normal every two months and monthly,
//! lenient quarterly and every two months. A talk is recorded but owes no schedule.
//!
//! Pure.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{effective_level, Jurisdiction};
use crate::model::{string_enum, SupervisionLevel};

string_enum! {
    /// What an officer records of their field work.
    VisitKind {
        /// At the person's residence (实地走访): the officer's fix must be there.
        HomeVisit = "home_visit",
        /// A talk (个别谈话), anywhere.
        Talk = "talk",
        /// The person reported in person at the office (到司法所报到), proven by a passed
        /// face check-in of their own made there moments before.
        OfficeReport = "office_report",
    }
}

/// A jurisdiction's field-work rules (`[rules.visits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitRules {
    /// A home visit's fix must be this close to the registered residence (metres).
    pub home_radius_m: u32,
    /// A visit is recorded within this many days of it (the officer's phone may be offline
    /// in the field; later, nobody can still vouch for the fix).
    pub record_within_days: u32,
    /// An office report's face check-in is made at most this many seconds before (or after)
    /// the report.
    pub office_face_fresh_secs: u32,
    /// An office report's face check-in is taken this close to where the officer records the
    /// report (metres): at the office, not at home.
    pub office_radius_m: u32,
}

impl Default for VisitRules {
    fn default() -> Self {
        VisitRules {
            home_radius_m: 300,
            record_within_days: 7,
            office_face_fresh_secs: 900,
            office_radius_m: 300,
        }
    }
}

impl VisitRules {
    pub fn check(&self) -> Result<(), String> {
        if !(50..=5000).contains(&self.home_radius_m) {
            return Err("home_radius_m must be 50 to 5000".into());
        }
        if !(1..=31).contains(&self.record_within_days) {
            return Err("record_within_days must be 1 to 31".into());
        }
        if !(50..=5000).contains(&self.office_radius_m) {
            return Err("office_radius_m must be 50 to 5000".into());
        }
        if !(60..=3600).contains(&self.office_face_fresh_secs) {
            return Err("office_face_fresh_secs must be 60 to 3600".into());
        }
        Ok(())
    }
}

/// How far a phone's clock may run ahead of the server's.
pub const VISIT_CLOCK_SKEW_SECS: i64 = 300;
/// Findings, at most this many characters.
pub const VISIT_TEXT_MAX_CHARS: usize = 5000;
/// People met on one visit, at most this many (each a short description).
pub const VISIT_MET_MAX: usize = 20;
pub const VISIT_MET_MAX_CHARS: usize = 100;
/// Photos on one visit, at most; each at most this many bytes.
pub const VISIT_PHOTOS_MAX: usize = 6;
pub const VISIT_PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Days between two of `kind` under `level` (one stricter in a sensitive period); `None` for a
/// talk, which has no schedule.
pub fn every_days(
    j: &Jurisdiction,
    kind: VisitKind,
    level: SupervisionLevel,
    in_sensitive_period: bool,
) -> Option<u32> {
    let o = j.obligations(effective_level(level, in_sensitive_period));
    match kind {
        VisitKind::HomeVisit => Some(o.home_visit_every_days),
        VisitKind::OfficeReport => Some(o.office_report_every_days),
        VisitKind::Talk => None,
    }
}

/// When the next one of a kind is due, and how late it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitDue {
    pub kind: VisitKind,
    /// The level that set the interval (one stricter in a sensitive period).
    pub level: SupervisionLevel,
    pub every_days: u32,
    /// The local date of the last one, if any.
    pub last_on: Option<NaiveDate>,
    /// The last local date it may happen on.
    pub due_on: NaiveDate,
    /// Days past `due_on` (0 when not late).
    pub overdue_days: u32,
}

/// The next `kind` due under `level`, counted from the last one or, before any, from the day
/// supervision began (`since`, the intake announcement), as of local date `today`.
pub fn due(
    j: &Jurisdiction,
    kind: VisitKind,
    level: SupervisionLevel,
    in_sensitive_period: bool,
    since: NaiveDate,
    last_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<VisitDue> {
    let every = every_days(j, kind, level, in_sensitive_period)?;
    let from = last_on.map_or(since, |l| l.max(since));
    let due_on = from + Duration::days(i64::from(every.max(1)));
    Some(VisitDue {
        kind,
        level: effective_level(level, in_sensitive_period),
        every_days: every,
        last_on,
        due_on,
        overdue_days: u32::try_from((today - due_on).num_days().max(0)).unwrap_or(u32::MAX),
    })
}

/// Why a visit's time cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenProblem {
    /// Later than now (beyond the clock skew allowed).
    InFuture,
    /// Older than `record_within_days`.
    TooOld,
}

/// Whether a visit that took place at `at` may be recorded at `now`.
pub fn check_when(
    rules: &VisitRules,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), WhenProblem> {
    if at > now + Duration::seconds(VISIT_CLOCK_SKEW_SECS) {
        return Err(WhenProblem::InFuture);
    }
    if at < now - Duration::days(i64::from(rules.record_within_days)) {
        return Err(WhenProblem::TooOld);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SupervisionLevel::*;
    use VisitKind::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn due_on(kind: VisitKind, level: SupervisionLevel, sensitive: bool, last: &str) -> NaiveDate {
        due(
            &Jurisdiction::default(),
            kind,
            level,
            sensitive,
            d("2026-01-01"),
            Some(d(last)),
            d(last),
        )
        .unwrap()
        .due_on
    }

    /// DOMAIN.md's table: officer home visit strict 1 a month, normal 1 every 2 months,
    /// lenient 1 a quarter.
    #[test]
    fn home_visits_follow_the_level() {
        assert_eq!(
            due_on(HomeVisit, Strict, false, "2026-03-01"),
            d("2026-03-31")
        );
        assert_eq!(
            due_on(HomeVisit, Normal, false, "2026-03-01"),
            d("2026-04-30")
        );
        assert_eq!(
            due_on(HomeVisit, Lenient, false, "2026-03-01"),
            d("2026-05-30")
        );
    }

    /// DOMAIN.md's table: in-person report strict 2 a month, normal 1 a month, lenient 1
    /// every 2 months.
    #[test]
    fn office_reports_follow_the_level() {
        assert_eq!(
            due_on(OfficeReport, Strict, false, "2026-03-01"),
            d("2026-03-16")
        );
        assert_eq!(
            due_on(OfficeReport, Normal, false, "2026-03-01"),
            d("2026-03-31")
        );
        assert_eq!(
            due_on(OfficeReport, Lenient, false, "2026-03-01"),
            d("2026-04-30")
        );
    }

    /// 重大节会提级管理: one level stricter in a sensitive period (strict stays strict).
    #[test]
    fn a_sensitive_period_is_one_level_stricter() {
        assert_eq!(
            due_on(HomeVisit, Lenient, true, "2026-03-01"),
            d("2026-04-30")
        );
        assert_eq!(
            due_on(OfficeReport, Normal, true, "2026-03-01"),
            d("2026-03-16")
        );
        assert_eq!(
            due_on(HomeVisit, Strict, true, "2026-03-01"),
            d("2026-03-31")
        );
        let v = due(
            &Jurisdiction::default(),
            HomeVisit,
            Lenient,
            true,
            d("2026-01-01"),
            None,
            d("2026-01-01"),
        )
        .unwrap();
        assert_eq!(v.level, Normal);
    }

    #[test]
    fn a_talk_has_no_schedule() {
        assert_eq!(
            every_days(&Jurisdiction::default(), Talk, Strict, true),
            None
        );
        assert!(due(
            &Jurisdiction::default(),
            Talk,
            Strict,
            false,
            d("2026-01-01"),
            None,
            d("2026-06-01")
        )
        .is_none());
    }

    #[test]
    fn the_first_is_counted_from_the_announcement() {
        let v = due(
            &Jurisdiction::default(),
            HomeVisit,
            Strict,
            false,
            d("2026-02-10"),
            None,
            d("2026-03-01"),
        )
        .unwrap();
        assert_eq!(
            (v.due_on, v.last_on, v.overdue_days),
            (d("2026-03-12"), None, 0)
        );
        // A visit recorded before the announcement (pre-sentence) does not push the date back.
        let v = due(
            &Jurisdiction::default(),
            HomeVisit,
            Strict,
            false,
            d("2026-02-10"),
            Some(d("2026-02-01")),
            d("2026-03-01"),
        )
        .unwrap();
        assert_eq!(v.due_on, d("2026-03-12"));
    }

    /// Late from the day after the due date, one day at a time.
    #[test]
    fn overdue_days_start_the_day_after() {
        let j = Jurisdiction::default();
        let at = |today: &str| {
            due(
                &j,
                HomeVisit,
                Strict,
                false,
                d("2026-01-01"),
                Some(d("2026-03-01")),
                d(today),
            )
            .unwrap()
            .overdue_days
        };
        assert_eq!(at("2026-03-30"), 0);
        assert_eq!(at("2026-03-31"), 0);
        assert_eq!(at("2026-04-01"), 1);
        assert_eq!(at("2026-04-10"), 10);
    }

    #[test]
    fn a_visit_is_recorded_within_the_window() {
        let r = VisitRules::default();
        let now: DateTime<Utc> = "2026-03-10T10:00:00Z".parse().unwrap();
        assert_eq!(check_when(&r, now, now), Ok(()));
        assert_eq!(check_when(&r, now + Duration::seconds(300), now), Ok(()));
        assert_eq!(
            check_when(&r, now + Duration::seconds(301), now),
            Err(WhenProblem::InFuture)
        );
        assert_eq!(check_when(&r, now - Duration::days(7), now), Ok(()));
        assert_eq!(
            check_when(&r, now - Duration::days(7) - Duration::seconds(1), now),
            Err(WhenProblem::TooOld)
        );
    }

    #[test]
    fn rules_are_checked() {
        assert!(VisitRules::default().check().is_ok());
        let r = VisitRules {
            home_radius_m: 10,
            ..VisitRules::default()
        };
        assert!(r.check().is_err());
        let r = VisitRules {
            record_within_days: 0,
            ..VisitRules::default()
        };
        assert!(r.check().is_err());
    }
}
