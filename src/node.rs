//! Navigation nodes: the runtime behind every generated `*Node` type.
//!
//! A [`Node`] is a client, an already-encoded path and the extra headers every request made
//! from it carries (the slot where a session attaches `workbook-session-id`). Navigating never
//! sends anything; it only appends to the path, escaping user values with [`crate::escape`]:
//! keys as one path segment, function arguments as OData literals. Operations turn a node into
//! a [`Call`], a request-as-data value.
//!
//! Generated code is one line per method into [`Node::nav`], [`Node::key`], [`Node::call`],
//! [`Node::op`] and [`Node::function`]; nothing here is generic over the node type, so
//! the generated surface adds little to compile time.

use bytes::Bytes;

use std::sync::Arc;

use crate::address::{check_range_address, check_sheet_key};
use crate::call::Call;
use crate::client::Client;
use crate::error::Error;
use crate::request::{Method, Request};

/// Implemented by every generated `*Node` type (a place in the workbook: the workbook, a
/// worksheet, a range, a table, ...): what [`Session`](crate::session::Session) needs, and
/// [`NodeType::with_header`].
pub trait NodeType: Sized {
    /// Wraps a runtime node (generated code).
    #[doc(hidden)]
    fn from_node(node: Node) -> Self;
    /// The runtime node (generated and runtime code).
    #[doc(hidden)]
    fn node(&self) -> &Node;
    /// The same node with one more header on every request made from it (and from every node
    /// reached from it), e.g. `workbook-session-id`.
    fn with_header(&self, name: &str, value: &str) -> Self {
        Self::from_node(self.node().with_header(name, value))
    }
}

/// An address in the workbook API plus the client that will send to it: the value inside
/// every generated node type. Plumbing for generated code, not a stable API.
#[doc(hidden)]
#[derive(Clone)]
pub struct Node {
    client: Client,
    /// The path then the skeleton, in one buffer (one allocation per navigation step):
    /// `buf[..split]` is the path, percent-encoded, relative to the client's base URL,
    /// starting with `/`; `buf[split..]` its structural form (keys as `{}`, calls with
    /// arguments as `name(a,b)`), matched against the operation's documented templates for
    /// [`Request::template`].
    buf: String,
    split: usize,
    headers: Vec<(String, String)>,
    /// The first invalid value given while navigating here (a bad range address or sheet
    /// name): every call made from this node fails with [`Error::InvalidInput`] before sending.
    invalid: Option<Arc<str>>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client is left out: it holds the token provider.
        f.debug_struct("Node")
            .field("path", &self.path())
            .field("headers", &self.headers)
            .field("invalid", &self.invalid)
            .finish()
    }
}

/// A value placed into a path: a key (`/worksheets/{key}`) or a function argument
/// (`range(address='...')`). [`Arg::Absent`] arguments are left out. Plumbing for generated
/// code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A string: a quoted OData literal, or one percent-encoded key segment.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// An optional argument left out.
    Absent,
    /// A string that must be an Excel range address (or a defined name): checked by
    /// [`check_range_address`] while navigating, then sent like [`Arg::Str`].
    Address(&'a str),
    /// A worksheet key: a sheet name Excel allows or a worksheet id (`{GUID}`), checked by
    /// [`check_sheet_key`], then sent like [`Arg::Str`].
    SheetKey(&'a str),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Str(v)
    }
}
impl From<i32> for Arg<'_> {
    fn from(v: i32) -> Self {
        Arg::Int(v.into())
    }
}
impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<f64> for Arg<'_> {
    fn from(v: f64) -> Self {
        Arg::Num(v)
    }
}
impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl<'a, T: Into<Arg<'a>>> From<Option<T>> for Arg<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Arg::Absent, Into::into)
    }
}

impl<'a> Arg<'a> {
    /// The same string, to be checked as a range address (generated code marks the
    /// `address`-like parameters this way).
    pub fn address(self) -> Arg<'a> {
        match self {
            Arg::Str(s) => Arg::Address(s),
            other => other,
        }
    }
    /// The same string, to be checked as a worksheet key (name or id).
    pub fn sheet_key(self) -> Arg<'a> {
        match self {
            Arg::Str(s) => Arg::SheetKey(s),
            other => other,
        }
    }
    /// Why the value cannot be sent, for the values that carry a check.
    fn problem(&self) -> Option<String> {
        let result = match self {
            Arg::Address(s) => check_range_address(s),
            Arg::SheetKey(s) => check_sheet_key(s),
            _ => return None,
        };
        result.err().map(|e| match e {
            Error::InvalidInput(m) => m,
            other => other.to_string(),
        })
    }
    /// Appends the value as a path segment (keys).
    fn push_segment(&self, out: &mut String) {
        match self {
            Arg::Str(s) | Arg::Address(s) | Arg::SheetKey(s) => {
                crate::escape::push_path_segment(out, s)
            }
            other => other.push_literal(out),
        }
    }
    /// Appends the value as an OData literal (function arguments): strings quoted, the rest
    /// plain.
    fn push_literal(&self, out: &mut String) {
        use std::fmt::Write;
        // Writing into a String cannot fail.
        let _ = match self {
            Arg::Str(s) | Arg::Address(s) | Arg::SheetKey(s) => {
                crate::escape::push_odata_string(out, s);
                Ok(())
            }
            Arg::Int(i) => write!(out, "{i}"),
            Arg::Num(n) => write!(out, "{n}"),
            Arg::Bool(b) => write!(out, "{b}"),
            Arg::Absent => Ok(()),
        };
    }
    /// A rough upper bound of the encoded length, to size buffers once.
    fn size_hint(&self) -> usize {
        match self {
            Arg::Str(s) | Arg::Address(s) | Arg::SheetKey(s) => s.len() + 8,
            _ => 24,
        }
    }
}

/// How a success response becomes the call's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// No content expected; any body is ignored. Output `()`.
    Empty,
    /// The body is the value.
    Json,
    /// The value is the body's `value` field (collections, primitive results).
    Value,
}

impl Client {
    /// The workbook of a drive item, in the v1.0 API (any drive item form Graph accepts: see
    /// [`DriveItem`](crate::drive::DriveItem)). Sends nothing.
    ///
    /// ```no_run
    /// # async fn f() -> graph_workbook::Result<()> {
    /// use graph_workbook::{Client, DriveItem};
    /// let client = Client::new("token")?;
    /// let book = client.workbook(&DriveItem::me_item("01AB"));
    /// let range = book.worksheet("Q1 '24").range("A1:B2").get().await?;
    /// # Ok(()) }
    /// ```
    pub fn workbook(&self, item: &crate::drive::DriveItem) -> crate::v1::Workbook {
        crate::v1::WorkbookNode::new(self, item)
    }
}

/// Decodes a generated enum from its wire string (any string: unknown values become the
/// enum's `Other`). Plumbing for generated code.
#[doc(hidden)]
pub fn wire_enum<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
    Ok(T::from(s.as_ref()))
}

/// The static description of one documented operation (generated, one per operation).
/// Plumbing for generated code.
#[doc(hidden)]
#[derive(Debug)]
pub struct Op {
    /// spec/ operation id, e.g. `range.insert`.
    pub id: &'static str,
    /// GET, POST, PATCH, DELETE or PUT.
    pub method: Method,
    /// (skeleton, documented template) for every documented path.
    pub templates: &'static [(&'static str, &'static str)],
    /// How the success body decodes.
    pub shape: Shape,
    /// Required headers with a fixed documented value.
    pub headers: &'static [(&'static str, &'static str)],
}

/// Serialize a generated request body straight to JSON bytes (no intermediate
/// `serde_json::Value`). These are plain data structs: serializing them cannot fail
/// (non-finite floats become `null`, as `serde_json` does everywhere). Plumbing for generated
/// code.
#[doc(hidden)]
pub fn to_body<B: serde::Serialize + ?Sized>(body: &B) -> Bytes {
    serde_json::to_vec(body).map_or_else(|_| Bytes::from_static(b"null"), Bytes::from)
}

impl Node {
    /// The `/workbook` node of a drive item.
    pub fn root(client: &Client, item: &crate::drive::DriveItem) -> Node {
        let mut path = item.path_prefix();
        path.push_str("/workbook");
        Node::at(client.clone(), path, "/workbook".into())
    }

    /// A node at an already-encoded path (for runtime code such as sessions and tests).
    pub fn at(client: Client, path: String, skeleton: String) -> Node {
        let split = path.len();
        let mut buf = path;
        buf.push_str(&skeleton);
        Node {
            client,
            buf,
            split,
            headers: Vec::new(),
            invalid: None,
        }
    }

    /// The client requests from this node go through.
    pub fn client(&self) -> &Client {
        &self.client
    }
    /// The encoded path, relative to the client's base URL.
    pub fn path(&self) -> &str {
        &self.buf[..self.split]
    }

    fn skeleton(&self) -> &str {
        &self.buf[self.split..]
    }

    /// The path, reusing the buffer.
    fn into_path(self) -> String {
        let mut buf = self.buf;
        buf.truncate(self.split);
        buf
    }
    /// The headers every request from this node carries.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
    /// Why calls from this node are refused before sending (an invalid range address or
    /// sheet name given while navigating here), if they are.
    pub fn invalid(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// See [`NodeType::with_header`]. A header of the same name (case-insensitive) is replaced.
    pub fn with_header(&self, name: &str, value: &str) -> Node {
        let mut n = self.clone();
        n.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        n.headers.push((name.to_owned(), value.to_owned()));
        n
    }

    /// A child node: `/`-separated pieces appended to the path by `path` and to the skeleton
    /// by `skeleton`, with the buffer sized once (navigation runs on every call).
    fn child(
        &self,
        extra: usize,
        path: impl FnOnce(&mut String),
        skeleton: impl FnOnce(&mut String),
    ) -> Node {
        self.child_checked(extra, None, path, skeleton)
    }

    /// [`Node::child`] that also records `problem` (the first one on the way wins).
    fn child_checked(
        &self,
        extra: usize,
        problem: Option<String>,
        fill_path: impl FnOnce(&mut String),
        fill_skeleton: impl FnOnce(&mut String),
    ) -> Node {
        let mut buf = String::with_capacity(self.buf.len() + 2 * (extra + 1));
        buf.push_str(self.path());
        fill_path(&mut buf);
        let split = buf.len();
        buf.push_str(self.skeleton());
        fill_skeleton(&mut buf);
        Node {
            client: self.client.clone(),
            buf,
            split,
            headers: self.headers.clone(),
            invalid: match (&self.invalid, problem) {
                (Some(first), _) => Some(first.clone()),
                (None, p) => p.map(Arc::from),
            },
        }
    }

    /// A navigation segment (a name from spec/, never user data).
    pub fn nav(&self, segment: &'static str) -> Node {
        let push = |buf: &mut String| {
            buf.push('/');
            buf.push_str(segment);
        };
        self.child(segment.len(), push, push)
    }

    /// A key into a collection: `/{key}`, or `/{segment}/{key}` in one step.
    pub fn key(&self, segment: Option<&'static str>, key: Arg<'_>) -> Node {
        let seg_len = segment.map_or(0, |s| s.len() + 1);
        let problem = key.problem();
        let push_segment = move |buf: &mut String| {
            if let Some(s) = segment {
                buf.push('/');
                buf.push_str(s);
            }
        };
        self.child_checked(
            seg_len + key.size_hint() + 1,
            problem,
            |path| {
                push_segment(path);
                path.push('/');
                key.push_segment(path);
            },
            |skeleton| {
                push_segment(skeleton);
                skeleton.push_str("/{}");
            },
        )
    }

    /// A function segment `name(a=..,b=..)`; absent arguments are left out, and with none
    /// present the segment is the bare `name`.
    pub fn call(&self, name: &'static str, args: &[(&'static str, Arg<'_>)]) -> Node {
        let extra = name.len()
            + 2
            + args
                .iter()
                .map(|(k, a)| k.len() + 2 + a.size_hint())
                .sum::<usize>();
        let problem = args.iter().find_map(|(_, a)| a.problem());
        self.child_checked(
            extra,
            problem,
            |path| {
                path.push('/');
                push_call_path(path, name, args);
            },
            |skeleton| {
                skeleton.push('/');
                push_call_skeleton(skeleton, name, args);
            },
        )
    }

    /// Build the request of an operation on this node.
    pub fn request(
        &self,
        op: &'static Op,
        verb: Option<(&'static str, &[(&'static str, Arg<'_>)])>,
        body: Option<Bytes>,
    ) -> Request {
        let template_of = |skeleton: &str| template_of(op.templates, skeleton);
        let (path, template) = match verb {
            Some((name, args)) => {
                let target = self.call(name, args);
                let template = template_of(target.skeleton());
                (target.into_path(), template)
            }
            None => (self.path().to_owned(), template_of(self.skeleton())),
        };
        let mut headers = Vec::with_capacity(self.headers.len() + op.headers.len());
        headers.extend_from_slice(&self.headers);
        for (k, v) in op.headers {
            // An empty value marks a header the caller must supply (checked when sending).
            if !v.is_empty() && !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                headers.push(((*k).to_owned(), (*v).to_owned()));
            }
        }
        Request {
            method: op.method,
            path,
            query: Vec::new(),
            headers,
            body,
            operation: op.id,
            template,
        }
    }

    /// A generated operation: its [`Call`].
    pub fn op<T>(
        &self,
        op: &'static Op,
        verb: Option<(&'static str, &[(&'static str, Arg<'_>)])>,
        body: Option<Bytes>,
    ) -> Call<T> {
        let problem = match verb {
            Some((_, args)) => args.iter().find_map(|(_, a)| a.problem()).map(Arc::from),
            None => None,
        };
        Call::new(self.client.clone(), self.request(op, verb, body), op.shape)
            .checked(self.invalid.clone().or(problem), op.headers)
    }

    /// An Excel function call on `/workbook/functions`: `POST .../{name}` with the present
    /// arguments as a JSON object.
    pub fn function(
        &self,
        name: &'static str,
        args: Vec<(&'static str, FnArg)>,
    ) -> Call<FunctionResult> {
        let body: serde_json::Map<String, serde_json::Value> = args
            .into_iter()
            .filter_map(|(k, v)| v.0.map(|v| (k.to_owned(), v)))
            .collect();
        let body = to_body(&body);
        let Node {
            mut buf,
            split,
            headers,
            ..
        } = self.nav(name);
        buf.truncate(split);
        let request = Request {
            method: Method::Post,
            path: buf,
            query: Vec::new(),
            headers,
            body: Some(body),
            operation: "workbookFunctions.call",
            template: "/workbook/functions/{name}",
        };
        Call::new(self.client.clone(), request, Shape::Json)
    }
}

/// The documented template of `skeleton` among `templates`; for a path no page documents
/// (`usedRange(..)/sort/apply`, a `get` reached through another composable function), the one
/// sharing the longest ending with it, the first on a tie. No allocation: it runs per call.
fn template_of(templates: &[(&'static str, &'static str)], skeleton: &str) -> &'static str {
    if let Some((_, t)) = templates
        .iter()
        .find(|(skel, _)| skel.eq_ignore_ascii_case(skeleton))
    {
        return t;
    }
    let common_end = |skel: &str| {
        skel.bytes()
            .rev()
            .zip(skeleton.bytes().rev())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    let mut best: Option<(usize, &'static str)> = None;
    for (skel, t) in templates {
        let n = common_end(skel);
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, t));
        }
    }
    best.map_or("", |(_, t)| t)
}

/// Appends `name(k1=v1,k2=v2)` to `path`; absent arguments are left out, and with none
/// present the bare `name`.
fn push_call_path(path: &mut String, name: &str, args: &[(&str, Arg<'_>)]) {
    path.push_str(name);
    let mut present = args
        .iter()
        .filter(|(_, a)| !matches!(a, Arg::Absent))
        .peekable();
    if present.peek().is_none() {
        return;
    }
    path.push('(');
    for (i, (k, a)) in present.enumerate() {
        if i > 0 {
            path.push(',');
        }
        path.push_str(k);
        path.push('=');
        a.push_literal(path);
    }
    path.push(')');
}

/// Appends `name(k1,k2)` (the present arguments' names sorted, the form of codegen's
/// `path::call_skeleton`; `tests/path_skeleton.rs` checks the two agree) to `skeleton`; with
/// no argument present the bare `name`.
fn push_call_skeleton(skeleton: &mut String, name: &str, args: &[(&str, Arg<'_>)]) {
    skeleton.push_str(name);
    let present = || args.iter().filter(|(_, a)| !matches!(a, Arg::Absent));
    if present().next().is_none() {
        return;
    }
    // Names in sorted order without a temporary list: the generated argument lists are short
    // (at most a handful), so repeated minimum search is cheaper than allocating.
    skeleton.push('(');
    let mut last: Option<&str> = None;
    let mut first = true;
    loop {
        let next = present()
            .map(|(k, _)| *k)
            .filter(|k| match last {
                Some(l) => *k > l,
                None => true,
            })
            .min();
        let Some(k) = next else { break };
        // Duplicate names (not produced by the generator) keep every occurrence.
        for _ in present().filter(|(n, _)| *n == k) {
            if !first {
                skeleton.push(',');
            }
            skeleton.push_str(k);
            first = false;
        }
        last = Some(k);
    }
    skeleton.push(')');
}

/// An argument of an Excel function: a number, string, boolean, a cell value, a range
/// reference ([`FnArg::range`]), an array, or any JSON. [`FnArg::NONE`] leaves an optional
/// argument out.
#[derive(Debug, Clone, PartialEq)]
pub struct FnArg(pub Option<serde_json::Value>);

impl FnArg {
    /// Leave the argument out of the request.
    pub const NONE: FnArg = FnArg(None);

    /// A reference to a range, e.g. `FnArg::range("Sheet1!A1:A10")` (sent as
    /// `{"Address": "Sheet1!A1:A10"}`).
    pub fn range(address: impl std::fmt::Display) -> FnArg {
        FnArg(Some(serde_json::json!({ "Address": address.to_string() })))
    }
}

macro_rules! fn_arg_from {
    ($($t:ty),*) => {$(
        impl From<$t> for FnArg {
            fn from(v: $t) -> Self {
                FnArg(Some(serde_json::Value::from(v)))
            }
        }
    )*};
}
fn_arg_from!(
    f64,
    f32,
    i32,
    i64,
    u32,
    u64,
    bool,
    &str,
    String,
    serde_json::Value
);

impl<T: Into<FnArg>> From<Option<T>> for FnArg {
    fn from(v: Option<T>) -> Self {
        v.map_or(FnArg::NONE, Into::into)
    }
}

impl<T: Into<FnArg>> From<Vec<T>> for FnArg {
    /// An array argument (e.g. a list of numbers); nested `Vec`s give 2-D arrays.
    fn from(v: Vec<T>) -> Self {
        FnArg(Some(serde_json::Value::Array(
            v.into_iter()
                .map(|x| x.into().0.unwrap_or(serde_json::Value::Null))
                .collect(),
        )))
    }
}

impl From<crate::cell::CellValue> for FnArg {
    fn from(v: crate::cell::CellValue) -> Self {
        FnArg(Some(v.to_json()))
    }
}

/// The result of an Excel function call (`workbookFunctionResult`).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct FunctionResult {
    /// The result: a number, string, boolean or array; `None` when the call failed.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// The Excel error (e.g. `#DIV/0!`, `#VALUE!`) when the function did not compute.
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(name: &str, args: &[(&str, Arg<'_>)]) -> (String, String) {
        let (mut path, mut skeleton) = (String::new(), String::new());
        push_call_path(&mut path, name, args);
        push_call_skeleton(&mut skeleton, name, args);
        (path, skeleton)
    }

    #[test]
    fn call_segment_keeps_argument_order_and_sorts_the_skeleton() {
        assert_eq!(
            seg("cell", &[("row", Arg::Int(2)), ("column", Arg::Int(-3))]),
            ("cell(row=2,column=-3)".into(), "cell(column,row)".into())
        );
        assert_eq!(
            seg(
                "f",
                &[
                    ("c", Arg::Str("it's")),
                    ("a", Arg::Absent),
                    ("b", Arg::Bool(true)),
                    ("aa", Arg::Num(1.5)),
                ]
            ),
            ("f(c='it''s',b=true,aa=1.5)".into(), "f(aa,b,c)".into())
        );
        // No argument present: the bare name, as codegen's skeletons write it.
        assert_eq!(
            seg("usedRange", &[("valuesOnly", Arg::Absent)]),
            ("usedRange".into(), "usedRange".into())
        );
        assert_eq!(
            seg("usedRange", &[]),
            ("usedRange".into(), "usedRange".into())
        );
        // Duplicate names are not produced by the generator, but none is lost.
        assert_eq!(
            seg("g", &[("x", Arg::Int(1)), ("x", Arg::Int(2))]).1,
            "g(x,x)"
        );
    }

    #[test]
    fn template_is_the_documented_one_else_the_longest_common_ending() {
        let templates: &[(&str, &str)] = &[
            ("/workbook/names/{}/range", "names"),
            ("/workbook/worksheets/{}/range(address)", "address"),
            (
                "/workbook/worksheets/{}/range/resizedRange(deltaColumns,deltaRows)",
                "resized",
            ),
            ("/workbook/worksheets/{}/usedRange", "used"),
        ];
        assert_eq!(
            template_of(templates, "/workbook/worksheets/{}/usedRange"),
            "used"
        );
        assert_eq!(template_of(templates, "/WORKBOOK/names/{}/range"), "names");
        assert_eq!(
            template_of(
                templates,
                "/workbook/worksheets/{}/range(address)/resizedRange(deltaColumns,deltaRows)"
            ),
            "resized"
        );
        assert_eq!(
            template_of(templates, "/workbook/tables/{}/columns/{}/range(address)"),
            "address"
        );
        // Nothing in common: the first.
        assert_eq!(template_of(templates, "x"), "names");
        assert_eq!(template_of(&[], "/workbook"), "");
    }

    #[test]
    fn navigation_appends_escaped_segments_and_skeletons() {
        let client = Client::new("t").unwrap();
        let root = Node::at(client, "/w".into(), "/workbook".into());
        let n = root
            .key(Some("worksheets"), Arg::Str("Q1 '24/x"))
            .call("range", &[("address", Arg::Str("A1:B2"))])
            .nav("format")
            .key(None, Arg::Int(7));
        assert_eq!(
            n.path(),
            "/w/worksheets/Q1%20%2724%2Fx/range(address='A1:B2')/format/7"
        );
        assert_eq!(
            n.skeleton(),
            "/workbook/worksheets/{}/range(address)/format/{}"
        );
        // The parent is untouched (navigation takes `&self`).
        assert_eq!(root.path(), "/w");
    }
}
