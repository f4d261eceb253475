//! Domain vocabulary shared by server and apps (see DOMAIN.md "Words used in code").

/// A closed vocabulary stored and sent as strings (statuses, kinds): what generic code (the
/// server's transition helper) needs of it.
pub trait Vocabulary: Sized + Copy + Eq + std::fmt::Debug + 'static {
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self>;
}

/// An enum with one stable snake_case spelling per variant (wire and database), `ALL`,
/// `as_str` and `parse`. Used for every vocabulary shared with the apps.
macro_rules! string_enum {
    (@impl $name:ident { $($variant:ident = $s:literal),+ } $($unknown:ident)?) => {
        impl $name {
            /// Every value this version knows (never `Unknown`).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire and database spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)+ $($name::$unknown => "unknown",)? }
            }

            /// A known value from its spelling (`None` for anything else, "unknown" included).
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::model::Vocabulary for $name {
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(s: &str) -> Option<Self> {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    // `open`: a vocabulary only the server sends (alert kinds, statuses). An installed app
    // reads a value a newer server added as `Unknown` instead of failing the whole answer;
    // the server never stores or sends `Unknown`.
    (open $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
        pub enum $name {
            $($(#[$vm])* #[cfg_attr(feature = "sea-orm", sea_orm(string_value = $s))] $variant,)+
            /// A value this version does not know (from a newer server): show it as "other".
            #[serde(other)]
            #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "unknown"))]
            Unknown,
        }
        string_enum!(@impl $name { $($variant = $s),+ } Unknown);
    };
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
        pub enum $name { $($(#[$vm])* #[cfg_attr(feature = "sea-orm", sea_orm(string_value = $s))] $variant),+ }
        string_enum!(@impl $name { $($variant = $s),+ });
    };
}
pub(crate) use string_enum;

string_enum! {
    /// One account, one role. The three admin duties are separate roles so that no account can
    /// hold two of them (MLPS level 3 separation of duties: 三权分立).
    Role {
        SystemAdmin = "system_admin",
        SecurityAdmin = "security_admin",
        AuditAdmin = "audit_admin",
        Officer = "officer",
        Volunteer = "volunteer",
        Supervisee = "supervisee",
    }
}

impl Role {
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }
}

string_enum! {
    /// Org tree levels, top to bottom.
    UnitKind {
        Province = "province",
        City = "city",
        CountyAgency = "county_agency",
        JudicialOffice = "judicial_office",
    }
}

string_enum! {
    SentenceKind {
        Probation = "probation",
        Parole = "parole",
        Surveillance = "surveillance",
        MedicalParole = "medical_parole",
    }
}

string_enum! {
    CaseStatus {
        PreIntake = "pre_intake",
        Active = "active",
        Released = "released",
        Revoked = "revoked",
        Terminated = "terminated",
        Absconded = "absconded",
    }
}

string_enum! {
    /// 严管 / 普管 / 宽管, strictest first.
    SupervisionLevel {
        Strict = "strict",
        Normal = "normal",
        Lenient = "lenient",
    }
}

string_enum! {
    TeamMemberKind {
        Officer = "officer",
        Volunteer = "volunteer",
        SocialWorker = "social_worker",
        Family = "family",
        Employer = "employer",
    }
}

string_enum! {
    /// The six kinds of risk the seeds watch (六类风险): what a helper or officer flags.
    RiskFactor {
        EmotionalConflict = "emotional_conflict",
        EconomicDispute = "economic_dispute",
        NoJob = "no_job",
        FamilyCrisis = "family_crisis",
        SeriousIllness = "serious_illness",
        UnusualPersonality = "unusual_personality",
    }
}

string_enum! {
    /// What a help session (帮教) was.
    HelpKind {
        Visit = "visit",
        Talk = "talk",
        PhoneCall = "phone_call",
        EmploymentHelp = "employment_help",
        FamilyMediation = "family_mediation",
        Education = "education",
        PsychologicalSupport = "psychological_support",
    }
}

string_enum! {
    open
    DeviceStatus {
        Pending = "pending",
        Approved = "approved",
        Revoked = "revoked",
    }
}

string_enum! {
    open
    InvestigationStatus {
        Requested = "requested",
        OpinionFiled = "opinion_filed",
    }
}

string_enum! {
    /// The assessment opinion of a pre-sentence investigation (调查评估意见).
    InvestigationOpinion {
        Suitable = "suitable",
        Unsuitable = "unsuitable",
    }
}

string_enum! {
    /// Which admin duty an audit query or a security action belongs to is decided by role; the
    /// user account itself is active or disabled.
    UserStatus {
        Active = "active",
        Disabled = "disabled",
    }
}

string_enum! {
    open
    /// draft → submitted → approved → active (departed) → returned (销假), or rejected,
    /// cancelled, and overdue when not back by the end date.
    LeaveStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Cancelled = "cancelled",
        Active = "active",
        Returned = "returned",
        Overdue = "overdue",
    }
}

string_enum! {
    /// Why the supervisee needs to leave; the evidence expected differs by reason.
    LeaveReason {
        Medical = "medical",
        Family = "family",
        Work = "work",
        Study = "study",
        Legal = "legal",
        Other = "other",
        /// Not shown to this reader: a volunteer of the team sees that the person is away,
        /// not why (`policy::for_the_team`). Never stored; refused in a request.
        Withheld = "withheld",
    }
}

string_enum! {
    open
    /// Relocation and visitor requests: submitted → approved / rejected, or cancelled;
    /// `recorded` for a visit that needs no approval.
    RequestStatus {
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Cancelled = "cancelled",
        Recorded = "recorded",
    }
}

string_enum! {
    open
    AlertKind {
        CheckinFailed = "checkin_failed",
        CheckinNeedsReview = "checkin_needs_review",
        CheckinMissed = "checkin_missed",
        LeaveOverdue = "leave_overdue",
        /// Outside every active activity area (beyond the dwell time).
        OutsideActivityArea = "outside_activity_area",
        /// Inside an active exclusion zone (beyond the dwell time).
        InExclusionZone = "in_exclusion_zone",
        /// The phone reports a mock (fake) location provider.
        MockLocation = "mock_location",
        /// Two fixes too far apart for the time between them.
        ImpossibleSpeed = "impossible_speed",
        /// No location report for several intervals (失联).
        LocationSilence = "location_silence",
        /// A video roll call not answered (or not brought to a verdict) in time.
        RollCallMissed = "roll_call_missed",
        /// A video roll call failed: someone else, or no live face.
        RollCallFailed = "roll_call_failed",
        RollCallNeedsReview = "roll_call_needs_review",
        /// A month closed short of its education minutes.
        LearningShortfall = "learning_shortfall",
        /// An assigned course not completed by its date.
        LearningOverdue = "learning_overdue",
        /// A face check while studying failed or was not answered: the time since the last
        /// passed check was taken back.
        StudyFaceCheckFailed = "study_face_check_failed",
        /// A lesson that checks faces was opened by someone with no enrolled face: its time is
        /// credited unchecked until their face is enrolled.
        StudyWithoutFace = "study_without_face",
        /// A volunteer's help session flagged one of the six kinds of risk.
        HelpRiskFlagged = "help_risk_flagged",
        /// A month closed short of its community-service minutes.
        ServiceShortfall = "service_shortfall",
        /// Someone checked in to a community-service activity and never out: nothing is
        /// credited until an officer or the organiser corrects it.
        ServiceCheckoutMissing = "service_checkout_missing",
        /// An electronic tag order ends within a week: renew it by a new decision, or let it
        /// lapse.
        TagOrderExpiring = "tag_order_expiring",
        /// A home visit or an office report is past its due date under the level in force.
        VisitOverdue = "visit_overdue",
        /// A home visit or talk flagged one of the six kinds of risk.
        VisitRiskFlagged = "visit_risk_flagged",
    }
}

impl AlertState {
    /// Handled: nothing is left for an officer to do.
    pub const CLOSED: [AlertState; 2] = [AlertState::Resolved, AlertState::Withdrawn];
}

impl AlertKind {
    /// A note staff wrote about the person (a volunteer's or an officer's risk flag): for the
    /// officers, never shown to the supervisee, who sees the alerts about their own
    /// obligations.
    pub fn is_staff_note(self) -> bool {
        matches!(
            self,
            AlertKind::HelpRiskFlagged | AlertKind::VisitRiskFlagged
        )
    }
}

string_enum! {
    /// What a fence demands.
    FenceKind {
        /// Must stay inside (normally the county of residence).
        ActivityArea = "activity_area",
        /// Must stay out (a prohibition order: schools, bars, a victim's home).
        ExclusionZone = "exclusion_zone",
    }
}

string_enum! {
    /// Where a location fix came from.
    LocationProvider {
        Gps = "gps",
        Network = "network",
        Fused = "fused",
        Passive = "passive",
        Other = "other",
    }
}

string_enum! {
    open
    AlertSeverity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

string_enum! {
    open
    AlertState {
        Open = "open",
        Acknowledged = "acknowledged",
        Resolved = "resolved",
        /// The fact it stood for no longer holds (a roll call excused, a doubtful check-in
        /// accepted): kept on record, counted nowhere.
        Withdrawn = "withdrawn",
    }
}

string_enum! {
    open
    /// An ad-hoc check-in request (an officer's or the system's random spot check).
    CheckinRequestStatus {
        /// Waiting for a passed check-in before its deadline.
        Open = "open",
        Met = "met",
        Missed = "missed",
    }
}

string_enum! {
    /// What a live event on `/api/v1/events` is about (`EventView.kind`). The wire field stays
    /// a string: an app must ignore a kind it does not know (a newer server may send more).
    EventKind {
        Alert = "alert",
        Checkin = "checkin",
        CheckinRequest = "checkin_request",
        Leave = "leave",
        Relocation = "relocation",
        Visitor = "visitor",
        /// A video roll call rang, was answered, decided, missed or excused.
        RollCall = "roll_call",
        /// During a roll call: the head turn the supervisee must show now.
        RollCallTurn = "roll_call_turn",
        /// A study session ended on this device because another device opened a lesson.
        StudySession = "study_session",
        /// A face check is asked while studying: check in before `face_check_by`.
        StudyFaceCheck = "study_face_check",
        /// An officer accepted or returned the person's written reflection.
        Reflection = "reflection",
        /// An officer marked or corrected the person's attendance at a group lecture.
        LectureAttendance = "lecture_attendance",
        /// A help session was logged, confirmed, returned, amended or commented on (heard by
        /// the case's officers and the session's author).
        HelpSession = "help_session",
        /// A volunteer was put on (or taken off) a case's correction team.
        TeamAssignment = "team_assignment",
        /// A community-service participation changed: assigned by an officer, confirmed or
        /// corrected by the organiser, settled at the close (heard by the person).
        ServiceParticipation = "service_participation",
        /// A sanction or commendation was proposed (officers), decided (officers, and the
        /// person when approved) or acknowledged.
        Sanction = "sanction",
        /// An electronic tag was ordered, renewed or ended (officers and the person).
        TagOrder = "tag_order",
        /// The connection fell behind: refetch what is on screen.
        Resync = "resync",
    }
}

string_enum! {
    /// What an audit entry records, in one tense: what happened (`leave.approved`). Entries
    /// written before this list existed keep the names they were written with (the chain
    /// hashes them), so a query by action may need the old name for old entries.
    AuditAction {
        AlertAcknowledged = "alert.acknowledged",
        AlertResolved = "alert.resolved",
        AlertWithdrawn = "alert.withdrawn",
        AssessmentConfirmed = "assessment.confirmed",
        AuditQueried = "audit.queried",
        AuditVerified = "audit.verified",
        AuthLockedOut = "auth.locked_out",
        AuthLoggedIn = "auth.logged_in",
        AuthLoggedOut = "auth.logged_out",
        AuthLoginFailed = "auth.login_failed",
        AuthPasswordChanged = "auth.password_changed",
        AuthPasswordReissued = "auth.password_reissued",
        AuthRefreshReused = "auth.refresh_reused",
        AuthRefreshed = "auth.refreshed",
        BiometricsPurged = "biometrics.purged",
        CaseAnnounced = "case.announced",
        CaseCreated = "case.created",
        CaseExported = "case.exported",
        CaseFileExported = "case.file_exported",
        CaseLevelChanged = "case.level_changed",
        CaseListed = "case.listed",
        CaseLoginIssued = "case.login_issued",
        CaseRead = "case.read",
        CaseReleaseCertificateRead = "case.release_certificate_read",
        CaseReleased = "case.released",
        CaseStatusChanged = "case.status_changed",
        CaseTransferred = "case.transferred",
        CheckinMissed = "checkin.missed",
        CheckinPhotoRead = "checkin.photo_read",
        CheckinRequestMissed = "checkin.request_missed",
        CheckinRequested = "checkin.requested",
        CheckinSubmitted = "checkin.submitted",
        CheckinReviewed = "checkin.reviewed",
        CheckinTriesRestored = "checkin.tries_restored",
        CourseArchived = "course.archived",
        CourseAssigned = "course.assigned",
        CourseCreated = "course.created",
        CoursePublished = "course.published",
        DemoSeeded = "demo.seeded",
        DeviceApproved = "device.approved",
        DeviceRegistered = "device.registered",
        DeviceRevoked = "device.revoked",
        FaceEnrolled = "face.enrolled",
        FaceDuplicateSuspected = "face.duplicate_suspected",
        FenceArchived = "fence.archived",
        FenceCreated = "fence.created",
        FenceUpdated = "fence.updated",
        HelpCertificateIssued = "help.certificate_issued",
        HelpSessionConfirmed = "help_session.confirmed",
        HelpSessionReturned = "help_session.returned",
        ServiceRecordRead = "help.service_record_read",
        InvestigationCreated = "investigation.created",
        InvestigationListed = "investigation.listed",
        InvestigationOpinionFiled = "investigation.opinion_filed",
        InvestigationRead = "investigation.read",
        LeaveApproved = "leave.approved",
        LeaveAttachmentAdded = "leave.attachment_added",
        LeaveAttachmentRead = "leave.attachment_read",
        LeaveCancelled = "leave.cancelled",
        LeaveCreated = "leave.created",
        LeaveDeparted = "leave.departed",
        LeaveExtensionRequested = "leave.extension_requested",
        LeaveMarkedOverdue = "leave.marked_overdue",
        LeaveRejected = "leave.rejected",
        LeaveReturned = "leave.returned",
        LeaveSubmitted = "leave.submitted",
        LearningAdjusted = "learning.adjusted",
        LearningXapiExported = "learning.xapi_exported",
        LectureCreated = "lecture.created",
        LectureMarked = "lecture.marked",
        LocationPositionsRead = "location.positions_read",
        LocationTrackRead = "location.track_read",
        PlanUpdated = "plan.updated",
        QuizGraded = "quiz.graded",
        QuizSubmitted = "quiz.submitted",
        RelocationApproved = "relocation.approved",
        RelocationCancelled = "relocation.cancelled",
        RelocationConsulted = "relocation.consulted",
        RelocationCreated = "relocation.created",
        RelocationRejected = "relocation.rejected",
        ReflectionReviewed = "reflection.reviewed",
        RollCallAnswered = "roll_call.answered",
        RollCallDecided = "roll_call.decided",
        RollCallExcused = "roll_call.excused",
        RollCallMissed = "roll_call.missed",
        RollCallReviewed = "roll_call.reviewed",
        RollCallSnapshotRead = "roll_call.snapshot_read",
        RollCallRecordingRead = "roll_call.recording_read",
        RollCallWatched = "roll_call.watched",
        RollCallStarted = "roll_call.started",
        SanctionAcknowledged = "sanction.acknowledged",
        SanctionApproved = "sanction.approved",
        SanctionDocumentRead = "sanction.document_read",
        SanctionProposed = "sanction.proposed",
        SanctionRejected = "sanction.rejected",
        SensitivePeriodDeclared = "sensitive_period.declared",
        ServiceActivityCancelled = "service_activity.cancelled",
        ServiceActivityCreated = "service_activity.created",
        ServiceParticipantAssigned = "service_activity.participant_assigned",
        ServiceParticipationConfirmed = "service_participation.confirmed",
        ServiceParticipationCorrected = "service_participation.corrected",
        TagOrderEnded = "tag_order.ended",
        TagOrdered = "tag_order.ordered",
        TeamMemberAdded = "team.member_added",
        TeamMemberRemoved = "team.member_removed",
        UnitCreated = "unit.created",
        UserCreated = "user.created",
        UserDisabled = "user.disabled",
        UserEnabled = "user.enabled",
        UserUnlocked = "user.unlocked",
        VisitPhotoAdded = "visit.photo_added",
        VisitPhotoRead = "visit.photo_read",
        VisitRecorded = "visit.recorded",
        VisitorApproved = "visitor.approved",
        VisitorCancelled = "visitor.cancelled",
        VisitorCreated = "visitor.created",
        VisitorRejected = "visitor.rejected",
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    /// One tense in the audit log: every action says what happened.
    #[test]
    fn audit_actions_are_past_tense_and_namespaced() {
        for a in AuditAction::ALL {
            let (domain, what) = a.as_str().split_once('.').expect("domain.what");
            assert!(
                !domain.is_empty() && what.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{a}"
            );
            // (Two irregular participles: read, withdrawn.)
            let word = what
                .split('_')
                .find(|w| w.ends_with("ed") || ["read", "withdrawn"].contains(w));
            assert!(word.is_some(), "{a} is not past tense");
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
        }
    }
}
