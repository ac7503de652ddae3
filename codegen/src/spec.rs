//! Serde types of the files in `spec/`: the contract between `graph-workbook-codegen extract` (writer) and
//! `graph_workbook_codegen::generate` / build.rs (reader). Every struct denies unknown fields so a typo in a
//! hand-edited spec file is an error, not a silently ignored fact. See `spec/README.md`.
//!
//! Layout on disk (all JSON, pretty-printed, keys in struct order, lists sorted):
//! - `spec/<version>/operations/<id>.json`  one [`Operation`] per docs API page
//! - `spec/<version>/types/<name>.json`     one [`TypeDef`] per docs resource page
//! - `spec/functions/workbookFunctions.json` the [`FunctionCatalog`] from the CSDL
//!
//! Type references ([`TypeRef`]) are strings: a primitive (`string`, `int32`, `int64`, `double`,
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
    /// `v1.0` or `beta`.
    pub version: String,
    pub source: Source,
    /// `https://learn.microsoft.com/graph/api/<page-stem>?view=graph-rest-1.0` (or `-beta`).
    pub docs_url: String,
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

/// The type of the node an operation acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// Wire type name, e.g. `workbookRange`.
    #[serde(rename = "type")]
    pub type_: String,
    pub collection: bool,
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
        name: String,
        /// The type reached, when resolved (CSDL or resource pages), e.g. `Collection(workbookChart)`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<TypeRef>,
    },
    /// A key into the preceding collection: `/worksheets/{worksheet}`.
    Key { param: Param },
    /// A bound function or action, possibly with arguments: `range(address=...)`,
    /// `itemAt(index=...)`, `insert`.
    Call {
        name: String,
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

/// A named, typed value: path key, function argument, body parameter or PATCH property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Wire name (`address`, `deltaRows`, `persistChanges`); for keys, the distinct name given
    /// from the collection (`worksheet`, `chart`, `series`).
    pub name: String,
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
    pub version: String,
    pub source: Source,
    pub docs_url: String,
    /// `entity` or `complex` (from the CSDL when given, else from the docs' baseType).
    pub kind: String,
    /// Sorted by name.
    pub properties: Vec<Property>,
    /// Sorted by name.
    pub relationships: Vec<Relationship>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    pub name: String,
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
    pub name: String,
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
    pub name: String,
    /// snake_case Rust name, keywords suffixed (`if_`).
    pub rust_name: String,
    /// Parameters in CSDL order (binding parameter excluded).
    pub params: Vec<Param>,
    /// `workbookFunctionResult`.
    pub returns: TypeRef,
}

/// A type reference in its string form (see module docs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TypeRef(pub String);

impl TypeRef {
    pub fn new(s: impl Into<String>) -> Self {
        TypeRef(s.into())
    }
    /// The string form (`Collection(workbookChart)`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
    pub fn collection_of(inner: &TypeRef) -> Self {
        TypeRef(format!("Collection({})", inner.0))
    }
    /// `Some(inner)` for `Collection(inner)`.
    pub fn element(&self) -> Option<TypeRef> {
        self.0
            .strip_prefix("Collection(")
            .and_then(|s| s.strip_suffix(')'))
            .map(TypeRef::new)
    }
    pub fn is_collection(&self) -> bool {
        self.element().is_some()
    }
    pub const PRIMITIVES: &'static [&'static str] = &[
        "string", "int32", "int64", "double", "boolean", "Json", "any", "binary",
    ];
    /// The innermost type name is a primitive.
    pub fn is_primitive(&self) -> bool {
        let inner = self.element().unwrap_or_else(|| self.clone());
        Self::PRIMITIVES.contains(&inner.0.as_str())
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything in a `spec/` directory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// Keyed by version (`beta`, `v1.0`).
    pub versions: std::collections::BTreeMap<String, VersionSpec>,
    pub functions: Option<FunctionCatalog>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VersionSpec {
    /// Keyed by operation id.
    pub operations: std::collections::BTreeMap<String, Operation>,
    /// Keyed by type name.
    pub types: std::collections::BTreeMap<String, TypeDef>,
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
                out.insert(format!("{ver}/operations/{id}.json"), to_file_text(op));
            }
            for (name, t) in &vs.types {
                out.insert(format!("{ver}/types/{name}.json"), to_file_text(t));
            }
        }
        if let Some(f) = &self.functions {
            out.insert("functions/workbookFunctions.json".into(), to_file_text(f));
        }
        out
    }

    /// Load a `spec/` directory. Every malformed file is reported (`spec/<file>: message`);
    /// the files that parse are still returned.
    pub fn load(dir: &std::path::Path) -> (Spec, Vec<crate::diagnostics::Diagnostic>) {
        Self::load_only(dir, &|_| true)
    }

    /// [`Spec::load`] of the top-level directories (`v1.0`, `beta`, `functions`) for which
    /// `wanted` is true; the others are neither read nor checked. build.rs loads only what the
    /// enabled cargo features compile (generated/ and its test still cover all of spec/).
    /// `&dyn`, not generic: a generic loader would be instantiated, serde_json and all, in
    /// build.rs's own crate, which then takes longer to compile.
    pub fn load_only(
        dir: &std::path::Path,
        wanted: &dyn Fn(&str) -> bool,
    ) -> (Spec, Vec<crate::diagnostics::Diagnostic>) {
        use crate::diagnostics::Diagnostic;
        let mut spec = Spec::default();
        let mut diags = Vec::new();
        let rel = |p: &std::path::Path| {
            p.strip_prefix(dir.parent().unwrap_or(dir))
                .unwrap_or(p)
                .display()
                .to_string()
        };
        let read_json = |p: &std::path::Path, diags: &mut Vec<Diagnostic>| -> Option<String> {
            match std::fs::read_to_string(p) {
                Ok(s) => Some(s),
                Err(e) => {
                    diags.push(Diagnostic::error(rel(p), 0, format!("cannot read: {e}")));
                    None
                }
            }
        };
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
            Err(e) => {
                diags.push(Diagnostic::error(
                    dir.display().to_string(),
                    0,
                    format!("cannot read spec directory: {e}"),
                ));
                return (spec, diags);
            }
        };
        entries.sort();
        for vdir in entries.into_iter().filter(|p| p.is_dir()) {
            let Some(vname) = vdir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            if !wanted(&vname) {
                continue;
            }
            if vname == "functions" {
                let p = vdir.join("workbookFunctions.json");
                if let Some(text) = read_json(&p, &mut diags) {
                    match serde_json::from_str::<FunctionCatalog>(&text) {
                        Ok(c) => spec.functions = Some(c),
                        Err(e) => {
                            diags.push(Diagnostic::error(rel(&p), e.line() as u32, e.to_string()))
                        }
                    }
                }
                continue;
            }
            let vs = spec.versions.entry(vname.clone()).or_default();
            for (sub, is_op) in [("operations", true), ("types", false)] {
                let mut files: Vec<_> = match std::fs::read_dir(vdir.join(sub)) {
                    Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
                    Err(_) => continue,
                };
                files.sort();
                for p in files
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                {
                    let Some(text) = read_json(&p, &mut diags) else {
                        continue;
                    };
                    let stem = p
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or_default()
                        .to_owned();
                    if is_op {
                        match serde_json::from_str::<Operation>(&text) {
                            Ok(op) => {
                                if op.id != stem {
                                    diags.push(Diagnostic::error(
                                        rel(&p),
                                        0,
                                        format!(
                                            "{}: id does not match the file name `{stem}`",
                                            op.id
                                        ),
                                    ));
                                }
                                vs.operations.insert(op.id.clone(), op);
                            }
                            Err(e) => diags.push(Diagnostic::error(
                                rel(&p),
                                e.line() as u32,
                                e.to_string(),
                            )),
                        }
                    } else {
                        match serde_json::from_str::<TypeDef>(&text) {
                            Ok(t) => {
                                if t.name != stem {
                                    diags.push(Diagnostic::error(
                                        rel(&p),
                                        0,
                                        format!(
                                            "{}: name does not match the file name `{stem}`",
                                            t.name
                                        ),
                                    ));
                                }
                                vs.types.insert(t.name.clone(), t);
                            }
                            Err(e) => diags.push(Diagnostic::error(
                                rel(&p),
                                e.line() as u32,
                                e.to_string(),
                            )),
                        }
                    }
                }
            }
        }
        (spec, diags)
    }
}

pub use crate::path::TemplateSegment;

/// The 1-based line of the value at `pointer` (a JSON pointer: `/paths/0/template`) in `text`,
/// a spec file as [`to_file_text`] writes it (two-space indents, one member per line); 0 when
/// there is no such value. Lets a diagnostic about a field name the line it is on.
pub fn line_of(text: &str, pointer: &str) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    // The current container: its first line (`{`/`[` at its end) and its members' indent.
    let (mut at, mut end, mut indent) = (0usize, lines.len(), 2usize);
    for key in pointer.split('/').skip(1) {
        let member = |l: &str| {
            l.len() > indent
                && l.as_bytes()[..indent].iter().all(|&b| b == b' ')
                && l.as_bytes()[indent] != b' '
                && !l[indent..].starts_with(['}', ']'])
        };
        let members = (at + 1..end).filter(|&i| member(lines[i]));
        let found = match key.parse::<usize>() {
            Ok(n) => members.clone().nth(n),
            Err(_) => {
                let quoted = format!("\"{key}\":");
                members
                    .clone()
                    .find(|&i| lines[i][indent..].starts_with(&quoted))
            }
        };
        let Some(i) = found else { return 0 };
        // The member ends before the next member (or the container's end).
        end = members.clone().find(|&j| j > i).unwrap_or(end);
        at = i;
        indent += 2;
    }
    u32::try_from(at + 1).unwrap_or(0)
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
}
