//! Table `tag_orders`: electronic tag orders (law art. 29).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tag_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub ground: huijiao_core::policy::sanctions::TagGround,
    pub starts_on: Date,
    pub ends_on: Date,
    pub reason: String,
    pub renews: Option<Uuid>,
    pub decided_by: Uuid,
    pub decided_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
    pub expiry_alert_id: Option<Uuid>,
    pub status: huijiao_core::policy::sanctions::TagOrderStatus,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
