//! The in-process event bus (tokio broadcast): what happened, and to whom it may be shown.
//! Imports nothing of the server, so the state is built from it without a cycle.

use huijiao_core::api::EventView;
use huijiao_core::model::EventKind;
use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Event {
    /// Path of the case's unit at the time of the event (officers' subtree filter).
    pub unit_path: String,
    /// The supervisee's user id, if they should see it.
    pub supervisee: Option<Uuid>,
    /// Volunteers or social workers of the case's team who should see it.
    pub helpers: Vec<Uuid>,
    pub view: EventView,
}

impl Event {
    /// An event about a case, heard by the officers above `unit_path` and, when given, by the
    /// supervisee.
    pub fn about_case(
        unit_path: String,
        case_id: Uuid,
        supervisee: Option<Uuid>,
        kind: EventKind,
        payload: &impl Serialize,
    ) -> Event {
        Event {
            unit_path,
            supervisee,
            helpers: Vec::new(),
            view: EventView {
                kind: kind.as_str().into(),
                case_id,
                payload: serde_json::to_value(payload).unwrap_or_default(),
            },
        }
    }
}

impl Event {
    /// The same event, heard by `helper` (a volunteer of the case's team) too.
    pub fn to_helper(mut self, helper: Uuid) -> Event {
        self.helpers.push(helper);
        self
    }
}

#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Event>,
    /// Set when the server stops: open sockets close (clients reconnect elsewhere or later)
    /// instead of holding the shutdown up.
    closing: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            tx: broadcast::channel(1024).0,
            closing: std::sync::Arc::new(tokio::sync::watch::channel(false).0),
        }
    }
}

impl EventBus {
    pub fn publish(&self, e: Event) {
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.tx.send(e);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// Flips to true when the server stops.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Closes every open event socket (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}
