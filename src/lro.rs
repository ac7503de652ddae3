//! Long-running operations: a `202 Accepted` with a `Location` header is followed by polling
//! the operation (`notStarted` / `running` / `succeeded` / `failed`), honouring `Retry-After`,
//! with a configurable poll interval and overall deadline; on success the resource the
//! operation reports in `resourceLocation` is fetched.
//!
//! Works for any 202 + Location response ([`follow`]); `Session::create` with
//! `respond_async` uses it for `createSession`.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::call::{decode, Call};
use crate::client::{Client, Response};
use crate::error::{Error, Result};
use crate::request::Request;
use crate::retry::{parse_retry_after, Sleeper, TokioSleeper};

/// Polling configuration.
#[derive(Clone)]
pub struct LroOptions {
    /// Wait between polls when the server gives no `Retry-After`.
    pub poll_interval: Duration,
    /// Give up (with [`Error::Operation`]) when this much time has passed since the 202.
    pub deadline: Duration,
    /// Upper bound for one wait, even if `Retry-After` asks for more.
    pub max_wait: Duration,
    sleeper: Arc<dyn Sleeper>,
}

impl std::fmt::Debug for LroOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LroOptions")
            .field("poll_interval", &self.poll_interval)
            .field("deadline", &self.deadline)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl Default for LroOptions {
    /// Poll every second, for at most 5 minutes, waiting at most 60 s at a time.
    fn default() -> Self {
        LroOptions {
            poll_interval: Duration::from_secs(1),
            deadline: Duration::from_secs(300),
            max_wait: Duration::from_secs(60),
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl LroOptions {
    /// The interval between polls when the operation sends no `Retry-After`.
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = d;
        self
    }
    /// How long to poll in all before giving up with [`Error::Operation`].
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = d;
        self
    }
    /// The longest single wait, even when `Retry-After` asks for more.
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }
    /// Replace the sleeper (tests).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }
}

/// `workbookOperation.status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationStatus {
    /// `notStarted`.
    NotStarted,
    /// `running`.
    Running,
    /// `succeeded`.
    Succeeded,
    /// `failed`.
    Failed,
    /// A status this crate does not know; treated as still running.
    Other(String),
}

impl OperationStatus {
    /// Reads a wire status (ASCII case-insensitive).
    pub fn parse(s: &str) -> OperationStatus {
        match s {
            _ if s.eq_ignore_ascii_case("notStarted") => OperationStatus::NotStarted,
            _ if s.eq_ignore_ascii_case("running") => OperationStatus::Running,
            _ if s.eq_ignore_ascii_case("succeeded") => OperationStatus::Succeeded,
            _ if s.eq_ignore_ascii_case("failed") => OperationStatus::Failed,
            other => OperationStatus::Other(other.to_string()),
        }
    }
    /// The wire form of the status.
    pub fn as_str(&self) -> &str {
        match self {
            OperationStatus::NotStarted => "notStarted",
            OperationStatus::Running => "running",
            OperationStatus::Succeeded => "succeeded",
            OperationStatus::Failed => "failed",
            OperationStatus::Other(s) => s,
        }
    }
}

/// A `workbookOperation` as the poll returns it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Operation {
    #[serde(default)]
    /// The operation id.
    pub id: Option<String>,
    /// The wire status (see [`Operation::status`]).
    pub status: String,
    #[serde(rename = "resourceLocation", default)]
    /// Where the created resource can be read once the operation succeeded.
    pub resource_location: Option<String>,
    #[serde(default)]
    /// The error object of a failed operation.
    pub error: Option<serde_json::Value>,
}

impl Operation {
    /// The status, parsed.
    pub fn status(&self) -> OperationStatus {
        OperationStatus::parse(&self.status)
    }
}

/// Poll the operation at `location` (absolute URL from `Location`, or a path under the base
/// URL) until it succeeds; returns the final operation. `failed` and the deadline give
/// [`Error::Operation`]. `like` supplies the headers to send (session id) and the operation
/// name for tracing.
pub async fn poll(
    client: &Client,
    location: &str,
    like: &Request,
    opts: &LroOptions,
) -> Result<Operation> {
    poll_after(client, location, like, opts, None).await
}

async fn poll_after(
    client: &Client,
    location: &str,
    like: &Request,
    opts: &LroOptions,
    first_retry_after: Option<&str>,
) -> Result<Operation> {
    let mut req = client.request_for_link(location, like)?;
    req.operation = "workbookOperation.get";
    req.template = "/workbook/operations/{workbook-operation-id}";
    let start = tokio::time::Instant::now();
    // Deadline counts the larger of measured time and time asked to sleep, so an instant test
    // sleeper cannot make polling endless.
    let mut waited = Duration::ZERO;
    let mut retry_after = first_retry_after.map(str::to_owned);
    let mut last_status = String::from("notStarted");
    loop {
        let wait = retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, opts.sleeper.now()))
            .unwrap_or(opts.poll_interval)
            .min(opts.max_wait);
        let elapsed = start.elapsed().max(waited);
        if elapsed + wait > opts.deadline {
            return Err(Error::Operation {
                status: last_status,
                message: format!("not finished within the deadline of {:?}", opts.deadline),
            });
        }
        tracing::debug!(wait_ms = wait.as_millis() as u64, status = %last_status, "polling long-running operation");
        opts.sleeper.sleep(wait).await;
        waited += wait;

        let resp = client.execute(&req).await?;
        retry_after = resp.header("retry-after").map(str::to_owned);
        let op: Operation = resp.json()?;
        last_status = op.status.clone();
        match op.status() {
            OperationStatus::Succeeded => return Ok(op),
            OperationStatus::Failed => {
                let (code, message) = op
                    .error
                    .as_ref()
                    .map(|e| {
                        let s =
                            |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                        (s("code"), s("message"))
                    })
                    .unwrap_or_default();
                return Err(Error::Operation {
                    status: "failed".into(),
                    message: if code.is_empty() {
                        message
                    } else {
                        format!("{code}: {message}")
                    },
                });
            }
            _ => {}
        }
    }
}

/// The GET of an operation's `resourceLocation` (traced under its own name: the location is
/// user data, not a template).
fn resource_request(client: &Client, resource: &str, like: &Request) -> Result<Request> {
    let mut get = client.request_for_link(resource, like)?;
    get.operation = "workbookOperation.resource";
    get.template = "{resourceLocation}";
    Ok(get)
}

/// The `Location` of a 202 response, or `None` when the response is not a 202 with one.
pub fn accepted_location(resp: &Response) -> Option<&str> {
    (resp.status == 202)
        .then(|| resp.header("location"))
        .flatten()
}

/// Given the response of any request: if it is `202 Accepted` with `Location`, poll the
/// operation and fetch its `resourceLocation`, decoding it as `T`; otherwise decode the
/// response itself as `T` (the server answered synchronously).
pub async fn follow<T: DeserializeOwned>(
    client: &Client,
    resp: Response,
    like: &Request,
    opts: &LroOptions,
) -> Result<T> {
    let Some(location) = accepted_location(&resp) else {
        return resp.json();
    };
    let op = poll_after(client, location, like, opts, resp.header("retry-after")).await?;
    let resource = op.resource_location.ok_or_else(|| Error::Operation {
        status: "succeeded".into(),
        message: "the operation succeeded without a resourceLocation".into(),
    })?;
    let get = resource_request(client, &resource, like)?;
    client.execute(&get).await?.json()
}

/// Send a generated call with `Prefer: respond-async` and, if Graph answers `202 Accepted`
/// with `Location`, poll the operation and fetch the resource it reports; a synchronous
/// answer is decoded directly. The result is decoded like the call's own response.
pub async fn send_async<T: DeserializeOwned>(call: Call<T>, opts: &LroOptions) -> Result<T> {
    let client = call.client().clone();
    let shape = call.shape();
    let like = call.request().clone();
    let req = call.header("Prefer", "respond-async").into_request();
    let resp = client.execute(&req).await?;
    let Some(location) = accepted_location(&resp) else {
        return decode(shape, resp.status, &resp.body);
    };
    let op = poll_after(&client, location, &like, opts, resp.header("retry-after")).await?;
    let resource = op.resource_location.ok_or_else(|| Error::Operation {
        status: "succeeded".into(),
        message: "the operation succeeded without a resourceLocation".into(),
    })?;
    let get = resource_request(&client, &resource, &like)?;
    let resp = client.execute(&get).await?;
    decode(shape, resp.status, &resp.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse() {
        for s in ["notStarted", "running", "succeeded", "failed"] {
            assert_eq!(OperationStatus::parse(s).as_str(), s);
        }
        assert_eq!(
            OperationStatus::parse("Succeeded"),
            OperationStatus::Succeeded
        );
        assert_eq!(
            OperationStatus::parse("queued"),
            OperationStatus::Other("queued".into())
        );
    }

    #[test]
    fn operation_decodes_docs_shape() {
        let op: Operation = serde_json::from_str(
            r#"{"id":"operation-id","status":"succeeded","resourceLocation":"https://graph.microsoft.com/v1.0/me/drive/items/x/workbook/sessionInfoResource(key='k')"}"#,
        )
        .unwrap();
        assert_eq!(op.status(), OperationStatus::Succeeded);
        assert!(op.resource_location.unwrap().ends_with("(key='k')"));
    }
}
