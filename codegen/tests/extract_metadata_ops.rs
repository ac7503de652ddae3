//! Operations the metadata defines and no page documents become spec operations with
//! `origin: metadata` (issue 9, item 3): the set is the one `check` lists, method and body
//! follow the CSDL kind, templates are every documented path that reaches the binding. Small
//! pages and a small CSDL written for these tests (own wording).

mod common;

use graph_workbook_codegen::check;
use graph_workbook_codegen::extract::{extract_pages, Extraction};
use graph_workbook_codegen::spec::{Body, Method, Operation, Origin, Segment, TypeRef};

/// The test's own types and operations (inside `common::fixture_csdl`'s envelope).
const SCHEMA: &str = r#"      <EntityType Name="workbook" BaseType="graph.entity">
        <NavigationProperty Name="things" Type="Collection(graph.workbookThing)" ContainsTarget="true" />
        <NavigationProperty Name="racks" Type="Collection(graph.workbookRack)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="workbookRack" BaseType="graph.entity">
        <NavigationProperty Name="things" Type="Collection(graph.workbookThing)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="workbookThing" BaseType="graph.entity">
        <Property Name="hue" Type="Edm.String" />
      </EntityType>
      <EntityType Name="workbookOrphan" BaseType="graph.entity" />
      <Action Name="stack" IsBound="true">
        <Parameter Name="bindparameter" Type="Collection(graph.workbookThing)" />
        <Parameter Name="label" Type="Edm.String" Nullable="false" />
        <Parameter Name="size" Type="Edm.Int32" />
        <ReturnType Type="graph.workbookThing" />
      </Action>
      <Action Name="tidy" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
      </Action>
      <Function Name="count" IsBound="true">
        <Parameter Name="bindparameter" Type="Collection(graph.workbookThing)" />
        <ReturnType Type="Edm.Int32" Nullable="false" />
      </Function>
      <Function Name="pick" IsBound="true" IsComposable="true">
        <Parameter Name="bindparameter" Type="Collection(graph.workbookThing)" />
        <Parameter Name="index" Type="Edm.Int32" Nullable="false" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
      <Function Name="shade" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookThing" />
        <ReturnType Type="graph.workbookThing" />
      </Function>
      <Action Name="adopt" IsBound="true">
        <Parameter Name="bindparameter" Type="graph.workbookOrphan" />
      </Action>
"#;

/// An API page with the given request lines, in the docs' format.
fn page(lines: &[&str]) -> String {
    let block: String = lines.iter().map(|l| format!("{l}\n")).collect();
    format!(
        "---\ntitle: \"thing: op\"\n---\n\n# thing: op\n\n## Permissions\n\n|A | B |\n|:--|:--|\n|x | Files.Read |\n|y | - |\n|z | - |\n\n## HTTP request\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{block}```\n\n## Request headers\n\n| Name | Description |\n|:--|:--|\n| Authorization | Bearer {{token}}. Required. |\n\n## Response\n\nSays `200 OK` and a [thing](../resources/thing.md).\n"
    )
}

const THING: &str = "---\ntitle: t\n---\n# t\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n|hue|string|Its hue.|\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.workbookThing\"\n} -->\n```json\n{ \"hue\": \"string\" }\n```\n";

fn run() -> Extraction {
    let csdl = common::fixture_csdl(SCHEMA);
    let pages = [
        (
            "api-reference/v1.0/api/thing-list.md",
            page(&[
                "GET /me/drive/items/{id}/workbook/things",
                "GET /me/drive/items/{id}/workbook/racks/{id}/things",
            ]),
        ),
        (
            "api-reference/v1.0/api/thing-shade.md",
            page(&["GET /me/drive/items/{id}/workbook/things/{id}/shade"]),
        ),
        ("api-reference/v1.0/resources/thing.md", THING.to_owned()),
    ];
    let all: Vec<(String, Vec<u8>)> = pages
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.into_bytes()))
        .collect();
    extract_pages(&all, Some(&csdl))
}

fn op<'a>(ex: &'a Extraction, id: &str) -> &'a Operation {
    ex.spec.versions["v1.0"]
        .operations
        .get(id)
        .unwrap_or_else(|| panic!("no operation {id}: {:?}", ex.diagnostics))
}

fn templates(o: &Operation) -> Vec<&str> {
    o.paths.iter().map(|p| p.template.as_str()).collect()
}

#[test]
fn the_undocumented_set_is_the_one_check_lists() {
    let ex = run();
    let vs = &ex.spec.versions["v1.0"];
    let generated: Vec<&str> = vs
        .operations
        .values()
        .filter(|o| o.origin == Origin::Metadata)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        generated,
        [
            "rackCollection.create",
            "thing.tidy",
            "thingCollection.count",
            "thingCollection.create",
            "thingCollection.pick",
            "thingCollection.stack"
        ]
    );
    // Documented by a page: not generated again.
    assert_eq!(op(&ex, "thing.shade").origin, Origin::Docs);
    // The report still describes the docs: the generated operations are listed as lacking.
    let csdl = common::fixture_csdl(SCHEMA);
    let r = check::report(&csdl, vs);
    let lacking: Vec<String> = r
        .undocumented
        .iter()
        .map(|u| format!("{}/{}", u.binding, u.name))
        .collect();
    assert_eq!(
        lacking,
        [
            "Collection(workbookThing)/count",
            "Collection(workbookThing)/pick",
            "Collection(workbookThing)/stack",
            "workbookOrphan/adopt",
            "workbookThing/tidy"
        ]
    );
    assert_eq!(r.from_metadata.len(), 6, "4 operations and 2 creates");
    assert_eq!(
        r.operations, 2,
        "only the documented operations are counted"
    );
    // Nothing reaches the orphan: not generated, and the report says so.
    assert!(!vs.operations.contains_key("orphan.adopt"));
    let text = r.to_string();
    assert!(
        text.contains("generated from the metadata (4; ")
            && text.contains("not generated: 1 (no documented path reaches the binding)"),
        "{text}"
    );
    assert!(
        text.contains("| `Collection(workbookThing)/count` | `thingCollection.count` | GET `/workbook/racks/{rack}/things/count`, `/workbook/things/count` |"),
        "{text}"
    );
}

#[test]
fn actions_post_their_parameters_on_every_path_reaching_the_binding() {
    let ex = run();
    let stack = op(&ex, "thingCollection.stack");
    assert_eq!(stack.method, Method::Post);
    assert_eq!(
        templates(stack),
        [
            "/workbook/racks/{rack}/things/stack",
            "/workbook/things/stack"
        ]
    );
    assert_eq!(stack.paths[0].prefixes, ["/me/drive/items/{item-id}"]);
    assert!(stack.docs_url.is_none());
    assert_eq!(stack.source.page, "graph-metadata/v1.0.csdl");
    assert!(stack.source.line > 0);
    let Body::Parameters { params } = &stack.body else {
        panic!("{:?}", stack.body)
    };
    let got: Vec<(&str, String, bool)> = params
        .iter()
        .map(|p| (&*p.name, p.type_.to_string(), p.required))
        .collect();
    assert_eq!(
        got,
        [
            ("label", "string".to_string(), true),
            ("size", "int32".to_string(), false)
        ]
    );
    assert_eq!(stack.success, [200]);
    assert_eq!(stack.returns, Some(TypeRef::named("workbookThing")));
    // Copied from the documented operations on the same binding (they agree).
    assert_eq!(stack.permissions.delegated_work, ["Files.Read"]);
    let headers: Vec<(&str, bool)> = stack
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.required))
        .collect();
    assert_eq!(
        headers,
        [("Authorization", true), ("Workbook-Session-Id", false)]
    );
    // An action without a return type answers 204.
    let tidy = op(&ex, "thing.tidy");
    assert_eq!(tidy.success, [204]);
    assert_eq!(tidy.returns, None);
    assert_eq!(tidy.body, Body::None);
    // Only documented paths count (the list page reaches the collections, not a thing), and
    // a non-composable function's result (`shade`) cannot be addressed further.
    assert_eq!(templates(tidy), ["/workbook/things/{thing}/tidy"]);
}

#[test]
fn functions_are_gets_with_their_arguments_in_the_path() {
    let ex = run();
    let count = op(&ex, "thingCollection.count");
    assert_eq!(count.method, Method::Get);
    assert_eq!(count.body, Body::None);
    assert_eq!(count.returns, Some(TypeRef::named("int32")));
    assert!(templates(count).contains(&"/workbook/things/count"));
    let pick = op(&ex, "thingCollection.pick");
    assert!(templates(pick).contains(&"/workbook/things/pick(index={index})"));
    // The segments come from the documented templates' resolver: typed, CSDL targets.
    let Some(Segment::Call {
        name, args, target, ..
    }) = pick.paths[0].segments.last()
    else {
        panic!("{:?}", pick.paths[0].segments)
    };
    assert_eq!(name, "pick");
    assert_eq!(target, &Some(TypeRef::named("workbookThing")));
    assert_eq!(args.len(), 1);
    assert_eq!(
        (&*args[0].name, args[0].type_.to_string(), args[0].quoted),
        ("index", "int32".to_string(), false)
    );
}

#[test]
fn metadata_operations_survive_a_spec_round_trip() {
    let ex = run();
    let files = ex.spec.files();
    let text = &files["v1.0/operations/thingCollection.stack.json"];
    assert!(text.contains("\"origin\": \"metadata\""), "{text}");
    assert!(!text.contains("docs_url"), "{text}");
    let back: Operation = serde_json::from_str(text).expect("parses back");
    assert_eq!(&back, op(&ex, "thingCollection.stack"));
    // A documented operation writes no origin.
    assert!(!files["v1.0/operations/thing.shade.json"].contains("origin"));
}

/// OData create: the test's own CSDL, with a second schema holding out-of-line annotations
/// (where Graph writes them) and an inline one.
const CREATE_CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="workbook" BaseType="graph.entity">
        <NavigationProperty Name="things" Type="Collection(graph.workbookThing)" ContainsTarget="true" />
        <NavigationProperty Name="racks" Type="Collection(graph.workbookRack)" ContainsTarget="true" />
        <NavigationProperty Name="links" Type="Collection(graph.workbookThing)" />
        <NavigationProperty Name="widgets" Type="Collection(graph.workbookWidget)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="workbookRack" BaseType="graph.entity">
        <NavigationProperty Name="things" Type="Collection(graph.workbookThing)" ContainsTarget="true">
          <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions">
            <Record>
              <PropertyValue Property="Insertable" Bool="false" />
            </Record>
          </Annotation>
        </NavigationProperty>
      </EntityType>
      <EntityType Name="workbookThing" BaseType="graph.entity">
        <Property Name="hue" Type="Edm.String" />
      </EntityType>
      <EntityType Name="workbookWidget" BaseType="graph.entity" />
    </Schema>
    <Schema Namespace="microsoft.graph.elsewhere" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <Annotations Target="microsoft.graph.workbook/racks">
        <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions">
          <Record>
            <PropertyValue Property="Description" String="own words" />
            <PropertyValue Property="Insertable" Bool="false" />
          </Record>
        </Annotation>
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

fn run_create() -> (Extraction, graph_workbook_codegen::extract::csdl::Csdl) {
    let csdl =
        graph_workbook_codegen::extract::csdl::Csdl::parse(CREATE_CSDL).expect("fixture CSDL");
    let pages = [
        (
            "api-reference/v1.0/api/thing-list.md",
            page(&[
                "GET /me/drive/items/{id}/workbook/things",
                "GET /me/drive/items/{id}/workbook/links",
                "GET /me/drive/items/{id}/workbook/racks/{id}/things",
            ]),
        ),
        (
            "api-reference/v1.0/api/widget-post.md",
            page(&["POST /me/drive/items/{id}/workbook/widgets"]),
        ),
        ("api-reference/v1.0/resources/thing.md", THING.to_owned()),
    ];
    let all: Vec<(String, Vec<u8>)> = pages
        .into_iter()
        .map(|(p, t)| (p.to_owned(), t.into_bytes()))
        .collect();
    (extract_pages(&all, Some(&csdl)), csdl)
}

#[test]
fn insert_restrictions_are_read_inline_and_from_any_schema() {
    let (_, csdl) = run_create();
    assert!(csdl.insertable("workbook", "things"));
    assert!(
        !csdl.insertable("workbook", "racks"),
        "out-of-line, other schema"
    );
    assert!(!csdl.insertable("workbookRack", "things"), "inline");
}

#[test]
fn containment_collections_get_an_odata_create_unless_not_insertable() {
    let (ex, csdl) = run_create();
    let vs = &ex.spec.versions["v1.0"];
    let creates: Vec<&str> = vs
        .operations
        .values()
        .filter(|o| o.id.ends_with(".create"))
        .map(|o| o.id.as_str())
        .collect();
    // racks: Insertable=false (other schema); links: not a containment; widgets: documented.
    assert_eq!(
        creates,
        ["thingCollection.create", "widgetCollection.create"]
    );
    let c = op(&ex, "thingCollection.create");
    assert_eq!(c.origin, Origin::Metadata);
    assert_eq!(c.method, Method::Post);
    // Not under racks/{rack}/things: that one is annotated Insertable=false inline.
    assert_eq!(templates(c), ["/workbook/things"]);
    assert_eq!(
        c.body,
        Body::Resource {
            type_: TypeRef::named("workbookThing")
        }
    );
    assert_eq!(c.success, [201]);
    assert_eq!(c.returns, Some(TypeRef::named("workbookThing")));
    assert_eq!(c.source.page, "graph-metadata/v1.0.csdl");
    assert_eq!(c.source.line, 10, "the NavigationProperty's line");
    // The documented create is kept and not duplicated.
    let w = op(&ex, "widgetCollection.create");
    assert_eq!(w.origin, Origin::Docs);
    let text = check::report(&csdl, vs).to_string();
    assert!(
        text.contains("Containment collections that no docs page creates in (1)")
            && text.contains("| `Collection(workbookThing)/create` | `thingCollection.create` | POST `/workbook/things` with body one `workbookThing` entity (OData create) |"),
        "{text}"
    );
}
