//! Community service (公益活动): activities a unit organises, the people signed up, their
//! verified presence on site, the minutes credited and the organiser's confirmation.

use super::*;
use crate::policy::service::{ParticipationStatus, PresenceProof, ServiceKind};

request_type! {
    /// An activity as an officer schedules it, for the people under `unit_id` (the officer's
    /// unit or one below).
    pub struct ServiceActivityCreate {
        pub unit_id: Uuid,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub title: String,
        pub kind: ServiceKind,
        /// The place as people know it (an address, a park, a home for the elderly).
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub place: String,
        pub lat: f64,
        pub lon: f64,
        /// How far from the point a fix still counts as on site, metres.
        #[cfg_attr(feature = "openapi", schema(minimum = 20, maximum = 2000))]
        pub radius_m: u32,
        pub starts_at: DateTime<Utc>,
        /// 30 minutes to 12 hours after the start.
        pub ends_at: DateTime<Utc>,
        /// How many people it takes.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
        pub capacity: u32,
        /// Who runs it on site (shows the code, confirms the minutes): an officer or a
        /// volunteer of the unit; the officer scheduling it when absent.
        #[serde(default)]
        pub organiser_id: Option<Uuid>,
        /// What to bring, whom to ask for.
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        #[serde(default)]
        pub notes: Option<String>,
    }
}

view_type! {
    /// A person's part in an activity.
    pub struct ServiceParticipationView {
        pub id: Uuid,
        pub activity_id: Uuid,
        pub case_id: Uuid,
        /// Masked for minors, and for organisers who are not the person's officers.
        pub name: String,
        pub status: ParticipationStatus,
        pub checked_in_at: Option<DateTime<Utc>>,
        pub check_in_proof: Option<PresenceProof>,
        pub checked_out_at: Option<DateTime<Utc>>,
        pub check_out_proof: Option<PresenceProof>,
        /// Minutes this participation put in the month's ledger.
        pub credited_minutes: u32,
        /// Who confirmed or corrected it, and why it was corrected.
        pub reviewed_by: Option<Uuid>,
        pub review_reason: Option<String>,
        /// Who put the person on it: an officer, or the person themself.
        pub signed_up_by: Uuid,
        pub version: i32,
        pub updated_at: DateTime<Utc>,
        /// On the answer to a check-out: why fewer minutes were credited than the time spent
        /// (outside the schedule, under a whole minute, the cap). Absent in lists.
        #[serde(default)]
        pub credit_remarks: Vec<Remark>,
    }
}

view_type! {
    pub struct ServiceActivityView {
        pub id: Uuid,
        pub unit_id: Uuid,
        pub title: String,
        pub kind: ServiceKind,
        pub place: String,
        pub lat: f64,
        pub lon: f64,
        pub radius_m: u32,
        pub starts_at: DateTime<Utc>,
        pub ends_at: DateTime<Utc>,
        pub capacity: u32,
        /// Places taken (everyone signed up who has not withdrawn).
        pub taken: u32,
        pub organiser_id: Uuid,
        pub notes: Option<String>,
        /// Scheduled, cancelled, or closed after its end (`policy::service::ACTIVITY`).
        pub status: crate::policy::service::ActivityStatus,
        /// Called off before the start, and why.
        pub cancelled_at: Option<DateTime<Utc>>,
        pub cancel_reason: Option<String>,
        /// For a supervisee: their own participation, once there is one.
        pub participation: Option<ServiceParticipationView>,
        pub created_at: DateTime<Utc>,
    }
}

request_type! {
    /// Signing up: a supervisee for themself (no `case_id`), an officer for a person they
    /// supervise.
    pub struct ServiceSignUp {
        #[serde(default)]
        pub case_id: Option<Uuid>,
    }
}

request_type! {
    /// A supervisee on site, checking in or out: where the phone is, and either a passed face
    /// check-in made moments before (`checkin_id`) or the code scanned from the organiser's
    /// screen.
    pub struct ServicePresence {
        pub location: GpsFix,
        #[serde(default)]
        pub checkin_id: Option<Uuid>,
        #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 8))]
        #[serde(default)]
        pub code: Option<String>,
    }
}

request_type! {
    /// An officer calls an activity off before it starts (rain, the partner withdrew).
    pub struct ServiceCancel {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub reason: String,
    }
}

request_type! {
    /// The organiser or an officer confirms a participation as credited, or corrects its
    /// minutes with the reason (audited), at the version seen.
    pub struct ServiceReview {
        /// The minutes to credit instead, when correcting.
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 720))]
        #[serde(default)]
        pub minutes: Option<u32>,
        /// Required when correcting.
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        #[serde(default)]
        pub reason: Option<String>,
        pub version: i32,
    }
}

view_type! {
    /// The code the organiser's phone shows now, as the QR code's text.
    pub struct ServiceCodeView {
        pub activity_id: Uuid,
        pub code: String,
        pub qr: String,
        pub valid_until: DateTime<Utc>,
        pub rotate_secs: u32,
    }
}

view_type! {
    /// A person's community service in a month: owed, credited, short, and what credited it.
    pub struct CommunityServiceMonthView {
        pub case_id: Uuid,
        pub month: String,
        pub owed_minutes: u32,
        pub credited_minutes: i64,
        pub short_minutes: i64,
        pub participations: Vec<CommunityServiceEntry>,
    }
}

view_type! {
    pub struct CommunityServiceEntry {
        pub activity_id: Uuid,
        pub title: String,
        pub kind: ServiceKind,
        pub starts_at: DateTime<Utc>,
        pub status: ParticipationStatus,
        pub credited_minutes: u32,
    }
}
