//! The one error type of the HTTP layer and its single mapping to `application/problem+json`.
//!
//! Handlers and extractors return `ApiError`; the response carries the error as an extension
//! and `render_problems` (a middleware that knows the request's language and id) writes the
//! envelope. Responses produced outside our handlers (404 fallback, 405, timeouts, body limits)
//! get the same envelope there, so a client only ever sees one error shape.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use huijiao_core::api::{FieldProblem, Problem};
use huijiao_core::{ErrorCode, Lang, Said};
use serde::de::DeserializeOwned;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub errors: Vec<FieldError>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// One field's problem, said in both languages; the response carries the asked one.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: String,
    pub message: Said,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// For the command line (the demo seed, `create-admin`): the code and what it names.
    pub fn into_anyhow(self) -> anyhow::Error {
        anyhow::anyhow!("{}: {:?}", self.code.code(), self.errors)
    }
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: Said) -> ApiError {
        ApiError::from(ErrorCode::InvalidField).naming(field, message)
    }

    /// The same error, naming the field at fault.
    pub fn naming(mut self, field: impl Into<String>, message: Said) -> ApiError {
        self.errors.push(FieldError {
            field: field.into(),
            message,
        });
        self
    }

    /// Logs an unexpected failure once, with the detail, and returns the generic 500.
    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %err, "internal error");
        ErrorCode::Internal.into()
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError {
            code,
            errors: vec![],
            locked_until: None,
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ErrorCode::Conflict.into(),
            _ => ApiError::internal(err),
        }
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(err: sea_orm::TransactionError<ApiError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

pub fn problem_body(err: &ApiError, lang: Lang, request_id: Option<String>) -> Problem {
    let message = err.code.message(lang);
    Problem {
        type_: "about:blank".into(),
        title: message.into(),
        status: err.code.http_status(),
        code: err.code.code().into(),
        detail: message.into(),
        request_id,
        errors: err
            .errors
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                message: e.message.get(lang).to_owned(),
            })
            .collect(),
        locked_until: err.locked_until,
    }
}

/// Middleware: turns every error response into the problem envelope in the asked language.
pub async fn render_problems(req: Request, next: Next) -> Response {
    let lang = reader_lang(req.headers());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let res = next.run(req).await;
    let status = res.status();
    let err = match res.extensions().get::<ApiError>() {
        Some(err) => err.clone(),
        None if status.is_client_error() || status.is_server_error() => {
            let is_problem = res
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
            if is_problem {
                return res;
            }
            ApiError::from(match status {
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ErrorCode::NotFound,
                StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
                StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::BodyTooLarge,
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
                s if s.is_client_error() => ErrorCode::InvalidField,
                _ => ErrorCode::Internal,
            })
        }
        None => return res,
    };
    let body = problem_body(&err, lang, request_id);
    let mut out = Response::new(Body::from(
        serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec()),
    ));
    *out.status_mut() = status;
    let headers = out.headers_mut();
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            headers.insert(name.clone(), value.clone());
        }
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    out
}

/// A JSON body extractor whose rejections are our envelope, with the failing field named.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct.split(';').next().unwrap_or("").trim();
                ct == "application/json" || ct.ends_with("+json")
            });
        if !is_json {
            return Err(ErrorCode::UnsupportedMediaType.into());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::from(ErrorCode::BodyTooLarge),
                _ => ApiError::from(ErrorCode::MalformedJson),
            })?;
        // Every request body is a JSON object. serde would also fill a struct from an array
        // of its fields in order (`[]` for one whose fields are all optional): refuse that.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|&b| b != b'{')
            && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok()
        {
            return Err(ApiError::field(
                "",
                Said::new("the body must be a JSON object", "请求体须为 JSON 对象"),
            ));
        }
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut *de) {
            // One JSON value and nothing after it: `{…}GARBAGE` is not a body we understood.
            Ok(v) => match de.end() {
                Ok(()) => Ok(Json(v)),
                Err(_) => Err(ErrorCode::MalformedJson.into()),
            },
            Err(e) => {
                let inner = e.inner();
                if inner.is_syntax() || inner.is_eof() {
                    Err(ErrorCode::MalformedJson.into())
                } else {
                    let (field, said) = field_problem(&e.path().to_string(), &inner.to_string());
                    Err(ApiError::field(field, said))
                }
            }
        }
    }
}

/// The field serde refused and what is wrong with it, in both languages. A missing field is
/// named from serde's message (its path is the object that lacks it). serde's English may
/// quote the offending value; only its first part is kept so that user data is not echoed.
pub fn field_problem(path: &str, message: &str) -> (String, Said) {
    let en = message.split(" at line").next().unwrap_or("").to_owned();
    let parent = if path == "." { "" } else { path };
    let quoted = en.split('`').nth(1).unwrap_or_default();
    if en.starts_with("missing field") {
        let field = match parent {
            "" => quoted.to_owned(),
            p => format!("{p}.{quoted}"),
        };
        let said = Said::new(
            format!("{field} is required"),
            format!("缺少必填字段 {field}"),
        );
        return (field, said);
    }
    let zh = if en.starts_with("unknown field") {
        format!("未知字段 {quoted}")
    } else if en.starts_with("unknown variant") {
        let allowed = en.split("expected ").nth(1).unwrap_or_default();
        let allowed = allowed.trim_start_matches("one of ").replace('`', "");
        format!("不是允许的取值，应为 {}", allowed.replace(", ", "、"))
    } else if en.starts_with("invalid type") {
        let expected = en.split("expected ").nth(1).unwrap_or_default();
        format!("类型不符，应为 {expected}")
    } else if en.starts_with("invalid length") {
        "长度不符".into()
    } else if en.starts_with("UUID parsing failed") || en.starts_with("invalid character") {
        return (
            parent.to_owned(),
            Said::new(
                "a UUID such as 0190b5c8-0000-7000-8000-000000000001",
                "须为 UUID，如 0190b5c8-0000-7000-8000-000000000001",
            ),
        );
    } else if DATE_ERRORS.iter().any(|m| en.starts_with(m)) {
        return (
            parent.to_owned(),
            Said::new(
                "a date as YYYY-MM-DD, or a moment as RFC 3339 (2026-12-07T08:00:00+08:00)",
                "日期格式应为 YYYY-MM-DD，时刻格式应为 RFC 3339（如 2026-12-07T08:00:00+08:00）",
            ),
        );
    } else {
        "取值无效".into()
    };
    (parent.to_owned(), Said::new(en, zh))
}

/// What chrono says of a date or a moment it cannot read.
const DATE_ERRORS: [&str; 6] = [
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
    "input is out of range",
    "input is not enough",
    "no possible date and time",
];

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `Path` with our envelope on a malformed id.
pub struct Path<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_: PathRejection| ErrorCode::InvalidPath.into())
    }
}

/// The language the caller reads (`Accept-Language`, zh-CN by default): for what a handler
/// writes for people besides errors (titles, exports).
#[derive(Debug, Clone, Copy)]
pub struct Reader(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Reader(reader_lang(&parts.headers)))
    }
}

fn reader_lang(headers: &http::HeaderMap) -> Lang {
    Lang::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// `Query` with our envelope on a bad parameter.
pub struct Query<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let _ = state;
        let query = parts.uri.query().unwrap_or_default();
        query_from(query).map(Query)
    }
}

/// A query string read into `T`, the parameter at fault named on a refusal.
pub fn query_from<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
        let (field, said) = field_problem(&e.path().to_string(), &e.inner().to_string());
        ApiError::from(ErrorCode::InvalidQuery).naming(field, said)
    })
}
