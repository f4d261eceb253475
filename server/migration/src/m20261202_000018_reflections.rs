//! Written reflections (观后感): one per person and lesson, rewritten in place when returned,
//! reviewed by an officer of the case (versioned: a stale screen cannot overwrite a review).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reflections {
    Table,
    Id,
    CaseId,
    LessonId,
    Text,
    Status,
    SubmittedAt,
    ReviewedBy,
    ReviewedAt,
    Comment,
    Version,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reflections::Table)
                .col(uuid(Reflections::Id).primary_key())
                .col(uuid(Reflections::CaseId))
                .col(uuid(Reflections::LessonId))
                .col(text(Reflections::Text))
                .col(string_len(Reflections::Status, 16))
                .col(timestamp_with_time_zone(Reflections::SubmittedAt))
                .col(uuid_null(Reflections::ReviewedBy))
                .col(timestamp_with_time_zone_null(Reflections::ReviewedAt))
                .col(text_null(Reflections::Comment))
                .col(integer(Reflections::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reflections::Table, Reflections::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Reflections::Table, Reflections::LessonId)
                        .to(Lessons::Table, Lessons::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_reflections_case_lesson")
                .table(Reflections::Table)
                .col(Reflections::CaseId)
                .col(Reflections::LessonId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Reflections::Table).to_owned())
            .await
    }
}
