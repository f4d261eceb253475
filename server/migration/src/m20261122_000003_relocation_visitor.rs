//! Relocation (迁居) and visitor (会客) requests.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RelocationRequests {
    Table,
    Id,
    CaseId,
    FromUnitId,
    ToUnitId,
    NewAddress,
    NewLat,
    NewLon,
    MoveDate,
    Reason,
    Status,
    ConsultedBy,
    ConsultedAt,
    ConsultationAgrees,
    ConsultationOpinion,
    DecidedBy,
    DecidedAt,
    DecisionOpinion,
    CreatedBy,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum VisitorRequests {
    Table,
    Id,
    CaseId,
    VisitorName,
    Relation,
    MeetingAt,
    Place,
    Purpose,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionOpinion,
    CreatedBy,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RelocationRequests::Table)
                .col(uuid(RelocationRequests::Id).primary_key())
                .col(uuid(RelocationRequests::CaseId))
                .col(uuid(RelocationRequests::FromUnitId))
                .col(uuid(RelocationRequests::ToUnitId))
                .col(string_len(RelocationRequests::NewAddress, 500))
                .col(double(RelocationRequests::NewLat))
                .col(double(RelocationRequests::NewLon))
                .col(date(RelocationRequests::MoveDate))
                .col(string_len(RelocationRequests::Reason, 2000))
                .col(string_len(RelocationRequests::Status, 16))
                .col(uuid_null(RelocationRequests::ConsultedBy))
                .col(timestamp_with_time_zone_null(
                    RelocationRequests::ConsultedAt,
                ))
                .col(boolean_null(RelocationRequests::ConsultationAgrees))
                .col(string_len_null(
                    RelocationRequests::ConsultationOpinion,
                    2000,
                ))
                .col(uuid_null(RelocationRequests::DecidedBy))
                .col(timestamp_with_time_zone_null(RelocationRequests::DecidedAt))
                .col(string_len_null(RelocationRequests::DecisionOpinion, 2000))
                .col(uuid(RelocationRequests::CreatedBy))
                .col(timestamp_with_time_zone(RelocationRequests::CreatedAt))
                .col(integer(RelocationRequests::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(RelocationRequests::Table, RelocationRequests::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RelocationRequests::Table, RelocationRequests::ToUnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_relocation_case")
                .table(RelocationRequests::Table)
                .col(RelocationRequests::CaseId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(VisitorRequests::Table)
                .col(uuid(VisitorRequests::Id).primary_key())
                .col(uuid(VisitorRequests::CaseId))
                .col(string_len(VisitorRequests::VisitorName, 200))
                .col(string_len(VisitorRequests::Relation, 16))
                .col(timestamp_with_time_zone(VisitorRequests::MeetingAt))
                .col(string_len(VisitorRequests::Place, 500))
                .col(string_len(VisitorRequests::Purpose, 2000))
                .col(string_len(VisitorRequests::Status, 16))
                .col(uuid_null(VisitorRequests::DecidedBy))
                .col(timestamp_with_time_zone_null(VisitorRequests::DecidedAt))
                .col(string_len_null(VisitorRequests::DecisionOpinion, 2000))
                .col(uuid(VisitorRequests::CreatedBy))
                .col(timestamp_with_time_zone(VisitorRequests::CreatedAt))
                .col(integer(VisitorRequests::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(VisitorRequests::Table, VisitorRequests::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_visitor_case")
                .table(VisitorRequests::Table)
                .col(VisitorRequests::CaseId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VisitorRequests::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RelocationRequests::Table).to_owned())
            .await?;
        Ok(())
    }
}
