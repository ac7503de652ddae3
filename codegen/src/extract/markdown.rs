//! A page model of one Microsoft Graph docs markdown page, built with pulldown-cmark.
//!
//! [`Page::parse`] turns the text of a page into a flat list of [`Block`]s in document order
//! (headings, paragraphs, tables, fenced code blocks, HTML comments), each with its 1-based line,
//! plus [`Section`]s found by heading. Everything the extractors need is here; nothing else in
//! `extract/` looks at raw markdown (except code block contents, which are plain text).
//!
//! Quirks handled (see `graph-docs/FORMAT-NOTES.md`):
//! - YAML front matter is skipped (its lines still count for line numbers).
//! - Sections are found by anchor (`## <a name="request-headers"></a>...`) or, when a heading has
//!   no anchor, by the slug of its text ([`slug`]). SDK tab headings (`# [C#](#tab/csharp)`) are
//!   not headings of the page: they are dropped.
//! - `|` inside a backticked span of a table row is escaped before parsing, so the row keeps its
//!   cells (GFM would otherwise split the cell there).
//! - HTML comments holding JSON (`<!-- { "blockType": "request" } -->`) are parsed into
//!   [`Comment::json`]; a code block records the metadata of the comment right before it.
//! - de-DE bilingual markup (`<span data-ttu-id>German</span><span class="sxs-lookup"><span
//!   data-stu-id>English</span></span>`) is resolved BEFORE markdown parsing by
//!   `strip_bilingual`, keeping one [`Side`]; the English side may hold markdown (links,
//!   backticks), so it must be parsed, not post-processed. Line numbers are preserved.
//!
//! Nothing here panics on any input.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Which side of de-DE bilingual span markup to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The translated text (what a German-only page would say).
    Local,
    /// The English source text carried in `<span class="sxs-lookup">`.
    English,
}

/// A link: target as written (`../resources/range.md`) and its visible text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub text: String,
}

/// Inline content of a heading, paragraph or table cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    /// Plain text: markup removed, code spans included without backticks, soft breaks as spaces,
    /// trimmed.
    pub text: String,
    /// Contents of the backticked code spans, in order.
    pub code: Vec<String>,
    pub links: Vec<Link>,
}

/// A heading of the page (SDK tab headings excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1..=6
    pub level: u8,
    /// The `<a name="...">` anchor inside the heading, if any.
    pub anchor: Option<String>,
    pub content: Inline,
    /// The section key: the anchor when present, else [`slug`] of the heading text.
    pub key: String,
}

/// A table: header cells and body rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<Inline>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the row.
    pub line: u32,
    pub cells: Vec<Inline>,
}

/// A code block (fenced or indented).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeBlock {
    /// The info string, trimmed and lower-cased (`http`, `json`, `msgraph-interactive`); empty for
    /// indented blocks and bare fences.
    pub info: String,
    pub text: String,
    /// 1-based line of the opening fence; the first content line is `line + 1` for fenced blocks.
    pub line: u32,
    pub fenced: bool,
    /// JSON of the HTML comment immediately before the block, if it parsed as a JSON object.
    pub meta: Option<serde_json::Value>,
}

/// An HTML comment (`<!-- ... -->`) at block level.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// The text between `<!--` and `-->`.
    pub text: String,
    /// Parsed when the text is a JSON object (`{ "blockType": ... }`).
    pub json: Option<serde_json::Value>,
}

impl Comment {
    /// A string field of the JSON metadata (`blockType`, `@odata.type`).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.json.as_ref()?.get(key)?.as_str()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading(Heading),
    Paragraph(Inline),
    Table(Table),
    Code(CodeBlock),
    Comment(Comment),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// 1-based line where the block starts.
    pub line: u32,
    pub kind: BlockKind,
}

/// A section: a heading and the blocks up to the next heading of ANY level (so `### Response`
/// nested in `## Request body` is its own section and does not belong to Request body's blocks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Index of the heading block in [`Page::blocks`].
    pub heading: usize,
    /// Range of block indices after the heading (excluding it).
    pub start: usize,
    pub end: usize,
    /// End of the nested range: up to the next heading of the same or a higher level.
    pub end_nested: usize,
    pub level: u8,
    pub key: String,
}

/// A parsed page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    /// The page had de-DE bilingual span markup.
    pub bilingual: bool,
}

/// The key of a heading without anchor: lower case, runs of non-alphanumerics to one `-`,
/// trimmed of `-` (`"Request headers"` -> `request-headers`, `"HTTP request"` -> `http-request`).
pub fn slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    s
}

/// Replace every bilingual unit
/// `<span data-ttu-id="..">LOCAL</span><span class="sxs-lookup"><span data-stu-id="..">ENGLISH</span></span>`
/// by one side. Returns `None` when the text has no such markup. Line count is preserved: when
/// the dropped side spanned more lines than the kept one, newlines are appended after the kept
/// text. Malformed units are left as they are.
pub(crate) fn strip_bilingual(text: &str, side: Side) -> Option<String> {
    strip_bilingual_counted(text, side).0
}

/// [`strip_bilingual`], also returning how many bytes its searches scanned (tests bound it).
fn strip_bilingual_counted(text: &str, side: Side) -> (Option<String>, usize) {
    const OPEN: &str = "<span data-ttu-id=\"";
    const MID: &str = "</span><span class=\"sxs-lookup\"><span data-stu-id=\"";
    const END: &str = "</span></span>";
    const QUOTE: &str = "\">";
    if !text.contains(OPEN) {
        return (None, text.len());
    }
    // Each search site starts at positions that only grow from one opening to the next, so a
    // cached "next occurrence" is reused until the start passes it: every byte is scanned O(1)
    // times per site, and malformed openings cost no rescans (linear overall).
    let mut quote1 = NextMatch::new(QUOTE);
    let mut mid_at = NextMatch::new(MID);
    let mut quote2 = NextMatch::new(QUOTE);
    let mut end_at = NextMatch::new(END);
    let mut out = String::with_capacity(text.len() / 2);
    let mut pos = 0;
    let mut scanned = 0;
    loop {
        let next = text[pos..].find(OPEN);
        scanned += next.map_or(text.len() - pos, |i| i + OPEN.len());
        let Some(i) = next.map(|i| pos + i) else {
            break;
        };
        out.push_str(&text[pos..i]);
        let after = i + OPEN.len();
        // `..id">LOCAL</span><span class="sxs-lookup"><span data-stu-id="..">ENGLISH</span></span>`
        let mut parsed = || {
            let local_start = quote1.find(text, after)? + QUOTE.len();
            let mid = mid_at.find(text, local_start)?;
            let after_mid = mid + MID.len();
            let en_start = quote2.find(text, after_mid)? + QUOTE.len();
            let en_end = end_at.find(text, en_start)?;
            Some((
                &text[local_start..mid],
                &text[en_start..en_end],
                en_end + END.len(),
            ))
        };
        match parsed() {
            Some((local, english, unit_end)) => {
                let keep = match side {
                    Side::Local => local,
                    Side::English => english,
                };
                out.push_str(keep);
                let lines_unit = text[after..unit_end].matches('\n').count();
                let lines_keep = keep.matches('\n').count();
                for _ in lines_keep..lines_unit {
                    out.push('\n');
                }
                pos = unit_end;
            }
            None => {
                out.push_str(OPEN);
                pos = after;
            }
        }
    }
    out.push_str(&text[pos..]);
    scanned += quote1.scanned + mid_at.scanned + quote2.scanned + end_at.scanned;
    (Some(out), scanned)
}

/// The first occurrence of `pat` at or after a start position, for starts that never decrease:
/// the last answer is kept while it still lies at or after the start.
struct NextMatch {
    pat: &'static str,
    /// `(searched_from, answer)` of the last search.
    last: Option<(usize, Option<usize>)>,
    /// Bytes examined by all searches so far.
    scanned: usize,
}

impl NextMatch {
    fn new(pat: &'static str) -> Self {
        NextMatch {
            pat,
            last: None,
            scanned: 0,
        }
    }

    fn find(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some((searched, answer)) = self.last {
            if from >= searched {
                match answer {
                    None => return None,
                    Some(at) if at >= from => return Some(at),
                    Some(_) => {}
                }
            }
        }
        let answer = text.get(from..)?.find(self.pat).map(|j| from + j);
        self.scanned += answer.map_or(text.len() - from, |at| at - from + self.pat.len());
        self.last = Some((from, answer));
        answer
    }
}

/// Length in bytes of the YAML front matter (`---` line .. `---` line, inclusive), or 0.
fn front_matter_len(text: &str) -> usize {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return 0;
    }
    let mut pos = first_line_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return end;
        }
        pos = end;
    }
    0
}

/// Escape `|` inside backticked spans of table rows (lines starting with `|`), outside fenced
/// code blocks. Byte offsets shift but lines do not.
fn repair_table_pipes(text: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || !t.starts_with('|') || !line.contains('`') {
            out.push_str(line);
            continue;
        }
        // Pipes inside backtick pairs: only when the backtick after it closes the span.
        let bytes: Vec<char> = line.chars().collect();
        let mut in_code = false;
        let mut prev_backslash = false;
        let mut pending = String::new();
        for (i, &c) in bytes.iter().enumerate() {
            if c == '`' && !prev_backslash {
                if !in_code {
                    // open only when a closing backtick follows on this line
                    let closes = bytes.get(i + 1..).is_some_and(|r| r.contains(&'`'));
                    in_code = closes;
                } else {
                    in_code = false;
                }
                pending.push(c);
            } else if c == '|' && in_code && !prev_backslash {
                pending.push_str("\\|");
                changed = true;
            } else {
                pending.push(c);
            }
            prev_backslash = c == '\\' && !prev_backslash;
        }
        out.push_str(&pending);
    }
    changed.then_some(out)
}

/// Maps byte offsets to 1-based line numbers.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    fn line(&self, offset: usize) -> u32 {
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        u32::try_from(i + 1).unwrap_or(u32::MAX)
    }
}

/// `<a name="x"></a>` or `<a name="x"/>` -> `x`.
fn anchor_name(html: &str) -> Option<String> {
    let i = html.find("name=")?;
    let rest = &html[i + 5..];
    let q = rest.chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let rest = &rest[1..];
    let end = rest.find(q)?;
    Some(rest[..end].to_string())
}

/// Parse an HTML block/inline text as a comment; `None` when it is not a comment.
fn parse_comment(html: &str) -> Option<Comment> {
    let t = html.trim();
    let inner = t.strip_prefix("<!--")?;
    let inner = inner.strip_suffix("-->").unwrap_or(inner);
    let json = serde_json::from_str::<serde_json::Value>(inner.trim())
        .ok()
        .filter(|v| v.is_object());
    Some(Comment {
        text: inner.to_string(),
        json,
    })
}

#[derive(Default)]
struct InlineBuilder {
    inline: Inline,
    link_stack: Vec<(String, usize)>,
}

impl InlineBuilder {
    fn text(&mut self, s: &str) {
        self.inline.text.push_str(s);
    }
    fn finish(mut self) -> Inline {
        // close unterminated links (cannot happen with pulldown-cmark, but stay total)
        while let Some((target, start)) = self.link_stack.pop() {
            let text = self
                .inline
                .text
                .get(start..)
                .unwrap_or("")
                .trim()
                .to_string();
            self.inline.links.push(Link { target, text });
        }
        let t = self.inline.text.trim();
        if t.len() != self.inline.text.len() {
            self.inline.text = t.to_string();
        }
        self.inline
    }
}

enum Open {
    None,
    Heading {
        level: u8,
        line: u32,
        b: InlineBuilder,
        anchor: Option<String>,
    },
    Para {
        line: u32,
        b: InlineBuilder,
    },
    Table {
        line: u32,
        table: Table,
        row: Option<Row>,
        in_head: bool,
        cell: Option<InlineBuilder>,
    },
    Code {
        line: u32,
        info: String,
        text: String,
        fenced: bool,
    },
    Html {
        line: u32,
        text: String,
    },
}

fn level_u8(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The state of [`Page::parse_plain`] between pulldown-cmark events: the blocks so far, the
/// block being read, and the metadata comment waiting for the next block.
struct PageBuilder {
    blocks: Vec<Block>,
    open: Open,
    pending_meta: Option<serde_json::Value>,
    inline_comment: String,
}

impl Default for PageBuilder {
    fn default() -> Self {
        PageBuilder {
            blocks: Vec::new(),
            open: Open::None,
            pending_meta: None,
            inline_comment: String::new(),
        }
    }
}

impl PageBuilder {
    fn push(&mut self, line: u32, kind: BlockKind) {
        self.blocks.push(Block { line, kind });
    }

    fn start(&mut self, tag: Tag<'_>, line: u32) {
        match tag {
            Tag::Heading { level, .. } => {
                self.open = Open::Heading {
                    level: level_u8(level),
                    line,
                    b: InlineBuilder::default(),
                    anchor: None,
                };
            }
            Tag::Paragraph => {
                if matches!(self.open, Open::None) {
                    self.open = Open::Para {
                        line,
                        b: InlineBuilder::default(),
                    };
                }
            }
            Tag::Table(_) => {
                self.open = Open::Table {
                    line,
                    table: Table::default(),
                    row: None,
                    in_head: false,
                    cell: None,
                };
            }
            Tag::TableHead | Tag::TableRow | Tag::TableCell => self.start_table_part(&tag, line),
            Tag::CodeBlock(kind) => {
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.trim().to_lowercase(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                self.open = Open::Code {
                    line,
                    info,
                    text: String::new(),
                    fenced,
                };
            }
            Tag::HtmlBlock => {
                self.open = Open::Html {
                    line,
                    text: String::new(),
                };
            }
            Tag::Link { dest_url, .. } => {
                if let Some(b) = builder(&mut self.open) {
                    let start = b.inline.text.len();
                    b.link_stack.push((dest_url.to_string(), start));
                }
            }
            _ => {}
        }
    }

    fn start_table_part(&mut self, tag: &Tag<'_>, line: u32) {
        let Open::Table {
            in_head, row, cell, ..
        } = &mut self.open
        else {
            return;
        };
        match tag {
            Tag::TableHead | Tag::TableRow => {
                *in_head |= matches!(tag, Tag::TableHead);
                *row = Some(Row {
                    line,
                    cells: Vec::new(),
                });
            }
            _ => *cell = Some(InlineBuilder::default()),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Table => {
                if let Open::Table { line, table, .. } =
                    std::mem::replace(&mut self.open, Open::None)
                {
                    self.push(line, BlockKind::Table(table));
                    self.pending_meta = None;
                }
            }
            TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell => self.end_table_part(tag),
            TagEnd::CodeBlock => {
                if let Open::Code {
                    line,
                    info,
                    text,
                    fenced,
                } = std::mem::replace(&mut self.open, Open::None)
                {
                    let meta = self.pending_meta.take();
                    self.push(
                        line,
                        BlockKind::Code(CodeBlock {
                            info,
                            text,
                            line,
                            fenced,
                            meta,
                        }),
                    );
                }
            }
            TagEnd::HtmlBlock => self.end_html(),
            TagEnd::Link => {
                if let Some(b) = builder(&mut self.open) {
                    if let Some((target, start)) = b.link_stack.pop() {
                        let text = b.inline.text.get(start..).unwrap_or("").trim().to_string();
                        b.inline.links.push(Link { target, text });
                    }
                }
            }
            _ => {}
        }
    }

    fn end_table_part(&mut self, tag: TagEnd) {
        let Open::Table {
            in_head,
            row,
            table,
            cell,
            ..
        } = &mut self.open
        else {
            return;
        };
        match tag {
            TagEnd::TableHead => {
                *in_head = false;
                if let Some(r) = row.take() {
                    table.header = r.cells;
                }
            }
            TagEnd::TableRow => {
                if let Some(r) = row.take() {
                    table.rows.push(r);
                }
            }
            _ => {
                if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                    r.cells.push(c.finish());
                }
            }
        }
    }

    fn end_heading(&mut self) {
        let Open::Heading {
            level,
            line,
            b,
            anchor,
        } = std::mem::replace(&mut self.open, Open::None)
        else {
            return;
        };
        let content = b.finish();
        if content.links.iter().any(|l| l.target.starts_with("#tab/")) {
            return;
        }
        let key = anchor.clone().unwrap_or_else(|| slug(&content.text));
        self.push(
            line,
            BlockKind::Heading(Heading {
                level,
                anchor,
                content,
                key,
            }),
        );
        self.pending_meta = None;
    }

    fn end_paragraph(&mut self) {
        let Open::Para { line, b } = std::mem::replace(&mut self.open, Open::None) else {
            return;
        };
        let inline = b.finish();
        if !inline.text.is_empty() || !inline.links.is_empty() {
            self.push(line, BlockKind::Paragraph(inline));
            self.pending_meta = None;
        }
        // A comment at the end of a paragraph (`text.<!-- {...} -->`, zh-CN) describes the next
        // block like a comment of its own.
        let text = std::mem::take(&mut self.inline_comment);
        if let Some(c) = parse_comment(&text) {
            self.pending_meta = c.json.clone();
            self.push(line, BlockKind::Comment(c));
        }
    }

    fn end_html(&mut self) {
        let Open::Html { line, text } = std::mem::replace(&mut self.open, Open::None) else {
            return;
        };
        // An HTML block may hold several comments or other HTML; take each comment it contains.
        let mut rest = text.as_str();
        let mut any = false;
        while let Some(i) = rest.find("<!--") {
            let after = &rest[i..];
            let end = after.find("-->").map_or(after.len(), |e| e + 3);
            if let Some(c) = parse_comment(&after[..end]) {
                self.pending_meta = c.json.clone();
                self.push(line, BlockKind::Comment(c));
                any = true;
            }
            rest = &after[end..];
        }
        if !any {
            self.pending_meta = None;
        }
    }

    /// Events that are not the start or end of a tag: text, code spans, HTML, breaks.
    fn inline(&mut self, ev: Event<'_>) {
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => match &mut self.open {
                Open::Html { text, .. } => text.push_str(&s),
                Open::Heading { anchor, .. } if anchor.is_none() => *anchor = anchor_name(&s),
                Open::Para { .. }
                    if !self.inline_comment.is_empty() || s.trim_start().starts_with("<!--") =>
                {
                    if self.inline_comment.contains("-->") {
                        self.inline_comment.clear();
                    }
                    self.inline_comment.push_str(&s);
                }
                _ => {}
            },
            Event::Text(s) => match &mut self.open {
                Open::Code { text, .. } => text.push_str(&s),
                other => {
                    if let Some(b) = builder(other) {
                        b.text(&s);
                    }
                }
            },
            Event::Code(s) => {
                if let Some(b) = builder(&mut self.open) {
                    b.text(&s);
                    b.inline.code.push(s.to_string());
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = builder(&mut self.open) {
                    b.text(" ");
                }
            }
            _ => {}
        }
    }
}

impl Page {
    /// Parse a page. Bilingual markup is resolved first, keeping `side` (ignored for pages
    /// without markup).
    pub fn parse(text: &str, side: Side) -> Page {
        let stripped = strip_bilingual(text, side);
        let bilingual = stripped.is_some();
        let text = stripped.as_deref().unwrap_or(text);
        let repaired = repair_table_pipes(text);
        let text = repaired.as_deref().unwrap_or(text);
        let mut page = Self::parse_plain(text);
        page.bilingual = bilingual;
        page
    }

    fn parse_plain(text: &str) -> Page {
        let lines = Lines::new(text);
        let fm = front_matter_len(text);
        // Parse after the front matter; offsets are shifted back by `fm`.
        let body = text.get(fm..).unwrap_or("");
        let parser = Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter();
        let mut b = PageBuilder::default();
        for (ev, range) in parser {
            let line = lines.line(range.start + fm);
            match ev {
                Event::Start(tag) => b.start(tag, line),
                Event::End(tag) => b.end(tag),
                other => b.inline(other),
            }
        }
        let sections = sections_of(&b.blocks);
        Page {
            blocks: b.blocks,
            sections,
            bilingual: false,
        }
    }

    /// The first section whose key (anchor or slug) is one of `keys`.
    pub fn section(&self, keys: &[&str]) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| keys.contains(&s.key.as_str()))
    }

    /// All sections whose key is one of `keys`, in order.
    pub(crate) fn sections_with<'a>(
        &'a self,
        keys: &'a [&'a str],
    ) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections
            .iter()
            .filter(move |s| keys.contains(&s.key.as_str()))
    }

    /// The blocks directly under a section's heading (up to the next heading of any level).
    pub(crate) fn blocks_of(&self, s: &Section) -> &[Block] {
        self.blocks.get(s.start..s.end).unwrap_or(&[])
    }

    /// The blocks of a section including nested subsections.
    pub(crate) fn blocks_nested(&self, s: &Section) -> &[Block] {
        self.blocks.get(s.start..s.end_nested).unwrap_or(&[])
    }

    /// All code blocks of the page, in order.
    pub(crate) fn code_blocks(&self) -> impl Iterator<Item = &CodeBlock> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Code(c) => Some(c),
            _ => None,
        })
    }

    /// All comments of the page, in order.
    pub fn comments(&self) -> impl Iterator<Item = (u32, &Comment)> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Comment(c) => Some((b.line, c)),
            _ => None,
        })
    }

    /// All links of the page (headings, paragraphs, table cells), in order.
    pub fn links(&self) -> Vec<&Link> {
        let mut out = Vec::new();
        for b in &self.blocks {
            match &b.kind {
                BlockKind::Heading(h) => out.extend(h.content.links.iter()),
                BlockKind::Paragraph(p) => out.extend(p.links.iter()),
                BlockKind::Table(t) => {
                    for c in t
                        .header
                        .iter()
                        .chain(t.rows.iter().flat_map(|r| r.cells.iter()))
                    {
                        out.extend(c.links.iter());
                    }
                }
                _ => {}
            }
        }
        out
    }
}

fn builder(open: &mut Open) -> Option<&mut InlineBuilder> {
    match open {
        Open::Heading { b, .. } | Open::Para { b, .. } => Some(b),
        Open::Table { cell: Some(b), .. } => Some(b),
        _ => None,
    }
}

fn sections_of(blocks: &[Block]) -> Vec<Section> {
    let heads: Vec<(usize, u8, &str)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match &b.kind {
            BlockKind::Heading(h) => Some((i, h.level, h.key.as_str())),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(heads.len());
    for (n, &(i, level, key)) in heads.iter().enumerate() {
        let end = heads.get(n + 1).map_or(blocks.len(), |h| h.0);
        let end_nested = heads
            .iter()
            .skip(n + 1)
            .find(|h| h.1 <= level)
            .map_or(blocks.len(), |h| h.0);
        out.push(Section {
            heading: i,
            start: i + 1,
            end,
            end_nested,
            level,
            key: key.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: \"Gadget: spin\"\nms.prod: \"excel\"\n---\n\n# Gadget: spin\n\n## Permissions\n\n|Kind | Names |\n|:--|:--|\n|Delegated (work or school account) | Files.ReadWrite |\n|Application | Not supported. |\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nPOST /me/drive/items/{id}/workbook/gadgets/{id|name}/spin\n```\n## <a name=\"request-body\"></a>Body stuff\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n|speed|Int32|How fast, see `a|b` and [Gadget](../resources/gadget.md). Optional.|\n\n### Response\nReturns `200 OK`.\n\n# [HTTP](#tab/http)\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\"\n}-->\n```http\nPOST https://graph.microsoft.com/v1.0/me/drive/items/{id}/workbook/gadgets/1/spin\n```\n---\n";

    #[test]
    fn parses_sections_tables_code_and_comments() {
        let p = Page::parse(PAGE, Side::Local);
        let keys: Vec<_> = p.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "gadget-spin",
                "permissions",
                "http-request",
                "request-body",
                "response"
            ]
        );
        let http = p.section(&["http-request"]).unwrap();
        let code: Vec<_> = p
            .blocks_of(http)
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Code(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(code.len(), 1);
        assert_eq!(code[0].info, "http");
        assert_eq!(code[0].line, 17);
        assert_eq!(code[0].meta.as_ref().unwrap()["blockType"], "ignored");
        // request body section excludes the nested response, nested range includes it
        let body = p.section(&["request-body"]).unwrap();
        assert_eq!(p.blocks_of(body).len(), 1);
        assert!(p.blocks_nested(body).len() > 2);
        let BlockKind::Table(t) = &p.blocks_of(body)[0].kind else {
            panic!()
        };
        assert_eq!(t.rows.len(), 1);
        let cells = &t.rows[0].cells;
        assert_eq!(cells.len(), 3, "pipe in backticks must not split the cell");
        assert_eq!(cells[0].text, "speed");
        assert_eq!(cells[2].code, ["a|b"]);
        assert_eq!(cells[2].links[0].target, "../resources/gadget.md");
        assert_eq!(t.rows[0].line, 24);
        // the tab heading is skipped; the request block got its metadata
        let last = p.code_blocks().last().unwrap();
        assert_eq!(last.meta.as_ref().unwrap()["blockType"], "request");
    }

    #[test]
    fn bilingual_unmatched_openings_are_scanned_linearly() {
        // Every way a unit can be cut short, repeated: each opening used to rescan the rest of
        // the text (quadratic). A well-formed unit before them must still be replaced.
        let unit = "<span data-ttu-id=\"u\">Wert</span><span class=\"sxs-lookup\"><span data-stu-id=\"u\">value</span></span>";
        for cut in [
            "<span data-ttu-id=\"",
            "<span data-ttu-id=\"a\">x ",
            "<span data-ttu-id=\"a\">x</span><span class=\"sxs-lookup\"><span data-stu-id=\"",
        ] {
            for n in [1000usize, 4000] {
                let text = format!("{unit}\n|{}|\n", cut.repeat(n));
                let (en, scanned) = strip_bilingual_counted(&text, Side::English);
                let en = en.unwrap();
                assert!(en.starts_with("value\n|<span"), "{cut:?}");
                assert_eq!(en.lines().count(), text.lines().count());
                assert!(
                    scanned <= 8 * text.len(),
                    "{cut:?} x{n}: scanned {scanned} bytes of a {} byte text",
                    text.len()
                );
            }
        }
        // Consecutive units each keep their own text (the cached matches move on).
        let de = strip_bilingual(&format!("{unit} and {unit}"), Side::Local).unwrap();
        assert_eq!(de, "Wert and Wert");
    }

    #[test]
    fn bilingual_both_sides_keep_lines() {
        let t = "## <a name=\"x\"></a><span data-ttu-id=\"ab-1\">Kopf</span><span class=\"sxs-lookup\"><span data-stu-id=\"ab-1\">Head</span></span>\n|a|b|\n|-|-|\n|<span data-ttu-id=\"ab-2\">Wert</span><span class=\"sxs-lookup\"><span data-stu-id=\"ab-2\">value\nmore</span></span>|x|\n";
        let en = strip_bilingual(t, Side::English).unwrap();
        let de = strip_bilingual(t, Side::Local).unwrap();
        assert!(en.contains("Head") && en.contains("value\nmore"));
        assert!(de.contains("Kopf") && de.contains("Wert\n"));
        assert_eq!(en.lines().count(), t.lines().count());
        assert_eq!(de.lines().count(), t.lines().count());
        let p = Page::parse(t, Side::English);
        assert!(p.bilingual);
        assert_eq!(p.sections[0].key, "x");
        assert!(strip_bilingual("plain", Side::English).is_none());
    }

    #[test]
    fn comment_at_paragraph_end_describes_the_next_block() {
        let t = "Some text.<!-- { \"blockType\": \"response\", \"@odata.type\": \"Edm.String\" } -->\n```http\nHTTP/1.1 200 OK\n```\n";
        let p = Page::parse(t, Side::Local);
        let c = p.code_blocks().next().unwrap();
        assert_eq!(c.meta.as_ref().unwrap()["@odata.type"], "Edm.String");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("HTTP request"), "http-request");
        assert_eq!(slug("Request headers "), "request-headers");
        assert_eq!(slug("Examples"), "examples");
    }

    #[test]
    fn total_on_garbage() {
        for t in [
            "",
            "---",
            "---\n",
            "```",
            "|",
            "<!--",
            "# [x](#tab/y)",
            "\u{0}\u{ffff}|`|`",
        ] {
            let _ = Page::parse(t, Side::English);
            let _ = Page::parse(t, Side::Local);
        }
    }
}
