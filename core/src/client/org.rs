//! Units and accounts (admin duties). One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    pub async fn units(&self) -> Result<Vec<UnitView>, ClientError> {
        self.get("/units").await
    }

    pub async fn unit(&self, id: Uuid) -> Result<UnitView, ClientError> {
        self.get(&format!("/units/{id}")).await
    }

    /// The units a case may move to, with where each is (anyone signed in).
    pub async fn receiving_units(&self) -> Result<Vec<ReceivingUnitView>, ClientError> {
        self.get("/units/receiving").await
    }

    pub async fn create_unit(&self, req: &UnitCreateRequest) -> Result<UnitView, ClientError> {
        self.call(Method::POST, "/units", Some(req)).await
    }

    pub fn users(&self) -> Pages<'_, UserView> {
        Pages::new(self, "/users")
    }

    pub async fn create_user(&self, req: &UserCreateRequest) -> Result<UserView, ClientError> {
        self.call(Method::POST, "/users", Some(req)).await
    }

    pub async fn unlock_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/unlock"), None::<&()>)
            .await
    }

    /// Resets a staff member's forgotten password to a one-time one (shown once).
    pub async fn reset_user_password(&self, id: Uuid) -> Result<IssuedLoginView, ClientError> {
        self.call(
            Method::POST,
            &format!("/users/{id}/password/reset"),
            None::<&()>,
        )
        .await
    }

    pub async fn disable_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/disable"), None::<&()>)
            .await
    }

    pub async fn enable_user(&self, id: Uuid) -> Result<UserView, ClientError> {
        self.call(Method::POST, &format!("/users/{id}/enable"), None::<&()>)
            .await
    }
}
