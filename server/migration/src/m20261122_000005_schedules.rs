//! Sensitive periods and the record of evaluated check-in windows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SensitivePeriods {
    Table,
    Id,
    Name,
    StartDate,
    EndDate,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MissedWindows {
    Table,
    Id,
    CaseId,
    WindowStart,
    WindowEnd,
    Level,
    AlertId,
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
                .table(SensitivePeriods::Table)
                .col(uuid(SensitivePeriods::Id).primary_key())
                .col(string_len(SensitivePeriods::Name, 200))
                .col(date(SensitivePeriods::StartDate))
                .col(date(SensitivePeriods::EndDate))
                .col(uuid(SensitivePeriods::CreatedBy))
                .col(timestamp_with_time_zone(SensitivePeriods::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MissedWindows::Table)
                .col(uuid(MissedWindows::Id).primary_key())
                .col(uuid(MissedWindows::CaseId))
                .col(date(MissedWindows::WindowStart))
                .col(date(MissedWindows::WindowEnd))
                .col(string_len(MissedWindows::Level, 16))
                .col(uuid(MissedWindows::AlertId))
                .col(timestamp_with_time_zone(MissedWindows::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(MissedWindows::Table, MissedWindows::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // A window is found missed once, whichever instance or run finds it.
        m.create_index(
            Index::create()
                .name("ux_missed_windows_case_start")
                .table(MissedWindows::Table)
                .col(MissedWindows::CaseId)
                .col(MissedWindows::WindowStart)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(MissedWindows::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SensitivePeriods::Table).to_owned())
            .await?;
        Ok(())
    }
}
