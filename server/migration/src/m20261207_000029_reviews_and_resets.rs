//! An officer's review of a doubtful check-in (who, when, why; a version so two reviews at
//! once cannot both land), the officer's reset of a supervisee's check-in tries, and the
//! one-time password a reset login must change at the next sign-in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Checkins {
    Table,
    Version,
    ReviewedBy,
    ReviewedAt,
    ReviewNote,
}

#[derive(DeriveIden)]
enum CheckinTryResets {
    Table,
    Id,
    CaseId,
    ResetBy,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            integer(Checkins::Version).default(1).to_owned(),
            uuid_null(Checkins::ReviewedBy),
            timestamp_with_time_zone_null(Checkins::ReviewedAt),
            text_null(Checkins::ReviewNote),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Checkins::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(CheckinTryResets::Table)
                .col(uuid(CheckinTryResets::Id).primary_key())
                .col(uuid(CheckinTryResets::CaseId))
                .col(uuid(CheckinTryResets::ResetBy))
                .col(string_len(CheckinTryResets::Reason, 500))
                .col(timestamp_with_time_zone(CheckinTryResets::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CheckinTryResets::Table, CheckinTryResets::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_checkin_try_resets_case")
                .table(CheckinTryResets::Table)
                .col(CheckinTryResets::CaseId)
                .col(CheckinTryResets::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(boolean(Users::MustChangePassword).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::MustChangePassword)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(CheckinTryResets::Table).to_owned())
            .await?;
        for column in [
            Checkins::ReviewNote,
            Checkins::ReviewedAt,
            Checkins::ReviewedBy,
            Checkins::Version,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Checkins::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
