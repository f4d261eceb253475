//! Education: courses (authored by a unit, published to the units under it) and their lessons;
//! study sessions (one person, one lesson, one device; at most one open per case, a partial
//! unique index as for roll calls) with every heartbeat kept as evidence of what was credited
//! (taken once by its sequence number: the primary key); and the monthly ledger of credited
//! time by source, one row per session and month, plus officers' adjustments; and the months
//! closed per case (owed, credited, the shortfall alert).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    UnitId,
    UnitPath,
    Title,
    Category,
    Description,
    Status,
    PublishedAt,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    CourseId,
    Ordinal,
    Title,
    Kind,
    Body,
    DurationSecs,
    MinMinutes,
    SeekAllowed,
    PassPercent,
    MaxAttempts,
    MediaKey,
    MediaType,
    MediaBytes,
}

#[derive(DeriveIden)]
enum QuizQuestions {
    Table,
    Id,
    LessonId,
    Ordinal,
    Kind,
    Prompt,
    Options,
    Key,
    Points,
}

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Id,
    CaseId,
    LessonId,
    AttemptNo,
    QuestionOrder,
    Answers,
    Points,
    MaxPoints,
    Percent,
    Passed,
    StartedAt,
    SubmittedAt,
    Version,
}

#[derive(DeriveIden)]
enum StudySessions {
    Table,
    Id,
    CaseId,
    LessonId,
    DeviceId,
    Status,
    OpenedAt,
    EndedAt,
    LastBeatAt,
    LastSeq,
    LastClientMs,
    LastPositionMs,
    LastStudying,
    CreditedMs,
    FurthestMs,
    Completed,
    Version,
}

#[derive(DeriveIden)]
enum StudyBeats {
    Table,
    SessionId,
    Seq,
    ClientMs,
    PositionMs,
    Playing,
    Foreground,
    IdleSecs,
    ReceivedAt,
    AddedMs,
    Cut,
}

#[derive(DeriveIden)]
enum LearningCredits {
    Table,
    Id,
    CaseId,
    Month,
    Source,
    SessionId,
    CreditedMs,
    Reason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CourseAssignments {
    Table,
    Id,
    CourseId,
    UnitId,
    UnitPath,
    CaseId,
    Level,
    DueOn,
    AssignedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AssignmentOverdues {
    Table,
    AssignmentId,
    CaseId,
    AlertId,
    RaisedAt,
}

#[derive(DeriveIden)]
enum LearningMonths {
    Table,
    CaseId,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Courses::Table)
                .col(uuid(Courses::Id).primary_key())
                .col(uuid(Courses::UnitId))
                .col(string(Courses::UnitPath))
                .col(string_len(Courses::Title, 200))
                .col(string_len(Courses::Category, 32))
                .col(text_null(Courses::Description))
                .col(string_len(Courses::Status, 16))
                .col(timestamp_with_time_zone_null(Courses::PublishedAt))
                .col(uuid_null(Courses::CreatedBy))
                .col(integer(Courses::Version).default(1))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .col(timestamp_with_time_zone(Courses::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Courses::Table, Courses::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Lessons::Table)
                .col(uuid(Lessons::Id).primary_key())
                .col(uuid(Lessons::CourseId))
                .col(integer(Lessons::Ordinal))
                .col(string_len(Lessons::Title, 200))
                .col(string_len(Lessons::Kind, 16))
                .col(text_null(Lessons::Body))
                .col(integer(Lessons::DurationSecs))
                .col(integer(Lessons::MinMinutes))
                .col(boolean(Lessons::SeekAllowed))
                .col(integer_null(Lessons::PassPercent))
                .col(integer_null(Lessons::MaxAttempts))
                .col(string_null(Lessons::MediaKey))
                .col(string_len_null(Lessons::MediaType, 64))
                .col(big_integer_null(Lessons::MediaBytes))
                .foreign_key(
                    ForeignKey::create()
                        .from(Lessons::Table, Lessons::CourseId)
                        .to(Courses::Table, Courses::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_lessons_course_ordinal")
                .table(Lessons::Table)
                .col(Lessons::CourseId)
                .col(Lessons::Ordinal)
                .unique()
                .to_owned(),
        )
        .await?;
        // A quiz's questions with their keys (never served to a supervisee), and the attempts:
        // the order each asked its questions in, the answers and the score. One number per
        // attempt of a person at a quiz: two starts at once cannot both be the third.
        // Whom a course is assigned to, by when: everyone under a unit, one person, or a level.
        m.create_table(
            Table::create()
                .table(CourseAssignments::Table)
                .col(uuid(CourseAssignments::Id).primary_key())
                .col(uuid(CourseAssignments::CourseId))
                .col(uuid(CourseAssignments::UnitId))
                .col(string(CourseAssignments::UnitPath))
                .col(uuid_null(CourseAssignments::CaseId))
                .col(string_len_null(CourseAssignments::Level, 16))
                .col(date(CourseAssignments::DueOn))
                .col(uuid_null(CourseAssignments::AssignedBy))
                .col(timestamp_with_time_zone(CourseAssignments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CourseAssignments::Table, CourseAssignments::CourseId)
                        .to(Courses::Table, Courses::Id),
                )
                .to_owned(),
        )
        .await?;
        // An assigned course a person let pass its date: raised once (the key).
        m.create_table(
            Table::create()
                .table(AssignmentOverdues::Table)
                .col(uuid(AssignmentOverdues::AssignmentId))
                .col(uuid(AssignmentOverdues::CaseId))
                .col(uuid_null(AssignmentOverdues::AlertId))
                .col(timestamp_with_time_zone(AssignmentOverdues::RaisedAt))
                .primary_key(
                    Index::create()
                        .col(AssignmentOverdues::AssignmentId)
                        .col(AssignmentOverdues::CaseId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AssignmentOverdues::Table, AssignmentOverdues::AssignmentId)
                        .to(CourseAssignments::Table, CourseAssignments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuizQuestions::Table)
                .col(uuid(QuizQuestions::Id).primary_key())
                .col(uuid(QuizQuestions::LessonId))
                .col(integer(QuizQuestions::Ordinal))
                .col(string_len(QuizQuestions::Kind, 16))
                .col(text(QuizQuestions::Prompt))
                .col(json(QuizQuestions::Options))
                .col(json(QuizQuestions::Key))
                .col(integer(QuizQuestions::Points))
                .foreign_key(
                    ForeignKey::create()
                        .from(QuizQuestions::Table, QuizQuestions::LessonId)
                        .to(Lessons::Table, Lessons::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuizAttempts::Table)
                .col(uuid(QuizAttempts::Id).primary_key())
                .col(uuid(QuizAttempts::CaseId))
                .col(uuid(QuizAttempts::LessonId))
                .col(integer(QuizAttempts::AttemptNo))
                .col(json(QuizAttempts::QuestionOrder))
                .col(json_null(QuizAttempts::Answers))
                .col(integer_null(QuizAttempts::Points))
                .col(integer(QuizAttempts::MaxPoints))
                .col(integer_null(QuizAttempts::Percent))
                .col(boolean_null(QuizAttempts::Passed))
                .col(timestamp_with_time_zone(QuizAttempts::StartedAt))
                .col(timestamp_with_time_zone_null(QuizAttempts::SubmittedAt))
                .col(integer(QuizAttempts::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(QuizAttempts::Table, QuizAttempts::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QuizAttempts::Table, QuizAttempts::LessonId)
                        .to(Lessons::Table, Lessons::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_quiz_attempts_number")
                .table(QuizAttempts::Table)
                .col(QuizAttempts::CaseId)
                .col(QuizAttempts::LessonId)
                .col(QuizAttempts::AttemptNo)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StudySessions::Table)
                .col(uuid(StudySessions::Id).primary_key())
                .col(uuid(StudySessions::CaseId))
                .col(uuid(StudySessions::LessonId))
                .col(string_len_null(StudySessions::DeviceId, 128))
                .col(string_len(StudySessions::Status, 16))
                .col(timestamp_with_time_zone(StudySessions::OpenedAt))
                .col(timestamp_with_time_zone_null(StudySessions::EndedAt))
                .col(timestamp_with_time_zone_null(StudySessions::LastBeatAt))
                .col(integer(StudySessions::LastSeq).default(0))
                .col(big_integer(StudySessions::LastClientMs).default(0))
                .col(big_integer(StudySessions::LastPositionMs).default(0))
                .col(boolean(StudySessions::LastStudying).default(false))
                .col(big_integer(StudySessions::CreditedMs).default(0))
                .col(big_integer(StudySessions::FurthestMs).default(0))
                .col(boolean(StudySessions::Completed).default(false))
                .col(integer(StudySessions::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(StudySessions::Table, StudySessions::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StudySessions::Table, StudySessions::LessonId)
                        .to(Lessons::Table, Lessons::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_study_sessions_case")
                .table(StudySessions::Table)
                .col(StudySessions::CaseId)
                .col(StudySessions::OpenedAt)
                .to_owned(),
        )
        .await?;
        // One open session a person: a second device opening a lesson closes the first, and
        // two opens at once cannot both win.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_study_sessions_open ON study_sessions (case_id) \
                 WHERE status = 'open'",
            )
            .await?;
        m.create_table(
            Table::create()
                .table(StudyBeats::Table)
                .col(uuid(StudyBeats::SessionId))
                .col(integer(StudyBeats::Seq))
                .col(big_integer(StudyBeats::ClientMs))
                .col(big_integer(StudyBeats::PositionMs))
                .col(boolean(StudyBeats::Playing))
                .col(boolean(StudyBeats::Foreground))
                .col(integer(StudyBeats::IdleSecs))
                .col(timestamp_with_time_zone(StudyBeats::ReceivedAt))
                .col(big_integer(StudyBeats::AddedMs))
                .col(string_len_null(StudyBeats::Cut, 16))
                .primary_key(
                    Index::create()
                        .col(StudyBeats::SessionId)
                        .col(StudyBeats::Seq),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StudyBeats::Table, StudyBeats::SessionId)
                        .to(StudySessions::Table, StudySessions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LearningCredits::Table)
                .col(uuid(LearningCredits::Id).primary_key())
                .col(uuid(LearningCredits::CaseId))
                .col(string_len(LearningCredits::Month, 7))
                .col(string_len(LearningCredits::Source, 16))
                .col(uuid_null(LearningCredits::SessionId))
                .col(big_integer(LearningCredits::CreditedMs))
                .col(text_null(LearningCredits::Reason))
                .col(uuid_null(LearningCredits::CreatedBy))
                .col(timestamp_with_time_zone(LearningCredits::CreatedAt))
                .col(timestamp_with_time_zone(LearningCredits::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LearningCredits::Table, LearningCredits::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_learning_credits_case_month")
                .table(LearningCredits::Table)
                .col(LearningCredits::CaseId)
                .col(LearningCredits::Month)
                .to_owned(),
        )
        .await?;
        // A month closed for a case: what was owed and credited, and the alert if short. The
        // key makes the month-end job's alert happen once, however often it runs.
        m.create_table(
            Table::create()
                .table(LearningMonths::Table)
                .col(uuid(LearningMonths::CaseId))
                .col(string_len(LearningMonths::Month, 7))
                .col(integer(LearningMonths::OwedMinutes))
                .col(big_integer(LearningMonths::CreditedMinutes))
                .col(big_integer(LearningMonths::ShortMinutes))
                .col(uuid_null(LearningMonths::AlertId))
                .col(timestamp_with_time_zone(LearningMonths::ClosedAt))
                .primary_key(
                    Index::create()
                        .col(LearningMonths::CaseId)
                        .col(LearningMonths::Month),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LearningMonths::Table, LearningMonths::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // A session's time in a month is one row, grown as beats come.
        m.create_index(
            Index::create()
                .name("ux_learning_credits_session_month")
                .table(LearningCredits::Table)
                .col(LearningCredits::SessionId)
                .col(LearningCredits::Month)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LearningMonths::Table.into_iden(),
            LearningCredits::Table.into_iden(),
            StudyBeats::Table.into_iden(),
            StudySessions::Table.into_iden(),
            QuizAttempts::Table.into_iden(),
            AssignmentOverdues::Table.into_iden(),
            CourseAssignments::Table.into_iden(),
            QuizQuestions::Table.into_iden(),
            Lessons::Table.into_iden(),
            Courses::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
