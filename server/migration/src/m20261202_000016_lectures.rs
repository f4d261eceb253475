//! Group lectures (集中学习): the lecture (a unit's, at a venue: a point and a radius, in a time
//! window) with the secret its rotating attendance codes come from; one attendance per person
//! and lecture (how it was proven, the mark, the minutes credited); and the ledger row a
//! lecture credits, tied to its attendance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lectures {
    Table,
    Id,
    UnitId,
    UnitPath,
    Title,
    Category,
    Place,
    Lat,
    Lon,
    RadiusM,
    StartsAt,
    EndsAt,
    CodeSecret,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LectureAttendances {
    Table,
    Id,
    LectureId,
    CaseId,
    Mark,
    Method,
    ArrivedAt,
    Lat,
    Lon,
    AccuracyM,
    CreditedMinutes,
    MarkedBy,
    Reason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LearningCredits {
    Table,
    AttendanceId,
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
                .table(Lectures::Table)
                .col(uuid(Lectures::Id).primary_key())
                .col(uuid(Lectures::UnitId))
                .col(string(Lectures::UnitPath))
                .col(string_len(Lectures::Title, 200))
                .col(string_len(Lectures::Category, 32))
                .col(string_len(Lectures::Place, 200))
                .col(double(Lectures::Lat))
                .col(double(Lectures::Lon))
                .col(integer(Lectures::RadiusM))
                .col(timestamp_with_time_zone(Lectures::StartsAt))
                .col(timestamp_with_time_zone(Lectures::EndsAt))
                .col(string_len(Lectures::CodeSecret, 64))
                .col(uuid(Lectures::CreatedBy))
                .col(timestamp_with_time_zone(Lectures::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Lectures::Table, Lectures::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_lectures_starts")
                .table(Lectures::Table)
                .col(Lectures::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LectureAttendances::Table)
                .col(uuid(LectureAttendances::Id).primary_key())
                .col(uuid(LectureAttendances::LectureId))
                .col(uuid(LectureAttendances::CaseId))
                .col(string_len(LectureAttendances::Mark, 16))
                .col(string_len(LectureAttendances::Method, 16))
                .col(timestamp_with_time_zone_null(LectureAttendances::ArrivedAt))
                .col(double_null(LectureAttendances::Lat))
                .col(double_null(LectureAttendances::Lon))
                .col(double_null(LectureAttendances::AccuracyM))
                .col(integer(LectureAttendances::CreditedMinutes))
                .col(uuid_null(LectureAttendances::MarkedBy))
                .col(text_null(LectureAttendances::Reason))
                .col(timestamp_with_time_zone(LectureAttendances::CreatedAt))
                .col(timestamp_with_time_zone(LectureAttendances::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LectureAttendances::Table, LectureAttendances::LectureId)
                        .to(Lectures::Table, Lectures::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LectureAttendances::Table, LectureAttendances::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // One attendance a person and lecture: two scans at once cannot both credit.
        m.create_index(
            Index::create()
                .name("ux_lecture_attendances")
                .table(LectureAttendances::Table)
                .col(LectureAttendances::LectureId)
                .col(LectureAttendances::CaseId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LearningCredits::Table)
                .add_column(uuid_null(LearningCredits::AttendanceId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_learning_credits_attendance")
                .table(LearningCredits::Table)
                .col(LearningCredits::AttendanceId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_learning_credits_attendance")
                .table(LearningCredits::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LearningCredits::Table)
                .drop_column(LearningCredits::AttendanceId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(LectureAttendances::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Lectures::Table).to_owned())
            .await
    }
}
