//! Leave requests (外出) with their approval steps.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeaveRequests {
    Table,
    Id,
    CaseId,
    UnitId,
    ParentId,
    ReasonCategory,
    ReasonText,
    Destination,
    DestLat,
    DestLon,
    StartDate,
    EndDate,
    Days,
    WindowTotalDays,
    Urgent,
    LateNotice,
    RequiredLevel,
    Standing,
    ContactWhileAway,
    Status,
    CreatedBy,
    CreatedAt,
    SubmittedAt,
    DecidedAt,
    DepartedAt,
    ReturnedAt,
    OverdueAt,
    Version,
}

#[derive(DeriveIden)]
enum LeaveSteps {
    Table,
    Id,
    LeaveId,
    ActorId,
    Action,
    Level,
    Opinion,
    At,
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
                .table(LeaveRequests::Table)
                .col(uuid(LeaveRequests::Id).primary_key())
                .col(uuid(LeaveRequests::CaseId))
                .col(uuid(LeaveRequests::UnitId))
                // An extension points at the leave it extends.
                .col(uuid_null(LeaveRequests::ParentId))
                .col(string_len(LeaveRequests::ReasonCategory, 32))
                .col(string_len(LeaveRequests::ReasonText, 2000))
                .col(string_len(LeaveRequests::Destination, 500))
                .col(double(LeaveRequests::DestLat))
                .col(double(LeaveRequests::DestLon))
                .col(date(LeaveRequests::StartDate))
                .col(date(LeaveRequests::EndDate))
                .col(integer(LeaveRequests::Days))
                .col(integer(LeaveRequests::WindowTotalDays))
                .col(boolean(LeaveRequests::Urgent))
                .col(boolean(LeaveRequests::LateNotice))
                .col(string_len(LeaveRequests::RequiredLevel, 32))
                .col(boolean(LeaveRequests::Standing))
                .col(string_len(LeaveRequests::ContactWhileAway, 200))
                .col(string_len(LeaveRequests::Status, 16))
                .col(uuid(LeaveRequests::CreatedBy))
                .col(timestamp_with_time_zone(LeaveRequests::CreatedAt))
                .col(timestamp_with_time_zone_null(LeaveRequests::SubmittedAt))
                .col(timestamp_with_time_zone_null(LeaveRequests::DecidedAt))
                .col(timestamp_with_time_zone_null(LeaveRequests::DepartedAt))
                .col(timestamp_with_time_zone_null(LeaveRequests::ReturnedAt))
                .col(timestamp_with_time_zone_null(LeaveRequests::OverdueAt))
                .col(integer(LeaveRequests::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeaveRequests::Table, LeaveRequests::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LeaveRequests::Table, LeaveRequests::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_leave_case")
                .table(LeaveRequests::Table)
                .col(LeaveRequests::CaseId)
                .col(LeaveRequests::StartDate)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_leave_status")
                .table(LeaveRequests::Table)
                .col(LeaveRequests::Status)
                .col(LeaveRequests::EndDate)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LeaveSteps::Table)
                .col(uuid(LeaveSteps::Id).primary_key())
                .col(uuid(LeaveSteps::LeaveId))
                .col(uuid_null(LeaveSteps::ActorId))
                .col(string_len(LeaveSteps::Action, 32))
                .col(string_len_null(LeaveSteps::Level, 32))
                .col(string_len_null(LeaveSteps::Opinion, 2000))
                .col(timestamp_with_time_zone(LeaveSteps::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(LeaveSteps::Table, LeaveSteps::LeaveId)
                        .to(LeaveRequests::Table, LeaveRequests::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_leave_steps_leave")
                .table(LeaveSteps::Table)
                .col(LeaveSteps::LeaveId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LeaveSteps::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(LeaveRequests::Table).to_owned())
            .await?;
        Ok(())
    }
}
