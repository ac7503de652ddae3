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
    NamedItemCollectionAddParams, NamedItemUpdate, RangeDeleteParams, RangeDeleteShift,
    RangeFormatHorizontalAlignment, RangeFormatUpdate, RangeFormatVerticalAlignment,
    RangeInsertParams, RangeInsertShift, RangeUpdate, TableCollectionAddParams, TableColumnUpdate,
    TableRowCollectionAddParams, TableRowUpdate, WorkbookSessionInfo,
    WorkbookWorksheetProtectionOptions, WorksheetProtectionProtectParams, WorksheetUpdate,
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

#[tokio::test]
async fn table_items_by_index_row_and_column_updates_and_name_updates() {
    let dir = temp_dir("items");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let sheet = book.worksheet("Sheet1");
    sheet
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
    let t = book.tables().item(table.name.as_deref().unwrap());

    // itemAt (GET rows/itemAt(index=1), the CSDL's function form).
    let row = t.rows().item_at(1).get().await.unwrap();
    assert_eq!((row.index, row.values), (Some(1), Some(cells![["b", 2]])));
    let col = t.columns().item_at(1).get().await.unwrap();
    assert_eq!(col.name.as_deref(), Some("qty"));
    assert_eq!(col.values, Some(cells![["qty"], [1], [2]]));
    match t.rows().item_at(2).get().await.unwrap_err() {
        Error::Graph(g) => assert_eq!((g.status, g.code.as_str()), (404, "ItemNotFound")),
        other => panic!("{other:?}"),
    }

    // tableRow.update and tableColumn.update write the cells under them.
    let row = t
        .rows()
        .item("0")
        .update(&TableRowUpdate {
            values: Some(cells![["x", 5]]),
        })
        .await
        .unwrap();
    assert_eq!(row.values, Some(cells![["x", 5]]));
    let col = t
        .columns()
        .item("qty")
        .update(&TableColumnUpdate {
            values: Some(cells![["count"], [7], ["=B2*2"]]),
        })
        .await
        .unwrap();
    assert_eq!(col.name.as_deref(), Some("count"));
    assert_eq!(col.values, Some(cells![["count"], [7], [14]]));
    let err = t
        .rows()
        .item("0")
        .update(&TableRowUpdate {
            values: Some(cells![["too", "many", "cells"]]),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Graph(g) if g.status == 400),
        "{err:?}"
    );
    let cells_now = sheet.range("A1:B3").get().await.unwrap();
    assert_eq!(
        cells_now.values.unwrap(),
        cells![["item", "count"], ["x", 7], ["b", 14]]
    );

    // namedItem.update: comment and visibility, kept beside the workbook.
    book.names()
        .add(&NamedItemCollectionAddParams {
            name: Some("Counts".into()),
            reference: Some(serde_json::json!("=Sheet1!B2:B3")),
            comment: None,
        })
        .await
        .unwrap();
    let named = book
        .names()
        .item("counts")
        .update(&NamedItemUpdate {
            comment: Some("per item".into()),
            visible: Some(false),
        })
        .await
        .unwrap();
    assert_eq!(named.name.as_deref(), Some("Counts"));
    assert_eq!(
        (named.comment.as_deref(), named.visible),
        (Some("per item"), Some(false))
    );
    emu.stop().await;
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let named = book.names().item("Counts").get().await.unwrap();
    assert_eq!(
        (named.comment.as_deref(), named.visible),
        (Some("per item"), Some(false))
    );
}

#[tokio::test]
async fn partial_insert_and_delete_move_cells_and_formulas_follow() {
    let dir = temp_dir("shift");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let sheet = book.worksheet("Sheet1");
    sheet
        .range("A1:E3")
        .update(&RangeUpdate {
            values: Some(cells![
                [1, 10, "", "=B3", "=B1"],
                [2, 20, "", "=SUM(B1:B3)", ""],
                [3, 30, "", "=A3", ""]
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    let grid = |address: &'static str| {
        let sheet = sheet.clone();
        async move { sheet.range(address).get().await.unwrap() }
    };

    // Insert B2 shift Down: only column B moves (A stays); the formulas follow.
    let inserted = sheet
        .range("B2")
        .insert(&RangeInsertParams::new(RangeInsertShift::Down))
        .await
        .unwrap();
    assert_eq!(inserted.address.as_deref(), Some("Sheet1!B2"));
    let r = grid("A1:B4").await;
    assert_eq!(
        r.values.unwrap(),
        cells![[1, 10], [2, ""], [3, 20], ["", 30]]
    );
    let d = grid("D1:D3").await;
    assert_eq!(
        d.formulas.unwrap(),
        cells![["=B4"], ["=SUM(B1:B4)"], ["=A3"]]
    );
    assert_eq!(d.values.unwrap(), cells![[30], [60], [3]]);

    // Delete B2 shift Up: back where they were.
    sheet
        .range("B2")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Up))
        .await
        .unwrap();
    let r = grid("A1:B4").await;
    assert_eq!(
        r.values.unwrap(),
        cells![[1, 10], [2, 20], [3, 30], ["", ""]]
    );
    let d = grid("D1:D3").await;
    assert_eq!(
        d.formulas.unwrap(),
        cells![["=B3"], ["=SUM(B1:B3)"], ["=A3"]]
    );

    // Insert A2:B2 shift Right: rows 2 only, A2:B2 -> C2:D2, D2's formula moves to F2.
    sheet
        .range("A2:B2")
        .insert(&RangeInsertParams::new(RangeInsertShift::Right))
        .await
        .unwrap();
    let r = grid("A2:F2").await;
    // SUM(B1:B3) keeps its corners (rows 1 and 3 did not move), as in Excel: B2 is empty now.
    assert_eq!(r.values.unwrap(), cells![["", "", 2, 20, "", 40]]);
    assert_eq!(r.formulas.unwrap()[0][5], CellValue::from("=SUM(B1:B3)"));
    // Delete A2:B2 shift Left restores row 2.
    sheet
        .range("A2:B2")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Left))
        .await
        .unwrap();
    let r = grid("A2:D2").await;
    assert_eq!(r.values.unwrap(), cells![[2, 20, "", 60]]);

    // A deleted cell's references become #REF! (E1 pointed at B1).
    sheet
        .range("B1")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Up))
        .await
        .unwrap();
    let e1 = grid("E1").await;
    assert_eq!(e1.formulas.unwrap(), cells![["=#REF!"]]);
    assert_eq!(e1.values.unwrap()[0][0], CellValue::Error("#REF!".into()));
    let d1 = grid("D1").await;
    assert_eq!(d1.formulas.unwrap(), cells![["=B2"]]);
    assert_eq!(d1.values.unwrap(), cells![[30]]);

    // A shift that would tear a table is refused and changes nothing.
    book.tables()
        .add(&TableCollectionAddParams {
            address: Some("Sheet1!A6:B7".into()),
            ..TableCollectionAddParams::new(true)
        })
        .await
        .unwrap();
    let err = sheet
        .range("A3")
        .insert(&RangeInsertParams::new(RangeInsertShift::Down))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Graph(g) if g.status == 400),
        "{err:?}"
    );
    assert_eq!(grid("A3").await.values.unwrap(), cells![[3]]);
}

#[tokio::test]
async fn range_format_widths_heights_and_alignment_are_saved() {
    let dir = temp_dir("format");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let format = book.worksheet("Sheet1").range("B2:C3").format();
    let before = format.get().await.unwrap();
    let f = format
        .update(&RangeFormatUpdate {
            column_width: Some(90.0),
            row_height: Some(30.0),
            horizontal_alignment: Some(RangeFormatHorizontalAlignment::Center),
            vertical_alignment: Some(RangeFormatVerticalAlignment::Top),
            wrap_text: Some(true),
        })
        .await
        .unwrap();
    assert_ne!(before.column_width, f.column_width);
    assert_eq!((f.column_width, f.row_height), (Some(90.0), Some(30.0)));
    assert_eq!(
        f.horizontal_alignment,
        Some(RangeFormatHorizontalAlignment::Center)
    );
    assert_eq!(f.wrap_text, Some(true));
    let err = format
        .update(&RangeFormatUpdate {
            column_width: Some(-1.0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Graph(g) if g.status == 400),
        "{err:?}"
    );
    emu.stop().await;

    // Saved in the .xlsx: a fresh emulator reads the same format (C3 is inside the range,
    // D4 is not).
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let sheet = c
        .workbook(&DriveItem::me_path("book.xlsx"))
        .worksheet("Sheet1");
    let f = sheet.range("C3").format().get().await.unwrap();
    assert_eq!((f.column_width, f.row_height), (Some(90.0), Some(30.0)));
    assert_eq!(
        f.vertical_alignment,
        Some(RangeFormatVerticalAlignment::Top)
    );
    assert_eq!(f.wrap_text, Some(true));
    let d4 = sheet.range("D4").format().get().await.unwrap();
    assert_eq!(d4.column_width, before.column_width);
    assert_eq!(d4.wrap_text, Some(false));
}

#[tokio::test]
async fn worksheet_protection_is_recorded_and_follows_a_rename() {
    let dir = temp_dir("protection");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let p = book.worksheet("Sheet1").protection();
    let before = p.get().await.unwrap();
    assert_eq!(before.protected, Some(false));
    p.protect(&WorksheetProtectionProtectParams {
        options: Some(WorkbookWorksheetProtectionOptions {
            allow_sort: Some(true),
            ..Default::default()
        }),
    })
    .await
    .unwrap();
    // Protecting a protected sheet throws, as Graph documents.
    let err = p
        .protect(&WorksheetProtectionProtectParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Graph(g) if g.status == 400),
        "{err:?}"
    );
    book.worksheet("Sheet1")
        .update(&WorksheetUpdate {
            name: Some("Data".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    emu.stop().await;

    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let p = c
        .workbook(&DriveItem::me_path("book.xlsx"))
        .worksheet("Data")
        .protection();
    let got = p.get().await.unwrap();
    assert_eq!(got.protected, Some(true));
    let options = got.options.unwrap();
    assert_eq!(
        (options.allow_sort, options.allow_delete_rows),
        (Some(true), Some(false))
    );
    p.unprotect().await.unwrap();
    assert_eq!(p.get().await.unwrap().protected, Some(false));
}

#[tokio::test]
async fn whole_row_and_column_shifts_move_the_tables() {
    let dir = temp_dir("table-moves");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let sheet = book.worksheet("Sheet1");
    sheet
        .range("A5:B7")
        .update(&RangeUpdate {
            values: Some(cells![["item", "qty"], ["a", 1], ["b", 2]]),
            ..Default::default()
        })
        .await
        .unwrap();
    let table = book
        .tables()
        .add(&TableCollectionAddParams {
            address: Some("Sheet1!A5:B7".into()),
            ..TableCollectionAddParams::new(true)
        })
        .await
        .unwrap();
    let t = book.tables().item(table.name.as_deref().unwrap());
    let address = || async { t.range().get().await.unwrap().address.unwrap() };

    sheet
        .range("2:3")
        .insert(&RangeInsertParams::new(RangeInsertShift::Down))
        .await
        .unwrap();
    assert_eq!(address().await, "Sheet1!A7:B9");
    sheet
        .range("8:8")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Up))
        .await
        .unwrap();
    assert_eq!(address().await, "Sheet1!A7:B8");
    assert_eq!(
        t.data_body_range().get().await.unwrap().values.unwrap(),
        cells![["b", 2]]
    );
    sheet
        .range("A:A")
        .insert(&RangeInsertParams::new(RangeInsertShift::Right))
        .await
        .unwrap();
    assert_eq!(address().await, "Sheet1!B7:C8");
    // The header row alone cannot go.
    let err = sheet
        .range("7:7")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Up))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Graph(g) if g.status == 400),
        "{err:?}"
    );
    // Deleting all its rows removes the table.
    sheet
        .range("7:8")
        .delete(&RangeDeleteParams::new(RangeDeleteShift::Up))
        .await
        .unwrap();
    assert!(book.tables().list().await.unwrap().is_empty());
}

/// Operations that only Graph's metadata defines, through the generated client: the worksheet
/// `add` action, `count` on tables, rows and columns, and the OData create of a table row.
#[tokio::test]
async fn operations_from_the_metadata() {
    let dir = temp_dir("metadata");
    let emu = Emulator::start(&dir).await.unwrap();
    let c = client(&emu, RetryPolicy::disabled());
    let book = c.workbook(&DriveItem::me_path("book.xlsx"));
    let added = book
        .worksheets()
        .add(&graph_workbook::v1::WorksheetCollectionAddParams {
            name: Some("Data".into()),
        })
        .await
        .unwrap();
    assert_eq!(added.name.as_deref(), Some("Data"));
    let sheet = book.worksheet("Data");
    sheet
        .range("A1:C2")
        .update(&RangeUpdate {
            values: Some(cells![["a", "b", "c"], [1, 2, 3]]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(book.tables().count().await.unwrap(), 0);
    let table = book
        .tables()
        .add(&TableCollectionAddParams {
            address: Some("Data!A1:C2".into()),
            ..TableCollectionAddParams::new(true)
        })
        .await
        .unwrap();
    assert_eq!(book.tables().count().await.unwrap(), 1);
    let t = book.tables().item(table.name.as_deref().unwrap());
    assert_eq!(t.columns().count().await.unwrap(), 3);
    assert_eq!(t.rows().count().await.unwrap(), 1);
    let row = t
        .rows()
        .create(&graph_workbook::v1::WorkbookTableRow {
            values: Some(cells![[4, 5, 6]]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(row.values, Some(cells![[4, 5, 6]]));
    assert_eq!(t.rows().count().await.unwrap(), 2);
    let grid = sheet.range("A3:C3").get().await.unwrap();
    assert_eq!(grid.values, Some(cells![[4, 5, 6]]));
}
