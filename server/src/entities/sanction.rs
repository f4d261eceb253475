//! Table `sanctions`: proposals, decisions and acknowledgements of rewards and sanctions.
use huijiao_core::policy::sanctions::{Sanction, SanctionStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sanctions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// What the ground leads to, kept as proposed (a later version's table cannot change it).
    pub sanction: Sanction,
    /// The ground's code (`policy::sanctions::GROUNDS`).
    pub ground: String,
    pub reason: String,
    pub status: SanctionStatus,
    pub proposed_by: Uuid,
    pub proposed_at: DateTimeUtc,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
