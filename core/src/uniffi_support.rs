//! How the types uniffi does not know cross the FFI (feature `uniffi`): ids as strings, times
//! as platform timestamps, dates as ISO `YYYY-MM-DD`, times of day as `HH:MM:SS`, free JSON and fence shapes as JSON text.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use crate::policy::location::FenceShape;

/// A foreign value that does not parse: the app sent something the API cannot mean.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Unparsable(String);

fn unparsable(what: &str, e: impl std::fmt::Display) -> uniffi::deps::anyhow::Error {
    Unparsable(format!("not a valid {what}: {e}")).into()
}

uniffi::custom_type!(Uuid, String, {
    remote,
    try_lift: |s| Uuid::parse_str(&s).map_err(|e| unparsable("id", e)),
    lower: |id| id.to_string(),
});

type UtcTime = DateTime<Utc>;
uniffi::custom_type!(UtcTime, std::time::SystemTime, { remote });

uniffi::custom_type!(NaiveDate, String, {
    remote,
    try_lift: |s| s.parse().map_err(|e| unparsable("date (YYYY-MM-DD)", e)),
    lower: |d| d.to_string(),
});

uniffi::custom_type!(NaiveTime, String, {
    remote,
    try_lift: |s| s.parse().map_err(|e| unparsable("time of day (HH:MM:SS)", e)),
    lower: |t| t.to_string(),
});

type Json = serde_json::Value;
uniffi::custom_type!(Json, String, {
    remote,
    try_lift: |s| serde_json::from_str(&s).map_err(|e| unparsable("JSON", e)),
    lower: |v| v.to_string(),
});

// GeoJSON in and out, as the map libraries of both platforms read it.
uniffi::custom_type!(FenceShape, String, {
    try_lift: |s| serde_json::from_str(&s).map_err(|e| unparsable("fence shape (GeoJSON)", e)),
    lower: |shape| serde_json::to_string(&shape).unwrap_or_default(),
});
