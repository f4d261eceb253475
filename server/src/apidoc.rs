//! The API reference at `/api/v1/docs`: one HTML page written here from the OpenAPI document,
//! with its style inline and no script, so that it reads the same on a closed government
//! network as anywhere (no CDN, no font or script from elsewhere). Each operation with its
//! parameters, body and answers; each schema with its fields. The machine-readable document
//! is `/api/v1/openapi.json`.

use std::fmt::Write;

use serde_json::Value;

/// The page for `doc`.
pub fn page(doc: &utoipa::openapi::OpenApi) -> String {
    let doc = serde_json::to_value(doc).unwrap_or_default();
    let mut out = String::with_capacity(256 * 1024);
    let title = text(&doc["info"]["title"]);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><header><h1>{title} \
         <small>{}</small></h1><p>{}</p><p>Machine-readable: <a href=\"openapi.json\">openapi.json</a>.\
         </p></header>",
        text(&doc["info"]["version"]),
        text(&doc["info"]["description"]),
    );
    // Operations by tag, in the order of the paths.
    let mut by_tag: Vec<(String, Vec<Operation>)> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
                let entry = (method.to_uppercase(), path.clone(), op.clone());
                match by_tag.iter_mut().find(|(t, _)| *t == tag) {
                    Some((_, ops)) => ops.push(entry),
                    None => by_tag.push((tag, vec![entry])),
                }
            }
        }
    }
    out.push_str("<nav><h2>Contents</h2><ul>");
    for (tag, ops) in &by_tag {
        let _ = write!(
            out,
            "<li><a href=\"#tag-{0}\">{0}</a> ({1})</li>",
            escape(tag),
            ops.len()
        );
    }
    out.push_str("<li><a href=\"#schemas\">schemas</a></li></ul></nav><main>");
    for (tag, ops) in &by_tag {
        let _ = write!(out, "<section id=\"tag-{0}\"><h2>{0}</h2>", escape(tag));
        for (method, path, op) in ops {
            operation(&mut out, method, path, op);
        }
        out.push_str("</section>");
    }
    out.push_str("<section id=\"schemas\"><h2>schemas</h2>");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let _ = write!(out, "<article id=\"schema-{0}\"><h3>{0}</h3>", escape(name));
            schema_body(&mut out, schema);
            out.push_str("</article>");
        }
    }
    out.push_str("</section></main></body></html>");
    out
}

/// An operation as the page lists it: method, path, the operation object.
type Operation = (String, String, Value);

const STYLE: &str = "body{font:15px/1.5 system-ui,'PingFang SC','Microsoft YaHei',sans-serif;\
margin:0 auto;max-width:1100px;padding:0 1em;color:#1d2733}h1 small{font-size:60%;color:#667}\
h2{border-bottom:2px solid #d5dde5;padding-top:1em}article{border:1px solid #d5dde5;\
border-radius:6px;margin:1em 0;padding:.2em 1em}code,.path{font-family:ui-monospace,monospace}\
.m{display:inline-block;min-width:4.5em;font-weight:bold}.GET{color:#1b6ac9}.POST{color:#187a3d}\
.PUT{color:#a26100}.DELETE{color:#b3261e}.PATCH{color:#6b3fa0}table{border-collapse:collapse;\
width:100%;margin:.5em 0}td,th{border-top:1px solid #e3e8ee;padding:.25em .5em;text-align:left;\
vertical-align:top}th{font-weight:600;color:#445}p{margin:.4em 0}";

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(
        out,
        "<article><h3><span class=\"m {method}\">{method}</span> <span class=\"path\">{}</span></h3>",
        escape(path)
    );
    for key in ["summary", "description"] {
        if let Some(t) = op[key].as_str() {
            let _ = write!(out, "<p>{}</p>", escape(t));
        }
    }
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>");
        for p in params {
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&p["name"]),
                if p["required"] == true { " *" } else { "" },
                text(&p["in"]),
                type_of(&p["schema"]),
                text(&p["description"]),
            );
        }
        out.push_str("</table>");
    }
    if let Some(body) = op["requestBody"]["content"].as_object() {
        for (media, content) in body {
            let _ = write!(
                out,
                "<p>Body ({}): {}</p>",
                escape(media),
                type_of(&content["schema"])
            );
        }
    }
    if let Some(responses) = op["responses"].as_object() {
        out.push_str("<table><tr><th>answer</th><th></th></tr>");
        for (status, r) in responses {
            let schema = r["content"]
                .as_object()
                .and_then(|c| c.values().next())
                .map(|c| type_of(&c["schema"]))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{} {}</td></tr>",
                escape(status),
                schema,
                text(&r["description"])
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</article>");
}

fn schema_body(out: &mut String, schema: &Value) {
    if let Some(t) = schema["description"].as_str() {
        let _ = write!(out, "<p>{}</p>", escape(t));
    }
    if let Some(values) = schema["enum"].as_array() {
        let all: Vec<String> = values
            .iter()
            .map(|v| format!("<code>{}</code>", text(v)))
            .collect();
        let _ = write!(out, "<p>One of: {}</p>", all.join(", "));
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema[key].as_array() {
            let all: Vec<String> = parts.iter().map(type_of).collect();
            let _ = write!(out, "<p>{key}: {}</p>", all.join(", "));
        }
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(props) = schema["properties"].as_object() {
        out.push_str("<table><tr><th>field</th><th>type</th><th></th></tr>");
        for (name, p) in props {
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                escape(name),
                if required.contains(&name.as_str()) {
                    " *"
                } else {
                    ""
                },
                type_of(p),
                text(&p["description"]),
            );
        }
        out.push_str("</table>");
    }
}

/// A schema in a few words: a link to a named one, or its type.
fn type_of(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        let name = escape(r.rsplit('/').next().unwrap_or(r));
        return format!("<a href=\"#schema-{name}\">{name}</a>");
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = s[key].as_array() {
            return parts.iter().map(type_of).collect::<Vec<_>>().join(" | ");
        }
    }
    let ty = match &s["type"] {
        Value::Array(many) => many.iter().map(text).collect::<Vec<_>>().join(" | "),
        t => text(t),
    };
    match ty.as_str() {
        "array" => format!("[{}]", type_of(&s["items"])),
        _ => match s["format"].as_str() {
            Some(f) => format!("{ty} ({})", escape(f)),
            None => ty,
        },
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => escape(s),
        Value::Null => String::new(),
        other => escape(&other.to_string()),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
