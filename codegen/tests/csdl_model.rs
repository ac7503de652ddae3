//! The CSDL model on a small hand-written fixture in the metadata's format.
#![cfg(feature = "extract")]

use graph_workbook_codegen::extract::csdl::{Csdl, OperationKind, TypeKind};
use graph_workbook_codegen::spec::{Method, TypeRef};

fn fixture() -> Csdl {
    let xml = include_str!("fixtures/csdl/small.csdl");
    Csdl::parse(xml).expect("fixture parses")
}

#[test]
fn only_the_graph_namespace_is_materialized() {
    let c = fixture();
    // The security schema's shadow workbookRange must not leak in.
    assert!(c.property("workbookRange", "shadow").is_none());
    assert_eq!(c.bound_operations("workbookRange", "insert").len(), 1);
    // Unbound functions are not bound operations.
    assert!(c.operations().iter().all(|o| o.name != "unboundThing"));
}

#[test]
fn types_resolve_case_insensitively_with_or_without_prefix() {
    let c = fixture();
    for n in [
        "workbookRange",
        "WorkbookRange",
        "graph.workbookRange",
        "microsoft.graph.WORKBOOKRANGE",
    ] {
        assert_eq!(
            c.structured_type(n).map(|t| t.name.as_str()),
            Some("workbookRange"),
            "{n}"
        );
    }
    assert_eq!(
        c.structured_type("workbookRange").unwrap().kind,
        TypeKind::Entity
    );
    assert_eq!(
        c.structured_type("workbookSortField").unwrap().kind,
        TypeKind::Complex
    );
    assert_eq!(
        c.canonical_type_name("WORKBOOKOPERATIONSTATUS"),
        Some("workbookOperationStatus")
    );
    assert_eq!(
        c.enum_type("workbookOperationStatus").unwrap().members,
        ["notStarted", "running", "failed"]
    );
    assert!(c.structured_type("nope").is_none());
}

#[test]
fn old_doc_names_map_to_workbook_types() {
    let c = fixture();
    assert_eq!(
        c.workbook_type("microsoft.graph.range"),
        Some("workbookRange")
    );
    assert_eq!(
        c.workbook_type("formatProtection"),
        Some("workbookFormatProtection")
    );
    // graph also has an unrelated `application`; the workbook one wins.
    assert_eq!(c.workbook_type("application"), Some("workbookApplication"));
    assert_eq!(c.workbook_type("workbook"), Some("workbook"));
    assert_eq!(c.workbook_type("entity"), Some("entity"));
    assert_eq!(c.workbook_type(""), None);
    assert_eq!(
        c.find_type_by_suffix("RangeFormat"),
        Some("workbookRangeFormat")
    );
    assert_eq!(c.find_type_by_suffix("Format"), Some("workbookRangeFormat"));
    assert_eq!(c.find_type_by_suffix("xyz"), None);
}

#[test]
fn properties_and_navigations_walk_base_types() {
    let c = fixture();
    let id = c.property("workbookRange", "ID").expect("inherited id");
    assert_eq!(id.name, "id");
    assert!(!id.nullable);
    let rc = c.property("workbookrange", "rowcount").unwrap();
    assert_eq!(rc.type_ref().to_string(), "int32");
    assert!(c.property("workbookRange", "values").unwrap().nullable);
    let names: Vec<_> = c
        .properties("workbookRange")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["id", "address", "rowCount", "values", "valueTypes"]);

    let f = c.navigation("workbookRange", "FORMAT").unwrap();
    assert_eq!(f.name, "format");
    assert_eq!(f.type_ref().to_string(), "workbookRangeFormat");
    assert!(f.contains_target && !f.is_collection());
    let ws = c.navigation("workbook", "worksheets").unwrap();
    assert!(ws.is_collection());
    assert_eq!(ws.target_type(), "workbookWorksheet");
    assert_eq!(ws.type_ref().to_string(), "Collection(workbookWorksheet)");
    assert!(c.navigation("workbookRange", "address").is_none());
    assert_eq!(
        c.property("workbookTableSortSettings", "fields")
            .unwrap()
            .type_ref()
            .to_string(),
        "Collection(workbookSortField)"
    );
}

#[test]
fn bound_operations_by_binding_and_name() {
    let c = fixture();
    let ra = c.bound_operations("graph.workbookRange", "ROWSABOVE");
    assert_eq!(ra.len(), 2, "two overloads");
    assert!(ra.iter().all(|o| !o.is_action && o.is_composable));
    assert!(ra[0].params.is_empty());
    assert_eq!(ra[1].params[0].name, "count");
    assert_eq!(ra[1].returns().unwrap().to_string(), "workbookRange");

    let add = c.bound_operations("Collection(workbookChart)", "add");
    assert_eq!(add.len(), 1);
    assert!(add[0].is_action);
    assert_eq!(add[0].binding.to_string(), "Collection(workbookChart)");
    let p: Vec<_> = add[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.nullable))
        .collect();
    assert_eq!(p, [("type", false), ("sourceData", true)]);
    // A collection binding is not the element binding.
    assert!(c.bound_operations("workbookChart", "add").is_empty());
    assert_eq!(
        c.bound_operations("collection(WORKBOOKCHART)", "Count")
            .len(),
        1
    );

    // Operations bound to a base type apply to derived types.
    assert_eq!(c.bound_operations("workbookRange", "touch").len(), 1);

    let insert = &c.bound_operations("workbookRange", "insert")[0];
    let xml = include_str!("fixtures/csdl/small.csdl");
    let expected = 1 + xml
        .lines()
        .position(|l| l.contains(r#"<Action Name="insert""#))
        .unwrap();
    assert_eq!(
        insert.line as usize, expected,
        "1-based line of the element"
    );
    assert_eq!(
        c.operations_bound_to(&TypeRef::named("workbookFunctions"))
            .len(),
        4
    );
    assert!(c
        .workbook_operations()
        .all(|o| o.binding.to_string().contains("workbook")));
    assert_eq!(c.workbook_operations().count(), 10);
}

#[test]
fn lookups_by_type_ref() {
    let c = fixture();
    let range = TypeRef::named("workbookRange");
    let charts = TypeRef::named("Collection(workbookChart)");
    assert_eq!(c.bound_operations_on(&range, "ROWSABOVE").len(), 2);
    assert_eq!(
        c.bound_operations_on(&range, "touch").len(),
        1,
        "bound to a base type"
    );
    assert_eq!(c.bound_operations_on(&charts, "add").len(), 1);
    let chart = TypeRef::named("workbookChart");
    assert!(
        c.bound_operations_on(&chart, "add").is_empty(),
        "bound to the collection"
    );
    assert!(c
        .navigation_on(&TypeRef::named("workbook"), "worksheets")
        .is_some());
    assert!(c.property_on(&range, "address").is_some());
    // A collection has no members but its operations; a primitive has none.
    let sheets = TypeRef::named("Collection(workbookWorksheet)");
    assert!(c.structured_type_of(&sheets).is_none());
    assert!(c.property_on(&TypeRef::named("string"), "length").is_none());
    assert_eq!(c.operations_bound_to(&charts).len(), 2);
}

#[test]
fn operation_kinds_decide_the_method() {
    let c = fixture();
    let kind = |b: &str, n: &str| c.bound_operations(b, n)[0].kind();
    assert_eq!(kind("workbookRange", "insert"), OperationKind::Action);
    assert_eq!(
        kind("workbookRange", "rowsAbove"),
        OperationKind::ComposableFunction
    );
    assert_eq!(
        kind("Collection(workbookChart)", "count"),
        OperationKind::Function
    );
    assert_eq!(OperationKind::Action.method(), Method::Post);
    assert_eq!(OperationKind::ComposableFunction.method(), Method::Get);
    assert_eq!(OperationKind::Function.to_string(), "function");
    assert_eq!(
        OperationKind::ComposableFunction.to_string(),
        "composable function"
    );
}

#[test]
fn truncated_or_damaged_xml_never_panics() {
    let xml = include_str!("fixtures/csdl/small.csdl");
    for cut in (0..xml.len()).step_by(13) {
        if let Some(s) = xml.get(..cut) {
            let _ = Csdl::parse(s);
        }
    }
    // The graph schema alone is enough; a damaged schema is an error, not a panic.
    let damaged = xml.replace("</EntityType>", "</EntityTyp>");
    assert!(Csdl::parse(&damaged).is_err());
}
