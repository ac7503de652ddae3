//! One workbook: an IronCalc model plus what the emulator models itself (tables), and the
//! workbook operations on it.

use std::collections::BTreeMap;

use ironcalc::base::expressions::types::Area;
use ironcalc::base::types::{CellType, SheetState};
use ironcalc::base::Model;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::address::{self, format_abs, format_ref, quote_sheet, Rect, MAX_COL, MAX_ROW};
use crate::error::GraphError;
use crate::routes::{ArgValue, Seg};

/// Ranges larger than this answer their properties without the per-cell arrays.
const MAX_CELLS_WITH_VALUES: i64 = 262_144;

/// A table the emulator models (IronCalc has no tables): a rectangle with a header row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Table {
    /// Table id (Graph answers it as a string).
    pub id: u32,
    /// Table name (`Table1`, ...).
    pub name: String,
    /// Sheet name (sheet indexes move when sheets are added or deleted).
    pub sheet: String,
    /// The whole table (header row included when `show_headers`).
    pub r0: i32,
    /// First column.
    pub c0: i32,
    /// Last row.
    pub r1: i32,
    /// Last column.
    pub c1: i32,
    /// The first row is a header row.
    pub show_headers: bool,
    /// The last row is a total row.
    pub show_totals: bool,
}

/// What a named item has beyond its formula (IronCalc's defined names have neither).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NameMeta {
    /// `comment`.
    pub comment: String,
    /// `visible`.
    pub visible: bool,
}

impl Default for NameMeta {
    fn default() -> Self {
        NameMeta {
            comment: String::new(),
            visible: true,
        }
    }
}

/// A workbook held in memory.
pub struct Book {
    /// The engine's model.
    pub model: Model<'static>,
    /// Tables the emulator models.
    pub tables: Vec<Table>,
    /// Named items' comment and visibility, by lower-case name.
    pub names_meta: BTreeMap<String, NameMeta>,
    /// Protected worksheets (by name) and their options.
    pub protection: crate::protection::Protection,
}

type R<T> = Result<T, GraphError>;

fn engine(e: String) -> GraphError {
    GraphError::invalid(e)
}

/// What a path resolves to.
#[derive(Debug, Clone)]
pub enum Node {
    /// `/workbook`.
    Workbook,
    /// `/worksheets`.
    Worksheets,
    /// A worksheet by index.
    Worksheet(u32),
    /// A range.
    Range(Rect),
    /// A range's `format`.
    RangeFormat(Rect),
    /// A worksheet's `protection`.
    Protection(u32),
    /// `/names`.
    Names,
    /// A named item.
    Name(String),
    /// `/application`.
    Application,
    /// `/tables`.
    Tables,
    /// A table by index.
    Table(usize),
    /// A table's rows.
    TableRows(usize),
    /// A table's data row by index.
    TableRow(usize, i32),
    /// A table's columns.
    TableColumns(usize),
    /// A table's column by index.
    TableColumn(usize, i32),
}

fn arg<'a>(args: &'a [(String, ArgValue)], name: &str) -> Option<&'a str> {
    args.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn int_arg(args: &[(String, ArgValue)], name: &str) -> R<Option<i32>> {
    match arg(args, name) {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<i32>()
            .ok()
            // Larger than the grid either way; keeps the arithmetic below from overflowing.
            .filter(|n| n.abs() <= 4 * MAX_ROW)
            .map(Some)
            .ok_or_else(|| {
                GraphError::invalid(format!(
                    "The argument {name} must be an integer within the grid."
                ))
            }),
    }
}

fn req_int(args: &[(String, ArgValue)], name: &str) -> R<i32> {
    int_arg(args, name)?
        .ok_or_else(|| GraphError::invalid(format!("The argument {name} is missing.")))
}

impl Book {
    /// Loads an .xlsx.
    pub fn load(bytes: &[u8], name: &str) -> Result<Book, String> {
        let wb = ironcalc::import::load_from_xlsx_bytes(bytes, name, "en", "UTC")
            .map_err(|e| e.to_string())?;
        let mut model = Model::from_workbook(wb, "en")?;
        model.evaluate();
        Ok(Book {
            model,
            tables: Vec::new(),
            names_meta: BTreeMap::new(),
            protection: BTreeMap::new(),
        })
    }

    /// A workbook with one empty `Sheet1`.
    pub fn new_empty() -> Result<Book, String> {
        let model = Model::new_empty("workbook", "en", "UTC", "en")?;
        Ok(Book {
            model,
            tables: Vec::new(),
            names_meta: BTreeMap::new(),
            protection: BTreeMap::new(),
        })
    }

    /// The .xlsx bytes.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, String> {
        let cursor = std::io::Cursor::new(Vec::new());
        ironcalc::export::save_xlsx_to_writer(&self.model, cursor)
            .map(|c| c.into_inner())
            .map_err(|e| e.to_string())
    }

    /// An independent copy (for a non-persistent session).
    pub fn duplicate(&self) -> Result<Book, String> {
        let model = Model::from_bytes(&self.model.to_bytes(), "en")?;
        Ok(Book {
            model,
            tables: self.tables.clone(),
            names_meta: self.names_meta.clone(),
            protection: self.protection.clone(),
        })
    }

    fn sheet_names(&self) -> Vec<String> {
        self.model.workbook.get_worksheet_names()
    }

    /// A sheet's name by index (empty when out of range).
    pub fn sheet_name(&self, s: u32) -> String {
        self.sheet_names()
            .get(s as usize)
            .cloned()
            .unwrap_or_default()
    }

    /// A worksheet by name (case-insensitive) or id.
    pub fn find_sheet(&self, key: &str) -> R<u32> {
        let ws = &self.model.workbook.worksheets;
        ws.iter()
            .position(|w| w.name.eq_ignore_ascii_case(key) || sheet_id_string(w.sheet_id) == key)
            .map(|i| i as u32)
            .ok_or_else(|| {
                GraphError::not_found(format!(
                    "The requested resource doesn't exist: worksheet \"{key}\"."
                ))
            })
    }

    /// `Sheet1!A1:B2`, `A1` (on `default`), `'My sheet'!A:A`, or a defined name.
    pub fn parse_address(&self, addr: &str, default: Option<u32>) -> R<Rect> {
        let bad = || {
            GraphError::invalid(format!(
                "The argument is invalid or missing or has an incorrect format: address '{addr}'."
            ))
        };
        let (sheet, reference) = address::split_sheet(addr.trim());
        let s = match sheet {
            Some(name) => self.find_sheet(&name).map_err(|_| bad())?,
            None => match default {
                Some(s) => s,
                None => {
                    // A defined name.
                    return self.name_rect(addr).map_err(|_| bad());
                }
            },
        };
        match address::parse_ref(s, reference) {
            Some(r) => Ok(r),
            None if default.is_some() => self.name_rect(addr).map_err(|_| bad()),
            None => Err(bad()),
        }
    }

    /// `Sheet1!A1:B2` with the sheet quoted when needed.
    pub fn format_address(&self, r: &Rect) -> String {
        format!(
            "{}!{}",
            quote_sheet(&self.sheet_name(r.sheet)),
            format_ref(r)
        )
    }

    fn used_rect(&self, s: u32, within: Option<Rect>) -> R<Rect> {
        let ws = self.model.workbook.worksheet(s).map_err(engine)?;
        let d = ws.dimension();
        let used = Rect {
            sheet: s,
            r0: d.min_row,
            c0: d.min_column,
            r1: d.max_row,
            c1: d.max_column,
        };
        Ok(match within {
            None => used,
            Some(w) => intersect(&used, &w).unwrap_or(Rect {
                r1: w.r0,
                c1: w.c0,
                ..w
            }),
        })
    }

    /// Resolves a path (workbook-relative segments) to a node.
    pub fn resolve(&self, segs: &[Seg]) -> R<Node> {
        let mut node = Node::Workbook;
        for seg in segs.iter().skip(1) {
            node = self.step(node, seg)?;
        }
        Ok(node)
    }

    fn step(&self, node: Node, seg: &Seg) -> R<Node> {
        let unsupported = || {
            GraphError::new(
                501,
                "NotImplemented",
                format!("The segment {seg:?} is not implemented by the emulator."),
            )
        };
        Ok(match (node, seg) {
            (Node::Workbook, Seg::Nav(n)) if n == "worksheets" => Node::Worksheets,
            (Node::Workbook, Seg::Nav(n)) if n == "names" => Node::Names,
            (Node::Worksheet(_), Seg::Nav(n)) if n == "names" => Node::Names,
            (Node::Workbook, Seg::Nav(n)) if n == "tables" => Node::Tables,
            (Node::Worksheet(_), Seg::Nav(n)) if n == "tables" => Node::Tables,
            (Node::Workbook, Seg::Nav(n)) if n == "application" => Node::Application,
            (Node::Worksheets, Seg::Key(k)) => Node::Worksheet(self.find_sheet(k)?),
            (Node::Names, Seg::Key(k)) => {
                self.name_formula(k)?;
                Node::Name(k.clone())
            }
            (Node::Name(n), Seg::Call(c, _)) if c == "range" => Node::Range(self.name_rect(&n)?),
            (Node::Tables, Seg::Key(k)) => Node::Table(self.find_table(k)?),
            (Node::Table(t), Seg::Nav(n)) if n == "rows" => Node::TableRows(t),
            (Node::Table(t), Seg::Nav(n)) if n == "columns" => Node::TableColumns(t),
            (Node::TableRows(t), Seg::Key(k)) => Node::TableRow(t, self.table_index(t, k, true)?),
            (Node::TableRows(t), Seg::Call(c, args)) if c == "itemAt" => {
                Node::TableRow(t, self.item_at(t, args, true)?)
            }
            (Node::TableColumns(t), Seg::Call(c, args)) if c == "itemAt" => {
                Node::TableColumn(t, self.item_at(t, args, false)?)
            }
            (Node::TableColumns(t), Seg::Key(k)) => {
                Node::TableColumn(t, self.table_index(t, k, false)?)
            }
            (Node::Table(t), Seg::Call(c, _)) => Node::Range(self.table_part(t, c, None)?),
            (Node::TableColumn(t, i), Seg::Call(c, _)) => {
                Node::Range(self.table_part(t, c, Some(i))?)
            }
            (Node::TableRow(t, i), Seg::Call(c, _)) if c == "range" => {
                Node::Range(self.table_row_rect(t, i)?)
            }
            (Node::Worksheet(s), Seg::Call(c, args)) => Node::Range(self.sheet_call(s, c, args)?),
            (Node::Range(r), Seg::Call(c, args)) => Node::Range(self.range_call(r, c, args)?),
            (Node::Range(r), Seg::Nav(n)) if n == "format" => Node::RangeFormat(r),
            (Node::Worksheet(s), Seg::Nav(n)) if n == "protection" => Node::Protection(s),
            _ => return Err(unsupported()),
        })
    }

    fn sheet_call(&self, s: u32, name: &str, args: &[(String, ArgValue)]) -> R<Rect> {
        match name {
            "range" => match arg(args, "address") {
                Some(a) => self.parse_address(a, Some(s)),
                None => Ok(Rect {
                    sheet: s,
                    r0: 1,
                    c0: 1,
                    r1: MAX_ROW,
                    c1: MAX_COL,
                }),
            },
            "usedRange" => self.used_rect(s, None),
            "cell" => {
                let (r, c) = (req_int(args, "row")?, req_int(args, "column")?);
                let rect = Rect {
                    sheet: s,
                    r0: r + 1,
                    c0: c + 1,
                    r1: r + 1,
                    c1: c + 1,
                };
                checked(rect)
            }
            _ => Err(GraphError::new(
                501,
                "NotImplemented",
                format!("worksheet/{name} is not implemented by the emulator."),
            )),
        }
    }

    fn range_call(&self, r: Rect, name: &str, args: &[(String, ArgValue)]) -> R<Rect> {
        let one = |r0, c0, r1, c1| {
            checked(Rect {
                sheet: r.sheet,
                r0,
                c0,
                r1,
                c1,
            })
        };
        let count = |n: &str| -> R<i32> { Ok(int_arg(args, n)?.unwrap_or(1)) };
        match name {
            "cell" => {
                let (row, col) = (req_int(args, "row")?, req_int(args, "column")?);
                one(r.r0 + row, r.c0 + col, r.r0 + row, r.c0 + col)
            }
            "row" => {
                let row = req_int(args, "row")?;
                one(r.r0 + row, r.c0, r.r0 + row, r.c1)
            }
            "column" => {
                let col = req_int(args, "column")?;
                one(r.r0, r.c0 + col, r.r1, r.c0 + col)
            }
            "entireRow" => one(r.r0, 1, r.r1, MAX_COL),
            "entireColumn" => one(1, r.c0, MAX_ROW, r.c1),
            "lastCell" => one(r.r1, r.c1, r.r1, r.c1),
            "lastRow" => one(r.r1, r.c0, r.r1, r.c1),
            "lastColumn" => one(r.r0, r.c1, r.r1, r.c1),
            "rowsAbove" => {
                let n = count("count")?;
                one(r.r0 - n, r.c0, r.r0 - 1, r.c1)
            }
            "rowsBelow" => {
                let n = count("count")?;
                one(r.r1 + 1, r.c0, r.r1 + n, r.c1)
            }
            "columnsBefore" => {
                let n = count("count")?;
                one(r.r0, r.c0 - n, r.r1, r.c0 - 1)
            }
            "columnsAfter" => {
                let n = count("count")?;
                one(r.r0, r.c1 + 1, r.r1, r.c1 + n)
            }
            "offsetRange" => {
                let (dr, dc) = (req_int(args, "rowOffset")?, req_int(args, "columnOffset")?);
                one(r.r0 + dr, r.c0 + dc, r.r1 + dr, r.c1 + dc)
            }
            "resizedRange" => {
                let (dr, dc) = (req_int(args, "deltaRows")?, req_int(args, "deltaColumns")?);
                one(r.r0, r.c0, r.r1 + dr, r.c1 + dc)
            }
            "usedRange" => self.used_rect(r.sheet, Some(r)),
            "intersection" | "boundingRect" => {
                let other = arg(args, "anotherRange")
                    .ok_or_else(|| GraphError::invalid("The argument anotherRange is missing."))?;
                let o = self.parse_address(other, Some(r.sheet))?;
                if o.sheet != r.sheet {
                    return Err(GraphError::invalid(
                        "The ranges are on different worksheets.",
                    ));
                }
                if name == "boundingRect" {
                    one(
                        r.r0.min(o.r0),
                        r.c0.min(o.c0),
                        r.r1.max(o.r1),
                        r.c1.max(o.c1),
                    )
                } else {
                    intersect(&r, &o)
                        .ok_or_else(|| GraphError::not_found("The ranges do not intersect."))
                }
            }
            _ => Err(GraphError::new(
                501,
                "NotImplemented",
                format!("range/{name} is not implemented by the emulator."),
            )),
        }
    }

    // ---- worksheets ----

    /// A worksheet's JSON.
    pub fn worksheet_json(&self, s: u32) -> R<Value> {
        let ws = self.model.workbook.worksheet(s).map_err(engine)?;
        let visibility = match ws.state {
            SheetState::Visible => "Visible",
            SheetState::Hidden => "Hidden",
            SheetState::VeryHidden => "VeryHidden",
        };
        Ok(json!({
            "@odata.id": format!("/workbook/worksheets(%27{}%27)", sheet_id_string(ws.sheet_id)),
            "id": sheet_id_string(ws.sheet_id),
            "name": ws.name,
            "position": s,
            "visibility": visibility,
        }))
    }

    /// `{"value": [worksheets]}`.
    pub fn worksheets_json(&self) -> R<Value> {
        let n = self.model.workbook.worksheets.len() as u32;
        let list: R<Vec<Value>> = (0..n).map(|s| self.worksheet_json(s)).collect();
        Ok(json!({ "value": list? }))
    }

    /// `POST /worksheets {"name"}` (a free `SheetN` when no name is given).
    pub fn add_worksheet(&mut self, body: &Value) -> R<Value> {
        let name = match body.get("name") {
            None | Some(Value::Null) => self.next_sheet_name(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(GraphError::invalid("name must be a string.")),
        };
        if self.find_sheet(&name).is_ok() {
            return Err(GraphError::new(
                409,
                "ItemAlreadyExists",
                format!("A worksheet named \"{name}\" already exists."),
            ));
        }
        self.model.add_sheet(&name).map_err(engine)?;
        let s = self.model.workbook.worksheets.len() as u32 - 1;
        self.worksheet_json(s)
    }

    fn next_sheet_name(&self) -> String {
        (1..)
            .map(|i| format!("Sheet{i}"))
            .find(|n| self.find_sheet(n).is_err())
            .unwrap_or_else(|| "Sheet".into())
    }

    /// PATCH of a worksheet: `name`, `visibility`, `position`.
    pub fn update_worksheet(&mut self, s: u32, body: &Value) -> R<Value> {
        let obj = body
            .as_object()
            .ok_or_else(|| GraphError::invalid("The body must be a JSON object."))?;
        let mut s = s;
        if let Some(v) = obj.get("name").filter(|v| !v.is_null()) {
            let name = v
                .as_str()
                .ok_or_else(|| GraphError::invalid("name must be a string."))?;
            let old = self.sheet_name(s);
            self.model.rename_sheet_by_index(s, name).map_err(engine)?;
            // What the emulator keeps by sheet name follows the sheet.
            for t in self.tables.iter_mut().filter(|t| t.sheet == old) {
                t.sheet = name.to_string();
            }
            if let Some(p) = self.protection.remove(&old) {
                self.protection.insert(name.to_string(), p);
            }
        }
        if let Some(v) = obj.get("visibility").filter(|v| !v.is_null()) {
            let state = match v.as_str() {
                Some("Visible") => SheetState::Visible,
                Some("Hidden") => SheetState::Hidden,
                Some("VeryHidden") => SheetState::VeryHidden,
                _ => {
                    return Err(GraphError::invalid(
                        "visibility must be Visible, Hidden or VeryHidden.",
                    ))
                }
            };
            self.model.set_sheet_state(s, state).map_err(engine)?;
        }
        if let Some(v) = obj.get("position").filter(|v| !v.is_null()) {
            let n = self.model.workbook.worksheets.len() as u64;
            let p = v
                .as_u64()
                .filter(|p| *p < n)
                .ok_or_else(|| GraphError::invalid("position is out of range."))?;
            self.model.move_sheet(s, p as u32).map_err(engine)?;
            s = p as u32;
        }
        self.model.evaluate();
        self.worksheet_json(s)
    }

    /// Deletes a worksheet and its tables.
    pub fn delete_worksheet(&mut self, s: u32) -> R<()> {
        let name = self.sheet_name(s);
        self.model.delete_sheet(s).map_err(engine)?;
        self.tables.retain(|t| t.sheet != name);
        self.protection.remove(&name);
        self.model.evaluate();
        Ok(())
    }

    // ---- ranges ----

    fn cell_value(&self, s: u32, r: i32, c: i32) -> R<(Value, &'static str)> {
        use ironcalc::base::cell::CellValue as V;
        if self.model.is_empty_cell(s, r, c).map_err(engine)? {
            return Ok((json!(""), "Empty"));
        }
        if self.model.get_cell_type(s, r, c).map_err(engine)? == CellType::ErrorValue {
            let text = self
                .model
                .get_formatted_cell_value(s, r, c)
                .map_err(engine)?;
            return Ok((json!(text), "Error"));
        }
        Ok(
            match self
                .model
                .get_cell_value_by_index(s, r, c)
                .map_err(engine)?
            {
                V::None => (json!(""), "Empty"),
                V::String(t) => (json!(t), "String"),
                V::Number(n) => (number_json(n), "Double"),
                V::Boolean(b) => (json!(b), "Boolean"),
            },
        )
    }

    /// The range's JSON (values after recalculation).
    pub fn range_json(&self, r: &Rect) -> R<Value> {
        let mut out = Map::new();
        let address = self.format_address(r);
        out.insert(
            "@odata.type".into(),
            json!("#microsoft.graph.workbookRange"),
        );
        out.insert("address".into(), json!(address));
        out.insert("addressLocal".into(), json!(address));
        out.insert("cellCount".into(), json!(r.cells()));
        out.insert("columnCount".into(), json!(r.cols()));
        out.insert("columnIndex".into(), json!(r.c0 - 1));
        out.insert("rowCount".into(), json!(r.rows()));
        out.insert("rowIndex".into(), json!(r.r0 - 1));
        out.insert("columnHidden".into(), json!(false));
        out.insert("rowHidden".into(), json!(false));
        out.insert("hidden".into(), json!(false));
        if r.cells() <= MAX_CELLS_WITH_VALUES {
            let (mut values, mut formulas, mut text, mut types, mut formats) =
                (vec![], vec![], vec![], vec![], vec![]);
            for row in r.r0..=r.r1 {
                let (mut v, mut f, mut t, mut ty, mut nf) =
                    (vec![], vec![], vec![], vec![], vec![]);
                for col in r.c0..=r.c1 {
                    let (value, kind) = self.cell_value(r.sheet, row, col)?;
                    let formula = self
                        .model
                        .get_cell_formula(r.sheet, row, col)
                        .map_err(engine)?;
                    f.push(formula.map(Value::String).unwrap_or_else(|| value.clone()));
                    t.push(json!(self
                        .model
                        .get_formatted_cell_value(r.sheet, row, col)
                        .map_err(engine)?));
                    let fmt = self
                        .model
                        .get_style_for_cell(r.sheet, row, col)
                        .map_err(engine)?
                        .num_fmt;
                    nf.push(json!(if fmt.eq_ignore_ascii_case("general") {
                        "General".to_string()
                    } else {
                        fmt
                    }));
                    ty.push(json!(kind));
                    v.push(value);
                }
                values.push(Value::Array(v));
                formulas.push(Value::Array(f));
                text.push(Value::Array(t));
                types.push(Value::Array(ty));
                formats.push(Value::Array(nf));
            }
            out.insert("formulas".into(), Value::Array(formulas.clone()));
            out.insert("formulasLocal".into(), Value::Array(formulas));
            out.insert("numberFormat".into(), Value::Array(formats));
            out.insert("text".into(), Value::Array(text));
            out.insert("valueTypes".into(), Value::Array(types));
            out.insert("values".into(), Value::Array(values));
        }
        Ok(Value::Object(out))
    }

    /// PATCH of a range: `values`, `formulas`, `numberFormat` (null leaves a cell, "" clears).
    pub fn update_range(&mut self, r: &Rect, body: &Value) -> R<Value> {
        let obj = body
            .as_object()
            .ok_or_else(|| GraphError::invalid("The body must be a JSON object."))?;
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "values" | "formulas" | "formulasLocal" | "numberFormat" | "@odata.type"
            ) {
                return Err(GraphError::invalid(format!(
                    "The property {key} cannot be updated by the emulator."
                )));
            }
        }
        // Check every grid first: a bad body changes nothing.
        let mut grids = Vec::new();
        for key in ["numberFormat", "formulas", "formulasLocal", "values"] {
            if let Some(v) = obj.get(key).filter(|v| !v.is_null()) {
                grids.push((key, grid(v, r, key)?));
            }
        }
        for (key, g) in grids {
            for (i, row) in g.iter().enumerate() {
                for (j, v) in row.iter().enumerate() {
                    let (rr, cc) = (r.r0 + i as i32, r.c0 + j as i32);
                    if key == "numberFormat" {
                        self.set_format(r.sheet, rr, cc, v)?;
                    } else {
                        self.set_cell(r.sheet, rr, cc, v)?;
                    }
                }
            }
        }
        self.model.evaluate();
        self.range_json(r)
    }

    fn set_cell(&mut self, s: u32, r: i32, c: i32, v: &Value) -> R<()> {
        let m = &mut self.model;
        match v {
            Value::Null => Ok(()),
            Value::String(t) if t.is_empty() => m
                .range_clear_contents(&Area {
                    sheet: s,
                    row: r,
                    column: c,
                    width: 1,
                    height: 1,
                })
                .map_err(engine),
            Value::String(t) => m.set_user_input(s, r, c, t.clone()).map_err(engine),
            Value::Number(n) => m
                .update_cell_with_number(s, r, c, n.as_f64().unwrap_or(0.0))
                .map_err(engine),
            Value::Bool(b) => m.update_cell_with_bool(s, r, c, *b).map_err(engine),
            _ => Err(GraphError::invalid(
                "A cell value must be a string, number, boolean or null.",
            )),
        }
    }

    fn set_format(&mut self, s: u32, r: i32, c: i32, v: &Value) -> R<()> {
        let fmt = match v {
            Value::Null => return Ok(()),
            Value::String(t) if t.is_empty() => "general".to_string(),
            Value::String(t) => t.clone(),
            _ => return Err(GraphError::invalid("A number format must be a string.")),
        };
        let mut style = self.model.get_style_for_cell(s, r, c).map_err(engine)?;
        style.num_fmt = fmt;
        self.model.set_cell_style(s, r, c, &style).map_err(engine)
    }

    /// `clear` with `applyTo` All (default), Formats or Contents.
    pub fn clear_range(&mut self, r: &Rect, body: &Value) -> R<()> {
        let area = Area {
            sheet: r.sheet,
            row: r.r0,
            column: r.c0,
            width: r.cols(),
            height: r.rows(),
        };
        let apply = body.get("applyTo").and_then(Value::as_str).unwrap_or("All");
        match apply {
            "All" => self.model.range_clear_all(&area).map_err(engine)?,
            "Contents" => self.model.range_clear_contents(&area).map_err(engine)?,
            "Formats" => {
                for row in r.r0..=r.r1 {
                    for col in r.c0..=r.c1 {
                        if !self
                            .model
                            .is_empty_cell(r.sheet, row, col)
                            .map_err(engine)?
                        {
                            self.set_format(r.sheet, row, col, &json!(""))?;
                        }
                    }
                }
            }
            other => {
                return Err(GraphError::invalid(format!(
                    "applyTo '{other}' is not All, Formats or Contents."
                )))
            }
        }
        self.model.evaluate();
        Ok(())
    }

    /// `insert` / `delete` with `shift`: Down/Up move the cells below the range (whole rows
    /// when the range spans every column), Right/Left the cells to its right (whole columns
    /// when it spans every row).
    pub fn shift_range(&mut self, r: &Rect, body: &Value, insert: bool) -> R<Option<Value>> {
        let shift = body
            .get("shift")
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::invalid("The argument shift is missing."))?;
        let vertical = match (insert, shift) {
            (true, "Down") | (false, "Up") => true,
            (true, "Right") | (false, "Left") => false,
            _ => {
                return Err(GraphError::invalid(format!(
                    "shift '{shift}' is not valid here."
                )))
            }
        };
        let whole = if vertical {
            r.c0 == 1 && r.c1 == MAX_COL
        } else {
            r.r0 == 1 && r.r1 == MAX_ROW
        };
        if whole {
            self.move_tables(r, vertical, insert)?;
        }
        let m = &mut self.model;
        match (whole, insert, vertical) {
            (false, _, _) => self.shift_cells(r, vertical, insert)?,
            (true, true, true) => m.insert_rows(r.sheet, r.r0, r.rows()).map_err(engine)?,
            (true, true, false) => m.insert_columns(r.sheet, r.c0, r.cols()).map_err(engine)?,
            (true, false, true) => m.delete_rows(r.sheet, r.r0, r.rows()).map_err(engine)?,
            (true, false, false) => m.delete_columns(r.sheet, r.c0, r.cols()).map_err(engine)?,
        }
        self.model.evaluate();
        if insert {
            Ok(Some(self.range_json(r)?))
        } else {
            Ok(None)
        }
    }

    /// Whole rows (`vertical`) or columns inserted or deleted at `r`: the tables on the sheet
    /// move and grow or shrink with them; a table whose rows (columns) all go is removed.
    /// Deleting a table's header row is refused (the table would lose its column names).
    fn move_tables(&mut self, r: &Rect, vertical: bool, insert: bool) -> R<()> {
        let name = self.sheet_name(r.sheet);
        let (a, b) = if vertical { (r.r0, r.r1) } else { (r.c0, r.c1) };
        let n = b - a + 1;
        if !insert && vertical {
            if let Some(t) = self
                .tables
                .iter()
                .find(|t| t.sheet == name && t.show_headers && (a..=b).contains(&t.r0) && t.r1 > b)
            {
                return Err(GraphError::invalid(format!(
                    "The rows include the header row of table {} but not all of its rows.",
                    t.name
                )));
            }
        }
        // A position after inserting (deleting) rows or columns a..=b; None when deleted.
        let map = |x: i32| -> Option<i32> {
            match (insert, x >= a, x > b) {
                (true, true, _) => Some(x + n),
                (false, _, true) => Some(x - n),
                (false, true, false) => None,
                _ => Some(x),
            }
        };
        for t in self.tables.iter_mut().filter(|t| t.sheet == name) {
            let (lo, hi) = if vertical {
                (&mut t.r0, &mut t.r1)
            } else {
                (&mut t.c0, &mut t.c1)
            };
            // An insert inside the table grows it; a delete keeps what is left.
            let new_lo = if insert && *lo < a {
                Some(*lo)
            } else {
                map(*lo)
            };
            let new_hi = map(*hi).or_else(|| (a > *lo).then_some(a - 1));
            match (new_lo.or_else(|| (*hi > b).then_some(a)), new_hi) {
                (Some(l), Some(h)) if l <= h => {
                    *lo = l;
                    *hi = h;
                }
                _ => *hi = *lo - 1, // emptied: removed below
            }
        }
        self.tables.retain(|t| t.r0 <= t.r1 && t.c0 <= t.c1);
        Ok(())
    }

    // ---- named items ----

    fn name_formula(&self, name: &str) -> R<(String, Option<u32>)> {
        self.model
            .get_defined_name_list()
            .into_iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, scope, f)| (f, scope))
            .ok_or_else(|| {
                GraphError::not_found(format!(
                    "The requested resource doesn't exist: name \"{name}\"."
                ))
            })
    }

    /// The rectangle a defined name refers to.
    pub fn name_rect(&self, name: &str) -> R<Rect> {
        let (formula, _) = self.name_formula(name)?;
        let f = formula.trim_start_matches('=');
        let (sheet, reference) = address::split_sheet(f);
        let s = self.find_sheet(&sheet.unwrap_or_default())?;
        address::parse_ref(s, reference).ok_or_else(|| {
            GraphError::invalid(format!("The name {name} does not refer to a range."))
        })
    }

    fn name_json(&self, name: &str, scope: Option<u32>, formula: &str) -> Value {
        let scope = match scope {
            None => "Workbook".to_string(),
            Some(_) => "Worksheet".to_string(),
        };
        let meta = self
            .names_meta
            .get(&name.to_lowercase())
            .cloned()
            .unwrap_or_default();
        json!({
            "name": name,
            "type": "Range",
            "value": format!("={}", formula.trim_start_matches('=')),
            "visible": meta.visible,
            "comment": meta.comment,
            "scope": scope,
        })
    }

    /// PATCH of a named item: `comment`, `visible`.
    pub fn name_update(&mut self, name: &str, body: &Value) -> R<Value> {
        let obj = body
            .as_object()
            .ok_or_else(|| GraphError::invalid("The body must be a JSON object."))?;
        let current = self.name_get(name)?;
        let canonical = current["name"].as_str().unwrap_or(name).to_lowercase();
        let mut meta = self.names_meta.get(&canonical).cloned().unwrap_or_default();
        for (key, v) in obj {
            match (key.as_str(), v) {
                ("comment", Value::String(c)) => meta.comment = c.clone(),
                ("visible", Value::Bool(b)) => meta.visible = *b,
                ("comment" | "visible", _) => {
                    return Err(GraphError::invalid(format!(
                        "The property {key} has the wrong type."
                    )))
                }
                ("@odata.type", _) => {}
                _ => {
                    return Err(GraphError::invalid(format!(
                        "The property {key} cannot be updated by the emulator."
                    )))
                }
            }
        }
        if meta == NameMeta::default() {
            self.names_meta.remove(&canonical);
        } else {
            self.names_meta.insert(canonical, meta);
        }
        self.name_get(name)
    }

    /// `{"value": [named items]}`.
    pub fn names_json(&self) -> Value {
        let list: Vec<Value> = self
            .model
            .get_defined_name_list()
            .into_iter()
            .map(|(n, s, f)| self.name_json(&n, s, &f))
            .collect();
        json!({ "value": list })
    }

    /// A named item's JSON.
    pub fn name_get(&self, name: &str) -> R<Value> {
        let (f, s) = self.name_formula(name)?;
        let canonical = self
            .model
            .get_defined_name_list()
            .into_iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, _, _)| n)
            .unwrap_or_else(|| name.to_string());
        Ok(self.name_json(&canonical, s, &f))
    }

    /// `names/add` (`reference`) and `names/addFormulaLocal` (`formula`).
    pub fn name_add(&mut self, body: &Value, field: &str) -> R<Value> {
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::invalid("The argument name is missing."))?;
        let reference = body
            .get(field)
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::invalid(format!("The argument {field} is missing.")))?;
        let formula = reference.trim_start_matches('=');
        // A plain range reference: normalise to an absolute `Sheet!$A$1` form.
        let formula = match self.parse_address(formula, None) {
            Ok(r) => format!(
                "{}!{}",
                quote_sheet(&self.sheet_name(r.sheet)),
                format_abs(&r)
            ),
            Err(_) => formula.to_string(),
        };
        self.model
            .new_defined_name(name, None, &formula)
            .map_err(engine)?;
        self.model.evaluate();
        self.name_get(name)
    }

    // ---- tables ----

    fn find_table(&self, key: &str) -> R<usize> {
        self.tables
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(key) || t.id.to_string() == key)
            .ok_or_else(|| {
                GraphError::not_found(format!(
                    "The requested resource doesn't exist: table \"{key}\"."
                ))
            })
    }

    fn table_rect(&self, t: usize) -> R<Rect> {
        let tb = &self.tables[t];
        let s = self.find_sheet(&tb.sheet)?;
        Ok(Rect {
            sheet: s,
            r0: tb.r0,
            c0: tb.c0,
            r1: tb.r1,
            c1: tb.c1,
        })
    }

    /// Data body rows (excluding header and total rows): (first, last); last < first when empty.
    fn body_rows(&self, t: usize) -> (i32, i32) {
        let tb = &self.tables[t];
        let first = tb.r0 + tb.show_headers as i32;
        let last = tb.r1 - tb.show_totals as i32;
        (first, last)
    }

    fn table_index(&self, t: usize, key: &str, rows: bool) -> R<i32> {
        let n = if rows {
            let (a, b) = self.body_rows(t);
            b - a + 1
        } else {
            let tb = &self.tables[t];
            tb.c1 - tb.c0 + 1
        };
        if !rows {
            // Columns are also addressed by header name.
            if let Some(i) = self
                .column_names(t)?
                .iter()
                .position(|h| h.eq_ignore_ascii_case(key))
            {
                return Ok(i as i32);
            }
        }
        key.parse::<i32>()
            .ok()
            .filter(|i| (0..n).contains(i))
            .ok_or_else(|| {
                GraphError::not_found(format!("The requested resource doesn't exist: {key}."))
            })
    }

    fn column_names(&self, t: usize) -> R<Vec<String>> {
        let tb = &self.tables[t];
        let s = self.find_sheet(&tb.sheet)?;
        (tb.c0..=tb.c1)
            .enumerate()
            .map(|(i, c)| {
                if tb.show_headers {
                    self.model
                        .get_formatted_cell_value(s, tb.r0, c)
                        .map_err(engine)
                } else {
                    Ok(format!("Column{}", i + 1))
                }
            })
            .collect()
    }

    fn table_part(&self, t: usize, part: &str, col: Option<i32>) -> R<Rect> {
        let mut r = self.table_rect(t)?;
        if let Some(i) = col {
            r.c0 += i;
            r.c1 = r.c0;
        }
        let tb = &self.tables[t];
        let (b0, b1) = self.body_rows(t);
        match part {
            "range" => Ok(r),
            "headerRowRange" if tb.show_headers => Ok(Rect { r1: r.r0, ..r }),
            "totalRowRange" if tb.show_totals => Ok(Rect { r0: r.r1, ..r }),
            "dataBodyRange" if b1 >= b0 => Ok(Rect {
                r0: b0,
                r1: b1,
                ..r
            }),
            "headerRowRange" | "totalRowRange" | "dataBodyRange" => {
                Err(GraphError::not_found(format!("The table has no {part}.")))
            }
            _ => Err(GraphError::new(
                501,
                "NotImplemented",
                format!("table/{part} is not implemented by the emulator."),
            )),
        }
    }

    fn table_row_rect(&self, t: usize, i: i32) -> R<Rect> {
        let r = self.table_rect(t)?;
        let (b0, _) = self.body_rows(t);
        Ok(Rect {
            r0: b0 + i,
            r1: b0 + i,
            ..r
        })
    }

    /// A table's JSON.
    pub fn table_json(&self, t: usize) -> Value {
        let tb = &self.tables[t];
        json!({
            "id": tb.id.to_string(),
            "name": tb.name,
            "showHeaders": tb.show_headers,
            "showTotals": tb.show_totals,
            "showBandedRows": true,
            "showBandedColumns": false,
            "showFilterButton": tb.show_headers,
            "highlightFirstColumn": false,
            "highlightLastColumn": false,
            "style": "TableStyleMedium2",
        })
    }

    /// `{"value": [tables]}`, optionally of one sheet.
    pub fn tables_json(&self, sheet: Option<u32>) -> Value {
        let names = self.sheet_names();
        let list: Vec<Value> = (0..self.tables.len())
            .filter(|t| sheet.is_none_or(|s| names.get(s as usize) == Some(&self.tables[*t].sheet)))
            .map(|t| self.table_json(t))
            .collect();
        json!({ "value": list })
    }

    /// `tables/add {"address", "hasHeaders"}`.
    pub fn table_add(&mut self, body: &Value, sheet: Option<u32>) -> R<Value> {
        let addr = body
            .get("address")
            .and_then(Value::as_str)
            .ok_or_else(|| GraphError::invalid("The argument address is missing."))?;
        let has_headers = body
            .get("hasHeaders")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut r = self.parse_address(addr, sheet)?;
        if r.cells() > MAX_CELLS_WITH_VALUES {
            return Err(GraphError::invalid("The table range is too large."));
        }
        let s = r.sheet;
        for t in 0..self.tables.len() {
            let o = self.table_rect(t)?;
            if intersect(&o, &r).is_some() {
                return Err(GraphError::invalid("A table can't overlap another table."));
            }
        }
        if !has_headers {
            // Excel inserts a header row above the data (Column1, Column2, ...).
            self.model.insert_rows(s, r.r0, 1).map_err(engine)?;
            for (i, c) in (r.c0..=r.c1).enumerate() {
                self.model
                    .set_user_input(s, r.r0, c, format!("Column{}", i + 1))
                    .map_err(engine)?;
            }
            r.r1 += 1;
        }
        let id = self.tables.iter().map(|t| t.id).max().unwrap_or(0) + 1;
        let name = (id..)
            .map(|i| format!("Table{i}"))
            .find(|n| self.find_table(n).is_err())
            .unwrap_or_default();
        self.tables.push(Table {
            id,
            name,
            sheet: self.sheet_name(s),
            r0: r.r0,
            c0: r.c0,
            r1: r.r1,
            c1: r.c1,
            show_headers: true,
            show_totals: false,
        });
        self.model.evaluate();
        Ok(self.table_json(self.tables.len() - 1))
    }

    /// PATCH of a table (`name`).
    pub fn table_update(&mut self, t: usize, body: &Value) -> R<Value> {
        if let Some(n) = body.get("name").and_then(Value::as_str) {
            if self.find_table(n).is_ok_and(|o| o != t) {
                return Err(GraphError::invalid("Another table has this name."));
            }
            self.tables[t].name = n.to_string();
        }
        Ok(self.table_json(t))
    }

    /// `rows/itemAt(index=N)` and `columns/itemAt(index=N)`: the index, checked.
    fn item_at(&self, t: usize, args: &[(String, ArgValue)], rows: bool) -> R<i32> {
        let i = req_int(args, "index")?;
        let n = if rows {
            let (a, b) = self.body_rows(t);
            b - a + 1
        } else {
            self.tables[t].c1 - self.tables[t].c0 + 1
        };
        if (0..n).contains(&i) {
            Ok(i)
        } else {
            Err(GraphError::not_found(format!(
                "The index {i} is outside the table's {} (0..{n}).",
                if rows { "rows" } else { "columns" }
            )))
        }
    }

    /// PATCH of a table row (`values`, the row's cells) or column (`values`, header included).
    pub fn table_item_update(&mut self, t: usize, i: i32, rows: bool, body: &Value) -> R<Value> {
        let obj = body
            .as_object()
            .ok_or_else(|| GraphError::invalid("The body must be a JSON object."))?;
        if let Some(key) = obj
            .keys()
            .find(|k| !matches!(k.as_str(), "values" | "@odata.type"))
        {
            return Err(GraphError::invalid(format!(
                "The property {key} cannot be updated by the emulator."
            )));
        }
        let r = if rows {
            self.table_row_rect(t, i)?
        } else {
            self.table_part(t, "range", Some(i))?
        };
        if let Some(v) = obj.get("values").filter(|v| !v.is_null()) {
            self.update_range(&r, &json!({ "values": v }))?;
        }
        if rows {
            self.row_json(t, i)
        } else {
            self.column_json(t, i)
        }
    }

    /// `{"value": [rows]}` of a table's data body.
    pub fn rows_json(&self, t: usize) -> R<Value> {
        let (b0, b1) = self.body_rows(t);
        let list: R<Vec<Value>> = (0..=(b1 - b0)).map(|i| self.row_json(t, i)).collect();
        Ok(json!({ "value": list? }))
    }

    /// A table row's JSON (`index`, `values`).
    pub fn row_json(&self, t: usize, i: i32) -> R<Value> {
        let r = self.table_row_rect(t, i)?;
        let values = self
            .range_json(&r)?
            .get("values")
            .cloned()
            .unwrap_or(Value::Null);
        Ok(json!({ "index": i, "values": values }))
    }

    /// `rows/add {"index", "values"}`: inserts whole sheet rows inside the table.
    pub fn rows_add(&mut self, t: usize, body: &Value) -> R<Value> {
        let values = body.get("values").filter(|v| !v.is_null());
        let rows = match values {
            Some(Value::Array(a)) => a.len() as i32,
            None => 1,
            Some(_) => return Err(GraphError::invalid("values must be a 2-D array.")),
        };
        let (b0, b1) = self.body_rows(t);
        let count = b1 - b0 + 1;
        let index = match body.get("index").filter(|v| !v.is_null()) {
            None => count,
            Some(v) => v
                .as_f64()
                .filter(|i| i.fract() == 0.0 && (0.0..=count as f64).contains(i))
                .ok_or_else(|| GraphError::invalid("index is out of range."))?
                as i32,
        };
        let tr = self.table_rect(t)?;
        let at = b0 + index;
        let rect = Rect {
            r0: at,
            r1: at + rows - 1,
            ..tr
        };
        if let Some(v) = values {
            grid(v, &rect, "values")?;
        }
        self.model.insert_rows(tr.sheet, at, rows).map_err(engine)?;
        self.grow_tables(tr.sheet, at, rows);
        if let Some(v) = values {
            self.update_range(&rect, &json!({ "values": v }))?;
        }
        self.model.evaluate();
        Ok(json!({ "index": index, "values": self.range_json(&rect)?.get("values").cloned() }))
    }

    /// Keeps table rectangles in place when sheet rows are inserted (`n` > 0) or deleted.
    fn grow_tables(&mut self, sheet: u32, at: i32, n: i32) {
        let name = self.sheet_name(sheet);
        for tb in self.tables.iter_mut().filter(|tb| tb.sheet == name) {
            if tb.r0 >= at {
                tb.r0 += n;
            }
            if tb.r1 >= at - (n > 0) as i32 {
                tb.r1 += n;
            }
        }
    }

    /// Deletes a table's data row (the sheet row goes).
    pub fn row_delete(&mut self, t: usize, i: i32) -> R<()> {
        let r = self.table_row_rect(t, i)?;
        self.model.delete_rows(r.sheet, r.r0, 1).map_err(engine)?;
        let name = self.sheet_name(r.sheet);
        for tb in self.tables.iter_mut().filter(|tb| tb.sheet == name) {
            if tb.r0 > r.r0 {
                tb.r0 -= 1;
            }
            if tb.r1 >= r.r0 {
                tb.r1 -= 1;
            }
        }
        self.model.evaluate();
        Ok(())
    }

    /// `{"value": [columns]}` of a table.
    pub fn columns_json(&self, t: usize) -> R<Value> {
        let n = self.tables[t].c1 - self.tables[t].c0 + 1;
        let list: R<Vec<Value>> = (0..n).map(|i| self.column_json(t, i)).collect();
        Ok(json!({ "value": list? }))
    }

    /// A table column's JSON (`id`, `index`, `name`, `values`).
    pub fn column_json(&self, t: usize, i: i32) -> R<Value> {
        let r = self.table_part(t, "range", Some(i))?;
        let names = self.column_names(t)?;
        let values = self
            .range_json(&r)?
            .get("values")
            .cloned()
            .unwrap_or(Value::Null);
        Ok(
            json!({ "id": (i + 1).to_string(), "index": i, "name": names.get(i as usize), "values": values }),
        )
    }

    /// `columns/add {"index", "values", "name"}`: adds a column at the table's right edge
    /// (an `index` inside the table is refused: it would shift cells of other rows).
    pub fn column_add(&mut self, t: usize, body: &Value) -> R<Value> {
        let n = self.tables[t].c1 - self.tables[t].c0 + 1;
        if let Some(i) = body.get("index").and_then(Value::as_i64) {
            if i != n as i64 {
                return Err(GraphError::new(
                    501,
                    "NotImplemented",
                    "The emulator adds table columns at the end only.",
                ));
            }
        }
        let tr = self.table_rect(t)?;
        let col = Rect {
            c0: tr.c1 + 1,
            c1: tr.c1 + 1,
            ..tr
        };
        checked(col)?;
        if let Some(v) = body.get("values").filter(|v| !v.is_null()) {
            self.update_range(&col, &json!({ "values": v }))?;
        } else if self.tables[t].show_headers {
            let name = body
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or(format!("Column{}", n + 1));
            self.model
                .set_user_input(tr.sheet, tr.r0, col.c0, name)
                .map_err(engine)?;
        }
        self.tables[t].c1 += 1;
        self.model.evaluate();
        self.column_json(t, n)
    }

    /// Deletes a table column (cells to its right inside the table move left).
    pub fn column_delete(&mut self, t: usize, i: i32) -> R<()> {
        let r = self.table_part(t, "range", Some(i))?;
        let area = Area {
            sheet: r.sheet,
            row: r.r0,
            column: r.c0,
            width: 1,
            height: r.rows(),
        };
        self.model.range_clear_all(&area).map_err(engine)?;
        // Cells right of the column inside the table move left by one.
        let tr = self.table_rect(t)?;
        for c in r.c0..tr.c1 {
            for row in tr.r0..=tr.r1 {
                let src = self
                    .model
                    .get_cell_formula(tr.sheet, row, c + 1)
                    .map_err(engine)?;
                let text = match src {
                    Some(f) => f,
                    None => self
                        .model
                        .get_localized_cell_content(tr.sheet, row, c + 1)
                        .map_err(engine)?,
                };
                self.model
                    .set_user_input(tr.sheet, row, c, text)
                    .map_err(engine)?;
            }
        }
        let last = Area {
            sheet: tr.sheet,
            row: tr.r0,
            column: tr.c1,
            width: 1,
            height: tr.rows(),
        };
        self.model.range_clear_all(&last).map_err(engine)?;
        self.tables[t].c1 -= 1;
        if self.tables[t].c1 < self.tables[t].c0 {
            self.tables.remove(t);
        }
        self.model.evaluate();
        Ok(())
    }

    /// `convertToRange`: the table goes, its cells stay.
    pub fn table_convert(&mut self, t: usize) -> R<Value> {
        let r = self.table_rect(t)?;
        self.tables.remove(t);
        self.range_json(&r)
    }

    /// Deletes a table and clears its cells.
    pub fn table_delete(&mut self, t: usize) -> R<()> {
        let r = self.table_rect(t)?;
        let area = Area {
            sheet: r.sheet,
            row: r.r0,
            column: r.c0,
            width: r.cols(),
            height: r.rows(),
        };
        self.model.range_clear_all(&area).map_err(engine)?;
        self.tables.remove(t);
        self.model.evaluate();
        Ok(())
    }
}

/// Graph's worksheet id form, from IronCalc's sheet id.
fn sheet_id_string(id: u32) -> String {
    format!("{{00000000-0001-0000-{id:04X}-000000000000}}")
}

fn intersect(a: &Rect, b: &Rect) -> Option<Rect> {
    let r = Rect {
        sheet: a.sheet,
        r0: a.r0.max(b.r0),
        c0: a.c0.max(b.c0),
        r1: a.r1.min(b.r1),
        c1: a.c1.min(b.c1),
    };
    (a.sheet == b.sheet && r.r0 <= r.r1 && r.c0 <= r.c1).then_some(r)
}

fn checked(r: Rect) -> R<Rect> {
    if r.valid() {
        Ok(r)
    } else {
        Err(GraphError::invalid(
            "The resulting range is outside the worksheet.",
        ))
    }
}

/// A body grid matching the range's shape; a single value is applied to every cell.
fn grid(v: &Value, r: &Rect, key: &str) -> R<Vec<Vec<Value>>> {
    let shape_err = || {
        GraphError::invalid(format!(
            "The number of rows or columns in the input array doesn't match the size or dimensions of the range ({key})."
        ))
    };
    if !v.is_array() {
        if r.cells() > MAX_CELLS_WITH_VALUES {
            return Err(shape_err());
        }
        return Ok(vec![vec![v.clone(); r.cols() as usize]; r.rows() as usize]);
    }
    let rows = v.as_array().ok_or_else(shape_err)?;
    if rows.len() != r.rows() as usize {
        return Err(shape_err());
    }
    rows.iter()
        .map(|row| {
            let cells = row.as_array().ok_or_else(shape_err)?;
            if cells.len() != r.cols() as usize {
                return Err(shape_err());
            }
            for c in cells {
                if c.is_array() || c.is_object() {
                    return Err(GraphError::invalid(format!(
                        "{key}: a cell must be a string, number, boolean or null."
                    )));
                }
            }
            Ok(cells.clone())
        })
        .collect()
}

/// A cell number as Graph's JSON writes it: a whole number as an integer (`3`), any other as
/// a double (`2.5`).
fn number_json(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() < EXACT && !(n == 0.0 && n.is_sign_negative()) {
        json!(n as i64)
    } else {
        json!(n)
    }
}
