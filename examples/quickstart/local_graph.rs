//! A small in-process stand-in for Graph's workbook API, on 127.0.0.1 (random port), so the
//! quickstart runs offline. It implements what the quickstart calls, with Graph's shapes:
//! createSession / refreshSession / closeSession (sessions checked on every call), a
//! worksheet range (`range(address=...)`: GET and PATCH of `values`), and the `sum` function.
//! It decodes paths the way Graph does (segments percent-decoded, OData string literals
//! unquoted), so the example exercises the real escaping.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use graph_workbook::address::column_index;
use graph_workbook::Address;
use serde_json::{json, Value};

use super::support::odata;
use super::support::{Recorded, Reply, TestServer};

#[derive(Default)]
struct Workbook {
    sessions: BTreeSet<String>,
    next_session: u32,
    /// sheet -> (row, column) -> value (0-based)
    cells: BTreeMap<String, BTreeMap<(u32, u32), Value>>,
}

/// Starts the server; its URL plus `/v1.0` is the client's base URL.
pub async fn start() -> TestServer {
    let book = Arc::new(Mutex::new(Workbook::default()));
    book.lock()
        .unwrap()
        .cells
        .insert("Sheet1".into(), BTreeMap::new());
    TestServer::start(move |req| handle(&mut book.lock().unwrap(), req)).await
}

fn error(status: u16, code: &str, message: &str, inner: Option<&str>) -> Reply {
    let mut inner_error = json!({"request-id": "00000000-0000-0000-0000-000000000000", "date": "2026-01-01T00:00:00"});
    if let Some(c) = inner {
        inner_error["code"] = json!(c);
    }
    Reply::json(
        status,
        json!({"error": {"code": code, "message": message, "innerError": inner_error}}),
    )
}

fn handle(book: &mut Workbook, req: &Recorded) -> Reply {
    match req.header("authorization") {
        Some(a) if a.starts_with("Bearer ") && a.len() > 7 => {}
        _ => {
            return error(
                401,
                "InvalidAuthenticationToken",
                "Access token is empty.",
                None,
            )
        }
    }
    let Ok(segments) = odata::segments(&req.path) else {
        return error(
            400,
            "BadRequest",
            "Invalid percent-encoding in the URL.",
            None,
        );
    };
    // Everything after the `workbook` segment; the drive item part before it is not checked.
    let Some(wb) = segments.iter().position(|s| s == "workbook") else {
        return error(
            404,
            "itemNotFound",
            "This local server only serves /workbook paths.",
            None,
        );
    };
    let rest: Vec<&str> = segments[wb + 1..].iter().map(String::as_str).collect();
    let session = req.header("workbook-session-id").map(str::to_string);
    if let Some(id) = &session {
        if !book.sessions.contains(id) {
            return error(
                404,
                "itemNotFound",
                "The session was not found or has expired.",
                Some("invalidSessionReCreatable"),
            );
        }
    }
    let body = req.json().unwrap_or(Value::Null);
    match (req.method.as_str(), rest.as_slice()) {
        ("POST", ["createSession"]) => {
            book.next_session += 1;
            let id = format!("cluster=LOCAL&session={}", book.next_session);
            book.sessions.insert(id.clone());
            let persist = body
                .get("persistChanges")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            Reply::json(
                201,
                json!({
                    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.sessionInfo",
                    "id": id,
                    "persistChanges": persist
                }),
            )
        }
        ("POST", ["refreshSession"]) | ("POST", ["closeSession"]) => match session {
            None => error(
                400,
                "invalidRequest",
                "The workbook-session-id header is required.",
                None,
            ),
            Some(id) => {
                if rest[0] == "closeSession" {
                    book.sessions.remove(&id);
                }
                Reply::empty(204)
            }
        },
        (method, ["worksheets", sheet, call]) => {
            let Some(address) = odata::call_arg(call, "range", "address") else {
                return error(
                    400,
                    "invalidRequest",
                    &format!("Unsupported segment {call:?}."),
                    None,
                );
            };
            range(book, method, sheet, &address, &body)
        }
        ("POST", ["functions", name]) => function(book, name, &body),
        _ => error(
            501,
            "notImplemented",
            &format!(
                "The quickstart's local server does not implement {} {}.",
                req.method, req.path
            ),
            None,
        ),
    }
}

/// (first row, first column, rows, columns), 0-based, of a cell or cell range reference.
fn rect(reference: &str) -> Option<(u32, u32, u32, u32)> {
    let cell = |c: &str| -> Option<(u32, u32)> {
        let c = c.replace('$', "");
        let split = c.find(|ch: char| ch.is_ascii_digit())?;
        let col = column_index(&c[..split]).ok()?;
        let row: u32 = c[split..].parse().ok()?;
        Some((row - 1, col))
    };
    let (a, b) = reference.split_once(':').unwrap_or((reference, reference));
    let (r1, c1) = cell(a)?;
    let (r2, c2) = cell(b)?;
    let (top, left) = (r1.min(r2), c1.min(c2));
    Some((top, left, r1.max(r2) - top + 1, c1.max(c2) - left + 1))
}

fn range(book: &mut Workbook, method: &str, sheet: &str, address: &str, body: &Value) -> Reply {
    let parsed = match Address::parse(address) {
        Ok(a) => a,
        Err(e) => return error(400, "invalidArgument", &e.to_string(), None),
    };
    let sheet = parsed.sheet().unwrap_or(sheet).to_string();
    let Some(cells) = book.cells.get_mut(&sheet) else {
        return error(
            404,
            "itemNotFound",
            &format!("The worksheet {sheet:?} does not exist."),
            None,
        );
    };
    let Some((top, left, rows, cols)) = rect(parsed.reference()) else {
        return error(
            400,
            "invalidArgument",
            "Only cell ranges (A1:B2) are supported here.",
            None,
        );
    };
    match method {
        "GET" => {}
        "PATCH" => {
            let Some(values) = body.get("values").and_then(Value::as_array) else {
                return error(
                    400,
                    "invalidArgument",
                    "The body must have a 2-D `values` array.",
                    None,
                );
            };
            let fits = values.len() == rows as usize
                && values
                    .iter()
                    .all(|r| r.as_array().is_some_and(|r| r.len() == cols as usize));
            if !fits {
                return error(
                    400,
                    "invalidArgument",
                    "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
                    None,
                );
            }
            for (i, row) in values.iter().enumerate() {
                for (j, v) in row.as_array().into_iter().flatten().enumerate() {
                    let key = (top + i as u32, left + j as u32);
                    // `null` leaves a cell unchanged; "" clears it.
                    match v {
                        Value::Null => {}
                        Value::String(s) if s.is_empty() => {
                            cells.remove(&key);
                        }
                        v => {
                            cells.insert(key, v.clone());
                        }
                    }
                }
            }
        }
        _ => {
            return error(
                405,
                "invalidRequest",
                "Method not allowed on a range.",
                None,
            )
        }
    }
    let grid = |f: &dyn Fn(Option<&Value>) -> Value| -> Value {
        (0..rows)
            .map(|i| {
                (0..cols)
                    .map(|j| f(cells.get(&(top + i, left + j))))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .into()
    };
    let values = grid(&|v| v.cloned().unwrap_or(json!("")));
    let text = grid(&|v| match v {
        None => json!(""),
        Some(Value::Bool(b)) => json!(if *b { "TRUE" } else { "FALSE" }),
        Some(Value::String(s)) => json!(s),
        Some(v) => json!(v.to_string()),
    });
    let types = grid(&|v| {
        json!(match v {
            None => "Empty",
            Some(Value::Bool(_)) => "Boolean",
            Some(Value::Number(_)) => "Double",
            Some(Value::String(s)) if s.starts_with('#') => "Error",
            Some(_) => "String",
        })
    });
    let formats = grid(&|_| json!("General"));
    let full = Address::range_at(&sheet, (top, left), (top + rows - 1, left + cols - 1))
        .map(|a| a.to_string())
        .unwrap_or_default();
    Reply::json(
        200,
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#workbookRange",
            "@odata.type": "#microsoft.graph.workbookRange",
            "address": full,
            "addressLocal": full,
            "cellCount": rows * cols,
            "columnCount": cols,
            "columnHidden": false,
            "columnIndex": left,
            "formulas": values.clone(),
            "formulasLocal": values.clone(),
            "formulasR1C1": values.clone(),
            "hidden": false,
            "numberFormat": formats,
            "rowCount": rows,
            "rowHidden": false,
            "rowIndex": top,
            "text": text,
            "valueTypes": types,
            "values": values
        }),
    )
}

fn function(book: &Workbook, name: &str, body: &Value) -> Reply {
    if name != "sum" {
        return error(
            501,
            "notImplemented",
            &format!("The local server only computes `sum`, not `{name}`."),
            None,
        );
    }
    // Numbers, nested arrays and range references ({"Address": "Sheet1!A1:B2"}) are summed;
    // text and booleans inside references are ignored, as Excel's SUM does.
    fn add(book: &Workbook, v: &Value, total: &mut f64) -> Result<(), String> {
        match v {
            Value::Number(n) => *total += n.as_f64().unwrap_or(0.0),
            Value::Array(items) => {
                for i in items {
                    add(book, i, total)?;
                }
            }
            Value::Object(o) => {
                let addr = o
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("address"))
                    .and_then(|(_, v)| v.as_str())
                    .ok_or("object arguments must be range references")?;
                let a = Address::parse(addr).map_err(|e| e.to_string())?;
                let sheet = a.sheet().ok_or("a range reference needs a sheet")?;
                let cells = book.cells.get(sheet).ok_or("no such sheet")?;
                let (top, left, rows, cols) = rect(a.reference()).ok_or("not a cell range")?;
                for ((r, c), v) in cells {
                    if (top..top + rows).contains(r) && (left..left + cols).contains(c) {
                        *total += v.as_f64().unwrap_or(0.0);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::String(_) => {}
        }
        Ok(())
    }
    let mut total = 0.0;
    match add(book, body.get("values").unwrap_or(&Value::Null), &mut total) {
        Ok(()) => Reply::json(
            200,
            json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.workbookFunctionResult",
                "@odata.type": "#microsoft.graph.workbookFunctionResult",
                "error": null,
                "value": total
            }),
        ),
        Err(e) => Reply::json(200, json!({"error": "#VALUE!", "value": null, "detail": e})),
    }
}
