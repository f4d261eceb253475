//! What a screen last read, kept on the device: recalled when the screen opens (shown at once,
//! with its age), replaced by each answer from the server, and kept when the server cannot be
//! reached. One way for every screen that reads a list.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::app::{trouble, Freshness, Route};
use crate::client::outbox::Outbox;
use crate::client::ClientError;
use crate::error::Lang;

/// A screen's data and how it stands: when it was known, whether the server answered last
/// time, whether a read is under way, a problem to show, where to go instead.
pub(crate) struct Kept<T> {
    pub data: Option<T>,
    pub as_of: Option<DateTime<Utc>>,
    pub offline: bool,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            data: None,
            as_of: None,
            offline: false,
            loading: false,
            message: None,
            route: None,
        }
    }
}

impl<T: Serialize + DeserializeOwned> Kept<T> {
    /// What the device kept under `key`, or nothing.
    pub async fn recall(cache: Option<&Outbox>, key: &str) -> Kept<T> {
        let mut kept = Kept::default();
        if let Some(cache) = cache {
            if let Ok(Some((json, at))) = cache.recall(key).await {
                if let Ok(data) = serde_json::from_slice(&json) {
                    kept.data = Some(data);
                    kept.as_of = Some(at);
                }
            }
        }
        kept
    }

    /// Keeps the server's answer on the device, when it is one, and returns the moment it was
    /// known. Keeping is a convenience: a full disk does not stop the screen.
    pub async fn keep(
        cache: Option<&Outbox>,
        key: &str,
        got: &Result<T, ClientError>,
    ) -> DateTime<Utc> {
        let now = Utc::now();
        if let (Some(cache), Ok(data)) = (cache, got) {
            if let Ok(json) = serde_json::to_vec(data) {
                let _ = cache.remember(key, &json, now).await;
            }
        }
        now
    }

    /// Takes the server's answer: the data replaced, or, on failure, what was shown stays
    /// and the trouble is said (offline is said by `freshness`).
    pub fn take(&mut self, got: Result<T, ClientError>, now: DateTime<Utc>, lang: Lang) {
        self.loading = false;
        match got {
            Ok(data) => {
                self.data = Some(data);
                self.as_of = Some(now);
                self.offline = false;
                self.message = None;
                self.route = None;
            }
            Err(e) => {
                let t = trouble(&e, lang);
                self.offline = t.offline;
                self.message = (!t.offline).then_some(t.message);
                self.route = t.route;
            }
        }
    }

    pub fn freshness(&self, now: DateTime<Utc>, lang: Lang) -> Freshness {
        Freshness::of(self.as_of, self.offline, now, lang)
    }
}
