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

use crate::call::Call;
use crate::client::Client;
use crate::request::{Method, Request};

/// The generated node types, for code that wraps nodes generically (sessions, batching).
pub trait NodeType: Sized {
    fn from_node(node: Node) -> Self;
    fn node(&self) -> &Node;
    /// The same node with one more header on every request made from it (and from every node
    /// reached from it), e.g. `workbook-session-id`.
    fn with_header(&self, name: &str, value: &str) -> Self {
        Self::from_node(self.node().with_header(name, value))
    }
}

/// An address in the workbook API plus the client that will send to it.
#[derive(Clone)]
pub struct Node {
    client: Client,
    /// Percent-encoded, relative to the client's base URL, starting with `/`.
    path: String,
    /// Structural form of `path` (keys as `{}`, calls with arguments as `name(a,b)`), matched
    /// against the operation's documented templates for [`Request::template`].
    skeleton: String,
    headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client is left out: it holds the token provider.
        f.debug_struct("Node")
            .field("path", &self.path)
            .field("headers", &self.headers)
            .finish()
    }
}

/// A value placed into a path: a key (`/worksheets/{key}`) or a function argument
/// (`range(address='...')`). [`Arg::Absent`] arguments are left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    Str(&'a str),
    Int(i64),
    Num(f64),
    Bool(bool),
    Absent,
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

impl Arg<'_> {
    /// As a path segment (keys).
    fn segment(&self) -> String {
        match self {
            Arg::Str(s) => crate::escape::path_segment(s),
            other => other.literal(),
        }
    }
    /// As an OData literal (function arguments): strings quoted, the rest plain.
    fn literal(&self) -> String {
        match self {
            Arg::Str(s) => crate::escape::odata_string(s),
            Arg::Int(i) => i.to_string(),
            Arg::Num(n) => n.to_string(),
            Arg::Bool(b) => b.to_string(),
            Arg::Absent => String::new(),
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

/// The static description of one documented operation (generated, one per operation).
#[derive(Debug)]
pub struct Op {
    /// spec/ operation id, e.g. `range.insert`.
    pub id: &'static str,
    pub method: Method,
    /// (skeleton, documented template) for every documented path.
    pub templates: &'static [(&'static str, &'static str)],
    pub shape: Shape,
    /// Required headers with a fixed documented value.
    pub headers: &'static [(&'static str, &'static str)],
}

/// Serialize a generated request body. These are plain data structs: serializing them cannot
/// fail (non-finite floats become `null`, as `serde_json` does everywhere).
pub fn to_body<B: serde::Serialize + ?Sized>(body: &B) -> serde_json::Value {
    serde_json::to_value(body).unwrap_or(serde_json::Value::Null)
}

impl Node {
    /// The `/workbook` node of a drive item.
    pub fn root(client: &Client, item: &crate::drive::DriveItem) -> Node {
        Node::at(
            client.clone(),
            format!("{}/workbook", item.path_prefix()),
            "/workbook".into(),
        )
    }

    /// A node at an already-encoded path (for runtime code such as sessions and tests).
    pub fn at(client: Client, path: String, skeleton: String) -> Node {
        Node {
            client,
            path,
            skeleton,
            headers: Vec::new(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
    /// The encoded path, relative to the client's base URL.
    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// See [`NodeType::with_header`]. A header of the same name (case-insensitive) is replaced.
    pub fn with_header(&self, name: &str, value: &str) -> Node {
        let mut n = self.clone();
        n.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        n.headers.push((name.to_owned(), value.to_owned()));
        n
    }

    fn push(&self, segment: &str, skeleton: &str) -> Node {
        let mut n = self.clone();
        n.path.push('/');
        n.path.push_str(segment);
        n.skeleton.push('/');
        n.skeleton.push_str(skeleton);
        n
    }

    /// A navigation segment (a name from spec/, never user data).
    pub fn nav(&self, segment: &'static str) -> Node {
        self.push(segment, segment)
    }

    /// A key into a collection: `/{key}`, or `/{segment}/{key}` in one step.
    pub fn key(&self, segment: Option<&'static str>, key: Arg<'_>) -> Node {
        let base = match segment {
            Some(s) => self.nav(s),
            None => self.clone(),
        };
        base.push(&key.segment(), "{}")
    }

    /// A function segment `name(a=..,b=..)`; absent arguments are left out, and with none
    /// present the segment is the bare `name`.
    pub fn call(&self, name: &'static str, args: &[(&'static str, Arg<'_>)]) -> Node {
        let (seg, skel) = call_segment(name, args);
        self.push(&seg, &skel)
    }

    /// Build the request of an operation on this node.
    pub fn request(
        &self,
        op: &'static Op,
        verb: Option<(&'static str, &[(&'static str, Arg<'_>)])>,
        body: Option<serde_json::Value>,
    ) -> Request {
        let target = match verb {
            Some((name, args)) => self.call(name, args),
            None => self.clone(),
        };
        let template = op
            .templates
            .iter()
            .find(|(skel, _)| skel.eq_ignore_ascii_case(&target.skeleton))
            .or(op.templates.first())
            .map_or("", |(_, t)| *t);
        let mut headers = target.headers;
        for (k, v) in op.headers {
            if !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)) {
                headers.push(((*k).to_owned(), (*v).to_owned()));
            }
        }
        Request {
            method: op.method,
            path: target.path,
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
        body: Option<serde_json::Value>,
    ) -> Call<T> {
        Call::new(self.client.clone(), self.request(op, verb, body), op.shape)
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
        let target = self.nav(name);
        let request = Request {
            method: Method::Post,
            path: target.path,
            query: Vec::new(),
            headers: target.headers,
            body: Some(serde_json::Value::Object(body)),
            operation: "workbookFunctions.call",
            template: "/workbook/functions/{name}",
        };
        Call::new(self.client.clone(), request, Shape::Json)
    }
}

fn call_segment(name: &str, args: &[(&str, Arg<'_>)]) -> (String, String) {
    let present: Vec<&(&str, Arg<'_>)> = args
        .iter()
        .filter(|(_, a)| !matches!(a, Arg::Absent))
        .collect();
    if present.is_empty() {
        return (name.to_owned(), name.to_owned());
    }
    let seg = present
        .iter()
        .map(|(k, a)| format!("{k}={}", a.literal()))
        .collect::<Vec<_>>()
        .join(",");
    // Same form as codegen's `ir::call_skeleton`: argument names sorted.
    let mut names: Vec<&str> = present.iter().map(|(k, _)| *k).collect();
    names.sort_unstable();
    (
        format!("{name}({seg})"),
        format!("{name}({})", names.join(",")),
    )
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
