//! Alerts for officers.

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

crate::page_record!(AlertPage, AlertView);
crate::page_record!(OwnAlertPage, OwnAlertView);

/// Alerts for officers. (`HuijiaoClient::alerts()`)
#[derive(uniffi::Object)]
pub struct AlertsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl AlertsClient {
    /// Every alert in the jurisdiction, newest first.
    pub async fn list(&self) -> Result<Vec<AlertView>> {
        Ok(self.inner.alerts().await?)
    }

    pub async fn get(&self, id: Uuid) -> Result<AlertView> {
        Ok(self.inner.alert(id).await?)
    }

    /// One page of them: the first, or the one after `after` (a page's `next`), of `limit`
    /// items (1–500; default 100).
    pub async fn list_page(&self, after: Option<String>, limit: Option<u64>) -> Result<AlertPage> {
        Ok(self
            .inner
            .alerts()
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    /// Everything waiting for the signed-in officer at their level: requests to decide,
    /// alerts, check-ins and roll calls to review, work to mark, sanctions, phones. (The
    /// officer's queue screen, `HuijiaoClient::queue_screen`, draws it.)
    pub async fn work_queue(&self) -> Result<WorkQueueView> {
        Ok(self.inner.work_queue().await?)
    }

    /// The supervisee's own alerts: what was raised about them and whether it is handled.
    pub async fn own_alerts(&self) -> Result<Vec<OwnAlertView>> {
        Ok(self.inner.own_alerts().await?)
    }

    pub async fn own_alerts_page(
        &self,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<OwnAlertPage> {
        Ok(self
            .inner
            .own_alerts()
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    pub async fn acknowledge_alert(&self, id: Uuid) -> Result<AlertView> {
        Ok(self.inner.acknowledge_alert(id).await?)
    }

    pub async fn resolve_alert(&self, id: Uuid, note: String) -> Result<AlertView> {
        Ok(self.inner.resolve_alert(id, &note).await?)
    }
}
