//! LibreOffice as the outside truth: the .xlsx the emulator saved, opened by LibreOffice
//! (recalculating every formula on load) and converted to CSV, must show what the emulator
//! answered; and a workbook LibreOffice wrote (from CSV) must load in the emulator.
//!
//! Needs `soffice` (Debian `libreoffice-calc-nogui`). Without it the test reports a skip,
//! except under `CI=true`, where a missing soffice is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use graph_workbook_emulator::{create_workbook, Emulator};
use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("emu-lo-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("soffice"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: soffice (libreoffice-calc-nogui) is required for the LibreOffice checks"
        );
        eprintln!("skipped: soffice not found (install libreoffice-calc-nogui)");
    }
    found
}

/// A private LibreOffice profile that recalculates OOXML formulas on load, so the CSV shows
/// LibreOffice's own results rather than the values cached in the file.
fn profile(dir: &Path) -> String {
    let user = dir.join("lo-profile/user");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    )
}

fn convert(soffice: &Path, dir: &Path, input: &Path, to: &str, out: &Path) {
    let status = Command::new(soffice)
        .arg(profile(dir))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out)
        .arg(input)
        .output()
        .expect("run soffice");
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Minimal CSV reader for LibreOffice's output (quoted fields, `""` escapes).
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    for line in text.lines() {
        let mut row = vec![];
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => row.push(std::mem::take(&mut field)),
                (c, _) => field.push(c),
            }
        }
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A copy of `src` whose cached result of the formula in `cell` (first sheet) is `fake`.
fn with_fake_cached_value(src: &Path, dst: &Path, cell: &str, fake: &str) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let mut replaced = false;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).unwrap();
            let start = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
            let v0 = start + xml[start..].find("<v>").unwrap() + 3;
            let v1 = v0 + xml[v0..].find("</v>").unwrap();
            data = format!("{}{fake}{}", &xml[..v0], &xml[v1..]).into_bytes();
            replaced = true;
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap();
    assert!(replaced, "sheet1.xml not found in {}", src.display());
}

fn same(emulator: &Value, lo: &str) -> bool {
    match emulator {
        Value::Number(n) => lo
            .parse::<f64>()
            .is_ok_and(|x| (x - n.as_f64().unwrap()).abs() <= 1e-9 * x.abs().max(1.0)),
        Value::Bool(b) => lo.eq_ignore_ascii_case(if *b { "TRUE" } else { "FALSE" }),
        Value::String(s) => s == lo,
        _ => false,
    }
}

#[tokio::test]
async fn libreoffice_reads_what_the_emulator_saved() {
    let Some(soffice) = soffice() else { return };
    let dir = temp_dir("saved");
    let drive = dir.join("drive");
    create_workbook(&drive.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&drive).await.unwrap();
    let url = format!(
        "{}/v1.0/me/drive/root:/book.xlsx:/workbook/worksheets/Sheet1/range(address='A1:D4')",
        emu.url()
    );
    let http = reqwest::Client::new();
    let body = json!({"values": [
        [1, 2.5, "=A1+B1", "=SUM(A1:C1)"],
        ["text", true, "=IF(B2,\"yes\",\"no\")", "=LEN(A2)"],
        [10, 3, "=MOD(A3,B3)", "=ROUND(A3/B3,4)"],
        ["=CONCATENATE(A2,\"-\",A1)", "=AVERAGE(A1:B1,A3:B3)", "=MAX(A1:B3)", "=SQRT(16)*PI()"],
    ]});
    let resp = http
        .patch(&url)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let answered: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    emu.stop().await;

    // LibreOffice recalculates on load: a wrong cached value in the file does not show.
    let fake = dir.join("fake.xlsx");
    with_fake_cached_value(&drive.join("book.xlsx"), &fake, "C1", "999");
    let out = dir.join("csv");
    convert(&soffice, &dir, &fake, "csv", &out);
    let csv = read_csv(&std::fs::read_to_string(out.join("fake.csv")).unwrap());
    assert_eq!(
        csv[0][2], "3.5",
        "LibreOffice shows its own result, not the cached one"
    );

    convert(&soffice, &dir, &drive.join("book.xlsx"), "csv", &out);
    let csv = read_csv(&std::fs::read_to_string(out.join("book.csv")).unwrap());
    let values = answered["values"].as_array().unwrap();
    assert_eq!(csv.len(), values.len(), "{csv:?}");
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.as_array().unwrap().iter().enumerate() {
            assert!(
                same(v, &csv[i][j]),
                "cell ({i},{j}): emulator {v}, LibreOffice {:?}",
                csv[i][j]
            );
        }
    }
}

#[tokio::test]
async fn the_emulator_loads_a_workbook_libreoffice_wrote() {
    let Some(soffice) = soffice() else { return };
    let dir = temp_dir("written");
    let drive = dir.join("drive");
    std::fs::create_dir_all(&drive).unwrap();
    let csv = dir.join("lo.csv");
    std::fs::write(&csv, "name,qty,price\napples,3,1.25\npears,4,0.5\n").unwrap();
    convert(&soffice, &dir, &csv, "xlsx", &drive);
    let emu = Emulator::start(&drive).await.unwrap();
    let base = format!("{}/v1.0/me/drive/root:/lo.xlsx:/workbook", emu.url());
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = &http;
        async move {
            let r = http.get(path).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200);
            serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).unwrap()
        }
    };
    let ws = get(format!("{base}/worksheets")).await;
    let sheet = ws["value"][0]["name"].as_str().unwrap().to_string();
    let used = get(format!("{base}/worksheets('{sheet}')/usedRange")).await;
    assert_eq!(
        used["values"],
        json!([
            ["name", "qty", "price"],
            ["apples", 3, 1.25],
            ["pears", 4, 0.5]
        ])
    );
    let r = http
        .post(format!("{base}/functions/sum"))
        .body(json!({"values": [{"Address": format!("'{sheet}'!B2:C3")}]}).to_string())
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(v["value"], json!(8.75), "{v}");
}

#[tokio::test]
async fn libreoffice_agrees_after_partial_shifts_and_table_row_updates() {
    let Some(soffice) = soffice() else { return };
    let dir = temp_dir("shifted");
    let drive = dir.join("drive");
    create_workbook(&drive.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&drive).await.unwrap();
    let base = format!("{}/v1.0/me/drive/root:/book.xlsx:/workbook", emu.url());
    let http = reqwest::Client::new();
    let send = |method: &str, path: String, body: Value| {
        let req = http.request(method.parse().unwrap(), format!("{base}/{path}"));
        async move {
            let r = req.body(body.to_string()).send().await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            assert!(status < 300, "{status}: {text}");
            serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)
        }
    };
    let ws = "worksheets/Sheet1";
    send(
        "PATCH",
        format!("{ws}/range(address='A1:E4')"),
        json!({"values": [
            [1, 10, 100, "=B3*2", "=SUM(B1:B4)"],
            [2, 20, 200, "=A2+C2", "=C3-B2"],
            [3, 30, 300, "=AVERAGE(A1:A3)", "=B1&\"-\"&C1"],
            [4, 40, 400, "=SUMPRODUCT(A1:A4,B1:B4)", "=MAX(C1:C4)"],
        ]}),
    )
    .await;
    for (address, op, shift) in [
        ("B2:C2", "insert", "Down"),
        ("A3", "insert", "Right"),
        // No deleted cell is referenced (LibreOffice and IronCalc name the errors that
        // follow from a #REF! differently); the client tests check #REF!.
        ("D1", "delete", "Up"),
        ("E2", "delete", "Up"),
    ] {
        send(
            "POST",
            format!("{ws}/range(address='{address}')/{op}"),
            json!({ "shift": shift }),
        )
        .await;
    }
    send(
        "POST",
        "tables/add".into(),
        json!({"address": "Sheet1!G1:H3", "hasHeaders": true}),
    )
    .await;
    send(
        "PATCH",
        "tables/Table1/rows/1".into(),
        json!({"values": [["=A1*3", 7]]}),
    )
    .await;
    let used = send("GET", format!("{ws}/usedRange"), Value::Null).await;
    emu.stop().await;
    assert!(
        used["address"].as_str().unwrap().starts_with("Sheet1!A1:"),
        "{used}"
    );

    let out = dir.join("csv");
    convert(&soffice, &dir, &drive.join("book.xlsx"), "csv", &out);
    let csv = read_csv(&std::fs::read_to_string(out.join("book.csv")).unwrap());
    let values = used["values"].as_array().unwrap();
    assert_eq!(csv.len(), values.len(), "{csv:?} vs {used}");
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.as_array().unwrap().iter().enumerate() {
            let lo = csv[i].get(j).map(String::as_str).unwrap_or("");
            assert!(
                same(v, lo),
                "cell ({i},{j}): emulator {v}, LibreOffice {lo:?}; formulas {}",
                used["formulas"]
            );
        }
    }
}
