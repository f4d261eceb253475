//! Video roll calls. One `impl Client` block per domain; the transport is in `mod.rs`. The
//! media itself goes over the app's WebRTC stack: these calls carry its offer and answer.

use super::*;
use crate::policy::rollcall::RollCallStatus;

impl Client {
    /// Calls the selected people now, or at `req.at` (officers).
    pub async fn start_roll_calls(
        &self,
        req: &RollCallStart,
    ) -> Result<RollCallStartView, ClientError> {
        self.post("/roll-calls", req).await
    }

    /// Roll calls in the officer's jurisdiction, latest first; `status` narrows them (e.g.
    /// `needs_review`, the review queue); `from`/`to` bound when they rang (today's calls).
    pub fn roll_calls(
        &self,
        status: Option<RollCallStatus>,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Pages<'_, RollCallView> {
        let status = status.map(|s| format!("status={}", s.as_str()));
        Pages::new(
            self,
            with_period("/roll-calls", status.into_iter().collect(), from, to),
        )
    }

    /// Statistics per unit of the officer's jurisdiction over a period (default: 30 days).
    pub async fn roll_call_stats(
        &self,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<RollCallUnitStats>, ClientError> {
        self.get(&with_period("/roll-calls/stats", vec![], from, to))
            .await
    }

    pub async fn roll_call(&self, id: Uuid) -> Result<RollCallView, ClientError> {
        self.get(&format!("/roll-calls/{id}")).await
    }

    pub fn roll_calls_of(&self, case_id: Uuid) -> Pages<'_, RollCallView> {
        Pages::new(self, format!("/cases/{case_id}/roll-calls"))
    }

    /// The page that answers roll call `id` in the app's WebView (or a browser): the call,
    /// the signed-in user's access token and the phone's id travel in the URL's fragment,
    /// which is never sent to a server. The call is read first, so the token is a fresh one.
    pub async fn roll_call_page(&self, id: Uuid) -> Result<String, ClientError> {
        self.roll_call(id).await?;
        let tokens = self.tokens.load().ok_or(ClientError::NotSignedIn)?;
        let root = self.api.trim_end_matches("/api/v1");
        let mut url = format!(
            "{root}/roll-call#id={id}&token={}",
            fragment_value(&tokens.access)
        );
        if let Some(d) = &self.device_id {
            url.push_str("&device=");
            url.push_str(&fragment_value(d));
        }
        Ok(url)
    }

    /// Answers a ringing call with the app's WebRTC offer (SDP, candidates gathered); returns
    /// the server's answer to hand to the WebRTC stack.
    pub async fn answer_roll_call(
        &self,
        id: Uuid,
        sdp_offer: &str,
    ) -> Result<RollCallAnswerView, ClientError> {
        self.post(
            &format!("/roll-calls/{id}/answer"),
            &RollCallAnswer {
                sdp_offer: sdp_offer.to_owned(),
            },
        )
        .await
    }

    /// Joins a live call to watch it (officers): the WebRTC offer (receive-only video) in,
    /// the server's answer out; the video is the phone's own, relayed.
    pub async fn watch_roll_call(
        &self,
        id: Uuid,
        sdp_offer: &str,
    ) -> Result<RollCallWatchView, ClientError> {
        self.post(
            &format!("/roll-calls/{id}/watch"),
            &RollCallWatch {
                sdp_offer: sdp_offer.to_owned(),
            },
        )
        .await
    }

    pub async fn excuse_roll_call(
        &self,
        id: Uuid,
        req: &RollCallExcuse,
    ) -> Result<RollCallView, ClientError> {
        self.post(&format!("/roll-calls/{id}/excuse"), req).await
    }

    /// Decides a call that needs review (confirm: it was them; reject: it was not).
    pub async fn review_roll_call(
        &self,
        id: Uuid,
        req: &RollCallReview,
    ) -> Result<RollCallView, ClientError> {
        self.post(&format!("/roll-calls/{id}/review"), req).await
    }

    /// A picture a call kept as evidence: the best match, or the challenge's frame (officers;
    /// the read is audited). JPEG.
    pub async fn roll_call_snapshot(
        &self,
        id: Uuid,
        frame: EvidenceFrame,
    ) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!(
            "/roll-calls/{id}/snapshot?frame={}",
            frame.as_str()
        ))
        .await
    }

    /// A call's recording, where the jurisdiction records calls: VP8 in IVF
    /// (`video/x-ivf`) or an H.264 Annex-B stream (`RollCallView::has_recording` says whether
    /// one is kept). Officers; the read is audited.
    pub async fn roll_call_recording(&self, id: Uuid) -> Result<Vec<u8>, ClientError> {
        self.bytes(&format!("/roll-calls/{id}/recording")).await
    }
}

/// `path` with the query `params` and the period's bounds.
fn with_period(
    path: &str,
    mut params: Vec<String>,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let t = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string();
    params.extend(from.map(|d| format!("from={}", t(d))));
    params.extend(to.map(|d| format!("to={}", t(d))));
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// `value` with everything but unreserved characters percent-encoded (RFC 3986).
fn fragment_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
