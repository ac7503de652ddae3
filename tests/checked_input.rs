//! Checked before sending (issue 9, item 6): invalid range addresses, forbidden sheet names and
//! a missing `workbook-session-id` fail with `Error::InvalidInput` naming the problem, and the
//! recording server on 127.0.0.1 receives nothing. Valid forms of the same calls do go out.

mod support;

use graph_workbook::batch::Batch;
use graph_workbook::node::NodeType;
use graph_workbook::{Client, DriveItem, Error};
use serde_json::json;
use support::{Reply, TestServer};

async fn setup() -> (TestServer, graph_workbook::v1::Workbook, Client) {
    let server = TestServer::always(Reply::json(200, json!({ "address": "Sheet1!A1" }))).await;
    let client = server.v1_client();
    let book = client.workbook(&DriveItem::me_item("01AB"));
    (server, book, client)
}

/// The message of an `InvalidInput`, failing the test for any other outcome.
fn invalid<T: std::fmt::Debug>(r: graph_workbook::Result<T>) -> String {
    match r {
        Err(Error::InvalidInput(m)) => m,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_range_addresses_are_refused_without_a_request() {
    let (server, book, _) = setup().await;
    let cases: &[(&str, &str)] = &[
        ("A0", "A0"),
        ("A1:XFE1", "XFE"),
        ("A1:", "A1:"),
        ("", "\"\""),
        ("Q1 24!A1", "must be quoted"),
        ("'Q1!A1", "unterminated"),
        ("A1:B2:C3", "A1:B2:C3"),
    ];
    for &(address, names) in cases {
        let m = invalid(book.worksheet("Sheet1").range(address).get().await);
        assert!(m.contains(names), "{address:?}: {m}");
        assert!(m.contains("range.get"), "names the operation: {m}");
        // Also through a navigation that continues from the bad range, and through a
        // composable function's argument.
        let m = invalid(book.worksheet("Sheet1").range(address).format().get().await);
        assert!(m.contains(names), "{address:?} below: {m}");
        let m = invalid(
            book.worksheet("Sheet1")
                .range("A1")
                .bounding_rect(address)
                .get()
                .await,
        );
        assert!(m.contains(names), "{address:?} as anotherRange: {m}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // The valid forms Excel writes all go out.
    for address in [
        "A1",
        "$A$1:B$2",
        "A:A",
        "1:1",
        "Sheet1!A1",
        "'Q1 ''24'!B2",
        "Totals",
    ] {
        book.worksheet("Sheet1")
            .range(address)
            .get()
            .await
            .unwrap_or_else(|e| panic!("{address:?}: {e}"));
    }
    assert_eq!(server.requests().len(), 7);
}

#[tokio::test]
async fn forbidden_sheet_names_are_refused_without_a_request() {
    let (server, book, _) = setup().await;
    let long = "x".repeat(32);
    let cases: Vec<(&str, &str)> = vec![
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("what?", "'?'"),
        ("a*", "'*'"),
        ("[x]", "'['"),
        ("x]", "']'"),
        ("a:b", "':'"),
        ("", "empty"),
        (&long, "31 characters"),
    ];
    for (name, why) in cases {
        let m = invalid(book.worksheet(name).get().await);
        assert!(m.contains(why) && m.contains("sheet name"), "{name:?}: {m}");
        let m = invalid(book.worksheet(name).range("A1").get().await);
        assert!(m.contains(why), "{name:?} below: {m}");
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    // Names Excel allows and worksheet ids go out.
    let max = "y".repeat(31);
    for key in [
        "Q1 '24",
        "Übersicht",
        max.as_str(),
        "{00000000-0001-0000-0000-000000000000}",
    ] {
        book.worksheet(key)
            .get()
            .await
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
    }
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn session_operations_need_the_session_header() {
    let (server, book, _) = setup().await;
    let m = invalid(book.close_session().await);
    assert!(
        m.contains("workbook.closeSession") && m.contains("Workbook-Session-Id"),
        "{m}"
    );
    let m = invalid(book.refresh_session().await);
    assert!(m.contains("workbook.refreshSession"), "{m}");
    assert!(server.requests().is_empty());

    // With the header (on the node, as a session puts it, or on the call) they go out.
    book.with_header("workbook-session-id", "s1")
        .close_session()
        .await
        .expect("close with session");
    book.refresh_session()
        .header("workbook-session-id", "s2")
        .await
        .expect("refresh with session");
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].header("workbook-session-id"), Some("s1"));
    assert_eq!(sent[1].header("workbook-session-id"), Some("s2"));
}

#[tokio::test]
async fn a_batch_with_an_invalid_call_is_refused_whole() {
    let (server, book, client) = setup().await;
    let mut batch = Batch::new(&client);
    batch.add(book.worksheet("Sheet1").range("A1").get());
    batch.add(book.worksheet("bad/name").range("A1").get());
    let m = invalid(batch.to_request());
    assert!(m.contains("request 2") && m.contains("'/'"), "{m}");
    let m = invalid(batch.send().await.map(|_| ()));
    assert!(m.contains("bad/name"), "{m}");
    let m = invalid(batch.send_split().await.map(|_| ()));
    assert!(m.contains("bad/name"), "{m}");
    assert!(server.requests().is_empty());
}
