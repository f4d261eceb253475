//! Written (short-text) quiz answers graded by an officer: the points given each, by whom and
//! when. An attempt submitted with a written answer waits (`passed` null) until graded.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Grades,
    GradedBy,
    GradedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            json_null(QuizAttempts::Grades),
            uuid_null(QuizAttempts::GradedBy),
            timestamp_with_time_zone_null(QuizAttempts::GradedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(QuizAttempts::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            QuizAttempts::Grades,
            QuizAttempts::GradedBy,
            QuizAttempts::GradedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(QuizAttempts::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
