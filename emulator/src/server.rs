//! The HTTP side: axum, one fallback handler that parses the drive prefix, matches the spec's
//! routes and dispatches by operation id.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{to_bytes, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

use crate::book::{Book, Node, Table};
use crate::drive::{self, ItemRef};
use crate::error::GraphError;
use crate::faults::Injector;
use crate::functions;
use crate::routes::{self, Match, Seg, Version};
use crate::Options;

/// The v1.0 operation ids with an implementation; the rest of the spec answers 501.
pub const IMPLEMENTED: &[&str] = &[
    "application.calculate",
    "application.get",
    "namedItem.get",
    "namedItem.range",
    "namedItem.update",
    "namedItemCollection.add",
    "namedItemCollection.addFormulaLocal",
    "namedItemCollection.list",
    "namedItemCollection.listByWorksheetListNames",
    "operation.get",
    "range.boundingRect",
    "range.cell",
    "range.clear",
    "range.column",
    "range.columnsAfter",
    "range.columnsBefore",
    "range.delete",
    "range.entireColumn",
    "range.entireRow",
    "range.get",
    "range.insert",
    "range.intersection",
    "range.lastCell",
    "range.lastColumn",
    "range.lastRow",
    "range.offsetRange",
    "range.resizedRange",
    "range.row",
    "range.rowsAbove",
    "range.rowsBelow",
    "range.update",
    "range.usedRange",
    "rangeFormat.get",
    "rangeFormat.update",
    "table.convertToRange",
    "table.dataBodyRange",
    "table.delete",
    "table.get",
    "table.headerRowRange",
    "table.range",
    "table.totalRowRange",
    "table.update",
    "tableCollection.add",
    "tableCollection.count",
    "tableCollection.list",
    "tableColumn.dataBodyRange",
    "tableColumn.delete",
    "tableColumn.get",
    "tableColumn.headerRowRange",
    "tableColumn.range",
    "tableColumn.totalRowRange",
    "tableColumn.update",
    "tableColumnCollection.add",
    "tableColumnCollection.count",
    "tableColumnCollection.create",
    "tableColumnCollection.itemAt",
    "tableColumnCollection.list",
    "tableRow.delete",
    "tableRow.get",
    "tableRow.range",
    "tableRow.update",
    "tableRowCollection.add",
    "tableRowCollection.count",
    "tableRowCollection.create",
    "tableRowCollection.itemAt",
    "tableRowCollection.list",
    "workbook.closeSession",
    "workbook.createSession",
    "workbook.refreshSession",
    "worksheet.cell",
    "worksheet.delete",
    "worksheet.get",
    "worksheet.range",
    "worksheet.update",
    "worksheet.usedRange",
    "worksheetCollection.add",
    "worksheetCollection.create",
    "worksheetCollection.list",
    "worksheetProtection.get",
    "worksheetProtection.protect",
    "worksheetProtection.unprotect",
];

type R<T> = Result<T, GraphError>;

struct Session {
    rel: String,
    last: Instant,
    /// The session's own copy when `persistChanges` is false.
    own: Option<Book>,
}

struct Inner {
    books: BTreeMap<String, Book>,
    sessions: BTreeMap<String, Session>,
    /// Sessions whose file was replaced: `invalidSessionNotRecreatable`.
    gone: BTreeMap<String, ()>,
    next: u64,
    /// Long-running operations: id -> (polls so far, resource location).
    operations: BTreeMap<String, (u32, String)>,
    faults: Option<Injector>,
}

struct Shared {
    root: PathBuf,
    opts: Options,
    inner: Mutex<Inner>,
}

pub async fn spawn(
    options: Options,
) -> io::Result<(
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<io::Result<()>>,
)> {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(serve(
        options,
        move |addr| {
            let _ = addr_tx.send(addr);
        },
        async move {
            let _ = rx.await;
        },
    ));
    match addr_rx.await {
        Ok(addr) => Ok((format!("http://{addr}"), tx, task)),
        Err(_) => match task.await {
            Ok(Err(e)) => Err(e),
            _ => Err(io::Error::other("the emulator stopped before listening")),
        },
    }
}

pub async fn serve(
    options: Options,
    on_listen: impl FnOnce(SocketAddr),
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let root = options
        .dir
        .canonicalize()
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", options.dir.display())))?;
    if !root.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            root.display()
        )));
    }
    let shared = Arc::new(Shared {
        root,
        inner: Mutex::new(Inner {
            books: BTreeMap::new(),
            sessions: BTreeMap::new(),
            gone: BTreeMap::new(),
            next: 1,
            operations: BTreeMap::new(),
            faults: options.faults.clone().map(Injector::new),
        }),
        opts: options,
    });
    let listener = tokio::net::TcpListener::bind(shared.opts.bind).await?;
    on_listen(listener.local_addr()?);
    let app = axum::Router::new().fallback(handle).with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(signal)
        .await
}

async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let limit = shared.opts.body_limit;
    let too_big = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit);
    if too_big {
        return too_large(limit);
    }
    let Ok(bytes) = to_bytes(body, limit).await else {
        return too_large(limit);
    };
    let base = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"))
        .unwrap_or_default();
    let shared2 = shared.clone();
    let path = parts.uri.path().to_string();
    // The engine is synchronous: run it off the async workers.
    let result = tokio::task::spawn_blocking(move || {
        let mut inner = match shared2.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(f) = inner.faults.as_mut().and_then(Injector::next_fault) {
            return Err(f);
        }
        dispatch(
            &shared2,
            &mut inner,
            &parts.method,
            &path,
            &parts.headers,
            bytes,
            &base,
        )
    })
    .await;
    match result {
        Ok(Ok(resp)) => resp,
        Ok(Err(e)) => e.into_response(),
        Err(_) => GraphError::internal("The request failed inside the emulator.").into_response(),
    }
}

fn too_large(limit: usize) -> Response {
    GraphError::new(
        413,
        "RequestEntityTooLarge",
        format!("The request body is larger than {limit} bytes."),
    )
    .into_response()
}

fn json_response(status: u16, v: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    (status, axum::Json(v)).into_response()
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

fn parse_body(bytes: &Bytes) -> R<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| {
        GraphError::new(
            400,
            "BadRequest",
            format!("The request body is not valid JSON: {e}"),
        )
    })
}

fn dispatch(
    shared: &Shared,
    inner: &mut Inner,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    bytes: Bytes,
    base: &str,
) -> R<Response> {
    let (version, rest) = if let Some(r) = path.strip_prefix("/v1.0/") {
        (Version::V1, r)
    } else if let Some(r) = path.strip_prefix("/beta/") {
        (Version::Beta, r)
    } else {
        return Err(GraphError::new(
            400,
            "BadRequest",
            "Invalid version: the path must start with /v1.0 or /beta.",
        ));
    };
    let slash = &path[path.len() - rest.len() - 1..];
    let parsed = drive::parse(slash)?;
    let rel = match &parsed.item {
        ItemRef::Root => return root_request(shared, method, parsed.rest),
        ItemRef::Path(p) => drive::check_rel(p)?,
        ItemRef::Id(id) => drive::list_workbooks(&shared.root)
            .into_iter()
            .find(|r| drive::item_id(r) == *id)
            .ok_or_else(|| {
                GraphError::not_found(format!("The resource '{id}' could not be found."))
            })?,
    };
    let abs = drive::resolve(&shared.root, &rel)?;
    let item_prefix = &path[..path.len() - parsed.rest.len()];
    match (method, parsed.rest) {
        (&Method::GET, "") => item_json(&rel, &abs),
        (&Method::GET, "/content") => download(&abs),
        (&Method::PUT, "/content") => upload(inner, &rel, &abs, &bytes),
        (_, r) if r == "/workbook" || r.starts_with("/workbook/") => {
            let tokens: Vec<String> = r[1..]
                .split('/')
                .map(|t| percent_decode_str(t).decode_utf8_lossy().to_string())
                .collect();
            let ctx = Ctx {
                shared,
                rel: &rel,
                abs: &abs,
                headers,
                base,
                item_prefix,
            };
            workbook_request(&ctx, inner, version, method, &tokens, &bytes)
        }
        _ => Err(GraphError::new(
            400,
            "BadRequest",
            format!(
                "Resource not found for the segment '{}'.",
                parsed.rest.trim_start_matches('/')
            ),
        )),
    }
}

fn root_request(shared: &Shared, method: &Method, rest: &str) -> R<Response> {
    match (method, rest) {
        (&Method::GET, "/children") => {
            let mut list = Vec::new();
            let Ok(rd) = std::fs::read_dir(&shared.root) else {
                return Err(GraphError::internal("The drive folder cannot be read."));
            };
            let mut entries: Vec<_> = rd.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let name = e.file_name().to_string_lossy().to_string();
                let Ok(ft) = e.file_type() else { continue };
                if name.starts_with('.') {
                    continue;
                }
                if ft.is_dir() {
                    list.push(json!({"id": drive::item_id(&name), "name": name, "folder": {}}));
                } else if ft.is_file() {
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    list.push(json!({"id": drive::item_id(&name), "name": name, "size": size, "file": {"mimeType": XLSX_MIME}}));
                }
            }
            Ok(json_response(200, json!({ "value": list })))
        }
        (&Method::GET, "") => Ok(json_response(
            200,
            json!({"id": "root", "name": "root", "root": {}, "folder": {}}),
        )),
        _ => Err(GraphError::new(
            400,
            "BadRequest",
            "Only GET root and root/children are supported on the drive root.",
        )),
    }
}

const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn item_json(rel: &str, abs: &Path) -> R<Response> {
    let meta = std::fs::metadata(abs)
        .ok()
        .filter(|m| m.is_file())
        .ok_or_else(|| {
            GraphError::not_found(format!("The resource '{rel}' could not be found."))
        })?;
    let name = rel.rsplit('/').next().unwrap_or(rel);
    Ok(json_response(
        200,
        json!({"id": drive::item_id(rel), "name": name, "size": meta.len(), "file": {"mimeType": XLSX_MIME}}),
    ))
}

fn download(abs: &Path) -> R<Response> {
    let bytes = std::fs::read(abs)
        .map_err(|_| GraphError::not_found("The resource could not be found."))?;
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX_MIME));
    Ok(resp)
}

fn upload(inner: &mut Inner, rel: &str, abs: &Path, bytes: &Bytes) -> R<Response> {
    let existed = abs.is_file();
    if let Some(dir) = abs.parent() {
        std::fs::create_dir_all(dir).map_err(|e| GraphError::internal(e.to_string()))?;
    }
    drive::write_atomic(abs, bytes).map_err(|e| GraphError::internal(e.to_string()))?;
    let _ = std::fs::remove_file(tables_path(abs));
    for what in ["names", "protection"] {
        let _ = std::fs::remove_file(sidecar(abs, what));
    }
    inner.books.remove(rel);
    let stale: Vec<String> = inner
        .sessions
        .iter()
        .filter(|(_, s)| s.rel == rel)
        .map(|(k, _)| k.clone())
        .collect();
    for k in stale {
        inner.sessions.remove(&k);
        inner.gone.insert(k, ());
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    Ok(json_response(
        if existed { 200 } else { 201 },
        json!({"id": drive::item_id(rel), "name": name, "size": bytes.len(), "file": {"mimeType": XLSX_MIME}}),
    ))
}

/// Tables live beside the workbook: `.<name>.tables.json`.
fn tables_path(abs: &Path) -> PathBuf {
    sidecar(abs, "tables")
}

/// What the emulator models itself lives beside the workbook: `.<name>.<what>.json`.
fn sidecar(abs: &Path, what: &str) -> PathBuf {
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    abs.with_file_name(format!(".{name}.{what}.json"))
}

fn load_book(rel: &str, abs: &Path) -> R<Book> {
    let bytes = std::fs::read(abs)
        .map_err(|_| GraphError::not_found(format!("The resource '{rel}' could not be found.")))?;
    let mut book = Book::load(&bytes, rel).map_err(|e| {
        GraphError::new(
            400,
            "InvalidWorkbook",
            format!("The file '{rel}' is not a workbook the emulator can open: {e}"),
        )
    })?;
    if let Ok(text) = std::fs::read_to_string(tables_path(abs)) {
        book.tables = serde_json::from_str::<Vec<Table>>(&text).unwrap_or_default();
    }
    if let Ok(text) = std::fs::read_to_string(sidecar(abs, "names")) {
        book.names_meta = serde_json::from_str(&text).unwrap_or_default();
    }
    if let Ok(text) = std::fs::read_to_string(sidecar(abs, "protection")) {
        book.protection = serde_json::from_str(&text).unwrap_or_default();
    }
    Ok(book)
}

fn save_book(book: &Book, abs: &Path) -> R<()> {
    let bytes = book.to_xlsx().map_err(GraphError::internal)?;
    drive::write_atomic(abs, &bytes).map_err(|e| GraphError::internal(e.to_string()))?;
    save_sidecar(&tables_path(abs), book.tables.is_empty(), &book.tables)?;
    save_sidecar(
        &sidecar(abs, "names"),
        book.names_meta.is_empty(),
        &book.names_meta,
    )?;
    save_sidecar(
        &sidecar(abs, "protection"),
        book.protection.is_empty(),
        &book.protection,
    )
}

/// Writes (or, when `empty`, removes) a JSON file beside the workbook.
fn save_sidecar(path: &Path, empty: bool, value: &impl serde::Serialize) -> R<()> {
    if empty {
        let _ = std::fs::remove_file(path);
        return Ok(());
    }
    let text = serde_json::to_vec_pretty(value).map_err(|e| GraphError::internal(e.to_string()))?;
    drive::write_atomic(path, &text).map_err(|e| GraphError::internal(e.to_string()))
}

struct Ctx<'a> {
    shared: &'a Shared,
    rel: &'a str,
    abs: &'a Path,
    headers: &'a HeaderMap,
    base: &'a str,
    item_prefix: &'a str,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn session_error(inner: &str, message: &str) -> GraphError {
    GraphError::new(404, "InvalidSession", message).inner(inner)
}

fn workbook_request(
    ctx: &Ctx,
    inner: &mut Inner,
    version: Version,
    method: &Method,
    tokens: &[String],
    bytes: &Bytes,
) -> R<Response> {
    // Functions and the session resource of an async createSession come from spec/functions
    // and the LRO protocol, not from spec/operations.
    if let [w, f, name] = tokens {
        if w == "workbook" && f == "functions" {
            return function_request(ctx, inner, method, name, bytes);
        }
    }
    if let [w, res] = tokens {
        if w == "workbook" && res.starts_with("sessionInfoResource(") && method == Method::GET {
            let args = res
                .strip_prefix("sessionInfoResource(")
                .and_then(|r| r.strip_suffix(')'))
                .and_then(routes::parse_args)
                .unwrap_or_default();
            let id = args
                .first()
                .map(|(_, v)| v.as_str().to_string())
                .unwrap_or_default();
            let s = inner.sessions.get(&id).ok_or_else(|| {
                session_error("invalidSessionReCreatable", "The session was not found.")
            })?;
            return Ok(json_response(
                200,
                json!({"id": id, "persistChanges": s.own.is_none()}),
            ));
        }
    }
    let (id, mut segs) = match routes::find(version, method.as_str(), tokens) {
        Match::Found { id, segs } => (id, segs),
        Match::WrongMethod { allowed } => {
            return Err(GraphError::new(
                405,
                "MethodNotAllowed",
                format!(
                    "{method} is not allowed here; the spec has {}.",
                    allowed.join(", ")
                ),
            ))
        }
        Match::NoRoute { segment } => {
            return Err(GraphError::new(
                400,
                "BadRequest",
                format!("Resource not found for the segment '{segment}'."),
            ))
        }
    };
    if !IMPLEMENTED.contains(&id.as_str()) {
        return Err(GraphError::unimplemented(&id));
    }
    let body = parse_body(bytes)?;
    // A POST that names its parameters in the body (`range/row {"row": 1}`).
    if let (Some(Seg::Call(_, args)), Value::Object(obj)) = (segs.last_mut(), &body) {
        if args.is_empty() {
            for (k, v) in obj {
                let v = match v {
                    Value::String(s) => routes::ArgValue::Str(s.clone()),
                    other => routes::ArgValue::Raw(other.to_string()),
                };
                args.push((k.clone(), v));
            }
        }
    }
    match id.as_str() {
        "workbook.createSession" => return create_session(ctx, inner, &body),
        "workbook.closeSession" | "workbook.refreshSession" => {
            let sid = header(ctx.headers, "workbook-session-id")
                .ok_or_else(|| GraphError::invalid("The workbook-session-id header is missing."))?;
            check_session(ctx, inner, sid)?;
            if id == "workbook.closeSession" {
                inner.sessions.remove(sid);
            }
            return Ok(no_content());
        }
        "operation.get" => return operation(ctx, inner, &segs),
        _ => {}
    }
    let session = header(ctx.headers, "workbook-session-id").map(str::to_string);
    if let Some(sid) = &session {
        check_session(ctx, inner, sid)?;
    }
    let writes = method != Method::GET && id != "application.calculate";
    let (resp, persist) = {
        let (book, persist) = book_for(ctx, inner, session.as_deref())?;
        (execute(book, &id, &segs, &body)?, persist)
    };
    if writes && persist {
        if let Some(book) = inner.books.get(ctx.rel) {
            save_book(book, ctx.abs)?;
        }
    }
    Ok(resp)
}

fn check_session(ctx: &Ctx, inner: &mut Inner, sid: &str) -> R<()> {
    if inner.gone.contains_key(sid) {
        return Err(session_error(
            "invalidSessionNotRecreatable",
            "The file changed; the session cannot be recreated.",
        ));
    }
    let ttl = ctx.shared.opts.session_ttl;
    let Some(s) = inner.sessions.get_mut(sid) else {
        return Err(session_error(
            "invalidSessionReCreatable",
            "The session was not found or has expired.",
        ));
    };
    if s.rel != ctx.rel {
        return Err(session_error(
            "invalidSessionNotRecreatable",
            "The session belongs to another workbook.",
        ));
    }
    if s.last.elapsed() > ttl {
        inner.sessions.remove(sid);
        return Err(session_error(
            "invalidSessionReCreatable",
            "The session has expired.",
        ));
    }
    s.last = Instant::now();
    Ok(())
}

/// The book a request works on, and whether its changes are saved.
fn book_for<'a>(ctx: &Ctx, inner: &'a mut Inner, session: Option<&str>) -> R<(&'a mut Book, bool)> {
    if let Some(sid) = session {
        if let Some(s) = inner.sessions.get_mut(sid) {
            if let Some(own) = s.own.as_mut() {
                return Ok((own, false));
            }
        }
    }
    if !inner.books.contains_key(ctx.rel) {
        let book = load_book(ctx.rel, ctx.abs)?;
        inner.books.insert(ctx.rel.to_string(), book);
    }
    match inner.books.get_mut(ctx.rel) {
        Some(b) => Ok((b, true)),
        None => Err(GraphError::internal("workbook cache")),
    }
}

fn create_session(ctx: &Ctx, inner: &mut Inner, body: &Value) -> R<Response> {
    let persist = match body.get("persistChanges") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(GraphError::invalid("persistChanges must be a boolean.")),
    };
    let own = if persist {
        None
    } else {
        let (book, _) = book_for(ctx, inner, None)?;
        Some(book.duplicate().map_err(GraphError::internal)?)
    };
    if persist {
        book_for(ctx, inner, None)?;
    }
    let n = inner.next;
    inner.next += 1;
    let id = format!("cluster=EMU&session={n:08}-emulator");
    inner.sessions.insert(
        id.clone(),
        Session {
            rel: ctx.rel.to_string(),
            last: Instant::now(),
            own,
        },
    );
    let asynchronous = header(ctx.headers, "prefer")
        .is_some_and(|p| p.to_ascii_lowercase().contains("respond-async"));
    if asynchronous {
        let op = format!("op{n:08}");
        let quoted = id.replace('\'', "''");
        let resource = format!(
            "{}{}{}/workbook/sessionInfoResource(key='{}')",
            ctx.base,
            "",
            ctx.item_prefix,
            percent_encoding::utf8_percent_encode(&quoted, percent_encoding::NON_ALPHANUMERIC)
        );
        inner.operations.insert(op.clone(), (0, resource));
        let location = format!("{}{}/workbook/operations/{op}", ctx.base, ctx.item_prefix);
        let mut resp = StatusCode::ACCEPTED.into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            resp.headers_mut().insert(header::LOCATION, v);
        }
        return Ok(resp);
    }
    Ok(json_response(
        201,
        json!({"@odata.type": "#microsoft.graph.workbookSessionInfo", "id": id, "persistChanges": persist}),
    ))
}

/// `GET /workbook/operations/{id}`: `running` on the first poll, then `succeeded`.
fn operation(_ctx: &Ctx, inner: &mut Inner, segs: &[Seg]) -> R<Response> {
    let key = match segs.last() {
        Some(Seg::Key(k)) => k.clone(),
        _ => String::new(),
    };
    let entry = inner
        .operations
        .get_mut(&key)
        .ok_or_else(|| GraphError::not_found(format!("The operation '{key}' was not found.")))?;
    entry.0 += 1;
    if entry.0 == 1 {
        return Ok(json_response(200, json!({"id": key, "status": "running"})));
    }
    Ok(json_response(
        200,
        json!({"id": key, "status": "succeeded", "resourceLocation": entry.1}),
    ))
}

fn function_request(
    ctx: &Ctx,
    inner: &mut Inner,
    method: &Method,
    name: &str,
    bytes: &Bytes,
) -> R<Response> {
    let f = functions::catalog()
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            GraphError::new(
                501,
                "NotImplemented",
                format!("The function {name} is not in the Graph function list."),
            )
        })?;
    if method != Method::POST {
        return Err(GraphError::new(
            405,
            "MethodNotAllowed",
            "Functions are called with POST.",
        ));
    }
    let body = parse_body(bytes)?;
    let session = header(ctx.headers, "workbook-session-id").map(str::to_string);
    if let Some(sid) = &session {
        check_session(ctx, inner, sid)?;
    }
    let (book, _) = book_for(ctx, inner, session.as_deref())?;
    let formula = functions::formula(book, f, &body)?;
    let result = functions::evaluate(book, &formula)?;
    if result["error"] == json!("#NAME?") {
        return Err(GraphError::new(
            501,
            "NotImplemented",
            format!(
                "The function {} is not evaluated by the emulator's engine.",
                f.name
            ),
        ));
    }
    Ok(json_response(200, result))
}

fn sheet_of(segs: &[Seg], book: &Book) -> R<Option<u32>> {
    // `worksheets/{w}/tables/add`, `worksheets/{w}/names`: the sheet scope.
    match (segs.get(1), segs.get(2)) {
        (Some(Seg::Nav(n)), Some(Seg::Key(k))) if n == "worksheets" => {
            Ok(Some(book.find_sheet(k)?))
        }
        _ => Ok(None),
    }
}

/// The operations that only Graph's metadata defines (spec `"origin": "metadata"`), served
/// with what the documented ones already do; `None` for any other id.
fn execute_metadata(book: &mut Book, id: &str, segs: &[Seg], body: &Value) -> Option<R<Response>> {
    let parent = &segs[..segs.len().saturating_sub(1)];
    // `count` answers `{"value": n}` with the length of the collection's list.
    let count = |list: R<Value>| {
        list.map(|v| {
            let n = v["value"].as_array().map_or(0, Vec::len);
            json_response(200, json!({ "value": n }))
        })
    };
    Some(match id {
        "worksheetCollection.add" => book.add_worksheet(body).map(|v| json_response(200, v)),
        "tableCollection.count" => {
            sheet_of(segs, book).and_then(|s| count(Ok(book.tables_json(s))))
        }
        "tableRowCollection.count" | "tableRowCollection.create" => {
            let target = if id.ends_with("count") { parent } else { segs };
            match book.resolve(target) {
                Ok(Node::TableRows(t)) if id.ends_with("count") => count(book.rows_json(t)),
                Ok(Node::TableRows(t)) => book.rows_add(t, body).map(|v| json_response(201, v)),
                Ok(_) => Err(GraphError::internal("rows path")),
                Err(e) => Err(e),
            }
        }
        "tableColumnCollection.count" => match book.resolve(parent) {
            Ok(Node::TableColumns(t)) => count(book.columns_json(t)),
            Ok(_) => Err(GraphError::internal("columns path")),
            Err(e) => Err(e),
        },
        _ => return None,
    })
}

/// The operations [`execute_tables`] runs.
const TABLE_OPERATIONS: &[&str] = &[
    "table.convertToRange",
    "table.delete",
    "table.get",
    "table.update",
    "tableCollection.add",
    "tableCollection.list",
    "tableColumn.delete",
    "tableColumn.get",
    "tableColumn.update",
    "tableColumnCollection.add",
    "tableColumnCollection.create",
    "tableColumnCollection.itemAt",
    "tableColumnCollection.list",
    "tableRow.delete",
    "tableRow.get",
    "tableRow.update",
    "tableRowCollection.add",
    "tableRowCollection.itemAt",
    "tableRowCollection.list",
];

/// The table operations (tables, their rows and columns); `None` for any other id.
fn execute_tables(book: &mut Book, id: &str, segs: &[Seg], body: &Value) -> Option<R<Response>> {
    let run = |book: &mut Book| -> R<Response> {
        let all = |book: &Book| book.resolve(segs);
        let parent = &segs[..segs.len().saturating_sub(1)];
        let ok = |v: Value| Ok(json_response(200, v));
        match id {
            "tableCollection.list" => {
                let s = sheet_of(segs, book)?;
                ok(book.tables_json(s))
            }
            "tableCollection.add" => {
                let s = sheet_of(segs, book)?;
                Ok(json_response(201, book.table_add(body, s)?))
            }
            "table.get" | "table.update" | "table.delete" | "table.convertToRange" => {
                let target = if id == "table.convertToRange" {
                    parent
                } else {
                    segs
                };
                let Node::Table(t) = book.resolve(target)? else {
                    return Err(GraphError::internal("table path"));
                };
                match id {
                    "table.get" => ok(book.table_json(t)),
                    "table.update" => ok(book.table_update(t, body)?),
                    "table.delete" => {
                        book.table_delete(t)?;
                        Ok(no_content())
                    }
                    _ => ok(book.table_convert(t)?),
                }
            }
            "tableRowCollection.list" | "tableRowCollection.add" => {
                let target = if id.ends_with("add") { parent } else { segs };
                let Node::TableRows(t) = book.resolve(target)? else {
                    return Err(GraphError::internal("rows path"));
                };
                if id.ends_with("add") {
                    Ok(json_response(201, book.rows_add(t, body)?))
                } else {
                    ok(book.rows_json(t)?)
                }
            }
            "tableRow.get"
            | "tableRow.delete"
            | "tableRow.update"
            | "tableRowCollection.itemAt" => {
                let Node::TableRow(t, i) = all(book)? else {
                    return Err(GraphError::internal("row path"));
                };
                match id {
                    "tableRow.delete" => {
                        book.row_delete(t, i)?;
                        Ok(no_content())
                    }
                    "tableRow.update" => ok(book.table_item_update(t, i, true, body)?),
                    _ => ok(book.row_json(t, i)?),
                }
            }
            "tableColumnCollection.list"
            | "tableColumnCollection.add"
            | "tableColumnCollection.create" => {
                let target = if id.ends_with("add") { parent } else { segs };
                let Node::TableColumns(t) = book.resolve(target)? else {
                    return Err(GraphError::internal("columns path"));
                };
                if id.ends_with("list") {
                    ok(book.columns_json(t)?)
                } else {
                    Ok(json_response(201, book.column_add(t, body)?))
                }
            }
            "tableColumn.get"
            | "tableColumn.delete"
            | "tableColumn.update"
            | "tableColumnCollection.itemAt" => {
                let Node::TableColumn(t, i) = all(book)? else {
                    return Err(GraphError::internal("column path"));
                };
                match id {
                    "tableColumn.delete" => {
                        book.column_delete(t, i)?;
                        Ok(no_content())
                    }
                    "tableColumn.update" => ok(book.table_item_update(t, i, false, body)?),
                    _ => ok(book.column_json(t, i)?),
                }
            }
            _ => Err(GraphError::internal("not a table operation")),
        }
    };
    TABLE_OPERATIONS.contains(&id).then(|| run(book))
}

/// Runs an implemented operation on `book`.
fn execute(book: &mut Book, id: &str, segs: &[Seg], body: &Value) -> R<Response> {
    if let Some(r) = execute_metadata(book, id, segs, body) {
        return r;
    }
    if let Some(r) = execute_tables(book, id, segs, body) {
        return r;
    }
    let all = || book.resolve(segs);
    let parent = &segs[..segs.len().saturating_sub(1)];
    let ok = |v: Value| Ok(json_response(200, v));
    let range_of = |book: &Book, s: &[Seg]| match book.resolve(s)? {
        Node::Range(r) => Ok(r),
        other => Err(GraphError::new(
            501,
            "NotImplemented",
            format!("{other:?} is not a range in the emulator."),
        )),
    };
    match id {
        "application.get" => ok(json!({"calculationMode": "Automatic"})),
        "application.calculate" => {
            book.model.evaluate();
            Ok(no_content())
        }
        "worksheetCollection.list" => ok(book.worksheets_json()?),
        "worksheetCollection.create" => Ok(json_response(201, book.add_worksheet(body)?)),
        "worksheet.get" | "worksheet.update" | "worksheet.delete" => {
            let Node::Worksheet(s) = all()? else {
                return Err(GraphError::internal("worksheet path"));
            };
            match id {
                "worksheet.get" => ok(book.worksheet_json(s)?),
                "worksheet.update" => ok(book.update_worksheet(s, body)?),
                _ => {
                    book.delete_worksheet(s)?;
                    Ok(no_content())
                }
            }
        }
        "worksheetProtection.get"
        | "worksheetProtection.protect"
        | "worksheetProtection.unprotect" => {
            let target = if id.ends_with("get") { segs } else { parent };
            let Node::Protection(s) = book.resolve(target)? else {
                return Err(GraphError::internal("protection path"));
            };
            match id {
                "worksheetProtection.get" => ok(book.protection_json(s)),
                "worksheetProtection.protect" => {
                    book.protect(s, body)?;
                    Ok(no_content())
                }
                _ => {
                    book.unprotect(s);
                    Ok(no_content())
                }
            }
        }
        "rangeFormat.get" | "rangeFormat.update" => {
            let Node::RangeFormat(r) = all()? else {
                return Err(GraphError::internal("format path"));
            };
            if id == "rangeFormat.get" {
                ok(book.format_json(&r)?)
            } else {
                ok(book.format_update(&r, body)?)
            }
        }
        "range.update" => {
            let r = range_of(book, segs)?;
            ok(book.update_range(&r, body)?)
        }
        "range.clear" => {
            let r = range_of(book, parent)?;
            book.clear_range(&r, body)?;
            Ok(no_content())
        }
        "range.insert" | "range.delete" => {
            let r = range_of(book, parent)?;
            match book.shift_range(&r, body, id == "range.insert")? {
                Some(v) => ok(v),
                None => Ok(no_content()),
            }
        }
        "namedItemCollection.list" | "namedItemCollection.listByWorksheetListNames" => {
            ok(book.names_json())
        }
        "namedItemCollection.add" => ok(book.name_add(body, "reference")?),
        "namedItemCollection.addFormulaLocal" => ok(book.name_add(body, "formula")?),
        "namedItem.get" | "namedItem.update" => match segs.last() {
            Some(Seg::Key(k)) if id == "namedItem.get" => ok(book.name_get(k)?),
            Some(Seg::Key(k)) => ok(book.name_update(k, body)?),
            _ => Err(GraphError::internal("name path")),
        },
        // Every other implemented operation reads a range the path resolves to.
        _ => {
            let r = range_of(book, segs)?;
            ok(book.range_json(&r)?)
        }
    }
}
