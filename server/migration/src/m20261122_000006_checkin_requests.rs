//! Unscheduled (random) check-in requests with a short deadline.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CheckinRequests {
    Table,
    Id,
    CaseId,
    RequestedBy,
    Deadline,
    Status,
    CheckinId,
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
                .table(CheckinRequests::Table)
                .col(uuid(CheckinRequests::Id).primary_key())
                .col(uuid(CheckinRequests::CaseId))
                .col(uuid_null(CheckinRequests::RequestedBy))
                .col(timestamp_with_time_zone(CheckinRequests::Deadline))
                .col(string_len(CheckinRequests::Status, 16))
                .col(uuid_null(CheckinRequests::CheckinId))
                .col(timestamp_with_time_zone(CheckinRequests::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CheckinRequests::Table, CheckinRequests::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_checkin_requests_status")
                .table(CheckinRequests::Table)
                .col(CheckinRequests::Status)
                .col(CheckinRequests::Deadline)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CheckinRequests::Table).to_owned())
            .await
    }
}
