//! Location rules (电子围墙): fence shapes and hours, how a fix is judged against them with its
//! accuracy, the dwell state machine that turns fixes into one violation (no alert storm), and
//! the anomalies (impossible speed, silence). Pure: the server and the apps run the same code.

use crate::error::Said;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use geo::{Contains, Coord, LineString, Point, Polygon, SimplifyIdx};
use serde::{Deserialize, Serialize};

use super::calendar::local_offset;

/// Limits of a jurisdiction for location monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocationLimits {
    /// How long a violation must last (by fix time) before it is one.
    pub dwell_secs: i64,
    /// Extra distance beyond the fix's accuracy before a side of the edge is certain, metres.
    pub edge_margin_m: f64,
    /// Fixes less precise than this say nothing about fences, metres.
    pub max_accuracy_m: f64,
    /// Faster than this between two fixes (after both accuracies) is impossible, m/s
    /// (110 m/s ≈ 400 km/h, above high-speed rail).
    pub max_speed_mps: f64,
    /// No report for this many reporting intervals is a loss of contact (失联).
    pub silence_intervals: u32,
}

impl Default for LocationLimits {
    fn default() -> Self {
        LocationLimits {
            dwell_secs: 120,
            edge_margin_m: 50.0,
            max_accuracy_m: 500.0,
            max_speed_mps: 110.0,
            silence_intervals: 3,
        }
    }
}

/// Metres per degree of latitude (mean); longitude scales with cos(latitude).
const M_PER_DEG: f64 = 111_195.0;
const MAX_RING_POSITIONS: usize = 10_000;
const MAX_RINGS: usize = 50;

/// A fence's area. Polygons are GeoJSON Polygon geometries (positions are `[lon, lat]`, rings
/// closed, the first ring the boundary, the others holes); circles use the same position order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FenceShape {
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
    Circle { center: [f64; 2], radius_m: f64 },
}

/// Why a shape or schedule is refused: the offending field (relative) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenceError {
    pub field: String,
    pub message: Said,
}

fn bad(field: impl Into<String>, message: Said) -> FenceError {
    FenceError {
        field: field.into(),
        message,
    }
}

fn check_position(field: &str, p: [f64; 2]) -> Result<(), FenceError> {
    let [lon, lat] = p;
    if !lon.is_finite() || !lat.is_finite() {
        return Err(bad(
            field,
            Said::new("coordinates must be numbers", "坐标必须是数字"),
        ));
    }
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(bad(
            field,
            Said::new(
                "longitude must be -180..180 and latitude -90..90",
                "经度须在 -180 到 180 之间，纬度须在 -90 到 90 之间",
            ),
        ));
    }
    Ok(())
}

/// A validated shape in a local metric frame (equirectangular around its centre: exact enough
/// at city scale, and cheap per fix).
#[derive(Debug, Clone)]
pub struct CompiledShape {
    origin: (f64, f64),
    kx: f64,
    area: Area,
    /// `[min_lon, min_lat], [max_lon, max_lat]`.
    pub bbox: ([f64; 2], [f64; 2]),
}

#[derive(Debug, Clone)]
enum Area {
    Circle(f64),
    Polygon(Polygon<f64>),
}

impl FenceShape {
    pub fn compile(&self) -> Result<CompiledShape, FenceError> {
        match self {
            FenceShape::Circle { center, radius_m } => {
                check_position("center", *center)?;
                if !radius_m.is_finite() || !(10.0..=100_000.0).contains(radius_m) {
                    return Err(bad(
                        "radius_m",
                        Said::new("must be 10 m to 100 km", "须在 10 米到 100 公里之间"),
                    ));
                }
                let [lon, lat] = *center;
                let kx = M_PER_DEG * lat.to_radians().cos().max(1e-6);
                let (dlon, dlat) = (radius_m / kx, radius_m / M_PER_DEG);
                Ok(CompiledShape {
                    origin: (lon, lat),
                    kx,
                    area: Area::Circle(*radius_m),
                    bbox: ([lon - dlon, lat - dlat], [lon + dlon, lat + dlat]),
                })
            }
            FenceShape::Polygon { coordinates } => compile_polygon(coordinates),
        }
    }
}

fn compile_polygon(rings: &[Vec<[f64; 2]>]) -> Result<CompiledShape, FenceError> {
    if rings.is_empty() || rings.len() > MAX_RINGS {
        return Err(bad(
            "coordinates",
            Said::new(
                format!("needs 1 to {MAX_RINGS} rings"),
                format!("须有 1 到 {MAX_RINGS} 个环"),
            ),
        ));
    }
    let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
    for (r, ring) in rings.iter().enumerate() {
        if ring.len() < 4 || ring.len() > MAX_RING_POSITIONS {
            return Err(bad(
                format!("coordinates[{r}]"),
                Said::new(
                    format!("a ring needs 4 to {MAX_RING_POSITIONS} positions"),
                    format!("每个环须有 4 到 {MAX_RING_POSITIONS} 个点"),
                ),
            ));
        }
        if ring.first() != ring.last() {
            return Err(bad(
                format!("coordinates[{r}]"),
                Said::new("a ring must end where it starts", "环的终点必须与起点相同"),
            ));
        }
        for (i, p) in ring.iter().enumerate() {
            check_position(&format!("coordinates[{r}][{i}]"), *p)?;
            for k in 0..2 {
                min[k] = min[k].min(p[k]);
                max[k] = max[k].max(p[k]);
            }
        }
    }
    if max[0] - min[0] > 10.0 || max[1] - min[1] > 10.0 {
        return Err(bad(
            "coordinates",
            Said::new("a fence may span at most 10 degrees", "围栏跨度最多 10 度"),
        ));
    }
    let origin = ((min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0);
    let kx = M_PER_DEG * origin.1.to_radians().cos().max(1e-6);
    let project = |ring: &Vec<[f64; 2]>| -> LineString<f64> {
        ring.iter()
            .map(|p| Coord {
                x: (p[0] - origin.0) * kx,
                y: (p[1] - origin.1) * M_PER_DEG,
            })
            .collect()
    };
    let polygon = Polygon::new(project(&rings[0]), rings[1..].iter().map(project).collect());
    use geo::algorithm::Validation;
    if let Err(e) = polygon.check_validation() {
        // geo's messages name rings and positions, never personal data.
        return Err(bad(
            "coordinates",
            Said::new(format!("invalid polygon: {e}"), format!("多边形无效：{e}")),
        ));
    }
    Ok(CompiledShape {
        origin,
        kx,
        area: Area::Polygon(polygon),
        bbox: (min, max),
    })
}

impl CompiledShape {
    /// Distance from the edge in metres: negative inside, positive outside.
    pub fn signed_distance_m(&self, lat: f64, lon: f64) -> f64 {
        let p = Point::new(
            (lon - self.origin.0) * self.kx,
            (lat - self.origin.1) * M_PER_DEG,
        );
        match &self.area {
            Area::Circle(r) => (p.x().powi(2) + p.y().powi(2)).sqrt() - r,
            Area::Polygon(poly) => {
                // Squared distances, one square root: this runs for every fix.
                let edge = std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .flat_map(|ring| ring.lines())
                    .map(|l| segment_distance_sq(p.0, l.start, l.end))
                    .fold(f64::INFINITY, f64::min)
                    .sqrt();
                if poly.contains(&p) {
                    -edge
                } else {
                    edge
                }
            }
        }
    }
}

fn segment_distance_sq(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

/// When a fence is in force: an optional date range (China dates, inclusive) and weekly
/// windows in China time; no windows means all day.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FenceSchedule {
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub windows: Vec<FenceWindow>,
}

/// What a schedule is read from: its fields, each optional.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ScheduleFields {
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    windows: Vec<FenceWindow>,
}

/// A schedule is read from an object only: derived, serde would also take a list of its
/// fields in order (`[null, null]`), with every field optional a list nobody means.
impl<'de> Deserialize<'de> for FenceSchedule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> serde::de::Visitor<'de> for Object {
            type Value = FenceSchedule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a schedule object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<FenceSchedule, A::Error> {
                let s =
                    ScheduleFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(FenceSchedule {
                    valid_from: s.valid_from,
                    valid_until: s.valid_until,
                    windows: s.windows,
                })
            }
        }
        d.deserialize_map(Object)
    }
}

/// A weekly window. `days`: 1 = Monday … 7 = Sunday. `start`/`end` "HH:MM"; an `end` before
/// `start` runs past midnight into the next day (e.g. bars 22:00–06:00).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FenceWindow {
    pub days: Vec<u8>,
    pub start: String,
    pub end: String,
}

fn minutes(field: &str, hhmm: &str) -> Result<u32, FenceError> {
    let parsed = hhmm.split_once(':').and_then(|(h, m)| {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && hhmm.len() == 5).then_some(h * 60 + m)
    });
    parsed.ok_or_else(|| {
        bad(
            field,
            Said::new(
                "must be HH:MM (00:00 to 23:59)",
                "格式须为 HH:MM（00:00 到 23:59）",
            ),
        )
    })
}

impl FenceSchedule {
    pub fn validate(&self) -> Result<(), FenceError> {
        if let (Some(a), Some(b)) = (self.valid_from, self.valid_until) {
            if b < a {
                return Err(bad(
                    "valid_until",
                    Said::new("must not be before valid_from", "不能早于 valid_from"),
                ));
            }
        }
        if self.windows.len() > 28 {
            return Err(bad(
                "windows",
                Said::new("at most 28 windows", "最多 28 个时段"),
            ));
        }
        for (i, w) in self.windows.iter().enumerate() {
            if w.days.is_empty() || w.days.iter().any(|d| !(1..=7).contains(d)) {
                return Err(bad(
                    format!("windows[{i}].days"),
                    Said::new(
                        "days are 1 (Mon) to 7 (Sun)",
                        "星期为 1（周一）到 7（周日）",
                    ),
                ));
            }
            let s = minutes(&format!("windows[{i}].start"), &w.start)?;
            let e = minutes(&format!("windows[{i}].end"), &w.end)?;
            if s == e {
                return Err(bad(
                    format!("windows[{i}].end"),
                    Said::new("must differ from start", "不能与开始时间相同"),
                ));
            }
        }
        Ok(())
    }

    /// Whether the fence is in force at `at`. Assumes `validate` passed.
    pub fn is_active(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&local_offset());
        let date = super::calendar::local_date(at);
        if self.valid_from.is_some_and(|d| date < d) || self.valid_until.is_some_and(|d| date > d) {
            return false;
        }
        if self.windows.is_empty() {
            return true;
        }
        let now = local.hour() * 60 + local.minute();
        let today = local.weekday().number_from_monday() as u8;
        let yesterday = if today == 1 { 7 } else { today - 1 };
        self.windows.iter().any(|w| {
            let (Ok(s), Ok(e)) = (minutes("", &w.start), minutes("", &w.end)) else {
                return false;
            };
            if s < e {
                w.days.contains(&today) && (s..e).contains(&now)
            } else {
                (w.days.contains(&today) && now >= s) || (w.days.contains(&yesterday) && now < e)
            }
        })
    }
}

/// What one fix says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observation {
    /// Certainly breaking the rule.
    Violating,
    /// Certainly keeping it (or the rule is not in force).
    Clear,
    /// Too close to the edge for the fix's accuracy: changes nothing.
    Unknown,
}

/// How far a fix must be from an edge to be sure of its side.
pub fn slack_m(limits: &LocationLimits, accuracy_m: f64) -> Option<f64> {
    (accuracy_m.is_finite() && accuracy_m <= limits.max_accuracy_m)
        .then(|| accuracy_m.max(0.0) + limits.edge_margin_m)
}

/// The activity-area rule over the areas in force: inside any one of them keeps it. No area in
/// force (or leave suspends the rule) is `Clear`. `slack` is `None` for a useless fix.
pub fn observe_activity_areas(
    signed_distances: impl IntoIterator<Item = f64>,
    slack: Option<f64>,
) -> Observation {
    let mut any = false;
    let mut certainly_outside_all = true;
    for d in signed_distances {
        any = true;
        match slack {
            Some(s) if d <= -s => return Observation::Clear,
            Some(s) if d >= s => {}
            _ => certainly_outside_all = false,
        }
    }
    match (any, certainly_outside_all) {
        (false, _) => Observation::Clear,
        (true, true) => Observation::Violating,
        (true, false) => Observation::Unknown,
    }
}

/// One exclusion zone in force.
pub fn observe_exclusion_zone(signed_distance: f64, slack: Option<f64>) -> Observation {
    match slack {
        Some(s) if signed_distance <= -s => Observation::Violating,
        Some(s) if signed_distance >= s => Observation::Clear,
        _ => Observation::Unknown,
    }
}

/// The state of one rule for one supervisee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleState {
    /// Fix time of the first violating fix of the current run, while waiting out the dwell.
    pub pending_since: Option<DateTime<Utc>>,
    /// A violation is open (one alert stands for it).
    pub violating: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    None,
    /// The violation starts: open one alert.
    Open,
    /// The state cleared: close the alert.
    Close,
}

impl RuleState {
    /// Feeds one observation at fix time `at` (fixes in time order).
    pub fn step(&mut self, obs: Observation, at: DateTime<Utc>, dwell: Duration) -> Transition {
        match obs {
            Observation::Unknown => Transition::None,
            Observation::Clear => {
                self.pending_since = None;
                if std::mem::take(&mut self.violating) {
                    Transition::Close
                } else {
                    Transition::None
                }
            }
            Observation::Violating if self.violating => Transition::None,
            Observation::Violating => {
                let since = *self.pending_since.get_or_insert(at);
                if at - since >= dwell {
                    self.pending_since = None;
                    self.violating = true;
                    Transition::Open
                } else {
                    Transition::None
                }
            }
        }
    }
}

/// A position in time, for anomaly checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedFix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub at: DateTime<Utc>,
}

/// The speed between two fixes that no phone could honestly report, in m/s, or `None`. Both
/// accuracies are given to the person before judging.
pub fn impossible_speed(limits: &LocationLimits, a: &TimedFix, b: &TimedFix) -> Option<f64> {
    let secs = (b.at - a.at).num_milliseconds().abs() as f64 / 1000.0;
    let metres = super::checkin::distance_km(a.lat, a.lon, b.lat, b.lon) * 1000.0
        - a.accuracy_m.max(0.0)
        - b.accuracy_m.max(0.0);
    if metres <= 0.0 {
        return None;
    }
    // Two fixes in the same second: judge over one second rather than divide by zero.
    let speed = metres / secs.max(1.0);
    (speed > limits.max_speed_mps).then_some(speed)
}

/// Whether a phone that should report every `interval_minutes` has been silent too long.
pub fn is_silent(
    limits: &LocationLimits,
    last_heard: DateTime<Utc>,
    interval_minutes: u32,
    now: DateTime<Utc>,
) -> bool {
    now - last_heard
        > Duration::minutes(i64::from(interval_minutes) * i64::from(limits.silence_intervals))
}

/// Indices of the fixes to draw for a track (Ramer–Douglas–Peucker in metres): the first and
/// last are always kept.
pub fn simplify_track(points: &[(f64, f64)], tolerance_m: f64) -> Vec<usize> {
    if points.len() <= 2 {
        return (0..points.len()).collect();
    }
    let (lat0, lon0) = points[0];
    let kx = M_PER_DEG * lat0.to_radians().cos().max(1e-6);
    let line: LineString<f64> = points
        .iter()
        .map(|&(lat, lon)| Coord {
            x: (lon - lon0) * kx,
            y: (lat - lat0) * M_PER_DEG,
        })
        .collect();
    line.simplify_idx(tolerance_m.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_is_an_object_not_a_list_of_its_fields() {
        let s: FenceSchedule =
            serde_json::from_str(r#"{"valid_from":"2026-01-01","windows":[]}"#).unwrap();
        assert_eq!(s.valid_from, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(
            serde_json::from_str::<FenceSchedule>("{}").unwrap(),
            FenceSchedule::default()
        );
        assert!(serde_json::from_str::<FenceSchedule>("[null, null]").is_err());
        assert!(serde_json::from_str::<FenceSchedule>(r#"{"other":1}"#).is_err());
    }
    use chrono::TimeZone;

    /// A square of about 2 × 2 km around (31.0 N, 121.0 E).
    fn square() -> FenceShape {
        let (d_lat, d_lon) = (
            1000.0 / M_PER_DEG,
            1000.0 / (M_PER_DEG * 31f64.to_radians().cos()),
        );
        let ring = vec![
            [121.0 - d_lon, 31.0 - d_lat],
            [121.0 + d_lon, 31.0 - d_lat],
            [121.0 + d_lon, 31.0 + d_lat],
            [121.0 - d_lon, 31.0 + d_lat],
            [121.0 - d_lon, 31.0 - d_lat],
        ];
        FenceShape::Polygon {
            coordinates: vec![ring],
        }
    }

    fn north_of_centre(metres: f64) -> (f64, f64) {
        (31.0 + metres / M_PER_DEG, 121.0)
    }

    /// China time on Monday 2026-11-23.
    fn cst(day_offset: i64, h: u32, m: u32) -> DateTime<Utc> {
        local_offset()
            .with_ymd_and_hms(2026, 11, 23, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
            + Duration::days(day_offset)
    }

    #[test]
    fn polygon_distance_is_signed_metres() {
        let s = square().compile().unwrap();
        let (lat, lon) = north_of_centre(0.0);
        assert!((s.signed_distance_m(lat, lon) + 1000.0).abs() < 1.0);
        let (lat, lon) = north_of_centre(900.0);
        assert!((s.signed_distance_m(lat, lon) + 100.0).abs() < 1.0);
        let (lat, lon) = north_of_centre(1300.0);
        assert!((s.signed_distance_m(lat, lon) - 300.0).abs() < 1.0);
    }

    #[test]
    fn holes_are_outside() {
        let FenceShape::Polygon { mut coordinates } = square() else {
            unreachable!()
        };
        let d = 0.001;
        coordinates.push(vec![
            [121.0 - d, 31.0 - d],
            [121.0 - d, 31.0 + d],
            [121.0 + d, 31.0 + d],
            [121.0 + d, 31.0 - d],
            [121.0 - d, 31.0 - d],
        ]);
        let s = FenceShape::Polygon { coordinates }.compile().unwrap();
        assert!(s.signed_distance_m(31.0, 121.0) > 90.0);
        let (lat, lon) = north_of_centre(500.0);
        assert!(s.signed_distance_m(lat, lon) < 0.0);
    }

    #[test]
    fn circle_distance() {
        let c = FenceShape::Circle {
            center: [121.0, 31.0],
            radius_m: 200.0,
        }
        .compile()
        .unwrap();
        assert!((c.signed_distance_m(31.0, 121.0) + 200.0).abs() < 1e-6);
        let (lat, lon) = north_of_centre(500.0);
        assert!((c.signed_distance_m(lat, lon) - 300.0).abs() < 1.0);
        assert!(c.bbox.0[1] < 31.0 && c.bbox.1[1] > 31.0);
    }

    #[test]
    fn bad_shapes_are_refused_with_the_field() {
        let err = |s: FenceShape| s.compile().unwrap_err();
        let bowtie = FenceShape::Polygon {
            coordinates: vec![vec![
                [121.0, 31.0],
                [121.01, 31.01],
                [121.01, 31.0],
                [121.0, 31.01],
                [121.0, 31.0],
            ]],
        };
        assert!(err(bowtie).message.en.contains("invalid polygon"));
        let open = FenceShape::Polygon {
            coordinates: vec![vec![
                [121.0, 31.0],
                [121.01, 31.0],
                [121.01, 31.01],
                [121.0, 31.02],
            ]],
        };
        assert_eq!(err(open).field, "coordinates[0]");
        let nan = FenceShape::Polygon {
            coordinates: vec![vec![
                [121.0, 31.0],
                [f64::NAN, 31.0],
                [121.01, 31.01],
                [121.0, 31.0],
            ]],
        };
        assert_eq!(err(nan).field, "coordinates[0][1]");
        let far = FenceShape::Circle {
            center: [121.0, 91.0],
            radius_m: 100.0,
        };
        assert_eq!(err(far).field, "center");
        let tiny = FenceShape::Circle {
            center: [121.0, 31.0],
            radius_m: 1.0,
        };
        assert_eq!(err(tiny).field, "radius_m");
        let none = FenceShape::Polygon {
            coordinates: vec![],
        };
        assert_eq!(err(none).field, "coordinates");
    }

    #[test]
    fn geojson_round_trip() {
        let json = serde_json::json!({"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.0]]]});
        let shape: FenceShape = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&shape).unwrap(), json);
        let circle: FenceShape = serde_json::from_value(
            serde_json::json!({"type": "Circle", "center": [121.0, 31.0], "radius_m": 300.0}),
        )
        .unwrap();
        assert!(matches!(circle, FenceShape::Circle { .. }));
        assert!(serde_json::from_value::<FenceShape>(
            serde_json::json!({"type": "Point", "coordinates": [1.0, 2.0]})
        )
        .is_err());
    }

    #[test]
    fn schedules_switch_on_and_off() {
        let evenings = FenceSchedule {
            windows: vec![FenceWindow {
                days: vec![1, 2, 3, 4, 5],
                start: "22:00".into(),
                end: "06:00".into(),
            }],
            ..Default::default()
        };
        evenings.validate().unwrap();
        assert!(!evenings.is_active(cst(0, 21, 59))); // Monday evening, before
        assert!(evenings.is_active(cst(0, 22, 0)));
        assert!(evenings.is_active(cst(1, 5, 59))); // Tuesday early: Monday's window
        assert!(!evenings.is_active(cst(1, 6, 0)));
        assert!(!evenings.is_active(cst(5, 23, 0))); // Saturday night: not listed
        assert!(evenings.is_active(cst(5, 1, 0))); // Saturday 01:00: Friday's window runs on
        let school = FenceSchedule {
            valid_from: Some(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            valid_until: Some(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
            windows: vec![FenceWindow {
                days: vec![2, 3],
                start: "07:30".into(),
                end: "17:00".into(),
            }],
        };
        school.validate().unwrap();
        assert!(!school.is_active(cst(0, 9, 0))); // Monday: before the range
        assert!(school.is_active(cst(1, 7, 30)));
        assert!(!school.is_active(cst(1, 17, 0)));
        assert!(!school.is_active(cst(7 + 1, 9, 0))); // next Tuesday: after the range
        assert!(FenceSchedule::default().is_active(cst(0, 3, 0)));
    }

    #[test]
    fn bad_schedules_are_refused() {
        let w = |days: Vec<u8>, s: &str, e: &str| FenceSchedule {
            windows: vec![FenceWindow {
                days,
                start: s.into(),
                end: e.into(),
            }],
            ..Default::default()
        };
        assert_eq!(
            w(vec![8], "08:00", "09:00").validate().unwrap_err().field,
            "windows[0].days"
        );
        assert_eq!(
            w(vec![], "08:00", "09:00").validate().unwrap_err().field,
            "windows[0].days"
        );
        assert_eq!(
            w(vec![1], "24:00", "09:00").validate().unwrap_err().field,
            "windows[0].start"
        );
        assert_eq!(
            w(vec![1], "8:00", "09:00").validate().unwrap_err().field,
            "windows[0].start"
        );
        assert_eq!(
            w(vec![1], "09:00", "09:00").validate().unwrap_err().field,
            "windows[0].end"
        );
        let backwards = FenceSchedule {
            valid_from: NaiveDate::from_ymd_opt(2026, 2, 1),
            valid_until: NaiveDate::from_ymd_opt(2026, 1, 1),
            windows: vec![],
        };
        assert_eq!(backwards.validate().unwrap_err().field, "valid_until");
    }

    #[test]
    fn accuracy_and_margin_make_an_edge_band() {
        let limits = LocationLimits::default();
        let slack = slack_m(&limits, 30.0); // 80 m
        assert_eq!(observe_activity_areas([-100.0], slack), Observation::Clear);
        assert_eq!(observe_activity_areas([-50.0], slack), Observation::Unknown);
        assert_eq!(observe_activity_areas([50.0], slack), Observation::Unknown);
        assert_eq!(
            observe_activity_areas([100.0], slack),
            Observation::Violating
        );
        // Inside one of two areas is enough; outside both is not.
        assert_eq!(
            observe_activity_areas([500.0, -90.0], slack),
            Observation::Clear
        );
        assert_eq!(
            observe_activity_areas([500.0, 90.0], slack),
            Observation::Violating
        );
        assert_eq!(
            observe_activity_areas([500.0, 10.0], slack),
            Observation::Unknown
        );
        // No area in force: nothing to break.
        assert_eq!(observe_activity_areas([], slack), Observation::Clear);
        assert_eq!(
            observe_exclusion_zone(-100.0, slack),
            Observation::Violating
        );
        assert_eq!(observe_exclusion_zone(-10.0, slack), Observation::Unknown);
        assert_eq!(observe_exclusion_zone(100.0, slack), Observation::Clear);
        // A fix too imprecise tells nothing.
        let useless = slack_m(&limits, 2000.0);
        assert_eq!(useless, None);
        assert_eq!(
            observe_activity_areas([5000.0], useless),
            Observation::Unknown
        );
        assert_eq!(
            observe_exclusion_zone(-5000.0, useless),
            Observation::Unknown
        );
        assert_eq!(slack_m(&limits, f64::NAN), None);
    }

    #[test]
    fn dwell_opens_once_and_clears_once() {
        let dwell = Duration::seconds(120);
        let t = |s: i64| cst(0, 10, 0) + Duration::seconds(s);
        let mut st = RuleState::default();
        assert_eq!(
            st.step(Observation::Violating, t(0), dwell),
            Transition::None
        );
        assert_eq!(
            st.step(Observation::Unknown, t(60), dwell),
            Transition::None
        );
        assert_eq!(
            st.step(Observation::Violating, t(119), dwell),
            Transition::None
        );
        assert_eq!(
            st.step(Observation::Violating, t(120), dwell),
            Transition::Open
        );
        for s in 121..200 {
            assert_eq!(
                st.step(Observation::Violating, t(s), dwell),
                Transition::None
            );
        }
        assert_eq!(
            st.step(Observation::Unknown, t(300), dwell),
            Transition::None
        );
        assert!(st.violating);
        assert_eq!(
            st.step(Observation::Clear, t(400), dwell),
            Transition::Close
        );
        assert_eq!(st.step(Observation::Clear, t(500), dwell), Transition::None);
        // A short excursion resets the dwell.
        assert_eq!(
            st.step(Observation::Violating, t(600), dwell),
            Transition::None
        );
        assert_eq!(st.step(Observation::Clear, t(650), dwell), Transition::None);
        assert_eq!(
            st.step(Observation::Violating, t(700), dwell),
            Transition::None
        );
        assert_eq!(st.pending_since, Some(t(700)));
        // Zero dwell opens at once.
        let mut now = RuleState::default();
        assert_eq!(
            now.step(Observation::Violating, t(0), Duration::zero()),
            Transition::Open
        );
    }

    #[test]
    fn speed_allows_for_accuracy_and_trains() {
        let limits = LocationLimits::default();
        let at = cst(0, 10, 0);
        let a = TimedFix {
            lat: 31.0,
            lon: 121.0,
            accuracy_m: 20.0,
            at,
        };
        // 300 km/h train: 5 km in 60 s.
        let train = TimedFix {
            lat: 31.0 + 5000.0 / M_PER_DEG,
            at: at + Duration::seconds(60),
            ..a
        };
        assert_eq!(impossible_speed(&limits, &a, &train), None);
        // 50 km in 60 s.
        let jump = TimedFix {
            lat: 31.0 + 50_000.0 / M_PER_DEG,
            at: at + Duration::seconds(60),
            ..a
        };
        assert!(impossible_speed(&limits, &a, &jump).unwrap() > 800.0);
        // Jitter within accuracy in the same second is no jump.
        let jitter = TimedFix {
            lat: 31.0 + 30.0 / M_PER_DEG,
            ..a
        };
        assert_eq!(impossible_speed(&limits, &a, &jitter), None);
    }

    #[test]
    fn silence_counts_intervals() {
        let limits = LocationLimits::default();
        let t = cst(0, 10, 0);
        assert!(!is_silent(&limits, t, 10, t + Duration::minutes(30)));
        assert!(is_silent(&limits, t, 10, t + Duration::minutes(31)));
        assert!(!is_silent(&limits, t, 60, t + Duration::minutes(179)));
    }

    #[test]
    fn track_simplification_keeps_corners() {
        let mut pts: Vec<(f64, f64)> = (0..=100)
            .map(|i| (31.0 + f64::from(i) * 10.0 / M_PER_DEG, 121.0))
            .collect();
        let corner = *pts.last().unwrap();
        pts.extend((1..=100).map(|i| (corner.0, 121.0 + f64::from(i) * 1e-4)));
        let kept = simplify_track(&pts, 5.0);
        assert_eq!(kept, vec![0, 100, 200]);
        assert_eq!(simplify_track(&pts[..1], 5.0), vec![0]);
    }
}
