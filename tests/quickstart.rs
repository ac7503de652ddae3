//! Runs the quickstart example's five calls against its local Graph stand-in, so a change that
//! breaks `cargo run --example quickstart` fails the test suite.

#[allow(dead_code)]
#[path = "../examples/quickstart/main.rs"]
mod quickstart;

use graph_workbook::{CellValue, Client, DriveItem, Error};

#[tokio::test]
async fn quickstart_runs_offline() {
    let server = quickstart::local_graph::start().await;
    let client = Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", server.url()))
        .build()
        .unwrap();
    let out = quickstart::run(&client, &DriveItem::me_item("01QUICKSTART0DEMO"), "Sheet1")
        .await
        .unwrap();
    assert_eq!(out.read, out.written);
    assert_eq!(out.read[1][1], CellValue::Number(4.5));
    assert_eq!(out.read_address, "Sheet1!A1:B2");
    assert_eq!(out.sum, Some(serde_json::json!(7.5)));

    let lines: Vec<String> = server.requests().iter().map(|r| r.request_line()).collect();
    let item = "/v1.0/me/drive/items/01QUICKSTART0DEMO/workbook";
    assert_eq!(
        lines,
        [
            format!("POST {item}/createSession"),
            format!("PATCH {item}/worksheets/Sheet1/range(address='A1:B2')"),
            format!("GET {item}/worksheets/Sheet1/range(address='A1:B2')"),
            format!("POST {item}/functions/sum"),
            format!("POST {item}/closeSession"),
        ]
    );
    let session = server.requests()[0]
        .header("workbook-session-id")
        .map(str::to_string);
    assert_eq!(session, None, "createSession is sent outside the session");
    assert!(server.requests()[1..]
        .iter()
        .all(|r| r.header("workbook-session-id").is_some()));
}

#[tokio::test]
async fn quickstart_with_a_quoted_sheet_name() {
    // The stand-in only knows Sheet1: the escaped name arrives intact and is reported missing.
    let server = quickstart::local_graph::start().await;
    let client = Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", server.url()))
        .build()
        .unwrap();
    let err = quickstart::run(&client, &DriveItem::me_item("x"), "Q1 '24 #2")
        .await
        .unwrap_err();
    match err {
        Error::Graph(g) => {
            assert_eq!(g.status, 404);
            assert!(g.message.contains("\"Q1 '24 #2\""), "{}", g.message);
        }
        other => panic!("{other:?}"),
    }
}
