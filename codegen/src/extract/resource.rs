//! Resource pages (`api-reference/<ver>/resources/*.md`) -> [`TypeDef`].
//!
//! Language independence (FORMAT-NOTES sections 8 and 9): identifiers come from the
//! `"blockType": "resource"` comment, the JSON representation's keys, link targets, backticked
//! tokens and the CSDL, never from translated words. Table rows are only used to *attach* facts
//! (documented type, read-only, enum values) to names that are known from those sources:
//!
//! - **Type name**: the comment's `@odata.type`, normalized to the CSDL spelling
//!   (`microsoft.graph.range` -> `workbookRange`). Without the comment (some de-DE beta pages),
//!   the page's own file stem is resolved against the CSDL (`chartfont.md` -> `workbookChartFont`);
//!   otherwise the page is skipped with a warning (overview pages such as `excel.md`).
//! - **Properties**: the JSON keys plus the properties table rows. A row's first cell is matched
//!   case-insensitively against the JSON keys, then the CSDL properties of the type. Rows that
//!   match neither (a translated name such as `Wert` or `内容`) are paired, first with the JSON
//!   keys no row claimed (inherited keys such as `id` excluded), then with the CSDL properties
//!   declared on the type that nothing names, when that is unambiguous: the only row left with
//!   the only candidate left (type-compatible), or the only row and the only candidate of the
//!   row's documented type. Each pairing is reported as a repair; rows left over are dropped with
//!   a warning. With no CSDL or JSON knowledge of the type, an identifier-like first cell is
//!   taken as is.
//! - **Property types**: the documented type cell when it is language independent (a link target,
//!   or a primitive word: `string`, `int`, `Int32`, `double`, `number`, `boolean`, `Json`, with a
//!   trailing collection word), else the CSDL property type, else the JSON value hint
//!   (`{"@odata.type": ...}`, `true`, `1024`, `"String"`); else a warning and no property. When
//!   the documented named type is the CSDL's element type, the CSDL decides whether it is a
//!   collection: that is often said only in translated words (`[Diagrammsammlung](chart.md)`).
//! - **read_only**: a sentence of the description equals a read-only marker. The English marker
//!   `Read-only` is always known; [`learn_read_only_marker`] learns the locale's marker from all
//!   resource pages of a run (the one sentence that dominates property descriptions:
//!   `Schreibgeschützt`, `只读`), so German-only pages give the same flags as bilingual ones.
//! - **values**: two or more backticked identifier tokens in the description (`true`/`false`/
//!   `null` excluded), in order of appearance, de-duplicated.
//! - **Relationships**: the relationships table; type from the link target; name matched
//!   case-insensitively against the CSDL navigation properties, else by target type among the
//!   navigations no other row claimed, when unique (de-DE translates `font` to `Schriftart`).
//!   Rows that the CSDL has as structural properties (`criteria`, `fields`, `options`: complex
//!   types) become properties. JSON keys that are CSDL navigations are relationships.
//! - **kind**: `entity`/`complex` from the CSDL, else from the comment's `baseType`.

use std::collections::{BTreeMap, BTreeSet};

use super::csdl::{unqualified, Csdl, TypeKind};
use super::locale::{align_by_order, RowState};
use super::markdown::{Block, BlockKind, Inline, Page, Table};
use crate::diagnostics::Diagnostic;
use crate::naming;
use crate::spec::{ApiVersion, Primitive, Property, Relationship, Source, TypeDef, TypeRef};

/// Run-wide knowledge the extractor of one resource page needs. Build it once per docs root:
/// `link_types` from `resource_type_name` over every resource page, `read_only_markers` with
/// [`learn_read_only_marker`] over the same pages.
#[derive(Debug, Default, Clone)]
pub struct ResourceContext<'a> {
    pub csdl: Option<&'a Csdl>,
    /// Lower-case resource file stem (`chartfont`) -> wire type name (`workbookChartFont`), to
    /// resolve link targets (`[WorkbookChartFont](chartfont.md)`).
    pub link_types: BTreeMap<String, String>,
    /// Normalized read-only sentences (see `normalize_sentence`) besides `read-only`.
    pub read_only_markers: Vec<String>,
    /// Type words learned over the run (lower-cased cell text -> type, see
    /// `type_word_evidence`): a cell no language-independent rule reads.
    pub type_words: BTreeMap<String, TypeRef>,
    /// Translated row names learned over the run (lower-cased cell text -> wire name).
    pub name_translations: BTreeMap<String, String>,
    /// Output: (lower-cased cell text, wire name) of every row paired by evidence (not by its
    /// own spelling), for learning `name_translations`.
    pub paired: std::cell::RefCell<Vec<(String, String)>>,
}

/// The English read-only marker, always recognized.
pub(crate) const ENGLISH_READ_ONLY: &str = "read-only";

impl<'a> ResourceContext<'a> {
    pub fn new(csdl: Option<&'a Csdl>) -> Self {
        ResourceContext {
            csdl,
            link_types: BTreeMap::new(),
            read_only_markers: Vec::new(),
            type_words: BTreeMap::new(),
            name_translations: BTreeMap::new(),
            paired: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn is_read_only_sentence(&self, s: &str) -> bool {
        s == ENGLISH_READ_ONLY || self.read_only_markers.iter().any(|m| m == s)
    }

    /// Type of a link target (`chartfont.md`, `../resources/json.md`, `icon.md#x`).
    fn link_type(&self, target: &str, text: &str) -> Option<String> {
        let stem = file_stem(target)?;
        if stem.eq_ignore_ascii_case("json") {
            return Some("Json".into());
        }
        if let Some(t) = self.link_types.get(&stem.to_ascii_lowercase()) {
            return Some(t.clone());
        }
        if let Some(t) = self.csdl.and_then(|c| c.workbook_type(stem)) {
            return Some(t.to_string());
        }
        // No CSDL: the link text, when it spells the file's type (`WorkbookChartFont` for
        // `chartfont.md` or `workbookchartfont.md`).
        let t = text.trim();
        let lt = t.to_ascii_lowercase();
        let ls = stem.to_ascii_lowercase();
        if crate::naming::is_ascii_ident(t) && (lt == ls || lt == format!("workbook{ls}")) {
            let n = if lt == ls {
                format!("workbook{t}")
            } else {
                t.to_string()
            };
            return Some(naming::lower_camel(&n).replace('_', ""));
        }
        None
    }
}

/// `../resources/chartFont.md#x` -> `chartFont`; `None` for external links.
fn file_stem(target: &str) -> Option<&str> {
    let t = target.split(['#', '?']).next()?.trim();
    if t.contains("://") {
        return None;
    }
    let name = t.rsplit('/').next()?;
    let stem = name.strip_suffix(".md").unwrap_or(name);
    (!stem.is_empty()).then_some(stem)
}

/// Lower-case, trimmed, without trailing sentence punctuation: `Read-only.` -> `read-only`.
pub(crate) fn normalize_sentence(s: &str) -> String {
    s.trim()
        .trim_end_matches(['.', '。', '．', '!', '！'])
        .trim()
        .to_lowercase()
}

/// `... e.g.` / `... z. B.`: the word before the final `.` is made of single letters.
fn ends_with_abbreviation(cur: &str) -> bool {
    let body = cur.strip_suffix('.').unwrap_or(cur);
    let word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    !word.is_empty()
        && word
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

/// Sentences of a description: split after `.`+space/end, `。`, `．`, `！`.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        let end = match c {
            '。' | '．' | '！' => true,
            '.' => chars.peek().is_none_or(|n| n.is_whitespace()) && !ends_with_abbreviation(&cur),
            _ => false,
        };
        if end {
            let s = normalize_sentence(&cur);
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    let s = normalize_sentence(&cur);
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Learn the locale's read-only marker from the property tables of a run's resource pages: the
/// sentence that occurs most often as a whole sentence of a property description, when it occurs
/// at least 10 times and 3 times as often as the runner-up. `Read-only` in en, `Schreibgeschützt`
/// in de-DE, `只读` in zh-CN. Returns the normalized sentence.
pub fn learn_read_only_marker<'p>(pages: impl IntoIterator<Item = &'p Page>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages {
        let Some(table) = section_table(page, &["properties"]) else {
            continue;
        };
        for row in &table.rows {
            let Some(desc) = row.cells.last().filter(|_| row.cells.len() >= 3) else {
                continue;
            };
            let mut seen = BTreeSet::new();
            for s in sentences(&desc.text) {
                if s.chars().count() <= 40 && seen.insert(s.clone()) {
                    *counts.entry(s).or_default() += 1;
                }
            }
        }
    }
    let mut v: Vec<(usize, String)> = counts.into_iter().map(|(s, n)| (n, s)).collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let (top, marker) = v.first()?;
    let second = v.get(1).map_or(0, |x| x.0);
    (*top >= 10 && *top >= 3 * second).then(|| marker.clone())
}

/// The first table directly in the first section with one of `keys`.
fn section_table<'p>(page: &'p Page, keys: &[&str]) -> Option<&'p Table> {
    let s = page.section(keys)?;
    page.blocks_of(s).iter().find_map(|b| match &b.kind {
        BlockKind::Table(t) => Some(t),
        _ => None,
    })
}

/// The resource comment of a page (`"blockType": "resource"`): its JSON and line, and the JSON
/// code block that follows it, if any.
fn resource_block(page: &Page) -> Option<(u32, &serde_json::Value, Option<&Block>)> {
    let idx = page.blocks.iter().position(|b| match &b.kind {
        BlockKind::Comment(c) => c.field("blockType") == Some("resource"),
        BlockKind::Code(c) => {
            c.meta
                .as_ref()
                .and_then(|m| m.get("blockType"))
                .and_then(|v| v.as_str())
                == Some("resource")
        }
        _ => false,
    })?;
    let b = page.blocks.get(idx)?;
    match &b.kind {
        BlockKind::Comment(c) => {
            let json = c.json.as_ref()?;
            let code = page.blocks.get(idx + 1..).and_then(|rest| {
                rest.iter()
                    .take_while(|b| !matches!(b.kind, BlockKind::Heading(_)))
                    .find(|b| matches!(b.kind, BlockKind::Code(_)))
            });
            Some((b.line, json, code))
        }
        BlockKind::Code(c) => Some((b.line.saturating_sub(1).max(1), c.meta.as_ref()?, Some(b))),
        _ => None,
    }
}

/// The wire type name of a resource page and the line it comes from, without extracting the
/// rest: the `@odata.type` of the resource comment (CSDL spelling when the CSDL knows it), else
/// the page's file stem resolved by the CSDL. `None` for overview pages.
pub(crate) fn resource_type_name(
    page: &Page,
    rel_path: &str,
    csdl: Option<&Csdl>,
) -> Option<(String, u32)> {
    if let Some((line, json, _)) = resource_block(page) {
        if let Some(t) = json.get("@odata.type").and_then(|v| v.as_str()) {
            let u = unqualified(t);
            if !u.is_empty() {
                let name = csdl
                    .and_then(|c| c.workbook_type(u))
                    .map(str::to_string)
                    .unwrap_or_else(|| u.to_string());
                return Some((name, line));
            }
        }
    }
    let stem = file_stem(rel_path)?;
    let name = csdl?.workbook_type(stem)?.to_string();
    let line = page.blocks.first().map_or(1, |b| b.line);
    Some((name, line))
}

/// `https://learn.microsoft.com/graph/api/resources/<stem>?view=graph-rest-1.0` (or `-beta`).
pub fn docs_url(rel_path: &str, version: ApiVersion) -> String {
    let stem = file_stem(rel_path).unwrap_or_default();
    let view = version.docs_view();
    format!("https://learn.microsoft.com/graph/api/resources/{stem}?view={view}")
}

/// A value of the JSON representation as a type hint.
fn json_hint(v: &serde_json::Value, csdl: Option<&Csdl>) -> Option<TypeRef> {
    use serde_json::Value;
    Some(match v {
        Value::Bool(_) => Primitive::Boolean.into(),
        Value::Number(n) if n.is_i64() || n.is_u64() => Primitive::Int32.into(),
        Value::Number(_) => Primitive::Double.into(),
        Value::String(s) => primitive_word(s).unwrap_or(Primitive::String.into()),
        Value::Array(a) => TypeRef::collection_of(&json_hint(a.first()?, csdl)?),
        Value::Object(o) => {
            let t = o.get("@odata.type")?.as_str()?;
            let u = unqualified(t);
            match csdl.and_then(|c| c.workbook_type(u)) {
                Some(c) => TypeRef::named(c),
                None if crate::naming::is_ascii_ident(u) => TypeRef::named(u),
                None => return None,
            }
        }
        Value::Null => return None,
    })
}

/// `string`, `Int32`, `int`, `double`, `number`, `boolean`, `Json` (any case) -> spec primitive.
fn primitive_word(w: &str) -> Option<TypeRef> {
    let t = match w.trim().to_ascii_lowercase().as_str() {
        "string" | "edm.string" => Primitive::String,
        "int" | "int32" | "integer" | "edm.int32" => Primitive::Int32,
        "int64" | "long" | "edm.int64" => Primitive::Int64,
        "double" | "number" | "float" | "single" | "edm.double" => Primitive::Double,
        "boolean" | "bool" | "edm.boolean" => Primitive::Boolean,
        "json" => Primitive::Json,
        _ => return None,
    };
    Some(t.into())
}

/// The documented type of a table cell, when it is language independent (see module docs), else
/// the meaning of its words learned over the run.
fn cell_type(cell: &Inline, ctx: &ResourceContext) -> Option<TypeRef> {
    cell_type_by_rule(cell, ctx).or_else(|| {
        ctx.type_words
            .get(&cell.text.trim().to_lowercase())
            .cloned()
    })
}

/// Evidence for learning type words: the type cells (without links) of the property rows that
/// name a CSDL property of the page's type directly and that no language-independent rule
/// reads, as (lower-cased cell text, CSDL type). Rows with translated names give none.
pub(crate) fn type_word_evidence(
    page: &Page,
    rel_path: &str,
    csdl: &Csdl,
) -> Vec<(String, TypeRef)> {
    let Some((name, _)) = resource_type_name(page, rel_path, Some(csdl)) else {
        return Vec::new();
    };
    let Some(table) = section_table(page, &["properties"]) else {
        return Vec::new();
    };
    let ctx = ResourceContext::new(Some(csdl));
    let mut out = Vec::new();
    for row in &table.rows {
        let (Some(n), Some(t)) = (row.cells.first(), row.cells.get(1)) else {
            continue;
        };
        if !t.links.is_empty() || cell_type_by_rule(t, &ctx).is_some() {
            continue;
        }
        if let Some(p) = csdl.property(&name, n.text.trim()) {
            out.push((t.text.trim().to_lowercase(), p.type_ref()));
        }
    }
    out
}

fn cell_type_by_rule(cell: &Inline, ctx: &ResourceContext) -> Option<TypeRef> {
    let text = cell.text.trim();
    if let Some(link) = cell.links.first() {
        let inner = TypeRef::named(ctx.link_type(&link.target, &link.text)?);
        // Anything next to the link ("collection", "-Auflistung", "集合") or after the type name
        // inside the link text (`[ChartSeries-Sammlung](chartseries.md)`) marks a collection.
        // A fully translated link text (`[图标](icon.md)`) says nothing.
        let lt = link.text.trim();
        let rest = text.replacen(lt, "", 1);
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == '-' || c == '.');
        let ident_len = lt.chars().take_while(|c| c.is_ascii_alphanumeric()).count();
        let in_link = ident_len > 0 && !lt[ident_len..].trim().is_empty();
        return Some(if rest.is_empty() && !in_link {
            inner
        } else {
            TypeRef::collection_of(&inner)
        });
    }
    let lower = text.to_ascii_lowercase();
    if let Some(inner) = lower
        .strip_prefix("collection(")
        .and_then(|s| s.strip_suffix(')'))
    {
        return primitive_word(inner)
            .or_else(|| {
                ctx.csdl
                    .and_then(|c| c.workbook_type(inner))
                    .map(TypeRef::named)
            })
            .map(|t| TypeRef::collection_of(&t));
    }
    let first: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
        .collect();
    let rest = text[first.len()..].trim();
    let inner = primitive_word(&first).or_else(|| {
        // A named type spelled out (`WorkbookSortField collection`); the CSDL knows it.
        let c = ctx.csdl?;
        crate::naming::is_ascii_ident(&first)
            .then(|| c.workbook_type(&first))
            .flatten()
            .filter(|n| n.starts_with("workbook"))
            .map(TypeRef::named)
    })?;
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == '-' || c == '.');
    match rest {
        "" => Some(inner),
        // Only a trailing collection word is understood; other text ("error object", "Wert")
        // leaves the cell unresolved for the CSDL to decide.
        _ if rest.chars().all(|c| !c.is_ascii()) || rest.eq_ignore_ascii_case("collection") => {
            Some(TypeRef::collection_of(&inner))
        }
        _ if rest.starts_with('[') || rest.eq_ignore_ascii_case("array") => {
            Some(TypeRef::collection_of(&inner))
        }
        _ => None,
    }
}

/// The documented type with the CSDL's multiplicity when both name the same element type.
/// Whether a linked type is a collection is often said only in translated words (`[Diagrammsammlung](chart.md)`),
/// so the CSDL decides it; a documented element type that differs from the CSDL's is kept as
/// documented (the check reports it). No documented type: the CSDL's.
fn with_csdl_multiplicity(doc: Option<TypeRef>, csdl: &TypeRef) -> TypeRef {
    let Some(doc) = doc else {
        return csdl.clone();
    };
    let (de, ce) = (doc.innermost(), csdl.innermost());
    if de.to_string().eq_ignore_ascii_case(&ce.to_string()) && !de.is_primitive() {
        csdl.clone()
    } else {
        doc
    }
}

/// Backticked enum values of a description (see module docs).
fn enum_values(desc: &Inline) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Adjacent spans written without a separator (`` `A``B` ``, seen in zh-CN lists) parse as one
    // span whose content holds the inner backticks: split there.
    for t in desc.code.iter().flat_map(|c| c.split('`')).map(str::trim) {
        if crate::naming::is_ascii_ident(t)
            && !["true", "false", "null"].contains(&t)
            && !out.iter().any(|o| o == t)
        {
            out.push(t.to_string());
        }
    }
    if out.len() >= 2 && !crate::extract::api::names_series_end_points(&out) {
        // a set, sorted as for parameters: a translation that reorders or garbles the list's
        // separators gives the same values
        out.sort();
        out
    } else {
        Vec::new()
    }
}

/// The top-level keys of a JSON object in the order the text writes them (`serde_json::Map`
/// sorts them).
struct KeyOrder(Vec<String>);

impl<'de> serde::Deserialize<'de> for KeyOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    m.next_value::<serde::de::IgnoredAny>()?;
                    if !k.starts_with('@') {
                        keys.push(k);
                    }
                }
                Ok(KeyOrder(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// The top-level keys (not annotations) of a JSON object text in the order it writes them;
/// empty when the text is not an object.
pub(crate) fn json_key_order(text: &str) -> Vec<String> {
    serde_json::from_str::<KeyOrder>(text)
        .map(|k| k.0)
        .unwrap_or_default()
}

/// Keys of the JSON representation (tolerating trailing commas; reported as a repair), and the
/// same keys in the page's order.
fn json_keys(
    code: &str,
    file: &str,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(String, serde_json::Value)>, Vec<String>) {
    let page_order = json_key_order;
    let (obj, order) = match serde_json::from_str::<serde_json::Value>(code) {
        Ok(v) => (v, page_order(code)),
        Err(e) => {
            let fixed = strip_trailing_commas(code);
            match serde_json::from_str::<serde_json::Value>(&fixed) {
                Ok(v) => {
                    diags.push(Diagnostic::repair(
                        file,
                        line + e.line() as u32,
                        format!(
                            "JSON representation is invalid ({e}); read it without trailing commas"
                        ),
                    ));
                    (v, page_order(&fixed))
                }
                Err(_) => {
                    diags.push(Diagnostic::warning(
                        file,
                        line + e.line() as u32,
                        format!("JSON representation is invalid ({e}); properties taken from the tables only"),
                    ));
                    return (Vec::new(), Vec::new());
                }
            }
        }
    };
    match obj {
        // Annotations (`@odata.type`) are not properties.
        serde_json::Value::Object(m) => (
            m.into_iter().filter(|(k, _)| !k.starts_with('@')).collect(),
            order,
        ),
        _ => {
            diags.push(Diagnostic::warning(
                file,
                line,
                "JSON representation is not an object",
            ));
            (Vec::new(), Vec::new())
        }
    }
}

/// Remove `,` before `}` / `]` outside strings.
fn strip_trailing_commas(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_str = false;
    let mut esc = false;
    let cs: Vec<char> = s.chars().collect();
    for (i, &c) in cs.iter().enumerate() {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        if c == '"' {
            in_str = true;
        }
        if c == ',' {
            let next = cs
                .get(i + 1..)
                .and_then(|r| r.iter().find(|c| !c.is_whitespace()));
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// One row of the properties table.
struct PropRow {
    line: u32,
    name: String,
    type_: Option<TypeRef>,
    read_only: bool,
    values: Vec<String>,
}

/// A description states read-only: one of its sentences is a marker, also once the backticked
/// tokens are removed (zh-CN garbles some enum lists so that the last token and the marker
/// form one sentence).
fn says_read_only(desc: &Inline, ctx: &ResourceContext) -> bool {
    if sentences(&desc.text)
        .iter()
        .any(|s| ctx.is_read_only_sentence(s))
    {
        return true;
    }
    if desc.code.is_empty() {
        return false;
    }
    let mut text = desc.text.clone();
    for c in &desc.code {
        if !c.is_empty() {
            text = text.replacen(c.as_str(), "\n", 1);
        }
    }
    text.split('\n')
        .flat_map(sentences)
        .any(|s| ctx.is_read_only_sentence(&s))
}

/// The rows of the first table of a section: name cell, documented type, read-only flag and
/// enum values from the description.
fn table_rows(page: &Page, key: &str, ctx: &ResourceContext) -> Vec<PropRow> {
    let Some(table) = section_table(page, &[key]) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for row in &table.rows {
        let (Some(n), Some(t)) = (row.cells.first(), row.cells.get(1)) else {
            continue;
        };
        let n = n.text.trim();
        if n.is_empty() {
            continue;
        }
        let desc = row.cells.get(2..).and_then(|d| d.last());
        rows.push(PropRow {
            line: row.line,
            name: n.to_string(),
            type_: cell_type(t, ctx),
            read_only: desc.is_some_and(|d| says_read_only(d, ctx)),
            values: desc.map(enum_values).unwrap_or_default(),
        });
    }
    rows
}

/// What one resource page knows about its type: the name, the CSDL type, the JSON keys.
struct TypeFacts<'a> {
    name: String,
    rel_path: &'a str,
    csdl: Option<&'a Csdl>,
    ctype: Option<&'a crate::extract::csdl::StructType>,
    /// JSON representation keys, with their example values.
    json: Vec<(String, serde_json::Value)>,
    /// The same keys in the order the page writes them.
    json_page_order: Vec<String>,
}

impl TypeFacts<'_> {
    fn is_nav(&self, n: &str) -> bool {
        self.csdl
            .is_some_and(|c| c.navigation(&self.name, n).is_some())
    }

    fn csdl_prop(&self, n: &str) -> Option<&crate::extract::csdl::CsdlProperty> {
        self.csdl.and_then(|c| c.property(&self.name, n))
    }

    fn json_key(&self, n: &str) -> Option<&(String, serde_json::Value)> {
        self.json.iter().find(|(k, _)| k.eq_ignore_ascii_case(n))
    }

    /// Declared on the type itself (not inherited).
    fn declared(&self, n: &str) -> bool {
        self.ctype
            .is_some_and(|t| t.properties.iter().any(|p| p.name.eq_ignore_ascii_case(n)))
    }
}

fn elem(t: &TypeRef) -> String {
    t.innermost().to_string().to_ascii_lowercase()
}

/// Extract the [`TypeDef`] of one resource page. `rel_path` is relative to the docs root (it
/// names the diagnostics and gives the docs URL). `None` (with a warning) when the page names
/// no type (overview pages). Never panics.
pub fn extract_resource(
    page: &Page,
    rel_path: &str,
    version: ApiVersion,
    ctx: &ResourceContext,
    diags: &mut Vec<Diagnostic>,
) -> Option<TypeDef> {
    let csdl = ctx.csdl;
    let block = resource_block(page);
    let Some((name, line)) = resource_type_name(page, rel_path, csdl) else {
        diags.push(Diagnostic::warning(
            rel_path,
            0,
            "no resource block (`\"blockType\": \"resource\"` with `@odata.type`) and the file name names no known type; page skipped",
        ));
        return None;
    };
    if block.is_none() {
        diags.push(Diagnostic::repair(
            rel_path,
            line,
            format!("no resource block; type `{name}` taken from the file name via the CSDL"),
        ));
    }
    let ctype = csdl.and_then(|c| c.structured_type(&name));
    let kind = match ctype {
        Some(t) => t.kind,
        None => {
            let base = block
                .and_then(|(_, j, _)| j.get("baseType"))
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if unqualified(base).eq_ignore_ascii_case("entity") {
                TypeKind::Entity
            } else {
                TypeKind::Complex
            }
        }
    };
    // JSON keys (with value hints).
    let mut json: Vec<(String, serde_json::Value)> = Vec::new();
    let mut json_page_order = Vec::new();
    if let Some((_, _, Some(b))) = block {
        if let BlockKind::Code(code) = &b.kind {
            (json, json_page_order) = json_keys(&code.text, rel_path, code.line, diags);
        }
    }
    let f = TypeFacts {
        name,
        rel_path,
        csdl,
        ctype,
        json,
        json_page_order,
    };

    // Table rows (properties, then relationships).
    let mut rows = table_rows(page, "properties", ctx);
    let mut pre: Vec<Option<String>> = vec![None; rows.len()];
    let rel_rows = table_rows(page, "relationships", ctx);
    let mut rels = resolve_relationships(&f, rel_rows, &mut rows, &mut pre, diags);
    let assigned = assign_property_rows(&f, ctx, &rows, pre, diags);
    let mut props = build_properties(&f, &rows, &assigned, &rels, diags);
    let json_line = block.and_then(|(_, _, b)| b).map_or(line, |b| b.line);
    add_json_only(&f, &mut props, &mut rels, json_line, diags);
    if !rows.is_empty() || !f.json.is_empty() {
        add_csdl_only(&f, &mut props, &rels, line, diags);
    }

    let name = f.name;
    Some(TypeDef {
        rust_name: naming::pascal_case(&name),
        name,
        version,
        source: Source {
            page: rel_path.to_string(),
            line,
        },
        docs_url: docs_url(rel_path, version),
        kind,
        properties: props.into_values().collect(),
        relationships: rels.into_values().collect(),
    })
}

/// Relationships: CSDL navigation by name, then by target type among the unclaimed ones.
/// Rows that the CSDL has as structural properties (complex types such as `criteria`,
/// `fields`, `options`) become property rows (pushed to `rows`, with their name in `pre`).
fn resolve_relationships(
    f: &TypeFacts<'_>,
    rel_rows: Vec<PropRow>,
    rows: &mut Vec<PropRow>,
    pre: &mut Vec<Option<String>>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Relationship> {
    let (name, rel_path) = (&f.name, f.rel_path);
    let navs = f.csdl.map(|c| c.navigations(name)).unwrap_or_default();
    let mut rel_assigned: Vec<Option<String>> = rel_rows
        .iter()
        .map(|r| {
            navs.iter()
                .find(|nv| nv.name.eq_ignore_ascii_case(&r.name))
                .map(|nv| nv.name.clone())
        })
        .collect();
    for i in 0..rel_rows.len() {
        if rel_assigned[i].is_some() {
            continue;
        }
        let Some(dt) = rel_rows[i].type_.as_ref() else {
            continue;
        };
        let de = elem(dt);
        let same_rows = (0..rel_rows.len())
            .filter(|&j| {
                rel_assigned[j].is_none()
                    && rel_rows[j].type_.as_ref().map(elem) == Some(de.clone())
            })
            .count();
        let free: Vec<_> = navs
            .iter()
            .filter(|nv| nv.target_type().eq_ignore_ascii_case(&de))
            .filter(|nv| !rel_assigned.iter().flatten().any(|a| a == &nv.name))
            .collect();
        if let ([nv], 1) = (free.as_slice(), same_rows) {
            diags.push(Diagnostic::repair(
                rel_path,
                rel_rows[i].line,
                format!("relationship row `{}` is not a navigation of `{name}`; resolved by its type to `{}`", rel_rows[i].name, nv.name),
            ));
            rel_assigned[i] = Some(nv.name.clone());
        }
    }
    let mut rels: BTreeMap<String, Relationship> = BTreeMap::new();
    for (r, a) in rel_rows.into_iter().zip(rel_assigned) {
        if let Some(nv) = a
            .as_deref()
            .and_then(|a| navs.iter().find(|nv| nv.name == a))
        {
            let t = with_csdl_multiplicity(r.type_.clone(), &nv.type_ref());
            rels.insert(
                nv.name.clone(),
                Relationship {
                    name: nv.name.clone().into(),
                    type_: t,
                },
            );
            continue;
        }
        // A structural property of the CSDL type, by name or as the only declared property of
        // the row's type.
        let as_prop = f.csdl_prop(&r.name).map(|p| p.name.clone()).or_else(|| {
            let de = elem(r.type_.as_ref()?);
            let hits: Vec<_> = f
                .ctype?
                .properties
                .iter()
                .filter(|p| elem(&p.type_ref()) == de && !TypeRef::named(de.clone()).is_primitive())
                .collect();
            match hits.as_slice() {
                [one] => Some(one.name.clone()),
                _ => None,
            }
        });
        if let Some(pn) = as_prop {
            diags.push(Diagnostic::repair(
                rel_path,
                r.line,
                format!("relationship row `{}` is the structural property `{pn}` of `{name}` in the CSDL; recorded as a property", r.name),
            ));
            rows.push(r);
            pre.push(Some(pn));
            continue;
        }
        match (&r.type_, f.ctype.is_none() && navs.is_empty() && crate::naming::is_ascii_ident(&r.name)) {
            (Some(t), true) => {
                rels.insert(r.name.clone(), Relationship { name: r.name.clone().into(), type_: t.clone() });
            }
            _ => diags.push(Diagnostic::warning(
                rel_path,
                r.line,
                format!("relationship row `{}`: not resolvable against the CSDL navigations of `{name}`; row dropped", r.name),
            )),
        }
    }
    rels
}

/// The wire name of each property row: JSON key, CSDL property, then unambiguous pairing of
/// translated names; `None` for a row nothing names (dropped, with a warning).
fn assign_property_rows(
    f: &TypeFacts<'_>,
    ctx: &ResourceContext,
    rows: &[PropRow],
    pre: Vec<Option<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<String>> {
    let (name, rel_path) = (&f.name, f.rel_path);
    let mut assigned: Vec<Option<String>> = rows
        .iter()
        .zip(pre)
        .map(|(r, pre)| {
            pre.or_else(|| f.json_key(&r.name).map(|(k, _)| k.clone()))
                .or_else(|| f.csdl_prop(&r.name).map(|p| p.name.clone()))
        })
        .collect();
    // rows whose translated name the run has learned
    for (i, r) in rows.iter().enumerate() {
        if assigned[i].is_some() {
            continue;
        }
        let Some(w) = ctx.name_translations.get(&r.name.to_lowercase()) else {
            continue;
        };
        let known = f
            .json_key(w)
            .map(|(k, _)| k.clone())
            .or_else(|| f.csdl_prop(w).map(|p| p.name.clone()));
        if let Some(k) = known.filter(|k| !assigned.iter().flatten().any(|a| a == k)) {
            diags.push(Diagnostic::repair(
                rel_path,
                r.line,
                format!(
                    "property row `{}` is `{k}` (a translation learned on other pages)",
                    r.name
                ),
            ));
            assigned[i] = Some(k);
        }
    }
    let before: Vec<bool> = assigned.iter().map(Option::is_some).collect();
    let mut tiers = pairing_candidates(f, &assigned);
    // an enum is written as a string: a documented `string` may be the CSDL's enum
    let is_enum = |t: &TypeRef| f.csdl.is_some_and(|c| c.enum_type(&elem(t)).is_some());
    let compatible = |row: &Option<TypeRef>, cand: &Option<TypeRef>| match (row, cand) {
        (Some(a), Some(b)) => {
            elem(a) == elem(b)
                || a.primitive() == Some(Primitive::Json)
                || b.primitive() == Some(Primitive::Json)
                || (elem(a) == "string" && is_enum(b))
        }
        _ => true,
    };
    for candidates in tiers.iter_mut() {
        let unmatched: Vec<usize> = (0..rows.len()).filter(|&i| assigned[i].is_none()).collect();
        for &i in &unmatched {
            let Some(r) = rows.get(i) else { continue };
            let pick = if unmatched.len() == 1 && candidates.len() == 1 {
                candidates
                    .first()
                    .filter(|c| compatible(&r.type_, &c.1))
                    .map(|c| c.0.clone())
            } else if let Some(rt) = &r.type_ {
                let same: Vec<_> = candidates
                    .iter()
                    .filter(|(_, t)| t.as_ref() == Some(rt))
                    .collect();
                let rows_same = unmatched
                    .iter()
                    .filter(|&&j| {
                        // A row of unknown type might be of this type too.
                        rows.get(j)
                            .is_some_and(|r| r.type_.is_none() || r.type_.as_ref() == Some(rt))
                    })
                    .count();
                (same.len() == 1 && rows_same == 1).then(|| same[0].0.clone())
            } else {
                None
            };
            if let Some(p) = pick {
                diags.push(Diagnostic::repair(
                    rel_path,
                    r.line,
                    format!("property row `{}` is not a known name of `{name}`; paired with the only candidate left, `{p}`", r.name),
                ));
                candidates.retain(|(c, _)| c != &p);
                assigned[i] = Some(p);
            }
        }
        pair_unique(f, rows, candidates, &mut assigned, &compatible, diags);
    }
    align_property_rows(f, rows, &mut assigned, diags);
    for (i, r) in rows.iter().enumerate() {
        if let (Some(a), false) = (&assigned[i], before[i]) {
            ctx.paired
                .borrow_mut()
                .push((r.name.to_lowercase(), a.clone()));
        }
    }
    let knows_type = f.ctype.is_some() || !f.json.is_empty();
    for (i, r) in rows.iter().enumerate() {
        if assigned[i].is_some() {
            continue;
        }
        if !knows_type && crate::naming::is_ascii_ident(&r.name) {
            assigned[i] = Some(r.name.clone());
        } else {
            diags.push(Diagnostic::warning(
                rel_path,
                r.line,
                format!("property row `{}` matches no JSON key or CSDL property of `{name}`; row dropped", r.name),
            ));
        }
    }
    assigned
}

/// The rows still unnamed and the `candidates` left, paired when the types (`compatible`)
/// allow exactly one pairing of all of them ([`unique_matching`]); the paired candidates
/// are removed.
fn pair_unique(
    f: &TypeFacts<'_>,
    rows: &[PropRow],
    candidates: &mut Vec<(String, Option<TypeRef>)>,
    assigned: &mut [Option<String>],
    compatible: &dyn Fn(&Option<TypeRef>, &Option<TypeRef>) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let unmatched: Vec<usize> = (0..rows.len()).filter(|&i| assigned[i].is_none()).collect();
    let fits = |r: usize, c: usize| {
        rows.get(r)
            .zip(candidates.get(c))
            .is_some_and(|(r, c)| compatible(&r.type_, &c.1))
    };
    for (r, c) in unique_matching(&unmatched, candidates.len(), fits) {
        let (Some(row), Some(p)) = (rows.get(r), candidates.get(c)) else {
            continue;
        };
        diags.push(Diagnostic::repair(
            f.rel_path,
            row.line,
            format!(
                "property row `{}` is not a known name of `{}`; the types allow only one pairing of the rows left, and it gives `{}`",
                row.name, f.name, p.0
            ),
        ));
        if let Some(slot) = assigned.get_mut(r) {
            *slot = Some(p.0.clone());
        }
    }
    candidates.retain(|(c, _)| !assigned.iter().flatten().any(|a| a == c));
}

/// The pairing of `rows` with candidates `0..candidates` when it is the only one that the
/// types allow (`fits`): as many rows as candidates, and exactly one perfect matching (a row of
/// unknown type fits every candidate). Small tables only: nothing is paired above 8 rows.
fn unique_matching(
    rows: &[usize],
    candidates: usize,
    fits: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    fn count(
        rows: &[usize],
        used: &mut Vec<bool>,
        pick: &mut Vec<usize>,
        found: &mut Vec<Vec<usize>>,
        fits: &dyn Fn(usize, usize) -> bool,
    ) {
        let Some((&r, rest)) = rows.split_first() else {
            found.push(pick.clone());
            return;
        };
        for c in 0..used.len() {
            if found.len() > 1 {
                return;
            }
            if !used[c] && fits(r, c) {
                used[c] = true;
                pick.push(c);
                count(rest, used, pick, found, fits);
                pick.pop();
                used[c] = false;
            }
        }
    }
    if rows.is_empty() || rows.len() != candidates || rows.len() > 8 {
        return Vec::new();
    }
    let mut found = Vec::new();
    count(
        rows,
        &mut vec![false; candidates],
        &mut Vec::new(),
        &mut found,
        &fits,
    );
    match found.as_slice() {
        [only] => rows.iter().copied().zip(only.iter().copied()).collect(),
        _ => Vec::new(),
    }
}

/// Rows still unnamed, paired by order ([`align_by_order`]) with the JSON keys (sorted), then
/// with the properties the CSDL declares on the type (declaration order), then with the JSON
/// keys in the order the page writes them (the table's own order as a rule: runs at the
/// table's ends are paired too).
fn align_property_rows(
    f: &TypeFacts<'_>,
    rows: &[PropRow],
    assigned: &mut [Option<String>],
    diags: &mut Vec<Diagnostic>,
) {
    let json_order: Vec<String> = f.json.iter().map(|(k, _)| k.clone()).collect();
    let csdl_order: Vec<String> = f
        .ctype
        .map(|t| t.properties.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    // the page's own order last: it alone may pair runs at the table's ends
    let page_order = f.json_page_order.clone();
    for (order, runs_at_ends) in [(json_order, false), (csdl_order, false), (page_order, true)] {
        if !assigned.iter().any(Option::is_none) {
            return;
        }
        let states: Vec<RowState> = assigned
            .iter()
            .map(|a| match a {
                None => RowState::Unknown,
                Some(n) => order
                    .iter()
                    .position(|o| o.eq_ignore_ascii_case(n))
                    .map_or(RowState::Other, RowState::Anchor),
            })
            .collect();
        let free: Vec<bool> = order
            .iter()
            .map(|o| {
                let inherited = f.csdl_prop(o).is_some() && !f.declared(o);
                !assigned.iter().flatten().any(|a| a.eq_ignore_ascii_case(o))
                    && !f.is_nav(o)
                    && !inherited
            })
            .collect();
        let cand_type = |o: &str| {
            f.csdl_prop(o)
                .map(|p| p.type_ref())
                .or_else(|| f.json_key(o).and_then(|(_, v)| json_hint(v, f.csdl)))
        };
        let fits = |r: usize, c: usize| match (
            rows.get(r).and_then(|r| r.type_.as_ref()),
            order.get(c).and_then(|o| cand_type(o)),
        ) {
            (Some(a), Some(b)) => {
                elem(a) == elem(&b)
                    || a.primitive() == Some(Primitive::Json)
                    || b.primitive() == Some(Primitive::Json)
            }
            _ => true,
        };
        for (r, c) in align_by_order(&states, &free, fits, runs_at_ends, false) {
            let (Some(row), Some(name)) = (rows.get(r), order.get(c)) else {
                continue;
            };
            diags.push(Diagnostic::repair(
                f.rel_path,
                row.line,
                format!(
                    "property row `{}` is not a known name of `{}`; by the order of the rows around it it is `{name}`",
                    row.name, f.name
                ),
            ));
            if let Some(slot) = assigned.get_mut(r) {
                *slot = Some(name.clone());
            }
        }
    }
}

/// Pairing candidates for rows whose name is unknown (translated): tier 1 the JSON keys no row
/// claimed (not navigations, not inherited such as `id`), tier 2 the CSDL properties declared
/// on the type that no row and no JSON key names.
fn pairing_candidates(
    f: &TypeFacts<'_>,
    assigned: &[Option<String>],
) -> [Vec<(String, Option<TypeRef>)>; 2] {
    let taken = |n: &str| assigned.iter().flatten().any(|a| a.eq_ignore_ascii_case(n));
    let mut tiers: [Vec<(String, Option<TypeRef>)>; 2] = [Vec::new(), Vec::new()];
    for (k, v) in &f.json {
        let inherited = f.csdl_prop(k).is_some() && !f.declared(k);
        if !taken(k) && !f.is_nav(k) && !inherited {
            let t = f
                .csdl_prop(k)
                .map(|p| p.type_ref())
                .or_else(|| json_hint(v, f.csdl));
            tiers[0].push((k.clone(), t));
        }
    }
    if let Some(t) = f.ctype {
        for p in &t.properties {
            if !taken(&p.name) && f.json_key(&p.name).is_none() {
                tiers[1].push((p.name.clone(), Some(p.type_ref())));
            }
        }
    }
    tiers
}

/// Properties of the named rows, in wire spelling, with the documented type (the CSDL's
/// multiplicity), else the CSDL's, else the JSON value hint.
fn build_properties(
    f: &TypeFacts<'_>,
    rows: &[PropRow],
    assigned: &[Option<String>],
    rels: &BTreeMap<String, Relationship>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Property> {
    let rel_path = f.rel_path;
    let mut props: BTreeMap<String, Property> = BTreeMap::new();
    for (r, a) in rows.iter().zip(assigned) {
        let Some(a) = a else { continue };
        let wire = f
            .csdl_prop(a)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| a.clone());
        let ty = match f.csdl_prop(&wire) {
            Some(cp) => Some(with_csdl_multiplicity(r.type_.clone(), &cp.type_ref())),
            None => r.type_.clone(),
        }
        .or_else(|| f.json_key(&wire).and_then(|(_, v)| json_hint(v, f.csdl)));
        let Some(ty) = ty else {
            diags.push(Diagnostic::warning(
                rel_path,
                r.line,
                format!(
                    "property `{wire}`: type not recognized and not in the CSDL; property dropped"
                ),
            ));
            continue;
        };
        if props.contains_key(&wire) || rels.contains_key(&wire) {
            diags.push(Diagnostic::warning(
                rel_path,
                r.line,
                format!("property `{wire}` listed twice; first row kept"),
            ));
            continue;
        }
        props.insert(
            wire.clone(),
            Property {
                name: wire.into(),
                type_: ty,
                read_only: r.read_only,
                values: r.values.clone(),
            },
        );
    }
    props
}

/// JSON keys no row names: CSDL navigations become relationships, the rest properties typed by
/// the CSDL or the example value.
fn add_json_only(
    f: &TypeFacts<'_>,
    props: &mut BTreeMap<String, Property>,
    rels: &mut BTreeMap<String, Relationship>,
    json_line: u32,
    diags: &mut Vec<Diagnostic>,
) {
    for (k, v) in &f.json {
        let wire = f
            .csdl_prop(k)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| k.clone());
        if props
            .keys()
            .chain(rels.keys())
            .any(|p| p.eq_ignore_ascii_case(&wire))
        {
            continue;
        }
        if let Some(nav) = f.csdl.and_then(|c| c.navigation(&f.name, k)) {
            if !rels.keys().any(|r| r.eq_ignore_ascii_case(&nav.name)) {
                rels.insert(
                    nav.name.clone(),
                    Relationship {
                        name: nav.name.clone().into(),
                        type_: nav.type_ref(),
                    },
                );
            }
            continue;
        }
        match f
            .csdl_prop(k)
            .map(|p| p.type_ref())
            .or_else(|| json_hint(v, f.csdl))
        {
            Some(ty) => {
                props.insert(
                    wire.clone(),
                    Property {
                        name: wire.into(),
                        type_: ty,
                        read_only: false,
                        values: Vec::new(),
                    },
                );
            }
            None => diags.push(Diagnostic::warning(
                f.rel_path,
                json_line,
                format!(
                    "JSON key `{k}`: no type from the CSDL or the example value; property dropped"
                ),
            )),
        }
    }
}

/// Properties the CSDL declares on the type that neither a row nor the JSON example names: the
/// page left them out (v1.0 `workbookFilterCriteria.operator`).
fn add_csdl_only(
    f: &TypeFacts<'_>,
    props: &mut BTreeMap<String, Property>,
    rels: &BTreeMap<String, Relationship>,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(t) = f.ctype else { return };
    for p in &t.properties {
        let known = props
            .keys()
            .chain(rels.keys())
            .any(|k| k.eq_ignore_ascii_case(&p.name));
        if known || f.is_nav(&p.name) {
            continue;
        }
        diags.push(Diagnostic::repair(
            f.rel_path,
            line,
            format!(
                "property `{}` of `{}` is declared in the CSDL but not on the page: added from the CSDL",
                p.name, f.name
            ),
        ));
        props.insert(
            p.name.clone(),
            Property {
                name: p.name.clone().into(),
                type_: p.type_ref(),
                read_only: false,
                values: Vec::new(),
            },
        );
    }
}

/// One resource page as the pipeline holds it.
pub struct ResourcePage<'p> {
    /// Path relative to the docs root (`api-reference/v1.0/resources/range.md`).
    pub path: &'p str,
    pub version: ApiVersion,
    pub page: &'p Page,
}

/// Extract every resource page of a run: the entry point for the `extract` pipeline.
///
/// Builds the [`ResourceContext`] per version (file stem -> type from every page's resource
/// block, the read-only marker learned over all pages of the run), extracts each page, and keys
/// the result by version and type name. When two pages of one version describe the same type
/// (`tablerow.md` and `workbooktablerow.md`), the page whose path sorts first wins and the other
/// gets a warning. Never panics.
pub fn extract_resources(
    pages: &[ResourcePage],
    csdl: Option<&Csdl>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<ApiVersion, BTreeMap<String, TypeDef>> {
    let marker = learn_read_only_marker(pages.iter().map(|p| p.page));
    let mut sorted: Vec<&ResourcePage> = pages.iter().collect();
    sorted.sort_by(|a, b| (a.version, a.path).cmp(&(b.version, b.path)));
    let mut out: BTreeMap<ApiVersion, BTreeMap<String, TypeDef>> = BTreeMap::new();
    let versions: BTreeSet<ApiVersion> = sorted.iter().map(|p| p.version).collect();
    for version in versions {
        let of_version: Vec<&&ResourcePage> =
            sorted.iter().filter(|p| p.version == version).collect();
        let mut ctx = ResourceContext::new(csdl);
        ctx.read_only_markers.extend(marker.clone());
        for p in &of_version {
            if let (Some((t, _)), Some(stem)) =
                (resource_type_name(p.page, p.path, csdl), file_stem(p.path))
            {
                ctx.link_types.entry(stem.to_ascii_lowercase()).or_insert(t);
            }
        }
        let types = out.entry(version).or_default();
        for p in of_version {
            let Some(t) = extract_resource(p.page, p.path, version, &ctx, diags) else {
                continue;
            };
            match types.get(&t.name) {
                Some(first) => diags.push(Diagnostic::warning(
                    p.path,
                    t.source.line,
                    format!(
                        "type `{}` is also described by `{}` (kept there); this page is ignored",
                        t.name, first.source.page
                    ),
                )),
                None => {
                    types.insert(t.name.clone(), t);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_split() {
        assert_eq!(
            sentences("Font name (e.g. 11). Read-only."),
            ["font name (e.g. 11)", "read-only"]
        );
        assert_eq!(sentences("表示字体。只读。"), ["表示字体", "只读"]);
        assert!(sentences("").is_empty());
    }

    #[test]
    fn adjacent_code_spans_are_split() {
        let desc = Inline {
            text: String::new(),
            code: vec!["A".into(), "B``C".into(), "true".into(), "A".into()],
            links: Vec::new(),
        };
        assert_eq!(enum_values(&desc), ["A", "B", "C"]);
    }

    #[test]
    fn only_a_unique_pairing_is_taken() {
        // row 0 of unknown type fits both candidates; row 1 (a linked type) only candidate 1
        let fits = |r: usize, c: usize| r == 0 || c == 1;
        assert_eq!(unique_matching(&[0, 1], 2, fits), [(0, 0), (1, 1)]);
        // both rows of unknown type: two pairings, none is taken
        assert!(unique_matching(&[0, 1], 2, |_, _| true).is_empty());
        // more rows than candidates: a row may be documented only, none is taken
        assert!(unique_matching(&[0, 1], 1, fits).is_empty());
        // a row that fits nothing: no pairing at all
        assert!(unique_matching(&[0, 1], 2, |r, c| r == 0 && c == 0).is_empty());
    }

    #[test]
    fn trailing_commas() {
        assert_eq!(
            strip_trailing_commas(r#"{"a": "x,}", "b": 1,}"#),
            r#"{"a": "x,}", "b": 1}"#
        );
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem("../resources/chartFont.md#x"), Some("chartFont"));
        assert_eq!(file_stem("https://x.y/z.md"), None);
        assert_eq!(file_stem(""), None);
    }
}
