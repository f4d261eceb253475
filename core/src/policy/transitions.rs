//! The state machines of requests, alerts and cases, as tables: action → the states it may
//! start from → the state it leads to → who may take it. The server applies a row through one
//! helper (a conditional update on the record's version); the apps ask the same tables which
//! actions are possible now, so a button is shown only when the server would accept it.
//!
//! Sources: leave, Implementing Measures 2020 art. 27-28 (销假 on return, overdue = not back by
//! the end date); relocation, art. 30 (the new place is consulted, the county of the current
//! place decides); visitors, Community Corrections Law art. 23; case life, law art. 44-46 and
//! measures art. 53-55 (release, revocation, termination; absconding, 脱管, art. 47).

use crate::error::ErrorCode;
use crate::model::{
    string_enum, AlertState, AuditAction, CaseStatus, CheckinRequestStatus, DeviceStatus,
    InvestigationStatus, LeaveStatus, RequestStatus, Role, UserStatus,
};
use crate::policy::level::ApprovalLevel;

/// Who may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The supervisee, on their own record.
    Supervisee,
    /// An officer of the jurisdiction, at least at this level when one is named. Leave
    /// approval also depends on the request's own required level (`leave::may_approve`).
    Officer(Option<ApprovalLevel>),
    /// A volunteer or social worker of the case's team, on what they wrote themselves.
    Volunteer,
    /// Any of these (e.g. the person or an officer for them). The handler still checks whose
    /// record it is (the person's own, the activity's organiser…).
    AnyOf(&'static [Who]),
    /// The security administrator (accounts).
    SecurityAdmin,
    /// The server's jobs (e.g. marking a leave overdue); no person can.
    System,
}

/// Who is asking: a signed-in person (with the level an officer decides at) or a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Person {
        role: Role,
        /// The officer's decision level (from their unit); `None` for everyone else.
        level: Option<ApprovalLevel>,
    },
    System,
}

impl Party {
    pub fn person(role: Role, level: Option<ApprovalLevel>) -> Party {
        Party::Person { role, level }
    }
}

impl Who {
    /// `Ok` when `party` may act; else the refusal: `forbidden`, or `below_level` for an
    /// officer under the level the row needs.
    fn admits(self, party: Party, below_level: ErrorCode) -> Result<(), ErrorCode> {
        match (self, party) {
            (
                Who::Supervisee,
                Party::Person {
                    role: Role::Supervisee,
                    ..
                },
            ) => Ok(()),
            (
                Who::Officer(None),
                Party::Person {
                    role: Role::Officer,
                    ..
                },
            ) => Ok(()),
            (
                Who::Officer(Some(min)),
                Party::Person {
                    role: Role::Officer,
                    level,
                },
            ) => match level {
                Some(l) if l >= min => Ok(()),
                _ => Err(below_level),
            },
            (
                Who::Volunteer,
                Party::Person {
                    role: Role::Volunteer,
                    ..
                },
            ) => Ok(()),
            (Who::AnyOf(whos), _) => {
                let refusals: Vec<ErrorCode> = whos
                    .iter()
                    .map(|w| w.admits(party, below_level))
                    .filter_map(Result::err)
                    .collect();
                if refusals.len() < whos.len() {
                    Ok(())
                } else {
                    // An officer below the level hears which level decides.
                    Err(refusals
                        .into_iter()
                        .find(|c| *c != ErrorCode::Forbidden)
                        .unwrap_or(ErrorCode::Forbidden))
                }
            }
            (
                Who::SecurityAdmin,
                Party::Person {
                    role: Role::SecurityAdmin,
                    ..
                },
            ) => Ok(()),
            (Who::System, Party::System) => Ok(()),
            _ => Err(ErrorCode::Forbidden),
        }
    }
}

/// One row of a state machine.
#[derive(Debug, Clone, Copy)]
pub struct Rule<S: 'static, A: 'static> {
    pub action: A,
    pub from: &'static [S],
    /// `None`: the record keeps its state (the action adds to it, e.g. a consultation).
    pub to: Option<S>,
    pub who: Who,
}

/// A state machine: its rows, the code answered when the record is in the wrong state, and the
/// one answered to an officer below the level a row needs (each machine its own: "a release is
/// decided by the county" is not "a leave is").
#[derive(Debug)]
pub struct Machine<S: 'static, A: 'static> {
    pub rules: &'static [Rule<S, A>],
    pub invalid: ErrorCode,
    pub below_level: ErrorCode,
    /// Actions whose wrong state has words of its own (grading an attempt that waits for no
    /// grade is not "already submitted"); every other action answers `invalid`.
    pub invalid_for: &'static [(A, ErrorCode)],
}

impl<S: Copy + Eq + std::fmt::Debug, A: Copy + Eq + std::fmt::Debug> Machine<S, A> {
    /// The row of `action` (each action has exactly one; a test checks every table).
    pub fn rule(&self, action: A) -> &'static Rule<S, A> {
        self.rules
            .iter()
            .find(|r| r.action == action)
            .unwrap_or_else(|| panic!("{action:?} has no row in its state machine"))
    }

    /// The state `action` leads to from `from` when `party` takes it. Who is checked first
    /// (a stranger learns nothing of the record's state), then the state.
    pub fn check(&self, action: A, from: S, party: Party) -> Result<S, ErrorCode> {
        let rule = self.rule(action);
        rule.who.admits(party, self.below_level)?;
        if !rule.from.contains(&from) {
            return Err(self.refusal(action));
        }
        Ok(rule.to.unwrap_or(from))
    }

    /// Whether `party` may take `action`, an action that makes a record (its row starts from no
    /// state): the refusal is `forbidden` or the machine's `below_level`.
    pub fn may(&self, action: A, party: Party) -> Result<(), ErrorCode> {
        self.rule(action).who.admits(party, self.below_level)
    }

    /// What the record's wrong state answers for `action`: its own words if it has them, else
    /// the machine's.
    pub fn refusal(&self, action: A) -> ErrorCode {
        self.invalid_for
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(self.invalid, |(_, code)| *code)
    }

    /// The actions `party` may take on a record in state `from`, in table order.
    pub fn possible(&self, from: S, party: Party) -> Vec<A> {
        self.rules
            .iter()
            .filter(|r| r.from.contains(&from) && r.who.admits(party, self.below_level).is_ok())
            .map(|r| r.action)
            .collect()
    }
}

string_enum! {
    /// What can be done to a leave request.
    LeaveAction {
        Submit = "submit",
        Cancel = "cancel",
        Approve = "approve",
        Reject = "reject",
        Depart = "depart",
        /// 销假: reporting back, also after the end date.
        Return = "return",
        /// Asking to stay longer: a new request on the same rules, the leave keeps its state.
        Extend = "extend",
        /// Not back by the end date (the job).
        MarkOverdue = "mark_overdue",
    }
}

use LeaveStatus as L;
#[rustfmt::skip]
pub const LEAVE: Machine<LeaveStatus, LeaveAction> = Machine {
    invalid: ErrorCode::LeaveTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: LeaveAction::Submit, from: &[L::Draft], to: Some(L::Submitted), who: Who::Supervisee },
        Rule { action: LeaveAction::Cancel, from: &[L::Draft, L::Submitted, L::Approved], to: Some(L::Cancelled), who: Who::Supervisee },
        Rule { action: LeaveAction::Approve, from: &[L::Submitted], to: Some(L::Approved), who: Who::Officer(None) },
        Rule { action: LeaveAction::Reject, from: &[L::Submitted], to: Some(L::Rejected), who: Who::Officer(None) },
        Rule { action: LeaveAction::Depart, from: &[L::Approved], to: Some(L::Active), who: Who::Supervisee },
        Rule { action: LeaveAction::Return, from: &[L::Active, L::Overdue], to: Some(L::Returned), who: Who::Supervisee },
        Rule { action: LeaveAction::Extend, from: &[L::Approved, L::Active], to: None, who: Who::Supervisee },
        Rule { action: LeaveAction::MarkOverdue, from: &[L::Active], to: Some(L::Overdue), who: Who::System },
    ],
};

/// Leaves that hold days: they count toward the two-month total and may not overlap.
pub const LEAVE_HOLDING: [LeaveStatus; 4] = [L::Approved, L::Active, L::Returned, L::Overdue];
/// Leaves another leave may not overlap: pending or holding days.
pub const LEAVE_PENDING_OR_HOLDING: [LeaveStatus; 5] = [
    L::Submitted,
    L::Approved,
    L::Active,
    L::Returned,
    L::Overdue,
];
/// Leaves in force on their dates: the location rules suspend the activity area.
pub const LEAVE_IN_FORCE: [LeaveStatus; 2] = [L::Approved, L::Active];

string_enum! {
    /// What can be done to a relocation request.
    RelocationAction {
        /// The receiving agency's opinion (征求意见); the request stays submitted.
        Consult = "consult",
        Approve = "approve",
        Reject = "reject",
        Cancel = "cancel",
    }
}

use RequestStatus as R;
/// The county agency decides; the receiving county gives its opinion (art. 30).
#[rustfmt::skip]
pub const RELOCATION: Machine<RequestStatus, RelocationAction> = Machine {
    invalid: ErrorCode::RequestTransitionInvalid,
    below_level: ErrorCode::RelocationNeedsCounty,
    invalid_for: &[],
    rules: &[
        Rule { action: RelocationAction::Consult, from: &[R::Submitted], to: None, who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: RelocationAction::Approve, from: &[R::Submitted], to: Some(R::Approved), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: RelocationAction::Reject, from: &[R::Submitted], to: Some(R::Rejected), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: RelocationAction::Cancel, from: &[R::Submitted], to: Some(R::Cancelled), who: Who::Supervisee },
    ],
};

string_enum! {
    /// What can be done to a visitor request.
    VisitorAction {
        Approve = "approve",
        Reject = "reject",
        Cancel = "cancel",
    }
}

/// Visits that need approval start `submitted`; others are `recorded` and final.
#[rustfmt::skip]
pub const VISITOR: Machine<RequestStatus, VisitorAction> = Machine {
    invalid: ErrorCode::RequestTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: VisitorAction::Approve, from: &[R::Submitted], to: Some(R::Approved), who: Who::Officer(None) },
        Rule { action: VisitorAction::Reject, from: &[R::Submitted], to: Some(R::Rejected), who: Who::Officer(None) },
        Rule { action: VisitorAction::Cancel, from: &[R::Submitted], to: Some(R::Cancelled), who: Who::Supervisee },
    ],
};

string_enum! {
    /// What an officer does with an alert.
    AlertAction {
        Acknowledge = "acknowledge",
        Resolve = "resolve",
        /// What it stood for no longer holds: the officer's decision on its record (an excuse,
        /// an accepted review) takes it back, wherever it counts.
        Withdraw = "withdraw",
    }
}

#[rustfmt::skip]
pub const ALERT: Machine<AlertState, AlertAction> = Machine {
    invalid: ErrorCode::AlertTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: AlertAction::Acknowledge, from: &[AlertState::Open], to: Some(AlertState::Acknowledged), who: Who::Officer(None) },
        Rule { action: AlertAction::Resolve, from: &[AlertState::Open, AlertState::Acknowledged], to: Some(AlertState::Resolved), who: Who::Officer(None) },
        Rule { action: AlertAction::Withdraw, from: &[AlertState::Open, AlertState::Acknowledged, AlertState::Resolved], to: Some(AlertState::Withdrawn), who: Who::Officer(None) },
    ],
};

string_enum! {
    /// A case's life. Activation happens only through the announcement (入矫宣告), which
    /// records who and where.
    CaseAction {
        Announce = "announce",
        Release = "release",
        Revoke = "revoke",
        Terminate = "terminate",
        Abscond = "abscond",
        /// An absconded supervisee is found again.
        Resume = "resume",
    }
}

use CaseStatus as C;
/// Ended cases (released, revoked, terminated) are archived read-only: no row leaves them.
#[rustfmt::skip]
pub const CASE: Machine<CaseStatus, CaseAction> = Machine {
    invalid: ErrorCode::CaseTransitionInvalid,
    below_level: ErrorCode::CaseReleaseNeedsCounty,
    invalid_for: &[],
    rules: &[
        Rule { action: CaseAction::Announce, from: &[C::PreIntake], to: Some(C::Active), who: Who::Officer(None) },
        Rule { action: CaseAction::Release, from: &[C::Active], to: Some(C::Released), who: Who::Officer(Some(ApprovalLevel::CountyAgency)) },
        Rule { action: CaseAction::Revoke, from: &[C::Active, C::Absconded], to: Some(C::Revoked), who: Who::Officer(None) },
        Rule { action: CaseAction::Terminate, from: &[C::PreIntake, C::Active, C::Absconded], to: Some(C::Terminated), who: Who::Officer(None) },
        Rule { action: CaseAction::Abscond, from: &[C::Active], to: Some(C::Absconded), who: Who::Officer(None) },
        Rule { action: CaseAction::Resume, from: &[C::Absconded], to: Some(C::Active), who: Who::Officer(None) },
    ],
};

impl CaseAction {
    /// The action a status change to `to` is (`POST /cases/{id}/status` names the target).
    /// `None` for `pre_intake`, which no action leads to.
    pub fn to_status(to: CaseStatus) -> Option<CaseAction> {
        match to {
            C::PreIntake => None,
            C::Active => Some(CaseAction::Resume),
            C::Released => Some(CaseAction::Release),
            C::Revoked => Some(CaseAction::Revoke),
            C::Terminated => Some(CaseAction::Terminate),
            C::Absconded => Some(CaseAction::Abscond),
        }
    }
}

/// What the audit log records when an action is taken (one entry per action, past tense).
macro_rules! audited {
    ($action:ident { $($variant:ident => $audit:ident),+ $(,)? }) => {
        impl From<$action> for AuditAction {
            fn from(a: $action) -> AuditAction {
                match a { $($action::$variant => AuditAction::$audit),+ }
            }
        }
    };
}

audited!(LeaveAction {
    Submit => LeaveSubmitted,
    Cancel => LeaveCancelled,
    Approve => LeaveApproved,
    Reject => LeaveRejected,
    Depart => LeaveDeparted,
    Return => LeaveReturned,
    Extend => LeaveExtensionRequested,
    MarkOverdue => LeaveMarkedOverdue,
});
audited!(RelocationAction {
    Consult => RelocationConsulted,
    Approve => RelocationApproved,
    Reject => RelocationRejected,
    Cancel => RelocationCancelled,
});
audited!(VisitorAction {
    Approve => VisitorApproved,
    Reject => VisitorRejected,
    Cancel => VisitorCancelled,
});
audited!(AlertAction {
    Acknowledge => AlertAcknowledged,
    Resolve => AlertResolved,
    Withdraw => AlertWithdrawn,
});
audited!(CaseAction {
    Announce => CaseAnnounced,
    Release => CaseStatusChanged,
    Revoke => CaseStatusChanged,
    Terminate => CaseStatusChanged,
    Abscond => CaseStatusChanged,
    Resume => CaseStatusChanged,
});

string_enum! {
    /// What an officer does with a phone the supervisee signed in from.
    DeviceAction {
        /// Binds it as the one phone (another approved phone is revoked by the same step).
        Approve = "approve",
        Revoke = "revoke",
    }
}

/// One approved phone at a time (the handler revokes the one before); a revoked phone may be
/// approved again (the person found it).
#[rustfmt::skip]
pub const DEVICE: Machine<DeviceStatus, DeviceAction> = Machine {
    invalid: ErrorCode::DeviceTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: DeviceAction::Approve, from: &[DeviceStatus::Pending, DeviceStatus::Revoked], to: Some(DeviceStatus::Approved), who: Who::Officer(None) },
        Rule { action: DeviceAction::Revoke, from: &[DeviceStatus::Pending, DeviceStatus::Approved], to: Some(DeviceStatus::Revoked), who: Who::Officer(None) },
    ],
};

string_enum! {
    /// A pre-sentence investigation (调查评估, measures art. 12): the opinion, once.
    InvestigationAction {
        FileOpinion = "file_opinion",
    }
}

#[rustfmt::skip]
pub const INVESTIGATION: Machine<InvestigationStatus, InvestigationAction> = Machine {
    invalid: ErrorCode::InvestigationAlreadyFiled,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: InvestigationAction::FileOpinion, from: &[InvestigationStatus::Requested], to: Some(InvestigationStatus::OpinionFiled), who: Who::Officer(None) },
    ],
};

string_enum! {
    /// What becomes of an officer's request for a check-in by a deadline.
    CheckinRequestAction {
        /// A passed check-in before the deadline.
        Meet = "meet",
        /// The deadline passed first (the job; an alert).
        MarkMissed = "mark_missed",
    }
}

#[rustfmt::skip]
pub const CHECKIN_REQUEST: Machine<CheckinRequestStatus, CheckinRequestAction> = Machine {
    invalid: ErrorCode::Conflict,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: CheckinRequestAction::Meet, from: &[CheckinRequestStatus::Open], to: Some(CheckinRequestStatus::Met), who: Who::System },
        Rule { action: CheckinRequestAction::MarkMissed, from: &[CheckinRequestStatus::Open], to: Some(CheckinRequestStatus::Missed), who: Who::System },
    ],
};

string_enum! {
    /// An account's life.
    UserAction {
        /// The security administrator stops an account (its sessions end).
        Disable = "disable",
        Enable = "enable",
        /// A case that ends closes the supervisee's account (law art. 44-46).
        CloseWithCase = "close_with_case",
    }
}

#[rustfmt::skip]
pub const USER: Machine<UserStatus, UserAction> = Machine {
    invalid: ErrorCode::UserTransitionInvalid,
    below_level: ErrorCode::Forbidden,
    invalid_for: &[],
    rules: &[
        Rule { action: UserAction::Disable, from: &[UserStatus::Active], to: Some(UserStatus::Disabled), who: Who::SecurityAdmin },
        Rule { action: UserAction::Enable, from: &[UserStatus::Disabled], to: Some(UserStatus::Active), who: Who::SecurityAdmin },
        Rule { action: UserAction::CloseWithCase, from: &[UserStatus::Active], to: Some(UserStatus::Disabled), who: Who::AnyOf(&[Who::Officer(None), Who::System]) },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn every_action_has_one_row<S: Copy + Eq + std::fmt::Debug, A: Copy + Eq + std::fmt::Debug>(
        m: &Machine<S, A>,
        all: &[A],
    ) {
        for a in all {
            assert_eq!(
                m.rules.iter().filter(|r| r.action == *a).count(),
                1,
                "{a:?}"
            );
        }
        assert_eq!(m.rules.len(), all.len());
    }

    #[test]
    fn tables_are_complete() {
        every_action_has_one_row(&LEAVE, LeaveAction::ALL);
        every_action_has_one_row(&RELOCATION, RelocationAction::ALL);
        every_action_has_one_row(&VISITOR, VisitorAction::ALL);
        every_action_has_one_row(&ALERT, AlertAction::ALL);
        every_action_has_one_row(
            &crate::policy::checkin::CHECKIN,
            crate::policy::checkin::CheckinAction::ALL,
        );
        every_action_has_one_row(&CASE, CaseAction::ALL);
        every_action_has_one_row(&DEVICE, DeviceAction::ALL);
        every_action_has_one_row(&INVESTIGATION, InvestigationAction::ALL);
        every_action_has_one_row(&CHECKIN_REQUEST, CheckinRequestAction::ALL);
        every_action_has_one_row(&USER, UserAction::ALL);
        every_action_has_one_row(&learning::STUDY_SESSION, learning::StudySessionAction::ALL);
        every_action_has_one_row(&learning::FACE_CHECK, learning::FaceCheckAction::ALL);
        use crate::policy::{help, learning, rollcall, sanctions, service};
        every_action_has_one_row(&help::HELP, help::HelpAction::ALL);
        every_action_has_one_row(&learning::COURSE, learning::CourseAction::ALL);
        every_action_has_one_row(&learning::REFLECTION, learning::ReflectionAction::ALL);
        every_action_has_one_row(&learning::QUIZ_ATTEMPT, learning::QuizAttemptAction::ALL);
        every_action_has_one_row(&rollcall::ROLL_CALL, rollcall::RollCallAction::ALL);
        every_action_has_one_row(&sanctions::SANCTION, sanctions::SanctionAction::ALL);
        every_action_has_one_row(&sanctions::TAG_ORDER, sanctions::TagAction::ALL);
        every_action_has_one_row(&service::PARTICIPATION, service::ParticipationAction::ALL);
        every_action_has_one_row(&service::ACTIVITY, service::ActivityAction::ALL);
    }

    #[test]
    fn an_action_may_name_its_own_wrong_state() {
        use crate::policy::learning::{
            QuizAttemptAction as Q, QuizAttemptStatus as S, QUIZ_ATTEMPT,
        };
        let sv = Party::person(Role::Supervisee, None);
        let officer = Party::person(Role::Officer, None);
        assert_eq!(
            QUIZ_ATTEMPT.check(Q::Submit, S::Scored, sv),
            Err(ErrorCode::QuizAttemptSubmitted)
        );
        assert_eq!(
            QUIZ_ATTEMPT.check(Q::Grade, S::Open, officer),
            Err(ErrorCode::QuizNotAwaitingReview)
        );
        assert_eq!(
            QUIZ_ATTEMPT.check(Q::Grade, S::AwaitingReview, officer),
            Ok(S::Scored)
        );
        assert_eq!(
            QUIZ_ATTEMPT.check(Q::Grade, S::AwaitingReview, sv),
            Err(ErrorCode::Forbidden)
        );
    }

    /// The refusal an officer below a row's level gets, if any row needs a level.
    fn level_refusal<S, A>(m: &Machine<S, A>) -> Option<ErrorCode> {
        m.rules
            .iter()
            .any(|r| matches!(r.who, Who::Officer(Some(_))))
            .then_some(m.below_level)
    }

    /// Each machine that needs a level says so in its own words, never another's (a release
    /// refused as "this leave must be decided by the county" is what this replaced).
    #[test]
    fn each_machine_names_its_own_level_refusal() {
        use crate::policy::{help, learning, rollcall, sanctions};
        let refusals = [
            ("leave", level_refusal(&LEAVE)),
            ("relocation", level_refusal(&RELOCATION)),
            ("visitor", level_refusal(&VISITOR)),
            ("alert", level_refusal(&ALERT)),
            ("case", level_refusal(&CASE)),
            ("help", level_refusal(&help::HELP)),
            ("sanction", level_refusal(&sanctions::SANCTION)),
            ("course", level_refusal(&learning::COURSE)),
            ("reflection", level_refusal(&learning::REFLECTION)),
            ("roll_call", level_refusal(&rollcall::ROLL_CALL)),
            ("tag_order", level_refusal(&sanctions::TAG_ORDER)),
        ];
        let mut seen: Vec<(ErrorCode, &str)> = vec![];
        for (name, code) in refusals {
            let Some(code) = code else { continue };
            assert_ne!(
                code,
                ErrorCode::Forbidden,
                "{name}: say which level decides"
            );
            assert_eq!(code.http_status(), 403, "{name}: {code:?}");
            if let Some((_, other)) = seen.iter().find(|(c, _)| *c == code) {
                panic!("{name} and {other} share {code:?}");
            }
            seen.push((code, name));
        }
        let named: Vec<&str> = seen.iter().map(|(_, n)| *n).collect();
        assert_eq!(
            named,
            ["relocation", "case", "sanction", "course", "tag_order"]
        );
    }

    const SV: Party = Party::Person {
        role: Role::Supervisee,
        level: None,
    };
    const OFFICE: Party = Party::Person {
        role: Role::Officer,
        level: Some(ApprovalLevel::JudicialOffice),
    };
    const COUNTY: Party = Party::Person {
        role: Role::Officer,
        level: Some(ApprovalLevel::CountyAgency),
    };

    /// Measures art. 27-28: the supervisee submits, cancels before departure, departs and
    /// reports back; an officer decides; only the job marks a leave overdue.
    #[test]
    fn leave_life() {
        assert_eq!(
            LEAVE.check(LeaveAction::Submit, L::Draft, SV),
            Ok(L::Submitted)
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Approve, L::Submitted, OFFICE),
            Ok(L::Approved)
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Approve, L::Submitted, SV),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Approve, L::Draft, OFFICE),
            Err(ErrorCode::LeaveTransitionInvalid)
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Cancel, L::Active, SV),
            Err(ErrorCode::LeaveTransitionInvalid),
            "too late once departed"
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Return, L::Overdue, SV),
            Ok(L::Returned),
            "a late return stays on record"
        );
        assert_eq!(
            LEAVE.check(LeaveAction::Extend, L::Active, SV),
            Ok(L::Active),
            "an extension is a new request"
        );
        assert_eq!(
            LEAVE.check(LeaveAction::MarkOverdue, L::Active, OFFICE),
            Err(ErrorCode::Forbidden)
        );
        assert_eq!(
            LEAVE.check(LeaveAction::MarkOverdue, L::Active, Party::System),
            Ok(L::Overdue)
        );
        assert_eq!(
            LEAVE.possible(L::Approved, SV),
            vec![
                LeaveAction::Cancel,
                LeaveAction::Depart,
                LeaveAction::Extend
            ]
        );
        assert_eq!(
            LEAVE.possible(L::Submitted, OFFICE),
            vec![LeaveAction::Approve, LeaveAction::Reject]
        );
        assert!(LEAVE.possible(L::Returned, SV).is_empty());
        for s in [L::Rejected, L::Cancelled, L::Returned] {
            assert!(
                LEAVE.possible(s, SV).is_empty() && LEAVE.possible(s, COUNTY).is_empty(),
                "{s:?} is final"
            );
        }
    }

    /// Art. 30: only a county agency (or above) gives the opinion and decides.
    #[test]
    fn relocation_needs_the_county() {
        assert_eq!(
            RELOCATION.check(RelocationAction::Approve, R::Submitted, OFFICE),
            Err(ErrorCode::RelocationNeedsCounty)
        );
        assert_eq!(
            RELOCATION.check(RelocationAction::Approve, R::Submitted, COUNTY),
            Ok(R::Approved)
        );
        assert_eq!(
            RELOCATION.check(RelocationAction::Consult, R::Submitted, COUNTY),
            Ok(R::Submitted)
        );
        assert_eq!(
            RELOCATION.check(RelocationAction::Cancel, R::Approved, SV),
            Err(ErrorCode::RequestTransitionInvalid)
        );
        assert_eq!(RELOCATION.possible(R::Submitted, OFFICE), vec![]);
        assert_eq!(
            RELOCATION.possible(R::Submitted, SV),
            vec![RelocationAction::Cancel]
        );
    }

    /// Law art. 23: approval of a visit is an officer's; the supervisee may withdraw it.
    #[test]
    fn visitor_and_alert() {
        assert_eq!(
            VISITOR.check(VisitorAction::Approve, R::Recorded, OFFICE),
            Err(ErrorCode::RequestTransitionInvalid),
            "a recorded visit needs no decision"
        );
        assert_eq!(
            VISITOR.possible(R::Submitted, OFFICE),
            vec![VisitorAction::Approve, VisitorAction::Reject]
        );
        assert_eq!(
            ALERT.check(AlertAction::Acknowledge, AlertState::Acknowledged, OFFICE),
            Err(ErrorCode::AlertTransitionInvalid)
        );
        assert_eq!(
            ALERT.check(AlertAction::Resolve, AlertState::Acknowledged, OFFICE),
            Ok(AlertState::Resolved)
        );
        assert_eq!(
            ALERT.check(AlertAction::Resolve, AlertState::Open, SV),
            Err(ErrorCode::Forbidden)
        );
    }

    /// Law art. 44-46: nothing leaves an ended case; an absconded case is found or ended.
    #[test]
    fn case_life() {
        for s in CaseStatus::ALL
            .iter()
            .copied()
            .filter(|s| crate::policy::case_is_closed(*s))
        {
            assert!(
                CASE.possible(s, COUNTY).is_empty(),
                "{s:?} is archived read-only"
            );
        }
        assert_eq!(
            CASE.check(CaseAction::Resume, C::Absconded, OFFICE),
            Ok(C::Active)
        );
        assert_eq!(
            CASE.check(CaseAction::Resume, C::PreIntake, OFFICE),
            Err(ErrorCode::CaseTransitionInvalid),
            "activation is the announcement"
        );
        assert_eq!(CaseAction::to_status(C::PreIntake), None);
        for s in CaseStatus::ALL {
            if let Some(a) = CaseAction::to_status(*s) {
                assert_eq!(CASE.rule(a).to, Some(*s));
            }
        }
    }
}
