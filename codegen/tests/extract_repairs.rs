//! General repair rules on small pages written for these tests in the docs' format (own wording):
//! templates copied from a sibling operation (repaired from the examples + CSDL), and numbered
//! series end points that must not become a closed value list.

mod common;

use graph_workbook_codegen::diagnostics::Severity;
use graph_workbook_codegen::extract::extract_pages;
use graph_workbook_codegen::spec::Body;

/// The test's own types and functions (inside `common::fixture_csdl`'s envelope).
const SCHEMA: &str = r#"      <EntityType Name="workbook" BaseType="graph.entity">
        <NavigationProperty Name="names" Type="Collection(graph.workbookNamedItem)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="workbookNamedItem" BaseType="graph.entity">
        <Property Name="name" Type="Edm.String" />
        <Property Name="look" Type="Edm.String" />
      </EntityType>
      <Action Name="add" IsBound="true">
        <Parameter Name="bindparameter" Type="Collection(graph.workbookNamedItem)" />
        <Parameter Name="name" Type="Edm.String" Nullable="false" />
        <Parameter Name="reference" Type="graph.Json" />
        <ReturnType Type="graph.workbookNamedItem" />
      </Action>
      <Action Name="addLocal" IsBound="true">
        <Parameter Name="bindparameter" Type="Collection(graph.workbookNamedItem)" />
        <Parameter Name="name" Type="Edm.String" Nullable="false" />
        <Parameter Name="formula" Type="Edm.String" />
        <ReturnType Type="graph.workbookNamedItem" />
      </Action>
"#;

/// An action page on `names`: the templates always say `names/add`; the example calls `call`.
fn add_page(call: &str, params: &[(&str, &str, &str)]) -> String {
    let rows: String = params
        .iter()
        .map(|(n, t, d)| format!("|{n}|{t}|{d}|\n"))
        .collect();
    let json: Vec<String> = params
        .iter()
        .map(|(n, _, _)| format!("  \"{n}\": \"x\""))
        .collect();
    format!(
        "---\ntitle: \"Thing\"\n---\n\n# Thing\n\n## Permissions\n\n|A | B |\n|:--|:--|\n|x | Files.ReadWrite |\n|y | - |\n|z | - |\n\n## HTTP request\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nPOST /me/drive/items/{{id}}/workbook/names/add\nPOST /me/drive/root:/{{item-path}}:/workbook/names/add\n```\n## Request body\n\n| a | b | c |\n|:--|:--|:--|\n{rows}\n## Response\n\nSays `201 Created` and a [thing](../resources/nameditem.md).\n\n## Example\n<!-- {{\n  \"blockType\": \"request\"\n}}-->\n```http\nPOST https://graph.microsoft.com/v1.0/me/drive/items/{{id}}/workbook/names/{call}\nContent-type: application/json\n\n{{\n{}\n}}\n```\n<!-- {{\n  \"blockType\": \"response\",\n  \"@odata.type\": \"microsoft.graph.workbookNamedItem\"\n}} -->\n```http\nHTTP/1.1 201 Created\n\n{{ \"name\": \"x\" }}\n```\n",
        json.join(",\n")
    )
}

const RESOURCE: &str = "---\ntitle: r\n---\n# r\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n|name|string|Its name.|\n|look|string|One of `LookPale1` to `LookPale9`, `LookDeep1` to `LookDeep4`; others too.|\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.workbookNamedItem\"\n} -->\n```json\n{ \"name\": \"string\", \"look\": \"string\" }\n```\n";

fn run(pages: Vec<(&str, String)>) -> graph_workbook_codegen::extract::Extraction {
    let csdl = common::fixture_csdl(SCHEMA);
    let mut all: Vec<(String, Vec<u8>)> = pages
        .into_iter()
        .map(|(p, t)| (format!("api-reference/v1.0/api/{p}"), t.into_bytes()))
        .collect();
    all.push((
        "api-reference/v1.0/resources/nameditem.md".into(),
        RESOURCE.as_bytes().to_vec(),
    ));
    extract_pages(&all, Some(&csdl))
}

fn body_names(b: &Body) -> Vec<String> {
    match b {
        Body::Parameters { params } => {
            let mut v: Vec<String> = params.iter().map(|p| p.name.to_string()).collect();
            v.sort();
            v
        }
        other => panic!("not a parameter body: {other:?}"),
    }
}

#[test]
fn copied_templates_are_repaired_from_examples_the_csdl_confirms() {
    let add = add_page(
        "add",
        &[("name", "string", "N."), ("reference", "Json", "R.")],
    );
    let local = add_page(
        "addLocal",
        &[("name", "string", "N."), ("formula", "string", "F.")],
    );
    let ex = run(vec![("things-add.md", add), ("things-addlocal.md", local)]);
    let v1 = &ex.spec.versions["v1.0"];
    let add = &v1.operations["namedItemCollection.add"];
    assert_eq!(add.source.page, "api-reference/v1.0/api/things-add.md");
    assert_eq!(body_names(&add.body), ["name", "reference"]);
    let local = v1
        .operations
        .get("namedItemCollection.addLocal")
        .expect("the copied-template page keeps its own operation");
    assert_eq!(
        local.source.page,
        "api-reference/v1.0/api/things-addlocal.md"
    );
    assert_eq!(local.paths.len(), 1);
    assert_eq!(local.paths[0].template, "/workbook/names/addLocal");
    assert_eq!(body_names(&local.body), ["formula", "name"]);
    let repairs: Vec<_> = ex
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("things-addlocal.md"))
        .collect();
    assert!(
        repairs
            .iter()
            .any(|d| d.severity == Severity::Repair && d.message.contains("addLocal")),
        "{repairs:?}"
    );
    assert!(
        !repairs.iter().any(|d| d.message.contains("merged")),
        "{repairs:?}"
    );
}

#[test]
fn copied_templates_are_merged_when_the_csdl_does_not_know_the_example_call() {
    let add = add_page("add", &[("name", "string", "N.")]);
    let other = add_page("addElsewhere", &[("name", "string", "N.")]);
    let ex = run(vec![("things-add.md", add), ("things-other.md", other)]);
    let v1 = &ex.spec.versions["v1.0"];
    assert!(v1.operations.contains_key("namedItemCollection.add"));
    assert!(!v1.operations.keys().any(|k| k.contains("addElsewhere")));
    assert!(ex
        .diagnostics
        .iter()
        .any(|d| d.file.ends_with("things-other.md") && d.message.contains("merged into it")));
}

#[test]
fn numbered_series_end_points_are_not_a_closed_value_list() {
    let add = add_page(
        "add",
        &[
            ("name", "string", "N."),
            (
                "reference",
                "string",
                "`StyleLight1` ~ `StyleLight21`, `StyleDark1` ~ `StyleDark11`, or own.",
            ),
            ("formula", "string", "`Level1`, `Level2` or `Level3`."),
        ],
    );
    let ex = run(vec![("things-add.md", add)]);
    let op = &ex.spec.versions["v1.0"].operations["namedItemCollection.add"];
    let Body::Parameters { params } = &op.body else {
        panic!("{:?}", op.body)
    };
    let values = |n: &str| {
        params
            .iter()
            .find(|p| p.name == n)
            .map(|p| p.values.clone())
            .unwrap_or_else(|| panic!("no {n}"))
    };
    assert!(values("reference").is_empty(), "{:?}", values("reference"));
    // a complete numbered run is still a list
    assert_eq!(values("formula"), ["Level1", "Level2", "Level3"]);
    // resource properties follow the same rule
    let t = &ex.spec.versions["v1.0"].types["workbookNamedItem"];
    let look = t
        .properties
        .iter()
        .find(|p| p.name == "look")
        .expect("look");
    assert!(look.values.is_empty(), "{:?}", look.values);
}
