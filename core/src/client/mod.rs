//! The typed HTTP client the apps use (feature `client`): sign-in with the tokens kept by the
//! platform, automatic refresh of an expired access token, the calls of each role, and a
//! durable outbox for writes made offline.

mod alerts;
mod assessments;
mod audit;
mod auth;
mod cases;
mod checkins;
pub mod events;
mod help;
mod investigations;
mod learning;
mod lectures;
mod locations;
mod org;
pub mod outbox;
mod pages;
mod queue;
mod requests;
mod rollcalls;
mod sanctions;
mod service;
mod visits;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::api::*;
use crate::error::{ErrorCode, Lang};
use pages::query_value;
pub use pages::Pages;

/// A background task of the client (event stream, outbox observer); dropping it (or
/// `cancel`) stops the task.
pub struct Subscription {
    task: tokio::task::JoinHandle<()>,
}

impl Subscription {
    fn spawn(work: impl std::future::Future<Output = ()> + Send + 'static) -> Subscription {
        Subscription {
            task: tokio::spawn(work),
        }
    }

    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The pair of tokens of a session. The platform keeps them (Keychain, Keystore); the core
/// never writes them to a file of its own.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens { … }")
    }
}

/// Where the platform keeps the session's tokens.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Option<Tokens>;
    fn save(&self, tokens: Tokens);
    fn clear(&self);
}

/// Tokens in memory only: a session that ends with the process (tests, kiosks).
#[derive(Default)]
pub struct MemoryTokenStore(Mutex<Option<Tokens>>);

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Option<Tokens> {
        self.0.lock().expect("not poisoned").clone()
    }

    fn save(&self, tokens: Tokens) {
        *self.0.lock().expect("not poisoned") = Some(tokens);
    }

    fn clear(&self) {
        *self.0.lock().expect("not poisoned") = None;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: no network, the server is down, or the connection broke.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error envelope.
    #[error("{status}: {}", problem.code)]
    Api { status: u16, problem: Box<Problem> },
    /// No session: sign in first.
    #[error("not signed in")]
    NotSignedIn,
    /// The answer was not what the API promises.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// The outbox database failed.
    #[error("outbox storage: {0}")]
    Storage(String),
}

impl ClientError {
    /// The error the server would give for `code`, in `lang`: what the client itself finds
    /// (a record no longer in a list the server gave) says the same as the server.
    pub fn of(code: ErrorCode, lang: Lang) -> ClientError {
        ClientError::Api {
            status: code.http_status(),
            problem: Box::new(Problem {
                type_: "about:blank".into(),
                title: code.message(Lang::En).into(),
                status: code.http_status(),
                code: code.code().into(),
                detail: code.message(lang).into(),
                request_id: None,
                errors: vec![],
                locked_until: None,
            }),
        }
    }

    /// The server's stable code, when the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { problem, .. } => ErrorCode::from_code(&problem.code),
            _ => None,
        }
    }

    /// Worth sending again later: no answer, a timeout, too busy, or a server fault.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network(_) => true,
            ClientError::Api { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        // reqwest's text names the URL, never a body or a header.
        ClientError::Network(e.to_string())
    }
}

/// One signed-in (or not yet) user of one server.
pub struct Client {
    api: String,
    http: reqwest::Client,
    tokens: Arc<dyn TokenStore>,
    device_id: Option<String>,
    lang: Lang,
    /// One refresh at a time: concurrent calls that all found the token expired wait for it.
    refreshing: tokio::sync::Mutex<()>,
}

impl Client {
    /// What the server would answer with `code`, said here without asking it (the request
    /// could not even be formed, e.g. a QR code that is not ours).
    fn refused(&self, code: ErrorCode) -> ClientError {
        ClientError::Api {
            status: code.http_status(),
            problem: Box::new(Problem {
                type_: "about:blank".into(),
                title: code.message(Lang::En).into(),
                status: code.http_status(),
                code: code.code().into(),
                detail: code.message(self.lang).into(),
                request_id: None,
                errors: vec![],
                locked_until: None,
            }),
        }
    }

    /// `base_url` is the server's root, e.g. `https://huijiao.example.gov.cn`. Supervisee
    /// phones pass their stable install id as `device_id`.
    pub fn new(
        base_url: &str,
        device_id: Option<String>,
        tokens: Arc<dyn TokenStore>,
        lang: Lang,
    ) -> Result<Client, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client {
            api: format!("{}/api/v1", base_url.trim_end_matches('/')),
            http,
            tokens,
            device_id,
            lang,
            refreshing: tokio::sync::Mutex::new(()),
        })
    }

    /// How long one request may take before it counts as a network failure (default 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Client, ClientError> {
        self.http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout)
            .build()?;
        Ok(self)
    }

    pub fn device_id(&self) -> Option<&str> {
        self.device_id.as_deref()
    }

    /// Whether tokens are held (they may still have been revoked on the server).
    /// The language the person reads (sent as `Accept-Language`).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn is_signed_in(&self) -> bool {
        self.tokens.load().is_some()
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<&[u8]>,
        access: Option<&str>,
        extra: &Extra<'_>,
    ) -> Result<(StatusCode, bytes::Bytes), ClientError> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.api))
            .header("accept-language", self.lang.tag());
        if let Some(t) = access {
            req = req.bearer_auth(t);
        }
        if let Some(d) = &self.device_id {
            req = req.header("x-device-id", d);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", extra.content_type)
                .body(b.to_vec());
        }
        if let Some(range) = extra.range {
            req = req.header("range", range);
        }
        let res = req.send().await?;
        let status = res.status();
        Ok((status, res.bytes().await?))
    }

    /// Sends a request as the signed-in user: an expired access token is refreshed once and
    /// the request repeated. Returns the status and body of a successful answer.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<(StatusCode, bytes::Bytes), ClientError> {
        self.send_with(method, path, body, &Extra::default()).await
    }

    /// `send` with a body that is not JSON, or a byte range asked for.
    async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
        extra: &Extra<'_>,
    ) -> Result<(StatusCode, bytes::Bytes), ClientError> {
        let tokens = self.tokens.load().ok_or(ClientError::NotSignedIn)?;
        let (status, bytes) = self
            .send_once(&method, path, body, Some(&tokens.access), extra)
            .await?;
        let (status, bytes) = if status == StatusCode::UNAUTHORIZED
            && problem(status, &bytes).code == ErrorCode::TokenExpired.code()
        {
            let fresh = self.refresh(&tokens).await?;
            self.send_once(&method, path, body, Some(&fresh.access), extra)
                .await?
        } else {
            (status, bytes)
        };
        if status.is_success() {
            Ok((status, bytes))
        } else {
            Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(problem(status, &bytes)),
            })
        }
    }

    /// Exchanges the refresh token for new tokens, unless another call already did.
    async fn refresh(&self, stale: &Tokens) -> Result<Tokens, ClientError> {
        let _one = self.refreshing.lock().await;
        let current = self.tokens.load().ok_or(ClientError::NotSignedIn)?;
        if current.access != stale.access {
            return Ok(current);
        }
        let body = serde_json::to_vec(&RefreshRequest {
            refresh_token: current.refresh.clone(),
            device_id: self.device_id.clone(),
        })
        .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (status, bytes) = self
            .send_once(
                &Method::POST,
                "/auth/refresh",
                Some(&body),
                None,
                &Extra::default(),
            )
            .await?;
        if !status.is_success() {
            let p = problem(status, &bytes);
            // The session is over (revoked, reused, expired): forget it.
            if status == StatusCode::UNAUTHORIZED {
                self.tokens.clear();
            }
            return Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(p),
            });
        }
        let view: TokenView = decode(&bytes)?;
        let fresh = Tokens {
            access: view.access_token,
            refresh: view.refresh_token,
        };
        self.tokens.save(fresh.clone());
        Ok(fresh)
    }

    async fn call<R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<R, ClientError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (_, bytes) = self.send(method, path, body.as_deref()).await?;
        decode(&bytes)
    }

    /// A call answered with no body (204).
    async fn no_content(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<(), ClientError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        self.send(method, path, body.as_deref()).await.map(|_| ())
    }

    /// A file (photo, attachment, export) as bytes.
    async fn bytes(&self, path: &str) -> Result<Vec<u8>, ClientError> {
        Ok(self.send(Method::GET, path, None).await?.1.to_vec())
    }

    async fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R, ClientError> {
        self.call(Method::GET, path, None::<&()>).await
    }

    async fn post<R: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<R, ClientError> {
        self.call(Method::POST, path, Some(body)).await
    }
}

/// What a request carries besides its body: the body's type (JSON unless said) and a byte range.
struct Extra<'a> {
    content_type: &'a str,
    range: Option<&'a str>,
}

impl Default for Extra<'_> {
    fn default() -> Self {
        Extra {
            content_type: "application/json",
            range: None,
        }
    }
}

fn decode<R: DeserializeOwned>(bytes: &[u8]) -> Result<R, ClientError> {
    serde_json::from_slice(bytes).map_err(|e| ClientError::Decode(e.to_string()))
}

/// The error envelope of an answer, or one made up from the status when there is none (a
/// proxy's HTML page, an empty body).
fn problem(status: StatusCode, bytes: &[u8]) -> Problem {
    serde_json::from_slice(bytes).unwrap_or_else(|_| Problem {
        type_: "about:blank".into(),
        title: status.to_string(),
        status: status.as_u16(),
        code: if status.is_server_error() {
            ErrorCode::Unavailable.code().into()
        } else {
            "http.status".into()
        },
        detail: status.to_string(),
        request_id: None,
        errors: vec![],
        locked_until: None,
    })
}
