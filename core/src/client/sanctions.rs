//! Rewards and sanctions: what the facts support, proposals, the county's decision, the
//! person's acknowledgement.

use super::*;

impl Client {
    /// What the facts about a person support, gravest first (officers).
    pub async fn sanction_advice(&self, case_id: Uuid) -> Result<SanctionAdviceView, ClientError> {
        self.get(&format!("/cases/{case_id}/sanction-advice")).await
    }

    /// An officer of the case proposes on one of the measures' grounds.
    pub async fn propose_sanction(
        &self,
        case_id: Uuid,
        req: &SanctionProposal,
    ) -> Result<SanctionView, ClientError> {
        self.post(&format!("/cases/{case_id}/sanctions"), req).await
    }

    /// A case's rewards and sanctions (the person sees the decisions in force).
    pub fn case_sanctions(&self, case_id: Uuid) -> Pages<'_, SanctionView> {
        Pages::new(self, format!("/cases/{case_id}/sanctions"))
    }

    pub async fn sanction(&self, id: Uuid) -> Result<SanctionView, ClientError> {
        self.get(&format!("/sanctions/{id}")).await
    }

    /// The county agency approves or rejects, at the version seen.
    pub async fn decide_sanction(
        &self,
        id: Uuid,
        req: &SanctionDecision,
    ) -> Result<SanctionView, ClientError> {
        self.post(&format!("/sanctions/{id}/decide"), req).await
    }

    /// A sanction in force as its written decision or recommendation (PDF).
    pub async fn sanction_document(&self, id: Uuid) -> Result<Vec<u8>, ClientError> {
        let (_, body) = self
            .send(Method::GET, &format!("/sanctions/{id}/document"), None)
            .await?;
        Ok(body.to_vec())
    }

    /// The person acknowledges a decision they were told of.
    pub async fn acknowledge_sanction(&self, id: Uuid) -> Result<SanctionView, ClientError> {
        self.call(
            Method::POST,
            &format!("/sanctions/{id}/acknowledge"),
            None::<&()>,
        )
        .await
    }

    /// The county agency orders (or renews) an electronic tag.
    pub async fn order_tag(
        &self,
        case_id: Uuid,
        req: &TagOrderNew,
    ) -> Result<TagOrderView, ClientError> {
        self.post(&format!("/cases/{case_id}/tag-orders"), req)
            .await
    }

    /// A case's tag orders, latest first.
    pub async fn tag_orders(&self, case_id: Uuid) -> Result<Vec<TagOrderView>, ClientError> {
        self.get(&format!("/cases/{case_id}/tag-orders")).await
    }

    /// The county agency ends an order before its term.
    pub async fn end_tag_order(
        &self,
        id: Uuid,
        req: &TagOrderEnd,
    ) -> Result<TagOrderView, ClientError> {
        self.post(&format!("/tag-orders/{id}/end"), req).await
    }
}
