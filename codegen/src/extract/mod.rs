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
//! 3. learn the snapshot's locale ([`locale::Knowledge`]);
//! 4. follow `resources/*.md` links transitively (case-insensitively) to the resource pages;
//! 5. extract one [`Operation`](crate::spec::Operation) per API page ([`api`], [`paths`]) and
//!    the types of the resource pages (`resource`), plus the Excel function catalog from the
//!    CSDL ([`functions`]).

pub mod api;
pub mod csdl;
pub mod functions;
pub mod locale;
pub mod markdown;
pub mod paths;
pub mod resource;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::spec::Spec;

pub use api::{examples, Example, ExampleKind};

/// A docs file: path relative to the docs root, raw bytes.
pub type DocFile = (String, Vec<u8>);

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
    ex.diagnostics.sort();
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
    for ver in ["v1.0", "beta"] {
        let dir = api_ref.join(ver);
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
pub fn version_of(path: &str) -> Option<&'static str> {
    let mut it = path.split('/');
    while let Some(c) = it.next() {
        if c == "api-reference" {
            return match it.next() {
                Some("v1.0") => Some("v1.0"),
                Some("beta") => Some("beta"),
                _ => None,
            };
        }
    }
    None
}

/// Resolve a relative link target against the directory of `from` (`a/b/c.md` + `../x/y.md` ->
/// `a/x/y.md`), dropping any `#fragment` or `?query`. `None` for absolute/external targets.
pub fn resolve_link(from: &str, target: &str) -> Option<String> {
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
    version: &'static str,
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
    let mut diags: Vec<Diagnostic> = Vec::new();
    // Decode and parse every page; pages are independent, so split them over the cores.
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

    // API pages by content; the rest are candidate resource pages.
    let (apis, others): (Vec<Parsed>, Vec<Parsed>) = parsed
        .into_iter()
        .partition(|p| api::is_workbook_api(&p.page));

    // locale knowledge
    let mut rows = Vec::new();
    let mut example_headers = Vec::new();
    for p in &apis {
        let mut d = Vec::new();
        let block_headers = api::request_block(&p.page)
            .map(|c| {
                paths::parse_request_block(&c.text, c.line + 1, "", &mut d)
                    .headers
                    .into_iter()
                    .map(|h| h.0)
                    .collect()
            })
            .unwrap_or_default();
        rows.push(locale::HeaderRowsOfPage {
            rows: api::header_rows(&p.page)
                .into_iter()
                .map(|(n, d, _)| (n, d))
                .collect(),
            block_headers,
        });
        for e in api::examples_of(&p.page) {
            if e.kind == ExampleKind::Request {
                example_headers.extend(e.headers.into_iter().map(|h| h.0));
            }
        }
    }
    let knowledge = locale::Knowledge::learn(&rows, &example_headers);

    // resource pages: follow links from API pages, transitively
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
    let is_resource_target = |t: &str| {
        let l = t.to_ascii_lowercase();
        l.split(['#', '?']).next().unwrap_or("").ends_with(".md")
    };
    for p in &apis {
        for l in p.page.links() {
            if is_resource_target(&l.target) {
                if let Some(i) = res.index_of(&p.path, &l.target) {
                    if res
                        .parsed
                        .get(i)
                        .is_some_and(|r| r.path.contains("/resources/"))
                        && used.insert(i)
                    {
                        queue.push(i);
                    }
                }
            }
        }
    }
    while let Some(i) = queue.pop() {
        let Some(r) = res.parsed.get(i) else { continue };
        let targets: Vec<String> = r
            .page
            .links()
            .into_iter()
            .map(|l| l.target.clone())
            .collect();
        let from = r.path.clone();
        for t in targets {
            if is_resource_target(&t) {
                if let Some(j) = res.index_of(&from, &t) {
                    if res
                        .parsed
                        .get(j)
                        .is_some_and(|r| r.path.contains("/resources/"))
                        && used.insert(j)
                    {
                        queue.push(j);
                    }
                }
            }
        }
    }
    for &i in &used {
        if let Some(r) = res.parsed.get(i) {
            if let Some((t, _)) = resource::resource_type_name(&r.page, &r.path, csdl) {
                res.types.insert(i, t);
            }
        }
    }

    // operations
    let mut spec = Spec::default();
    let mut by_id: BTreeMap<(String, String), Vec<crate::spec::Operation>> = BTreeMap::new();
    let mut guesses: Vec<api::TypeGuess> = Vec::new();
    for p in &apis {
        spec.versions.entry(p.version.to_string()).or_default();
    }
    // Pages are independent once the snapshot's knowledge is learned: extract them in parallel,
    // then merge in page order (deterministic).
    let (res_ref, knowledge_ref) = (&res, &knowledge);
    let parts = in_parallel(
        &apis,
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
                    api::extract_operation(&input, csdl, knowledge_ref, res_ref, &mut g, &mut d)
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
    // Extraction diagnostics are held apart until collisions are settled: a page re-extracted
    // with a repaired template replaces its own.
    let mut op_diags: Vec<Diagnostic> = Vec::new();
    let mut repaired: Vec<crate::spec::Operation> = Vec::new();
    for (ops, g, d) in parts {
        guesses.extend(g);
        op_diags.extend(d);
        for op in ops {
            by_id
                .entry((op.version.clone(), op.id.clone()))
                .or_default()
                .push(op);
        }
    }
    for ((version, id), mut ops) in by_id {
        // Collisions (the same operation documented on several pages): the page with the most
        // templates keeps the id (ties: the file name that sorts first). A page whose templates
        // are all among the keeper's documents the same operation: it is merged (reported).
        // Otherwise its id gets its page stem as a suffix (`list` -> `listBy<Stem>`).
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
                // Templates copied from the keeper's page while the examples call another
                // operation of the same node: repair the templates rather than lose it.
                let page = apis.iter().find(|p| p.path == op.source.page);
                let seg = csdl.zip(page).and_then(|(c, p)| {
                    api::example_operation_segment(&p.page, &op, c).map(|s| (s, p))
                });
                if let Some((seg, p)) = seg {
                    let input = api::PageInput {
                        path: &p.path,
                        version: p.version,
                        page: &p.page,
                        final_segment: Some(&seg),
                    };
                    let (mut g, mut d) = (Vec::new(), Vec::new());
                    if let Some(new_op) =
                        api::extract_operation(&input, csdl, &knowledge, &res, &mut g, &mut d)
                    {
                        if new_op.id != id {
                            op_diags.retain(|x| x.file != p.path);
                            guesses.retain(|x| x.page != p.path);
                            op_diags.extend(d);
                            guesses.extend(g);
                            repaired.push(new_op);
                            continue;
                        }
                    }
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

    for op in repaired {
        let vs = spec.versions.entry(op.version.clone()).or_default();
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
    diags.extend(op_diags);

    // translated type words learned over the snapshot override the CSDL fallback
    let words = api::learn_type_words(&guesses);
    for g in &guesses {
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

    // types, one resource context per version (file stems differ between versions)
    let mut by_version: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &used {
        if let Some(r) = res.parsed.get(i) {
            by_version.entry(r.version).or_default().push(i);
        }
    }
    for (version, idx) in by_version {
        let mut ctx = resource::ResourceContext::new(csdl);
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
        let vs = spec.versions.entry(version.to_string()).or_default();
        for &i in &idx {
            let Some(r) = res.parsed.get(i) else { continue };
            let Some(t) = resource::extract_resource(&r.page, &r.path, version, &ctx, &mut diags)
            else {
                continue;
            };
            match vs.types.get(&t.name) {
                Some(prev) => diags.push(Diagnostic::warning(
                    &r.path,
                    t.source.line,
                    format!(
                        "type `{}` is also described by `{}` (kept there)",
                        t.name, prev.source.page
                    ),
                )),
                None => {
                    vs.types.insert(t.name.clone(), t);
                }
            }
        }
    }

    if let Some(c) = csdl {
        spec.functions = Some(functions::function_catalog(c));
    }
    diags.sort();
    diags.dedup();
    Extraction {
        spec,
        diagnostics: diags,
        pages: apis.len() + used.len(),
    }
}
