//! What a live event says to a person when no screen of the app is in front of them: the
//! phone's notification — its channel (each kind of notice its own, so a person can silence
//! one without missing another), its words, the screen it opens, and whether it rings (a video
//! roll call: full screen, like an incoming call). Which events a role hears is data
//! (`NOTICES`); an event not listed, or not in a state worth saying, says nothing: the screen
//! shows it when opened.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::api::{AlertView, EventView};
use crate::app::text::{self, Text};
use crate::app::Route;
use crate::error::Lang;
use crate::labels::Label;
use crate::model::{AlertSeverity, AlertState, EventKind, RequestStatus, Role};
use crate::policy::rollcall::RollCallStatus;

/// How a channel's notices reach the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Loudness {
    /// Rings and takes the screen (a roll call: answer within minutes or it is missed).
    Ring,
    /// Sound and a heads-up banner (something to do now).
    High,
    /// Sound, in the list.
    Default,
}

/// The channels of notices, one per kind: what the phone's settings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NoticeChannel {
    RollCall,
    CheckNow,
    Requests,
    Decisions,
    Alerts,
    Help,
}

impl NoticeChannel {
    const ALL: [NoticeChannel; 6] = [
        NoticeChannel::RollCall,
        NoticeChannel::CheckNow,
        NoticeChannel::Requests,
        NoticeChannel::Decisions,
        NoticeChannel::Alerts,
        NoticeChannel::Help,
    ];

    fn id(self) -> &'static str {
        match self {
            NoticeChannel::RollCall => "roll_call",
            NoticeChannel::CheckNow => "check_now",
            NoticeChannel::Requests => "requests",
            NoticeChannel::Decisions => "decisions",
            NoticeChannel::Alerts => "alerts",
            NoticeChannel::Help => "help",
        }
    }

    fn name(self) -> Text {
        match self {
            NoticeChannel::RollCall => Text::RollCallTitle,
            NoticeChannel::CheckNow => Text::ChannelCheckNow,
            NoticeChannel::Requests => Text::ChannelRequests,
            NoticeChannel::Decisions => Text::DecisionsTitle,
            NoticeChannel::Alerts => Text::ChannelAlerts,
            NoticeChannel::Help => Text::ChannelHelp,
        }
    }

    fn loudness(self) -> Loudness {
        match self {
            NoticeChannel::RollCall => Loudness::Ring,
            NoticeChannel::CheckNow | NoticeChannel::Alerts => Loudness::High,
            NoticeChannel::Requests | NoticeChannel::Decisions | NoticeChannel::Help => {
                Loudness::Default
            }
        }
    }
}

/// What each role is told of, by event kind: the channel, and the screen a notice opens.
const NOTICES: &[(Role, EventKind, NoticeChannel, Route)] = &[
    (
        Role::Supervisee,
        EventKind::RollCall,
        NoticeChannel::RollCall,
        Route::RollCall,
    ),
    (
        Role::Supervisee,
        EventKind::CheckinRequest,
        NoticeChannel::CheckNow,
        Route::Checkin,
    ),
    (
        Role::Supervisee,
        EventKind::StudyFaceCheck,
        NoticeChannel::CheckNow,
        Route::Checkin,
    ),
    (
        Role::Supervisee,
        EventKind::Leave,
        NoticeChannel::Requests,
        Route::Leave,
    ),
    (
        Role::Supervisee,
        EventKind::Relocation,
        NoticeChannel::Requests,
        Route::Move,
    ),
    (
        Role::Supervisee,
        EventKind::Visitor,
        NoticeChannel::Requests,
        Route::Visitor,
    ),
    (
        Role::Supervisee,
        EventKind::Sanction,
        NoticeChannel::Decisions,
        Route::Decisions,
    ),
    (
        Role::Supervisee,
        EventKind::TagOrder,
        NoticeChannel::Decisions,
        Route::Decisions,
    ),
    (
        Role::Officer,
        EventKind::Alert,
        NoticeChannel::Alerts,
        Route::OfficerQueue,
    ),
    (
        Role::Volunteer,
        EventKind::HelpSession,
        NoticeChannel::Help,
        Route::VolunteerPeople,
    ),
    (
        Role::Volunteer,
        EventKind::TeamAssignment,
        NoticeChannel::Help,
        Route::VolunteerPeople,
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NoticeChannelView {
    /// The channel's id on the phone (stable: a person's settings for it are kept by it).
    pub id: String,
    pub name: String,
    pub loudness: Loudness,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NoticeView {
    pub channel: String,
    /// One notice per thing: a later notice about the same thing replaces the earlier one.
    pub key: String,
    pub title: String,
    pub body: String,
    pub route: Route,
    pub ring: bool,
}

/// The channels `role`'s app makes, in the person's language.
pub fn notice_channels(role: Role, lang: Lang) -> Vec<NoticeChannelView> {
    NoticeChannel::ALL
        .into_iter()
        .filter(|c| NOTICES.iter().any(|(r, _, ch, _)| *r == role && ch == c))
        .map(|c| NoticeChannelView {
            id: c.id().into(),
            name: c.name().say(lang, &[]),
            loudness: c.loudness(),
        })
        .collect()
}

/// What `event` says to `role` at `now`, if anything.
pub fn notice(role: Role, event: &EventView, now: DateTime<Utc>, lang: Lang) -> Option<NoticeView> {
    let kind = EventKind::parse(&event.kind)?;
    let (_, _, channel, route) = NOTICES
        .iter()
        .find(|(r, k, _, _)| *r == role && *k == kind)?;
    let at = |t: DateTime<Utc>| text::when(t, now, lang);
    let say = |t: Text| t.say(lang, &[]);
    let (title, body, id) = match kind {
        EventKind::RollCall => {
            let answer_by: DateTime<Utc> = field(event, "answer_by")?;
            if field::<RollCallStatus>(event, "status")? != RollCallStatus::Ringing
                || answer_by <= now
            {
                return None;
            }
            let body = Text::RollCallRinging.say(lang, &[&at(answer_by)]);
            (
                say(Text::RollCallTitle),
                body,
                field::<String>(event, "id")?,
            )
        }
        EventKind::CheckinRequest => {
            let deadline: DateTime<Utc> = field(event, "deadline")?;
            if field::<String>(event, "status")? != "open" || deadline <= now {
                return None;
            }
            let body = Text::CheckinAsked.say(lang, &[&at(deadline)]);
            (say(Text::CheckinTitle), body, field::<String>(event, "id")?)
        }
        EventKind::StudyFaceCheck => {
            let by: DateTime<Utc> = field(event, "face_check_by")?;
            let body = Text::StudyFaceCheck.say(lang, &[&at(by)]);
            (say(Text::DoFaceCheck), body, field::<String>(event, "id")?)
        }
        EventKind::Leave | EventKind::Relocation | EventKind::Visitor => {
            let status = RequestStatus::parse(&field::<String>(event, "status")?)?;
            if !matches!(status, RequestStatus::Approved | RequestStatus::Rejected) {
                return None;
            }
            let what = match kind {
                EventKind::Leave => Text::LeavesTitle,
                EventKind::Relocation => Text::MoveTitle,
                _ => Text::VisitorTitle,
            };
            let body = Text::RequestDecided.say(lang, &[&say(what), status.label(lang)]);
            (
                say(Text::ChannelRequests),
                body,
                field::<String>(event, "id")?,
            )
        }
        EventKind::Sanction | EventKind::TagOrder => (
            say(Text::DecisionsTitle),
            say(Text::NewDecision),
            field::<String>(event, "id")?,
        ),
        EventKind::Alert => {
            let alert: AlertView = payload(event)?;
            if alert.state != AlertState::Open
                || !matches!(
                    alert.severity,
                    AlertSeverity::High | AlertSeverity::Critical
                )
            {
                return None;
            }
            let title = Text::AlertNoticeTitle
                .say(lang, &[alert.kind.label(lang), alert.severity.label(lang)]);
            let body = Text::AlertNoticeBody.say(lang, &[&alert.case_name, &alert.title]);
            (title, body, alert.id.to_string())
        }
        EventKind::HelpSession | EventKind::TeamAssignment => (
            say(Text::ChannelHelp),
            say(Text::HelpChanged),
            event.case_id.to_string(),
        ),
        _ => return None,
    };
    Some(NoticeView {
        channel: channel.id().into(),
        key: format!("{}:{id}", event.kind),
        title,
        body,
        route: *route,
        ring: channel.loudness() == Loudness::Ring,
    })
}

fn payload<T: DeserializeOwned>(event: &EventView) -> Option<T> {
    serde_json::from_value(event.payload.clone()).ok()
}

fn field<T: DeserializeOwned>(event: &EventView, name: &str) -> Option<T> {
    serde_json::from_value(event.payload.get(name)?.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use serde_json::json;
    use uuid::Uuid;

    fn event(kind: EventKind, payload: serde_json::Value) -> EventView {
        EventView {
            kind: kind.as_str().into(),
            case_id: Uuid::nil(),
            payload,
        }
    }

    fn roll_call(status: &str, answer_by: DateTime<Utc>) -> EventView {
        let id = Uuid::new_v4();
        event(
            EventKind::RollCall,
            json!({ "id": id, "status": status, "answer_by": answer_by }),
        )
    }

    #[test]
    fn a_ringing_roll_call_rings_and_nothing_else_of_it_does() {
        let now = Utc::now();
        let n = notice(
            Role::Supervisee,
            &roll_call("ringing", now + Duration::minutes(5)),
            now,
            Lang::ZhCn,
        )
        .expect("a ringing call is said");
        assert!(n.ring);
        assert_eq!(
            (n.channel.as_str(), n.route),
            ("roll_call", Route::RollCall)
        );
        assert_eq!(n.title, "视频点名");
        assert!(n.body.starts_with("正在呼叫，请在"), "{}", n.body);
        // Over, or past its time, or heard by an officer: nothing.
        assert!(notice(
            Role::Supervisee,
            &roll_call("passed", now + Duration::minutes(5)),
            now,
            Lang::ZhCn
        )
        .is_none());
        assert!(notice(
            Role::Supervisee,
            &roll_call("ringing", now - Duration::seconds(1)),
            now,
            Lang::ZhCn
        )
        .is_none());
        assert!(notice(
            Role::Officer,
            &roll_call("ringing", now + Duration::minutes(5)),
            now,
            Lang::ZhCn
        )
        .is_none());
    }

    #[test]
    fn decided_requests_are_said_in_the_readers_language() {
        let now = Utc::now();
        let id = Uuid::new_v4();
        let approved = event(EventKind::Leave, json!({ "id": id, "status": "approved" }));
        let n = notice(Role::Supervisee, &approved, now, Lang::En).unwrap();
        assert_eq!(n.body, "My leave: Approved");
        assert_eq!(n.key, format!("leave:{id}"));
        assert!(!n.ring);
        let waiting = event(EventKind::Leave, json!({ "id": id, "status": "submitted" }));
        assert!(notice(Role::Supervisee, &waiting, now, Lang::En).is_none());
        // A kind this version does not know, or a payload it cannot read: nothing, no panic.
        assert!(notice(
            Role::Supervisee,
            &event(EventKind::Leave, json!(null)),
            now,
            Lang::En
        )
        .is_none());
        let unknown = EventView {
            kind: "newer_kind".into(),
            case_id: Uuid::nil(),
            payload: json!({}),
        };
        assert!(notice(Role::Supervisee, &unknown, now, Lang::En).is_none());
    }

    #[test]
    fn each_role_has_the_channels_it_hears_and_each_is_worded() {
        let ids = |role| {
            notice_channels(role, Lang::ZhCn)
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(Role::Supervisee),
            ["roll_call", "check_now", "requests", "decisions"]
        );
        assert_eq!(ids(Role::Officer), ["alerts"]);
        assert_eq!(ids(Role::Volunteer), ["help"]);
        for c in notice_channels(Role::Supervisee, Lang::En) {
            assert!(!c.name.is_empty());
        }
        assert_eq!(
            notice_channels(Role::Supervisee, Lang::En)[0].loudness,
            Loudness::Ring
        );
    }
}
