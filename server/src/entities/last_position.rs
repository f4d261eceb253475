//! Table `last_positions`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "last_positions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f32,
    pub fix_time: DateTimeUtc,
    pub received_at: DateTimeUtc,
    pub battery: Option<i16>,
    pub mock: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
