//! Workbook sessions, first class.
//!
//! ```no_run
//! # async fn f<W: graph_workbook::node::NodeType + Send + Sync + 'static>(book: W) -> graph_workbook::Result<()> {
//! use graph_workbook::session::{Session, SessionOptions};
//! let session = Session::create(&book, SessionOptions::persistent()).await?;
//! let wb = session.workbook(); // every call through `wb` carries workbook-session-id
//! // ... wb.worksheets() ... (generated calls)
//! session.refresh().await?;
//! session.close().await?;       // a second close, or any call through `wb`, is Error::SessionClosed
//! # Ok(()) }
//! ```
//!
//! How "closed" is enforced without touching the generated code: the client keeps the ids of
//! the sessions it closed, and [`Client::execute`] refuses (with [`Error::SessionClosed`],
//! before any I/O) a request whose `workbook-session-id` is one of them. A session Graph
//! reports as gone surfaces as [`Error::SessionExpired`] (see `codes`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::lro::LroOptions;
use crate::node::{Node, NodeType};
use crate::request::{Method, Request};

pub use crate::client::{ClosedSessions, SESSION_HEADER};

/// How to create a session.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// `persistChanges`: save edits to the file (true) or discard them at the end (false).
    pub persist_changes: bool,
    /// Send `Prefer: respond-async` and follow a `202 Accepted` operation.
    pub respond_async: bool,
    /// Polling for `respond_async`.
    pub lro: LroOptions,
    /// Refresh the session in the background at this interval until close or drop.
    pub keep_alive: Option<Duration>,
}

impl SessionOptions {
    /// A session that saves changes to the file (`persistChanges: true`).
    pub fn persistent() -> Self {
        SessionOptions {
            persist_changes: true,
            respond_async: false,
            lro: LroOptions::default(),
            keep_alive: None,
        }
    }
    /// A session that discards its changes at the end (`persistChanges: false`).
    pub fn non_persistent() -> Self {
        SessionOptions {
            persist_changes: false,
            ..Self::persistent()
        }
    }
    /// Create the session with `Prefer: respond-async`, polling its operation with `lro`.
    pub fn respond_async(mut self, lro: LroOptions) -> Self {
        self.respond_async = true;
        self.lro = lro;
        self
    }
    /// Refresh the session in the background at `interval` (see [`Session::start_keep_alive`]).
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = Some(interval);
        self
    }
}

/// `workbookSessionInfo`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SessionInfo {
    /// The session id, sent as `workbook-session-id`.
    pub id: String,
    #[serde(rename = "persistChanges", default)]
    /// Whether the session saves its changes.
    pub persist_changes: bool,
}

/// A workbook session and the workbook handle bound to it. Cheap to clone; the background
/// keep-alive (if any) stops on [`Session::close`] or when the last clone is dropped.
pub struct Session<W> {
    inner: Arc<Inner>,
    workbook: W,
}

impl<W: Clone> Clone for Session<W> {
    fn clone(&self) -> Self {
        Session {
            inner: self.inner.clone(),
            workbook: self.workbook.clone(),
        }
    }
}

impl<W> std::fmt::Debug for Session<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.inner.id)
            .field("persist_changes", &self.inner.persist)
            .field("closed", &self.inner.closed.load(Ordering::SeqCst))
            .finish()
    }
}

struct Inner {
    client: Client,
    /// The workbook node without the session header, for refresh/close requests.
    root: Node,
    id: String,
    persist: bool,
    closed: AtomicBool,
    keep_alive: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut g) = self.keep_alive.lock() {
            if let Some(h) = g.take() {
                h.abort();
            }
        }
    }
}

impl<W: NodeType> Session<W> {
    /// `POST {workbook}/createSession`, then a handle whose calls carry the session header.
    pub async fn create(workbook: &W, opts: SessionOptions) -> Result<Session<W>> {
        let root = workbook.node().clone();
        let client = root.client().clone();
        let mut headers: Vec<(String, String)> = root
            .headers()
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(SESSION_HEADER))
            .cloned()
            .collect();
        if opts.respond_async {
            headers.push(("Prefer".into(), "respond-async".into()));
        }
        let req = Request {
            method: Method::Post,
            path: format!("{}/createSession", root.path()),
            query: vec![],
            headers,
            body: Some(crate::node::to_body(
                &serde_json::json!({ "persistChanges": opts.persist_changes }),
            )),
            operation: "workbook.createSession",
            template: "/workbook/createSession",
        };
        let resp = client.execute(&req).await?;
        let info: SessionInfo = if opts.respond_async {
            let mut like = req.clone();
            like.headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("Prefer"));
            crate::lro::follow(&client, resp, &like, &opts.lro).await?
        } else {
            resp.json()?
        };
        if info.id.is_empty() {
            return Err(Error::Decode {
                status: 201,
                message: "createSession returned an empty session id".into(),
                excerpt: String::new(),
            });
        }
        let session = Session::from_id(workbook, &info.id, info.persist_changes);
        if let Some(interval) = opts.keep_alive {
            session.start_keep_alive(interval)?;
        }
        Ok(session)
    }

    /// Bind to an existing session id (e.g. one created by another process).
    pub fn from_id(workbook: &W, id: &str, persist_changes: bool) -> Session<W> {
        let root = workbook.node().clone();
        let inner = Arc::new(Inner {
            client: root.client().clone(),
            root,
            id: id.to_string(),
            persist: persist_changes,
            closed: AtomicBool::new(false),
            keep_alive: Mutex::new(None),
        });
        Session {
            inner,
            workbook: workbook.with_header(SESSION_HEADER, id),
        }
    }
}

impl<W> Session<W> {
    /// The workbook handle: every call made through it (and through nodes reached from it)
    /// carries `workbook-session-id`.
    pub fn workbook(&self) -> &W {
        &self.workbook
    }
    /// The session id (`workbook-session-id`).
    pub fn id(&self) -> &str {
        &self.inner.id
    }
    /// Whether the session saves its changes to the file.
    pub fn persist_changes(&self) -> bool {
        self.inner.persist
    }
    /// Whether [`Session::close`] was called (on this handle or a clone).
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// `POST {workbook}/refreshSession`: keeps the session alive.
    pub async fn refresh(&self) -> Result<()> {
        refresh(&self.inner).await
    }

    /// `POST {workbook}/closeSession`. Closing twice gives [`Error::SessionClosed`] without a
    /// request. The session is considered closed locally even if the request fails (the server
    /// lets an abandoned session expire).
    pub async fn close(&self) -> Result<()> {
        if self.inner.closed.swap(true, Ordering::SeqCst) {
            return Err(Error::SessionClosed);
        }
        self.stop_keep_alive();
        let req = session_request(
            &self.inner,
            "closeSession",
            "workbook.closeSession",
            "/workbook/closeSession",
        );
        let result = self.inner.client.execute(&req).await.map(|_| ());
        self.inner.client.closed_sessions().insert(&self.inner.id);
        result
    }

    /// Refresh every `interval` in the background until close or drop. Replaces a running
    /// keep-alive. Errors are reported through `tracing`; an expired or closed session stops it.
    /// A zero interval, a closed session or no tokio runtime is [`Error::InvalidInput`] /
    /// [`Error::SessionClosed`].
    pub fn start_keep_alive(&self, interval: Duration) -> Result<()> {
        if interval.is_zero() {
            return Err(Error::InvalidInput(
                "keep-alive interval must be greater than zero".into(),
            ));
        }
        if self.is_closed() {
            return Err(Error::SessionClosed);
        }
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::InvalidInput("keep-alive needs a tokio runtime".into()))?;
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        let task = runtime.spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(inner) = weak.upgrade() else { return };
                if inner.closed.load(Ordering::SeqCst) {
                    return;
                }
                match refresh(&inner).await {
                    Ok(()) => tracing::debug!(session = %short(&inner.id), "session keep-alive"),
                    Err(e @ (Error::SessionExpired(_) | Error::SessionClosed)) => {
                        tracing::warn!(session = %short(&inner.id), error = %e, "session keep-alive stopped");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(session = %short(&inner.id), error = %e, "session keep-alive failed")
                    }
                }
            }
        });
        if let Ok(mut g) = self.inner.keep_alive.lock() {
            if let Some(old) = g.replace(task) {
                old.abort();
            }
        }
        Ok(())
    }

    /// Stops the background keep-alive, if one runs.
    pub fn stop_keep_alive(&self) {
        if let Ok(mut g) = self.inner.keep_alive.lock() {
            if let Some(h) = g.take() {
                h.abort();
            }
        }
    }

    /// Whether a background keep-alive is running.
    pub fn keep_alive_running(&self) -> bool {
        self.inner
            .keep_alive
            .lock()
            .map(|g| g.as_ref().is_some_and(|h| !h.is_finished()))
            .unwrap_or(false)
    }
}

async fn refresh(inner: &Inner) -> Result<()> {
    if inner.closed.load(Ordering::SeqCst) {
        return Err(Error::SessionClosed);
    }
    let req = session_request(
        inner,
        "refreshSession",
        "workbook.refreshSession",
        "/workbook/refreshSession",
    );
    inner.client.execute(&req).await.map(|_| ())
}

/// `POST {workbook}/{verb}` with the workbook node's headers and this session's id.
fn session_request(
    inner: &Inner,
    verb: &str,
    operation: &'static str,
    template: &'static str,
) -> Request {
    let mut headers: Vec<(String, String)> = inner
        .root
        .headers()
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case(SESSION_HEADER))
        .cloned()
        .collect();
    headers.push((SESSION_HEADER.into(), inner.id.clone()));
    Request {
        method: Method::Post,
        path: format!("{}/{verb}", inner.root.path()),
        query: vec![],
        headers,
        body: None,
        operation,
        template,
    }
}

/// The first characters of a session id, for logs (ids are bearer-like handles).
fn short(id: &str) -> String {
    id.chars().take(8).collect::<String>() + "…"
}
