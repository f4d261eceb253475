//! Group lectures (集中学习): scheduled by a unit at a venue, attended by scanning the officer's
//! rotating QR code on site (with a GPS fix inside the venue) or marked by an officer.

use super::*;
use crate::policy::learning::CourseCategory;
use crate::policy::lecture::{AttendanceMark, AttendanceMethod};

request_type! {
    /// A lecture as scheduled: for everyone under `unit_id` (the officer's unit or one below).
    pub struct LectureCreate {
        pub unit_id: Uuid,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub title: String,
        pub category: CourseCategory,
        /// The venue as people know it (an address, a hall).
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub place: String,
        pub lat: f64,
        pub lon: f64,
        /// How far from the point a fix still counts as inside the venue, metres.
        #[cfg_attr(feature = "openapi", schema(minimum = 20, maximum = 2000))]
        pub radius_m: u32,
        pub starts_at: DateTime<Utc>,
        /// At most 8 hours after the start.
        pub ends_at: DateTime<Utc>,
    }
}

view_type! {
    /// A person's attendance at a lecture.
    pub struct LectureAttendanceView {
        pub lecture_id: Uuid,
        pub case_id: Uuid,
        /// Masked for minors and for volunteers.
        pub name: String,
        pub mark: AttendanceMark,
        pub method: AttendanceMethod,
        /// The face check-in that proved it (method `face`): the evidence to open.
        pub checkin_id: Option<Uuid>,
        pub arrived_at: Option<DateTime<Utc>>,
        /// Minutes this attendance put in the month's ledger.
        pub credited_minutes: u32,
        /// The officer who marked or corrected it.
        pub marked_by: Option<Uuid>,
        pub reason: Option<String>,
        pub updated_at: DateTime<Utc>,
    }
}

view_type! {
    pub struct LectureView {
        pub id: Uuid,
        pub unit_id: Uuid,
        pub title: String,
        pub category: CourseCategory,
        pub place: String,
        pub lat: f64,
        pub lon: f64,
        pub radius_m: u32,
        pub starts_at: DateTime<Utc>,
        pub ends_at: DateTime<Utc>,
        /// What attending the whole lecture credits.
        pub minutes: u32,
        /// For a supervisee: their own attendance, once there is one.
        pub attendance: Option<LectureAttendanceView>,
        pub created_at: DateTime<Utc>,
    }
}

view_type! {
    /// The code the officer's phone shows now, as the QR code's text; ask again at
    /// `valid_until` for the next one.
    pub struct LectureCodeView {
        pub lecture_id: Uuid,
        pub code: String,
        /// What the QR code holds (the lecture and the code).
        pub qr: String,
        pub valid_until: DateTime<Utc>,
        pub rotate_secs: u32,
    }
}

request_type! {
    /// A supervisee on site: where the phone is, and one proof of presence — the code scanned
    /// from the officer's screen, or a face check-in just passed on site.
    pub struct LectureCheckIn {
        #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 8))]
        #[serde(default)]
        pub code: Option<String>,
        /// A passed face check-in of the caller's, made within `rules.learning.lecture_face_fresh_secs`.
        #[serde(default)]
        pub checkin_id: Option<Uuid>,
        pub location: GpsFix,
    }
}

request_type! {
    /// An officer marks or corrects a person's attendance (audited).
    pub struct LectureMarkRequest {
        pub mark: AttendanceMark,
        /// For `late`: when the person arrived (credited from then to the end).
        #[serde(default)]
        pub arrived_at: Option<DateTime<Utc>>,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub reason: String,
    }
}
