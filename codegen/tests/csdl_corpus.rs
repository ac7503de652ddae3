//! The CSDL model and the Excel function catalog on the real metadata file
//! (`../shared/graph-metadata/v1.0.csdl`). Expected figures come from the corpus notes
//! (`graph-docs/FORMAT-NOTES.md` section 12), computed there independently by script.
#![cfg(feature = "extract")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use graph_workbook_codegen::extract::csdl::{Csdl, TypeKind};
use graph_workbook_codegen::extract::functions::function_catalog;
use graph_workbook_codegen::spec::TypeRef;

/// `$GRAPH_DOCS_DIR/../graph-metadata/v1.0.csdl`, else `<workspace>/../shared/graph-metadata`.
/// Under `CI=true` a missing file fails the test; otherwise the test is skipped with a message.
fn load() -> Option<Csdl> {
    let path = match std::env::var_os("GRAPH_DOCS_DIR") {
        Some(d) => PathBuf::from(d).join("../graph-metadata/v1.0.csdl"),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/graph-metadata/v1.0.csdl")
        }
    };
    match std::fs::read_to_string(&path) {
        Ok(xml) => {
            let start = std::time::Instant::now();
            let c = Csdl::parse(&xml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // A figure for humans (`--nocapture`), not an assertion.
            eprintln!(
                "CSDL parsed in {:.1} ms",
                start.elapsed().as_secs_f64() * 1000.0
            );
            Some(c)
        }
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("corpus missing under CI=true: {}: {e}", path.display());
            }
            eprintln!(
                "skipping: CSDL not found at {} ({e}); set GRAPH_DOCS_DIR",
                path.display()
            );
            None
        }
    }
}

#[test]
fn workbook_types_and_operations_match_the_notes() {
    let Some(c) = load() else { return };
    let entities = c
        .workbook_types()
        .filter(|t| t.kind == TypeKind::Entity)
        .count();
    let complex: BTreeSet<_> = c
        .workbook_types()
        .filter(|t| t.kind == TypeKind::Complex)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(entities, 46);
    let expected_complex: BTreeSet<_> = [
        "workbookFilterCriteria",
        "workbookFilterDatetime",
        "workbookIcon",
        "workbookOperationError",
        "workbookRangeReference",
        "workbookSessionInfo",
        "workbookSortField",
        "workbookWorksheetProtectionOptions",
    ]
    .into_iter()
    .collect();
    assert_eq!(complex, expected_complex);
    let enums: Vec<_> = c
        .enums()
        .iter()
        .filter(|e| e.name.starts_with("workbook"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(enums, ["workbookOperationStatus"]);

    let ops: Vec<_> = c.workbook_operations().collect();
    assert_eq!(ops.len(), 474);
    assert_eq!(ops.iter().filter(|o| o.is_action).count(), 413);
    assert_eq!(ops.iter().filter(|o| !o.is_action).count(), 61);
    let others: Vec<_> = ops
        .iter()
        .filter(|o| o.binding != TypeRef::named("workbookFunctions"))
        .collect();
    assert_eq!(others.len(), 108);
    assert_eq!(
        others
            .iter()
            .filter(|o| !o.is_action && o.is_composable)
            .count(),
        48
    );
    let pairs: BTreeSet<_> = others
        .iter()
        .map(|o| (o.binding.to_string(), o.name.as_str()))
        .collect();
    assert_eq!(pairs.len(), 98);
    assert_eq!(c.bound_operations("workbookChart", "image").len(), 4);
    assert_eq!(c.bound_operations("workbookRange", "rowsabove").len(), 2);
    assert_eq!(
        c.bound_operations("workbookWorksheet", "UsedRange").len(),
        2
    );
}

#[test]
fn doc_spellings_resolve() {
    let Some(c) = load() else { return };
    assert_eq!(
        c.workbook_type("microsoft.graph.range"),
        Some("workbookRange")
    );
    assert_eq!(
        c.workbook_type("microsoft.graph.formatProtection"),
        Some("workbookFormatProtection")
    );
    assert_eq!(c.workbook_type("application"), Some("workbookApplication"));
    assert_eq!(c.workbook_type("filter"), Some("workbookFilter"));
    assert_eq!(
        c.navigation("workbookChartAxes", "categoryaxis")
            .map(|n| n.name.as_str()),
        Some("categoryAxis")
    );
    assert_eq!(
        c.navigation("workbookChartAxis", "majorgridlines")
            .map(|n| n.name.as_str()),
        Some("majorGridlines")
    );
    assert_eq!(
        c.property("workbookRange", "id").map(|p| p.name.as_str()),
        Some("id")
    );
}

#[test]
fn function_catalog_has_the_366_excel_functions() {
    let Some(c) = load() else { return };
    let cat = function_catalog(&c);
    assert_eq!(cat.functions.len(), 366);
    assert!(cat
        .source
        .contains("f54f11b60956ea7b185ca0447b2b80805836ec7b"));
    let names: Vec<_> = cat.functions.iter().map(|f| f.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(names, sorted, "sorted by name, no duplicates");
    let rust: BTreeSet<_> = cat.functions.iter().map(|f| f.rust_name.as_str()).collect();
    assert_eq!(rust.len(), 366, "rust names unique");
    for f in &cat.functions {
        assert!(
            syn::parse_str::<syn::Ident>(&f.rust_name).is_ok(),
            "{} -> {}",
            f.name,
            f.rust_name
        );
        assert_eq!(
            f.returns.to_string(),
            "workbookFunctionResult",
            "{}",
            f.name
        );
        let p: BTreeSet<_> = f.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(p.len(), f.params.len(), "{}: duplicate parameter", f.name);
        assert!(
            f.params.iter().all(|p| p.name != "bindparameter"),
            "{}",
            f.name
        );
    }
    let get = |n: &str| {
        cat.functions
            .iter()
            .find(|f| f.name == n)
            .unwrap_or_else(|| panic!("{n} missing"))
    };
    assert_eq!(get("if").rust_name, "if_");
    assert_eq!(get("true").rust_name, "true_");
    assert_eq!(get("false").rust_name, "false_");
    assert_eq!(get("countIf").rust_name, "count_if");
    assert_eq!(get("chiSq_Dist_RT").rust_name, "chi_sq_dist_rt");
    let pmt: Vec<_> = get("pmt").params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(pmt, ["rate", "nper", "pv", "fv", "type"], "CSDL order");
    assert!(get("pmt")
        .params
        .iter()
        .all(|p| p.type_.to_string() == "Json"));
}

/// `spec/functions/workbookFunctions.json` is the catalog of the shared CSDL, byte for byte
/// (regenerate with `graph-workbook-codegen extract ... --csdl ../shared/graph-metadata/v1.0.csdl`).
#[test]
fn committed_function_catalog_is_fresh() {
    let Some(c) = load() else { return };
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/functions/workbookFunctions.json");
    let committed = std::fs::read_to_string(&path).expect("spec/functions/workbookFunctions.json");
    let fresh = graph_workbook_codegen::spec::to_file_text(&function_catalog(&c));
    assert!(
        committed == fresh,
        "{} is stale: re-run the extraction with --csdl and commit",
        path.display()
    );
}
