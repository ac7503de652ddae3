//! Resource extraction over the shared snapshots (`../shared/graph-docs`): no panics, every
//! type known to the CSDL, and the bilingual de-DE-2019 snapshot giving exactly the types of its
//! German-only twin de-DE-2019-live (issue 2's acceptance rule), on either side of the markup.
#![cfg(feature = "extract")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use graph_workbook_codegen::diagnostics::Diagnostic;
use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::markdown::{Page, Side};
use graph_workbook_codegen::extract::resource::{extract_resources, ResourcePage};
use graph_workbook_codegen::spec::{TypeDef, TypeKind};

mod common;

/// The corpus, or `None` (skip) outside CI; the rule lives in `common::docs_dir`.
fn shared() -> Option<PathBuf> {
    common::docs_dir()
}

fn csdl(docs: &Path) -> Csdl {
    let xml = std::fs::read_to_string(docs.join("../graph-metadata/v1.0.csdl"))
        .expect("CSDL beside the docs");
    Csdl::parse(&xml).expect("CSDL parses")
}

/// Every resource page of one snapshot/version -> types by name (first page wins), plus diags.
fn extract(
    docs: &Path,
    snapshot: &str,
    version: &str,
    side: Side,
    csdl: Option<&Csdl>,
) -> (BTreeMap<String, TypeDef>, Vec<Diagnostic>) {
    let dir = docs
        .join(snapshot)
        .join("api-reference")
        .join(version)
        .join("resources");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("resources dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    let pages: Vec<(String, Page)> = files
        .iter()
        .map(|p| {
            let text = String::from_utf8_lossy(&std::fs::read(p).expect("read page")).into_owned();
            let rel = format!(
                "api-reference/{version}/resources/{}",
                p.file_name().unwrap().to_string_lossy()
            );
            (rel, Page::parse(&text, side))
        })
        .collect();
    let input: Vec<ResourcePage> = pages
        .iter()
        .map(|(rel, page)| ResourcePage {
            path: rel,
            version: graph_workbook_codegen::spec::ApiVersion::parse(version)
                .expect("a version directory"),
            page,
        })
        .collect();
    let mut diags = Vec::new();
    let mut all = extract_resources(&input, csdl, &mut diags);
    let types = all.remove(version).unwrap_or_default();
    (types, diags)
}

#[test]
fn every_snapshot_extracts_and_types_are_csdl_types() {
    let Some(docs) = shared() else { return };
    let c = csdl(&docs);
    for snap in ["en-2021", "de-DE-2019", "de-DE-2019-live", "zh-CN-2023"] {
        for ver in ["v1.0", "beta"] {
            let (types, diags) = extract(&docs, snap, ver, Side::Local, Some(&c));
            let (types_nocsdl, _) = extract(&docs, snap, ver, Side::Local, None);
            assert!(
                !types_nocsdl.is_empty(),
                "{snap} {ver}: nothing without the CSDL"
            );
            if std::env::var_os("SHOW_DIAGS").is_some() {
                for d in &diags {
                    eprintln!("{snap}/{d}");
                }
                eprintln!(
                    "{snap} {ver}: {} types, {} diagnostics",
                    types.len(),
                    diags.len()
                );
            }
            for t in types.values() {
                assert!(
                    c.structured_type(&t.name).is_some() || c.enum_type(&t.name).is_some(),
                    "{snap} {ver}: {} not in CSDL",
                    t.name
                );
                for p in &t.properties {
                    assert!(
                        !p.name.is_empty() && p.name.is_ascii(),
                        "{snap} {ver} {}: property {:?}",
                        t.name,
                        p.name
                    );
                }
                for r in &t.relationships {
                    assert!(
                        c.navigation(&t.name, &r.name).is_some(),
                        "{snap} {ver} {}: relationship {} not a CSDL navigation",
                        t.name,
                        r.name
                    );
                }
            }
            if ver == "v1.0" && snap != "de-DE-2019" && snap != "de-DE-2019-live" {
                // FORMAT-NOTES section 12: every v1.0 resource page type is in the CSDL; there are
                // 51 pages, two are overviews (excel.md, workbook.md has a block).
                assert!(
                    types.len() >= 48,
                    "{snap} {ver}: only {} types",
                    types.len()
                );
            }
        }
    }
}

#[test]
fn bilingual_and_german_only_de_de_give_identical_types() {
    let Some(docs) = shared() else { return };
    let c = csdl(&docs);
    for ver in ["v1.0", "beta"] {
        let (live, _) = extract(&docs, "de-DE-2019-live", ver, Side::Local, Some(&c));
        for side in [Side::Local, Side::English] {
            let (sxs, _) = extract(&docs, "de-DE-2019", ver, side, Some(&c));
            assert_eq!(
                sxs.keys().collect::<Vec<_>>(),
                live.keys().collect::<Vec<_>>(),
                "{ver} {side:?}: type sets"
            );
            for (name, t) in &sxs {
                assert_eq!(Some(t), live.get(name), "{ver} {side:?}: {name} differs");
            }
        }
    }
}

#[test]
fn english_reference_types_are_complete() {
    let Some(docs) = shared() else { return };
    let c = csdl(&docs);
    let (types, _) = extract(&docs, "en-2021", "v1.0", Side::Local, Some(&c));
    let range = types.get("workbookRange").expect("workbookRange");
    let p = |n: &str| {
        range
            .properties
            .iter()
            .find(|p| p.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(p("cellCount").type_.to_string(), "int32");
    assert!(p("cellCount").read_only);
    assert!(!p("formulas").read_only);
    assert_eq!(p("values").type_.to_string(), "Json");
    assert_eq!(
        p("valueTypes").values,
        // Sorted: the extractor sorts value lists (zh-CN reorders them).
        ["Boolean", "Double", "Empty", "Error", "Integer", "String", "Unknown"]
    );
    let rels: Vec<_> = range
        .relationships
        .iter()
        .map(|r| (r.name.as_str(), r.type_.to_string()))
        .collect();
    assert_eq!(
        rels,
        [
            ("format", "workbookRangeFormat".to_string()),
            ("sort", "workbookRangeSort".to_string()),
            ("worksheet", "workbookWorksheet".to_string())
        ]
    );
    assert_eq!(range.kind, TypeKind::Entity);
    assert_eq!(
        types.get("workbookSortField").map(|t| t.kind.as_str()),
        Some("complex")
    );
    let ts = types.get("workbookTableSort").expect("tablesort");
    assert_eq!(
        ts.properties
            .iter()
            .find(|p| p.name == "fields")
            .map(|p| p.type_.to_string()),
        Some("Collection(workbookSortField)".to_string())
    );
}

/// zh-CN-2023 against en-2021: the resource types are equal except for these, each explained.
#[test]
fn zh_cn_types_match_english_except_explained() {
    let Some(docs) = shared() else { return };
    let c = csdl(&docs);
    let explained: &[(&str, &str, &str)] = &[
        // (workbookIcon's garbled zh-CN value list now compares equal: value lists are sorted.)
        // The zh-CN source (2020-2022) documents `statusCode`, added after en-2021.
        (
            "v1.0",
            "workbookOperation",
            "statusCode added to the docs after 2021",
        ),
        (
            "beta",
            "workbookOperation",
            "statusCode added to the docs after 2021",
        ),
    ];
    let mut differing = Vec::new();
    for ver in ["v1.0", "beta"] {
        let (en, _) = extract(&docs, "en-2021", ver, Side::Local, Some(&c));
        let (zh, _) = extract(&docs, "zh-CN-2023", ver, Side::Local, Some(&c));
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            zh.keys().collect::<Vec<_>>(),
            "{ver}: type sets"
        );
        for (n, t) in &en {
            let z = &zh[n];
            if (&t.properties, &t.relationships, &t.kind)
                != (&z.properties, &z.relationships, &z.kind)
            {
                differing.push((ver, n.clone()));
            }
        }
    }
    let expected: Vec<_> = explained
        .iter()
        .map(|(v, n, _)| (*v, n.to_string()))
        .collect();
    assert_eq!(differing, expected);
}
