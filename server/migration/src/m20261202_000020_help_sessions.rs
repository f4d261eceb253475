//! Help sessions (帮教记录): logged by a case's volunteers and social workers (the id comes from
//! the app, so a resend is the same row), reviewed by an officer of the case (versioned), with
//! comments from both sides; and the service certificates (志愿服务证明) issued from the
//! confirmed time, each under a number anyone holding it can check.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelpSessions {
    Table,
    Id,
    CaseId,
    AuthorId,
    BeganAt,
    Minutes,
    Kind,
    Place,
    Notes,
    Risks,
    FollowUp,
    Status,
    ReviewedBy,
    ReviewedAt,
    ReviewNote,
    AlertId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HelpComments {
    Table,
    Id,
    SessionId,
    AuthorId,
    AuthorRole,
    Text,
    At,
}

#[derive(DeriveIden)]
enum ServiceCertificates {
    Table,
    Id,
    Number,
    VolunteerId,
    VolunteerName,
    UnitId,
    UnitName,
    FromMonth,
    ToMonth,
    Minutes,
    Sessions,
    ByKind,
    IssuedBy,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HelpSessions::Table)
                .col(uuid(HelpSessions::Id).primary_key())
                .col(uuid(HelpSessions::CaseId))
                .col(uuid(HelpSessions::AuthorId))
                .col(timestamp_with_time_zone(HelpSessions::BeganAt))
                .col(integer(HelpSessions::Minutes))
                .col(string_len(HelpSessions::Kind, 32))
                .col(json_null(HelpSessions::Place))
                .col(text(HelpSessions::Notes))
                .col(json(HelpSessions::Risks))
                .col(text_null(HelpSessions::FollowUp))
                .col(string_len(HelpSessions::Status, 16))
                .col(uuid_null(HelpSessions::ReviewedBy))
                .col(timestamp_with_time_zone_null(HelpSessions::ReviewedAt))
                .col(text_null(HelpSessions::ReviewNote))
                .col(uuid_null(HelpSessions::AlertId))
                .col(integer(HelpSessions::Version).default(1))
                .col(timestamp_with_time_zone(HelpSessions::CreatedAt))
                .col(timestamp_with_time_zone(HelpSessions::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(HelpSessions::Table, HelpSessions::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(HelpSessions::Table, HelpSessions::AuthorId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_help_sessions_case")
                .table(HelpSessions::Table)
                .col(HelpSessions::CaseId)
                .col(HelpSessions::BeganAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_help_sessions_author")
                .table(HelpSessions::Table)
                .col(HelpSessions::AuthorId)
                .col(HelpSessions::BeganAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HelpComments::Table)
                .col(uuid(HelpComments::Id).primary_key())
                .col(uuid(HelpComments::SessionId))
                .col(uuid(HelpComments::AuthorId))
                .col(string_len(HelpComments::AuthorRole, 16))
                .col(text(HelpComments::Text))
                .col(timestamp_with_time_zone(HelpComments::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(HelpComments::Table, HelpComments::SessionId)
                        .to(HelpSessions::Table, HelpSessions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_help_comments_session")
                .table(HelpComments::Table)
                .col(HelpComments::SessionId)
                .col(HelpComments::At)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServiceCertificates::Table)
                .col(uuid(ServiceCertificates::Id).primary_key())
                .col(string_len_uniq(ServiceCertificates::Number, 32))
                .col(uuid(ServiceCertificates::VolunteerId))
                .col(string_len(ServiceCertificates::VolunteerName, 200))
                .col(uuid(ServiceCertificates::UnitId))
                .col(string_len(ServiceCertificates::UnitName, 200))
                .col(string_len(ServiceCertificates::FromMonth, 7))
                .col(string_len(ServiceCertificates::ToMonth, 7))
                .col(integer(ServiceCertificates::Minutes))
                .col(integer(ServiceCertificates::Sessions))
                .col(json(ServiceCertificates::ByKind))
                .col(uuid(ServiceCertificates::IssuedBy))
                .col(timestamp_with_time_zone(ServiceCertificates::IssuedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceCertificates::Table, ServiceCertificates::VolunteerId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_service_certificates_volunteer")
                .table(ServiceCertificates::Table)
                .col(ServiceCertificates::VolunteerId)
                .col(ServiceCertificates::IssuedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ServiceCertificates::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(HelpComments::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(HelpSessions::Table).to_owned())
            .await
    }
}
