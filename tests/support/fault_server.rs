//! A real HTTP/1.1 server on 127.0.0.1 that injects faults: any status and headers, delays
//! (e.g. past the client's timeout), connection resets before any response, truncated bodies.
//!
//! Raw `tokio::net::TcpListener` with a minimal HTTP/1.1 reader: a framework server cannot send
//! an RST or a body shorter than its `Content-Length`. One request per connection
//! (`Connection: close`), so every attempt a client makes is one accepted connection and one
//! recorded [`Received`].
//!
//! Bounded: each connection has a read timeout, the server stops accepting after `LIFETIME`,
//! and dropping the [`FaultServer`] aborts it. Use it with the real clock (tokio's paused clock
//! would auto-advance past client timeouts while the server works).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIFETIME: Duration = Duration::from_secs(300);
const READ_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REQUEST: usize = 8 << 20;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Request target as sent (path and query, still percent-encoded).
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }
    /// Decoded query pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(q) = self.query() else { return vec![] };
        q.split('&')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (pct_decode(k), pct_decode(v))
            })
            .collect()
    }
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

fn pct_decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
    /// Read the request, then close the connection with an RST and no response.
    Reset,
    /// Send the headers with the full `Content-Length`, only `cut` bytes of body, then close
    /// the connection cleanly (FIN).
    Truncated {
        status: u16,
        body: Vec<u8>,
        cut: usize,
    },
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: vec![],
            body: vec![],
        }
    }
    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: serde_json::to_vec(&value).unwrap(),
        }
    }
    /// A raw body with a JSON content type (for malformed JSON).
    pub fn raw_json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }
    /// A Graph error body.
    pub fn graph_error(status: u16, code: &str, inner: Option<&str>) -> Reply {
        let mut err = serde_json::json!({ "code": code, "message": format!("injected {code}") });
        if let Some(inner) = inner {
            err["innerError"] = serde_json::json!({ "code": inner, "request-id": "req-injected" });
        }
        Reply::json(status, serde_json::json!({ "error": err }))
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
    pub fn delayed(self, d: Duration) -> Reply {
        Reply::Delay(d, Box::new(self))
    }
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync + 'static;

pub struct FaultServer {
    pub addr: std::net::SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Start on 127.0.0.1 with a random port, in the current tokio runtime.
    pub async fn start(
        handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
    ) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let rec = received.clone();
        let started = Instant::now();
        let task = tokio::spawn(async move {
            while started.elapsed() < LIFETIME {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                let handler = handler.clone();
                let rec = rec.clone();
                tokio::spawn(async move {
                    let _ = serve(sock, handler, rec).await;
                });
            }
        });
        FaultServer {
            addr,
            received,
            task,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
    pub fn clear(&self) {
        self.received.lock().unwrap().clear();
    }
}

async fn serve(
    mut sock: TcpStream,
    handler: Arc<Handler>,
    rec: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let req = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut sock)).await {
        Ok(Ok(Some(r))) => r,
        _ => return Ok(()),
    };
    rec.lock().unwrap().push(req.clone());
    let mut reply = handler(&req);
    loop {
        match reply {
            Reply::Delay(d, inner) => {
                tokio::time::sleep(d).await;
                reply = *inner;
            }
            Reply::Reset => {
                #[allow(deprecated)]
                let _ = sock.set_linger(Some(Duration::ZERO));
                drop(sock);
                return Ok(());
            }
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = status_line(status);
                for (k, v) in &headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                ));
                sock.write_all(head.as_bytes()).await?;
                sock.write_all(&body).await?;
                sock.flush().await?;
                let _ = sock.shutdown().await;
                return Ok(());
            }
            Reply::Truncated { status, body, cut } => {
                let head = format!(
                    "{}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    status_line(status),
                    body.len()
                );
                sock.write_all(head.as_bytes()).await?;
                sock.write_all(&body[..cut.min(body.len())]).await?;
                sock.flush().await?;
                // A clean FIN, not an RST: an RST could overtake the headers and look like a
                // reset before any response (which is retryable) instead of a short body.
                let _ = sock.shutdown().await;
                return Ok(());
            }
        }
    }
}

/// The workbook the runtime tests address: `DriveItem::me_item("01AB")`, as it goes on the wire.
pub const WB: &str = "/me/drive/items/01AB/workbook";

impl FaultServer {
    /// A client builder for this server with the bearer token `tok`.
    pub fn client_builder(&self) -> graph_workbook::ClientBuilder {
        graph_workbook::Client::builder()
            .bearer("tok")
            .base_url(self.base_url())
    }
    /// A client for this server: bearer `tok`, default retry policy.
    pub fn client(&self) -> graph_workbook::Client {
        self.client_builder().build().expect("client")
    }
    /// The generated v1.0 workbook at [`WB`], through [`FaultServer::client`].
    pub fn workbook(&self) -> graph_workbook::v1::Workbook {
        workbook(&self.client())
    }
}

/// The generated v1.0 workbook at [`WB`] through `client`.
pub fn workbook(client: &graph_workbook::Client) -> graph_workbook::v1::Workbook {
    client.workbook(&graph_workbook::DriveItem::me_item("01AB"))
}

fn status_line(status: u16) -> String {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
    format!("HTTP/1.1 {status} {reason}\r\n")
}

async fn read_request(sock: &mut TcpStream) -> std::io::Result<Option<Received>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_REQUEST {
            return Ok(None);
        }
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(len);
    Ok(Some(Received {
        method,
        target,
        headers,
        body,
    }))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A [`graph_workbook::retry::Sleeper`] that returns at once and records every delay asked
/// for: exact schedules without waiting.
#[derive(Default)]
pub struct RecordingSleeper {
    pub delays: Mutex<Vec<Duration>>,
    /// Fixed wall-clock "now" (for HTTP-date `Retry-After`); the real clock when unset.
    pub now: Mutex<Option<std::time::SystemTime>>,
}

impl RecordingSleeper {
    pub fn new() -> Arc<RecordingSleeper> {
        Arc::new(RecordingSleeper::default())
    }
    pub fn at(now: std::time::SystemTime) -> Arc<RecordingSleeper> {
        let s = RecordingSleeper::default();
        *s.now.lock().unwrap() = Some(now);
        Arc::new(s)
    }
    pub fn delays(&self) -> Vec<Duration> {
        self.delays.lock().unwrap().clone()
    }
    pub fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.delays.lock().unwrap())
    }
}

impl graph_workbook::retry::Sleeper for RecordingSleeper {
    fn sleep(
        &self,
        delay: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.delays.lock().unwrap().push(delay);
        Box::pin(async {})
    }
    fn now(&self) -> std::time::SystemTime {
        self.now
            .lock()
            .unwrap()
            .unwrap_or_else(std::time::SystemTime::now)
    }
}
