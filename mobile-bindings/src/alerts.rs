//! Alerts for officers.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Alerts for officers. (`HuijiaoClient::alerts()`)
#[derive(uniffi::Object)]
pub struct AlertsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl AlertsClient {
    pub async fn list(&self) -> Result<Vec<AlertView>> {
        Ok(self.inner.alerts().await?)
    }

    /// The supervisee's own alerts: what was raised about them and whether it is handled.
    pub async fn own_alerts(&self) -> Result<Vec<huijiao_core::api::OwnAlertView>> {
        Ok(self.inner.own_alerts().await?)
    }

    pub async fn acknowledge_alert(&self, id: Uuid) -> Result<AlertView> {
        Ok(self.inner.acknowledge_alert(id).await?)
    }

    pub async fn resolve_alert(&self, id: Uuid, note: String) -> Result<AlertView> {
        Ok(self.inner.resolve_alert(id, &note).await?)
    }
}
