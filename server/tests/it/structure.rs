//! The house rules that a reviewer would otherwise have to remember, checked on the source:
//! no module imports one that imports it back, roles are in handler signatures, state changes
//! go through the one helper.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every source file of the server: its path under `src/` and its text.
fn sources() -> Vec<(String, String)> {
    let mut files = vec![];
    rust_files(&src(), &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(&f).unwrap())
        })
        .collect()
}

/// Module → the modules its non-test code names. `unit` maps a file (relative to `root`) to
/// its module; `resolve` maps a named path (`crate::a::b`, `super::c`) seen in that file to a
/// module, if it is one of ours.
fn module_graph(
    root: &Path,
    unit: impl Fn(&str) -> Option<String>,
    resolve: impl Fn(&str, &str) -> Option<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = vec![];
    rust_files(root, &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let Some(from) = unit(&rel) else { continue };
        let text = std::fs::read_to_string(&f).unwrap();
        // Tests may reach anywhere; the shipped code may not loop.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let deps = g.entry(from.clone()).or_default();
        for prefix in ["crate::", "super::"] {
            for (i, _) in text.match_indices(prefix) {
                let path: String = text[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if let Some(to) = resolve(&rel, &path).filter(|to| *to != from) {
                    deps.insert(to);
                }
            }
        }
    }
    g
}

/// The strongly connected components of more than one module (Tarjan): every set of modules
/// that reach each other.
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        out: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.g.contains_key(w) {
                continue;
            }
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.stack.contains(&w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = BTreeSet::new();
            while let Some(w) = t.stack.pop() {
                comp.insert(w.to_owned());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        out: vec![],
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out.sort();
    t.out
}

#[test]
fn the_cycle_search_finds_a_cycle_through_any_module() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("app", vec!["checkins"]),
        ("checkins", vec!["jobs", "media"]),
        ("jobs", vec!["app"]),
        ("media", vec![]),
        ("a", vec!["b"]),
        ("b", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    let found: Vec<Vec<String>> = cycles(&g)
        .into_iter()
        .map(|c| c.into_iter().collect())
        .collect();
    // The old check started from eleven chosen files and missed app → checkins → jobs → app.
    assert_eq!(found, [vec!["a", "b"], vec!["app", "checkins", "jobs"]]);
}

/// The server's modules that still reach each other, to be broken up (issue #33): `state`
/// holds types of auth, learning, locations, org and rollcalls, which all take the state, and
/// `domain`, `events`, `jobs` and `work` name the state. `app` left it when the domains came to
/// describe themselves (`jobs` no longer reads `app::DOMAINS`). The set may only shrink: a
/// module that joins it fails the test, and one that leaves it must be taken out here.
const SERVER_CYCLE: &[&str] = &[
    "alerts",
    "audit",
    "auth",
    "cases",
    "checkins",
    "domain",
    "events",
    "jobs",
    "learning",
    "ledger",
    "locations",
    "org",
    "requests",
    "rollcalls",
    "state",
    "work",
];

#[test]
fn no_module_imports_one_that_imports_it_back() {
    // Server: one module per top-level file or folder under src/.
    let top = |rel: &str| -> Option<String> {
        let first = rel.split('/').next()?.trim_end_matches(".rs");
        (!matches!(first, "lib" | "main")).then(|| first.to_owned())
    };
    let g = module_graph(&src(), top, |_, path| {
        let rest = path.strip_prefix("crate::")?;
        let m = rest.split("::").next()?;
        (!m.is_empty()).then(|| m.to_owned())
    });
    assert!(g.len() > 30, "{:?}", g.keys());
    let want: BTreeSet<String> = SERVER_CYCLE.iter().map(|m| (*m).to_owned()).collect();
    let found = cycles(&g);
    assert_eq!(found, [want], "server modules that import each other");

    // Core: its top-level modules, and the files of `policy` each as a module.
    let core = src().join("../../core/src");
    let unit = |rel: &str| -> Option<String> {
        let rel = rel.trim_end_matches(".rs");
        match rel.split('/').collect::<Vec<_>>().as_slice() {
            ["lib"] => None,
            ["policy", "mod"] => Some("policy".to_owned()),
            ["policy", file] => Some(format!("policy::{file}")),
            [first, ..] => Some((*first).to_owned()),
            [] => None,
        }
    };
    let policy_files: BTreeSet<String> = std::fs::read_dir(core.join("policy"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let g = module_graph(&core, unit, |rel, path| {
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let in_policy = rel.starts_with("policy/") && rel != "policy/mod.rs";
        match segments.as_slice() {
            ["crate", "policy", m, ..] | ["super", m, ..]
                if in_policy || segments[0] == "crate" =>
            {
                if policy_files.contains(*m) && *m != "mod" {
                    Some(format!("policy::{m}"))
                } else {
                    Some("policy".to_owned())
                }
            }
            ["crate", m, ..] => Some((*m).to_owned()),
            _ => None,
        }
    });
    assert!(g.contains_key("policy::transitions"), "{:?}", g.keys());
    assert_eq!(
        cycles(&g),
        Vec::<BTreeSet<String>>::new(),
        "core modules that import each other"
    );
}

/// Role checks written in a body: a test of the caller's role whose refusal is "forbidden"
/// (`if caller.role != … { return Err(ErrorCode::Forbidden…) }`), which belongs in the
/// handler's signature as a role extractor. Scopes that say what each role sees
/// (`match caller.role { … _ => Err(Forbidden) }`) are not this.
fn role_checks_in_bodies(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| {
            w[0].starts_with("if ")
                && w[0].contains(".role")
                && w[1].contains("ErrorCode::Forbidden")
        })
        .map(|w| w[0].to_owned())
        .collect()
}

#[test]
fn a_role_check_in_a_body_is_found() {
    let body = "    if !matches!(caller.role, Role::Supervisee | Role::Officer) {\n        return Err(ErrorCode::Forbidden.into());\n    }\n    match caller.role {\n        Role::Officer => Ok(()),\n        _ => Err(ErrorCode::Forbidden.into()),\n    }\n";
    assert_eq!(
        role_checks_in_bodies(body),
        ["if !matches!(caller.role, Role::Supervisee | Role::Officer) {"]
    );
}

/// Lines of `text` that write a status without its state table: an update that sets a
/// `Status`/`State` column, or a model's status set to a constant (`am.status =
/// Set(DeviceStatus::Approved)`). A new record's first state (`status: Set(…)` in a literal) is
/// not a change.
fn status_writes(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = vec![];
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).copied().unwrap_or_default();
        let sets_column = |l: &str| l.contains("Column::Status,") || l.contains("Column::State,");
        let update = line.contains("col_expr(")
            && (sets_column(line) || (line.trim_end().ends_with("col_expr(") && sets_column(next)));
        let constant = line.contains(".status = Set(")
            && line
                .split(".status = Set(")
                .nth(1)
                .is_some_and(|v| v.contains("Status::"));
        if update || constant {
            found.push(line.trim().to_owned());
        }
    }
    found
}

#[test]
fn a_status_written_by_hand_is_found() {
    let hand = "        am.status = Set(DeviceStatus::Approved);\n\
                .col_expr(\n    cr::Column::Status,\n    Expr::value(x),\n)\n\
                .col_expr(user::Column::Status, Expr::value(y))";
    assert_eq!(status_writes(hand).len(), 3, "{:?}", status_writes(hand));
    let table = "row.status = Set(FACE_CHECK.check(a, s, p)?);\n\
                 status: Set(DeviceStatus::Pending),\n\
                 .filter(cr::Column::Status.eq(Open))";
    assert!(status_writes(table).is_empty());
}

#[test]
fn roles_are_in_signatures_and_state_changes_go_through_one_helper() {
    for (rel, text) in sources() {
        if rel != "auth/extractor.rs" {
            let found = role_checks_in_bodies(&text);
            assert!(
                found.is_empty(),
                "{rel}: a role check in a body; take a role extractor (auth::extractor): {found:?}"
            );
        }
        if rel != "transition.rs" {
            for line in text.lines() {
                assert!(
                    !(line.contains("Column::Version.eq(") && line.contains("filter")),
                    "{rel}: a conditional update on the version outside transition::apply \
                     (or cases::intake::save_case): {line}"
                );
            }
            // A handler's transaction is a `Work` (its audit inside, its events after the
            // commit); the demo seed is one long transaction of its own.
            if !matches!(rel.as_str(), "work.rs" | "demo.rs") {
                assert!(
                    !text.contains("state.db.begin()"),
                    "{rel}: a transaction begun by hand; take crate::work::Work"
                );
            }
            // The demo seed writes a history as it would have been.
            if rel != "demo.rs" {
                let found = status_writes(&text);
                assert!(
                    found.is_empty(),
                    "{rel}: a status written by hand; take the step of its state table \
                     (transition::apply, step, step_all, or Machine::check): {found:?}"
                );
            }
        }
    }
}

/// A test file nobody declares in `main.rs` would silently never run.
#[test]
fn every_test_module_is_declared() {
    let dir =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("tests/it");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.extension().is_some_and(|x| x == "rs") && stem != "main" {
            assert!(
                main.contains(&format!("mod {stem};")),
                "tests/it/{stem}.rs is not in main.rs"
            );
        }
    }
}

/// The repository's root (the server crate is `server/`).
fn repo() -> PathBuf {
    src().join("../..")
}

/// The places a new domain touches outside its own files, as `docs/architecture.md` lists them:
/// the numbered items' first paths, and the count its sentence states.
fn checklist() -> (Vec<String>, usize) {
    let doc = std::fs::read_to_string(repo().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("### Adding a domain")
        .expect("the checklist's section");
    let section = &doc[start..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    let listed = section
        .lines()
        .filter(|l| {
            l.split_once(". `")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
        .map(|l| l.split('`').nth(1).unwrap().to_owned())
        .collect();
    let stated = section
        .split("a new domain is these ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the sentence that counts the places");
    (listed, stated)
}

/// Whether `line` registers domain `d` by name: a module declaration or its `DOMAIN`.
fn registers(line: &str, d: &str) -> bool {
    let l = line.trim();
    l == format!("mod {d};")
        || l == format!("pub mod {d};")
        || l.contains(&format!("crate::{d}::DOMAIN"))
}

#[test]
fn the_checklist_for_a_new_domain_is_true() {
    let (listed, stated) = checklist();
    assert_eq!(
        listed.len(),
        stated,
        "the sentence's count and the numbered items differ"
    );
    for f in &listed {
        assert!(
            repo().join(f).is_file(),
            "the checklist names {f}, which does not exist"
        );
    }
    // Every domain that describes itself is in `app::DOMAINS`, and nothing else is.
    let domains: Vec<String> = sources()
        .into_iter()
        .filter(|(rel, text)| rel.ends_with("/mod.rs") && text.contains("pub const DOMAIN:"))
        .map(|(rel, _)| rel.trim_end_matches("/mod.rs").to_owned())
        .collect();
    assert!(domains.len() >= 17, "{domains:?}");
    assert_eq!(domains.len(), huijiao_server::app::DOMAINS.len());
    let app = std::fs::read_to_string(src().join("app.rs")).unwrap();
    for d in &domains {
        assert!(
            app.contains(&format!("&crate::{d}::DOMAIN,")),
            "{d} describes itself but is not in app::DOMAINS"
        );
    }
    // Every file that registers a domain by name, outside the domains' own files, is listed.
    let mut files = vec![];
    for dir in [
        "core/src",
        "server/src",
        "server/tests/it",
        "mobile-bindings/src",
        "server/migration/src",
    ] {
        rust_files(&repo().join(dir), &mut files);
    }
    let mut registries = BTreeSet::new();
    for f in files {
        let rel = f
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&f).unwrap();
        // A domain's folder declares its own submodules (`checkins/requests.rs` is not the
        // requests domain); this file names domains in its examples.
        let inside = |d: &String| rel.starts_with(&format!("server/src/{d}/"));
        if domains.iter().any(inside) || rel.ends_with("tests/it/structure.rs") {
            continue;
        }
        let own = |d: &str| rel.ends_with(&format!("/{d}.rs"));
        if domains
            .iter()
            .any(|d| !own(d) && text.lines().any(|l| registers(l, d)))
        {
            registries.insert(rel);
        }
    }
    let listed_set: BTreeSet<String> = listed.iter().cloned().collect();
    let missing: Vec<_> = registries.difference(&listed_set).collect();
    assert!(
        missing.is_empty(),
        "files that register domains, not in the checklist: {missing:?}"
    );
    // Every migration file is in the `Migrator`.
    let migrations = repo().join("server/migration/src");
    let lib = std::fs::read_to_string(migrations.join("lib.rs")).unwrap();
    for e in std::fs::read_dir(&migrations).unwrap() {
        let stem = e
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if stem.starts_with('m') && stem != "main" {
            assert!(
                lib.contains(&format!("mod {stem};"))
                    && lib.contains(&format!("{stem}::Migration")),
                "{stem} is not in the Migrator"
            );
        }
    }
}

#[test]
fn a_registration_is_recognised() {
    assert!(registers("pub mod visits;", "visits"));
    assert!(registers("    &crate::visits::DOMAIN,", "visits"));
    assert!(registers("mod visits;", "visits"));
    assert!(!registers("mod visits_extra;", "visits"));
    assert!(!registers("use crate::visits::record;", "visits"));
}

/// Where `text` takes the date of an instant other than through the calendar: a `date_naive()`
/// call (the UTC date, yesterday's until 08:00 in China, unless the caller remembered to
/// convert first). `calendar.rs` is where the one conversion lives.
fn dates_off_the_calendar(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(".date_naive()") && !l.trim_start().starts_with("//"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn every_date_of_an_instant_is_taken_in_china_time() {
    // The check finds the defect it names…
    assert_eq!(
        dates_off_the_calendar("let today = now.date_naive();\n// now.date_naive()\nlet d = Utc::now()\n    .date_naive();"),
        [1, 4]
    );
    // …and the code has none: dates come from `calendar::local_date` or the clock's `today()`.
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("..");
    let mut files = vec![];
    rust_files(&root.join("server/src"), &mut files);
    rust_files(&root.join("core/src"), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("policy/calendar.rs"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            dates_off_the_calendar(&text)
                .into_iter()
                .map(move |line| format!("{}:{line}", f.display()))
        })
        .collect();
    assert!(offenders.is_empty(), "UTC dates: {offenders:#?}");
    // Tests take "today" as the server does, or they could not catch a UTC date.
    let mut tests = vec![];
    rust_files(&root.join("server/tests"), &mut tests);
    rust_files(&root.join("tests/tests"), &mut tests);
    let utc_today: Vec<String> = tests
        .iter()
        .filter(|f| !f.ends_with("it/structure.rs")) // this check's own example
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .replace(char::is_whitespace, "")
                .contains("Utc::now().date_naive()")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        utc_today.is_empty(),
        "tests taking today in UTC: {utc_today:?}"
    );
}

/// The server takes the time from its one clock (`AppState::clock`). The places below still
/// read the system's own, each counted: none may be added, and a place moved to the clock
/// leaves the list (the test fails until it does, so the list stays true).
const SYSTEM_TIME_READERS: &[(&str, usize, &str)] = &[
    ("clock.rs", 3, "the clock itself"),
    (
        "auth/tokens.rs",
        3,
        "a token's times are checked against the system's, as jsonwebtoken does",
    ),
    (
        "audit/mod.rs",
        2,
        "the audit chain records when an entry was written; no clock setting may backdate it",
    ),
];

fn system_time_reads(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| l.matches("Utc::now").count())
        .sum()
}

#[test]
fn the_time_comes_from_the_clock() {
    assert_eq!(
        system_time_reads("let a = Utc::now();\n// Utc::now()\n.unwrap_or_else(Utc::now)"),
        2
    );
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, text) in sources() {
        let n = system_time_reads(&text);
        if n > 0 {
            found.insert(rel.replace('\\', "/"), n);
        }
    }
    let allowed: BTreeMap<String, usize> = SYSTEM_TIME_READERS
        .iter()
        .map(|(f, n, _)| ((*f).to_owned(), *n))
        .collect();
    assert_eq!(
        found, allowed,
        "Utc::now() outside the clock: take state.clock.now() (or the job's `now`)"
    );
}
