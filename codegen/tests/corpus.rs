//! Issue 2 acceptance over the shared corpus (`../shared/graph-docs`, or `$GRAPH_DOCS_DIR`):
//! every page of every snapshot extracts without a panic, and the specs satisfy structural
//! invariants taken from the docs' format (FORMAT-NOTES.md) and from the corpus' own
//! MANIFEST.tsv, not from the extractor's output.
#![cfg(feature = "extract")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::metadata_ops::CSDL_SOURCE;
use graph_workbook_codegen::extract::{extract_docs, extract_pages, Extraction};
use graph_workbook_codegen::spec::{Body, Operation, Origin, Primitive, Segment, Spec, TypeRef};

use common::{csdl, docs_dir, load_pages, manifest, SNAPSHOTS};

/// Extract pages, catching a panic; on panic, extract page by page to name the culprits.
fn extract_or_name_panics(
    label: &str,
    pages: &[(String, Vec<u8>)],
    csdl: Option<&Csdl>,
) -> Extraction {
    match catch_unwind(AssertUnwindSafe(|| extract_pages(pages, csdl))) {
        Ok(ex) => ex,
        Err(_) => {
            let culprits: Vec<&str> = pages
                .iter()
                .filter(|p| {
                    catch_unwind(AssertUnwindSafe(|| {
                        extract_pages(std::slice::from_ref(*p), csdl)
                    }))
                    .is_err()
                })
                .map(|p| p.0.as_str())
                .collect();
            panic!(
                "{label}: extract_pages panicked (csdl: {}); pages that panic alone: {culprits:?}",
                csdl.is_some()
            );
        }
    }
}

#[test]
fn every_page_of_every_snapshot_extracts_without_panic() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let mut summary = Vec::new();
    for snap in SNAPSHOTS {
        let pages = load_pages(&docs.join(snap));
        assert!(
            pages.len() > 400,
            "{snap}: only {} pages found",
            pages.len()
        );
        for csdl in [Some(c), None] {
            let ex = extract_or_name_panics(snap, &pages, csdl);
            assert!(
                ex.pages > 300,
                "{snap} (csdl: {}): only {} pages used",
                csdl.is_some(),
                ex.pages
            );
            summary.push(format!("{snap} csdl={}: {}", csdl.is_some(), ex.summary()));
        }
    }
    // the seed page, in memory at its docs path, and at a path that is not a docs path
    let seed = std::fs::read(docs.join("seed/workbook-closesession.beta.de-DE.md")).expect("seed");
    for path in [
        "api-reference/beta/api/workbook-closesession.md",
        "seed/workbook-closesession.beta.de-DE.md",
    ] {
        for csdl in [Some(c), None] {
            extract_or_name_panics(path, &[(path.to_string(), seed.clone())], csdl);
        }
    }
    eprintln!("{}", summary.join("\n"));
}

#[test]
fn extract_docs_reads_every_snapshot_like_extract_pages() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    // on-disk and in-memory entry points agree (and the on-disk one is deterministic)
    let snap = "de-DE-2019-live";
    let a = extract_docs(&docs.join(snap), Some(c)).expect("docs found");
    let b = extract_pages(&load_pages(&docs.join(snap)), Some(c));
    assert_eq!(
        a.spec.files(),
        b.spec.files(),
        "{snap}: extract_docs != extract_pages"
    );
    assert_eq!(a.pages, b.pages);
    // no docs at all is an error, not an empty spec
    assert!(extract_docs(&docs.join("seed"), Some(c)).is_err());
    assert!(extract_docs(Path::new("/nonexistent/graph-docs"), None).is_err());
}

#[test]
fn extraction_is_deterministic() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let mut pages = load_pages(&docs.join("en-2021"));
    let a = extract_pages(&pages, Some(c));
    // input order must not matter either
    pages.reverse();
    let b = extract_pages(&pages, Some(c));
    assert_eq!(a.spec.files(), b.spec.files(), "spec depends on page order");
    assert_eq!(
        a.diagnostics, b.diagnostics,
        "diagnostics depend on page order"
    );
}

fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        out.push(rest[i + 1..i + j].to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

fn is_ident(s: &str) -> bool {
    let mut ch = s.chars();
    ch.next().is_some_and(|c| c.is_ascii_alphabetic())
        && ch.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A type reference is a primitive, a CSDL type/enum, or a type of this version's spec.
fn type_is_known(t: &TypeRef, spec_types: &BTreeSet<&String>, csdl: &Csdl) -> bool {
    let inner = match t.innermost() {
        TypeRef::Primitive(_) => return true,
        other => other.to_string(),
    };
    spec_types.contains(&inner)
        || csdl.canonical_type_name(&inner) == Some(inner.as_str())
        || csdl.enum_type(&inner).is_some()
}

/// Structural invariants every operation must satisfy whatever the locale. Returns the
/// violations as `version id: message`.
/// What the checks of one snapshot version need.
struct Ctx<'a> {
    snap: &'a str,
    ver: &'a str,
    spec_types: BTreeSet<&'a String>,
    csdl: &'a Csdl,
    /// The snapshot lists full paths (drive-item prefix + `/workbook/...`).
    full_paths: bool,
}

/// A documented operation names its page and links to it; one from the metadata names the CSDL
/// line and links to no page.
fn source_violations(op: &Operation, ver: &str, bad: &mut impl FnMut(String)) {
    if op.origin == Origin::Metadata {
        if op.source.page != "graph-metadata/v1.0.csdl" || op.source.line == 0 {
            bad(format!("source {:?}", op.source));
        }
        if op.docs_url.is_some() {
            bad(format!(
                "docs_url {:?} on an operation from the metadata",
                op.docs_url
            ));
        }
        return;
    }
    if !(op
        .source
        .page
        .starts_with(&format!("api-reference/{ver}/api/"))
        && op.source.page.ends_with(".md")
        && op.source.line > 0)
    {
        bad(format!("source {:?}", op.source));
    }
    let stem = op
        .source
        .page
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    let view = if ver == "beta" {
        "view=graph-rest-beta"
    } else {
        "view=graph-rest-1.0"
    };
    let url = op.docs_url.as_deref().unwrap_or_default();
    if !(url.contains(stem) && url.contains(view)) {
        bad(format!("docs_url {:?}", op.docs_url));
    }
}

fn operation_violations(cx: &Ctx, key: &str, op: &Operation, problems: &mut Vec<String>) {
    let Ctx {
        snap,
        ver,
        ref spec_types,
        csdl,
        full_paths,
    } = *cx;
    let mut bad =
        |m: String| problems.push(format!("{snap} {ver} {key} ({}): {m}", op.source.page));
    if op.id != key {
        bad(format!("id `{}` != map key", op.id));
    }
    match op.id.split_once('.') {
        Some((node, verb)) if is_ident(node) && is_ident(verb) => {}
        _ => bad(format!("id `{}` is not `<node>.<verb>`", op.id)),
    }
    if !(is_ident(&op.rust_name) && op.rust_name == op.rust_name.to_ascii_lowercase()) {
        bad(format!("rust_name `{}` is not snake_case", op.rust_name));
    }
    if op.version != ver {
        bad(format!("version `{}`", op.version));
    }
    source_violations(op, ver, &mut bad);
    if !["GET", "POST", "PATCH", "DELETE", "PUT"].contains(&op.method.as_str()) {
        bad(format!("method `{}`", op.method));
    }
    if !op.binding.type_.starts_with("workbook") {
        bad(format!("binding `{}`", op.binding.type_));
    }
    if op.paths.is_empty() {
        bad("no path".into());
    }
    for p in &op.paths {
        let t = &p.template;
        if !t.starts_with("/workbook") {
            bad(format!("template `{t}` is not workbook-relative"));
        }
        let opens = t.matches('(').count();
        if t.chars().any(char::is_whitespace)
            || opens != t.matches(')').count()
            || t.contains(['<', '>', '$', '|'])
            || t.ends_with('/')
            || t.contains("//")
            || t.to_ascii_lowercase().contains("undefined")
        {
            bad(format!("template `{t}` is not normalized"));
        }
        let ph = placeholders(t);
        let distinct: BTreeSet<&String> = ph.iter().collect();
        if distinct.len() != ph.len() {
            bad(format!("template `{t}` repeats a placeholder name"));
        }
        if ph.iter().any(|n| n.is_empty() || n == "id") {
            bad(format!(
                "template `{t}`: placeholder not named from its collection"
            ));
        }
        // every placeholder is a typed parameter of a segment
        let mut seg_params: BTreeSet<&str> = BTreeSet::new();
        for s in &p.segments {
            match s {
                Segment::Key { param } => {
                    seg_params.insert(&param.name);
                }
                Segment::Call { args, .. } => {
                    seg_params.extend(args.iter().map(|a| a.name.as_str()))
                }
                Segment::Navigation { .. } => {}
            }
        }
        for n in &ph {
            let base = n.split('=').next().unwrap_or(n);
            if !seg_params.contains(base)
                && !seg_params
                    .iter()
                    .any(|s| t.contains(&format!("{s}={{{n}}}")))
            {
                bad(format!(
                    "template `{t}`: placeholder `{n}` has no segment parameter"
                ));
            }
        }
        match p.segments.first() {
            Some(Segment::Navigation { name, .. }) if name == "workbook" => {}
            other => bad(format!("template `{t}`: first segment {other:?}")),
        }
        if p.lines.is_empty() {
            bad(format!("template `{t}`: no source lines"));
        }
        if full_paths && p.prefixes.is_empty() {
            bad(format!(
                "template `{t}`: the page lists full paths but no prefix was kept"
            ));
        }
        for pre in &p.prefixes {
            if !(pre.starts_with("/me/drive") || pre.starts_with("/drive"))
                || pre.contains("/workbook")
            {
                bad(format!("prefix `{pre}`"));
            }
        }
    }
    let templates: BTreeSet<&String> = op.paths.iter().map(|p| &p.template).collect();
    if templates.len() != op.paths.len() {
        bad("duplicate templates".into());
    }
    // headers
    let lower: Vec<String> = op
        .headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .collect();
    if lower.iter().collect::<BTreeSet<_>>().len() != lower.len() {
        bad(format!("duplicate headers {:?}", op.headers));
    }
    match op
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("authorization"))
    {
        Some(h) if h.required && h.name == "Authorization" => {}
        other => bad(format!("Authorization header: {other:?}")),
    }
    for h in &op.headers {
        if !h
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            bad(format!("header name `{}` is not an HTTP token", h.name));
        }
    }
    // body
    let params = match &op.body {
        Body::None => Vec::new(),
        Body::Parameters { params } => params.clone(),
        Body::Resource { type_ } => {
            if !type_is_known(type_, spec_types, csdl) {
                bad(format!("body type `{type_}` unknown"));
            }
            Vec::new()
        }
        Body::Properties { type_, params } => {
            if !type_is_known(type_, spec_types, csdl) {
                bad(format!("body type `{type_}` unknown"));
            }
            params.clone()
        }
    };
    let names: BTreeSet<&str> = params.iter().map(|p| p.name.as_str()).collect();
    if names.len() != params.len() {
        bad("duplicate body parameters".into());
    }
    for p in &params {
        if !is_ident(&p.name) {
            bad(format!("body parameter `{}` is not an identifier", p.name));
        }
        if !type_is_known(&p.type_, spec_types, csdl) {
            bad(format!(
                "body parameter `{}`: unknown type `{}`",
                p.name, p.type_
            ));
        }
    }
    if op.method == "PATCH" && !matches!(op.body, Body::Properties { .. } | Body::Resource { .. }) {
        bad(format!("PATCH without a property body: {:?}", op.body));
    }
    // status and return type
    if op.success.is_empty() || op.success.iter().any(|s| ![200, 201, 202, 204].contains(s)) {
        bad(format!("success {:?}", op.success));
    }
    let mut sorted = op.success.clone();
    sorted.sort();
    sorted.dedup();
    if sorted != op.success {
        bad(format!("success {:?} not sorted/unique", op.success));
    }
    if op.success == [204] && op.returns.is_some() {
        bad(format!("204 only but returns {:?}", op.returns));
    }
    if let Some(r) = &op.returns {
        if !type_is_known(r, spec_types, csdl) {
            bad(format!("returns unknown type `{r}`"));
        }
    }
}

fn check_spec(snap: &str, spec: &Spec, csdl: &Csdl, full_paths: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for (ver, vs) in &spec.versions {
        let cx = Ctx {
            snap,
            ver: ver.as_str(),
            spec_types: vs.types.keys().collect(),
            csdl,
            full_paths,
        };
        for (key, op) in &vs.operations {
            operation_violations(&cx, key, op, &mut problems);
        }
        let spec_types = &cx.spec_types;
        for (name, t) in &vs.types {
            let mut bad = |m: String| {
                problems.push(format!("{snap} {ver} type {name} ({}): {m}", t.source.page))
            };
            if &t.name != name || !t.name.starts_with("workbook") || !is_ident(&t.name) {
                bad(format!("name `{}`", t.name));
            }
            if csdl.canonical_type_name(&t.name) != Some(t.name.as_str()) {
                bad("not a CSDL type (v1.0 CSDL spelling expected)".into());
            }
            if let Some(c) = csdl.structured_type(&t.name).filter(|c| c.kind != t.kind) {
                bad(format!("kind `{}`, the CSDL says `{}`", t.kind, c.kind));
            }
            let mut seen = BTreeSet::new();
            for p in &t.properties {
                if !is_ident(&p.name) || !seen.insert(p.name.to_ascii_lowercase()) {
                    bad(format!(
                        "property `{}` not an identifier or duplicated",
                        p.name
                    ));
                }
                if !type_is_known(&p.type_, spec_types, csdl) {
                    bad(format!("property `{}`: unknown type `{}`", p.name, p.type_));
                }
            }
            for r in &t.relationships {
                if !is_ident(&r.name) || !seen.insert(r.name.to_ascii_lowercase()) {
                    bad(format!(
                        "relationship `{}` not an identifier or duplicated",
                        r.name
                    ));
                }
                if !type_is_known(&r.type_, spec_types, csdl) || r.type_.is_primitive() {
                    bad(format!("relationship `{}`: type `{}`", r.name, r.type_));
                }
            }
        }
    }
    problems
}

/// The same structural invariants in every snapshot: a translated page must not yield a
/// translated identifier, an unnormalized path or a lost header.
#[test]
fn every_snapshot_satisfies_the_structural_invariants() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let mut problems = Vec::new();
    for snap in SNAPSHOTS {
        let ex = extract_pages(&load_pages(&docs.join(snap)), Some(c));
        // en-2021 and zh-CN-2023 list every template under its drive-item prefixes
        let full_paths = snap == "en-2021" || snap == "zh-CN-2023";
        problems.extend(check_spec(snap, &ex.spec, c, full_paths));
    }
    assert!(
        problems.is_empty(),
        "{} structural problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn en_2021_sanity_bounds() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let ex = extract_pages(&load_pages(&docs.join("en-2021")), Some(c));
    let spec = &ex.spec;
    assert_eq!(
        spec.versions.keys().map(|v| v.as_str()).collect::<Vec<_>>(),
        ["beta", "v1.0"]
    );
    for (ver, vs) in &spec.versions {
        assert!(
            vs.operations.len() > 150,
            "{ver}: {} operations",
            vs.operations.len()
        );
        assert!(vs.types.len() >= 45, "{ver}: {} types", vs.types.len());
        // FORMAT-NOTES section 3: en-2021 lists 2..8 templates (1 on three pages) per page; the
        // drive-item prefix is split off, so about half as many templates as request lines.
        let paths: usize = vs.operations.values().map(|o| o.paths.len()).sum();
        assert!(paths > vs.operations.len(), "{ver}: {paths} paths");
        let by_method = |m: &str| vs.operations.values().filter(|o| o.method == m).count();
        for m in ["GET", "POST", "PATCH", "DELETE"] {
            assert!(by_method(m) > 0, "{ver}: no {m} operation");
        }
        // section 6: 201 on 18 pages, 204 on close/refresh session
        assert!(vs.operations.values().any(|o| o.success.contains(&201)));
        for id in ["workbook.closeSession", "workbook.refreshSession"] {
            let op = vs
                .operations
                .get(id)
                .unwrap_or_else(|| panic!("{ver}: no {id}"));
            assert_eq!(op.method, "POST", "{ver} {id}");
            assert_eq!(op.success, [204], "{ver} {id}");
            let h = op
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("workbook-session-id"))
                .unwrap_or_else(|| panic!("{ver} {id}: no session header"));
            assert!(h.required, "{ver} {id}: session header must be required");
        }
        let create = vs
            .operations
            .values()
            .find(|o| o.source.page.ends_with("/workbook-createsession.md"))
            .unwrap_or_else(|| panic!("{ver}: createSession page gave no operation"));
        assert_eq!(create.success, [201, 202], "{ver} createSession statuses");
        assert_eq!(create.returns, Some(TypeRef::named("workbookSessionInfo")));
        // a function-style segment with arguments (range-insert.md)
        let insert = vs
            .operations
            .values()
            .find(|o| o.source.page.ends_with("/range-insert.md"))
            .unwrap_or_else(|| panic!("{ver}: range-insert page gave no operation"));
        let args: Vec<&str> = insert
            .paths
            .iter()
            .flat_map(|p| &p.segments)
            .filter_map(|s| match s {
                Segment::Call { name, args, .. } if name == "range" => Some(args),
                _ => None,
            })
            .flatten()
            .map(|a| a.name.as_str())
            .collect();
        assert!(
            args.contains(&"address"),
            "{ver} range.insert args {args:?}"
        );
        match &insert.body {
            Body::Parameters { params } => {
                let shift = params.iter().find(|p| p.name == "shift").expect("shift");
                assert_eq!(shift.type_, Primitive::String.into());
                assert!(
                    shift.values.contains(&"Down".into()) && shift.values.contains(&"Right".into()),
                    "{ver} range.insert shift values {:?}",
                    shift.values
                );
            }
            b => panic!("{ver} range.insert body {b:?}"),
        }
    }
    let fns = spec
        .functions
        .as_ref()
        .expect("function catalog with --csdl");
    assert_eq!(
        fns.functions.len(),
        366,
        "FORMAT-NOTES section 12: 366 functions"
    );
}

/// Every API page the corpus' MANIFEST.tsv lists is accounted for: it is the source of an
/// operation, or a diagnostic names it (merged duplicate, unusable page). No operation comes
/// from a page the MANIFEST does not call an API page.
#[test]
fn every_manifest_api_page_is_accounted_for() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let rows = manifest(&docs);
    let mut problems = Vec::new();
    for snap in SNAPSHOTS {
        let ex = extract_pages(&load_pages(&docs.join(snap)), Some(c));
        let api: BTreeSet<&str> = rows
            .iter()
            .filter(|r| r.snapshot == snap && r.kind == "api")
            .map(|r| r.path.as_str())
            .collect();
        assert!(
            api.len() > 300,
            "{snap}: MANIFEST lists {} API pages",
            api.len()
        );
        let sources: BTreeMap<&str, &str> = ex
            .spec
            .versions
            .values()
            .flat_map(|v| v.operations.values())
            .filter(|o| o.origin == Origin::Docs)
            .map(|o| (o.source.page.as_str(), o.id.as_str()))
            .collect();
        let diagnosed: BTreeSet<&str> = ex.diagnostics.iter().map(|d| d.file.as_str()).collect();
        for page in &api {
            if !sources.contains_key(page) && !diagnosed.contains(page) {
                problems.push(format!(
                    "{snap}: API page {page} gave no operation and no diagnostic"
                ));
            }
        }
        for (page, id) in &sources {
            if !api.contains(page) {
                problems.push(format!(
                    "{snap}: operation {id} comes from {page}, not an API page of MANIFEST.tsv"
                ));
            }
        }
        // diagnostics name real pages of the snapshot, with a line inside the page
        let files: BTreeMap<String, usize> = load_pages(&docs.join(snap))
            .into_iter()
            .map(|(p, b)| (p, b.iter().filter(|c| **c == b'\n').count() + 1))
            .collect();
        // Besides pages, the metadata operations' diagnostics name the CSDL.
        for d in ex.diagnostics.iter().filter(|d| d.file != CSDL_SOURCE) {
            match files.get(&d.file) {
                Some(&n) if (d.line as usize) <= n => {}
                Some(&n) => problems.push(format!(
                    "{snap}: diagnostic line {} beyond {n} lines: {d}",
                    d.line
                )),
                None => problems.push(format!(
                    "{snap}: diagnostic names no page of the snapshot: {d}"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A function-style segment carries the arguments of a CSDL overload of that function: the
/// docs' templates (or their Path/Function parameters tables) name them, e.g.
/// `cell(row={row},column={column})`, and the generated client needs them to build the URL.
#[test]
fn function_segments_carry_the_arguments_of_a_csdl_overload() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let mut problems = BTreeSet::new();
    for snap in SNAPSHOTS {
        let ex = extract_pages(&load_pages(&docs.join(snap)), Some(c));
        for (ver, vs) in &ex.spec.versions {
            for op in vs.operations.values() {
                for p in &op.paths {
                    let mut current: Option<String> = None;
                    for s in &p.segments {
                        match s {
                            Segment::Navigation { target, .. } => {
                                current = target.as_ref().map(|t| t.to_string());
                            }
                            Segment::Key { .. } => {
                                current = current
                                    .as_ref()
                                    .and_then(|t| t.parse::<TypeRef>().ok())
                                    .and_then(|t| t.element().map(TypeRef::to_string));
                            }
                            Segment::Call {
                                name, args, target, ..
                            } => {
                                if let Some(binding) = &current {
                                    let overloads = c.bound_operations(binding, name);
                                    let functions: Vec<_> =
                                        overloads.iter().filter(|o| !o.is_action).collect();
                                    if !functions.is_empty() && functions.len() == overloads.len() {
                                        // the docs may give the arguments as a JSON body
                                        // (POST/GET with a parameter table) on the last segment
                                        let last = std::ptr::eq(s, p.segments.last().unwrap_or(s));
                                        let body: Vec<&str> = match (&op.body, last) {
                                            (Body::Parameters { params }, true) => {
                                                params.iter().map(|p| p.name.as_str()).collect()
                                            }
                                            _ => Vec::new(),
                                        };
                                        let got: BTreeSet<String> = args
                                            .iter()
                                            .map(|a| a.name.as_str())
                                            .chain(body)
                                            .map(str::to_ascii_lowercase)
                                            .collect();
                                        let ok = functions.iter().any(|o| {
                                            let want: BTreeSet<String> = o
                                                .params
                                                .iter()
                                                .map(|p| p.name.to_ascii_lowercase())
                                                .collect();
                                            want == got
                                        });
                                        if !ok {
                                            let sigs: Vec<Vec<&str>> = functions
                                                .iter()
                                                .map(|o| {
                                                    o.params
                                                        .iter()
                                                        .map(|p| p.name.as_str())
                                                        .collect()
                                                })
                                                .collect();
                                            problems.insert(format!(
                                                "{snap} {ver} {} ({}): `{}` in `{}` has args {got:?}; CSDL overloads of {binding}/{name}: {sigs:?}",
                                                op.id, op.source.page, name, p.template
                                            ));
                                        }
                                    }
                                }
                                current = target.as_ref().map(|t| t.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} function segments without the arguments of any CSDL overload:\n{}",
        problems.len(),
        problems.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}
