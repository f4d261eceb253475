//! The end of a case: when it closed (the biometric purge counts from it, not from the last
//! write), and the release certificate (解除社区矫正证明书) issued at term end with the public
//! release announcement's place and attendees.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    Status,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReleaseCertificates {
    Table,
    CaseId,
    Number,
    ReleasedOn,
    Place,
    Attendees,
    Note,
    UnitName,
    IssuedBy,
    IssuedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(timestamp_with_time_zone_null(Cases::ClosedAt))
                .to_owned(),
        )
        .await?;
        // Until now a closed case was never written again, so its last write is its close.
        m.exec_stmt(
            Query::update()
                .table(Cases::Table)
                .value(Cases::ClosedAt, Expr::col(Cases::UpdatedAt))
                .and_where(Expr::col(Cases::Status).is_in(["released", "revoked", "terminated"]))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReleaseCertificates::Table)
                .col(uuid(ReleaseCertificates::CaseId).primary_key())
                .col(string_len(ReleaseCertificates::Number, 32).unique_key())
                .col(date(ReleaseCertificates::ReleasedOn))
                .col(text(ReleaseCertificates::Place))
                .col(json(ReleaseCertificates::Attendees))
                .col(text_null(ReleaseCertificates::Note))
                .col(text(ReleaseCertificates::UnitName))
                .col(uuid(ReleaseCertificates::IssuedBy))
                .col(timestamp_with_time_zone(ReleaseCertificates::IssuedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReleaseCertificates::Table, ReleaseCertificates::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReleaseCertificates::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .drop_column(Cases::ClosedAt)
                .to_owned(),
        )
        .await
    }
}
