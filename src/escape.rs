//! Escaping of user values placed into request paths.
//!
//! Two contexts exist in Graph workbook URLs:
//!
//! * a plain **path segment** (`/worksheets/{name}`, `/items/{id}`, `/tables/{name}`): the
//!   value is percent-encoded so that it stays exactly one segment, see [`path_segment`];
//! * an **OData string literal** inside a function-style segment
//!   (`range(address='...')`, `sessionInfoResource(key='...')`): the value is quoted with `'`,
//!   inner `'` doubled, and the result percent-encoded once, see [`odata_string`].
//!
//! The server side (Graph is an ASP.NET OData service) splits the path at `/`, percent-decodes
//! each segment, and then parses function-call syntax and string literals in the decoded text.
//! Everything here is chosen so that this decoding yields exactly the caller's value.

use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left literal in a path segment: RFC 3986 unreserved (`-._~`) plus `!`, `,`, `@`.
///
/// These are legal unencoded in a segment, and Graph uses them literally inside its own ids
/// (`b!...` drive ids, `host,site-guid,web-guid` site ids, `user@domain` principal names);
/// RFC 3986 does not make `%2C` equivalent to `,`, so we send them as the documented examples
/// do. Everything else, including `'`, `(`, `)`, `$`, `:`, `=`, `+`, `&`, `;`, is
/// encoded: those carry meaning for OData (keys, functions, `$value`), for Graph's
/// `root:/path:` addressing, or for intermediaries.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b',')
    .remove(b'@');

/// Characters left literal inside an OData string literal: unreserved plus the quote itself
/// and the characters of A1 addresses (`!`, `$`, `:`), so `range(address='Sheet1!$A$1:B2')`
/// reads as in the docs.
///
/// The OData ABNF defines `SQUOTE = "'" / "%27"`, so a literal and an encoded quote mean the
/// same to the server; we keep quotes literal (both the delimiters and the doubled inner ones)
/// because that is what Graph's own documentation sends. `(`, `)`, `,`, `=` are encoded so a
/// non-quote-aware intermediary can't mistake them for function-call syntax.
const LITERAL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'\'')
    .remove(b'!')
    .remove(b'$')
    .remove(b':');

/// Percent-encodes `s` as exactly one URL path segment.
///
/// `/`, `?`, `#`, `%`, space, `+`, `&`, quotes, parentheses and non-ASCII (as UTF-8) are
/// encoded, so the value can never change the shape of the path.
///
/// Two values cannot be sent as a path segment at all, whatever the encoding: the empty
/// string (it would produce `//`) and `.`/`..` (URL parsers remove dot segments, encoded or
/// not). [`crate::Client::execute`] rejects paths containing such segments with
/// [`crate::Error::InvalidInput`] before anything is sent; use [`try_path_segment`] to check
/// up front.
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_path_segment(&mut out, s);
    out
}

/// [`path_segment`], appended to `out` (navigation builds paths in one buffer).
pub fn push_path_segment(out: &mut String, s: &str) {
    out.extend(percent_encode(s.as_bytes(), SEGMENT));
}

/// Like [`path_segment`], but rejects values that cannot be a path segment (empty, `.`, `..`).
pub fn try_path_segment(s: &str) -> crate::Result<String> {
    match s {
        "" => Err(crate::Error::InvalidInput(
            "an empty name or id cannot be used in a URL path".into(),
        )),
        "." | ".." => Err(crate::Error::InvalidInput(format!(
            "the name or id {s:?} cannot be used in a URL path (dot segments are removed by URL normalization)"
        ))),
        _ => Ok(path_segment(s)),
    }
}

/// Renders `s` as an OData string literal for a function-style segment, e.g. the part after
/// `address=` in `range(address='...')`: `'` is doubled, the result is wrapped in `'...'`, and
/// then percent-encoded once (the quotes stay literal, see the module docs).
///
/// ```
/// use graph_workbook::escape::odata_string;
/// assert_eq!(odata_string("Sheet1!A1:B2"), "'Sheet1!A1:B2'");
/// assert_eq!(odata_string("'Q1 ''24'!A1"), "'''Q1%20''''24''!A1'");
/// assert_eq!(odata_string("a/b?c#d"), "'a%2Fb%3Fc%23d'");
/// ```
pub fn odata_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_odata_string(&mut out, s);
    out
}

/// [`odata_string`], appended to `out`.
pub fn push_odata_string(out: &mut String, s: &str) {
    out.push('\'');
    // `'` is literal in LITERAL, so doubling each quote-free piece's separators is the same
    // as doubling before encoding.
    let mut pieces = s.split('\'');
    if let Some(first) = pieces.next() {
        out.extend(percent_encode(first.as_bytes(), LITERAL));
    }
    for piece in pieces {
        out.push_str("''");
        out.extend(percent_encode(piece.as_bytes(), LITERAL));
    }
    out.push('\'');
}

/// Percent-encodes a drive path (`Reports/Q1 2024.xlsx`) component by component: `/` stays the
/// separator, each component is encoded like [`path_segment`]. Leading, trailing and repeated
/// `/` are dropped. Used for Graph's `root:/{path}:` addressing.
pub fn drive_path(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty())
        .map(path_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks that an already-encoded request path keeps the shape the caller meant: it starts
/// with `/`, has no empty or dot segments, and no raw character that a URL parser would treat
/// as a delimiter or re-encode (`?`, `#`, space, controls, non-ASCII, `%` not followed by two
/// hex digits).
pub(crate) fn check_encoded_path(path: &str) -> crate::Result<()> {
    let bad = |why: &str| {
        Err(crate::Error::InvalidInput(format!(
            "request path {path:?}: {why}"
        )))
    };
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') {
        return bad("must start with '/'");
    }
    // One pass with a byte-class table: runs on every request, and nearly every byte is
    // plain, so the loop body is a load and a compare.
    let check_segment = |seg: &str| {
        if seg.is_empty() {
            return bad("contains an empty segment (an empty name or id?)");
        }
        if is_dot_segment(seg) {
            return bad("contains a '.' or '..' segment, which URL normalization would remove");
        }
        Ok(())
    };
    let mut seg_start = 1;
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        if PLAIN_PATH_BYTE[b as usize] {
            i += 1;
            continue;
        }
        match b {
            b'/' => {
                check_segment(&path[seg_start..i])?;
                seg_start = i + 1;
            }
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(|c| c.is_ascii_hexdigit());
                if !(hex(i + 1) && hex(i + 2)) {
                    return bad("contains a '%' that is not a percent-escape");
                }
            }
            0..=0x1f | 0x7f..=0xff => return bad("contains a raw control or non-ASCII byte"),
            _ => {
                return bad(&format!(
                    "contains a raw {:?} (values must be escaped)",
                    b as char
                ))
            }
        }
        i += 1;
    }
    check_segment(&path[seg_start..])
}

/// Bytes that may appear in an encoded path as they are: visible ASCII except the
/// delimiters and characters a URL parser would re-encode, `%` (checked as an escape) and
/// `/` (a segment boundary).
const PLAIN_PATH_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b < 0x7f {
        t[b] = !matches!(
            b as u8,
            b'?' | b'#'
                | b'"'
                | b'<'
                | b'>'
                | b'\\'
                | b'^'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'%'
                | b'/'
        );
        b += 1;
    }
    t
};

/// `.` or `..`, each dot possibly written `%2e`/`%2E` (no allocation: runs on every request).
fn is_dot_segment(seg: &str) -> bool {
    let dot = |s: &str| s == "." || s.eq_ignore_ascii_case("%2e");
    if seg.len() > 6 {
        return false;
    }
    dot(seg)
        || [1, 3]
            .iter()
            .any(|&i| seg.get(..i).is_some_and(dot) && seg.get(i..).is_some_and(dot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_encodes_structure_characters() {
        assert_eq!(path_segment("Sheet1"), "Sheet1");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(path_segment("a b+c&d"), "a%20b%2Bc%26d");
        assert_eq!(path_segment("q?x#y%z"), "q%3Fx%23y%25z");
        assert_eq!(path_segment("Q1 '24"), "Q1%20%2724");
        assert_eq!(path_segment("f(x)=$y:z;*"), "f%28x%29%3D%24y%3Az%3B%2A");
        assert_eq!(path_segment("ü€😀"), "%C3%BC%E2%82%AC%F0%9F%98%80");
        // Graph id characters stay literal.
        assert_eq!(
            path_segment("host.example.com,1b2c,3d4e"),
            "host.example.com,1b2c,3d4e"
        );
        assert_eq!(path_segment("b!a-B_c~d"), "b!a-B_c~d");
    }

    #[test]
    fn try_segment_rejects_unrepresentable() {
        assert!(try_path_segment("").is_err());
        assert!(try_path_segment(".").is_err());
        assert!(try_path_segment("..").is_err());
        assert_eq!(try_path_segment("...").unwrap(), "...");
    }

    #[test]
    fn literal_doubles_quotes_then_encodes() {
        assert_eq!(odata_string(""), "''");
        assert_eq!(odata_string("A1"), "'A1'");
        assert_eq!(odata_string("it's"), "'it''s'");
        assert_eq!(odata_string("a%27b"), "'a%2527b'");
        assert_eq!(odata_string("x)',y"), "'x%29''%2Cy'");
        assert_eq!(odata_string("Sheet1!$A$1:$B$2"), "'Sheet1!$A$1:$B$2'");
    }

    #[test]
    fn drive_path_keeps_separators() {
        assert_eq!(drive_path("/a b/c#1.xlsx"), "a%20b/c%231.xlsx");
        assert_eq!(drive_path("x//y/"), "x/y");
    }

    #[test]
    fn encoded_path_check() {
        assert!(check_encoded_path("/me/drive/items/01AB/workbook").is_ok());
        assert!(check_encoded_path("/me/drive/root:/a%20b.xlsx:/workbook").is_ok());
        assert!(check_encoded_path("/w/range(address='A1')").is_ok());
        assert!(check_encoded_path("me").is_err());
        assert!(check_encoded_path("/a//b").is_err());
        assert!(check_encoded_path("/a/").is_err());
        assert!(check_encoded_path("/a/%2E%2e/b").is_err());
        for dots in [".%2e", "%2E.", "%2e", ".."] {
            assert!(check_encoded_path(&format!("/a/{dots}")).is_err(), "{dots}");
        }
        for not_dots in ["...", "%2e%2e%2e", ".a", "a.", "%2e%2", "%2f", ".%2f"] {
            assert!(!is_dot_segment(not_dots), "{not_dots}");
        }
        assert!(check_encoded_path("/a/./b").is_err());
        assert!(check_encoded_path("/a b").is_err());
        assert!(check_encoded_path("/a?b").is_err());
        assert!(check_encoded_path("/a%zz").is_err());
        assert!(check_encoded_path("/a%2").is_err());
        assert!(check_encoded_path("/ü").is_err());
    }
}
