//! Login attempt counters, one row per key: a user name (whether or not the account exists,
//! so unknown names lock like known ones) or a client address. Times are Unix milliseconds so
//! that both databases compare them the same way inside one atomic upsert.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    LockedUntilMs,
    UpdatedMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginThrottles::Table)
                .col(string_len(LoginThrottles::Key, 160).primary_key())
                .col(integer(LoginThrottles::Failures))
                .col(big_integer_null(LoginThrottles::LockedUntilMs))
                .col(big_integer(LoginThrottles::UpdatedMs))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginThrottles::Table).to_owned())
            .await
    }
}
