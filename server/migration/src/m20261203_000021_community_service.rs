//! Community service (公益活动): activities a unit organises (a place as a point and a small
//! radius, a window, a capacity, an organiser, the secret its rotating codes come from, and
//! when and why it was cancelled);
//! one participation per person and activity (signed up, checked in and out with the proof of
//! each, the minutes credited, the organiser's review; versioned). The monthly ledger becomes
//! one for every obligation: `learning_credits` and `learning_months` become `ledger_credits`
//! and `ledger_months`, each row with its obligation (education or community service); a
//! month closes once per case and obligation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceActivities {
    Table,
    Id,
    UnitId,
    UnitPath,
    Title,
    Kind,
    Place,
    Lat,
    Lon,
    RadiusM,
    StartsAt,
    EndsAt,
    Capacity,
    OrganiserId,
    Notes,
    CodeSecret,
    ClosedAt,
    CancelledAt,
    CancelReason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServiceParticipations {
    Table,
    Id,
    ActivityId,
    CaseId,
    Status,
    SignedUpBy,
    CheckedInAt,
    CheckInProof,
    CheckInCheckinId,
    CheckInLat,
    CheckInLon,
    CheckedOutAt,
    CheckOutProof,
    CheckOutCheckinId,
    CheckOutLat,
    CheckOutLon,
    CreditedMinutes,
    ReviewedBy,
    ReviewedAt,
    ReviewReason,
    AlertId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LearningCredits {
    Table,
}

#[derive(DeriveIden)]
enum LearningMonths {
    Table,
}

#[derive(DeriveIden)]
enum LedgerCredits {
    Table,
    Obligation,
    ParticipationId,
}

#[derive(DeriveIden)]
enum LedgerMonths {
    Table,
    CaseId,
    Obligation,
    Month,
    OwedMinutes,
    CreditedMinutes,
    ShortMinutes,
    AlertId,
    ClosedAt,
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
                .table(ServiceActivities::Table)
                .col(uuid(ServiceActivities::Id).primary_key())
                .col(uuid(ServiceActivities::UnitId))
                .col(string(ServiceActivities::UnitPath))
                .col(string_len(ServiceActivities::Title, 200))
                .col(string_len(ServiceActivities::Kind, 32))
                .col(string_len(ServiceActivities::Place, 200))
                .col(double(ServiceActivities::Lat))
                .col(double(ServiceActivities::Lon))
                .col(integer(ServiceActivities::RadiusM))
                .col(timestamp_with_time_zone(ServiceActivities::StartsAt))
                .col(timestamp_with_time_zone(ServiceActivities::EndsAt))
                .col(integer(ServiceActivities::Capacity))
                .col(uuid(ServiceActivities::OrganiserId))
                .col(text_null(ServiceActivities::Notes))
                .col(string_len(ServiceActivities::CodeSecret, 64))
                .col(timestamp_with_time_zone_null(ServiceActivities::ClosedAt))
                .col(timestamp_with_time_zone_null(
                    ServiceActivities::CancelledAt,
                ))
                .col(text_null(ServiceActivities::CancelReason))
                .col(uuid(ServiceActivities::CreatedBy))
                .col(timestamp_with_time_zone(ServiceActivities::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceActivities::Table, ServiceActivities::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceActivities::Table, ServiceActivities::OrganiserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_service_activities_starts")
                .table(ServiceActivities::Table)
                .col(ServiceActivities::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ServiceParticipations::Table)
                .col(uuid(ServiceParticipations::Id).primary_key())
                .col(uuid(ServiceParticipations::ActivityId))
                .col(uuid(ServiceParticipations::CaseId))
                .col(string_len(ServiceParticipations::Status, 16))
                .col(uuid(ServiceParticipations::SignedUpBy))
                .col(timestamp_with_time_zone_null(
                    ServiceParticipations::CheckedInAt,
                ))
                .col(string_len_null(ServiceParticipations::CheckInProof, 8))
                .col(uuid_null(ServiceParticipations::CheckInCheckinId))
                .col(double_null(ServiceParticipations::CheckInLat))
                .col(double_null(ServiceParticipations::CheckInLon))
                .col(timestamp_with_time_zone_null(
                    ServiceParticipations::CheckedOutAt,
                ))
                .col(string_len_null(ServiceParticipations::CheckOutProof, 8))
                .col(uuid_null(ServiceParticipations::CheckOutCheckinId))
                .col(double_null(ServiceParticipations::CheckOutLat))
                .col(double_null(ServiceParticipations::CheckOutLon))
                .col(integer(ServiceParticipations::CreditedMinutes))
                .col(uuid_null(ServiceParticipations::ReviewedBy))
                .col(timestamp_with_time_zone_null(
                    ServiceParticipations::ReviewedAt,
                ))
                .col(text_null(ServiceParticipations::ReviewReason))
                .col(uuid_null(ServiceParticipations::AlertId))
                .col(integer(ServiceParticipations::Version))
                .col(timestamp_with_time_zone(ServiceParticipations::CreatedAt))
                .col(timestamp_with_time_zone(ServiceParticipations::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            ServiceParticipations::Table,
                            ServiceParticipations::ActivityId,
                        )
                        .to(ServiceActivities::Table, ServiceActivities::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceParticipations::Table, ServiceParticipations::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // One participation a person and activity: two sign-ups at once cannot both count.
        m.create_index(
            Index::create()
                .name("ux_service_participations")
                .table(ServiceParticipations::Table)
                .col(ServiceParticipations::ActivityId)
                .col(ServiceParticipations::CaseId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.rename_table(
            Table::rename()
                .table(LearningCredits::Table, LedgerCredits::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LedgerCredits::Table)
                .add_column(string_len(LedgerCredits::Obligation, 24).default("education"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LedgerCredits::Table)
                .add_column(uuid_null(LedgerCredits::ParticipationId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_ledger_credits_participation")
                .table(LedgerCredits::Table)
                .col(LedgerCredits::ParticipationId)
                .unique()
                .to_owned(),
        )
        .await?;
        // A closed month per case and obligation: the key makes each month-end alert happen
        // once, however often the job runs. SQLite cannot change a primary key in place, so the
        // table is made anew and the education months closed so far are carried over.
        m.create_table(
            Table::create()
                .table(LedgerMonths::Table)
                .col(uuid(LedgerMonths::CaseId))
                .col(string_len(LedgerMonths::Obligation, 24))
                .col(string_len(LedgerMonths::Month, 7))
                .col(integer(LedgerMonths::OwedMinutes))
                .col(big_integer(LedgerMonths::CreditedMinutes))
                .col(big_integer(LedgerMonths::ShortMinutes))
                .col(uuid_null(LedgerMonths::AlertId))
                .col(timestamp_with_time_zone(LedgerMonths::ClosedAt))
                .primary_key(
                    Index::create()
                        .col(LedgerMonths::CaseId)
                        .col(LedgerMonths::Obligation)
                        .col(LedgerMonths::Month),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerMonths::Table, LedgerMonths::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO ledger_months (case_id, obligation, month, owed_minutes, \
                 credited_minutes, short_minutes, alert_id, closed_at) \
                 SELECT case_id, 'education', month, owed_minutes, credited_minutes, \
                 short_minutes, alert_id, closed_at FROM learning_months",
            )
            .await?;
        m.drop_table(Table::drop().table(LearningMonths::Table).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Back to an education-only ledger: community service's credits and months go with the
        // activities they came from.
        m.create_table(
            Table::create()
                .table(LearningMonths::Table)
                .col(uuid(LedgerMonths::CaseId))
                .col(string_len(LedgerMonths::Month, 7))
                .col(integer(LedgerMonths::OwedMinutes))
                .col(big_integer(LedgerMonths::CreditedMinutes))
                .col(big_integer(LedgerMonths::ShortMinutes))
                .col(uuid_null(LedgerMonths::AlertId))
                .col(timestamp_with_time_zone(LedgerMonths::ClosedAt))
                .primary_key(
                    Index::create()
                        .col(LedgerMonths::CaseId)
                        .col(LedgerMonths::Month),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LearningMonths::Table, LedgerMonths::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "INSERT INTO learning_months (case_id, month, owed_minutes, credited_minutes, \
             short_minutes, alert_id, closed_at) \
             SELECT case_id, month, owed_minutes, credited_minutes, short_minutes, alert_id, \
             closed_at FROM ledger_months WHERE obligation = 'education'",
        )
        .await?;
        db.execute_unprepared("DELETE FROM ledger_credits WHERE obligation <> 'education'")
            .await?;
        m.drop_table(Table::drop().table(LedgerMonths::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ux_ledger_credits_participation")
                .table(LedgerCredits::Table)
                .to_owned(),
        )
        .await?;
        for column in [LedgerCredits::ParticipationId, LedgerCredits::Obligation] {
            m.alter_table(
                Table::alter()
                    .table(LedgerCredits::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.rename_table(
            Table::rename()
                .table(LedgerCredits::Table, LearningCredits::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(ServiceParticipations::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ServiceActivities::Table).to_owned())
            .await
    }
}
