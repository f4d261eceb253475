//! Table `cases`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub national_id_hash: String,
    pub national_id_masked: String,
    pub gender: Option<String>,
    pub minor: bool,
    pub sentence_kind: huijiao_core::model::SentenceKind,
    pub crime: String,
    pub court: String,
    pub judgment_number: String,
    pub start_date: Date,
    pub end_date: Date,
    pub residence_address: String,
    pub residence_lat: f64,
    pub residence_lon: f64,
    pub prohibition_orders: Json,
    pub unit_id: Uuid,
    pub officer_id: Option<Uuid>,
    pub status: huijiao_core::model::CaseStatus,
    pub level: huijiao_core::model::SupervisionLevel,
    pub user_id: Option<Uuid>,
    pub announced_at: Option<DateTimeUtc>,
    pub announced_by: Option<Uuid>,
    pub announce_place: Option<String>,
    pub announce_attendees: Option<Json>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When it was released, revoked or terminated: the biometric purge counts from here.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
