//! The committed `spec/` is exactly the extraction of `../shared/graph-docs/en-2021` with
//! `--csdl ../shared/graph-metadata/v1.0.csdl` (issue 2): same files, same bytes, no extra
//! `*.json` files. Other files in `spec/` (README.md, CHECK.md, LOCALE-DIFFS.md) are not
//! extraction output and are left alone.
#![cfg(feature = "extract")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use graph_workbook_codegen::extract::extract_pages;
use graph_workbook_codegen::spec::Spec;

use common::{csdl, diff_specs, docs_dir, load_pages, render_diffs, DiffOptions};

const REGENERATE: &str = "spec/ is stale: run `cargo run --release -p graph-workbook-codegen -- extract --docs ../shared/graph-docs/en-2021 --out spec --csdl ../shared/graph-metadata/v1.0.csdl` and commit";

/// Every `*.json` file under `dir`, relative path (with `/`) -> content.
fn json_files(dir: &Path) -> BTreeMap<String, String> {
    fn walk(d: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                let rel = p
                    .strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text =
                    std::fs::read_to_string(&p).unwrap_or_else(|e| format!("<unreadable: {e}>"));
                out.insert(rel, text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The first differing line of two texts, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!(
                "line {}: committed `{}`, fresh `{}`",
                i + 1,
                x.trim(),
                y.trim()
            );
        }
    }
    format!(
        "lengths differ: committed {} lines, fresh {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn committed_spec_equals_a_fresh_extraction_of_en_2021() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let fresh = extract_pages(&load_pages(&docs.join("en-2021")), Some(c));
    let want = fresh.spec.files();
    assert!(!want.is_empty(), "fresh extraction of en-2021 is empty");

    let spec_dir = common::workspace_root().join("spec");
    let have = json_files(&spec_dir);

    let missing: Vec<&String> = want.keys().filter(|k| !have.contains_key(*k)).collect();
    let extra: Vec<&String> = have.keys().filter(|k| !want.contains_key(*k)).collect();
    let changed: Vec<(&String, String)> = want
        .iter()
        .filter_map(|(k, v)| {
            let h = have.get(k)?;
            (h != v).then(|| (k, first_difference(h, v)))
        })
        .collect();
    if missing.is_empty() && extra.is_empty() && changed.is_empty() {
        return;
    }
    let mut msg = format!(
        "{REGENERATE}\n{} files missing, {} extra, {} changed (of {} fresh files)\n",
        missing.len(),
        extra.len(),
        changed.len(),
        want.len()
    );
    let list = |title: &str, items: Vec<String>, msg: &mut String| {
        if !items.is_empty() {
            msg.push_str(&format!("{title}:\n"));
            for i in items.iter().take(30) {
                msg.push_str(&format!("  {i}\n"));
            }
            if items.len() > 30 {
                msg.push_str(&format!("  ... and {} more\n", items.len() - 30));
            }
        }
    };
    list(
        "missing (fresh extraction has them, spec/ does not)",
        missing.iter().map(|s| s.to_string()).collect(),
        &mut msg,
    );
    list(
        "extra (in spec/, not produced by the extraction)",
        extra.iter().map(|s| s.to_string()).collect(),
        &mut msg,
    );
    list(
        "changed",
        changed.iter().map(|(k, d)| format!("{k}: {d}")).collect(),
        &mut msg,
    );
    panic!("{msg}");
}

/// spec/ loads without diagnostics and gives the same facts as the fresh extraction (the
/// loader and the writer agree; a hand edit that breaks a file is caught here too).
#[test]
fn committed_spec_loads_back_to_the_fresh_spec() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let spec_dir = common::workspace_root().join("spec");
    let (loaded, diags): (Spec, _) = Spec::load(&spec_dir);
    assert!(
        diags.is_empty(),
        "spec/ does not load cleanly:\n{}",
        diags
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let fresh = extract_pages(&load_pages(&docs.join("en-2021")), Some(c)).spec;
    let diffs = diff_specs(&loaded, &fresh, DiffOptions::default());
    assert!(
        diffs.is_empty(),
        "{REGENERATE}\ncommitted (left) vs fresh (right), {} differences:\n{}",
        diffs.len(),
        render_diffs(&diffs, 100)
    );
}
