//! Rewards and sanctions (考核奖惩): advice, proposals, the county's decision, the person's
//! acknowledgement. (`HuijiaoClient::sanctions()`)

use std::sync::Arc;

use huijiao_core::api::*;
use huijiao_core::client::Client;
use uuid::Uuid;

use crate::Result;

/// Rewards and sanctions. (`HuijiaoClient::sanctions()`)
#[derive(uniffi::Object)]
pub struct SanctionsClient {
    pub(crate) inner: Arc<Client>,
}

#[uniffi::export(async_runtime = "tokio")]
impl SanctionsClient {
    /// What the facts about a person support, gravest first (officers).
    pub async fn advice(&self, case_id: Uuid) -> Result<SanctionAdviceView> {
        Ok(self.inner.sanction_advice(case_id).await?)
    }

    /// An officer of the case proposes on one of the measures' grounds.
    pub async fn propose(&self, case_id: Uuid, proposal: SanctionProposal) -> Result<SanctionView> {
        Ok(self.inner.propose_sanction(case_id, &proposal).await?)
    }

    /// A case's rewards and sanctions (the person sees the decisions in force).
    pub async fn of_case(&self, case_id: Uuid) -> Result<Vec<SanctionView>> {
        Ok(self.inner.case_sanctions(case_id).await?)
    }

    pub async fn get(&self, id: Uuid) -> Result<SanctionView> {
        Ok(self.inner.sanction(id).await?)
    }

    /// The county agency approves or rejects, at the version seen.
    pub async fn decide(&self, id: Uuid, decision: SanctionDecision) -> Result<SanctionView> {
        Ok(self.inner.decide_sanction(id, &decision).await?)
    }

    /// A sanction in force as its written decision or recommendation (PDF).
    pub async fn document(&self, id: Uuid) -> Result<Vec<u8>> {
        Ok(self.inner.sanction_document(id).await?)
    }

    /// The person acknowledges a decision they were told of.
    pub async fn acknowledge(&self, id: Uuid) -> Result<SanctionView> {
        Ok(self.inner.acknowledge_sanction(id).await?)
    }

    /// The county agency orders (or renews) an electronic tag.
    pub async fn order_tag(&self, case_id: Uuid, order: TagOrderNew) -> Result<TagOrderView> {
        Ok(self.inner.order_tag(case_id, &order).await?)
    }

    /// A case's tag orders, latest first.
    pub async fn tag_orders(&self, case_id: Uuid) -> Result<Vec<TagOrderView>> {
        Ok(self.inner.tag_orders(case_id).await?)
    }

    /// The county agency ends an order before its term.
    pub async fn end_tag_order(&self, id: Uuid, end: TagOrderEnd) -> Result<TagOrderView> {
        Ok(self.inner.end_tag_order(id, &end).await?)
    }
}
