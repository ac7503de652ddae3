//! The emulator over plain HTTP: drive items, confinement, sessions, ranges, functions,
//! tables, errors, limits and faults.

use std::path::{Path, PathBuf};
use std::time::Duration;

use graph_workbook_emulator::{create_workbook, Emulator, Faults, Options};
use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("emu-http-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(emu: &Emulator) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: format!("{}/v1.0", emu.url()),
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(m, format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, v)
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None, &[]).await
    }
}

const BOOK: &str = "/me/drive/root:/book.xlsx:/workbook";

#[tokio::test]
async fn ranges_sessions_and_persistence() {
    let dir = temp_dir("ranges");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);

    // Sessionless write: saved.
    let (st, r) = api
        .send(
            "PATCH",
            &format!("{BOOK}/worksheets/Sheet1/range(address='A1:B2')"),
            Some(json!({"values": [[1, 2], ["x", "=A1+B1"]]})),
            &[],
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["values"], json!([[1, 2], ["x", 3]]));
    assert_eq!(r["formulas"][1][1], json!("=A1+B1"));
    assert_eq!(
        r["valueTypes"],
        json!([["Double", "Double"], ["String", "Double"]])
    );
    assert_eq!(r["address"], json!("Sheet1!A1:B2"));
    assert_eq!(
        (r["rowCount"].clone(), r["columnCount"].clone()),
        (json!(2), json!(2))
    );

    // null leaves a cell, "" clears it; numberFormat and text.
    let (st, r) = api
        .send(
            "PATCH",
            &format!("{BOOK}/worksheets/Sheet1/range(address='A1:B1')"),
            Some(json!({"values": [[null, ""]], "numberFormat": [["0.00", null]]})),
            &[],
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["values"], json!([[1, ""]]));
    assert_eq!(r["text"], json!([["1.00", ""]]));
    assert_eq!(r["numberFormat"][0][0], json!("0.00"));

    // A shape mismatch is InvalidArgument and changes nothing.
    let (st, e) = api
        .send(
            "PATCH",
            &format!("{BOOK}/worksheets/Sheet1/range(address='A1:B2')"),
            Some(json!({"values": [[9]]})),
            &[],
        )
        .await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (400, json!("InvalidArgument"))
    );
    let (_, r) = api
        .get(&format!("{BOOK}/worksheets/Sheet1/range(address='A2:B2')"))
        .await;
    assert_eq!(r["values"], json!([["x", 1]]));

    // Range navigation.
    let (_, r) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='B2:C4')/cell(row=1,column=1)"
        ))
        .await;
    assert_eq!(
        (
            r["address"].clone(),
            r["rowIndex"].clone(),
            r["columnIndex"].clone()
        ),
        (json!("Sheet1!C3"), json!(2), json!(2))
    );
    let (_, r) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='B2:C4')/lastCell"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!C4"));
    let (_, r) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='B2:C4')/entireRow"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!2:4"));
    let (_, r) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='B2')/offsetRange(rowOffset=1,columnOffset=2)"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!D3"));
    let (_, r) = api
        .get(&format!("{BOOK}/worksheets/Sheet1/usedRange"))
        .await;
    assert_eq!(r["address"], json!("Sheet1!A1:B2"));
    let (st, _) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='A1')/offsetRange(rowOffset=-1,columnOffset=0)"
        ))
        .await;
    assert_eq!(st, 400);
    let (st, _) = api
        .get(&format!(
            "{BOOK}/worksheets/Sheet1/range(address='A1')/rowsBelow(count=2147483647)"
        ))
        .await;
    assert_eq!(st, 400);

    // Non-persistent session: visible inside, never saved.
    let (st, s) = api
        .send(
            "POST",
            &format!("{BOOK}/createSession"),
            Some(json!({"persistChanges": false})),
            &[],
        )
        .await;
    assert_eq!(st, 201);
    let sid = s["id"].as_str().unwrap().to_string();
    let hs = [("workbook-session-id", sid.as_str())];
    let (st, _) = api
        .send(
            "PATCH",
            &format!("{BOOK}/worksheets/Sheet1/range(address='A1')"),
            Some(json!({"values": [[100]]})),
            &hs,
        )
        .await;
    assert_eq!(st, 200);
    let (_, r) = api
        .send(
            "GET",
            &format!("{BOOK}/worksheets/Sheet1/range(address='A1:B2')"),
            None,
            &hs,
        )
        .await;
    assert_eq!(
        r["values"][1][1],
        json!(100),
        "B2 = A1+B1 recalculated in the session"
    );
    let (st, _) = api
        .send("POST", &format!("{BOOK}/closeSession"), None, &hs)
        .await;
    assert_eq!(st, 204);
    let (st, e) = api
        .send("GET", &format!("{BOOK}/worksheets"), None, &hs)
        .await;
    assert_eq!(st, 404);
    assert_eq!(
        e["error"]["innerError"]["code"],
        json!("invalidSessionReCreatable")
    );

    // The file on disk has the sessionless writes only.
    emu.stop().await;
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    let (_, r) = api
        .get(&format!("{BOOK}/worksheets/Sheet1/range(address='A1:A2')"))
        .await;
    assert_eq!(r["values"], json!([[1], ["x"]]));
}

#[tokio::test]
async fn session_expiry_and_async_create() {
    let dir = temp_dir("expiry");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let mut opts = Options::new(&dir);
    opts.session_ttl = Duration::from_millis(300);
    let emu = Emulator::start_with(opts).await.unwrap();
    let api = Api::new(&emu);
    let (_, s) = api
        .send(
            "POST",
            &format!("{BOOK}/createSession"),
            Some(json!({"persistChanges": true})),
            &[],
        )
        .await;
    let sid = s["id"].as_str().unwrap().to_string();
    let hs = [("workbook-session-id", sid.as_str())];
    let (st, _) = api
        .send("POST", &format!("{BOOK}/refreshSession"), None, &hs)
        .await;
    assert_eq!(st, 204);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (st, e) = api
        .send("POST", &format!("{BOOK}/refreshSession"), None, &hs)
        .await;
    assert_eq!(
        (st, e["error"]["innerError"]["code"].clone()),
        (404, json!("invalidSessionReCreatable"))
    );

    // Prefer: respond-async -> 202 + Location -> running -> succeeded -> resource.
    let resp = reqwest::Client::new()
        .post(format!("{}/v1.0{BOOK}/createSession", emu.url()))
        .header("Prefer", "respond-async")
        .body(r#"{"persistChanges": false}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    let poll = || async { reqwest::get(&loc).await.unwrap().json_value().await };
    assert_eq!(poll().await["status"], json!("running"));
    let done = poll().await;
    assert_eq!(done["status"], json!("succeeded"));
    let res = reqwest::get(done["resourceLocation"].as_str().unwrap())
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(res["persistChanges"], json!(false));
    assert!(res["id"].as_str().is_some_and(|s| !s.is_empty()));
}

trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_slice(&self.bytes().await.unwrap()).unwrap()
    }
}

#[tokio::test]
async fn drive_items_and_confinement() {
    let dir = temp_dir("drive");
    let outside = temp_dir("drive-outside");
    create_workbook(&outside.join("secret.xlsx")).unwrap();
    create_workbook(&dir.join("a.xlsx")).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    create_workbook(&dir.join("sub/b.xlsx")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);

    let root = "/me/drive/root";
    let (st, list) = api.get(&format!("{root}/children")).await;
    assert_eq!(st, 200);
    let names: Vec<&str> = list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"a.xlsx") && names.contains(&"sub"),
        "{names:?}"
    );

    // By path and by stable id, through every drive prefix.
    let (_, item) = api.get("/me/drive/root:/sub/b.xlsx:").await;
    let id = item["id"].as_str().unwrap().to_string();
    for prefix in [
        format!("/me/drive/items/{id}"),
        format!("/drives/d1/items/{id}"),
        format!("/sites/s1/drive/items/{id}"),
        format!("/groups/g1/drive/items/{id}"),
        format!("/users/u1/drive/items/{id}"),
        "/users/u1/drive/root:/sub/b.xlsx:".to_string(),
    ] {
        let (st, ws) = api.get(&format!("{prefix}/workbook/worksheets")).await;
        assert_eq!(
            (st, ws["value"][0]["name"].clone()),
            (200, json!("Sheet1")),
            "{prefix}"
        );
    }
    let (st, e) = api.get("/me/drive/items/NOPE/workbook/worksheets").await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (404, json!("ItemNotFound"))
    );

    // Escapes are refused with 400 and touch nothing.
    for bad in [
        "/me/drive/root:/..%2Foutside.xlsx:/content",
        "/me/drive/root:/%2e%2e%2fdrive-outside%2fsecret.xlsx:/content",
        "/me/drive/root:/sub%5C..%5C..%5Cx.xlsx:/content",
        "/me/drive/root:/%2Fetc%2Fpasswd:/content",
        "/me/drive/root:/link/secret.xlsx:/content",
        "/me/drive/root:/link/new.xlsx:/content",
    ] {
        for method in ["GET", "PUT"] {
            let (st, e) = api.send(method, bad, Some(json!("x")), &[]).await;
            assert_eq!(
                (st, e["error"]["code"].clone()),
                (400, json!("InvalidArgument")),
                "{method} {bad}"
            );
        }
    }
    assert!(!outside.join("new.xlsx").exists());

    // Upload (create, replace) and download; the body limit answers 413.
    let bytes = std::fs::read(dir.join("a.xlsx")).unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1.0/me/drive/root:/up/c.xlsx:/content", emu.url());
    let st = http
        .put(&url)
        .body(bytes.clone())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(st, 201);
    let st = http
        .put(&url)
        .body(bytes.clone())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(st, 200);
    let got = http.get(&url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(got.as_ref(), bytes.as_slice());
    let big = vec![0u8; 5 << 20];
    let resp = http.put(&url).body(big).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    assert_eq!(
        resp.json_value().await["error"]["code"],
        json!("RequestEntityTooLarge")
    );
    assert_eq!(
        std::fs::read(dir.join("up/c.xlsx")).unwrap(),
        bytes,
        "a refused upload changes nothing"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("up"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

#[tokio::test]
async fn errors_and_unimplemented_operations() {
    let dir = temp_dir("errors");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    let (st, e) = api.get(&format!("{BOOK}/worksheets/Sheet1/charts")).await;
    assert_eq!(st, 501);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chartCollection.list"),
        "{e}"
    );
    let (st, e) = api.get(&format!("{BOOK}/worksheets/Nope")).await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (404, json!("ItemNotFound"))
    );
    let (st, e) = api
        .get(&format!("{BOOK}/worksheets/Sheet1/range(address='A0')"))
        .await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (400, json!("InvalidArgument"))
    );
    let (st, _) = api.get(&format!("{BOOK}/nonsense")).await;
    assert_eq!(st, 400);
    let (st, e) = api
        .send(
            "POST",
            &format!("{BOOK}/functions/sum"),
            Some(json!({"values": [{"Address": "Nope!A1"}]})),
            &[],
        )
        .await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (400, json!("InvalidArgument"))
    );
    let (st, _) = api
        .send(
            "POST",
            &format!("{BOOK}/functions/notAFunction"),
            Some(json!({})),
            &[],
        )
        .await;
    assert_eq!(st, 501);
    let (st, _) = api
        .get("/me/drive/root:/missing.xlsx:/workbook/worksheets")
        .await;
    assert_eq!(st, 404);
}

#[tokio::test]
async fn functions_follow_graph_conventions() {
    let dir = temp_dir("functions");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    api.send(
        "PATCH",
        &format!("{BOOK}/worksheets/Sheet1/range(address='A1:A3')"),
        Some(json!({"values": [[1], [2], [3.5]]})),
        &[],
    )
    .await;
    let call = |name: &str, body: Value| {
        let api = &api;
        let path = format!("{BOOK}/functions/{name}");
        async move { api.send("POST", &path, Some(body), &[]).await }
    };
    let (st, r) = call("sum", json!({"values": [{"Address": "Sheet1!A1:A3"}, 10]})).await;
    assert_eq!(
        (st, r["value"].clone(), r["error"].clone()),
        (200, json!(16.5), Value::Null)
    );
    let (_, r) = call("pmt", json!({"rate": 0.01, "nper": 12, "pv": 1000})).await;
    assert!((r["value"].as_f64().unwrap() + 88.8488).abs() < 1e-3, "{r}");
    let (_, r) = call("vlookup", json!({"lookupValue": 2, "tableArray": {"Address": "Sheet1!A1:A3"}, "colIndexNum": 1, "rangeLookup": false})).await;
    assert_eq!(r["value"], json!(2.0));
    let (_, r) = call("norm_S_Dist", json!({"z": 0, "cumulative": true})).await;
    assert_eq!(r["value"], json!(0.5));
    let (_, r) = call("sqrt", json!({"number": -1})).await;
    assert_eq!(
        (r["value"].clone(), r["error"].clone()),
        (Value::Null, json!("#NUM!"))
    );
    let (_, r) = call("concatenate", json!({"values": ["a", "b"]})).await;
    assert_eq!(r["value"], json!("ab"));
    // The scratch sheet is gone and nothing else changed.
    let (_, ws) = api.get(&format!("{BOOK}/worksheets")).await;
    assert_eq!(ws["value"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn worksheets_names_and_tables_survive_reopening() {
    let dir = temp_dir("tables");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    let (st, ws) = api
        .send(
            "POST",
            &format!("{BOOK}/worksheets"),
            Some(json!({"name": "Data"})),
            &[],
        )
        .await;
    assert_eq!(
        (st, ws["name"].clone(), ws["position"].clone()),
        (201, json!("Data"), json!(1))
    );
    let (st, ws) = api
        .send(
            "PATCH",
            &format!("{BOOK}/worksheets/Data"),
            Some(json!({"name": "Q1 '24", "position": 0})),
            &[],
        )
        .await;
    assert_eq!((st, ws["position"].clone()), (200, json!(0)), "{ws}");
    let sheet = "/worksheets('Q1%20''24')";
    let (st, _) = api
        .send(
            "PATCH",
            &format!("{BOOK}{sheet}/range(address='A1:B3')"),
            Some(json!({"values": [["Fruit", "Qty"], ["Apples", 3], ["Pears", 4]]})),
            &[],
        )
        .await;
    assert_eq!(st, 200);

    let (st, t) = api
        .send(
            "POST",
            &format!("{BOOK}/tables/add"),
            Some(json!({"address": "'Q1 ''24'!A1:B3", "hasHeaders": true})),
            &[],
        )
        .await;
    assert_eq!(st, 201, "{t}");
    let tname = t["name"].as_str().unwrap().to_string();
    let (st, row) = api
        .send(
            "POST",
            &format!("{BOOK}/tables/{tname}/rows/add"),
            Some(json!({"values": [["Plums", 5]]})),
            &[],
        )
        .await;
    assert_eq!((st, row["index"].clone()), (201, json!(2)), "{row}");
    let (st, r) = api
        .send(
            "POST",
            &format!("{BOOK}/names/add"),
            Some(json!({"name": "Qty", "reference": "='Q1 ''24'!B2:B4"})),
            &[],
        )
        .await;
    assert_eq!(st, 200, "{r}");

    emu.stop().await;
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    let (_, body) = api
        .get(&format!("{BOOK}/tables/{tname}/dataBodyRange"))
        .await;
    assert_eq!(
        body["values"],
        json!([["Apples", 3], ["Pears", 4], ["Plums", 5]])
    );
    let (_, h) = api
        .get(&format!("{BOOK}/tables/{tname}/headerRowRange"))
        .await;
    assert_eq!(h["address"], json!("'Q1 ''24'!A1:B1"));
    let (_, cols) = api.get(&format!("{BOOK}/tables/{tname}/columns")).await;
    assert_eq!(cols["value"][1]["name"], json!("Qty"));
    let (_, r) = api.get(&format!("{BOOK}/names/Qty/range")).await;
    assert_eq!(r["values"], json!([[3], [4], [5]]));
    let (_, s) = api
        .send(
            "POST",
            &format!("{BOOK}/functions/sum"),
            Some(json!({"values": [{"Address": "Qty"}]})),
            &[],
        )
        .await;
    assert_eq!(s["value"], json!(12.0));
    let (st, _) = api
        .send(
            "DELETE",
            &format!("{BOOK}/tables/{tname}/rows/0"),
            None,
            &[],
        )
        .await;
    assert_eq!(st, 204);
    let (_, rows) = api.get(&format!("{BOOK}/tables/{tname}/rows")).await;
    assert_eq!(rows["value"].as_array().unwrap().len(), 2);
    let (st, r) = api
        .send(
            "POST",
            &format!("{BOOK}/tables/{tname}/convertToRange"),
            None,
            &[],
        )
        .await;
    assert_eq!((st, r["address"].clone()), (200, json!("'Q1 ''24'!A1:B3")));
    let (_, ts) = api.get(&format!("{BOOK}/tables")).await;
    assert_eq!(ts["value"], json!([]));
}

#[tokio::test]
async fn faults_are_seeded() {
    let dir = temp_dir("faults");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let mut opts = Options::new(&dir);
    opts.faults = Some(
        "rate=0.5,seed=3,kinds=429-retry-after+429+503+504,retry-after=7"
            .parse::<Faults>()
            .unwrap(),
    );
    let run = |opts: Options| async move {
        let emu = Emulator::start_with(opts).await.unwrap();
        let http = reqwest::Client::new();
        let mut seen = Vec::new();
        for _ in 0..40 {
            let r = http
                .get(format!("{}/v1.0{BOOK}/worksheets", emu.url()))
                .send()
                .await
                .unwrap();
            let ra = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            seen.push((r.status().as_u16(), ra));
        }
        seen
    };
    let a = run(opts.clone()).await;
    assert_eq!(a, run(opts).await, "the same seed gives the same faults");
    for code in [200, 429, 503, 504] {
        assert!(a.iter().any(|(s, _)| *s == code), "{code} in {a:?}");
    }
    assert!(a
        .iter()
        .any(|(s, ra)| *s == 429 && ra.as_deref() == Some("7")));
    assert!(a.iter().any(|(s, ra)| *s == 429 && ra.is_none()));
}

#[test]
fn implemented_operations_are_operations_of_the_spec() {
    use graph_workbook_emulator::routes::{operation_ids, Version};
    let all = operation_ids(Version::V1);
    let done = graph_workbook_emulator::implemented_operations();
    for id in done {
        assert!(
            all.iter().any(|a| a == id),
            "{id} is not a v1.0 operation of spec/"
        );
    }
    println!(
        "operations: {} of {} v1.0 operations implemented",
        done.len(),
        all.len()
    );
    assert!(
        done.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
}

#[tokio::test]
async fn clear_delete_and_range_geometry() {
    let dir = temp_dir("geometry");
    create_workbook(&dir.join("book.xlsx")).unwrap();
    let emu = Emulator::start(&dir).await.unwrap();
    let api = Api::new(&emu);
    let ws = format!("{BOOK}/worksheets/Sheet1");
    api.send(
        "PATCH",
        &format!("{ws}/range(address='A1:A4')"),
        Some(json!({"values": [[1], [2], [3], ["=SUM(A1:A3)"]]})),
        &[],
    )
    .await;
    // Deleting row 2 shifts up and the formula follows (=SUM(A1:A2) = 4).
    let (st, _) = api
        .send(
            "POST",
            &format!("{ws}/range(address='A2')/delete"),
            Some(json!({"shift": "Up"})),
            &[],
        )
        .await;
    assert_eq!(st, 204);
    let (_, r) = api.get(&format!("{ws}/range(address='A1:A3')")).await;
    assert_eq!(r["values"], json!([[1], [3], [4]]));
    assert_eq!(r["formulas"][2][0], json!("=SUM(A1:A2)"));
    // clear Contents.
    let (st, _) = api
        .send(
            "POST",
            &format!("{ws}/range(address='A1')/clear"),
            Some(json!({"applyTo": "Contents"})),
            &[],
        )
        .await;
    assert_eq!(st, 204);
    let (_, r) = api.get(&format!("{ws}/range(address='A1:A3')")).await;
    assert_eq!(r["values"], json!([[""], [3], [3]]));
    let (st, e) = api
        .send(
            "POST",
            &format!("{ws}/range(address='A1')/clear"),
            Some(json!({"applyTo": "Nope"})),
            &[],
        )
        .await;
    assert_eq!(
        (st, e["error"]["code"].clone()),
        (400, json!("InvalidArgument"))
    );

    let (_, r) = api
        .get(&format!(
            "{ws}/range(address='A1:C3')/intersection(anotherRange='B2:D4')"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!B2:C3"));
    let (_, r) = api
        .get(&format!(
            "{ws}/range(address='A1:B2')/boundingRect(anotherRange='D5')"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!A1:D5"));
    let (_, r) = api
        .get(&format!("{ws}/range(address='B2:C3')/rowsAbove(count=1)"))
        .await;
    assert_eq!(r["address"], json!("Sheet1!B1:C1"));
    // GET, as the CSDL (and so spec/ and the client) has it.
    let (_, r) = api
        .get(&format!(
            "{ws}/range(address='B2:C3')/resizedRange(deltaRows=1,deltaColumns=-1)"
        ))
        .await;
    assert_eq!(r["address"], json!("Sheet1!B2:B4"));
    let (_, r) = api.get(&format!("{ws}/cell(row=0,column=27)")).await;
    assert_eq!(r["address"], json!("Sheet1!AB1"));

    // beta routes come from spec/beta.
    let (st, r) = api
        .http
        .get(format!("{}/beta{ws}/range(address='A3')", emu.url()))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map(|s| (s, ()))
        .unwrap();
    assert_eq!((st, r), (200, ()));

    // Worksheets: add, delete, list.
    let (st, _) = api
        .send(
            "POST",
            &format!("{BOOK}/worksheets"),
            Some(json!({"name": "Tmp"})),
            &[],
        )
        .await;
    assert_eq!(st, 201);
    let (st, _) = api
        .send("DELETE", &format!("{BOOK}/worksheets/Tmp"), None, &[])
        .await;
    assert_eq!(st, 204);
    let (_, list) = api.get(&format!("{BOOK}/worksheets")).await;
    assert_eq!(list["value"].as_array().unwrap().len(), 1);
}
