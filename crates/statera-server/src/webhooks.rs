//! Webhooks: an outbox. Facts become events in the same transaction as the change that
//! causes them; each target gets a delivery that the sender claims like a job, signs with
//! the Standard Webhooks scheme, POSTs with a timeout and no redirects, records as an
//! attempt, and reschedules by the face's retry schedule until it is delivered or given up.
//! Targets that resolve to private, loopback or link-local addresses are refused unless
//! the operator allows them.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::Row;

use crate::store::Backend;

use crate::AppState;
use crate::store::now;

/// The tenant's signing secret, `whsec_` + base64 of 32 bytes derived from the master key:
/// reproducible by the server, so nothing secret is stored per tenant, and shown once by
/// `statera tenant create`.
pub fn secret_for(master_key: &[u8], tenant_id: i64) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(master_key).expect("any key length");
    mac.update(format!("webhook-signing-secret:{tenant_id}").as_bytes());
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// `webhook-signature` for a message: `v1,` + base64(HMAC-SHA256(secret, "id.timestamp.body")).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Checks a delivery as a receiver would: the signature over `id.timestamp.body` with
/// `secret`, and a timestamp within `tolerance_seconds` of `now`.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: i64,
    signatures: &str,
    body: &str,
    now: i64,
    tolerance_seconds: i64,
) -> Result<(), &'static str> {
    if (now - timestamp).abs() > tolerance_seconds {
        return Err("the timestamp is too old or in the future");
    }
    let expected = sign(secret, id, timestamp, body);
    // The header may carry several space-separated signatures (key rotation).
    if signatures
        .split(' ')
        .any(|s| constant_time_eq(s.as_bytes(), expected.as_bytes()))
    {
        Ok(())
    } else {
        Err("the signature does not match")
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Delay before attempt `n + 1` after `n` failed attempts; `None` when it is time to give up.
pub fn retry_delay(schedule: &[Duration], failed_attempts: usize) -> Option<Duration> {
    schedule.get(failed_attempts.saturating_sub(1)).copied()
}

/// Records an event and a delivery to `url` inside the caller's transaction.
pub async fn enqueue(
    tx: &mut sqlx::AnyConnection,
    tenant_id: i64,
    kind: &str,
    payload: &str,
    url: &str,
) -> Result<(), sqlx::Error> {
    let created = now();
    let message_id = format!("msg_{}", crate::auth::random_token(12));
    let event_id: i64 = sqlx::query(
        "INSERT INTO events (tenant_id, message_id, kind, payload, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tenant_id)
    .bind(&message_id)
    .bind(kind)
    .bind(payload)
    .bind(&created)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    sqlx::query(
        "INSERT INTO deliveries (event_id, url, state, attempts, next_attempt_at) VALUES ($1, $2, 'pending', 0, $3)",
    )
    .bind(event_id)
    .bind(url)
    .bind(&created)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Why a target is refused before any request is made. The URL is read by the same parser
/// reqwest sends with (so `http://127.0.0.1\\@example.com/` is seen as the loopback host it
/// is); a literal IP is checked here, a name by [`GuardedResolver`] at connection time, so
/// the address checked is the address connected to (no DNS-rebinding window).
fn refuse(url: &str, allow_private: bool) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a valid URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("only http and https targets are allowed".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() || url.contains('\\') {
        return Err("webhook URLs may not carry credentials or backslashes".into());
    }
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        Some(url::Host::Domain(_)) => return Ok(()),
        None => return Err("the URL names no host".into()),
    };
    if !allow_private && is_private(&ip) {
        return Err(format!("{ip} is a private, loopback or link-local address"));
    }
    Ok(())
}

/// The webhook client's DNS: resolves with the system resolver, then drops private,
/// loopback and link-local addresses unless the operator allows them; a name with nothing
/// left fails to connect with a reason.
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_private(&a.ip()))
                .collect();
            if addresses.is_empty() {
                return Err(format!(
                    "{host} resolves to no public address (private, loopback and link-local targets are refused)"
                )
                .into());
            }
            Ok(Box::new(addresses.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An error and its causes on one line (reqwest's own message hides the cause, such as
/// the resolver's refusal).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn is_private(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.octets()[0] == 0
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            // An IPv4 address inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as IPv4.
            let embedded = if s[0] == 0x64 && s[1] == 0xff9b {
                Some(std::net::Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ))
            } else if s[0] == 0x2002 {
                Some(std::net::Ipv4Addr::new(
                    (s[1] >> 8) as u8,
                    s[1] as u8,
                    (s[2] >> 8) as u8,
                    s[2] as u8,
                ))
            } else if s[..6].iter().all(|x| *x == 0) && !v6.is_loopback() && !v6.is_unspecified() {
                Some(std::net::Ipv4Addr::new(
                    (s[6] >> 8) as u8,
                    s[6] as u8,
                    (s[7] >> 8) as u8,
                    s[7] as u8,
                ))
            } else {
                v6.to_ipv4_mapped()
            };
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || embedded.is_some_and(|v4| is_private(&IpAddr::V4(v4)))
        }
    }
}

/// Sends one due delivery; false when none is due.
pub async fn deliver_one(state: &AppState) -> bool {
    let now_text = now();
    let lease = crate::store::now_plus(chrono::Duration::seconds(60));
    // As the job claim: SKIP LOCKED on PostgreSQL, the condition re-checked outside.
    macro_rules! claim {
        ($lock:literal) => {
            concat!(
                "UPDATE deliveries SET state = 'sending', locked_until = $1
                 WHERE id = (SELECT id FROM deliveries
                             WHERE (state = 'pending' AND next_attempt_at <= $2)
                                OR (state = 'sending' AND locked_until < $2)
                             ORDER BY id LIMIT 1",
                $lock,
                ")
                   AND ((state = 'pending' AND next_attempt_at <= $2)
                        OR (state = 'sending' AND locked_until < $2))
                 RETURNING id, event_id, url, attempts"
            )
        };
    }
    let sql = match state.store.backend {
        Backend::Sqlite => claim!(""),
        Backend::Postgres => claim!(" FOR UPDATE SKIP LOCKED"),
    };
    let claimed = sqlx::query(sql)
        .bind(&lease)
        .bind(&now_text)
        .fetch_optional(&state.db)
        .await;
    let Ok(Some(row)) = claimed else {
        return false;
    };
    let (delivery_id, event_id, url, attempts): (i64, i64, String, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let event = sqlx::query("SELECT tenant_id, message_id, payload FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&state.db)
        .await;
    let Ok(event) = event else {
        return true;
    };
    let (tenant_id, message_id, payload): (i64, String, String) =
        (event.get(0), event.get(1), event.get(2));

    let started = std::time::Instant::now();
    let outcome: Result<u16, String> = match refuse(&url, state.config.webhook_allow_private) {
        Err(reason) => Err(reason),
        Ok(()) => {
            let timestamp = chrono::Utc::now().timestamp();
            let signature = sign(
                &secret_for(&state.master_key, tenant_id),
                &message_id,
                timestamp,
                &payload,
            );
            state
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header("webhook-id", &message_id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature)
                .body(payload.clone())
                .send()
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| error_chain(&e))
        }
    };
    let elapsed = started.elapsed().as_millis() as i64;
    let attempts = attempts + 1;
    let delivered = matches!(outcome, Ok(code) if (200..300).contains(&code));
    let (state_after, next) = if delivered {
        ("delivered", None)
    } else {
        match retry_delay(&state.config.webhook_schedule, attempts as usize) {
            Some(delay) => (
                "pending",
                Some(crate::store::now_plus(chrono::Duration::milliseconds(
                    delay.as_millis() as i64,
                ))),
            ),
            None => ("failed", None),
        }
    };
    let (status_code, error) = match &outcome {
        Ok(code) => (Some(i64::from(*code)), None),
        Err(e) => (None, Some(e.clone())),
    };
    let result: Result<(), sqlx::Error> = async {
        let mut tx = state.db.begin().await?;
        sqlx::query("INSERT INTO attempts (delivery_id, attempted_at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)")
            .bind(delivery_id)
            .bind(&now_text)
            .bind(status_code)
            .bind(&error)
            .bind(elapsed)
            .execute(&mut *tx)
            .await?;
        // The attempt is recorded either way; the delivery moves on only for the sender that
        // still holds its claim (fenced by the lease it set).
        sqlx::query("UPDATE deliveries SET state = $1, attempts = $2, next_attempt_at = COALESCE($3, next_attempt_at), locked_until = NULL WHERE id = $4 AND state = 'sending' AND locked_until = $5")
            .bind(state_after)
            .bind(attempts)
            .bind(next)
            .bind(delivery_id)
            .bind(&lease)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
    .await;
    if let Err(e) = result {
        eprintln!("{{\"level\":\"error\",\"message\":\"delivery {delivery_id}: {e}\"}}");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_standard_webhooks_scheme() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let ours = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        // The reference implementation signs the same message; its verify also checks the
        // timestamp against the clock, so compare the signatures themselves.
        let verifier = standardwebhooks::Webhook::new(secret).unwrap();
        let reference = verifier
            .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body.as_bytes())
            .unwrap();
        assert_eq!(ours, reference);
    }

    #[test]
    fn verification_checks_signature_and_time() {
        let secret = secret_for(b"master", 7);
        let signature = sign(&secret, "msg_1", 1_000, "{}");
        assert_eq!(
            verify(&secret, "msg_1", 1_000, &signature, "{}", 1_100, 300),
            Ok(())
        );
        assert!(verify(&secret, "msg_1", 1_000, &signature, "{ }", 1_100, 300).is_err());
        assert!(verify(&secret, "msg_1", 1_000, &signature, "{}", 9_000, 300).is_err());
        assert_eq!(
            verify(
                &secret,
                "msg_1",
                1_000,
                &format!("v1,old {signature}"),
                "{}",
                1_000,
                300
            ),
            Ok(())
        );
    }

    #[test]
    fn secrets_are_stable_per_tenant_and_distinct() {
        assert_eq!(secret_for(b"k", 1), secret_for(b"k", 1));
        assert_ne!(secret_for(b"k", 1), secret_for(b"k", 2));
        assert!(secret_for(b"k", 1).starts_with("whsec_"));
    }

    #[test]
    fn the_retry_schedule_gives_up_after_its_last_step() {
        let schedule = [Duration::from_secs(1), Duration::from_secs(5)];
        assert_eq!(retry_delay(&schedule, 1), Some(Duration::from_secs(1)));
        assert_eq!(retry_delay(&schedule, 2), Some(Duration::from_secs(5)));
        assert_eq!(retry_delay(&schedule, 3), None);
    }

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "::127.0.0.1",
            "0.0.0.0",
            "224.0.0.1",
        ] {
            assert!(is_private(&ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "64:ff9b::808:808",
        ] {
            assert!(!is_private(&ip.parse().unwrap()), "{ip}");
        }
    }

    /// The URL is read as reqwest reads it: a backslash ends the host, so the classic
    /// `http://127.0.0.1\@public.example/` trick is the loopback address, and refused.
    #[test]
    fn tricky_urls_are_refused_before_any_request() {
        for url in [
            "http://127.0.0.1\\@public.example/hook",
            "http://user:pass@public.example/hook",
            "http://[::1]:8080/hook",
            "http://2130706433/hook",
            "http://0x7f.1/hook",
            "ftp://public.example/hook",
            "not a url",
        ] {
            assert!(refuse(url, false).is_err(), "{url}");
        }
        assert!(refuse("https://hooks.example.com/statera?x=1", false).is_ok());
        assert!(refuse("http://127.0.0.1:9000/", true).is_ok());
    }
}
