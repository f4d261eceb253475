//! Video roll calls: one row a call, from ringing to its verdict, with the evidence kept
//! (the matched snapshot and the challenge's frame, encrypted in the media store) and who excused or reviewed it. A case
//! has at most one call open (a partial unique index, the same SQL on SQLite and PostgreSQL).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RollCalls {
    Table,
    Id,
    CaseId,
    Status,
    InitiatedBy,
    Note,
    RingAt,
    AnswerBy,
    AnsweredAt,
    DeviceId,
    DecidedAt,
    Challenge,
    Reasons,
    FaceDistance,
    FramesJudged,
    SnapshotKey,
    TurnFrameKey,
    SnapshotPurgedAt,
    DecisionNote,
    DecidedBy,
    Version,
    CreatedAt,
    UpdatedAt,
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
                .table(RollCalls::Table)
                .col(uuid(RollCalls::Id).primary_key())
                .col(uuid(RollCalls::CaseId))
                .col(string_len(RollCalls::Status, 16))
                .col(uuid_null(RollCalls::InitiatedBy))
                .col(text_null(RollCalls::Note))
                .col(timestamp_with_time_zone(RollCalls::RingAt))
                .col(timestamp_with_time_zone(RollCalls::AnswerBy))
                .col(timestamp_with_time_zone_null(RollCalls::AnsweredAt))
                .col(string_len_null(RollCalls::DeviceId, 128))
                .col(timestamp_with_time_zone_null(RollCalls::DecidedAt))
                .col(string_len_null(RollCalls::Challenge, 16))
                .col(json(RollCalls::Reasons))
                .col(double_null(RollCalls::FaceDistance))
                .col(integer(RollCalls::FramesJudged).default(0))
                .col(string_null(RollCalls::SnapshotKey))
                .col(string_null(RollCalls::TurnFrameKey))
                .col(timestamp_with_time_zone_null(RollCalls::SnapshotPurgedAt))
                .col(text_null(RollCalls::DecisionNote))
                .col(uuid_null(RollCalls::DecidedBy))
                .col(integer(RollCalls::Version).default(1))
                .col(timestamp_with_time_zone(RollCalls::CreatedAt))
                .col(timestamp_with_time_zone(RollCalls::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RollCalls::Table, RollCalls::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_roll_calls_case")
                .table(RollCalls::Table)
                .col(RollCalls::CaseId)
                .col(RollCalls::RingAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_roll_calls_status")
                .table(RollCalls::Table)
                .col(RollCalls::Status)
                .col(RollCalls::AnswerBy)
                .to_owned(),
        )
        .await?;
        // Two officers (or an officer and the scheduler) calling the same person at once:
        // the second insert fails, whatever the timing.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_roll_calls_open ON roll_calls (case_id) \
                 WHERE status IN ('scheduled', 'ringing', 'answered', 'verifying')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RollCalls::Table).to_owned())
            .await
    }
}
