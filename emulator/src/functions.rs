//! `POST /workbook/functions/{name}`: Graph's argument conventions turned into a formula that
//! IronCalc evaluates on a scratch sheet.

use std::sync::OnceLock;

use ironcalc::base::types::CellType;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::book::Book;
use crate::error::GraphError;

#[derive(Deserialize)]
struct Catalog {
    functions: Vec<Function>,
}

/// One function of spec/functions (the CSDL's `workbookFunctions` actions).
#[derive(Deserialize)]
pub struct Function {
    /// Graph name (`norm_S_Dist`).
    pub name: String,
    /// Parameters in CSDL order.
    pub params: Vec<Param>,
}

#[derive(Deserialize)]
/// A function parameter.
pub struct Param {
    /// Graph name of the parameter.
    pub name: String,
}

/// The function catalog, from spec/functions.
pub fn catalog() -> &'static [Function] {
    static CAT: OnceLock<Vec<Function>> = OnceLock::new();
    CAT.get_or_init(|| {
        let json = include_str!(concat!(env!("OUT_DIR"), "/functions.json"));
        match serde_json::from_str::<Catalog>(json) {
            Ok(c) => c.functions,
            Err(e) => panic!("embedded spec/functions does not parse: {e}"),
        }
    })
}

/// Graph name -> Excel name: `norm_S_Dist` -> `NORM.S.DIST`, `countIf` -> `COUNTIF`.
pub fn excel_name(graph: &str) -> String {
    graph.replace('_', ".").to_ascii_uppercase()
}

/// One argument as formula text.
fn arg_text(book: &Book, v: &Value) -> Result<String, GraphError> {
    Ok(match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{}\"", s.replace('"', "\"\"")),
        Value::Object(o) => {
            let addr = o
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("address"))
                .and_then(|(_, v)| v.as_str())
                .ok_or_else(|| {
                    GraphError::invalid(
                        "An object argument must be {\"Address\": \"Sheet1!A1:B2\"}.",
                    )
                })?;
            let r = book.parse_address(addr, None)?;
            book.format_address(&r)
        }
        Value::Array(rows) => {
            // A 2-D array constant {1,2;3,4}; a flat array is one row.
            let rows: Vec<&Value> = rows.iter().collect();
            let as_rows: Vec<Vec<&Value>> = if rows.iter().all(|r| r.is_array()) {
                rows.iter()
                    .map(|r| r.as_array().map(|a| a.iter().collect()).unwrap_or_default())
                    .collect()
            } else {
                vec![rows]
            };
            let mut out = Vec::new();
            for row in as_rows {
                let cells: Result<Vec<String>, GraphError> = row
                    .iter()
                    .map(|c| match c {
                        Value::Array(_) | Value::Object(_) => Err(GraphError::invalid(
                            "Nested arrays are not valid arguments.",
                        )),
                        other => arg_text(book, other),
                    })
                    .collect();
                out.push(cells?.join(","));
            }
            format!("{{{}}}", out.join(";"))
        }
    })
}

/// The formula for a call: parameters in catalog order; a `values` list spreads into
/// several arguments (`sum({"values": [1, {"Address": ...}]})`).
pub fn formula(book: &Book, f: &Function, body: &Value) -> Result<String, GraphError> {
    let obj = match body {
        Value::Null => serde_json::Map::new(),
        Value::Object(o) => o.clone(),
        _ => return Err(GraphError::invalid("The body must be a JSON object.")),
    };
    for k in obj.keys() {
        if !f.params.iter().any(|p| p.name.eq_ignore_ascii_case(k)) {
            return Err(GraphError::invalid(format!(
                "{} has no argument {k}.",
                f.name
            )));
        }
    }
    let mut args: Vec<String> = Vec::new();
    for p in &f.params {
        let v = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&p.name))
            .map(|(_, v)| v);
        match v {
            Some(Value::Array(items))
                if p.name == "values" && !items.iter().all(Value::is_array) =>
            {
                for item in items {
                    args.push(arg_text(book, item)?);
                }
            }
            Some(v) => args.push(arg_text(book, v)?),
            None => args.push(String::new()),
        }
    }
    while args.last().is_some_and(String::is_empty) {
        args.pop();
    }
    Ok(format!("={}({})", excel_name(&f.name), args.join(",")))
}

/// Evaluates `formula` on a temporary sheet and removes it: `{"value", "error"}`.
pub fn evaluate(book: &mut Book, formula: &str) -> Result<Value, GraphError> {
    let engine = |e: String| GraphError::internal(e);
    let m = &mut book.model;
    let name = "__emulator_function__";
    m.add_sheet(name).map_err(engine)?;
    let s = m.workbook.worksheets.len() as u32 - 1;
    let result = (|| {
        m.set_user_input(s, 1, 1, formula.to_string())?;
        m.evaluate();
        let kind = m.get_cell_type(s, 1, 1)?;
        let text = m.get_formatted_cell_value(s, 1, 1)?;
        let value = m.get_cell_value_by_index(s, 1, 1)?;
        Ok::<_, String>((kind, text, value))
    })();
    let cleanup = m.delete_sheet(s);
    m.evaluate();
    let (kind, text, value) = result.map_err(engine)?;
    cleanup.map_err(engine)?;
    use ironcalc::base::cell::CellValue as V;
    Ok(if kind == CellType::ErrorValue {
        json!({ "@odata.type": "#microsoft.graph.workbookFunctionResult", "value": null, "error": text })
    } else {
        let v = match value {
            V::None => json!(""),
            V::String(t) => json!(t),
            V::Number(n) => json!(n),
            V::Boolean(b) => json!(b),
        };
        json!({ "@odata.type": "#microsoft.graph.workbookFunctionResult", "value": v, "error": null })
    })
}

/// True when IronCalc knows the function (a call with no arguments is not `#NAME?`).
pub fn engine_knows(book: &mut Book, f: &Function) -> bool {
    match evaluate(book, &format!("={}()", excel_name(&f.name))) {
        Ok(v) => v["error"] != json!("#NAME?"),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_formulas() {
        assert_eq!(excel_name("norm_S_Dist"), "NORM.S.DIST");
        assert_eq!(excel_name("countIf"), "COUNTIF");
        assert_eq!(catalog().len(), 366);
        let book = Book::new_empty().unwrap();
        let sum = catalog().iter().find(|f| f.name == "sum").unwrap();
        let body = json!({"values": [1, {"Address": "Sheet1!A1:B2"}, "x", [[1, 2], [3, true]]]});
        assert_eq!(
            formula(&book, sum, &body).unwrap(),
            "=SUM(1,Sheet1!A1:B2,\"x\",{1,2;3,TRUE})"
        );
        assert!(formula(&book, sum, &json!({"nope": 1})).is_err());
        assert!(formula(&book, sum, &json!({"values": [{"Address": "Nope!A1"}]})).is_err());
    }
}
