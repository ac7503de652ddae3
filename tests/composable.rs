//! Composable functions are navigations (issue 9): a function Graph's metadata marks
//! `IsComposable` (`usedRange`, `cell`, `itemAt`, ...) returns a node that can be navigated
//! further or fetched with `.get()`. Checked against a recording server on 127.0.0.1.

mod support;

use graph_workbook::v1::RangeSortApplyParams;
use graph_workbook::Method;
use support::{Reply, TestServer};

async fn setup() -> (TestServer, graph_workbook::v1::Workbook) {
    let server = TestServer::always(Reply::json(200, serde_json::json!({}))).await;
    let book = server.v1_book();
    (server, book)
}

const BOOK: &str = "/v1.0/me/drive/items/01AB/workbook";

#[tokio::test]
async fn used_range_continues_to_sort_apply() {
    let (server, book) = setup().await;
    book.worksheet("S")
        .used_range(Some(true))
        .sort()
        .apply(&RangeSortApplyParams {
            has_headers: Some(true),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    let r = server.last();
    assert_eq!(
        r.request_line(),
        format!("POST {BOOK}/worksheets/S/usedRange(valuesOnly=true)/sort/apply")
    );
    assert_eq!(r.json(), Some(serde_json::json!({ "hasHeaders": true })));
    // Without the optional argument the segment is bare.
    book.worksheet("S")
        .used_range(None)
        .format()
        .get()
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/worksheets/S/usedRange/format")
    );
}

#[tokio::test]
async fn item_at_row_continues_to_its_range_and_delete() {
    let (server, book) = setup().await;
    let row = book.table("T").rows().item_at(6);
    row.range().get().send().await.unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/tables/T/rows/itemAt(index=6)/range")
    );
    row.delete().send().await.unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("DELETE {BOOK}/tables/T/rows/itemAt(index=6)")
    );
}

#[tokio::test]
async fn cell_continues_to_its_format() {
    let (server, book) = setup().await;
    book.worksheet("S")
        .range("A1:D9")
        .cell(2, 3)
        .format()
        .font()
        .get()
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/worksheets/S/range(address='A1:D9')/cell(row=2,column=3)/format/font")
    );
}

/// `.get()` on a composable node sends GET to the composed path, and the request names the
/// template the docs give for it (the node's `get` carries the composable operation's paths).
#[tokio::test]
async fn get_on_a_composable_node_names_the_documented_template() {
    let (server, book) = setup().await;
    let cases: [(graph_workbook::Call<serde_json::Value>, &str, &str); 5] = [
        (
            book.worksheet("S").used_range(Some(true)).get().with_output(),
            "/worksheets/S/usedRange(valuesOnly=true)",
            "/workbook/worksheets/{worksheet}/usedRange(valuesOnly={valuesOnly})",
        ),
        (
            book.worksheet("S").used_range(None).get().with_output(),
            "/worksheets/S/usedRange",
            "/workbook/worksheets/{worksheet}/usedRange",
        ),
        (
            book.worksheet("S").range("A1:D9").cell(2, 3).get().with_output(),
            "/worksheets/S/range(address='A1:D9')/cell(row=2,column=3)",
            "/workbook/worksheets/{worksheet}/range(address={address})/cell(row={row},column={column})",
        ),
        (
            book.table("T").rows().item_at(6).get().with_output(),
            "/tables/T/rows/itemAt(index=6)",
            "/workbook/tables/{table}/rows/itemAt(index={index})",
        ),
        // A function whose arguments the docs give as a GET body (`columnOffset`, then
        // `rowOffset`): in the path.
        (
            book.worksheet("S").range("B2").offset_range(1, -1).get().with_output(),
            "/worksheets/S/range(address='B2')/offsetRange(columnOffset=1,rowOffset=-1)",
            "/workbook/worksheets/{worksheet}/range(address={address})/offsetRange",
        ),
    ];
    for (call, path, template) in cases {
        let req = call.request().clone();
        assert_eq!(req.method, Method::Get, "{path}");
        assert!(req.body.is_none(), "{path}");
        assert_eq!(req.template, template, "{path}");
        call.send().await.unwrap();
        assert_eq!(server.last().request_line(), format!("GET {BOOK}{path}"));
    }
}

/// A bad address given to a composable navigation is refused before sending, also for
/// everything reached from it.
#[tokio::test]
async fn a_bad_address_under_a_composable_node_sends_nothing() {
    let (server, book) = setup().await;
    let err = book
        .worksheet("S")
        .range("A1:D9")
        .bounding_rect("not an address!")
        .format()
        .get()
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(err, graph_workbook::Error::InvalidInput(_)),
        "{err}"
    );
    assert!(server.requests().is_empty());
}
