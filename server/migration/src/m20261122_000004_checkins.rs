//! Face templates, check-in challenges, check-ins and alerts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FaceTemplates {
    Table,
    Id,
    CaseId,
    Version,
    Template,
    PhotoKeys,
    ReferenceCount,
    Model,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CheckinChallenges {
    Table,
    Id,
    UserId,
    CaseId,
    DeviceId,
    NonceHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Checkins {
    Table,
    Id,
    CaseId,
    UserId,
    DeviceId,
    IdempotencyKey,
    ChallengeId,
    Result,
    Reasons,
    FaceDistance,
    MatchedReference,
    Phash,
    Lat,
    Lon,
    AccuracyM,
    FixTime,
    Provider,
    Mock,
    AppVersion,
    PhotoKey,
    PhotoPurgedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    CaseId,
    UnitId,
    Kind,
    Severity,
    State,
    Evidence,
    AssignedOfficerId,
    CreatedAt,
    AcknowledgedBy,
    AcknowledgedAt,
    ResolvedBy,
    ResolvedAt,
    ResolutionNote,
    Version,
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
                .table(FaceTemplates::Table)
                .col(uuid(FaceTemplates::Id).primary_key())
                .col(uuid(FaceTemplates::CaseId))
                .col(integer(FaceTemplates::Version))
                // AES-256-GCM ciphertext of the embeddings.
                .col(binary(FaceTemplates::Template))
                .col(json(FaceTemplates::PhotoKeys))
                .col(integer(FaceTemplates::ReferenceCount))
                .col(string_len(FaceTemplates::Model, 64))
                .col(boolean(FaceTemplates::Active))
                .col(uuid(FaceTemplates::CreatedBy))
                .col(timestamp_with_time_zone(FaceTemplates::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(FaceTemplates::Table, FaceTemplates::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_face_templates_case_version")
                .table(FaceTemplates::Table)
                .col(FaceTemplates::CaseId)
                .col(FaceTemplates::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CheckinChallenges::Table)
                .col(uuid(CheckinChallenges::Id).primary_key())
                .col(uuid(CheckinChallenges::UserId))
                .col(uuid(CheckinChallenges::CaseId))
                .col(string_len(CheckinChallenges::DeviceId, 128))
                .col(string_len(CheckinChallenges::NonceHash, 64).unique_key())
                .col(timestamp_with_time_zone(CheckinChallenges::ExpiresAt))
                .col(timestamp_with_time_zone_null(CheckinChallenges::UsedAt))
                .col(timestamp_with_time_zone(CheckinChallenges::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Checkins::Table)
                .col(uuid(Checkins::Id).primary_key())
                .col(uuid(Checkins::CaseId))
                .col(uuid(Checkins::UserId))
                .col(string_len(Checkins::DeviceId, 128))
                .col(string_len(Checkins::IdempotencyKey, 128))
                .col(uuid(Checkins::ChallengeId))
                .col(string_len(Checkins::Result, 16))
                .col(json(Checkins::Reasons))
                .col(double_null(Checkins::FaceDistance))
                .col(integer_null(Checkins::MatchedReference))
                .col(big_integer_null(Checkins::Phash))
                .col(double(Checkins::Lat))
                .col(double(Checkins::Lon))
                .col(double(Checkins::AccuracyM))
                .col(timestamp_with_time_zone(Checkins::FixTime))
                .col(string_len(Checkins::Provider, 32))
                .col(boolean(Checkins::Mock))
                .col(string_len(Checkins::AppVersion, 64))
                .col(string_len_null(Checkins::PhotoKey, 128))
                .col(timestamp_with_time_zone_null(Checkins::PhotoPurgedAt))
                .col(timestamp_with_time_zone(Checkins::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Checkins::Table, Checkins::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // The same idempotency key from the same person is the same check-in.
        m.create_index(
            Index::create()
                .name("ux_checkins_user_key")
                .table(Checkins::Table)
                .col(Checkins::UserId)
                .col(Checkins::IdempotencyKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_checkins_case_time")
                .table(Checkins::Table)
                .col(Checkins::CaseId)
                .col(Checkins::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alerts::Table)
                .col(uuid(Alerts::Id).primary_key())
                .col(uuid(Alerts::CaseId))
                .col(uuid(Alerts::UnitId))
                .col(string_len(Alerts::Kind, 32))
                .col(string_len(Alerts::Severity, 16))
                .col(string_len(Alerts::State, 16))
                .col(json(Alerts::Evidence))
                .col(uuid_null(Alerts::AssignedOfficerId))
                .col(timestamp_with_time_zone(Alerts::CreatedAt))
                .col(uuid_null(Alerts::AcknowledgedBy))
                .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                .col(uuid_null(Alerts::ResolvedBy))
                .col(timestamp_with_time_zone_null(Alerts::ResolvedAt))
                .col(string_len_null(Alerts::ResolutionNote, 2000))
                .col(integer(Alerts::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Alerts::Table, Alerts::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_alerts_unit_state")
                .table(Alerts::Table)
                .col(Alerts::UnitId)
                .col(Alerts::State)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Alerts::Table.into_iden(),
            Checkins::Table.into_iden(),
            CheckinChallenges::Table.into_iden(),
            FaceTemplates::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
