//! `functions::lower_functions`: the Excel function catalog checked (wire name, Rust name,
//! duplicates, parameter types) and lowered to one method per function, sorted by name.

use super::*;
use crate::lower::functions as functions_pass;

const FILE: &str = "spec/functions/workbookFunctions.json";

fn function(name: &str, rust: &str, params: Vec<spec::Param>) -> spec::ExcelFunction {
    spec::ExcelFunction {
        name: name.into(),
        rust_name: rust.into(),
        params,
        returns: TypeRef::named("workbookFunctionResult"),
    }
}

fn catalog(functions: Vec<spec::ExcelFunction>) -> spec::FunctionCatalog {
    spec::FunctionCatalog {
        source: "test catalog".into(),
        functions,
    }
}

fn optional(name: &str, ty: &str) -> spec::Param {
    spec::Param {
        required: false,
        ..param(name, ty)
    }
}

/// (wire, Rust, required, type) of each parameter.
fn params(f: &ir::Function) -> Vec<(&str, &str, bool, ir::Ty)> {
    f.params
        .iter()
        .map(|p| {
            (
                p.name.wire.as_str(),
                p.name.rust.as_str(),
                p.required,
                p.ty.clone(),
            )
        })
        .collect()
}

#[test]
fn a_catalog_lowers_to_functions_sorted_by_rust_name_with_their_parameters() {
    let cat = catalog(vec![
        function(
            "sumIf",
            "sum_if",
            vec![param("range", "Json"), optional("sumRange", "Json")],
        ),
        function("if", "if_", vec![param("logicalTest", "any")]),
        function("abs", "abs", vec![optional("number", "Json")]),
        function("pi", "pi", vec![]),
    ]);
    let mut log = log_for_functions(&cat);
    let out = functions_pass::lower_functions(&cat, &mut log);
    assert!(log.diags.is_empty(), "{:#?}", log.diags);
    assert_eq!(out.source, "test catalog");
    let names: Vec<(&str, &str)> = out
        .items
        .iter()
        .map(|f| (f.name.rust.as_str(), f.name.wire.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("abs", "abs"),
            ("if_", "if"),
            ("pi", "pi"),
            ("sum_if", "sumIf")
        ]
    );
    assert_eq!(
        params(&out.items[0]),
        [("number", "number", false, ir::Ty::Json)]
    );
    assert_eq!(
        params(&out.items[1]),
        [("logicalTest", "logical_test", true, ir::Ty::Cell)]
    );
    assert!(out.items[2].params.is_empty());
    assert_eq!(
        params(&out.items[3]),
        [
            ("range", "range", true, ir::Ty::Json),
            ("sumRange", "sum_range", false, ir::Ty::Json)
        ]
    );
}

/// A bad wire name, a bad Rust name and a duplicate Rust name leave the function out, each
/// reported at its field; the rest of the catalog is lowered.
#[test]
fn bad_and_duplicate_names_are_reported_at_their_field() {
    let cat = catalog(vec![
        function("abs", "abs", vec![]),
        function("bad name", "bad_name", vec![]),
        function("count", "Count", vec![]),
        function("absolute", "abs", vec![]),
        function("max", "max", vec![]),
    ]);
    let mut log = log_for_functions(&cat);
    let out = functions_pass::lower_functions(&cat, &mut log);
    let names: Vec<&str> = out.items.iter().map(|f| f.name.wire.as_str()).collect();
    assert_eq!(names, ["abs", "max"]);
    let text = spec::to_file_text(&cat);
    let got: Vec<(&str, u32, &str)> = logged(&log, Severity::Error)
        .into_iter()
        .map(|d| (d.file.as_str(), d.line, d.message.as_str()))
        .collect();
    let at = |pointer: &str| spec::line_of(&text, pointer);
    assert_eq!(
        got,
        [
            (FILE, at("/functions/1/name"), "bad name: bad function name"),
            (
                FILE,
                at("/functions/2/rust_name"),
                "count: `Count` is not a snake_case Rust method name"
            ),
            (
                FILE,
                at("/functions/3/rust_name"),
                "absolute: duplicate name `abs` (also `abs`)"
            ),
        ]
    );
    assert!(got.iter().all(|(_, line, _)| *line > 0));
}

/// The catalog has no resource types: a parameter of one is reported at its type; bad and
/// duplicate parameter names at their name. The function keeps its other parameters.
#[test]
fn parameters_are_checked_without_resource_types() {
    let cat = catalog(vec![function(
        "index",
        "index",
        vec![
            param("array", "Json"),
            param("area", "workbookRange"),
            param("row Num", "Json"),
            param("Array", "Json"),
        ],
    )]);
    let mut log = log_for_functions(&cat);
    let out = functions_pass::lower_functions(&cat, &mut log);
    assert_eq!(
        params(&out.items[0]),
        [("array", "array", true, ir::Ty::Json)]
    );
    let text = spec::to_file_text(&cat);
    let at = |pointer: &str| spec::line_of(&text, pointer);
    let got: Vec<(u32, &str)> = logged(&log, Severity::Error)
        .into_iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                at("/functions/0/params/1/type"),
                "index: parameter `area`: unknown type `workbookRange`"
            ),
            (
                at("/functions/0/params/2/name"),
                "index: bad parameter name `row Num`"
            ),
            (
                at("/functions/0/params/3/name"),
                "index: duplicate name `array` (parameter `Array`)"
            ),
        ]
    );
}
