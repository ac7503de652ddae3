//! `graph-workbook-codegen diff`: one fixture spec pair per kind of change
//! (tests/fixtures/diff/base against tests/fixtures/diff/<case>), each with the lines a reviewer
//! should see and the semver bump they add up to; plus the CLI's exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use graph_workbook_codegen::diff::{self, Level};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

/// The change lines from base to `case` (the summary line left out).
fn lines(case: &str) -> Vec<String> {
    let changes = diff::run(&fixtures().join("base"), &fixtures().join(case))
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    changes.iter().map(|c| c.to_string()).collect()
}

fn bump(case: &str) -> Option<Level> {
    let changes = diff::run(&fixtures().join("base"), &fixtures().join(case)).unwrap();
    diff::required_bump(&changes)
}

#[test]
fn unchanged_spec_reports_nothing() {
    assert_eq!(lines("unchanged"), Vec::<String>::new());
    assert_eq!(bump("unchanged"), None);
}

#[test]
fn operations_added_and_removed() {
    assert_eq!(
        lines("operation_added"),
        ["minor v1.0 operation chart.delete (fn delete): added"]
    );
    // range.merge was the only form of `worksheet.range(address)` with an address: the
    // navigation method loses its argument too.
    assert_eq!(
        lines("operation_removed"),
        [
            "major v1.0 navigation workbookWorksheet -> range: arguments (address: impl Into<Option<String>>) -> ()",
            "major v1.0 operation range.merge (fn merge): removed",
        ]
    );
    // The reverse direction of an addition is a removal.
    let back = diff::run(
        &fixtures().join("operation_added"),
        &fixtures().join("base"),
    )
    .unwrap();
    assert_eq!(diff::required_bump(&back), Some(Level::Major));
}

#[test]
fn body_parameters_required_is_major_optional_is_minor() {
    assert_eq!(
        lines("required_param_added"),
        ["major v1.0 operation range.merge (fn merge): required body parameter `merge_mode: String` added"]
    );
    assert_eq!(
        lines("optional_param_added"),
        ["minor v1.0 operation range.merge (fn merge): optional body parameter `dry_run: Option<bool>` added"]
    );
    assert_eq!(
        lines("param_became_required"),
        ["major v1.0 operation range.merge (fn merge): body parameter `across` type Option<bool> -> bool"]
    );
}

#[test]
fn patch_bodies_are_all_optional() {
    // `required: true` in a PATCH body still becomes an `Option` field of `<Node>Update`.
    assert_eq!(
        lines("update_property_added"),
        ["minor v1.0 operation chart.update (fn update): optional update property `visible: Option<bool>` added"]
    );
}

#[test]
fn path_templates_are_wire_facts_navigation_methods_are_api() {
    assert_eq!(
        lines("path_added"),
        [
            "minor v1.0 navigation Collection(workbookTable) -> tables/{}: added",
            "minor v1.0 navigation Collection(workbookTableColumn) -> columns/{}: added",
            "minor v1.0 navigation workbook -> tables: added",
            "minor v1.0 navigation workbookTable -> columns: added",
            "minor v1.0 navigation workbookTableColumn -> range: added",
            "patch v1.0 operation range.merge (fn merge): path `/workbook/names/{name}/range/merge` added",
            "patch v1.0 operation range.merge (fn merge): path `/workbook/tables/{table}/columns/{column}/range/merge` added",
        ]
    );
    // Taking the paths away again removes navigation methods.
    let back = diff::run(&fixtures().join("path_added"), &fixtures().join("base")).unwrap();
    assert_eq!(diff::required_bump(&back), Some(Level::Major));
    // `range(address=..)` is also reached without an address: the argument is optional.
    assert_eq!(
        lines("navigation_arg_changed"),
        ["major v1.0 navigation workbookWorksheet -> range: arguments (address: impl Into<Option<String>>) -> (address: impl Into<Option<i32>>)"]
    );
}

/// A GET whose verb becomes composable is a navigation method now: callers add `.get()`.
#[test]
fn becoming_composable_is_major() {
    assert_eq!(
        lines("became_composable"),
        ["major v1.0 operation worksheet.usedRange (fn used_range): composable: the method is a navigation now (returns the result's node; `.get()` sends)"]
    );
    assert_eq!(bump("became_composable"), Some(Level::Major));
}

/// The real change of extract commit 0895a0e (optional function arguments documented by a
/// second template form): `used_range()` gained an argument, `rows_above(count)` took an
/// `impl Into<Option<i32>>`, which an `i32` still converts into.
#[test]
fn method_arguments_arity_is_major_made_optional_is_minor() {
    assert_eq!(
        lines("method_arg_added"),
        [
            "major v1.0 operation worksheet.usedRange (fn used_range): method arguments () -> (values_only: impl Into<Option<bool>>)",
            "patch v1.0 operation worksheet.usedRange (fn used_range): path `/workbook/worksheets/{worksheet}/usedRange(valuesOnly={valuesOnly})` added",
        ]
    );
    assert_eq!(
        lines("method_arg_made_optional"),
        [
            "minor v1.0 operation range.rowsAbove (fn rows_above): method arguments (count: i32) -> (count: impl Into<Option<i32>>)",
            "patch v1.0 operation range.rowsAbove (fn rows_above): path `/workbook/worksheets/{worksheet}/range/rowsAbove` added",
        ]
    );
    let back = diff::run(
        &fixtures().join("method_arg_made_optional"),
        &fixtures().join("base"),
    )
    .unwrap();
    assert_eq!(diff::required_bump(&back), Some(Level::Major));
}

#[test]
fn resource_type_fields_and_types() {
    assert_eq!(
        lines("field_added"),
        ["minor v1.0 type workbookChartFont (struct WorkbookChartFont): optional field `strikethrough: Option<bool>` added"]
    );
    assert_eq!(
        lines("field_type_changed"),
        ["major v1.0 type workbookChartFont (struct WorkbookChartFont): field `size` type Option<f64> -> Option<i32>"]
    );
    assert_eq!(
        lines("type_removed"),
        ["major v1.0 type workbookSessionInfo (struct WorkbookSessionInfo): removed"]
    );
}

#[test]
fn wire_only_changes_are_patch() {
    assert_eq!(
        lines("wire_only"),
        [
            "patch v1.0 operation chart.update (fn update): HTTP method PATCH -> PUT",
            "patch v1.0 operation chart.update (fn update): headers [Authorization, Workbook-Session-Id?] -> [Authorization, Workbook-Session-Id?, If-Match?]",
            "patch v1.0 operation chart.update (fn update): success statuses [200] -> [200, 204]",
        ]
    );
    assert_eq!(bump("wire_only"), Some(Level::Patch));
}

#[test]
fn return_type_change_is_major() {
    assert_eq!(
        lines("return_changed"),
        ["major v1.0 operation range.insert (fn insert): return type WorkbookRange -> () (no content)"]
    );
}

#[test]
fn excel_functions() {
    assert_eq!(
        lines("function_added"),
        ["minor function acosh (fn acosh): added"]
    );
    // Arguments are positional: a new one, even optional, changes every call site.
    assert_eq!(
        lines("function_param_added"),
        ["major function abs (fn abs): positional parameters (number) -> (number, mode)"]
    );
}

#[test]
fn a_malformed_spec_is_an_error_naming_the_file() {
    let err = diff::run(&fixtures().join("base"), &fixtures().join("malformed")).unwrap_err();
    assert!(err.contains("range.merge.json"), "{err}");
    assert!(err.contains("rust_nam"), "{err}");
}

fn cli(args: &[&Path], extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_graph-workbook-codegen"))
        .arg("diff")
        .args(args)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn cli_exits_non_zero_on_a_major_change_unless_allowed() {
    let f = fixtures();
    let (base, removed, added) = (
        f.join("base"),
        f.join("operation_removed"),
        f.join("operation_added"),
    );
    let (code, out) = cli(&[&base, &removed], &[]);
    assert_eq!(code, Some(1));
    assert!(
        out.ends_with("summary: 2 major, 0 minor, 0 patch; semver bump: major\n"),
        "{out}"
    );
    assert_eq!(cli(&[&base, &removed], &["--allow-major"]).0, Some(0));
    let (code, out) = cli(&[&base, &added], &[]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("minor v1.0 operation chart.delete"),
        "{out}"
    );
    // Usage errors and unreadable trees are a third status, not a silent pass.
    assert_eq!(cli(&[&base], &[]).0, Some(2));
    assert_eq!(cli(&[&base, &f.join("missing")], &[]).0, Some(2));
}
