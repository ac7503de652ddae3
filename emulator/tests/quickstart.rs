//! Runs the quickstart example's five calls against the workbook emulator, so a change that
//! breaks `cargo run --example quickstart` fails the test suite; then checks the saved .xlsx.

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

use std::path::Path;

use graph_workbook::{CellValue, Client, DriveItem, Error};

fn client(url: &str) -> Client {
    Client::builder()
        .bearer("t")
        .base_url(format!("{url}/v1.0"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn quickstart_runs_offline_and_saves_the_workbook() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quickstart-test/quickstart.xlsx");
    let emu = quickstart::start_local(&path).await.unwrap();
    let out = quickstart::run(
        &client(emu.url()),
        &DriveItem::me_path("quickstart.xlsx"),
        "Sheet1",
        true,
    )
    .await
    .unwrap();
    assert_eq!(out.read, out.written);
    assert_eq!(out.read[1][1], CellValue::Number(4.5));
    // Whole numbers come back as integers, as Graph writes them.
    assert_eq!(out.read[0][1], CellValue::Int(3));
    assert_eq!(out.read_address, "Sheet1!A1:B2");
    assert_eq!(out.sum, Some(serde_json::json!(7.5)));
    emu.stop().await;

    // The persistent session saved the values: a fresh emulator reads them from the file.
    let emu = graph_workbook_emulator::Emulator::start(path.parent().unwrap())
        .await
        .unwrap();
    let book = client(emu.url()).workbook(&DriveItem::me_path("quickstart.xlsx"));
    let range = book.worksheet("Sheet1").range("A1:B2").get().await.unwrap();
    assert_eq!(range.values.unwrap(), out.written);
}

#[tokio::test]
async fn quickstart_with_a_missing_sheet_name_reports_it() {
    // The escaped name arrives intact and is reported missing (404 ItemNotFound).
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quickstart-test-2/quickstart.xlsx");
    let emu = quickstart::start_local(&path).await.unwrap();
    let err = quickstart::run(
        &client(emu.url()),
        &DriveItem::me_path("quickstart.xlsx"),
        "Q1 '24 #2",
        false,
    )
    .await
    .unwrap_err();
    match err {
        Error::Graph(g) => {
            assert_eq!(g.status, 404);
            assert!(g.message.contains("\"Q1 '24 #2\""), "{}", g.message);
        }
        other => panic!("{other:?}"),
    }
}
