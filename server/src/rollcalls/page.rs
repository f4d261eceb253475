//! The page that answers a roll call from a browser or an app's WebView (`GET /roll-call`,
//! outside the API: a static page; the call and the token come in its URL's fragment, which
//! never reaches a server). Served with a strict content policy: only its own inline script
//! and style (by their hashes), the API on the same origin, nothing else.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

const PAGE: &str = include_str!("page.html");

/// `'sha256-…'` of the text between `<tag>` and `</tag>` in the page.
fn hash_of(tag: &str) -> String {
    let open = format!("<{tag}>");
    let body = PAGE
        .split_once(&open)
        .and_then(|(_, rest)| rest.split_once(&format!("</{tag}>")))
        .map_or("", |(body, _)| body);
    let digest = Sha256::digest(body.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

static POLICY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; \
         media-src 'self' blob: mediastream:; frame-ancestors 'self'",
        hash_of("script"),
        hash_of("style")
    )
});

pub async fn answer_page() -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, POLICY.as_str()),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(PAGE),
    )
        .into_response()
}
