//! The supervisee's activity area (活动区域) for the map: each area's name, whether it is in
//! force now, and its shape (GeoJSON-like, for the app to draw on its own map — no tile
//! server is assumed); given the phone's fix, whether the person is inside, or how far out
//! (`policy::location`, the same geometry the server judges). Exclusion zones are never sent
//! to a supervisee. Kept on the phone for offline.

use std::sync::{Arc, Mutex};

use chrono::Utc;

use crate::api::{FenceView, GpsFix};
use crate::app::kept::Kept;
use crate::app::text::Text;
use crate::app::{Freshness, Listeners, Route, Watching};
use crate::client::outbox::Outbox;
use crate::client::Client;
use crate::labels::Label;
use crate::policy::location::FenceShape;

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AreaLine {
    pub name: String,
    /// "活动区域".
    pub kind: String,
    /// In force now, or not, in words.
    pub status: String,
    pub active_now: bool,
    /// The shape to draw (a polygon's rings or a circle), as the API sends it.
    pub shape: FenceShape,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AreasState {
    pub title: String,
    pub areas: Vec<AreaLine>,
    pub empty_note: Option<String>,
    /// With a fix: inside, or how far out, said.
    pub position: Option<String>,
    pub outside: bool,
    pub freshness: Freshness,
    pub loading: bool,
    pub message: Option<String>,
    pub route: Option<Route>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait AreasListener: Send + Sync {
    fn changed(&self, state: AreasState);
}

struct Shown {
    kept: Kept<Vec<FenceView>>,
    fix: Option<GpsFix>,
}

/// How far outside the nearest area in force `fix` is, metres (0 inside); `None` when no
/// area is in force.
fn outside_by(areas: &[FenceView], fix: &GpsFix) -> Option<f64> {
    areas
        .iter()
        .filter(|a| a.active_now)
        .filter_map(|a| a.shape.compile().ok())
        .map(|s| s.signed_distance_m(fix.lat, fix.lon).max(0.0))
        .min_by(f64::total_cmp)
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct AreasScreen {
    client: Arc<Client>,
    cache: Option<Arc<Outbox>>,
    shown: Mutex<Shown>,
    listeners: Listeners<dyn AreasListener>,
}

const KEY: &str = "supervisee.areas";

impl AreasScreen {
    /// The person's own areas, starting from what the phone kept.
    pub async fn open(client: Arc<Client>, cache: Option<Arc<Outbox>>) -> Arc<AreasScreen> {
        let kept = Kept::recall(cache.as_deref(), KEY).await;
        Arc::new(AreasScreen {
            client,
            cache,
            shown: Mutex::new(Shown { kept, fix: None }),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, s: &Shown) -> AreasState {
        let lang = self.client.lang();
        let areas: &[FenceView] = s.kept.data.as_deref().unwrap_or_default();
        let out = s.fix.as_ref().and_then(|f| outside_by(areas, f));
        AreasState {
            title: Text::AreasTitle.say(lang, &[]),
            areas: areas
                .iter()
                .map(|a| AreaLine {
                    name: a.name.clone(),
                    kind: a.kind.label(lang).into(),
                    status: if a.active_now {
                        Text::AreaInForce
                    } else {
                        Text::AreaNotNow
                    }
                    .say(lang, &[]),
                    active_now: a.active_now,
                    shape: a.shape.clone(),
                })
                .collect(),
            empty_note: (s.kept.data.is_some() && areas.is_empty())
                .then(|| Text::NoAreas.say(lang, &[])),
            position: out.map(|m| {
                if m > 0.0 {
                    Text::OutsideArea.say(lang, &[&format!("{m:.0}")])
                } else {
                    Text::InsideArea.say(lang, &[])
                }
            }),
            outside: out.is_some_and(|m| m > 0.0),
            freshness: s.kept.freshness(Utc::now(), lang),
            loading: s.kept.loading,
            message: s.kept.message.clone(),
            route: s.kept.route,
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Shown)) -> AreasState {
        self.listeners.change(
            &self.shown,
            change,
            |s| self.render(s),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export(async_runtime = "tokio"))]
impl AreasScreen {
    pub fn state(&self) -> AreasState {
        self.render(&self.shown.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn AreasListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    pub async fn refresh(&self) -> AreasState {
        self.changed(|s| s.kept.loading = true);
        let got = self.client.own_areas().await;
        let now = Kept::keep(self.cache.as_deref(), KEY, &got).await;
        let lang = self.client.lang();
        self.changed(|s| s.kept.take(got, now, lang))
    }

    /// The phone's current fix: whether the person is inside is said.
    pub fn set_location(&self, fix: GpsFix) -> AreasState {
        self.changed(|s| s.fix = Some(fix))
    }
}
