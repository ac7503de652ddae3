//! Issue 2's locale acceptance rules over the shared corpus:
//! - de-DE-2019 (bilingual span markup) and de-DE-2019-live (German only) are the same commit
//!   and must give identical specs;
//! - the seed page gives en-2021's beta closeSession;
//! - zh-CN-2023 against en-2021: every difference is listed, with a reason, in
//!   `spec/LOCALE-DIFFS.md` (a genuine change of the API between 2021 and 2023), or the test
//!   fails printing the unexplained ones. Listed differences that no longer occur fail too, so
//!   the file stays true.
#![cfg(feature = "extract")]

mod common;

use std::collections::BTreeMap;

use graph_workbook_codegen::extract::extract_pages;
use graph_workbook_codegen::spec::{Operation, Spec};

use common::{csdl, diff_specs, docs_dir, load_pages, render_diffs, DiffOptions, Difference};

fn extract_snapshot(
    docs: &std::path::Path,
    snap: &str,
    c: &graph_workbook_codegen::extract::csdl::Csdl,
) -> Spec {
    extract_pages(&load_pages(&docs.join(snap)), Some(c)).spec
}

#[test]
fn bilingual_and_german_only_de_snapshots_give_identical_specs() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let sxs = extract_snapshot(&docs, "de-DE-2019", c);
    let live = extract_snapshot(&docs, "de-DE-2019-live", c);
    assert!(
        sxs.versions
            .values()
            .map(|v| v.operations.len())
            .sum::<usize>()
            > 250,
        "de-DE-2019 gave too few operations to compare"
    );
    // identical means identical: line numbers included (both branches keep the lines)
    let diffs = diff_specs(&sxs, &live, DiffOptions::default());
    assert!(
        diffs.is_empty(),
        "de-DE-2019 (left) and de-DE-2019-live (right) differ in {} places:\n{}",
        diffs.len(),
        render_diffs(&diffs, 200)
    );
    assert_eq!(
        sxs.files(),
        live.files(),
        "spec files differ although the specs compare equal"
    );
}

/// The facts of an operation that must not depend on the locale (not its source line or
/// file name, which differ between the seed and en-2021).
fn facts(op: &Operation) -> serde_json::Value {
    let paths: Vec<_> = op
        .paths
        .iter()
        .map(|p| (p.template.clone(), p.segments.clone()))
        .collect();
    let mut headers: Vec<_> = op
        .headers
        .iter()
        .map(|h| (h.name.to_ascii_lowercase(), h.required))
        .collect();
    headers.sort();
    serde_json::json!({
        "id": op.id,
        "method": op.method,
        "binding": op.binding,
        "paths": paths,
        "headers": headers,
        "body": op.body,
        "success": op.success,
        "returns": op.returns,
    })
}

#[test]
fn seed_page_gives_the_closesession_of_en_2021_beta() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let seed =
        std::fs::read(docs.join("seed/workbook-closesession.beta.de-DE.md")).expect("seed page");
    let page = "api-reference/beta/api/workbook-closesession.md".to_string();
    let ex = extract_pages(&[(page.clone(), seed)], Some(c));
    let seed_ops: Vec<&Operation> = ex
        .spec
        .versions
        .get("beta")
        .map(|v| {
            v.operations
                .values()
                .filter(|o| o.origin == graph_workbook_codegen::spec::Origin::Docs)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        seed_ops.len(),
        1,
        "the seed page must give exactly one documented beta operation; diagnostics:\n{}",
        ex.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let seed_op = seed_ops[0];

    let en = extract_snapshot(&docs, "en-2021", c);
    let en_op = en
        .versions
        .get("beta")
        .and_then(|v| v.operations.values().find(|o| o.source.page == page))
        .expect("en-2021 beta closeSession");

    // independent expectations from the page itself (FORMAT-NOTES sections 3, 4, 6)
    assert_eq!(seed_op.method, graph_workbook_codegen::spec::Method::Post);
    assert_eq!(seed_op.success, [204]);
    assert!(seed_op.returns.is_none());
    assert!(
        seed_op
            .paths
            .iter()
            .all(|p| p.template == "/workbook/closeSession"),
        "seed templates {:?}",
        seed_op
            .paths
            .iter()
            .map(|p| &p.template)
            .collect::<Vec<_>>()
    );
    for name in ["authorization", "workbook-session-id"] {
        let h = seed_op
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("seed: no `{name}` header in {:?}", seed_op.headers));
        assert!(h.required, "seed: `{name}` must be required");
    }
    // and the same facts as en-2021
    let (a, b) = (facts(seed_op), facts(en_op));
    assert_eq!(
        a,
        b,
        "seed (left) vs en-2021 beta closeSession (right):\nleft:  {}\nright: {}",
        serde_json::to_string_pretty(&a).unwrap_or_default(),
        serde_json::to_string_pretty(&b).unwrap_or_default()
    );
}

/// One line of `spec/LOCALE-DIFFS.md`: `| version | kind | id | field | reason |`.
#[derive(Debug)]
struct Explained {
    line: usize,
    key: (String, String, String, String),
    reason: String,
}

fn explanations(text: &str) -> (Vec<Explained>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if !l.starts_with('|') {
            continue;
        }
        let cells: Vec<String> = l
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        if cells
            .first()
            .is_some_and(|c| c == "version" || c.starts_with("---") || c.starts_with(":-"))
        {
            continue;
        }
        match cells.as_slice() {
            [v, k, id, field, reason] if !reason.is_empty() => out.push(Explained {
                line: i + 1,
                key: (v.clone(), k.clone(), id.clone(), field.clone()),
                reason: reason.clone(),
            }),
            _ => errors.push(format!(
                "spec/LOCALE-DIFFS.md:{}: expected `| version | kind | id | field | reason |`, got `{l}`",
                i + 1
            )),
        }
    }
    (out, errors)
}

#[test]
fn zh_cn_2023_differs_from_en_2021_only_by_listed_api_changes() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let en = extract_snapshot(&docs, "en-2021", c);
    let zh = extract_snapshot(&docs, "zh-CN-2023", c);
    // the pages are re-flowed by translation: facts move to other lines
    let diffs: Vec<Difference> = diff_specs(&en, &zh, DiffOptions { ignore_lines: true });

    let file = common::workspace_root().join("spec/LOCALE-DIFFS.md");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; it lists the explained zh-CN-2023 vs en-2021 differences",
            file.display()
        )
    });
    let (listed, mut errors) = explanations(&text);
    let mut by_key: BTreeMap<_, &Explained> = BTreeMap::new();
    for e in &listed {
        if let Some(prev) = by_key.insert(e.key.clone(), e) {
            errors.push(format!(
                "spec/LOCALE-DIFFS.md:{}: duplicate of line {}",
                e.line, prev.line
            ));
        }
    }
    let unexplained: Vec<&Difference> = diffs
        .iter()
        .filter(|d| !by_key.contains_key(&d.key()))
        .collect();
    let occurring: std::collections::BTreeSet<_> = diffs.iter().map(Difference::key).collect();
    let stale: Vec<&&Explained> = by_key
        .values()
        .filter(|e| !occurring.contains(&e.key))
        .collect();

    eprintln!(
        "zh-CN-2023 vs en-2021: {} differences, {} explained, {} unexplained; {} listed lines no longer occur",
        diffs.len(),
        diffs.len() - unexplained.len(),
        unexplained.len(),
        stale.len()
    );
    let mut msg = String::new();
    if !errors.is_empty() {
        msg.push_str(&format!(
            "malformed spec/LOCALE-DIFFS.md:\n{}\n",
            errors.join("\n")
        ));
    }
    if !unexplained.is_empty() {
        let owned: Vec<Difference> = unexplained.iter().map(|d| (*d).clone()).collect();
        msg.push_str(&format!(
            "{} unexplained differences (en-2021 left, zh-CN-2023 right): a genuine API change goes into spec/LOCALE-DIFFS.md as `| version | kind | id | field | reason |`; anything else is an extractor bug:\n{}",
            owned.len(),
            render_diffs(&owned, 300)
        ));
        msg.push_str("as table rows:\n");
        for d in &owned {
            msg.push_str(&format!(
                "| {} | {} | {} | {} | ? |\n",
                d.version, d.kind, d.id, d.field
            ));
        }
    }
    if !stale.is_empty() {
        msg.push_str(&format!(
            "{} lines of spec/LOCALE-DIFFS.md list differences that no longer occur (remove them):\n{}\n",
            stale.len(),
            stale
                .iter()
                .map(|e| format!("  line {}: {:?} ({})", e.line, e.key, e.reason))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    assert!(msg.is_empty(), "{msg}");
}

/// The diff helper itself: an empty diff above must mean "equal", so check that it reports
/// field-level changes, added/removed items and ignores only line numbers when asked.
#[test]
fn spec_diff_reports_every_kind_of_difference() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec");
    let (base, diags) = Spec::load(&dir);
    assert!(diags.is_empty(), "fixture spec: {diags:?}");
    assert!(common::diff_specs(&base, &base.clone(), DiffOptions::default()).is_empty());

    let mut other = base.clone();
    let v = other.versions.get_mut("v1.0").expect("v1.0 fixture");
    let (id, op) = v.operations.iter_mut().next().expect("an operation");
    let id = id.clone();
    op.source.line += 7;
    op.headers.push(graph_workbook_codegen::spec::Header {
        name: "Prefer".into(),
        required: false,
        value: Some("respond-async".into()),
    });
    op.success = vec![202];
    let removed_type = v.types.keys().next().cloned().expect("a type");
    v.types.remove(&removed_type);

    let fields = |opts| -> Vec<String> {
        common::diff_specs(&base, &other, opts)
            .into_iter()
            .map(|d| format!("{} {} {} {}", d.version, d.kind, d.id, d.field))
            .collect()
    };
    let strict = fields(DiffOptions::default());
    let loose = fields(DiffOptions { ignore_lines: true });
    for f in [
        format!("v1.0 operation {id} headers[Prefer]"),
        format!("v1.0 operation {id} success"),
        format!("v1.0 type {removed_type} *"),
    ] {
        assert!(strict.contains(&f), "missing `{f}` in {strict:?}");
        assert!(loose.contains(&f), "missing `{f}` in {loose:?}");
    }
    let line = format!("v1.0 operation {id} source.line");
    assert!(strict.contains(&line), "{strict:?}");
    assert!(!loose.contains(&line), "{loose:?}");
    assert_eq!(strict.len(), 4, "{strict:?}");
}
