//! Every migration runs down and up again on both databases: a rollback in production is a
//! tested path, not a hope.

use crate::common;
use migration::MigratorTrait;
use sea_orm::ConnectionTrait;

both!(every_migration_goes_down_and_up_again, |app| {
    let db = &app.state.db;
    let applied = migration::Migrator::get_applied_migrations(db)
        .await
        .unwrap()
        .len();
    assert_eq!(applied, migration::Migrator::migrations().len());
    // One at a time, newest first: each down must leave a schema the older downs accept.
    for left in (0..applied).rev() {
        migration::Migrator::down(db, Some(1))
            .await
            .unwrap_or_else(|e| panic!("down to {left} migrations on {:?}: {e}", app.backend));
        assert_eq!(
            migration::Migrator::get_applied_migrations(db)
                .await
                .unwrap()
                .len(),
            left
        );
    }
    // Nothing of ours is left but the migration bookkeeping.
    let leftover = match app.backend {
        common::Backend::Sqlite => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
        common::Backend::Postgres => "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'",
    };
    let n: i64 = db
        .query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            leftover,
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(n, 0, "tables left after every down");
    migration::Migrator::up(db, None).await.unwrap();
    assert_eq!(
        migration::Migrator::get_applied_migrations(db)
            .await
            .unwrap()
            .len(),
        migration::Migrator::migrations().len()
    );
    // The schema works again: the demo data goes in.
    assert!(huijiao_server::demo::seed_if_empty(&app.state)
        .await
        .unwrap());
});

// Migration 28 gives rows written before it the status their timestamps tell: an attempt not
// handed in is open, one handed in without a result waits for a grade, one with a result is
// scored; an activity called off is cancelled, one settled is closed, any other scheduled.
both!(statuses_added_later_follow_the_timestamps, |app| {
    use chrono::{Duration, Utc};
    use huijiao_core::policy::learning::QuizAttemptStatus as Q;
    use huijiao_core::policy::service::ActivityStatus as A;
    use huijiao_server::entities::{case, lesson, quiz_attempt, service_activity};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let db = &app.state.db;
    assert!(huijiao_server::demo::seed_if_empty(&app.state)
        .await
        .unwrap());
    let case_id = case::Entity::find().one(db).await.unwrap().unwrap().id;
    let lesson_id = lesson::Entity::find().one(db).await.unwrap().unwrap().id;
    let now = Utc::now();
    // Written with a wrong status on purpose: the migration must not keep it.
    let mut attempts = vec![];
    for (n, (submitted, passed)) in [(false, None), (true, None), (true, Some(true))]
        .into_iter()
        .enumerate()
    {
        let a = quiz_attempt::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            case_id: Set(case_id),
            lesson_id: Set(lesson_id),
            attempt_no: Set(n as i32 + 1),
            question_order: Set(serde_json::json!([])),
            answers: Set(None),
            points: Set(None),
            max_points: Set(10),
            percent: Set(None),
            passed: Set(passed),
            started_at: Set(now),
            submitted_at: Set(submitted.then_some(now)),
            version: Set(1),
            grades: Set(None),
            graded_by: Set(None),
            graded_at: Set(None),
            status: Set(Q::Scored),
        }
        .insert(db)
        .await
        .unwrap();
        attempts.push(a.id);
    }
    let activities = service_activity::Entity::find().all(db).await.unwrap();
    assert!(activities.len() >= 2, "the demo's activities");
    let (settled, cancelled) = (activities[0].id, activities[1].id);
    for (id, closed, called_off) in [(settled, true, false), (cancelled, true, true)] {
        let mut am: service_activity::ActiveModel = service_activity::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
        am.closed_at = Set(closed.then_some(now - Duration::hours(1)));
        am.cancelled_at = Set(called_off.then_some(now - Duration::hours(2)));
        am.status = Set(A::Scheduled);
        am.update(db).await.unwrap();
    }
    let others: Vec<_> = activities[2..].iter().map(|a| a.id).collect();
    for id in &others {
        let mut am: service_activity::ActiveModel = service_activity::Entity::find_by_id(*id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
        am.closed_at = Set(None);
        am.cancelled_at = Set(None);
        am.status = Set(A::Cancelled);
        am.update(db).await.unwrap();
    }

    // Down to before migration 28 (and the later ones with it), and up again.
    let all = migration::Migrator::migrations();
    let at = all
        .iter()
        .position(|m| m.name() == "m20261207_000028_attempt_activity_status")
        .expect("migration 28");
    let later = u32::try_from(all.len() - at).unwrap();
    migration::Migrator::down(db, Some(later)).await.unwrap();
    migration::Migrator::up(db, None).await.unwrap();

    let status_of = async |id| {
        quiz_attempt::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .status
    };
    assert_eq!(status_of(attempts[0]).await, Q::Open);
    assert_eq!(status_of(attempts[1]).await, Q::AwaitingReview);
    assert_eq!(status_of(attempts[2]).await, Q::Scored);
    let activity = async |id| {
        let a = service_activity::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        (a.status, a.version)
    };
    assert_eq!(activity(settled).await, (A::Closed, 1));
    assert_eq!(activity(cancelled).await, (A::Cancelled, 1));
    for id in others {
        assert_eq!(activity(id).await, (A::Scheduled, 1));
    }
});
