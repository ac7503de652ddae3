//! Graph's error body: `{"error": {"code", "message", "innerError": {...}}}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// An error answered with Graph's JSON shape.
#[derive(Debug, Clone)]
pub struct GraphError {
    /// HTTP status.
    pub status: u16,
    /// `error.code`.
    pub code: String,
    /// `error.message`.
    pub message: String,
    /// `innerError.code` (Excel's detailed codes, e.g. `invalidSessionReCreatable`).
    pub inner: Option<String>,
    /// `Retry-After` seconds (throttling).
    pub retry_after: Option<u64>,
}

impl GraphError {
    /// An error with a status, code and message.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code: code.into(),
            message: message.into(),
            inner: None,
            retry_after: None,
        }
    }
    /// Sets `innerError.code`.
    pub fn inner(mut self, code: &str) -> Self {
        self.inner = Some(code.into());
        self
    }
    /// 400 `InvalidArgument`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidArgument", message)
    }
    /// 404 `ItemNotFound`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ItemNotFound", message)
    }
    /// 501 for an operation of the spec the emulator does not implement.
    pub fn unimplemented(op: &str) -> Self {
        Self::new(
            501,
            "NotImplemented",
            format!("The operation {op} is not implemented by the emulator."),
        )
    }
    /// 500 for an engine failure (never a panic).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalServerError", message)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut inner = json!({
            "request-id": "00000000-0000-0000-0000-000000000000",
            "date": "2026-01-01T00:00:00",
        });
        if let Some(c) = &self.inner {
            inner["code"] = json!(c);
        }
        json!({"error": {"code": self.code, "message": self.message, "innerError": inner}})
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = (status, axum::Json(self.body())).into_response();
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                resp.headers_mut().insert("retry-after", v);
            }
        }
        resp
    }
}
