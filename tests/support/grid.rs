//! The million-cell grid of the scale test and bench: the same deterministic mix of numbers
//! (whole and fractional, negative), strings of varying length (quotes, backslashes, non-ASCII),
//! booleans and empties. Included with `#[path]` by tests/scale_roundtrip.rs and benches/scale.rs.

use graph_workbook::{CellValue, Cells};

/// `rows` x `cols` cells of the mix, the same on every call.
pub fn mixed_grid(rows: usize, cols: usize) -> Cells {
    let mut seed = 0x5eed_u64;
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    let x = seed >> 33;
                    match x % 8 {
                        0 | 1 => CellValue::Int((x % 100_000) as i64),
                        2 => CellValue::Number((x % 1_000_000) as f64 / 1000.0 - 500.0),
                        3 | 4 => CellValue::String(format!(
                            "r{r}c{c} {}",
                            [
                                "",
                                "\"quoted\"",
                                "back\\slash",
                                "Zürich €",
                                "tab\tnew\nline"
                            ][(x % 5) as usize]
                                .repeat((x % 4) as usize)
                        )),
                        5 => CellValue::Bool(x.is_multiple_of(3)),
                        _ => CellValue::Empty,
                    }
                })
                .collect()
        })
        .collect()
}
