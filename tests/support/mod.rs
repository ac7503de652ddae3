//! A real HTTP/1.1 server on 127.0.0.1 for tests and the quickstart example.
//!
//! * Every request is recorded as received on the wire ([`Recorded`]: raw target, headers,
//!   body, connection number), and decoded the way an OData server does ([`odata`]).
//! * A handler decides the [`Reply`]: a response, a delay, a dropped connection, raw bytes
//!   (truncated or malformed responses). This is what fault-injection tests build on.
//!
//! Hand-written on tokio + httparse (rather than axum) so a test can drop a connection before
//! responding or send a broken response, which a framework does not allow.
//!
//! Use from a test with `mod support;` (tests/) or
//! `#[path = "../tests/support/mod.rs"] mod support;` (examples/).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request-target exactly as sent (`/v1.0/me/drive/items/a%20b?$top=1`).
    pub target: String,
    /// `target` before `?`, still percent-encoded.
    pub path: String,
    /// `target` after `?`, still encoded.
    pub query: Option<String>,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which TCP connection carried it (0, 1, ... in accept order).
    pub connection: usize,
}

impl Recorded {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All headers with this name.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path split at `/` and each segment percent-decoded (OData server order: split
    /// first, then decode). Panics on an invalid escape, which a server would reject.
    pub fn segments(&self) -> Vec<String> {
        odata::segments(&self.path).unwrap_or_else(|e| panic!("{}: {e}", self.path))
    }

    /// The path's segments after `prefix` segments (e.g. after `/v1.0`).
    pub fn segments_after(&self, prefix: &str) -> Vec<String> {
        let skip = prefix.split('/').filter(|s| !s.is_empty()).count();
        self.segments().into_iter().skip(skip).collect()
    }

    /// Query pairs, percent-decoded (`+` is a space, as form decoding does).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(q) = &self.query else { return vec![] };
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                let dec =
                    |s: &str| odata::percent_decode(&s.replace('+', " ")).expect("valid escape");
                (dec(k), dec(v))
            })
            .collect()
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `METHOD target` as on the request line.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response (`Content-Length` added).
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering (a reset before any response).
    Close,
    /// Write these bytes verbatim, then close (malformed or truncated responses).
    Raw(Vec<u8>),
    /// Wait, then do the inner reply.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(&body).expect("serializable"),
        }
    }

    pub fn text(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply::Http {
            status,
            headers: vec![],
            body: vec![],
        }
    }

    /// A Graph error body `{"error": {"code", "message", "innerError": {...}}}`.
    pub fn graph_error(status: u16, code: &str, message: &str, inner: serde_json::Value) -> Reply {
        Reply::json(
            status,
            serde_json::json!({"error": {"code": code, "message": message, "innerError": inner}}),
        )
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Http { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }

    pub fn after(self, delay: Duration) -> Reply {
        Reply::Delayed(delay, Box::new(self))
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// The running server; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Binds 127.0.0.1 on a random port and serves every request with `handler`.
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let conns = Arc::new(AtomicUsize::new(0));
        let task = {
            let log = log.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let n = conns.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve_connection(stream, n, handler.clone(), log.clone()));
                }
            })
        };
        TestServer { addr, log, task }
    }

    /// Answers every request with the same reply.
    pub async fn always(reply: Reply) -> TestServer {
        TestServer::start(move |_| reply.clone()).await
    }

    /// `http://127.0.0.1:PORT` (append a path such as `/v1.0` for a client base URL).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client for this server's `/v1.0` with a fixed bearer token.
    pub fn v1_client(&self) -> graph_workbook::Client {
        graph_workbook::Client::builder()
            .bearer("t")
            .base_url(format!("{}/v1.0", self.url()))
            .build()
            .expect("a client for the test server")
    }

    /// The workbook of drive item `01AB` through [`TestServer::v1_client`]: what the recording
    /// tests address (`/v1.0/me/drive/items/01AB/workbook`).
    pub fn v1_book(&self) -> graph_workbook::v1::Workbook {
        self.v1_client()
            .workbook(&graph_workbook::DriveItem::me_item("01AB"))
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// The last request received (panics if none).
    pub fn last(&self) -> Recorded {
        self.requests().pop().expect("no request received")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    connection: usize,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Recorded>>>,
) {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        // Read until the header block is complete.
        let (head_len, mut rec, content_length) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf) {
                Ok(httparse::Status::Complete(n)) => {
                    let target = req.path.unwrap_or("").to_string();
                    let (path, query) = match target.split_once('?') {
                        Some((p, q)) => (p.to_string(), Some(q.to_string())),
                        None => (target.clone(), None),
                    };
                    let headers: Vec<(String, String)> = req
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_ascii_lowercase(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect();
                    let chunked = headers
                        .iter()
                        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
                    if chunked {
                        let _ = stream
                            .write_all(b"HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                            .await;
                        return;
                    }
                    let len = headers
                        .iter()
                        .find(|(n, _)| n == "content-length")
                        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    let rec = Recorded {
                        method: req.method.unwrap_or("").to_string(),
                        target,
                        path,
                        query,
                        headers,
                        body: Vec::new(),
                        connection,
                    };
                    break (n, rec, len);
                }
                Ok(httparse::Status::Partial) => {}
                Err(_) => {
                    let _ = stream
                        .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                    return;
                }
            }
            if !read_more(&mut stream, &mut buf).await {
                return;
            }
        };
        while buf.len() < head_len + content_length {
            if !read_more(&mut stream, &mut buf).await {
                return;
            }
        }
        rec.body = buf[head_len..head_len + content_length].to_vec();
        buf.drain(..head_len + content_length);

        log.lock().unwrap().push(rec.clone());
        let mut reply = handler(&rec);
        while let Reply::Delayed(d, inner) = reply {
            tokio::time::sleep(d).await;
            reply = *inner;
        }
        match reply {
            Reply::Http {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (n, v) in &headers {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Close => return,
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Delayed(..) => unreachable!("unwrapped above"),
        }
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Decoding as an OData server (Graph) does it, written independently of the crate's encoder.
pub mod odata {
    /// Strict percent-decoding to UTF-8: a `%` not followed by two hex digits, or bytes that
    /// are not UTF-8, are errors (a server answers 400).
    pub fn percent_decode(s: &str) -> Result<String, String> {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                let hex = b
                    .get(i + 1..i + 3)
                    .ok_or_else(|| format!("truncated escape in {s:?}"))?;
                let hex = std::str::from_utf8(hex).map_err(|_| format!("bad escape in {s:?}"))?;
                out.push(
                    u8::from_str_radix(hex, 16)
                        .map_err(|_| format!("bad escape %{hex} in {s:?}"))?,
                );
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
    }

    /// Splits a raw path at `/` and decodes each segment.
    pub fn segments(raw_path: &str) -> Result<Vec<String>, String> {
        raw_path
            .strip_prefix('/')
            .ok_or_else(|| format!("{raw_path:?} does not start with '/'"))?
            .split('/')
            .map(percent_decode)
            .collect()
    }

    /// A function-style segment `name(p='lit''eral',n=3)`, already percent-decoded: the name
    /// and the parameters, string literals unquoted with `''` → `'`. `None` if the segment is
    /// not of that shape.
    pub fn parse_call(segment: &str) -> Option<(String, Vec<(String, Value)>)> {
        let open = segment.find('(')?;
        let name = &segment[..open];
        let mut rest = &segment[open + 1..];
        let mut params = Vec::new();
        loop {
            if let Some(after) = rest.strip_prefix(')') {
                return after.is_empty().then(|| (name.to_string(), params));
            }
            let eq = rest.find('=')?;
            let key = rest[..eq].trim().to_string();
            rest = &rest[eq + 1..];
            let value;
            if let Some(lit) = rest.strip_prefix('\'') {
                let mut s = String::new();
                let mut chars = lit.char_indices();
                let end = loop {
                    let (i, c) = chars.next()?;
                    if c == '\'' {
                        if lit[i + 1..].starts_with('\'') {
                            s.push('\'');
                            chars.next();
                        } else {
                            break i + 1;
                        }
                    } else {
                        s.push(c);
                    }
                };
                value = Value::Str(s);
                rest = &lit[end..];
            } else {
                let end = rest.find([',', ')'])?;
                value = Value::Bare(rest[..end].to_string());
                rest = &rest[end..];
            }
            params.push((key, value));
            if let Some(r) = rest.strip_prefix(',') {
                rest = r;
            } else if !rest.starts_with(')') {
                return None;
            }
        }
    }

    /// A parameter value in a function-style segment.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Value {
        /// `'...'`, unquoted.
        Str(String),
        /// Anything else (`3`, `true`, `null`).
        Bare(String),
    }

    impl Value {
        pub fn as_str(&self) -> &str {
            match self {
                Value::Str(s) | Value::Bare(s) => s,
            }
        }
    }

    /// The one string parameter `param` of the function-style `segment` (decoded).
    pub fn call_arg(segment: &str, function: &str, param: &str) -> Option<String> {
        let (name, params) = parse_call(segment)?;
        if name != function {
            return None;
        }
        params
            .into_iter()
            .find(|(k, _)| k == param)
            .and_then(|(_, v)| match v {
                Value::Str(s) => Some(s),
                Value::Bare(_) => None,
            })
    }

    /// Graph's path addressing `.../root:/a/b.xlsx:/rest`: on the raw path, finds the segment
    /// `root:` and the next raw segment ending with `:`; returns (decoded drive path, the raw
    /// segments before `root:`, the raw segments after). `None` if the path has no `root:`.
    pub fn split_drive_path(raw_path: &str) -> Option<(String, Vec<String>, Vec<String>)> {
        let raw: Vec<&str> = raw_path.strip_prefix('/')?.split('/').collect();
        let start = raw.iter().position(|s| *s == "root:")?;
        let end = start + 1 + raw[start + 1..].iter().position(|s| s.ends_with(':'))?;
        let mut comps = Vec::new();
        for (i, s) in raw[start + 1..=end].iter().enumerate() {
            let s = if start + 1 + i == end {
                s.strip_suffix(':')?
            } else {
                s
            };
            comps.push(percent_decode(s).ok()?);
        }
        let dec = |v: &[&str]| {
            v.iter()
                .map(|s| percent_decode(s).unwrap())
                .collect::<Vec<_>>()
        };
        Some((comps.join("/"), dec(&raw[..start]), dec(&raw[end + 1..])))
    }
}
