//! Leave (外出) rules: Implementing Measures 2020 art. 27-28 (2012 measures art. 13), as
//! jurisdiction data and pure functions. The server enforces them; the supervisee app calls
//! the same functions to explain, before submitting, who will decide.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::sanctions::Sanction;

use super::level::ApprovalLevel;
use super::transitions::{LeaveAction, Party, LEAVE};
use crate::error::ErrorCode;
use crate::model::LeaveStatus;

/// Defaults from DOMAIN.md; provinces and cities may set their own (the server's
/// `[rules.leave]` settings; the apps read them from `GET /rules`). Unknown fields are ignored here, so
/// an installed app still reads a newer server's rules; the server's configuration refuses
/// unknown keys itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeaveRules {
    /// Apply at least this many days before leaving (urgent cases are flagged, not refused).
    pub min_notice_days: i64,
    /// Up to this many days a judicial office may approve (filed with the county).
    pub office_max_days: i64,
    /// One approval covers at most this many days; longer goes one level up.
    pub single_max_days: i64,
    /// More than `window_max_days` of leave within `window_days` goes one level up.
    pub window_days: i64,
    pub window_max_days: i64,
    /// A standing approval for frequent cross-city workers lasts this many months.
    pub standing_months: u32,
    /// 销假 needs a passed face check-in from the last this many hours.
    pub return_checkin_hours: i64,
    /// Departure may be reported this many days before the leave's first day (an evening
    /// train); never after its last.
    pub depart_early_days: i64,
    /// A leave may start at most this many days ahead.
    pub max_ahead_days: i64,
}

impl Default for LeaveRules {
    fn default() -> Self {
        LeaveRules {
            min_notice_days: 3,
            office_max_days: 7,
            single_max_days: 30,
            window_days: 60,
            window_max_days: 30,
            standing_months: 6,
            return_checkin_hours: 6,
            depart_early_days: 1,
            max_ahead_days: 90,
        }
    }
}

/// Whether a departure reported on `today` (China time) is on the leave's dates: from
/// `depart_early_days` before its first day to its last.
pub fn may_depart(
    rules: &LeaveRules,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), ErrorCode> {
    let earliest = start - Duration::days(rules.depart_early_days.max(0));
    if today < earliest || today > end {
        return Err(ErrorCode::LeaveDepartureOutsideDates);
    }
    Ok(())
}

/// What evidence a leave may carry (measures art. 27: the reason is shown with papers).
pub const ATTACHMENT_KINDS: [&str; 5] = ["medical", "employer", "school", "legal", "other"];

/// Evidence is added while the request can still be decided on it: a draft or a request
/// awaiting decision.
pub const LEAVE_ATTACHABLE: [crate::model::LeaveStatus; 2] = [
    crate::model::LeaveStatus::Draft,
    crate::model::LeaveStatus::Submitted,
];

/// The refusal for an approver below the level a leave needs: says which level must decide.
pub fn needs_code(level: ApprovalLevel) -> ErrorCode {
    match level {
        ApprovalLevel::JudicialOffice => ErrorCode::Forbidden,
        ApprovalLevel::CountyAgency => ErrorCode::LeaveNeedsCountyApproval,
        ApprovalLevel::City => ErrorCode::LeaveNeedsCityApproval,
    }
}

/// Why a leave needs the level it needs, for the app to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LeaveRule {
    /// ≤ office_max_days: the judicial office decides (art. 28).
    ShortLeave,
    /// > office_max_days: the county agency decides (art. 28).
    LongLeave,
    /// > single_max_days in one approval: one level up.
    OverSingleMaximum,
    /// > window_max_days within window_days, counting earlier leave: one level up.
    OverWindowTotal,
    /// Applied with less than min_notice_days' notice: allowed only as urgent, flagged.
    LateNotice,
    /// Standing approval for frequent cross-city work (simplified, county decides).
    StandingApproval,
    /// A rule this version does not know (from a newer server).
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LeaveAssessment {
    /// Calendar days away, first and last included.
    pub days: i64,
    /// Days of leave within the window ending on the last day, this one included.
    pub window_total_days: i64,
    pub required_level: ApprovalLevel,
    /// Applied late: the officer sees it flagged as urgent.
    pub late_notice: bool,
    pub rules: Vec<LeaveRule>,
}

/// Days of `[start, end]` that fall inside `[from, to]` (all inclusive).
fn overlap_days(start: NaiveDate, end: NaiveDate, from: NaiveDate, to: NaiveDate) -> i64 {
    let (a, b) = (start.max(from), end.min(to));
    if b < a {
        0
    } else {
        (b - a).num_days() + 1
    }
}

/// Assesses a leave from `start` to `end` (inclusive) applied for on `today`.
/// `other_leaves`: the supervisee's other approved or taken leaves (start, end).
pub fn assess_leave(
    rules: &LeaveRules,
    today: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    other_leaves: &[(NaiveDate, NaiveDate)],
    urgent: bool,
) -> Result<LeaveAssessment, ErrorCode> {
    if end < start || start < today {
        return Err(ErrorCode::LeaveDatesInvalid);
    }
    if (start - today).num_days() > rules.max_ahead_days {
        return Err(ErrorCode::LeaveTooFarAhead);
    }
    let late_notice = (start - today).num_days() < rules.min_notice_days;
    if late_notice && !urgent {
        return Err(ErrorCode::LeaveNoticeTooShort);
    }
    let mut a = by_length(rules, start, end, other_leaves);
    if late_notice {
        a.late_notice = true;
        a.rules.push(LeaveRule::LateNotice);
    }
    Ok(a)
}

/// Assesses extending a leave (already approved or under way) from `start`–`current_end` to
/// `new_end`: the same rules on the new total, no notice rule (the person is away).
pub fn assess_extension(
    rules: &LeaveRules,
    today: NaiveDate,
    start: NaiveDate,
    current_end: NaiveDate,
    new_end: NaiveDate,
    other_leaves: &[(NaiveDate, NaiveDate)],
) -> Result<LeaveAssessment, ErrorCode> {
    if new_end <= current_end || new_end < today {
        return Err(ErrorCode::LeaveDatesInvalid);
    }
    Ok(by_length(rules, start, new_end, other_leaves))
}

/// A standing approval for someone who must cross city lines often for work: valid
/// `standing_months` from `start`, decided by the county agency.
pub fn assess_standing(
    rules: &LeaveRules,
    today: NaiveDate,
    start: NaiveDate,
) -> Result<(NaiveDate, LeaveAssessment), ErrorCode> {
    if start < today {
        return Err(ErrorCode::LeaveDatesInvalid);
    }
    let end = standing_valid_until(rules, start);
    let days = (end - start).num_days() + 1;
    Ok((
        end,
        LeaveAssessment {
            days,
            window_total_days: days,
            required_level: ApprovalLevel::CountyAgency,
            late_notice: false,
            rules: vec![LeaveRule::StandingApproval],
        },
    ))
}

fn by_length(
    rules: &LeaveRules,
    start: NaiveDate,
    end: NaiveDate,
    other_leaves: &[(NaiveDate, NaiveDate)],
) -> LeaveAssessment {
    let days = (end - start).num_days() + 1;
    let window_start = end - Duration::days(rules.window_days - 1);
    let window_total_days = overlap_days(start, end, window_start, end)
        + other_leaves
            .iter()
            .map(|&(s, e)| overlap_days(s, e, window_start, end))
            .sum::<i64>();
    let mut found = Vec::new();
    let mut level = if days <= rules.office_max_days {
        found.push(LeaveRule::ShortLeave);
        ApprovalLevel::JudicialOffice
    } else {
        found.push(LeaveRule::LongLeave);
        ApprovalLevel::CountyAgency
    };
    let over_single = days > rules.single_max_days;
    let over_window = window_total_days > rules.window_max_days;
    if over_single {
        found.push(LeaveRule::OverSingleMaximum);
    }
    if over_window {
        found.push(LeaveRule::OverWindowTotal);
    }
    if over_single || over_window {
        level = level.up();
    }
    LeaveAssessment {
        days,
        window_total_days,
        required_level: level,
        late_notice: false,
        rules: found,
    }
}

/// Whether an officer deciding at `approver` may approve what needs `required`.
pub fn may_approve(approver: ApprovalLevel, required: ApprovalLevel) -> bool {
    approver >= required
}

/// The last day of a standing approval for frequent cross-city work starting on `start`.
pub fn standing_valid_until(rules: &LeaveRules, start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(chrono::Months::new(rules.standing_months))
        .unwrap_or(NaiveDate::MAX)
        - Duration::days(1)
}

/// Sanction suggested for being away past the approved end: time out of supervision, by the
/// person's sentence (`sanctions::for_days_out`; measures art. 34-35, 46-47, 49).
pub fn sanction_for_overdue(
    days_overdue: i64,
    sentence: Option<crate::model::SentenceKind>,
) -> Sanction {
    let days = u32::try_from(days_overdue.max(1)).unwrap_or(u32::MAX);
    super::sanctions::for_days_out(days, sentence)
        .map(|s| s.sanction)
        .unwrap_or(Sanction::Admonition)
}

/// The actions `party` may take on a leave now, for the app's buttons. Beyond the table: an
/// officer approves only at or above the leave's required level (measures art. 28), and only
/// a leave itself is extended, not an extension request.
pub fn leave_actions(
    status: LeaveStatus,
    party: Party,
    required: ApprovalLevel,
    is_extension: bool,
) -> Vec<LeaveAction> {
    LEAVE
        .possible(status, party)
        .into_iter()
        .filter(|a| match a {
            LeaveAction::Approve => matches!(
                party,
                Party::Person { level: Some(l), .. } if may_approve(l, required)
            ),
            LeaveAction::Extend => !is_extension,
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitKind;
    use ApprovalLevel::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// (case, applied on, start, end, earlier leaves, urgent) → required level or error.
    #[test]
    fn rule_table() {
        let r = LeaveRules::default();
        let today = d("2026-03-01");
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            &'static [(&'static str, &'static str)],
            bool,
            Result<ApprovalLevel, ErrorCode>,
        );
        let rows: &[Row] = &[
            // art. 28: ≤ 7 days → judicial office; 8 days → county.
            (
                "7 days",
                "2026-03-10",
                "2026-03-16",
                &[],
                false,
                Ok(JudicialOffice),
            ),
            (
                "8 days",
                "2026-03-10",
                "2026-03-17",
                &[],
                false,
                Ok(CountyAgency),
            ),
            (
                "1 day",
                "2026-03-10",
                "2026-03-10",
                &[],
                false,
                Ok(JudicialOffice),
            ),
            // One approval ≤ 30 days; 31 → one level up.
            (
                "30 days",
                "2026-03-10",
                "2026-04-08",
                &[],
                false,
                Ok(CountyAgency),
            ),
            ("31 days", "2026-03-10", "2026-04-09", &[], false, Ok(City)),
            // ≥ 3 days ahead: 3 is enough, 2 only as urgent.
            (
                "3 days ahead",
                "2026-03-04",
                "2026-03-05",
                &[],
                false,
                Ok(JudicialOffice),
            ),
            (
                "2 days ahead",
                "2026-03-03",
                "2026-03-04",
                &[],
                false,
                Err(ErrorCode::LeaveNoticeTooShort),
            ),
            (
                "2 days ahead, urgent",
                "2026-03-03",
                "2026-03-04",
                &[],
                true,
                Ok(JudicialOffice),
            ),
            (
                "same day, urgent",
                "2026-03-01",
                "2026-03-01",
                &[],
                true,
                Ok(JudicialOffice),
            ),
            // Two-month total: 25 earlier + 6 now = 31 within 60 days → up one level.
            (
                "window over 30",
                "2026-03-10",
                "2026-03-15",
                &[("2026-01-20", "2026-02-13")],
                false,
                Ok(CountyAgency),
            ),
            (
                "window exactly 30",
                "2026-03-10",
                "2026-03-14",
                &[("2026-01-20", "2026-02-13")],
                false,
                Ok(JudicialOffice),
            ),
            (
                "earlier leave outside the window",
                "2026-03-10",
                "2026-03-15",
                &[("2025-11-01", "2025-11-25")],
                false,
                Ok(JudicialOffice),
            ),
            (
                "long leave and window over",
                "2026-03-10",
                "2026-03-20",
                &[("2026-02-01", "2026-02-25")],
                false,
                Ok(City),
            ),
            // Bad dates.
            (
                "end before start",
                "2026-03-10",
                "2026-03-09",
                &[],
                false,
                Err(ErrorCode::LeaveDatesInvalid),
            ),
            (
                "in the past",
                "2026-02-27",
                "2026-03-02",
                &[],
                true,
                Err(ErrorCode::LeaveDatesInvalid),
            ),
        ];
        for (name, start, end, others, urgent, expected) in rows {
            let others: Vec<_> = others.iter().map(|(s, e)| (d(s), d(e))).collect();
            let got = assess_leave(&r, today, d(start), d(end), &others, *urgent)
                .map(|a| a.required_level);
            assert_eq!(&got, expected, "{name}");
        }
    }

    #[test]
    fn assessment_explains_itself() {
        let r = LeaveRules::default();
        let a = assess_leave(
            &r,
            d("2026-03-01"),
            d("2026-03-02"),
            d("2026-04-05"),
            &[],
            true,
        )
        .unwrap();
        assert_eq!(a.days, 35);
        assert!(a.late_notice);
        assert_eq!(
            a.rules,
            vec![
                LeaveRule::LongLeave,
                LeaveRule::OverSingleMaximum,
                LeaveRule::OverWindowTotal,
                LeaveRule::LateNotice
            ]
        );
    }

    #[test]
    fn extension_follows_the_rules_on_the_new_total() {
        let r = LeaveRules::default();
        // 7 days approved at the office; extended by 1 day → 8 days in total → county.
        let a = assess_extension(
            &r,
            d("2026-03-12"),
            d("2026-03-10"),
            d("2026-03-16"),
            d("2026-03-17"),
            &[],
        )
        .unwrap();
        assert_eq!((a.days, a.required_level), (8, CountyAgency));
        // 25 days extended to 31 → crosses 30 → city.
        let a = assess_extension(
            &r,
            d("2026-03-20"),
            d("2026-03-10"),
            d("2026-04-03"),
            d("2026-04-09"),
            &[],
        )
        .unwrap();
        assert_eq!((a.days, a.required_level), (31, City));
        assert_eq!(
            assess_extension(
                &r,
                d("2026-03-12"),
                d("2026-03-10"),
                d("2026-03-16"),
                d("2026-03-16"),
                &[]
            ),
            Err(ErrorCode::LeaveDatesInvalid)
        );
    }

    #[test]
    fn standing_approval_is_a_county_decision_for_six_months() {
        let (end, a) =
            assess_standing(&LeaveRules::default(), d("2026-01-01"), d("2026-01-15")).unwrap();
        assert_eq!(end, d("2026-07-14"));
        assert_eq!(a.required_level, CountyAgency);
        assert_eq!(a.rules, vec![LeaveRule::StandingApproval]);
    }

    #[test]
    fn who_may_approve() {
        assert!(may_approve(CountyAgency, JudicialOffice));
        assert!(may_approve(JudicialOffice, JudicialOffice));
        assert!(!may_approve(JudicialOffice, CountyAgency));
        assert!(!may_approve(CountyAgency, City));
        assert_eq!(
            needs_code(CountyAgency),
            ErrorCode::LeaveNeedsCountyApproval
        );
        assert_eq!(needs_code(City), ErrorCode::LeaveNeedsCityApproval);
        assert_eq!(ApprovalLevel::of_unit(UnitKind::Province), City);
    }

    #[test]
    fn standing_approval_lasts_six_months() {
        assert_eq!(
            standing_valid_until(&LeaveRules::default(), d("2026-01-15")),
            d("2026-07-14")
        );
        assert_eq!(
            standing_valid_until(&LeaveRules::default(), d("2026-08-31")),
            d("2027-02-27")
        );
    }

    #[test]
    fn overdue_sanctions() {
        assert_eq!(sanction_for_overdue(1, None), Sanction::Admonition);
        assert_eq!(sanction_for_overdue(9, None), Sanction::Admonition);
        assert_eq!(sanction_for_overdue(10, None), Sanction::Warning);
        assert_eq!(sanction_for_overdue(30, None), Sanction::Warning);
        assert_eq!(
            sanction_for_overdue(31, None),
            Sanction::RevocationRecommendation
        );
        // Serving outside prison: a month away is a return to prison (measures art. 49).
        assert_eq!(
            sanction_for_overdue(31, Some(crate::model::SentenceKind::MedicalParole)),
            Sanction::ReturnToPrisonRecommendation
        );
    }

    /// The app's buttons: an office officer sees "reject" but not "approve" on a leave the
    /// county must decide; an extension request cannot itself be extended.
    #[test]
    fn leave_buttons() {
        use crate::model::Role;
        const SV: Party = Party::Person {
            role: Role::Supervisee,
            level: None,
        };
        const OFFICE: Party = Party::Person {
            role: Role::Officer,
            level: Some(JudicialOffice),
        };
        const COUNTY: Party = Party::Person {
            role: Role::Officer,
            level: Some(CountyAgency),
        };
        assert_eq!(
            leave_actions(LeaveStatus::Submitted, OFFICE, CountyAgency, false),
            vec![LeaveAction::Reject]
        );
        assert_eq!(
            leave_actions(LeaveStatus::Submitted, COUNTY, CountyAgency, false),
            vec![LeaveAction::Approve, LeaveAction::Reject]
        );
        assert_eq!(
            leave_actions(LeaveStatus::Active, SV, JudicialOffice, false),
            vec![LeaveAction::Return, LeaveAction::Extend]
        );
        assert_eq!(
            leave_actions(LeaveStatus::Active, SV, JudicialOffice, true),
            vec![LeaveAction::Return]
        );
        assert!(
            leave_actions(LeaveStatus::Submitted, SV, JudicialOffice, false)
                == vec![LeaveAction::Cancel]
        );
    }
}
