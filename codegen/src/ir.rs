//! The intermediate representation between `spec/` ([`crate::spec`]) and Rust tokens
//! ([`crate::emit`]). [`crate::lower`] builds it and does every check; emission cannot fail.
//!
//! Everything is in a deterministic order (sorted by name), so rendering twice gives the same
//! text. Names carry both forms: [`Name::rust`] for the identifier, [`Name::wire`] for the JSON
//! field / URL segment.
//!
//! No type here shares a name with one of [`crate::spec`]: an operation is a
//! [`spec::Operation`](crate::spec::Operation) as documented and an [`OpMethod`] as generated
//! (likewise `PathTemplate`/[`OpPath`], `Param`/[`RustParam`], `TypeDef`/[`ResourceStruct`],
//! `Header`/[`OpHeader`]).

use crate::path::{self, Form, Part};

/// An identifier in both spellings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    /// Rust identifier (snake_case for methods/fields, PascalCase for types), keywords suffixed.
    pub rust: String,
    /// Wire spelling (JSON field, URL segment, operation name).
    pub wire: String,
}

impl Name {
    pub fn new(rust: impl Into<String>, wire: impl Into<String>) -> Self {
        Name {
            rust: rust.into(),
            wire: wire.into(),
        }
    }
}

/// The whole generated API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Api {
    /// One per spec version, sorted by version (`beta`, `v1.0`).
    pub versions: Vec<VersionApi>,
    /// The Excel functions (`POST /workbook/functions/{name}`), sorted by name.
    pub functions: Option<Functions>,
    /// Names changed by a clash rule, reported to the user (`spec/<file>: <op>: message`).
    pub notes: Vec<crate::diagnostics::Diagnostic>,
}

/// Cargo feature gating an item (an API area); `None` = always compiled.
pub type Area = Option<&'static str>;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VersionApi {
    pub version: crate::spec::ApiVersion,
    /// Output file stem, e.g. `v1_0`, `beta`.
    pub module: String,
    /// `graph-rest-1.0` / `graph-rest-beta`.
    pub docs_view: String,
    /// Sorted by Rust name; the workbook root is among them.
    pub nodes: Vec<NodeType>,
    /// Response/resource structs, sorted by Rust name.
    pub types: Vec<ResourceStruct>,
    /// Request-body structs of operations (`RangeInsertParams`), sorted by Rust name.
    pub bodies: Vec<BodyStruct>,
    /// Enumerations of documented string values (`RangeInsertShift`), sorted by Rust name.
    pub enums: Vec<EnumDef>,
    /// Total (operation, path) pairs, for the module docs.
    pub path_count: usize,
    pub operation_count: usize,
}

/// A navigation node type: one per (resource type, collection?) reached by some path.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeType {
    /// Wire type name (`workbookRange`).
    pub wire_type: String,
    pub collection: bool,
    /// `RangeNode`, `ChartCollectionNode`, `WorkbookNode`.
    pub rust: String,
    pub area: Area,
    /// Sorted by method name.
    pub navs: Vec<Nav>,
    /// Sorted by method name.
    pub ops: Vec<OpMethod>,
    /// Path skeletons that reach this node (for docs), sorted.
    pub reached_by: Vec<String>,
}

/// A navigation method: returns another node, sends nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Nav {
    pub method: String,
    /// Target node's Rust type name.
    pub target: String,
    /// The target's area, when it needs its own `cfg`.
    pub area: Area,
    pub kind: NavKind,
    /// The documented operations whose verb is this navigation: GETs of a function the
    /// metadata marks composable (`worksheet.usedRange`), generated as this navigation plus the
    /// target's `get` (their paths are in that `get`'s [`OpPath::via`]). Sorted by id.
    pub composes: Vec<OpMethod>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NavKind {
    /// `/format`
    Segment { wire: String },
    /// `/worksheets/{worksheet}` in one step from the parent (`worksheet(name_or_id)`), or just
    /// `/{key}` on the collection node (`segment` = None).
    Key {
        segment: Option<String>,
        param: RustParam,
    },
    /// `/range(address='A1')`, `/itemAt(index=0)`; arguments not present in every documented
    /// form are optional and omitted when unset.
    Call { wire: String, args: Vec<RustParam> },
}

/// One documented path of an operation: the spec's segments, whose string forms are
/// rendered from them (see `path::Form` in this crate; the spec holds
/// [`crate::spec::PathTemplate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OpPath {
    /// As documented in spec/, from `workbook` on.
    pub segments: Vec<crate::spec::Segment>,
    /// Arguments the request sends in the last (call) segment besides the documented ones: the
    /// GET body parameters of a composable operation, which its navigation sends in the path
    /// (`offsetRange(columnOffset,rowOffset)` for the documented `.../offsetRange`). They are
    /// in the skeleton, not in the template.
    pub sent_args: Vec<crate::spec::WireName>,
    /// The composable operation this path is documented by (`worksheet.usedRange` for a path
    /// of `RangeNode::get`), when it is not the operation's own: see [`Nav::composes`].
    pub via: Option<String>,
}

impl OpPath {
    /// As documented (`/workbook/worksheets/{worksheet}/range(address={address})/insert`).
    pub fn template(&self) -> String {
        path::render(&self.segments, Form::Template)
    }

    /// Structural form (`/workbook/worksheets/{}/range(address)/insert`), what the runtime
    /// builds too (`crate::node` of graph-workbook), [`OpPath::sent_args`] included.
    pub fn skeleton(&self) -> String {
        let mut parts: Vec<Part> = self.segments.iter().map(Part::from).collect();
        if let Some(Part::Call(_, names)) = parts.last_mut() {
            for a in &self.sent_args {
                if !names.contains(&a.as_str()) {
                    names.push(a);
                }
            }
        }
        path::render_parts(parts, Form::Skeleton)
    }

    /// The order an operation lists its paths in: by template, skeleton, then `via`.
    /// Equal paths (same key) are listed once. Each key is rendered once per call.
    pub fn sort(paths: &mut Vec<OpPath>) {
        if paths.len() < 2 {
            return;
        }
        let mut keyed: Vec<_> = paths
            .drain(..)
            .map(|p| ((p.template(), p.skeleton(), p.via.clone()), p))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        paths.extend(keyed.into_iter().map(|(_, p)| p));
    }
}

/// One documented operation as the method generated for it, bound to one node type (spec:
/// [`crate::spec::Operation`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OpMethod {
    /// `range.insert`
    pub id: String,
    pub name: Name,
    /// Why the method name differs from spec `rust_name`, if it does.
    pub renamed: Option<String>,
    pub method: crate::spec::Method,
    pub paths: Vec<OpPath>,
    /// The trailing call segment (`insert`, `image(width=..)`), `None` for plain REST calls.
    pub verb: Option<Verb>,
    pub headers: Vec<OpHeader>,
    pub body: BodyKind,
    pub returns: Returns,
    pub success: Vec<u16>,
    pub permissions: crate::spec::Permissions,
    /// `None` for an operation from Graph's metadata (no docs page).
    pub docs_url: Option<String>,
    pub odata_query: bool,
    pub source: String,
    /// For an operation no docs page documents (spec `origin: metadata`): that it comes from
    /// Graph's metadata, its CSDL kind, binding and parameter types.
    pub metadata_note: Option<String>,
    /// Where the docs page shows another request form than the one sent (spec `documented`):
    /// what it shows and why the metadata's form is sent.
    pub wire_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verb {
    pub wire: String,
    pub args: Vec<RustParam>,
}

/// A request header an operation documents (its method's docs list them).
#[derive(Debug, Clone, PartialEq)]
pub struct OpHeader {
    pub name: String,
    pub required: bool,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    None,
    /// A generated struct (`RangeInsertParams`, `ChartUpdate`).
    Struct {
        rust: String,
    },
    /// A whole resource (`WorkbookChartSeries`).
    Resource {
        ty: Ty,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// No content (`204`, or nothing documented): `Call<()>`.
    Empty,
    /// The JSON body is the value.
    Json(Ty),
    /// The value is in `value` (collections and primitives): `Call<Vec<T>>`.
    Value(Ty),
}

/// A typed value of generated code: path key, call argument, body parameter or struct field
/// (spec: [`crate::spec::Param`], [`crate::spec::Property`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RustParam {
    pub name: Name,
    pub ty: Ty,
    pub required: bool,
    /// Sent as an OData string literal (`'...'`).
    pub quoted: bool,
    /// Allowed values (documented only; the field stays a `String`).
    pub values: Vec<String>,
    pub read_only: bool,
}

/// Rust types the generator emits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// `serde_json::Value`
    Json,
    /// `crate::cell::CellValue` (spec `any`)
    Cell,
    /// `Vec<Vec<crate::cell::CellValue>>`: `values`, `formulas`, `text`, ... of a range.
    CellGrid,
    /// A generated struct by Rust name, or a runtime type path (`crate::node::FunctionResult`).
    Named(String),
    Vec(Box<Ty>),
    /// A struct field that would make its struct infinitely large (`innerError`).
    Boxed(Box<Ty>),
}

/// A response/resource struct generated from a [`crate::spec::TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceStruct {
    pub name: Name,
    pub docs_url: String,
    pub kind: crate::spec::TypeKind,
    pub area: Area,
    pub fields: Vec<RustParam>,
    /// Sent in some request body (directly or inside another type): derives `Serialize` too.
    /// Response-only types derive only `Deserialize` (less code to compile).
    pub serialize: bool,
}

/// A string field's documented values as a Rust enum (plus an `Other(String)` escape
/// variant, added by the emitter).
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Rust enum name and the wire name of the field it types.
    pub name: Name,
    /// One per documented value, sorted by wire value.
    pub variants: Vec<Name>,
    /// The types and bodies (Rust names, without `Workbook`/`Params`/`Update`) that use it.
    pub owners: Vec<String>,
}

/// A request-body struct of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyStruct {
    pub rust: String,
    /// The operation it belongs to (`range.insert`).
    pub op_id: String,
    /// `None` for an operation from Graph's metadata.
    pub docs_url: Option<String>,
    pub area: Area,
    /// PATCH: every field optional.
    pub patch: bool,
    pub fields: Vec<RustParam>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Functions {
    pub source: String,
    pub items: Vec<Function>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: Name,
    pub params: Vec<RustParam>,
}

/// Runtime names a version file imports (`use` at its top), so each of the hundreds of
/// signatures and operation literals that name them is a single token for syn and prettyplease
/// rather than a `crate::...` path. Part of the IR's contract: [`crate::lower`] rejects a spec
/// type of one of these names (the import would clash with it), and [`crate::emit`] writes the
/// `use` of each.
pub(crate) const IMPORTED_NAMES: &[&str] = &[
    "Arg",
    "Call",
    "CellValue",
    "Deserialize",
    "FnArg",
    "FunctionResult",
    "Method",
    "Node",
    "NodeType",
    "Op",
    "Serialize",
    "Shape",
    "to_body",
    "wire_enum",
];
