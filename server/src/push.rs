//! Push notifications: what wakes the supervisee's phone when a roll call rings and the app is
//! not on screen (the live event reaches only an open app). The vendors (APNs, FCM, HMS and
//! the other Android push services) are outside the server: `Push` is the boundary, and the
//! in-process implementation keeps what would have been sent, for the tests and for a
//! deployment that has no vendor account yet (the app then learns of calls when opened).

use std::sync::Mutex;

use futures::future::BoxFuture;
use huijiao_core::model::EventKind;
use uuid::Uuid;

/// One notification to one person's phone. No names, no case details: the lock screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PushNote {
    pub user_id: Uuid,
    pub kind: EventKind,
    /// The record it is about (the roll call).
    pub record_id: Uuid,
    /// What the notification says, in both languages.
    pub title_en: String,
    pub title_zh: String,
}

/// A push vendor's client. Sending is best effort: a failure is logged, never fails the act
/// that caused it (the live event and the app's own polling still reach the person).
pub trait Push: Send + Sync {
    fn send(&self, note: PushNote) -> BoxFuture<'_, Result<(), String>>;
}

/// Keeps every note in memory instead of sending it.
#[derive(Default)]
pub struct InProcessPush {
    sent: Mutex<Vec<PushNote>>,
}

impl InProcessPush {
    pub fn sent(&self) -> Vec<PushNote> {
        self.sent.lock().expect("not poisoned").clone()
    }
}

impl Push for InProcessPush {
    fn send(&self, note: PushNote) -> BoxFuture<'_, Result<(), String>> {
        self.sent.lock().expect("not poisoned").push(note);
        Box::pin(async { Ok(()) })
    }
}

/// Sends and logs a failure (without the note's content).
pub async fn send(push: &dyn Push, note: PushNote) {
    let kind = note.kind;
    if let Err(e) = push.send(note).await {
        tracing::warn!(kind = kind.as_str(), error = %e, "push notification not sent");
    }
}
