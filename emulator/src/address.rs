//! A1 addresses: parsing (`Sheet1!A1:B2`, `'My sheet'!$A$1`, `A:C`, `2:4`) and printing.

/// Excel's grid size.
pub const MAX_ROW: i32 = 1_048_576;
/// Excel's column count.
pub const MAX_COL: i32 = 16_384;

/// A rectangle on one sheet, 1-based inclusive (IronCalc's indexing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Sheet index.
    pub sheet: u32,
    /// First row.
    pub r0: i32,
    /// First column.
    pub c0: i32,
    /// Last row.
    pub r1: i32,
    /// Last column.
    pub c1: i32,
}

impl Rect {
    /// Number of rows.
    pub fn rows(&self) -> i32 {
        self.r1 - self.r0 + 1
    }
    /// Number of columns.
    pub fn cols(&self) -> i32 {
        self.c1 - self.c0 + 1
    }
    /// Number of cells.
    pub fn cells(&self) -> i64 {
        self.rows() as i64 * self.cols() as i64
    }
    /// Inside the grid and not inverted.
    pub fn valid(&self) -> bool {
        self.r0 >= 1
            && self.c0 >= 1
            && self.r1 <= MAX_ROW
            && self.c1 <= MAX_COL
            && self.r0 <= self.r1
            && self.c0 <= self.c1
    }
}

/// Column number (1-based) to letters.
pub fn col_name(mut c: i32) -> String {
    let mut s = Vec::new();
    while c > 0 {
        let m = (c - 1) % 26;
        s.push(b'A' + m as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn col_number(letters: &str) -> Option<i32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0i32;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as i32;
    }
    (n <= MAX_COL).then_some(n)
}

/// One side of a reference: cell, whole column, or whole row.
enum Part {
    Cell(i32, i32),
    Col(i32),
    Row(i32),
}

fn parse_part(s: &str) -> Option<Part> {
    let s = s.replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    match (letters.is_empty(), digits.is_empty()) {
        (false, false) => {
            let r: i32 = digits.parse().ok()?;
            (1..=MAX_ROW)
                .contains(&r)
                .then_some(Part::Cell(r, col_number(letters)?))
        }
        (false, true) => Some(Part::Col(col_number(letters)?)),
        (true, false) => {
            let r: i32 = digits.parse().ok()?;
            (1..=MAX_ROW).contains(&r).then_some(Part::Row(r))
        }
        (true, true) => None,
    }
}

/// Splits `Sheet!ref` (sheet possibly quoted) into (sheet name, reference).
pub fn split_sheet(addr: &str) -> (Option<String>, &str) {
    if let Some(rest) = addr.strip_prefix('\'') {
        // 'It''s'!A1
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if let Some((_, '\'')) = chars.peek() {
                    name.push('\'');
                    chars.next();
                    continue;
                }
                return match rest[i + 1..].strip_prefix('!') {
                    Some(r) => (Some(name), r),
                    None => (None, addr),
                };
            }
            name.push(c);
        }
        return (None, addr);
    }
    match addr.rfind('!') {
        Some(i) => (Some(addr[..i].to_string()), &addr[i + 1..]),
        None => (None, addr),
    }
}

/// Parses the reference part (no sheet) into a rectangle on `sheet`.
pub fn parse_ref(sheet: u32, reference: &str) -> Option<Rect> {
    let (a, b) = match reference.split_once(':') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (reference.trim(), reference.trim()),
    };
    let rect = match (parse_part(a)?, parse_part(b)?) {
        (Part::Cell(r0, c0), Part::Cell(r1, c1)) => Rect {
            sheet,
            r0: r0.min(r1),
            c0: c0.min(c1),
            r1: r0.max(r1),
            c1: c0.max(c1),
        },
        (Part::Col(c0), Part::Col(c1)) => Rect {
            sheet,
            r0: 1,
            c0: c0.min(c1),
            r1: MAX_ROW,
            c1: c0.max(c1),
        },
        (Part::Row(r0), Part::Row(r1)) => Rect {
            sheet,
            r0: r0.min(r1),
            c0: 1,
            r1: r0.max(r1),
            c1: MAX_COL,
        },
        _ => return None,
    };
    Some(rect)
}

/// Quotes a sheet name for an address when Excel would.
pub fn quote_sheet(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !name.chars().next().is_some_and(|c| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// `A1:B2`, `A1`, `A:B`, `1:2` (no sheet).
pub fn format_ref(r: &Rect) -> String {
    if r.r0 == 1 && r.r1 == MAX_ROW {
        return format!("{}:{}", col_name(r.c0), col_name(r.c1));
    }
    if r.c0 == 1 && r.c1 == MAX_COL {
        return format!("{}:{}", r.r0, r.r1);
    }
    let a = format!("{}{}", col_name(r.c0), r.r0);
    if r.r0 == r.r1 && r.c0 == r.c1 {
        a
    } else {
        format!("{a}:{}{}", col_name(r.c1), r.r1)
    }
}

/// `$A$1:$B$2` (absolute, for named items and table references).
pub fn format_abs(r: &Rect) -> String {
    let a = format!("${}${}", col_name(r.c0), r.r0);
    if r.r0 == r.r1 && r.c0 == r.c1 {
        a
    } else {
        format!("{a}:${}${}", col_name(r.c1), r.r1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        assert_eq!(col_name(1), "A");
        assert_eq!(col_name(28), "AB");
        assert_eq!(col_name(16384), "XFD");
        let r = parse_ref(0, "$B$2:a1").unwrap();
        assert_eq!((r.r0, r.c0, r.r1, r.c1), (1, 1, 2, 2));
        assert_eq!(format_ref(&r), "A1:B2");
        assert_eq!(format_ref(&parse_ref(0, "C:D").unwrap()), "C:D");
        assert_eq!(format_ref(&parse_ref(0, "3:3").unwrap()), "3:3");
        assert!(parse_ref(0, "A0").is_none());
        assert!(parse_ref(0, "XFE1").is_none());
        assert!(parse_ref(0, "A1:B").is_none());
        assert_eq!(split_sheet("'It''s'!A1"), (Some("It's".to_string()), "A1"));
        assert_eq!(split_sheet("Sheet1!A1"), (Some("Sheet1".to_string()), "A1"));
        assert_eq!(quote_sheet("Q1 '24"), "'Q1 ''24'");
        assert_eq!(quote_sheet("Sheet1"), "Sheet1");
    }
}
