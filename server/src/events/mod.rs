//! Live events: an in-process bus (tokio broadcast) and the WebSocket `/api/v1/events`.
//! Each connection sees only what its caller may see: officers their jurisdiction's cases,
//! a supervisee their own case, a volunteer what is addressed to them. Authentication is the access token, checked before the
//! upgrade: an `Authorization` header (native apps) or `?access_token=` (browsers cannot set
//! headers on a WebSocket).

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use huijiao_core::api::EventView;
use huijiao_core::model::{EventKind, Role};
use serde::Deserialize;
use tokio::sync::broadcast;
use uuid::Uuid;

pub mod bus;

use crate::auth::extractor::AuthUser;
use crate::state::AppState;

pub use bus::{Event, EventBus};

fn visible(caller: &AuthUser, e: &Event) -> bool {
    match caller.role {
        Role::Officer => caller
            .unit_path
            .as_deref()
            .is_some_and(|p| e.unit_path.starts_with(p)),
        Role::Supervisee => e.supervisee == Some(caller.id),
        Role::Volunteer => e.helpers.contains(&caller.id),
        _ => false,
    }
}

#[derive(Deserialize)]
pub struct WsQuery {
    access_token: Option<String>,
    device_id: Option<String>,
}

/// Upgrades to a WebSocket streaming `EventView` JSON messages.
pub async fn ws(
    State(state): State<AppState>,
    Query(q): Query<WsQuery>,
    upgrade: WebSocketUpgrade,
    mut parts: Parts,
) -> Response {
    // The token may come as a header (native apps) or a query parameter (browsers).
    if let Some(t) = q.access_token.as_deref() {
        if let Ok(v) = format!("Bearer {t}").parse() {
            parts.headers.insert(axum::http::header::AUTHORIZATION, v);
        }
    }
    if let Some(d) = q.device_id.as_deref().and_then(|d| d.parse().ok()) {
        parts
            .headers
            .insert(crate::auth::extractor::DEVICE_HEADER, d);
    }
    let caller = match AuthUser::from_request_parts(&mut parts, &state).await {
        Ok(c) => c,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let rx = state.events.subscribe();
    let closing = state.events.closing();
    upgrade.on_upgrade(move |socket| stream(socket, caller, rx, closing))
}

async fn stream(
    mut socket: WebSocket,
    caller: AuthUser,
    mut rx: broadcast::Receiver<Event>,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    if *closing.borrow_and_update() {
        return;
    }
    loop {
        tokio::select! {
            _ = closing.changed() => {
                let _ = socket.send(Message::Close(None)).await;
                break;
            }
            msg = rx.recv() => match msg {
                Ok(e) if visible(&caller, &e) => {
                    let text = serde_json::to_string(&e.view).unwrap_or_default();
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                // Fell behind: tell the client to refetch rather than silently drop.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let resync = EventView { kind: EventKind::Resync.as_str().into(), case_id: Uuid::nil(), payload: serde_json::Value::Null };
                    let _ = socket.send(Message::Text(serde_json::to_string(&resync).unwrap_or_default().into())).await;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                _ => {}
            },
        }
    }
}
