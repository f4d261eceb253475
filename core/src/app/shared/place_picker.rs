//! Choosing a place without a map (`places`): province, city, then county or district, or a
//! name typed in; then, if the person wants, the street. What is chosen is a `Place` — the
//! area's full name with the street, and the area's point — for a leave's destination or a
//! new home. Works offline: the areas are in the app.

use std::sync::{Arc, Mutex};

use crate::api::Place;
use crate::app::shared::places::{area, children, full_name, parent, search, Area};
use crate::app::text::Text;
use crate::app::{Choice, FieldError, Listeners, Watching};
use crate::client::Client;
use crate::error::Lang;
use crate::policy::text::{check, Shape};

/// How many areas a search lists.
const FOUND: usize = 50;
/// A place's name, as the server takes it (`Place.name`).
const NAME_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlaceRow {
    pub code: String,
    pub name: String,
    /// Where it is, for a search's rows: "浙江省杭州市".
    pub within: Option<String>,
    /// Opening it lists its areas; else opening it chooses it.
    pub opens: bool,
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlacePickerState {
    pub title: String,
    pub search_label: String,
    pub search: String,
    /// Where the list is: the country, then each area opened (code "" is the country).
    pub path: Vec<Choice>,
    pub rows: Vec<PlaceRow>,
    /// Why the list is empty (a search that found nothing).
    pub empty_note: Option<String>,
    /// The area chosen, in full: "浙江省杭州市临平区".
    pub chosen: Option<String>,
    pub detail_label: String,
    pub detail: String,
    pub done_label: String,
    pub errors: Vec<FieldError>,
    pub can_done: bool,
    pub done_why_not: Option<String>,
    /// The place, once `done` found it whole: hand it to the form.
    pub result: Option<Place>,
}

#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait PlacePickerListener: Send + Sync {
    fn changed(&self, state: PlacePickerState);
}

#[derive(Default)]
struct Picking {
    /// The area whose areas are listed (the country when none).
    at: Option<&'static Area>,
    search: String,
    chosen: Option<&'static Area>,
    detail: String,
    result: Option<Place>,
}

/// The place's name: the area's full name, then the street.
fn name_of(a: &Area, detail: &str) -> String {
    match detail.trim() {
        "" => full_name(a),
        d => format!("{} {d}", full_name(a)),
    }
}

fn check_picking(p: &Picking, lang: Lang) -> Vec<FieldError> {
    let mut errors = vec![];
    match p.chosen {
        None => errors.push(FieldError {
            field: "area".into(),
            message: Text::PlaceChooseCounty.say(lang, &[]),
        }),
        Some(a) => {
            let detail = p.detail.trim();
            let room = NAME_MAX.saturating_sub(full_name(a).chars().count() + 1);
            if !detail.is_empty() {
                if let Err(problem) = check(detail, room, Shape::Line) {
                    errors.push(FieldError {
                        field: "detail".into(),
                        message: problem.message().get(lang).into(),
                    });
                }
            }
        }
    }
    errors
}

#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct PlacePickerScreen {
    client: Arc<Client>,
    picking: Mutex<Picking>,
    listeners: Listeners<dyn PlacePickerListener>,
}

impl PlacePickerScreen {
    pub fn new(client: Arc<Client>) -> Arc<PlacePickerScreen> {
        Arc::new(PlacePickerScreen {
            client,
            picking: Mutex::new(Picking::default()),
            listeners: Listeners::new(),
        })
    }

    fn render(&self, p: &Picking) -> PlacePickerState {
        let lang = self.client.lang();
        let row = |a: &'static Area, within: bool| PlaceRow {
            code: a.code.into(),
            name: a.name.into(),
            within: within.then(|| parent(a.code).map(full_name)).flatten(),
            opens: !children(Some(a.code)).is_empty(),
            chosen: p.chosen.map(|c| c.code) == Some(a.code),
        };
        let searching = !p.search.trim().is_empty();
        let rows: Vec<PlaceRow> = if searching {
            search(&p.search, FOUND)
                .into_iter()
                .map(|a| row(a, true))
                .collect()
        } else {
            children(p.at.map(|a| a.code))
                .into_iter()
                .map(|a| row(a, false))
                .collect()
        };
        let mut path = vec![];
        let mut at = p.at;
        while let Some(a) = at {
            path.push(Choice {
                code: a.code.into(),
                label: a.name.into(),
                chosen: false,
            });
            // A municipality's city of its own name is not a step of its own.
            at = match parent(a.code) {
                Some(up) if up.name == a.name => parent(up.code),
                up => up,
            };
        }
        path.push(Choice {
            code: String::new(),
            label: Text::PlaceWholeCountry.say(lang, &[]),
            chosen: false,
        });
        path.reverse();
        if let Some(last) = path.last_mut() {
            last.chosen = true;
        }
        let errors = check_picking(p, lang);
        let why_not = errors.first().map(|e| e.message.clone());
        PlacePickerState {
            title: Text::PlacePickerTitle.say(lang, &[]),
            search_label: Text::PlaceSearchLabel.say(lang, &[]),
            search: p.search.clone(),
            path,
            empty_note: (searching && rows.is_empty())
                .then(|| Text::PlaceNoneFound.say(lang, &[p.search.trim()])),
            rows,
            chosen: p.chosen.map(full_name),
            detail_label: Text::PlaceDetailLabel.say(lang, &[]),
            detail: p.detail.clone(),
            done_label: Text::PlaceDone.say(lang, &[]),
            errors,
            can_done: why_not.is_none(),
            done_why_not: why_not,
            result: p.result.clone(),
        }
    }

    fn changed(&self, change: impl FnOnce(&mut Picking)) -> PlacePickerState {
        self.listeners.change(
            &self.picking,
            |p| {
                p.result = None;
                change(p);
            },
            |p| self.render(p),
            |l, state| l.changed(state),
        )
    }
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl PlacePickerScreen {
    pub fn state(&self) -> PlacePickerState {
        self.render(&self.picking.lock().expect("not poisoned"))
    }

    pub fn watch(&self, listener: Arc<dyn PlacePickerListener>) -> Arc<Watching> {
        self.listeners.add(listener)
    }

    /// Lists the areas whose name holds `text` (all of China); empty lists where the path is.
    pub fn search(&self, text: String) -> PlacePickerState {
        self.changed(|p| p.search = text)
    }

    /// A row's or the path's code: an area with areas of its own opens on them (the search is
    /// cleared); one without is chosen. "" goes back to the whole country.
    pub fn open(&self, code: String) -> PlacePickerState {
        self.changed(|p| {
            if code.is_empty() {
                p.at = None;
                p.search.clear();
                return;
            }
            let Some(a) = area(&code) else { return };
            if children(Some(a.code)).is_empty() {
                p.chosen = Some(a);
                p.at = parent(a.code);
            } else {
                p.at = Some(a);
                p.search.clear();
            }
        })
    }

    /// The street, house or building, typed in (optional).
    pub fn set_detail(&self, text: String) -> PlacePickerState {
        self.changed(|p| p.detail = text)
    }

    /// Takes the place, if it is whole: `state().result` holds it.
    pub fn done(&self) -> PlacePickerState {
        let lang = self.client.lang();
        self.changed(|p| {
            if let (Some(a), true) = (p.chosen, check_picking(p, lang).is_empty()) {
                let place = Place {
                    name: name_of(a, &p.detail),
                    lat: a.lat,
                    lon: a.lon,
                };
                p.detail = p.detail.trim().into();
                p.result = Some(place);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::MemoryTokenStore;

    fn picker(lang: Lang) -> Arc<PlacePickerScreen> {
        let tokens = Arc::new(MemoryTokenStore::default());
        // Never reached: the picker works without the server.
        let client = Client::new("http://127.0.0.1:9", None, tokens, lang).unwrap();
        PlacePickerScreen::new(Arc::new(client))
    }

    #[test]
    fn province_city_county_then_the_street() {
        let p = picker(Lang::ZhCn);
        let s = p.state();
        assert_eq!(s.path.len(), 1);
        assert_eq!(s.path[0].label, "全国");
        assert!(s.rows.iter().any(|r| r.name == "甘肃省" && r.opens));
        assert!(!s.can_done);
        assert_eq!(s.done_why_not.as_deref(), Some("请选到区县一级"));
        let s = p.open("620000".into());
        assert_eq!(
            s.path.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
            ["全国", "甘肃省"]
        );
        assert!(s.rows.iter().any(|r| r.name == "陇南市"));
        let s = p.open("621200".into());
        let wudu = s.rows.iter().find(|r| r.name == "武都区").unwrap();
        assert!(!wudu.opens);
        let s = p.open(wudu.code.clone());
        assert_eq!(s.chosen.as_deref(), Some("甘肃省陇南市武都区"));
        assert!(s.rows.iter().any(|r| r.chosen && r.name == "武都区"));
        assert!(s.can_done && s.result.is_none());
        p.set_detail("  东江镇 ".into());
        let s = p.done();
        let place = s.result.unwrap();
        assert_eq!(place.name, "甘肃省陇南市武都区 东江镇");
        assert!((place.lat - 33.39).abs() < 0.2 && (place.lon - 104.93).abs() < 0.2);
        // Changing anything takes the result back until it is done again.
        assert!(p.set_detail("东江镇".into()).result.is_none());
    }

    #[test]
    fn a_search_finds_across_the_country_and_says_when_nothing_is_found() {
        let p = picker(Lang::En);
        let s = p.search("临平".into());
        let row = s.rows.iter().find(|r| r.name == "临平区").unwrap();
        assert_eq!(row.within.as_deref(), Some("浙江省杭州市"));
        let s = p.open(row.code.clone());
        assert_eq!(s.chosen.as_deref(), Some("浙江省杭州市临平区"));
        assert_eq!(s.path.last().unwrap().label, "杭州市");
        let s = p.search("不存在".into());
        assert_eq!(s.empty_note.as_deref(), Some("Nothing found for “不存在”"));
        assert_eq!(s.title, "Choose a place");
        // A municipality: its districts straight from the province, one step in the path.
        let s = p.open(String::new());
        assert!(s.search.is_empty() && s.path.len() == 1);
        let s = p.open("110000".into());
        assert!(s.rows.iter().any(|r| r.name == "东城区"));
        let s = p.open("110101".into());
        assert_eq!(
            s.path.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
            ["All of China", "北京市"]
        );
        assert_eq!(s.chosen.as_deref(), Some("北京市东城区"));
    }

    #[test]
    fn a_street_the_server_would_refuse_is_named_before_anything_is_chosen() {
        let p = picker(Lang::ZhCn);
        p.open("330113".into());
        let s = p.set_detail("东湖街道\u{202E}gpj.exe".into());
        assert!(!s.can_done);
        assert_eq!(s.errors[0].field, "detail");
        assert!(p.done().result.is_none());
        let s = p.set_detail("长".repeat(495));
        assert_eq!(s.errors[0].message, "最多 490 个字符");
        let s = p.set_detail("长".repeat(490));
        assert!(s.can_done);
        assert_eq!(p.done().result.unwrap().name.chars().count(), 500);
        // A code that is no area changes nothing.
        assert_eq!(
            p.open("999999".into()).chosen.as_deref(),
            Some("浙江省杭州市临平区")
        );
    }
}
