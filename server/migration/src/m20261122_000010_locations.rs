//! Location reports and fences: raw points (the volume table: narrow rows, one index on
//! (case, fix time)), the batches they came in (idempotent retries), the last position per
//! case, fences, and the state of each rule per case. Alerts learn when their condition cleared.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LocationPoints {
    Table,
    Id,
    CaseId,
    FixTime,
    Lat,
    Lon,
    AccuracyM,
    SpeedMps,
    Provider,
    Mock,
    Battery,
    Thinned,
}

#[derive(DeriveIden)]
enum LocationBatches {
    Table,
    Id,
    CaseId,
    DeviceId,
    ReceivedAt,
    PointCount,
    Result,
}

#[derive(DeriveIden)]
enum LastPositions {
    Table,
    CaseId,
    Lat,
    Lon,
    AccuracyM,
    FixTime,
    ReceivedAt,
    Battery,
    Mock,
}

#[derive(DeriveIden)]
enum Fences {
    Table,
    Id,
    Name,
    Kind,
    Shape,
    Schedule,
    CaseId,
    ProhibitionOrder,
    UnitId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
    ArchivedBy,
    Version,
}

#[derive(DeriveIden)]
enum LocationStates {
    Table,
    CaseId,
    Rule,
    PendingSince,
    Violating,
    AlertId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Alerts {
    Table,
    ClearedAt,
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

fn to_case(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Cases::Table, Cases::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LocationPoints::Table)
                .col(
                    big_integer(LocationPoints::Id)
                        .auto_increment()
                        .primary_key(),
                )
                .col(uuid(LocationPoints::CaseId))
                .col(timestamp_with_time_zone(LocationPoints::FixTime))
                .col(double(LocationPoints::Lat))
                .col(double(LocationPoints::Lon))
                .col(float(LocationPoints::AccuracyM))
                .col(float_null(LocationPoints::SpeedMps))
                .col(string_len(LocationPoints::Provider, 16))
                .col(boolean(LocationPoints::Mock))
                .col(small_integer_null(LocationPoints::Battery))
                .col(boolean(LocationPoints::Thinned).default(false))
                .foreign_key(&mut to_case(LocationPoints::Table, LocationPoints::CaseId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_location_points_case_time")
                .table(LocationPoints::Table)
                .col(LocationPoints::CaseId)
                .col(LocationPoints::FixTime)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_location_points_time")
                .table(LocationPoints::Table)
                .col(LocationPoints::FixTime)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LocationBatches::Table)
                .col(uuid(LocationBatches::Id).primary_key())
                .col(uuid(LocationBatches::CaseId))
                .col(string_len(LocationBatches::DeviceId, 128))
                .col(timestamp_with_time_zone(LocationBatches::ReceivedAt))
                .col(integer(LocationBatches::PointCount))
                .col(json_binary(LocationBatches::Result))
                .foreign_key(&mut to_case(
                    LocationBatches::Table,
                    LocationBatches::CaseId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_location_batches_received")
                .table(LocationBatches::Table)
                .col(LocationBatches::ReceivedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LastPositions::Table)
                .col(uuid(LastPositions::CaseId).primary_key())
                .col(double(LastPositions::Lat))
                .col(double(LastPositions::Lon))
                .col(float(LastPositions::AccuracyM))
                .col(timestamp_with_time_zone(LastPositions::FixTime))
                .col(timestamp_with_time_zone(LastPositions::ReceivedAt))
                .col(small_integer_null(LastPositions::Battery))
                .col(boolean(LastPositions::Mock))
                .foreign_key(&mut to_case(LastPositions::Table, LastPositions::CaseId))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Fences::Table)
                .col(uuid(Fences::Id).primary_key())
                .col(string_len(Fences::Name, 200))
                .col(string_len(Fences::Kind, 32))
                .col(json_binary(Fences::Shape))
                .col(json_binary(Fences::Schedule))
                .col(uuid_null(Fences::CaseId))
                .col(integer_null(Fences::ProhibitionOrder))
                .col(uuid_null(Fences::UnitId))
                .col(uuid(Fences::CreatedBy))
                .col(timestamp_with_time_zone(Fences::CreatedAt))
                .col(timestamp_with_time_zone(Fences::UpdatedAt))
                .col(timestamp_with_time_zone_null(Fences::ArchivedAt))
                .col(uuid_null(Fences::ArchivedBy))
                .col(integer(Fences::Version))
                .foreign_key(&mut to_case(Fences::Table, Fences::CaseId))
                .foreign_key(
                    ForeignKey::create()
                        .from(Fences::Table, Fences::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .check(
                    Expr::col(Fences::CaseId)
                        .is_null()
                        .ne(Expr::col(Fences::UnitId).is_null()),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_fences_case", Fences::CaseId),
            ("ix_fences_unit", Fences::UnitId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Fences::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(LocationStates::Table)
                .col(uuid(LocationStates::CaseId))
                .col(string_len(LocationStates::Rule, 64))
                .col(timestamp_with_time_zone_null(LocationStates::PendingSince))
                .col(boolean(LocationStates::Violating))
                .col(uuid_null(LocationStates::AlertId))
                .col(timestamp_with_time_zone(LocationStates::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(LocationStates::CaseId)
                        .col(LocationStates::Rule),
                )
                .foreign_key(&mut to_case(LocationStates::Table, LocationStates::CaseId))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .add_column(timestamp_with_time_zone_null(Alerts::ClearedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .drop_column(Alerts::ClearedAt)
                .to_owned(),
        )
        .await?;
        for t in [
            LocationStates::Table.into_iden(),
            Fences::Table.into_iden(),
            LastPositions::Table.into_iden(),
            LocationBatches::Table.into_iden(),
            LocationPoints::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
