//! The house rules that a reviewer would otherwise have to remember, checked on the source:
//! no module imports one that imports it back, roles are in handler signatures, state changes
//! go through the one helper.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
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

/// The file a `crate::a::b::…` path lands in: the deepest module file that exists.
fn module_file(segments: &[&str]) -> Option<String> {
    let root = src();
    for n in (1..=segments.len()).rev() {
        let rel = segments[..n].join("/");
        for candidate in [format!("{rel}.rs"), format!("{rel}/mod.rs")] {
            if root.join(&candidate).is_file() {
                return Some(candidate);
            }
        }
    }
    None
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

/// File → the files it refers to through `crate::` paths (what a `super::` names is the
/// file's own parent, which cannot close a cycle through the leaves checked below).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut g = BTreeMap::new();
    for (rel, text) in sources() {
        let mut deps = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(target) = module_file(&segments) {
                if target != rel {
                    deps.insert(target);
                }
            }
        }
        g.insert(rel, deps);
    }
    g
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(n.to_owned());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_owned());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_owned());
        None
    }
    // Handlers are allowed to be reached from anywhere that routes them; what must not happen
    // is a building block of the state (or the audit chain) depending on what depends on it.
    let leaves = [
        "actor.rs",
        "secrets.rs",
        "events/bus.rs",
        "org/paths.rs",
        "locations/index.rs",
        "auth/tokens.rs",
        "media.rs",
        "config.rs",
        "state.rs",
        "transition.rs",
        "work.rs",
    ];
    let mut done = BTreeSet::new();
    for start in leaves {
        assert!(g.contains_key(start), "{start} moved: update this list");
        if let Some(cycle) = visit(start, &g, &mut vec![], &mut done) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn roles_are_in_signatures_and_state_changes_go_through_one_helper() {
    for (rel, text) in sources() {
        assert!(
            !text.contains(".require(&["),
            "{rel}: a role check in a handler body; take a role extractor (auth::extractor)"
        );
        if rel != "transition.rs" {
            for line in text.lines() {
                assert!(
                    !(line.contains("Column::Version.eq(") && line.contains("filter")),
                    "{rel}: a conditional update on the version outside transition::apply \
                     (or cases::intake::save_case): {line}"
                );
            }
        }
    }
}

/// A test file nobody declares in `main.rs` would silently never run.
#[test]
fn every_test_module_is_declared() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
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
        "alerts/mod.rs",
        1,
        "to move: raise() takes a connection, not the state",
    ),
    (
        "audit/mod.rs",
        2,
        "to move: record() takes a connection, not the state",
    ),
    ("auth/mod.rs", 1, "to move: revoke_session()"),
    (
        "cases/intake.rs",
        3,
        "to move: save_case(), record_status(), change()",
    ),
    (
        "locations/fences.rs",
        1,
        "to move: a fence's view says whether it is active now",
    ),
    ("locations/rules.rs", 1, "to move: settle()"),
    ("org/mod.rs", 1, "to move: insert_unit()"),
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
