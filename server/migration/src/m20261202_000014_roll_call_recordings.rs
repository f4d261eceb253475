//! A roll call's recording, where the jurisdiction turns recording on: the key of the encrypted
//! file in the media store, its media type, and when retention purged it. One column a
//! statement: SQLite alters a table one column at a time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RollCalls {
    Table,
    RecordingKey,
    RecordingType,
    RecordingPurgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_null(RollCalls::RecordingKey),
            string_null(RollCalls::RecordingType),
            timestamp_with_time_zone_null(RollCalls::RecordingPurgedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(RollCalls::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            RollCalls::RecordingKey,
            RollCalls::RecordingType,
            RollCalls::RecordingPurgedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(RollCalls::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
