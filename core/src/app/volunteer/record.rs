//! The volunteer's service record (志愿服务记录): this year's confirmed minutes month by month,
//! the sessions still waiting for an officer's confirmation (they do not count yet), and the
//! certificates issued, each to open as its PDF. Kept on the phone for offline.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::api::{CertificateView, ServiceRecordView};
use crate::app::kept::Kept;
use crate::app::text::Text;
use crate::app::{trouble, Fact, Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::{Client, ClientError};
use crate::error::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CertificateLine {
    pub number: String,
    /// "2026-09至2026-11，360 分钟".
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordState {
    pub title: String,
    pub total: Option<String>,
    pub waiting: Option<String>,
    /// Month (`YYYY-MM`) → minutes and sessions.
    pub months: Vec<Fact>,
    pub certificates: Vec<CertificateLine>,
    pub certificates_note: Option<String>,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait RecordListener: Send + Sync {
    fn changed(&self, state: RecordState);
}

/// What the screen is made from, as kept on the phone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordData {
    pub record: ServiceRecordView,
    pub certificates: Vec<CertificateView>,
}

async fn fetch(client: &Client) -> Result<RecordData, ClientError> {
    let me = client.me().await?;
    let (record, certificates) = futures::try_join!(
        client.service_record(me.id, None),
        client.volunteer_certificates(me.id).all(),
    )?;
    Ok(RecordData {
        record,
        certificates,
    })
}

fn compose(d: &RecordData, lang: Lang, state: &mut RecordState) {
    let r = &d.record;
    state.total =
        Some(Text::RecordTotal.say(lang, &[&r.year.to_string(), &r.total_minutes.to_string()]));
    state.waiting =
        (r.waiting > 0).then(|| Text::RecordWaiting.say(lang, &[&r.waiting.to_string()]));
    state.months = r
        .months
        .iter()
        .map(|m| Fact {
            label: m.month.clone(),
            value: Text::MonthLine.say(lang, &[&m.minutes.to_string(), &m.sessions.to_string()]),
        })
        .collect();
    state.certificates = d
        .certificates
        .iter()
        .map(|c| CertificateLine {
            number: c.number.clone(),
            detail: Text::CertificateLine
                .say(lang, &[&c.from_month, &c.to_month, &c.minutes.to_string()]),
        })
        .collect();
    state.certificates_note = d
        .certificates
        .is_empty()
        .then(|| Text::NoCertificates.say(lang, &[]));
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct RecordScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    shown: Mutex<Kept<RecordData>>,
    listeners: Listeners<dyn RecordListener>,
}

const KEY: &str = "volunteer.record";

impl RecordScreen {
    /// The signed-in volunteer's record, starting from what the phone kept.
    pub async fn open(client: Arc<Client>, cache: Option<Arc<Outbox>>) -> Arc<RecordScreen> {
        let kept = Kept::recall(cache.as_deref(), KEY).await;
        Arc::new(RecordScreen {
            client,
            cache,
            shown: Mutex::new(kept),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, k: &Kept<RecordData>) -> RecordState {
        let lang = self.client.lang();
        let mut state = RecordState {
            title: Text::RecordTitle.say(lang, &[]),
            total: None,
            waiting: None,
            months: vec![],
            certificates: vec![],
            certificates_note: None,
            freshness: k.freshness(Utc::now(), lang),
            loading: k.loading,
            message: k.message.clone(),
            route: k.route,
        };
        if let Some(d) = &k.data {
            compose(d, lang, &mut state);
        }
        state
    }

    fn changed(&self, change: impl FnOnce(&mut Kept<RecordData>)) -> RecordState {
        self.listeners.change(
            &self.shown,
            change,
            |k| self.render(k),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl RecordScreen {
    pub fn state(&self) -> RecordState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn RecordListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> RecordState {
        self.changed(|k| k.loading = true);
        let got = fetch(&self.client).await;
        let now = Kept::keep(self.cache.as_deref(), KEY, &got).await;
        let lang = self.client.lang();
        self.changed(|k| k.take(got, now, lang))
    }

    /// A certificate as its PDF, to show or share; `None` with the reason in
    /// `state().message`.
    pub async fn certificate_pdf(&self, number: String) -> Option<Vec<u8>> {
        match self.client.certificate_pdf(&number).await {
            Ok(pdf) => Some(pdf),
            Err(e) => {
                let t = trouble(&e, self.client.lang());
                self.changed(|k| {
                    k.message = Some(t.message);
                    k.route = t.route;
                });
                None
            }
        }
    }
}
