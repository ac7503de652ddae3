//! A 1,000,000-cell grid (10,000 rows x 100 columns of numbers, strings, booleans and
//! empties) written with `write_chunked` and read back with `read_chunked`, through a
//! loopback server (axum on 127.0.0.1) that behaves like Graph at its limits:
//! - request bodies over 4 MiB are refused with `413 payloadTooLarge`;
//! - responses over 5 MiB are refused with `ResponsePayloadSizeLimitExceeded`;
//! - ranges over `CELL_LIMIT` cells are refused with `rangeExceedsLimit`;
//! - a seeded 30 % of the requests fail with 429 (`Retry-After: 0`) or 504 before anything is
//!   applied.
//!
//! The server counts every write of every cell: `lost` is the cells that did not arrive (or
//! did not come back) intact, `duplicated` the cells written more than once.

#[path = "support/grid.rs"]
mod grid;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use graph_workbook::cell::{CellValue, Cells};
use graph_workbook::chunk::{ReadOptions, WriteOptions};
use graph_workbook::retry::RetryPolicy;
use graph_workbook::{Client, DriveItem};

const ROWS: usize = 10_000;
const COLS: usize = 100;
const REQUEST_LIMIT: usize = 4 << 20;
const RESPONSE_LIMIT: usize = 5 << 20;
const CELL_LIMIT: usize = 500_000;
const FAULT_PER_MILLE: u64 = 300;

/// The server's workbook (one worksheet) and what it saw.
struct Sheet {
    cells: Vec<Vec<CellValue>>,
    /// How many times each cell was written.
    writes: Vec<Vec<u8>>,
    write_requests: usize,
    read_requests: usize,
    max_request_bytes: usize,
    faults: [usize; 2],
    refused: Vec<String>,
    rng: u64,
}

type Shared = Arc<Mutex<Sheet>>;

fn graph_error(status: StatusCode, code: &str, inner: &str) -> Response {
    let body = serde_json::json!({
        "error": {"code": code, "message": "refused by the test server", "innerError": {"code": inner}}
    });
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `A1:CV10000` -> (row0, col0, rows, cols), 0-based.
fn rect(address: &str) -> Option<(usize, usize, usize, usize)> {
    let cell = |t: &str| -> Option<(usize, usize)> {
        let split = t.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = t.split_at(split);
        let col = letters.bytes().try_fold(0usize, |n, b| {
            b.is_ascii_uppercase()
                .then(|| n * 26 + (b - b'A' + 1) as usize)
        })?;
        Some((
            digits.parse::<usize>().ok()?.checked_sub(1)?,
            col.checked_sub(1)?,
        ))
    };
    let (a, b) = address.split_once(':')?;
    let (a, b) = (cell(a)?, cell(b)?);
    Some((a.0, a.1, b.0 + 1 - a.0, b.1 + 1 - a.1))
}

fn address_of(uri: &Uri) -> Option<String> {
    let path = uri.path();
    let lit = path.split_once("/range(address=")?.1.strip_suffix(')')?;
    let lit = percent_encoding::percent_decode_str(lit)
        .decode_utf8()
        .ok()?;
    Some(lit.trim_matches('\'').to_string())
}

async fn handle(State(sheet): State<Shared>, method: Method, uri: Uri, body: Bytes) -> Response {
    let mut s = sheet.lock().unwrap();
    let is_write = method == Method::PATCH;
    if is_write {
        s.write_requests += 1;
        s.max_request_bytes = s.max_request_bytes.max(body.len());
    } else {
        s.read_requests += 1;
    }
    // Seeded faults, before anything is applied.
    s.rng = s
        .rng
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let roll = (s.rng >> 33) % 1000;
    if roll < FAULT_PER_MILLE {
        s.faults[(roll % 2) as usize] += 1;
        return if roll % 2 == 0 {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "").into_response()
        } else {
            graph_error(StatusCode::GATEWAY_TIMEOUT, "gatewayTimeout", "")
        };
    }
    let Some((r0, c0, rows, cols)) = address_of(&uri).as_deref().and_then(rect) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "invalidReference",
        );
    };
    if r0 + rows > ROWS || c0 + cols > COLS {
        return graph_error(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "invalidReference",
        );
    }
    let address = format!("Data!{}", address_of(&uri).unwrap_or_default());
    if rows * cols > CELL_LIMIT {
        s.refused.push(format!("{method} {address}: cells"));
        return graph_error(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "rangeExceedsLimit",
        );
    }
    if is_write {
        if body.len() > REQUEST_LIMIT {
            s.refused.push(format!("{method} {address}: request bytes"));
            return graph_error(StatusCode::PAYLOAD_TOO_LARGE, "payloadTooLarge", "");
        }
        #[derive(serde::Deserialize)]
        struct Patch {
            values: Cells,
        }
        let Ok(patch) = serde_json::from_slice::<Patch>(&body) else {
            return graph_error(StatusCode::BAD_REQUEST, "invalidRequest", "invalidArgument");
        };
        if patch.values.len() != rows || patch.values.iter().any(|r| r.len() != cols) {
            return graph_error(StatusCode::BAD_REQUEST, "invalidRequest", "invalidArgument");
        }
        for (i, row) in patch.values.into_iter().enumerate() {
            for (j, v) in row.into_iter().enumerate() {
                s.cells[r0 + i][c0 + j] = v;
                s.writes[r0 + i][c0 + j] += 1;
            }
        }
    }
    // Graph answers a PATCH with the range: only `$select`ed properties keep it small.
    let select = uri.query().unwrap_or("");
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        "https://127.0.0.1/$metadata#workbookRange".into(),
    );
    out.insert("address".into(), address.clone().into());
    let values = || -> serde_json::Value {
        let block: Vec<&[CellValue]> = s.cells[r0..r0 + rows]
            .iter()
            .map(|r| &r[c0..c0 + cols])
            .collect();
        serde_json::to_value(block).unwrap()
    };
    if !select.contains("$select=") || select.contains("values") {
        out.insert("values".into(), values());
    }
    let bytes = serde_json::to_vec(&out).unwrap();
    if bytes.len() > RESPONSE_LIMIT {
        s.refused
            .push(format!("{method} {address}: response bytes"));
        return graph_error(
            StatusCode::BAD_REQUEST,
            "invalidRequest",
            "ResponsePayloadSizeLimitExceeded",
        );
    }
    ([("content-type", "application/json")], bytes).into_response()
}

fn grid() -> Cells {
    grid::mixed_grid(ROWS, COLS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn million_cells_round_trip_under_graph_limits() {
    let expected = grid();
    let sheet: Shared = Arc::new(Mutex::new(Sheet {
        cells: vec![vec![CellValue::Unchanged; COLS]; ROWS],
        writes: vec![vec![0; COLS]; ROWS],
        write_requests: 0,
        read_requests: 0,
        max_request_bytes: 0,
        faults: [0, 0],
        refused: Vec::new(),
        rng: 42,
    }));
    let app = Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::max(64 << 20))
        .with_state(sheet.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .bearer("t")
        .base_url(format!("http://{addr}/v1.0"))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(10)
                .base_delay(Duration::from_millis(1))
                .jitter(0.0),
        )
        .build()
        .unwrap();
    let range = client
        .workbook(&DriveItem::me_item("01SCALE"))
        .worksheet("Data")
        .range("A1:CV10000");

    let report = range
        .write_chunked(&expected, WriteOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.rows, 0..ROWS);
    // The blocks tile the grid in order.
    assert!(
        report.blocks.windows(2).all(|w| w[0].end == w[1].start),
        "{:?}",
        report.blocks
    );

    // Start big: the first reads are refused (cells, then response size) and shrink.
    let back = range
        .read_all(ReadOptions::default().max_cells(1_000_000))
        .await
        .unwrap();

    let s = sheet.lock().unwrap();
    let mut lost = 0;
    let mut duplicated = 0;
    for (r, want_row) in expected.iter().enumerate() {
        for (c, want) in want_row.iter().enumerate() {
            let stored = &s.cells[r][c];
            let read = back.get(r).and_then(|row| row.get(c));
            if stored != want || read != Some(want) {
                if lost < 3 {
                    eprintln!("cell ({r}, {c}): wrote {want:?}, stored {stored:?}, read {read:?}");
                }
                lost += 1;
            }
            if s.writes[r][c] > 1 {
                duplicated += 1;
            }
        }
    }
    println!(
        "scale: cells={} write_requests={} max_request_bytes={} read_requests={} lost={lost} duplicated={duplicated}",
        ROWS * COLS,
        s.write_requests,
        s.max_request_bytes,
        s.read_requests
    );
    println!(
        "# faults injected: 429 x{}, 504 x{}; refused as too large: {:?}; client report: {} requests, {} blocks, largest body {} bytes",
        s.faults[0],
        s.faults[1],
        s.refused,
        report.requests,
        report.blocks.len(),
        report.max_request_bytes
    );
    assert_eq!(lost, 0);
    assert_eq!(duplicated, 0);
    assert_eq!(back.len(), ROWS);
    assert!(
        s.max_request_bytes <= REQUEST_LIMIT,
        "{}",
        s.max_request_bytes
    );
    assert_eq!(report.max_request_bytes, s.max_request_bytes);
    assert!(
        s.faults.iter().all(|n| *n > 0),
        "both kinds of seeded faults fired"
    );
    // The read adapted to each limit at least once.
    for why in ["cells", "response bytes"] {
        assert!(
            s.refused
                .iter()
                .any(|r| r.starts_with("GET") && r.ends_with(why)),
            "{:?}",
            s.refused
        );
    }
    // More than one block each way, fewer than a naive cell-count split would need.
    assert!(s.write_requests > 1 && s.read_requests > 1);
    server.abort();
}
