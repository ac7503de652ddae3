//! The API generated from the committed spec/: the calls users write build the documented
//! requests (method, escaped path, template, body). Nothing is sent here; sending is covered
//! by the runtime tests and the fixture API's unit tests.

use graph_workbook::cell::cells;
use graph_workbook::v1::{RangeUpdate, WorkbookSessionInfo};
use graph_workbook::{escape, CellValue, Client, DriveItem, Method};
use serde_json::json;

fn book() -> graph_workbook::v1::Workbook {
    let client = Client::new("token").expect("client");
    client.workbook(&DriveItem::me_item("01AB"))
}

#[test]
fn session_calls() {
    let body = WorkbookSessionInfo {
        persist_changes: Some(true),
        ..Default::default()
    };
    let r = book().create_session(&body).into_request();
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Post, "/me/drive/items/01AB/workbook/createSession")
    );
    assert_eq!(r.operation, "workbook.createSession");
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(json!({ "persistChanges": true }))
    );
    let r = book().close_session().into_request();
    assert_eq!(
        (r.method, r.template),
        (Method::Post, "/workbook/closeSession")
    );
    assert_eq!(r.json_body().transpose().unwrap(), None);
}

#[test]
fn range_read_and_write_escape_names_and_addresses() {
    let sheet = "Q1 '24/#?%&+ é🙂";
    let address = "'Q1 ''24'!A1:B2";
    let get = book().worksheet(sheet).range(address).get().into_request();
    let expected = format!(
        "/me/drive/items/01AB/workbook/worksheets/{}/range(address={})",
        escape::path_segment(sheet),
        escape::odata_string(address)
    );
    assert_eq!(get.path, expected);
    assert_eq!(get.method, Method::Get);
    assert_eq!(get.operation, "range.get");

    let values = vec![
        vec![CellValue::Number(1.0), CellValue::String("x".into())],
        vec![CellValue::Bool(true), CellValue::Empty],
    ];
    let patch = RangeUpdate {
        values: Some(values),
        ..Default::default()
    };
    let r = book()
        .worksheet("Sheet1")
        .range("A1:B2")
        .update(&patch)
        .into_request();
    assert_eq!(r.method, Method::Patch);
    assert_eq!(
        r.path,
        "/me/drive/items/01AB/workbook/worksheets/Sheet1/range(address='A1:B2')"
    );
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(json!({ "values": [[1.0, "x"], [true, ""]] }))
    );
}

#[test]
fn any_drive_item_form_reaches_the_workbook() {
    let client = Client::new("token").expect("client");
    let r = client
        .workbook(&DriveItem::me_path("Reports/Q1 #1.xlsx"))
        .worksheets()
        .list()
        .into_request();
    assert!(r.path.ends_with("/workbook/worksheets"), "{}", r.path);
    assert!(r.path.starts_with("/me/drive/root:/"), "{}", r.path);
    assert!(!r.path.contains('#'), "{}", r.path);
}

#[cfg(all(feature = "tables", feature = "charts", feature = "functions"))]
#[test]
fn typed_navigation_across_areas() {
    // Integers for index/row/column, one method per operation on its node.
    let ws = book().worksheet("S");
    assert!(ws
        .cell(2, 3)
        .get()
        .request()
        .path
        .ends_with("/worksheets/S/cell(row=2,column=3)"));
    let table_rows = book().table("Sales").rows();
    let add = graph_workbook::v1::TableRowCollectionAddParams {
        index: None,
        values: Some(cells([[1.0, 2.0]])),
    };
    let r = table_rows.add(&add).into_request();
    assert_eq!(
        r.path,
        "/me/drive/items/01AB/workbook/tables/Sales/rows/add"
    );
    assert_eq!(
        r.json_body().transpose().unwrap(),
        Some(json!({ "values": [[1.0, 2.0]] }))
    );
    let img = ws.chart("Chart 1").image(640, 480, "Fit").into_request();
    assert!(
        img.path
            .ends_with("/charts/Chart%201/image(width=640,height=480,fittingMode='Fit')"),
        "{}",
        img.path
    );
    // The same operation through every documented path (range.insert on a name, a column, a sheet range).
    let a = book()
        .name("My Name")
        .range()
        .clear(&Default::default())
        .into_request();
    let b = book()
        .worksheet("S")
        .range("A1")
        .clear(&Default::default())
        .into_request();
    assert_eq!((a.operation, b.operation), ("range.clear", "range.clear"));
    assert_eq!(a.template, "/workbook/names/{name}/range/clear");
    // Functions: named arguments, range references.
    let f = book()
        .functions()
        .sum(graph_workbook::node::FnArg::range("Sheet1!A1:A3"))
        .into_request();
    assert_eq!(f.path, "/me/drive/items/01AB/workbook/functions/sum");
    assert_eq!(
        f.json_body().transpose().unwrap(),
        Some(json!({ "values": { "Address": "Sheet1!A1:A3" } }))
    );
}
