//! Rewards and sanctions (考核奖惩): a proposal by an officer of the case on one of the
//! measures' grounds (its code, the sanction it leads to, the reason), the county agency's
//! decision, and the person's acknowledgement; versioned, so two deciders cannot both decide.
//! Electronic tag orders (law art. 29): the ground, the term (at most three months), the order
//! a renewal continues, an early end, and the alert raised before the term ends.

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
enum TagOrders {
    Table,
    Id,
    CaseId,
    Ground,
    StartsOn,
    EndsOn,
    Reason,
    Renews,
    DecidedBy,
    DecidedAt,
    EndedAt,
    EndReason,
    ExpiryAlertId,
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
        .await?;
        m.create_table(
            Table::create()
                .table(TagOrders::Table)
                .col(uuid(TagOrders::Id).primary_key())
                .col(uuid(TagOrders::CaseId))
                .col(string_len(TagOrders::Ground, 40))
                .col(date(TagOrders::StartsOn))
                .col(date(TagOrders::EndsOn))
                .col(text(TagOrders::Reason))
                .col(uuid_null(TagOrders::Renews))
                .col(uuid(TagOrders::DecidedBy))
                .col(timestamp_with_time_zone(TagOrders::DecidedAt))
                .col(timestamp_with_time_zone_null(TagOrders::EndedAt))
                .col(text_null(TagOrders::EndReason))
                .col(uuid_null(TagOrders::ExpiryAlertId))
                .foreign_key(
                    ForeignKey::create()
                        .from(TagOrders::Table, TagOrders::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // One renewal per order: two officers renewing at once cannot both.
        m.create_index(
            Index::create()
                .name("ux_tag_orders_renews")
                .table(TagOrders::Table)
                .col(TagOrders::Renews)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TagOrders::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Sanctions::Table).to_owned())
            .await
    }
}
