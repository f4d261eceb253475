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
