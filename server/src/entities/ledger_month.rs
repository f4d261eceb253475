//! Table `ledger_months`: a case's month of one obligation, once closed by the month-end job.
use huijiao_core::policy::learning::Obligation;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_months")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub obligation: Obligation,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    pub owed_minutes: i32,
    pub credited_minutes: i64,
    pub short_minutes: i64,
    pub alert_id: Option<Uuid>,
    pub closed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
