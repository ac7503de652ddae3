//! `insert` / `delete` with `shift` on a range that is not whole rows or columns: the cells
//! below (Down/Up) or to the right (Right/Left) of the range move, within the range's columns
//! (or rows) only, as in Excel. IronCalc moves whole rows and columns only, so the emulator
//! moves the cells itself and then rewrites every formula that points at a moved cell with
//! IronCalc's own reference displacement (`to_string_displaced`, per column or row).

use ironcalc::base::expressions::parser::stringify::{
    to_localized_string, to_string_displaced, DisplaceData,
};
use ironcalc::base::expressions::types::{Area, CellReferenceRC};
use ironcalc::base::types::Cell;

use crate::address::{Rect, MAX_COL, MAX_ROW};
use crate::book::Book;
use crate::error::GraphError;

type R<T> = Result<T, GraphError>;

fn engine(e: String) -> GraphError {
    GraphError::invalid(e)
}

impl Book {
    /// Moves the cells beside `r` (`vertical`: the cells below it in its columns; else the
    /// cells right of it in its rows) by the range's height (width): away from it on insert,
    /// into it on delete (its own cells go first). Formulas follow the moved cells;
    /// references to deleted cells become `#REF!`.
    pub(crate) fn shift_cells(&mut self, r: &Rect, vertical: bool, insert: bool) -> R<()> {
        self.refuse_table_overlap(r, vertical)?;
        let s = r.sheet;
        let n = if vertical { r.rows() } else { r.cols() };
        // The cells that move: in the lanes (columns when vertical), from `start` on.
        let start = match (vertical, insert) {
            (true, true) => r.r0,
            (true, false) => r.r1 + 1,
            (false, true) => r.c0,
            (false, false) => r.c1 + 1,
        };
        let ws = self.model.workbook.worksheet(s).map_err(engine)?;
        let mut cells: Vec<(i32, i32)> = ws
            .sheet_data
            .cells()
            .map(|(row, col, _)| (row, col))
            .filter(|&(row, col)| {
                if vertical {
                    (r.c0..=r.c1).contains(&col) && row >= start
                } else {
                    (r.r0..=r.r1).contains(&row) && col >= start
                }
            })
            .collect();
        let delta = if insert { n } else { -n };
        let (dr, dc) = if vertical { (delta, 0) } else { (0, delta) };
        if insert
            && cells
                .iter()
                .any(|&(row, col)| row + dr > MAX_ROW || col + dc > MAX_COL)
        {
            return Err(GraphError::invalid(
                "The insert would push cells off the end of the worksheet.",
            ));
        }
        if !insert {
            let area = Area {
                sheet: s,
                row: r.r0,
                column: r.c0,
                width: r.cols(),
                height: r.rows(),
            };
            self.model.range_clear_all(&area).map_err(engine)?;
        }
        // Farthest first on insert, nearest first on delete: a target is always free.
        cells.sort_by_key(|&(row, col)| if vertical { row } else { col });
        if insert {
            cells.reverse();
        }
        for (row, col) in cells {
            self.move_cell(s, (row, col), (row + dr, col + dc))?;
        }
        let lanes = if vertical { r.c0..=r.c1 } else { r.r0..=r.r1 };
        for lane in lanes {
            let d = if vertical {
                DisplaceData::CellVertical {
                    sheet: s,
                    row: r.r0,
                    column: lane,
                    delta,
                }
            } else {
                DisplaceData::CellHorizontal {
                    sheet: s,
                    row: lane,
                    column: r.c0,
                    delta,
                }
            };
            self.displace_formulas(&d)?;
        }
        Ok(())
    }

    /// A table would be torn by the shift (its cells would move without it): refused.
    fn refuse_table_overlap(&self, r: &Rect, vertical: bool) -> R<()> {
        let strip = if vertical {
            Rect { r1: MAX_ROW, ..*r }
        } else {
            Rect { c1: MAX_COL, ..*r }
        };
        let name = self.sheet_name(r.sheet);
        let torn = self.tables.iter().any(|t| {
            t.sheet == name
                && t.r0 <= strip.r1
                && strip.r0 <= t.r1
                && t.c0 <= strip.c1
                && strip.c0 <= t.c1
        });
        if torn {
            return Err(GraphError::invalid(
                "This operation would move cells of a table; the emulator refuses it (shift whole rows or columns, or use the table's rows and columns).",
            ));
        }
        Ok(())
    }

    /// Moves one cell (value or formula, and its style). A formula keeps the cells it points
    /// at (its A1 text is re-entered at the target); other cells move as they are.
    fn move_cell(&mut self, s: u32, from: (i32, i32), to: (i32, i32)) -> R<()> {
        let formula = self
            .model
            .get_cell_formula(s, from.0, from.1)
            .map_err(engine)?;
        let ws = self.model.workbook.worksheet_mut(s).map_err(engine)?;
        let Some(cell) = ws.sheet_data.remove_cell(from.0, from.1) else {
            return Ok(());
        };
        match (cell, formula) {
            // A stale spill of a dynamic array: recomputed by the next evaluation.
            (Cell::SpillCell { .. }, _) => Ok(()),
            (cell, Some(f)) => {
                let style = cell.get_style();
                self.model
                    .set_user_input(s, to.0, to.1, f)
                    .map_err(engine)?;
                let ws = self.model.workbook.worksheet_mut(s).map_err(engine)?;
                ws.set_cell_style(to.0, to.1, style).map_err(engine)
            }
            (cell, None) => {
                ws.sheet_data.set_cell(to.0, to.1, cell);
                Ok(())
            }
        }
    }

    /// Rewrites every formula of the workbook that points at cells `d` moves.
    fn displace_formulas(&mut self, d: &DisplaceData) -> R<()> {
        let locale = ironcalc::base::locale::get_locale("en").map_err(engine)?;
        let language = ironcalc::base::language::get_language("en").map_err(engine)?;
        let mut changes = Vec::new();
        for (s, ws) in self.model.workbook.worksheets.iter().enumerate() {
            for (row, column, cell) in ws.sheet_data.cells() {
                let Some(f) = cell.get_formula() else {
                    continue;
                };
                let Some((node, _)) = self
                    .model
                    .parsed_formulas
                    .get(s)
                    .and_then(|list| list.get(f as usize))
                else {
                    continue;
                };
                let context = CellReferenceRC {
                    sheet: ws.get_name(),
                    row,
                    column,
                };
                let before = to_localized_string(node, &context, locale, language);
                let after = to_string_displaced(node, &context, d, locale, language);
                if before != after {
                    changes.push((s as u32, row, column, format!("={after}")));
                }
            }
        }
        for (s, row, column, formula) in changes {
            self.model
                .update_cell_with_formula(s, row, column, formula)
                .map_err(engine)?;
        }
        Ok(())
    }
}
