//! Table `quiz_questions`: a quiz's questions with their keys.
use huijiao_core::policy::quiz::QuestionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub ordinal: i32,
    pub kind: QuestionKind,
    pub prompt: String,
    /// The options' texts, in order.
    pub options: Json,
    /// The right options' indices. Never served to a supervisee.
    pub key: Json,
    pub points: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
