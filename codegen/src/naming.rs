//! Identifier conversion between wire names (camelCase, kebab-case) and Rust names.

/// Rust keywords (strict and reserved, 2021 edition) that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Split an identifier into lower-case words at `-`, `_`, spaces, `.`, and case changes
/// (`deltaRows` -> delta, rows; `ABSValue` -> abs, value; `Int32` -> int32).
pub fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `closeSession` -> `close_session`; keywords get a `_` suffix (`type` -> `type_`).
pub fn snake_case(s: &str) -> String {
    let mut n = words(s).join("_");
    if n.is_empty() {
        n.push('_');
    }
    if n.starts_with(|c: char| c.is_ascii_digit()) {
        n.insert(0, '_');
    }
    escape_keyword(n)
}

/// `workbookChartFont` -> `WorkbookChartFont`.
pub fn pascal_case(s: &str) -> String {
    let mut n: String = words(s)
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    if n.is_empty() || n.starts_with(|c: char| c.is_ascii_digit()) {
        n.insert(0, '_');
    }
    escape_keyword(n)
}

/// `WorkbookChartAxis` -> `workbookChartAxis`.
#[cfg_attr(not(feature = "extract"), allow(dead_code))]
pub fn lower_camel(s: &str) -> String {
    let p = pascal_case(s);
    let mut cs = p.chars();
    match cs.next() {
        Some(f) => f.to_lowercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// A Rust keyword: not usable as a plain identifier.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

// The identifier rules, in one place: what generated code may name (Rust) and what extract
// takes for a wire name rather than a translated word. (The spec's own format rules,
// `WireName::is_valid` and type names, live with the spec types.)

/// A valid, non-raw Rust identifier (keywords are not: the spec must have suffixed them).
pub(crate) fn is_rust_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(s)
        && s != "_"
}

/// A snake_case Rust method name.
pub(crate) fn is_snake_ident(s: &str) -> bool {
    is_rust_ident(s) && !s.chars().any(|c| c.is_ascii_uppercase())
}

/// A PascalCase Rust type name.
pub(crate) fn is_pascal_ident(s: &str) -> bool {
    is_rust_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase())
}

/// An ASCII identifier (`valuesOnly`, `row_1`): a wire name, not a translated word.
#[cfg(feature = "extract")]
pub(crate) fn is_ascii_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A lowerCamel ASCII name (`valuesOnly`; no `_`): how Graph spells a parameter on the wire.
#[cfg(feature = "extract")]
pub(crate) fn is_lower_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn escape_keyword(mut n: String) -> String {
    if is_keyword(&n) {
        n.push('_');
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_rules() {
        assert!(is_snake_ident("close_session"));
        assert!(!is_snake_ident("closeSession"));
        assert!(!is_snake_ident("type"), "a keyword needs its suffix");
        assert!(is_snake_ident("type_"));
        assert!(!is_rust_ident("_"));
        assert!(is_pascal_ident("WorkbookRange"));
        assert!(!is_pascal_ident("workbookRange"));
        assert!(!is_rust_ident("9lives"));
    }

    #[cfg(feature = "extract")]
    #[test]
    fn wire_words_and_translated_words() {
        assert!(is_ascii_ident("valuesOnly") && is_ascii_ident("row_1"));
        assert!(!is_ascii_ident("Zeilen-Index") && !is_ascii_ident("行"));
        assert!(is_lower_camel("valuesOnly"));
        assert!(!is_lower_camel("ValuesOnly") && !is_lower_camel("row_1"));
    }

    #[test]
    fn snake() {
        assert_eq!(snake_case("closeSession"), "close_session");
        assert_eq!(snake_case("deltaRows"), "delta_rows");
        assert_eq!(snake_case("type"), "type_");
        assert_eq!(snake_case("if"), "if_");
        assert_eq!(snake_case("ABSValue"), "abs_value");
        assert_eq!(snake_case("item-path"), "item_path");
        assert_eq!(snake_case("Int32"), "int32");
        assert_eq!(snake_case("dollarDe"), "dollar_de");
        assert_eq!(snake_case("imAbs"), "im_abs");
    }

    #[test]
    fn pascal() {
        assert_eq!(pascal_case("workbookChartFont"), "WorkbookChartFont");
        assert_eq!(pascal_case("self"), "Self_");
        assert_eq!(lower_camel("WorkbookChartAxis"), "workbookChartAxis");
    }
}
