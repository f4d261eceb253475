//! Table `visit_overdues`: a home visit or office report let pass its due date, raised once.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "visit_overdues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    /// `VisitKind` spelling.
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub due_on: Date,
    pub alert_id: Option<Uuid>,
    pub raised_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
