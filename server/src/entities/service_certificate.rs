//! Table `service_certificates`: a volunteer service certificate (志愿服务证明) as issued.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `policy::help::certificate_number`.
    #[sea_orm(unique)]
    pub number: String,
    pub volunteer_id: Uuid,
    /// As at issue: a certificate says what it said when issued.
    pub volunteer_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    /// `YYYY-MM`, China time, both included.
    pub from_month: String,
    pub to_month: String,
    pub minutes: i32,
    pub sessions: i32,
    /// `[{kind, minutes}]`.
    pub by_kind: Json,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
