//! `features`: the cargo feature (area) that compiles each type (a type used outside its area
//! is always compiled), and which types serialize (those sent in a request body).

use super::*;
use crate::lower::features as features_pass;
use crate::lower::tests::{call, op, prop, type_def};

/// (Rust name, area, serialize) of every type.
fn summary(typedefs: &[ir::ResourceStruct]) -> Vec<(&str, ir::Area, bool)> {
    typedefs
        .iter()
        .map(|t| (t.name.rust.as_str(), t.area, t.serialize))
        .collect()
}

/// `workbookRange` (no area) uses `workbookChartFont`, which uses `workbookChartFill`: both
/// leave the charts area, the second only once the first has (a fixed point).
#[test]
fn a_type_used_outside_its_area_is_always_compiled_transitively() {
    let types = vec![
        type_def(
            "workbookChart",
            "WorkbookChart",
            vec![prop("title", "workbookChartTitle")],
        ),
        type_def("workbookChartFill", "WorkbookChartFill", vec![]),
        type_def(
            "workbookChartFont",
            "WorkbookChartFont",
            vec![prop("fill", "workbookChartFill")],
        ),
        type_def("workbookChartTitle", "WorkbookChartTitle", vec![]),
        type_def(
            "workbookRange",
            "WorkbookRange",
            vec![prop("font", "workbookChartFont")],
        ),
    ];
    let vs = version_spec(vec![], types);
    let mut log = log_for(&vs);
    let mut typedefs = check_only(&vs, &mut log).typedefs;
    features_pass::assign_areas(&mut typedefs, &[], &BTreeMap::new());
    assert_eq!(
        summary(&typedefs),
        [
            ("WorkbookChart", Some("charts"), false),
            ("WorkbookChartFill", None, false),
            ("WorkbookChartFont", None, false),
            ("WorkbookChartTitle", Some("charts"), false),
            ("WorkbookRange", None, false),
        ]
    );
}

/// Operations count as uses in their node's area: a return type on `RangeNode` (no area) and a
/// body field on `ChartNode` (charts).
#[test]
fn operations_use_types_in_the_area_of_their_node() {
    let range = then(&ws_path(), [call("range", &[])]);
    let mut chart_of = op(
        "range.chart",
        "GET",
        "workbookRange",
        &[then(&range, [call("chart", &[])])],
    );
    chart_of.returns = Some(TypeRef::named("workbookChart"));
    let chart_path = then(
        &ws_path(),
        [
            nav("charts", Some("Collection(workbookChart)")),
            key("chart"),
        ],
    );
    let mut set_title = op(
        "chart.setTitle",
        "POST",
        "workbookChart",
        &[then(&chart_path, [call("setTitle", &[])])],
    );
    set_title.body = spec::Body::Parameters {
        params: vec![param("title", "workbookChartTitle")],
    };
    let types = vec![
        type_def("workbookChart", "WorkbookChart", vec![]),
        type_def("workbookChartTitle", "WorkbookChartTitle", vec![]),
        type_def("workbookRange", "WorkbookRange", vec![]),
    ];
    let vs = version_spec(vec![chart_of, set_title], types);
    let l = through_ops(&vs);
    let mut typedefs = l.c.typedefs.clone();
    features_pass::assign_areas(&mut typedefs, &l.bodies, &l.nodes);
    let areas: Vec<(&str, ir::Area)> = summary(&typedefs)
        .into_iter()
        .map(|(n, a, _)| (n, a))
        .collect();
    assert_eq!(
        areas,
        [
            ("WorkbookChart", None),
            ("WorkbookChartTitle", Some("charts")),
            ("WorkbookRange", None),
        ]
    );
}

/// Types in a body struct's fields or sent as a whole resource serialize, and so do the
/// types of their fields; a type only received does not.
#[test]
fn types_sent_in_request_bodies_serialize_with_what_they_contain() {
    let range = then(&ws_path(), [call("range", &[])]);
    let mut format = op(
        "range.setFormat",
        "POST",
        "workbookRange",
        &[then(&range, [call("setFormat", &[])])],
    );
    format.body = spec::Body::Parameters {
        params: vec![param("format", "Collection(workbookRangeFormat)")],
    };
    format.returns = Some(TypeRef::named("workbookRange"));
    let mut create = op(
        "chartCollection.create",
        "POST",
        "Collection(workbookChart)",
        &[then(
            &ws_path(),
            [nav("charts", Some("Collection(workbookChart)"))],
        )],
    );
    create.body = spec::Body::Resource {
        type_: TypeRef::named("workbookChart"),
    };
    let types = vec![
        type_def("workbookChart", "WorkbookChart", vec![]),
        type_def(
            "workbookRange",
            "WorkbookRange",
            vec![prop("format", "workbookRangeFormat")],
        ),
        type_def("workbookRangeFont", "WorkbookRangeFont", vec![]),
        type_def(
            "workbookRangeFormat",
            "WorkbookRangeFormat",
            vec![prop("font", "workbookRangeFont")],
        ),
    ];
    let vs = version_spec(vec![format, create], types);
    let l = through_ops(&vs);
    let mut typedefs = l.c.typedefs.clone();
    features_pass::mark_serialized(&mut typedefs, &l.bodies, &l.nodes);
    let sent: Vec<(&str, bool)> = summary(&typedefs)
        .into_iter()
        .map(|(n, _, s)| (n, s))
        .collect();
    assert_eq!(
        sent,
        [
            ("WorkbookChart", true),
            ("WorkbookRange", false),
            ("WorkbookRangeFont", true),
            ("WorkbookRangeFormat", true),
        ]
    );
}
