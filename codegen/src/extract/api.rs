//! One API page -> one [`Operation`].
//!
//! Facts come from language-independent places: the request block (method, paths, header
//! lines), example blocks (header names, JSON keys, `@odata.type`), HTML-comment metadata,
//! link targets, backticked tokens, table positions, the CSDL, and the [`Knowledge`] learned from
//! the snapshot (translated header names, Required/Optional markers). Translated words are never
//! matched directly.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::extract::csdl::{self, Csdl};
use crate::extract::locale::{align_by_order, canonical_header, Knowledge, RowState};
use crate::extract::markdown::{Block, BlockKind, CodeBlock, Inline, Page, Row, Side, Table};
use crate::extract::paths::{
    self, parse_request_block, parse_template, HeaderLine, RequestBlock, Template,
};
use crate::extract::walk;
use crate::naming;
use crate::spec::{
    ApiVersion, Binding, Body, Header, Method, Operation, Param, PathTemplate, Permissions,
    Primitive, Segment, Source, TypeRef,
};

/// Section keys (anchors / English slugs) used by API pages.
pub mod keys {
    pub(crate) const HEADERS: &[&str] = &["request-headers", "optional-request-headers"];
    pub const BODY: &[&str] = &["request-body"];
    pub(crate) const RESPONSE: &[&str] = &["response"];
    pub(crate) const PERMISSIONS: &[&str] = &["permissions"];
    pub(crate) const ODATA_QUERY: &[&str] = &["optional-query-parameters"];
    pub(crate) const FUNCTION_PARAMS: &[&str] = &["function-parameters", "path-parameters"];
}

/// Where resource pages are and what type each describes.
pub trait ResourceLookup {
    /// The wire type name (`workbookRange`) of the resource page a link from `page` points to.
    fn type_of_link(&self, page: &str, target: &str) -> Option<String>;
}

/// The first fenced `http` block of the page: the HTTP request block.
pub fn request_block(page: &Page) -> Option<&CodeBlock> {
    page.code_blocks().find(|c| c.fenced && c.info == "http")
}

/// Whether the request block of `page` documents a workbook operation: one of its request lines
/// has a path containing `/workbook` (or starting with `workbook/`).
pub fn is_workbook_api(page: &Page) -> bool {
    let Some(code) = request_block(page) else {
        return false;
    };
    let mut d = Vec::new();
    let b = parse_request_block(&code.text, code.line + 1, "", &mut d);
    // Template lines are paths; full URLs (`https://...`) are examples (overview pages).
    b.lines.iter().any(|l| {
        let p = l.path.to_ascii_lowercase();
        !p.contains("://")
            && (p.contains("/workbook") || p.starts_with("workbook/") || p == "workbook")
    })
}

/// The kind of an example block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    Request,
    Response,
}

/// An example request or response block of a page (values are placeholders).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub kind: ExampleKind,
    /// 1-based line of the opening fence.
    pub line: u32,
    /// Request: the method.
    pub method: Option<Method>,
    /// Request: the full URL as written.
    pub url: Option<String>,
    /// Response: the status code.
    pub status: Option<u16>,
    /// Header lines, as written.
    pub headers: Vec<HeaderLine>,
    /// The JSON body after the first blank line: `None` when empty, `Err` with the parse error.
    pub body: Option<Result<serde_json::Value, String>>,
    /// The body's top-level keys in the order the page writes them (`body` sorts them).
    pub key_order: Vec<String>,
    /// The metadata comment before the block (`blockType`, `@odata.type`, ...).
    pub meta: Option<serde_json::Value>,
}

/// The example requests and responses of a page's text, found by content (`METHOD https://...`
/// or `HTTP/1.1 NNN`), in page order.
pub fn examples(page_text: &str) -> Vec<Example> {
    examples_of(&Page::parse(page_text, Side::Local))
}

/// [`examples`] on a parsed page.
pub(crate) fn examples_of(page: &Page) -> Vec<Example> {
    let mut out = Vec::new();
    for c in page.code_blocks() {
        // (index in the block, line): the text starts on the line after the fence
        let mut lines = c.text.lines().enumerate();
        let Some(first) = lines
            .by_ref()
            .map(|(_, l)| l.trim())
            .find(|l| !l.is_empty())
        else {
            continue;
        };
        let (kind, method, url, status) = if let Some(rest) = first.strip_prefix("HTTP/") {
            let code = rest
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u16>().ok());
            (ExampleKind::Response, None, None, code)
        } else {
            let mut parts = first.split_whitespace();
            let (Some(m), Some(u)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Some(m) = Method::parse(m).filter(|_| u.starts_with("http")) else {
                continue;
            };
            (ExampleKind::Request, Some(m), Some(u.to_string()), None)
        };
        let mut headers = Vec::new();
        let mut body = String::new();
        let mut in_body = false;
        for (i, l) in lines {
            if in_body {
                body.push_str(l);
                body.push('\n');
            } else if l.trim().is_empty() {
                in_body = true;
            } else if let Some((n, v)) = l.split_once(':') {
                headers.push(HeaderLine {
                    name: n.trim().to_string(),
                    value: v.trim().to_string(),
                    line: c.line + 1 + i as u32,
                });
            }
        }
        let key_order = crate::extract::resource::json_key_order(body.trim());
        let body = (!body.trim().is_empty())
            .then(|| serde_json::from_str(body.trim()).map_err(|e| e.to_string()));
        out.push(Example {
            key_order,
            kind,
            line: c.line,
            method,
            url,
            status,
            headers,
            body,
            meta: c.meta.clone(),
        });
    }
    out
}

fn is_header_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The backticked tokens of the description cell of the header row at `line`.
fn header_row_codes(page: &Page, line: u32) -> Vec<String> {
    for s in page.sections_with(keys::HEADERS) {
        if let Some(t) = first_table(page.blocks_of(s)) {
            if let Some(r) = t.rows.iter().find(|r| r.line == line) {
                if r.cells.len() > 1 {
                    return r.cells.last().map(|c| c.code.clone()).unwrap_or_default();
                }
            }
        }
    }
    Vec::new()
}

/// A row of a page's headers table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRow {
    /// The name cell's text (translated on some locales).
    pub name: String,
    /// The description cell's text.
    pub description: String,
    /// 1-based line in the page.
    pub line: u32,
}

/// Header rows of the first headers table of the page.
pub fn header_rows(page: &Page) -> Vec<HeaderRow> {
    let mut out = Vec::new();
    for s in page.sections_with(keys::HEADERS) {
        if let Some(t) = first_table(page.blocks_of(s)) {
            for r in &t.rows {
                let name = r.cells.first().map(|c| c.text.clone()).unwrap_or_default();
                let desc = if r.cells.len() > 1 {
                    r.cells.last().map(|c| c.text.clone()).unwrap_or_default()
                } else {
                    String::new()
                };
                if !name.is_empty() {
                    out.push(HeaderRow {
                        name,
                        description: desc,
                        line: r.line,
                    });
                }
            }
        }
    }
    out
}

/// Optional arguments of the function an operation ends with, from the page's
/// `Function parameters` (or `Path parameters`) table: an argument the table marks optional
/// gets a second form of each template, without it (`rowsAbove` beside
/// `rowsAbove(count={count})`) or, where the template leaves it out, with it
/// (`usedRange(valuesOnly={valuesOnly})` beside `usedRange`). Lowering makes an argument
/// present in only some forms optional, and each form keeps matching its own requests.
/// A template with the drive-item prefixes and request-block lines it was seen with.
#[derive(Debug, Clone)]
struct TemplateEntry {
    template: Template,
    prefixes: BTreeSet<String>,
    lines: Vec<u32>,
}

fn optional_function_forms(
    page: &Page,
    by_template: &mut BTreeMap<String, TemplateEntry>,
    csdl: Option<&Csdl>,
    k: &Knowledge,
    res: &dyn ResourceLookup,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(table) = page
        .section(keys::FUNCTION_PARAMS)
        .and_then(|s| first_table(page.blocks_of(s)))
    else {
        return;
    };
    // (row line, name as written, type cell) of the rows marked optional.
    let optional: Vec<(u32, String, Inline)> = table
        .rows
        .iter()
        .filter(|r| r.cells.len() >= 3)
        .filter(|r| {
            r.cells
                .last()
                .is_some_and(|d| k.requiredness(&d.text) == Some(false))
        })
        .filter_map(|r| {
            let name = r.cells.first()?.text.trim().to_string();
            Some((r.line, name, r.cells.get(1).cloned().unwrap_or_default()))
        })
        .collect();
    if optional.is_empty() {
        return;
    }
    let has_arg = |t: &Template, fname: &str, arg: &str| match t.segments.last() {
        Some(Segment::Call { name, args, .. }) if name == fname => {
            Some(args.iter().any(|a| a.name.eq_ignore_ascii_case(arg)))
        }
        _ => None,
    };
    // names the table's rows spell; a row that spells none of its function's parameters (a
    // translated word) is that function's only parameter no row names, when it is the only
    // such row of the table
    let row_names: Vec<String> = table
        .rows
        .iter()
        .filter_map(|r| r.cells.first().map(|c| c.text.trim().to_string()))
        .collect();
    let mut added: Vec<(u32, String, TemplateEntry)> = Vec::new();
    for (line, row_name, type_cell) in &optional {
        for TemplateEntry {
            template: t,
            prefixes,
            lines,
        } in by_template.values()
        {
            let Some(Segment::Call {
                name: fname, args, ..
            }) = t.segments.last()
            else {
                continue;
            };
            let lookup = Lookup { csdl, res, k };
            let resolved = resolve_function_row(
                t, fname, args, row_name, &row_names, type_cell, &lookup, file,
            );
            if !resolved.eq_ignore_ascii_case(row_name) {
                diags.push(Diagnostic::repair(
                    file,
                    *line,
                    format!("function parameter row `{row_name}` names no parameter of `{fname}`; the only one no row names is `{resolved}`: read as it"),
                ));
            }
            let row_name = &resolved;
            // Already optional: some form of this function lacks it while another has it.
            let forms: Vec<bool> = by_template
                .values()
                .filter_map(|e| has_arg(&e.template, fname, row_name))
                .collect();
            if forms.contains(&true) && forms.contains(&false) {
                continue;
            }
            let mut form = t.clone();
            let Some(Segment::Call {
                args: form_args, ..
            }) = form.segments.last_mut()
            else {
                continue;
            };
            match args
                .iter()
                .position(|a| a.name.eq_ignore_ascii_case(row_name))
            {
                Some(i) => {
                    form_args.remove(i);
                }
                None => {
                    let Some(arg) =
                        new_form_arg(t, fname, row_name, type_cell, &lookup, file, *line, diags)
                    else {
                        continue;
                    };
                    form_args.push(arg);
                }
            }
            form.template = crate::path::render(&form.segments, crate::path::Form::Template);
            let entry = TemplateEntry {
                template: form,
                prefixes: prefixes.clone(),
                lines: lines.clone(),
            };
            added.push((*line, row_name.clone(), entry));
        }
    }
    for (line, arg, entry) in added {
        let key = entry.template.template.clone();
        if by_template.contains_key(&key) {
            continue;
        }
        diags.push(Diagnostic::repair(
            file,
            line,
            format!("`{arg}` is optional (function parameters table): form `{key}` added"),
        ));
        by_template.insert(key, entry);
    }
}

/// The CSDL parameters of the function `fname` that ends `t`, over its overloads.
fn function_params<'c>(
    t: &Template,
    fname: &str,
    csdl: Option<&'c Csdl>,
) -> Vec<&'c crate::extract::csdl::CsdlParam> {
    let before = t
        .types
        .get(t.segments.len().saturating_sub(1))
        .cloned()
        .flatten();
    match (csdl, before) {
        (Some(c), Some(b)) => c
            .bound_operations_on(&b, fname)
            .into_iter()
            .flat_map(|o| o.params.iter())
            .collect(),
        _ => Vec::new(),
    }
}

/// The parameter of the function `fname` (the last segment of `t`) a function-parameters row
/// names: its own text when that is an argument of the template or a CSDL parameter, else the
/// only parameter no row of the table names when exactly one row names none (a translated
/// word) and the row's documented type fits it; else its own text (left for the caller to
/// report).
#[allow(clippy::too_many_arguments)]
fn resolve_function_row(
    t: &Template,
    fname: &str,
    args: &[Param],
    row_name: &str,
    row_names: &[String],
    type_cell: &Inline,
    lookup: &Lookup<'_>,
    file: &str,
) -> String {
    let params = function_params(t, fname, lookup.csdl);
    let mut known: Vec<String> = args.iter().map(|a| a.name.to_string()).collect();
    for p in &params {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(&p.name)) {
            known.push(p.name.clone());
        }
    }
    let names = |n: &str| known.iter().any(|k| k.eq_ignore_ascii_case(n));
    if names(row_name) {
        return row_name.to_string();
    }
    let unmatched_rows = row_names.iter().filter(|r| !names(r)).count();
    let free: Vec<&String> = known
        .iter()
        .filter(|k| !row_names.iter().any(|r| r.eq_ignore_ascii_case(k)))
        .collect();
    let (1, [only]) = (unmatched_rows, free.as_slice()) else {
        return row_name.to_string();
    };
    let doc = documented_type(type_cell, file, lookup.csdl, lookup.res, lookup.k);
    let csdl_type = params
        .iter()
        .find(|p| &&p.name == only)
        .map(|p| p.type_ref());
    match (doc, csdl_type) {
        (Some(d), Some(c)) if !compatible(&d, &c) => row_name.to_string(),
        _ => (*only).clone(),
    }
}

/// The argument a function form gains for an optional row that names a parameter missing from
/// the template: spelling and type from the CSDL (language independent); without any CSDL, an
/// identifier row with its type cell. `None` (reported when a CSDL is there) otherwise.
#[allow(clippy::too_many_arguments)]
fn new_form_arg(
    t: &Template,
    fname: &str,
    row_name: &str,
    type_cell: &Inline,
    lookup: &Lookup<'_>,
    file: &str,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<Param> {
    let csdl = lookup.csdl;
    let csdl_param = function_params(t, fname, csdl)
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(row_name))
        .map(|p| (p.name.clone(), p.type_ref()));
    let (name, ty) = match csdl_param {
        Some(x) => x,
        None if csdl.is_none() && naming::is_ascii_ident(row_name) => (
            row_name.to_string(),
            normalize_type(type_cell, file, csdl, lookup.res)?,
        ),
        None => {
            diags.push(Diagnostic::warning(
                file,
                line,
                format!("function parameter `{row_name}` is not a parameter of `{fname}` in the CSDL: left out"),
            ));
            return None;
        }
    };
    let quoted = ty == Primitive::String.into();
    Some(Param {
        name: name.into(),
        type_: ty,
        required: true,
        quoted,
        values: vec![],
    })
}

fn first_table(blocks: &[Block]) -> Option<&Table> {
    blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Table(t) => Some(t),
        _ => None,
    })
}

fn paragraphs(blocks: &[Block]) -> impl Iterator<Item = (u32, &Inline)> {
    blocks.iter().filter_map(|b| match &b.kind {
        BlockKind::Paragraph(p) => Some((b.line, p)),
        _ => None,
    })
}

/// `workbookChartAxis` -> `chartAxis`; `workbook` stays; collections get `Collection`.
pub(crate) fn node_name(binding: &Binding) -> String {
    let t = binding.type_.as_str();
    let base = match t.strip_prefix("workbook") {
        Some(rest) if !rest.is_empty() => naming::lower_camel(rest),
        _ => t.to_string(),
    };
    if binding.collection {
        format!("{base}Collection")
    } else {
        base
    }
}

/// Map a docs type name (`microsoft.graph.range`, `formatProtection`, `WorkbookSortField`) to
/// the CSDL spelling; without CSDL, the unqualified name.
pub(crate) fn map_type_name(name: &str, csdl: Option<&Csdl>) -> Option<String> {
    let u = csdl::unqualified(name).trim();
    if u.is_empty() {
        return None;
    }
    if u.starts_with("Edm.") {
        return Some(csdl::type_ref(u).to_string());
    }
    match csdl {
        Some(c) => c
            .workbook_type(u)
            .or_else(|| c.find_type_by_suffix(u))
            .map(str::to_string),
        None => Some(u.to_string()),
    }
}

/// Normalize a docs type cell (`Int32`, `number`, `(boolean or string or number) collection`,
/// `WorkbookSortField collection`). `None` when the words are not recognized.
pub(crate) fn normalize_type(
    cell: &Inline,
    page: &str,
    csdl: Option<&Csdl>,
    res: &dyn ResourceLookup,
) -> Option<TypeRef> {
    let text = cell.text.trim();
    let lower = text.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let collection = words.contains(&"collection") || lower.starts_with("collection(");
    words.retain(|w| *w != "collection" && *w != "of");
    let prim = |w: &str| -> Option<Primitive> {
        Some(match w {
            "string" | "str" => Primitive::String,
            "int" | "int32" | "integer" => Primitive::Int32,
            "int64" | "long" => Primitive::Int64,
            "double" | "number" | "float" | "single" | "decimal" => Primitive::Double,
            "boolean" | "bool" => Primitive::Boolean,
            "json" => Primitive::Json,
            _ => return None,
        })
    };
    // `(a or b or c) collection` and its translations (`(布尔值、字符串或数字) 集合`): a
    // parenthesized union of primitives followed by one word is a collection of cell values.
    // Structural: the inner list has separators or at least two words, whatever they are.
    let union_form = text.starts_with('(')
        && text.rfind(')').is_some_and(|i| {
            let inner = &text[1..i];
            let after = text[i + 1..].trim();
            !after.is_empty()
                && !after.contains(char::is_whitespace)
                && (inner
                    .chars()
                    .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
                    || inner.split_whitespace().count() >= 2)
        });
    if union_form && !words.contains(&"or") {
        return Some(TypeRef::collection_of(&Primitive::Any.into()));
    }
    let inner: Option<TypeRef> = if words.contains(&"or") {
        // a union of primitives: a cell value
        words
            .iter()
            .filter(|w| **w != "or")
            .all(|w| prim(w).is_some())
            .then(|| Primitive::Any.into())
    } else if let [w] = words.as_slice() {
        match prim(w) {
            Some(p) => Some(p.into()),
            None => {
                // a link names the type only when the words around it say nothing else
                // (`[X](x.md) collection`); `[X](x.md)-Auflistung` is a translated phrase
                let link_alone = cell.links.first().is_some_and(|l| {
                    text.replacen(l.text.as_str(), "", 1)
                        .to_lowercase()
                        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                        .filter(|w| !w.is_empty())
                        .all(|w| w == "collection" || w == "of")
                });
                let from_link = if link_alone {
                    cell.links
                        .iter()
                        .find_map(|l| res.type_of_link(page, &l.target))
                } else {
                    None
                };
                let named = cell
                    .links
                    .first()
                    .map(|l| l.text.clone())
                    .unwrap_or_else(|| {
                        text.split_whitespace()
                            .find(|w| !w.eq_ignore_ascii_case("collection"))
                            .unwrap_or("")
                            .to_string()
                    });
                from_link
                    .or_else(|| {
                        let ascii_ident =
                            !named.is_empty() && named.chars().all(|c| c.is_ascii_alphanumeric());
                        if !ascii_ident {
                            return None;
                        }
                        match csdl {
                            Some(c) => c.workbook_type(&named).map(str::to_string),
                            None => named
                                .to_ascii_lowercase()
                                .starts_with("workbook")
                                .then(|| naming::lower_camel(&named)),
                        }
                    })
                    .map(TypeRef::named)
            }
        }
    } else {
        None
    };
    inner.map(|t| {
        if collection {
            TypeRef::collection_of(&t)
        } else {
            t
        }
    })
}

/// Enum values: the backticked tokens of a description when it lists at least two
/// identifier-like tokens and every backticked span is such a list. Spans garbled by translation
/// (adjacent backticks, as in `` `A``B` ``, parse as one span holding a backtick) are split at
/// backticks and non-ASCII separators; a span holding other ASCII punctuation (a path, a formula)
/// means the description is not a value list.
pub(crate) fn enum_values(desc: &Inline) -> Vec<String> {
    let mut toks: Vec<String> = Vec::new();
    for span in &desc.code {
        for piece in span.split(|c: char| c == '`' || c.is_whitespace() || !c.is_ascii()) {
            let piece = piece.trim_matches(|c: char| c == ',' || c == ';');
            if piece.is_empty() {
                continue;
            }
            if !piece.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                return Vec::new();
            }
            if !["true", "false", "null"].contains(&piece.to_ascii_lowercase().as_str())
                && !toks.iter().any(|t| t == piece)
            {
                toks.push(piece.to_string());
            }
        }
    }
    if toks.len() >= 2 && !names_series_end_points(&toks) {
        // a set: sorted, so a translation that reorders the list gives the same values
        toks.sort();
        toks
    } else {
        Vec::new()
    }
}

/// Whether backticked tokens are the end points of numbered series rather than the members of a
/// closed list: two tokens share a stem and differ only by a trailing number, with numbers
/// missing between them (`Light1` .. `Light21`: "`Light1` through `Light21`" in any language).
/// A complete numbered run (`Level1`, `Level2`, `Level3`) is still a list.
pub(crate) fn names_series_end_points<S: AsRef<str>>(toks: &[S]) -> bool {
    let mut series: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for t in toks {
        let t = t.as_ref();
        let stem = t.trim_end_matches(|c: char| c.is_ascii_digit());
        if stem.is_empty() || stem.len() == t.len() {
            continue;
        }
        if let Ok(n) = t[stem.len()..].parse::<u64>() {
            series.entry(stem).or_default().insert(n);
        }
    }
    series.values().any(|ns| {
        ns.len() >= 2
            && match (ns.first(), ns.last()) {
                (Some(a), Some(b)) => b - a + 1 > ns.len() as u64,
                _ => false,
            }
    })
}

/// A body parameter whose documented type words were not recognized (translated), so its type
/// was taken from the CSDL. Collected over a snapshot, these teach what the words mean
/// (`learn_type_words`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeGuess {
    pub page: String,
    pub line: u32,
    pub param: String,
    /// The type cell, trimmed and lower-cased.
    pub cell: String,
    pub csdl: TypeRef,
}

/// Learn translated type words: a cell text whose rows agree on one CSDL type in at least 2
/// rows and two thirds of its rows means that type. Returns cell text -> type.
pub(crate) fn learn_type_words(guesses: &[TypeGuess]) -> BTreeMap<String, TypeRef> {
    let mut tally: BTreeMap<&str, BTreeMap<&TypeRef, usize>> = BTreeMap::new();
    for g in guesses {
        *tally
            .entry(g.cell.as_str())
            .or_default()
            .entry(&g.csdl)
            .or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for (cell, types) in tally {
        let total: usize = types.values().sum();
        if let Some((t, n)) = types.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            if *n >= 2 && *n * 3 >= total * 2 {
                out.insert(cell.to_string(), (*t).clone());
            }
        }
    }
    out
}

/// Inputs of one page extraction.
pub struct PageInput<'a> {
    /// Path relative to the docs root.
    pub path: &'a str,
    pub version: ApiVersion,
    pub page: &'a Page,
    /// Replaces the final segment of every request-block template (a repair decided over the
    /// snapshot: see `example_operation_segment`).
    pub final_segment: Option<&'a str>,
}

/// The operation the page's example requests name when its templates name another one: every
/// example request (with the operation's method) ends in the same segment, which differs from
/// the templates' final operation segment and which the CSDL binds to the operation's node
/// (a page whose templates were copied from a sibling operation: `names/add` on the page of
/// `names/addFormulaLocal`).
pub(crate) fn example_operation_segment(
    page: &Page,
    op: &Operation,
    csdl: &Csdl,
) -> Option<String> {
    let mut ends: BTreeSet<&str> = BTreeSet::new();
    for p in &op.paths {
        match p.segments.last() {
            Some(Segment::Call { name, .. }) => ends.insert(name.as_str()),
            _ => return None,
        };
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    for e in examples_of(page) {
        if e.kind != ExampleKind::Request || e.method != Some(op.method) {
            continue;
        }
        let url = e.url.as_deref()?;
        let path = url.split(['?', '#']).next().unwrap_or("");
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let name = last.split('(').next().unwrap_or("").trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        names.insert(name.to_string());
    }
    let name = match names.len() {
        1 => names.into_iter().next()?,
        _ => return None,
    };
    if ends.iter().any(|e| e.eq_ignore_ascii_case(&name)) {
        return None;
    }
    let known = csdl.bound_operations_on(&op.binding.type_ref(), &name);
    let wire = known.first()?.name.clone();
    Some(wire)
}

#[derive(Debug, Clone, PartialEq)]
struct Shape {
    binding: Option<Binding>,
    verb: String,
}

fn binding_of(t: &TypeRef) -> Binding {
    match t.element() {
        Some(e) => Binding {
            type_: e.to_string(),
            collection: true,
        },
        None => Binding {
            type_: t.to_string(),
            collection: false,
        },
    }
}

/// Binding guess without CSDL: from the nearest navigation name.
fn guess_binding(segments: &[Segment]) -> Option<Binding> {
    let mut collection = false;
    for (i, s) in segments.iter().enumerate().rev() {
        match s {
            Segment::Navigation { name, .. } => {
                if name == "workbook" {
                    return Some(Binding {
                        type_: "workbook".into(),
                        collection: false,
                    });
                }
                collection =
                    collection || (i + 1 == segments.len() && paths::singular(name) != *name);
                let single = paths::singular(name);
                return Some(Binding {
                    type_: format!("workbook{}", naming::pascal_case(&single)),
                    collection,
                });
            }
            Segment::Key { .. } => {
                return guess_binding(&segments[..i]).map(|b| Binding {
                    collection: false,
                    ..b
                })
            }
            Segment::Call { .. } => {}
        }
    }
    None
}

fn shape(t: &Template, method: Method, csdl: bool) -> Shape {
    let n = t.segments.len();
    let before = t.types.get(n.saturating_sub(1)).cloned().flatten();
    let end = t.end_type().cloned();
    let last = t.segments.last();
    let by_type = |ty: Option<TypeRef>, segs: &[Segment]| -> Option<Binding> {
        match ty {
            Some(t) => Some(binding_of(&t)),
            None if !csdl => guess_binding(segs),
            None => None,
        }
    };
    let segs_before = t.segments.get(..n.saturating_sub(1)).unwrap_or(&[]);
    match (last, method) {
        (Some(Segment::Call { name, .. }), Method::Get | Method::Post | Method::Put) => Shape {
            binding: by_type(before, segs_before),
            verb: name.to_string(),
        },
        (Some(Segment::Call { .. }), m) => Shape {
            binding: by_type(end, &t.segments),
            verb: rest_verb(m, false),
        },
        (Some(Segment::Navigation { .. }), m) => {
            let coll = end.as_ref().is_some_and(TypeRef::is_collection)
                || (!csdl && guess_binding(&t.segments).is_some_and(|b| b.collection));
            Shape {
                binding: by_type(end, &t.segments),
                verb: rest_verb(m, coll),
            }
        }
        (_, m) => Shape {
            binding: by_type(end, &t.segments),
            verb: rest_verb(m, false),
        },
    }
}

fn rest_verb(method: Method, collection: bool) -> String {
    match (method, collection) {
        (Method::Get, true) => "list",
        (Method::Get, false) => "get",
        (Method::Patch | Method::Put, _) => "update",
        (Method::Delete, _) => "delete",
        (Method::Post, _) => "create",
    }
    .to_string()
}

/// Extract the operation of one API page. `None` (with diagnostics) when the page has no usable
/// request line.
pub(crate) fn extract_operation(
    input: &PageInput<'_>,
    csdl: Option<&Csdl>,
    knowledge: &Knowledge,
    res: &dyn ResourceLookup,
    guesses: &mut Vec<TypeGuess>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Operation> {
    let file = input.path;
    let page = input.page;
    let Some(code) = request_block(page) else {
        diags.push(Diagnostic::warning(file, 0, "no HTTP request block"));
        return None;
    };
    let block = request_lines(input, code, diags);
    let method = page_method(&block)?;
    let mut by_template = templates_of(&block, method, csdl, file, diags);
    if by_template.is_empty() {
        diags.push(Diagnostic::warning(
            file,
            code.line,
            "no workbook path template in the request block",
        ));
        return None;
    }
    let chosen = choose_shape(&by_template, method, csdl.is_some(), file, code.line, diags)?;
    let Some(binding) = chosen.binding.clone() else {
        diags.push(Diagnostic::warning(
            file,
            code.line,
            "cannot resolve the node the operation acts on: page skipped",
        ));
        return None;
    };
    let verb = chosen.verb.clone();
    let id = format!("{}.{}", node_name(&binding), verb);

    let examples = examples_of(page);
    let headers = extract_headers(page, &block, &examples, knowledge, file, diags);
    // argument names the templates spell (`itemAt(index={n})`): code, language independent
    let template_args: Vec<String> = by_template
        .values()
        .filter_map(|e| match e.template.segments.last() {
            Some(Segment::Call { args, .. }) => Some(args.iter().map(|a| a.name.to_string())),
            _ => None,
        })
        .flatten()
        .collect();
    let body = extract_body(
        input,
        method,
        &binding,
        &verb,
        &examples,
        &template_args,
        csdl,
        knowledge,
        res,
        guesses,
        diags,
    );
    if let Some(c) = csdl {
        add_csdl_function_args(&mut by_template, &body, c, file, code.line, diags);
    }
    optional_function_forms(page, &mut by_template, csdl, knowledge, res, file, diags);
    let paths_out = path_templates(by_template);

    let (success, returns) = extract_response(input, &examples, csdl, res, diags);
    let permissions = extract_permissions(page, file, diags);
    let odata_query = page.section(keys::ODATA_QUERY).is_some();

    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md");
    let view = input.version.docs_view();
    Some(Operation {
        rust_name: naming::snake_case(&verb),
        id,
        version: input.version,
        origin: crate::spec::Origin::Docs,
        source: Source {
            page: file.to_string(),
            line: code.line,
        },
        docs_url: Some(format!(
            "https://learn.microsoft.com/graph/api/{stem}?view={view}"
        )),
        binding,
        method,
        paths: paths_out,
        headers,
        body,
        success,
        returns,
        odata_query,
        permissions,
        documented: None,
    })
}

/// The request block's lines, with the final segment replaced when the input says so (see
/// [`PageInput::final_segment`]).
fn request_lines(
    input: &PageInput<'_>,
    code: &CodeBlock,
    diags: &mut Vec<Diagnostic>,
) -> RequestBlock {
    let file = input.path;
    let mut block: RequestBlock = parse_request_block(&code.text, code.line + 1, file, diags);
    let Some(seg) = input.final_segment else {
        return block;
    };
    for l in &mut block.lines {
        let trimmed = l.path.trim_end_matches('/');
        let Some(i) = trimmed.rfind('/') else {
            continue;
        };
        let old = &trimmed[i + 1..];
        if old == seg {
            continue;
        }
        diags.push(Diagnostic::repair(
            file,
            l.line,
            format!("template ends in `{old}` (the templates of another page) but the examples call `{seg}`, which the CSDL binds here: `{seg}` used"),
        ));
        l.path = format!("{}/{seg}", &trimmed[..i]);
    }
    block
}

/// The page's method: the most common one of the request lines (first on ties).
fn page_method(block: &RequestBlock) -> Option<Method> {
    most_common(block.lines.iter().map(|l| l.method))
}

/// The most frequent item, the first seen on ties.
fn most_common<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Option<T> {
    // (item, count) in order of first appearance
    let mut tally: Vec<(T, usize)> = Vec::new();
    for item in items {
        match tally.iter_mut().find(|(t, _)| *t == item) {
            Some((_, n)) => *n += 1,
            None => tally.push((item, 1)),
        }
    }
    let best = tally.iter().map(|(_, n)| *n).max()?;
    tally.into_iter().find(|(_, n)| *n == best).map(|(t, _)| t)
}

/// The parsed templates of the request lines with the page's method, by template string.
fn templates_of(
    block: &RequestBlock,
    method: Method,
    csdl: Option<&Csdl>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, TemplateEntry> {
    let mut by_template: BTreeMap<String, TemplateEntry> = BTreeMap::new();
    for l in &block.lines {
        if l.method != method {
            diags.push(Diagnostic::warning(
                file,
                l.line,
                format!(
                    "`{} {}` differs from the page's method `{method}`: skipped",
                    l.method, l.path
                ),
            ));
            continue;
        }
        let Some(t) = parse_template(&l.path, l.method, l.line, csdl, file, diags) else {
            diags.push(Diagnostic::warning(
                file,
                l.line,
                format!("path `{}` has no `workbook` segment: skipped", l.path),
            ));
            continue;
        };
        let e = by_template
            .entry(t.template.clone())
            .or_insert_with(|| TemplateEntry {
                template: t.clone(),
                prefixes: BTreeSet::new(),
                lines: Vec::new(),
            });
        if !t.prefix.is_empty() {
            e.prefixes.insert(t.prefix.clone());
        }
        e.lines.push(l.line);
    }
    by_template
}

/// The binding and verb of the page: the templates' common shape; when they differ, the
/// single end type of a REST method, else the majority (ties by template order, reported).
fn choose_shape(
    by_template: &BTreeMap<String, TemplateEntry>,
    method: Method,
    csdl: bool,
    file: &str,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) -> Option<Shape> {
    let shapes: Vec<Shape> = by_template
        .values()
        .map(|e| shape(&e.template, method, csdl))
        .collect();
    let first = shapes.first().cloned()?;
    if shapes.iter().all(|s| *s == first) {
        return Some(first);
    }
    let ends: BTreeSet<Option<TypeRef>> = by_template
        .values()
        .map(|e| e.template.end_type().cloned())
        .collect();
    let single_end = (ends.len() == 1)
        .then(|| ends.into_iter().next().flatten())
        .flatten();
    if let (Method::Get | Method::Patch | Method::Delete, Some(end)) = (method, single_end) {
        return Some(Shape {
            binding: Some(binding_of(&end)),
            verb: rest_verb(method, false),
        });
    }
    let pick = most_common(shapes).unwrap_or(first);
    diags.push(Diagnostic::warning(
        file,
        line,
        format!(
            "templates bind to different nodes; using `{}` on `{}`",
            pick.verb,
            pick.binding
                .as_ref()
                .map_or("?".to_string(), |b| b.type_.clone())
        ),
    ));
    Some(pick)
}

/// A function as the last segment with no arguments in the template: its arguments are the
/// request body's parameters when the page documents them there (POST .../itemAt with
/// `{"index": 0}`), else the CSDL parameters (the page lists them in a path table).
fn add_csdl_function_args(
    by_template: &mut BTreeMap<String, TemplateEntry>,
    body: &Body,
    c: &Csdl,
    file: &str,
    line: u32,
    diags: &mut Vec<Diagnostic>,
) {
    let body_names: Vec<String> = match body {
        Body::Parameters { params } => params.iter().map(|p| p.name.to_ascii_lowercase()).collect(),
        _ => Vec::new(),
    };
    for TemplateEntry {
        template: t, lines, ..
    } in by_template.values_mut()
    {
        let n = t.segments.len();
        let before = t.types.get(n.saturating_sub(1)).cloned().flatten();
        let (Some(Segment::Call { name, args, .. }), Some(before)) =
            (t.segments.last_mut(), before)
        else {
            continue;
        };
        if !args.is_empty() {
            continue;
        }
        let Ok(walk::Member::Operations(ops)) = walk::member(c, &before, name) else {
            continue;
        };
        let Some(op) = walk::bare_function_call(&ops) else {
            continue;
        };
        if op
            .params
            .iter()
            .all(|p| body_names.contains(&p.name.to_ascii_lowercase()))
        {
            continue;
        }
        diags.push(Diagnostic::repair(
            file,
            lines.first().copied().unwrap_or(line),
            walk::bare_call_note(op),
        ));
        args.extend(
            op.params
                .iter()
                .map(|p| paths::arg_param(p.name.clone(), p.type_ref())),
        );
        paths::dedupe_key_names(&mut t.segments);
        t.template = crate::path::render(&t.segments, crate::path::Form::Template);
    }
}

/// The spec's path templates, sorted, each with its prefixes and sorted request-block lines.
fn path_templates(by_template: BTreeMap<String, TemplateEntry>) -> Vec<PathTemplate> {
    let mut paths_out: Vec<PathTemplate> = by_template
        .into_values()
        .map(|e| {
            let (t, prefixes, mut lines) = (e.template, e.prefixes, e.lines);
            lines.sort_unstable();
            lines.dedup();
            PathTemplate {
                template: t.template,
                prefixes: prefixes.into_iter().collect(),
                lines,
                segments: t.segments,
            }
        })
        .collect();
    paths_out.sort_by(|a, b| a.template.cmp(&b.template));
    paths_out
}

fn extract_headers(
    page: &Page,
    block: &RequestBlock,
    examples: &[Example],
    k: &Knowledge,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Header> {
    let mut out: BTreeMap<String, Header> = BTreeMap::new();
    for HeaderRow {
        name,
        description: desc,
        line,
    } in header_rows(page)
    {
        let Some(resolved) = k.resolve_row(&name, &desc) else {
            diags.push(Diagnostic::warning(file, line, format!("header row `{name}`: no code block, learned translation or structural rule names it: left out")));
            continue;
        };
        let in_block = block
            .headers
            .iter()
            .any(|b| b.name.eq_ignore_ascii_case(&resolved));
        let required = if in_block {
            true
        } else {
            match k.requiredness(&desc) {
                Some(r) => r,
                None => {
                    diags.push(Diagnostic::warning(
                        file,
                        line,
                        format!(
                            "header `{resolved}`: no Required/Optional marker; taken as optional"
                        ),
                    ));
                    false
                }
            }
        };
        let canonical = canonical_header(&resolved);
        // a fixed value: the one backticked token of the description (`respond-async`)
        let value = match header_row_codes(page, line).as_slice() {
            [v] if !v.contains('{') && !canonical.eq_ignore_ascii_case("authorization") => {
                Some(v.clone())
            }
            _ => None,
        };
        out.insert(
            canonical.to_ascii_lowercase(),
            Header {
                name: canonical,
                required,
                value,
            },
        );
    }
    // Headers that only example requests send (`Prefer: respond-async`): optional, with the
    // example's value. Entity headers (`Content-*`) describe the example's body and are skipped.
    for e in examples.iter().filter(|e| e.kind == ExampleKind::Request) {
        for HeaderLine { name, value, .. } in &e.headers {
            let canonical = canonical_header(name);
            let key = canonical.to_ascii_lowercase();
            if key.starts_with("content-") || key == "authorization" || !is_header_token(name) {
                continue;
            }
            let example_value = (!value.contains('{') && !value.is_empty()).then(|| value.clone());
            if let Some(h) = out.get_mut(&key) {
                if h.value.is_none() && !h.required {
                    h.value = example_value;
                }
                continue;
            }
            diags.push(Diagnostic::repair(
                file,
                e.line,
                format!(
                    "header `{canonical}` appears only in an example request: added as optional"
                ),
            ));
            out.insert(
                key,
                Header {
                    name: canonical,
                    required: false,
                    value: example_value,
                },
            );
        }
    }
    for HeaderLine { name, value, line } in &block.headers {
        let canonical = canonical_header(name);
        let key = canonical.to_ascii_lowercase();
        if let Some(h) = out.get_mut(&key) {
            h.required = true;
        } else {
            diags.push(Diagnostic::repair(file, *line, format!("header `{name}` is in the request block but not in the headers table: added as required")));
            out.insert(
                key,
                Header {
                    name: canonical,
                    required: true,
                    value: None,
                },
            );
        }
        let _ = value;
    }
    out.into_values().collect()
}

#[allow(clippy::too_many_arguments)]
fn extract_body(
    input: &PageInput<'_>,
    method: Method,
    binding: &Binding,
    verb: &str,
    examples: &[Example],
    template_args: &[String],
    csdl: Option<&Csdl>,
    k: &Knowledge,
    res: &dyn ResourceLookup,
    guesses: &mut Vec<TypeGuess>,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let page = input.page;
    let file = input.path;
    let Some(section) = page.section(keys::BODY) else {
        return Body::None;
    };
    let blocks = page.blocks_of(section);
    let bind_ref = binding.type_ref();
    let patch = method == Method::Patch;
    if let Some(table) = first_table(blocks) {
        let cands = body_candidates(
            binding,
            &bind_ref,
            verb,
            patch,
            examples,
            template_args,
            csdl,
        );
        let rows: Vec<_> = table.rows.iter().filter(|r| r.cells.len() >= 2).collect();
        let mut names = direct_row_names(&rows, &cands, k, file, diags);
        let lookup = Lookup { csdl, res, k };
        pair_translated_rows(&rows, &mut names, &cands, file, &lookup, patch, diags);
        let mut params = Vec::new();
        for (r, n) in rows.iter().zip(names) {
            let raw = r
                .cells
                .first()
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default();
            let (name, csdl_type) = match n {
                Some(c) => (c.name, c.type_),
                None => {
                    // Without any CSDL the row's own identifier is all there is. With one, an
                    // identifier no language-independent source names may be a translated
                    // word (`felder` for `fields`): never sent to Graph.
                    if csdl.is_none() && naming::is_lower_camel(&raw) {
                        (raw.clone(), None)
                    } else {
                        diags.push(Diagnostic::warning(file, r.line, format!("parameter row `{raw}`: no identifier matches it (CSDL, example JSON): left out")));
                        continue;
                    }
                }
            };
            let type_cell = r.cells.get(1).cloned().unwrap_or_default();
            let desc = if r.cells.len() > 2 {
                r.cells.last().cloned().unwrap_or_default()
            } else {
                Inline::default()
            };
            let docs_type = documented_type(&type_cell, file, csdl, res, k);
            let Some(type_) = param_type(
                &name, docs_type, csdl_type, &type_cell, r.line, file, guesses, diags,
            ) else {
                continue;
            };
            let required = if patch {
                false
            } else {
                k.requiredness(&desc.text) != Some(false)
            };
            let values = enum_values(&desc);
            params.push(Param {
                name: name.into(),
                type_,
                required,
                quoted: false,
                values,
            });
        }
        params.sort_by(|a, b| a.name.cmp(&b.name));
        params.dedup_by(|a, b| a.name == b.name);
        if patch {
            return Body::Properties {
                type_: bind_ref,
                params,
            };
        }
        return Body::Parameters { params };
    }
    // a resource link and no table -> the whole resource
    for (_, p) in paragraphs(blocks) {
        if let Some(t) = p
            .links
            .iter()
            .find_map(|l| res.type_of_link(file, &l.target))
        {
            return Body::Resource {
                type_: TypeRef::named(t),
            };
        }
    }
    Body::None
}

/// First pass over a body table: the rows whose name is a candidate, directly or through a
/// translation learned on the resource pages.
fn direct_row_names(
    rows: &[&Row],
    cands: &Candidates,
    k: &Knowledge,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<Candidate>> {
    rows.iter()
        .map(|r| {
            let n = r.cells.first().map(|c| c.text.trim()).unwrap_or("");
            let find = |n: &str| cands.all.iter().find(|c| c.name.eq_ignore_ascii_case(n));
            find(n)
                .or_else(|| {
                    let w = k.name_translations.get(&n.to_lowercase())?;
                    let c = find(w)?;
                    diags.push(Diagnostic::repair(
                        file,
                        r.line,
                        format!(
                            "row `{n}` is `{}` (a translation learned on the resource pages)",
                            c.name
                        ),
                    ));
                    Some(c)
                })
                .cloned()
        })
        .collect()
}

/// A body parameter's type: the documented one, except that Graph's metadata decides a
/// number's wire form (the docs' `number` is an `Edm.Int32` there, and a translation may not
/// even have the word); the CSDL's when the docs' is not recognized (recorded as a guess);
/// `None` (left out, reported) when neither knows it.
#[allow(clippy::too_many_arguments)]
fn param_type(
    name: &str,
    docs_type: Option<TypeRef>,
    csdl_type: Option<TypeRef>,
    type_cell: &Inline,
    line: u32,
    file: &str,
    guesses: &mut Vec<TypeGuess>,
    diags: &mut Vec<Diagnostic>,
) -> Option<TypeRef> {
    match (docs_type, csdl_type) {
        (Some(d), Some(t)) if d != t && numeric(&d) && numeric(&t) => {
            diags.push(Diagnostic::repair(
                file,
                line,
                format!(
                    "parameter `{name}`: documented type `{d}`, the CSDL's `{t}`: the CSDL's kept"
                ),
            ));
            Some(t)
        }
        (Some(t), _) => Some(t),
        (None, Some(t)) => {
            guesses.push(TypeGuess {
                page: file.to_string(),
                line,
                param: name.to_string(),
                cell: type_cell.text.trim().to_lowercase(),
                csdl: t.clone(),
            });
            Some(t)
        }
        (None, None) => {
            diags.push(Diagnostic::warning(
                file,
                line,
                format!(
                    "parameter `{name}`: type `{}` not recognized and not in the CSDL: left out",
                    type_cell.text
                ),
            ));
            None
        }
    }
}

/// A name a body table's row may have, with its type where the CSDL gives one.
#[derive(Debug, Clone)]
struct Candidate {
    name: String,
    type_: Option<TypeRef>,
}

impl Candidate {
    fn new(name: &str, type_: Option<TypeRef>) -> Candidate {
        Candidate {
            name: name.to_owned(),
            type_,
        }
    }
}

/// The names a body table's rows may have, from language-independent sources.
struct Candidates {
    /// CSDL parameters (or, for PATCH, properties) with their types, then example JSON keys
    /// and template arguments not among them.
    all: Vec<Candidate>,
    /// Ordered lists the table may follow: the example JSON keys (sorted), the CSDL order.
    orders: Vec<Vec<String>>,
    /// The request example's keys in the page's order, when the CSDL declares them in the same
    /// order (else empty): the table's own order, which may also pair a table without anchors.
    page_order: Vec<String>,
}

impl Candidates {
    /// The candidate spelled `name` exactly.
    fn get(&self, name: &str) -> Option<Candidate> {
        self.all.iter().find(|c| c.name == name).cloned()
    }
}

/// Whether `all` has `name`, case-insensitively; its spelling there.
fn spelled(all: &[Candidate], name: &str) -> Option<String> {
    all.iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.name.clone())
}

fn body_candidates(
    binding: &Binding,
    bind_ref: &TypeRef,
    verb: &str,
    patch: bool,
    examples: &[Example],
    template_args: &[String],
    csdl: Option<&Csdl>,
) -> Candidates {
    let mut all: Vec<Candidate> = Vec::new();
    if let Some(c) = csdl {
        // PATCH updates, and a POST to a collection creates, an entity: its properties
        if patch || (binding.collection && verb == "create") {
            for p in c.properties(&binding.type_) {
                all.push(Candidate::new(&p.name, Some(p.type_ref())));
            }
        } else {
            for op in c.bound_operations_on(bind_ref, verb) {
                for p in &op.params {
                    if !all.iter().any(|x| x.name == p.name) {
                        all.push(Candidate::new(&p.name, Some(p.type_ref())));
                    }
                }
            }
        }
    }
    let csdl_order: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
    let mut json_order: Vec<String> = Vec::new();
    let mut page_order: Vec<String> = Vec::new();
    for ex in examples.iter().filter(|e| e.kind == ExampleKind::Request) {
        if let Some(Ok(serde_json::Value::Object(m))) = &ex.body {
            page_order.clone_from(&ex.key_order);
            for key in m.keys() {
                if json_order.is_empty() || !json_order.contains(key) {
                    json_order.push(key.clone());
                }
                if spelled(&all, key).is_none() {
                    all.push(Candidate::new(key, None));
                }
            }
            break;
        }
    }
    for a in template_args {
        if spelled(&all, a).is_none() {
            all.push(Candidate::new(a, None));
        }
    }
    // the JSON order only helps when its names are known candidates with their spelling
    let json_order = json_order
        .into_iter()
        .filter_map(|k| spelled(&all, &k))
        .collect();
    // The page's own order: known candidates only, and trusted only where the CSDL declares
    // the same names in the same order (two independent sources agree).
    let page_order: Vec<String> = page_order.iter().filter_map(|k| spelled(&all, k)).collect();
    let in_csdl: Vec<&String> = csdl_order
        .iter()
        .filter(|c| page_order.contains(c))
        .collect();
    let agreed = !page_order.is_empty()
        && in_csdl.len() == page_order.len()
        && in_csdl.iter().zip(&page_order).all(|(a, b)| *a == b);
    Candidates {
        all,
        orders: vec![json_order, csdl_order],
        page_order: if agreed { page_order } else { Vec::new() },
    }
}

/// What reading a type cell needs.
#[derive(Clone, Copy)]
struct Lookup<'a> {
    csdl: Option<&'a Csdl>,
    res: &'a dyn ResourceLookup,
    k: &'a Knowledge,
}

/// The documented type of a cell: [`normalize_type`], else the meaning of its words learned
/// over the snapshot's resource pages.
fn documented_type(
    cell: &Inline,
    page: &str,
    csdl: Option<&Csdl>,
    res: &dyn ResourceLookup,
    k: &Knowledge,
) -> Option<TypeRef> {
    normalize_type(cell, page, csdl, res)
        .or_else(|| k.type_words.get(&cell.text.trim().to_lowercase()).cloned())
}

fn numeric(t: &TypeRef) -> bool {
    matches!(
        t.primitive(),
        Some(Primitive::Int32 | Primitive::Int64 | Primitive::Double)
    )
}

/// Whether a documented type and a CSDL type can describe the same value.
fn compatible(doc: &TypeRef, csdl: &TypeRef) -> bool {
    let json_or_any = |t: &TypeRef, p| t.primitive() == Some(p);
    doc.to_string().eq_ignore_ascii_case(&csdl.to_string())
        || (numeric(doc) && numeric(csdl))
        || (json_or_any(doc, Primitive::Json)
            && (csdl.is_collection() || json_or_any(csdl, Primitive::Any)))
        || (json_or_any(csdl, Primitive::Json)
            && (doc.is_collection() || json_or_any(doc, Primitive::Any)))
}

/// Pair rows whose first cell names no known identifier (a translated name) with the
/// candidates no row claimed: a row whose documented type is compatible with exactly one free
/// candidate takes it (repeated until nothing changes); then a single remaining row takes a single
/// remaining candidate. Each pairing is reported.
#[allow(clippy::too_many_arguments)]
/// The second pass over a body table: rows whose name is a translated word, paired with the
/// candidates no row took, by type, by the order of the rows around them, and a lone leftover.
fn pair_translated_rows(
    rows: &[&Row],
    names: &mut [Option<Candidate>],
    candidates: &Candidates,
    file: &str,
    lookup: &Lookup<'_>,
    patch: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut p = RowPairing {
        rows,
        names,
        candidates,
        file,
        lookup,
        diags,
    };
    p.by_type();
    p.by_order();
    // The properties of a type are many; a lone leftover is not evidence enough.
    if !patch {
        p.lone_leftover();
    }
}

/// The state of [`pair_translated_rows`].
struct RowPairing<'a, 'b> {
    rows: &'a [&'a Row],
    /// The candidate each row is paired with so far.
    names: &'a mut [Option<Candidate>],
    candidates: &'a Candidates,
    file: &'a str,
    lookup: &'a Lookup<'b>,
    diags: &'a mut Vec<Diagnostic>,
}

impl RowPairing<'_, '_> {
    fn text_of(&self, i: usize) -> String {
        self.rows
            .get(i)
            .and_then(|r| r.cells.first())
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default()
    }

    fn line_of(&self, i: usize) -> u32 {
        self.rows.get(i).map_or(0, |r| r.line)
    }

    fn doc_type(&self, i: usize) -> Option<TypeRef> {
        let Lookup { csdl, res, k } = *self.lookup;
        self.rows
            .get(i)
            .and_then(|r| r.cells.get(1))
            .and_then(|c| documented_type(c, self.file, csdl, res, k))
    }

    fn taken(&self, name: &str) -> bool {
        self.names.iter().flatten().any(|n| n.name == name)
    }

    /// The candidates no row took.
    fn free(&self) -> Vec<Candidate> {
        let all = self.candidates.all.iter();
        all.filter(|c| !self.taken(&c.name)).cloned().collect()
    }

    /// The rows not paired yet (without CSDL, a lowerCamel row names itself).
    fn unmatched(&self) -> Vec<usize> {
        let csdl = self.lookup.csdl;
        (0..self.names.len())
            .filter(|&i| self.names.get(i).is_some_and(Option::is_none))
            .filter(|&i| csdl.is_some() || !naming::is_lower_camel(&self.text_of(i)))
            .collect()
    }

    /// Pair `row` with `c`; `why(row text, candidate)` is the repair note.
    fn pair(&mut self, row: usize, c: Candidate, why: impl FnOnce(&str, &str) -> String) {
        let msg = why(&self.text_of(row), &c.name);
        self.diags
            .push(Diagnostic::repair(self.file, self.line_of(row), msg));
        if let Some(slot) = self.names.get_mut(row) {
            *slot = Some(c);
        }
    }

    /// A row whose documented type fits exactly one free candidate, until nothing changes.
    fn by_type(&mut self) {
        loop {
            let mut changed = false;
            for i in self.unmatched() {
                let Some(doc) = self.doc_type(i) else {
                    continue;
                };
                let fits: Vec<Candidate> = self
                    .free()
                    .into_iter()
                    .filter(|c| c.type_.as_ref().is_some_and(|t| compatible(&doc, t)))
                    .collect();
                if let [c] = fits.as_slice() {
                    self.pair(i, c.clone(), |row, c| {
                        format!("row `{row}` names no identifier; the only free one of type `{doc}` is `{c}`: read as it")
                    });
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Rows between anchors, by an order the table may follow (the example JSON's, the CSDL's,
    /// the page's own).
    fn by_order(&mut self) {
        let candidates = self.candidates;
        let orders = candidates
            .orders
            .iter()
            .map(|o| (o, false))
            .chain(std::iter::once((&candidates.page_order, true)));
        for (order, own) in orders {
            let states: Vec<RowState> = self
                .names
                .iter()
                .map(|n| match n {
                    None => RowState::Unknown,
                    Some(c) => order
                        .iter()
                        .position(|o| *o == c.name)
                        .map_or(RowState::Other, RowState::Anchor),
                })
                .collect();
            let taken: Vec<bool> = order.iter().map(|o| !self.taken(o)).collect();
            let fits = |r: usize, c: usize| {
                let ct = order
                    .get(c)
                    .and_then(|o| candidates.get(o))
                    .and_then(|c| c.type_);
                match (self.doc_type(r), ct) {
                    (Some(d), Some(t)) => compatible(&d, &t),
                    _ => true,
                }
            };
            let pairs = align_by_order(&states, &taken, fits, own, own);
            for (r, c) in pairs {
                if let Some(cand) = order.get(c).and_then(|o| candidates.get(o)) {
                    self.pair(r, cand, |row, c| {
                        format!("row `{row}` names no identifier; by the order of the rows around it it is `{c}`")
                    });
                }
            }
        }
    }

    /// One unmatched row and one free candidate: the row is the candidate.
    fn lone_leftover(&mut self) {
        if let ([i], [c]) = (self.unmatched().as_slice(), self.free().as_slice()) {
            self.pair(*i, c.clone(), |row, c| {
                format!("row `{row}` is the only unmatched one: read as `{c}`")
            });
        }
    }
}

fn extract_response(
    input: &PageInput<'_>,
    examples: &[Example],
    csdl: Option<&Csdl>,
    res: &dyn ResourceLookup,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<u16>, Option<TypeRef>) {
    let page = input.page;
    let file = input.path;
    let section = page.section(keys::RESPONSE);
    let mut success: BTreeSet<u16> = BTreeSet::new();
    let mut link_type: Option<String> = None;
    let mut line = 0;
    if let Some(s) = section {
        line = page.blocks.get(s.heading).map_or(0, |b| b.line);
        for (_, p) in paragraphs(page.blocks_nested(s)) {
            for c in &p.code {
                let t = c.trim();
                let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                if digits.len() == 3 && t.len() > 3 && t[3..].starts_with(char::is_whitespace) {
                    if let Ok(n) = digits.parse::<u16>() {
                        success.insert(n);
                    }
                }
            }
            if link_type.is_none() {
                link_type = p
                    .links
                    .iter()
                    .find_map(|l| res.type_of_link(file, &l.target));
            }
        }
    }
    let responses: Vec<&Example> = examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Response)
        .collect();
    if success.is_empty() {
        let ex: BTreeSet<u16> = responses
            .iter()
            .filter_map(|e| e.status)
            .filter(|s| (200..300).contains(s))
            .collect();
        if ex.is_empty() {
            diags.push(Diagnostic::warning(
                file,
                line,
                "no success status in the Response section or the examples",
            ));
        } else {
            diags.push(Diagnostic::repair(
                file,
                line,
                format!(
                    "no status in the Response section: taken from the example response ({ex:?})"
                ),
            ));
            success = ex;
        }
    } else {
        for e in &responses {
            if let Some(s) = e.status {
                if (200..300).contains(&s) && !success.contains(&s) {
                    diags.push(Diagnostic::warning(file, e.line, format!("example response status {s} disagrees with the Response section {success:?}: kept the section")));
                }
            }
        }
    }
    let success: Vec<u16> = success.into_iter().collect();
    if !success.is_empty() && success.iter().all(|s| *s == 204) {
        return (success, None);
    }
    // @odata.type of the first response example with one
    let mut meta_type: Option<(TypeRef, u32)> = None;
    let mut none = false;
    for e in &responses {
        let Some(m) = &e.meta else { continue };
        let Some(t) = m.get("@odata.type").and_then(|v| v.as_str()) else {
            continue;
        };
        if csdl::unqualified(t).eq_ignore_ascii_case("none") {
            none = true;
            break;
        }
        let coll = m
            .get("isCollection")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        match map_type_name(t, csdl) {
            Some(name) => {
                let inner = if name.eq_ignore_ascii_case("json") {
                    Primitive::Json.into()
                } else {
                    TypeRef::named(name)
                };
                meta_type = Some((
                    if coll {
                        TypeRef::collection_of(&inner)
                    } else {
                        inner
                    },
                    e.line,
                ));
                break;
            }
            None => diags.push(Diagnostic::warning(
                file,
                e.line,
                format!("response type `{t}` is not in the CSDL"),
            )),
        }
    }
    if none {
        return (success, None);
    }
    match (meta_type, link_type) {
        (Some((t, l)), Some(lt)) => {
            let inner = t.innermost();
            if !inner.to_string().eq_ignore_ascii_case(&lt) {
                diags.push(Diagnostic::warning(file, l, format!("example response type `{inner}` disagrees with the Response link (`{lt}`): kept the example's")));
            }
            (success, Some(t))
        }
        (Some((t, _)), None) => (success, Some(t)),
        (None, Some(lt)) => (success, Some(TypeRef::named(lt))),
        (None, None) => (success, None),
    }
}

fn extract_permissions(page: &Page, file: &str, diags: &mut Vec<Diagnostic>) -> Permissions {
    let Some(s) = page.section(keys::PERMISSIONS) else {
        diags.push(Diagnostic::warning(file, 0, "no Permissions section"));
        return Permissions::default();
    };
    let Some(t) = first_table(page.blocks_nested(s)) else {
        diags.push(Diagnostic::warning(
            file,
            page.blocks.get(s.heading).map_or(0, |b| b.line),
            "no permissions table",
        ));
        return Permissions::default();
    };
    let names = |row: Option<&crate::extract::markdown::Row>| -> Vec<String> {
        let Some(cell) = row.and_then(|r| r.cells.get(1)) else {
            return Vec::new();
        };
        let mut v: Vec<String> = Vec::new();
        for tok in cell
            .text
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '，' || c == '、')
        {
            let tok = tok.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            let parts: Vec<&str> = tok.split('.').collect();
            let ok = parts.len() >= 2
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.chars().all(|c| c.is_ascii_alphanumeric())
                        && p.starts_with(|c: char| c.is_ascii_uppercase())
                });
            if ok && !v.iter().any(|x| x == tok) {
                v.push(tok.to_string());
            }
        }
        v
    };
    if t.rows.len() != 3 {
        let line = t.rows.first().map_or(0, |r| r.line);
        diags.push(Diagnostic::warning(
            file,
            line,
            format!(
                "permissions table has {} rows, expected 3 (work/school, personal, application)",
                t.rows.len()
            ),
        ));
    }
    Permissions {
        delegated_work: names(t.rows.first()),
        delegated_personal: names(t.rows.get(1)),
        application: names(t.rows.get(2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Links to `range.md` name `workbookRange`; nothing else is a resource.
    struct Links;
    impl ResourceLookup for Links {
        fn type_of_link(&self, _page: &str, target: &str) -> Option<String> {
            target
                .ends_with("range.md")
                .then(|| "workbookRange".to_string())
        }
    }

    const PAGE: &str = r#"---
title: "Range: insert"
---

# Range: insert

## Permissions

|Permission type | Permissions |
|:--|:--|
|Delegated (work or school account) | Files.ReadWrite |
|Delegated (personal Microsoft account) | Not supported. |
|Application | Not supported. |

## HTTP request
<!-- { "blockType": "ignored" } -->
```http
POST /me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='<address>')/insert
POST /me/drive/root:/{item-path}:/workbook/worksheets/{id|name}/range(address='<address>')/insert
```

## Request headers

| Name | Description |
|:--|:--|
| Zuvlo | Bearer {token}. Obli. |
| Workbook-Session-Id | Session. Nik obli. |

## Request body

| Parameter | Type | Description |
|:--|:--|:--|
|shift|string|The way to shift: `Down`, `Right`. Obli.|
|Verschiebung|string|A translated row. Obli.|

## Response

If successful, this method returns `200 OK` and a [Range](../resources/range.md) object.

## Example

<!-- { "blockType": "request", "name": "range_insert" } -->
```http
POST https://graph.microsoft.com/v1.0/me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='A1')/insert
Content-type: application/json

{ "shift": "Down" }
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.workbookRange" } -->
```http
HTTP/1.1 200 OK
Content-type: application/json

{ "address": "A1" }
```
"#;

    fn knowledge() -> Knowledge {
        use crate::extract::locale::HeaderRowsOfPage;
        let rows = |auth: &str| HeaderRowsOfPage {
            rows: vec![
                (auth.into(), "Bearer {token}. Obli.".into()),
                ("Workbook-Session-Id".into(), "Session. Nik obli.".into()),
            ],
            block_headers: vec![],
        };
        // the session header is spelled in an example request of the snapshot
        Knowledge::learn(
            &[rows("Zuvlo"), rows("Zuvlo")],
            &["Workbook-Session-Id".to_string()],
        )
    }

    fn extract(text: &str) -> (Option<Operation>, Vec<Diagnostic>) {
        let page = Page::parse(text, Side::Local);
        let input = PageInput {
            path: "api-reference/v1.0/api/range-insert.md",
            version: ApiVersion::V1_0,
            page: &page,
            final_segment: None,
        };
        let (mut guesses, mut diags) = (Vec::new(), Vec::new());
        let op = extract_operation(&input, None, &knowledge(), &Links, &mut guesses, &mut diags);
        (op, diags)
    }

    #[test]
    fn extracts_an_operation_without_csdl() {
        let (op, diags) = extract(PAGE);
        let op = serde_json::to_value(op.expect("operation")).expect("serializes");
        assert_eq!(op["id"], "worksheet.insert");
        assert_eq!(op["method"], "POST");
        assert_eq!(
            op["binding"],
            json!({"type": "workbookWorksheet", "collection": false})
        );
        assert_eq!(op["success"], json!([200]));
        assert_eq!(op["returns"], "workbookRange");
        assert_eq!(op["source"]["line"], 17);
        let paths = op["paths"].as_array().expect("paths");
        assert_eq!(paths.len(), 1, "{paths:?}");
        assert_eq!(
            paths[0]["template"],
            "/workbook/worksheets/{worksheet}/range(address={address})/insert"
        );
        assert_eq!(paths[0]["lines"], json!([18, 19]));
        // headers: `{token}` names Authorization whatever the name cell says
        assert_eq!(
            op["headers"],
            json!([
                {"name": "Authorization", "required": true},
                {"name": "Workbook-Session-Id", "required": false}
            ])
        );
        // body: the identifier row, its enum values and marker; the translated row is left out
        assert_eq!(
            op["body"]["params"],
            json!([{"name": "shift", "type": "string", "required": true, "values": ["Down", "Right"]}])
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 34 && d.message.contains("Verschiebung")),
            "{diags:?}"
        );
        assert_eq!(
            op["permissions"]["delegated_work"],
            json!(["Files.ReadWrite"])
        );
        assert_eq!(op["permissions"]["application"], json!([]));
    }

    #[test]
    fn a_page_without_request_block_gives_no_operation() {
        let (op, diags) = extract("# Title\n\nText only.\n");
        assert!(op.is_none());
        assert!(
            diags[0].message.contains("no HTTP request block"),
            "{diags:?}"
        );
        assert!(!is_workbook_api(&Page::parse(
            PAGE.replace("/workbook", "/other").as_str(),
            Side::Local
        )));
        assert!(is_workbook_api(&Page::parse(PAGE, Side::Local)));
    }

    #[test]
    fn examples_are_found_by_content() {
        let ex = examples(PAGE);
        assert_eq!(ex.len(), 2, "{ex:?}");
        assert_eq!(ex[0].kind, ExampleKind::Request);
        assert_eq!(ex[0].method, Some(Method::Post));
        let headers: Vec<_> = ex[0]
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(headers, [("Content-type", "application/json")]);
        assert_eq!(ex[0].body, Some(Ok(json!({"shift": "Down"}))));
        assert_eq!(ex[1].kind, ExampleKind::Response);
        assert_eq!(ex[1].status, Some(200));
        let meta = ex[1].meta.as_ref().expect("meta");
        assert_eq!(meta["@odata.type"], "microsoft.graph.workbookRange");
        // a body that is not JSON is kept as an error, not dropped
        let bad = examples("```http\nGET https://x/workbook\n\n{ nope\n```\n");
        assert!(matches!(bad[0].body, Some(Err(_))), "{bad:?}");
    }

    #[test]
    fn header_rows_and_request_block() {
        let page = Page::parse(PAGE, Side::Local);
        let rows = header_rows(&page);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Zuvlo");
        assert_eq!(rows[1].description, "Session. Nik obli.");
        assert_eq!(request_block(&page).map(|c| c.line), Some(17));
    }

    fn cell(text: &str) -> Inline {
        Inline {
            text: text.into(),
            ..Inline::default()
        }
    }

    #[test]
    fn type_cells() {
        let norm = |t: &str| normalize_type(&cell(t), "p.md", None, &Links).map(|t| t.to_string());
        assert_eq!(norm("Int32").as_deref(), Some("int32"));
        assert_eq!(norm("number").as_deref(), Some("double"));
        assert_eq!(
            norm("string collection").as_deref(),
            Some("Collection(string)")
        );
        assert_eq!(
            norm("(boolean or string or number) collection").as_deref(),
            Some("Collection(any)")
        );
        assert_eq!(norm("Zeichenkette"), None);
        let linked = Inline {
            text: "Range".into(),
            code: vec![],
            links: vec![crate::extract::markdown::Link {
                target: "range.md".into(),
                text: "Range".into(),
            }],
        };
        assert_eq!(
            normalize_type(&linked, "p.md", None, &Links).map(|t| t.to_string()),
            Some("workbookRange".into())
        );
    }

    #[test]
    fn enum_values_and_series() {
        let desc = |codes: &[&str]| Inline {
            text: String::new(),
            code: codes.iter().map(|c| c.to_string()).collect(),
            links: vec![],
        };
        assert_eq!(enum_values(&desc(&["Right", "Down"])), ["Down", "Right"]);
        // garbled by translation: adjacent backticks in one span
        assert_eq!(enum_values(&desc(&["A`B"])), ["A", "B"]);
        assert!(enum_values(&desc(&["Down"])).is_empty());
        assert!(enum_values(&desc(&["A1:B2", "Down"])).is_empty());
        assert!(enum_values(&desc(&["Light1", "Light21"])).is_empty());
        assert!(!names_series_end_points(&["Level1", "Level2", "Level3"]));
    }

    #[test]
    fn type_words_need_agreement() {
        let g = |cell: &str, t: &str| TypeGuess {
            page: "p.md".into(),
            line: 1,
            param: "x".into(),
            cell: cell.into(),
            csdl: TypeRef::parse(t).unwrap(),
        };
        let words = learn_type_words(&[
            g("zeichen", "string"),
            g("zeichen", "string"),
            g("zeichen", "int32"),
            g("selten", "boolean"),
            g("gemischt", "string"),
            g("gemischt", "boolean"),
        ]);
        assert_eq!(
            words.get("zeichen").map(|t| t.to_string()).as_deref(),
            Some("string")
        );
        assert!(!words.contains_key("selten"), "one row is not enough");
        assert!(!words.contains_key("gemischt"), "no two-thirds majority");
    }

    #[test]
    fn node_names_and_verbs() {
        let b = |t: &str, c: bool| Binding {
            type_: t.into(),
            collection: c,
        };
        assert_eq!(node_name(&b("workbookChartAxis", false)), "chartAxis");
        assert_eq!(node_name(&b("workbook", false)), "workbook");
        assert_eq!(node_name(&b("workbookTable", true)), "tableCollection");
        assert_eq!(rest_verb(Method::Get, true), "list");
        assert_eq!(rest_verb(Method::Get, false), "get");
        assert_eq!(rest_verb(Method::Patch, false), "update");
        assert_eq!(rest_verb(Method::Post, true), "create");
        assert_eq!(rest_verb(Method::Put, false), "update");
        assert_eq!(rest_verb(Method::Delete, true), "delete");
        assert_eq!(
            map_type_name("microsoft.graph.workbookRange", None).as_deref(),
            Some("workbookRange")
        );
        assert_eq!(map_type_name("Edm.Int32", None).as_deref(), Some("int32"));
    }

    #[test]
    fn the_most_common_method_wins() {
        let block = parse_request_block(
            "GET /workbook/a\nPOST /workbook/b\nPOST /workbook/c\n",
            1,
            "p.md",
            &mut Vec::new(),
        );
        assert_eq!(page_method(&block), Some(Method::Post));
        let tie = parse_request_block(
            "GET /workbook/a\nPOST /workbook/b\n",
            1,
            "",
            &mut Vec::new(),
        );
        assert_eq!(page_method(&tie), Some(Method::Get));
    }
}
