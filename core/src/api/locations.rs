//! Location reports, fences, tracks and positions.

use super::*;

request_type! {
    /// One fix from the phone.
    pub struct LocationPointIn {
        pub lat: f64,
        pub lon: f64,
        /// Metres, as the platform reports it.
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        #[serde(default)]
        pub speed_mps: Option<f64>,
        pub provider: LocationProvider,
        /// The platform says the fix came from a mock (fake) location provider.
        pub mock: bool,
        /// Percent, 0–100.
        #[serde(default)]
        pub battery: Option<u8>,
    }
}

request_type! {
    pub struct LocationBatchRequest {
        /// Chosen by the phone once per batch: a retry with the same id stores nothing twice.
        pub batch_id: Uuid,
        #[cfg_attr(feature = "openapi", schema(min_items = 1))]
        pub points: Vec<LocationPointIn>,
    }
}

view_type! {
    pub struct LocationBatchResult {
        pub batch_id: Uuid,
        pub accepted: u32,
        /// This batch had been delivered before; nothing was stored again.
        pub duplicate: bool,
        /// Minutes until the next report, from the supervision level in force.
        pub interval_minutes: u32,
    }
}

request_type! {
    /// A fence for one supervisee (optionally under one of their prohibition orders) or for
    /// everyone in a unit. Exactly one of `case_id` and `unit_id`.
    pub struct FenceRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub name: String,
        pub kind: FenceKind,
        pub shape: crate::policy::location::FenceShape,
        #[serde(default)]
        pub schedule: crate::policy::location::FenceSchedule,
        #[serde(default)]
        pub case_id: Option<Uuid>,
        /// Index into the case's prohibition orders (禁止令) this zone enforces.
        #[serde(default)]
        pub prohibition_order: Option<u32>,
        #[serde(default)]
        pub unit_id: Option<Uuid>,
    }
}

request_type! {
    /// Redraws a fence; its kind and owner stay.
    pub struct FenceUpdateRequest {
        /// The version the officer saw; a stale screen gets `resource.conflict`.
        pub version: i32,
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub name: String,
        pub shape: crate::policy::location::FenceShape,
        #[serde(default)]
        pub schedule: crate::policy::location::FenceSchedule,
    }
}

view_type! {
    pub struct FenceView {
        pub id: Uuid,
        pub name: String,
        pub kind: FenceKind,
        pub shape: crate::policy::location::FenceShape,
        pub schedule: crate::policy::location::FenceSchedule,
        pub case_id: Option<Uuid>,
        pub prohibition_order: Option<u32>,
        pub unit_id: Option<Uuid>,
        /// In force at the time of the answer (schedule and date range).
        pub active_now: bool,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub archived_at: Option<DateTime<Utc>>,
        pub version: i32,
    }
}

view_type! {
    pub struct TrackPoint {
        pub lat: f64,
        pub lon: f64,
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        pub mock: bool,
    }
}

view_type! {
    pub struct TrackView {
        pub case_id: Uuid,
        /// Points stored in the range before simplification.
        pub total_points: u64,
        /// The simplified polyline, in time order.
        pub points: Vec<TrackPoint>,
        /// The range held more points than one answer reads: narrow it.
        pub truncated: bool,
    }
}

view_type! {
    pub struct PositionView {
        pub case_id: Uuid,
        /// Masked for minors.
        pub name: String,
        pub lat: f64,
        pub lon: f64,
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        pub received_at: DateTime<Utc>,
        pub battery: Option<u8>,
        pub mock: bool,
        /// No report for longer than the level allows (失联).
        pub silent: bool,
    }
}
