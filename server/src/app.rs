//! The router: domain routes under `/api/v1`, the OpenAPI document and its browsable UI,
//! health and metrics, and the middleware stack (request ids, tracing, timeouts, body limits,
//! CORS, problem rendering).

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use huijiao_core::api::HealthView;
use huijiao_core::ErrorCode;
use sea_orm::ConnectionTrait;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::domain::Domain;
use crate::error::{render_problems, ApiError, Json};
use crate::jobs::Job;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Huijiao API", description = "Community corrections (社区矫正). Errors are RFC 7807 `application/problem+json` with a stable `code`; messages follow `Accept-Language` (zh-CN default, en)."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Errors are sent as `application/problem+json` (RFC 7807) and the document says which an
/// operation can answer: 401 and 403 for a signed-in call (no session; wrong role or out of
/// scope), 404 where the path names a record, 400 and 422 where it takes a body or a query,
/// 413 for a body; anything else (409, 429, 500, 503…) is the `default` response, the same
/// envelope. Sign-in, refresh and checking a certificate need no token (`security: [{}]`). Applied to the merged
/// document (the derive's modifiers run before the routes add their paths).
struct ProblemJson;

impl utoipa::Modify for ProblemJson {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::security::SecurityRequirement;
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |description: &str| -> RefOr<utoipa::openapi::Response> {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
                .into()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let public = is_public(path);
            let ops = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                // Handlers' names repeat across domains (`of_case`, `list`…); the spec wants
                // each operation's id unique, and generated clients name methods after it.
                op.operation_id = Some(operation_id(method, path));
                for response in op.responses.responses.values_mut() {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    let is_problem = response.content.get("application/json").is_some_and(|c| {
                        matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"))
                    });
                    if is_problem {
                        if let Some(content) = response.content.shift_remove("application/json") {
                            response
                                .content
                                .insert("application/problem+json".into(), content);
                        }
                    }
                }
                let has_query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Query));
                let has_body = op.request_body.is_some();
                let mut owed = vec![];
                if public {
                    op.security = Some(vec![SecurityRequirement::default()]);
                } else {
                    owed.push(("401", "Not signed in, or the session has ended (`auth.*`)."));
                    owed.push((
                        "403",
                        "Not this role's, or outside the caller's scope (`access.forbidden`, …).",
                    ));
                }
                if path.contains('{') {
                    owed.push((
                        "404",
                        "No such record within the caller's scope, or an invalid id in the path.",
                    ));
                }
                if has_body || has_query {
                    owed.push(("400", "Malformed body or query (`request.*`)."));
                }
                if has_body {
                    owed.push(("413", "The body is larger than this operation takes."));
                    owed.push(("422", "A field is invalid; `errors` names it."));
                }
                owed.push(("default", "Any other outcome (conflict, too many attempts, unavailable…): the problem envelope, with its `code`."));
                for (status, description) in owed {
                    op.responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| problem(description));
                }
            }
        }
    }
}

/// `GET /cases/{id}/help-sessions` → `get_cases_id_help_sessions`: unique, as the method and
/// path are.
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            id.push('_');
            id.push_str(word);
        }
    }
    id
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// Every domain, in the order of the API document (and of the job runs): a new domain is one
/// line here (and `pub mod` in `lib.rs`). A handler whose tag has no domain fails
/// `openapi::every_operation_tag_is_declared`; a domain left out of this list leaves its
/// handlers unused, which the build refuses.
pub const DOMAINS: &[&Domain] = &[
    &crate::auth::DOMAIN,
    &crate::org::DOMAIN,
    &crate::cases::DOMAIN,
    &crate::investigations::DOMAIN,
    &crate::requests::DOMAIN,
    &crate::checkins::DOMAIN,
    &crate::locations::DOMAIN,
    &crate::rollcalls::DOMAIN,
    &crate::learning::DOMAIN,
    &crate::service::DOMAIN,
    &crate::sanctions::DOMAIN,
    &crate::casefile::DOMAIN,
    &crate::assessments::DOMAIN,
    &crate::visits::DOMAIN,
    &crate::help::DOMAIN,
    &crate::alerts::DOMAIN,
    &crate::queue::DOMAIN,
    &crate::audit::DOMAIN,
];

/// Every domain's jobs, in the order of `DOMAINS`.
pub fn jobs() -> impl Iterator<Item = &'static Job> + Clone {
    DOMAINS.iter().flat_map(|d| d.jobs.iter())
}

/// Runs every domain's jobs once (what the timer does; tests call it to let time pass).
pub async fn run_jobs(state: &AppState) -> crate::error::ApiResult<crate::jobs::JobReport> {
    crate::jobs::run(state, jobs()).await
}

/// Whether the API operation `path` (as the document names it) is called without a token.
fn is_public(path: &str) -> bool {
    DOMAINS.iter().any(|d| d.public.contains(&path))
}

/// The API routes and their OpenAPI document, built from the handlers' annotations.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let mut doc = ApiDoc::openapi();
    doc.tags = Some(
        DOMAINS
            .iter()
            .map(|d| utoipa::openapi::tag::Tag::new(d.tag))
            .collect(),
    );
    let (router, mut doc) = DOMAINS
        .iter()
        .fold(OpenApiRouter::with_openapi(doc), |router, d| {
            router.merge((d.routes)())
        })
        .split_for_parts();
    utoipa::Modify::modify(&ProblemJson, &mut doc);
    (router, doc)
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = api();
    let cfg = state.config.clone();
    let page = axum::response::Html(crate::apidoc::page(&doc));
    let api = api
        .route("/openapi.json", get(move || async move { axum::Json(doc) }))
        .route("/events", get(crate::events::ws))
        .route("/docs", get(move || async move { page }))
        .fallback(|| async { ApiError::from(ErrorCode::NotFound) });

    let cors = if cfg.cors_origins.is_empty() {
        CorsLayer::new()
    } else {
        let origins: Vec<HeaderValue> = cfg
            .cors_origins
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                axum::http::header::AUTHORIZATION,
                axum::http::header::CONTENT_TYPE,
                axum::http::header::ACCEPT_LANGUAGE,
                HeaderName::from_static("x-device-id"),
                HeaderName::from_static("idempotency-key"),
            ])
    };
    let request_id = HeaderName::from_static("x-request-id");

    let pages = DOMAINS
        .iter()
        .filter_map(|d| d.pages)
        .fold(Router::new(), |r, pages| r.merge(pages()));
    Router::new()
        .nest("/api/v1", api)
        .merge(pages)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .fallback(|| async { ApiError::from(ErrorCode::NotFound) })
        // A bug that panics in a handler answers 500 in the envelope (and is logged) instead
        // of dropping the connection: the client can tell "our fault" from "no network".
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            ApiError::internal("a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn_with_state(
            TimeLimits {
                request: Duration::from_secs(cfg.request_timeout_secs),
                upload: Duration::from_secs(cfg.upload_timeout_secs),
            },
            time_limit,
        ))
        .layer(middleware::from_fn(render_problems))
        .layer(middleware::from_fn(track_metrics))
        .layer(axum::extract::DefaultBodyLimit::max(cfg.max_body_bytes))
        .layer(cors)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            // Path only: query strings may carry search terms about people.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

async fn healthz() -> Json<HealthView> {
    Json(HealthView {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Result<Json<HealthView>, ApiError> {
    state.db.execute_unprepared("SELECT 1").await.map_err(|e| {
        tracing::warn!(error = %e, "database not ready");
        ApiError::from(ErrorCode::Unavailable)
    })?;
    Ok(Json(HealthView {
        status: "ready".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(handle) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4",
            )],
            handle.render(),
        )
            .into_response(),
        None => ApiError::from(ErrorCode::NotFound).into_response(),
    }
}

#[derive(Clone, Copy)]
struct TimeLimits {
    request: Duration,
    upload: Duration,
}

/// Ends a request that runs past its limit with `request.timeout` (after routing, so the
/// route is known). A domain's uploads (`Domain::uploads`) run for `upload_timeout_secs`,
/// every other request for `request_timeout_secs` (a lesson's video over a slow link takes
/// minutes; nothing else should).
async fn time_limit(State(limits): State<TimeLimits>, req: Request, next: Next) -> Response {
    let upload = req.extensions().get::<MatchedPath>().is_some_and(|p| {
        let path = p.as_str().strip_prefix("/api/v1").unwrap_or_default();
        DOMAINS
            .iter()
            .flat_map(|d| d.uploads)
            .any(|(m, upload)| req.method() == m && path == *upload)
    });
    let limit = if upload {
        limits.upload
    } else {
        limits.request
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError::from(ErrorCode::RequestTimeout).into_response(),
    }
}

/// Request count and latency per route template (never the concrete path: ids are not labels).
async fn track_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let labels = [
        ("method", method),
        ("route", route),
        ("status", res.status().as_u16().to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn job_names_are_unique_and_their_locks_differ() {
        let mut keys: Vec<_> = super::jobs()
            .map(|j| crate::jobs::name_key(j.name))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), super::jobs().count());
    }

    #[test]
    fn tags_public_operations_and_uploads_are_each_one_domains() {
        let mut tags: Vec<_> = super::DOMAINS.iter().map(|d| d.tag).collect();
        tags.sort();
        tags.dedup();
        assert_eq!(tags.len(), super::DOMAINS.len());
        let doc = super::openapi();
        for d in super::DOMAINS {
            for path in d.public.iter().chain(d.uploads.iter().map(|(_, p)| p)) {
                let item = doc.paths.paths.get(*path);
                assert!(item.is_some(), "{}: {path} is not an operation", d.tag);
            }
        }
    }
}
