//! One typed call through the packaged crate against a one-shot HTTP server on 127.0.0.1: a
//! package that misses a file, a dependency or its build step fails here, not at a user's.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use graph_workbook::{Client, DriveItem};

const BODY: &str = r#"{"address":"Sheet1!A1:B1","values":[[1,"two"]]}"#;

/// Answers one request with a range and returns its request line.
fn serve_once(listener: TcpListener) -> std::io::Result<String> {
    let (stream, _) = listener.accept()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    )?;
    Ok(request_line.trim_end().to_owned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}/v1.0", listener.local_addr()?);
    let server = std::thread::spawn(move || serve_once(listener));

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let range = rt.block_on(async {
        let client = Client::builder().bearer("token").base_url(base).build()?;
        client
            .workbook(&DriveItem::me_item("ITEM"))
            .worksheet("Sheet1")
            .range("A1:B1")
            .get()
            .await
    })?;
    let request_line = server.join().map_err(|_| "server thread panicked")??;

    let expected = "GET /v1.0/me/drive/items/ITEM/workbook/worksheets/Sheet1/range(address='A1:B1') ";
    if !request_line.starts_with(expected) {
        return Err(format!("request line `{request_line}`, expected `{expected}...`").into());
    }
    if range.address.as_deref() != Some("Sheet1!A1:B1") {
        return Err(format!("response not decoded: {:?}", range.address).into());
    }
    println!("package-check: {request_line} -> {:?}", range.values);
    Ok(())
}
