//! `graph_workbook_codegen::generate` on the fixture spec (codegen/tests/fixtures/spec): output is
//! deterministic, well-formed, and has the shapes the runtime expects.

use std::path::Path;

use graph_workbook_codegen::spec::Spec;

fn fixture() -> Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec");
    let (spec, diags) = Spec::load(&dir);
    assert!(diags.is_empty(), "fixture spec does not load: {diags:#?}");
    spec
}

fn files() -> std::collections::BTreeMap<String, String> {
    match graph_workbook_codegen::generate(&fixture()) {
        Ok(f) => f,
        Err(d) => panic!(
            "fixture spec does not generate:\n{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn deterministic() {
    let spec = fixture();
    let a = graph_workbook_codegen::generate(&spec).expect("generate");
    let b = graph_workbook_codegen::generate(&spec.clone()).expect("generate");
    assert_eq!(a, b);
    // Loading again from disk gives the same text too.
    assert_eq!(a, files());
}

#[test]
fn files_and_header() {
    let f = files();
    assert_eq!(
        f.keys().cloned().collect::<Vec<_>>(),
        ["beta.rs", "functions.rs", "v1_0.rs"]
    );
    for (name, code) in &f {
        assert!(
            code.starts_with("// @generated"),
            "{name} lacks the @generated header"
        );
        assert!(!code.contains("compile_error!"), "{name}: {code}");
        syn::parse_file(code).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
    }
}

#[test]
fn navigation_and_operations() {
    let f = files();
    let v1 = &f["v1_0.rs"];
    // One node type per resource type, collections apart.
    for node in [
        "WorkbookNode",
        "WorksheetNode",
        "WorksheetCollectionNode",
        "RangeNode",
        "ChartNode",
        "ChartCollectionNode",
        "TableColumnNode",
    ] {
        assert!(
            v1.contains(&format!("pub struct {node}(")),
            "missing {node}"
        );
    }
    // Key shortcut on the parent, typed call arguments.
    assert!(
        v1.contains("pub fn worksheet(&self, worksheet: &str) -> WorksheetNode"),
        "{v1}"
    );
    assert!(
        v1.contains("pub fn cell(&self, row: i32, column: i32) -> RangeNode"),
        "{v1}"
    );
    assert!(
        v1.contains("pub fn resized_range(\n        &self,\n        delta_rows: i32,\n        delta_columns: i32,\n    )"),
        "{v1}"
    );
    // Composable functions (`composable` in spec/) are navigations; a result node without a
    // `get` of its own is fetched by one built from the composable operation.
    assert!(
        v1.contains("pub fn item_at(&self, index: i32) -> ChartNode"),
        "{v1}"
    );
    assert!(v1.contains("id: \"chartCollection.itemAt\""), "{v1}");
    // `range(address)` is a navigation; strings are borrowed.
    assert!(
        v1.contains("pub fn range(&self, address: &str) -> RangeNode"),
        "{v1}"
    );
    // Overloads of one operation: arguments not in every form are optional.
    assert!(
        v1.contains("pub fn image<'a>(\n        &self,\n        width: impl Into<Option<i32>>"),
        "{v1}"
    );
    // Runtime names used in every signature are imported once per file (a type named like
    // one of them is rejected by lower: see generate_bad_spec.rs).
    for import in [
        "#[allow(unused_imports)]\nuse crate::{",
        "call::Call,",
        "cell::CellValue,",
        "node::{to_body, wire_enum, Arg, Node, NodeType, Op, Shape},",
        "request::Method,",
    ] {
        assert!(v1.contains(import), "{import}: {v1}");
    }
    assert!(v1.contains("use serde::{Deserialize, Serialize};"), "{v1}");
    // Clash: the GET `tableColumn.range` operation vs the `range` navigation.
    assert!(
        v1.contains("pub fn get_range(&self) -> Call<WorkbookRange>"),
        "{v1}"
    );
    // Collections come unwrapped, 204 is ().
    assert!(v1.contains("-> Call<Vec<WorkbookWorksheet>>"));
    assert!(v1.contains("pub fn close_session(&self) -> Call<()>"));
    // Cell data is typed.
    assert!(v1.contains("pub values: Option<Vec<Vec<CellValue>>>"));
    // Wire names kept, keywords suffixed.
    assert!(v1.contains(
        "#[serde(rename = \"numberFormat\", default, skip_serializing_if = \"Option::is_none\")]"
    ));
    assert!(v1.contains("pub type_: Option<String>"));
    // PATCH bodies: every field optional and skipped when None.
    assert!(v1.contains("pub struct WorksheetUpdate {"));
    // Docs: path, status, permissions, link.
    assert!(v1.contains("https://learn.microsoft.com/graph/api/range-insert?view=graph-rest-1.0"));
    assert!(v1.contains("`POST /workbook/tables/{table}/columns/{column}/range/insert`"));
    let fns = &f["functions.rs"];
    assert!(
        fns.contains("use crate::{")
            && fns.contains("call::Call,")
            && fns.contains("node::{FnArg, FunctionResult, Node, NodeType}"),
        "{fns}"
    );
    assert!(
        fns.contains("pub fn if_(\n        &self,\n        logical_test: impl Into<FnArg>"),
        "{fns}"
    );
    assert!(
        fns.contains("pub fn pmt(") && fns.contains("type_: impl Into<FnArg>"),
        "{fns}"
    );
}

#[test]
fn clash_notes_are_reported() {
    let (_, notes) = graph_workbook_codegen::generate_with_notes(&fixture()).expect("generate");
    assert!(
        notes
            .iter()
            .any(|n| n.file == "spec/v1.0/operations/tableColumn.range.json"
                && n.message.contains("get_range")),
        "{notes:#?}"
    );
}
