//! End to end: the generated client (`graph_workbook`) drives the emulator: sessions (with
//! the LRO poller), ranges, tables, named items, functions, errors, throttling with the
//! client's retry.

use std::path::{Path, PathBuf};
use std::time::Duration;

use graph_workbook::lro::LroOptions;
use graph_workbook::node::{FnArg, NodeType};
use graph_workbook::retry::RetryPolicy;
use graph_workbook::session::{Session, SessionOptions};
use graph_workbook::v1::{
    NamedItemCollectionAddParams, RangeInsertParams, RangeUpdate, TableCollectionAddParams,
    TableRowCollectionAddParams, WorkbookSessionInfo,
};
use graph_workbook::{cells, CellValue, Client, DriveItem, Error};
use graph_workbook_emulator::{create_workbook, Emulator, Faults, Options};

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("emu-client-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    create_workbook(&dir.join("book.xlsx")).unwrap();
    dir
}

fn client(emu: &Emulator, retry: RetryPolicy) -> Client {
    Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", emu.url()))
        .retry_policy(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn sessions_ranges_and_functions() {
    let dir = temp_dir("ranges");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));

    // An async createSession: 202 + Location, polled by the client's LRO follower.
    let lro = LroOptions::default().poll_interval(Duration::from_millis(10));
    let session = Session::create(&book, SessionOptions::non_persistent().respond_async(lro))
        .await
        .unwrap();
    assert!(!session.persist_changes());
    let sbook = session.workbook();
    let sheet = sbook.worksheet("Sheet1");
    let range = sheet.range("A1:B3");
    let r = range
        .update(&RangeUpdate {
            values: Some(cells![[1, 2], [3, 4], ["total", "=SUM(A1:B2)"]]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.values.unwrap()[2][1], CellValue::Int(10));
    let inserted = sheet
        .range("A1:B1")
        .insert(&RangeInsertParams::new(
            graph_workbook::v1::RangeInsertShift::Down,
        ))
        .await
        .unwrap();
    assert_eq!(inserted.address.as_deref(), Some("Sheet1!A1:B1"));
    let moved = sheet.range("A4:B4").get().await.unwrap();
    assert_eq!(moved.values.unwrap(), cells![["total", 10]]);
    let sum = sbook
        .functions()
        .sum(vec![FnArg::range("Sheet1!A2:B3"), FnArg::from(5)])
        .await
        .unwrap();
    assert_eq!(sum.value, Some(serde_json::json!(15.0)));
    let pmt = sbook
        .functions()
        .pmt(0.01, 12, 1000, FnArg::NONE, FnArg::NONE)
        .await
        .unwrap();
    assert!((pmt.value.unwrap().as_f64().unwrap() + 88.8488).abs() < 1e-3);
    session.close().await.unwrap();

    // Non-persistent: the file never saw the writes.
    let r = book.worksheet("Sheet1").range("A1:B1").get().await.unwrap();
    assert_eq!(r.values.unwrap(), cells![["", ""]]);

    // An unknown (expired) session is refused with the session error the client maps to
    // SessionExpired.
    let err = book
        .with_header("workbook-session-id", "cluster=EMU&session=expired")
        .worksheets()
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SessionExpired(_)), "{err:?}");
}

#[tokio::test]
async fn tables_names_and_errors() {
    let dir = temp_dir("tables");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let info = book
        .create_session(&WorkbookSessionInfo {
            persist_changes: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(info.persist_changes, Some(true));
    let book = book.with_header("workbook-session-id", info.id.as_deref().unwrap());
    book.worksheet("Sheet1")
        .range("A1:B3")
        .update(&RangeUpdate {
            values: Some(cells![["item", "qty"], ["a", 1], ["b", 2]]),
            ..Default::default()
        })
        .await
        .unwrap();
    let table = book
        .tables()
        .add(&TableCollectionAddParams {
            address: Some("Sheet1!A1:B3".into()),
            ..TableCollectionAddParams::new(true)
        })
        .await
        .unwrap();
    let name = table.name.unwrap();
    let t = book.tables().item(&name);
    t.rows()
        .add(&TableRowCollectionAddParams {
            index: Some(0),
            values: Some(cells![["z", 9]]),
        })
        .await
        .unwrap();
    let body = t.data_body_range().get().await.unwrap();
    assert_eq!(body.values.unwrap(), cells![["z", 9], ["a", 1], ["b", 2]]);
    let rows = t.rows().list().await.unwrap();
    assert_eq!(rows.len(), 3);

    book.names()
        .add(&NamedItemCollectionAddParams {
            name: Some("Qty".into()),
            reference: Some(serde_json::json!("=Sheet1!B2:B4")),
            comment: None,
        })
        .await
        .unwrap();
    let names = book.names().list().await.unwrap();
    assert_eq!(names[0].name.as_deref(), Some("Qty"));
    let total = book
        .functions()
        .sum(vec![FnArg::range("Qty")])
        .await
        .unwrap();
    assert_eq!(total.value, Some(serde_json::json!(12.0)));

    // Errors with Graph's shape.
    let err = book.worksheet("Nope").get().await.unwrap_err();
    match err {
        Error::Graph(g) => assert_eq!((g.status, g.code.as_str()), (404, "ItemNotFound")),
        other => panic!("{other:?}"),
    }
    let err = book.worksheet("Sheet1").charts().list().await.unwrap_err();
    match err {
        Error::Graph(g) => {
            assert_eq!(g.status, 501);
            assert!(g.message.contains("chartCollection.list"), "{}", g.message);
        }
        other => panic!("{other:?}"),
    }
    book.close_session().await.unwrap();
}

#[tokio::test]
async fn throttling_is_absorbed_by_the_client_retry() {
    let dir = temp_dir("faults");
    let mut opts = Options::new(&dir);
    opts.faults = Some(
        "rate=0.4,seed=11,kinds=429+429-retry-after+503+504,retry-after=0"
            .parse::<Faults>()
            .unwrap(),
    );
    let emu = Emulator::start_with(opts).await.unwrap();
    let retry = RetryPolicy::default()
        .max_attempts(12)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5));
    let c = client(&emu, retry);
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    for i in 0..15 {
        let sheets = book.worksheets().list().await.unwrap();
        assert_eq!(sheets.len(), 1, "call {i}");
    }
    // Without retries the same seed fails some calls with the injected statuses.
    let emu2 = Emulator::start_with({
        let mut o = Options::new(&dir);
        o.faults = Some("rate=0.4,seed=11".parse::<Faults>().unwrap());
        o
    })
    .await
    .unwrap();
    let c2 = client(&emu2, RetryPolicy::disabled());
    let book2 = c2.workbook(&DriveItem::me_path("book.xlsx"));
    let mut failures = 0;
    for _ in 0..15 {
        if book2.worksheets().list().await.is_err() {
            failures += 1;
        }
    }
    assert!(failures > 0);
}
