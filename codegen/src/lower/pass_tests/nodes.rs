//! `nodes::lower_nodes`: a node type per tree node, its navigation methods (segments, calls,
//! keys), their clash rule, and one Rust name per node.

use super::*;
use crate::lower::tests::{call, op};

fn nav_of<'a>(n: &'a ir::NodeType, method: &str) -> &'a ir::Nav {
    n.navs
        .iter()
        .find(|nv| nv.method == method)
        .unwrap_or_else(|| panic!("`{}` has no navigation `{method}`", n.rust))
}

fn methods(n: &ir::NodeType) -> Vec<&str> {
    n.navs.iter().map(|nv| nv.method.as_str()).collect()
}

/// The key parameter of a key navigation, and the segment it is reached by.
fn key_of(nv: &ir::Nav) -> (Option<&str>, &ir::RustParam) {
    match &nv.kind {
        ir::NavKind::Key { segment, param } => (segment.as_deref(), param),
        other => panic!("`{}` is not a key navigation: {other:?}", nv.method),
    }
}

fn call_args(nv: &ir::Nav) -> Vec<(&str, bool)> {
    match &nv.kind {
        ir::NavKind::Call { args, .. } => args
            .iter()
            .map(|a| (a.name.wire.as_str(), a.required))
            .collect(),
        other => panic!("`{}` is not a call navigation: {other:?}", nv.method),
    }
}

#[test]
fn node_types_get_segment_and_key_navigations() {
    let chart = then(
        &ws_path(),
        [
            nav("charts", Some("Collection(workbookChart)")),
            key("chart"),
        ],
    );
    let vs = version_spec(
        vec![
            op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]),
            op("chart.get", "GET", "workbookChart", &[chart]),
        ],
        vec![],
    );
    let (nodes, log) = nodes_of(&vs);
    assert!(log.diags.is_empty(), "{:#?}", log.diags);
    assert_eq!(
        rust_names(&nodes),
        [
            "ChartCollectionNode",
            "ChartNode",
            "WorkbookNode",
            "WorksheetCollectionNode",
            "WorksheetNode"
        ]
    );
    let root = node(&nodes, "WorkbookNode");
    assert_eq!(methods(root), ["worksheet", "worksheets"]);
    let by_key = nav_of(root, "worksheet");
    assert_eq!(by_key.target, "WorksheetNode");
    let (segment, k) = key_of(by_key);
    assert_eq!(segment, Some("worksheets"));
    assert_eq!(k.name, ir::Name::new("worksheet", "worksheet"));
    assert_eq!((k.ty.clone(), k.required), (ir::Ty::String, true));
    let seg = nav_of(root, "worksheets");
    assert_eq!(seg.target, "WorksheetCollectionNode");
    assert_eq!(
        seg.kind,
        ir::NavKind::Segment {
            wire: "worksheets".into()
        }
    );
    let item = nav_of(node(&nodes, "WorksheetCollectionNode"), "item");
    assert_eq!(
        (item.target.as_str(), key_of(item).0),
        ("WorksheetNode", None)
    );
    // A navigation into another area carries that area; within one it needs none.
    let sheet = node(&nodes, "WorksheetNode");
    assert_eq!(methods(sheet), ["chart", "charts"]);
    assert_eq!(nav_of(sheet, "charts").area, Some("charts"));
    let charts = node(&nodes, "ChartCollectionNode");
    assert_eq!(nav_of(charts, "item").area, None);
    let chart = node(&nodes, "ChartNode");
    assert_eq!((chart.area, chart.collection), (Some("charts"), false));
    assert_eq!(
        chart.reached_by,
        ["/workbook/worksheets/{worksheet}/charts/{chart}"]
    );
    assert!(nodes.values().all(|n| n.ops.is_empty()));
}

/// A call argument is required only when every form of the step has it; required first.
#[test]
fn call_navigations_merge_their_arguments_over_forms() {
    let forms = [
        then(
            &ws_path(),
            [call("find", &[("text", "string"), ("within", "string")])],
        ),
        then(&ws_path(), [call("find", &[("within", "string")])]),
    ];
    let vs = version_spec(
        vec![op("range.get", "GET", "workbookRange", &forms)],
        vec![],
    );
    let (nodes, _) = nodes_of(&vs);
    let find = nav_of(node(&nodes, "WorksheetNode"), "find");
    assert_eq!(find.target, "RangeNode");
    assert_eq!(call_args(find), [("within", true), ("text", false)]);
    let ir::NavKind::Call { wire, .. } = &find.kind else {
        unreachable!()
    };
    assert_eq!(wire, "find");
}

/// A key method named like a plain navigation of the node gets `_item`, noted at the key.
#[test]
fn a_key_method_clashing_with_a_navigation_gets_an_item_suffix() {
    let path = then(
        &ws_path(),
        [
            nav("charts", Some("Collection(workbookChart)")),
            key("chart"),
            nav("series", Some("Collection(workbookChartSeries)")),
            key("series"),
        ],
    );
    let o = op("chartSeries.get", "GET", "workbookChartSeries", &[path]);
    let vs = version_spec(vec![o.clone()], vec![]);
    let (nodes, log) = nodes_of(&vs);
    let chart = node(&nodes, "ChartNode");
    assert_eq!(methods(chart), ["series", "series_item"]);
    assert_eq!(nav_of(chart, "series").target, "ChartSeriesCollectionNode");
    let item = nav_of(chart, "series_item");
    assert_eq!(item.target, "ChartSeriesNode");
    assert_eq!(key_of(item).0, Some("series"));
    let d = only_about(&log, Severity::Warning, &op_file("chartSeries.get"));
    assert_eq!(d.line, line(&o, "/paths/0/segments/6/param/name"));
    assert_eq!(
        d.message,
        "ChartNode: key method `series` clashes with a navigation; named `series_item`"
    );
}

/// Two wire types with one Rust node name: reported at the first segment reaching the second.
#[test]
fn two_node_types_with_one_rust_name_are_an_error() {
    let a = op(
        "a.get",
        "GET",
        "chart",
        &[vec![nav("workbook", None), nav("x", Some("chart"))]],
    );
    let b = op(
        "b.get",
        "GET",
        "workbookChart",
        &[vec![nav("workbook", None), nav("y", Some("workbookChart"))]],
    );
    let vs = version_spec(vec![a, b.clone()], vec![]);
    let (_, log) = nodes_of(&vs);
    let d = only_about(&log, Severity::Error, &op_file("b.get"));
    assert_eq!(d.line, line(&b, "/paths/0/segments/1/name"));
    assert_eq!(
        d.message,
        "ChartNode: duplicate name: node types `chart` and `workbookChart` both map to `ChartNode`"
    );
}
