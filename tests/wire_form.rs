//! The requests that go out follow Graph's metadata (issue 9): CSDL functions are called with
//! GET and their arguments in the path, even where the docs page POSTs a JSON body; nullable
//! action parameters are omitted when unset. Checked against a recording server on 127.0.0.1.

mod support;

use graph_workbook::v1::{TableCollectionAddParams, TableColumnCollectionAddParams};
use support::{Recorded, Reply, TestServer};

async fn setup() -> (TestServer, graph_workbook::v1::Workbook) {
    let server = TestServer::always(Reply::json(200, serde_json::json!({}))).await;
    let book = server.v1_book();
    (server, book)
}

const BOOK: &str = "/v1.0/me/drive/items/01AB/workbook";

fn assert_get_without_body(r: &Recorded, path: &str) {
    assert_eq!(r.request_line(), format!("GET {BOOK}{path}"));
    assert!(r.body.is_empty(), "a GET carries no body: {:?}", r.body);
}

#[tokio::test]
async fn item_at_is_a_get_with_the_index_in_the_path() {
    let (server, book) = setup().await;
    book.table("T")
        .rows()
        .item_at(5)
        .get()
        .send()
        .await
        .unwrap();
    assert_get_without_body(&server.last(), "/tables/T/rows/itemAt(index=5)");
    book.table("T")
        .columns()
        .item_at(0)
        .get()
        .send()
        .await
        .unwrap();
    assert_get_without_body(&server.last(), "/tables/T/columns/itemAt(index=0)");
    book.worksheet("S")
        .charts()
        .item_at(2)
        .get()
        .send()
        .await
        .unwrap();
    assert_get_without_body(&server.last(), "/worksheets/S/charts/itemAt(index=2)");
}

#[tokio::test]
async fn range_functions_are_gets_with_path_arguments() {
    let (server, book) = setup().await;
    book.worksheet("S")
        .range("A1:B2")
        .row(1)
        .get()
        .send()
        .await
        .unwrap();
    assert_get_without_body(
        &server.last(),
        "/worksheets/S/range(address='A1:B2')/row(row=1)",
    );
    let r = book
        .worksheet("S")
        .range("A1")
        .resized_range(1, 2)
        .get()
        .into_request();
    assert_eq!(r.method, graph_workbook::Method::Get);
    assert!(r.body.is_none());
    assert!(
        r.path
            .ends_with("/range(address='A1')/resizedRange(deltaRows=1,deltaColumns=2)"),
        "{}",
        r.path
    );
    // Composable: fetched by the range's `get`. The docs give `resizedRange` only below
    // `/worksheets/{worksheet}/range`: the closest documented template is named.
    assert_eq!(r.operation, "range.get");
    assert_eq!(
        r.template,
        "/workbook/worksheets/{worksheet}/range/resizedRange(deltaRows={deltaRows},deltaColumns={deltaColumns})"
    );
}

#[tokio::test]
async fn nullable_action_parameters_are_omitted_when_unset() {
    let (server, book) = setup().await;
    // `index` and `name` are nullable in the CSDL: nothing goes out for them, not `"name":""`.
    book.table("T")
        .columns()
        .add(&TableColumnCollectionAddParams::default())
        .send()
        .await
        .unwrap();
    let r = server.last();
    assert_eq!(
        r.request_line(),
        format!("POST {BOOK}/tables/T/columns/add")
    );
    assert_eq!(r.json(), Some(serde_json::json!({})));
    let named = TableColumnCollectionAddParams {
        name: Some("Total".into()),
        ..Default::default()
    };
    book.table("T").columns().add(&named).send().await.unwrap();
    assert_eq!(
        server.last().json(),
        Some(serde_json::json!({ "name": "Total" }))
    );
}

#[tokio::test]
async fn required_action_parameters_come_from_new() {
    let (server, book) = setup().await;
    // `hasHeaders` is non-nullable in the CSDL: the params have no `Default`, only `new`.
    let params = TableCollectionAddParams {
        address: Some("A1:C4".into()),
        ..TableCollectionAddParams::new(true)
    };
    book.tables().add(&params).send().await.unwrap();
    assert_eq!(
        server.last().json(),
        Some(serde_json::json!({ "address": "A1:C4", "hasHeaders": true }))
    );
    book.tables()
        .add(&TableCollectionAddParams::new(false))
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.last().json(),
        Some(serde_json::json!({ "hasHeaders": false }))
    );
}
