//! Help sessions (帮教记录): what a volunteer or social worker of a case's correction team
//! (矫正小组) logs after helping the person, and the service record (志愿服务记录) their
//! confirmed sessions make. DOMAIN.md: the team helps, the officer supervises; the seeds watch
//! six kinds of risk and aim for at least one volunteer per two supervisees. The record follows
//! the Ministry of Civil Affairs' 2020 rules on volunteer service records and certificates
//! (志愿服务记录与证明出具办法): hours by month and kind, confirmed by the unit.
//!
//! Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::calendar::month_of;
use super::transitions::{Machine, Rule, Who};
use crate::error::ErrorCode;
use crate::model::{string_enum, AlertSeverity, HelpKind, RiskFactor};

string_enum! {
    open
    /// A help session as logged (waiting for the unit), confirmed (its time counts in the
    /// volunteer's service record), or returned to its author with what to correct.
    HelpStatus {
        Logged = "logged",
        Confirmed = "confirmed",
        Returned = "returned",
    }
}

string_enum! {
    HelpAction {
        Confirm = "confirm",
        Return = "return",
        Amend = "amend",
    }
}

/// An officer of the case confirms or returns; the author corrects what came back.
#[rustfmt::skip]
pub const HELP: Machine<HelpStatus, HelpAction> = Machine {
    invalid: ErrorCode::HelpTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: HelpAction::Confirm, from: &[HelpStatus::Logged], to: Some(HelpStatus::Confirmed), who: Who::Officer(None) },
        Rule { action: HelpAction::Return, from: &[HelpStatus::Logged], to: Some(HelpStatus::Returned), who: Who::Officer(None) },
        Rule { action: HelpAction::Amend, from: &[HelpStatus::Returned], to: Some(HelpStatus::Logged), who: Who::Volunteer },
    ],
};

/// One session lasts at most a long working day.
pub const HELP_MAX_MINUTES: u32 = 720;
/// A session is logged within a month of it: later, nobody can still confirm it happened.
pub const HELP_LOG_WITHIN_DAYS: i64 = 31;
/// How far a phone's clock may run ahead of the server's.
pub const HELP_CLOCK_SKEW_SECS: i64 = 300;
/// Notes and follow-up text, each at most this many characters.
pub const HELP_TEXT_MAX_CHARS: usize = 5000;

/// Why a session's time cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenProblem {
    /// It would end after now: a session is logged once it is over.
    NotOver,
    /// It began more than `HELP_LOG_WITHIN_DAYS` ago.
    TooOld,
}

/// Whether a session that began at `began` and lasted `minutes` may be logged at `now`.
pub fn check_when(
    began: DateTime<Utc>,
    minutes: u32,
    now: DateTime<Utc>,
) -> Result<(), WhenProblem> {
    let ended = began + Duration::minutes(i64::from(minutes));
    if ended > now + Duration::seconds(HELP_CLOCK_SKEW_SECS) {
        return Err(WhenProblem::NotOver);
    }
    if began < now - Duration::days(HELP_LOG_WITHIN_DAYS) {
        return Err(WhenProblem::TooOld);
    }
    Ok(())
}

/// What is wrong with a help session as written: a field, with why in both languages, or
/// its time (`help.not_over`, `help.too_old`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionProblem {
    Field(&'static str, crate::Said),
    Code(ErrorCode),
}

/// Checks a session as the server takes it — minutes, notes, follow-up, and when — so the
/// app says the same before sending as the server would after. `notes` and `follow_up` are
/// checked trimmed; an empty follow-up is none.
pub fn check_session(
    began: DateTime<Utc>,
    minutes: u32,
    notes: &str,
    follow_up: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), SessionProblem> {
    use super::text::{check, Shape};
    if !(1..=HELP_MAX_MINUTES).contains(&minutes) {
        return Err(SessionProblem::Field(
            "minutes",
            crate::Said::new(
                format!("1 to {HELP_MAX_MINUTES} minutes"),
                format!("须为 1 到 {HELP_MAX_MINUTES} 分钟"),
            ),
        ));
    }
    check(notes.trim(), HELP_TEXT_MAX_CHARS, Shape::Paragraphs)
        .map_err(|p| SessionProblem::Field("notes", p.message()))?;
    if let Some(t) = follow_up.map(str::trim).filter(|t| !t.is_empty()) {
        check(t, HELP_TEXT_MAX_CHARS, Shape::Paragraphs)
            .map_err(|p| SessionProblem::Field("follow_up", p.message()))?;
    }
    check_when(began, minutes, now).map_err(|w| {
        SessionProblem::Code(match w {
            WhenProblem::NotOver => ErrorCode::HelpNotOver,
            WhenProblem::TooOld => ErrorCode::HelpTooOld,
        })
    })
}

/// Risks that call for the officer the same day: a family in crisis and a conflict with
/// someone are where harm to others or a new offence comes from fastest. Any other flag is
/// still an alert, of medium severity.
pub const URGENT_RISKS: &[RiskFactor] = &[RiskFactor::FamilyCrisis, RiskFactor::EmotionalConflict];

/// The alert a session's risk flags raise for the case's officers, if any.
pub fn risk_alert(risks: &[RiskFactor]) -> Option<AlertSeverity> {
    if risks.is_empty() {
        None
    } else if risks.iter().any(|r| URGENT_RISKS.contains(r)) {
        Some(AlertSeverity::High)
    } else {
        Some(AlertSeverity::Medium)
    }
}

/// Each flag once, in the vocabulary's order (an app may send one twice).
pub fn distinct_risks(risks: &[RiskFactor]) -> Vec<RiskFactor> {
    RiskFactor::ALL
        .iter()
        .copied()
        .filter(|r| risks.contains(r))
        .collect()
}

/// A month of a volunteer's service record: confirmed minutes, sessions and the minutes of
/// each kind of help (kinds with none left out), in the vocabulary's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceMonth {
    /// `YYYY-MM`, China time.
    pub month: String,
    pub minutes: u32,
    pub sessions: u32,
    pub by_kind: Vec<(HelpKind, u32)>,
}

/// The service record from confirmed sessions (when each began, its kind, its minutes),
/// month by month, oldest first.
pub fn service_record(
    confirmed: impl IntoIterator<Item = (DateTime<Utc>, HelpKind, u32)>,
) -> Vec<ServiceMonth> {
    let mut months: BTreeMap<String, BTreeMap<usize, u32>> = BTreeMap::new();
    let mut sessions: BTreeMap<String, u32> = BTreeMap::new();
    for (began, kind, minutes) in confirmed {
        let month = month_of(began);
        let order = HelpKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        *months
            .entry(month.clone())
            .or_default()
            .entry(order)
            .or_default() += minutes;
        *sessions.entry(month).or_default() += 1;
    }
    months
        .into_iter()
        .map(|(month, kinds)| ServiceMonth {
            minutes: kinds.values().sum(),
            sessions: sessions[&month],
            by_kind: kinds
                .into_iter()
                .map(|(order, minutes)| (HelpKind::ALL[order], minutes))
                .collect(),
            month,
        })
        .collect()
}

/// The minutes of each kind of help over all of `months`, kinds with none left out, in the
/// vocabulary's order: what a certificate of a span of months says was done.
pub fn minutes_by_kind(months: &[ServiceMonth]) -> Vec<(HelpKind, u32)> {
    HelpKind::ALL
        .iter()
        .map(|kind| {
            let minutes = months
                .iter()
                .flat_map(|m| &m.by_kind)
                .filter(|(k, _)| k == kind)
                .map(|(_, m)| m)
                .sum();
            (*kind, minutes)
        })
        .filter(|(_, minutes)| *minutes > 0)
        .collect()
}

/// Crockford's base-32 alphabet (no I, L, O, U: nothing to misread on paper), and the extra
/// symbols of its mod-37 check character.
const CROCKFORD: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

/// What a volunteer service certificate's number starts with (志愿).
pub const SERVICE_CERTIFICATE_PREFIX: &str = "ZY";

/// A certificate's number (证明编号), printed on it and typed by whoever checks it:
/// `<prefix>-<year>-<12 random characters>-<check>` (`ZY` a volunteer service certificate,
/// `JC` a release from community corrections). The 60 random bits make numbers impossible
/// to guess; the check character catches a mistyped one before any lookup.
pub fn certificate_number(prefix: &str, year: u16, random: u64) -> String {
    let body: String = (0..12)
        .rev()
        .map(|i| CROCKFORD[((random >> (i * 5)) & 31) as usize] as char)
        .collect();
    let check = CROCKFORD[(crockford_value(&body) % 37) as usize] as char;
    format!("{prefix}-{year:04}-{body}-{check}")
}

fn crockford_value(body: &str) -> u64 {
    body.bytes().fold(0u64, |acc, b| {
        let v = CROCKFORD[..32].iter().position(|c| *c == b).unwrap_or(0) as u64;
        (acc << 5) | v
    })
}

/// The number as stored, from what someone typed (any case, dashes or spaces or none, and
/// the letters people confuse with digits: O for 0, I and L for 1); `None` when it is not
/// a certificate number or its check character does not match.
pub fn parse_certificate_number(prefix: &str, typed: &str) -> Option<String> {
    read_certificate_number(prefix, typed).ok()
}

/// As `parse_certificate_number`, saying what is wrong: not a certificate number at all
/// (`certificate.number_invalid`), or one character mistyped (`certificate.check_mismatch`).
pub fn read_certificate_number(prefix: &str, typed: &str) -> Result<String, crate::ErrorCode> {
    use crate::ErrorCode::{CertificateCheckMismatch, CertificateNumberInvalid};
    let cleaned: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let rest = cleaned
        .strip_prefix(prefix)
        .ok_or(CertificateNumberInvalid)?;
    if rest.len() != 17 || !rest.is_ascii() {
        return Err(CertificateNumberInvalid);
    }
    let year: u16 = rest[..4].parse().map_err(|_| CertificateNumberInvalid)?;
    let body: String = rest[4..16]
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if !body.bytes().all(|b| CROCKFORD[..32].contains(&b)) {
        return Err(CertificateNumberInvalid);
    }
    let number = certificate_number(prefix, year, crockford_value(&body));
    if !number.ends_with(&rest[16..]) {
        return Err(CertificateCheckMismatch);
    }
    Ok(number)
}

/// The seeds' staffing target: at least one volunteer or social worker per this many
/// supervisees.
pub const SUPERVISEES_PER_VOLUNTEER: u32 = 2;

/// Whether a unit with `volunteers` helpers on its teams meets the target for `supervisees`.
pub fn ratio_met(volunteers: u32, supervisees: u32) -> bool {
    u64::from(volunteers) * u64::from(SUPERVISEES_PER_VOLUNTEER) >= u64::from(supervisees)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::policy::transitions::Party;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_session_is_logged_once_over_and_within_a_month() {
        let now = at("2026-12-02T12:00:00Z");
        assert_eq!(check_when(at("2026-12-02T10:00:00Z"), 120, now), Ok(()));
        // Ends five minutes from now: the phone's clock may be that far ahead.
        assert_eq!(check_when(at("2026-12-02T10:05:00Z"), 120, now), Ok(()));
        assert_eq!(
            check_when(at("2026-12-02T10:05:01Z"), 120, now),
            Err(WhenProblem::NotOver)
        );
        assert_eq!(check_when(now - Duration::days(31), 60, now), Ok(()));
        assert_eq!(
            check_when(now - Duration::days(31) - Duration::seconds(1), 60, now),
            Err(WhenProblem::TooOld)
        );
    }

    #[test]
    fn risk_flags_alert_and_the_urgent_ones_high() {
        assert_eq!(risk_alert(&[]), None);
        assert_eq!(
            risk_alert(&[RiskFactor::NoJob]),
            Some(AlertSeverity::Medium)
        );
        assert_eq!(
            risk_alert(&[RiskFactor::NoJob, RiskFactor::FamilyCrisis]),
            Some(AlertSeverity::High)
        );
        assert_eq!(
            risk_alert(&[RiskFactor::EmotionalConflict]),
            Some(AlertSeverity::High)
        );
        assert_eq!(
            distinct_risks(&[
                RiskFactor::SeriousIllness,
                RiskFactor::NoJob,
                RiskFactor::SeriousIllness
            ]),
            vec![RiskFactor::NoJob, RiskFactor::SeriousIllness]
        );
    }

    #[test]
    fn the_service_record_sums_by_china_month_and_kind() {
        let record = service_record([
            (at("2026-10-31T17:00:00Z"), HelpKind::Talk, 60), // 11-01 01:00 in China
            (at("2026-10-31T15:00:00Z"), HelpKind::Visit, 90), // 10-31 23:00 in China
            (at("2026-11-10T02:00:00Z"), HelpKind::EmploymentHelp, 45),
            (at("2026-11-20T02:00:00Z"), HelpKind::Talk, 30),
        ]);
        assert_eq!(
            record,
            vec![
                ServiceMonth {
                    month: "2026-10".into(),
                    minutes: 90,
                    sessions: 1,
                    by_kind: vec![(HelpKind::Visit, 90)],
                },
                ServiceMonth {
                    month: "2026-11".into(),
                    minutes: 135,
                    sessions: 3,
                    by_kind: vec![(HelpKind::Talk, 90), (HelpKind::EmploymentHelp, 45)],
                },
            ]
        );
        assert!(service_record([]).is_empty());
        assert_eq!(
            minutes_by_kind(&record),
            vec![
                (HelpKind::Visit, 90),
                (HelpKind::Talk, 90),
                (HelpKind::EmploymentHelp, 45)
            ]
        );
        assert!(minutes_by_kind(&[]).is_empty());
    }

    #[test]
    fn certificate_numbers_read_back_and_catch_typing_mistakes() {
        let n = certificate_number(SERVICE_CERTIFICATE_PREFIX, 2026, 0x0FED_CBA9_8765_4321);
        assert_eq!(n.len(), "ZY-2026-".len() + 12 + 2);
        assert!(n.starts_with("ZY-2026-"));
        assert_eq!(
            parse_certificate_number(SERVICE_CERTIFICATE_PREFIX, &n).as_deref(),
            Some(n.as_str())
        );
        let typed = n.replace('-', " ").to_lowercase();
        assert_eq!(
            parse_certificate_number(SERVICE_CERTIFICATE_PREFIX, &typed).as_deref(),
            Some(n.as_str())
        );
        // One character changed, or two swapped: refused by the check character.
        let body_at = "ZY-2026-".len();
        let mut wrong = n.clone().into_bytes();
        wrong[body_at] = if wrong[body_at] == b'7' { b'8' } else { b'7' };
        assert_eq!(
            parse_certificate_number(
                SERVICE_CERTIFICATE_PREFIX,
                std::str::from_utf8(&wrong).unwrap()
            ),
            None
        );
        let mut swapped = n.clone().into_bytes();
        swapped.swap(body_at + 3, body_at + 4);
        if swapped != n.as_bytes() {
            assert_eq!(
                parse_certificate_number(
                    SERVICE_CERTIFICATE_PREFIX,
                    std::str::from_utf8(&swapped).unwrap()
                ),
                None
            );
        }
        assert_eq!(
            parse_certificate_number(SERVICE_CERTIFICATE_PREFIX, "ZY-2026-XYZ"),
            None
        );
        assert_eq!(
            parse_certificate_number(SERVICE_CERTIFICATE_PREFIX, "hello"),
            None
        );
        assert_eq!(
            parse_certificate_number(SERVICE_CERTIFICATE_PREFIX, "ZY-2026-ÀÀÀÀÀÀÀÀÀÀÀÀ-0"),
            None
        );
    }

    #[test]
    fn one_volunteer_per_two_supervisees() {
        assert!(ratio_met(5, 10));
        assert!(!ratio_met(4, 9));
        assert!(ratio_met(0, 0));
        assert!(ratio_met(1, 2));
        assert!(!ratio_met(1, 3));
    }

    #[test]
    fn officers_review_and_the_author_amends() {
        let volunteer = Party::person(Role::Volunteer, None);
        let officer = Party::person(Role::Officer, None);
        let supervisee = Party::person(Role::Supervisee, None);
        assert_eq!(
            HELP.check(HelpAction::Confirm, HelpStatus::Logged, officer),
            Ok(HelpStatus::Confirmed)
        );
        assert_eq!(
            HELP.check(HelpAction::Confirm, HelpStatus::Logged, volunteer),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(
            HELP.check(HelpAction::Amend, HelpStatus::Returned, volunteer),
            Ok(HelpStatus::Logged)
        );
        assert_eq!(
            HELP.check(HelpAction::Amend, HelpStatus::Confirmed, volunteer),
            Err(ErrorCode::HelpTransitionInvalid),
            "a confirmed session is a record"
        );
        assert_eq!(
            HELP.check(HelpAction::Amend, HelpStatus::Returned, supervisee),
            Err(ErrorCode::Forbidden)
        );
        for a in HelpAction::ALL {
            assert_eq!(HELP.rules.iter().filter(|r| r.action == *a).count(), 1);
        }
    }
}
