//! Chunked writes that go wrong: blocks refused as too large are split and sent again; a write
//! that stops reports which rows are written, uncertain and not written, and resuming from
//! there writes every row exactly once. Table appends never resend a batch whose answer was
//! lost.

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graph_workbook::cell::{CellValue, Cells};
use graph_workbook::chunk::WriteOptions;
use graph_workbook::retry::RetryPolicy;
use graph_workbook::{Client, DriveItem};
use serde_json::json;
use support::{Recorded, Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", server.url()))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .jitter(0.0),
        )
        .build()
        .unwrap()
}

fn grid(rows: usize, cols: usize) -> Cells {
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| CellValue::from(format!("r{r}c{c}")))
                .collect()
        })
        .collect()
}

/// The 1-based first and last row of a `range(address='A3:E7')` request.
fn rows_of(req: &Recorded) -> (usize, usize) {
    let lit = req.path.split_once("/range(address=").unwrap().1;
    let lit = support::odata::percent_decode(lit.trim_end_matches(')')).unwrap();
    let (a, b) = lit.trim_matches('\'').split_once(':').unwrap();
    let row = |s: &str| {
        s.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap()
    };
    (row(a), row(b))
}

#[tokio::test]
async fn range_write_splits_refused_blocks_reports_rows_and_resumes() {
    let failing = Arc::new(AtomicBool::new(true));
    let server = {
        let failing = failing.clone();
        TestServer::start(move |req| {
            let (first, last) = rows_of(req);
            let cells = (last - first + 1) * 5;
            if req.body.len() > 2_000 {
                return Reply::graph_error(413, "payloadTooLarge", "too large", json!({}));
            }
            if cells > 60 {
                return Reply::graph_error(
                    400,
                    "invalidRequest",
                    "big",
                    json!({"code": "rangeExceedsLimit"}),
                );
            }
            if failing.load(Ordering::SeqCst) && last >= 61 {
                return Reply::graph_error(400, "invalidArgument", "no", json!({}));
            }
            Reply::json(200, json!({"address": "S!A1"}))
        })
        .await
    };
    let range = client(&server)
        .workbook(&DriveItem::me_item("01"))
        .worksheet("S")
        .range("A1:E100");
    let data = grid(100, 5);
    let opts = WriteOptions::default().max_request_bytes(4_000);
    let err = range.write_chunked(&data, opts.clone()).await.unwrap_err();
    assert_eq!(
        err.error.graph().map(|g| g.code.as_str()),
        Some("invalidArgument"),
        "{err}"
    );
    let k = err.written.end;
    assert_eq!(err.written, 0..k);
    assert!(err.uncertain.is_empty(), "a 400 is not uncertain: {err}");
    assert_eq!(err.not_written, k..100);
    assert!(k > 0 && k <= 60, "{err}");
    // Both refusals were seen and answered with smaller blocks.
    let seen = server.requests();
    assert!(seen.iter().any(|r| r.body.len() > 2_000));
    assert!(seen.iter().any(|r| {
        let (a, b) = rows_of(r);
        (b - a + 1) * 5 > 60 && r.body.len() <= 2_000
    }));

    failing.store(false, Ordering::SeqCst);
    let report = range.write_chunked(&data, opts.start_row(k)).await.unwrap();
    assert_eq!(report.rows, k..100);
    assert!(report.max_request_bytes <= 2_000);

    // Every row landed exactly once across both runs: successful requests tile 1..=100.
    let mut hits = [0u32; 101];
    let ok = |r: &Recorded| {
        let (a, b) = rows_of(r);
        r.body.len() <= 2_000 && (b - a + 1) * 5 <= 60
    };
    let log = server.requests();
    let (before, after) = log.split_at(seen.len());
    for r in before.iter().filter(|r| ok(r) && rows_of(r).1 < 61) {
        let (a, b) = rows_of(r);
        (a..=b).for_each(|i| hits[i] += 1);
    }
    for r in after.iter().filter(|r| ok(r)) {
        let (a, b) = rows_of(r);
        (a..=b).for_each(|i| hits[i] += 1);
    }
    assert!(hits[1..].iter().all(|h| *h == 1), "{:?}", &hits[1..]);
    // The PATCH asks for a small answer.
    assert!(log
        .iter()
        .all(|r| r.method == "PATCH" && r.query.as_deref() == Some("$select=address")));
}

#[cfg(feature = "tables")]
#[tokio::test]
async fn table_append_never_resends_a_batch_whose_answer_was_lost() {
    let n = Arc::new(AtomicUsize::new(0));
    let server = {
        let n = n.clone();
        TestServer::start(move |_| match n.fetch_add(1, Ordering::SeqCst) {
            // Throttled: not applied, retried.
            0 => Reply::graph_error(429, "tooManyRequests", "slow down", json!({}))
                .with_header("retry-after", "0"),
            // Edit lock held elsewhere: retried like a 429.
            2 => Reply::graph_error(
                409,
                "conflict",
                "locked",
                json!({"code": "editModeCannotAcquireLock"}),
            ),
            // The answer is lost: the rows may or may not be in the table.
            4 => Reply::graph_error(504, "gatewayTimeout", "timeout", json!({})),
            _ => Reply::json(200, json!({"index": 0})),
        })
        .await
    };
    let rows = client(&server)
        .workbook(&DriveItem::me_item("01"))
        .table("T")
        .rows();
    let data = grid(30, 5);
    let err = rows
        .add_chunked(&data, WriteOptions::default().max_cells(20))
        .await
        .unwrap_err();
    assert_eq!(err.written, 0..8, "{err}");
    assert_eq!(err.uncertain, 8..12, "{err}");
    assert_eq!(err.not_written, 12..30, "{err}");
    let log = server.requests();
    assert_eq!(log.len(), 5, "the 504 batch is not sent again");
    assert!(log
        .iter()
        .all(|r| r.method == "POST" && r.path.ends_with("/tables/T/rows/add")));
    let body = log[4].json().unwrap();
    assert_eq!(body["values"].as_array().map(Vec::len), Some(4));
    assert_eq!(body["values"][0][0], "r8c0");
}
