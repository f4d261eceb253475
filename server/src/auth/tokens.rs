//! Access tokens (EdDSA JWTs) and opaque refresh tokens.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

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
    leeway: i64,
    verified: Mutex<Verified>,
}

/// Tokens whose signature, issuer and audience were checked, with their claims, so a phone
/// beating every 30 s with the same token costs one Ed25519 verification, not one a request
/// (it was the largest single cost of the heartbeat path). Keyed by the whole token: only the
/// exact bytes once verified are taken on trust, and the expiry is still checked every time.
/// Two generations bound the memory: when the fresh one fills, it becomes the older one and
/// the older is dropped; a token found in the older moves back.
struct Verified {
    fresh: HashMap<String, Claims>,
    older: HashMap<String, Claims>,
    per_generation: usize,
}

/// Tokens a generation holds (a token is about 450 bytes): enough for every phone of a large
/// county studying at once within one access-token lifetime.
const VERIFIED_PER_GENERATION: usize = 20_000;

impl Verified {
    fn new(per_generation: usize) -> Self {
        Verified {
            fresh: HashMap::new(),
            older: HashMap::new(),
            per_generation: per_generation.max(1),
        }
    }

    fn get(&mut self, token: &str) -> Option<Claims> {
        if let Some(c) = self.fresh.get(token) {
            return Some(c.clone());
        }
        let (token, claims) = self.older.remove_entry(token)?;
        self.put(token, claims.clone());
        Some(claims)
    }

    fn put(&mut self, token: String, claims: Claims) {
        if self.fresh.len() >= self.per_generation {
            self.older = std::mem::take(&mut self.fresh);
        }
        self.fresh.insert(token, claims);
    }
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
            leeway: i64::try_from(cfg.clock_leeway_secs).unwrap_or(i64::MAX),
            verified: Mutex::new(Verified::new(VERIFIED_PER_GENERATION)),
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
        self.verify_at(token, Utc::now().timestamp())
    }

    fn verify_at(&self, token: &str, now: i64) -> Result<Claims, ErrorCode> {
        let cached = self.verified.lock().expect("not poisoned").get(token);
        let claims = match cached {
            Some(claims) => claims,
            None => {
                let claims =
                    jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                        .map(|d| d.claims)
                        .map_err(|e| match e.kind() {
                            jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                                ErrorCode::TokenExpired
                            }
                            _ => ErrorCode::TokenInvalid,
                        })?;
                self.verified
                    .lock()
                    .expect("not poisoned")
                    .put(token.to_owned(), claims.clone());
                claims
            }
        };
        // As `jsonwebtoken` judges it, for a token taken from the cache too.
        if claims.exp < now.saturating_sub(self.leeway) {
            return Err(ErrorCode::TokenExpired);
        }
        Ok(claims)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ttl: i64) -> JwtKeys {
        let doc = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        JwtKeys::from_pkcs8(
            doc.as_ref(),
            &AuthConfig {
                access_ttl_secs: ttl,
                clock_leeway_secs: 30,
                ..AuthConfig::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_cached_token_still_expires() {
        let k = keys(60);
        let t = k
            .issue(Uuid::now_v7(), Uuid::now_v7(), "supervisee", None)
            .unwrap();
        let now = Utc::now().timestamp();
        assert!(k.verify_at(&t, now).is_ok());
        assert!(k.verified.lock().unwrap().fresh.contains_key(&t), "cached");
        assert!(k.verify_at(&t, now + 60 + 30).is_ok(), "within the leeway");
        assert_eq!(
            k.verify_at(&t, now + 60 + 31).unwrap_err(),
            ErrorCode::TokenExpired
        );
    }

    #[test]
    fn only_the_exact_token_verified_is_trusted() {
        let k = keys(60);
        let t = k
            .issue(Uuid::now_v7(), Uuid::now_v7(), "supervisee", None)
            .unwrap();
        k.verify(&t).unwrap();
        // The same header and signature over another payload (another user).
        let (head, rest) = t.split_once('.').unwrap();
        let (_, sig) = rest.split_once('.').unwrap();
        let other = k
            .issue(Uuid::now_v7(), Uuid::now_v7(), "officer", None)
            .unwrap();
        let payload = other.split('.').nth(1).unwrap();
        let forged = format!("{head}.{payload}.{sig}");
        assert_eq!(k.verify(&forged).unwrap_err(), ErrorCode::TokenInvalid);
        assert!(!k.verified.lock().unwrap().fresh.contains_key(&forged));
    }

    #[test]
    fn two_generations_bound_the_cache() {
        let k = keys(60);
        *k.verified.lock().unwrap() = Verified::new(2);
        let t: Vec<String> = (0..5)
            .map(|_| {
                k.issue(Uuid::now_v7(), Uuid::now_v7(), "supervisee", None)
                    .unwrap()
            })
            .collect();
        for token in &t[..3] {
            k.verify(token).unwrap();
        }
        {
            let v = k.verified.lock().unwrap();
            assert_eq!((v.older.len(), v.fresh.len()), (2, 1));
        }
        k.verify(&t[0]).unwrap(); // from the older generation, back into the fresh one
        k.verify(&t[3]).unwrap(); // the fresh one is full: it becomes the older
        let v = k.verified.lock().unwrap();
        assert!(v.fresh.contains_key(&t[3]));
        assert!(v.older.contains_key(&t[0]) && v.older.contains_key(&t[2]));
        assert!(!v.older.contains_key(&t[1]) && !v.fresh.contains_key(&t[1]));
    }
}
