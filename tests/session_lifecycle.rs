//! Workbook sessions against a real server on 127.0.0.1: create (persistent or not), the
//! session header on every call made through the handle (the generated API's calls),
//! refresh, close, typed errors for closed and expired sessions, background keep-alive.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::time::Duration;

use fault_server::{FaultServer, Received, Reply, WB};
use graph_workbook::batch::Batch;
use graph_workbook::node::NodeType;
use graph_workbook::session::{Session, SessionOptions, SESSION_HEADER};
use graph_workbook::{Error, Method};
use serde_json::json;

fn handler(r: &Received) -> Reply {
    let path = r.path().to_string();
    let session = r.header(SESSION_HEADER).map(str::to_string);
    if path.ends_with("/createSession") {
        let persist = r
            .json()
            .and_then(|b| b["persistChanges"].as_bool())
            .unwrap_or(false);
        return Reply::json(
            201,
            json!({ "id": if persist { "sess-p" } else { "sess-t" }, "persistChanges": persist }),
        );
    }
    if session.as_deref() == Some("gone") || path.ends_with("/gone") {
        return Reply::graph_error(404, "InvalidSession", Some("invalidSessionReCreatable"));
    }
    if path.ends_with("/refreshSession") || path.ends_with("/closeSession") {
        return if session.is_some() {
            Reply::status(204)
        } else {
            Reply::graph_error(400, "invalidRequest", None)
        };
    }
    if path.ends_with("/worksheets") {
        // The sheet's id echoes the session header the request carried (null without one).
        return Reply::json(
            200,
            json!({ "value": [{ "name": "Sheet1", "id": session }] }),
        );
    }
    Reply::graph_error(404, "itemNotFound", None)
}

async fn setup() -> (FaultServer, graph_workbook::v1::Workbook) {
    let server = FaultServer::start(handler).await;
    let book = server.workbook();
    (server, book)
}

fn session_of(r: &Received) -> Option<&str> {
    r.header(SESSION_HEADER)
}

#[tokio::test]
async fn create_persistent_and_use_handle() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::persistent())
        .await
        .unwrap();
    assert_eq!(session.id(), "sess-p");
    assert!(session.persist_changes());
    let create = &server.received()[0];
    assert_eq!(
        (create.method.as_str(), create.path()),
        ("POST", "/me/drive/items/01AB/workbook/createSession")
    );
    assert_eq!(create.json().unwrap(), json!({ "persistChanges": true }));
    assert_eq!(session_of(create), None);

    // Generated calls through the handle carry the header; the plain book does not.
    let sheets = session.workbook().worksheets().list().send().await.unwrap();
    assert_eq!(sheets[0].id.as_deref(), Some("sess-p"));
    assert_eq!(
        session.workbook().worksheets().list().request().headers,
        vec![(SESSION_HEADER.to_string(), "sess-p".to_string())]
    );
    let plain = book.worksheets().list().send().await.unwrap();
    assert_eq!(plain[0].id, None);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn non_persistent_refresh_close() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::non_persistent())
        .await
        .unwrap();
    assert_eq!(session.id(), "sess-t");
    assert!(!session.persist_changes());
    assert_eq!(
        server.received()[0].json().unwrap(),
        json!({ "persistChanges": false })
    );

    session.refresh().await.unwrap();
    session.close().await.unwrap();
    let got = server.received();
    assert_eq!(got.len(), 3);
    for (r, verb) in got[1..].iter().zip(["refreshSession", "closeSession"]) {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), format!("{WB}/{verb}"));
        assert_eq!(session_of(r), Some("sess-t"));
    }
    assert!(session.is_closed());
}

#[tokio::test]
async fn closed_session_gives_typed_error_without_request() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::persistent())
        .await
        .unwrap();
    let handle = session.workbook().clone();
    session.close().await.unwrap();
    let before = server.count();

    assert!(matches!(session.close().await, Err(Error::SessionClosed)));
    assert!(matches!(session.refresh().await, Err(Error::SessionClosed)));
    assert!(matches!(
        handle.worksheets().list().send().await,
        Err(Error::SessionClosed)
    ));
    assert!(matches!(
        handle.worksheets().list().await,
        Err(Error::SessionClosed)
    ));
    let mut batch = Batch::new(book.node().client());
    batch.add(handle.worksheets().list());
    assert!(matches!(batch.send().await, Err(Error::SessionClosed)));
    assert_eq!(
        server.count(),
        before,
        "nothing may be sent for a closed session"
    );

    // Outside the session everything still works.
    book.worksheets().list().send().await.unwrap();
}

#[tokio::test]
async fn expired_session_is_a_distinct_error() {
    let (_server, book) = setup().await;
    let session = Session::from_id(&book, "gone", true);
    let err = session
        .workbook()
        .worksheets()
        .list()
        .send()
        .await
        .unwrap_err();
    let Error::SessionExpired(g) = err else {
        panic!("expected SessionExpired, got {err:?}")
    };
    assert_eq!(g.status, 404);
    assert!(g.is_session_expired());
    assert!(matches!(
        session.refresh().await,
        Err(Error::SessionExpired(_))
    ));
    // The same error body without a session header is a plain Graph error.
    let req = graph_workbook::Request {
        method: Method::Get,
        path: format!("{WB}/gone"),
        query: vec![],
        headers: vec![],
        body: None,
        operation: "test",
        template: "/test",
    };
    let err = book.node().client().execute(&req).await.unwrap_err();
    assert!(matches!(err, Error::Graph(_)), "{err:?}");
}

async fn wait_for(server: &FaultServer, verb: &str, n: usize) -> usize {
    for _ in 0..500 {
        let c = count(server, verb);
        if c >= n {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("fewer than {n} {verb} requests after 5 s");
}

fn count(server: &FaultServer, verb: &str) -> usize {
    server
        .received()
        .iter()
        .filter(|r| r.path().ends_with(verb))
        .count()
}

/// Fails if refreshes go on: lets one in flight land, then waits several intervals more.
async fn assert_no_more_refreshes(server: &FaultServer, after: &str) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    let settled = count(server, "/refreshSession");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        count(server, "/refreshSession"),
        settled,
        "keep-alive still running after {after}"
    );
}

#[tokio::test]
async fn keep_alive_refreshes_until_close() {
    let (server, book) = setup().await;
    let opts = SessionOptions::persistent().keep_alive(Duration::from_millis(20));
    let session = Session::create(&book, opts).await.unwrap();
    assert!(session.keep_alive_running());
    wait_for(&server, "/refreshSession", 3).await;
    for r in server
        .received()
        .iter()
        .filter(|r| r.path().ends_with("/refreshSession"))
    {
        assert_eq!(session_of(r), Some("sess-p"));
    }
    session.close().await.unwrap();
    assert!(!session.keep_alive_running());
    assert_no_more_refreshes(&server, "close").await;
}

#[tokio::test]
async fn keep_alive_stops_on_drop() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::persistent())
        .await
        .unwrap();
    session.start_keep_alive(Duration::from_millis(20)).unwrap();
    wait_for(&server, "/refreshSession", 2).await;
    drop(session);
    assert_no_more_refreshes(&server, "drop").await;
}

/// The handle is the generated workbook node plus the session header; the book it came from
/// is left without one.
#[tokio::test]
async fn generated_workbook_node_gets_a_session() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::persistent())
        .await
        .unwrap();
    assert_eq!(server.received()[0].path(), format!("{WB}/createSession"));
    assert_eq!(
        session.workbook().node().headers(),
        [(SESSION_HEADER.to_string(), "sess-p".to_string())]
    );
    assert!(book.node().headers().is_empty());
    session.close().await.unwrap();
    assert_eq!(server.received()[1].path(), format!("{WB}/closeSession"));
}

#[tokio::test]
async fn keep_alive_stops_when_graph_reports_the_session_expired() {
    let (server, book) = setup().await;
    let session = Session::from_id(&book, "gone", true);
    session.start_keep_alive(Duration::from_millis(10)).unwrap();
    wait_for(&server, "/refreshSession", 1).await;
    for _ in 0..500 {
        if !session.keep_alive_running() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !session.keep_alive_running(),
        "keep-alive must stop on SessionExpired"
    );
    assert_eq!(count(&server, "/refreshSession"), 1);
}

#[tokio::test]
async fn keep_alive_rejects_bad_use() {
    let (server, book) = setup().await;
    let session = Session::create(&book, SessionOptions::persistent())
        .await
        .unwrap();
    assert!(matches!(
        session.start_keep_alive(Duration::ZERO),
        Err(Error::InvalidInput(_))
    ));
    session.close().await.unwrap();
    assert!(matches!(
        session.start_keep_alive(Duration::from_secs(1)),
        Err(Error::SessionClosed)
    ));
    assert!(!session.keep_alive_running());
    assert_eq!(server.count(), 2);
}
