//! `cargo run --example quickstart`
//!
//! createSession → write `Sheet1!A1:B2` → read it back → `sum` → closeSession.
//!
//! Offline by default: the calls go to the workbook emulator (`graph-workbook-emulator`,
//! formulas computed by IronCalc) started in this process on 127.0.0.1, over a real
//! workbook it creates under `target/quickstart/`; the session persists its changes and the
//! example prints the path of the saved .xlsx, so you can open it. With `GRAPH_TOKEN` and
//! `GRAPH_ITEM_ID` set (an .xlsx in your OneDrive, `/me/drive/items/{id}`), the same calls go
//! to Microsoft Graph; the session is then non-persistent, so the file is left unchanged.
//! `GRAPH_SHEET` picks another worksheet than `Sheet1`; `GRAPH_BASE_URL` another endpoint
//! (national clouds).

use std::path::{Path, PathBuf};

use graph_workbook::call::{decode, Call};
use graph_workbook::node::{FnArg, NodeType};
use graph_workbook::v1::{RangeUpdate, WorkbookRange, WorkbookSessionInfo};
use graph_workbook::{cells, Address, CellValue, Cells, Client, DriveItem};
use graph_workbook_emulator::{create_workbook, Emulator};

/// The workbook the offline run creates and saves, under the workspace's `target/` (the
/// emulator package sits one level below the workspace root).
pub fn local_workbook() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .unwrap_or(manifest)
        .join("target/quickstart/quickstart.xlsx")
}

/// Creates a fresh workbook at `path` and serves its folder with the emulator.
pub async fn start_local(path: &Path) -> std::io::Result<Emulator> {
    create_workbook(path)?;
    Emulator::start(path.parent().unwrap_or(Path::new("."))).await
}

#[allow(dead_code)] // main is not used when tests/quickstart.rs includes this file
#[tokio::main]
async fn main() {
    let target = Target::from_env();
    let result = match target {
        Target::Local => {
            let path = local_workbook();
            match start_local(&path).await {
                Ok(emulator) => {
                    println!(
                        "offline: the workbook emulator listens on {} (set GRAPH_TOKEN and GRAPH_ITEM_ID to use Microsoft Graph)\n",
                        emulator.url()
                    );
                    let client = Client::builder()
                        .bearer("local-demo-token")
                        .base_url(format!("{}/v1.0", emulator.url()))
                        .build();
                    let result = match client {
                        Ok(client) => {
                            run(
                                &client,
                                &DriveItem::me_path("quickstart.xlsx"),
                                "Sheet1",
                                true,
                            )
                            .await
                        }
                        Err(e) => Err(e),
                    };
                    emulator.stop().await;
                    if result.is_ok() {
                        println!("\nsaved workbook: {}", path.display());
                    }
                    result
                }
                Err(e) => {
                    eprintln!(
                        "error: cannot start the emulator over {}: {e}",
                        path.display()
                    );
                    std::process::exit(1);
                }
            }
        }
        Target::Graph {
            token,
            item_id,
            base_url,
            sheet,
        } => {
            let mut builder = Client::builder().bearer(token);
            if let Some(base) = base_url {
                builder = builder.base_url(base);
            }
            match builder.build() {
                Ok(client) => run(&client, &DriveItem::me_item(item_id), &sheet, false).await,
                Err(e) => Err(e),
            }
        }
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Where the example sends its calls.
pub enum Target {
    Local,
    Graph {
        token: String,
        item_id: String,
        base_url: Option<String>,
        sheet: String,
    },
}

impl Target {
    pub fn from_env() -> Target {
        let var = |k: &str| std::env::var(k).ok().filter(|s| !s.is_empty());
        match (var("GRAPH_TOKEN"), var("GRAPH_ITEM_ID")) {
            (Some(token), Some(item_id)) => Target::Graph {
                token,
                item_id,
                base_url: var("GRAPH_BASE_URL"),
                sheet: var("GRAPH_SHEET").unwrap_or_else(|| "Sheet1".into()),
            },
            _ => Target::Local,
        }
    }
}

/// What the run saw, for tests.
#[derive(Debug)]
pub struct Outcome {
    pub written: Cells,
    pub read_address: String,
    pub read: Cells,
    pub sum: Option<serde_json::Value>,
}

/// The five calls, as typed generated calls. Each is a request-as-data [`Call`]; the usual
/// way to send one is `.await` (e.g. `book.close_session().await?`); [`send`] does the same
/// and prints the request line and the status on the way.
pub async fn run(
    client: &Client,
    item: &DriveItem,
    sheet: &str,
    persist: bool,
) -> graph_workbook::Result<Outcome> {
    let book = client.workbook(item);
    let address = Address::new(sheet, "A1:B2")?;

    // 1. A session (non-persistent against Graph: the file is left unchanged); every call
    //    made through `book` from now on carries its `workbook-session-id`. (For long jobs,
    //    `session::Session::create(&book, SessionOptions::non_persistent())` does the same
    //    and adds keep-alive, close-once and 202-polling; here each call is spelled out.)
    let info = send(book.create_session(&WorkbookSessionInfo {
        persist_changes: Some(persist),
        ..Default::default()
    }))
    .await?;
    let id = info.id.unwrap_or_default();
    println!("   session {id}\n");
    let book = book.with_header("workbook-session-id", &id);

    // 2. Write Sheet1!A1:B2: typed cells, serialized as Graph expects.
    let written: Cells = cells![["Apples", 3], ["Pears", 4.5]];
    let range = book.worksheet(sheet).range(address.reference());
    let _: WorkbookRange = send(range.update(&RangeUpdate {
        values: Some(written.clone()),
        ..Default::default()
    }))
    .await?;
    println!("   wrote {address}: {}\n", show(&written));

    // 3. Read it back, as typed cells.
    let read = send(range.get()).await?;
    let read_address = read.address.unwrap_or_default();
    let read_values = read.values.unwrap_or_default();
    println!("   {read_address} = {}\n", show(&read_values));

    // 4. An Excel function: SUM over the range (sent as `{"values": [{"Address": ...}]}`).
    let sum = send(book.functions().sum(vec![FnArg::range(&address)])).await?;
    match (&sum.value, &sum.error) {
        (Some(v), None) => println!("   SUM({address}) = {v}\n"),
        (_, err) => println!("   SUM({address}) failed: {err:?}\n"),
    }

    // 5. Close the session.
    let () = send(book.close_session()).await?;
    println!("   session closed");
    Ok(Outcome {
        written,
        read_address,
        read: read_values,
        sum: sum.value,
    })
}

/// Sends a typed call like `.await` does, printing the request line and the status.
async fn send<T: serde::de::DeserializeOwned>(call: Call<T>) -> graph_workbook::Result<T> {
    let request = call.request();
    println!(
        "-> {} {}",
        request.method.as_str(),
        call.client().url(request)?
    );
    let response = call.client().execute(request).await;
    match &response {
        Ok(r) => {
            let reason = reqwest::StatusCode::from_u16(r.status)
                .ok()
                .and_then(|s| s.canonical_reason());
            println!("<- {} {}", r.status, reason.unwrap_or(""));
        }
        Err(e) => println!("<- {e}"),
    }
    let response = response?;
    decode(call.shape(), response.status, &response.body)
}

fn show(cells: &Cells) -> String {
    let rows: Vec<String> = cells
        .iter()
        .map(|r| {
            let c: Vec<String> = r
                .iter()
                .map(|v| match v {
                    CellValue::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                })
                .collect();
            format!("[{}]", c.join(", "))
        })
        .collect();
    format!("[{}]", rows.join(", "))
}
