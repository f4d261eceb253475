//! Table `visits`: a home visit, talk or office report an officer recorded.
use huijiao_core::policy::visits::VisitKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    /// Made by the app (a resend is the same record).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: VisitKind,
    pub officer_id: Uuid,
    pub at: DateTimeUtc,
    /// The officer's fix (`GpsFix`), when there was one.
    pub place: Option<Json>,
    /// A home visit's distance from the registered residence, metres.
    pub distance_m: Option<i32>,
    /// An office report's face check-in.
    pub checkin_id: Option<Uuid>,
    /// Who was met (strings).
    pub met: Json,
    pub findings: String,
    /// `RiskFactor` spellings.
    pub risks: Json,
    pub alert_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
