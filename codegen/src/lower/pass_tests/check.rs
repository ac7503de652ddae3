//! `check::version`: each spec file on its own; a bad file is reported at its field and left
//! out of what later phases see.

use super::*;
use crate::lower::tests::{call, op, prop, type_def};

/// The ids of the operations phase 1 let through.
fn passed<'a>(c: &'a Checked) -> Vec<&'a str> {
    c.ops.iter().map(|i| i.id).collect()
}

#[test]
fn a_bad_template_is_reported_at_its_template_and_the_operation_left_out() {
    let mut bad = op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    bad.paths[0].template = "/workbook/worksheets/{worksheet".into();
    let good = op(
        "worksheetCollection.list",
        "GET",
        "Collection(workbookWorksheet)",
        &[ws_path()[..2].to_vec()],
    );
    let vs = version_spec(vec![bad.clone(), good], vec![]);
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    assert_eq!(passed(&c), ["worksheetCollection.list"]);
    let d = only_about(&log, Severity::Error, &op_file("worksheet.get"));
    assert_eq!(d.line, line(&bad, "/paths/0/template"));
    assert!(
        d.message.starts_with("worksheet.get: bad template: ") && d.message.contains("braces"),
        "{d}"
    );
    assert_eq!(logged(&log, Severity::Error).len(), 1, "{:#?}", log.diags);
}

#[test]
fn a_template_its_segments_do_not_spell_is_reported_at_the_segments() {
    let mut o = op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    o.paths[0].template = "/workbook/worksheets/{sheet}".into();
    // Segments that do not start at the workbook.
    let mut p = op("worksheet.fetch", "GET", "workbookWorksheet", &[ws_path()]);
    p.paths[0].segments.remove(0);
    let vs = version_spec(vec![o.clone(), p.clone()], vec![]);
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    assert!(passed(&c).is_empty());
    let d = only_about(&log, Severity::Error, &op_file("worksheet.get"));
    assert_eq!(d.line, line(&o, "/paths/0/segments"));
    assert!(d.message.starts_with("worksheet.get: "), "{d}");
    assert!(
        d.message
            .contains("`/workbook/worksheets/{sheet}`: the segments spell"),
        "{d}"
    );
    let d = only_about(&log, Severity::Error, &op_file("worksheet.fetch"));
    assert_eq!(d.line, line(&p, "/paths/0/segments"));
    assert!(d.message.contains("must be `workbook`"), "{d}");
}

/// Each bad field of an operation file is reported at that field's line, under the id.
#[test]
fn bad_ids_names_versions_bindings_and_path_lists_are_reported_at_their_field() {
    let base = || op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    let mut no_verb = base();
    no_verb.id = "worksheetget".into();
    let mut rust_name = base();
    rust_name.id = "worksheet.a".into();
    rust_name.rust_name = "Get".into();
    let mut binding = base();
    binding.id = "worksheet.b".into();
    binding.binding.type_ = "workbook Worksheet".into();
    let mut version = base();
    version.id = "worksheet.c".into();
    version.version = ApiVersion::Beta;
    let mut no_paths = base();
    no_paths.id = "worksheet.d".into();
    no_paths.paths.clear();
    let cases = [
        (
            &no_verb,
            "/id",
            "operation id must have the form `<node>.<verb>`",
        ),
        (
            &rust_name,
            "/rust_name",
            "`Get` is not a snake_case Rust method name",
        ),
        (
            &binding,
            "/binding/type",
            "bad binding type `workbook Worksheet`",
        ),
        (
            &version,
            "/version",
            "version `beta` does not match its directory `v1.0`",
        ),
        (&no_paths, "/paths", "no path template"),
    ];
    let vs = version_spec(cases.iter().map(|(o, ..)| (*o).clone()).collect(), vec![]);
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    assert!(passed(&c).is_empty(), "{:?}", passed(&c));
    for (o, pointer, msg) in cases {
        let d = only_about(&log, Severity::Error, &op_file(&o.id));
        assert_eq!(d.message, format!("{}: {msg}", o.id));
        assert_eq!(d.line, line(o, pointer), "{d}");
        assert!(d.line > 0, "{d}");
    }
}

/// Return types, resource bodies, keys and type properties name types that must exist.
#[test]
fn unresolved_type_references_are_reported_at_their_field() {
    let mut returns = op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    returns.returns = Some(TypeRef::named("workbookNope"));
    let mut body = op(
        "worksheetCollection.add",
        "POST",
        "Collection(workbookWorksheet)",
        &[ws_path()[..2].to_vec()],
    );
    body.body = spec::Body::Resource {
        type_: TypeRef::named("string"),
    };
    let mut key_path = ws_path();
    key_path[2] = Segment::Key {
        param: param("worksheet", "workbookNope"),
    };
    let keyed = op(
        "worksheet.delete",
        "DELETE",
        "workbookWorksheet",
        &[key_path],
    );
    let chart = type_def(
        "workbookChart",
        "WorkbookChart",
        vec![prop("name", "string"), prop("font", "workbookChartFont")],
    );
    let vs = version_spec(
        vec![returns.clone(), body.clone(), keyed.clone()],
        vec![chart.clone()],
    );
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    assert!(passed(&c).is_empty(), "{:?}", passed(&c));
    let cases = [
        (
            &returns,
            "/returns",
            "return type: unknown type `workbookNope`",
        ),
        (&body, "/body/type", "body: `string` is not a resource type"),
        (
            &keyed,
            "/paths/0/segments/2/param/type",
            "parameter `worksheet`: unknown type `workbookNope`",
        ),
    ];
    for (o, pointer, msg) in cases {
        let d = only_about(&log, Severity::Error, &op_file(&o.id));
        assert_eq!(d.message, format!("{}: {msg}", o.id));
        assert_eq!(d.line, line(o, pointer), "{d}");
    }
    let d = only_about(&log, Severity::Error, "spec/v1.0/types/workbookChart.json");
    assert_eq!(
        d.message,
        "workbookChart: property `font`: unknown type `workbookChartFont`"
    );
    let text = spec::to_file_text(&chart);
    assert_eq!(d.line, spec::line_of(&text, "/properties/1/type"));
    // The type itself stays, without the field.
    let [t] = c.typedefs.as_slice() else {
        panic!("{:#?}", c.typedefs)
    };
    let fields: Vec<&str> = t.fields.iter().map(|f| f.name.wire.as_str()).collect();
    assert_eq!(
        (t.name.rust.as_str(), fields),
        ("WorkbookChart", vec!["name"])
    );
}

/// The verb is the last segment when it is named like the operation; REST verbs act on the
/// whole path, and any other mismatch is noted. Return types are resolved.
#[test]
fn paths_are_split_into_the_node_part_and_the_verb() {
    let range = then(&ws_path(), [call("range", &[("address", "string")])]);
    let mut insert = op(
        "range.insert",
        "POST",
        "workbookRange",
        &[then(&range, [call("Insert", &[("shift", "string")])])],
    );
    insert.returns = Some(TypeRef::named("workbookRange"));
    let mut get = op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    get.returns = Some(TypeRef::named("Collection(int32)"));
    let protect_path = then(&ws_path(), [nav("protection", None)]);
    let protect = op(
        "worksheet.protect",
        "POST",
        "workbookWorksheet",
        &[protect_path],
    );
    let vs = version_spec(
        vec![insert, get, protect.clone()],
        vec![type_def("workbookRange", "WorkbookRange", vec![])],
    );
    let mut log = log_for(&vs);
    let c = check_only(&vs, &mut log);
    assert!(logged(&log, Severity::Error).is_empty(), "{:#?}", log.diags);
    let info = |id: &str| c.ops.iter().find(|i| i.id == id).expect(id);

    let i = info("range.insert");
    let p = &i.paths[0];
    assert_eq!(p.node.len(), 4, "workbook/worksheets/{{}}/range");
    assert_eq!(
        check_pass::seg_name(p.verb.expect("a verb")),
        Some("Insert")
    );
    assert!(
        p.template
            .ends_with("/range(address={address})/Insert(shift={shift})"),
        "{}",
        p.template
    );
    assert_eq!(i.node, NodeId::one("workbookRange"));
    assert_eq!(
        i.returns,
        ir::Returns::Json(ir::Ty::Named("WorkbookRange".into()))
    );

    let i = info("worksheet.get");
    assert!(i.paths[0].verb.is_none());
    assert_eq!(i.paths[0].node.len(), 3);
    assert_eq!(
        i.returns,
        ir::Returns::Value(ir::Ty::Vec(Box::new(ir::Ty::I32)))
    );

    let i = info("worksheet.protect");
    assert!(i.paths[0].verb.is_none());
    assert_eq!(i.paths[0].node.len(), 4);
    let d = only_about(&log, Severity::Warning, &op_file("worksheet.protect"));
    assert_eq!(d.line, line(&protect, "/paths/0/template"));
    assert_eq!(
        d.message,
        "worksheet.protect: the last segment of `/workbook/worksheets/{worksheet}/protection` is \
         not the operation `protect`; the operation acts on the whole path"
    );
}
