//! Retry policy: exact attempt counts and delays, against a real server on 127.0.0.1 (with a
//! recording sleeper) and against tokio's paused clock (with the default sleeper).

#[path = "support/fault_server.rs"]
mod fault_server;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use fault_server::{FaultServer, RecordingSleeper, Reply};
use graph_workbook::retry::{AttemptInfo, RetryPolicy, RetryReason};
use graph_workbook::{Client, Error, Method, Request};
use serde_json::json;

fn req(method: Method, path: &str, body: Option<serde_json::Value>) -> Request {
    Request {
        method,
        path: path.into(),
        query: vec![],
        headers: vec![],
        body: body.map(|b| serde_json::to_vec(&b).unwrap().into()),
        operation: "test.op",
        template: "/test",
    }
}

fn policy(sleeper: Arc<RecordingSleeper>) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(1))
        .max_total_delay(Duration::from_secs(60))
        .jitter(0.0)
        .sleeper(sleeper)
}

fn client(server: &FaultServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .bearer("secret-token")
        .base_url(server.base_url())
        .timeout(Duration::from_secs(5))
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// A server that answers `faults` in order, then `200 {"ok": n}`.
async fn scripted(faults: Vec<Reply>) -> FaultServer {
    let n = Arc::new(AtomicU32::new(0));
    FaultServer::start(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst) as usize;
        faults
            .get(i)
            .cloned()
            .unwrap_or_else(|| Reply::json(200, json!({ "ok": i })))
    })
    .await
}

fn throttled() -> Reply {
    Reply::graph_error(429, "tooManyRequests", Some("tooManyRequestsUncategorized"))
}

#[tokio::test]
async fn retries_429_without_retry_after_with_exponential_backoff() {
    let server = scripted(vec![throttled(), throttled(), throttled()]).await;
    let sleeper = RecordingSleeper::new();
    let c = client(&server, policy(sleeper.clone()));
    let resp = c.execute(&req(Method::Get, "/x", None)).await.unwrap();
    assert_eq!(
        resp.json::<serde_json::Value>().unwrap(),
        json!({ "ok": 3 })
    );
    assert_eq!(server.count(), 4);
    assert_eq!(sleeper.delays(), [100, 200, 400].map(Duration::from_millis));
}

#[tokio::test]
async fn honours_retry_after_seconds_and_http_date() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
    let server = scripted(vec![
        throttled().header("Retry-After", "3"),
        Reply::status(503).header("Retry-After", &date),
        Reply::status(504).header("Retry-After", "not-a-number"),
    ])
    .await;
    let sleeper = RecordingSleeper::at(now);
    let c = client(&server, policy(sleeper.clone()));
    c.execute(&req(Method::Get, "/x", None)).await.unwrap();
    assert_eq!(server.count(), 4);
    // Retry-After wins over backoff (and is not capped by max_delay); garbage falls back to
    // the backoff of the third retry.
    assert_eq!(
        sleeper.delays(),
        [
            Duration::from_secs(3),
            Duration::from_secs(7),
            Duration::from_millis(400)
        ]
    );
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_typed_error() {
    let server = scripted(vec![throttled(); 10]).await;
    let sleeper = RecordingSleeper::new();
    let c = client(&server, policy(sleeper.clone()));
    let err = c.execute(&req(Method::Get, "/x", None)).await.unwrap_err();
    let Error::Graph(g) = err else {
        panic!("expected Graph, got {err:?}")
    };
    assert_eq!(g.status, 429);
    assert_eq!(
        g.inner_code.as_deref(),
        Some("tooManyRequestsUncategorized")
    );
    assert_eq!(
        g.excel_code(),
        graph_workbook::codes::ExcelErrorCode::TooManyRequestsUncategorized
    );
    assert_eq!(server.count(), 4);
    assert_eq!(sleeper.delays().len(), 3);
}

#[tokio::test]
async fn total_delay_cap_stops_before_sleeping_past_it() {
    let server = scripted(vec![
        throttled().header("Retry-After", "2"),
        throttled().header("Retry-After", "30"),
    ])
    .await;
    let sleeper = RecordingSleeper::new();
    let c = client(
        &server,
        policy(sleeper.clone()).max_total_delay(Duration::from_secs(10)),
    );
    let err = c.execute(&req(Method::Get, "/x", None)).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(server.count(), 2);
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
}

#[tokio::test]
async fn connection_reset_before_response_is_retried() {
    let server = scripted(vec![Reply::Reset, Reply::Reset]).await;
    let sleeper = RecordingSleeper::new();
    let c = client(&server, policy(sleeper.clone()));
    let body = json!({ "values": [[1, "a"]] });
    let resp = c
        .execute(&req(Method::Patch, "/r", Some(body.clone())))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    let got = server.received();
    assert_eq!(got.len(), 3);
    // The body is rebuilt and sent in full on every attempt.
    for r in &got {
        assert_eq!(r.json().unwrap(), body);
        assert_eq!(r.header("authorization"), Some("Bearer secret-token"));
    }
    assert_eq!(sleeper.delays(), [100, 200].map(Duration::from_millis));
}

#[tokio::test]
async fn non_retryable_responses_are_never_resent() {
    for (reply, status) in [
        (Reply::graph_error(400, "invalidArgument", None), 400),
        (Reply::graph_error(404, "itemNotFound", None), 404),
        // (409 `editModeCannotAcquireLock` is edit-lock throttling: retried like a 429, see
        // tests/concurrency.rs and tests/scale_write_errors.rs.)
        (
            Reply::graph_error(409, "conflict", Some("insertDeleteConflict")),
            409,
        ),
        (
            Reply::graph_error(
                500,
                "internalServerError",
                Some("internalServerErrorUncategorized"),
            ),
            500,
        ),
        (Reply::status(502), 502),
    ] {
        let server = scripted(vec![reply]).await;
        let sleeper = RecordingSleeper::new();
        let c = client(&server, policy(sleeper.clone()));
        let err = c
            .execute(&req(Method::Post, "/x", Some(json!({}))))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        assert_eq!(server.count(), 1, "status {status} was resent");
        assert!(sleeper.delays().is_empty());
    }
}

#[tokio::test]
async fn truncated_body_after_response_is_not_retried() {
    let server = scripted(vec![Reply::Truncated {
        status: 200,
        body: br#"{"value":[1,2,3,4,5,6,7,8,9]}"#.to_vec(),
        cut: 10,
    }])
    .await;
    let c = client(&server, policy(RecordingSleeper::new()));
    let err = c.execute(&req(Method::Post, "/x", None)).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn timeouts_are_not_retried_by_default_and_idempotent_ones_can_be() {
    let slow = || Reply::json(200, json!({})).delayed(Duration::from_secs(10));
    let server = scripted(vec![slow(), slow(), slow()]).await;
    let mk = |p: RetryPolicy| {
        Client::builder()
            .bearer("t")
            .base_url(server.base_url())
            .timeout(Duration::from_millis(700))
            .retry_policy(p)
            .build()
            .unwrap()
    };
    let c = mk(policy(RecordingSleeper::new()));
    let err = c.execute(&req(Method::Get, "/x", None)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.count(), 1);

    let c = mk(policy(RecordingSleeper::new()).retry_timeouts(true));
    let err = c.execute(&req(Method::Post, "/x", None)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(
        server.count(),
        2,
        "a POST that timed out must not be resent"
    );

    // GET with retry_timeouts: the timed-out attempt is resent and the next one succeeds.
    c.execute(&req(Method::Get, "/x", None)).await.unwrap();
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn disabled_policy_sends_once() {
    let server = scripted(vec![throttled()]).await;
    let c = client(&server, RetryPolicy::disabled());
    assert_eq!(
        c.execute(&req(Method::Get, "/x", None))
            .await
            .unwrap_err()
            .status(),
        Some(429)
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn token_is_fetched_per_attempt() {
    let server = scripted(vec![throttled(), Reply::status(503)]).await;
    let n = Arc::new(AtomicU32::new(0));
    let n2 = n.clone();
    let c = Client::builder()
        .token_provider(graph_workbook::token_fn(move || {
            let i = n2.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, std::io::Error>(format!("tok-{i}")) }
        }))
        .base_url(server.base_url())
        .retry_policy(policy(RecordingSleeper::new()))
        .build()
        .unwrap();
    c.execute(&req(Method::Get, "/x", None)).await.unwrap();
    let auths: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(auths, ["Bearer tok-0", "Bearer tok-1", "Bearer tok-2"]);
}

/// The default sleeper is tokio's: with the paused clock the schedule is exact and instant.
#[tokio::test(start_paused = true)]
async fn paused_clock_exact_schedule() {
    let p = RetryPolicy::default()
        .max_attempts(5)
        .base_delay(Duration::from_millis(250))
        .max_delay(Duration::from_secs(1))
        .jitter(0.0);
    let start = tokio::time::Instant::now();
    let attempts = AtomicU32::new(0);
    let stamps = std::sync::Mutex::new(Vec::new());
    let out: Result<u32, Error> = p
        .run(
            Method::Get,
            "/t",
            "t",
            |n| {
                attempts.fetch_add(1, Ordering::SeqCst);
                stamps.lock().unwrap().push(start.elapsed());
                async move { Ok(n) }
            },
            |r| AttemptInfo {
                status: Some(503),
                retry: (*r.as_ref().unwrap() < 5).then_some(RetryReason::Status(503)),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(out.unwrap(), 5);
    assert_eq!(attempts.load(Ordering::SeqCst), 5);
    assert_eq!(
        *stamps.lock().unwrap(),
        [0, 250, 750, 1750, 2750].map(Duration::from_millis),
        "attempt times: backoff 250, 500, 1000, 1000 (capped)"
    );
}

#[tokio::test(start_paused = true)]
async fn paused_clock_retry_after_and_attempt_bound() {
    let p = RetryPolicy::default().max_attempts(3).jitter(0.0);
    let start = tokio::time::Instant::now();
    let attempts = AtomicU32::new(0);
    let out: Result<(), Error> = p
        .run(
            Method::Post,
            "/t",
            "t",
            |_| {
                attempts.fetch_add(1, Ordering::SeqCst);
                async { Ok(()) }
            },
            |_| AttemptInfo {
                status: Some(429),
                retry: Some(RetryReason::Status(429)),
                retry_after: Some("10".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(out.is_ok(), "the last result is returned as is");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
    assert_eq!(start.elapsed(), Duration::from_secs(20));
}

#[tokio::test]
async fn refused_connection_is_retried_then_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sleeper = RecordingSleeper::new();
    let c = Client::builder()
        .bearer("t")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(policy(sleeper.clone()))
        .build()
        .unwrap();
    let err = c
        .execute(&req(Method::Post, "/x", Some(json!({}))))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(sleeper.delays(), [100, 200, 400].map(Duration::from_millis));
}
