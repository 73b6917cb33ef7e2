//! The seed-000 face's errors: HTTP status plus `{"error":{"code","message"}}` (the seed
//! shows no error body, so DESIGN.md's default shape). Internal causes are logged, not shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing or invalid API key")]
    Unauthorized,
    #[error("this client belongs to another business")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    #[error("the upload is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the upload is not a supported statement file (PDF, CSV or JSON)")]
    UnsupportedType,
    #[error("no analysis is ready for this client yet; retry later")]
    NotReady,
    #[error("too many uploads in progress; retry shortly")]
    Busy,
    #[error("the upload did not arrive within {0} seconds")]
    UploadTimeout(u64),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Invalid { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large"),
            Self::UnsupportedType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file_type"),
            Self::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "analysis_not_ready"),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "server_busy"),
            Self::UploadTimeout(_) => (StatusCode::REQUEST_TIMEOUT, "upload_timeout"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let Self::Internal(cause) = &self {
            eprintln!("{{\"level\":\"error\",\"message\":{}}}", json!(cause));
        }
        let mut response = (
            status,
            axum::Json(json!({ "error": { "code": code, "message": self.to_string() } })),
        )
            .into_response();
        match self {
            Self::NotReady => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            }
            Self::Busy => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            _ => {}
        }
        response
    }
}

/// Errors answered before a handler runs (axum's own rejections: a body over the limit, a
/// malformed multipart body or query string, an unknown route or method) come as plain
/// text; this middleware gives them the same `{"error":{"code","message"}}` shape.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "file_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNAUTHORIZED => "unauthorized",
        status if status.is_server_error() => "internal_error",
        _ => "invalid_request",
    };
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    // A server error's own text may hold internals (a database message): log it, show a
    // generic message.
    if status.is_server_error() {
        eprintln!("{{\"level\":\"error\",\"message\":{}}}", json!(text));
    }
    let message = if status.is_server_error() {
        "internal error".to_owned()
    } else if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_owned()
    } else {
        text
    };
    let mut json = (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response();
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = parts.headers.get(&name) {
            json.headers_mut().insert(name, value.clone());
        }
    }
    json
}
