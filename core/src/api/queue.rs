//! An officer's work queue: everything waiting for them, in one answer.

use super::*;

crate::model::string_enum! {
    open
    /// What an item of an officer's work queue asks of them.
    QueueKind {
        /// A leave request their level decides.
        Leave = "leave",
        /// A move of the officer's case to decide (county).
        Relocation = "relocation",
        /// A move into the officer's jurisdiction to give the receiving side's opinion on
        /// (county).
        Consultation = "consultation",
        /// A visitor to approve.
        Visitor = "visitor",
        /// An alert not yet looked at.
        Alert = "alert",
        /// A check-in the face check could not settle.
        Checkin = "checkin",
        /// A roll call the frames could not settle.
        RollCall = "roll_call",
        /// A reflection to read.
        Reflection = "reflection",
        /// Written quiz answers to mark.
        QuizAttempt = "quiz_attempt",
        /// A proposed sanction to decide (county).
        Sanction = "sanction",
        /// A volunteer's help session to confirm.
        HelpSession = "help_session",
        /// A supervisee's new phone to approve.
        Device = "device",
    }
}

view_type! {
    /// One thing waiting for the officer.
    pub struct QueueItemView {
        pub kind: QueueKind,
        /// The record to act on (the leave, the alert, the check-in…; for a phone, the
        /// device record).
        pub id: Uuid,
        pub case_id: Uuid,
        /// Whose case, as a list names the person (a minor's name masked).
        pub case_name: String,
        /// What it is, in words in the reader's language (`Accept-Language`): the leave's
        /// reason, the alert's kind, the sanction proposed…
        pub subject: String,
        /// Since when it has waited.
        pub since: DateTime<Utc>,
        /// The day it must be settled by, where there is one (a leave's or a move's first
        /// day, a visitor's meeting).
        pub due_on: Option<NaiveDate>,
        /// Comes first: an urgent leave, a high or critical alert.
        pub urgent: bool,
        /// The record's version, for a decision made from the queue.
        pub version: i32,
    }
}

view_type! {
    /// How many of one kind wait (the items list at most `QUEUE_KIND_LIMIT` of each).
    pub struct QueueCount {
        pub kind: QueueKind,
        pub count: u64,
    }
}

view_type! {
    /// Everything waiting for the caller at their level, in their jurisdiction: each kind's
    /// oldest items (at most `QUEUE_KIND_LIMIT`) and how many of each kind wait in all.
    pub struct WorkQueueView {
        pub items: Vec<QueueItemView>,
        pub counts: Vec<QueueCount>,
    }
}

/// The most items of one kind a work queue lists; `counts` says how many wait.
pub const QUEUE_KIND_LIMIT: u64 = 50;
