//! Drive items over a directory: request-path prefixes, confinement, stable ids, atomic
//! saves.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::error::GraphError;

/// How the request names its item.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemRef {
    /// `/root`.
    Root,
    /// `/root:/{path}:` (still percent-encoded).
    Path(String),
    /// `/items/{id}`.
    Id(String),
}

/// The drive part of a request path, and what follows it (raw, still encoded).
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The item.
    pub item: ItemRef,
    /// What follows the item (`/workbook/...`, `/content`, ``).
    pub rest: &'a str,
}

/// Splits `/me/drive/root:/a/b.xlsx:/workbook/...`, `/me/drive/items/{id}/...`,
/// `/drives/{d}/...`, `/sites/{s}/drive/...`, `/groups/{g}/drive/...`,
/// `/users/{u}/drive/...`: every drive maps to the one directory.
pub fn parse(path: &str) -> Result<Parsed<'_>, GraphError> {
    let drive_rest = if let Some(r) = path.strip_prefix("/me/drive") {
        r
    } else {
        let mut it = path.splitn(4, '/');
        let (_, kind, _id) = (it.next(), it.next(), it.next());
        let rest = it
            .next()
            .map(|r| &path[path.len() - r.len() - 1..])
            .unwrap_or("");
        match kind {
            Some("drives") => rest,
            Some("sites" | "groups" | "users") => rest.strip_prefix("/drive").unwrap_or("\u{0}"),
            _ => "\u{0}",
        }
    };
    if let Some(r) = drive_rest.strip_prefix("/root:") {
        // `root:/path:` ends at the next raw `:` (a `:` in a name arrives encoded).
        let r = r.strip_prefix('/').unwrap_or(r);
        let Some(end) = r.find(':') else {
            return Err(GraphError::new(
                400,
                "BadRequest",
                "unterminated root:/path: segment",
            ));
        };
        return Ok(Parsed {
            item: ItemRef::Path(r[..end].to_string()),
            rest: &r[end + 1..],
        });
    }
    if let Some(r) = drive_rest.strip_prefix("/root") {
        if r.is_empty() || r.starts_with('/') {
            return Ok(Parsed {
                item: ItemRef::Root,
                rest: r,
            });
        }
    }
    if let Some(r) = drive_rest.strip_prefix("/items/") {
        let end = r.find('/').unwrap_or(r.len());
        let id = percent_decode_str(&r[..end])
            .decode_utf8_lossy()
            .to_string();
        return Ok(Parsed {
            item: ItemRef::Id(id),
            rest: &r[end..],
        });
    }
    Err(GraphError::new(
        400,
        "BadRequest",
        format!("Resource not found for the segment in '{path}'."),
    ))
}

/// A drive-relative path checked to stay inside the directory: `a/b.xlsx`.
pub fn check_rel(raw: &str) -> Result<String, GraphError> {
    let bad = |why: &str| GraphError::invalid(format!("Invalid item path: {why}."));
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| bad("not UTF-8"))?
        .to_string();
    if decoded.is_empty() {
        return Err(bad("empty"));
    }
    if decoded.starts_with('/') || decoded.contains(':') {
        return Err(bad("absolute paths are refused"));
    }
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(bad("backslashes and NUL are refused"));
    }
    // Double-encoded dots or separators: refused rather than stored as odd names.
    let lower = decoded.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c", "%25"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return Err(bad("encoded separators or dots are refused"));
    }
    for part in decoded.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(bad("empty, '.' and '..' components are refused"));
        }
    }
    Ok(decoded)
}

/// The item id of a relative path: stable across runs (FNV-1a, 64 bits, hex, prefixed).
pub fn item_id(rel: &str) -> String {
    // Hand-written: 6 lines, no crate needed for a non-cryptographic stable hash.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rel.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("01EMU{h:016X}")
}

/// The confined absolute path of `rel` under `root` (canonical). Refuses a path whose
/// existing part resolves (through symlinks) outside `root`.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, GraphError> {
    let mut path = root.to_path_buf();
    for part in rel.split('/') {
        path.push(part);
    }
    // The longest existing ancestor must canonicalize under root.
    let mut probe = path.clone();
    loop {
        if let Ok(c) = probe.canonicalize() {
            if !c.starts_with(root) {
                return Err(GraphError::invalid(
                    "Invalid item path: it leads outside the drive.",
                ));
            }
            break;
        }
        if !probe.pop() {
            break;
        }
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(GraphError::invalid("Invalid item path."));
    }
    Ok(path)
}

/// Every `.xlsx` under `root`, as relative `/`-separated paths, sorted. Symlinks are not
/// followed.
pub fn list_workbooks(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let p = e.path();
            if ft.is_dir() {
                walk(root, &p, out);
            } else if ft.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
            {
                if let Ok(rel) = p.strip_prefix(root) {
                    let parts: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().to_string())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.emulator-tmp"));
    {
        use std::io::Write;
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let p = parse("/me/drive/root:/a%20b/c.xlsx:/workbook/worksheets").unwrap();
        assert_eq!(p.item, ItemRef::Path("a%20b/c.xlsx".into()));
        assert_eq!(p.rest, "/workbook/worksheets");
        let p = parse("/me/drive/items/01AB/workbook").unwrap();
        assert_eq!(p.item, ItemRef::Id("01AB".into()));
        assert_eq!(p.rest, "/workbook");
        let p = parse("/sites/s1/drive/items/01AB/content").unwrap();
        assert_eq!((p.item, p.rest), (ItemRef::Id("01AB".into()), "/content"));
        let p = parse("/drives/d/root:/x.xlsx:").unwrap();
        assert_eq!((p.item, p.rest), (ItemRef::Path("x.xlsx".into()), ""));
        // The root folder's children.
        let children = format!("{}/children", "/me/drive/root");
        let p = parse(&children).unwrap();
        assert_eq!((p.item, p.rest), (ItemRef::Root, "/children"));
        assert!(parse("/me/drivex").is_err());
        assert!(parse("/planner/x").is_err());
    }

    #[test]
    fn confinement() {
        assert_eq!(check_rel("a%20b/c.xlsx").unwrap(), "a b/c.xlsx");
        for bad in [
            "../x.xlsx",
            "a/../../x.xlsx",
            "%2e%2e%2fx.xlsx",
            "%2E%2E/x.xlsx",
            "%252e%252e%252fx.xlsx",
            "/etc/passwd",
            "%2Fetc%2Fpasswd",
            "a\\..\\x.xlsx",
            "a%5c..%5cx.xlsx",
            "C:/x.xlsx",
            "a//b.xlsx",
            "",
        ] {
            assert!(check_rel(bad).is_err(), "{bad}");
        }
        assert_eq!(item_id("a.xlsx"), item_id("a.xlsx"));
        assert_ne!(item_id("a.xlsx"), item_id("b.xlsx"));
    }
}
