//! Table `location_points`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "location_points")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: Uuid,
    pub fix_time: DateTimeUtc,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f32,
    pub speed_mps: Option<f32>,
    pub provider: String,
    pub mock: bool,
    pub battery: Option<i16>,
    pub thinned: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
