//! `tree::build`: every path prefix typed (binding, then documented target, then keyed
//! element, then a guess), every step an edge; conflicting prefixes reported.

use super::*;
use crate::lower::tests::{call, op};
use crate::lower::tree::{Edge, EdgeKind, Tree};

fn edge<'a>(tree: &'a Tree, from: &NodeId, name: &str, kind: EdgeKind) -> &'a Edge {
    tree.edges
        .get(from)
        .and_then(|es| es.get(&(name.to_owned(), kind)))
        .unwrap_or_else(|| panic!("no {kind:?} edge `{name}` from `{from}`"))
}

fn coll(wire: &str) -> NodeId {
    NodeId {
        wire_type: wire.into(),
        collection: true,
    }
}

#[test]
fn prefixes_are_typed_and_keys_give_an_item_step_and_a_shortcut() {
    let vs = version_spec(
        vec![op(
            "worksheet.get",
            "GET",
            "workbookWorksheet",
            &[ws_path()],
        )],
        vec![],
    );
    let (tree, log) = tree_of(&vs);
    assert!(log.diags.is_empty(), "{:#?}", log.diags);
    let ids: Vec<String> = tree.edges.keys().map(|n| n.to_string()).collect();
    assert_eq!(
        ids,
        [
            "workbook",
            "workbookWorksheet",
            "Collection(workbookWorksheet)"
        ]
    );
    let root = NodeId::root();
    let sheet = NodeId::one("workbookWorksheet");
    let e = edge(&tree, &root, "worksheets", EdgeKind::Nav);
    assert_eq!(
        (e.wire.as_str(), &e.target),
        ("worksheets", &coll("workbookWorksheet"))
    );
    assert!(e.key.is_none());
    let e = edge(&tree, &coll("workbookWorksheet"), "{}", EdgeKind::Key);
    assert_eq!(e.target, sheet);
    assert_eq!(e.key.as_ref().map(|k| k.name.as_str()), Some("worksheet"));
    // `/worksheets/{worksheet}` in one step from the root.
    let e = edge(&tree, &root, "worksheets", EdgeKind::Shortcut);
    assert_eq!(e.target, sheet);
    assert_eq!(e.key.as_ref().map(|k| k.name.as_str()), Some("worksheet"));
    assert_eq!(tree.edges[&root].len(), 2);
    let reached: Vec<&String> = tree.reached[&sheet].iter().collect();
    assert_eq!(reached, ["/workbook/worksheets/{worksheet}"]);
}

/// An operation's binding types its path over the type documented on the last segment.
#[test]
fn the_binding_wins_over_a_documented_segment_type() {
    let path = then(&ws_path(), [nav("protection", Some("workbookOther"))]);
    let vs = version_spec(
        vec![op(
            "worksheetProtection.get",
            "GET",
            "workbookWorksheetProtection",
            &[path],
        )],
        vec![],
    );
    let (tree, _) = tree_of(&vs);
    let e = edge(
        &tree,
        &NodeId::one("workbookWorksheet"),
        "protection",
        EdgeKind::Nav,
    );
    assert_eq!(e.target, NodeId::one("workbookWorksheetProtection"));
    assert!(!tree.edges.contains_key(&NodeId::one("workbookOther")));
}

#[test]
fn an_undocumented_segment_is_guessed_from_its_parent_and_noted() {
    let options = then(&ws_path(), [nav("protection", None), nav("options", None)]);
    let charts = then(&ws_path(), [nav("charts", None), key("chart")]);
    let id = "worksheetProtectionOptions.get";
    let o = op(id, "GET", "workbookWorksheetProtectionOptions", &[options]);
    let vs = version_spec(
        vec![
            o.clone(),
            op("chart.get", "GET", "workbookChart", &[charts]),
        ],
        vec![],
    );
    let (tree, log) = tree_of(&vs);
    let sheet = NodeId::one("workbookWorksheet");
    let e = edge(&tree, &sheet, "protection", EdgeKind::Nav);
    assert_eq!(e.target, NodeId::one("workbookWorksheetProtection"));
    let e = edge(&tree, &e.target, "options", EdgeKind::Nav);
    assert_eq!(e.target, NodeId::one("workbookWorksheetProtectionOptions"));
    // Followed by a key: a collection.
    let e = edge(&tree, &sheet, "charts", EdgeKind::Nav);
    assert_eq!(e.target, coll("workbookWorksheetCharts"));
    let d = only_about(&log, Severity::Warning, &op_file(id));
    assert_eq!(d.line, line(&o, "/paths/0/segments/3/name"));
    assert_eq!(
        d.message,
        format!(
            "{id}: type of segment `protection` in \
             `/workbook/worksheets/{{worksheet}}/protection/options` is not known; using \
             `workbookWorksheetProtection`"
        )
    );
    assert_eq!(logged(&log, Severity::Warning).len(), 2, "{:#?}", log.diags);
}

/// The first operation (by id) binds the prefix; the other is reported and not walked.
#[test]
fn two_bindings_of_one_prefix_are_reported_and_the_second_left_out() {
    let path = then(&ws_path(), [nav("protection", None)]);
    let a = op(
        "a.get",
        "GET",
        "workbookWorksheetProtection",
        std::slice::from_ref(&path),
    );
    let b = op("b.get", "GET", "workbookRange", &[path]);
    let vs = version_spec(vec![a, b.clone()], vec![]);
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    let tree = tree_pass::build(&c, &mut log);
    let d = only_about(&log, Severity::Error, &op_file("b.get"));
    assert_eq!(d.line, line(&b, "/paths/0/template"));
    assert_eq!(
        d.message,
        "b.get: path `/workbook/worksheets/{worksheet}/protection` reaches `workbookRange` here \
         but `workbookWorksheetProtection` in `a.get`"
    );
    assert_eq!(logged(&log, Severity::Error).len(), 1, "{:#?}", log.diags);
    assert!(!tree.edges.contains_key(&NodeId::one("workbookRange")));
    assert!(tree
        .edges
        .contains_key(&NodeId::one("workbookWorksheetProtection")));
}

#[test]
fn a_path_reaching_another_node_than_its_binding_is_an_error() {
    let o = op(
        "application.get",
        "GET",
        "workbookApplication",
        &[vec![nav("workbook", None)]],
    );
    let vs = version_spec(vec![o.clone()], vec![]);
    let (_, log) = tree_of(&vs);
    let d = only_about(&log, Severity::Error, &op_file("application.get"));
    assert_eq!(d.line, line(&o, "/paths/0/template"));
    assert_eq!(
        d.message,
        "application.get: path `/workbook` reaches `workbook`, not the binding `workbookApplication`"
    );
}

/// Forms of one step merge (an argument counted per form); one step must not reach two nodes.
#[test]
fn steps_merge_their_forms_and_must_agree_on_their_target() {
    let ranges = [
        then(&ws_path(), [call("range", &[("address", "string")])]),
        then(&ws_path(), [call("range", &[])]),
    ];
    let via_chart = then(
        &ws_path(),
        [
            nav("charts", Some("Collection(workbookChart)")),
            key("chart"),
            nav("worksheet", Some("workbookWorksheet")),
            nav("protection", Some("workbookOther")),
        ],
    );
    let direct = then(
        &ws_path(),
        [nav("protection", Some("workbookWorksheetProtection"))],
    );
    let b = op("b.get", "GET", "workbookOther", &[via_chart]);
    let vs = version_spec(
        vec![
            op("range.get", "GET", "workbookRange", &ranges),
            op("a.get", "GET", "workbookWorksheetProtection", &[direct]),
            b.clone(),
        ],
        vec![],
    );
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    let tree = tree_pass::build(&c, &mut log);
    let sheet = NodeId::one("workbookWorksheet");
    let e = edge(&tree, &sheet, "range", EdgeKind::Nav);
    assert_eq!(
        (e.forms, e.target.to_string().as_str()),
        (2, "workbookRange")
    );
    let args: Vec<(&str, usize)> = e.args.iter().map(|(p, n)| (p.name.as_str(), *n)).collect();
    assert_eq!(args, [("address", 1)]);
    assert_eq!(
        (e.origin.op.as_str(), e.origin.path, e.origin.segment),
        ("range.get", 0, 3)
    );
    let d = only_about(&log, Severity::Error, &op_file("b.get"));
    assert_eq!(d.line, line(&b, "/paths/0/template"));
    assert_eq!(
        d.message,
        "b.get: segment `protection` of \
         `/workbook/worksheets/{worksheet}/charts/{chart}/worksheet/protection` reaches \
         `workbookOther` here but `workbookWorksheetProtection` elsewhere"
    );
}
