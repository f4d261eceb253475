//! Table `quiz_attempts`.
use huijiao_core::policy::learning::QuizAttemptStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub lesson_id: Uuid,
    pub attempt_no: i32,
    /// The question ids in the order this attempt asks them.
    pub question_order: Json,
    /// `[{question_id, chosen}]` as submitted.
    pub answers: Option<Json>,
    pub points: Option<i32>,
    pub max_points: i32,
    pub percent: Option<i32>,
    pub passed: Option<bool>,
    pub started_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub version: i32,
    /// An officer's points for the written answers: `[{question_id, points}]`.
    pub grades: Option<Json>,
    pub graded_by: Option<Uuid>,
    pub graded_at: Option<DateTimeUtc>,
    /// Follows `policy::learning::QUIZ_ATTEMPT`.
    pub status: QuizAttemptStatus,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
