//! Pseudo-locales: en-2021 pages rewritten the way a translator rewrites them, to prove that the
//! extractor does not depend on the language of the docs.
//!
//! A [`PseudoLanguage`] invents its words: every English word maps to a deterministic
//! pseudo-word derived from the language's seed (the generator knows English, the way a
//! translator does, but it knows nothing of the extractor's word lists). What is rewritten, with
//! pulldown-cmark's event offsets (the markdown structure is never parsed by hand):
//!
//! - headings (except SDK tab headings `# [HTTP](#tab/http)`): translated, with the English
//!   anchor put in front (`## <a name="request-headers"></a>...`), as de-DE and zh-CN do;
//! - prose, link texts and table header rows: every plain word; identifier-like tokens
//!   (`Files.ReadWrite`, `workbookRange`, `{token}`, `Int32`) are kept, as translators keep them;
//! - the `Required` / `Optional` / `Read-only` markers: phrases of the language; with
//!   [`PseudoLanguage::negated_optional`] the optional marker is the negation of the required one
//!   (`obligatorisk` / `ikke obligatorisk`);
//! - with [`PseudoLanguage::translate_names`], the first cell of header, parameter and property
//!   tables is translated too when it is a plain word (`Authorization`, `Workbook-Session-Id`,
//!   `shift`, `index`), as machine translation does; camelCase names (`sourceData`) are kept;
//! - type cells: the type words (`string`, `Int32`, `collection`, `or`), with
//!   [`PseudoLanguage::affixed_types`] glued to a prefix and a suffix
//!   (`[Range](range.md) collection` -> `[Xy](range.md)-zokol`).
//!
//! Left alone: front matter, code blocks and inline code, HTML (comments, anchors), link
//! targets. No line is added or removed, so source lines stay those of en-2021.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One seeded pseudo-language.
#[derive(Debug, Clone, Copy)]
pub struct PseudoLanguage {
    pub name: &'static str,
    pub seed: u64,
    /// The optional marker is `<not> <required marker>`.
    pub negated_optional: bool,
    /// Header names, parameter names and property names in tables are translated.
    pub translate_names: bool,
    /// Type words get a prefix and a suffix; a collection word after a link is glued to it.
    pub affixed_types: bool,
    /// Pseudo-words use non-ASCII letters too.
    pub non_ascii: bool,
}

/// The pseudo-languages the corpus test runs.
pub const LANGUAGES: &[PseudoLanguage] = &[
    PseudoLanguage {
        name: "negated-optional",
        seed: 11,
        negated_optional: true,
        translate_names: false,
        affixed_types: false,
        non_ascii: false,
    },
    PseudoLanguage {
        name: "translated-names",
        seed: 23,
        negated_optional: false,
        translate_names: true,
        affixed_types: false,
        non_ascii: false,
    },
    PseudoLanguage {
        name: "affixed-types",
        seed: 37,
        negated_optional: false,
        translate_names: false,
        affixed_types: true,
        non_ascii: true,
    },
    PseudoLanguage {
        name: "everything",
        seed: 41,
        negated_optional: true,
        translate_names: true,
        affixed_types: true,
        non_ascii: true,
    },
];

const CONSONANTS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sk", "tr",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ei", "y", "oo"];
const VOWELS_NON_ASCII: &[&str] = &["a", "ä", "e", "é", "i", "ø", "u", "å"];

fn fnv(seed: u64, s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// What kind of table a cell is in (from the section the table is in).
#[derive(Debug, Clone, Copy, PartialEq)]
enum TableKind {
    /// Request headers: name | description.
    Headers,
    /// Parameters and properties: name | type | description.
    Fields,
    Other,
}

impl PseudoLanguage {
    /// The pseudo-word for an English word (case-insensitive), capitalized like it.
    pub fn word(&self, english: &str) -> String {
        let lower = english.to_lowercase();
        let mut h = fnv(self.seed, &lower);
        let syllables = 2 + (h % 3) as usize;
        h /= 3;
        let vowels = if self.non_ascii {
            VOWELS_NON_ASCII
        } else {
            VOWELS
        };
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(CONSONANTS[(h % CONSONANTS.len() as u64) as usize]);
            h /= CONSONANTS.len() as u64;
            w.push_str(vowels[(h % vowels.len() as u64) as usize]);
            h /= vowels.len() as u64;
            if h == 0 {
                h = fnv(self.seed ^ 0x5555, &w);
            }
        }
        if english.starts_with(|c: char| c.is_uppercase()) {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                return f.to_uppercase().chain(cs).collect();
            }
        }
        w
    }

    fn required_marker(&self) -> String {
        self.word("required")
    }

    fn optional_marker(&self) -> String {
        if self.negated_optional {
            format!("{} {}", self.word("not"), self.word("required"))
        } else {
            self.word("optional")
        }
    }

    fn read_only_marker(&self) -> String {
        format!("{} {}", self.word("read"), self.word("only"))
    }

    /// A type word with the language's affixes.
    fn type_word(&self, english: &str) -> String {
        let w = self.word(english);
        if self.affixed_types {
            format!("{}{}{}", self.word("type-prefix"), w.to_lowercase(), "-")
                + &self.word("type-suffix")
        } else {
            w
        }
    }

    /// Rewrite one page. Pages that are not markdown text (invalid UTF-8) are returned as is.
    pub fn translate_page(&self, bytes: &[u8]) -> Vec<u8> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.translate(text).into_bytes(),
            Err(_) => bytes.to_vec(),
        }
    }

    /// Rewrite a page's text.
    pub fn translate(&self, text: &str) -> String {
        let opts = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut ctx = Ctx::default();
        let events: Vec<(Event, std::ops::Range<usize>)> =
            Parser::new_ext(text, opts).into_offset_iter().collect();
        for (i, (ev, range)) in events.iter().enumerate() {
            match ev {
                Event::Start(Tag::Heading { .. }) => {
                    let heading = heading_of(&events[i..]);
                    ctx.skip_heading = heading.tab;
                    if !heading.tab && !heading.has_anchor && !heading.text.trim().is_empty() {
                        if let Some(at) = heading.content_start {
                            let anchor = format!("<a name=\"{}\"></a>", slug(&heading.text));
                            edits.push((at, at, anchor));
                        }
                    }
                    if !heading.tab {
                        ctx.section = slug(&heading.text);
                    }
                }
                Event::End(TagEnd::Heading(_)) => ctx.skip_heading = false,
                Event::Start(Tag::MetadataBlock(_)) | Event::Start(Tag::CodeBlock(_)) => {
                    ctx.skip += 1
                }
                Event::End(TagEnd::MetadataBlock(_)) | Event::End(TagEnd::CodeBlock) => {
                    ctx.skip -= 1
                }
                Event::Start(Tag::Table(_)) => {
                    ctx.table = Some(match ctx.section.as_str() {
                        "request-headers" | "optional-request-headers" => TableKind::Headers,
                        "request-body"
                        | "function-parameters"
                        | "path-parameters"
                        | "properties"
                        | "relationships" => TableKind::Fields,
                        _ => TableKind::Other,
                    });
                }
                Event::End(TagEnd::Table) => ctx.table = None,
                Event::Start(Tag::TableHead) => {
                    ctx.in_head = true;
                    ctx.column = 0;
                    ctx.cells_in_row = count_cells(&events[i + 1..]);
                }
                Event::End(TagEnd::TableHead) => ctx.in_head = false,
                Event::Start(Tag::TableRow) => {
                    ctx.column = 0;
                    ctx.cells_in_row = count_cells(&events[i + 1..]);
                }
                Event::End(TagEnd::TableCell) => {
                    ctx.column += 1;
                    ctx.after_link = false;
                }
                Event::End(TagEnd::Link) => ctx.after_link = true,
                Event::Text(_) if ctx.skip == 0 && !ctx.skip_heading => {
                    let src = &text[range.clone()];
                    let out = self.translate_text(src, &ctx);
                    if out != src {
                        edits.push((range.start, range.end, out));
                    }
                    ctx.after_link = false;
                }
                Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => ctx.after_link = false,
                _ => {}
            }
        }
        apply(text, edits)
    }

    fn translate_text(&self, src: &str, ctx: &Ctx) -> String {
        let in_body_cell = ctx.table.is_some() && !ctx.in_head;
        let kind = ctx.table.unwrap_or(TableKind::Other);
        let last_column = ctx.column + 1 == ctx.cells_in_row;
        if in_body_cell && ctx.column == 0 && kind != TableKind::Other {
            return if self.translate_names {
                self.translate_name(src)
            } else {
                src.to_string()
            };
        }
        if in_body_cell && kind == TableKind::Fields && ctx.column == 1 && !last_column {
            return self.translate_type_cell(src, ctx.after_link);
        }
        self.translate_prose(src)
    }

    /// A name cell: a name that is also a plain word (`shift`, `index`, `Authorization`,
    /// `Workbook-Session-Id`) becomes one pseudo-word, as machine translation does; a camelCase
    /// name (`sourceData`) is kept.
    fn translate_name(&self, src: &str) -> String {
        let t = src.trim();
        if t.is_empty() || t.contains(char::is_whitespace) {
            return self.translate_prose(src);
        }
        if !translatable(t) {
            return src.to_string();
        }
        let lead = &src[..src.len() - src.trim_start().len()];
        let trail = &src[src.trim_end().len()..];
        format!("{lead}{}{trail}", self.word(t))
    }

    fn translate_type_cell(&self, src: &str, after_link: bool) -> String {
        let mut out = String::new();
        let mut rest = src;
        if after_link && self.affixed_types {
            // `[X](x.md) collection` -> `[Y](x.md)-word`
            rest = rest.trim_start();
            if !rest.is_empty() {
                out.push('-');
            }
        }
        for piece in split_keep(rest) {
            if piece.chars().all(|c| c.is_ascii_alphanumeric()) && !piece.is_empty() {
                out.push_str(&self.type_word(piece));
            } else {
                out.push_str(piece);
            }
        }
        out
    }

    fn translate_prose(&self, src: &str) -> String {
        let mut out = String::new();
        for token in split_keep(src) {
            let lower = token.to_lowercase();
            if lower == "required" {
                out.push_str(&self.required_marker());
            } else if lower == "read-only" {
                out.push_str(&self.read_only_marker());
            } else if lower == "optional" {
                out.push_str(&self.optional_marker());
            } else if translatable(token) {
                out.push_str(&self.word(token));
            } else {
                out.push_str(token);
            }
        }
        out
    }
}

/// Split into runs of alphanumerics (plus inner `-`, `.`, `_`, `{`, `}`, `'`) and single other
/// characters, keeping everything, so joining the pieces gives the input.
fn split_keep(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let word_char = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                '-' | '.' | '_' | '{' | '}' | '\'' | '/' | ':' | '$' | '@'
            )
    };
    for (i, c) in s.char_indices() {
        match (start, word_char(c)) {
            (None, true) => start = Some(i),
            (Some(st), false) => {
                push_word(&mut out, &s[st..i]);
                out.push(&s[i..i + c.len_utf8()]);
                start = None;
            }
            (None, false) => out.push(&s[i..i + c.len_utf8()]),
            _ => {}
        }
    }
    if let Some(st) = start {
        push_word(&mut out, &s[st..]);
    }
    out
}

/// A word with trailing `.`/`:`/`'` split off (sentence punctuation, not part of the word).
fn push_word<'a>(out: &mut Vec<&'a str>, w: &'a str) {
    let core = w.trim_end_matches(['.', ':', '\'', '-']);
    out.push(core);
    if core.len() < w.len() {
        out.push(&w[core.len()..]);
    }
}

/// A plain word a translator translates: letters only (an inner `'` or `-` allowed), not
/// camelCase (`workbookRange`, `ReadWrite`), no digits, no path or placeholder characters.
fn translatable(token: &str) -> bool {
    if token.is_empty()
        || !token
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        || !token.starts_with(char::is_alphabetic)
    {
        return false;
    }
    let mut prev_lower = false;
    for c in token.chars().skip(1) {
        if c.is_uppercase() && prev_lower {
            return false;
        }
        prev_lower = c.is_lowercase();
    }
    // all-caps abbreviations (`HTTP`, `JSON`, `ID`) stay
    !(token.len() > 1 && token.chars().all(|c| !c.is_lowercase()))
}

/// The docs' anchor convention: lower case, runs of other characters to one `-`.
fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

#[derive(Default)]
struct Ctx {
    skip: usize,
    skip_heading: bool,
    section: String,
    table: Option<TableKind>,
    in_head: bool,
    column: usize,
    cells_in_row: usize,
    after_link: bool,
}

struct HeadingInfo {
    text: String,
    tab: bool,
    has_anchor: bool,
    content_start: Option<usize>,
}

fn heading_of(events: &[(Event, std::ops::Range<usize>)]) -> HeadingInfo {
    let mut h = HeadingInfo {
        text: String::new(),
        tab: false,
        has_anchor: false,
        content_start: None,
    };
    for (ev, range) in events.iter().skip(1) {
        match ev {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Start(Tag::Link { dest_url, .. }) => {
                h.tab |= dest_url.starts_with("#tab/");
                h.content_start.get_or_insert(range.start);
            }
            Event::Text(t) | Event::Code(t) => {
                h.text.push_str(t);
                h.content_start.get_or_insert(range.start);
            }
            Event::InlineHtml(t) | Event::Html(t) => {
                h.has_anchor |= t.contains("name=");
                h.content_start.get_or_insert(range.start);
            }
            _ => {}
        }
    }
    h
}

fn count_cells(events: &[(Event, std::ops::Range<usize>)]) -> usize {
    let mut n = 0;
    let mut depth = 0;
    for (ev, _) in events {
        match ev {
            Event::Start(Tag::TableCell) => {
                if depth == 0 {
                    n += 1;
                }
                depth += 1;
            }
            Event::End(TagEnd::TableCell) => depth -= 1,
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => break,
            _ => {}
        }
    }
    n
}

/// Apply non-overlapping edits `(start, end, replacement)`.
fn apply(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut pos = 0;
    for (s, e, r) in edits {
        if s < pos {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&r);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}
