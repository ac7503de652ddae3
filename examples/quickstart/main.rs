//! `cargo run --example quickstart`
//!
//! createSession → write `Sheet1!A1:B2` → read it back → `sum` → closeSession.
//!
//! Offline by default: the calls go to a small Graph stand-in started in this process on
//! 127.0.0.1 (see `local_graph.rs`). With `GRAPH_TOKEN` and `GRAPH_ITEM_ID` set (an .xlsx in
//! your OneDrive, `/me/drive/items/{id}`), the same calls go to Microsoft Graph; the session is
//! non-persistent, so the file is left unchanged. `GRAPH_SHEET` picks another worksheet than
//! `Sheet1`; `GRAPH_BASE_URL` another endpoint (national clouds).

#[path = "../../tests/support/mod.rs"]
mod support;

pub mod local_graph;

use graph_workbook::escape::{odata_string, path_segment};
use graph_workbook::{
    cells, Address, CellValue, Cells, Client, DriveItem, Method, Request, Response,
};
use serde_json::json;

#[allow(dead_code)] // main is not used when tests/quickstart.rs includes this file
#[tokio::main]
async fn main() {
    let target = Target::from_env();
    let result = match target {
        Target::Local => {
            let server = local_graph::start().await;
            println!(
                "offline: a local Graph stand-in listens on {} (set GRAPH_TOKEN and GRAPH_ITEM_ID to use Microsoft Graph)\n",
                server.url()
            );
            let client = Client::builder()
                .bearer("local-demo-token")
                .base_url(format!("{}/v1.0", server.url()))
                .build();
            match client {
                Ok(client) => {
                    run(&client, &DriveItem::me_item("01QUICKSTART0DEMO"), "Sheet1").await
                }
                Err(e) => Err(e),
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
                Ok(client) => run(&client, &DriveItem::me_item(item_id), &sheet).await,
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

/// The five calls.
pub async fn run(
    client: &Client,
    item: &DriveItem,
    sheet: &str,
) -> graph_workbook::Result<Outcome> {
    let book = format!("{}/workbook", item.path_prefix());
    let address = Address::new(sheet, "A1:B2")?;

    // 1. A non-persistent session: every later call carries its id.
    let session: serde_json::Value = send(
        client,
        req(
            Method::Post,
            format!("{book}/createSession"),
            vec![],
            Some(json!({"persistChanges": false})),
        ),
    )
    .await?
    .json()?;
    let id = session["id"].as_str().unwrap_or_default().to_string();
    println!("   session {id}\n");
    let in_session = vec![("workbook-session-id".to_string(), id)];

    // 2. Write Sheet1!A1:B2: typed cells, serialized as Graph expects.
    let written: Cells = cells![["Apples", 3], ["Pears", 4.5]];
    let range_path = format!(
        "{book}/worksheets/{}/range(address={})",
        path_segment(sheet),
        odata_string(address.reference())
    );
    send(
        client,
        req(
            Method::Patch,
            range_path.clone(),
            in_session.clone(),
            Some(json!({ "values": written })),
        ),
    )
    .await?;
    println!("   wrote {address}: {}\n", show(&written));

    // 3. Read it back, as typed cells.
    #[derive(serde::Deserialize)]
    struct Range {
        address: String,
        values: Cells,
    }
    let read: Range = send(
        client,
        req(Method::Get, range_path, in_session.clone(), None),
    )
    .await?
    .json()?;
    println!("   {} = {}\n", read.address, show(&read.values));

    // 4. An Excel function: SUM over the range.
    #[derive(serde::Deserialize)]
    struct FunctionResult {
        value: Option<serde_json::Value>,
        error: Option<String>,
    }
    let sum: FunctionResult = send(
        client,
        req(
            Method::Post,
            format!("{book}/functions/sum"),
            in_session.clone(),
            Some(json!({"values": [{"Address": address.to_string()}]})),
        ),
    )
    .await?
    .json()?;
    match (&sum.value, &sum.error) {
        (Some(v), None) => println!("   SUM({address}) = {v}\n"),
        (_, err) => println!("   SUM({address}) failed: {err:?}\n"),
    }

    // 5. Close the session.
    send(
        client,
        req(
            Method::Post,
            format!("{book}/closeSession"),
            in_session,
            None,
        ),
    )
    .await?;
    println!("   session closed");
    Ok(Outcome {
        written,
        read_address: read.address,
        read: read.values,
        sum: sum.value,
    })
}

fn req(
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
) -> Request {
    Request {
        method,
        path,
        query: vec![],
        headers,
        body,
        operation: "quickstart",
        template: "",
    }
}

/// Prints the request line, sends, prints the status.
async fn send(client: &Client, request: Request) -> graph_workbook::Result<Response> {
    println!("-> {} {}", request.method.as_str(), client.url(&request)?);
    let response = client.execute(&request).await;
    match &response {
        Ok(r) => {
            let reason = reqwest::StatusCode::from_u16(r.status)
                .ok()
                .and_then(|s| s.canonical_reason());
            println!("<- {} {}", r.status, reason.unwrap_or(""));
        }
        Err(e) => println!("<- {e}"),
    }
    response
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
