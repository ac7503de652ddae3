//! `ops::attach_operations`: each operation onto the node it acts on, with its verb, body
//! struct, paths and notes; GETs of composable functions handed back instead.

use super::*;
use crate::lower::tests::{call, op, type_def};

fn range_path() -> Vec<Segment> {
    then(&ws_path(), [call("range", &[("address", "string")])])
}

fn verb_args(o: &ir::OpMethod) -> Vec<(&str, bool, bool)> {
    let v = o.verb.as_ref().expect("a verb");
    v.args
        .iter()
        .map(|a| (a.name.wire.as_str(), a.required, a.quoted))
        .collect()
}

#[test]
fn an_operation_lands_on_the_node_it_acts_on_with_its_verb_and_paths() {
    let inserts = [
        then(&range_path(), [call("insert", &[("shift", "string")])]),
        then(
            &ws_path(),
            [call("range", &[]), call("insert", &[("shift", "string")])],
        ),
    ];
    let vs = version_spec(
        vec![
            op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]),
            op("range.insert", "POST", "workbookRange", &inserts),
        ],
        vec![],
    );
    let l = through_ops(&vs);
    assert!(l.log.diags.is_empty(), "{:#?}", l.log.diags);
    assert_eq!((l.counts.operations, l.counts.paths), (2, 3));
    let sheet = node(&l.nodes, "WorksheetNode");
    assert_eq!(op_ids(sheet), ["worksheet.get"]);
    let get = &sheet.ops[0];
    assert_eq!(get.name, ir::Name::new("get", "GET"));
    assert!(get.verb.is_none());
    let forms: Vec<(String, String, Option<String>)> = get
        .paths
        .iter()
        .map(|p| (p.template(), p.skeleton(), p.via.clone()))
        .collect();
    assert_eq!(
        forms,
        [(
            "/workbook/worksheets/{worksheet}".to_owned(),
            "/workbook/worksheets/{}".to_owned(),
            None
        )]
    );
    let range = node(&l.nodes, "RangeNode");
    assert_eq!(op_ids(range), ["range.insert"]);
    let insert = &range.ops[0];
    assert_eq!(insert.name, ir::Name::new("insert", "insert"));
    assert_eq!(insert.method, spec::Method::Post);
    assert_eq!(verb_args(insert), [("shift", true, true)]);
    let skeletons: Vec<String> = insert.paths.iter().map(|p| p.skeleton()).collect();
    assert_eq!(
        skeletons,
        [
            "/workbook/worksheets/{}/range(address)/insert(shift)",
            "/workbook/worksheets/{}/range/insert(shift)"
        ]
    );
    assert_eq!(insert.source, "api-reference/v1.0/api/range.insert.md:10");
    assert_eq!(insert.metadata_note, None);
    let others = ["WorkbookNode", "WorksheetCollectionNode"];
    assert!(others.iter().all(|n| node(&l.nodes, n).ops.is_empty()));
}

/// Parameters become `<Id>Params`, PATCH properties `<Id>` (all optional), a name taken by a
/// resource type gets `Body`; a resource body is that type, with no struct.
#[test]
fn request_bodies_become_structs_named_after_the_operation() {
    let mut insert = op(
        "range.insert",
        "POST",
        "workbookRange",
        &[then(&range_path(), [call("insert", &[])])],
    );
    insert.body = spec::Body::Parameters {
        params: vec![param("shift", "string")],
    };
    let chart_path = then(
        &ws_path(),
        [
            nav("charts", Some("Collection(workbookChart)")),
            key("chart"),
        ],
    );
    let mut update = op(
        "chart.update",
        "PATCH",
        "workbookChart",
        std::slice::from_ref(&chart_path),
    );
    update.body = spec::Body::Properties {
        type_: TypeRef::named("workbookChart"),
        params: vec![param("name", "string")],
    };
    let mut taken = op(
        "worksheet.update",
        "PATCH",
        "workbookWorksheet",
        &[ws_path()],
    );
    taken.body = spec::Body::Properties {
        type_: TypeRef::named("workbookWorksheet"),
        params: vec![param("name", "string")],
    };
    let mut add = op(
        "chartCollection.create",
        "POST",
        "Collection(workbookChart)",
        &[chart_path[..4].to_vec()],
    );
    add.body = spec::Body::Resource {
        type_: TypeRef::named("workbookChart"),
    };
    let types = vec![
        type_def("workbookChart", "WorkbookChart", vec![]),
        type_def("workbookWorksheet", "WorkbookWorksheet", vec![]),
        type_def("worksheetUpdate", "WorksheetUpdate", vec![]),
    ];
    let vs = version_spec(vec![insert, update, taken, add], types);
    let l = through_ops(&vs);
    assert!(l.log.diags.is_empty(), "{:#?}", l.log.diags);
    /// Rust name, operation, area, PATCH, (field, required).
    type Summary<'a> = (&'a str, &'a str, ir::Area, bool, Vec<(&'a str, bool)>);
    let bodies: Vec<Summary> = l
        .bodies
        .iter()
        .map(|b| {
            let fields = b.fields.iter().map(|f| (f.name.rust.as_str(), f.required));
            (
                b.rust.as_str(),
                b.op_id.as_str(),
                b.area,
                b.patch,
                fields.collect(),
            )
        })
        .collect();
    assert_eq!(
        bodies,
        [
            (
                "ChartUpdate",
                "chart.update",
                Some("charts"),
                true,
                vec![("name", false)]
            ),
            (
                "RangeInsertParams",
                "range.insert",
                None,
                false,
                vec![("shift", true)]
            ),
            (
                "WorksheetUpdateBody",
                "worksheet.update",
                None,
                true,
                vec![("name", false)]
            ),
        ]
    );
    let body_of = |n: &str| node(&l.nodes, n).ops[0].body.clone();
    let st = |rust: &str| ir::BodyKind::Struct { rust: rust.into() };
    assert_eq!(body_of("RangeNode"), st("RangeInsertParams"));
    assert_eq!(body_of("WorksheetNode"), st("WorksheetUpdateBody"));
    assert_eq!(
        body_of("ChartCollectionNode"),
        ir::BodyKind::Resource {
            ty: ir::Ty::Named("WorkbookChart".into())
        }
    );
}

/// OData functions take their parameters in the URL: a GET's body parameters are verb
/// arguments (quoted when strings), and it has no body.
#[test]
fn get_body_parameters_are_arguments_of_the_verb() {
    let mut rect = op(
        "range.boundingRect",
        "GET",
        "workbookRange",
        &[then(&range_path(), [call("boundingRect", &[])])],
    );
    let mut other = param("anotherRange", "string");
    other.quoted = false;
    rect.body = spec::Body::Parameters {
        params: vec![other],
    };
    let vs = version_spec(vec![rect], vec![]);
    let l = through_ops(&vs);
    assert!(l.bodies.is_empty());
    let o = &node(&l.nodes, "RangeNode").ops[0];
    assert_eq!(o.name.wire, "boundingRect");
    assert_eq!(o.body, ir::BodyKind::None);
    assert_eq!(verb_args(o), [("anotherRange", true, true)]);
}

#[test]
fn an_operation_from_the_metadata_says_so() {
    let mut clear = op(
        "range.clear",
        "POST",
        "workbookRange",
        &[then(&range_path(), [call("clear", &[])])],
    );
    clear.origin = spec::Origin::Metadata;
    let vs = version_spec(vec![clear], vec![]);
    let l = through_ops(&vs);
    let o = &node(&l.nodes, "RangeNode").ops[0];
    assert_eq!(
        o.metadata_note.as_deref(),
        Some(
            "From Graph's metadata, not from a docs page: the CSDL action `clear` bound to \
             `workbookRange`, no parameters."
        )
    );
}

/// A GET of a composable function is handed back for `composable::attach`, not attached.
#[test]
fn a_composable_get_is_handed_back_instead_of_attached() {
    let used = then(
        &ws_path(),
        [composable_call("usedRange", &[], "workbookRange")],
    );
    let o = op("worksheet.usedRange", "GET", "workbookWorksheet", &[used]);
    let vs = version_spec(
        vec![o],
        vec![type_def("workbookRange", "WorkbookRange", vec![])],
    );
    let l = through_ops(&vs);
    assert!(node(&l.nodes, "WorksheetNode").ops.is_empty());
    let [c] = l.composed.as_slice() else {
        panic!("one composed operation")
    };
    assert_eq!(
        (&c.from, &c.target, c.wire.as_str()),
        (
            &NodeId::one("workbookWorksheet"),
            &NodeId::one("workbookRange"),
            "usedRange"
        )
    );
    assert_eq!(c.op.id, "worksheet.usedRange");
    assert_eq!(
        c.op.paths[0].skeleton(),
        "/workbook/worksheets/{}/usedRange"
    );
    assert_eq!(l.counts.operations, 1);
}
