//! `range/format`: column width, row height, alignment and wrapping, kept by IronCalc (so
//! saved in the .xlsx). Graph gives widths and heights in points; IronCalc keeps pixels: a
//! width is `pixels * 0.75` points (96 dpi), a height `pixels / 1.5625` points (IronCalc's
//! row-height factor), so a value written reads back unchanged.

use ironcalc::base::types::{HorizontalAlignment as H, VerticalAlignment as V};
use serde_json::{json, Value};

use crate::address::Rect;
use crate::book::Book;
use crate::error::GraphError;

type R<T> = Result<T, GraphError>;

/// Points per IronCalc column-width pixel.
const WIDTH_PT_PER_PX: f64 = 0.75;
/// IronCalc row-height pixels per point.
const HEIGHT_PX_PER_PT: f64 = 1.5625;
/// Cells a format update styles one by one at most (alignment, wrapping).
const MAX_STYLED_CELLS: i64 = 262_144;
/// Rows a format update sets the height of at most.
const MAX_SIZED_ROWS: i32 = 65_536;

const HORIZONTAL: [(&str, H); 8] = [
    ("Center", H::Center),
    ("CenterAcrossSelection", H::CenterContinuous),
    ("Distributed", H::Distributed),
    ("Fill", H::Fill),
    ("General", H::General),
    ("Justify", H::Justify),
    ("Left", H::Left),
    ("Right", H::Right),
];

const VERTICAL: [(&str, V); 5] = [
    ("Bottom", V::Bottom),
    ("Center", V::Center),
    ("Distributed", V::Distributed),
    ("Justify", V::Justify),
    ("Top", V::Top),
];

fn engine(e: String) -> GraphError {
    GraphError::invalid(e)
}

/// A format update, checked before anything changes.
#[derive(Default)]
struct FormatChange {
    width: Option<f64>,
    height: Option<f64>,
    horizontal: Option<H>,
    vertical: Option<V>,
    wrap: Option<bool>,
}

fn size(key: &str, v: &Value) -> R<f64> {
    v.as_f64()
        .filter(|x| (0.0..=4096.0).contains(x))
        .ok_or_else(|| GraphError::invalid(format!("{key} must be a number of points (0-4096).")))
}

fn named<T: Clone>(key: &str, v: &Value, table: &[(&str, T)]) -> R<T> {
    let s = v.as_str().unwrap_or_default();
    table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, t)| t.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            GraphError::invalid(format!("{key} must be one of {}.", names.join(", ")))
        })
}

fn parse(body: &Value) -> R<FormatChange> {
    let obj = body
        .as_object()
        .ok_or_else(|| GraphError::invalid("The body must be a JSON object."))?;
    let mut c = FormatChange::default();
    for (key, v) in obj.iter().filter(|(_, v)| !v.is_null()) {
        match key.as_str() {
            "columnWidth" => c.width = Some(size(key, v)?),
            "rowHeight" => c.height = Some(size(key, v)?),
            "horizontalAlignment" => c.horizontal = Some(named(key, v, &HORIZONTAL)?),
            "verticalAlignment" => c.vertical = Some(named(key, v, &VERTICAL)?),
            "wrapText" => {
                c.wrap = Some(
                    v.as_bool()
                        .ok_or_else(|| GraphError::invalid("wrapText must be a boolean."))?,
                )
            }
            "@odata.type" => {}
            _ => {
                return Err(GraphError::new(
                    501,
                    "NotImplemented",
                    format!("The format property {key} is not implemented by the emulator."),
                ))
            }
        }
    }
    Ok(c)
}

impl Book {
    /// `range/format`: the format of the range's first cell, row and column.
    pub fn format_json(&self, r: &Rect) -> R<Value> {
        let m = &self.model;
        let style = m.get_style_for_cell(r.sheet, r.r0, r.c0).map_err(engine)?;
        let al = style.alignment.unwrap_or_default();
        let width = m.get_column_width(r.sheet, r.c0).map_err(engine)? * WIDTH_PT_PER_PX;
        let height = m.get_row_height(r.sheet, r.r0).map_err(engine)? / HEIGHT_PX_PER_PT;
        let h = HORIZONTAL.iter().find(|(_, x)| *x == al.horizontal);
        let v = VERTICAL.iter().find(|(_, x)| *x == al.vertical);
        Ok(json!({
            "columnWidth": width,
            "rowHeight": height,
            "horizontalAlignment": h.map(|(n, _)| *n),
            "verticalAlignment": v.map(|(n, _)| *n),
            "wrapText": al.wrap_text,
        }))
    }

    /// PATCH of `range/format`: widths of the range's columns, heights of its rows, the
    /// alignment and wrapping of its cells.
    pub fn format_update(&mut self, r: &Rect, body: &Value) -> R<Value> {
        let c = parse(body)?;
        let styles = c.horizontal.is_some() || c.vertical.is_some() || c.wrap.is_some();
        if styles && r.cells() > MAX_STYLED_CELLS {
            return Err(GraphError::new(
                501,
                "NotImplemented",
                format!("The emulator aligns at most {MAX_STYLED_CELLS} cells at once."),
            ));
        }
        if c.height.is_some() && r.rows() > MAX_SIZED_ROWS {
            return Err(GraphError::new(
                501,
                "NotImplemented",
                format!("The emulator sets the height of at most {MAX_SIZED_ROWS} rows at once."),
            ));
        }
        let m = &mut self.model;
        if let Some(w) = c.width {
            for col in r.c0..=r.c1 {
                m.set_column_width(r.sheet, col, w / WIDTH_PT_PER_PX)
                    .map_err(engine)?;
            }
        }
        if let Some(h) = c.height {
            for row in r.r0..=r.r1 {
                m.set_row_height(r.sheet, row, h * HEIGHT_PX_PER_PT)
                    .map_err(engine)?;
            }
        }
        if styles {
            for row in r.r0..=r.r1 {
                for col in r.c0..=r.c1 {
                    let mut style = m.get_style_for_cell(r.sheet, row, col).map_err(engine)?;
                    let mut al = style.alignment.unwrap_or_default();
                    if let Some(h) = &c.horizontal {
                        al.horizontal = h.clone();
                    }
                    if let Some(v) = &c.vertical {
                        al.vertical = v.clone();
                    }
                    if let Some(w) = c.wrap {
                        al.wrap_text = w;
                    }
                    style.alignment = Some(al);
                    m.set_cell_style(r.sheet, row, col, &style)
                        .map_err(engine)?;
                }
            }
        }
        self.format_json(r)
    }
}
