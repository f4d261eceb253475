//! Migrations in the sea-orm DSL: one tree for SQLite and PostgreSQL, expand/contract only.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_leave;
mod m20261122_000003_relocation_visitor;
mod m20261122_000004_checkins;
mod m20261122_000005_schedules;
mod m20261122_000006_checkin_requests;
mod m20261122_000007_leave_attachments;
mod m20261122_000008_template_hashes;
mod m20261122_000009_checkin_rejections;
mod m20261122_000010_locations;
mod m20261202_000011_login_throttles;
mod m20261202_000012_challenge_poses;
mod m20261202_000013_roll_calls;
mod m20261202_000014_roll_call_recordings;
mod m20261202_000015_learning;
mod m20261202_000016_lectures;
mod m20261202_000017_study_face_checks;
mod m20261202_000018_reflections;
mod m20261202_000019_quiz_grades;
mod m20261202_000020_help_sessions;
mod m20261203_000021_community_service;
mod m20261203_000022_sanctions;
mod m20261203_000023_lesson_rules;
mod m20261203_000024_visits;
mod m20261203_000025_release;
mod m20261203_000026_assessments;
mod m20261207_000027_tag_order_status;
mod m20261207_000028_attempt_activity_status;
mod m20261207_000029_reviews_and_resets;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_leave::Migration),
            Box::new(m20261122_000003_relocation_visitor::Migration),
            Box::new(m20261122_000004_checkins::Migration),
            Box::new(m20261122_000005_schedules::Migration),
            Box::new(m20261122_000006_checkin_requests::Migration),
            Box::new(m20261122_000007_leave_attachments::Migration),
            Box::new(m20261122_000008_template_hashes::Migration),
            Box::new(m20261122_000009_checkin_rejections::Migration),
            Box::new(m20261122_000010_locations::Migration),
            Box::new(m20261202_000011_login_throttles::Migration),
            Box::new(m20261202_000012_challenge_poses::Migration),
            Box::new(m20261202_000013_roll_calls::Migration),
            Box::new(m20261202_000014_roll_call_recordings::Migration),
            Box::new(m20261202_000015_learning::Migration),
            Box::new(m20261202_000016_lectures::Migration),
            Box::new(m20261202_000017_study_face_checks::Migration),
            Box::new(m20261202_000018_reflections::Migration),
            Box::new(m20261202_000019_quiz_grades::Migration),
            Box::new(m20261202_000020_help_sessions::Migration),
            Box::new(m20261203_000021_community_service::Migration),
            Box::new(m20261203_000022_sanctions::Migration),
            Box::new(m20261203_000023_lesson_rules::Migration),
            Box::new(m20261203_000024_visits::Migration),
            Box::new(m20261203_000025_release::Migration),
            Box::new(m20261203_000026_assessments::Migration),
            Box::new(m20261207_000027_tag_order_status::Migration),
            Box::new(m20261207_000028_attempt_activity_status::Migration),
            Box::new(m20261207_000029_reviews_and_resets::Migration),
        ]
    }
}
