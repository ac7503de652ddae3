//! `$batch`: request-as-data in, one `POST /$batch` out, typed results per sub-request.

#[path = "support/fault_server.rs"]
mod fault_server;

use fault_server::{FaultServer, Received, Reply, WB};
use graph_workbook::batch::{Batch, MAX_BATCH_REQUESTS};
use graph_workbook::node::NodeType;
use graph_workbook::session::{Session, SESSION_HEADER};
use graph_workbook::v1::{WorkbookWorksheet, WorksheetCollectionCreateParams};
use graph_workbook::{Error, Method};
use serde_json::{json, Value};

fn create_params(name: &str) -> WorksheetCollectionCreateParams {
    WorksheetCollectionCreateParams {
        name: Some(name.into()),
    }
}

/// Answers a `$batch` like Graph: each sub-request by its URL, responses in reverse order.
fn batch_handler(r: &Received) -> Reply {
    if r.path() != "/$batch" {
        return Reply::graph_error(404, "itemNotFound", None);
    }
    let body = r.json().unwrap();
    let mut out = Vec::new();
    for sub in body["requests"].as_array().unwrap() {
        let id = sub["id"].clone();
        let url = sub["url"].as_str().unwrap();
        let resp = if url.ends_with("/worksheets/Missing") {
            json!({ "id": id, "status": 404, "headers": { "Content-Type": "application/json" },
                    "body": { "error": { "code": "itemNotFound", "message": "no such sheet",
                              "innerError": { "request-id": "sub-rid" } } } })
        } else if url.ends_with("/worksheets/Expired") {
            json!({ "id": id, "status": 404,
                    "body": { "error": { "code": "InvalidSession", "message": "session gone" } } })
        } else if sub["method"] == "DELETE" {
            json!({ "id": id, "status": 204, "headers": {} })
        } else if sub["method"] == "POST" && url.ends_with("/worksheets") {
            json!({ "id": id, "status": 201, "body": { "name": sub["body"]["name"], "position": 9 } })
        } else {
            let name = url.rsplit('/').next().unwrap();
            json!({ "id": id, "status": 200, "body": { "name": name, "position": 1, "extra": true } })
        };
        out.push(resp);
    }
    out.reverse();
    Reply::json(200, json!({ "responses": out }))
}

async fn setup() -> (FaultServer, graph_workbook::v1::Workbook) {
    let server = FaultServer::start(batch_handler).await;
    let book = server.workbook();
    (server, book)
}

#[tokio::test]
async fn batch_wire_format_session_headers_and_depends_on() {
    let (server, book) = setup().await;
    let session = Session::from_id(&book, "sess-42", true);
    let wb = session.workbook();
    let mut batch = Batch::new(book.node().client());
    let add = batch.add(wb.worksheets().create(&create_params("Q1 '24")));
    let get = batch.add(wb.worksheet("Q1 '24").get());
    let plain = batch.add(book.worksheet("Data #2024").get());
    batch.depends_on(&get, &add);
    let responses = batch.send().await.unwrap();

    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].method.as_str(), got[0].path()), ("POST", "/$batch"));
    assert_eq!(got[0].header("authorization"), Some("Bearer tok"));
    let body = got[0].json().unwrap();
    assert_eq!(
        body,
        json!({ "requests": [
            { "id": "1", "method": "POST", "url": format!("{WB}/worksheets"),
              "headers": { SESSION_HEADER: "sess-42", "Content-Type": "application/json" },
              "body": { "name": "Q1 '24" } },
            { "id": "2", "method": "GET", "url": format!("{WB}/worksheets/Q1%20%2724"),
              "headers": { SESSION_HEADER: "sess-42" }, "dependsOn": ["1"] },
            { "id": "3", "method": "GET", "url": format!("{WB}/worksheets/Data%20%232024") },
        ]})
    );

    assert_eq!(
        responses.get(&add).unwrap(),
        WorkbookWorksheet {
            name: Some("Q1 '24".into()),
            position: Some(9),
            ..Default::default()
        }
    );
    assert_eq!(
        responses.get(&get).unwrap().name.as_deref(),
        Some("Q1%20%2724")
    );
    assert_eq!(responses.get(&plain).unwrap().position, Some(1));
}

#[tokio::test]
async fn failed_sub_request_is_an_error_for_that_one_only() {
    let (_server, book) = setup().await;
    let session = Session::from_id(&book, "sess-1", true);
    let mut batch = Batch::new(book.node().client());
    let ok = batch.add(book.worksheet("Sheet1").get());
    let missing = batch.add(book.worksheet("Missing").get());
    let deleted = batch.add(book.worksheet("Old").delete());
    let expired = batch.add(session.workbook().worksheet("Expired").get());
    let r = batch.send().await.unwrap();
    assert_eq!(r.len(), 4);
    assert_eq!(r.get(&ok).unwrap().name.as_deref(), Some("Sheet1"));
    let Err(Error::Graph(g)) = r.get(&missing) else {
        panic!("expected Graph error")
    };
    assert_eq!(
        (g.status, g.code.as_str(), g.request_id.as_deref()),
        (404, "itemNotFound", Some("sub-rid"))
    );
    r.get(&deleted).unwrap();
    assert!(matches!(r.get(&expired), Err(Error::SessionExpired(_))));
    assert_eq!(r.raw(&missing).unwrap().status, 404);
}

#[tokio::test]
async fn more_than_twenty_is_refused_or_split() {
    let (server, book) = setup().await;
    let mut batch = Batch::new(book.node().client());
    let items: Vec<_> = (0..45)
        .map(|i| batch.add(book.worksheet(&format!("S{i}")).get()))
        .collect();
    let err = batch.send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("at most 20") && m.contains("45")),
        "{err}"
    );
    assert_eq!(server.count(), 0);

    let r = batch.send_split().await.unwrap();
    let sizes: Vec<usize> = server
        .received()
        .iter()
        .map(|x| x.json().unwrap()["requests"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [MAX_BATCH_REQUESTS, MAX_BATCH_REQUESTS, 5]);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(r.get(item).unwrap().name, Some(format!("S{i}")));
    }
}

#[tokio::test]
async fn split_refuses_dependencies_across_chunks_and_bad_batches() {
    let (server, book) = setup().await;
    let mut batch = Batch::new(book.node().client());
    let first = batch.add(book.worksheet("A").get());
    let mut last = None;
    for i in 0..21 {
        last = Some(batch.add(book.worksheet(&format!("S{i}")).get()));
    }
    batch.depends_on(last.as_ref().unwrap(), &first);
    let err = batch.send_split().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("another chunk")),
        "{err}"
    );
    assert!(matches!(
        Batch::new(book.node().client()).send().await,
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn to_request_is_data_only() {
    let (server, book) = setup().await;
    let mut batch = Batch::new(book.node().client());
    batch.add(book.worksheet("A").get());
    let req = batch.to_request().unwrap();
    assert_eq!((req.method, req.path.as_str()), (Method::Post, "/$batch"));
    assert_eq!(
        req.json_body().unwrap().unwrap()["requests"][0]["url"],
        Value::String(format!("{WB}/worksheets/A"))
    );
    assert_eq!(server.count(), 0);
}

/// Sub-request "B" is throttled `throttle_times` times; "C" depends on it (424 while B fails).
async fn throttling_server(throttle_times: usize) -> FaultServer {
    let seen = std::sync::atomic::AtomicUsize::new(0);
    FaultServer::start(move |r: &Received| {
        let body = r.json().unwrap();
        let round = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let throttled = round < throttle_times;
        let out: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|sub| {
                let id = sub["id"].clone();
                let name = sub["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
                match name.as_str() {
                    "B" if throttled => json!({ "id": id, "status": 429, "headers": { "Retry-After": "1" },
                        "body": { "error": { "code": "tooManyRequests", "message": "slow down",
                                  "innerError": { "code": "tooManyRequestsUncategorized" } } } }),
                    "C" if throttled => json!({ "id": id, "status": 424,
                        "body": { "error": { "code": "failedDependency", "message": "dependency failed" } } }),
                    "Missing" => json!({ "id": id, "status": 404,
                        "body": { "error": { "code": "itemNotFound", "message": "no" } } }),
                    _ => json!({ "id": id, "status": 200, "body": { "name": name, "position": round } }),
                }
            })
            .collect();
        Reply::json(200, json!({ "responses": out }))
    })
    .await
}

/// A [`throttling_server`], and its workbook through a client that retries up to 3 times
/// without jitter, recording the delays it asks for.
async fn throttled(
    throttle_times: usize,
) -> (
    FaultServer,
    std::sync::Arc<fault_server::RecordingSleeper>,
    graph_workbook::v1::Workbook,
) {
    let server = throttling_server(throttle_times).await;
    let sleeper = fault_server::RecordingSleeper::new();
    let policy = graph_workbook::retry::RetryPolicy::default()
        .max_attempts(3)
        .jitter(0.0)
        .sleeper(sleeper.clone());
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();
    let book = fault_server::workbook(&client);
    (server, sleeper, book)
}

#[tokio::test]
async fn throttled_sub_requests_and_their_dependents_are_resent_alone() {
    let (server, sleeper, book) = throttled(1).await;
    let mut batch = Batch::new(book.node().client());
    let a = batch.add(book.worksheet("A").get());
    let b = batch.add(book.worksheet("B").get());
    let c = batch.add(book.worksheet("C").get());
    let missing = batch.add(book.worksheet("Missing").get());
    batch.depends_on(&c, &b);
    batch.depends_on(&c, &a);
    let r = batch.send().await.unwrap();

    let posts: Vec<Value> = server
        .received()
        .iter()
        .map(|x| x.json().unwrap()["requests"].clone())
        .collect();
    assert_eq!(posts.len(), 2);
    let ids = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&posts[0]), ["1", "2", "3", "4"]);
    assert_eq!(
        ids(&posts[1]),
        ["2", "3"],
        "only the throttled one and its dependent are resent"
    );
    assert_eq!(
        posts[1][1]["dependsOn"],
        json!(["2"]),
        "the satisfied dependency on 1 is dropped"
    );
    assert_eq!(sleeper.delays(), [std::time::Duration::from_secs(1)]);

    assert_eq!(r.get(&a).unwrap().position, Some(0));
    assert_eq!(r.get(&b).unwrap().position, Some(1));
    assert_eq!(r.get(&c).unwrap().position, Some(1));
    assert_eq!(r.get(&missing).unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn sub_request_retries_are_bounded_by_the_policy() {
    let (server, sleeper, book) = throttled(usize::MAX).await;
    let mut batch = Batch::new(book.node().client());
    let a = batch.add(book.worksheet("A").get());
    let b = batch.add(book.worksheet("B").get());
    let r = batch.send().await.unwrap();
    assert_eq!(server.count(), 3);
    assert_eq!(sleeper.delays().len(), 2);
    assert_eq!(r.get(&a).unwrap().position, Some(0), "A is not resent");
    let Err(Error::Graph(g)) = r.get(&b) else {
        panic!("expected the 429")
    };
    assert_eq!(
        (g.status, g.inner_code.as_deref()),
        (429, Some("tooManyRequestsUncategorized"))
    );
}
