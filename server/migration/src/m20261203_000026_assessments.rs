//! Monthly assessments (月度考核) as officers confirmed them: one per case and month, its
//! lines (each fact, its count, the points taken and why an officer changed them), score,
//! grade, the level then and the level it proposed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assessments {
    Table,
    CaseId,
    Month,
    Lines,
    Score,
    Grade,
    Level,
    ProposedLevel,
    Note,
    ConfirmedBy,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Assessments::Table)
                .col(uuid(Assessments::CaseId))
                .col(string_len(Assessments::Month, 7))
                .col(json(Assessments::Lines))
                .col(integer(Assessments::Score))
                .col(string_len(Assessments::Grade, 16))
                .col(string_len(Assessments::Level, 16))
                .col(string_len_null(Assessments::ProposedLevel, 16))
                .col(text_null(Assessments::Note))
                .col(uuid(Assessments::ConfirmedBy))
                .col(timestamp_with_time_zone(Assessments::ConfirmedAt))
                // One confirmation a month: two officers confirming at once cannot both.
                .primary_key(
                    Index::create()
                        .col(Assessments::CaseId)
                        .col(Assessments::Month),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Assessments::Table, Assessments::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Assessments::Table).to_owned())
            .await
    }
}
