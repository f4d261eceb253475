//! Study records as xAPI 1.0.3 statements (the shape a provincial platform's learning record
//! store takes): the actor is the case's account on this system, never a name; the verbs are
//! ADL's and cmi5's; a statement's id is derived from what it records, so exporting again
//! gives the same ids and a store keeps each once. No property is ever null (an LRS must
//! refuse a statement that has one).

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::*;

view_type! {
    pub struct XapiAccount {
        /// The system the account is on (`public_url` in the configuration).
        #[serde(rename = "homePage")]
        pub home_page: String,
        /// The case's id.
        pub name: String,
    }
}

view_type! {
    pub struct XapiActor {
        /// Always `Agent`.
        #[serde(rename = "objectType")]
        pub object_type: String,
        pub account: XapiAccount,
    }
}

view_type! {
    pub struct XapiVerb {
        pub id: String,
        /// Language tag → word (`en-US`, `zh-CN`).
        pub display: HashMap<String, String>,
    }
}

view_type! {
    pub struct XapiDefinition {
        pub name: HashMap<String, String>,
        #[serde(rename = "type")]
        pub type_: String,
    }
}

view_type! {
    pub struct XapiObject {
        /// Always `Activity`.
        #[serde(rename = "objectType")]
        pub object_type: String,
        /// `urn:huijiao:lesson:<id>`, `urn:huijiao:lecture:<id>`.
        pub id: String,
        pub definition: XapiDefinition,
    }
}

view_type! {
    pub struct XapiScore {
        pub scaled: f64,
        pub raw: f64,
        pub min: f64,
        pub max: f64,
    }
}

view_type! {
    pub struct XapiResult {
        /// ISO 8601, e.g. `PT12M30S`: the time credited.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub duration: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub success: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub completion: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub score: Option<XapiScore>,
    }
}

view_type! {
    pub struct XapiStatement {
        pub id: Uuid,
        pub actor: XapiActor,
        pub verb: XapiVerb,
        pub object: XapiObject,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub result: Option<XapiResult>,
        pub timestamp: DateTime<Utc>,
    }
}

/// The verbs a study record uses: (IRI, English, Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XapiVerbKind {
    Launched,
    Completed,
    Passed,
    Failed,
    Terminated,
    Attended,
    /// A lesson's completion rule (cmi5 `moveOn`) met.
    Satisfied,
}

impl XapiVerbKind {
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            XapiVerbKind::Launched => (
                "http://adlnet.gov/expapi/verbs/launched",
                "launched",
                "开始",
            ),
            XapiVerbKind::Completed => (
                "http://adlnet.gov/expapi/verbs/completed",
                "completed",
                "完成",
            ),
            XapiVerbKind::Passed => ("http://adlnet.gov/expapi/verbs/passed", "passed", "通过"),
            XapiVerbKind::Failed => ("http://adlnet.gov/expapi/verbs/failed", "failed", "未通过"),
            XapiVerbKind::Terminated => (
                "http://adlnet.gov/expapi/verbs/terminated",
                "terminated",
                "结束",
            ),
            XapiVerbKind::Attended => (
                "http://adlnet.gov/expapi/verbs/attended",
                "attended",
                "参加",
            ),
            XapiVerbKind::Satisfied => (
                "https://w3id.org/xapi/adl/verbs/satisfied",
                "satisfied",
                "达标",
            ),
        }
    }

    pub fn verb(self) -> XapiVerb {
        let (id, en, zh) = self.words();
        XapiVerb {
            id: id.into(),
            display: HashMap::from([("en-US".into(), en.into()), ("zh-CN".into(), zh.into())]),
        }
    }
}

/// An activity of this system: `kind` is `lesson` or `lecture`.
pub fn xapi_activity(kind: &str, id: Uuid, title: &str) -> XapiObject {
    let type_ = match kind {
        "lecture" => "http://adlnet.gov/expapi/activities/meeting",
        _ => "http://adlnet.gov/expapi/activities/lesson",
    };
    XapiObject {
        object_type: "Activity".into(),
        id: format!("urn:huijiao:{kind}:{id}"),
        definition: XapiDefinition {
            name: HashMap::from([("zh-CN".into(), title.into())]),
            type_: type_.into(),
        },
    }
}

pub fn xapi_actor(home_page: &str, case_id: Uuid) -> XapiActor {
    XapiActor {
        object_type: "Agent".into(),
        account: XapiAccount {
            home_page: home_page.into(),
            name: case_id.to_string(),
        },
    }
}

/// The id of the statement that `verb` says of the record `source`: the same every export.
pub fn xapi_statement_id(source: Uuid, verb: XapiVerbKind) -> Uuid {
    let digest = Sha256::new()
        .chain_update(source.as_bytes())
        .chain_update(verb.words().0.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// ISO 8601 duration of whole seconds: `PT0S`, `PT45S`, `PT12M30S`, `PT2H5M`.
pub fn iso_duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(45_999), "PT45S");
        assert_eq!(iso_duration(750_000), "PT12M30S");
        assert_eq!(iso_duration(7_500_000), "PT2H5M");
    }

    #[test]
    fn a_statement_has_no_nulls_and_a_stable_id() {
        let source = Uuid::now_v7();
        let id = xapi_statement_id(source, XapiVerbKind::Completed);
        assert_eq!(id, xapi_statement_id(source, XapiVerbKind::Completed));
        assert_ne!(id, xapi_statement_id(source, XapiVerbKind::Launched));
        let s = XapiStatement {
            id,
            actor: xapi_actor("https://huijiao.example", source),
            verb: XapiVerbKind::Completed.verb(),
            object: xapi_activity("lesson", source, "第一课"),
            result: Some(XapiResult {
                duration: Some(iso_duration(60_000)),
                success: None,
                completion: Some(true),
                score: None,
            }),
            timestamp: Utc::now(),
        };
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains("null"), "{text}");
        assert!(
            text.contains("\"homePage\":\"https://huijiao.example\""),
            "{text}"
        );
        assert!(text.contains("\"objectType\":\"Agent\""), "{text}");
        assert!(text.contains("\"type\":\"http://adlnet.gov/expapi/activities/lesson\""));
    }
}
