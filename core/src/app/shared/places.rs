//! China's administrative areas — provinces, cities, counties and districts, each with a
//! point — read from `core/data/places.tsv` (written by `scripts/places.py`, sources and
//! licence in its header). The apps pick a destination or a new home from them without a map
//! and without the network: the app carries them.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One area: its six-digit code (GB/T 2260), its name, its seat's point.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: &'static str,
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
}

static AREAS: LazyLock<Vec<Area>> = LazyLock::new(|| {
    include_str!("../../../data/places.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let mut next = || f.next().expect("places.tsv: four columns");
            let (code, name, lon, lat) = (next(), next(), next(), next());
            Area {
                code,
                name,
                lon: lon.parse().expect("places.tsv: longitude"),
                lat: lat.parse().expect("places.tsv: latitude"),
            }
        })
        .collect()
});

/// The area with this code.
pub fn area(code: &str) -> Option<&'static Area> {
    let areas = &*AREAS;
    areas
        .binary_search_by(|a| a.code.cmp(code))
        .ok()
        .map(|i| &areas[i])
}

/// The area `code` is part of: a county's city (a county straight under its province has
/// none), a city's province; none for a province.
pub fn parent(code: &str) -> Option<&'static Area> {
    if code.len() != 6 || code.ends_with("0000") {
        return None;
    }
    let city = format!("{}00", &code[..4]);
    let province = format!("{}0000", &code[..2]);
    if code.ends_with("00") {
        return area(&province);
    }
    area(&city).or_else(|| area(&province))
}

/// Each area's areas, by its code ("" for the country's provinces), in code order.
static CHILDREN: LazyLock<HashMap<&'static str, Vec<&'static Area>>> = LazyLock::new(|| {
    let mut children: HashMap<&'static str, Vec<&'static Area>> = HashMap::new();
    for a in AREAS.iter() {
        let up = if a.code.ends_with("0000") {
            Some("")
        } else {
            parent(a.code).map(|p| p.code)
        };
        if let Some(up) = up {
            children.entry(up).or_default().push(a);
        }
    }
    children
});

fn direct(code: Option<&str>) -> &'static [&'static Area] {
    CHILDREN.get(code.unwrap_or("")).map_or(&[], Vec::as_slice)
}

/// The areas directly in `code` (the provinces for `None`). A province that is one city of its
/// own name (北京市, 上海市) opens on that city's districts.
pub fn children(code: Option<&str>) -> Vec<&'static Area> {
    let found = direct(code);
    match (code.and_then(area), found) {
        (Some(p), [only]) if only.name == p.name => direct(Some(only.code)).to_vec(),
        _ => found.to_vec(),
    }
}

/// The area's name with those it is part of: "浙江省杭州市临平区", "北京市东城区".
pub fn full_name(a: &Area) -> String {
    let mut names = vec![a.name];
    let mut at = a.code;
    while let Some(p) = parent(at) {
        if names.last() != Some(&p.name) {
            names.push(p.name);
        }
        at = p.code;
    }
    names.reverse();
    names.concat()
}

/// The areas whose name (or, for a longer query, full name) holds `query`: exact names
/// first, then names starting with it, then the rest; at most `limit`.
pub fn search(query: &str, limit: usize) -> Vec<&'static Area> {
    let q = query.trim();
    if q.is_empty() {
        return vec![];
    }
    let mut found: Vec<(u8, &'static Area)> = AREAS
        .iter()
        .filter_map(|a| {
            let rank = if a.name == q {
                0
            } else if a.name.starts_with(q) {
                1
            } else if a.name.contains(q) {
                2
            } else if full_name(a).contains(q) {
                3
            } else {
                return None;
            };
            Some((rank, a))
        })
        .collect();
    found.sort_by_key(|(rank, a)| (*rank, a.code));
    found.into_iter().take(limit).map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_an_area_with_a_point_in_china() {
        assert!(AREAS.len() > 3000, "{}", AREAS.len());
        for w in AREAS.windows(2) {
            assert!(w[0].code < w[1].code, "sorted, once: {}", w[1].code);
        }
        for a in AREAS.iter() {
            assert!(a.code.len() == 6 && a.code.bytes().all(|b| b.is_ascii_digit()));
            assert!(!a.name.is_empty());
            assert!(
                (3.0..54.0).contains(&a.lat) && (73.0..136.0).contains(&a.lon),
                "{a:?}"
            );
        }
    }

    #[test]
    fn areas_nest_provinces_cities_counties() {
        let provinces = children(None);
        assert!(provinces.iter().any(|p| p.name == "浙江省"));
        assert_eq!(provinces.len(), 34);
        let zhejiang = area("330000").unwrap();
        let cities = children(Some(zhejiang.code));
        assert!(cities.iter().any(|c| c.name == "杭州市"));
        let counties = children(Some("330100"));
        assert!(counties.iter().any(|c| c.name == "临平区"));
        assert!(children(Some("330113")).is_empty());
        // A municipality opens on its districts; a county under its province directly.
        assert!(children(Some("110000")).iter().any(|c| c.name == "东城区"));
        assert_eq!(parent("429004").map(|p| p.name), Some("湖北省"));
    }

    #[test]
    fn full_names_read_as_addresses_do() {
        assert_eq!(full_name(area("330113").unwrap()), "浙江省杭州市临平区");
        assert_eq!(full_name(area("110101").unwrap()), "北京市东城区");
        assert_eq!(full_name(area("330000").unwrap()), "浙江省");
    }

    #[test]
    fn search_puts_exact_names_first_and_reads_full_names() {
        let found = search("朝阳区", 10);
        assert!(found.len() >= 2 && found.iter().all(|a| a.name == "朝阳区"));
        assert_eq!(search("杭州", 5)[0].name, "杭州市");
        assert!(search("杭州市临平", 5).iter().any(|a| a.name == "临平区"));
        assert!(search("  ", 5).is_empty());
        assert!(search("不存在的地方", 5).is_empty());
        assert_eq!(search("区", 7).len(), 7);
    }
}
