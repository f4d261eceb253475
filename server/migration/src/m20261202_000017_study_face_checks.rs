//! Face checks while studying: the moments planned for a session (drawn from its own seed),
//! when each was asked, by when it had to be answered and how it was settled (the check-in
//! that settled it); on the session, the time credited as of its last passed check (what a
//! failed or missed check falls back to) and the deadline of the check asked now.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StudyFaceChecks {
    Table,
    Id,
    SessionId,
    CaseId,
    DueAt,
    AskedAt,
    Deadline,
    Status,
    CheckinId,
    VoidedMs,
    SettledAt,
}

#[derive(DeriveIden)]
enum StudySessions {
    Table,
    Id,
    VerifiedMs,
    FaceCheckBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StudyFaceChecks::Table)
                .col(uuid(StudyFaceChecks::Id).primary_key())
                .col(uuid(StudyFaceChecks::SessionId))
                .col(uuid(StudyFaceChecks::CaseId))
                .col(timestamp_with_time_zone(StudyFaceChecks::DueAt))
                .col(timestamp_with_time_zone_null(StudyFaceChecks::AskedAt))
                .col(timestamp_with_time_zone_null(StudyFaceChecks::Deadline))
                .col(string_len(StudyFaceChecks::Status, 16))
                .col(uuid_null(StudyFaceChecks::CheckinId))
                .col(big_integer_null(StudyFaceChecks::VoidedMs))
                .col(timestamp_with_time_zone_null(StudyFaceChecks::SettledAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(StudyFaceChecks::Table, StudyFaceChecks::SessionId)
                        .to(StudySessions::Table, StudySessions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_study_face_checks_session")
                .table(StudyFaceChecks::Table)
                .col(StudyFaceChecks::SessionId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_study_face_checks_status_deadline")
                .table(StudyFaceChecks::Table)
                .col(StudyFaceChecks::Status)
                .col(StudyFaceChecks::Deadline)
                .to_owned(),
        )
        .await?;
        for column in [
            big_integer(StudySessions::VerifiedMs).default(0).to_owned(),
            timestamp_with_time_zone_null(StudySessions::FaceCheckBy),
        ] {
            m.alter_table(
                Table::alter()
                    .table(StudySessions::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [StudySessions::VerifiedMs, StudySessions::FaceCheckBy] {
            m.alter_table(
                Table::alter()
                    .table(StudySessions::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(StudyFaceChecks::Table).to_owned())
            .await
    }
}
