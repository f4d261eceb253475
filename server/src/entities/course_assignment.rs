//! Table `course_assignments`.
use huijiao_core::model::SupervisionLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    /// The assigning officer's unit: the assignment reaches the cases under it.
    pub unit_id: Uuid,
    pub unit_path: String,
    pub case_id: Option<Uuid>,
    pub level: Option<SupervisionLevel>,
    pub due_on: Date,
    pub assigned_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
