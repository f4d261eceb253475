//! Field work (走访, 个别谈话, 到所报到): recording visits with `record` when online, or
//! `HuijiaoOutbox::enqueue_visit` when not (the record's `id` keeps a resend the same
//! record), a case's record, and what is due. (`HuijiaoClient::visits()`)

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use huijiao_core::policy::visits::{VisitDue, VisitKind};
use uuid::Uuid;

use crate::Result;

crate::page_record!(VisitPage, VisitView);

/// Field work. (`HuijiaoClient::visits()`)
#[derive(uniffi::Object)]
pub struct VisitsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl VisitsClient {
    /// An officer of the case records a home visit, talk or office report.
    pub async fn record(&self, case_id: Uuid, visit: VisitNew) -> Result<VisitView> {
        Ok(self.inner.record_visit(case_id, &visit).await?)
    }

    /// A case's visits, talks and office reports, newest first (officers).
    pub async fn of_case(&self, case_id: Uuid, kind: Option<VisitKind>) -> Result<Vec<VisitView>> {
        Ok(self.inner.case_visits(case_id, kind).await?)
    }

    /// One page of it: the first, or the one after `after` (a page's `next`), of `limit` items
    /// (1–500; default 100).
    pub async fn of_case_page(
        &self,
        case_id: Uuid,
        kind: Option<VisitKind>,
        after: Option<String>,
        limit: Option<u64>,
    ) -> Result<VisitPage> {
        Ok(self
            .inner
            .case_visits(case_id, kind)
            .after(after)
            .limit(limit)
            .page()
            .await?
            .into())
    }

    /// When the next home visit and office report are due (the person: their report only).
    pub async fn due(&self, case_id: Uuid) -> Result<Vec<VisitDue>> {
        Ok(self.inner.visits_due(case_id).await?)
    }

    /// An officer of the case adds a photo to a recorded visit.
    pub async fn add_photo(&self, visit_id: Uuid, photo: VisitPhotoNew) -> Result<VisitPhotoView> {
        Ok(self.inner.add_visit_photo(visit_id, &photo).await?)
    }

    /// A visit's photo, as taken (officers of the case).
    pub async fn photo(&self, visit_id: Uuid, photo_id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.visit_photo(visit_id, photo_id).await?)
    }
}
