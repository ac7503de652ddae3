//! Request-as-data: every generated call first builds a [`Request`]; sending, batching and
//! inspection all start from this one value.

use bytes::Bytes;

/// HTTP methods the workbook API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `PUT`
    Put,
}

impl Method {
    /// The method as it appears on the wire (`GET`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Put => "PUT",
        }
    }
}

/// A fully built request, not yet sent.
#[derive(Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// Path relative to the client's base URL, already percent-encoded, starting with `/`
    /// (e.g. `/me/drive/items/01AB/workbook/worksheets/Q1%20%2724/range(address='A1')`).
    pub path: String,
    /// Query pairs, not yet encoded (`$select`, `$top`, ...).
    pub query: Vec<(String, String)>,
    /// Extra headers (`workbook-session-id`, `Prefer`, ...). Never `Authorization`: the client
    /// adds the token when it sends.
    pub headers: Vec<(String, String)>,
    /// JSON body, if any, already serialized (generated calls serialize their typed body
    /// once, straight to bytes). [`Request::json_body`] reads it back as JSON;
    /// [`Request::set_json_body`] replaces it.
    pub body: Option<Bytes>,
    /// The operation id from spec/ (`range.insert`), for tracing and errors.
    pub operation: &'static str,
    /// The documented path template (`/workbook/worksheets/{worksheet}/range(address={address})/insert`),
    /// for tracing: it carries no user data.
    pub template: &'static str,
}

impl Request {
    /// The body as a JSON value (`None` without a body; `Some(Err)` when the bytes are not
    /// JSON, which generated calls never produce).
    pub fn json_body(&self) -> Option<serde_json::Result<serde_json::Value>> {
        self.body.as_deref().map(serde_json::from_slice)
    }

    /// Serializes `body` as the JSON body.
    pub fn set_json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
    ) -> serde_json::Result<()> {
        self.body = Some(serde_json::to_vec(body)?.into());
        Ok(())
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body.as_ref().map(|_| "<json>"))
            .field("operation", &self.operation)
            .finish()
    }
}
