//! Quiz attempts and community-service activities change through their state tables
//! (`policy::learning::QUIZ_ATTEMPT`, `policy::service::ACTIVITY`) like every other record: a
//! status each, and a version for activities (attempts had one). Existing rows take the status
//! their timestamps tell.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Status,
    SubmittedAt,
    Passed,
}

#[derive(DeriveIden)]
enum ServiceActivities {
    Table,
    Status,
    Version,
    CancelledAt,
    ClosedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        m.alter_table(
            Table::alter()
                .table(QuizAttempts::Table)
                .add_column(string_len(QuizAttempts::Status, 16).default("open"))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(QuizAttempts::Table)
                .value(QuizAttempts::Status, "awaiting_review")
                .and_where(Expr::col(QuizAttempts::SubmittedAt).is_not_null())
                .and_where(Expr::col(QuizAttempts::Passed).is_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(QuizAttempts::Table)
                .value(QuizAttempts::Status, "scored")
                .and_where(Expr::col(QuizAttempts::SubmittedAt).is_not_null())
                .and_where(Expr::col(QuizAttempts::Passed).is_not_null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ServiceActivities::Table)
                .add_column(string_len(ServiceActivities::Status, 16).default("scheduled"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ServiceActivities::Table)
                .add_column(integer(ServiceActivities::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(ServiceActivities::Table)
                .value(ServiceActivities::Status, "closed")
                .and_where(Expr::col(ServiceActivities::ClosedAt).is_not_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(ServiceActivities::Table)
                .value(ServiceActivities::Status, "cancelled")
                .and_where(Expr::col(ServiceActivities::CancelledAt).is_not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [ServiceActivities::Version, ServiceActivities::Status] {
            m.alter_table(
                Table::alter()
                    .table(ServiceActivities::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(QuizAttempts::Table)
                .drop_column(QuizAttempts::Status)
                .to_owned(),
        )
        .await
    }
}
