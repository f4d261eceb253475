//! Jurisdiction rules as data and pure functions (DOMAIN.md is the source of truth).
//!
//! The server enforces these; the apps call the same functions to explain a rule before the
//! user acts. No I/O here.

pub mod assessment;
pub mod calendar;
pub mod checkin;
pub mod help;
pub mod learning;
pub mod leave;
pub mod lecture;
pub mod level;
pub mod liveness;
pub mod location;
pub mod quiz;
pub mod release;
pub mod requests;
pub mod rollcall;
pub mod sanctions;
pub mod schedule;
pub mod service;
pub mod text;
pub mod transitions;
pub mod visits;

use crate::error::{ErrorCode, Said};

/// A part of a request that cannot stand: the field it names (as the API names it) and why,
/// in both languages. The server answers it as a 422 on that field; a screen says it there
/// before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub said: Said,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, said: Said) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            said,
        }
    }
}
use crate::model::{CaseStatus, SupervisionLevel, UnitKind};

/// A jurisdiction's rules that the apps run before the server does (`GET /rules`): leave,
/// relocation and visitor rules, what each supervision level obliges and when check-ins
/// count, how a check-in proves a live face, how video roll calls are answered and judged, and
/// how much study and community service a month is owed and how each is credited, and how
/// field visits are recorded.
/// Defaults are the national ones; the server's configuration (`[rules.leave]`,
/// `[rules.requests]`, `[rules.supervision.<level>]`, `[rules.checkin_band]`,
/// `[rules.liveness]`, `[rules.roll_calls]`, `[rules.learning]`, `[rules.service]`, `[rules.visits]`) sets a jurisdiction's own.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JurisdictionRules {
    pub leave: leave::LeaveRules,
    pub requests: requests::RequestRules,
    pub supervision: Jurisdiction,
    pub checkin_band: schedule::DailyBand,
    pub liveness: liveness::LivenessRules,
    pub roll_calls: rollcall::RollCallRules,
    pub learning: learning::LearningRules,
    pub service: service::ServiceRules,
    pub visits: visits::VisitRules,
}

impl JurisdictionRules {
    /// Whether the rules hold together, each section by its own check; the refusal names the
    /// section (`roll_calls: …`). A section without a check of its own has nothing that can
    /// contradict itself.
    pub fn check(&self) -> Result<(), String> {
        let sections = [
            ("liveness", self.liveness.check()),
            ("roll_calls", self.roll_calls.check()),
            ("learning", self.learning.check()),
            ("service", self.service.check()),
            ("visits", self.visits.check()),
        ];
        for (name, checked) in sections {
            checked.map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

/// The unit kind a unit of `kind` must hang under; `None` for the root (province).
pub fn parent_kind(kind: UnitKind) -> Option<UnitKind> {
    match kind {
        UnitKind::Province => None,
        UnitKind::City => Some(UnitKind::Province),
        UnitKind::CountyAgency => Some(UnitKind::City),
        UnitKind::JudicialOffice => Some(UnitKind::CountyAgency),
    }
}

/// Whether a case may move from `from` to `to` by any action of `transitions::CASE`.
pub fn case_transition_allowed(from: CaseStatus, to: CaseStatus) -> bool {
    transitions::CASE
        .rules
        .iter()
        .any(|r| r.from.contains(&from) && r.to == Some(to))
}

/// A supervisee acts (applies, checks in, reports locations) and is asked to act only while
/// the case is active: not before the intake announcement, not after it ended, not while
/// absconded (law art. 17, 44-46).
pub fn require_active(status: CaseStatus) -> Result<(), ErrorCode> {
    if status == CaseStatus::Active {
        Ok(())
    } else {
        Err(ErrorCode::CaseNotActive)
    }
}

/// The first day a person owes anything (check-ins, education, service, reports): the day of
/// the intake announcement (入矫宣告), or the term's first day if that came later. `None`
/// before the announcement: nothing is owed yet, so nothing can be short, missed or assessed.
pub fn obligations_begin(
    term_start: chrono::NaiveDate,
    announced_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<chrono::NaiveDate> {
    announced_at.map(|a| calendar::local_date(a).max(term_start))
}

pub fn case_is_closed(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Released | CaseStatus::Revoked | CaseStatus::Terminated
    )
}

/// New intakes start under strict supervision (DOMAIN.md, "A case's life" 4).
pub const INTAKE_LEVEL: SupervisionLevel = SupervisionLevel::Strict;

/// What a supervision level obliges (DOMAIN.md table; defaults, per jurisdiction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Obligations {
    /// Days between scheduled face check-ins.
    pub checkin_every_days: u32,
    /// Minutes between location reports from the phone.
    pub location_interval_minutes: u32,
    /// Minimum video roll calls per 30 days; 0 = on demand only.
    pub roll_calls_per_month: u32,
    /// Days between in-person reports at the office.
    pub office_report_every_days: u32,
    /// Days between officer home visits.
    pub home_visit_every_days: u32,
}

/// What each level obliges in one jurisdiction. `Jurisdiction::default()` is the national
/// default; the server reads a jurisdiction's own from `[rules.supervision]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Jurisdiction {
    pub strict: Obligations,
    pub normal: Obligations,
    pub lenient: Obligations,
}

impl Default for Jurisdiction {
    fn default() -> Self {
        Jurisdiction {
            strict: Obligations {
                checkin_every_days: 1,
                location_interval_minutes: 10,
                roll_calls_per_month: 4,
                office_report_every_days: 15,
                home_visit_every_days: 30,
            },
            normal: Obligations {
                checkin_every_days: 7,
                location_interval_minutes: 30,
                roll_calls_per_month: 1,
                office_report_every_days: 30,
                home_visit_every_days: 60,
            },
            lenient: Obligations {
                checkin_every_days: 14,
                location_interval_minutes: 60,
                roll_calls_per_month: 0,
                office_report_every_days: 60,
                home_visit_every_days: 90,
            },
        }
    }
}

impl Jurisdiction {
    pub fn obligations(&self, level: SupervisionLevel) -> Obligations {
        match level {
            SupervisionLevel::Strict => self.strict,
            SupervisionLevel::Normal => self.normal,
            SupervisionLevel::Lenient => self.lenient,
        }
    }
}

/// During a sensitive period (重大节会提级管理) everyone is supervised one level stricter.
pub fn effective_level(level: SupervisionLevel, in_sensitive_period: bool) -> SupervisionLevel {
    if !in_sensitive_period {
        return level;
    }
    match level {
        SupervisionLevel::Lenient => SupervisionLevel::Normal,
        SupervisionLevel::Normal | SupervisionLevel::Strict => SupervisionLevel::Strict,
    }
}

/// Validates an 18-character resident identity number (GB 11643-1999): 17 digits, then a
/// check character computed by ISO 7064 MOD 11-2, and a plausible birth date. Returns the
/// normalised form (upper-case X).
pub fn validate_national_id(id: &str) -> Result<String, ErrorCode> {
    let id = id.trim().to_ascii_uppercase();
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err(ErrorCode::NationalIdInvalid);
    }
    if national_id_check_char(&id[..17]) != Some(bytes[17] as char) {
        return Err(ErrorCode::NationalIdInvalid);
    }
    let birth = chrono::NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
        .map_err(|_| ErrorCode::NationalIdInvalid)?;
    if birth.year_ce().1 < 1900 {
        return Err(ErrorCode::NationalIdInvalid);
    }
    Ok(id)
}

use chrono::Datelike;

/// The check character of an identity number from its first 17 digits (ISO 7064 MOD 11-2).
pub fn national_id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// The display form of a national id: region (6) and last 4 kept, the birth date hidden.
pub fn mask_national_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// A name with everything but the first character hidden: "张三丰" → "张**".
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

/// What a withheld national id looks like: nothing of it.
pub const MINOR_ID_MASK: &str = "******************";

/// How much of a supervisee's identity a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityShown {
    /// Name, and the id with its birth date hidden (`mask_national_id`).
    Full,
    /// Family name only, no id (`mask_name`, `MINOR_ID_MASK`).
    Masked,
}

/// Who sees a supervisee's identity. A minor's is confidential (law art. 54): only the
/// officers of the case and the person themself see it, and only in a detail view, never in a
/// list or an export. A volunteer or social worker on the correction team sees every identity
/// masked: they help with daily life and education, which needs the person, not their papers
/// (law art. 4 and 11, personal information used only as the work needs it).
pub fn identity_shown(minor: bool, reader: crate::model::Role, detail: bool) -> IdentityShown {
    use crate::model::Role;
    match reader {
        Role::Volunteer => IdentityShown::Masked,
        _ if minor && !(detail && matches!(reader, Role::Officer | Role::Supervisee)) => {
            IdentityShown::Masked
        }
        _ => IdentityShown::Full,
    }
}

/// What the correction team's volunteers and social workers see of where a person lives: the
/// district (the address up to its county-level part), never the street and number, and a
/// point rounded to about a kilometre — enough to plan a visit with the officer, not to find
/// the door (law art. 4 and 11: personal information only as the work needs it).
pub fn for_the_team(address: &str, lat: f64, lon: f64) -> (String, f64, f64) {
    let round = |v: f64| (v * 100.0).round() / 100.0;
    (district_of(address), round(lat), round(lon))
}

/// An address up to its first county-level part (区, 县, 旗, or 市 for a city without
/// districts): "兰州市城关区示例路1号" → "兰州市城关区". An address with none of them gives its
/// first few characters only.
pub fn district_of(address: &str) -> String {
    let chars: Vec<char> = address.trim().chars().collect();
    let head = &chars[..chars.len().min(16)];
    let end = head
        .iter()
        .position(|c| matches!(c, '区' | '县' | '旗'))
        .or_else(|| head.iter().position(|c| *c == '市'));
    match end {
        Some(i) => head[..=i].iter().collect(),
        None => head[..head.len().min(4)].iter().collect(),
    }
}

/// Passwords: at least 10 characters from at least 3 of lower, upper, digit, other; at most
/// 128 (argon2 input stays bounded).
pub fn check_password_strength(password: &str) -> Result<(), ErrorCode> {
    let len = password.chars().count();
    if !(10..=128).contains(&len) {
        return Err(ErrorCode::PasswordWeak);
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        return Err(ErrorCode::PasswordWeak);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CaseStatus::*, SupervisionLevel::*};

    #[test]
    fn the_team_sees_the_district_not_the_door() {
        assert_eq!(district_of("兰州市城关区示例路1号"), "兰州市城关区");
        assert_eq!(district_of("甘肃省榆中县城关镇栖云北路8号"), "甘肃省榆中县");
        assert_eq!(district_of("嘉峪关市新华路5号"), "嘉峪关市");
        assert_eq!(district_of("兰州市城关区雁滩街区12号"), "兰州市城关区");
        assert_eq!(district_of("示例路1号"), "示例路1");
        let (d, lat, lon) = for_the_team("兰州市城关区示例路1号", 36.06123, 103.83456);
        assert_eq!((d.as_str(), lat, lon), ("兰州市城关区", 36.06, 103.83));
    }

    #[test]
    fn the_rules_check_names_the_section_at_fault() {
        assert_eq!(JurisdictionRules::default().check(), Ok(()));
        let mut r = JurisdictionRules::default();
        r.visits.home_radius_m = 10;
        assert_eq!(
            r.check(),
            Err("visits: home_radius_m must be 50 to 5000".to_owned())
        );
    }

    #[test]
    fn unit_tree_levels() {
        assert_eq!(parent_kind(UnitKind::Province), None);
        assert_eq!(parent_kind(UnitKind::City), Some(UnitKind::Province));
        assert_eq!(parent_kind(UnitKind::CountyAgency), Some(UnitKind::City));
        assert_eq!(
            parent_kind(UnitKind::JudicialOffice),
            Some(UnitKind::CountyAgency)
        );
    }

    #[test]
    fn case_transitions_exhaustive() {
        let allowed = [
            (PreIntake, Active),
            (PreIntake, Terminated),
            (Active, Released),
            (Active, Revoked),
            (Active, Terminated),
            (Active, Absconded),
            (Absconded, Active),
            (Absconded, Revoked),
            (Absconded, Terminated),
        ];
        for &from in CaseStatus::ALL {
            for &to in CaseStatus::ALL {
                assert_eq!(
                    case_transition_allowed(from, to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
        for &s in CaseStatus::ALL {
            if case_is_closed(s) {
                assert!(CaseStatus::ALL
                    .iter()
                    .all(|&to| !case_transition_allowed(s, to)));
            }
        }
    }

    #[test]
    fn obligations_follow_the_domain_table() {
        let j = Jurisdiction::default();
        assert_eq!(j.obligations(Strict).checkin_every_days, 1);
        assert_eq!(j.obligations(Normal).checkin_every_days, 7);
        assert_eq!(j.obligations(Lenient).checkin_every_days, 14);
        assert_eq!(j.obligations(Strict).location_interval_minutes, 10);
        assert_eq!(j.obligations(Normal).location_interval_minutes, 30);
        assert_eq!(j.obligations(Lenient).location_interval_minutes, 60);
    }

    #[test]
    fn sensitive_period_is_one_level_stricter() {
        assert_eq!(effective_level(Lenient, true), Normal);
        assert_eq!(effective_level(Normal, true), Strict);
        assert_eq!(effective_level(Strict, true), Strict);
        for &l in SupervisionLevel::ALL {
            assert_eq!(effective_level(l, false), l);
        }
    }

    #[test]
    fn national_id_checksum() {
        // The standard's worked example.
        assert_eq!(
            validate_national_id("11010519491231002x").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            validate_national_id("110105194912310021"),
            Err(ErrorCode::NationalIdInvalid)
        );
        assert_eq!(
            validate_national_id("1101051949123100"),
            Err(ErrorCode::NationalIdInvalid)
        );
        assert_eq!(
            validate_national_id("11010519491331002X"),
            Err(ErrorCode::NationalIdInvalid),
            "month 13"
        );
        assert_eq!(
            validate_national_id("1101051949123100२X"),
            Err(ErrorCode::NationalIdInvalid),
            "non-ASCII digit"
        );
    }

    #[test]
    fn who_sees_an_identity() {
        use crate::model::Role::*;
        use IdentityShown::*;
        // An adult: officers and the person see it, in lists too; a volunteer never.
        assert_eq!(identity_shown(false, Officer, false), Full);
        assert_eq!(identity_shown(false, Supervisee, true), Full);
        assert_eq!(identity_shown(false, Volunteer, true), Masked);
        assert_eq!(identity_shown(false, Volunteer, false), Masked);
        // A minor (art. 54): the officer and the person in a detail view only.
        assert_eq!(identity_shown(true, Officer, true), Full);
        assert_eq!(identity_shown(true, Supervisee, true), Full);
        assert_eq!(identity_shown(true, Officer, false), Masked);
        assert_eq!(identity_shown(true, Volunteer, true), Masked);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_national_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_national_id("123"), "***");
    }

    #[test]
    fn password_strength() {
        assert!(check_password_strength("Correct-Horse9").is_ok());
        assert!(check_password_strength("short1A!").is_err());
        assert!(check_password_strength("alllowercaseletters").is_err());
        assert!(check_password_strength("lowercase12345").is_err());
        assert!(check_password_strength("lowercase12345!").is_ok());
        assert!(check_password_strength(&"aA1!".repeat(40)).is_err());
    }
}
