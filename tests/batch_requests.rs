//! `$batch`: request-as-data in, one `POST /$batch` out, typed results per sub-request.

#[path = "support/fault_server.rs"]
mod fault_server;

use fault_server::{FaultServer, Received, Reply};
use graph_workbook::batch::{Batch, MAX_BATCH_REQUESTS};
use graph_workbook::call::Call;
use graph_workbook::node::{Arg, Node, NodeType, Op, Shape};
use graph_workbook::session::{Session, SESSION_HEADER};
use graph_workbook::{Client, Error, Method};
use serde_json::{json, Value};

const WB: &str = "/me/drive/items/01AB/workbook";

#[derive(Clone, Debug)]
struct Book(Node);
impl NodeType for Book {
    fn from_node(node: Node) -> Self {
        Book(node)
    }
    fn node(&self) -> &Node {
        &self.0
    }
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Worksheet {
    name: String,
    position: i64,
}

static GET_WORKSHEET: Op = Op {
    id: "worksheet.get",
    method: Method::Get,
    templates: &[("/workbook/worksheets/{}", "/workbook/worksheets/{id|name}")],
    shape: Shape::Json,
    headers: &[],
};
static ADD_WORKSHEET: Op = Op {
    id: "worksheetCollection.add",
    method: Method::Post,
    templates: &[("/workbook/worksheets/add", "/workbook/worksheets/add")],
    shape: Shape::Json,
    headers: &[],
};
static DELETE_WORKSHEET: Op = Op {
    id: "worksheet.delete",
    method: Method::Delete,
    templates: &[("/workbook/worksheets/{}", "/workbook/worksheets/{id|name}")],
    shape: Shape::Empty,
    headers: &[],
};

impl Book {
    fn worksheet(&self, name: &str) -> Node {
        self.0.key(Some("worksheets"), Arg::Str(name))
    }
    fn get_sheet(&self, name: &str) -> Call<Worksheet> {
        self.worksheet(name).op(&GET_WORKSHEET, None, None)
    }
    fn add_sheet(&self, name: &str) -> Call<Worksheet> {
        self.0.nav("worksheets").op(
            &ADD_WORKSHEET,
            Some(("add", &[])),
            Some(graph_workbook::node::to_body(&json!({ "name": name }))),
        )
    }
    fn delete_sheet(&self, name: &str) -> Call<()> {
        self.worksheet(name).op(&DELETE_WORKSHEET, None, None)
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
        } else if url.ends_with("/worksheets/add") {
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

async fn setup() -> (FaultServer, Book) {
    let server = FaultServer::start(batch_handler).await;
    let client = Client::builder()
        .bearer("tok")
        .base_url(server.base_url())
        .build()
        .unwrap();
    (
        server,
        Book(Node::at(client, WB.into(), "/workbook".into())),
    )
}

#[tokio::test]
async fn batch_wire_format_session_headers_and_depends_on() {
    let (server, book) = setup().await;
    let session = Session::from_id(&book, "sess-42", true);
    let wb = session.workbook();
    let mut batch = Batch::new(book.0.client());
    let add = batch.add(wb.add_sheet("Q1 '24"));
    let get = batch.add(wb.get_sheet("Q1 '24"));
    let plain = batch.add(book.get_sheet("Data/2024"));
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
            { "id": "1", "method": "POST", "url": format!("{WB}/worksheets/add"),
              "headers": { SESSION_HEADER: "sess-42", "Content-Type": "application/json" },
              "body": { "name": "Q1 '24" } },
            { "id": "2", "method": "GET", "url": format!("{WB}/worksheets/Q1%20%2724"),
              "headers": { SESSION_HEADER: "sess-42" }, "dependsOn": ["1"] },
            { "id": "3", "method": "GET", "url": format!("{WB}/worksheets/Data%2F2024") },
        ]})
    );

    assert_eq!(
        responses.get(&add).unwrap(),
        Worksheet {
            name: "Q1 '24".into(),
            position: 9
        }
    );
    assert_eq!(responses.get(&get).unwrap().name, "Q1%20%2724");
    assert_eq!(responses.get(&plain).unwrap().position, 1);
}

#[tokio::test]
async fn failed_sub_request_is_an_error_for_that_one_only() {
    let (_server, book) = setup().await;
    let session = Session::from_id(&book, "sess-1", true);
    let mut batch = Batch::new(book.0.client());
    let ok = batch.add(book.get_sheet("Sheet1"));
    let missing = batch.add(book.get_sheet("Missing"));
    let deleted = batch.add(book.delete_sheet("Old"));
    let expired = batch.add(session.workbook().get_sheet("Expired"));
    let r = batch.send().await.unwrap();
    assert_eq!(r.len(), 4);
    assert_eq!(r.get(&ok).unwrap().name, "Sheet1");
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
    let mut batch = Batch::new(book.0.client());
    let items: Vec<_> = (0..45)
        .map(|i| batch.add(book.get_sheet(&format!("S{i}"))))
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
        assert_eq!(r.get(item).unwrap().name, format!("S{i}"));
    }
}

#[tokio::test]
async fn split_refuses_dependencies_across_chunks_and_bad_batches() {
    let (server, book) = setup().await;
    let mut batch = Batch::new(book.0.client());
    let first = batch.add(book.get_sheet("A"));
    let mut last = None;
    for i in 0..21 {
        last = Some(batch.add(book.get_sheet(&format!("S{i}"))));
    }
    batch.depends_on(last.as_ref().unwrap(), &first);
    let err = batch.send_split().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("another chunk")),
        "{err}"
    );
    assert!(matches!(
        Batch::new(book.0.client()).send().await,
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn to_request_is_data_only() {
    let (server, book) = setup().await;
    let mut batch = Batch::new(book.0.client());
    batch.add(book.get_sheet("A"));
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

fn throttle_client(
    server: &FaultServer,
    sleeper: std::sync::Arc<fault_server::RecordingSleeper>,
) -> Client {
    let policy = graph_workbook::retry::RetryPolicy::default()
        .max_attempts(3)
        .jitter(0.0)
        .sleeper(sleeper);
    Client::builder()
        .bearer("tok")
        .base_url(server.base_url())
        .retry_policy(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn throttled_sub_requests_and_their_dependents_are_resent_alone() {
    let server = throttling_server(1).await;
    let sleeper = fault_server::RecordingSleeper::new();
    let client = throttle_client(&server, sleeper.clone());
    let book = Book(Node::at(client.clone(), WB.into(), "/workbook".into()));
    let mut batch = Batch::new(&client);
    let a = batch.add(book.get_sheet("A"));
    let b = batch.add(book.get_sheet("B"));
    let c = batch.add(book.get_sheet("C"));
    let missing = batch.add(book.get_sheet("Missing"));
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

    assert_eq!(r.get(&a).unwrap().position, 0);
    assert_eq!(r.get(&b).unwrap().position, 1);
    assert_eq!(r.get(&c).unwrap().position, 1);
    assert_eq!(r.get(&missing).unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn sub_request_retries_are_bounded_by_the_policy() {
    let server = throttling_server(usize::MAX).await;
    let sleeper = fault_server::RecordingSleeper::new();
    let client = throttle_client(&server, sleeper.clone());
    let book = Book(Node::at(client.clone(), WB.into(), "/workbook".into()));
    let mut batch = Batch::new(&client);
    let a = batch.add(book.get_sheet("A"));
    let b = batch.add(book.get_sheet("B"));
    let r = batch.send().await.unwrap();
    assert_eq!(server.count(), 3);
    assert_eq!(sleeper.delays().len(), 2);
    assert_eq!(r.get(&a).unwrap().position, 0, "A is not resent");
    let Err(Error::Graph(g)) = r.get(&b) else {
        panic!("expected the 429")
    };
    assert_eq!(
        (g.status, g.inner_code.as_deref()),
        (429, Some("tooManyRequestsUncategorized"))
    );
}
