//! Foundation: org tree, users and sessions, cases with intake, plans and teams,
//! pre-sentence investigations, and the hash-chained audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
    ParentId,
    Kind,
    Name,
    Code,
    Path,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    DisplayName,
    Role,
    UnitId,
    Phone,
    Status,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Devices {
    Table,
    Id,
    UserId,
    DeviceId,
    Name,
    Status,
    FirstSeenAt,
    ApprovedBy,
    ApprovedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    DeviceId,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    Name,
    NationalIdHash,
    NationalIdMasked,
    Gender,
    Minor,
    SentenceKind,
    Crime,
    Court,
    JudgmentNumber,
    StartDate,
    EndDate,
    ResidenceAddress,
    ResidenceLat,
    ResidenceLon,
    ProhibitionOrders,
    UnitId,
    OfficerId,
    Status,
    Level,
    UserId,
    AnnouncedAt,
    AnnouncedBy,
    AnnouncePlace,
    AnnounceAttendees,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum LevelChanges {
    Table,
    Id,
    CaseId,
    FromLevel,
    ToLevel,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum StatusChanges {
    Table,
    Id,
    CaseId,
    FromStatus,
    ToStatus,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum CorrectionPlans {
    Table,
    Id,
    CaseId,
    Version,
    Text,
    Measures,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    Id,
    CaseId,
    Kind,
    UserId,
    Name,
    Phone,
    Relation,
    AddedBy,
    AddedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum Investigations {
    Table,
    Id,
    UnitId,
    Court,
    DefendantName,
    DefendantIdHash,
    DefendantIdMasked,
    Minor,
    Charge,
    RequestedOn,
    DueOn,
    Status,
    Opinion,
    OpinionText,
    FiledBy,
    FiledAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Seq,
    At,
    ActorId,
    ActorRole,
    Action,
    TargetKind,
    TargetId,
    Ip,
    RequestId,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrgUnits::Table)
                .col(uuid(OrgUnits::Id).primary_key())
                .col(uuid_null(OrgUnits::ParentId))
                .col(string_len(OrgUnits::Kind, 32))
                .col(string_len(OrgUnits::Name, 200))
                .col(string_len_null(OrgUnits::Code, 32))
                // Materialised path "/<root>/…/<self>/": a subtree is one prefix match.
                .col(string_len(OrgUnits::Path, 1024))
                .col(timestamp_with_time_zone(OrgUnits::CreatedAt))
                .foreign_key(&mut fk(
                    (OrgUnits::Table, OrgUnits::ParentId),
                    (OrgUnits::Table, OrgUnits::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_org_units_path")
                .table(OrgUnits::Table)
                .col(OrgUnits::Path)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(uuid(Users::Id).primary_key())
                .col(string_len(Users::Username, 64).unique_key())
                .col(string_len(Users::PasswordHash, 256))
                .col(string_len(Users::DisplayName, 200))
                .col(string_len(Users::Role, 32))
                .col(uuid_null(Users::UnitId))
                .col(string_len_null(Users::Phone, 32))
                .col(string_len(Users::Status, 16))
                .col(integer(Users::FailedLogins).default(0))
                .col(timestamp_with_time_zone_null(Users::LockedUntil))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(&mut fk(
                    (Users::Table, Users::UnitId),
                    (OrgUnits::Table, OrgUnits::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Devices::Table)
                .col(uuid(Devices::Id).primary_key())
                .col(uuid(Devices::UserId))
                .col(string_len(Devices::DeviceId, 128))
                .col(string_len_null(Devices::Name, 200))
                .col(string_len(Devices::Status, 16))
                .col(timestamp_with_time_zone(Devices::FirstSeenAt))
                .col(uuid_null(Devices::ApprovedBy))
                .col(timestamp_with_time_zone_null(Devices::ApprovedAt))
                .foreign_key(&mut fk(
                    (Devices::Table, Devices::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_devices_user_device")
                .table(Devices::Table)
                .col(Devices::UserId)
                .col(Devices::DeviceId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(uuid(Sessions::Id).primary_key())
                .col(uuid(Sessions::UserId))
                .col(string_len_null(Sessions::DeviceId, 128))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(timestamp_with_time_zone(Sessions::LastUsedAt))
                .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                .col(string_len_null(Sessions::RevokeReason, 64))
                .foreign_key(&mut fk(
                    (Sessions::Table, Sessions::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(uuid(RefreshTokens::Id).primary_key())
                .col(uuid(RefreshTokens::SessionId))
                .col(string_len(RefreshTokens::TokenHash, 64).unique_key())
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .foreign_key(&mut fk(
                    (RefreshTokens::Table, RefreshTokens::SessionId),
                    (Sessions::Table, Sessions::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(uuid(Cases::Id).primary_key())
                .col(string_len(Cases::Name, 200))
                // Keyed HMAC of the full id: finds duplicates without storing the id itself.
                .col(string_len(Cases::NationalIdHash, 64))
                .col(string_len(Cases::NationalIdMasked, 32))
                .col(string_len_null(Cases::Gender, 16))
                .col(boolean(Cases::Minor))
                .col(string_len(Cases::SentenceKind, 32))
                .col(string_len(Cases::Crime, 500))
                .col(string_len(Cases::Court, 200))
                .col(string_len(Cases::JudgmentNumber, 100))
                .col(date(Cases::StartDate))
                .col(date(Cases::EndDate))
                .col(string_len(Cases::ResidenceAddress, 500))
                .col(double(Cases::ResidenceLat))
                .col(double(Cases::ResidenceLon))
                .col(json(Cases::ProhibitionOrders))
                .col(uuid(Cases::UnitId))
                .col(uuid_null(Cases::OfficerId))
                .col(string_len(Cases::Status, 16))
                .col(string_len(Cases::Level, 16))
                .col(uuid_null(Cases::UserId).unique_key())
                .col(timestamp_with_time_zone_null(Cases::AnnouncedAt))
                .col(uuid_null(Cases::AnnouncedBy))
                .col(string_len_null(Cases::AnnouncePlace, 500))
                .col(json_null(Cases::AnnounceAttendees))
                .col(uuid(Cases::CreatedBy))
                .col(timestamp_with_time_zone(Cases::CreatedAt))
                .col(timestamp_with_time_zone(Cases::UpdatedAt))
                .col(integer(Cases::Version).default(1))
                .foreign_key(&mut fk(
                    (Cases::Table, Cases::UnitId),
                    (OrgUnits::Table, OrgUnits::Id),
                ))
                .foreign_key(&mut fk(
                    (Cases::Table, Cases::OfficerId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    (Cases::Table, Cases::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_unit")
                .table(Cases::Table)
                .col(Cases::UnitId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_national_id_hash")
                .table(Cases::Table)
                .col(Cases::NationalIdHash)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LevelChanges::Table)
                .col(uuid(LevelChanges::Id).primary_key())
                .col(uuid(LevelChanges::CaseId))
                .col(string_len_null(LevelChanges::FromLevel, 16))
                .col(string_len(LevelChanges::ToLevel, 16))
                .col(string_len(LevelChanges::Reason, 1000))
                .col(uuid(LevelChanges::ChangedBy))
                .col(timestamp_with_time_zone(LevelChanges::ChangedAt))
                .foreign_key(&mut fk(
                    (LevelChanges::Table, LevelChanges::CaseId),
                    (Cases::Table, Cases::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_level_changes_case")
                .table(LevelChanges::Table)
                .col(LevelChanges::CaseId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StatusChanges::Table)
                .col(uuid(StatusChanges::Id).primary_key())
                .col(uuid(StatusChanges::CaseId))
                .col(string_len(StatusChanges::FromStatus, 16))
                .col(string_len(StatusChanges::ToStatus, 16))
                .col(string_len(StatusChanges::Reason, 1000))
                .col(uuid(StatusChanges::ChangedBy))
                .col(timestamp_with_time_zone(StatusChanges::ChangedAt))
                .foreign_key(&mut fk(
                    (StatusChanges::Table, StatusChanges::CaseId),
                    (Cases::Table, Cases::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CorrectionPlans::Table)
                .col(uuid(CorrectionPlans::Id).primary_key())
                .col(uuid(CorrectionPlans::CaseId))
                .col(integer(CorrectionPlans::Version))
                .col(text(CorrectionPlans::Text))
                .col(json(CorrectionPlans::Measures))
                .col(uuid(CorrectionPlans::CreatedBy))
                .col(timestamp_with_time_zone(CorrectionPlans::CreatedAt))
                .foreign_key(&mut fk(
                    (CorrectionPlans::Table, CorrectionPlans::CaseId),
                    (Cases::Table, Cases::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Two officers saving the same base version: the unique key lets exactly one win.
        m.create_index(
            Index::create()
                .name("ux_plans_case_version")
                .table(CorrectionPlans::Table)
                .col(CorrectionPlans::CaseId)
                .col(CorrectionPlans::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TeamMembers::Table)
                .col(uuid(TeamMembers::Id).primary_key())
                .col(uuid(TeamMembers::CaseId))
                .col(string_len(TeamMembers::Kind, 32))
                .col(uuid_null(TeamMembers::UserId))
                .col(string_len(TeamMembers::Name, 200))
                .col(string_len_null(TeamMembers::Phone, 32))
                .col(string_len_null(TeamMembers::Relation, 100))
                .col(uuid(TeamMembers::AddedBy))
                .col(timestamp_with_time_zone(TeamMembers::AddedAt))
                .col(timestamp_with_time_zone_null(TeamMembers::RemovedAt))
                .foreign_key(&mut fk(
                    (TeamMembers::Table, TeamMembers::CaseId),
                    (Cases::Table, Cases::Id),
                ))
                .foreign_key(&mut fk(
                    (TeamMembers::Table, TeamMembers::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_team_members_case")
                .table(TeamMembers::Table)
                .col(TeamMembers::CaseId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_team_members_user")
                .table(TeamMembers::Table)
                .col(TeamMembers::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Investigations::Table)
                .col(uuid(Investigations::Id).primary_key())
                .col(uuid(Investigations::UnitId))
                .col(string_len(Investigations::Court, 200))
                .col(string_len(Investigations::DefendantName, 200))
                .col(string_len(Investigations::DefendantIdHash, 64))
                .col(string_len(Investigations::DefendantIdMasked, 32))
                .col(boolean(Investigations::Minor))
                .col(string_len(Investigations::Charge, 500))
                .col(date(Investigations::RequestedOn))
                .col(date(Investigations::DueOn))
                .col(string_len(Investigations::Status, 16))
                .col(string_len_null(Investigations::Opinion, 16))
                .col(text_null(Investigations::OpinionText))
                .col(uuid_null(Investigations::FiledBy))
                .col(timestamp_with_time_zone_null(Investigations::FiledAt))
                .col(uuid(Investigations::CreatedBy))
                .col(timestamp_with_time_zone(Investigations::CreatedAt))
                .foreign_key(&mut fk(
                    (Investigations::Table, Investigations::UnitId),
                    (OrgUnits::Table, OrgUnits::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEntries::Table)
                .col(big_integer(AuditEntries::Seq).primary_key())
                .col(timestamp_with_time_zone(AuditEntries::At))
                .col(uuid_null(AuditEntries::ActorId))
                .col(string_len_null(AuditEntries::ActorRole, 32))
                .col(string_len(AuditEntries::Action, 64))
                .col(string_len(AuditEntries::TargetKind, 32))
                .col(string_len_null(AuditEntries::TargetId, 64))
                .col(string_len_null(AuditEntries::Ip, 64))
                .col(string_len_null(AuditEntries::RequestId, 64))
                // Text, not JSON: the hash covers these exact bytes.
                .col(text(AuditEntries::Detail))
                .col(string_len(AuditEntries::PrevHash, 64))
                .col(string_len(AuditEntries::Hash, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_target")
                .table(AuditEntries::Table)
                .col(AuditEntries::TargetKind)
                .col(AuditEntries::TargetId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_actor")
                .table(AuditEntries::Table)
                .col(AuditEntries::ActorId)
                .to_owned(),
        )
        .await?;

        // One row: the chain's head. Appenders lock it, so the chain stays linear under
        // concurrent writers on PostgreSQL.
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::Seq))
                .col(string_len(AuditHead::Hash, 64))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditHead::Table.into_iden(),
            AuditEntries::Table.into_iden(),
            Investigations::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            CorrectionPlans::Table.into_iden(),
            StatusChanges::Table.into_iden(),
            LevelChanges::Table.into_iden(),
            Cases::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Devices::Table.into_iden(),
            Users::Table.into_iden(),
            OrgUnits::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
