//! Tag orders change through their state table (`policy::sanctions::TAG_ORDER`) like every
//! other record: a status (ordered, or ended early by the county) and a version for the one
//! conditional update. An order already ended is `ended`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TagOrders {
    Table,
    Status,
    Version,
    EndedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        m.alter_table(
            Table::alter()
                .table(TagOrders::Table)
                .add_column(string_len(TagOrders::Status, 16).default("ordered"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TagOrders::Table)
                .add_column(integer(TagOrders::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(TagOrders::Table)
                .value(TagOrders::Status, "ended")
                .and_where(Expr::col(TagOrders::EndedAt).is_not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [TagOrders::Version, TagOrders::Status] {
            m.alter_table(
                Table::alter()
                    .table(TagOrders::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
