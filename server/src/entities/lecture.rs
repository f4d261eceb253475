//! Table `lectures`: a group lecture at a venue, with its attendance codes' secret.
use huijiao_core::policy::learning::CourseCategory;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lectures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub unit_path: String,
    pub title: String,
    pub category: CourseCategory,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_m: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// Hex; never leaves the server (only the codes made from it do).
    pub code_secret: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
