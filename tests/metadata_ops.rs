//! Operations that Graph's metadata defines and no docs page documents (issue 9, item 3) are
//! generated like the documented ones: actions POST their parameters as a JSON body, functions
//! GET with their arguments in the path, and the result decodes as the CSDL return type.
//! Checked against a recording server on 127.0.0.1.

mod support;

use graph_workbook::v1::{
    FilterApplyTopItemsFilterParams, WorkbookTableRow, WorksheetCollectionAddParams,
};
use graph_workbook::CellValue;
use support::{Reply, TestServer};

const BOOK: &str = "/v1.0/me/drive/items/01AB/workbook";

#[tokio::test]
async fn worksheets_add_posts_the_name() {
    let server = TestServer::always(Reply::json(
        200,
        serde_json::json!({ "id": "{75A}", "name": "Q3", "position": 2 }),
    ))
    .await;
    let params = WorksheetCollectionAddParams {
        name: Some("Q3".into()),
    };
    let sheet = server.v1_book().worksheets().add(&params).await.unwrap();
    let r = server.last();
    assert_eq!(r.request_line(), format!("POST {BOOK}/worksheets/add"));
    assert_eq!(r.json(), Some(serde_json::json!({ "name": "Q3" })));
    assert_eq!(sheet.name.as_deref(), Some("Q3"));
    // `name` is nullable in the metadata: left unset, nothing goes out for it.
    server
        .v1_book()
        .worksheets()
        .add(&WorksheetCollectionAddParams::default())
        .await
        .unwrap();
    assert_eq!(server.last().json(), Some(serde_json::json!({})));
}

#[tokio::test]
async fn collection_count_is_a_get_that_decodes_the_integer() {
    let server = TestServer::always(Reply::json(
        200,
        serde_json::json!({ "@odata.context": "$metadata#Edm.Int32", "value": 7 }),
    ))
    .await;
    let n: i32 = server.v1_book().tables().count().await.unwrap();
    assert_eq!(n, 7);
    let r = server.last();
    assert_eq!(r.request_line(), format!("GET {BOOK}/tables/count"));
    assert!(r.body.is_empty(), "a GET carries no body");
    let n = server
        .v1_book()
        .worksheet("S")
        .tables()
        .count()
        .await
        .unwrap();
    assert_eq!(n, 7);
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/worksheets/S/tables/count")
    );
    server.v1_book().table("T").rows().count().await.unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/tables/T/rows/count")
    );
}

#[tokio::test]
async fn filter_actions_post_their_parameters() {
    let server = TestServer::always(Reply::empty(204)).await;
    server
        .v1_book()
        .table("T")
        .column("Sales")
        .filter()
        .apply_top_items_filter(&FilterApplyTopItemsFilterParams::new(3))
        .await
        .unwrap();
    let r = server.last();
    assert_eq!(
        r.request_line(),
        format!("POST {BOOK}/tables/T/columns/Sales/filter/applyTopItemsFilter")
    );
    // An Int32 goes out as an integer.
    assert_eq!(r.body, br#"{"count":3}"#);
}

#[tokio::test]
async fn workbook_functions_take_their_key_in_the_path() {
    let server = TestServer::always(Reply::json(
        200,
        serde_json::json!({ "index": 99, "values": [[1, 2, 3]] }),
    ))
    .await;
    let row = server
        .v1_book()
        .table_row_operation_result("0195-it's")
        .await
        .unwrap();
    assert_eq!(row.index, Some(99));
    assert_eq!(
        server.last().request_line(),
        format!("GET {BOOK}/tableRowOperationResult(key='0195-it''s')")
    );
    // `itemAt` is composable: a navigation to the table, fetched by the table's `get`
    let t = server.v1_book().tables().item_at(2).get().into_request();
    assert_eq!(t.method, graph_workbook::Method::Get);
    assert!(
        t.path.ends_with("/workbook/tables/itemAt(index=2)"),
        "{}",
        t.path
    );
    assert_eq!(t.operation, "table.get");
    assert_eq!(t.template, "/workbook/tables/itemAt(index={index})");
}

/// OData create on a containment collection (`tables/{t}/rows` is `ContainsTarget` and not
/// annotated `Insertable=false`): POST of the entity to the collection, `201` with the new row.
/// Fields left `None` (the server's `index`) are not sent.
#[tokio::test]
async fn create_posts_the_entity_to_the_containment_collection() {
    let server = TestServer::always(Reply::json(
        201,
        serde_json::json!({ "index": 4, "values": [[1, 2, 3]] }),
    ))
    .await;
    let row = WorkbookTableRow {
        values: Some(vec![vec![
            CellValue::from(1),
            CellValue::from(2),
            CellValue::from(3),
        ]]),
        ..Default::default()
    };
    let created = server
        .v1_book()
        .table("T")
        .rows()
        .create(&row)
        .await
        .unwrap();
    let r = server.last();
    assert_eq!(r.request_line(), format!("POST {BOOK}/tables/T/rows"));
    assert_eq!(r.json(), Some(serde_json::json!({ "values": [[1, 2, 3]] })));
    assert_eq!(created.index, Some(4));
    server
        .v1_book()
        .worksheet("S")
        .table("T")
        .rows()
        .create(&row)
        .await
        .unwrap();
    assert_eq!(
        server.last().request_line(),
        format!("POST {BOOK}/worksheets/S/tables/T/rows")
    );
}
