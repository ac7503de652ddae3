//! Excel A1 addresses: `Sheet1!A1:B2`, `'Q1 ''24'!$A$1`, `A:C`, `1:3`.
//!
//! [`Address`] validates the reference (cells up to `XFD1048576`, ranges, whole columns and
//! rows, `$` absolute markers) and quotes the sheet name the way Excel writes it, so the text
//! can go straight into `range(address=...)` (which [`crate::escape::odata_string`] then
//! escapes for the URL).

use std::fmt;

use crate::{Error, Result};

/// Largest column number (`XFD`), 1-based.
pub const MAX_COLUMNS: u32 = 16_384;
/// Largest row number, 1-based.
pub const MAX_ROWS: u32 = 1_048_576;
/// Longest sheet name Excel allows.
pub const MAX_SHEET_NAME_CHARS: usize = 31;

/// A validated Excel address, optionally qualified by a sheet name.
///
/// ```
/// use graph_workbook::Address;
/// assert_eq!(Address::new("Sheet1", "A1:B2")?.to_string(), "Sheet1!A1:B2");
/// assert_eq!(Address::new("Q1 '24", "a1:b2")?.to_string(), "'Q1 ''24'!A1:B2");
/// assert_eq!(Address::local("$A:$C")?.to_string(), "$A:$C");
/// assert_eq!(Address::range_at("Data", (0, 0), (9, 2))?.to_string(), "Data!A1:C10");
/// assert!(Address::new("Sheet1", "A0").is_err());
/// # Ok::<(), graph_workbook::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    sheet: Option<String>,
    reference: String,
    rendered: String,
}

impl Address {
    /// `sheet!reference`, e.g. `Address::new("Q1 '24", "A1:B2")` → `'Q1 ''24'!A1:B2`.
    pub fn new(sheet: &str, reference: &str) -> Result<Address> {
        validate_sheet_name(sheet)?;
        let reference = normalize_reference(reference)?;
        let rendered = format!("{}!{reference}", quote_sheet_name(sheet));
        Ok(Address {
            sheet: Some(sheet.to_string()),
            reference,
            rendered,
        })
    }

    /// A reference without a sheet (relative to the worksheet it is used on).
    pub fn local(reference: &str) -> Result<Address> {
        let reference = normalize_reference(reference)?;
        Ok(Address {
            sheet: None,
            rendered: reference.clone(),
            reference,
        })
    }

    /// Parses an address as Excel writes it: `A1`, `Sheet1!A1:B2`, `'My sheet'!B:B`,
    /// `'Q1 ''24'!1:3`.
    pub fn parse(text: &str) -> Result<Address> {
        let Some((sheet, reference)) = split_sheet(text)? else {
            return Address::local(text);
        };
        Address::new(&sheet, reference)
    }

    /// One cell from 0-based indices (as Graph's `cell(row, column)` counts).
    pub fn cell_at(sheet: &str, row: u32, column: u32) -> Result<Address> {
        Address::new(sheet, &cell_name(row, column)?)
    }

    /// A rectangle from 0-based `(row, column)` corners, inclusive.
    pub fn range_at(sheet: &str, first: (u32, u32), last: (u32, u32)) -> Result<Address> {
        let a = cell_name(first.0, first.1)?;
        let b = cell_name(last.0, last.1)?;
        Address::new(sheet, &format!("{a}:{b}"))
    }

    /// The sheet name, unquoted.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The reference part (`A1:B2`), normalized to upper case.
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// The full address as Excel writes it.
    pub fn as_str(&self) -> &str {
        &self.rendered
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl AsRef<str> for Address {
    fn as_ref(&self) -> &str {
        &self.rendered
    }
}

impl From<Address> for String {
    fn from(a: Address) -> String {
        a.rendered
    }
}

impl std::str::FromStr for Address {
    type Err = Error;
    fn from_str(s: &str) -> Result<Address> {
        Address::parse(s)
    }
}

/// The column letters of a 0-based column index (`0` → `A`, `16383` → `XFD`).
pub fn column_name(index: u32) -> Result<String> {
    if index >= MAX_COLUMNS {
        return Err(Error::InvalidInput(format!(
            "column index {index} is beyond the last column XFD (index {})",
            MAX_COLUMNS - 1
        )));
    }
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    Ok(String::from_utf8(out).expect("ASCII"))
}

/// The 0-based index of column letters (`A` → 0, `xfd` → 16383).
pub fn column_index(letters: &str) -> Result<u32> {
    let bad = || Error::InvalidInput(format!("{letters:?} is not a column (A..XFD)"));
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Err(bad());
    }
    let n = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    if n > MAX_COLUMNS {
        return Err(bad());
    }
    Ok(n - 1)
}

fn cell_name(row: u32, column: u32) -> Result<String> {
    if row >= MAX_ROWS {
        return Err(Error::InvalidInput(format!(
            "row index {row} is beyond the last row (index {})",
            MAX_ROWS - 1
        )));
    }
    Ok(format!("{}{}", column_name(column)?, row + 1))
}

/// Checks a sheet name against Excel's rules: 1 to 31 characters, none of `\ / ? * [ ] :`,
/// not starting or ending with `'`.
pub fn validate_sheet_name(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::InvalidInput(format!("sheet name {name:?}: {why}")));
    if name.is_empty() {
        return bad("is empty");
    }
    if name.chars().count() > MAX_SHEET_NAME_CHARS {
        return bad("is longer than 31 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '\\' | '/' | '?' | '*' | '[' | ']' | ':'))
    {
        return bad(&format!("contains {c:?}, which Excel does not allow"));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return bad("starts or ends with an apostrophe, which Excel does not allow");
    }
    if name.chars().any(char::is_control) {
        return bad("contains a control character");
    }
    Ok(())
}

/// Checks a range address given as text to `range(address=..)` (and the other navigation
/// that takes one) before it is sent: an [`Address`] as Excel writes it (`A1`, `A1:B2`, `A:A`,
/// `1:1`, `$A$1`, `Sheet1!A1`, `'Q1 ''24'!A1`), or the name of a defined range (`Totals`,
/// `Sheet1!Totals`), which Graph also accepts there.
///
/// ```
/// use graph_workbook::address::check_range_address;
/// assert!(check_range_address("'Q1 ''24'!$A$1:B2").is_ok());
/// assert!(check_range_address("Totals").is_ok());
/// let err = check_range_address("A0").unwrap_err().to_string();
/// assert!(err.contains("A0"), "{err}");
/// ```
pub fn check_range_address(text: &str) -> Result<()> {
    let err = match validate_address(text) {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    // A defined name (optionally sheet-qualified) is not an address but is accepted.
    let name = match split_sheet(text) {
        Ok(Some((_, name))) => name,
        Ok(None) => text,
        Err(_) => return Err(range_error(text, err)),
    };
    if is_defined_name(name) {
        return Ok(());
    }
    Err(range_error(text, err))
}

fn range_error(text: &str, err: Error) -> Error {
    match err {
        Error::InvalidInput(m) => Error::InvalidInput(format!(
            "range address {text:?} is not an Excel address or name: {m}"
        )),
        other => other,
    }
}

/// Excel's rule for defined names: a letter, `_` or `\` first, then letters, digits, `_`
/// and `.`; never something that reads as a cell (`AB12`, `R1C1`) or a boolean.
fn is_defined_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_' || first == '\\')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '\\')
        && name.chars().count() <= 255
        && !needs_quotes(name.trim_start_matches(['_', '\\']))
}

/// Checks a worksheet key before it is sent: a worksheet id as Graph gives it (`{GUID}`) or a
/// sheet name Excel allows ([`validate_sheet_name`]).
pub fn check_sheet_key(key: &str) -> Result<()> {
    let is_id = key.len() == 38
        && key.starts_with('{')
        && key.ends_with('}')
        && key[1..37]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'-');
    if is_id {
        return Ok(());
    }
    validate_sheet_name(key)
}

/// The sheet name as Excel writes it in a reference: plain when it is a simple identifier,
/// otherwise in `'...'` with `'` doubled (`Q1 '24` → `'Q1 ''24'`).
pub fn quote_sheet_name(name: &str) -> String {
    if needs_quotes(name) {
        format!("'{}'", name.replace('\'', "''"))
    } else {
        name.to_string()
    }
}

fn needs_quotes(name: &str) -> bool {
    let Some(first) = name.chars().next() else {
        return true;
    };
    if first.is_ascii_digit() || first == '.' {
        return true;
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return true;
    }
    let upper = name.to_ascii_uppercase();
    // Looks like an A1 cell (`AB12`), an R1C1 reference (`R`, `C2`, `R1C1`) or a boolean.
    let letters = upper.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &upper[letters..];
    let a1_like =
        (1..=3).contains(&letters) && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    let r1c1_like = {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if let Some(r) = upper.strip_prefix('R') {
            match r.find('C') {
                Some(i) => digits(&r[..i]) && digits(&r[i + 1..]),
                None => digits(r),
            }
        } else if let Some(c) = upper.strip_prefix('C') {
            digits(c)
        } else {
            false
        }
    };
    a1_like || r1c1_like || upper == "TRUE" || upper == "FALSE"
}

/// Splits `'sheet'!ref` / `sheet!ref`; `None` when there is no sheet part.
fn split_sheet(text: &str) -> Result<Option<(std::borrow::Cow<'_, str>, &str)>> {
    if let Some(rest) = text.strip_prefix('\'') {
        let mut sheet = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if rest[i + 1..].starts_with('\'') {
                    sheet.push('\'');
                    chars.next();
                    continue;
                }
                return match rest[i + 1..].strip_prefix('!') {
                    Some(reference) => Ok(Some((sheet.into(), reference))),
                    None => Err(Error::InvalidInput(format!(
                        "address {text:?}: expected '!' after the quoted sheet name"
                    ))),
                };
            }
            sheet.push(c);
        }
        return Err(Error::InvalidInput(format!(
            "address {text:?}: unterminated quoted sheet name"
        )));
    }
    match text.rsplit_once('!') {
        Some((sheet, reference)) => {
            if needs_quotes(sheet) {
                return Err(Error::InvalidInput(format!(
                    "address {text:?}: the sheet name {sheet:?} must be quoted as {}",
                    quote_sheet_name(sheet)
                )));
            }
            Ok(Some((sheet.into(), reference)))
        }
        None => Ok(None),
    }
}

/// One part of a reference: `$A$1`, `$A`, `$1`.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Part {
    Cell,
    Column,
    Row,
}

/// Checks one part and, with `out`, appends its normalized form (upper case, no leading
/// zeros). Validation alone (`None`) allocates nothing: it runs on every navigation.
fn normalize_part(p: &str, whole: &str, out: Option<&mut String>) -> Result<Part> {
    let bad = |why: String| Err(Error::InvalidInput(format!("reference {whole:?}: {why}")));
    // Shape: `$? letters* $? digits*`.
    let b = p.as_bytes();
    let mut i = 0;
    let col_abs = b.first() == Some(&b'$');
    i += usize::from(col_abs);
    let ls = i;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    let letters = &p[ls..i];
    let row_abs = !letters.is_empty() && b.get(i) == Some(&b'$');
    i += usize::from(row_abs);
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let digits = &p[ds..i];
    if p == "$" {
        return bad("'$' without a column or row".into());
    }
    if i != b.len() || (letters.is_empty() && digits.is_empty()) {
        return bad(format!("{p:?} is not a cell (A1), column (A) or row (1)"));
    }
    if row_abs && digits.is_empty() {
        return bad(format!("{p:?} has '$' but no row"));
    }
    if !letters.is_empty() && column_index(letters).is_err() {
        return bad(format!("column {letters:?} is beyond XFD"));
    }
    let row: u64 = digits.parse().unwrap_or(u64::MAX);
    if !digits.is_empty() && (row == 0 || row > u64::from(MAX_ROWS)) {
        return bad(format!("row {digits} is outside 1..={MAX_ROWS}"));
    }
    if let Some(out) = out {
        if col_abs {
            out.push('$');
        }
        out.extend(letters.chars().map(|c| c.to_ascii_uppercase()));
        if row_abs {
            out.push('$');
        }
        if !digits.is_empty() {
            // the digits without leading zeros (the row is 1..=MAX_ROWS, so one remains)
            out.push_str(digits.trim_start_matches('0'));
        }
    }
    Ok(match (letters.is_empty(), digits.is_empty()) {
        (false, false) => Part::Cell,
        (false, true) => Part::Column,
        _ => Part::Row,
    })
}

/// Validates and normalizes (upper case, no leading zeros) an A1 reference without a sheet:
/// a cell `A1`, a range `A1:B2`, whole columns `A:C`, whole rows `1:3`, each part optionally
/// with `$`. Multi-area references (`A1,B2`) are not single addresses and are rejected.
pub fn normalize_reference(reference: &str) -> Result<String> {
    let mut out = String::with_capacity(reference.len());
    scan_reference(reference, Some(&mut out))?;
    Ok(out)
}

/// [`normalize_reference`], writing the normalized form to `out` when given.
fn scan_reference(reference: &str, mut out: Option<&mut String>) -> Result<()> {
    let r = reference.trim();
    if r.is_empty() {
        return Err(Error::InvalidInput("empty cell reference".into()));
    }
    if r.contains(',') || r.contains(' ') {
        return Err(Error::InvalidInput(format!(
            "reference {reference:?}: one area expected (no ',' or spaces)"
        )));
    }
    let mut parts = r.split(':');
    let (Some(a), b, None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Error::InvalidInput(format!(
            "reference {reference:?}: more than one ':'"
        )));
    };
    let ka = normalize_part(a, reference, out.as_deref_mut())?;
    let Some(b) = b else {
        return match ka {
            Part::Cell => Ok(()),
            kind => Err(Error::InvalidInput(format!(
                "reference {reference:?}: a whole {} needs a range ({})",
                if kind == Part::Column {
                    "column"
                } else {
                    "row"
                },
                if kind == Part::Column { "A:A" } else { "1:1" }
            ))),
        };
    };
    if let Some(o) = out.as_deref_mut() {
        o.push(':');
    }
    let kb = normalize_part(b, reference, out)?;
    if ka != kb {
        return Err(Error::InvalidInput(format!(
            "reference {reference:?}: both ends must be cells (A1:B2), columns (A:C) or rows (1:3)"
        )));
    }
    Ok(())
}

/// What [`Address::parse`] accepts, checked without building the address.
fn validate_address(text: &str) -> Result<()> {
    match split_sheet(text)? {
        None => scan_reference(text, None),
        Some((sheet, reference)) => {
            validate_sheet_name(&sheet)?;
            scan_reference(reference, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        for (i, n) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16383, "XFD"),
        ] {
            assert_eq!(column_name(i).unwrap(), n);
            assert_eq!(column_index(n).unwrap(), i);
            assert_eq!(column_index(&n.to_lowercase()).unwrap(), i);
        }
        assert!(column_name(16384).is_err());
        assert!(column_index("XFE").is_err());
        assert!(column_index("AAAA").is_err());
        assert!(column_index("").is_err());
        assert!(column_index("A1").is_err());
    }

    #[test]
    fn valid_references() {
        for (inp, out) in [
            ("A1", "A1"),
            ("a1", "A1"),
            ("$A$1", "$A$1"),
            ("A$01", "A$1"),
            ("A1:B2", "A1:B2"),
            ("$a1:b$2", "$A1:B$2"),
            ("XFD1048576", "XFD1048576"),
            ("A:C", "A:C"),
            ("$A:$XFD", "$A:$XFD"),
            ("1:3", "1:3"),
            ("$1:$1048576", "$1:$1048576"),
            ("B2:A1", "B2:A1"),
        ] {
            assert_eq!(normalize_reference(inp).unwrap(), out, "{inp}");
        }
    }

    #[test]
    fn invalid_references_say_why() {
        for (inp, why) in [
            ("", "empty"),
            ("A0", "outside"),
            ("A1048577", "outside"),
            ("XFE1", "beyond XFD"),
            ("AAAA1", "beyond XFD"),
            ("A", "whole column"),
            ("1", "whole row"),
            ("A1:B", "both ends"),
            ("A1:2", "both ends"),
            ("A1:B2:C3", "more than one"),
            ("A1,B2", "one area"),
            ("1A", "not a cell"),
            ("A1$", "not a cell"),
            ("$", "without"),
            ("A$", "no row"),
            ("A-1", "not a cell"),
            ("Sheet1!A1", "not a cell"),
            ("A1:", "not a cell"),
        ] {
            let e = normalize_reference(inp).unwrap_err().to_string();
            assert!(e.contains(why), "{inp}: {e}");
        }
    }

    #[test]
    fn sheet_quoting_as_excel() {
        for (name, q) in [
            ("Sheet1", "Sheet1"),
            ("Data_2024", "Data_2024"),
            ("Übersicht", "Übersicht"),
            ("v1.2", "v1.2"),
            ("My Sheet", "'My Sheet'"),
            ("Q1 '24", "'Q1 ''24'"),
            ("2024", "'2024'"),
            ("1st", "'1st'"),
            ("A1", "'A1'"),
            ("xfd12", "'xfd12'"),
            ("R1C1", "'R1C1'"),
            ("R", "'R'"),
            ("c3", "'c3'"),
            ("TRUE", "'TRUE'"),
            ("a-b", "'a-b'"),
            ("a&b", "'a&b'"),
            ("😀", "'😀'"),
            ("Rates", "Rates"),
            ("ABCD1", "ABCD1"),
        ] {
            assert_eq!(quote_sheet_name(name), q, "{name}");
        }
    }

    #[test]
    fn sheet_names_validated() {
        assert!(Address::new("", "A1").is_err());
        assert!(Address::new(&"x".repeat(32), "A1").is_err());
        assert!(Address::new(&"x".repeat(31), "A1").is_ok());
        for bad in ["a/b", "a\\b", "a?", "a*", "[a]", "a:b", "'a", "a'"] {
            assert!(Address::new(bad, "A1").is_err(), "{bad}");
        }
    }

    #[test]
    fn parse_round_trips() {
        for text in [
            "A1",
            "Sheet1!A1:B2",
            "'Q1 ''24'!$A$1:B2",
            "'My Sheet'!B:B",
            "'2024'!1:3",
            "'a!b'!C3",
        ] {
            let a = Address::parse(text).unwrap();
            assert_eq!(a.to_string(), text);
            assert_eq!(Address::parse(a.as_str()).unwrap(), a);
        }
        let a = Address::parse("'Q1 ''24'!a1").unwrap();
        assert_eq!(a.sheet(), Some("Q1 '24"));
        assert_eq!(a.reference(), "A1");
        assert!(Address::parse("My Sheet!A1")
            .unwrap_err()
            .to_string()
            .contains("must be quoted"));
        assert!(Address::parse("'open!A1").is_err());
        assert!(Address::parse("'x'A1").is_err());
        assert!(Address::parse("Sheet1!").is_err());
    }

    #[test]
    fn from_indices() {
        assert_eq!(Address::cell_at("S", 0, 0).unwrap().as_str(), "S!A1");
        assert_eq!(
            Address::range_at("S", (1, 26), (1_048_575, 16_383))
                .unwrap()
                .as_str(),
            "S!AA2:XFD1048576"
        );
        assert!(Address::cell_at("S", 1_048_576, 0).is_err());
        assert!(Address::cell_at("S", 0, 16_384).is_err());
    }
}
