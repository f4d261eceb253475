//! The live event stream (`/api/v1/events`, WebSocket): decisions, alerts and check-in requests
//! as they happen, delivered to a listener; reconnects by itself with backoff, refreshing an
//! expired token; stops when the subscription is dropped.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio_tungstenite::tungstenite::Message;

use super::{Client, ClientError, Subscription};
use crate::api::EventView;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StreamState {
    Connecting,
    Connected,
    /// Lost; the next try is in `retry_in_ms`.
    Disconnected {
        retry_in_ms: u64,
    },
    /// Not signed in (or the session ended): nothing more until a new subscription.
    Stopped,
}

/// What the app implements to hear events.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait EventListener: Send + Sync {
    fn on_event(&self, event: EventView);
    fn on_state(&self, state: StreamState);
}

fn ws_url(client: &Client, token: &str) -> String {
    let base = client
        .api
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    let mut url = format!("{base}/events?access_token={token}");
    if let Some(d) = &client.device_id {
        url.push_str("&device_id=");
        url.push_str(d);
    }
    url
}

impl Client {
    /// Starts the event stream on the current tokio runtime.
    pub fn subscribe_events(self: &Arc<Self>, listener: Arc<dyn EventListener>) -> Subscription {
        let client = self.clone();
        Subscription::spawn(async move { client.run_events(listener).await })
    }

    async fn run_events(&self, listener: Arc<dyn EventListener>) {
        let mut failures = 0u32;
        loop {
            listener.on_state(StreamState::Connecting);
            let Some(tokens) = self.tokens.load() else {
                listener.on_state(StreamState::Stopped);
                return;
            };
            match tokio_tungstenite::connect_async(ws_url(self, &tokens.access)).await {
                Ok((mut ws, _)) => {
                    failures = 0;
                    listener.on_state(StreamState::Connected);
                    while let Some(msg) = ws.next().await {
                        match msg {
                            Ok(Message::Text(text)) => {
                                if let Ok(e) = serde_json::from_str::<EventView>(&text) {
                                    listener.on_event(e);
                                }
                            }
                            Ok(Message::Close(_)) | Err(_) => break,
                            Ok(_) => {}
                        }
                    }
                }
                Err(tokio_tungstenite::tungstenite::Error::Http(res)) if res.status() == 401 => {
                    // Most likely an expired access token: any call refreshes it. A session
                    // that has ended stops the stream.
                    match self.me().await {
                        Ok(_) => continue,
                        Err(ClientError::Api { status: 401, .. } | ClientError::NotSignedIn) => {
                            listener.on_state(StreamState::Stopped);
                            return;
                        }
                        Err(_) => {}
                    }
                }
                Err(_) => {}
            }
            failures += 1;
            let wait = Duration::from_millis((500u64 << failures.min(7)).min(60_000));
            listener.on_state(StreamState::Disconnected {
                retry_in_ms: wait.as_millis() as u64,
            });
            tokio::time::sleep(wait).await;
        }
    }
}
