//! Table `investigations`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "investigations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub court: String,
    pub defendant_name: String,
    pub defendant_id_hash: String,
    pub defendant_id_masked: String,
    pub minor: bool,
    pub charge: String,
    pub requested_on: Date,
    pub due_on: Date,
    pub status: huijiao_core::model::InvestigationStatus,
    pub opinion: Option<String>,
    pub opinion_text: Option<String>,
    pub filed_by: Option<Uuid>,
    pub filed_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
