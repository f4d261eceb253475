//! Access tokens (EdDSA JWTs) and opaque refresh tokens.

use std::path::Path;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::secrets::{load_or_generate_secret, write_private};
use huijiao_core::ErrorCode;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// Session (refresh-token family) this token belongs to; revoking it ends the token too.
    pub sid: Uuid,
    pub role: String,
    /// The bound device, for supervisees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<String>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Key id: a short fingerprint of the public key, so several keys can coexist in rotation.
    kid: String,
    issuer: String,
    audience: String,
    access_ttl: i64,
}

impl JwtKeys {
    pub fn load_or_generate(path: &Path, cfg: &AuthConfig) -> anyhow::Result<JwtKeys> {
        let der = match std::fs::metadata(path) {
            Ok(_) => load_or_generate_secret(path, 0, |b| {
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(b)
                    .map(|_| ())
                    .map_err(|_| anyhow::anyhow!("not a PKCS#8 Ed25519 key"))
            })?,
            Err(_) => {
                let doc = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
                    .map_err(|_| anyhow::anyhow!("cannot generate an Ed25519 key"))?;
                write_private(path, doc.as_ref())?;
                doc.as_ref().to_vec()
            }
        };
        Self::from_pkcs8(&der, cfg)
    }

    pub fn from_pkcs8(der: &[u8], cfg: &AuthConfig) -> anyhow::Result<JwtKeys> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|_| anyhow::anyhow!("not a PKCS#8 Ed25519 key"))?;
        let public = pair.public_key().as_ref();
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[&cfg.audience]);
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "aud", "iss"]);
        validation.leeway = cfg.clock_leeway_secs;
        Ok(JwtKeys {
            encoding: EncodingKey::from_ed_der(der),
            decoding: DecodingKey::from_ed_der(public),
            validation,
            kid: hex::encode(&sha2::Sha256::digest(public)[..8]),
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            access_ttl: cfg.access_ttl_secs,
        })
    }

    pub fn access_ttl(&self) -> i64 {
        self.access_ttl
    }

    pub fn issue(
        &self,
        user: Uuid,
        session: Uuid,
        role: &str,
        device: Option<String>,
    ) -> Result<String, ErrorCode> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user,
            sid: session,
            role: role.to_owned(),
            dev: device,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + self.access_ttl,
            jti: Uuid::now_v7(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|_| ErrorCode::Internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ErrorCode> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => ErrorCode::TokenExpired,
                _ => ErrorCode::TokenInvalid,
            })
    }
}

/// A supervisee's token checked by its signature and the phone header only. Why: the
/// heartbeat writer checks the account, session and phone of a whole batch of requests in
/// three queries, inside the transaction that writes them (`extractor::check_live`), instead
/// of three queries a request; a logout, lock or device change still refuses the very next
/// write. A handler taking this must call `extractor::check_live` before acting.
#[derive(Debug, Clone)]
pub struct SuperviseeToken {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub device_id: String,
}

/// A new opaque refresh token and the hash under which it is stored.
pub fn new_refresh_token() -> (String, String) {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}
