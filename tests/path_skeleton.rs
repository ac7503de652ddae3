//! The runtime builds a node's skeleton while navigating (`node::Node`), and the generator
//! renders the skeleton of every documented path from its segments (codegen's `path::render`
//! behind `PathTemplate::skeleton`); a request names its template by matching the two. This
//! checks they agree for a few nodes of the real spec: a key, calls with arguments (sorted in
//! the skeleton), an optional argument left out, and an action verb.

use std::path::Path;

use graph_workbook::node::{Arg, Node, NodeType, Op, Shape};
use graph_workbook::v1::Workbook;
use graph_workbook::{Client, DriveItem, Method};
use graph_workbook_codegen::spec::{ApiVersion, Spec};

fn book() -> Workbook {
    Client::new("t")
        .expect("a client")
        .workbook(&DriveItem::me_item("01AB"))
}

/// The generator's skeleton of `template`, a documented path of operation `id` in spec/v1.0.
fn codegen_skeleton(spec: &Spec, id: &str, template: &str) -> String {
    let op = &spec.versions[&ApiVersion::V1_0].operations[id];
    let p = op
        .paths
        .iter()
        .find(|p| p.template == template)
        .unwrap_or_else(|| panic!("`{id}` documents no `{template}`"));
    p.skeleton()
}

/// The template the runtime names for a request from `node`, given an operation whose only
/// documented skeleton is `skeleton`, listed after a decoy that wins every inexact match
/// (`template_of` falls back to the longest common ending, first one on a tie): `exact` comes
/// back only when the runtime built `skeleton` itself.
fn runtime_match(node: &Node, verb: Verb, skeleton: String) -> &'static str {
    let decoy: &'static str = Box::leak(format!("/decoy{skeleton}").into_boxed_str());
    let skeleton: &'static str = Box::leak(skeleton.into_boxed_str());
    let templates = Box::leak(Box::new([(decoy, "decoy"), (skeleton, "exact")]));
    let op = Box::leak(Box::new(Op {
        id: "test.op",
        method: Method::Get,
        templates: &templates[..],
        shape: Shape::Json,
        headers: &[],
    }));
    node.request(op, verb, None).template
}

type Verb = Option<(&'static str, &'static [(&'static str, Arg<'static>)])>;

#[test]
fn runtime_skeletons_equal_the_generated_ones() {
    let (spec, diags) = Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("spec"));
    assert!(diags.is_empty(), "{diags:#?}");
    let b = book();
    let sheet = b.worksheet("S");
    let range = sheet.range("A1:D9");
    let cases: [(&str, &str, Node, Verb); 5] = [
        (
            "worksheet.get",
            "/workbook/worksheets/{worksheet}",
            sheet.node().clone(),
            None,
        ),
        (
            "range.cell",
            "/workbook/worksheets/{worksheet}/range(address={address})/cell(row={row},column={column})",
            range.cell(2, 3).node().clone(),
            None,
        ),
        (
            "worksheet.usedRange",
            "/workbook/worksheets/{worksheet}/usedRange",
            sheet.used_range(None).node().clone(),
            None,
        ),
        (
            "worksheet.usedRange",
            "/workbook/worksheets/{worksheet}/usedRange(valuesOnly={valuesOnly})",
            sheet.used_range(true).node().clone(),
            None,
        ),
        (
            "range.insert",
            "/workbook/worksheets/{worksheet}/range(address={address})/insert",
            range.node().clone(),
            Some(("insert", &[])),
        ),
    ];
    for (id, template, node, verb) in cases {
        let skeleton = codegen_skeleton(&spec, id, template);
        assert_eq!(
            runtime_match(&node, verb, skeleton.clone()),
            "exact",
            "{id}: {skeleton}"
        );
        // The check can fail: a skeleton the runtime did not build is not matched.
        let wrong = skeleton.replacen("/workbook", "/workbook/x", 1);
        assert_eq!(runtime_match(&node, verb, wrong), "decoy", "{id}");
    }
}

/// A composable GET whose arguments the docs give as a body (`range.offsetRange`): the
/// generated `get` sends them in the path, and its skeleton (the IR's, with the sent
/// arguments) is what the runtime builds.
#[test]
fn a_composable_get_with_body_arguments_matches_the_ir_skeleton() {
    let (spec, _) = Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("spec"));
    let api = graph_workbook_codegen::lower::lower(&spec).expect("the spec lowers");
    let v1 = api
        .versions
        .iter()
        .find(|v| v.version == ApiVersion::V1_0)
        .expect("v1.0");
    let get = v1
        .nodes
        .iter()
        .find(|n| n.rust == "RangeNode")
        .and_then(|n| n.ops.iter().find(|o| o.name.rust == "get"))
        .expect("RangeNode::get");
    let path = get
        .paths
        .iter()
        .find(|p| {
            p.via.as_deref() == Some("range.offsetRange")
                && p.template()
                    == "/workbook/worksheets/{worksheet}/range(address={address})/offsetRange"
        })
        .expect("the documented offsetRange path");
    let skeleton = path.skeleton();
    assert_ne!(
        skeleton,
        codegen_skeleton(&spec, "range.offsetRange", &path.template())
    );
    let node = book().worksheet("S").range("B2").offset_range(1, -1);
    assert_eq!(runtime_match(node.node(), None, skeleton), "exact");
}
