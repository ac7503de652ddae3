//! The HTTP client: one reqwest connection pool, a token provider, a base URL.
//!
//! [`Client::execute`] sends one [`Request`] and returns the raw [`Response`] or a typed
//! [`Error`]. It is the only place that touches the network; the generated calls build a
//! `Request` and hand it here. One attempt is [`Client::send_once`]: the retry layer wraps it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use serde::de::DeserializeOwned;

use crate::auth::{StaticToken, TokenProvider};
use crate::error::{excerpt, GraphError};
use crate::retry::{AttemptInfo, RetryPolicy, RetryReason};
use crate::{Error, Method, Request, Result};

const ACCEPT_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The Graph v1.0 endpoint (global cloud).
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
/// Default per-request timeout (connect + response + body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("graph-workbook/", env!("CARGO_PKG_VERSION"));

/// A Graph client. Cheap to clone (one shared connection pool and token provider).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    tokens: Arc<dyn TokenProvider>,
    timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    closed_sessions: ClosedSessions,
    /// The reqwest client was built here, with `Accept`, `User-Agent` and the timeout as its
    /// defaults; a caller's client gets them per request instead.
    own_http: bool,
    /// The last token and its `Authorization` value: a provider usually returns the same
    /// token many times, so the header is formatted and validated once per token.
    auth: std::sync::Mutex<Option<(String, HeaderValue)>>,
    /// The `Authorization` value of a provider with a fixed token, formatted once.
    fixed_auth: Option<HeaderValue>,
    /// One writer per workbook (see [`crate::writer`]).
    writes: crate::writer::WriteLocks,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("user_agent", &self.inner.user_agent)
            .field("retry", &self.inner.retry)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Builds a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    tokens: Option<Arc<dyn TokenProvider>>,
    base_url: String,
    timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    writes: crate::writer::WriteSerialization,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("token", &self.tokens.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            tokens: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            http: None,
            retry: RetryPolicy::default(),
            writes: crate::writer::WriteSerialization::default(),
        }
    }
}

impl ClientBuilder {
    /// The source of bearer tokens, asked once per request.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// A fixed bearer token (shorthand for `token_provider(StaticToken::new(token))`).
    pub fn bearer(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// The service root, e.g. `https://graph.microsoft.us/v1.0` (national clouds),
    /// `https://graph.microsoft.com/beta`, or a local test server. A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Timeout of one attempt, from sending to the end of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Use this reqwest client (and its pool, proxy and TLS settings) instead of building one.
    /// The builder's timeout is still applied per request; its user agent is sent as a header.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How throttled (429) and transiently failed (503, 504, connection reset before any
    /// response) requests are retried. On by default ([`RetryPolicy::default`]);
    /// [`RetryPolicy::disabled`] turns it off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How writes to one workbook are ordered ([`crate::writer`]): by default one at a time per
    /// drive item and session, in start order, while reads run concurrently.
    pub fn write_serialization(mut self, mode: crate::writer::WriteSerialization) -> Self {
        self.writes = mode;
        self
    }

    /// Builds the client; without a token provider this is [`Error::InvalidInput`].
    pub fn build(self) -> Result<Client> {
        let tokens = self.tokens.ok_or_else(|| {
            Error::InvalidInput(
                "no token provider: call .bearer(token) or .token_provider(provider)".into(),
            )
        })?;
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::InvalidInput(format!("base URL {base_url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.query().is_some()
            || parsed.fragment().is_some()
        {
            return Err(Error::InvalidInput(format!(
                "base URL {base_url:?}: expected http(s)://host[/path] without query or fragment"
            )));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|e| Error::InvalidInput(format!("user agent: {e}")))?;
        let own_http = self.http.is_none();
        let fixed_auth = tokens.fixed_token().map(bearer_header).transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut defaults = HeaderMap::with_capacity(2);
                defaults.insert(reqwest::header::ACCEPT, ACCEPT_JSON);
                defaults.insert(reqwest::header::USER_AGENT, user_agent);
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .default_headers(defaults)
                    .build()
                    .map_err(Error::Transport)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens,
                timeout: self.timeout,
                user_agent: self.user_agent,
                retry: self.retry,
                closed_sessions: ClosedSessions::default(),
                own_http,
                auth: std::sync::Mutex::new(None),
                fixed_auth,
                writes: crate::writer::WriteLocks::new(self.writes),
            }),
        })
    }
}

/// A response with a success (2xx) status, body fully read.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, fully read.
    pub body: Bytes,
}

impl Response {
    /// A header as text (`None` when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Deserializes the JSON body; a mismatch is [`Error::Decode`] with an excerpt of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::decode(self.status, e, &self.body))
    }
}

impl Client {
    /// A builder for a client with a non-default base URL, token provider, timeout, retry policy or HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the global Graph v1.0 endpoint with a fixed bearer token.
    pub fn new(token: impl Into<String>) -> Result<Client> {
        Client::builder().bearer(token).build()
    }

    /// The service root requests are sent to (no trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The full URL of `req`: base URL + `req.path` + encoded `req.query`.
    ///
    /// Fails with [`Error::InvalidInput`] when the path is not properly encoded or would not
    /// keep its shape (empty or dot segments, raw `?`/`#`/space): bad input never reaches the
    /// wire.
    pub fn url(&self, req: &Request) -> Result<reqwest::Url> {
        crate::escape::check_encoded_path(&req.path)?;
        let query_len: usize = req.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let mut url = String::with_capacity(self.inner.base_url.len() + req.path.len() + query_len);
        url.push_str(&self.inner.base_url);
        url.push_str(&req.path);
        for (i, (k, v)) in req.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(percent_encoding::utf8_percent_encode(k, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(v, QUERY));
        }
        reqwest::Url::parse(&url).map_err(|e| Error::InvalidInput(format!("URL {url:?}: {e}")))
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The sessions this client closed (see [`crate::session`]).
    pub fn closed_sessions(&self) -> &ClosedSessions {
        &self.inner.closed_sessions
    }

    /// Sends `req` and returns the response if its status is 2xx; otherwise the error body
    /// becomes [`Error::Graph`] (or [`Error::SessionExpired`]).
    ///
    /// Retries according to the client's [`RetryPolicy`]: each attempt rebuilds the request
    /// (token, headers, body); the call is one `graph.request` tracing span (method, path
    /// template, operation, attempt, status, request-id) and each retry a `retrying` event.
    /// A request carrying the id of a session this client closed is refused with
    /// [`Error::SessionClosed`] before anything is sent.
    pub async fn execute(&self, req: &Request) -> Result<Response> {
        self.execute_retrying(req, &[]).await
    }

    /// [`Client::execute`], except that responses with a status in `final_statuses` are not
    /// retried (chunked transfers answer a 504 with a smaller block, and never resend an
    /// append whose outcome is unknown). A write waits for its turn on its workbook first
    /// ([`crate::writer`]) and keeps it through its retries.
    pub(crate) async fn execute_retrying(
        &self,
        req: &Request,
        final_statuses: &[u16],
    ) -> Result<Response> {
        self.inner.closed_sessions.check(req)?;
        let _turn = self.inner.writes.turn(req).await;
        let policy = &self.inner.retry;
        let raw = policy
            .run(
                req.method,
                req.template,
                req.operation,
                |_attempt| self.send_raw(req),
                |r: &Result<Response>| {
                    let mut info = attempt_info(policy, req.method, r);
                    if info.status.is_some_and(|s| final_statuses.contains(&s)) {
                        info.retry = None;
                    }
                    info
                },
            )
            .await?;
        into_result(req, raw)
    }

    /// One attempt, never retried: token, URL, headers, body, send, read the body, map errors.
    pub async fn send_once(&self, req: &Request) -> Result<Response> {
        self.inner.closed_sessions.check(req)?;
        into_result(req, self.send_raw(req).await?)
    }

    /// One attempt; any HTTP status is `Ok` (the retry layer needs the headers of a 429).
    async fn send_raw(&self, req: &Request) -> Result<Response> {
        let url = self.url(req)?;
        let auth = match &self.inner.fixed_auth {
            Some(auth) => auth.clone(),
            None => self.authorization(self.inner.tokens.token().await?)?,
        };
        // Built in a plain function so its locals are not part of this future's state
        // (the future is boxed per call).
        let request = self.build_request(req, url, auth)?;
        let mut resp = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| self.map_reqwest(e))?;
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        let body = resp.bytes().await.map_err(|e| self.map_reqwest(e))?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// The reqwest request of `req`, built directly: our header map is moved in whole (a
    /// `RequestBuilder` would merge it into an empty map entry by entry).
    fn build_request(
        &self,
        req: &Request,
        url: reqwest::Url,
        auth: HeaderValue,
    ) -> Result<reqwest::Request> {
        let mut headers = HeaderMap::with_capacity(req.headers.len() + 4);
        headers.insert(AUTHORIZATION, auth);
        for (name, value) in &req.headers {
            let n = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidInput(format!("header name {name:?}")))?;
            if n == AUTHORIZATION {
                return Err(Error::InvalidInput(
                    "requests must not carry Authorization: the client adds the token".into(),
                ));
            }
            let v = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidInput(format!("header {name}: invalid value")))?;
            headers.append(n, v);
        }
        if req.body.is_some() {
            headers.insert(reqwest::header::CONTENT_TYPE, ACCEPT_JSON);
        } else if matches!(req.method, Method::Post | Method::Patch | Method::Put) {
            // Graph rejects body-less POSTs without a length (411) behind some proxies.
            headers.insert(
                reqwest::header::CONTENT_LENGTH,
                HeaderValue::from_static("0"),
            );
        }
        let mut request = reqwest::Request::new(reqwest_method(req.method), url);
        if !self.inner.own_http {
            // A caller's reqwest client: `Accept`, the builder's user agent and timeout per
            // request (a request's own headers come first).
            headers
                .entry(reqwest::header::ACCEPT)
                .or_insert(ACCEPT_JSON);
            if !headers.contains_key(reqwest::header::USER_AGENT) {
                if let Ok(ua) = HeaderValue::from_str(&self.inner.user_agent) {
                    headers.insert(reqwest::header::USER_AGENT, ua);
                }
            }
            *request.timeout_mut() = Some(self.inner.timeout);
        }
        *request.headers_mut() = headers;
        if let Some(body) = &req.body {
            // `Bytes` clone: a reference count, not a copy.
            *request.body_mut() = Some(body.clone().into());
        }
        Ok(request)
    }

    /// The `Authorization` value for `token`, from the one-entry cache when the token is
    /// the one seen last.
    fn authorization(&self, token: String) -> Result<HeaderValue> {
        if let Ok(cache) = self.inner.auth.lock() {
            if let Some((t, v)) = cache.as_ref() {
                if *t == token {
                    return Ok(v.clone());
                }
            }
        }
        let value = bearer_header(&token)?;
        if let Ok(mut cache) = self.inner.auth.lock() {
            *cache = Some((token, value.clone()));
        }
        Ok(value)
    }

    fn map_reqwest(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout {
                after: self.inner.timeout,
            }
        } else {
            Error::Transport(e)
        }
    }
}

impl Client {
    /// A GET request for an absolute link Graph returned (`@odata.nextLink`, `Location`,
    /// `resourceLocation`), relative to the base URL. Keeps the headers of `like` (session,
    /// ...) and its operation/template for tracing. A link to another origin or outside the
    /// base path is refused: the token must not be sent there.
    pub fn request_for_link(&self, link: &str, like: &Request) -> Result<Request> {
        let base = self.base_url();
        let rest = strip_base(base, link).ok_or_else(|| {
            Error::InvalidInput(format!(
                "link {link:?} is not under the client's base URL {base:?}; not following it"
            ))
        })?;
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let query = query
            .map(|q| {
                q.split('&')
                    .filter(|s| !s.is_empty())
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        (pct_decode(k), pct_decode(v))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Request {
            method: Method::Get,
            path,
            query,
            headers: like.headers.clone(),
            body: None,
            operation: like.operation,
            template: like.template,
        })
    }
}

/// `link` minus `base` (scheme and host compared case-insensitively), or `None`.
fn strip_base<'a>(base: &str, link: &'a str) -> Option<&'a str> {
    if link.starts_with('/') {
        return Some(link);
    }
    let head = link.get(..base.len())?;
    if !head.eq_ignore_ascii_case(base) {
        return None;
    }
    let rest = &link[base.len()..];
    (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')).then_some(rest)
}

fn pct_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The header that binds a request to a workbook session.
pub const SESSION_HEADER: &str = "workbook-session-id";

/// Ids of the sessions a client closed, shared by its clones: [`Client::execute`] refuses a
/// request that carries one of them with [`Error::SessionClosed`], before any I/O.
#[derive(Debug, Default)]
pub struct ClosedSessions(std::sync::Mutex<std::collections::HashSet<String>>);

impl ClosedSessions {
    /// Marks a session id as closed.
    pub fn insert(&self, id: &str) {
        if let Ok(mut g) = self.0.lock() {
            g.insert(id.to_string());
        }
    }
    /// Whether a session id was closed.
    pub fn contains(&self, id: &str) -> bool {
        self.0.lock().map(|g| g.contains(id)).unwrap_or(false)
    }
    /// `Err(SessionClosed)` when `req` carries the id of a closed session.
    pub fn check(&self, req: &Request) -> Result<()> {
        match req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(SESSION_HEADER))
        {
            Some((_, id)) if self.contains(id) => Err(Error::SessionClosed),
            _ => Ok(()),
        }
    }
}

/// `Bearer <token>`, marked sensitive (never printed by `http`'s `Debug`).
fn bearer_header(token: &str) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Auth("the token contains characters not allowed in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// What the retry loop needs to know about one attempt.
fn attempt_info(policy: &RetryPolicy, method: Method, r: &Result<Response>) -> AttemptInfo {
    match r {
        Ok(resp) => {
            let retry = (RetryPolicy::retryable_status(resp.status)
                || crate::codes::is_lock_throttled(resp.status, &resp.body))
            .then_some(RetryReason::Status(resp.status));
            AttemptInfo {
                status: Some(resp.status),
                // Only the tracing span reads it: not looked up when nothing listens.
                request_id: if tracing::level_enabled!(tracing::Level::INFO) {
                    resp.header("request-id")
                        .or_else(|| resp.header("client-request-id"))
                        .map(str::to_owned)
                } else {
                    None
                },
                retry_after: retry
                    .as_ref()
                    .and_then(|_| resp.header("retry-after").map(str::to_owned)),
                retry,
            }
        }
        Err(e) => AttemptInfo {
            retry: policy.retry_reason_for_error(e, method),
            ..AttemptInfo::default()
        },
    }
}

/// A 2xx response as is; any other status becomes [`Error::Graph`], or
/// [`Error::SessionExpired`] for a session request whose session Graph reports gone.
fn into_result(req: &Request, resp: Response) -> Result<Response> {
    if (200..300).contains(&resp.status) {
        return Ok(resp);
    }
    let err = graph_error(resp.status, &resp.headers, &resp.body);
    let in_session = req
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(SESSION_HEADER));
    if in_session && err.is_session_expired() {
        Err(Error::SessionExpired(Box::new(err)))
    } else {
        Err(Error::Graph(Box::new(err)))
    }
}

/// Query encoding: unreserved and the OData-friendly `$ ( ) , : /` stay literal; space is
/// `%20`, never `+`; `'` is `%27` (the URL parser would encode it in a query anyway).
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/');

fn reqwest_method(m: Method) -> reqwest::Method {
    match m {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Put => reqwest::Method::PUT,
    }
}

/// Maps a non-2xx response to a [`GraphError`]. The body is
/// `{"error": {"code", "message", "innerError": {"code", "request-id", "date", "innerError": ...}}}`
/// (Graph spells it `innerError` or `innererror`). A body that is not a Graph error keeps
/// `code` empty and an excerpt of the body as `message`. `request-id` and `date` come from
/// the body's innerError, else from the `request-id` (or `client-request-id`) and `Date`
/// headers.
pub fn graph_error(status: u16, headers: &HeaderMap, body: &[u8]) -> GraphError {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut out = GraphError {
        status,
        code: String::new(),
        message: String::new(),
        inner_code: None,
        request_id: None,
        date: None,
    };
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let error = json
        .as_ref()
        .and_then(|j| j.get("error"))
        .filter(|e| e.is_object());
    match error {
        Some(error) => {
            let s = |v: &serde_json::Value, k: &str| {
                v.get(k).and_then(|x| x.as_str()).map(str::to_string)
            };
            out.code = s(error, "code").unwrap_or_default();
            out.message = s(error, "message").unwrap_or_default();
            let mut inner = inner_of(error);
            while let Some(i) = inner {
                if let Some(c) = s(i, "code").filter(|c| !c.is_empty()) {
                    out.inner_code = Some(c);
                }
                out.request_id = out.request_id.or_else(|| s(i, "request-id"));
                out.date = out.date.or_else(|| s(i, "date"));
                inner = inner_of(i);
            }
        }
        None => {
            let reason = reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            out.message = if body.is_empty() {
                format!("HTTP {status} {reason} (no body)")
            } else {
                format!("HTTP {status} {reason}: {}", excerpt(body))
            };
        }
    }
    out.request_id = out
        .request_id
        .or_else(|| header("request-id"))
        .or_else(|| header("client-request-id"));
    out.date = out.date.or_else(|| header("date"));
    out
}

fn inner_of(v: &serde_json::Value) -> Option<&serde_json::Value> {
    v.get("innerError")
        .or_else(|| v.get("innererror"))
        .filter(|i| i.is_object())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str) -> Request {
        Request {
            method: Method::Get,
            path: path.into(),
            query: vec![],
            headers: vec![],
            body: None,
            operation: "test",
            template: "/test",
        }
    }

    #[test]
    fn strip_base_rules() {
        let b = "https://graph.microsoft.com/v1.0";
        assert_eq!(
            strip_base(b, "https://graph.microsoft.com/v1.0/me/x?a=1"),
            Some("/me/x?a=1")
        );
        assert_eq!(
            strip_base(b, "HTTPS://GRAPH.microsoft.com/v1.0/me"),
            Some("/me")
        );
        assert_eq!(strip_base(b, "https://graph.microsoft.com/v1.0x/me"), None);
        assert_eq!(strip_base(b, "https://evil.example/v1.0/me"), None);
        assert_eq!(strip_base(b, "https://graph.microsoft.com/beta/me"), None);
        assert_eq!(strip_base(b, "/me/drive"), Some("/me/drive"));
    }

    #[test]
    fn debug_redacts_token() {
        let c = Client::builder().bearer("s3cr3t-token").build().unwrap();
        let d = format!("{c:?} {:?}", Client::builder().bearer("s3cr3t-token"));
        assert!(!d.contains("s3cr3t"), "{d}");
        assert!(d.contains("<redacted>"));
    }

    #[test]
    fn url_joins_base_path_and_query() {
        let c = Client::builder()
            .bearer("t")
            .base_url("http://127.0.0.1:1/v1.0/")
            .build()
            .unwrap();
        let mut r = req("/me/drive/items/a%20b/workbook");
        r.query = vec![
            ("$filter".into(), "name eq 'a b&c'".into()),
            ("$top".into(), "5".into()),
        ];
        assert_eq!(
            c.url(&r).unwrap().as_str(),
            "http://127.0.0.1:1/v1.0/me/drive/items/a%20b/workbook?$filter=name%20eq%20%27a%20b%26c%27&$top=5"
        );
        assert!(matches!(c.url(&req("/a//b")), Err(Error::InvalidInput(_))));
    }

    #[test]
    fn build_requires_token_and_valid_base() {
        assert!(matches!(
            Client::builder().build(),
            Err(Error::InvalidInput(_))
        ));
        assert!(Client::builder()
            .bearer("t")
            .base_url("ftp://x")
            .build()
            .is_err());
        assert!(Client::builder()
            .bearer("t")
            .base_url("http://x/?a=b")
            .build()
            .is_err());
        assert_eq!(Client::new("t").unwrap().base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn error_body_innermost_code_and_fallbacks() {
        let body = br#"{"error":{"code":"internalServerError","message":"boom",
            "innerError":{"code":"internalServerErrorUncategorized","request-id":"rid-body",
              "innererror":{"code":"GenericFileOpenError"}}}}"#;
        let mut h = HeaderMap::new();
        h.insert("request-id", HeaderValue::from_static("rid-header"));
        h.insert(
            "date",
            HeaderValue::from_static("Fri, 27 Nov 2026 15:00:00 GMT"),
        );
        let e = graph_error(500, &h, body);
        assert_eq!(e.code, "internalServerError");
        assert_eq!(e.message, "boom");
        assert_eq!(e.inner_code.as_deref(), Some("GenericFileOpenError"));
        assert_eq!(e.request_id.as_deref(), Some("rid-body"));
        assert_eq!(e.date.as_deref(), Some("Fri, 27 Nov 2026 15:00:00 GMT"));

        let e = graph_error(502, &h, b"<html>bad gateway</html>");
        assert_eq!(e.code, "");
        assert!(
            e.message.contains("502 Bad Gateway") && e.message.contains("<html>"),
            "{}",
            e.message
        );
        assert_eq!(e.request_id.as_deref(), Some("rid-header"));
    }
}
