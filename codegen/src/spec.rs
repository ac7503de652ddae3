//! Serde types of the files in `spec/`: the contract between `graph-workbook-codegen extract` (writer) and
//! `graph_workbook_codegen::generate` / build.rs (reader). Every struct denies unknown fields so a typo in a
//! hand-edited spec file is an error, not a silently ignored fact. See `spec/README.md`.
//!
//! Layout on disk (all JSON, pretty-printed, keys in struct order, lists sorted):
//! - `spec/<version>/operations/<id>.json`  one [`Operation`] per docs API page
//! - `spec/<version>/types/<name>.json`     one [`TypeDef`] per docs resource page
//! - `spec/functions/workbookFunctions.json` the [`FunctionCatalog`] from the CSDL
//!
//! Type references ([`TypeRef`]) are written as strings: a primitive (`string`, `int32`, `int64`, `double`,
//! `boolean`, `Json`, `any` (a cell value: boolean, string or number), `binary`), a workbook type
//! by wire name (`workbookRange`), or `Collection(<inner>)`.

use serde::{Deserialize, Serialize};

/// Where a fact came from: the page path relative to the docs root, and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub page: String,
    pub line: u32,
}

/// One documented operation (one docs API page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Stable id `<node>.<verb>`, e.g. `workbook.closeSession`, `range.insert`, `chart.list`.
    /// `<node>` is the lowerCamel type the operation acts on without the `workbook` prefix
    /// (`workbookChartAxis` -> `chartAxis`; `workbook` stays), with `Collection` appended for
    /// operations bound to a collection (`chartCollection.add`, `chartCollection.itemAt`).
    /// `<verb>` is the operation segment in CSDL spelling, or for plain REST calls `get`, `list`,
    /// `update`, `delete`, `create`.
    pub id: String,
    /// snake_case Rust method name, e.g. `close_session`, `insert`, `list`.
    pub rust_name: String,
    pub version: ApiVersion,
    /// Where the operation comes from: a docs page (the default, not written) or Graph's
    /// metadata (an operation the CSDL defines and no docs page documents).
    #[serde(default, skip_serializing_if = "Origin::is_docs")]
    pub origin: Origin,
    /// The docs page and line; for `origin: metadata`, the CSDL file and the line of the
    /// `<Action>`/`<Function>` element (`graph-metadata/v1.0.csdl`).
    pub source: Source,
    /// `https://learn.microsoft.com/graph/api/<page-stem>?view=graph-rest-1.0` (or `-beta`);
    /// `None` for an operation from the metadata (no page documents it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The node the operation acts on (the type at the end of the path before the verb).
    pub binding: Binding,
    pub method: Method,
    /// Every template the page lists, normalized and de-duplicated (sorted by `template`).
    pub paths: Vec<PathTemplate>,
    /// Request headers, sorted by lower-cased name. Names in canonical English spelling.
    pub headers: Vec<Header>,
    pub body: Body,
    /// Success statuses from the Response section, ascending (e.g. `[201, 202]`).
    pub success: Vec<u16>,
    /// Return type; `None` when the operation returns no content.
    pub returns: Option<TypeRef>,
    /// Whether the page documents OData query parameters (`$select`, `$top`, ...).
    pub odata_query: bool,
    pub permissions: Permissions,
    /// The form the docs page shows, when it differs from the wire form above: Graph's metadata
    /// makes the operation a function (GET, arguments in the path) while the page POSTs a JSON
    /// body. `method`, `paths` and `body` above are then the metadata's form, which the client
    /// sends; this keeps the page's form for the docs and `check`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documented: Option<DocumentedForm>,
}

/// Where an operation's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A docs API page (`source.page`).
    #[default]
    Docs,
    /// Graph's metadata: a CSDL action/function bound to a workbook type that no docs page
    /// documents; method, paths, body and return type follow the CSDL (`source` names the
    /// CSDL line).
    Metadata,
}

impl Origin {
    /// For `skip_serializing_if`: the default is not written.
    pub(crate) fn is_docs(&self) -> bool {
        *self == Origin::Docs
    }
}

/// The request form a docs page shows for an operation whose wire form follows the metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentedForm {
    pub method: Method,
    /// The page's templates (without the path arguments the metadata adds), sorted.
    pub templates: Vec<String>,
    pub body: Body,
    /// `Binding/name` of the CSDL function that decides the wire form, e.g.
    /// `Collection(workbookTableRow)/itemAt`.
    pub csdl_operation: String,
}

/// An HTTP method of the API; in spec/ as `GET`, `POST`, `PATCH`, `DELETE`, `PUT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
    Put,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Delete,
        Method::Put,
    ];

    /// `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Put => "PUT",
        }
    }

    /// From its upper-case wire form (`GET`).
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Compares with the wire form: `method == "GET"`.
impl PartialEq<&str> for Method {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Graph API version; in spec/ (and in URLs and directory names) as `v1.0` or `beta`.
///
/// Ordered by that string form (`beta` < `v1.0`), like the spec directories, and it borrows as
/// `str`, so maps keyed by it are indexed with `"v1.0"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ApiVersion {
    /// The stable API (also what `Default` gives, e.g. in an empty IR).
    #[default]
    #[serde(rename = "v1.0")]
    V1_0,
    #[serde(rename = "beta")]
    Beta,
}

impl ApiVersion {
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V1_0, ApiVersion::Beta];

    /// `v1.0`, `beta`: the URL path component, spec directory and `version` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    /// From its string form; `None` for any other string.
    pub fn parse(s: &str) -> Option<ApiVersion> {
        ApiVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The docs' `view=` query value: `graph-rest-1.0`, `graph-rest-beta`.
    pub(crate) fn docs_view(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "graph-rest-1.0",
            ApiVersion::Beta => "graph-rest-beta",
        }
    }

    /// The generated Rust module: `v1_0`, `beta`.
    pub fn module(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1_0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl PartialOrd for ApiVersion {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the string form, so that [`std::borrow::Borrow<str>`] is consistent.
impl Ord for ApiVersion {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::borrow::Borrow<str> for ApiVersion {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for ApiVersion {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ApiVersion {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of the node an operation acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// Wire type name, e.g. `workbookRange`.
    #[serde(rename = "type")]
    pub type_: String,
    pub collection: bool,
}

impl Binding {
    /// The bound type as a type reference: `workbookChart` or `Collection(workbookChart)`.
    pub fn type_ref(&self) -> TypeRef {
        let t = TypeRef::named(&self.type_);
        if self.collection {
            TypeRef::collection_of(&t)
        } else {
            t
        }
    }
}

/// One workbook-relative path template plus the drive-item prefixes it was documented under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathTemplate {
    /// Normalized, workbook-relative, placeholders named: e.g.
    /// `/workbook/worksheets/{worksheet}/range(address={address})/insert`.
    pub template: String,
    /// Drive-item prefixes exactly as the page listed them, normalized placeholder names:
    /// e.g. `/me/drive/items/{item-id}`, `/me/drive/root:/{item-path}:`; empty when the page
    /// listed only relative `/workbook/...` forms.
    pub prefixes: Vec<String>,
    /// 1-based lines of the request block that gave this template.
    pub lines: Vec<u32>,
    pub segments: Vec<Segment>,
}

/// One path segment after `/workbook` (the first segment is `workbook` itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "kind")]
pub enum Segment {
    /// A navigation property or the `workbook` root: `worksheets`, `range`, `format`.
    Navigation {
        name: WireName,
        /// The type reached, when resolved (CSDL or resource pages), e.g. `Collection(workbookChart)`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<TypeRef>,
    },
    /// A key into the preceding collection: `/worksheets/{worksheet}`.
    Key { param: Param },
    /// A bound function or action, possibly with arguments: `range(address=...)`,
    /// `itemAt(index=...)`, `insert`.
    Call {
        name: WireName,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<Param>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<TypeRef>,
        /// The CSDL marks the function `IsComposable`: its result can be addressed further
        /// (`usedRange/format`, `itemAt(index=0)/range`), so the generator makes it a navigation.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        composable: bool,
    },
}

/// A name that goes on the wire as is (a URL segment, a function argument name, a JSON field):
/// ASCII letters, digits, `_`, `$`, `-` and `.`, at least one.
///
/// Deserializing refuses any other name, so a spec file with one fails to load naming its
/// file, line and field. The extractor writes names it resolved (`From<String>`); reading them
/// back is what checks them. It reads as a `&str` (`Deref`) and compares with strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct WireName(String);

impl WireName {
    /// Whether `s` can be a wire name.
    pub(crate) fn is_valid(s: &str) -> bool {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '-' | '.'))
    }

    /// A checked wire name.
    pub fn parse(s: &str) -> Result<WireName, String> {
        if WireName::is_valid(s) {
            Ok(WireName(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not a wire name (ASCII letters, digits, `_`, `$`, `-`, `.`)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for WireName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Checks the string before it is copied (one allocation, as for a `String`).
impl<'de> Deserialize<'de> for WireName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<WireName, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = WireName;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a wire name")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<WireName, E> {
                WireName::parse(s).map_err(E::custom)
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<WireName, E> {
                if WireName::is_valid(&s) {
                    Ok(WireName(s))
                } else {
                    WireName::parse(&s).map_err(E::custom)
                }
            }
        }
        d.deserialize_string(V)
    }
}

impl From<WireName> for String {
    fn from(n: WireName) -> String {
        n.0
    }
}

/// Unchecked: for names the extractor resolved; loading the spec checks them.
impl From<String> for WireName {
    fn from(s: String) -> WireName {
        WireName(s)
    }
}

impl From<&str> for WireName {
    fn from(s: &str) -> WireName {
        WireName(s.to_owned())
    }
}

impl std::ops::Deref for WireName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for WireName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for WireName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for WireName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for WireName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for WireName {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<WireName> for String {
    fn eq(&self, other: &WireName) -> bool {
        *self == other.0
    }
}

impl PartialEq<WireName> for &str {
    fn eq(&self, other: &WireName) -> bool {
        *self == other.0
    }
}

impl std::fmt::Display for WireName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A named, typed value: path key, function argument, body parameter or PATCH property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Wire name (`address`, `deltaRows`, `persistChanges`); for keys, the distinct name given
    /// from the collection (`worksheet`, `chart`, `series`).
    pub name: WireName,
    #[serde(rename = "type")]
    pub type_: TypeRef,
    pub required: bool,
    /// For path keys/arguments: whether the wire form is an OData string literal (`'...'`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quoted: bool,
    /// Allowed values where the docs list them in backticks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Canonical spelling, e.g. `Authorization`, `Workbook-Session-Id`, `Prefer`.
    pub name: String,
    pub required: bool,
    /// A fixed value the docs give (e.g. `respond-async` for `Prefer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "kind")]
pub enum Body {
    None,
    /// A JSON object of parameters (actions).
    Parameters {
        params: Vec<Param>,
    },
    /// A whole resource object, e.g. `workbookChartSeries`.
    Resource {
        #[serde(rename = "type")]
        type_: TypeRef,
    },
    /// PATCH: the updatable properties of `type` (all optional on the wire).
    Properties {
        #[serde(rename = "type")]
        type_: TypeRef,
        params: Vec<Param>,
    },
}

/// Permission names per permission type, least privileged first; empty = not supported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    pub delegated_work: Vec<String>,
    pub delegated_personal: Vec<String>,
    pub application: Vec<String>,
}

/// A resource type from a docs resource page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Wire name from `@odata.type` without `microsoft.graph.`, e.g. `workbookChartFont`.
    pub name: String,
    /// PascalCase Rust name, e.g. `WorkbookChartFont`.
    pub rust_name: String,
    pub version: ApiVersion,
    pub source: Source,
    pub docs_url: String,
    /// From the CSDL when given, else from the docs' baseType.
    pub kind: TypeKind,
    /// Sorted by name.
    pub properties: Vec<Property>,
    /// Sorted by name.
    pub relationships: Vec<Relationship>,
}

/// Whether a type is a CSDL `EntityType` (has an id, addressable) or a `ComplexType` (a value
/// inside another); in spec/ as `entity` or `complex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Entity,
    Complex,
}

impl TypeKind {
    /// `entity` / `complex`, the spelling in spec/ and in the generated docs.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Entity => "entity",
            TypeKind::Complex => "complex",
        }
    }
}

impl std::fmt::Display for TypeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    pub name: WireName,
    #[serde(rename = "type")]
    pub type_: TypeRef,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    pub name: WireName,
    #[serde(rename = "type")]
    pub type_: TypeRef,
}

/// `spec/functions/workbookFunctions.json`: the Excel functions (`POST /workbook/functions/{name}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionCatalog {
    /// Where the signatures come from, e.g. `graph-metadata/v1.0.csdl (msgraph-metadata schemas/v1.0-Prod.csdl)`.
    pub source: String,
    /// Sorted by name.
    pub functions: Vec<ExcelFunction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcelFunction {
    /// Wire name, e.g. `abs`, `countIf`, `if` (the action's Name in the CSDL).
    pub name: WireName,
    /// snake_case Rust name, keywords suffixed (`if_`).
    pub rust_name: String,
    /// Parameters in CSDL order (binding parameter excluded).
    pub params: Vec<Param>,
    /// `workbookFunctionResult`.
    pub returns: TypeRef,
}

/// A primitive type of spec/ (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    /// Any JSON value (`graph.Json`, `Edm.Untyped`).
    Json,
    /// A cell value: boolean, string or number.
    Any,
    /// Bytes (`Edm.Binary`, `Edm.Stream`).
    Binary,
}

impl Primitive {
    pub const ALL: [Primitive; 8] = [
        Primitive::String,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Double,
        Primitive::Boolean,
        Primitive::Json,
        Primitive::Any,
        Primitive::Binary,
    ];

    /// The spelling in spec/: `string`, `int32`, `Json`, `any`.
    pub fn as_str(self) -> &'static str {
        match self {
            Primitive::String => "string",
            Primitive::Int32 => "int32",
            Primitive::Int64 => "int64",
            Primitive::Double => "double",
            Primitive::Boolean => "boolean",
            Primitive::Json => "Json",
            Primitive::Any => "any",
            Primitive::Binary => "binary",
        }
    }

    /// From its spec/ spelling (case-sensitive); `None` for anything else.
    pub fn parse(s: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A type reference: a primitive, a workbook type by wire name, or a collection of one of
/// those. In spec/ it is its string form (`int32`, `workbookRange`, `Collection(workbookChart)`),
/// which [`TypeRef::parse`] reads and `Display` writes.
///
/// Deserializing refuses anything else (a name with characters a type name cannot have, a
/// collection of a collection, an unbalanced `Collection(`), so a spec file with such a type
/// fails to load naming its file, line and field. In-code constructors ([`TypeRef::named`],
/// `TypeRef::collection_of`) take names the extractor already resolved (CSDL or docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A workbook type by wire name (`workbookRange`, `workbook`).
    Named(String),
    /// `Collection(<inner>)`; the inner type is a primitive or a name when parsed.
    Collection(Box<TypeRef>),
}

impl TypeRef {
    /// A type by its name in spec/: a primitive's spelling (`int32`, `Json`) gives the
    /// primitive, any other name a named type. For names the extractor resolved (CSDL, docs
    /// links); spec files are read with [`TypeRef::parse`], which also checks the characters.
    /// A `Collection(..)` spelling gives the collection (a name never contains `(`).
    pub fn named(name: impl Into<String>) -> Self {
        let name = name.into();
        if let Some(inner) = name
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return TypeRef::collection_of(&TypeRef::named(inner));
        }
        match Primitive::parse(&name) {
            Some(p) => TypeRef::Primitive(p),
            None => TypeRef::Named(name),
        }
    }

    /// `Collection(inner)`.
    pub(crate) fn collection_of(inner: &TypeRef) -> Self {
        TypeRef::Collection(Box::new(inner.clone()))
    }

    /// Parse the string form. Errors say what is wrong with `s`.
    pub fn parse(s: &str) -> Result<TypeRef, String> {
        if let Some(rest) = s.strip_prefix("Collection(") {
            let inner = rest
                .strip_suffix(')')
                .ok_or_else(|| format!("`{s}`: `Collection(` without its closing `)`"))?;
            return match TypeRef::parse(inner).map_err(|e| format!("`{s}`: {e}"))? {
                TypeRef::Collection(_) => Err(format!("`{s}`: a collection of a collection")),
                one => Ok(TypeRef::Collection(Box::new(one))),
            };
        }
        if let Some(p) = Primitive::parse(s) {
            return Ok(TypeRef::Primitive(p));
        }
        if is_type_name(s) {
            Ok(TypeRef::Named(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not a type (a primitive, a type name of letters, digits, `_` and `.`, or `Collection(..)` of one)"
            ))
        }
    }

    /// `Some(inner)` for `Collection(inner)`.
    pub fn element(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::Collection(inner) => Some(inner),
            _ => None,
        }
    }

    /// The element type of a collection, else the type itself.
    pub fn innermost(&self) -> &TypeRef {
        self.element().unwrap_or(self)
    }

    pub fn is_collection(&self) -> bool {
        matches!(self, TypeRef::Collection(_))
    }

    /// The primitive, when the type is one (not a collection of one).
    pub fn primitive(&self) -> Option<Primitive> {
        match self {
            TypeRef::Primitive(p) => Some(*p),
            _ => None,
        }
    }

    /// The type name, when the type is a named type (not a collection of one).
    pub fn name(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }

    /// The innermost type is a primitive.
    pub fn is_primitive(&self) -> bool {
        self.innermost().primitive().is_some()
    }
}

impl std::str::FromStr for TypeRef {
    type Err = String;
    fn from_str(s: &str) -> Result<TypeRef, String> {
        TypeRef::parse(s)
    }
}

impl PartialOrd for TypeRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the string form, as spec/ lists sort.
impl Ord for TypeRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl From<Primitive> for TypeRef {
    fn from(p: Primitive) -> TypeRef {
        TypeRef::Primitive(p)
    }
}

/// A type name in spec/: a letter, then letters, digits, `_` or `.`.
fn is_type_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Primitive(p) => f.write_str(p.as_str()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::Collection(inner) => write!(f, "Collection({inner})"),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parses the borrowed string: a primitive costs no allocation.
impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TypeRef, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TypeRef;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a type (`int32`, `workbookRange`, `Collection(workbookChart)`)")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<TypeRef, E> {
                TypeRef::parse(s).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Everything in a `spec/` directory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// Keyed by version (`beta` first, as the directories sort).
    pub versions: std::collections::BTreeMap<ApiVersion, VersionSpec>,
    pub functions: Option<FunctionCatalog>,
    /// The file each item was read from, for diagnostics about it (`Spec::locate`). Filled by
    /// [`Spec::load`]; empty for a spec built in memory.
    pub sources: std::collections::BTreeMap<SpecItem, SourceFile>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VersionSpec {
    /// Keyed by operation id.
    pub operations: std::collections::BTreeMap<String, Operation>,
    /// Keyed by type name.
    pub types: std::collections::BTreeMap<String, TypeDef>,
}

/// A spec item that has a file of its own: what a diagnostic about a field is reported against.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecItem {
    /// An operation by version and id.
    Operation(ApiVersion, String),
    /// A type by version and wire name.
    Type(ApiVersion, String),
    /// The function catalog.
    Functions,
}

impl SpecItem {
    /// The item's file in a spec directory, as the extractor writes it
    /// (`v1.0/operations/<id>.json`).
    pub fn file_name(&self) -> String {
        match self {
            SpecItem::Operation(v, id) => format!("{v}/operations/{id}.json"),
            SpecItem::Type(v, name) => format!("{v}/types/{name}.json"),
            SpecItem::Functions => "functions/workbookFunctions.json".to_owned(),
        }
    }
}

/// A spec file as it was read: its path as the loader's diagnostics name it
/// (`spec/v1.0/operations/range.get.json`, relative to the spec directory's parent) and its
/// text, in which `line_of` finds the line of a field. The text is shared, not copied, when
/// a spec is cloned, and only scanned when a diagnostic needs a line.
#[derive(Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: std::sync::Arc<str>,
}

/// The path and size only: a spec's `Debug` output would otherwise repeat every file.
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceFile({}, {} bytes)", self.path, self.text.len())
    }
}

/// Serialize one spec value the way every spec file is written: pretty JSON plus a newline.
pub fn to_file_text<T: Serialize>(value: &T) -> String {
    // Serializing these plain data types cannot fail (no maps with non-string keys).
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

impl Spec {
    /// The files of this spec, relative path -> content, in a deterministic order.
    pub fn files(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        for (ver, vs) in &self.versions {
            for (id, op) in &vs.operations {
                let item = SpecItem::Operation(*ver, id.clone());
                out.insert(item.file_name(), to_file_text(op));
            }
            for (name, t) in &vs.types {
                let item = SpecItem::Type(*ver, name.clone());
                out.insert(item.file_name(), to_file_text(t));
            }
        }
        if let Some(f) = &self.functions {
            out.insert(SpecItem::Functions.file_name(), to_file_text(f));
        }
        out
    }

    /// The file and 1-based line of the field at `pointer` (`/paths/0/template`) of `item`:
    /// in the file it was loaded from, whatever its layout; for an item built in memory, in
    /// its canonical rendering under `spec/` ([`to_file_text`]). Line 0 when the field is not
    /// there (a skipped default, an item that is not in the spec).
    pub(crate) fn locate(&self, item: &SpecItem, pointer: &str) -> (String, u32) {
        if let Some(f) = self.sources.get(item) {
            return (f.path.clone(), line_of(&f.text, pointer));
        }
        let text = match item {
            SpecItem::Operation(v, id) => self
                .versions
                .get(v)
                .and_then(|vs| vs.operations.get(id))
                .map(to_file_text),
            SpecItem::Type(v, name) => self
                .versions
                .get(v)
                .and_then(|vs| vs.types.get(name))
                .map(to_file_text),
            SpecItem::Functions => self.functions.as_ref().map(to_file_text),
        };
        let line = text.map_or(0, |t| line_of(&t, pointer));
        (format!("spec/{}", item.file_name()), line)
    }

    /// Load a `spec/` directory. Every malformed file is reported (`spec/<file>:<line>:
    /// message`, the file named relative to the directory's parent); the files that parse are
    /// still returned, each with its [`SourceFile`] in [`Spec::sources`].
    pub fn load(dir: &std::path::Path) -> (Spec, Vec<crate::diagnostics::Diagnostic>) {
        Self::load_only(dir, &|_| true)
    }

    /// [`Spec::load`] of the top-level directories (`v1.0`, `beta`, `functions`) for which
    /// `wanted` is true; the others are neither read nor checked. build.rs loads only what the
    /// enabled cargo features compile (generated/ and its test still cover all of spec/).
    /// `&dyn`, not generic: a generic loader would be instantiated, serde_json and all, in
    /// build.rs's own crate, which then takes longer to compile.
    pub(crate) fn load_only(
        dir: &std::path::Path,
        wanted: &dyn Fn(&str) -> bool,
    ) -> (Spec, Vec<crate::diagnostics::Diagnostic>) {
        let mut loader = Loader {
            root: dir.parent().unwrap_or(dir),
            spec: Spec::default(),
            diags: Vec::new(),
        };
        let mut entries = match loader.list(dir) {
            Ok(entries) => entries,
            Err(e) => {
                loader.diags.push(crate::diagnostics::Diagnostic::error(
                    dir.display().to_string(),
                    0,
                    format!("cannot read spec directory: {e}"),
                ));
                return (loader.spec, loader.diags);
            }
        };
        entries.retain(|p| p.is_dir());
        for vdir in entries {
            let Some(vname) = vdir.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !wanted(vname) {
                continue;
            }
            if vname == "functions" {
                loader.functions(&vdir.join("workbookFunctions.json"));
                continue;
            }
            match ApiVersion::parse(vname) {
                Some(version) => loader.version(version, &vdir),
                None => {
                    let msg = format!(
                        "unknown API version directory `{vname}` (expected `v1.0` or `beta`)"
                    );
                    let d = crate::diagnostics::Diagnostic::error(loader.rel(&vdir), 0, msg);
                    loader.diags.push(d);
                }
            }
        }
        (loader.spec, loader.diags)
    }
}

/// [`Spec::load_only`] in progress: the spec so far and every problem found.
struct Loader<'a> {
    /// The spec directory's parent: file paths in diagnostics are relative to it.
    root: &'a std::path::Path,
    spec: Spec,
    diags: Vec<crate::diagnostics::Diagnostic>,
}

impl Loader<'_> {
    /// `p` as diagnostics name it: `spec/v1.0/operations/range.get.json`.
    fn rel(&self, p: &std::path::Path) -> String {
        p.strip_prefix(self.root).unwrap_or(p).display().to_string()
    }

    /// The entries of `dir`, sorted.
    fn list(&self, dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        Ok(entries)
    }

    /// One JSON file, deserialized; `None` (reported) when it cannot be read or parsed. The
    /// text is returned with its path, as the item's [`SourceFile`].
    fn read<T: serde::de::DeserializeOwned>(
        &mut self,
        p: &std::path::Path,
    ) -> Option<(T, SourceFile)> {
        use crate::diagnostics::Diagnostic;
        let path = self.rel(p);
        let text = match std::fs::read_to_string(p) {
            Ok(text) => text,
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(path, 0, format!("cannot read: {e}")));
                return None;
            }
        };
        match serde_json::from_str::<T>(&text) {
            Ok(value) => Some((
                value,
                SourceFile {
                    path,
                    text: text.into(),
                },
            )),
            Err(e) => {
                self.diags.push(load_error(path, &text, &e));
                None
            }
        }
    }

    fn functions(&mut self, p: &std::path::Path) {
        if let Some((cat, source)) = self.read::<FunctionCatalog>(p) {
            self.spec.functions = Some(cat);
            self.spec.sources.insert(SpecItem::Functions, source);
        }
    }

    /// `<version>/operations/*.json` and `<version>/types/*.json`.
    fn version(&mut self, version: ApiVersion, vdir: &std::path::Path) {
        self.spec.versions.entry(version).or_default();
        for (sub, is_op) in [("operations", true), ("types", false)] {
            let Ok(files) = self.list(&vdir.join(sub)) else {
                continue;
            };
            for p in files
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
            {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                if is_op {
                    self.operation(version, p, stem);
                } else {
                    self.type_def(version, p, stem);
                }
            }
        }
    }

    fn operation(&mut self, version: ApiVersion, p: &std::path::Path, stem: &str) {
        let Some((op, source)) = self.read::<Operation>(p) else {
            return;
        };
        if op.id != stem {
            self.misnamed(&source, "/id", &op.id, "id", stem);
        }
        let id = op.id.clone();
        let vs = self.spec.versions.entry(version).or_default();
        vs.operations.insert(id.clone(), op);
        self.spec
            .sources
            .insert(SpecItem::Operation(version, id), source);
    }

    fn type_def(&mut self, version: ApiVersion, p: &std::path::Path, stem: &str) {
        let Some((t, source)) = self.read::<TypeDef>(p) else {
            return;
        };
        if t.name != stem {
            self.misnamed(&source, "/name", &t.name, "name", stem);
        }
        let name = t.name.clone();
        let vs = self.spec.versions.entry(version).or_default();
        vs.types.insert(name.clone(), t);
        self.spec
            .sources
            .insert(SpecItem::Type(version, name), source);
    }

    /// A file whose name is not the id (name) of the item it holds.
    fn misnamed(
        &mut self,
        source: &SourceFile,
        pointer: &str,
        item: &str,
        field: &str,
        stem: &str,
    ) {
        self.diags.push(crate::diagnostics::Diagnostic::error(
            source.path.clone(),
            line_of(&source.text, pointer),
            format!("{item}: {field} does not match the file name `{stem}`"),
        ));
    }
}

/// A spec file that does not deserialize: serde's message and line, naming the field the line
/// belongs to (serde_json's messages do not).
///
/// serde reports a bad value inside an internally tagged enum (a path segment) at the end of
/// the enum's object; the value the message quotes first (`` `work book` is not ...``) is then
/// looked up on the lines before, so the line is the value's own.
fn load_error(file: String, text: &str, e: &serde_json::Error) -> crate::diagnostics::Diagnostic {
    let message = e.to_string();
    let quoted = message
        .split_once('`')
        .and_then(|(_, rest)| rest.split_once('`'))
        .and_then(|(v, _)| serde_json::to_string(v).ok());
    let line = quoted
        .and_then(|q| {
            let lines: Vec<&str> = text.lines().take(e.line()).collect();
            lines
                .iter()
                .rposition(|l| l.trim_end_matches(',').ends_with(&q))
        })
        .map_or(e.line(), |i| i + 1);
    let message = match field_at(text, line) {
        Some(field) => format!("field `{field}`: {message}"),
        None => message,
    };
    crate::diagnostics::Diagnostic::error(file, u32::try_from(line).unwrap_or(0), message)
}

/// The member name on 1-based `line` of a pretty-printed JSON `text`, else that of the nearest
/// enclosing member (an array element belongs to its array's member).
fn field_at(text: &str, line: usize) -> Option<String> {
    let key = |l: &str| {
        let rest = l.trim_start().strip_prefix('"')?;
        rest.split_once("\":").map(|(k, _)| k.to_owned())
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut lines = text
        .lines()
        .take(line)
        .collect::<Vec<_>>()
        .into_iter()
        .rev();
    let first = lines.next()?;
    if let Some(k) = key(first) {
        return Some(k);
    }
    let mut level = indent(first);
    for l in lines {
        if indent(l) < level {
            if let Some(k) = key(l) {
                return Some(k);
            }
            level = indent(l);
        }
    }
    None
}

pub use crate::path::TemplateSegment;

/// The 1-based line of the value at `pointer` (a JSON pointer: `/paths/0/template`) in the
/// JSON `text`: the line of the member's name for a member, of the value's first character
/// for an array element; 0 when there is no such value. Any layout works (blank lines, keys
/// in another order, other indents), so a diagnostic about a field of a hand-edited file
/// names the line it is on. serde_json keeps no positions, hence this walk over the text; it
/// stops at the value, and only runs when a diagnostic needs a line.
pub(crate) fn line_of(text: &str, pointer: &str) -> u32 {
    let keys: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut scan = JsonScan {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    };
    scan.find(&keys).unwrap_or(0)
}

/// A cursor over JSON text that counts lines; every method returns `None` on text that is not
/// JSON (the caller then has no line).
struct JsonScan<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
}

impl<'a> JsonScan<'a> {
    /// The next byte after whitespace (not consumed).
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return Some(b),
            }
            self.at += 1;
        }
        None
    }

    /// Consumes `b` if it is the next byte after whitespace.
    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.at += 1;
        }
        found
    }

    /// The line of the value at `keys` below the value that starts here.
    fn find(&mut self, keys: &[String]) -> Option<u32> {
        let open = self.peek()?;
        let Some((key, rest)) = keys.split_first() else {
            return Some(self.line);
        };
        self.at += 1;
        if open == b'[' {
            let index: usize = key.parse().ok()?;
            for _ in 0..index {
                self.skip()?;
                if !self.eat(b',') {
                    return None;
                }
            }
            return if self.peek()? == b']' {
                None
            } else {
                self.find(rest)
            };
        }
        if open != b'{' {
            return None;
        }
        while !self.eat(b'}') {
            self.peek()?;
            let line = self.line;
            let name = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            if member_is(name, key) {
                return if rest.is_empty() {
                    Some(line)
                } else {
                    self.find(rest)
                };
            }
            self.skip()?;
            self.eat(b',');
        }
        None
    }

    /// Past the string that starts here; its raw contents (escapes not decoded).
    fn string(&mut self) -> Option<&'a [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        let mut i = start;
        loop {
            match *self.bytes.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        self.at = i + 1;
        Some(&self.bytes[start..i])
    }

    /// Past the value that starts here.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match *self.bytes.get(self.at)? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => depth -= 1,
                        b'\n' => self.line += 1,
                        _ => {}
                    }
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
            _ => {
                let start = self.at;
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !b",}] \t\r\n".contains(b))
                {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
}

/// Whether a member's raw (still escaped) name is `key`.
fn member_is(raw: &[u8], key: &str) -> bool {
    if !raw.contains(&b'\\') {
        return raw == key.as_bytes();
    }
    let quoted = [b"\"", raw, b"\""].concat();
    serde_json::from_slice::<String>(&quoted).is_ok_and(|name| name == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_finds_members_and_elements() {
        let text = "{\n  \"id\": \"a.b\",\n  \"paths\": [\n    {\n      \"template\": \"/workbook\",\n      \"lines\": [\n        1\n      ]\n    },\n    {\n      \"template\": \"/workbook/x\"\n    }\n  ],\n  \"method\": \"GET\"\n}\n";
        assert_eq!(line_of(text, "/id"), 2);
        assert_eq!(line_of(text, "/paths"), 3);
        assert_eq!(line_of(text, "/paths/0/template"), 5);
        assert_eq!(line_of(text, "/paths/1"), 10);
        assert_eq!(line_of(text, "/paths/1/template"), 11);
        assert_eq!(line_of(text, "/method"), 14);
        assert_eq!(line_of(text, "/paths/0/lines/0"), 7);
        assert_eq!(line_of(text, "/nope"), 0);
        assert_eq!(line_of(text, "/paths/2"), 0);
    }

    /// Any layout: blank lines, keys in another order, several members on a line, tabs,
    /// strings holding brackets, quotes and commas, an escaped member name.
    #[test]
    fn line_of_reads_any_json_layout() {
        let text = "\n{\t\"paths\": [ { \"lines\": [1, 2],\n\n   \"template\": \"/a/{b},[c]\\\"\" },\n\t{\"template\":\n \"x\"} ],\n\n \"m\\u0065thod\": \"GET\", \"id\": {\"a\": null}\n}\n";
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(v["method"], "GET");
        assert_eq!(line_of(text, ""), 2);
        assert_eq!(line_of(text, "/paths"), 2);
        assert_eq!(line_of(text, "/paths/0"), 2);
        assert_eq!(line_of(text, "/paths/0/lines/1"), 2);
        assert_eq!(line_of(text, "/paths/0/template"), 4);
        assert_eq!(line_of(text, "/paths/1"), 5);
        assert_eq!(line_of(text, "/paths/1/template"), 5);
        assert_eq!(line_of(text, "/method"), 8);
        assert_eq!(line_of(text, "/id/a"), 8);
        for missing in [
            "/nope",
            "/paths/2",
            "/paths/0/lines/2",
            "/method/x",
            "/paths/x",
        ] {
            assert_eq!(line_of(text, missing), 0, "{missing}");
        }
        // Not JSON past some point: no line rather than a wrong one.
        assert_eq!(line_of("{\"a\": [1, ", "/b"), 0);
        assert_eq!(line_of("{\"a\": \"unterminated", "/b"), 0);
    }

    /// A loaded item is located in its file; one built in memory in its canonical rendering.
    #[test]
    fn locate_uses_the_loaded_file_else_the_canonical_rendering() {
        let mut spec = Spec::default();
        let catalog = FunctionCatalog {
            source: "x".into(),
            functions: vec![],
        };
        spec.functions = Some(catalog.clone());
        let canonical = to_file_text(&catalog);
        assert_eq!(
            spec.locate(&SpecItem::Functions, "/functions"),
            ("spec/functions/workbookFunctions.json".into(), 3)
        );
        assert_eq!(canonical.lines().nth(2), Some("  \"functions\": []"));
        let item = SpecItem::Type(ApiVersion::Beta, "workbookX".into());
        assert_eq!(item.file_name(), "beta/types/workbookX.json");
        assert_eq!(
            spec.locate(&item, "/name"),
            ("spec/beta/types/workbookX.json".into(), 0)
        );
        spec.sources.insert(
            SpecItem::Functions,
            SourceFile {
                path: "mine/functions/workbookFunctions.json".into(),
                text: "{\n\n\"functions\": [], \"source\": \"x\"}".into(),
            },
        );
        assert_eq!(
            spec.locate(&SpecItem::Functions, "/source"),
            ("mine/functions/workbookFunctions.json".into(), 3)
        );
    }

    #[test]
    fn type_ref_serde_round_trip() {
        let chart = TypeRef::named("workbookChart");
        for (text, t) in [
            ("int32", TypeRef::Primitive(Primitive::Int32)),
            ("Json", Primitive::Json.into()),
            ("any", Primitive::Any.into()),
            ("workbookChart", chart.clone()),
            ("Collection(workbookChart)", TypeRef::collection_of(&chart)),
            (
                "Collection(string)",
                TypeRef::collection_of(&Primitive::String.into()),
            ),
        ] {
            let json = format!("\"{text}\"");
            let parsed: TypeRef = serde_json::from_str(&json).unwrap();
            assert_eq!(parsed, t, "{text}");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
        let coll = TypeRef::collection_of(&chart);
        assert_eq!(coll.element(), Some(&chart));
        assert_eq!(coll.innermost(), &chart);
        assert!(coll.is_collection() && !coll.is_primitive());
        assert_eq!(chart.name(), Some("workbookChart"));
        // A primitive's spelling is the primitive, whatever the constructor.
        assert_eq!(TypeRef::named("double"), Primitive::Double.into());
        // Ordered by the string form, as spec/ lists sort.
        assert!(TypeRef::named("Json") < TypeRef::named("any"));
    }

    #[test]
    fn type_ref_refuses_what_is_not_a_type() {
        for bad in [
            "",
            "a b",
            "{x}",
            "Collection(",
            "Collection(workbookChart",
            "Collection(Collection(string))",
            "Collection()",
            "1abc",
            "é",
        ] {
            let err = TypeRef::parse(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{bad}: {err}");
            assert!(serde_json::from_str::<TypeRef>(&format!("\"{bad}\"")).is_err());
        }
    }

    #[test]
    fn wire_name_serde_and_refusal() {
        for good in ["address", "deltaRows", "$value", "item-id", "a.b", "_x"] {
            let n: WireName = serde_json::from_str(&format!("\"{good}\"")).unwrap();
            assert_eq!(n, good);
            assert_eq!(serde_json::to_string(&n).unwrap(), format!("\"{good}\""));
        }
        for bad in ["", "a b", "{x}", "a/b", "é", "a'b"] {
            let err = serde_json::from_str::<WireName>(&format!("\"{bad}\"")).unwrap_err();
            assert!(err.to_string().contains("not a wire name"), "{bad}: {err}");
        }
        let p = r#"{ "name": "row index", "type": "int32", "required": true }"#;
        assert!(serde_json::from_str::<Param>(p).is_err());
    }

    /// A spec file with a bad type, version or name fails to load with its file, line and field.
    #[test]
    fn load_names_file_line_and_field_of_a_bad_value() {
        let dir = std::env::temp_dir().join(format!("spec-load-{}", std::process::id()));
        let ops = dir.join("spec/v1.0/operations");
        std::fs::create_dir_all(&ops).unwrap();
        let op = Operation {
            id: "range.get".into(),
            rust_name: "get".into(),
            version: ApiVersion::V1_0,
            origin: Origin::Docs,
            source: Source {
                page: "p.md".into(),
                line: 1,
            },
            docs_url: None,
            binding: Binding {
                type_: "workbookRange".into(),
                collection: false,
            },
            method: Method::Get,
            paths: vec![],
            headers: vec![],
            body: Body::None,
            success: vec![200],
            returns: Some(TypeRef::named("workbookRange")),
            odata_query: false,
            permissions: Permissions::default(),
            documented: None,
        };
        let good = to_file_text(&op);
        let bad_type = good.replace(
            "\"returns\": \"workbookRange\"",
            "\"returns\": \"work book\"",
        );
        let bad_version = good.replace("\"v1.0\"", "\"v2\"");
        let mut with_path = op.clone();
        with_path.paths.push(PathTemplate {
            template: "/workbook".into(),
            prefixes: vec![],
            lines: vec![1],
            segments: vec![Segment::Navigation {
                name: "work book".into(),
                target: None,
            }],
        });
        let bad_name = to_file_text(&with_path);
        for (text, field, pointer) in [
            (bad_type, "returns", "/returns"),
            (bad_version, "version", "/version"),
            (bad_name, "name", "/paths/0/segments/0/name"),
        ] {
            std::fs::write(ops.join("range.get.json"), &text).unwrap();
            let (spec, diags) = Spec::load(&dir.join("spec"));
            assert!(spec.versions["v1.0"].operations.is_empty());
            let [d] = diags.as_slice() else {
                panic!("{diags:?}")
            };
            assert_eq!(d.file, "spec/v1.0/operations/range.get.json");
            assert_eq!(d.line, line_of(&text, pointer), "{d}");
            assert!(d.message.starts_with(&format!("field `{field}`: ")), "{d}");
        }
        // A file whose name is not its id: the line of the id.
        std::fs::remove_file(ops.join("range.get.json")).unwrap();
        std::fs::write(ops.join("range.other.json"), &good).unwrap();
        let (_, diags) = Spec::load(&dir.join("spec"));
        let [d] = diags.as_slice() else {
            panic!("{diags:?}")
        };
        assert_eq!(
            (d.line, d.file.as_str()),
            (2, "spec/v1.0/operations/range.other.json")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn api_version_serde_and_order() {
        for v in ApiVersion::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.as_str()));
            assert_eq!(serde_json::from_str::<ApiVersion>(&json).unwrap(), v);
            assert_eq!(ApiVersion::parse(v.as_str()), Some(v));
        }
        assert_eq!(ApiVersion::V1_0.module(), "v1_0");
        assert_eq!(ApiVersion::Beta.docs_view(), "graph-rest-beta");
        // Ordered like the directory names, and a map keyed by it is indexed by `&str`.
        assert!(ApiVersion::Beta < ApiVersion::V1_0);
        let map: std::collections::BTreeMap<_, _> = [(ApiVersion::V1_0, 1)].into();
        assert_eq!(map.get("v1.0"), Some(&1));
        assert_eq!(ApiVersion::parse("v2.0"), None);
        let err = serde_json::from_str::<ApiVersion>("\"v2.0\"").unwrap_err();
        assert!(err.to_string().contains("v2.0"), "{err}");
    }
}
