//! Sign-in, sign-out, the caller, password. One `impl Client` block per domain; the transport is in `mod.rs`.

use super::*;

impl Client {
    /// Signs in and keeps the tokens in the platform's store.
    pub async fn login(&self, username: &str, password: &str) -> Result<MeView, ClientError> {
        let body = serde_json::to_vec(&LoginRequest {
            username: username.into(),
            password: password.into(),
            device_id: self.device_id.clone(),
            device_name: None,
        })
        .map_err(|e| ClientError::Decode(e.to_string()))?;
        let (status, bytes) = self
            .send_once(
                &Method::POST,
                "/auth/login",
                Some(&body),
                None,
                &Extra::default(),
            )
            .await?;
        if !status.is_success() {
            return Err(ClientError::Api {
                status: status.as_u16(),
                problem: Box::new(problem(status, &bytes)),
            });
        }
        let view: TokenView = decode(&bytes)?;
        self.tokens.save(Tokens {
            access: view.access_token,
            refresh: view.refresh_token,
        });
        Ok(view.user)
    }

    /// Ends the session on the server (when reachable) and forgets the tokens either way.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let result = self.send(Method::POST, "/auth/logout", None).await;
        self.tokens.clear();
        result.map(|_| ())
    }

    pub async fn me(&self) -> Result<MeView, ClientError> {
        self.get("/me").await
    }

    /// Changes the password; other sessions end.
    pub async fn change_password(&self, req: &PasswordChangeRequest) -> Result<(), ClientError> {
        self.no_content(Method::POST, "/auth/password", Some(req))
            .await
    }
}
