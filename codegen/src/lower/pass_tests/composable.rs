//! `composable`: which GETs of composable functions become navigations (`convert`), their
//! steps in the tree (`add_edges`, run by `tree::build`), and the navigation docs and result
//! `get` they turn into (`attach`).

use std::collections::BTreeSet;

use super::*;
use crate::lower::composable as composable_pass;
use crate::lower::tests::{call, op, type_def};
use crate::lower::tree::EdgeKind;

fn types() -> Vec<spec::TypeDef> {
    vec![
        type_def("workbookRange", "WorkbookRange", vec![]),
        type_def("workbookTable", "WorkbookTable", vec![]),
        type_def("workbookTableRow", "WorkbookTableRow", vec![]),
    ]
}

/// `worksheet.<verb>` by GET on one path per segment.
fn ws_op(verb: &str, method: &str, segs: Vec<Segment>) -> spec::Operation {
    let paths: Vec<Vec<Segment>> = segs.into_iter().map(|s| then(&ws_path(), [s])).collect();
    op(
        &format!("worksheet.{verb}"),
        method,
        "workbookWorksheet",
        &paths,
    )
}

/// Only a GET whose every path ends in a composable call returning one non-collection type of
/// the spec, with no body but (GET) parameters, converts.
#[test]
fn only_gets_of_composable_calls_returning_one_resource_convert() {
    let c = |name: &str, target: &str| composable_call(name, &[], target);
    let mut with_body = ws_op("withBody", "GET", vec![c("withBody", "workbookRange")]);
    with_body.body = spec::Body::Resource {
        type_: TypeRef::named("workbookRange"),
    };
    let ops = vec![
        ws_op("usedRange", "GET", vec![c("usedRange", "workbookRange")]),
        ws_op("clear", "POST", vec![c("clear", "workbookRange")]),
        ws_op("cell", "GET", vec![call("cell", &[("row", "int32")])]),
        ws_op(
            "tables",
            "GET",
            vec![c("tables", "Collection(workbookTable)")],
        ),
        ws_op("nope", "GET", vec![c("nope", "workbookNope")]),
        ws_op(
            "mixed",
            "GET",
            vec![c("mixed", "workbookRange"), call("mixed", &[])],
        ),
        ws_op(
            "differ",
            "GET",
            vec![c("differ", "workbookRange"), c("differ", "workbookTable")],
        ),
        with_body,
    ];
    let vs = version_spec(ops, types());
    let mut log = log_for(&vs);
    let checked = check_only(&vs, &mut log);
    assert!(logged(&log, Severity::Error).is_empty(), "{:#?}", log.diags);
    assert_eq!(checked.ops.len(), 8);
    let converted = composable_pass::convert(&checked, &BTreeSet::new());
    let found: Vec<(&str, String, String)> = converted
        .iter()
        .map(|(id, (from, to))| (id.as_str(), from.to_string(), to.to_string()))
        .collect();
    assert_eq!(
        found,
        [(
            "worksheet.usedRange",
            "workbookWorksheet".to_owned(),
            "workbookRange".to_owned()
        )]
    );
    let skip = BTreeSet::from(["worksheet.usedRange"]);
    assert!(composable_pass::convert(&checked, &skip).is_empty());
}

/// The verb is a step from the binding to the result: an argument counts per form, a GET body
/// parameter (quoted when a string) in every form; its paths reach the result.
#[test]
fn a_converted_get_is_a_step_from_its_binding_to_its_result() {
    let mut o = ws_op(
        "usedRange",
        "GET",
        vec![
            composable_call("usedRange", &[], "workbookRange"),
            composable_call("usedRange", &[("valuesOnly", "boolean")], "workbookRange"),
        ],
    );
    let mut anchor = param("anchor", "string");
    anchor.quoted = false;
    o.body = spec::Body::Parameters {
        params: vec![anchor],
    };
    let vs = version_spec(vec![o], types());
    let (tree, log) = tree_of(&vs);
    assert!(log.diags.is_empty(), "{:#?}", log.diags);
    let (from, to) = (
        NodeId::one("workbookWorksheet"),
        NodeId::one("workbookRange"),
    );
    assert_eq!(
        tree.composed.get("worksheet.usedRange"),
        Some(&(from.clone(), to.clone()))
    );
    let e = &tree.edges[&from][&("usedrange".to_owned(), EdgeKind::Nav)];
    assert_eq!((e.wire.as_str(), &e.target, e.forms), ("usedRange", &to, 2));
    let args: Vec<(&str, usize, bool)> = e
        .args
        .iter()
        .map(|(p, n)| (p.name.as_str(), *n, p.quoted))
        .collect();
    assert_eq!(args, [("valuesOnly", 1, false), ("anchor", 2, true)]);
    assert_eq!(
        (e.origin.op.as_str(), e.origin.path, e.origin.segment),
        ("worksheet.usedRange", 0, 3)
    );
    let reached: Vec<&str> = tree.reached[&to].iter().map(String::as_str).collect();
    assert_eq!(
        reached,
        [
            "/workbook/worksheets/{worksheet}/usedRange",
            "/workbook/worksheets/{worksheet}/usedRange(valuesOnly)"
        ]
    );
}

/// A navigation of the same name that reaches another node keeps the GET an operation (noted).
#[test]
fn a_step_that_reaches_another_node_keeps_the_operation() {
    let tables = then(
        &ws_path(),
        [nav("tables", Some("Collection(workbookTableRow)"))],
    );
    let list = op(
        "tableRowCollection.list",
        "GET",
        "Collection(workbookTableRow)",
        &[tables],
    );
    let o = ws_op(
        "tables",
        "GET",
        vec![composable_call("tables", &[], "workbookRange")],
    );
    let vs = version_spec(vec![list, o.clone()], types());
    let l = through_ops(&vs);
    let d = only_about(&l.log, Severity::Warning, &op_file("worksheet.tables"));
    assert_eq!(d.line, line(&o, "/paths/0/segments"));
    assert_eq!(
        d.message,
        "worksheet.tables: composable `tables` returns `workbookRange` but the navigation \
         `tables` of `workbookWorksheet` reaches `Collection(workbookTableRow)`: kept as an \
         operation"
    );
    assert!(l.composed.is_empty());
    assert_eq!(
        op_ids(node(&l.nodes, "WorksheetNode")),
        ["worksheet.tables"]
    );
}

/// The navigation lists the operation it became; its paths join the result's `get` (marked
/// `via`), or it is the result's `get` when there is none.
#[test]
fn attach_documents_the_navigation_and_gives_the_result_a_get() {
    let used = ws_op(
        "usedRange",
        "GET",
        vec![composable_call("usedRange", &[], "workbookRange")],
    );
    let range = then(&ws_path(), [call("range", &[("address", "string")])]);
    let rows = vec![
        nav("workbook", None),
        nav("tables", Some("Collection(workbookTable)")),
        key("table"),
        nav("rows", Some("Collection(workbookTableRow)")),
    ];
    let mut item_at = op(
        "tableRowCollection.itemAt",
        "GET",
        "Collection(workbookTableRow)",
        &[then(
            &rows,
            [composable_call("itemAt", &[], "workbookTableRow")],
        )],
    );
    item_at.body = spec::Body::Parameters {
        params: vec![param("index", "int32")],
    };
    let vs = version_spec(
        vec![
            used,
            op("range.get", "GET", "workbookRange", &[range]),
            item_at,
        ],
        types(),
    );
    let mut l = through_ops(&vs);
    composable_pass::attach(&mut l.nodes, std::mem::take(&mut l.composed));
    let composes = |n: &str, method: &str| -> Vec<String> {
        let nv = node(&l.nodes, n).navs.iter().find(|nv| nv.method == method);
        let nv = nv.unwrap_or_else(|| panic!("`{n}` has no `{method}`"));
        nv.composes.iter().map(|o| o.id.clone()).collect()
    };
    assert_eq!(
        composes("WorksheetNode", "used_range"),
        ["worksheet.usedRange"]
    );
    assert_eq!(
        composes("TableRowCollectionNode", "item_at"),
        ["tableRowCollection.itemAt"]
    );
    let paths = |o: &ir::OpMethod| -> Vec<(String, Option<String>)> {
        o.paths
            .iter()
            .map(|p| (p.skeleton(), p.via.clone()))
            .collect()
    };
    let range = node(&l.nodes, "RangeNode");
    assert_eq!(op_ids(range), ["range.get"]);
    assert_eq!(
        paths(&range.ops[0]),
        [
            ("/workbook/worksheets/{}/range(address)".to_owned(), None),
            (
                "/workbook/worksheets/{}/usedRange".to_owned(),
                Some("worksheet.usedRange".to_owned())
            ),
        ]
    );
    let row = node(&l.nodes, "TableRowNode");
    assert_eq!(op_ids(row), ["tableRowCollection.itemAt"]);
    let get = &row.ops[0];
    assert_eq!(get.name, ir::Name::new("get", "GET"));
    assert!(get.verb.is_none() && get.renamed.is_none());
    // The GET body parameter is an argument of the call: in the skeleton.
    assert_eq!(
        paths(get),
        [("/workbook/tables/{}/rows/itemAt(index)".to_owned(), None)]
    );
}
