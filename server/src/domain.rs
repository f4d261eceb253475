//! What a domain hands the server, in one value its folder exports (`pub const DOMAIN`):
//! its OpenAPI tag and routes, its periodic jobs, the operations called without a token, the
//! routes that stream a large upload, and pages served outside the API. `app::DOMAINS` lists
//! the domains once; the router, the API document, the time limits and the job runner read
//! everything else from here.

use axum::http::Method;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::jobs::Job;
use crate::state::AppState;

pub struct Domain {
    /// Its tag in the API document (and the order of the document's tags).
    pub tag: &'static str,
    /// Its operations under `/api/v1`, with their OpenAPI annotations.
    pub routes: fn() -> OpenApiRouter<AppState>,
    /// Its periodic jobs, run in this order after the domains before it.
    pub jobs: &'static [Job],
    /// Its operations called without a token (paths as the API document names them).
    pub public: &'static [&'static str],
    /// Its operations that take a large file as it streams in: they run for
    /// `upload_timeout_secs` instead of `request_timeout_secs`.
    pub uploads: &'static [(Method, &'static str)],
    /// Pages it serves outside `/api/v1` (the web page a roll call's link opens).
    pub pages: Option<fn() -> Router<AppState>>,
}

impl Domain {
    /// A domain with routes only; the builders below add the rest.
    pub const fn new(tag: &'static str, routes: fn() -> OpenApiRouter<AppState>) -> Domain {
        Domain {
            tag,
            routes,
            jobs: &[],
            public: &[],
            uploads: &[],
            pages: None,
        }
    }

    pub const fn jobs(mut self, jobs: &'static [Job]) -> Domain {
        self.jobs = jobs;
        self
    }

    pub const fn public(mut self, paths: &'static [&'static str]) -> Domain {
        self.public = paths;
        self
    }

    pub const fn uploads(mut self, uploads: &'static [(Method, &'static str)]) -> Domain {
        self.uploads = uploads;
        self
    }

    pub const fn pages(mut self, pages: fn() -> Router<AppState>) -> Domain {
        self.pages = Some(pages);
        self
    }
}
