//! Conformance against the docs' own examples (the external truth).
//!
//! For every example request of the en-2021 and zh-CN-2023 snapshots (v1.0 and beta), the
//! documented template its URL matches (drive-item prefix ignored, placeholders match any
//! segment or literal, function arguments by name) names an operation; the *generated typed
//! call* of that operation is made with the example's values (keys, arguments, body) through
//! the dispatcher this crate renders (`graph_workbook_conformance`), sent to a recording server on 127.0.0.1,
//! and what the server received is compared with the example: method, decoded path, query,
//! `workbook-session-id` / `Prefer` headers and the JSON body (semantic equality). Every
//! example response with a JSON body is decoded into the operation's return type.
//!
//! Examples that are wrong in the docs are listed in `tests/conformance/docs-defects.txt`
//! (`<snapshot> <page>:<line> <request|response> <reason>`) and counted apart; a listed
//! example that passes, or an unlisted one that fails, fails the test.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use graph_workbook::node::NodeType;
use graph_workbook::{Client, DriveItem};
use graph_workbook_codegen::extract::paths::HeaderLine;
use graph_workbook_codegen::extract::{examples, Example, ExampleKind};
use serde_json::Value;
use support::{odata::percent_decode, Reply, TestServer};

const SNAPSHOTS: &[&str] = &["en-2021", "zh-CN-2023"];
const ITEM: &str = "ITEM";
/// The Excel functions are one generated method each on `FunctionsNode`, not spec operations.
const FUNCTIONS_OP: &str = "workbookFunctions.call";
const FUNCTIONS_TEMPLATE: &str = "/workbook/functions/{name}";

fn corpus() -> Option<PathBuf> {
    let docs = match std::env::var_os("GRAPH_DOCS_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-docs"),
    };
    if SNAPSHOTS.iter().all(|s| docs.join(s).is_dir()) {
        return Some(docs);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("docs corpus missing under CI=true: {}", docs.display());
    }
    eprintln!(
        "skipping conformance: corpus not found at {}; set GRAPH_DOCS_DIR",
        docs.display()
    );
    None
}

/// One path segment of an example or recorded URL, percent-decoded.
#[derive(Debug, Clone)]
struct UrlSeg {
    name: String,
    /// `None`: no parentheses. Named arguments keep their literal text (`'A1:B2'`, `5`).
    args: Option<Vec<(Option<String>, String)>>,
}

/// Split at `,` outside single-quoted literals.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

fn parse_seg(raw: &str) -> Result<UrlSeg, String> {
    let s = percent_decode(raw)?;
    let Some(open) = s.find('(') else {
        return Ok(UrlSeg {
            name: s,
            args: None,
        });
    };
    let inner = s[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| format!("unclosed `(` in segment `{s}`"))?;
    let args = split_args(inner)
        .into_iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.contains('\'') => (Some(k.trim().to_owned()), v.trim().to_owned()),
            _ => (None, a),
        })
        .collect();
    Ok(UrlSeg {
        name: s[..open].to_owned(),
        args: Some(args),
    })
}

/// The workbook-relative segments (from `workbook` on) of a raw path.
fn workbook_segs(raw_path: &str) -> Result<Vec<UrlSeg>, String> {
    let parts: Vec<&str> = raw_path.split('/').collect();
    let start = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("workbook"))
        .ok_or("no /workbook segment")?;
    parts[start..]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| parse_seg(p))
        .collect()
}

/// An OData literal as a value: `'it''s'` -> `it's`; other literals as written.
fn unquote(lit: &str) -> String {
    match lit.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
        Some(inner) => inner.replace("''", "'"),
        None => lit.to_owned(),
    }
}

use graph_workbook_codegen::spec::TemplateSegment as TSeg;

fn parse_template(t: &str) -> Vec<TSeg> {
    TSeg::parse(t)
}

/// Placeholder values of a URL matched against a template: placeholder -> (literal as
/// written, value for the typed call). `None` when the shapes differ.
type Bound = BTreeMap<String, (String, String)>;

fn bind(template: &str, segs: &[UrlSeg]) -> Option<Bound> {
    let t = parse_template(template);
    let mut out = Bound::new();
    let mut i = 0;
    let mut pending_key: Option<String> = None;
    for (ti, ts) in t.iter().enumerate() {
        match ts {
            TSeg::Key(ph) => {
                let v = match pending_key.take() {
                    Some(k) => k,
                    None => {
                        let s = segs.get(i)?;
                        if s.args.is_some() {
                            return None;
                        }
                        i += 1;
                        s.name.clone()
                    }
                };
                out.insert(ph.clone(), (v.clone(), unquote(&v)));
            }
            TSeg::Name(name, targs) => {
                let s = segs.get(i)?;
                i += 1;
                if !s.name.eq_ignore_ascii_case(name) {
                    return None;
                }
                let next_is_key = matches!(t.get(ti + 1), Some(TSeg::Key(_)));
                match (&s.args, targs.is_empty()) {
                    (None, true) => {}
                    (Some(a), true) if next_is_key && a.len() == 1 => {
                        // `worksheets('x')`: a key in parentheses.
                        pending_key = Some(unquote(&a[0].1));
                    }
                    (Some(a), false) => {
                        if a.len() != targs.len() {
                            return None;
                        }
                        for (k, ph) in targs {
                            let (_, lit) = a.iter().find(|(n, _)| {
                                n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(k))
                            })?;
                            out.insert(ph.clone(), (lit.clone(), unquote(lit)));
                        }
                    }
                    _ => return None,
                }
            }
        }
    }
    (i == segs.len() && pending_key.is_none()).then_some(out)
}

/// JSON equality with numbers compared by value (`2` == `2.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        // A member set to `null` is the same as a member left out.
        (Value::Object(x), Value::Object(y)) => {
            let get = |m: &serde_json::Map<String, Value>, k: &str| {
                m.get(k).cloned().unwrap_or(Value::Null)
            };
            x.keys()
                .chain(y.keys())
                .all(|k| json_eq(&get(x, k), &get(y, k)))
        }
        _ => a == b,
    }
}

fn header<'a>(headers: &'a [HeaderLine], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn split_url(url: &str) -> Option<(String, String, Option<String>)> {
    let rest = url.split_once("://")?.1;
    let path = &rest[rest.find('/')?..];
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (path, None),
    };
    let mut parts = path.splitn(3, '/');
    parts.next();
    let version = parts.next()?.to_owned();
    Some((version, format!("/{}", parts.next().unwrap_or("")), query))
}

fn query_pairs(q: &Option<String>) -> Result<Vec<(String, String)>, String> {
    let Some(q) = q else { return Ok(Vec::new()) };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((
                percent_decode(&k.replace('+', " "))?,
                percent_decode(&v.replace('+', " "))?,
            ))
        })
        .collect()
}

/// The version-specific dispatcher.
struct Api {
    version: &'static str,
    templates: Vec<(&'static str, &'static str, &'static str)>,
}

impl Api {
    fn call(
        &self,
        client: &Client,
        session: Option<&str>,
        op: &str,
        template: &str,
        args: &BTreeMap<String, String>,
        body: Option<Value>,
    ) -> Result<graph_workbook::call::Call<Value>, String> {
        let item = DriveItem::me_item(ITEM);
        // The same steps on each version's own (distinct) node types.
        macro_rules! dispatch {
            ($version:ident) => {{
                let mut book = graph_workbook::$version::WorkbookNode::new(client, &item);
                if let Some(s) = session {
                    book = book.with_header("workbook-session-id", s);
                }
                if op == FUNCTIONS_OP {
                    let name = args.get("name").map_or("", String::as_str);
                    return graph_workbook_conformance::functions::__conformance::call(
                        &book.functions(),
                        name,
                        body,
                    );
                }
                graph_workbook_conformance::$version::__conformance::call(
                    &book, op, template, args, body,
                )
            }};
        }
        match self.version {
            "beta" => dispatch!(beta),
            _ => dispatch!(v1),
        }
    }

    fn decode(&self, op: &str, status: u16, body: &[u8]) -> Option<Result<(), String>> {
        if op == FUNCTIONS_OP {
            return Some(
                graph_workbook::call::decode::<graph_workbook::node::FunctionResult>(
                    graph_workbook::node::Shape::Json,
                    status,
                    body,
                )
                .map(|_| ())
                .map_err(|e| e.to_string()),
            );
        }
        match self.version {
            "beta" => graph_workbook_conformance::beta::__conformance::decode(op, status, body),
            _ => graph_workbook_conformance::v1::__conformance::decode(op, status, body),
        }
    }
}

#[derive(Default)]
struct Tally {
    requests: (usize, usize),
    responses: (usize, usize),
    defects: usize,
    bugs: usize,
}

struct Run<'a> {
    client: Client,
    server: &'a TestServer,
    defects: &'a BTreeMap<String, String>,
    bugs: &'a BTreeMap<String, String>,
    used: BTreeSet<String>,
    failures: Vec<String>,
}

impl Run<'_> {
    /// Records the outcome of one example; returns whether it counts as OK.
    fn outcome(&mut self, key: String, result: Result<(), String>, tally: &mut Tally) -> bool {
        match (result, self.defects.contains_key(&key)) {
            (Ok(()), false) => true,
            (Ok(()), true) => {
                self.used.insert(key.clone());
                self.failures.push(format!(
                    "{key}: listed in tests/conformance/ but passes; remove the line"
                ));
                false
            }
            (Err(e), true) => {
                // CONFORMANCE_VERBOSE=1 shows why each listed example fails.
                if std::env::var_os("CONFORMANCE_VERBOSE").is_some() {
                    println!("LISTED {key}: {e}");
                }
                if self.bugs.contains_key(&key) {
                    tally.bugs += 1;
                } else {
                    tally.defects += 1;
                }
                self.used.insert(key);
                false
            }
            (Err(e), false) => {
                self.failures.push(format!("{key}: {e}"));
                false
            }
        }
    }

    async fn request(
        &self,
        api: &Api,
        page_ops: &[String],
        ex: &Example,
    ) -> Result<String, (Option<String>, String)> {
        let url = ex.url.as_deref().unwrap_or_default();
        let method = ex.method.map_or("", |m| m.as_str());
        let (version, path, query) =
            split_url(url).ok_or_else(|| (None, format!("cannot parse URL `{url}`")))?;
        let segs = workbook_segs(&path).map_err(|e| (None, format!("URL `{url}`: {e}")))?;
        let mut found: Vec<(&str, &str, Bound)> = api
            .templates
            .iter()
            .filter(|(_, m, _)| *m == method)
            .filter_map(|(op, _, t)| bind(t, &segs).map(|b| (*op, *t, b)))
            .collect();
        // The page's own operation first.
        found.sort_by_key(|(op, _, _)| !page_ops.iter().any(|p| p == op));
        if version != api.version {
            // The example's response is still the output of the operation its URL names.
            return Err((
                found.first().map(|(op, _, _)| (*op).to_owned()),
                format!("URL version `{version}` on a {} page", api.version),
            ));
        }
        let Some((op, template, bound)) = found.into_iter().next() else {
            return Err((None, format!("`{method} {url}` matches no documented path")));
        };
        let fail = |m: String| (Some(op.to_owned()), format!("{op} `{template}`: {m}"));
        let body = match &ex.body {
            None => None,
            // `{}` is no body.
            Some(Ok(Value::Object(m))) if m.is_empty() => None,
            Some(Ok(v)) => Some(v.clone()),
            Some(Err(e)) => return Err(fail(format!("request body is not JSON: {e}"))),
        };
        let args: BTreeMap<String, String> = bound
            .iter()
            .map(|(k, (_, v))| (k.clone(), v.clone()))
            .collect();
        let session = header(&ex.headers, "workbook-session-id");
        let mut call = api
            .call(&self.client, session, op, template, &args, body.clone())
            .map_err(|e| fail(format!("typed call: {e}")))?;
        if let Some(p) = header(&ex.headers, "Prefer") {
            call = call.header("Prefer", p);
        }
        let want_query = query_pairs(&query).map_err(fail)?;
        for (k, v) in &want_query {
            call = call.query(k, v);
        }
        let before = self.server.requests().len();
        let _ = call.send().await;
        let got = self
            .server
            .requests()
            .get(before)
            .cloned()
            .ok_or_else(|| fail("the call sent nothing".into()))?;
        let mut diffs = Vec::new();
        if got.method != method {
            diffs.push(format!("method: want {method}, got {}", got.method));
        }
        let prefix = format!("/{}/me/drive/items/{ITEM}/", api.version);
        match got.path.strip_prefix(&prefix) {
            None => diffs.push(format!("path `{}` lacks the item prefix", got.path)),
            Some(rest) => match workbook_segs(&format!("/{rest}")) {
                Err(e) => diffs.push(format!("sent path `{}`: {e}", got.path)),
                Ok(gsegs) => match bind(template, &gsegs) {
                    None => diffs.push(format!(
                        "sent path `{}` does not match the template",
                        got.path
                    )),
                    Some(gb) => {
                        for (ph, (lit, _)) in &bound {
                            let g = gb.get(ph).map(|(l, _)| l.as_str()).unwrap_or("<none>");
                            if g != lit {
                                diffs.push(format!("path `{{{ph}}}`: want `{lit}`, got `{g}`"));
                            }
                        }
                    }
                },
            },
        }
        let got_query = got.query_pairs();
        if got_query != want_query {
            diffs.push(format!("query: want {want_query:?}, got {got_query:?}"));
        }
        for h in ["workbook-session-id", "Prefer"] {
            let want = header(&ex.headers, h);
            let g = got.header(h);
            if want != g {
                diffs.push(format!("header {h}: want {want:?}, got {g:?}"));
            }
        }
        let got_body: Option<Value> = if got.body.is_empty() {
            None
        } else {
            Some(
                serde_json::from_slice(&got.body)
                    .map_err(|e| fail(format!("sent body is not JSON: {e}")))?,
            )
        };
        let empty = Value::Object(Default::default());
        let same = match (&body, &got_body) {
            (None, None) => true,
            (Some(a), Some(b)) => json_eq(a, b),
            (None, Some(b)) | (Some(b), None) => json_eq(b, &empty),
        };
        if !same {
            diffs.push(format!(
                "body: want {}, got {}",
                body.as_ref().map_or("none".into(), Value::to_string),
                got_body.as_ref().map_or("none".into(), Value::to_string)
            ));
        }
        if diffs.is_empty() {
            Ok(op.to_owned())
        } else {
            Err(fail(diffs.join("; ")))
        }
    }
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pages(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn load_list(name: &str) -> BTreeMap<String, String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(name);
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(s), Some(at), Some(kind @ ("request" | "response")), Some(reason))
                if !reason.trim().is_empty() =>
            {
                out.insert(format!("{s} {at} {kind}"), reason.trim().to_owned());
            }
            _ => panic!(
                "{}:{}: expected `<snapshot> <page>:<line> <request|response> <reason>`",
                file.display(),
                n + 1
            ),
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_examples_conform() {
    let Some(docs) = corpus() else { return };
    let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (spec, _) = graph_workbook_codegen::spec::Spec::load(&spec_dir);
    let server = TestServer::start(|_| Reply::empty(204)).await;
    let defects = load_list("docs-defects.txt");
    // Failures caused by our own generator/runtime/harness, each naming the bug: counted apart
    // and printed, never mixed with the docs' defects. Fix the bug, then delete the line.
    let bugs = load_list("known-bugs.txt");
    for k in defects.keys() {
        assert!(
            !bugs.contains_key(k),
            "{k} is in both docs-defects.txt and known-bugs.txt"
        );
    }
    let mut listed = defects.clone();
    listed.extend(bugs.clone());
    let mut run = Run {
        client: Client::builder()
            .bearer("conformance")
            .base_url(server.url())
            .build()
            .expect("client"),
        server: &server,
        defects: &listed,
        bugs: &bugs,
        used: BTreeSet::new(),
        failures: Vec::new(),
    };
    let mut lines = Vec::new();
    for snapshot in SNAPSHOTS {
        for (version, module_version) in [("v1.0", "v1.0"), ("beta", "beta")] {
            run.client = Client::builder()
                .bearer("conformance")
                .base_url(format!("{}/{version}", server.url()))
                .build()
                .expect("client");
            let mut templates = match version {
                "beta" => graph_workbook_conformance::beta::__conformance::templates(),
                _ => graph_workbook_conformance::v1::__conformance::templates(),
            };
            templates.push((FUNCTIONS_OP, "POST", FUNCTIONS_TEMPLATE));
            let api = Api {
                version: module_version,
                templates,
            };
            let root = docs.join(snapshot);
            let mut files = Vec::new();
            pages(&root.join("api-reference").join(version), &mut files);
            let mut tally = Tally::default();
            for file in files {
                let rel = file
                    .strip_prefix(&root)
                    .unwrap_or(&file)
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = match std::fs::read_to_string(&file) {
                    Ok(t) => t,
                    Err(e) => {
                        run.failures
                            .push(format!("{snapshot} {rel}: unreadable: {e}"));
                        continue;
                    }
                };
                let page_ops: Vec<String> = spec
                    .versions
                    .get(version)
                    .map(|vs| {
                        vs.operations
                            .values()
                            .filter(|o| o.source.page == rel)
                            .map(|o| o.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                let mut last_op: Option<String> = None;
                for ex in examples(&text) {
                    let at = format!("{snapshot} {rel}:{}", ex.line);
                    match ex.kind {
                        ExampleKind::Request => {
                            if !ex
                                .url
                                .as_deref()
                                .is_some_and(|u| u.to_ascii_lowercase().contains("/workbook"))
                            {
                                continue;
                            }
                            tally.requests.1 += 1;
                            let result = run.request(&api, &page_ops, &ex).await;
                            last_op = match &result {
                                Ok(op) => Some(op.clone()),
                                Err((op, _)) => op.clone(),
                            };
                            let r = result.map(|_| ()).map_err(|(_, e)| e);
                            if run.outcome(format!("{at} request"), r, &mut tally) {
                                tally.requests.0 += 1;
                            }
                        }
                        ExampleKind::Response => {
                            let Some(body) = &ex.body else { continue };
                            // Error examples (4xx/5xx) are not the operation's output.
                            if ex.status.is_some_and(|s| !(200..300).contains(&s)) {
                                continue;
                            }
                            tally.responses.1 += 1;
                            let op = last_op
                                .clone()
                                .or_else(|| (page_ops.len() == 1).then(|| page_ops[0].clone()));
                            let r = match (body, op) {
                                (Err(e), _) => Err(format!("response body is not JSON: {e}")),
                                (Ok(_), None) => {
                                    Err("no operation for this response (its request matched none)"
                                        .into())
                                }
                                (Ok(v), Some(op)) => {
                                    let bytes = v.to_string().into_bytes();
                                    match api.decode(&op, ex.status.unwrap_or(200), &bytes) {
                                        None => Err(format!("{op}: not in the dispatcher")),
                                        Some(r) => r.map_err(|e| format!("{op}: decode: {e}")),
                                    }
                                }
                            };
                            if run.outcome(format!("{at} response"), r, &mut tally) {
                                tally.responses.0 += 1;
                            }
                        }
                    }
                }
            }
            lines.push(format!(
                "conformance {snapshot} {version} requests {}/{} responses {}/{} documented-defects {}",
                tally.requests.0,
                tally.requests.1,
                tally.responses.0,
                tally.responses.1,
                tally.defects
            ));
            lines.push(format!(
                "conformance {snapshot} {version} known-bugs {} (tests/conformance/known-bugs.txt)",
                tally.bugs
            ));
        }
    }
    for key in listed.keys() {
        if !run.used.contains(key) {
            run.failures.push(format!(
                "{key}: listed in tests/conformance/ but no such example"
            ));
        }
    }
    for l in &lines {
        println!("{l}");
    }
    for f in &run.failures {
        println!("FAIL {f}");
    }
    assert!(
        run.failures.is_empty(),
        "{} conformance failure(s), listed above",
        run.failures.len()
    );
}
