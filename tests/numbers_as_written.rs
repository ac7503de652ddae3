//! Numbers stay as written (issue 9, item 7), against a recording server on 127.0.0.1:
//! integer cell values and integer arguments go out as `3`, not `3.0`; doubles go out as
//! doubles; decoding keeps the integer/double distinction of Graph's JSON.

mod support;

use graph_workbook::v1::RangeUpdate;
use graph_workbook::{cells, CellValue, DriveItem};
use serde_json::json;
use support::{Reply, TestServer};

#[tokio::test]
async fn integers_go_out_as_integers_and_come_back_as_integers() {
    let reply = Reply::json(
        200,
        json!({ "address": "Sheet1!A1:C1", "values": [[3, 3.0, 2.5]] }),
    );
    let server = TestServer::always(reply).await;
    let client = server.v1_client();
    let book = client.workbook(&DriveItem::me_item("01AB"));
    let range = book.worksheet("Sheet1").range("A1:D1");

    let update = RangeUpdate {
        values: Some(cells![[3, 2.5, -7i64, CellValue::Number(4.0)]]),
        ..Default::default()
    };
    let back = range.update(&update).await.expect("update");
    let sent = String::from_utf8(server.last().body).expect("utf-8 body");
    assert!(sent.contains(r#""values":[[3,2.5,-7,4.0]]"#), "{sent}");
    assert_eq!(
        back.values.expect("values")[0],
        vec![
            CellValue::Int(3),
            CellValue::Number(3.0),
            CellValue::Number(2.5)
        ]
    );

    // Integer path arguments: `cell(row=2,column=3)`.
    range.cell(2, 3).get().await.expect("cell");
    let path = server.last().path;
    assert!(path.ends_with("/cell(row=2,column=3)"), "{path}");
}
