//! Tenants and their credentials. Secrets are shown once and stored as digests: the
//! random keys and ids as SHA-256 (they carry 96+ random bits, so a fast digest is enough
//! and lookups stay one indexed query), a login password as Argon2id with its own salt
//! (people choose guessable passwords). The extractor turns an `X-API-Key` or
//! `Authorization: Bearer` header into a tenant.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::AppState;
use crate::error::ApiError;

/// A caller authenticated as one tenant (business).
#[derive(Clone, Copy, Debug)]
pub struct Tenant {
    pub id: i64,
}

impl FromRequestParts<AppState> for Tenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let key = header("x-api-key")
            .map(str::trim)
            .or_else(|| {
                header("authorization")
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::trim)
            })
            .filter(|k| !k.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let row = sqlx::query(
            "SELECT tenant_id FROM credentials WHERE kind = 'api_key' AND secret_sha256 = $1",
        )
        .bind(sha256_hex(key.as_bytes()))
        .fetch_optional(&state.db)
        .await?;
        row.map(|r| Tenant { id: r.get(0) })
            .ok_or(ApiError::Unauthorized)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random URL-safe token of `bytes` random bytes (hex-encoded).
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The OS random source failing leaves no safe way to mint secrets.
    getrandom::fill(&mut buffer).expect("the operating system's random source");
    hex(&buffer)
}

/// What `statera tenant create` prints: every credential, shown this once.
#[derive(Debug, Serialize)]
pub struct Credentials {
    pub tenant_id: i64,
    pub api_key: String,
    pub webhook_secret: String,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub oauth_client_id: String,
    pub oauth_client_secret: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// An Argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    use argon2::PasswordHasher;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source");
    let salt =
        argon2::password_hash::SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 with default parameters")
        .to_string()
}

/// Whether `password` matches a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::PasswordVerifier;
    argon2::password_hash::PasswordHash::new(stored).is_ok_and(|hash| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Creates a tenant and its credentials. A login `password` (for the dashboard) is kept
/// only as an Argon2id hash.
pub async fn create_tenant(
    db: &sqlx::AnyPool,
    master_key: &[u8],
    name: &str,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<Credentials, sqlx::Error> {
    let mut tx = db.begin().await?;
    let now = crate::store::now();
    let tenant_id: i64 = sqlx::query(
        "INSERT INTO tenants (name, email, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(email)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    let credentials = Credentials {
        tenant_id,
        api_key: format!("sk_{}", random_token(24)),
        webhook_secret: crate::webhooks::secret_for(master_key, tenant_id),
        consumer_key: format!("ck_{}", random_token(12)),
        consumer_secret: format!("cs_{}", random_token(24)),
        oauth_client_id: format!("oc_{}", random_token(12)),
        oauth_client_secret: format!("os_{}", random_token(24)),
        email: email.map(str::to_owned),
    };
    // The public ids are stored as digests too: a lookup hashes what the caller presents.
    let mut stored: Vec<(&str, String)> = [
        ("api_key", &credentials.api_key),
        ("consumer_key", &credentials.consumer_key),
        ("consumer_secret", &credentials.consumer_secret),
        ("oauth_client_id", &credentials.oauth_client_id),
        ("oauth_client_secret", &credentials.oauth_client_secret),
    ]
    .into_iter()
    .map(|(kind, secret)| (kind, sha256_hex(secret.as_bytes())))
    .collect();
    if let Some(password) = password {
        stored.push(("password", hash_password(password)));
    }
    for (kind, digest) in stored {
        sqlx::query("INSERT INTO credentials (tenant_id, kind, secret_sha256, created_at) VALUES ($1, $2, $3, $4)")
            .bind(tenant_id)
            .bind(kind)
            .bind(digest)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_salted_argon2id_and_verify() {
        let first = hash_password("correct horse");
        let second = hash_password("correct horse");
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_password("correct horse", &first));
        assert!(!verify_password("correct horsE", &first));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
