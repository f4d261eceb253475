//! Alerts. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    pub async fn alerts(&self) -> Result<Vec<AlertView>, ClientError> {
        self.get("/alerts").await
    }

    /// The signed-in supervisee's own alerts (no evidence or notes).
    pub async fn own_alerts(&self) -> Result<Vec<OwnAlertView>, ClientError> {
        self.get("/me/alerts").await
    }

    pub async fn acknowledge_alert(&self, id: Uuid) -> Result<AlertView, ClientError> {
        self.post(&format!("/alerts/{id}/acknowledge"), &serde_json::json!({}))
            .await
    }

    pub async fn resolve_alert(&self, id: Uuid, note: &str) -> Result<AlertView, ClientError> {
        let body = AlertResolveRequest { note: note.into() };
        self.post(&format!("/alerts/{id}/resolve"), &body).await
    }
}
