//! Requests built by code generated from codegen's fixture spec: paths, escaping, argument
//! forms, bodies, template selection, headers. Nothing is sent.

use super::functions::FunctionsNode;
use super::v1::*;
use graph_workbook::node::{FnArg, NodeType};
use graph_workbook::request::Method;
use graph_workbook::{Client, DriveItem};

fn book() -> WorkbookNode {
    let client = Client::new("secret-token").expect("client");
    WorkbookNode::new(&client, &DriveItem::me_item("01AB"))
}

#[test]
fn navigation_builds_escaped_paths() {
    let r = book()
        .worksheet("Q1 '24/#?")
        .range("'Q1 ''24'!A1:B2")
        .get()
        .into_request();
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.operation, "range.get");
    assert_eq!(
        r.template,
        "/workbook/worksheets/{worksheet}/range(address={address})"
    );
    let ws = graph_workbook::escape::path_segment("Q1 '24/#?");
    let addr = graph_workbook::escape::odata_string("'Q1 ''24'!A1:B2");
    assert_eq!(
        r.path,
        format!("/me/drive/items/01AB/workbook/worksheets/{ws}/range(address={addr})")
    );
    assert!(!r.path.contains(' ') && !r.path.contains('#') && !r.path.contains('?'));
    assert_eq!(r.json_body().transpose().unwrap(), None);
}

#[test]
fn same_operation_from_every_path() {
    let via_sheet = book()
        .worksheet("S")
        .range("A1")
        .insert(&RangeInsertParams {
            shift: "Down".into(),
        });
    let via_name = book().name("My Name").range().insert(&RangeInsertParams {
        shift: "Right".into(),
    });
    let via_column = book()
        .table("T")
        .column("C")
        .range()
        .insert(&RangeInsertParams {
            shift: "Down".into(),
        });
    let a = via_sheet.request();
    assert_eq!(
        a.path,
        "/me/drive/items/01AB/workbook/worksheets/S/range(address='A1')/insert"
    );
    assert_eq!(
        a.template,
        "/workbook/worksheets/{worksheet}/range(address={address})/insert"
    );
    assert_eq!(
        a.json_body().transpose().unwrap(),
        Some(serde_json::json!({ "shift": "Down" }))
    );
    let b = via_name.request();
    assert_eq!(
        b.path,
        "/me/drive/items/01AB/workbook/names/My%20Name/range/insert"
    );
    assert_eq!(b.template, "/workbook/names/{name}/range/insert");
    let c = via_column.request();
    assert_eq!(
        c.path,
        "/me/drive/items/01AB/workbook/tables/T/columns/C/range/insert"
    );
    assert_eq!(
        c.template,
        "/workbook/tables/{table}/columns/{column}/range/insert"
    );
    assert!([a, b, c]
        .iter()
        .all(|r| r.operation == "range.insert" && r.method == Method::Post));
}

#[test]
fn typed_arguments_and_overloads() {
    let ws = book().worksheet("S");
    assert!(ws
        .cell(3, -1)
        .get()
        .request()
        .path
        .ends_with("/worksheets/S/cell(row=3,column=-1)"));
    let r = ws.range("A1").resized_range(2, 0).into_request();
    assert!(
        r.path
            .ends_with("/range(address='A1')/resizedRange(deltaRows=2,deltaColumns=0)"),
        "{}",
        r.path
    );
    let chart = ws.chart("Chart 1");
    let bare = chart.image(None, None, None).into_request();
    assert!(
        bare.path.ends_with("/charts/Chart%201/image"),
        "{}",
        bare.path
    );
    assert_eq!(
        bare.template,
        "/workbook/worksheets/{worksheet}/charts/{chart}/image"
    );
    let full = chart.image(640, 480, "Fit").into_request();
    assert!(
        full.path
            .ends_with("/image(width=640,height=480,fittingMode='Fit')"),
        "{}",
        full.path
    );
    assert_eq!(
        full.template,
        "/workbook/worksheets/{worksheet}/charts/{chart}/image(width={width},height={height},fittingMode={fittingMode})"
    );
    assert!(ws
        .charts()
        .item_at(0)
        .get()
        .request()
        .path
        .ends_with("/charts/itemAt(index=0)"));
}

#[test]
fn bodies_and_headers() {
    // PATCH: unset fields are not sent.
    let upd = WorksheetUpdate {
        name: Some("New".into()),
        ..Default::default()
    };
    let r = book().worksheet("S").update(&upd).into_request();
    assert_eq!(r.method, Method::Patch);
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(serde_json::json!({ "name": "New" }))
    );
    // Cell data is typed on the wire too.
    let rows = graph_workbook::cell::cells([[1.5, 2.0]]);
    let add = TableRowCollectionAddParams {
        index: None,
        values: rows,
    };
    let r = book().table("T").rows().add(&add).into_request();
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(serde_json::json!({ "values": [[1.5, 2.0]] }))
    );
    // The session slot: a header on a node travels to every call made below it.
    let r = book()
        .with_header("workbook-session-id", "abc")
        .worksheet("S")
        .get()
        .into_request();
    assert_eq!(
        r.headers,
        vec![("workbook-session-id".to_owned(), "abc".to_owned())]
    );
    // Debug of a request or node never shows the token.
    assert!(!format!("{:?} {:?}", r, book()).contains("secret-token"));
}

#[test]
fn functions_take_named_arguments() {
    let f: FunctionsNode = FunctionsNode::from_node(book().node().nav("functions"));
    let r = f
        .pmt(0.05 / 12.0, 60, -10000, FnArg::NONE, 0)
        .into_request();
    assert!(r.path.ends_with("/workbook/functions/pmt"));
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(serde_json::json!({ "rate": 0.05 / 12.0, "nper": 60, "pv": -10000, "type": 0 }))
    );
    let r = f.sum(FnArg::range("Sheet1!A1:A3")).into_request();
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(serde_json::json!({ "values": { "Address": "Sheet1!A1:A3" } }))
    );
}

#[test]
fn get_functions_take_arguments_in_the_path() {
    // `range.boundingRect` documents a body parameter on a GET: it is a function argument.
    let r = book()
        .worksheet("S")
        .range("A1")
        .bounding_rect("B2:C3")
        .into_request();
    assert!(
        r.path
            .ends_with("/range(address='A1')/boundingRect(anotherRange='B2:C3')"),
        "{}",
        r.path
    );
    assert_eq!(r.json_body().transpose().unwrap(), None);
    // An action named like a REST verb is still the action: `POST .../range/delete`.
    let r = book()
        .worksheet("S")
        .range("A1")
        .delete(&RangeDeleteParams { shift: "Up".into() })
        .into_request();
    assert_eq!(r.method, Method::Post);
    assert!(
        r.path.ends_with("/range(address='A1')/delete"),
        "{}",
        r.path
    );
}

#[test]
fn responses_decode_leniently() {
    use graph_workbook::call::decode;
    use graph_workbook::node::Shape;
    // Unknown fields are ignored; a self-referencing type is boxed.
    let op: WorkbookOperation = decode(
        Shape::Json,
        200,
        br#"{"id":"1","status":"failed","extra":1,"error":{"code":"a","innerError":{"code":"b"}}}"#,
    )
    .expect("decode");
    let inner = op.error.and_then(|e| e.inner_error).and_then(|e| e.code);
    assert_eq!(inner.as_deref(), Some("b"));
    // Collections come from `value`; 204 is ().
    let list: Vec<WorkbookWorksheet> = decode(
        Shape::Value,
        200,
        br#"{"@odata.context":"x","value":[{"name":"S"}]}"#,
    )
    .expect("decode");
    assert_eq!(list[0].name.as_deref(), Some("S"));
    decode::<()>(Shape::Empty, 204, b"").expect("empty");
    // Cell data is typed.
    let r: WorkbookRange =
        decode(Shape::Json, 200, br#"{"values":[[1,"a",true,""]]}"#).expect("decode");
    let v = r.values.expect("values");
    assert_eq!(v[0][0], graph_workbook::cell::CellValue::Int(1));
    // A mismatch keeps an excerpt of the body.
    match decode::<WorkbookRange>(Shape::Json, 200, b"<html>oops</html>") {
        Err(graph_workbook::Error::Decode {
            excerpt, status, ..
        }) => {
            assert_eq!(status, 200);
            assert!(excerpt.starts_with("<html>oops"));
        }
        other => panic!("{other:?}"),
    }
}

/// Sending: generated calls through `Client::execute` against a real server on 127.0.0.1 that
/// decodes the path the way an OData server does.
mod send {
    use std::sync::{Arc, Mutex};

    use super::super::v1::*;
    use graph_workbook::{Client, DriveItem};

    type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

    async fn server() -> (String, Seen) {
        let seen: Seen = Arc::default();
        let log = seen.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let log = log.clone();
            async move {
                let method = req.method().to_string();
                let raw = req.uri().path().to_owned();
                let session = req.headers().get("workbook-session-id").map(|v| v.to_str().unwrap_or("").to_owned());
                // Split at `/` first, then percent-decode each segment.
                let decoded = raw
                    .split('/')
                    .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                log.lock().expect("lock").push((method, decoded.clone(), session));
                let (status, body) = if decoded.ends_with("/closeSession") {
                    (204, String::new())
                } else if decoded.ends_with("/worksheets") {
                    (200, r#"{"@odata.context":"x","value":[{"name":"Q1 '24","position":0,"new":1}]}"#.to_owned())
                } else {
                    (200, r#"{"address":"Sheet1!A1:B2","values":[[1,"x"],[true,""]],"unknownField":{}}"#.to_owned())
                };
                axum::response::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body))
                    .expect("response")
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        (format!("http://{addr}/v1.0"), seen)
    }

    #[tokio::test]
    async fn await_sends_and_decodes() {
        let (url, seen) = server().await;
        let client = Client::builder()
            .bearer("t")
            .base_url(url)
            .build()
            .expect("client");
        let book = WorkbookNode::new(&client, &DriveItem::me_item("01AB"));
        // Characters that need escaping but that Excel allows in a sheet name (no `/` or `?`).
        let sheet = "Q1 '24 #%&+ é🙂";
        let range = book
            .worksheet(sheet)
            .range("'Q1 ''24'!A1:B2")
            .get()
            .await
            .expect("range");
        assert_eq!(range.address.as_deref(), Some("Sheet1!A1:B2"));
        assert_eq!(
            range.values.expect("values")[1][0],
            graph_workbook::cell::CellValue::Bool(true)
        );
        let sheets = book.worksheets().list().send().await.expect("list");
        assert_eq!(sheets[0].name.as_deref(), Some("Q1 '24"));
        let session =
            graph_workbook::node::NodeType::with_header(&book, "workbook-session-id", "s-1");
        session.close_session().await.expect("204 is ()");
        let seen = seen.lock().expect("lock").clone();
        assert_eq!(
            seen[0].1,
            format!("/v1.0/me/drive/items/01AB/workbook/worksheets/{sheet}/range(address='''Q1 ''''24''!A1:B2')")
        );
        assert_eq!(seen[1].1, "/v1.0/me/drive/items/01AB/workbook/worksheets");
        assert_eq!(
            seen[2],
            (
                "POST".into(),
                "/v1.0/me/drive/items/01AB/workbook/closeSession".into(),
                Some("s-1".into())
            )
        );
    }
}
