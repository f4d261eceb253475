//! Table `study_beats`: every heartbeat taken, with what it credited and why not more.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "study_beats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub client_ms: i64,
    pub position_ms: i64,
    pub playing: bool,
    pub foreground: bool,
    pub idle_secs: i32,
    pub received_at: DateTimeUtc,
    pub added_ms: i64,
    pub cut: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
