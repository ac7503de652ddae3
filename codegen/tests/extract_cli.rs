//! The `graph-workbook-codegen extract` command line: summary line, exit status, stale files, determinism.

use std::path::{Path, PathBuf};
use std::process::Command;

const PAGE: &str = "# t\n\n## HTTP request\n```http\nPOST /me/drive/items/{id}/workbook/closeSession\nworkbook-session-id: {session-id}\n```\n## Request headers\n| a | b |\n|--|--|\n| Authorization | Bearer {token}. Required. |\n| workbook-session-id | x |\n\n## Response\nGives `204 No Content`.\n";

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("codegen-extract-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(docs: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_graph-workbook-codegen"))
        .args(["extract", "--docs"])
        .arg(docs)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn extract_writes_spec_and_prints_the_summary_line() {
    let root = tmp("ok");
    let docs = root.join("docs");
    let api = docs.join("api-reference/v1.0/api");
    std::fs::create_dir_all(&api).unwrap();
    std::fs::write(api.join("workbook-closesession.md"), PAGE).unwrap();
    std::fs::write(api.join("broken.md"), b"```http\nPOST /workbook/x(\xff\n").unwrap();
    let out = root.join("spec");
    // a stale file from an earlier run must disappear
    std::fs::create_dir_all(out.join("v1.0/operations")).unwrap();
    std::fs::write(out.join("v1.0/operations/gone.json"), "{}").unwrap();

    let o = run(&docs, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("extracted: versions=1 pages=2 operations=2 paths=2 types=0 diagnostics="),
        "{last}"
    );
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("pages/s"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("api-reference/v1.0/api/broken.md:")),
        "{stderr}"
    );
    assert!(!out.join("v1.0/operations/gone.json").exists());
    assert!(out
        .join("v1.0/operations/workbook.closeSession.json")
        .exists());

    let first = read_tree(&out);
    let o2 = run(&docs, &out);
    assert!(o2.status.success());
    assert_eq!(
        first,
        read_tree(&out),
        "a second run must write identical bytes"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn extract_fails_only_without_docs() {
    let root = tmp("none");
    let o = run(&root.join("nothing-here"), &root.join("spec"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no docs"));
    let _ = std::fs::remove_dir_all(&root);
}
