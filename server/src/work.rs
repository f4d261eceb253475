//! One unit of work: a transaction, the audit entries written in it, and the live events it
//! produces and the push notifications it sends, both only once the commit has succeeded (never
//! announce what may still roll back). Every write handler goes `Work::begin` → checks and changes → `commit`.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use huijiao_core::model::{AuditAction, EventKind};
use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde::Serialize;

use crate::actor::Actor;
use crate::entities::case;
use crate::error::ApiResult;
use crate::events::{Event, EventBus};
use crate::org::PathCache;
use crate::push::{Push, PushNote};
use crate::state::AppState;

pub struct Work {
    txn: DatabaseTransaction,
    events: Mutex<Vec<Event>>,
    bus: EventBus,
    paths: PathCache,
    pushes: Mutex<Vec<PushNote>>,
    push: Arc<dyn Push>,
    now: DateTime<Utc>,
}

impl Work {
    pub async fn begin(state: &AppState) -> ApiResult<Work> {
        Ok(Work {
            txn: state.db.begin().await?,
            events: Mutex::default(),
            bus: state.events.clone(),
            paths: state.unit_paths.clone(),
            pushes: Mutex::default(),
            push: state.push.clone(),
            now: state.clock.now(),
        })
    }

    /// The clock's time when this work began: the one instant its rows and alerts record.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The transaction, for queries and service functions (`&impl ConnectionTrait`).
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Appends to the audit chain inside this transaction: the entry lands with the act or
    /// not at all.
    pub async fn audit(
        &self,
        actor: &Actor,
        action: AuditAction,
        target_kind: &str,
        target_id: impl ToString,
        detail: serde_json::Value,
    ) -> ApiResult<()> {
        crate::audit::record(
            &self.txn,
            actor,
            action,
            target_kind,
            Some(target_id.to_string()),
            detail,
        )
        .await?;
        Ok(())
    }

    /// Queues an event for after the commit.
    pub fn publish(&self, event: Event) {
        self.events.lock().expect("not poisoned").push(event);
    }

    pub fn publish_all(&self, events: impl IntoIterator<Item = Event>) {
        self.events.lock().expect("not poisoned").extend(events);
    }

    /// Queues a push notification for after the commit.
    pub fn push(&self, note: PushNote) {
        self.pushes.lock().expect("not poisoned").push(note);
    }

    /// Queues an event about a case for the officers of its jurisdiction, and for the
    /// supervisee too when `to_supervisee`.
    pub async fn notify_case(
        &self,
        c: &case::Model,
        kind: EventKind,
        payload: &impl Serialize,
        to_supervisee: bool,
    ) -> ApiResult<()> {
        let event = case_event(&self.txn, &self.paths, c, kind, payload, to_supervisee).await?;
        self.publish(event);
        Ok(())
    }

    /// Queues an event about a case for the officers of its jurisdiction and for one
    /// volunteer or social worker of its team.
    pub async fn notify_helper(
        &self,
        c: &case::Model,
        helper: uuid::Uuid,
        kind: EventKind,
        payload: &impl Serialize,
    ) -> ApiResult<()> {
        let event = case_event(&self.txn, &self.paths, c, kind, payload, false).await?;
        self.publish(event.to_helper(helper));
        Ok(())
    }

    /// Commits, then publishes what was queued.
    pub async fn commit(self) -> ApiResult<()> {
        self.txn.commit().await?;
        for e in self.events.into_inner().expect("not poisoned") {
            self.bus.publish(e);
        }
        for note in self.pushes.into_inner().expect("not poisoned") {
            crate::push::send(self.push.as_ref(), note).await;
        }
        Ok(())
    }
}

/// An event about a case: the unit path decides which officers hear it.
async fn case_event(
    db: &impl sea_orm::ConnectionTrait,
    paths: &PathCache,
    c: &case::Model,
    kind: EventKind,
    payload: &impl Serialize,
    to_supervisee: bool,
) -> ApiResult<Event> {
    let unit_path = paths
        .get(db, c.unit_id)
        .await?
        .ok_or_else(|| crate::error::ApiError::internal("case unit missing"))?;
    let supervisee = if to_supervisee { c.user_id } else { None };
    Ok(Event::about_case(
        unit_path, c.id, supervisee, kind, payload,
    ))
}
