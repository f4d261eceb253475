//! The levels that decide (judicial office, county agency, city): which unit's officers decide
//! at which level. A leaf: every state machine names the level a row needs, and its own
//! refusal when the officer is below it.

use serde::{Deserialize, Serialize};

use crate::model::UnitKind;

/// Who must decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum)
)]
#[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum ApprovalLevel {
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "judicial_office"))]
    JudicialOffice,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "county_agency"))]
    CountyAgency,
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "city"))]
    City,
}

impl ApprovalLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalLevel::JudicialOffice => "judicial_office",
            ApprovalLevel::CountyAgency => "county_agency",
            ApprovalLevel::City => "city",
        }
    }

    /// Every level, lowest first.
    pub const ALL: [ApprovalLevel; 3] = [
        ApprovalLevel::JudicialOffice,
        ApprovalLevel::CountyAgency,
        ApprovalLevel::City,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        ApprovalLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub(crate) fn up(self) -> ApprovalLevel {
        match self {
            ApprovalLevel::JudicialOffice => ApprovalLevel::CountyAgency,
            ApprovalLevel::CountyAgency | ApprovalLevel::City => ApprovalLevel::City,
        }
    }

    /// The level an officer of a unit of `kind` decides at (provincial officers: city level and below).
    pub fn of_unit(kind: UnitKind) -> ApprovalLevel {
        match kind {
            UnitKind::JudicialOffice => ApprovalLevel::JudicialOffice,
            UnitKind::CountyAgency => ApprovalLevel::CountyAgency,
            UnitKind::City | UnitKind::Province => ApprovalLevel::City,
        }
    }
}
