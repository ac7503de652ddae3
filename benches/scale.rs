//! Big-grid figures (issue 13), printed as `bench: <name> <value> <unit>` lines:
//! - decoding a 1,000,000-cell `values` response straight into `CellValue` rows
//!   (`chunk::decode_cells`) against `serde_json::from_slice::<serde_json::Value>` of the same
//!   bytes (the baseline, same run; ratio < 1 means faster than the baseline);
//! - encoding the grid (`cell::encode_cells`) against `serde_json::to_vec` of it;
//! - throughput of `write_chunked` of the grid against an axum server on 127.0.0.1.
//!
//! Each timing is the best of `BENCH_ITERS` runs (default 7), alternating the compared
//! functions so machine load hits both alike. Run: `cargo bench --bench scale`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use graph_workbook::cell::{encode_cells, Cells};
#[path = "../tests/support/grid.rs"]
mod grid;

use graph_workbook::chunk::{decode_cells, CellField, WriteOptions};
use graph_workbook::{Client, DriveItem};

const ROWS: usize = 10_000;
const COLS: usize = 100;

fn grid() -> Cells {
    grid::mixed_grid(ROWS, COLS)
}

fn best<F: FnMut()>(times: &mut Vec<Duration>, mut f: F) {
    let t = Instant::now();
    f();
    times.push(t.elapsed());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let grid = grid();
    let mut body = br#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#workbookRange","address":"Data!A1:CV10000","values":"#.to_vec();
    body.extend_from_slice(&encode_cells(&grid));
    body.push(b'}');
    println!(
        "# response body: {} bytes, {} cells",
        body.len(),
        ROWS * COLS
    );

    let (mut cells_t, mut value_t) = (Vec::new(), Vec::new());
    for _ in 0..iters {
        best(&mut cells_t, || {
            let g = decode_cells(black_box(&body), CellField::Values).unwrap();
            assert_eq!(g.len(), ROWS);
            black_box(g);
        });
        best(&mut value_t, || {
            let v: serde_json::Value = serde_json::from_slice(black_box(&body)).unwrap();
            black_box(v);
        });
    }
    let (c, v) = (min(&cells_t), min(&value_t));
    println!("bench: decode_1m_cells_cellvalue_ms {:.1} ms", ms(c));
    println!("bench: decode_1m_cells_serde_value_ms {:.1} ms", ms(v));
    println!(
        "bench: decode_1m_cells_ratio_vs_value {:.3} x",
        c.as_secs_f64() / v.as_secs_f64()
    );

    let (mut enc_t, mut serde_t) = (Vec::new(), Vec::new());
    let mut len = 0;
    for _ in 0..iters {
        best(&mut enc_t, || {
            len = black_box(encode_cells(black_box(&grid))).len()
        });
        best(&mut serde_t, || {
            black_box(serde_json::to_vec(black_box(&grid)).unwrap());
        });
    }
    let (e, s) = (min(&enc_t), min(&serde_t));
    println!("bench: encode_1m_cells_ms {:.1} ms", ms(e));
    println!("bench: encode_1m_cells_serde_to_vec_ms {:.1} ms", ms(s));
    println!(
        "bench: encode_1m_cells_ratio_vs_serde {:.3} x",
        e.as_secs_f64() / s.as_secs_f64()
    );
    println!("bench: encode_1m_cells_bytes {len} bytes");

    chunked_write(&grid, iters.min(3));
}

fn min(ts: &[Duration]) -> Duration {
    ts.iter().copied().min().unwrap_or_default()
}

/// `write_chunked` of the grid to a server that reads each body and answers like Graph with
/// `$select=address` (the server does not parse the cells: the figure is the client's).
fn chunked_write(grid: &Cells, iters: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use axum::body::Bytes;
        let app = axum::Router::new()
            .fallback(|body: Bytes| async move {
                black_box(body.len());
                (
                    [("content-type", "application/json")],
                    r#"{"address":"Data!A1:CV1"}"#,
                )
            })
            .layer(axum::extract::DefaultBodyLimit::max(64 << 20));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = Client::builder()
            .bearer("t")
            .base_url(format!("http://{addr}/v1.0"))
            .build()
            .unwrap();
        let range = client
            .workbook(&DriveItem::me_item("01BENCH"))
            .worksheet("Data")
            .range("A1:CV10000");
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..iters {
            let t = Instant::now();
            report = Some(
                range
                    .write_chunked(grid, WriteOptions::default())
                    .await
                    .unwrap(),
            );
            times.push(t.elapsed());
        }
        let t = min(&times);
        let r = report.unwrap();
        println!(
            "# chunked write: {} requests, largest body {} bytes",
            r.requests, r.max_request_bytes
        );
        println!("bench: chunked_write_1m_cells_ms {:.1} ms", ms(t));
        println!(
            "bench: chunked_write_cells_per_s {:.0} cells/s",
            (ROWS * COLS) as f64 / t.as_secs_f64()
        );
        server.abort();
    });
}
