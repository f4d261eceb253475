//! Relocation (迁居, measures 2020 art. 30) and visitor (会客, law art. 23) rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::model::UnitKind;
use crate::policy::level::ApprovalLevel;

/// The county agency of the current place decides a relocation, after consulting the agency
/// of the new place.
pub const RELOCATION_LEVEL: ApprovalLevel = ApprovalLevel::CountyAgency;

/// Relocation and visitor rules of a jurisdiction (the server's `[rules.requests]` settings;
/// the apps read them from `GET /rules`). Unknown fields are ignored on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RequestRules {
    /// Apply at least this many days before moving ("a month ahead", measures art. 30).
    pub relocation_notice_days: i64,
    /// Meeting these needs an officer's approval (law art. 23); other visits are recorded.
    pub visits_needing_approval: Vec<VisitorRelation>,
}

impl Default for RequestRules {
    fn default() -> Self {
        RequestRules {
            relocation_notice_days: 30,
            visits_needing_approval: vec![
                VisitorRelation::Victim,
                VisitorRelation::Complainant,
                VisitorRelation::Informant,
                VisitorRelation::Accomplice,
            ],
        }
    }
}

pub fn check_relocation_date(
    rules: &RequestRules,
    today: NaiveDate,
    move_date: NaiveDate,
) -> Result<(), ErrorCode> {
    if (move_date - today).num_days() < rules.relocation_notice_days {
        return Err(ErrorCode::RelocationNoticeTooShort);
    }
    Ok(())
}

/// A case moves to a unit that supervises people: a county agency or a judicial office (not a
/// city or province bureau, which supervise units).
pub fn may_receive_relocation(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::CountyAgency | UnitKind::JudicialOffice)
}

/// Who the supervisee wants to meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum)
)]
#[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum VisitorRelation {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "victim"))]
    Victim,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "complainant"))]
    Complainant,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "informant"))]
    Informant,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "accomplice"))]
    Accomplice,
    /// Anyone else: recorded, no approval needed.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "other"))]
    Other,
}

impl VisitorRelation {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitorRelation::Victim => "victim",
            VisitorRelation::Complainant => "complainant",
            VisitorRelation::Informant => "informant",
            VisitorRelation::Accomplice => "accomplice",
            VisitorRelation::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use VisitorRelation::*;
        [Victim, Complainant, Informant, Accomplice, Other]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Contact with the victim, complainant, informant or accomplices needs approval (law art. 23).
pub fn visit_needs_approval(rules: &RequestRules, relation: VisitorRelation) -> bool {
    rules.visits_needing_approval.contains(&relation)
}

/// A visit request: whether it needs an officer's approval (law art. 23), and the refusal when
/// one that does is not in the future (it could no longer be decided before it happens).
pub fn assess_visit(
    rules: &RequestRules,
    relation: VisitorRelation,
    meeting_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, (&'static str, crate::error::Said)> {
    let needs = visit_needs_approval(rules, relation);
    if needs && meeting_at <= now {
        return Err((
            "meeting_at",
            crate::error::Said::new(
                "a meeting that needs approval must be in the future",
                "需要批准的会客必须在将来",
            ),
        ));
    }
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocation_needs_a_month() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let r = RequestRules::default();
        assert!(check_relocation_date(&r, d("2026-03-01"), d("2026-03-31")).is_ok());
        assert_eq!(
            check_relocation_date(&r, d("2026-03-01"), d("2026-03-30")),
            Err(ErrorCode::RelocationNoticeTooShort)
        );
    }

    #[test]
    fn which_visits_need_approval() {
        for r in [
            VisitorRelation::Victim,
            VisitorRelation::Complainant,
            VisitorRelation::Informant,
            VisitorRelation::Accomplice,
        ] {
            assert!(visit_needs_approval(&RequestRules::default(), r), "{r:?}");
            assert_eq!(VisitorRelation::parse(r.as_str()), Some(r));
        }
        assert!(!visit_needs_approval(
            &RequestRules::default(),
            VisitorRelation::Other
        ));
    }

    #[test]
    fn a_visit_to_approve_is_in_the_future_and_only_units_that_supervise_receive() {
        let now = chrono::Utc::now();
        let r = &RequestRules::default();
        let past = now - chrono::Duration::minutes(1);
        assert_eq!(
            assess_visit(
                r,
                VisitorRelation::Victim,
                now + chrono::Duration::hours(1),
                now
            ),
            Ok(true)
        );
        assert_eq!(
            assess_visit(r, VisitorRelation::Victim, past, now).map_err(|e| e.0),
            Err("meeting_at")
        );
        assert_eq!(
            assess_visit(r, VisitorRelation::Other, past, now),
            Ok(false),
            "recorded, also afterwards"
        );
        assert!(
            may_receive_relocation(UnitKind::JudicialOffice)
                && may_receive_relocation(UnitKind::CountyAgency)
        );
        assert!(
            !may_receive_relocation(UnitKind::City) && !may_receive_relocation(UnitKind::Province)
        );
    }
}
