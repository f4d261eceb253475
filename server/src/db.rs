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

/// What `made_once` did: made the record (its view), or found it made by an earlier send.
pub enum Once<M, V> {
    Made(V),
    Again(M),
}

/// A record the app makes under an id of its own (a field record written offline, sent from the
/// outbox), made once however often it is sent: an id already stored is `Again` when `same`
/// says it is this request's record, else `taken`; otherwise `store` makes it. Two sends at
/// once: the second's insert conflicts and it answers as a resend. `store` runs only when
/// nothing is stored yet, so a resend is not checked against rules that moved on since.
pub async fn made_once<E, V>(
    db: &DatabaseConnection,
    id: Uuid,
    same: impl Fn(&E::Model) -> bool,
    taken: huijiao_core::ErrorCode,
    store: impl std::future::Future<Output = crate::error::ApiResult<V>>,
) -> crate::error::ApiResult<Once<E::Model, V>>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let again = |done: E::Model| {
        if same(&done) {
            Ok(Once::Again(done))
        } else {
            Err(taken.into())
        }
    };
    if let Some(done) = E::find_by_id(id).one(db).await? {
        return again(done);
    }
    match store.await {
        Err(e) if e.code == huijiao_core::ErrorCode::Conflict => {
            again(E::find_by_id(id).one(db).await?.ok_or(e)?)
        }
        made => Ok(Once::Made(made?)),
    }
}

/// A GPS fix as a JSON column keeps it (where a field record was made), and back.
pub fn fix_to_json(
    fix: Option<&huijiao_core::api::GpsFix>,
) -> crate::error::ApiResult<Option<serde_json::Value>> {
    fix.map(serde_json::to_value)
        .transpose()
        .map_err(crate::error::ApiError::internal)
}

pub fn fix_from_json(
    stored: Option<serde_json::Value>,
) -> crate::error::ApiResult<Option<huijiao_core::api::GpsFix>> {
    stored
        .map(serde_json::from_value)
        .transpose()
        .map_err(crate::error::ApiError::internal)
}
