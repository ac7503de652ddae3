//! Shared helpers of the corpus tests: finding `../shared/graph-docs`, loading snapshots as
//! in-memory pages, the CSDL, and a field-by-field spec diff.
//!
//! Corpus discovery: `$GRAPH_DOCS_DIR`, else `<workspace>/../shared/graph-docs` (the workspace
//! root is `CARGO_MANIFEST_DIR/..`). When the corpus is missing, a test prints a skip message and
//! returns, except under `CI=true`, where it fails.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::spec::Spec;
use serde_json::Value;

/// A CSDL document for fixture tests: the Edmx envelope, the `microsoft.graph` schema and its
/// abstract `entity` base type around `schema` (the test's own types and functions).
pub fn fixture_csdl(schema: &str) -> Csdl {
    let text = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
{schema}
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    );
    Csdl::parse(&text).expect("fixture CSDL")
}

/// The four snapshots of the shared corpus.
pub const SNAPSHOTS: [&str; 4] = ["en-2021", "de-DE-2019", "de-DE-2019-live", "zh-CN-2023"];

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// A required input is missing: panic under `CI=true`, otherwise print the skip message and
/// return `None`.
fn missing<T>(what: &str, path: &Path) -> Option<T> {
    if under_ci() {
        panic!(
            "{what} missing under CI=true: {} (set GRAPH_DOCS_DIR or put ../shared beside the workspace)",
            path.display()
        );
    }
    eprintln!(
        "skipping: {what} not found at {}; set GRAPH_DOCS_DIR to run this test",
        path.display()
    );
    None
}

/// The workspace root (`codegen/..`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `graph-docs` corpus directory, or `None` (skip) when it is missing outside CI.
pub fn docs_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("GRAPH_DOCS_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => workspace_root().join("../shared/graph-docs"),
    };
    if SNAPSHOTS.iter().all(|s| dir.join(s).is_dir()) && dir.join("seed").is_dir() {
        Some(dir)
    } else {
        missing(
            "graph-docs corpus (en-2021, de-DE-2019, de-DE-2019-live, zh-CN-2023, seed)",
            &dir,
        )
    }
}

/// `graph-metadata/v1.0.csdl` beside the docs corpus.
pub fn csdl_path(docs: &Path) -> PathBuf {
    docs.join("../graph-metadata/v1.0.csdl")
}

/// The parsed CSDL (parsed once per test binary), or `None` (skip) when missing outside CI.
pub fn csdl(docs: &Path) -> Option<&'static Csdl> {
    static CSDL: OnceLock<Option<Csdl>> = OnceLock::new();
    CSDL.get_or_init(|| {
        let path = csdl_path(docs);
        match std::fs::read_to_string(&path) {
            Ok(xml) => Some(
                Csdl::parse(&xml)
                    .unwrap_or_else(|e| panic!("{}: CSDL does not parse: {e}", path.display())),
            ),
            Err(_) => missing("graph-metadata CSDL", &path),
        }
    })
    .as_ref()
}

/// Every `.md` file under `root`, as `(path relative to root with '/', bytes)`, sorted by path.
pub fn load_pages(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let rd = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for e in rd {
            let p = e
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p
                    .strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                out.push((rel, bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// One row of `graph-docs/MANIFEST.tsv`.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub snapshot: String,
    pub version: String,
    pub kind: String,
    pub path: String,
}

/// `graph-docs/MANIFEST.tsv`: the corpus' own independent list of pages and their kinds.
pub fn manifest(docs: &Path) -> Vec<ManifestRow> {
    let p = docs.join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 4, "{}: malformed row `{l}`", p.display());
            ManifestRow {
                snapshot: f[0].into(),
                version: f[1].into(),
                kind: f[2].into(),
                path: f[3].into(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Spec diff
// ---------------------------------------------------------------------------------------------

/// What a spec comparison ignores.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Ignore line numbers (`source.line`, `paths[..].lines`): translated pages have the same
    /// facts on different lines.
    pub ignore_lines: bool,
}

/// Which kind of spec item a difference is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Operation,
    Type,
    Functions,
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ItemKind::Operation => "operation",
            ItemKind::Type => "type",
            ItemKind::Functions => "functions",
        })
    }
}

/// One difference between two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `v1.0`, `beta`, or `-` for the function catalog.
    pub version: String,
    pub kind: ItemKind,
    /// Operation id or type name (`workbookFunctions` for the catalog).
    pub id: String,
    /// Field path inside the item, e.g. `headers[Prefer].required`, `paths[/workbook/x].template`;
    /// `*` when the whole item exists on one side only.
    pub field: String,
    /// Compact JSON of the left and right values (`<absent>` when missing).
    pub left: String,
    pub right: String,
}

impl Difference {
    /// The key an explanation line matches: `version kind id field`.
    pub fn key(&self) -> (String, String, String, String) {
        (
            self.version.clone(),
            self.kind.to_string(),
            self.id.clone(),
            self.field.clone(),
        )
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}:\n      left:  {}\n      right: {}",
            self.version, self.kind, self.id, self.field, self.left, self.right
        )
    }
}

const ABSENT: &str = "<absent>";

fn compact(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 300 {
        let head: String = s.chars().take(300).collect();
        format!("{head}…")
    } else {
        s
    }
}

/// The key that identifies an element of a list of objects, so lists are compared by identity
/// rather than by position: `name` (headers, params, properties), `template` (paths).
fn element_key(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    for k in ["template", "name"] {
        if let Some(Value::String(s)) = o.get(k) {
            // Segments are keyed by kind+name too, but their order matters: compare by position.
            if o.contains_key("kind") {
                return None;
            }
            return Some(s.clone());
        }
    }
    None
}

fn strip_lines(v: &mut Value) {
    if let Value::Object(o) = v {
        if let Some(Value::Object(src)) = o.get_mut("source") {
            src.remove("line");
        }
        if let Some(Value::Array(paths)) = o.get_mut("paths") {
            for p in paths {
                if let Value::Object(po) = p {
                    po.remove("lines");
                }
            }
        }
    }
}

fn diff_values(
    path: &str,
    a: Option<&Value>,
    b: Option<&Value>,
    out: &mut Vec<(String, String, String)>,
) {
    let show = |v: Option<&Value>| v.map_or_else(|| ABSENT.to_string(), compact);
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(&p, x.get(k), y.get(k), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            let kx: Option<Vec<String>> = x.iter().map(element_key).collect();
            let ky: Option<Vec<String>> = y.iter().map(element_key).collect();
            let unique = |k: &Vec<String>| k.iter().collect::<BTreeSet<_>>().len() == k.len();
            match (kx, ky) {
                (Some(kx), Some(ky))
                    if !(x.is_empty() && y.is_empty()) && unique(&kx) && unique(&ky) =>
                {
                    let mx: BTreeMap<&String, &Value> = kx.iter().zip(x).collect();
                    let my: BTreeMap<&String, &Value> = ky.iter().zip(y).collect();
                    let keys: BTreeSet<&String> = kx.iter().chain(ky.iter()).collect();
                    for k in keys {
                        diff_values(
                            &format!("{path}[{k}]"),
                            mx.get(k).copied(),
                            my.get(k).copied(),
                            out,
                        );
                    }
                    // same elements, different order
                    if kx != ky
                        && kx.iter().collect::<BTreeSet<_>>() == ky.iter().collect::<BTreeSet<_>>()
                    {
                        out.push((
                            format!("{path}(order)"),
                            format!("{kx:?}"),
                            format!("{ky:?}"),
                        ));
                    }
                }
                _ => {
                    let scalars = x
                        .iter()
                        .chain(y.iter())
                        .all(|v| !v.is_object() && !v.is_array());
                    if scalars || x.len() != y.len() {
                        if x != y {
                            out.push((path.to_string(), show(a), show(b)));
                        }
                    } else {
                        for (i, (ex, ey)) in x.iter().zip(y).enumerate() {
                            diff_values(&format!("{path}[{i}]"), Some(ex), Some(ey), out);
                        }
                    }
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push((path.to_string(), show(a), show(b))),
    }
}

fn item_diffs<T: serde::Serialize>(
    version: &str,
    kind: ItemKind,
    left: &BTreeMap<String, T>,
    right: &BTreeMap<String, T>,
    opts: DiffOptions,
    out: &mut Vec<Difference>,
) {
    let ids: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    for id in ids {
        let to_value = |t: Option<&T>| {
            t.map(|t| {
                let mut v = serde_json::to_value(t).expect("spec values serialize");
                if opts.ignore_lines {
                    strip_lines(&mut v);
                }
                v
            })
        };
        let (a, b) = (to_value(left.get(id)), to_value(right.get(id)));
        match (&a, &b) {
            (Some(_), None) | (None, Some(_)) => out.push(Difference {
                version: version.into(),
                kind,
                id: id.clone(),
                field: "*".into(),
                left: if a.is_some() {
                    "<present>".into()
                } else {
                    ABSENT.into()
                },
                right: if b.is_some() {
                    "<present>".into()
                } else {
                    ABSENT.into()
                },
            }),
            _ => {
                let mut fields = Vec::new();
                diff_values("", a.as_ref(), b.as_ref(), &mut fields);
                out.extend(fields.into_iter().map(|(field, l, r)| Difference {
                    version: version.into(),
                    kind,
                    id: id.clone(),
                    field,
                    left: l,
                    right: r,
                }));
            }
        }
    }
}

/// Every difference between two specs: per version, operation by operation and type by type,
/// field by field; lists of named things (paths, headers, params, properties) compared by name.
pub fn diff_specs(left: &Spec, right: &Spec, opts: DiffOptions) -> Vec<Difference> {
    let mut out = Vec::new();
    let versions: BTreeSet<&graph_workbook_codegen::spec::ApiVersion> =
        left.versions.keys().chain(right.versions.keys()).collect();
    let empty = graph_workbook_codegen::spec::VersionSpec::default();
    for v in versions {
        let l = left.versions.get(v).unwrap_or(&empty);
        let r = right.versions.get(v).unwrap_or(&empty);
        if left.versions.contains_key(v) != right.versions.contains_key(v) {
            out.push(Difference {
                version: v.to_string(),
                kind: ItemKind::Operation,
                id: "*".into(),
                field: "*".into(),
                left: if left.versions.contains_key(v) {
                    "<version present>".into()
                } else {
                    ABSENT.into()
                },
                right: if right.versions.contains_key(v) {
                    "<version present>".into()
                } else {
                    ABSENT.into()
                },
            });
        }
        item_diffs(
            v.as_str(),
            ItemKind::Operation,
            &l.operations,
            &r.operations,
            opts,
            &mut out,
        );
        item_diffs(
            v.as_str(),
            ItemKind::Type,
            &l.types,
            &r.types,
            opts,
            &mut out,
        );
    }
    let cat = |s: &Spec| -> BTreeMap<String, graph_workbook_codegen::spec::FunctionCatalog> {
        s.functions
            .iter()
            .map(|f| ("workbookFunctions".to_string(), f.clone()))
            .collect()
    };
    item_diffs(
        "-",
        ItemKind::Functions,
        &cat(left),
        &cat(right),
        opts,
        &mut out,
    );
    out.sort();
    out
}

/// A readable report of differences, grouped per item, at most `limit` entries.
pub fn render_diffs(diffs: &[Difference], limit: usize) -> String {
    let mut s = String::new();
    for d in diffs.iter().take(limit) {
        s.push_str(&format!("  {d}\n"));
    }
    if diffs.len() > limit {
        s.push_str(&format!("  ... and {} more\n", diffs.len() - limit));
    }
    s
}

#[cfg(feature = "extract")]
pub mod pseudo_locale;
