//! Typed cell values for the 2-D arrays of a range (`values`, `formulas`, `text`, ...).
//!
//! On the wire a cell is JSON `null`, a bool, a number or a string; Excel reports an empty
//! cell as `""` and an error cell as its error text (`"#DIV/0!"`). [`CellValue`] gives those
//! cases names.
//!
//! Reading: `""` is [`CellValue::Empty`], `null` is [`CellValue::Unchanged`]; a string that is exactly one of Excel's
//! error values ([`EXCEL_ERRORS`]) is [`CellValue::Error`]. A text cell that literally holds
//! such a text (`'#N/A` typed as text) reads as an error too; `valueTypes` tells the two apart
//! when it matters.
//!
//! Writing: `Empty` is sent as `""`, which clears the cell; `Unchanged` (and `None` in the
//! [`cells!`](crate::cells) macro) is sent as `null`, which Graph reads as "leave this cell as it
//! is", so a PATCH can write part of a grid; `Error("#N/A")` is sent as the error text, which
//! Excel stores as that error; numbers that are not finite are sent as `null` (JSON has no
//! NaN/infinity).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A 2-D block of cells, row-major (`cells[row][column]`).
pub type Cells = Vec<Vec<CellValue>>;

/// The error values Excel shows in cells.
pub const EXCEL_ERRORS: &[&str] = &[
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#UNKNOWN!",
    "#BUSY!",
    "#EXTERNAL!",
    "#PYTHON!",
];

/// One cell of a range.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellValue {
    /// A blank cell (`""` on the wire); writing it clears the cell.
    #[default]
    Empty,
    /// JSON `null`: in a write, the cell keeps its current content.
    Unchanged,
    /// A boolean cell.
    Bool(bool),
    /// A number written with a fraction or exponent (`2.5`, `3.0`, `1e300`). Excel numbers
    /// are IEEE doubles; dates are serial numbers.
    Number(f64),
    /// A number written as an integer (`3`): Graph's JSON sends whole numbers this way, and
    /// integers given to the client (`CellValue::from(3)`) go out as `3`, not `3.0`.
    Int(i64),
    /// Text.
    String(String),
    /// An Excel error value such as `#DIV/0!` or `#N/A`.
    Error(String),
}

impl CellValue {
    /// Whether `s` is one of Excel's error values ([`EXCEL_ERRORS`]).
    pub fn is_error_text(s: &str) -> bool {
        // Every error value starts with `#`: most strings are rejected on the first byte.
        s.starts_with('#') && EXCEL_ERRORS.contains(&s)
    }

    /// Classifies a string as Excel reports it: `""` is empty, an error value is an error,
    /// anything else is text.
    pub fn from_text(s: impl Into<String>) -> CellValue {
        let s = s.into();
        if s.is_empty() {
            CellValue::Empty
        } else if Self::is_error_text(&s) {
            CellValue::Error(s)
        } else {
            CellValue::String(s)
        }
    }

    /// Whether the cell is blank ([`CellValue::Empty`]).
    pub fn is_empty(&self) -> bool {
        matches!(self, CellValue::Empty)
    }

    /// The number, for [`CellValue::Number`] and [`CellValue::Int`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            CellValue::Number(n) => Some(*n),
            CellValue::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The integer, for [`CellValue::Int`] and a [`CellValue::Number`] without a fraction
    /// that fits an `i64` exactly.
    pub fn as_i64(&self) -> Option<i64> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        match self {
            CellValue::Int(i) => Some(*i),
            CellValue::Number(n) if n.fract() == 0.0 && n.abs() <= EXACT => Some(*n as i64),
            _ => None,
        }
    }

    /// The boolean, for [`CellValue::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            CellValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text of a `String` cell.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CellValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The error value of an `Error` cell (`#DIV/0!`).
    pub fn as_error(&self) -> Option<&str> {
        match self {
            CellValue::Error(s) => Some(s),
            _ => None,
        }
    }

    /// The cell as JSON, as it is sent to Graph.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            CellValue::Empty => serde_json::Value::String(String::new()),
            CellValue::Unchanged => serde_json::Value::Null,
            CellValue::Bool(b) => (*b).into(),
            CellValue::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            CellValue::Int(i) => (*i).into(),
            CellValue::String(s) | CellValue::Error(s) => s.as_str().into(),
        }
    }
}

impl fmt::Display for CellValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellValue::Empty | CellValue::Unchanged => Ok(()),
            CellValue::Bool(true) => f.write_str("TRUE"),
            CellValue::Bool(false) => f.write_str("FALSE"),
            CellValue::Number(n) => write!(f, "{n}"),
            CellValue::Int(i) => write!(f, "{i}"),
            CellValue::String(s) | CellValue::Error(s) => f.write_str(s),
        }
    }
}

impl Serialize for CellValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CellValue::Empty => s.serialize_str(""),
            CellValue::Unchanged => s.serialize_unit(),
            CellValue::Bool(b) => s.serialize_bool(*b),
            CellValue::Number(n) if n.is_finite() => s.serialize_f64(*n),
            CellValue::Number(_) => s.serialize_unit(),
            CellValue::Int(i) => s.serialize_i64(*i),
            CellValue::String(v) | CellValue::Error(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for CellValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CellValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cell value (null, bool, number or string)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<CellValue, E> {
                Ok(CellValue::Unchanged)
            }
            fn visit_none<E: de::Error>(self) -> Result<CellValue, E> {
                Ok(CellValue::Unchanged)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<CellValue, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<CellValue, E> {
                Ok(CellValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CellValue, E> {
                Ok(CellValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellValue, E> {
                // Beyond i64 the value is only representable as a double.
                Ok(i64::try_from(v).map_or(CellValue::Number(v as f64), CellValue::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellValue, E> {
                Ok(CellValue::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CellValue, E> {
                Ok(CellValue::from_text(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CellValue, E> {
                Ok(CellValue::from_text(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl From<bool> for CellValue {
    fn from(v: bool) -> Self {
        CellValue::Bool(v)
    }
}

macro_rules! from_float {
    ($($t:ty),*) => {$(
        impl From<$t> for CellValue {
            fn from(v: $t) -> Self {
                CellValue::Number(v.into())
            }
        }
    )*};
}
from_float!(f64, f32);

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for CellValue {
            fn from(v: $t) -> Self {
                CellValue::Int(v.into())
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

macro_rules! from_wide_int {
    ($($t:ty),*) => {$(
        impl From<$t> for CellValue {
            /// An integer; one beyond `i64` becomes the nearest [`CellValue::Number`].
            fn from(v: $t) -> Self {
                i64::try_from(v).map_or(CellValue::Number(v as f64), CellValue::Int)
            }
        }
    )*};
}
from_wide_int!(u64, isize, usize);

/// Text as written: `""` becomes [`CellValue::Empty`]; an error text stays a string value
/// (use [`CellValue::Error`] explicitly to write an error).
impl From<&str> for CellValue {
    fn from(v: &str) -> Self {
        if v.is_empty() {
            CellValue::Empty
        } else {
            CellValue::String(v.to_string())
        }
    }
}

impl From<String> for CellValue {
    fn from(v: String) -> Self {
        if v.is_empty() {
            CellValue::Empty
        } else {
            CellValue::String(v)
        }
    }
}

impl From<&String> for CellValue {
    fn from(v: &String) -> Self {
        CellValue::from(v.as_str())
    }
}

impl<T: Into<CellValue>> From<Option<T>> for CellValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(CellValue::Unchanged, Into::into)
    }
}

impl From<()> for CellValue {
    fn from(_: ()) -> Self {
        CellValue::Empty
    }
}

/// Appends one row as a JSON array, written straight to bytes: the same JSON as
/// [`CellValue`]'s `Serialize` (integers as `3`, other numbers as `serde_json` writes a
/// double, `3.0`).
pub fn encode_row(row: &[CellValue], out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        encode_cell(cell, out);
    }
    out.push(b']');
}

/// A grid as a JSON array of rows (see [`encode_row`]).
pub fn encode_cells(rows: &[Vec<CellValue>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * rows.first().map_or(2, |r| r.len() * 8 + 2));
    out.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        encode_row(row, &mut out);
    }
    out.push(b']');
    out
}

fn encode_cell(cell: &CellValue, out: &mut Vec<u8>) {
    use std::io::Write;
    // Writing into a Vec cannot fail.
    let _ = match cell {
        CellValue::Empty => out.write_all(b"\"\""),
        CellValue::Unchanged => out.write_all(b"null"),
        CellValue::Bool(true) => out.write_all(b"true"),
        CellValue::Bool(false) => out.write_all(b"false"),
        CellValue::Int(i) => serde_json::to_writer(&mut *out, i).map_err(std::io::Error::other),
        CellValue::Number(n) if n.is_finite() => {
            serde_json::to_writer(&mut *out, n).map_err(std::io::Error::other)
        }
        CellValue::Number(_) => out.write_all(b"null"),
        CellValue::String(s) | CellValue::Error(s) => {
            serde_json::to_writer(&mut *out, s.as_str()).map_err(std::io::Error::other)
        }
    };
}

/// Corrects `values` with the range's `valueTypes` (as Graph returns them: `"String"`,
/// `"Error"`, `"Double"`, ...): a text cell that happens to read `#N/A` becomes a
/// [`CellValue::String`] again, and an error whose text is not in [`EXCEL_ERRORS`] (a newer
/// Excel error) becomes a [`CellValue::Error`]. Cells without a type are left as they are.
///
/// ```
/// use graph_workbook::cell::{apply_value_types, cells, CellValue};
/// let mut values = cells([["#N/A", "#FUTURE!"]]);
/// apply_value_types(&mut values, &cells([["String", "Error"]]));
/// assert_eq!(values[0][0], CellValue::String("#N/A".into()));
/// assert_eq!(values[0][1], CellValue::Error("#FUTURE!".into()));
/// ```
pub fn apply_value_types(values: &mut Cells, value_types: &Cells) {
    for (row, types) in values.iter_mut().zip(value_types) {
        for (cell, ty) in row.iter_mut().zip(types) {
            let ty = match ty {
                CellValue::String(t) => t.as_str(),
                _ => continue,
            };
            *cell = match (std::mem::take(cell), ty) {
                (CellValue::Error(s), "String") => CellValue::String(s),
                (CellValue::String(s), "Error") => CellValue::Error(s),
                (other, _) => other,
            };
        }
    }
}

/// Builds [`Cells`] from any nested iterables of values convertible to [`CellValue`]:
///
/// ```
/// use graph_workbook::cell::{cells, CellValue};
/// let c = cells([["Item", "Qty"], ["Apples", ""]]);
/// assert_eq!(c[1][1], CellValue::Empty);
/// let n = cells(vec![vec![1.5, 2.0]]);
/// assert_eq!(n[0][0], CellValue::Number(1.5));
/// ```
pub fn cells<R, C>(rows: R) -> Cells
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: Into<CellValue>,
{
    rows.into_iter()
        .map(|r| r.into_iter().map(Into::into).collect())
        .collect()
}

/// Builds [`Cells`] from mixed literals, one bracketed list per row:
///
/// ```
/// use graph_workbook::{cells, cell::CellValue};
/// let c = cells![["Item", 2], [true, ()]];
/// assert_eq!(c[0][1], CellValue::Int(2));
/// assert_eq!(c[1][1], CellValue::Empty);
/// ```
#[macro_export]
macro_rules! cells {
    ($([$($v:expr),* $(,)?]),* $(,)?) => {
        vec![$(vec![$($crate::cell::CellValue::from($v)),*]),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_json_shape() {
        let c: Cells = serde_json::from_value(json!([
            [null, "", true, 3, -2.5, "text"],
            [
                "#DIV/0!",
                "#N/A",
                "#NAME?",
                "#SPILL!",
                "#GETTING_DATA",
                "#n/a"
            ]
        ]))
        .unwrap();
        assert_eq!(
            c[0],
            vec![
                CellValue::Unchanged,
                CellValue::Empty,
                CellValue::Bool(true),
                CellValue::Int(3),
                CellValue::Number(-2.5),
                CellValue::String("text".into())
            ]
        );
        for (i, e) in ["#DIV/0!", "#N/A", "#NAME?", "#SPILL!", "#GETTING_DATA"]
            .iter()
            .enumerate()
        {
            assert_eq!(c[1][i], CellValue::Error(e.to_string()));
        }
        // Error values are exact (Excel's are upper case).
        assert_eq!(c[1][5], CellValue::String("#n/a".into()));
        assert!(serde_json::from_value::<CellValue>(json!({"a": 1})).is_err());
        assert!(serde_json::from_value::<CellValue>(json!([1])).is_err());
    }

    #[test]
    fn writes_as_graph_expects() {
        let c = cells![
            ["a", 1, 2.5, true],
            [(), CellValue::Error("#N/A".into()), f64::NAN, None::<i32>]
        ];
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r##"[["a",1,2.5,true],["","#N/A",null,null]]"##
        );
        assert_eq!(c[1][0].to_json(), json!(""));
        assert_eq!(CellValue::from(7u8).to_json().to_string(), "7");
        assert_eq!(
            CellValue::from(u64::MAX),
            CellValue::Number(u64::MAX as f64)
        );
        // A double stays a double on the wire, as written.
        assert_eq!(
            serde_json::to_string(&CellValue::Number(3.0)).unwrap(),
            "3.0"
        );
    }

    #[test]
    fn numbers_keep_the_integer_float_distinction() {
        let text = r#"[[3,3.0,-7,2.5e3,9223372036854775807,18446744073709551615]]"#;
        let c: Cells = serde_json::from_str(text).unwrap();
        assert_eq!(
            c[0],
            vec![
                CellValue::Int(3),
                CellValue::Number(3.0),
                CellValue::Int(-7),
                CellValue::Number(2500.0),
                CellValue::Int(i64::MAX),
                CellValue::Number(u64::MAX as f64),
            ]
        );
        // Written back the same way by both encoders.
        let fast = String::from_utf8(encode_cells(&c)).unwrap();
        assert_eq!(fast, serde_json::to_string(&c).unwrap());
        assert_eq!(
            fast,
            "[[3,3.0,-7,2500.0,9223372036854775807,1.8446744073709552e+19]]"
        );
        assert_eq!(c[0][1].as_i64(), Some(3));
        assert_eq!(c[0][0].as_f64(), Some(3.0));
        assert_eq!(CellValue::Number(0.5).as_i64(), None);
    }

    #[test]
    fn round_trips() {
        let c = cells![["x", 1, false, ()], ["#REF!", -0.5, "", "y z"]];
        let back: Cells = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        // "#REF!" written as text reads back as the error Excel would show.
        assert_eq!(back[1][0], CellValue::Error("#REF!".into()));
        assert_eq!(back[0], c[0]);
        assert_eq!(back[1][1..], c[1][1..]);
    }

    #[test]
    fn encoder_writes_what_serde_reads_back() {
        let c = cells![
            ["a\"b\\\n", 1, -2.5, true],
            [(), CellValue::Error("#N/A".into()), f64::NAN, None::<i32>],
            [1e300, -0.0, 2f64.powi(53), false]
        ];
        let bytes = encode_cells(&c);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.starts_with(r#"[["a\"b\\\n",1,-2.5,true],"#), "{text}");
        assert_eq!(text, serde_json::to_string(&c).unwrap());
        let back: Cells = serde_json::from_slice(&bytes).unwrap();
        let via_serde: Cells = serde_json::from_slice(&serde_json::to_vec(&c).unwrap()).unwrap();
        assert_eq!(back, via_serde);
        assert_eq!(back[2][0], CellValue::Number(1e300));
        assert_eq!(encode_cells(&[]), b"[]");
    }

    #[test]
    fn display_and_accessors() {
        assert_eq!(CellValue::Bool(true).to_string(), "TRUE");
        assert_eq!(CellValue::Number(2.0).to_string(), "2");
        assert_eq!(CellValue::Int(-2).to_string(), "-2");
        assert_eq!(CellValue::from("s").as_str(), Some("s"));
        assert_eq!(CellValue::from_text("#NUM!").as_error(), Some("#NUM!"));
        assert_eq!(CellValue::from(4).as_f64(), Some(4.0));
        assert_eq!(CellValue::from(None::<bool>), CellValue::Unchanged);
        assert_eq!(CellValue::Unchanged.to_json(), serde_json::Value::Null);
        assert!(CellValue::from(()).is_empty());
    }
}
