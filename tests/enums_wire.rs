//! Enumerations are types (issue 9, item 5), against a recording server on 127.0.0.1: a
//! documented value goes out as its wire string, a known value decodes to its variant, and a
//! value this crate does not know decodes to `Other` and goes back out unchanged.

mod support;

use graph_workbook::v1::{
    RangeInsertParams, RangeInsertShift, WorksheetUpdate, WorksheetVisibility,
};
use graph_workbook::DriveItem;
use serde_json::json;
use support::{Reply, TestServer};

#[tokio::test]
async fn enums_round_trip_the_wire_string() {
    let server = TestServer::start(|r| {
        if r.path.ends_with("/worksheets") {
            Reply::json(
                200,
                json!({ "value": [
                    { "name": "A", "visibility": "VeryHidden" },
                    { "name": "B", "visibility": "SuperHidden2030" }
                ]}),
            )
        } else {
            Reply::json(200, json!({ "address": "Sheet1!A1" }))
        }
    })
    .await;
    let client = server.v1_client();
    let book = client.workbook(&DriveItem::me_item("01AB"));

    let insert = RangeInsertParams {
        shift: RangeInsertShift::Down,
    };
    book.worksheet("Sheet1")
        .range("A1")
        .insert(&insert)
        .await
        .expect("insert");
    assert_eq!(server.last().json(), Some(json!({ "shift": "Down" })));

    let sheets = book.worksheets().list().await.expect("list");
    assert_eq!(sheets[0].visibility, Some(WorksheetVisibility::VeryHidden));
    let new = sheets[1].visibility.clone().expect("visibility");
    assert_eq!(new, WorksheetVisibility::Other("SuperHidden2030".into()));

    // An unknown value is sent back exactly as received.
    let update = WorksheetUpdate {
        visibility: Some(new),
        ..Default::default()
    };
    book.worksheet("B").update(&update).await.expect("update");
    assert_eq!(
        server.last().json(),
        Some(json!({ "visibility": "SuperHidden2030" }))
    );
    assert_eq!(
        WorksheetVisibility::from("Hidden"),
        WorksheetVisibility::Hidden
    );
    assert_eq!(WorksheetVisibility::Hidden.as_str(), "Hidden");
}
