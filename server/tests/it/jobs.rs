//! Jobs run one by one, each in its own transaction: one failing is rolled back and reported
//! without undoing the others.

use futures::future::BoxFuture;
use huijiao_server::entities::org_unit;
use huijiao_server::jobs::{run, Job};
use huijiao_server::state::AppState;
use huijiao_server::work::Work;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

fn mark<'a>(
    w: &'a Work,
    unit: &'static str,
) -> BoxFuture<'a, huijiao_server::error::ApiResult<()>> {
    Box::pin(async move {
        let id = uuid::Uuid::now_v7();
        org_unit::ActiveModel {
            id: Set(id),
            parent_id: Set(None),
            kind: Set(huijiao_core::model::UnitKind::Province),
            name: Set(unit.into()),
            code: Set(None),
            path: Set(format!("/{id}/")),
            created_at: Set(chrono::Utc::now()),
        }
        .insert(w.db())
        .await?;
        Ok(())
    })
}

const FAILS: Job = Job {
    name: "test.fails",
    run: |_: &AppState, w, _| {
        Box::pin(async move {
            mark(w, "written-then-failed").await?;
            Err(huijiao_core::ErrorCode::Conflict.into())
        })
    },
};
const WORKS: Job = Job {
    name: "test.works",
    run: |_: &AppState, w, _| {
        Box::pin(async move {
            mark(w, "kept").await?;
            Ok(1)
        })
    },
};

both!(one_failing_job_does_not_roll_back_the_others, |app| {
    let report = run(&app.state, &[FAILS, WORKS]).await.unwrap();
    assert_eq!(
        report.failed,
        vec![("test.fails", "resource.conflict".to_owned())]
    );
    assert_eq!(report.ran, vec![("test.works", 1)]);
    let db = &app.state.db;
    let names = |name: &'static str| async move {
        db.query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT count(*) AS n FROM org_units WHERE name = '{name}'"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
    };
    assert_eq!(
        names("written-then-failed").await,
        0,
        "the failed job's writes are rolled back"
    );
    assert_eq!(names("kept").await, 1);
    // The real list runs on an empty database with nothing to do, every job on its own.
    let report = huijiao_server::app::run_jobs(&app.state).await.unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.ran.len(), huijiao_server::app::jobs().count());
});
