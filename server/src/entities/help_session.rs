//! Table `help_sessions`: a help session (帮教) logged by a volunteer of the case's team.
use huijiao_core::model::HelpKind;
use huijiao_core::policy::help::HelpStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "help_sessions")]
pub struct Model {
    /// Made by the app (a resend is the same session).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub author_id: Uuid,
    pub began_at: DateTimeUtc,
    pub minutes: i32,
    pub kind: HelpKind,
    /// The phone's fix (`GpsFix`), when it had one.
    pub place: Option<Json>,
    pub notes: String,
    /// `RiskFactor` spellings.
    pub risks: Json,
    pub follow_up: Option<String>,
    pub status: HelpStatus,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub review_note: Option<String>,
    pub alert_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
