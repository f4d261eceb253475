//! Every operation of the OpenAPI document has a method in the typed client the apps use
//! (`core/src/client/`): a new endpoint without one fails here.

use std::collections::BTreeSet;

/// (METHOD, path with every parameter as `{}`) of each call the client source makes.
fn client_calls() -> BTreeSet<(String, String)> {
    let dir =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../core/src/client");
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        out.extend(calls_in(
            &std::fs::read_to_string(e.unwrap().path()).unwrap(),
        ));
    }
    out
}

/// Each call in `source` with the verb and the path of that very call: the verb is the
/// transport function's (`get`, `bytes`, `Pages::new` → GET; `post`, `enqueue` → POST) or the
/// `Method::X` it is given; the path is the call's first `/…` literal, or, when it is passed a
/// variable, that variable's `let` literal. A call whose path cannot be read fails the test.
fn calls_in(source: &str) -> BTreeSet<(String, String)> {
    let text: String = source.chars().filter(|c| !c.is_whitespace()).collect();
    let fixed = [
        ("self.get(", "GET"),
        ("self.bytes(", "GET"),
        ("Pages::new(self,", "GET"),
        ("self.post(", "POST"),
        ("self.enqueue(", "POST"),
    ];
    let by_method = [
        "self.call(",
        "self.no_content(",
        "self.send(",
        "self.send_with(",
        "self.send_once(",
    ];
    let mut out = BTreeSet::new();
    for (pattern, verb) in fixed
        .iter()
        .map(|(p, v)| (*p, Some(*v)))
        .chain(by_method.iter().map(|p| (*p, None)))
    {
        for (at, _) in text.match_indices(pattern) {
            let args = call_args(&text[at + pattern.len()..]);
            let verb = match verb {
                Some(v) => v.to_owned(),
                None => {
                    let Some(m) = args
                        .split(',')
                        .next()
                        .and_then(|a| a.split("Method::").nth(1))
                    else {
                        continue; // the transport passing its own `method` along
                    };
                    m.chars().take_while(char::is_ascii_uppercase).collect()
                }
            };
            // The paths a variable was bound to before this call (`let path = format!(…)`,
            // or `if … { format!(…) } else { format!(…) }`: each).
            let bound = |var: &str| -> Vec<String> {
                let before = &text[..at];
                let Some(at) = before
                    .rfind(&format!("letmut{var}="))
                    .max(before.rfind(&format!("let{var}=")))
                else {
                    return vec![];
                };
                let statement = before[at..].split(';').next().unwrap_or_default();
                statement
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .filter(|l| l.starts_with('/'))
                    .map(str::to_owned)
                    .collect()
            };
            let paths: Vec<String> = match first_literal(args) {
                // `format!("{path}?month={m}")`: the bound path, then the rest.
                Some(l) if l.starts_with('{') => match l[1..].split_once('}') {
                    Some((var, rest)) => bound(var).into_iter().map(|p| p + rest).collect(),
                    None => vec![],
                },
                Some(l) if l.starts_with('/') => vec![l.to_owned()],
                _ => args
                    .split(',')
                    .find_map(|a| a.strip_prefix('&'))
                    .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    .map(bound)
                    .unwrap_or_default(),
            };
            // The transport (mod.rs) forwards the `path` it was given.
            assert!(
                !paths.is_empty() || args.split(',').any(|a| a == "path"),
                "a call whose path the scan cannot read: {pattern}{args})"
            );
            for p in paths {
                out.insert((verb.clone(), normalise(p.split('?').next().unwrap())));
            }
        }
    }
    out
}

/// The text of a call's arguments, up to its closing parenthesis.
fn call_args(rest: &str) -> &str {
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return &rest[..i];
                }
            }
            _ => {}
        }
    }
    rest
}

/// The first string literal in `text` that is or begins a path (`/…`, `{var}…`).
fn first_literal(text: &str) -> Option<&str> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .find(|l| l.starts_with(['/', '{']))
}

#[test]
fn a_call_is_credited_with_its_own_verb_and_path_only() {
    let source = r#"
        pub async fn two(&self) -> Result<(), ClientError> {
            let a: X = self.get(&format!("/a/{id}")).await?;
            self.call(Method::DELETE, "/b", None::<&()>).await
        }
        pub fn listed(&self) -> Pages<'_, X> {
            Pages::new(self, "/c")
        }
        pub async fn tracked(&self) -> Result<X, ClientError> {
            let mut path = format!("/d?from={from}");
            path.push_str("&x=1");
            self.get(&path).await
        }
        pub async fn decide(&self) -> Result<X, ClientError> {
            let path = if approve {
                format!("/f/{id}/approve")
            } else {
                format!("/f/{id}/reject")
            };
            self.post(&path, req).await
        }
        pub async fn monthly(&self) -> Result<X, ClientError> {
            let path = format!("/e/{case_id}");
            match month {
                Some(m) => self.get(&format!("{path}?month={m}")).await,
                None => self.post(&path, &body).await,
            }
        }
    "#;
    let calls = calls_in(source);
    let want: BTreeSet<(String, String)> = [
        ("GET", "/a/{}"),
        ("DELETE", "/b"),
        ("GET", "/c"),
        ("GET", "/d"),
        ("GET", "/e/{}"),
        ("POST", "/e/{}"),
        ("POST", "/f/{}/approve"),
        ("POST", "/f/{}/reject"),
    ]
    .iter()
    .map(|(v, p)| ((*v).to_owned(), (*p).to_owned()))
    .collect();
    // The old scan credited every verb of a function to every path in it: GET /b, DELETE /a.
    assert_eq!(calls, want);
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
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("..");
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
    let client = read_all(
        "core/src/client",
        &["mod.rs", "pages.rs", "events.rs", "outbox.rs"],
    );
    // Whitespace removed: rustfmt may break `self.inner.x(` over lines.
    let bindings: String = read_all("mobile-bindings/src", &[])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let methods: Vec<&str> = client
        .split("pub async fn ")
        .skip(1)
        .chain(client.split("    pub fn ").skip(1))
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
