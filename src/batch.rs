//! JSON `$batch`: up to 20 requests in one `POST /$batch`.
//!
//! ```no_run
//! # async fn f(client: graph_workbook::client::Client,
//! #   a: graph_workbook::call::Call<serde_json::Value>,
//! #   b: graph_workbook::call::Call<()>) -> graph_workbook::Result<()> {
//! use graph_workbook::batch::Batch;
//! let mut batch = Batch::new(&client);
//! let first = batch.add(a);
//! let second = batch.add(b);
//! batch.depends_on(&second, &first);
//! let responses = batch.send().await?;
//! let value = responses.get(&first)?;  // typed; a failed sub-request is an error here only
//! responses.get(&second)?;
//! # Ok(()) }
//! ```
//!
//! Each sub-request keeps its own headers (the `workbook-session-id` of the session it was
//! built through, `Prefer`, ...). The outer `POST` goes through [`Client::execute`], so it is
//! retried and traced; sub-requests that Graph answers 429 inside the batch are reported as
//! that sub-request's error (with `Retry-After` visible in [`SubResponse::headers`]).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::call::{decode, Call};
use crate::client::Client;
use crate::client::SESSION_HEADER;
use crate::error::{Error, Result};
use crate::node::Shape;
use crate::request::{Method, Request};

/// Graph's limit of requests per `$batch`.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// A typed reference to one sub-request of a [`Batch`].
#[derive(Debug)]
pub struct BatchItem<T> {
    id: String,
    _out: PhantomData<fn() -> T>,
}

impl<T> BatchItem<T> {
    /// The sub-request's `id` in the batch.
    pub fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone)]
struct Entry {
    id: String,
    request: Request,
    shape: Shape,
    depends_on: Vec<String>,
    /// [`Call::check`]'s failure: the batch is refused before sending.
    invalid: Option<String>,
}

/// A batch being built.
#[derive(Debug, Clone)]
pub struct Batch {
    client: Client,
    entries: Vec<Entry>,
}

impl Batch {
    /// An empty batch that will be sent through `client`.
    pub fn new(client: &Client) -> Batch {
        Batch {
            client: client.clone(),
            entries: Vec::new(),
        }
    }

    /// Add a generated call; its output type types the response.
    pub fn add<T>(&mut self, call: Call<T>) -> BatchItem<T> {
        let shape = call.shape();
        let invalid = call.check().err().map(|e| match e {
            Error::InvalidInput(m) => m,
            other => other.to_string(),
        });
        let item = self.push(call.into_request(), shape);
        if let Some(last) = self.entries.last_mut() {
            last.invalid = invalid;
        }
        item
    }

    /// Add a raw request; the response is the JSON body.
    pub fn add_request(&mut self, request: Request) -> BatchItem<serde_json::Value> {
        self.push(request, Shape::Json)
    }

    fn push<T>(&mut self, request: Request, shape: Shape) -> BatchItem<T> {
        let id = (self.entries.len() + 1).to_string();
        self.entries.push(Entry {
            id: id.clone(),
            request,
            shape,
            depends_on: Vec::new(),
            invalid: None,
        });
        BatchItem {
            id,
            _out: PhantomData,
        }
    }

    /// `item` runs only after `on` (Graph's `dependsOn`).
    pub fn depends_on<T, U>(&mut self, item: &BatchItem<T>, on: &BatchItem<U>) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == item.id) {
            if !e.depends_on.contains(&on.id) {
                e.depends_on.push(on.id.clone());
            }
        }
    }

    /// The number of sub-requests added so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether no sub-request was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `POST /$batch` request, without sending it. More than 20 sub-requests, an empty
    /// batch or a dependency on an unknown id are [`Error::InvalidInput`].
    pub fn to_request(&self) -> Result<Request> {
        if self.entries.is_empty() {
            return Err(Error::InvalidInput(
                "a $batch needs at least one request".into(),
            ));
        }
        if self.entries.len() > MAX_BATCH_REQUESTS {
            return Err(Error::InvalidInput(format!(
                "a $batch holds at most {MAX_BATCH_REQUESTS} requests, this one has {}; use Batch::send_split to send it in chunks",
                self.entries.len()
            )));
        }
        let mut requests = Vec::with_capacity(self.entries.len());
        for e in &self.entries {
            if let Some(why) = &e.invalid {
                return Err(Error::InvalidInput(format!(
                    "$batch request {}: {why}",
                    e.id
                )));
            }
            for d in &e.depends_on {
                if !self.entries.iter().any(|x| &x.id == d) {
                    return Err(Error::InvalidInput(format!(
                        "$batch request {} depends on unknown id {d}",
                        e.id
                    )));
                }
            }
            requests.push(sub_request_json(&self.client, e)?);
        }
        Ok(Request {
            method: Method::Post,
            path: "/$batch".into(),
            query: vec![],
            headers: vec![],
            body: Some(crate::node::to_body(
                &serde_json::json!({ "requests": requests }),
            )),
            operation: "batch",
            template: "/$batch",
        })
    }

    /// Send as one `$batch` (refused with a clear error above 20 requests).
    ///
    /// Sub-requests that Graph throttled or found unavailable (429, 503, 504) were not run, so
    /// they are resent, alone, in a new `$batch` under the client's [`RetryPolicy`]
    /// (`Retry-After` of the sub-responses honoured, bounded attempts and total delay), together
    /// with the sub-requests that failed only because they depend on one of them (424).
    /// Nothing that got another answer is sent again.
    ///
    /// [`RetryPolicy`]: crate::retry::RetryPolicy
    pub async fn send(&self) -> Result<BatchResponses> {
        for e in &self.entries {
            self.client.closed_sessions().check(&e.request)?;
        }
        let policy = self.client.retry_policy();
        let mut pending = self.clone();
        let mut items: BTreeMap<String, SubResponse> = BTreeMap::new();
        let mut total = std::time::Duration::ZERO;
        let mut attempt = 1u32;
        loop {
            let req = pending.to_request()?;
            let resp = self.client.execute(&req).await?;
            let body: BatchBody = resp.json()?;
            for r in body.responses {
                items.insert(r.id.clone(), r);
            }
            let retry = retry_set(&pending.entries, &items);
            if retry.is_empty() || attempt >= policy.max_attempts {
                break;
            }
            let delay = retry
                .iter()
                .filter_map(|id| items.get(id))
                .map(|r| policy.delay_for(attempt, header(r, "retry-after")))
                .max()
                .unwrap_or_default();
            if total + delay > policy.max_total_delay {
                break;
            }
            tracing::warn!(
                attempt,
                sub_requests = retry.len(),
                delay_ms = delay.as_millis() as u64,
                "retrying throttled $batch sub-requests"
            );
            policy.sleep(delay).await;
            total += delay;
            attempt += 1;
            let mut entries: Vec<Entry> = pending
                .entries
                .into_iter()
                .filter(|e| retry.contains(&e.id))
                .collect();
            for e in &mut entries {
                // Dependencies that already succeeded are satisfied; keep only resent ones.
                e.depends_on.retain(|d| retry.contains(d));
            }
            pending = Batch {
                client: self.client.clone(),
                entries,
            };
        }
        let shapes = self
            .entries
            .iter()
            .map(|e| (e.id.clone(), (e.shape, has_session(&e.request))))
            .collect();
        Ok(BatchResponses { items, shapes })
    }

    /// Send in consecutive chunks of at most 20. Refused when a `dependsOn` crosses a chunk
    /// boundary (Graph cannot order across batches). Responses keep the batch's ids.
    pub async fn send_split(&self) -> Result<BatchResponses> {
        // Validate every chunk before sending any: a half-sent batch is worse than none.
        for chunk in self.entries.chunks(MAX_BATCH_REQUESTS) {
            for e in chunk {
                if let Some(why) = &e.invalid {
                    return Err(Error::InvalidInput(format!(
                        "$batch request {}: {why}",
                        e.id
                    )));
                }
                for d in &e.depends_on {
                    if !chunk.iter().any(|x| &x.id == d) {
                        return Err(Error::InvalidInput(format!(
                            "$batch request {} depends on {d}, which falls into another chunk of {MAX_BATCH_REQUESTS}",
                            e.id
                        )));
                    }
                }
            }
        }
        let mut all = BatchResponses {
            items: BTreeMap::new(),
            shapes: BTreeMap::new(),
        };
        for (i, chunk) in self.entries.chunks(MAX_BATCH_REQUESTS).enumerate() {
            let part = Batch {
                client: self.client.clone(),
                entries: chunk.to_vec(),
            };
            let r = part.send().await?;
            tracing::debug!(chunk = i, size = chunk.len(), "sent $batch chunk");
            all.items.extend(r.items);
            all.shapes.extend(r.shapes);
        }
        Ok(all)
    }
}

/// Ids to resend: retryable statuses, plus 424 (failed dependency) on one of those.
fn retry_set(entries: &[Entry], items: &BTreeMap<String, SubResponse>) -> Vec<String> {
    let status = |id: &str| items.get(id).map(|r| r.status);
    let mut set: Vec<String> = entries
        .iter()
        .filter(|e| status(&e.id).is_some_and(crate::retry::RetryPolicy::retryable_status))
        .map(|e| e.id.clone())
        .collect();
    // Dependency chains: repeat until no new 424 joins.
    loop {
        let more: Vec<String> = entries
            .iter()
            .filter(|e| !set.contains(&e.id) && status(&e.id) == Some(424))
            .filter(|e| e.depends_on.iter().any(|d| set.contains(d)))
            .map(|e| e.id.clone())
            .collect();
        if more.is_empty() {
            return set;
        }
        set.extend(more);
    }
}

fn header<'a>(r: &'a SubResponse, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn has_session(r: &Request) -> bool {
    r.headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case(SESSION_HEADER))
}

/// One entry of `requests`: `url` is relative to the version root (`/me/drive/...`).
fn sub_request_json(client: &Client, e: &Entry) -> Result<serde_json::Value> {
    let full = client.url(&e.request)?;
    let base = client.base_url();
    let url = full
        .as_str()
        .strip_prefix(base)
        .unwrap_or(full.as_str())
        .to_string();
    let mut headers = serde_json::Map::new();
    for (k, v) in &e.request.headers {
        if k.eq_ignore_ascii_case("authorization") {
            return Err(Error::InvalidInput(
                "requests must not carry Authorization: the client adds the token".into(),
            ));
        }
        headers.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    let mut obj =
        serde_json::json!({ "id": e.id, "method": e.request.method.as_str(), "url": url });
    if let Some(body) = &e.request.body {
        if !headers
            .keys()
            .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            headers.insert("Content-Type".into(), "application/json".into());
        }
        obj["body"] = serde_json::from_slice(body).map_err(|err| {
            Error::InvalidInput(format!("request {}: the body is not JSON: {err}", e.id))
        })?;
    }
    if !headers.is_empty() {
        obj["headers"] = serde_json::Value::Object(headers);
    }
    if !e.depends_on.is_empty() {
        obj["dependsOn"] = serde_json::json!(e.depends_on);
    }
    Ok(obj)
}

#[derive(serde::Deserialize)]
struct BatchBody {
    #[serde(default)]
    responses: Vec<SubResponse>,
}

/// One entry of the `$batch` response.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SubResponse {
    /// The sub-request id ([`BatchItem::id`]).
    pub id: String,
    /// The sub-request's HTTP status.
    pub status: u16,
    #[serde(default)]
    /// The sub-request's response headers (e.g. `Retry-After` of a throttled one).
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    /// The sub-request's JSON body, if any.
    pub body: Option<serde_json::Value>,
}

/// The responses of a sent batch, by sub-request.
#[derive(Debug, Clone)]
pub struct BatchResponses {
    items: BTreeMap<String, SubResponse>,
    shapes: BTreeMap<String, (Shape, bool)>,
}

impl BatchResponses {
    /// The raw sub-response (status, headers, body).
    pub fn raw<T>(&self, item: &BatchItem<T>) -> Option<&SubResponse> {
        self.items.get(&item.id)
    }

    /// The typed result of one sub-request: its decoded body on 2xx, else its own error
    /// ([`Error::Graph`], or [`Error::SessionExpired`] for a session request). A sub-request
    /// missing from the response is [`Error::Decode`].
    pub fn get<T: DeserializeOwned>(&self, item: &BatchItem<T>) -> Result<T> {
        let (shape, in_session) = self
            .shapes
            .get(&item.id)
            .copied()
            .unwrap_or((Shape::Json, false));
        let Some(r) = self.items.get(&item.id) else {
            return Err(Error::Decode {
                status: 200,
                message: format!(
                    "the $batch response has no entry for request id {}",
                    item.id
                ),
                excerpt: String::new(),
            });
        };
        let body = match &r.body {
            Some(b) => serde_json::to_vec(b).unwrap_or_default(),
            None => Vec::new(),
        };
        if (200..300).contains(&r.status) {
            let body = if body.is_empty() && shape != Shape::Empty {
                b"null".to_vec()
            } else {
                body
            };
            return decode(shape, r.status, &body);
        }
        let mut headers = HeaderMap::new();
        for (k, v) in &r.headers {
            if let (Ok(k), Ok(v)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                headers.insert(k, v);
            }
        }
        let err = crate::client::graph_error(r.status, &headers, &body);
        if in_session && err.is_session_expired() {
            Err(Error::SessionExpired(Box::new(err)))
        } else {
            Err(Error::Graph(Box::new(err)))
        }
    }

    /// The number of sub-responses.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether the response holds no sub-response.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
