//! The smallest program that uses graph-workbook: one typed call (read a range), for the
//! footprint figures of `scripts/bench.sh` (compile time of a tiny binary, stripped release
//! size).
//!
//! ```sh
//! GRAPH_TOKEN=... GRAPH_ITEM_ID=... cargo run --example one_call [-- 'Sheet1' 'A1:B2']
//! ```
//!
//! `GRAPH_BASE_URL` points it elsewhere than `https://graph.microsoft.com/v1.0`.

use graph_workbook::{Client, DriveItem};

fn main() -> std::process::ExitCode {
    let (Ok(token), Ok(item)) = (std::env::var("GRAPH_TOKEN"), std::env::var("GRAPH_ITEM_ID"))
    else {
        eprintln!("one_call: set GRAPH_TOKEN and GRAPH_ITEM_ID (and optionally GRAPH_BASE_URL)");
        return std::process::ExitCode::from(2);
    };
    let mut args = std::env::args().skip(1);
    let sheet = args.next().unwrap_or_else(|| "Sheet1".into());
    let address = args.next().unwrap_or_else(|| "A1:B2".into());

    let mut builder = Client::builder().bearer(token);
    if let Ok(base) = std::env::var("GRAPH_BASE_URL") {
        builder = builder.base_url(base);
    }
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(async {
                let client = builder.build().map_err(|e| e.to_string())?;
                client
                    .workbook(&DriveItem::me_item(item))
                    .worksheet(&sheet)
                    .range(address.as_str())
                    .get()
                    .await
                    .map_err(|e| e.to_string())
            })
        });
    match result {
        Ok(range) => {
            println!(
                "{}: {:?}",
                range.address.unwrap_or_default(),
                range.values.unwrap_or_default()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("one_call: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
