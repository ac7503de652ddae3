//! The reliability figure: a fixed, seeded schedule of 1,200 calls through one client against
//! a fault-injecting server on 127.0.0.1 (429 with and without Retry-After, in seconds and
//! HTTP-date form, 503, 504, connection resets, responses slower than the timeout, truncated
//! and malformed JSON, plain non-retryable errors).
//! About a third of the calls are generated-style `Call`s made through a workbook session's
//! handle; the server checks that every attempt of those (and only those) carries the session
//! header, every POST attempt carries the full body, and every attempt carries the token.
//!
//! For every call the expected outcome and attempt count are computed from the schedule and
//! the policy alone (an independent model of the rules in `src/retry.rs`), then compared with
//! what the client returned and what the server counted. Prints
//! `faults: calls=N ok=N typed-errors=N retries=N panics=0`.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use fault_server::{FaultServer, Received, RecordingSleeper, Reply};
use futures_util::StreamExt;
use graph_workbook::node::{Arg, NodeType, Op, Shape};
use graph_workbook::retry::RetryPolicy;
use graph_workbook::session::{Session, SESSION_HEADER};
use graph_workbook::{Client, Error, Method, Request};
use serde_json::{json, Value};

const CALLS: usize = 1200;
const SEED: u64 = 0x00FA_0175;
const MAX_ATTEMPTS: usize = 4;
const TOTAL_CAP: Duration = Duration::from_secs(45);
const TIMEOUT: Duration = Duration::from_secs(2);
const SLOW: Duration = Duration::from_secs(10);
const TOKEN: &str = "secret-token-never-logged";
const SESSION_ID: &str = "fault-session";

// The session calls go to an echo endpoint of this test (`{workbook}/faults/{call}`, any JSON
// body) through the runtime's generated-code path (`Node::op`): no documented operation takes
// an arbitrary body, and the server needs the call number in the path.
static GET: Op = Op {
    id: "faults.get",
    method: Method::Get,
    templates: &[("/workbook/faults/{}", "/workbook/faults/{call}")],
    shape: Shape::Json,
    headers: &[],
};
static POST: Op = Op {
    id: "faults.post",
    method: Method::Post,
    templates: &[("/workbook/faults/{}", "/workbook/faults/{call}")],
    shape: Shape::Json,
    headers: &[],
};

/// A retryable fault on one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Transient {
    Throttled,
    ThrottledRetryAfter(u64),
    ThrottledHttpDate,
    Unavailable,
    GatewayTimeout,
    Reset,
}

/// How the first non-transient attempt ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Terminal {
    Ok,
    BadRequest,
    NotFound,
    Slow,
    Truncated,
    Malformed,
}

#[derive(Debug, Clone)]
struct Plan {
    method: Method,
    transients: Vec<Transient>,
    terminal: Terminal,
    /// Sent as a generated-style `Call` through a session's workbook handle (header on every
    /// attempt, response decoded by `Call::send`) instead of a raw `Client::execute`.
    via_session: bool,
}

/// What the client must return.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Ok,
    Graph {
        status: u16,
        inner: Option<&'static str>,
    },
    Timeout,
    Transport,
    Decode,
}

fn schedule() -> Vec<Plan> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    (0..CALLS)
        .map(|_| {
            let method = if rng.bool() {
                Method::Get
            } else {
                Method::Post
            };
            let k = match rng.u32(0..100) {
                0..=39 => 0,
                40..=64 => 1,
                65..=79 => 2,
                80..=89 => 3,
                _ => 4 + rng.usize(0..2), // more than the policy allows
            };
            let transients = (0..k)
                .map(|_| match rng.u32(0..100) {
                    0..=24 => Transient::Throttled,
                    25..=39 => Transient::ThrottledRetryAfter(if rng.u32(0..10) == 0 {
                        30
                    } else {
                        rng.u64(0..3)
                    }),
                    40..=49 => Transient::ThrottledHttpDate,
                    50..=69 => Transient::Unavailable,
                    70..=79 => Transient::GatewayTimeout,
                    _ => Transient::Reset,
                })
                .collect();
            let terminal = match rng.u32(0..100) {
                0..=74 => Terminal::Ok,
                75..=79 => Terminal::BadRequest,
                80..=84 => Terminal::NotFound,
                85..=88 => Terminal::Slow,
                89..=94 => Terminal::Truncated,
                _ => Terminal::Malformed,
            };
            let via_session = rng.u32(0..3) == 0;
            Plan {
                method,
                transients,
                terminal,
                via_session,
            }
        })
        .collect()
}

/// The model: attempts and outcome from the plan and the policy's rules (bounded attempts,
/// total-delay cap on Retry-After; backoff here is at most 10+20+40 ms and cannot reach it).
fn expected(plan: &Plan) -> (usize, Expect) {
    let mut total = Duration::ZERO;
    for (i, t) in plan.transients.iter().enumerate() {
        let attempt = i + 1;
        let err = match t {
            Transient::Throttled
            | Transient::ThrottledRetryAfter(_)
            | Transient::ThrottledHttpDate => Expect::Graph {
                status: 429,
                inner: Some("tooManyRequestsUncategorized"),
            },
            Transient::Unavailable => Expect::Graph {
                status: 503,
                inner: Some("serviceUnavailableUncategorized"),
            },
            Transient::GatewayTimeout => Expect::Graph {
                status: 504,
                inner: None,
            },
            Transient::Reset => Expect::Transport,
        };
        if attempt == MAX_ATTEMPTS {
            return (attempt, err);
        }
        let delay = match t {
            Transient::ThrottledRetryAfter(s) => Duration::from_secs(*s),
            _ => Duration::from_millis(100), // upper bound of backoff/date delay for the cap check
        };
        if total + delay > TOTAL_CAP {
            return (attempt, err);
        }
        total += delay;
    }
    let outcome = match plan.terminal {
        Terminal::Ok => Expect::Ok,
        Terminal::BadRequest => Expect::Graph {
            status: 400,
            inner: Some("invalidArgument"),
        },
        Terminal::NotFound => Expect::Graph {
            status: 404,
            inner: None,
        },
        Terminal::Slow => Expect::Timeout,
        Terminal::Truncated => Expect::Transport,
        Terminal::Malformed => Expect::Decode,
    };
    (plan.transients.len() + 1, outcome)
}

fn payload(i: usize) -> Value {
    json!({ "call": i, "values": [[i, format!("body-of-{i}"), true]] })
}

fn reply_for(plan: &Plan, call: usize, attempt: usize) -> Reply {
    if let Some(t) = plan.transients.get(attempt - 1) {
        return match t {
            Transient::Throttled => {
                Reply::graph_error(429, "tooManyRequests", Some("tooManyRequestsUncategorized"))
            }
            Transient::ThrottledRetryAfter(s) => {
                Reply::graph_error(429, "tooManyRequests", Some("tooManyRequestsUncategorized"))
                    .header("Retry-After", &s.to_string())
            }
            Transient::ThrottledHttpDate => {
                let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
                Reply::graph_error(429, "tooManyRequests", Some("tooManyRequestsUncategorized"))
                    .header("Retry-After", &at)
            }
            Transient::Unavailable => Reply::graph_error(
                503,
                "serviceUnavailable",
                Some("serviceUnavailableUncategorized"),
            ),
            Transient::GatewayTimeout => Reply::status(504),
            Transient::Reset => Reply::Reset,
        };
    }
    let ok_body = json!({ "call": call, "echo": payload(call) });
    match plan.terminal {
        Terminal::Ok => Reply::json(200, ok_body).header("request-id", &format!("rid-{call}")),
        Terminal::BadRequest => Reply::graph_error(400, "badRequest", Some("invalidArgument")),
        Terminal::NotFound => Reply::graph_error(404, "itemNotFound", None),
        Terminal::Slow => Reply::json(200, ok_body).delayed(SLOW),
        Terminal::Truncated => {
            let body = serde_json::to_vec(&ok_body).unwrap();
            let cut = body.len() / 2;
            Reply::Truncated {
                status: 200,
                body,
                cut,
            }
        }
        Terminal::Malformed => {
            let text = ok_body.to_string();
            Reply::raw_json(200, &text[..text.len() / 2])
        }
    }
}

/// Counts `retrying` events and checks no event or span field carries the token or a body.
mod capture {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::Mutex;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    pub static RETRY_EVENTS: AtomicUsize = AtomicUsize::new(0);
    pub static SPANS: AtomicUsize = AtomicUsize::new(0);
    pub static LEAKS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static NEXT: AtomicU64 = AtomicU64::new(1);

    struct Fields(Vec<(String, String)>);
    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0
                .push((field.name().to_string(), format!("{value:?}")));
        }
    }

    fn check(fields: &Fields) {
        for (k, v) in &fields.0 {
            if v.contains(super::TOKEN) || v.contains("body-of-") || v.contains("Bearer") {
                LEAKS.lock().unwrap().push(format!("{k}={v}"));
            }
        }
    }

    pub struct Counter;
    impl Subscriber for Counter {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            if span.metadata().name() == "graph.request" {
                SPANS.fetch_add(1, Ordering::Relaxed);
            }
            let mut f = Fields(vec![]);
            span.record(&mut f);
            check(&f);
            Id::from_u64(NEXT.fetch_add(1, Ordering::Relaxed))
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut f = Fields(vec![]);
            values.record(&mut f);
            check(&f);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut f = Fields(vec![]);
            event.record(&mut f);
            check(&f);
            if f.0.iter().any(|(k, v)| k == "message" && v == "retrying") {
                RETRY_EVENTS.fetch_add(1, Ordering::Relaxed);
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

/// A call's result, or `Err(())` when its task did not finish (panicked).
type Outcome = Result<Result<Value, Error>, ()>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults() {
    tracing::subscriber::set_global_default(capture::Counter).unwrap();
    let plans = Arc::new(schedule());

    // The server: per call, the n-th attempt gets the n-th scripted reply. It checks that
    // every attempt carries the full body and the token.
    let attempts: Arc<Mutex<HashMap<usize, usize>>> = Arc::default();
    let wire_errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let (p, a, w) = (plans.clone(), attempts.clone(), wire_errors.clone());
    let server = FaultServer::start(move |r: &Received| {
        let Some(call) = r
            .path()
            .rsplit('/')
            .next()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return Reply::status(400);
        };
        let n = {
            let mut g = a.lock().unwrap();
            let n = g.entry(call).or_insert(0);
            *n += 1;
            *n
        };
        let plan = &p[call];
        if plan.method == Method::Post && r.json() != Some(payload(call)) {
            w.lock().unwrap().push(format!(
                "call {call} attempt {n}: body {:?}",
                String::from_utf8_lossy(&r.body)
            ));
        }
        let want_session = plan.via_session.then_some(SESSION_ID);
        if r.header(SESSION_HEADER) != want_session {
            w.lock().unwrap().push(format!(
                "call {call} attempt {n}: session header {:?}",
                r.header(SESSION_HEADER)
            ));
        }
        if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            w.lock()
                .unwrap()
                .push(format!("call {call} attempt {n}: missing token"));
        }
        reply_for(plan, call, n)
    })
    .await;

    let sleeper = RecordingSleeper::new();
    let policy = RetryPolicy::default()
        .max_attempts(MAX_ATTEMPTS as u32)
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(100))
        .max_total_delay(TOTAL_CAP)
        .jitter(0.5)
        .seed(SEED)
        .sleeper(sleeper.clone());
    let client = Client::builder()
        .bearer(TOKEN)
        .base_url(server.base_url())
        .timeout(TIMEOUT)
        .retry_policy(policy)
        .build()
        .unwrap();

    let session = Session::from_id(&fault_server::workbook(&client), SESSION_ID, true);
    let book = session.workbook().clone();
    let panics = Arc::new(AtomicUsize::new(0));
    let results: Vec<(usize, Outcome)> = futures_util::stream::iter(0..CALLS)
        .map(|i| {
            let client = client.clone();
            let plan = plans[i].clone();
            let panics = panics.clone();
            let book = book.clone();
            async move {
                let req = Request {
                    method: plan.method,
                    path: format!("/faults/{i}"),
                    query: vec![],
                    headers: vec![],
                    body: (plan.method == Method::Post)
                        .then(|| graph_workbook::node::to_body(&payload(i))),
                    operation: "faults.call",
                    template: "/faults/{call}",
                };
                let handle = book.clone();
                let task = tokio::spawn(async move {
                    if plan.via_session {
                        let op = if plan.method == Method::Post {
                            &POST
                        } else {
                            &GET
                        };
                        let node = handle.node().key(Some("faults"), Arg::Int(i as i64));
                        return node.op::<Value>(op, None, req.body).send().await;
                    }
                    let resp = client.execute(&req).await?;
                    resp.json::<Value>()
                });
                match task.await {
                    Ok(r) => (i, Ok(r)),
                    Err(e) => {
                        if e.is_panic() {
                            panics.fetch_add(1, Ordering::SeqCst);
                        }
                        (i, Err(()))
                    }
                }
            }
        })
        .buffer_unordered(64)
        .collect()
        .await;

    let counts = attempts.lock().unwrap().clone();
    let mut ok = 0;
    let mut typed = 0;
    let mut mismatches = Vec::new();
    for (i, result) in &results {
        let (want_attempts, want) = expected(&plans[*i]);
        let got_attempts = counts.get(i).copied().unwrap_or(0);
        assert!(
            got_attempts <= MAX_ATTEMPTS,
            "call {i}: {got_attempts} attempts > policy {MAX_ATTEMPTS}"
        );
        if got_attempts != want_attempts {
            mismatches.push(format!(
                "call {i} {:?}: attempts {got_attempts}, expected {want_attempts}",
                plans[*i]
            ));
        }
        let Ok(result) = result else { continue };
        let matches = match (&want, result) {
            (Expect::Ok, Ok(v)) => *v == json!({ "call": i, "echo": payload(*i) }),
            (Expect::Graph { status, inner }, Err(Error::Graph(g))) => {
                g.status == *status && g.inner_code.as_deref() == *inner
            }
            (Expect::Timeout, Err(Error::Timeout { .. })) => true,
            (Expect::Transport, Err(Error::Transport(_))) => true,
            (Expect::Decode, Err(Error::Decode { status: 200, .. })) => true,
            _ => false,
        };
        if !matches {
            mismatches.push(format!(
                "call {i} {:?}: expected {want:?}, got {result:?}",
                plans[*i]
            ));
        } else if result.is_ok() {
            ok += 1;
        } else {
            typed += 1;
        }
    }
    let retries: usize = counts.values().map(|n| n.saturating_sub(1)).sum();
    let panics = panics.load(Ordering::SeqCst);
    println!(
        "faults: calls={CALLS} ok={ok} typed-errors={typed} retries={retries} panics={panics}"
    );
    println!(
        "faults: retry events traced={} spans={} total delay asked={:?}",
        capture::RETRY_EVENTS.load(Ordering::Relaxed),
        capture::SPANS.load(Ordering::Relaxed),
        sleeper.delays().iter().sum::<Duration>()
    );

    assert_eq!(results.len(), CALLS);
    assert_eq!(panics, 0);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(ok + typed, CALLS);
    let wire = wire_errors.lock().unwrap();
    assert!(wire.is_empty(), "{}", wire.join("\n"));
    // Each retry is visible to tracing, once; nothing sensitive is logged.
    assert_eq!(capture::RETRY_EVENTS.load(Ordering::Relaxed), retries);
    assert_eq!(sleeper.delays().len(), retries);
    assert!(capture::SPANS.load(Ordering::Relaxed) >= CALLS);
    let leaks = capture::LEAKS.lock().unwrap();
    assert!(leaks.is_empty(), "sensitive data in tracing: {leaks:?}");
    // The schedule really is mixed.
    let kinds = |f: &dyn Fn(&Plan) -> bool| plans.iter().filter(|p| f(p)).count();
    assert!(kinds(&|p| p.transients.len() >= MAX_ATTEMPTS) > 10);
    assert!(kinds(&|p| p.terminal == Terminal::Slow) > 10);
    assert!(kinds(&|p| p.via_session) > 300);
    assert!(kinds(&|p| p.transients.contains(&Transient::Reset)) > 50);
    assert!(kinds(&|p| p.transients.contains(&Transient::ThrottledRetryAfter(30))) > 5);
}
