//! Collections as async streams following `@odata.nextLink`, and OData query options.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::sync::{Arc, OnceLock};

use fault_server::{FaultServer, Received, Reply};
use futures_util::{StreamExt, TryStreamExt};
use graph_workbook::call::Call;
use graph_workbook::node::{Node, Op, Shape};
use graph_workbook::paging::{Paging, QueryOptions};
use graph_workbook::{Client, Error, Method};
use serde_json::json;

const WB: &str = "/me/drive/items/01AB/workbook";

static LIST_ROWS: Op = Op {
    id: "tableRow.list",
    method: Method::Get,
    templates: &[(
        "/workbook/tables/{}/rows",
        "/workbook/tables/{id|name}/rows",
    )],
    shape: Shape::Value,
    headers: &[],
};

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Row {
    index: u32,
}

fn rows(client: &Client) -> Call<Vec<Row>> {
    Node::at(
        client.clone(),
        format!("{WB}/tables/T1"),
        "/workbook/tables/{}".into(),
    )
    .nav("rows")
    .op(&LIST_ROWS, None, None)
}

/// Pages of 3 rows, 7 rows in total; the nextLink carries `$skiptoken` plus the original
/// options, like Graph's.
async fn server(next_origin: Option<&'static str>, fail_page: Option<usize>) -> FaultServer {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let s = FaultServer::start(move |r: &Received| {
        let q = r.query_pairs();
        let token: usize = q
            .iter()
            .find(|(k, _)| k == "$skiptoken")
            .map_or(0, |(_, v)| v.parse().unwrap());
        if Some(token / 3) == fail_page {
            return Reply::graph_error(500, "generalException", None);
        }
        let end = (token + 3).min(7);
        let value: Vec<_> = (token..end)
            .map(|i| json!({ "index": i, "values": [[i]] }))
            .collect();
        let mut body = json!({ "value": value });
        if end < 7 {
            let origin = next_origin
                .map(str::to_string)
                .unwrap_or_else(|| b.get().unwrap().clone());
            body["@odata.nextLink"] = json!(format!(
                "{origin}{}?$select=index&$skiptoken={end}",
                r.path()
            ));
        }
        Reply::json(200, body)
    })
    .await;
    base.set(s.base_url()).unwrap();
    s
}

fn client(s: &FaultServer) -> Client {
    Client::builder()
        .bearer("tok")
        .base_url(s.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn items_follow_next_link_across_pages() {
    let s = server(None, None).await;
    let c = client(&s);
    let got: Vec<Row> = rows(&c)
        .select(&["index"])
        .top(100)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|r| r.index).collect::<Vec<_>>(),
        (0..7).collect::<Vec<_>>()
    );
    let reqs = s.received();
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        reqs[0].target,
        format!("{WB}/tables/T1/rows?$select=index&$top=100")
    );
    assert_eq!(
        reqs[1].target,
        format!("{WB}/tables/T1/rows?$select=index&$skiptoken=3")
    );
    assert!(reqs
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok")));
}

#[tokio::test]
async fn pages_are_yielded_lazily() {
    let s = server(None, None).await;
    let c = client(&s);
    let mut pages = Box::pin(rows(&c).pages());
    assert_eq!(pages.next().await.unwrap().unwrap().len(), 3);
    assert_eq!(
        s.count(),
        1,
        "the second page is fetched only when asked for"
    );
    let rest: Vec<Vec<Row>> = pages.try_collect().await.unwrap();
    assert_eq!(rest.iter().map(Vec::len).collect::<Vec<_>>(), [3, 1]);
}

#[tokio::test]
async fn error_mid_stream_ends_it_with_the_error() {
    let s = server(None, Some(1)).await;
    let c = client(&s);
    let all: Vec<Result<Row, Error>> = rows(&c).items().collect().await;
    assert_eq!(all.len(), 4);
    assert!(all[..3].iter().all(Result::is_ok));
    assert_eq!(all[3].as_ref().unwrap_err().status(), Some(500));
    assert_eq!(s.count(), 2);
}

#[tokio::test]
async fn next_link_to_another_origin_is_not_followed() {
    let s = server(Some("https://attacker.example/v1.0"), None).await;
    let c = client(&s);
    let all: Vec<Result<Row, Error>> = rows(&c).items().collect().await;
    assert_eq!(all.len(), 4);
    assert!(matches!(&all[3], Err(Error::InvalidInput(m)) if m.contains("attacker.example")));
    assert_eq!(s.count(), 1);
}

#[tokio::test]
async fn all_query_options_encode() {
    let s = server(None, None).await;
    let c = client(&s);
    let call = rows(&c)
        .select(&["index", "values"])
        .filter("name eq 'O''Brien & Co'")
        .orderby("index desc")
        .expand("columns")
        .skip(2)
        .top(5)
        .top(3);
    assert_eq!(
        call.request().query,
        [
            ("$select", "index,values"),
            ("$filter", "name eq 'O''Brien & Co'"),
            ("$orderby", "index desc"),
            ("$expand", "columns"),
            ("$skip", "2"),
            ("$top", "3"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    call.pages().next().await.unwrap().unwrap();
    let q = s.received()[0].query_pairs();
    assert_eq!(
        q[1],
        ("$filter".to_string(), "name eq 'O''Brien & Co'".to_string())
    );
    assert_eq!(q.len(), 6);
}
