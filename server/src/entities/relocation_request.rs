//! Table `relocation_requests`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "relocation_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub from_unit_id: Uuid,
    pub to_unit_id: Uuid,
    pub new_address: String,
    pub new_lat: f64,
    pub new_lon: f64,
    pub move_date: Date,
    pub reason: String,
    pub status: huijiao_core::model::RequestStatus,
    pub consulted_by: Option<Uuid>,
    pub consulted_at: Option<DateTimeUtc>,
    pub consultation_agrees: Option<bool>,
    pub consultation_opinion: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_opinion: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
