//! Optional function arguments from a page's `Function parameters` table, and properties the
//! CSDL declares that a resource page leaves out. Small pages written for these tests in the
//! docs' format (own wording).

mod common;

use graph_workbook_codegen::diagnostics::Severity;
use graph_workbook_codegen::extract::{extract_pages, Extraction};
use graph_workbook_codegen::spec::Segment;

/// The test's own types and functions (inside `common::fixture_csdl`'s envelope).
const SCHEMA: &str = r#"      <EntityType Name="workbook" BaseType="graph.entity">
        <NavigationProperty Name="things" Type="Collection(graph.workbookThing)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="workbookThing" BaseType="graph.entity">
        <Property Name="hue" Type="Edm.String" />
        <Property Name="look" Type="graph.workbookLook" />
      </EntityType>
      <ComplexType Name="workbookLook">
        <Property Name="shade" Type="Edm.String" />
        <Property Name="mode" Type="Edm.String" Nullable="false" />
      </ComplexType>
      <Function Name="shift" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
        <Parameter Name="count" Type="Edm.Int32" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
      <Function Name="extent" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
      <Function Name="extent" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
        <Parameter Name="onlyValues" Type="Edm.Boolean" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
      <Function Name="grow" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
        <Parameter Name="by" Type="Edm.Int32" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
"#;

/// A GET function page: `call` is the template's last segment, `rows` the function
/// parameters table.
fn function_page(call: &str, rows: &[(&str, &str, &str)]) -> String {
    let rows: String = rows
        .iter()
        .map(|(n, t, d)| format!("|{n}|{t}|{d}|\n"))
        .collect();
    format!(
        "---\ntitle: \"thing: fn\"\n---\n\n# thing: fn\n\n## Permissions\n\n|A | B |\n|:--|:--|\n|x | Files.ReadWrite |\n|y | - |\n|z | - |\n\n## HTTP request\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nGET /me/drive/items/{{id}}/workbook/things/{{id}}/{call}\n```\n\n## Function parameters\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n{rows}\n## Request headers\n\n| Name | Description |\n|:--|:--|\n| Authorization | Bearer {{token}}. Required. |\n| Workbook-Session-Id | The session to work in. Optional. |\n\n## Response\n\nSays `200 OK` and a [thing](../resources/thing.md).\n"
    )
}

/// The thing's resource page, and the look's page whose JSON names `shade` only.
const THING: &str = "---\ntitle: t\n---\n# t\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n|hue|string|Its hue.|\n|look|[look](look.md)|How it looks.|\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.workbookThing\"\n} -->\n```json\n{ \"hue\": \"string\", \"look\": {\"@odata.type\": \"microsoft.graph.workbookLook\"} }\n```\n";
const LOOK: &str = "---\ntitle: l\n---\n# l\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.workbookLook\"\n} -->\n```json\n{ \"shade\": \"string\" }\n```\n";

fn run(pages: Vec<(&str, String)>) -> Extraction {
    let csdl = common::fixture_csdl(SCHEMA);
    let mut all: Vec<(String, Vec<u8>)> = pages
        .into_iter()
        .map(|(p, t)| (format!("api-reference/v1.0/api/{p}"), t.into_bytes()))
        .collect();
    for (name, text) in [("thing.md", THING), ("look.md", LOOK)] {
        all.push((
            format!("api-reference/v1.0/resources/{name}"),
            text.as_bytes().to_vec(),
        ));
    }
    extract_pages(&all, Some(&csdl))
}

fn templates(ex: &Extraction, op: &str) -> Vec<String> {
    let op = ex.spec.versions["v1.0"]
        .operations
        .get(op)
        .unwrap_or_else(|| panic!("no operation {op}: {:?}", ex.diagnostics));
    op.paths.iter().map(|p| p.template.clone()).collect()
}

#[test]
fn optional_argument_in_the_template_gets_a_form_without_it() {
    let ex = run(vec![(
        "thing-shift.md",
        function_page(
            "shift(count=n)",
            &[(
                "count",
                "Int32",
                "Optional. How far to move; one when left out.",
            )],
        ),
    )]);
    assert_eq!(
        templates(&ex, "thing.shift"),
        [
            "/workbook/things/{thing}/shift",
            "/workbook/things/{thing}/shift(count={count})"
        ]
    );
    assert!(ex
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Repair && d.message.contains("`count` is optional")));
}

#[test]
fn optional_argument_missing_from_the_template_gets_a_form_with_it() {
    let ex = run(vec![(
        "thing-extent.md",
        function_page(
            "extent",
            &[(
                "onlyvalues",
                "Boolean",
                "Optional. Counts cells with values only.",
            )],
        ),
    )]);
    assert_eq!(
        templates(&ex, "thing.extent"),
        [
            "/workbook/things/{thing}/extent",
            "/workbook/things/{thing}/extent(onlyValues={onlyValues})"
        ]
    );
    // Spelling and type come from the CSDL, not the row.
    let op = &ex.spec.versions["v1.0"].operations["thing.extent"];
    let with = op
        .paths
        .iter()
        .find(|p| p.template.contains('('))
        .expect("the added form");
    match with.segments.last() {
        Some(Segment::Call { args, .. }) => {
            assert_eq!(args.len(), 1);
            assert_eq!(args[0].name, "onlyValues");
            assert_eq!(args[0].type_.to_string(), "boolean");
            assert!(!args[0].quoted);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn required_rows_and_unknown_names_add_no_form() {
    let ex = run(vec![
        (
            "thing-grow.md",
            function_page("grow(by=n)", &[("by", "Int32", "How much to grow by.")]),
        ),
        (
            "thing-extent.md",
            function_page(
                "extent",
                // not `onlyValues` (a boolean), though the only row and the only parameter
                // no row names: a translated name is read as it only when its type fits
                &[(
                    "everything",
                    "String",
                    "Optional. Not a parameter of extent.",
                )],
            ),
        ),
    ]);
    assert_eq!(
        templates(&ex, "thing.grow"),
        ["/workbook/things/{thing}/grow(by={by})"]
    );
    assert_eq!(
        templates(&ex, "thing.extent"),
        ["/workbook/things/{thing}/extent"]
    );
    assert!(ex
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning
            && d.message
                .contains("`everything` is not a parameter of `extent`")));
}

#[test]
fn property_only_in_the_csdl_is_added_with_a_repair() {
    // Types are kept when an operation reaches them: one operation returns a thing.
    let ex = run(vec![(
        "thing-grow.md",
        function_page("grow(by=n)", &[("by", "Int32", "How much to grow by.")]),
    )]);
    let look = &ex.spec.versions["v1.0"].types["workbookLook"];
    let names: Vec<&str> = look.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["mode", "shade"]);
    assert!(ex.diagnostics.iter().any(|d| d.severity == Severity::Repair
        && d.file.ends_with("look.md")
        && d.message.contains("`mode`")));
    // A type whose page names every CSDL property gets nothing added.
    let thing = &ex.spec.versions["v1.0"].types["workbookThing"];
    let names: Vec<&str> = thing.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["hue", "look"]);
}

#[test]
fn a_translated_row_is_its_functions_only_unnamed_parameter() {
    // `nurWerte` spells no parameter of `extent`; it is the table's only such row and
    // `onlyValues` the function's only parameter no row names, and its type fits.
    let ex = run(vec![(
        "thing-extent.md",
        function_page("extent", &[("nurWerte", "Boolean", "Nur Werte. Optional.")]),
    )]);
    assert_eq!(
        templates(&ex, "thing.extent"),
        [
            "/workbook/things/{thing}/extent",
            "/workbook/things/{thing}/extent(onlyValues={onlyValues})"
        ]
    );
    assert!(ex.diagnostics.iter().any(|d| d.severity == Severity::Repair
        && d.message.contains("`nurWerte`")
        && d.message.contains("`onlyValues`")));
    // never the translated word
    let json = serde_json::to_string(&ex.spec.versions["v1.0"].operations["thing.extent"])
        .expect("serializes");
    assert!(!json.contains("nurWerte"), "{json}");
}
