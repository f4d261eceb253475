//! Release at term end (解除社区矫正, law art. 44; the county agency): the term and whether it
//! is over (`policy::release::check_release`), the announcement's place, who was present and a
//! note (`check_announcement`, as the server checks them), then the release itself and its
//! certificate (解除社区矫正证明书, a PDF). A released person shows the certificate's number.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::api::{CaseView, ReleaseRequest, ReleaseView};
use crate::app::text::{self, Text};
use crate::app::{trouble, with_server, Fact, FieldError, Listeners, Route, Watching};
use crate::client::{Client, ClientError};
use crate::error::{ErrorCode, Lang};
use crate::labels::Label;
use crate::model::CaseStatus;
use crate::policy::calendar::local_date;
use crate::policy::release::{check_announcement, check_release, ATTENDEES_MAX};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReleaseState {
    pub title: String,
    pub person: String,
    /// The term and the case's status; once released, the certificate's number and day.
    pub facts: Vec<Fact>,
    pub place_label: String,
    pub place: String,
    pub attendees_label: String,
    pub attendees: Vec<String>,
    /// Another person present may be named (at most `ATTENDEES_MAX`).
    pub can_add_attendee: bool,
    pub note_label: String,
    pub note: String,
    pub errors: Vec<FieldError>,
    pub release_label: String,
    pub can_release: bool,
    pub why_not: Option<String>,
    /// Released: the certificate can be opened (`certificate()`).
    pub released: bool,
    pub busy: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait ReleaseListener: Send + Sync {
    fn changed(&self, state: ReleaseState);
}

#[derive(Default)]
struct Shown {
    case: Option<CaseView>,
    release: Option<ReleaseView>,
    place: String,
    attendees: Vec<String>,
    note: String,
    server_errors: Vec<FieldError>,
    busy: bool,
    message: Option<String>,
    route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct ReleaseScreen {
    client: Arc<Client>,
    case_id: Uuid,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn ReleaseListener>,
}

fn problems(s: &Shown, lang: Lang) -> Vec<FieldError> {
    let note = Some(s.note.as_str());
    match check_announcement(&s.place, &s.attendees, note) {
        Ok(()) => vec![],
        Err(p) => vec![FieldError {
            field: p.field,
            message: p.said.get(lang).into(),
        }],
    }
}

impl ReleaseScreen {
    /// Case `case_id`'s release, read at once.
    pub async fn open(client: Arc<Client>, case_id: Uuid) -> Arc<ReleaseScreen> {
        let screen = Arc::new(ReleaseScreen {
            client,
            case_id,
            shown: Mutex::new(Shown::default()),
            listeners: Listeners::new(),
        });
        screen.refresh().await;
        screen
    }

    fn render(&self, s: &Shown) -> ReleaseState {
        let lang = self.client.lang();
        let now = Utc::now();
        let today = local_date(now);
        let mut facts = vec![];
        if let Some(c) = &s.case {
            let fact = |label: Text, value: String| Fact {
                label: label.say(lang, &[]),
                value,
            };
            facts.push(fact(
                Text::FactTerm,
                text::term(c.start_date, c.end_date, today, lang),
            ));
            facts.push(fact(Text::FactStatus, c.status.label(lang).into()));
            if let Some(r) = &s.release {
                facts.push(fact(Text::FactCertificate, r.number.clone()));
                facts.push(fact(
                    Text::FactReleasedOn,
                    text::day(r.released_on, today, lang),
                ));
            }
        }
        let released = s.release.is_some();
        let errors = if released {
            vec![]
        } else {
            with_server(problems(s, lang), &s.server_errors)
        };
        let (can_release, why_not) = match &s.case {
            None => (false, None),
            Some(_) if released => (false, None),
            Some(c) if c.status != CaseStatus::Active => (
                false,
                Some(Text::NotActive.say(lang, &[c.status.label(lang)])),
            ),
            Some(c) => match check_release(c.end_date, today) {
                Err(code) => (false, Some(code.message(lang).into())),
                Ok(()) => match errors.first() {
                    Some(e) => (false, Some(e.message.clone())),
                    None => (!s.busy, None),
                },
            },
        };
        ReleaseState {
            title: Text::ReleaseTitle.say(lang, &[]),
            person: s.case.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
            facts,
            place_label: Text::AnnouncedAt.say(lang, &[]),
            place: s
                .release
                .as_ref()
                .map_or_else(|| s.place.clone(), |r| r.place.clone()),
            attendees_label: Text::Present.say(lang, &[]),
            attendees: s
                .release
                .as_ref()
                .map_or_else(|| s.attendees.clone(), |r| r.attendees.clone()),
            can_add_attendee: !released && s.attendees.len() < ATTENDEES_MAX,
            note_label: Text::ReleaseNoteLabel.say(lang, &[]),
            note: s
                .release
                .as_ref()
                .map_or_else(|| s.note.clone(), |r| r.note.clone().unwrap_or_default()),
            errors,
            release_label: Text::ReleaseAction.say(lang, &[]),
            can_release,
            why_not,
            released,
            busy: s.busy,
            message: s.message.clone(),
            route: s.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> ReleaseState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }

    fn failed(&self, e: &ClientError) -> ReleaseState {
        let t = trouble(e, self.client.lang());
        self.changed(|s| {
            s.busy = false;
            s.server_errors = t.fields;
            s.message = Some(t.message);
            s.route = t.route;
        })
    }
}

/// The case's release, if it has one.
async fn release_of(client: &Client, case_id: Uuid) -> Result<Option<ReleaseView>, ClientError> {
    match client.case_release(case_id).await {
        Ok(r) => Ok(Some(r)),
        Err(e) if e.code() == Some(ErrorCode::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl ReleaseScreen {
    pub fn state(&self) -> ReleaseState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn ReleaseListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> ReleaseState {
        self.changed(|s| s.busy = true);
        let c = &self.client;
        match futures::try_join!(c.case(self.case_id), release_of(c, self.case_id)) {
            Ok((case, release)) => self.changed(|s| {
                s.busy = false;
                s.case = Some(case);
                s.release = release;
                s.message = None;
                s.route = None;
            }),
            Err(e) => self.failed(&e),
        }
    }

    pub fn set_place(&self, place: String) -> ReleaseState {
        self.changed(|s| {
            s.place = place;
            s.server_errors.retain(|e| e.field != "place");
        })
    }

    /// Names one more person present.
    pub fn add_attendee(&self, name: String) -> ReleaseState {
        self.changed(|s| {
            if s.attendees.len() < ATTENDEES_MAX {
                s.attendees.push(name);
            }
            s.server_errors
                .retain(|e| !e.field.starts_with("attendees"));
        })
    }

    pub fn remove_attendee(&self, index: u32) -> ReleaseState {
        self.changed(|s| {
            if (index as usize) < s.attendees.len() {
                s.attendees.remove(index as usize);
            }
            s.server_errors
                .retain(|e| !e.field.starts_with("attendees"));
        })
    }

    pub fn set_note(&self, note: String) -> ReleaseState {
        self.changed(|s| {
            s.note = note;
            s.server_errors.retain(|e| e.field != "note");
        })
    }

    /// Releases the person and issues the certificate.
    pub async fn release(&self) -> ReleaseState {
        let lang = self.client.lang();
        let req = {
            let s = self.shown.lock().expect("not poisoned");
            if !self.render(&s).can_release {
                return self.render(&s);
            }
            ReleaseRequest {
                place: s.place.trim().into(),
                attendees: s.attendees.iter().map(|a| a.trim().to_owned()).collect(),
                note: Some(s.note.trim().to_owned()).filter(|n| !n.is_empty()),
            }
        };
        self.changed(|s| {
            s.busy = true;
            s.message = None;
        });
        match self.client.release_case(self.case_id, &req).await {
            Ok(r) => {
                let said = Text::Released.say(lang, &[&r.number]);
                let case = self.client.case(self.case_id).await.ok();
                self.changed(|s| {
                    s.busy = false;
                    s.release = Some(r);
                    if case.is_some() {
                        s.case = case;
                    }
                    s.message = Some(said);
                })
            }
            Err(e) => self.failed(&e),
        }
    }

    /// The release certificate (PDF), once released; none before, or when it cannot be read
    /// now (the message says why).
    pub async fn certificate(&self) -> Option<Vec<u8>> {
        self.shown.lock().expect("not poisoned").release.as_ref()?;
        match self.client.release_certificate_pdf(self.case_id).await {
            Ok(pdf) => Some(pdf),
            Err(e) => {
                self.failed(&e);
                None
            }
        }
    }
}
