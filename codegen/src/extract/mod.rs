//! `graph-workbook-codegen extract`: Microsoft Graph docs markdown -> spec/.
//!
//! Entry points: [`extract_docs`] (a docs checkout on disk) and [`extract_pages`] (in-memory
//! pages, for tests and fuzzing; never panics). Both run the same pipeline:
//!
//! 1. decode (lossy, with a diagnostic on invalid UTF-8) and parse every page ([`markdown`]);
//!    de-DE bilingual pages are read on their translated side, so a bilingual snapshot and its
//!    translated-only twin give the same spec (the English side stays available through
//!    [`markdown::Side::English`]);
//! 2. select API pages by content ([`api::is_workbook_api`]);
//! 3. learn the snapshot's locale ([`locale::Knowledge`]): header names (code blocks, structural
//!    rules, translations), Required/Optional markers;
//! 4. follow `resources/*.md` links transitively (case-insensitively) to the resource pages;
//! 5. learn the snapshot's type words from the resource pages (cells whose row names a CSDL
//!    property), extract the types of the resource pages (`resource`) and learn the translated
//!    row names their evidence-based pairings teach (then extract the types again with them);
//! 6. extract one [`Operation`](crate::spec::Operation) per API page ([`api`], [`paths`]),
//!    settle collisions, apply the type words learned from the API tables, check the markers
//!    against the CSDL's nullability, plus the Excel function catalog from the CSDL
//!    ([`functions`]).
//!
//! No translated word becomes a wire name: names come from code blocks, example JSON, link
//! targets, the CSDL or structural rules; a row nothing names is left out with a diagnostic.
//! `tests/extract_pseudo_locales.rs` checks this over the whole en-2021 snapshot rewritten into
//! invented languages.

pub mod api;
pub mod csdl;
pub mod functions;
pub mod locale;
pub mod markdown;
pub mod metadata_ops;
pub mod paths;
pub mod resource;
pub(crate) mod walk;
mod wire_form;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::spec::{ApiVersion, Spec};

pub use api::{examples, Example, ExampleKind};

/// A docs file: path relative to the docs root, raw bytes.
pub(crate) type DocFile = (String, Vec<u8>);

/// The result of an extraction.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub spec: Spec,
    /// Sorted (file, line, severity, message).
    pub diagnostics: Vec<Diagnostic>,
    /// Pages used: API pages plus the resource pages reached from them.
    pub pages: usize,
}

impl Extraction {
    /// The summary line of the CLI (without the `extracted: ` prefix):
    /// `versions=V pages=P operations=O paths=T types=Y diagnostics=D`.
    pub fn summary(&self) -> String {
        let ops: usize = self
            .spec
            .versions
            .values()
            .map(|v| v.operations.len())
            .sum();
        let paths: usize = self
            .spec
            .versions
            .values()
            .flat_map(|v| v.operations.values())
            .map(|o| o.paths.len())
            .sum();
        let types: usize = self.spec.versions.values().map(|v| v.types.len()).sum();
        format!(
            "versions={} pages={} operations={ops} paths={paths} types={types} diagnostics={}",
            self.spec.versions.len(),
            self.pages,
            self.diagnostics.len()
        )
    }
}

/// Extract a docs checkout. `root` contains `api-reference/v1.0` and/or `api-reference/beta`.
/// `Err` only when there are no docs at all under `root`.
pub fn extract_docs(root: &Path, csdl: Option<&csdl::Csdl>) -> Result<Extraction, String> {
    let (pages, errors) = read_docs(root)?;
    let mut ex = extract_pages(&pages, csdl);
    ex.diagnostics.extend(errors);
    crate::diagnostics::sort(&mut ex.diagnostics);
    Ok(ex)
}

/// Read every `.md` file under `root/api-reference/{v1.0,beta}` as `(path relative to root,
/// bytes)`, sorted by path, plus diagnostics for unreadable files. `Err` when neither version
/// directory exists.
pub fn read_docs(root: &Path) -> Result<(Vec<DocFile>, Vec<Diagnostic>), String> {
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    let mut errors = Vec::new();
    let api_ref = root.join("api-reference");
    let mut found_version = false;
    for ver in ApiVersion::ALL {
        let dir = api_ref.join(ver.as_str());
        if !dir.is_dir() {
            continue;
        }
        found_version = true;
        collect_md(&dir, root, &mut pages, &mut errors);
    }
    if !found_version {
        return Err(format!(
            "{}: no docs (expected api-reference/v1.0 or api-reference/beta)",
            root.display()
        ));
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((pages, errors))
}

fn collect_md(
    dir: &Path,
    root: &Path,
    out: &mut Vec<(String, Vec<u8>)>,
    errors: &mut Vec<Diagnostic>,
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        errors.push(Diagnostic::error(
            dir.display().to_string(),
            0,
            "cannot read directory",
        ));
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_md(&p, root, out, errors);
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read(&p) {
                Ok(b) => out.push((rel, b)),
                Err(e) => errors.push(Diagnostic::error(rel, 0, format!("cannot read: {e}"))),
            }
        }
    }
}

/// The API version of a page path: the component after `api-reference`, if it is `v1.0` or
/// `beta`.
pub(crate) fn version_of(path: &str) -> Option<ApiVersion> {
    let mut it = path.split('/');
    while let Some(c) = it.next() {
        if c == "api-reference" {
            return it.next().and_then(ApiVersion::parse);
        }
    }
    None
}

/// Resolve a relative link target against the directory of `from` (`a/b/c.md` + `../x/y.md` ->
/// `a/x/y.md`), dropping any `#fragment` or `?query`. `None` for absolute/external targets.
pub(crate) fn resolve_link(from: &str, target: &str) -> Option<String> {
    let t = target.split(['#', '?']).next().unwrap_or("").trim();
    if t.is_empty() || t.starts_with('/') || t.contains("://") || t.starts_with("mailto:") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in t.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

struct Parsed {
    path: String,
    version: ApiVersion,
    page: markdown::Page,
}

/// Resource pages, keyed by lower-cased path, with the type their `blockType: resource` comment
/// names.
struct Resources {
    by_lower: BTreeMap<String, usize>,
    parsed: Vec<Parsed>,
    types: BTreeMap<usize, String>,
    csdl_present: bool,
}

impl Resources {
    fn index_of(&self, from: &str, target: &str) -> Option<usize> {
        let p = resolve_link(from, target)?;
        self.by_lower.get(&p.to_ascii_lowercase()).copied()
    }
}

impl api::ResourceLookup for Resources {
    fn type_of_link(&self, page: &str, target: &str) -> Option<String> {
        let t = target.to_ascii_lowercase();
        if !t.split(['#', '?']).next().unwrap_or("").ends_with(".md") {
            return None;
        }
        let i = self.index_of(page, target)?;
        let _ = self.csdl_present;
        self.types.get(&i).cloned()
    }
}

fn parse_all(pages: &[(String, Vec<u8>)]) -> (Vec<Parsed>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    for (path, bytes) in pages {
        let path = path.replace('\\', "/");
        if !path.to_ascii_lowercase().ends_with(".md") {
            continue;
        }
        let Some(version) = version_of(&path) else {
            continue;
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(e) => {
                let line = bytes
                    .get(..e.valid_up_to())
                    .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count() + 1);
                diags.push(Diagnostic::warning(
                    &path,
                    u32::try_from(line).unwrap_or(0),
                    "invalid UTF-8: decoded lossily",
                ));
                String::from_utf8_lossy(bytes)
            }
        };
        let page = markdown::Page::parse(&text, markdown::Side::Local);
        parsed.push(Parsed {
            path,
            version,
            page,
        });
    }
    (parsed, diags)
}

/// `work` over `items` split into one chunk per core (at most 8), results in chunk order; a
/// chunk whose thread panicked gives `on_panic()` instead, so nothing else is lost.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[T]) -> R + Sync,
    on_panic: impl Fn() -> R,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || work(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| on_panic()))
            .collect()
    })
}

/// Extract in-memory pages: `(path relative to the docs root, raw bytes)`. Never panics.
pub fn extract_pages(pages: &[(String, Vec<u8>)], csdl: Option<&csdl::Csdl>) -> Extraction {
    let (parsed, mut diags) = parse_pages(pages);
    // API pages by content; the rest are candidate resource pages.
    let (apis, others): (Vec<Parsed>, Vec<Parsed>) = parsed
        .into_iter()
        .partition(|p| api::is_workbook_api(&p.page));
    let mut knowledge = learn_locale(&apis);
    let (res, used) = reachable_resources(&apis, others, csdl);
    knowledge.type_words = learn_resource_type_words(&res, &used, csdl);
    // Types first: their pages teach the snapshot's translated row names.
    // Each pass may name more rows (a learned name is an anchor for the order of its table's
    // other rows); a few passes reach the fixed point on every snapshot seen.
    let (mut types, mut type_diags, mut names) = extract_types(&res, &used, csdl, &knowledge);
    for _ in 0..3 {
        let before = knowledge.name_translations.len();
        for (text, wire) in std::mem::take(&mut names) {
            knowledge.name_translations.entry(text).or_insert(wire);
        }
        if knowledge.name_translations.len() == before {
            break;
        }
        (types, type_diags, names) = extract_types(&res, &used, csdl, &knowledge);
    }
    diags.extend(type_diags);

    let mut spec = Spec::default();
    for p in &apis {
        spec.versions.entry(p.version).or_default();
    }
    let (by_id, mut guesses, mut op_diags) = extract_operations(&apis, csdl, &knowledge, &res);
    let ctx = OperationsContext {
        apis: &apis,
        csdl,
        knowledge: &knowledge,
        res: &res,
    };
    let repaired = settle_collisions(
        &ctx,
        by_id,
        &mut spec,
        &mut guesses,
        &mut op_diags,
        &mut diags,
    );
    insert_repaired(repaired, &mut spec, &mut diags);
    diags.extend(op_diags);
    apply_type_words(&guesses, &mut spec, &mut diags);
    if let Some(c) = csdl {
        wire_form::apply(&mut spec, c, &mut diags);
        diags.extend(check_markers_against_nullability(&spec, c));
        wire_form::optional_from_nullable(&mut spec, c, &mut diags);
        for (version, vs) in &mut spec.versions {
            metadata_ops::add_metadata_operations(vs, *version, c, &mut diags);
            metadata_ops::add_create_operations(vs, *version, c);
        }
    }
    for (version, t) in types {
        spec.versions.entry(version).or_default().types = t;
    }

    if let Some(c) = csdl {
        spec.functions = Some(functions::function_catalog(c));
    }
    crate::diagnostics::sort(&mut diags);
    diags.dedup();
    Extraction {
        spec,
        diagnostics: diags,
        pages: apis.len() + used.len(),
    }
}

/// Decode and parse every page; pages are independent, so split them over the cores. Sorted by
/// path, duplicates dropped.
fn parse_pages(pages: &[(String, Vec<u8>)]) -> (Vec<Parsed>, Vec<Diagnostic>) {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let results = in_parallel(pages, parse_all, || {
        (
            Vec::new(),
            vec![Diagnostic::error("", 0, "page parser thread panicked")],
        )
    });
    let mut parsed: Vec<Parsed> = Vec::new();
    for (p, d) in results {
        parsed.extend(p);
        diags.extend(d);
    }
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    parsed.dedup_by(|a, b| a.path == b.path);
    (parsed, diags)
}

/// The snapshot's locale knowledge, from the header tables, request blocks and example requests
/// of its API pages.
fn learn_locale(apis: &[Parsed]) -> locale::Knowledge {
    let mut rows = Vec::new();
    let mut example_headers = Vec::new();
    for p in apis {
        let mut d = Vec::new();
        let block_headers = api::request_block(&p.page)
            .map(|c| {
                paths::parse_request_block(&c.text, c.line + 1, "", &mut d)
                    .headers
                    .into_iter()
                    .map(|h| h.name)
                    .collect()
            })
            .unwrap_or_default();
        rows.push(locale::HeaderRowsOfPage {
            rows: api::header_rows(&p.page)
                .into_iter()
                .map(|r| (r.name, r.description))
                .collect(),
            block_headers,
        });
        for e in api::examples_of(&p.page) {
            if e.kind == ExampleKind::Request {
                example_headers.extend(e.headers.into_iter().map(|h| h.name));
            }
        }
    }
    locale::Knowledge::learn(&rows, &example_headers)
}

fn is_resource_target(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    l.split(['#', '?']).next().unwrap_or("").ends_with(".md")
}

/// The resource pages reached by links from the API pages, transitively, with the type each
/// describes. Returns the lookup over every non-API page and the indices of the reached ones.
fn reachable_resources(
    apis: &[Parsed],
    others: Vec<Parsed>,
    csdl: Option<&csdl::Csdl>,
) -> (Resources, BTreeSet<usize>) {
    let mut res = Resources {
        by_lower: BTreeMap::new(),
        parsed: Vec::new(),
        types: BTreeMap::new(),
        csdl_present: csdl.is_some(),
    };
    for p in others {
        res.by_lower
            .insert(p.path.to_ascii_lowercase(), res.parsed.len());
        res.parsed.push(p);
    }
    let mut used: BTreeSet<usize> = BTreeSet::new();
    let mut queue: Vec<usize> = Vec::new();
    let mut follow = |res: &Resources, from: &str, target: &str, queue: &mut Vec<usize>| {
        if !is_resource_target(target) {
            return;
        }
        if let Some(i) = res.index_of(from, target) {
            if res
                .parsed
                .get(i)
                .is_some_and(|r| r.path.contains("/resources/"))
                && used.insert(i)
            {
                queue.push(i);
            }
        }
    };
    for p in apis {
        for l in p.page.links() {
            follow(&res, &p.path, &l.target, &mut queue);
        }
    }
    while let Some(i) = queue.pop() {
        let Some(r) = res.parsed.get(i) else { continue };
        for l in r.page.links() {
            follow(&res, &r.path, &l.target, &mut queue);
        }
    }
    for &i in &used {
        if let Some(r) = res.parsed.get(i) {
            if let Some((t, _)) = resource::resource_type_name(&r.page, &r.path, csdl) {
                res.types.insert(i, t);
            }
        }
    }
    (res, used)
}

/// The learned Required/Optional markers checked against the CSDL where it states nullability:
/// body parameters of actions whose CSDL parameter is `Nullable="false"` are required on the
/// wire. When most such parameters came out optional, the learned markers are likely inverted
/// (a negated optional marker read as the required one): one warning for the snapshot, naming
/// an example page.
pub fn check_markers_against_nullability(spec: &Spec, c: &csdl::Csdl) -> Option<Diagnostic> {
    let (mut agree, mut disagree) = (0usize, Vec::new());
    for op in spec.versions.values().flat_map(|v| v.operations.values()) {
        // The page's markers: its own body where the wire form moved it into the path.
        let body = op.documented.as_ref().map_or(&op.body, |d| &d.body);
        let crate::spec::Body::Parameters { params } = body else {
            continue;
        };
        let ops = walk::called_operations(c, op);
        for p in params {
            let non_null = ops
                .iter()
                .flat_map(|o| o.params.iter())
                .any(|cp| cp.name == p.name && !cp.nullable);
            match (non_null, p.required) {
                (true, true) => agree += 1,
                (true, false) => disagree.push((&op.source, &p.name)),
                _ => {}
            }
        }
    }
    let (src, name) = disagree.first()?;
    (disagree.len() > agree).then(|| {
        Diagnostic::warning(
            &src.page,
            src.line,
            format!(
                "{} of {} body parameters the CSDL declares non-nullable came out optional (`{name}` here): the learned Required/Optional markers may be inverted",
                disagree.len(),
                disagree.len() + agree
            ),
        )
    })
}

/// Type words of the snapshot (lower-cased type cell -> type), learned from the property rows of
/// the reached resource pages that name a CSDL property directly: a cell text that agrees on one
/// CSDL type in at least 2 rows and two thirds of its rows ([`api::learn_type_words`]). English
/// words are read by rule and give no evidence; translated ones (`zeichenkette`) are learned.
fn learn_resource_type_words(
    res: &Resources,
    used: &BTreeSet<usize>,
    csdl: Option<&csdl::Csdl>,
) -> BTreeMap<String, crate::spec::TypeRef> {
    let Some(c) = csdl else {
        return BTreeMap::new();
    };
    let mut evidence = Vec::new();
    for &i in used {
        let Some(r) = res.parsed.get(i) else { continue };
        for (cell, csdl) in resource::type_word_evidence(&r.page, &r.path, c) {
            evidence.push(api::TypeGuess {
                page: r.path.clone(),
                line: 0,
                param: String::new(),
                cell,
                csdl,
            });
        }
    }
    api::learn_type_words(&evidence)
}

/// Operations by (version, id) in page order, with the type guesses and diagnostics.
type ExtractedOperations = (
    BTreeMap<(ApiVersion, String), Vec<crate::spec::Operation>>,
    Vec<api::TypeGuess>,
    Vec<Diagnostic>,
);

/// Extract every API page. Pages are independent once the snapshot's knowledge is learned:
/// they are extracted in parallel, then merged in page order (deterministic).
fn extract_operations(
    apis: &[Parsed],
    csdl: Option<&csdl::Csdl>,
    knowledge: &locale::Knowledge,
    res: &Resources,
) -> ExtractedOperations {
    let parts = in_parallel(
        apis,
        |c: &[Parsed]| {
            let (mut ops, mut g, mut d) = (Vec::new(), Vec::new(), Vec::new());
            for p in c {
                let input = api::PageInput {
                    path: &p.path,
                    version: p.version,
                    page: &p.page,
                    final_segment: None,
                };
                if let Some(op) =
                    api::extract_operation(&input, csdl, knowledge, res, &mut g, &mut d)
                {
                    ops.push(op);
                }
            }
            (ops, g, d)
        },
        || {
            (
                Vec::new(),
                Vec::new(),
                vec![Diagnostic::error("", 0, "extraction thread panicked")],
            )
        },
    );
    let mut by_id: BTreeMap<(ApiVersion, String), Vec<crate::spec::Operation>> = BTreeMap::new();
    let (mut guesses, mut op_diags) = (Vec::new(), Vec::new());
    for (ops, g, d) in parts {
        guesses.extend(g);
        op_diags.extend(d);
        for op in ops {
            by_id
                .entry((op.version, op.id.clone()))
                .or_default()
                .push(op);
        }
    }
    (by_id, guesses, op_diags)
}

/// What re-extracting a page needs.
struct OperationsContext<'a> {
    apis: &'a [Parsed],
    csdl: Option<&'a csdl::Csdl>,
    knowledge: &'a locale::Knowledge,
    res: &'a Resources,
}

/// Collisions (the same operation documented on several pages): the page with the most
/// templates keeps the id (ties: the file name that sorts first). A page whose templates are all
/// among the keeper's documents the same operation: it is merged (reported), unless its examples
/// call another operation of the same node, in which case it is re-extracted with repaired
/// templates (returned, to be inserted after every collision is settled). Otherwise its id gets
/// its page stem as a suffix (`list` -> `listBy<Stem>`).
///
/// Extraction diagnostics (`op_diags`) are held apart until collisions are settled: a page
/// re-extracted with a repaired template replaces its own.
fn settle_collisions(
    ctx: &OperationsContext<'_>,
    by_id: BTreeMap<(ApiVersion, String), Vec<crate::spec::Operation>>,
    spec: &mut Spec,
    guesses: &mut Vec<api::TypeGuess>,
    op_diags: &mut Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::spec::Operation> {
    let mut repaired: Vec<crate::spec::Operation> = Vec::new();
    for ((version, id), mut ops) in by_id {
        ops.sort_by(|a, b| {
            b.paths
                .len()
                .cmp(&a.paths.len())
                .then(a.source.page.cmp(&b.source.page))
        });
        let vs = spec.versions.entry(version).or_default();
        let mut it = ops.into_iter();
        let Some(first) = it.next() else { continue };
        let keeper = first.source.page.clone();
        let keeper_templates: BTreeSet<String> =
            first.paths.iter().map(|p| p.template.clone()).collect();
        vs.operations.insert(id.clone(), first);
        for mut op in it {
            if op
                .paths
                .iter()
                .all(|p| keeper_templates.contains(&p.template))
            {
                if let Some(new_op) = repair_copied_templates(ctx, &op, &id, guesses, op_diags) {
                    repaired.push(new_op);
                    continue;
                }
                diags.push(Diagnostic::warning(
                    &op.source.page,
                    op.source.line,
                    format!("documents `{id}` again (its templates are among those of `{keeper}`): merged into it"),
                ));
                continue;
            }
            let stem = op
                .source
                .page
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".md")
                .to_string();
            let suffix = crate::naming::pascal_case(&stem);
            let (node, verb) = id.split_once('.').unwrap_or((&id, ""));
            let new_verb = format!("{verb}By{suffix}");
            let new_id = format!("{node}.{new_verb}");
            diags.push(Diagnostic::warning(
                &op.source.page,
                op.source.line,
                format!("operation id `{id}` is also produced by `{keeper}` (kept there); this page gets `{new_id}`"),
            ));
            op.id = new_id.clone();
            op.rust_name = crate::naming::snake_case(&new_verb);
            vs.operations.insert(new_id, op);
        }
    }
    repaired
}

/// Templates copied from the keeper's page while the examples call another operation of the
/// same node: re-extract the page with the examples' final segment rather than lose it. The
/// page's diagnostics and type guesses are replaced by the re-extraction's.
fn repair_copied_templates(
    ctx: &OperationsContext<'_>,
    op: &crate::spec::Operation,
    id: &str,
    guesses: &mut Vec<api::TypeGuess>,
    op_diags: &mut Vec<Diagnostic>,
) -> Option<crate::spec::Operation> {
    let c = ctx.csdl?;
    let p = ctx.apis.iter().find(|p| p.path == op.source.page)?;
    let seg = api::example_operation_segment(&p.page, op, c)?;
    let input = api::PageInput {
        path: &p.path,
        version: p.version,
        page: &p.page,
        final_segment: Some(&seg),
    };
    let (mut g, mut d) = (Vec::new(), Vec::new());
    let new_op = api::extract_operation(&input, ctx.csdl, ctx.knowledge, ctx.res, &mut g, &mut d)?;
    if new_op.id == id {
        return None;
    }
    op_diags.retain(|x| x.file != p.path);
    guesses.retain(|x| x.page != p.path);
    op_diags.extend(d);
    guesses.extend(g);
    Some(new_op)
}

fn insert_repaired(
    repaired: Vec<crate::spec::Operation>,
    spec: &mut Spec,
    diags: &mut Vec<Diagnostic>,
) {
    for op in repaired {
        let vs = spec.versions.entry(op.version).or_default();
        if let Some(other) = vs.operations.get(&op.id) {
            diags.push(Diagnostic::warning(
                &op.source.page,
                op.source.line,
                format!(
                    "documents `{}` again (repaired templates; also on `{}`): merged into it",
                    op.id, other.source.page
                ),
            ));
            continue;
        }
        vs.operations.insert(op.id.clone(), op);
    }
}

/// Translated type words learned over the snapshot override the CSDL fallback.
fn apply_type_words(guesses: &[api::TypeGuess], spec: &mut Spec, diags: &mut Vec<Diagnostic>) {
    let words = api::learn_type_words(guesses);
    for g in guesses {
        let Some(learned) = words.get(&g.cell) else {
            diags.push(Diagnostic::warning(
                &g.page,
                g.line,
                format!(
                    "parameter `{}`: type words `{}` not recognized (too rare to learn): the CSDL type `{}` is used",
                    g.param, g.cell, g.csdl
                ),
            ));
            continue;
        };
        if *learned == g.csdl {
            continue;
        }
        for vs in spec.versions.values_mut() {
            for op in vs
                .operations
                .values_mut()
                .filter(|o| o.source.page == g.page)
            {
                let params = match &mut op.body {
                    crate::spec::Body::Parameters { params }
                    | crate::spec::Body::Properties { params, .. } => params,
                    _ => continue,
                };
                for p in params.iter_mut().filter(|p| p.name == g.param) {
                    p.type_ = learned.clone();
                    diags.push(Diagnostic::repair(
                        &g.page,
                        g.line,
                        format!("type words `{}` mean `{learned}` in this snapshot (learned); the CSDL says `{}`", g.cell, g.csdl),
                    ));
                }
            }
        }
    }
}

/// Types by version.
type TypesByVersion = BTreeMap<ApiVersion, BTreeMap<String, crate::spec::TypeDef>>;

/// The types of the reached resource pages, one resource context per version (file stems
/// differ between versions), with their diagnostics and the translated row names the pairings
/// teach (a cell text always paired with the same name).
fn extract_types(
    res: &Resources,
    used: &BTreeSet<usize>,
    csdl: Option<&csdl::Csdl>,
    knowledge: &locale::Knowledge,
) -> (TypesByVersion, Vec<Diagnostic>, BTreeMap<String, String>) {
    let mut out: TypesByVersion = BTreeMap::new();
    let mut diags = Vec::new();
    let mut paired: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_version: BTreeMap<ApiVersion, Vec<usize>> = BTreeMap::new();
    for &i in used {
        if let Some(r) = res.parsed.get(i) {
            by_version.entry(r.version).or_default().push(i);
        }
    }
    for (version, idx) in by_version {
        let mut ctx = resource::ResourceContext::new(csdl);
        ctx.type_words = knowledge.type_words.clone();
        ctx.name_translations = knowledge.name_translations.clone();
        for &i in &idx {
            if let (Some(r), Some(t)) = (res.parsed.get(i), res.types.get(&i)) {
                let stem = r
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".md")
                    .to_ascii_lowercase();
                ctx.link_types.entry(stem).or_insert_with(|| t.clone());
            }
        }
        ctx.read_only_markers = resource::learn_read_only_marker(
            idx.iter()
                .filter_map(|&i| res.parsed.get(i).map(|r| &r.page)),
        )
        .into_iter()
        .collect();
        let vs = out.entry(version).or_default();
        for &i in &idx {
            let Some(r) = res.parsed.get(i) else { continue };
            let Some(t) = resource::extract_resource(&r.page, &r.path, version, &ctx, &mut diags)
            else {
                continue;
            };
            match vs.get(&t.name) {
                Some(prev) => diags.push(Diagnostic::warning(
                    &r.path,
                    t.source.line,
                    format!(
                        "type `{}` is also described by `{}` (kept there)",
                        t.name, prev.source.page
                    ),
                )),
                None => {
                    vs.insert(t.name.clone(), t);
                }
            }
        }
        for (text, wire) in ctx.paired.take() {
            paired.entry(text).or_default().insert(wire);
        }
    }
    let names = paired
        .into_iter()
        .filter(|(_, w)| w.len() == 1)
        .filter_map(|(t, w)| Some((t, w.into_iter().next()?)))
        .collect();
    (out, diags, names)
}
