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
        kind: "entity".into(),
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
    }
}

/// The template a segment list spells.
fn template(segs: &[Segment]) -> String {
    let mut s = String::new();
    for seg in segs {
        s.push('/');
        match seg {
            Segment::Navigation { name, .. } => s.push_str(name),
            Segment::Key { param } => s.push_str(&format!("{{{}}}", param.name)),
            Segment::Call { name, args, .. } if args.is_empty() => s.push_str(name),
            Segment::Call { name, args, .. } => {
                let a: Vec<String> = args
                    .iter()
                    .map(|a| format!("{0}={{{0}}}", a.name))
                    .collect();
                s.push_str(&format!("{name}({})", a.join(",")));
            }
        }
    }
    s
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
                template: template(segs),
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
        msgs[0].contains("placeholder `{sheet}` is not a key"),
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
