//! Table `ledger_credits`: the monthly ledger of credited time, for every obligation.
use huijiao_core::policy::learning::{CreditSource, Obligation};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_credits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub obligation: Obligation,
    /// `YYYY-MM`, China time.
    pub month: String,
    pub source: CreditSource,
    pub session_id: Option<Uuid>,
    /// The lecture attendance a `lecture` row credits.
    pub attendance_id: Option<Uuid>,
    /// The community-service participation a `service` row credits.
    pub participation_id: Option<Uuid>,
    /// Negative for an adjustment that takes time away.
    pub credited_ms: i64,
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
