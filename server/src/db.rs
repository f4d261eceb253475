//! Database connection: SQLite (embedded default) or PostgreSQL, with migrations.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{extension::postgres::PgFunc, Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
};
use uuid::Uuid;

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    let sqlite = url.starts_with("sqlite:");
    // SQLite gets one connection: every write goes through one writer, so a transaction that
    // reads and then writes never meets SQLITE_BUSY from a stale snapshot. A county's load
    // fits; PostgreSQL is the scale-out path.
    opts.max_connections(if sqlite { 1 } else { max_connections })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
        ] {
            db.execute_unprepared(pragma).await?;
        }
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// `col IN (ids)`, which PostgreSQL is sent as `col = ANY($1)` with the ids bound as one
/// array. Why: an `IN` list of each length is a statement of its own, parsed, planned and
/// prepared anew and pushing others out of the connection's statement cache; `= ANY` is one
/// statement whatever the number, prepared once. SQLite has no arrays: there it is the list.
pub fn any_of<C: ColumnTrait>(
    db: &impl ConnectionTrait,
    col: C,
    ids: impl IntoIterator<Item = Uuid>,
) -> SimpleExpr {
    match db.get_database_backend() {
        DbBackend::Postgres => Expr::col(col.as_column_ref())
            .eq(PgFunc::any(Expr::val(ids.into_iter().collect::<Vec<_>>()))),
        _ => col.is_in(ids),
    }
}
