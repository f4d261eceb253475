//! Rewards and sanctions (考核奖惩): a proposal by an officer of the case on one of the
//! measures' grounds (its code, the sanction it leads to, the reason), the county agency's
//! decision, and the person's acknowledgement; versioned, so two deciders cannot both decide.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sanctions {
    Table,
    Id,
    CaseId,
    Sanction,
    Ground,
    Reason,
    Status,
    ProposedBy,
    ProposedAt,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    AcknowledgedAt,
    Version,
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
                .table(Sanctions::Table)
                .col(uuid(Sanctions::Id).primary_key())
                .col(uuid(Sanctions::CaseId))
                .col(string_len(Sanctions::Sanction, 40))
                .col(string_len(Sanctions::Ground, 64))
                .col(text(Sanctions::Reason))
                .col(string_len(Sanctions::Status, 16))
                .col(uuid(Sanctions::ProposedBy))
                .col(timestamp_with_time_zone(Sanctions::ProposedAt))
                .col(uuid_null(Sanctions::DecidedBy))
                .col(timestamp_with_time_zone_null(Sanctions::DecidedAt))
                .col(text_null(Sanctions::DecisionNote))
                .col(timestamp_with_time_zone_null(Sanctions::AcknowledgedAt))
                .col(integer(Sanctions::Version))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sanctions::Table, Sanctions::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sanctions_case")
                .table(Sanctions::Table)
                .col(Sanctions::CaseId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Sanctions::Table).to_owned())
            .await
    }
}
