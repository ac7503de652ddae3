//! The CSDL cross-check on a fresh extraction of en-2021 v1.0, against the findings listed in
//! the corpus notes (`graph-docs/FORMAT-NOTES.md` section 12), computed there independently.
#![cfg(feature = "extract")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use graph_workbook_codegen::check::report;
use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::spec::TypeRef;

mod common;

/// The corpus, or `None` (skip) outside CI; the rule lives in `common::docs_dir`.
fn shared() -> Option<PathBuf> {
    common::docs_dir()
}

#[test]
fn en_2021_v1_findings_match_the_notes() {
    let Some(docs) = shared() else { return };
    let xml = std::fs::read_to_string(docs.join("../graph-metadata/v1.0.csdl")).expect("CSDL");
    let csdl = Csdl::parse(&xml).expect("CSDL parses");
    let ex = graph_workbook_codegen::extract::extract_docs(&docs.join("en-2021"), Some(&csdl))
        .expect("extract");
    let v1 = ex.spec.versions.get("v1.0").expect("v1.0");
    let r = report(&csdl, v1);
    if std::env::var_os("SHOW_REPORT").is_some() {
        eprintln!("{r}");
    }
    assert_eq!(r.function_catalog, 366);
    // The notes count 74; the extractor also repairs `nameditem-addformulalocal.md` (its template
    // says `names/add`, its examples and the CSDL say `addFormulaLocal`), which makes 75.
    assert_eq!(r.documented.len(), 75, "documented binding+operation pairs");
    assert!(r.documented.contains(&(
        TypeRef::named("Collection(workbookNamedItem)"),
        "addFormulaLocal".to_string()
    )));
    // The notes' table of CSDL operations that en-2021 v1.0 does not document.
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for b in [
        "Chart",
        "ChartPoint",
        "ChartSeries",
        "RangeBorder",
        "Table",
        "TableColumn",
        "TableRow",
    ] {
        expected.insert((format!("Collection(workbook{b})"), "count".into()));
    }
    expected.insert(("Collection(workbookChart)".into(), "item".into()));
    expected.insert(("Collection(workbookTable)".into(), "itemAt".into()));
    for f in [
        "BottomItems",
        "BottomPercent",
        "CellColor",
        "Custom",
        "Dynamic",
        "FontColor",
        "Icon",
        "TopItems",
        "TopPercent",
        "Values",
    ] {
        expected.insert(("workbookFilter".into(), format!("apply{f}Filter")));
    }
    expected.insert(("workbook".into(), "sessionInfoResource".into()));
    expected.insert(("workbook".into(), "tableRowOperationResult".into()));
    // addFormulaLocal is in the notes' list too, but the extractor repairs its page (above).
    expected.insert(("Collection(workbookWorksheet)".into(), "add".into()));
    expected.insert(("Collection(workbookRangeView)".into(), "itemAt".into()));
    let got: BTreeSet<(String, String)> = r
        .undocumented
        .iter()
        .map(|u| (u.binding.to_string(), u.name.clone()))
        .collect();
    assert_eq!(got, expected);
    // Documented templates the CSDL cannot address: `sort/fields/icon` (a complex collection)
    // and `visibleView/itemAt` (itemAt binds to the collection of range views).
    let ops: BTreeSet<&str> = r.unresolved.iter().map(|u| u.operation.as_str()).collect();
    for op in ["icon.get", "icon.update", "rangeView.itemAt"] {
        assert!(ops.contains(op), "{op} not reported: {ops:?}");
    }
    // POST on CSDL functions: the six collection itemAt pages, range-row and resizedRange.
    let mut posted: Vec<_> = r
        .method_mismatches
        .iter()
        .map(|m| (m.operation.as_str(), m.kind.as_str()))
        .collect();
    posted.sort();
    assert_eq!(
        posted,
        [
            ("chartCollection.itemAt", "function"),
            ("chartPointCollection.itemAt", "function"),
            ("chartSeriesCollection.itemAt", "function"),
            ("range.resizedRange", "function"),
            ("range.row", "function"),
            ("rangeBorderCollection.itemAt", "function"),
            ("tableColumnCollection.itemAt", "function"),
            ("tableRowCollection.itemAt", "function"),
        ]
    );
    let text = r.to_string();
    assert!(
        text.starts_with("# CSDL cross-check: spec/v1.0\n\nTotals: operations="),
        "{text}"
    );
}

#[test]
fn zh_cn_2023_documents_table_row_operation_result() {
    let Some(docs) = shared() else { return };
    let xml = std::fs::read_to_string(docs.join("../graph-metadata/v1.0.csdl")).expect("CSDL");
    let csdl = Csdl::parse(&xml).expect("CSDL parses");
    let ex = graph_workbook_codegen::extract::extract_docs(&docs.join("zh-CN-2023"), Some(&csdl))
        .expect("extract");
    let r = report(&csdl, ex.spec.versions.get("v1.0").expect("v1.0"));
    // en-2021's 75 (see above) plus tableRowOperationResult.
    assert_eq!(r.documented.len(), 76);
    assert!(r.documented.contains(&(
        TypeRef::named("workbook"),
        "tableRowOperationResult".to_string()
    )));
}

/// The committed `spec/CHECK.md` is the report of the committed `spec/v1.0`: regenerate it with
/// `cargo run -p graph-workbook-codegen -- check --csdl ../shared/graph-metadata/v1.0.csdl --spec spec/v1.0 > spec/CHECK.md`.
#[test]
fn committed_check_report_is_fresh() {
    let Some(docs) = shared() else { return };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let committed = repo.join("spec/CHECK.md");
    let spec = repo.join("spec/v1.0");
    if !committed.exists() && !spec.exists() {
        eprintln!("skipping: spec/v1.0 and spec/CHECK.md not written yet");
        return;
    }
    let text = std::fs::read_to_string(&committed).expect("spec/CHECK.md (see the doc comment)");
    let fresh =
        graph_workbook_codegen::check::run(&docs.join("../graph-metadata/v1.0.csdl"), &spec)
            .expect("check runs");
    assert!(
        text == fresh,
        "spec/CHECK.md is stale: run `cargo run -p graph-workbook-codegen -- check --csdl ../shared/graph-metadata/v1.0.csdl --spec spec/v1.0 > spec/CHECK.md` and commit"
    );
}
