//! Check-in attempts the quality gate refused: kept (without the photo) so every attempt is on
//! record.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CheckinRejections {
    Table,
    Id,
    CaseId,
    UserId,
    DeviceId,
    Code,
    CreatedAt,
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
                .table(CheckinRejections::Table)
                .col(uuid(CheckinRejections::Id).primary_key())
                .col(uuid(CheckinRejections::CaseId))
                .col(uuid(CheckinRejections::UserId))
                .col(string_len(CheckinRejections::DeviceId, 128))
                .col(string_len(CheckinRejections::Code, 64))
                .col(timestamp_with_time_zone(CheckinRejections::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CheckinRejections::Table, CheckinRejections::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_checkin_rejections_case")
                .table(CheckinRejections::Table)
                .col(CheckinRejections::CaseId)
                .col(CheckinRejections::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CheckinRejections::Table).to_owned())
            .await
    }
}
