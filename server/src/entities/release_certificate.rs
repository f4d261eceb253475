//! Table `release_certificates`: the certificate a released person was issued (one per case).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "release_certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    /// `JC-<year>-…` (`policy::help::certificate_number`).
    pub number: String,
    pub released_on: Date,
    /// Where the release was announced, and who attended (strings).
    pub place: String,
    pub attendees: Json,
    pub note: Option<String>,
    /// The issuing county agency's name as it was then.
    pub unit_name: String,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
