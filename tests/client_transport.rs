//! `Client::execute` against a real HTTP server on 127.0.0.1: authentication, headers and
//! bodies on the wire, error mapping, timeouts, base URL override, redaction.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graph_workbook::retry::RetryPolicy;
use graph_workbook::{token_fn, Client, Error, Method, Request, StaticToken};
use serde_json::json;
use support::{Reply, TestServer};

fn req(method: Method, path: &str) -> Request {
    Request {
        method,
        path: path.into(),
        query: vec![],
        headers: vec![],
        body: None,
        operation: "test",
        template: "/test",
    }
}

/// One attempt per call (the retry layer has its own tests), so each error shows unchanged.
fn client(server: &TestServer) -> Client {
    Client::builder()
        .bearer("static-token")
        .retry_policy(RetryPolicy::disabled())
        .base_url(format!("{}/v1.0", server.url()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn static_token_and_request_headers_on_the_wire() {
    let server = TestServer::always(Reply::json(
        201,
        json!({"id": "s1", "persistChanges": true}),
    ))
    .await;
    let client = Client::builder()
        .token_provider(StaticToken::new("abc.def"))
        .base_url(format!("{}/v1.0", server.url()))
        .user_agent("quick-test/1.0")
        .build()
        .unwrap();
    let mut r = req(Method::Post, "/me/drive/items/01/workbook/createSession");
    r.set_json_body(&json!({"persistChanges": true})).unwrap();
    r.headers = vec![("Prefer".into(), "respond-async".into())];
    let resp = client.execute(&r).await.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(resp.json::<serde_json::Value>().unwrap()["id"], "s1");
    assert_eq!(resp.header("content-type"), Some("application/json"));

    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1.0/me/drive/items/01/workbook/createSession");
    assert_eq!(seen.header("authorization"), Some("Bearer abc.def"));
    assert_eq!(seen.header_all("authorization").len(), 1);
    assert_eq!(seen.header("prefer"), Some("respond-async"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("user-agent"), Some("quick-test/1.0"));
    assert_eq!(seen.json(), Some(json!({"persistChanges": true})));
}

#[tokio::test]
async fn body_less_post_sends_zero_length_and_get_sends_no_body() {
    let server = TestServer::always(Reply::empty(204)).await;
    let client = client(&server);
    let resp = client
        .execute(&req(Method::Post, "/w/closeSession"))
        .await
        .unwrap();
    assert_eq!(resp.status, 204);
    assert!(resp.body.is_empty());
    assert_eq!(server.last().header_all("content-length"), ["0"]);
    assert_eq!(server.last().header("content-type"), None);
    client.execute(&req(Method::Get, "/w")).await.unwrap();
    assert!(server.last().body.is_empty());
    assert!(server
        .last()
        .header("user-agent")
        .unwrap()
        .starts_with("graph-workbook/"));
}

#[tokio::test]
async fn refreshing_provider_is_asked_per_request() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let client = Client::builder()
        .token_provider(token_fn(move || {
            let n = c.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, std::io::Error>(format!("token-{n}")) }
        }))
        .base_url(server.url())
        .build()
        .unwrap();
    for _ in 0..3 {
        client.execute(&req(Method::Get, "/me")).await.unwrap();
    }
    // A clone shares the provider (and the connection pool).
    client
        .clone()
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap();
    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(
        tokens,
        [
            "Bearer token-1",
            "Bearer token-2",
            "Bearer token-3",
            "Bearer token-4"
        ]
    );
    let conns: std::collections::BTreeSet<_> =
        server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(
        conns.len(),
        1,
        "sequential requests reuse one pooled connection"
    );
}

#[tokio::test]
async fn provider_failure_is_auth_error_and_nothing_is_sent() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let client = Client::builder()
        .token_provider(token_fn(|| async {
            Err::<String, _>("credential expired")
        }))
        .base_url(server.url())
        .build()
        .unwrap();
    match client.execute(&req(Method::Get, "/me")).await {
        Err(Error::Auth(m)) => assert_eq!(m, "credential expired"),
        other => panic!("{other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn graph_error_body_maps_every_field() {
    let server = TestServer::always(
        Reply::graph_error(
            409,
            "conflict",
            "The workbook is locked",
            json!({
                "code": "editModeCannotAcquireLock",
                "request-id": "rid-1",
                "date": "2026-11-27T15:00:00",
                "innerError": {"code": "lockedByAnotherSession", "message": "deeper"}
            }),
        )
        .with_header("request-id", "rid-header"),
    )
    .await;
    let err = client(&server)
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap_err();
    let Error::Graph(g) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(g.status, 409);
    assert_eq!(g.code, "conflict");
    assert_eq!(g.message, "The workbook is locked");
    assert_eq!(
        g.inner_code.as_deref(),
        Some("lockedByAnotherSession"),
        "innermost code"
    );
    assert_eq!(g.request_id.as_deref(), Some("rid-1"));
    assert_eq!(g.date.as_deref(), Some("2026-11-27T15:00:00"));
    assert_eq!(err.status(), Some(409));
    let shown = err.to_string();
    assert!(
        shown.contains("409") && shown.contains("conflict") && shown.contains("rid-1"),
        "{shown}"
    );
    let _: &dyn std::error::Error = &err;
}

#[tokio::test]
async fn request_id_and_date_fall_back_to_headers() {
    let server = TestServer::always(
        Reply::json(
            404,
            json!({"error": {"code": "itemNotFound", "message": "gone"}}),
        )
        .with_header("request-id", "rid-h")
        .with_header("date", "Fri, 27 Nov 2026 15:00:00 GMT"),
    )
    .await;
    let err = client(&server)
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap_err();
    let g = err.graph().expect("graph error");
    assert_eq!(
        (g.status, g.code.as_str(), g.inner_code.as_deref()),
        (404, "itemNotFound", None)
    );
    assert_eq!(g.request_id.as_deref(), Some("rid-h"));
    assert_eq!(g.date.as_deref(), Some("Fri, 27 Nov 2026 15:00:00 GMT"));
}

#[tokio::test]
async fn non_json_error_body_keeps_an_excerpt() {
    let server =
        TestServer::always(Reply::text(502, "text/html", "<html>upstream died</html>")).await;
    let err = client(&server)
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap_err();
    let g = err.graph().expect("graph error");
    assert_eq!(g.status, 502);
    assert_eq!(g.code, "");
    assert!(
        g.message.contains("<html>upstream died</html>"),
        "{}",
        g.message
    );
}

#[tokio::test]
async fn expired_session_is_its_own_variant_only_inside_a_session() {
    let server = TestServer::always(Reply::graph_error(
        404,
        "itemNotFound",
        "session gone",
        json!({"code": "invalidSessionReCreatable"}),
    ))
    .await;
    let client = client(&server);
    let mut r = req(Method::Get, "/w/worksheets");
    r.headers = vec![("workbook-session-id".into(), "cluster=x&session=y".into())];
    match client.execute(&r).await {
        Err(Error::SessionExpired(g)) => {
            assert_eq!(g.inner_code.as_deref(), Some("invalidSessionReCreatable"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.last().header("workbook-session-id"),
        Some("cluster=x&session=y")
    );
    assert!(matches!(
        client.execute(&req(Method::Get, "/w")).await,
        Err(Error::Graph(_))
    ));
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_with_excerpt() {
    let server =
        TestServer::always(Reply::text(200, "application/json", r#"{"values": [[1, 2"#)).await;
    let resp = client(&server)
        .execute(&req(Method::Get, "/r"))
        .await
        .unwrap();
    match resp.json::<serde_json::Value>() {
        Err(Error::Decode {
            status,
            message,
            excerpt,
        }) => {
            assert_eq!(status, 200);
            assert!(message.contains("EOF"), "{message}");
            assert_eq!(excerpt, r#"{"values": [[1, 2"#);
        }
        other => panic!("{other:?}"),
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Typed {
        id: u32,
    }
    let server = TestServer::always(Reply::json(200, json!({"id": "not a number"}))).await;
    let resp = client(&server)
        .execute(&req(Method::Get, "/r"))
        .await
        .unwrap();
    assert!(matches!(resp.json::<Typed>(), Err(Error::Decode { .. })));
}

#[tokio::test]
async fn dropped_connection_and_refused_connection_are_transport_errors() {
    let server = TestServer::always(Reply::Close).await;
    let err = client(&server)
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());

    let server = TestServer::always(Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"trunc".to_vec(),
    ))
    .await;
    let err = client(&server)
        .execute(&req(Method::Get, "/me"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(_)),
        "truncated body: {err:?}"
    );

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .bearer("t")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert!(matches!(
        client.execute(&req(Method::Get, "/me")).await,
        Err(Error::Transport(_))
    ));
}

#[tokio::test]
async fn slow_response_is_a_timeout() {
    let server =
        TestServer::always(Reply::json(200, json!({})).after(Duration::from_secs(3))).await;
    let client = Client::builder()
        .bearer("t")
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    match client.execute(&req(Method::Get, "/me")).await {
        Err(Error::Timeout { after }) => assert_eq!(after, Duration::from_millis(200)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn base_url_override_keeps_its_path() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    for base in [
        format!("{}/beta/", server.url()),
        format!("{}/x/v1.0", server.url()),
    ] {
        let client = Client::builder()
            .bearer("t")
            .base_url(&base)
            .build()
            .unwrap();
        client
            .execute(&req(Method::Get, "/me/drive/items/1/workbook"))
            .await
            .unwrap();
        let want = format!(
            "{}/me/drive/items/1/workbook",
            base.trim_start_matches(&server.url()).trim_end_matches('/')
        );
        assert_eq!(server.last().path, want);
    }
    assert_eq!(
        Client::new("t").unwrap().base_url(),
        "https://graph.microsoft.com/v1.0"
    );
}

#[tokio::test]
async fn debug_never_prints_the_token() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let secret = "eyJ0eXAiOiJKV1QiLCJub25jZSI6InNlY3JldA";
    let client = Client::builder()
        .bearer(secret)
        .base_url(server.url())
        .build()
        .unwrap();
    let builder = Client::builder().bearer(secret);
    let r = req(Method::Get, "/me");
    client.execute(&r).await.unwrap();
    assert_eq!(
        server.last().header("authorization"),
        Some(format!("Bearer {secret}").as_str())
    );
    for shown in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{builder:?}"),
        format!("{r:?}"),
        format!("{:?}", StaticToken::new(secret)),
    ] {
        assert!(
            !shown.contains(secret) && !shown.contains("eyJ0"),
            "{shown}"
        );
    }
    assert!(format!("{client:?}").contains("<redacted>"));
}

#[tokio::test]
async fn requests_may_not_set_authorization() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let mut r = req(Method::Get, "/me");
    r.headers = vec![("Authorization".into(), "Bearer other".into())];
    assert!(matches!(
        client(&server).execute(&r).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(server.requests().is_empty());
}

/// The `Authorization` value is cached per token: a provider that rotates its token is
/// asked on every request and each request carries the token of that moment.
#[tokio::test]
async fn rotating_token_is_sent_as_returned_each_time() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let client = Client::builder()
        .token_provider(token_fn(move || {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            // t0, t0, t1, t1, t0: repeats (cache hits) and changes (misses), and a return.
            let t = ["t0", "t0", "t1", "t1", "t0"][n % 5];
            async move { Ok::<_, std::io::Error>(t.to_string()) }
        }))
        .retry_policy(RetryPolicy::disabled())
        .base_url(server.url())
        .build()
        .unwrap();
    for _ in 0..5 {
        client.execute(&req(Method::Get, "/me")).await.unwrap();
    }
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        sent,
        [
            "Bearer t0",
            "Bearer t0",
            "Bearer t1",
            "Bearer t1",
            "Bearer t0"
        ]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 5);
}

/// A fixed token that cannot be a header value is refused when the client is built,
/// before anything could be sent; a provider's bad token is refused per request.
#[tokio::test]
async fn token_with_newline_is_an_auth_error() {
    match Client::builder().bearer("abc\r\nX-Evil: 1").build() {
        Err(Error::Auth(_)) => {}
        other => panic!("{other:?}"),
    }
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let client = Client::builder()
        .token_provider(token_fn(|| async {
            Ok::<_, std::io::Error>("abc\nX-Evil: 1".to_string())
        }))
        .base_url(server.url())
        .build()
        .unwrap();
    match client.execute(&req(Method::Get, "/me")).await {
        Err(Error::Auth(_)) => {}
        other => panic!("{other:?}"),
    }
    assert!(server.requests().is_empty());
}

/// The client's own reqwest client sends `Accept` and `User-Agent` as defaults; with a
/// caller's reqwest client they are added per request (the builder's user agent is sent, as
/// `ClientBuilder::http_client` documents).
#[tokio::test]
async fn default_headers_with_own_and_caller_http_client() {
    let server = TestServer::always(Reply::json(200, json!({}))).await;
    let own = client(&server);
    own.execute(&req(Method::Get, "/me")).await.unwrap();
    let r = server.last();
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(
        r.header("user-agent"),
        Some(graph_workbook::client::DEFAULT_USER_AGENT)
    );
    let theirs = Client::builder()
        .bearer("x")
        .http_client(
            reqwest::Client::builder()
                .user_agent("theirs/2")
                .build()
                .unwrap(),
        )
        .base_url(server.url())
        .build()
        .unwrap();
    theirs.execute(&req(Method::Get, "/me")).await.unwrap();
    let r = server.last();
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(
        r.header_all("user-agent"),
        [graph_workbook::client::DEFAULT_USER_AGENT]
    );
}
