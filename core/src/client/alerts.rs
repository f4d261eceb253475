//! Alerts. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// Alerts in the caller's jurisdiction, newest first.
    pub fn alerts(&self) -> Pages<'_, AlertView> {
        Pages::new(self, "/alerts")
    }

    /// The signed-in supervisee's own alerts (no evidence or notes), newest first.
    pub fn own_alerts(&self) -> Pages<'_, OwnAlertView> {
        Pages::new(self, "/me/alerts")
    }

    pub async fn alert(&self, id: Uuid) -> Result<AlertView, ClientError> {
        self.get(&format!("/alerts/{id}")).await
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
