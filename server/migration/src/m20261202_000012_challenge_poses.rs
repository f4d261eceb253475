//! The head poses a check-in code asks for (active liveness), in order, comma-separated;
//! empty for codes issued before, which ask for one straight photo.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CheckinChallenges {
    Table,
    Poses,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(CheckinChallenges::Table)
                .add_column(string_null(CheckinChallenges::Poses))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(CheckinChallenges::Table)
                .drop_column(CheckinChallenges::Poses)
                .to_owned(),
        )
        .await
    }
}
