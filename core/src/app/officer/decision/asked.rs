//! What an officer is asked to decide, kind by kind: how it is read, what it shows, when it
//! waits for a decision, the two answers the kind allows and the note each needs (as the
//! server requires it), and how the answer is sent at the version read.

use chrono::Utc;
use uuid::Uuid;

use crate::api::{
    AlertView, CheckinReviewRequest, CheckinView, ConsultationRequest, DeviceView, EvidenceFrame,
    HelpSessionReview, HelpSessionView, LeaveDecisionRequest, LeaveView, QueueKind,
    QuizAttemptView, QuizGrade, QuizGradeItem, ReflectionReview, ReflectionView, RelocationView,
    RollCallReview, RollCallReviewDecision, RollCallView, SanctionDecision, SanctionView,
    VisitorView,
};
use crate::app::text::{self, Text};
use crate::app::Fact;
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::model::{AlertState, DeviceStatus, LeaveStatus, RequestStatus};
use crate::policy::calendar::local_date;
use crate::policy::checkin::{CheckinAction, CheckinResult};
use crate::policy::help::HelpStatus;
use crate::policy::learning::{QuizAttemptStatus, ReflectionStatus};
use crate::policy::quiz::QuestionKind;
use crate::policy::rollcall::RollCallStatus;
use crate::policy::sanctions::SanctionStatus;

/// The record as read.
#[derive(Clone)]
pub(super) enum Asked {
    Leave(LeaveView),
    Visitor(VisitorView),
    Relocation(RelocationView),
    /// A move into the officer's jurisdiction: the receiving side's opinion.
    Consultation(RelocationView),
    Checkin(CheckinView),
    RollCall(RollCallView),
    Reflection(ReflectionView),
    Quiz(QuizAttemptView),
    Help(HelpSessionView),
    Alert(AlertView),
    /// A new phone, and the case it is for.
    Device(Uuid, DeviceView),
    Sanction(SanctionView),
}

/// Which answers need a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Note {
    /// Both answers.
    Always,
    /// Only the second (returning, rejecting): "what to improve".
    ToReject,
    /// None is written (a phone; marks instead, for a quiz).
    Never,
}

/// The written answer of a quiz attempt to mark: question, what was written, out of how many.
pub(super) struct Written {
    pub question_id: Uuid,
    pub prompt: String,
    pub answer: String,
    pub points: u32,
}

/// The answer the officer gives.
pub(super) struct Answer {
    pub approve: bool,
    pub note: String,
    /// A quiz's marks, one per written answer.
    pub marks: Vec<(Uuid, u32)>,
}

impl Asked {
    pub(super) async fn read(
        client: &Client,
        kind: QueueKind,
        id: Uuid,
        case_id: Uuid,
    ) -> Result<Asked, ClientError> {
        Ok(match kind {
            QueueKind::Leave => Asked::Leave(client.leave(id).await?),
            QueueKind::Visitor => Asked::Visitor(client.visit(id).await?),
            QueueKind::Relocation => Asked::Relocation(client.relocation(id).await?),
            QueueKind::Consultation => Asked::Consultation(client.relocation(id).await?),
            QueueKind::Checkin => Asked::Checkin(client.checkin(id).await?),
            QueueKind::RollCall => Asked::RollCall(client.roll_call(id).await?),
            QueueKind::Reflection => Asked::Reflection(client.reflection(id).await?),
            QueueKind::QuizAttempt => Asked::Quiz(client.quiz_attempt(id).await?),
            QueueKind::HelpSession => Asked::Help(client.help_session(id).await?),
            QueueKind::Alert => Asked::Alert(client.alert(id).await?),
            QueueKind::Sanction => Asked::Sanction(client.sanction(id).await?),
            QueueKind::Device => {
                let phones = client.devices(case_id).await?;
                match phones.into_iter().find(|d| d.id == id) {
                    Some(d) => Asked::Device(case_id, d),
                    None => return Err(ClientError::of(ErrorCode::NotFound, client.lang())),
                }
            }
            QueueKind::Unknown => return Err(ClientError::of(ErrorCode::NotFound, client.lang())),
        })
    }

    /// Its status in words, and whether it waits for a decision.
    pub(super) fn status(&self, lang: Lang) -> (String, bool) {
        let (label, waits) = match self {
            Asked::Leave(l) => (l.status.label(lang), l.status == LeaveStatus::Submitted),
            Asked::Visitor(v) => (v.status.label(lang), v.status == RequestStatus::Submitted),
            Asked::Relocation(r) => (r.status.label(lang), r.status == RequestStatus::Submitted),
            Asked::Consultation(r) => (
                r.status.label(lang),
                r.status == RequestStatus::Submitted && r.consultation_agrees.is_none(),
            ),
            Asked::Checkin(c) => (c.result.label(lang), c.result == CheckinResult::NeedsReview),
            Asked::RollCall(r) => (
                r.status.label(lang),
                r.status == RollCallStatus::NeedsReview,
            ),
            Asked::Reflection(r) => (
                r.status.label(lang),
                r.status == ReflectionStatus::Submitted,
            ),
            Asked::Quiz(q) => (
                q.status.label(lang),
                q.status == QuizAttemptStatus::AwaitingReview,
            ),
            Asked::Help(h) => (h.status.label(lang), h.status == HelpStatus::Logged),
            Asked::Alert(a) => (
                a.state.label(lang),
                matches!(a.state, AlertState::Open | AlertState::Acknowledged),
            ),
            Asked::Device(_, d) => (d.status.label(lang), d.status == DeviceStatus::Pending),
            Asked::Sanction(s) => (s.status.label(lang), s.status == SanctionStatus::Proposed),
        };
        (label.to_owned(), waits)
    }

    /// The words of the two answers: (yes, no); no second one where the kind has none.
    pub(super) fn answers(&self, lang: Lang) -> (String, Option<String>) {
        let (yes, no) = match self {
            Asked::Leave(_) | Asked::Visitor(_) | Asked::Relocation(_) | Asked::Sanction(_) => {
                (Text::ApproveAction, Some(Text::RejectAction))
            }
            Asked::Consultation(_) => (Text::AgreeToReceive, Some(Text::DisagreeToReceive)),
            Asked::Checkin(_) => (Text::ReviewCounts, Some(Text::ReviewDoesNotCount)),
            Asked::RollCall(_) => (Text::RollCallWasThem, Some(Text::RollCallWasNotThem)),
            Asked::Reflection(_) => (Text::AcceptAction, Some(Text::ReturnAction)),
            Asked::Help(_) => (Text::ConfirmAction, Some(Text::ReturnAction)),
            Asked::Quiz(_) => (Text::SubmitMarks, None),
            Asked::Alert(_) => (Text::ResolveAction, None),
            Asked::Device(..) => (Text::AllowPhone, Some(Text::RefusePhone)),
        };
        (yes.say(lang, &[]), no.map(|t| t.say(lang, &[])))
    }

    pub(super) fn note(&self) -> Note {
        match self {
            Asked::Reflection(_) | Asked::Help(_) => Note::ToReject,
            Asked::Quiz(_) | Asked::Device(..) => Note::Never,
            _ => Note::Always,
        }
    }

    /// What the note is called on this kind.
    pub(super) fn note_label(&self, lang: Lang) -> Option<String> {
        let t = match self {
            Asked::Quiz(_) | Asked::Device(..) => return None,
            Asked::Leave(_)
            | Asked::Visitor(_)
            | Asked::Relocation(_)
            | Asked::Consultation(_)
            | Asked::Sanction(_) => Text::OpinionLabel,
            Asked::Alert(_) => Text::HandlingLabel,
            Asked::Reflection(_) | Asked::Help(_) => Text::CommentLabel,
            Asked::Checkin(_) | Asked::RollCall(_) => Text::ReviewNoteLabel,
        };
        Some(t.say(lang, &[]))
    }

    /// The written answers a quiz attempt waits to have marked.
    pub(super) fn written(&self) -> Vec<Written> {
        let Asked::Quiz(q) = self else {
            return vec![];
        };
        q.questions
            .iter()
            .filter(|question| question.kind == QuestionKind::ShortText)
            .filter_map(|question| {
                let r = q.results.iter().find(|r| r.question_id == question.id)?;
                Some(Written {
                    question_id: question.id,
                    prompt: question.prompt.clone(),
                    answer: r.text.clone()?,
                    points: question.points,
                })
            })
            .collect()
    }

    /// Whether a picture backs it (the check-in photo, the call's best frame).
    pub(super) fn has_picture(&self) -> bool {
        match self {
            Asked::Checkin(_) => true,
            Asked::RollCall(r) => r.has_snapshot,
            _ => false,
        }
    }

    pub(super) async fn picture(&self, client: &Client) -> Result<Option<Vec<u8>>, ClientError> {
        match self {
            Asked::Checkin(c) => client.checkin_photo(c.id).await.map(Some),
            Asked::RollCall(r) if r.has_snapshot => client
                .roll_call_snapshot(r.id, EvidenceFrame::Best)
                .await
                .map(Some),
            _ => Ok(None),
        }
    }

    /// What was asked, as facts; `window_days` is the jurisdiction's window for days away.
    pub(super) fn facts(&self, window_days: i64, lang: Lang) -> Vec<Fact> {
        let now = Utc::now();
        let today = local_date(now);
        let fact = |label: Text, value: String| Fact {
            label: label.say(lang, &[]),
            value,
        };
        let listed = |items: Vec<&str>| {
            if items.is_empty() {
                Text::NoneListed.say(lang, &[])
            } else {
                text::list(&items, lang)
            }
        };
        let distance = |d: Option<f64>| match d {
            Some(d) => format!("{d:.2}"),
            None => Text::NoFaceFound.say(lang, &[]),
        };
        let mut facts = match self {
            Asked::Leave(l) => vec![
                fact(
                    Text::FactReason,
                    Text::LabelledValue.say(lang, &[l.reason_category.label(lang), &l.reason_text]),
                ),
                fact(Text::FactDestination, l.destination.name.clone()),
                fact(
                    Text::FactDates,
                    Text::LeaveDates.say(
                        lang,
                        &[
                            &text::day(l.start_date, today, lang),
                            &text::day(l.end_date, today, lang),
                            &l.days.to_string(),
                        ],
                    ),
                ),
                fact(Text::FactContact, l.contact_while_away.clone()),
                fact(Text::FactLevel, l.required_level.label(lang).into()),
                fact(
                    Text::FactNotice,
                    if l.urgent {
                        Text::UrgentRequest
                    } else if l.late_notice {
                        Text::LateRequest
                    } else {
                        Text::OrdinaryRequest
                    }
                    .say(lang, &[]),
                ),
                fact(
                    Text::FactWindow,
                    Text::WindowDays.say(
                        lang,
                        &[&window_days.to_string(), &l.window_total_days.to_string()],
                    ),
                ),
            ],
            Asked::Visitor(v) => vec![
                fact(
                    Text::FactVisitor,
                    Text::WithDetail.say(lang, &[&v.visitor_name, v.relation.label(lang)]),
                ),
                fact(Text::FactMeeting, text::when(v.meeting_at, now, lang)),
                fact(Text::FactPlace, v.place.clone()),
                fact(Text::FactReason, v.purpose.clone()),
            ],
            Asked::Relocation(r) | Asked::Consultation(r) => vec![
                fact(Text::FactNewAddress, r.new_residence.address.clone()),
                fact(Text::FactMoveDate, text::day(r.move_date, today, lang)),
                fact(Text::FactReason, r.reason.clone()),
                fact(
                    Text::FactConsultation,
                    match (r.consultation_agrees, &r.consultation_opinion) {
                        (Some(true), o) => {
                            Text::ConsultAgrees.say(lang, &[o.as_deref().unwrap_or_default()])
                        }
                        (Some(false), o) => {
                            Text::ConsultDisagrees.say(lang, &[o.as_deref().unwrap_or_default()])
                        }
                        (None, _) => Text::ConsultPending.say(lang, &[]),
                    },
                ),
            ],
            Asked::Checkin(c) => vec![
                fact(Text::FactTaken, text::when(c.created_at, now, lang)),
                fact(
                    Text::FactWhyDoubtful,
                    listed(c.reasons.iter().map(|r| r.label(lang)).collect()),
                ),
                fact(Text::FactFaceDistance, distance(c.face_distance)),
            ],
            Asked::RollCall(r) => vec![
                fact(Text::FactRang, text::when(r.ring_at, now, lang)),
                fact(
                    Text::FactAnswered,
                    r.answered_at
                        .map(|t| text::when(t, now, lang))
                        .unwrap_or_else(|| Text::NoneListed.say(lang, &[])),
                ),
                fact(
                    Text::FactWhyDoubtful,
                    listed(r.reasons.iter().map(|x| x.label(lang)).collect()),
                ),
                fact(Text::FactFaceDistance, distance(r.face_distance)),
                fact(Text::FactFramesJudged, r.frames_judged.to_string()),
            ],
            Asked::Reflection(r) => vec![
                fact(Text::FactLesson, r.lesson_title.clone()),
                fact(Text::FactWritten, r.text.clone()),
                fact(Text::FactSent, text::when(r.submitted_at, now, lang)),
            ],
            Asked::Quiz(q) => vec![
                fact(
                    Text::FactAttempt,
                    Text::AttemptOf.say(
                        lang,
                        &[&q.attempt_no.to_string(), &q.max_attempts.to_string()],
                    ),
                ),
                fact(
                    Text::FactPointsSoFar,
                    Text::PointsOf.say(
                        lang,
                        &[
                            &q.points.unwrap_or_default().to_string(),
                            &q.max_points.to_string(),
                            &q.pass_percent.to_string(),
                        ],
                    ),
                ),
            ],
            Asked::Help(h) => vec![
                fact(Text::FactHelper, h.author_name.clone()),
                fact(
                    Text::FactHelpKind,
                    Text::WithDetail.say(
                        lang,
                        &[
                            h.kind.label(lang),
                            &Text::HelpMinutes.say(lang, &[&h.minutes.to_string()]),
                        ],
                    ),
                ),
                fact(Text::FactBegan, text::when(h.began_at, now, lang)),
                fact(Text::FactNotes, h.notes.clone()),
                fact(
                    Text::FactRisks,
                    listed(h.risks.iter().map(|r| r.label(lang)).collect()),
                ),
                fact(
                    Text::FactFollowUp,
                    h.follow_up
                        .clone()
                        .unwrap_or_else(|| Text::NoneListed.say(lang, &[])),
                ),
            ],
            Asked::Alert(a) => vec![
                fact(Text::FactAlert, a.title.clone()),
                fact(Text::FactSeverity, a.severity.label(lang).into()),
                fact(Text::FactRaised, text::when(a.created_at, now, lang)),
            ],
            Asked::Device(_, d) => vec![
                fact(
                    Text::FactPhone,
                    match &d.name {
                        Some(n) => Text::WithDetail.say(lang, &[n, &d.device_id]),
                        None => d.device_id.clone(),
                    },
                ),
                fact(Text::FactFirstSeen, text::when(d.first_seen_at, now, lang)),
            ],
            Asked::Sanction(s) => vec![
                fact(Text::FactMeasure, s.sanction.label(lang).into()),
                fact(
                    Text::FactGround,
                    Text::WithDetail.say(
                        lang,
                        &[
                            match lang {
                                Lang::ZhCn => &s.ground.zh,
                                Lang::En => &s.ground.en,
                            },
                            &s.ground.article,
                        ],
                    ),
                ),
                fact(Text::FactReason, s.reason.clone()),
                fact(Text::FactProposed, text::when(s.proposed_at, now, lang)),
            ],
        };
        facts.push(fact(Text::FactStatus, self.status(lang).0));
        facts
    }

    /// Sends the answer at the version read; the record as it now is.
    pub(super) async fn answer(&self, c: &Client, a: Answer) -> Result<Asked, ClientError> {
        let note = a.note.trim().to_owned();
        let optional = || Some(note.clone()).filter(|n| !n.is_empty());
        let opinion = |version| LeaveDecisionRequest {
            version,
            opinion: note.clone(),
        };
        Ok(match self {
            Asked::Leave(l) => {
                Asked::Leave(c.decide_leave(l.id, a.approve, &opinion(l.version)).await?)
            }
            Asked::Visitor(v) if a.approve => {
                Asked::Visitor(c.approve_visit(v.id, &opinion(v.version)).await?)
            }
            Asked::Visitor(v) => Asked::Visitor(c.reject_visit(v.id, &opinion(v.version)).await?),
            Asked::Relocation(r) if a.approve => {
                Asked::Relocation(c.approve_relocation(r.id, &opinion(r.version)).await?)
            }
            Asked::Relocation(r) => {
                Asked::Relocation(c.reject_relocation(r.id, &opinion(r.version)).await?)
            }
            Asked::Consultation(r) => {
                let req = ConsultationRequest {
                    version: r.version,
                    agree: a.approve,
                    opinion: note,
                };
                Asked::Consultation(c.consult_relocation(r.id, &req).await?)
            }
            Asked::Checkin(x) => {
                let req = CheckinReviewRequest {
                    decision: if a.approve {
                        CheckinAction::Accept
                    } else {
                        CheckinAction::Reject
                    },
                    note,
                    version: Some(x.version),
                };
                Asked::Checkin(c.review_checkin(x.id, &req).await?)
            }
            Asked::RollCall(r) => {
                let req = RollCallReview {
                    decision: if a.approve {
                        RollCallReviewDecision::Confirm
                    } else {
                        RollCallReviewDecision::Reject
                    },
                    note,
                    version: Some(r.version),
                };
                Asked::RollCall(c.review_roll_call(r.id, &req).await?)
            }
            Asked::Reflection(r) => {
                let req = ReflectionReview {
                    accept: a.approve,
                    comment: optional(),
                    version: r.version,
                };
                Asked::Reflection(c.review_reflection(r.id, &req).await?)
            }
            Asked::Help(h) => {
                let req = HelpSessionReview {
                    confirm: a.approve,
                    note: optional(),
                    version: h.version,
                };
                Asked::Help(c.review_help_session(h.id, &req).await?)
            }
            Asked::Quiz(q) => {
                let req = QuizGrade {
                    grades: a
                        .marks
                        .iter()
                        .map(|&(question_id, points)| QuizGradeItem {
                            question_id,
                            points,
                        })
                        .collect(),
                    version: q.version,
                };
                Asked::Quiz(c.grade_quiz(q.id, &req).await?)
            }
            Asked::Alert(x) => Asked::Alert(c.resolve_alert(x.id, &note).await?),
            Asked::Device(case, d) if a.approve => {
                Asked::Device(*case, c.approve_device(*case, d.id).await?)
            }
            Asked::Device(case, d) => Asked::Device(*case, c.revoke_device(*case, d.id).await?),
            Asked::Sanction(s) => {
                let req = SanctionDecision {
                    approve: a.approve,
                    note,
                    version: s.version,
                };
                Asked::Sanction(c.decide_sanction(s.id, &req).await?)
            }
        })
    }
}
