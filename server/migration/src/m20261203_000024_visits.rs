//! Field work: home visits, talks and office reports as officers record them (the app's id, so
//! a resend is the same record; the fix, who was met, what was found, risks and the alert they
//! raised; an office report's face check-in), the photos taken on them (encrypted in the media
//! store, purged with the case's biometrics), and the overdue alerts raised, one per case, kind
//! and due date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Visits {
    Table,
    Id,
    CaseId,
    Kind,
    OfficerId,
    At,
    Place,
    DistanceM,
    CheckinId,
    Met,
    Findings,
    Risks,
    AlertId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VisitPhotos {
    Table,
    Id,
    VisitId,
    ContentType,
    Size,
    MediaKey,
    TakenBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VisitOverdues {
    Table,
    CaseId,
    Kind,
    DueOn,
    AlertId,
    RaisedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Checkins {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Visits::Table)
                .col(uuid(Visits::Id).primary_key())
                .col(uuid(Visits::CaseId))
                .col(string_len(Visits::Kind, 24))
                .col(uuid(Visits::OfficerId))
                .col(timestamp_with_time_zone(Visits::At))
                .col(json_null(Visits::Place))
                .col(integer_null(Visits::DistanceM))
                .col(uuid_null(Visits::CheckinId))
                .col(json(Visits::Met))
                .col(text(Visits::Findings))
                .col(json(Visits::Risks))
                .col(uuid_null(Visits::AlertId))
                .col(timestamp_with_time_zone(Visits::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Visits::Table, Visits::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Visits::Table, Visits::CheckinId)
                        .to(Checkins::Table, Checkins::Id),
                )
                .to_owned(),
        )
        .await?;
        // The last of each kind per case is what the schedule reads.
        m.create_index(
            Index::create()
                .name("ix_visits_case_kind_at")
                .table(Visits::Table)
                .col(Visits::CaseId)
                .col(Visits::Kind)
                .col(Visits::At)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(VisitPhotos::Table)
                .col(uuid(VisitPhotos::Id).primary_key())
                .col(uuid(VisitPhotos::VisitId))
                .col(string_len(VisitPhotos::ContentType, 32))
                .col(big_integer(VisitPhotos::Size))
                .col(string_len(VisitPhotos::MediaKey, 200))
                .col(uuid(VisitPhotos::TakenBy))
                .col(timestamp_with_time_zone(VisitPhotos::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(VisitPhotos::Table, VisitPhotos::VisitId)
                        .to(Visits::Table, Visits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(VisitOverdues::Table)
                .col(uuid(VisitOverdues::CaseId))
                .col(string_len(VisitOverdues::Kind, 24))
                .col(date(VisitOverdues::DueOn))
                .col(uuid_null(VisitOverdues::AlertId))
                .col(timestamp_with_time_zone(VisitOverdues::RaisedAt))
                .primary_key(
                    Index::create()
                        .col(VisitOverdues::CaseId)
                        .col(VisitOverdues::Kind)
                        .col(VisitOverdues::DueOn),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(VisitOverdues::Table, VisitOverdues::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VisitOverdues::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(VisitPhotos::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Visits::Table).to_owned())
            .await
    }
}
