//! The binary: first stdout line, serving, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[cfg(unix)]
#[test]
fn binary_prints_its_url_serves_and_stops_on_sigterm() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("emu-binary");
    let _ = std::fs::remove_dir_all(&dir);
    graph_workbook_emulator::create_workbook(&dir.join("book.xlsx")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_graph-workbook-emulator"))
        .args(["--dir", dir.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .map(|port| format!("http://127.0.0.1:{port}"));
    let Some(url) = url else {
        let _ = child.kill();
        panic!("first line: {first:?}");
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = rt.block_on(async {
        let root = "me/drive/root";
        let r = reqwest::get(format!("{url}/v1.0/{root}/children"))
            .await
            .unwrap();
        r.text().await.unwrap()
    });
    assert!(body.contains("book.xlsx"), "{body}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit status after SIGTERM: {exit:?}");
}

#[test]
fn binary_rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_graph-workbook-emulator"))
        .args(["--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dir is required"));
    let out = Command::new(env!("CARGO_BIN_EXE_graph-workbook-emulator"))
        .args(["--dir", ".", "--faults", "rate=7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
