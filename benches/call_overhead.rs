//! Per-call overhead of the generated client against a hand-written reqwest request, same
//! local server (127.0.0.1), same run. Plain harness: `cargo bench --bench call_overhead`.
//!
//! Two calls, each made both ways:
//! - get a range: `book.worksheet("Sheet1").range("A1:B2").get()` vs `GET <url>` by hand;
//! - write a range: `.range(..).update(&RangeUpdate { values, .. })` vs `PATCH <url>` by hand.
//!
//! Both sides send the same method, path, bearer token and JSON body, and decode the same
//! response into the same generated `WorkbookRange`, so the ratio is the cost of the generated
//! layer (navigation and escaping, `Op`/`Call`, token provider, retry wrapper, header checks),
//! not of serde. The two sides alternate in rounds so machine load hits both alike; per round
//! the median of each side is taken, and the figures are the medians over rounds.
//!
//! Prints `bench: call_<op>_generated_us`, `call_<op>_reqwest_us` (median µs per call) and
//! `call_<op>_ratio` (generated / reqwest; target <= 1.05), and `call_<op>_allocs_*`
//! (heap allocations per call of the whole process, counted by a global allocator; the
//! server's share is the same on both sides). `BENCH_ROUNDS` (default 60) and
//! `BENCH_CALLS` (per side per round, default 100) tune the run; without `--bench`
//! (`cargo test --benches`) it makes a few calls only, as a smoke test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use graph_workbook::v1::{RangeUpdate, WorkbookRange};
use graph_workbook::{Client, DriveItem};

/// A range as Graph returns it (shape of the docs' range-get example, 2 x 2 cells).
const RANGE_JSON: &str = r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#workbookRange","@odata.type":"#microsoft.graph.workbookRange","@odata.id":"/users('x')/drive/items('01AB')/workbook/worksheets(%27Sheet1%27)/range(address=%27A1:B2%27)","address":"Sheet1!A1:B2","addressLocal":"Sheet1!A1:B2","cellCount":4,"columnCount":2,"columnHidden":false,"columnIndex":0,"formulas":[["Item",2],["Apples","=B1*3"]],"formulasLocal":[["Item",2],["Apples","=B1*3"]],"formulasR1C1":[["Item",2],["Apples","=R[-1]C*3"]],"hidden":false,"numberFormat":[["General","General"],["General","0.00"]],"rowCount":2,"rowHidden":false,"rowIndex":0,"text":[["Item","2"],["Apples","6.00"]],"valueTypes":[["String","Double"],["String","Double"]],"values":[["Item",2],["Apples",6]]}"##;

const TOKEN: &str = "bench-token";

/// Counts allocations of the whole process (client and server), so a figure per call is
/// the difference between two sides made against the same server.
struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { std::alloc::System.realloc(p, l, n) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per call of `f` (mean over `n` sequential calls).
async fn allocs_per_call<F, Fut>(n: usize, mut f: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = WorkbookRange>,
{
    let before = ALLOCS.load(Ordering::Relaxed);
    for _ in 0..n {
        std::hint::black_box(f().await);
    }
    (ALLOCS.load(Ordering::Relaxed) - before) as f64 / n as f64
}

#[derive(Default)]
struct Seen {
    gets: AtomicUsize,
    patches: AtomicUsize,
    bad: AtomicUsize,
}

/// A local server on its own thread and runtime: answers GET and PATCH of the range path
/// with [`RANGE_JSON`], and counts anything else as bad.
fn start_server(seen: Arc<Seen>) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1");
            tx.send(listener.local_addr().expect("addr")).ok();
            let app = axum::Router::new().fallback(
                move |method: axum::http::Method,
                      headers: axum::http::HeaderMap,
                      uri: axum::http::Uri,
                      body: axum::body::Bytes| {
                    let seen = seen.clone();
                    async move {
                        let authed = headers
                            .get("authorization")
                            .is_some_and(|v| v == format!("Bearer {TOKEN}").as_str());
                        let path_ok = uri.path().contains("/worksheets/Sheet1/range(");
                        let ok = authed
                            && path_ok
                            && match method {
                                axum::http::Method::GET => {
                                    seen.gets.fetch_add(1, Ordering::Relaxed);
                                    true
                                }
                                axum::http::Method::PATCH => {
                                    seen.patches.fetch_add(1, Ordering::Relaxed);
                                    serde_json::from_slice::<serde_json::Value>(&body)
                                        .is_ok_and(|v| v["values"].is_array())
                                }
                                _ => false,
                            };
                        if !ok {
                            seen.bad.fetch_add(1, Ordering::Relaxed);
                            return (
                                axum::http::StatusCode::BAD_REQUEST,
                                [("content-type", "application/json")],
                                "{}",
                            );
                        }
                        (
                            axum::http::StatusCode::OK,
                            [("content-type", "application/json")],
                            RANGE_JSON,
                        )
                    }
                },
            );
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server started")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Time `calls` sequential calls of `f`, returning the median.
async fn batch<F, Fut>(calls: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = WorkbookRange>,
{
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        let r = f().await;
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    median(times)
}

struct Figures {
    generated: Duration,
    reqwest: Duration,
    ratio: f64,
}

/// Alternate the two sides for `rounds` rounds (the first side switches every round).
async fn compare<G, GF, B, BF>(rounds: usize, calls: usize, mut gen: G, mut base: B) -> Figures
where
    G: FnMut() -> GF,
    GF: std::future::Future<Output = WorkbookRange>,
    B: FnMut() -> BF,
    BF: std::future::Future<Output = WorkbookRange>,
{
    // warm-up: connections, allocator, caches
    batch(calls.min(50), &mut gen).await;
    batch(calls.min(50), &mut base).await;
    let (mut g, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (tg, tb) = if round % 2 == 0 {
            let tg = batch(calls, &mut gen).await;
            (tg, batch(calls, &mut base).await)
        } else {
            let tb = batch(calls, &mut base).await;
            (batch(calls, &mut gen).await, tb)
        };
        ratios.push(tg.as_secs_f64() / tb.as_secs_f64().max(1e-12));
        g.push(tg);
        b.push(tb);
    }
    ratios.sort_by(f64::total_cmp);
    Figures {
        generated: median(g),
        reqwest: median(b),
        ratio: ratios[ratios.len() / 2],
    }
}

fn print(name: &str, f: &Figures) {
    println!("bench: call_{name}_generated_us {:.1} us", us(f.generated));
    println!("bench: call_{name}_reqwest_us {:.1} us", us(f.reqwest));
    println!("bench: call_{name}_ratio {:.3} x", f.ratio);
}

/// `(quick, rounds, calls)` from the command line and environment; `None` when cargo's bench
/// filter excludes this bench.
fn settings() -> Option<(bool, usize, usize)> {
    let quick = !std::env::args().any(|a| a == "--bench");
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if filters
        .iter()
        .any(|f| !"call_overhead".contains(f.as_str()))
    {
        return None;
    }
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
            .max(1)
    };
    let (rounds, calls) = if quick {
        (2, 5)
    } else {
        (env("BENCH_ROUNDS", 60), env("BENCH_CALLS", 100))
    };
    Some((quick, rounds, calls))
}

/// Every figure of one run, printed by [`report`].
struct Results {
    get: Figures,
    write: Figures,
    execute: Figures,
    send_once: Figures,
    noise: Figures,
    build: Duration,
    future_bytes: usize,
    /// Allocations per call: get generated / reqwest, write generated / reqwest.
    allocs: [f64; 4],
}

fn report(seen: &Seen, r: &Results) {
    let bad = seen.bad.load(Ordering::Relaxed);
    assert_eq!(bad, 0, "the server saw {bad} unexpected request(s)");
    println!(
        "bench: call_requests_served {} count",
        seen.gets.load(Ordering::Relaxed) + seen.patches.load(Ordering::Relaxed)
    );
    print("get_range", &r.get);
    print("write_range", &r.write);
    println!(
        "bench: call_get_range_execute_prebuilt_ratio {:.3} x",
        r.execute.ratio
    );
    println!(
        "bench: call_get_range_send_once_prebuilt_ratio {:.3} x",
        r.send_once.ratio
    );
    println!("bench: call_get_range_build_only_us {:.2} us", us(r.build));
    println!("bench: call_future_bytes {} bytes", r.future_bytes);
    println!("bench: call_noise_ratio {:.3} x", r.noise.ratio);
    let names = [
        "get_range_allocs_generated",
        "get_range_allocs_reqwest",
        "write_range_allocs_generated",
        "write_range_allocs_reqwest",
    ];
    for (name, n) in names.iter().zip(r.allocs) {
        println!("bench: call_{name} {n:.1} count");
    }
}

/// The cost of building the call alone (navigation, escaping, `Op`, `Call`), per call.
fn build_only(client: &Client, item: &DriveItem, n: u32) -> Duration {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            client
                .workbook(item)
                .worksheet(std::hint::black_box("Sheet1"))
                .range("A1:B2")
                .get(),
        );
    }
    t.elapsed() / n
}

fn main() {
    let Some((quick, rounds, calls)) = settings() else {
        return;
    };
    let seen = Arc::new(Seen::default());
    let addr = start_server(seen.clone());
    let base_url = format!("http://{addr}/v1.0");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async {
        let client = Client::builder()
            .bearer(TOKEN)
            .base_url(&base_url)
            .build()
            .expect("client");
        let item = DriveItem::me_item("01AB");
        // The hand-written side: a reqwest client configured like the generated one
        // (timeout, user agent), the URL written out once as a user would.
        let http = reqwest::Client::builder()
            .timeout(client.timeout())
            .user_agent(graph_workbook::client::DEFAULT_USER_AGENT)
            .build()
            .expect("reqwest client");
        let probe = client
            .workbook(&item)
            .worksheet("Sheet1")
            .range("A1:B2")
            .get();
        let url = client.url(probe.request()).expect("url").to_string();
        let body = RangeUpdate {
            values: Some(graph_workbook::cells![["Item", 2], ["Apples", 6]]),
            ..Default::default()
        };

        let gen_get = || {
            let call = client
                .workbook(&item)
                .worksheet("Sheet1")
                .range("A1:B2")
                .get();
            async move { call.await.expect("generated get") }
        };
        let base_get = || {
            let req = http.get(&url).bearer_auth(TOKEN);
            async move {
                let resp = req.send().await.expect("reqwest get");
                assert!(resp.status().is_success());
                let bytes = resp.bytes().await.expect("body");
                serde_json::from_slice::<WorkbookRange>(&bytes).expect("decode")
            }
        };
        let gen_write = || {
            let call = client
                .workbook(&item)
                .worksheet("Sheet1")
                .range("A1:B2")
                .update(&body);
            async move { call.await.expect("generated update") }
        };
        let base_write = || {
            let req = http
                .patch(&url)
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&body).expect("body"));
            async move {
                let resp = req.send().await.expect("reqwest patch");
                assert!(resp.status().is_success());
                let bytes = resp.bytes().await.expect("body");
                serde_json::from_slice::<WorkbookRange>(&bytes).expect("decode")
            }
        };
        let get = compare(rounds, calls, gen_get, base_get).await;
        let write = compare(rounds, calls, gen_write, base_write).await;
        // Allocations per call, whole process (client + server): the server's share is the
        // same on both sides, so the difference is the generated layer's.
        let n_alloc = if quick { 5 } else { 1000 };
        let allocs = [
            allocs_per_call(n_alloc, gen_get).await,
            allocs_per_call(n_alloc, base_get).await,
            allocs_per_call(n_alloc, gen_write).await,
            allocs_per_call(n_alloc, base_write).await,
        ];

        // Where the difference goes (get only): the same prebuilt request sent through
        // `Client::execute` (retry layer) and `Client::send_once` (one attempt), and the
        // cost of building the call alone (navigation, escaping, `Op`, `Call`).
        let request = probe.request().clone();
        let decode = |resp: graph_workbook::Response| {
            graph_workbook::call::decode::<WorkbookRange>(
                graph_workbook::node::Shape::Json,
                resp.status,
                &resp.body,
            )
            .expect("decode")
        };
        let execute = compare(
            rounds,
            calls,
            || {
                let (client, request) = (&client, &request);
                async move { decode(client.execute(request).await.expect("execute")) }
            },
            base_get,
        )
        .await;
        let send_once = compare(
            rounds,
            calls,
            || {
                let (client, request) = (&client, &request);
                async move { decode(client.send_once(request).await.expect("send_once")) }
            },
            base_get,
        )
        .await;
        // A/A control: the hand-written request against itself. Its distance from 1 is the
        // noise floor of the ratios above on this machine, in this run.
        let noise = compare(rounds, calls, base_get, base_get).await;
        let build = build_only(&client, &item, if quick { 10 } else { 20_000 });

        // The state of one call's future (boxed once per `.await` of a `Call`).
        let future_bytes = std::mem::size_of_val(&probe.clone().send());
        report(
            &seen,
            &Results {
                get,
                write,
                execute,
                send_once,
                noise,
                build,
                future_bytes,
                allocs,
            },
        );
    });
}
