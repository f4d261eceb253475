//! Perceptual hashes of the enrolment photos: a check-in with (nearly) the same picture as a
//! reference photo is a replay, not a selfie.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FaceTemplates {
    Table,
    PhotoHashes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(FaceTemplates::Table)
                .add_column(json_null(FaceTemplates::PhotoHashes))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(FaceTemplates::Table)
                .drop_column(FaceTemplates::PhotoHashes)
                .to_owned(),
        )
        .await
    }
}
