//! Long-running operations (202 + Location): polling statuses, Retry-After, poll interval,
//! deadline, failure, fetching the resource; createSession with `Prefer: respond-async`.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use fault_server::{FaultServer, Received, RecordingSleeper, Reply, WB};
use graph_workbook::lro::{self, LroOptions};
use graph_workbook::node::NodeType;
use graph_workbook::session::{Session, SessionOptions, SESSION_HEADER};
use graph_workbook::v1::WorkbookSessionInfo;
use graph_workbook::Error;
use serde_json::{json, Value};

/// A server whose createSession answers 202 and whose operation goes through `statuses`
/// (each poll one entry, the last repeated), with an optional Retry-After per poll.
async fn lro_server(
    statuses: Vec<(&'static str, Option<&'static str>)>,
) -> (FaultServer, Arc<OnceLock<String>>) {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let polls = AtomicUsize::new(0);
    let server = FaultServer::start(move |r: &Received| {
        let base = b.get().cloned().unwrap_or_default();
        let path = r.path();
        if path.ends_with("/createSession") {
            if r.header("prefer") == Some("respond-async") {
                return Reply::status(202)
                    .header("Location", &format!("{base}{WB}/operations/op-1"))
                    .header("Retry-After", "1");
            }
            return Reply::json(201, json!({ "id": "sync-session", "persistChanges": true }));
        }
        if path.ends_with("/operations/op-1") {
            let i = polls.fetch_add(1, Ordering::SeqCst).min(statuses.len() - 1);
            let (status, retry_after) = statuses[i];
            let mut body = json!({ "id": "op-1", "status": status });
            if status == "succeeded" {
                body["resourceLocation"] = json!(format!("{base}{WB}/sessionInfoResource(key='k%201')"));
            }
            if status == "failed" {
                body["error"] = json!({ "code": "internalServerError", "message": "The workbook cannot be opened." });
            }
            let reply = Reply::json(200, body);
            return match retry_after {
                Some(s) => reply.header("Retry-After", s),
                None => reply,
            };
        }
        if path.ends_with("/sessionInfoResource(key='k%201')") {
            return Reply::json(200, json!({ "id": "async-session", "persistChanges": false }));
        }
        Reply::graph_error(404, "itemNotFound", None)
    })
    .await;
    base.set(server.base_url()).unwrap();
    (server, base)
}

fn opts(sleeper: Arc<RecordingSleeper>) -> LroOptions {
    LroOptions::default()
        .poll_interval(Duration::from_millis(500))
        .deadline(Duration::from_secs(60))
        .sleeper(sleeper)
}

/// `Session::create` (persistent, `Prefer: respond-async`) on the server's workbook.
async fn create_async(
    server: &FaultServer,
    lro: LroOptions,
) -> graph_workbook::Result<Session<graph_workbook::v1::Workbook>> {
    let opts = SessionOptions::persistent().respond_async(lro);
    Session::create(&server.workbook(), opts).await
}

#[tokio::test]
async fn create_session_respond_async_polls_then_fetches_session() {
    let (server, _) = lro_server(vec![
        ("notStarted", None),
        ("running", Some("4")),
        ("running", None),
        ("succeeded", None),
    ])
    .await;
    let book = server.workbook();
    let sleeper = RecordingSleeper::new();
    let session = Session::create(
        &book,
        SessionOptions::non_persistent().respond_async(opts(sleeper.clone())),
    )
    .await
    .unwrap();
    assert_eq!(session.id(), "async-session");
    assert!(!session.persist_changes());

    let got = server.received();
    let paths: Vec<_> = got
        .iter()
        .map(|r| (r.method.as_str(), r.path().trim_start_matches(WB)))
        .collect();
    assert_eq!(
        paths,
        [
            ("POST", "/createSession"),
            ("GET", "/operations/op-1"),
            ("GET", "/operations/op-1"),
            ("GET", "/operations/op-1"),
            ("GET", "/operations/op-1"),
            ("GET", "/sessionInfoResource(key='k%201')"),
        ]
    );
    assert_eq!(got[0].header("prefer"), Some("respond-async"));
    assert!(got[1..]
        .iter()
        .all(|r| r.header("prefer").is_none() && r.header(SESSION_HEADER).is_none()));
    // 202's Retry-After: 1 s; then the interval; then the poll's Retry-After: 4 s; interval.
    assert_eq!(
        sleeper.delays(),
        [1000, 500, 4000, 500].map(Duration::from_millis)
    );

    // The handle works like a synchronously created one.
    assert_eq!(
        session.workbook().node().headers(),
        [(SESSION_HEADER.to_string(), "async-session".to_string())]
    );
}

#[tokio::test]
async fn respond_async_answered_synchronously_still_works() {
    let (server, _) = lro_server(vec![("succeeded", None)]).await;
    // A plain 201 (server chose not to go async): no polling.
    let c = server.client();
    let info = WorkbookSessionInfo {
        persist_changes: Some(true),
        ..Default::default()
    };
    let req = fault_server::workbook(&c)
        .create_session(&info)
        .into_request();
    let resp = c.execute(&req).await.unwrap();
    let sleeper = RecordingSleeper::new();
    let v: Value = lro::follow(&c, resp, &req, &opts(sleeper.clone()))
        .await
        .unwrap();
    assert_eq!(v["id"], "sync-session");
    assert!(sleeper.delays().is_empty());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn failed_operation_is_a_typed_error() {
    let (server, _) = lro_server(vec![("running", None), ("failed", None)]).await;
    let err = create_async(&server, opts(RecordingSleeper::new()))
        .await
        .unwrap_err();
    let Error::Operation { status, message } = err else {
        panic!("expected Operation, got {err:?}")
    };
    assert_eq!(status, "failed");
    assert!(
        message.contains("internalServerError") && message.contains("cannot be opened"),
        "{message}"
    );
    assert_eq!(server.count(), 3, "no resource fetch after failure");
}

#[tokio::test]
async fn deadline_stops_polling() {
    let (server, _) = lro_server(vec![("running", None)]).await;
    let sleeper = RecordingSleeper::new();
    let o = opts(sleeper.clone()).deadline(Duration::from_secs(3));
    let err = create_async(&server, o).await.unwrap_err();
    let Error::Operation { status, message } = err else {
        panic!("expected Operation, got {err:?}")
    };
    assert_eq!(status, "running");
    assert!(message.contains("deadline"), "{message}");
    // 1 s (202 Retry-After) + 4 x 0.5 s = 3 s: the next wait would pass the deadline.
    assert_eq!(sleeper.delays().len(), 5);
    assert_eq!(server.count(), 1 + 5);
}

#[tokio::test]
async fn retry_after_is_bounded_by_max_wait() {
    let (server, _) = lro_server(vec![("running", Some("3600")), ("succeeded", None)]).await;
    let sleeper = RecordingSleeper::new();
    let o = opts(sleeper.clone()).max_wait(Duration::from_secs(2));
    create_async(&server, o).await.unwrap();
    assert_eq!(sleeper.delays(), [1000, 2000].map(Duration::from_millis));
}

#[tokio::test]
async fn location_on_another_origin_is_refused() {
    let server = FaultServer::start(|_| {
        Reply::status(202).header("Location", "https://elsewhere.example/v1.0/operations/1")
    })
    .await;
    let err = create_async(&server, opts(RecordingSleeper::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("elsewhere.example")),
        "{err:?}"
    );
    assert_eq!(
        server.count(),
        1,
        "the token must not be sent to another origin"
    );
}

/// Any generated call can go through the poller, not only createSession.
#[cfg(feature = "tables")]
#[tokio::test]
async fn any_call_can_follow_a_202() {
    let base: Arc<OnceLock<String>> = Arc::new(OnceLock::new());
    let b = base.clone();
    let polls = AtomicUsize::new(0);
    let server = FaultServer::start(move |r: &Received| {
        let base = b.get().cloned().unwrap_or_default();
        match r.path().trim_start_matches(WB) {
            "/tables/add" if r.header("prefer") == Some("respond-async") => {
                Reply::status(202).header("Location", &format!("{base}{WB}/operations/op-2"))
            }
            "/tables/add" => Reply::json(201, json!({ "id": "T-sync", "name": "Sales" })),
            "/operations/op-2" => {
                if polls.fetch_add(1, Ordering::SeqCst) == 0 {
                    Reply::json(200, json!({ "id": "op-2", "status": "running" }))
                } else {
                    Reply::json(
                        200,
                        json!({ "id": "op-2", "status": "succeeded",
                                 "resourceLocation": format!("{base}{WB}/tables/T9") }),
                    )
                }
            }
            "/tables/T9" => Reply::json(200, json!({ "id": "T9", "name": "Sales", "extra": 1 })),
            _ => Reply::graph_error(404, "itemNotFound", None),
        }
    })
    .await;
    base.set(server.base_url()).unwrap();
    let book = server.workbook();
    let session = Session::from_id(&book, "s-9", true);
    let params = graph_workbook::v1::TableCollectionAddParams {
        address: Some("A1:B2".into()),
        ..graph_workbook::v1::TableCollectionAddParams::new(true)
    };
    let call = || session.workbook().tables().add(&params);
    let sleeper = RecordingSleeper::new();
    let table = lro::send_async(call(), &opts(sleeper.clone()))
        .await
        .unwrap();
    assert_eq!(
        table,
        graph_workbook::v1::WorkbookTable {
            id: Some("T9".into()),
            name: Some("Sales".into()),
            ..Default::default()
        }
    );
    let got = server.received();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].header("prefer"), Some("respond-async"));
    assert!(got[1..].iter().all(|r| r.header("prefer").is_none()));
    assert!(got.iter().all(|r| r.header(SESSION_HEADER) == Some("s-9")));
    assert_eq!(sleeper.delays(), [500, 500].map(Duration::from_millis));

    // Answered synchronously: decoded directly.
    let t = call().send().await.unwrap();
    assert_eq!(t.id.as_deref(), Some("T-sync"));
}
