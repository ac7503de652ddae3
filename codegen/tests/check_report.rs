//! The CSDL cross-check on a hand-written spec (`fixtures/csdl/check-spec/v1.0`) against the
//! small fixture CSDL.
#![cfg(feature = "extract")]

use std::collections::BTreeSet;
use std::path::Path;

use graph_workbook_codegen::check::{report, run, MemberFinding};
use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::spec::Spec;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csdl")
}

fn load() -> (Csdl, graph_workbook_codegen::spec::VersionSpec) {
    let csdl = Csdl::parse(include_str!("fixtures/csdl/small.csdl")).expect("fixture CSDL");
    let (spec, diags) = Spec::load(&fixture_dir().join("check-spec"));
    assert!(diags.is_empty(), "{diags:?}");
    (csdl, spec.versions["v1.0"].clone())
}

#[test]
fn operations_resolve_segment_by_segment() {
    let (csdl, vs) = load();
    let r = report(&csdl, &vs);
    assert_eq!(
        r.version,
        Some(graph_workbook_codegen::spec::ApiVersion::V1_0)
    );
    assert_eq!((r.operations, r.templates), (8, 8));
    let documented: Vec<_> = r
        .documented
        .iter()
        .map(|(b, n)| format!("{b}/{n}"))
        .collect();
    assert_eq!(
        documented,
        [
            "Collection(workbookChart)/add",
            "workbookRange/insert",
            "workbookRange/rowsAbove",
            "workbookWorksheet/range",
        ]
    );
    let unresolved: Vec<_> = r
        .unresolved
        .iter()
        .map(|u| (u.operation.as_str(), u.segment.as_str()))
        .collect();
    assert_eq!(
        unresolved,
        [
            ("application.get", "{application}"),
            ("chartCollection.delete", "delete"),
            ("nowhere.get", "drive"),
        ]
    );
    assert!(r.unresolved[0].reason.contains("single-valued"));
    let undocumented: Vec<_> = r
        .undocumented
        .iter()
        .map(|u| {
            (
                u.binding.to_string(),
                u.name.as_str(),
                u.kind.as_str(),
                u.overloads,
            )
        })
        .collect();
    assert_eq!(
        undocumented,
        [(
            "Collection(workbookChart)".to_string(),
            "count",
            "function",
            1
        )]
    );
    assert_eq!(r.function_catalog, 4);
    let mm: Vec<_> = r
        .method_mismatches
        .iter()
        .map(|m| {
            (
                m.operation.as_str(),
                m.method.as_str(),
                m.name.as_str(),
                m.kind.as_str(),
            )
        })
        .collect();
    assert_eq!(mm, [("range.insertWithGet", "GET", "insert", "action")]);
    assert_eq!(
        r.case_differences.iter().cloned().collect::<Vec<_>>(),
        [(
            "worksheet.get".to_string(),
            "Worksheets".to_string(),
            "worksheets".to_string()
        )]
    );
}

#[test]
fn resource_types_are_compared_member_by_member() {
    let (csdl, vs) = load();
    let r = report(&csdl, &vs);
    assert_eq!(r.types_checked, 1);
    assert_eq!(r.types_not_in_csdl, ["notAType"]);
    let m = |member: &str, docs: Option<&str>, c: Option<&str>, rel: bool| MemberFinding {
        type_name: "workbookRange".into(),
        member: member.into(),
        docs: docs.map(str::to_string),
        csdl: c.map(str::to_string),
        relationship: rel,
    };
    let expected: BTreeSet<MemberFinding> = [
        m("rowCount", Some("double"), Some("int32"), false),
        m("docsOnly", Some("string"), None, false),
        m("values", None, Some("Json"), false),
        m("valueTypes", None, Some("Json"), false),
        m("bogus", Some("workbookChart"), None, true),
        m("worksheet", None, Some("workbookWorksheet"), true),
    ]
    .into_iter()
    .collect();
    assert_eq!(r.members.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert_eq!(r.type_disagreements().count(), 1);
}

#[test]
fn markdown_starts_with_totals_and_run_matches_report() {
    let (csdl, vs) = load();
    let text = report(&csdl, &vs).to_string();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# CSDL cross-check: spec/v1.0"));
    assert_eq!(lines.next(), Some(""));
    assert_eq!(
        lines.next(),
        Some(
            "Totals: operations=8 templates=8 unresolved_templates=3 documented_csdl_operations=4 \
             undocumented_csdl_operations=1 types=1 property_type_disagreements=1 \
             properties_only_in_docs=1 properties_only_in_csdl=2 relationships_only_in_docs=1 \
             relationships_only_in_csdl=1 case_differences=1 method_mismatches=1"
        )
    );
    // The CLI entry point gives the same text, from the version directory or the spec root.
    let dir = fixture_dir();
    let csdl_path = dir.join("small.csdl");
    assert_eq!(run(&csdl_path, &dir.join("check-spec/v1.0")).unwrap(), text);
    assert_eq!(run(&csdl_path, &dir.join("check-spec")).unwrap(), text);
    // Deterministic.
    assert_eq!(report(&csdl, &vs).to_string(), text);
}

#[test]
fn bad_inputs_are_errors_naming_the_file() {
    let dir = fixture_dir();
    let e = run(&dir.join("missing.csdl"), &dir.join("check-spec/v1.0")).unwrap_err();
    assert!(e.contains("missing.csdl"), "{e}");
    let e = run(&dir.join("small.csdl"), &dir.join("no-such-spec")).unwrap_err();
    assert!(e.contains("no-such-spec"), "{e}");
}
