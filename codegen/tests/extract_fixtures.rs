//! Extraction of small pages written for these tests in the docs' format (own wording; no docs
//! prose). A second "snapshot" uses made-up words for the translated parts, to show that the
//! extractor learns a locale from structure instead of knowing its words.

use graph_workbook_codegen::diagnostics::Severity;
use graph_workbook_codegen::extract::{examples, extract_pages, ExampleKind, Extraction};
use graph_workbook_codegen::spec::{Body, Method, Primitive, Segment, TypeRef};

/// A session-closing page: the session header sits in the request block.
fn close_page(header_row: &str, required: &str, title: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n---\n\n# <a name=\"close\"></a>{title}\n\n## <a name=\"permissions\"></a>{title}\n\n|A | B |\n|:--|:--|\n|x | Files.ReadWrite |\n|y | - |\n|z | - |\n\n## <a name=\"http-request\"></a>{title}\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nPOST /me/drive/items/{{id}}/workbook/closeSession\nPOST /me/drive/root:/{{item-path}}:/workbook/closeSession\nworkbook-session-id: {{session-id}}\n```\n## <a name=\"request-headers\"></a>{title}\n| a | b |\n|:--|:--|\n| Authorization | Bearer {{token}}. {required}. |\n| {header_row} | {title} |\n\n## <a name=\"response\"></a>{title}\n\n{title} `204 No Content` {title}.\n"
    )
}

/// A range action page with a parameter table, an optional session header and a typed response.
fn insert_page(
    header_row: &str,
    required: &str,
    optional: &str,
    param: &str,
    title: &str,
) -> String {
    format!(
        "---\ntitle: \"{title}\"\n---\n\n# {title}\n\n## <a name=\"permissions\"></a>{title}\n\n|A | B |\n|:--|:--|\n|x | Files.ReadWrite, Files.ReadWrite.All |\n|y | {title} |\n|z | Files.ReadWrite.All |\n\n## <a name=\"http-request\"></a>{title}\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nPOST /me/drive/items/{{id}}/workbook/worksheets/{{id|name}}/range(address='<address>')/insert\nPOST /me/drive/items/{{id}}/workbook/worksheets/{{id|name}}/range(address='<address>')/insert/\n```\n## <a name=\"request-headers\"></a>{title}\n| a | b |\n|:--|:--|\n| Authorization | Bearer {{token}}. {required}. |\n| {header_row} | {title}. {optional}. |\n\n## <a name=\"request-body\"></a>{title}\n\n| a | b | c |\n|:--|:--|:--|\n|{param}|string|{title} `Down`, `Right`.|\n\n## <a name=\"response\"></a>{title}\n\n{title} `200 OK` [x](../resources/range.md).\n\n## <a name=\"example\"></a>{title}\n<!-- {{\n  \"blockType\": \"request\"\n}}-->\n```http\nPOST https://graph.microsoft.com/v1.0/me/drive/items/1/workbook/worksheets/S/range(address='A1')/insert\nContent-type: application/json\n\n{{\n  \"shift\": \"x\"\n}}\n```\n<!-- {{\n  \"blockType\": \"response\",\n  \"@odata.type\": \"microsoft.graph.workbookRange\"\n}} -->\n```http\nHTTP/1.1 200 OK\n\n{{ \"address\": \"x\" }}\n```\n"
    )
}

const RESOURCE: &str = "---\ntitle: r\n---\n# r\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n|address|string|Where.|\n\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.workbookRange\"\n} -->\n```json\n{ \"address\": \"string\" }\n```\n";

fn pages(close: String, insert: String) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "api-reference/v1.0/api/aaa-close.md".into(),
            close.into_bytes(),
        ),
        (
            "api-reference/v1.0/api/zzz-insert.md".into(),
            insert.into_bytes(),
        ),
        (
            "api-reference/v1.0/resources/range.md".into(),
            RESOURCE.as_bytes().to_vec(),
        ),
    ]
}

fn english() -> Extraction {
    extract_pages(
        &pages(
            close_page("workbook-session-id", "Required", "Close it"),
            insert_page(
                "Workbook-Session-Id",
                "Required",
                "Optional",
                "shift",
                "Insert",
            ),
        ),
        None,
    )
}

#[test]
fn english_pages_give_operations() {
    let ex = english();
    let v1 = &ex.spec.versions["v1.0"];
    let close = &v1.operations["workbook.closeSession"];
    assert_eq!(close.method, "POST");
    assert_eq!(close.paths.len(), 1);
    assert_eq!(close.paths[0].template, "/workbook/closeSession");
    assert_eq!(
        close.paths[0].prefixes,
        ["/me/drive/items/{item-id}", "/me/drive/root:/{item-path}:"]
    );
    let hs: Vec<_> = close
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.required))
        .collect();
    assert_eq!(hs, [("Authorization", true), ("Workbook-Session-Id", true)]);
    assert_eq!(close.success, [204]);
    assert_eq!(close.returns, None);
    assert_eq!(close.permissions.delegated_work, ["Files.ReadWrite"]);
    assert!(close.permissions.application.is_empty());

    // resolved without a CSDL: the binding falls back to the collection names
    let insert = v1
        .operations
        .values()
        .find(|o| o.source.page.ends_with("zzz-insert.md"))
        .unwrap();
    assert_eq!(
        insert.paths.len(),
        1,
        "the trailing-slash copy is the same template"
    );
    assert_eq!(
        insert.paths[0].template,
        "/workbook/worksheets/{worksheet}/range(address={address})/insert"
    );
    let Some(Segment::Call { args, .. }) = insert.paths[0].segments.get(3) else {
        panic!("{:?}", insert.paths[0].segments)
    };
    assert!(args[0].quoted && args[0].type_ == Primitive::String.into());
    let hs: Vec<_> = insert
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.required))
        .collect();
    assert_eq!(
        hs,
        [("Authorization", true), ("Workbook-Session-Id", false)]
    );
    let Body::Parameters { params } = &insert.body else {
        panic!("{:?}", insert.body)
    };
    assert_eq!(params[0].name, "shift");
    assert!(params[0].required);
    assert_eq!(params[0].values, ["Down", "Right"]);
    assert_eq!(
        insert.returns.as_ref().and_then(TypeRef::name),
        Some("workbookRange")
    );
    assert_eq!(
        insert.permissions.delegated_work,
        ["Files.ReadWrite", "Files.ReadWrite.All"]
    );
    assert!(insert.permissions.delegated_personal.is_empty());
    // the trailing slash is a reported repair naming file and line
    assert!(ex.diagnostics.iter().any(|d| d.severity == Severity::Repair
        && d.file == "api-reference/v1.0/api/zzz-insert.md"
        && d.line == 19
        && d.message.contains("trailing")));
}

#[test]
fn a_made_up_locale_is_learned_from_structure() {
    // "Sesjonkenn" is the translated session header name, "Pflichtig"/"Wahlweise" the markers.
    let translated = extract_pages(
        &pages(
            close_page("Sesjonkenn", "Pflichtig", "Schliessen"),
            insert_page("Sesjonkenn", "Pflichtig", "Wahlweise", "shift", "Einfugen"),
        ),
        None,
    );
    let english = english();
    for (id, op) in &english.spec.versions["v1.0"].operations {
        let t = &translated.spec.versions["v1.0"].operations[id];
        assert_eq!(op.headers, t.headers, "{id}");
        assert_eq!(op.body, t.body, "{id}");
        assert_eq!(op.paths, t.paths, "{id}");
        assert_eq!(op.success, t.success, "{id}");
        assert_eq!(op.returns, t.returns, "{id}");
    }
}

#[test]
fn an_unresolvable_translated_name_is_left_out_with_a_warning() {
    // a capitalized translated parameter name with no JSON/CSDL identifier to pair with
    let ex = extract_pages(
        &pages(
            close_page("workbook-session-id", "Required", "c"),
            insert_page(
                "Workbook-Session-Id",
                "Required",
                "Optional",
                "Verschieben",
                "i",
            )
            .replace("\"shift\": \"x\"", "\"other\": 1, \"more\": 2"),
        ),
        None,
    );
    let insert = ex.spec.versions["v1.0"]
        .operations
        .values()
        .find(|o| o.source.page.ends_with("zzz-insert.md"))
        .unwrap();
    let Body::Parameters { params } = &insert.body else {
        panic!()
    };
    assert!(params.is_empty(), "{params:?}");
    assert!(ex
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning && d.message.contains("Verschieben")));
}

#[test]
fn pages_are_selected_by_content_not_name() {
    let overview = "# o\n\n```http\nGET https://graph.microsoft.com/v1.0/me/drive/items/1/workbook/worksheets\n```\n";
    let other_api = "# x\n\n```http\nGET /me/drive/items/{id}/children\n```\n";
    let ex = extract_pages(
        &[
            (
                "api-reference/v1.0/api/overview.md".into(),
                overview.as_bytes().to_vec(),
            ),
            (
                "api-reference/v1.0/api/driveitem-list.md".into(),
                other_api.as_bytes().to_vec(),
            ),
            (
                "api-reference/beta/resources/oddly-named.md".into(),
                close_page("workbook-session-id", "Required", "c").into_bytes(),
            ),
        ],
        None,
    );
    assert_eq!(ex.pages, 1);
    let ids: Vec<_> = ex.spec.versions["beta"].operations.keys().collect();
    assert_eq!(ids, ["workbook.closeSession"]);
}

#[test]
fn bad_bytes_never_panic_and_are_reported() {
    let mut bytes = close_page("workbook-session-id", "Required", "c").into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n', 0xc3]);
    let ex = extract_pages(&[("api-reference/v1.0/api/x.md".into(), bytes)], None);
    assert!(ex.diagnostics.iter().any(|d| d.message.contains("UTF-8")));
    assert_eq!(ex.spec.versions["v1.0"].operations.len(), 1);
    // truncated at every line: never a panic
    let page = insert_page(
        "Workbook-Session-Id",
        "Required",
        "Optional",
        "shift",
        "Insert",
    );
    for (i, _) in page.match_indices('\n') {
        let _ = extract_pages(
            &[(
                "api-reference/beta/api/t.md".into(),
                page.as_bytes()[..i].to_vec(),
            )],
            None,
        );
    }
}

#[test]
fn examples_are_found_by_content() {
    let page = insert_page(
        "Workbook-Session-Id",
        "Required",
        "Optional",
        "shift",
        "Insert",
    );
    let ex = examples(&page);
    // the request block itself holds templates, not examples
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].kind, ExampleKind::Request);
    assert_eq!(ex[0].method, Some(Method::Post));
    assert!(ex[0]
        .url
        .as_deref()
        .unwrap()
        .starts_with("https://graph.microsoft.com/v1.0/"));
    let headers: Vec<_> = ex[0]
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(headers, [("Content-type", "application/json")]);
    assert_eq!(ex[0].body.as_ref().unwrap().as_ref().unwrap()["shift"], "x");
    assert_eq!(ex[1].kind, ExampleKind::Response);
    assert_eq!(ex[1].status, Some(200));
    let bad = examples("```http\nHTTP/1.1 200 OK\n\n{ \"a\": \"\"b\" }\n```\n");
    assert!(bad[0].body.as_ref().unwrap().is_err());
}

#[test]
fn output_is_deterministic() {
    let a = english();
    let b = english();
    assert_eq!(a.spec.files(), b.spec.files());
    assert_eq!(a.diagnostics, b.diagnostics);
}
