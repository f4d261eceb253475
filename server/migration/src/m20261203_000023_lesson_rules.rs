//! A lesson's own rules: when it counts as done (cmi5 `moveOn`, so a video can carry a test
//! to pass as well) and its own face checks in place of the jurisdiction's (both null: the
//! jurisdiction's). A lecture attended by a face check-in on site keeps the check-in as its
//! evidence.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Kind,
    MoveOn,
    FaceCheckAtStart,
    FaceChecksPerHour,
}

#[derive(DeriveIden)]
enum LectureAttendances {
    Table,
    CheckinId,
}

#[derive(DeriveIden)]
enum Checkins {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(Lessons::Table)
                .add_column(string_len(Lessons::MoveOn, 24).default("completed"))
                .to_owned(),
        )
        .await?;
        // Until now a quiz was done when passed, anything else when studied through.
        m.exec_stmt(
            Query::update()
                .table(Lessons::Table)
                .value(Lessons::MoveOn, "passed")
                .and_where(Expr::col(Lessons::Kind).eq("quiz"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Lessons::Table)
                .add_column(boolean_null(Lessons::FaceCheckAtStart))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Lessons::Table)
                .add_column(integer_null(Lessons::FaceChecksPerHour))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LectureAttendances::Table)
                .add_column(uuid_null(LectureAttendances::CheckinId))
                .to_owned(),
        )
        .await?;
        // SQLite cannot add a foreign key to a table in place; PostgreSQL gets one.
        if m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            m.create_foreign_key(
                ForeignKey::create()
                    .name("fk_lecture_attendances_checkin")
                    .from(LectureAttendances::Table, LectureAttendances::CheckinId)
                    .to(Checkins::Table, Checkins::Id)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(LectureAttendances::Table)
                .drop_column(LectureAttendances::CheckinId)
                .to_owned(),
        )
        .await?;
        for col in [
            Lessons::FaceChecksPerHour,
            Lessons::FaceCheckAtStart,
            Lessons::MoveOn,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Lessons::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
