//! Small spec builders for the passes' unit tests, and tests of whole phases.

use super::*;
use crate::spec::{self, Segment, TypeRef};

pub(super) fn prop(name: &str, ty: &str) -> spec::Property {
    spec::Property {
        name: name.into(),
        type_: TypeRef::parse(ty).unwrap(),
        read_only: false,
        values: vec![],
    }
}

pub(super) fn type_def(wire: &str, rust: &str, properties: Vec<spec::Property>) -> spec::TypeDef {
    spec::TypeDef {
        name: wire.into(),
        rust_name: rust.into(),
        version: spec::ApiVersion::V1_0,
        source: spec::Source {
            page: format!("api-reference/v1.0/resources/{wire}.md"),
            line: 1,
        },
        docs_url: String::new(),
        kind: spec::TypeKind::Entity,
        properties,
        relationships: vec![],
    }
}

pub(super) fn param(name: &str, ty: &str) -> spec::Param {
    spec::Param {
        name: name.into(),
        type_: TypeRef::parse(ty).unwrap(),
        required: true,
        quoted: ty == "string",
        values: vec![],
    }
}

pub(super) fn nav(name: &str, target: Option<&str>) -> Segment {
    Segment::Navigation {
        name: name.into(),
        target: target.map(|t| TypeRef::parse(t).unwrap()),
    }
}

pub(super) fn key(name: &str) -> Segment {
    Segment::Key {
        param: param(name, "string"),
    }
}

pub(super) fn call(name: &str, args: &[(&str, &str)]) -> Segment {
    Segment::Call {
        name: name.into(),
        args: args.iter().map(|(n, t)| param(n, t)).collect(),
        target: None,
        composable: false,
    }
}

/// An operation `id` bound to `binding` (`Collection(x)` for collections), one path per
/// segment list.
pub(super) fn op(id: &str, method: &str, binding: &str, paths: &[Vec<Segment>]) -> spec::Operation {
    let b = super::names::NodeId::of_type(&TypeRef::parse(binding).unwrap());
    let verb = id.rsplit_once('.').map(|(_, v)| v).unwrap_or(id);
    spec::Operation {
        id: id.into(),
        rust_name: crate::naming::snake_case(verb),
        version: spec::ApiVersion::V1_0,
        origin: spec::Origin::Docs,
        source: spec::Source {
            page: format!("api-reference/v1.0/api/{id}.md"),
            line: 10,
        },
        docs_url: Some(format!("https://learn.microsoft.com/graph/api/{id}")),
        binding: spec::Binding {
            type_: b.wire_type,
            collection: b.collection,
        },
        method: spec::Method::parse(method).expect("an HTTP method"),
        paths: paths
            .iter()
            .map(|segs| spec::PathTemplate {
                template: crate::path::render(segs, crate::path::Form::Template),
                prefixes: vec![],
                lines: vec![12],
                segments: segs.clone(),
            })
            .collect(),
        headers: vec![],
        body: spec::Body::None,
        success: vec![200],
        returns: None,
        odata_query: false,
        permissions: Default::default(),
        documented: None,
    }
}

/// A v1.0 spec of these operations and types.
pub(super) fn spec_of(ops: Vec<spec::Operation>, types: Vec<spec::TypeDef>) -> Spec {
    let mut vs = spec::VersionSpec::default();
    for o in ops {
        vs.operations.insert(o.id.clone(), o);
    }
    for t in types {
        vs.types.insert(t.name.clone(), t);
    }
    let mut spec = Spec::default();
    spec.versions.insert(spec::ApiVersion::V1_0, vs);
    spec
}

fn worksheet_path() -> Vec<Segment> {
    vec![
        nav("workbook", None),
        nav("worksheets", Some("Collection(workbookWorksheet)")),
        key("worksheet"),
    ]
}

/// Line `line` of the operation's file is the one with `field`.
fn assert_line(op: &spec::Operation, line: u32, field: &str) {
    let text = spec::to_file_text(op);
    let at = text.lines().nth(line as usize - 1).unwrap_or_default();
    assert!(at.contains(field), "line {line} is `{at}`:\n{text}");
}

fn messages(r: Result<ir::Api, Vec<Diagnostic>>) -> Vec<String> {
    r.expect_err("errors")
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_small_spec_lowers_to_nodes_navigations_and_operations() {
    let mut range = worksheet_path();
    range.push(call("range", &[("address", "string")]));
    let mut insert = range.clone();
    insert.push(call("insert", &[("shift", "string")]));
    let spec = spec_of(
        vec![
            op(
                "worksheet.get",
                "GET",
                "workbookWorksheet",
                &[worksheet_path()],
            ),
            op("range.insert", "POST", "workbookRange", &[insert]),
        ],
        vec![],
    );
    let api = lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    let v = &api.versions[0];
    let names: Vec<&str> = v.nodes.iter().map(|n| n.rust.as_str()).collect();
    assert_eq!(
        names,
        [
            "RangeNode",
            "WorkbookNode",
            "WorksheetCollectionNode",
            "WorksheetNode"
        ]
    );
    // The key shortcut from the root, the plain navigation, and the key method.
    let root = &v.nodes[1];
    let methods: Vec<&str> = root.navs.iter().map(|n| n.method.as_str()).collect();
    assert_eq!(methods, ["worksheet", "worksheets"]);
    let range = &v.nodes[0];
    assert_eq!(range.ops[0].verb.as_ref().map(|v| v.args.len()), Some(1));
    assert_eq!((v.operation_count, v.path_count), (2, 2));
    // Guessed type for the unannotated `range(...)` segment.
    assert!(api.notes.is_empty(), "{:#?}", api.notes);
}

#[test]
fn an_unknown_segment_type_is_guessed_and_noted() {
    let mut path = worksheet_path();
    path.push(nav("protection", None));
    path.push(nav("options", None));
    let id = "worksheetProtectionOptions.get";
    let spec = spec_of(
        vec![op(id, "GET", "workbookWorksheetProtectionOptions", &[path])],
        vec![],
    );
    let api = lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    let notes: Vec<String> = api.notes.iter().map(|d| d.to_string()).collect();
    let line = api.notes[0].line;
    assert_eq!(
        notes,
        [format!(
        "spec/v1.0/operations/{id}.json:{line}: warning: {id}: type of segment `protection` in \
         `/workbook/worksheets/{{worksheet}}/protection/options` is not known; using \
         `workbookWorksheetProtection`"
    )]
    );
    assert_line(
        &spec.versions["v1.0"].operations[id],
        line,
        "\"name\": \"protection\"",
    );
    let nodes: Vec<&str> = api.versions[0]
        .nodes
        .iter()
        .map(|n| n.rust.as_str())
        .collect();
    assert!(nodes.contains(&"WorksheetProtectionNode"), "{nodes:?}");
}

#[test]
fn two_bindings_of_one_prefix_are_an_error() {
    let mut path = worksheet_path();
    path.push(nav("protection", Some("workbookWorksheetProtection")));
    let a = op(
        "a.get",
        "GET",
        "workbookWorksheetProtection",
        &[path.clone()],
    );
    let b = op("b.get", "GET", "workbookRange", &[path]);
    assert_line(&b, 17, "\"template\"");
    let msgs = messages(lower(&spec_of(vec![a, b], vec![])));
    assert_eq!(msgs.len(), 1, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("spec/v1.0/operations/b.get.json:17: error: b.get: path "),
        "{msgs:#?}"
    );
    assert!(
        msgs[0]
            .ends_with("reaches `workbookRange` here but `workbookWorksheetProtection` in `a.get`"),
        "{msgs:#?}"
    );
}

#[test]
fn phase_one_errors_stop_before_the_tree_is_built() {
    let mut bad = op(
        "worksheet.get",
        "GET",
        "workbookWorksheet",
        &[worksheet_path()],
    );
    bad.rust_name = "Get".into();
    bad.binding.type_ = "workbook Worksheet".into();
    // A conflicting binding of the same prefix: a phase-2 error, not reported after phase 1.
    let other = op("chart.get", "GET", "workbookChart", &[worksheet_path()]);
    let msgs = messages(lower(&spec_of(vec![bad.clone(), other.clone()], vec![])));
    assert_eq!(msgs.len(), 2, "{msgs:#?}");
    // Sorted: by file, then message.
    assert!(msgs[0].contains("`Get` is not a snake_case"), "{msgs:#?}");
    assert!(
        msgs[1].contains("bad binding type `workbook Worksheet`"),
        "{msgs:#?}"
    );
    assert!(
        msgs[0].starts_with("spec/v1.0/operations/worksheet.get.json"),
        "{msgs:#?}"
    );
    // Fixed, the phase-2 conflict shows.
    bad.binding.type_ = "workbookWorksheet".into();
    bad.rust_name = "get".into();
    let msgs = messages(lower(&spec_of(vec![bad, other], vec![])));
    assert!(
        msgs.iter()
            .any(|m| m
                .contains("reaches `workbookWorksheet` here but `workbookChart` in `chart.get`")),
        "{msgs:#?}"
    );
}

#[test]
fn templates_and_segments_are_checked() {
    let mut o = op(
        "worksheet.get",
        "GET",
        "workbookWorksheet",
        &[worksheet_path()],
    );
    o.paths[0].template = "/workbook/worksheets/{worksheet".into();
    let mut p = o.clone();
    p.id = "worksheet.fetch".into();
    p.paths[0].template = "/workbook/worksheets/{sheet}".into();
    let msgs = messages(lower(&spec_of(vec![o, p], vec![])));
    assert!(
        msgs[0].contains(
            "bad template `/workbook/worksheets/{sheet}`: the segments spell \
             `/workbook/worksheets/{worksheet}`"
        ),
        "{msgs:#?}"
    );
    assert!(msgs[1].contains("unbalanced braces"), "{msgs:#?}");
}

#[test]
fn an_operation_named_like_a_navigation_is_renamed() {
    let mut range = worksheet_path();
    range.push(call("range", &[]));
    let mut o = op(
        "worksheet.range",
        "GET",
        "workbookWorksheet",
        &[range.clone()],
    );
    o.returns = Some(TypeRef::parse("workbookRange").unwrap());
    let r = op("range.get", "GET", "workbookRange", &[range]);
    let api = lower(&spec_of(
        vec![o, r],
        vec![type_def("workbookRange", "WorkbookRange", vec![])],
    ))
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let ws = api.versions[0]
        .nodes
        .iter()
        .find(|n| n.rust == "WorksheetNode")
        .expect("worksheet node");
    assert_eq!(ws.ops[0].name.rust, "get_range");
    assert!(api.notes[0]
        .message
        .contains("this operation is `get_range`"));
}

/// A note about a navigation (merged from every path that takes it) points at the first
/// segment that takes it: here the key of `/series/{series}`, whose method clashes.
#[test]
fn a_clashing_key_method_is_renamed_and_noted_at_its_segment() {
    let mut path = worksheet_path();
    path.push(nav("charts", Some("Collection(workbookChart)")));
    path.push(key("chart"));
    path.push(nav("series", Some("Collection(workbookChartSeries)")));
    path.push(key("series"));
    let id = "chartSeries.get";
    let spec = spec_of(vec![op(id, "GET", "workbookChartSeries", &[path])], vec![]);
    let api = lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    let chart = api.versions[0]
        .nodes
        .iter()
        .find(|n| n.rust == "ChartNode")
        .expect("chart node");
    let methods: Vec<&str> = chart.navs.iter().map(|n| n.method.as_str()).collect();
    assert_eq!(methods, ["series", "series_item"]);
    let [note] = api.notes.as_slice() else {
        panic!("{:#?}", api.notes)
    };
    assert_eq!(note.file, format!("spec/v1.0/operations/{id}.json"));
    let op = &spec.versions["v1.0"].operations[id];
    assert_eq!(
        note.line,
        spec::line_of(&spec::to_file_text(op), "/paths/0/segments/6/param/name")
    );
    assert_line(op, note.line, "\"name\": \"series\"");
    assert!(note.message.contains("named `series_item`"), "{note}");
}

#[test]
fn areas_and_serialization_follow_use() {
    let mut insert = worksheet_path();
    insert.push(nav("charts", Some("Collection(workbookChart)")));
    insert.push(call("add", &[]));
    let mut add = op(
        "chartCollection.add",
        "POST",
        "Collection(workbookChart)",
        &[insert],
    );
    add.body = spec::Body::Resource {
        type_: TypeRef::parse("workbookChart").unwrap(),
    };
    let types = vec![
        type_def(
            "workbookChart",
            "WorkbookChart",
            vec![prop("font", "workbookChartFont")],
        ),
        type_def("workbookChartFont", "WorkbookChartFont", vec![]),
        type_def(
            "workbookRange",
            "WorkbookRange",
            vec![prop("chart", "workbookChartFont")],
        ),
    ];
    let api = lower(&spec_of(vec![add], types)).unwrap_or_else(|d| panic!("{d:#?}"));
    let t = &api.versions[0].types;
    let area: Vec<(&str, Option<&str>, bool)> = t
        .iter()
        .map(|t| (t.name.rust.as_str(), t.area, t.serialize))
        .collect();
    assert_eq!(
        area,
        [
            ("WorkbookChart", Some("charts"), true),
            // Used by a type outside the charts area: always compiled.
            ("WorkbookChartFont", None, true),
            ("WorkbookRange", None, false),
        ]
    );
}

/// A call to a function the metadata marks composable, returning `target`.
fn composable(name: &str, args: &[(&str, &str)], target: &str) -> Segment {
    Segment::Call {
        name: name.into(),
        args: args.iter().map(|(n, t)| param(n, t)).collect(),
        target: Some(TypeRef::named(target)),
        composable: true,
    }
}

fn node<'a>(v: &'a ir::VersionApi, rust: &str) -> &'a ir::NodeType {
    v.nodes
        .iter()
        .find(|n| n.rust == rust)
        .unwrap_or_else(|| panic!("no node `{rust}`"))
}

fn nav_of<'a>(n: &'a ir::NodeType, method: &str) -> &'a ir::Nav {
    n.navs
        .iter()
        .find(|nv| nv.method == method)
        .unwrap_or_else(|| panic!("`{}` has no navigation `{method}`", n.rust))
}

fn range_types() -> Vec<spec::TypeDef> {
    vec![
        type_def("workbookRange", "WorkbookRange", vec![]),
        type_def("workbookWorksheet", "WorkbookWorksheet", vec![]),
        type_def("workbookTableRow", "WorkbookTableRow", vec![]),
    ]
}

/// `worksheet.usedRange` (with and without `valuesOnly`) is a navigation to `RangeNode`, and
/// `RangeNode::get` carries its templates with the skeletons the runtime builds.
#[test]
fn a_composable_get_becomes_a_navigation_and_joins_the_targets_get() {
    let mut range = worksheet_path();
    range.push(call("range", &[("address", "string")]));
    let mut used = worksheet_path();
    used.push(composable("usedRange", &[], "workbookRange"));
    let mut used_values = worksheet_path();
    used_values.push(composable(
        "usedRange",
        &[("valuesOnly", "boolean")],
        "workbookRange",
    ));
    let mut o = op(
        "worksheet.usedRange",
        "GET",
        "workbookWorksheet",
        &[used, used_values],
    );
    o.returns = Some(TypeRef::named("workbookRange"));
    let spec = spec_of(
        vec![o, op("range.get", "GET", "workbookRange", &[range])],
        range_types(),
    );
    let api = lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    let v = &api.versions[0];
    let ws = node(v, "WorksheetNode");
    assert!(ws.ops.is_empty(), "no operation left: {:#?}", ws.ops);
    let nv = nav_of(ws, "used_range");
    assert_eq!(nv.target, "RangeNode");
    let ir::NavKind::Call { wire, args } = &nv.kind else {
        panic!("a call navigation: {:?}", nv.kind)
    };
    assert_eq!(wire, "usedRange");
    // Only one of the two forms has it: optional.
    assert_eq!(args.len(), 1);
    assert_eq!(
        (args[0].name.wire.as_str(), args[0].required),
        ("valuesOnly", false)
    );
    assert_eq!(nv.composes.len(), 1);
    assert_eq!(nv.composes[0].id, "worksheet.usedRange");
    let get = &node(v, "RangeNode").ops[0];
    assert_eq!(
        (get.id.as_str(), get.name.rust.as_str()),
        ("range.get", "get")
    );
    let skeletons: Vec<String> = get.paths.iter().map(|p| p.skeleton()).collect();
    let paths: Vec<(&str, Option<&str>)> = skeletons
        .iter()
        .zip(&get.paths)
        .map(|(s, p)| (s.as_str(), p.via.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [
            ("/workbook/worksheets/{}/range(address)", None),
            (
                "/workbook/worksheets/{}/usedRange",
                Some("worksheet.usedRange")
            ),
            (
                "/workbook/worksheets/{}/usedRange(valuesOnly)",
                Some("worksheet.usedRange")
            ),
        ]
    );
    assert!(node(v, "RangeNode")
        .reached_by
        .contains(&"/workbook/worksheets/{worksheet}/usedRange(valuesOnly)".to_owned()));
}

/// A result node without a `get` gets one built from the composable operation; GET body
/// parameters are arguments of the navigation and part of the skeleton.
#[test]
fn a_composable_get_is_the_get_of_a_node_without_one() {
    let rows = || {
        let mut p = vec![
            nav("workbook", None),
            nav("tables", Some("Collection(workbookTable)")),
        ];
        p.push(key("table"));
        p.push(nav("rows", Some("Collection(workbookTableRow)")));
        p
    };
    let mut item_at = rows();
    item_at.push(composable("itemAt", &[], "workbookTableRow"));
    let mut o = op(
        "tableRowCollection.itemAt",
        "GET",
        "Collection(workbookTableRow)",
        &[item_at],
    );
    o.body = spec::Body::Parameters {
        params: vec![param("index", "int32")],
    };
    let list = op(
        "tableRowCollection.list",
        "GET",
        "Collection(workbookTableRow)",
        &[rows()],
    );
    let api = lower(&spec_of(vec![o, list], range_types())).unwrap_or_else(|d| panic!("{d:#?}"));
    let v = &api.versions[0];
    let nv = nav_of(node(v, "TableRowCollectionNode"), "item_at");
    let ir::NavKind::Call { args, .. } = &nv.kind else {
        panic!("a call navigation: {:?}", nv.kind)
    };
    assert_eq!(
        (args[0].name.wire.as_str(), args[0].required),
        ("index", true)
    );
    assert_eq!(args[0].ty, ir::Ty::I32);
    let row = node(v, "TableRowNode");
    assert_eq!(row.ops.len(), 1);
    let get = &row.ops[0];
    assert_eq!(
        (get.id.as_str(), get.name.rust.as_str()),
        ("tableRowCollection.itemAt", "get")
    );
    assert!(get.verb.is_none() && get.body == ir::BodyKind::None);
    assert_eq!(
        get.paths[0].skeleton(),
        "/workbook/tables/{}/rows/itemAt(index)"
    );
    assert_eq!(get.paths[0].via, None);
}

/// Not composable, not a GET, or a navigation of the same name reaching another node: the
/// operation stays an operation.
#[test]
fn other_operations_stay_operations() {
    let mut cell = worksheet_path();
    cell.push(call("cell", &[("row", "int32"), ("column", "int32")]));
    let mut plain = op("worksheet.cell", "GET", "workbookWorksheet", &[cell]);
    plain.returns = Some(TypeRef::named("workbookRange"));
    let mut clear = worksheet_path();
    clear.push(composable("clear", &[], "workbookRange"));
    let post = op("worksheet.clear", "POST", "workbookWorksheet", &[clear]);
    // `tables` navigates to a collection elsewhere; a composable `tables` cannot be that.
    let mut tables = worksheet_path();
    tables.push(nav("tables", Some("Collection(workbookTableRow)")));
    let list = op(
        "tableRowCollection.list",
        "GET",
        "Collection(workbookTableRow)",
        &[tables],
    );
    let mut t = worksheet_path();
    t.push(composable("tables", &[], "workbookRange"));
    let mut other = op("worksheet.tables", "GET", "workbookWorksheet", &[t]);
    other.returns = Some(TypeRef::named("workbookRange"));
    let api = lower(&spec_of(vec![plain, post, list, other], range_types()))
        .unwrap_or_else(|d| panic!("{d:#?}"));
    let ws = node(&api.versions[0], "WorksheetNode");
    let ops: Vec<&str> = ws.ops.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ops,
        ["worksheet.cell", "worksheet.clear", "worksheet.tables"]
    );
    assert!(ws.navs.iter().all(|n| n.composes.is_empty()));
    assert!(
        api.notes.iter().any(|d| d
            .message
            .contains("composable `tables` returns `workbookRange`")),
        "{:#?}",
        api.notes
    );
}

/// A composable GET whose verb other paths already navigate through (`worksheet.range` and
/// `.../range(address=..)/insert`) joins that navigation: an argument not in every form is
/// optional, and no `get_range` operation is left to rename.
#[test]
fn a_composable_get_joins_an_existing_navigation() {
    let mut with_address = worksheet_path();
    with_address.push(composable(
        "range",
        &[("address", "string")],
        "workbookRange",
    ));
    let mut insert = with_address.clone();
    insert.push(call("insert", &[]));
    let mut whole = worksheet_path();
    whole.push(composable("range", &[], "workbookRange"));
    let mut o = op(
        "worksheet.range",
        "GET",
        "workbookWorksheet",
        &[whole, with_address],
    );
    o.returns = Some(TypeRef::named("workbookRange"));
    let spec = spec_of(
        vec![o, op("range.insert", "POST", "workbookRange", &[insert])],
        range_types(),
    );
    let api = lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    let v = &api.versions[0];
    let ws = node(v, "WorksheetNode");
    assert!(ws.ops.is_empty(), "{:#?}", ws.ops);
    let nv = nav_of(ws, "range");
    let ir::NavKind::Call { args, .. } = &nv.kind else {
        panic!("a call navigation: {:?}", nv.kind)
    };
    assert_eq!(
        (args[0].name.wire.as_str(), args[0].required),
        ("address", false)
    );
    assert_eq!(nv.composes[0].id, "worksheet.range");
    // RangeNode had no `get`: the composable operation is it, under its own id.
    let range = node(v, "RangeNode");
    let get = range
        .ops
        .iter()
        .find(|o| o.name.rust == "get")
        .expect("get");
    assert_eq!(get.id, "worksheet.range");
    assert_eq!(get.paths.len(), 2);
    assert!(api.notes.is_empty(), "{:#?}", api.notes);
}
