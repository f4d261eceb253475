//! Video roll calls (视频点名): started by an officer or the system, answered by the supervisee's
//! app with a WebRTC offer, judged live by the server.

use super::*;
use crate::policy::liveness::Pose;
use crate::policy::rollcall::{RollCallReason, RollCallStatus};

request_type! {
    /// Calls these cases now, or at `at` (a call for later rings then).
    pub struct RollCallStart {
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
        pub case_ids: Vec<Uuid>,
        /// When to ring; absent or past = now. At most 7 days ahead.
        #[serde(default)]
        pub at: Option<DateTime<Utc>>,
        /// Why (shown to officers, not to the supervisee).
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub note: Option<String>,
    }
}

view_type! {
    /// A case the start did not call, and why (its stable `code`: `rollcall.already_open`,
    /// `checkin.not_enrolled`, `case.not_active`, `case.no_app_login`).
    pub struct RollCallSkipped {
        pub case_id: Uuid,
        pub code: String,
        pub message: String,
    }
}

view_type! {
    pub struct RollCallStartView {
        pub started: Vec<RollCallView>,
        pub skipped: Vec<RollCallSkipped>,
    }
}

view_type! {
    /// A STUN or TURN server the app gives its WebRTC stack: phones behind a symmetric NAT
    /// reach the server's public address only through TURN.
    pub struct IceServerView {
        pub urls: Vec<String>,
        #[serde(default)]
        pub username: Option<String>,
        #[serde(default)]
        pub credential: Option<String>,
    }
}

view_type! {
    pub struct RollCallView {
        pub id: Uuid,
        pub case_id: Uuid,
        pub status: RollCallStatus,
        /// The officer who called; absent when the system did (at random, at the level's rate).
        pub initiated_by: Option<Uuid>,
        pub note: Option<String>,
        /// When it rings (or rang).
        pub ring_at: DateTime<Utc>,
        /// Answer by then, or it is missed.
        pub answer_by: DateTime<Utc>,
        pub answered_at: Option<DateTime<Utc>>,
        pub decided_at: Option<DateTime<Utc>>,
        /// The head turn asked during the call.
        pub challenge: Option<Pose>,
        pub reasons: Vec<RollCallReason>,
        /// Closest face distance of the call's frames (lower is closer).
        pub face_distance: Option<f64>,
        pub frames_judged: i32,
        /// A snapshot of the matched face is kept (`GET /roll-calls/{id}/snapshot`).
        pub has_snapshot: bool,
        /// The challenge's frame is kept (`GET /roll-calls/{id}/snapshot?frame=turn`): the turn
        /// shown, or what was shown instead.
        #[serde(default)]
        pub has_turn_frame: bool,
        /// The call's video is kept (`GET /roll-calls/{id}/recording`): only where the
        /// jurisdiction records calls, until its retention ends.
        #[serde(default)]
        pub has_recording: bool,
        /// The officer's excuse or review note, and who wrote it.
        pub decision_note: Option<String>,
        pub decided_by: Option<Uuid>,
        pub version: i32,
        pub created_at: DateTime<Utc>,
        /// For the supervisee reading their ringing call: the STUN/TURN servers to give the
        /// WebRTC stack before it makes its offer (configured; may be empty). Empty otherwise.
        #[serde(default)]
        pub ice_servers: Vec<IceServerView>,
    }
}

request_type! {
    /// The supervisee's app answers: its WebRTC offer (SDP) with its ICE candidates gathered
    /// (no trickle); the answer carries the server's.
    pub struct RollCallAnswer {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        pub sdp_offer: String,
    }
}

view_type! {
    pub struct RollCallAnswerView {
        pub sdp_answer: String,
        pub roll_call: RollCallView,
    }
}

request_type! {
    /// An officer joins a live call to watch: their WebRTC offer (receive-only video; SDP with
    /// the candidates gathered).
    pub struct RollCallWatch {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        pub sdp_offer: String,
    }
}

view_type! {
    pub struct RollCallWatchView {
        pub sdp_answer: String,
    }
}

view_type! {
    /// The `roll_call_turn` event: what the supervisee must do now, in both languages.
    pub struct RollCallTurnView {
        pub roll_call_id: Uuid,
        pub pose: Pose,
        pub instruction_en: String,
        pub instruction_zh: String,
        /// Seconds to show it.
        pub within_secs: u32,
    }
}

request_type! {
    /// An officer excuses a call (ill, in hospital, called off), with the reason.
    pub struct RollCallExcuse {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub reason: String,
        /// The version the officer saw; a call changed since is a 409.
        #[serde(default)]
        pub version: Option<i32>,
    }
}

string_enum! {
    /// An officer's decision on a call that needs review.
    RollCallReviewDecision {
        /// It was the supervisee, live: passed.
        Confirm = "confirm",
        /// It was not: failed.
        Reject = "reject",
    }
}

request_type! {
    pub struct RollCallReview {
        pub decision: RollCallReviewDecision,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
        pub note: String,
        #[serde(default)]
        pub version: Option<i32>,
    }
}

string_enum! {
    /// Which picture of a call's evidence.
    EvidenceFrame {
        /// The frame closest to the enrolled face.
        Best = "best",
        /// The frame of the challenge: the turn shown, or what was shown instead.
        Turn = "turn",
    }
}

view_type! {
    /// One unit's roll calls over the period asked (`GET /roll-calls/stats`): the units under
    /// the officer's that have cases, each with its own people's calls.
    pub struct RollCallUnitStats {
        pub unit_id: Uuid,
        pub unit_name: String,
        pub tally: crate::policy::rollcall::RollCallTally,
    }
}
