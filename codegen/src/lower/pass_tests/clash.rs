//! `clash`: a navigation keeps its name, an operation named like one gets its HTTP method as
//! a prefix (noted); two operations or two body structs with one name are errors.

use super::*;
use crate::lower::clash as clash_pass;
use crate::lower::tests::{call, op, type_def};

/// `worksheet.range` (by `method`) next to the `range` navigation `range.get` takes.
fn range_clash(method: &str) -> (spec::VersionSpec, spec::Operation) {
    let range = then(&ws_path(), [call("range", &[])]);
    let mut o = op(
        "worksheet.range",
        method,
        "workbookWorksheet",
        std::slice::from_ref(&range),
    );
    o.returns = Some(TypeRef::named("workbookRange"));
    let types = vec![type_def("workbookRange", "WorkbookRange", vec![])];
    let vs = version_spec(
        vec![o.clone(), op("range.get", "GET", "workbookRange", &[range])],
        types,
    );
    (vs, o)
}

#[test]
fn an_operation_named_like_a_navigation_gets_its_method_as_prefix() {
    for (method, renamed) in [("GET", "get_range"), ("POST", "post_range")] {
        let (vs, o) = range_clash(method);
        let mut l = through_ops(&vs);
        clash_pass::rename_operation_clashes(&l.c, &mut l.nodes, &mut l.log);
        let sheet = node(&l.nodes, "WorksheetNode");
        assert_eq!(
            sheet.navs[0].method, "range",
            "the navigation keeps its name"
        );
        let renamed_op = &sheet.ops[0];
        assert_eq!(renamed_op.name, ir::Name::new(renamed, "range"));
        let why = format!(
            "`range` navigates to the node of the same name; this operation is `{renamed}`"
        );
        assert_eq!(renamed_op.renamed.as_deref(), Some(why.as_str()));
        let d = only_about(&l.log, Severity::Warning, &op_file("worksheet.range"));
        assert_eq!(d.line, line(&o, "/rust_name"));
        assert_eq!(d.message, format!("worksheet.range: {why}"));
        assert!(logged(&l.log, Severity::Error).is_empty());
    }
}

/// Operations are sorted by method name; the second (by id) of two with one name is an error.
#[test]
fn two_operations_with_one_name_are_an_error() {
    let mut fetch = op("worksheet.fetch", "GET", "workbookWorksheet", &[ws_path()]);
    fetch.rust_name = "get".into();
    let get = op("worksheet.get", "GET", "workbookWorksheet", &[ws_path()]);
    let activate = op(
        "worksheet.activate",
        "POST",
        "workbookWorksheet",
        &[then(&ws_path(), [call("activate", &[])])],
    );
    let vs = version_spec(vec![get.clone(), fetch, activate], vec![]);
    let mut l = through_ops(&vs);
    clash_pass::rename_operation_clashes(&l.c, &mut l.nodes, &mut l.log);
    let d = only_about(&l.log, Severity::Error, &op_file("worksheet.get"));
    assert_eq!(d.line, line(&get, "/rust_name"));
    assert_eq!(
        d.message,
        "worksheet.get: duplicate name: `get` is also the method of `worksheet.fetch` on \
         `WorksheetNode`"
    );
    let sheet = node(&l.nodes, "WorksheetNode");
    let names: Vec<(&str, &str)> = sheet
        .ops
        .iter()
        .map(|o| (o.name.rust.as_str(), o.id.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("activate", "worksheet.activate"),
            ("get", "worksheet.fetch"),
            ("get", "worksheet.get")
        ]
    );
    assert!(sheet.ops.iter().all(|o| o.renamed.is_none()));
}

/// `range.insert` (parameters) and `range.insertParams` (properties) both want
/// `RangeInsertParams`: the later one in name order is reported at its body.
#[test]
fn two_body_structs_with_one_name_are_an_error() {
    let verb = |name: &str| then(&ws_path(), [call("range", &[]), call(name, &[])]);
    let mut a = op("range.insert", "POST", "workbookRange", &[verb("insert")]);
    a.body = spec::Body::Parameters {
        params: vec![param("shift", "string")],
    };
    let mut b = op(
        "range.insertParams",
        "POST",
        "workbookRange",
        &[verb("insertParams")],
    );
    b.body = spec::Body::Properties {
        type_: TypeRef::named("workbookRange"),
        params: vec![param("shift", "string")],
    };
    let types = vec![type_def("workbookRange", "WorkbookRange", vec![])];
    let vs = version_spec(vec![a, b.clone()], types);
    let mut l = through_ops(&vs);
    l.bodies.sort_by(|x, y| x.rust.cmp(&y.rust));
    let mut log = log_for(&vs);
    clash_pass::check_body_names(&l.c, &l.bodies, &mut log);
    let d = only_about(&log, Severity::Error, &op_file("range.insertParams"));
    assert_eq!(d.line, line(&b, "/body"));
    assert_eq!(
        d.message,
        "range.insertParams: duplicate name: body struct `RangeInsertParams`"
    );
    assert_eq!(log.diags.len(), 1, "{:#?}", log.diags);
}
