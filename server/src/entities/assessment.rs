//! Table `assessments`: a month of a case as an officer confirmed its assessment.
use huijiao_core::model::SupervisionLevel;
use huijiao_core::policy::assessment::AssessmentGrade;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    /// `YYYY-MM`, China time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    /// `AssessmentLine`s.
    pub lines: Json,
    pub score: i32,
    pub grade: AssessmentGrade,
    pub level: SupervisionLevel,
    pub proposed_level: Option<SupervisionLevel>,
    pub note: Option<String>,
    pub confirmed_by: Uuid,
    pub confirmed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
