//! Face enrolment, check-ins, sensitive periods, obligations and check-in requests.

use super::*;

request_type! {
    pub struct FaceEnrolRequest {
        /// 1–5 reference photos taken at the office, JPEG or PNG, base64.
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
        pub photos: Vec<String>,
    }
}

view_type! {
    pub struct FaceTemplateView {
        pub version: i32,
        pub reference_count: i32,
        pub model: String,
        pub created_by: Uuid,
        pub created_at: DateTime<Utc>,
        /// On the answer to an enrolment: how many other active cases have this same face
        /// enrolled. Anything but 0 is for the officer to check at once (one person under two
        /// identities, or photos mixed up at intake); the match is in the audit log.
        #[serde(default)]
        pub same_face_cases: u32,
    }
}

view_type! {
    /// A single-use code binding the next check-in to this supervisee and phone, and the
    /// head poses it asks for (active liveness): one photo each, in this order. The first is
    /// always `straight` (the photo that is matched and kept); a jurisdiction in single-photo
    /// mode asks for that one only.
    pub struct ChallengeView {
        pub nonce: String,
        pub expires_at: DateTime<Utc>,
        #[serde(default)]
        pub poses: Vec<crate::policy::liveness::Pose>,
    }
}

view_type! {
    pub struct GpsFix {
        pub lat: f64,
        pub lon: f64,
        /// Horizontal accuracy, metres.
        pub accuracy_m: f64,
        pub fix_time: DateTime<Utc>,
        /// gps, network, fused…
        #[cfg_attr(feature = "openapi", schema(max_length = 32))]
        pub provider: String,
        /// The OS reports a mock-location provider.
        pub mock: bool,
    }
}

impl From<&GpsFix> for crate::policy::checkin::Fix {
    fn from(f: &GpsFix) -> Self {
        crate::policy::checkin::Fix {
            lat: f.lat,
            lon: f.lon,
            accuracy_m: f.accuracy_m,
            fix_time: f.fix_time,
            mock: f.mock,
        }
    }
}

request_type! {
    pub struct CheckinRequest {
        pub nonce: String,
        /// The selfie looking straight (the code's first pose), JPEG or PNG, base64.
        pub photo: String,
        /// One photo for each further pose of the code, in order (frames as the camera sees
        /// them, not the mirrored preview). Without them — a check-in taken offline, before
        /// any code — the face's liveness is unproven and an officer reviews the check-in.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_items = 2))]
        pub frames: Vec<String>,
        pub location: GpsFix,
        #[cfg_attr(feature = "openapi", schema(max_length = 64))]
        pub app_version: String,
        /// Chosen by the app per check-in; sending it again returns the first result.
        #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
        pub idempotency_key: String,
    }
}

view_type! {
    pub struct CheckinView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub result: crate::policy::checkin::CheckinResult,
        pub reasons: Vec<crate::policy::checkin::CheckinReason>,
        /// Face distance to the enrolled template (lower is closer; dlib threshold 0.6).
        pub face_distance: Option<f64>,
        pub created_at: DateTime<Utc>,
        /// On the answer to a submission (and its retries): whether it meets its scheduled
        /// window, which window, and the day's hours, so the app can say "this does not count:
        /// check-ins count from 08:00". Absent in lists.
        #[serde(default)]
        pub counted: Option<crate::policy::schedule::WindowCount>,
        /// Moves when an officer reviews it; a review names the version it saw.
        #[serde(default = "one")]
        pub version: i32,
        /// An officer's decision on a doubtful check-in, once made (the supervisee sees it).
        #[serde(default)]
        pub review: Option<CheckinReviewView>,
    }
}

fn one() -> i32 {
    1
}

view_type! {
    /// Who decided a doubtful check-in, how and why.
    pub struct CheckinReviewView {
        pub decision: crate::policy::checkin::CheckinAction,
        pub note: String,
        pub reviewed_by: Uuid,
        pub reviewed_at: DateTime<Utc>,
    }
}

request_type! {
    /// An officer's decision on a check-in that needs review.
    pub struct CheckinReviewRequest {
        pub decision: crate::policy::checkin::CheckinAction,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub note: String,
        /// The version the officer saw; a check-in reviewed since is a 409.
        #[serde(default)]
        pub version: Option<i32>,
    }
}

view_type! {
    /// The day's check-in tries: failed and doubtful check-ins and poses not shown count, over
    /// the last 24 hours or since an officer last reset them. At the limit the check-in code
    /// is refused (429) until the officer resets the tries.
    pub struct CheckinTriesView {
        pub used: u32,
        pub limit: u32,
        pub remaining: u32,
        /// When the count starts: 24 hours ago, or the last reset.
        pub since: DateTime<Utc>,
        pub last_reset_at: Option<DateTime<Utc>>,
    }
}

request_type! {
    /// An officer gives the supervisee the day's tries again (after a call, a bad camera, a
    /// photo retaken at the office). Audited.
    pub struct CheckinTriesReset {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
        pub reason: String,
    }
}

request_type! {
    pub struct SensitivePeriodRequest {
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        pub name: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
    }
}

view_type! {
    pub struct SensitivePeriodView {
        pub id: Uuid,
        pub name: String,
        pub start_date: NaiveDate,
        pub end_date: NaiveDate,
    }
}

view_type! {
    /// What the supervisee must do now, from the jurisdiction policy.
    pub struct ObligationsView {
        pub level: SupervisionLevel,
        /// One stricter during a sensitive period.
        pub effective_level: SupervisionLevel,
        pub in_sensitive_period: bool,
        pub checkin_every_days: u32,
        pub location_interval_minutes: u32,
        pub window: crate::policy::schedule::Window,
        pub window_closes_at: DateTime<Utc>,
        /// A passed check-in already counts for the current window.
        pub window_met: bool,
    }
}

request_type! {
    pub struct CheckinRequestCreate {
        /// Minutes the supervisee has; default by level (strict 30, normal 60, lenient 120).
        #[serde(default)]
        pub deadline_minutes: Option<i64>,
    }
}

view_type! {
    pub struct CheckinRequestView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub requested_by: Option<Uuid>,
        pub deadline: DateTime<Utc>,
        pub status: CheckinRequestStatus,
        pub checkin_id: Option<Uuid>,
    }
}
