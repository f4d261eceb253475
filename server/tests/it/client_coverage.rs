//! Every operation of the OpenAPI document has a method in the typed client the apps use
//! (`core/src/client/`): a new endpoint without one fails here.

use std::collections::BTreeSet;

/// (METHOD, path with every parameter as `{}`) of each call the client source makes: per
/// function, the verbs it uses (`self.get`, `self.post`, `self.bytes`, `Method::X`) with the
/// path literals it names.
fn client_calls() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src/client");
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for body in text.split("async fn ").skip(1) {
            let mut verbs = BTreeSet::new();
            for (call, verb) in [
                ("self.get(", "GET"),
                ("self.bytes(", "GET"),
                ("self.post(", "POST"),
            ] {
                if body.contains(call) {
                    verbs.insert(verb.to_owned());
                }
            }
            for m in body.split("Method::").skip(1) {
                verbs.insert(
                    m.chars()
                        .take_while(char::is_ascii_uppercase)
                        .collect::<String>(),
                );
            }
            let literals = body
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|l| l.starts_with('/'))
                .map(|l| normalise(l.split('?').next().unwrap()));
            for l in literals {
                for v in &verbs {
                    out.insert((v.clone(), l.clone()));
                }
            }
        }
    }
    out
}

/// `/cases/{id}/team/{member_id}` → `/cases/{}/team/{}`.
fn normalise(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn every_operation_has_a_client_method() {
    let doc = serde_json::to_value(huijiao_server::app::openapi()).unwrap();
    let calls = client_calls();
    let mut missing = vec![];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "delete", "patch"] {
            if item.get(method).is_some() {
                let op = (method.to_uppercase(), normalise(path));
                if !calls.contains(&op) {
                    missing.push(format!("{} {path}", op.0));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without a client method in core/src/client/: {missing:#?}"
    );
    // The scan itself finds what is there (it would pass vacuously if it found nothing).
    assert!(
        calls.contains(&("POST".into(), "/leaves/{}/approve".into())),
        "{calls:?}"
    );
}

/// Every call of the typed client is reachable from the apps through the bindings.
#[test]
fn every_client_method_is_in_the_bindings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read_all = |dir: &str, skip: &[&str]| -> String {
        let mut text = String::new();
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.extension().is_some_and(|x| x == "rs") && !skip.contains(&name.as_str()) {
                text.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
        text
    };
    // The per-domain files hold the calls; mod.rs is the transport, events/outbox their own objects.
    let client = read_all("core/src/client", &["mod.rs", "events.rs", "outbox.rs"]);
    // Whitespace removed: rustfmt may break `self.inner.x(` over lines.
    let bindings: String = read_all("mobile-bindings/src", &[])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let methods: Vec<&str> = client
        .split("pub async fn ")
        .skip(1)
        .map(|rest| rest.split(['(', '<']).next().unwrap())
        .collect();
    assert!(methods.len() > 50, "{methods:?}");
    let missing: Vec<_> = methods
        .iter()
        .filter(|m| !bindings.contains(&format!(".inner.{m}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "client calls the apps cannot reach: {missing:?}"
    );
}
