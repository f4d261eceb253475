//! Table `courses`.
use huijiao_core::policy::learning::{CourseCategory, CourseStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    /// The authoring unit's path: the course reaches the units whose path starts with it.
    pub unit_path: String,
    pub title: String,
    pub category: CourseCategory,
    pub description: Option<String>,
    pub status: CourseStatus,
    pub published_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
