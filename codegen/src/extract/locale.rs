//! Locale knowledge learned from the corpus itself, so no translated word is hard-coded.
//!
//! The docs translate table header names (`Arbeitsmappensitzungs-ID`), and the words for
//! "Required"/"Optional" (`Erforderlich.`, `必需。`). What stays language-independent: header
//! names in code blocks (request blocks and example requests), the `Authorization` header name
//! (a protocol identifier, never translated), and the page structure. From these we learn:
//!
//! - **structural header names**: a row whose description holds the `{token}` placeholder is
//!   `Authorization` (`Bearer {token}` in every locale); a row whose description holds a media
//!   type (`application/json`) is `Content-Type`. A translated name cell never names a header;
//! - **header translations**: on a page where exactly one header-table row is not a known header
//!   name (nor named by a structural rule) and exactly one header line of the request block is
//!   not matched by a row, the row's
//!   text means that header (closeSession teaches `Arbeitsmappensitzungs-ID` =
//!   `workbook-session-id`); the mapping then applies to every page of the snapshot;
//! - **the "Required" marker**: the final sentence of the `Authorization` rows (always required);
//! - **the "Optional" marker**: the most common final sentence of the other header rows (the
//!   session-header rows of ordinary pages).
//!
//! The English markers are kept as a fallback (some translated pages leave `Required.` in
//! English). Markers are whole sentences: a sentence equals a marker or it is no marker, so a
//! negated optional marker (`ikke obligatorisk`) never reads as the required one it contains
//! (`obligatorisk`), and a marker word inside a longer sentence is no marker.

use std::collections::{BTreeMap, BTreeSet};

/// Standard HTTP request header names: protocol identifiers, valid in every locale.
pub(crate) const STANDARD_HEADERS: &[&str] = &[
    "Accept",
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Prefer",
];

/// One header-table row of one page, as needed for learning.
#[derive(Debug, Clone, Default)]
pub struct HeaderRowsOfPage {
    /// (name cell text, description text)
    pub rows: Vec<(String, String)>,
    /// Header names of the request block (`workbook-session-id: {session-id}`).
    pub block_headers: Vec<String>,
}

/// What a snapshot teaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Knowledge {
    /// Lower-cased header names seen in code blocks, plus `STANDARD_HEADERS`.
    pub header_names: BTreeMap<String, String>,
    /// Lower-cased local row text -> header name (as written in the code block).
    pub header_translations: BTreeMap<String, String>,
    /// Lower-cased "Required" markers (final sentences).
    pub required: BTreeSet<String>,
    /// Lower-cased "Optional" markers.
    pub optional: BTreeSet<String>,
    /// Type words learned from the resource pages (lower-cased cell text -> type): filled by
    /// the pipeline, used where no language-independent rule reads a type cell.
    pub type_words: BTreeMap<String, crate::spec::TypeRef>,
    /// Translated table row names learned from the resource pages (lower-cased cell text ->
    /// wire name): a row paired with a name by evidence (the only candidate left, its place
    /// among rows of known names) teaches what the word means on every page of the snapshot.
    pub name_translations: BTreeMap<String, String>,
}

/// Sentences of a description, split at `.`, `。`, `!`, `！`, trimmed, lower-cased, non-empty.
/// Dots inside `{token}`-like words are rare enough; a dot followed by a letter (`Files.Read`)
/// does not split.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let is_end =
            matches!(c, '。' | '！' | '!') || (c == '.' && next.is_none_or(|n| n.is_whitespace()));
        if is_end {
            let t = cur.trim().to_lowercase();
            if !t.is_empty() {
                out.push(t);
            }
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    let t = cur.trim().to_lowercase();
    if !t.is_empty() {
        out.push(t);
    }
    out
}

/// The marker candidates of a description: its first and last sentence.
pub(crate) fn marker_candidates(text: &str) -> Vec<String> {
    let s = sentences(text);
    let mut out = Vec::new();
    if let Some(l) = s.last() {
        out.push(l.clone());
    }
    if s.len() > 1 {
        if let Some(f) = s.first() {
            out.push(f.clone());
        }
    }
    out
}

/// Canonical header spelling: each `-`-separated word capitalized (`workbook-session-id` ->
/// `Workbook-Session-Id`, `Content-type` -> `Content-Type`).
pub fn canonical_header(name: &str) -> String {
    name.trim()
        .split('-')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The header a row's description names by structure, in any language: the `{token}`
/// placeholder (`Bearer {token}`) is `Authorization`'s, a media type (`application/json`) is
/// `Content-Type`'s.
pub(crate) fn structural_header(description: &str) -> Option<&'static str> {
    if description.contains("{token}") {
        return Some("Authorization");
    }
    let media_type = description.split_whitespace().any(|w| {
        let w = w.trim_end_matches(['.', '。', ',', ';']);
        match w.split_once('/') {
            Some((a, b)) => {
                matches!(a, "application" | "text" | "multipart")
                    && !b.is_empty()
                    && b.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
            }
            None => false,
        }
    });
    media_type.then_some("Content-Type")
}

impl Knowledge {
    /// Learn from every API page of a snapshot. `example_headers` are header names of example
    /// requests (any page).
    pub fn learn(pages: &[HeaderRowsOfPage], example_headers: &[String]) -> Knowledge {
        let mut k = Knowledge::default();
        for h in STANDARD_HEADERS {
            k.header_names
                .insert(h.to_ascii_lowercase(), (*h).to_string());
        }
        for h in example_headers
            .iter()
            .chain(pages.iter().flat_map(|p| p.block_headers.iter()))
        {
            k.header_names
                .entry(h.to_ascii_lowercase())
                .or_insert_with(|| h.clone());
        }
        // translations
        let mut votes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for p in pages {
            let unmatched_rows: Vec<&(String, String)> = p
                .rows
                .iter()
                .filter(|(n, d)| {
                    !k.header_names.contains_key(&n.trim().to_lowercase())
                        && structural_header(d).is_none()
                })
                .collect();
            let unmatched_block: Vec<&String> = p
                .block_headers
                .iter()
                .filter(|b| !p.rows.iter().any(|(n, _)| n.trim().eq_ignore_ascii_case(b)))
                .collect();
            if let ([row], [hdr]) = (unmatched_rows.as_slice(), unmatched_block.as_slice()) {
                *votes
                    .entry(row.0.trim().to_lowercase())
                    .or_default()
                    .entry((*hdr).clone())
                    .or_default() += 1;
            }
        }
        for (local, v) in votes {
            // most votes, then smallest name: deterministic
            if let Some((name, _)) = v.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                k.header_translations.insert(local, name.clone());
            }
        }
        // markers
        let mut req: BTreeMap<String, usize> = BTreeMap::new();
        let mut opt: BTreeMap<String, usize> = BTreeMap::new();
        for p in pages {
            for (name, desc) in &p.rows {
                let Some(resolved) = k.resolve_row(name, desc) else {
                    continue;
                };
                let s = sentences(desc);
                let Some(last) = s.last() else { continue };
                if resolved.eq_ignore_ascii_case("authorization") {
                    *req.entry(last.clone()).or_default() += 1;
                } else if !p
                    .block_headers
                    .iter()
                    .any(|b| b.eq_ignore_ascii_case(&resolved))
                {
                    *opt.entry(last.clone()).or_default() += 1;
                }
            }
        }
        let top = |m: &BTreeMap<String, usize>| {
            m.iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| s.clone())
        };
        k.required.insert("required".into());
        k.optional.insert("optional".into());
        if let Some(r) = top(&req) {
            k.required.insert(r);
        }
        opt.retain(|s, _| !k.required.contains(s));
        if let Some(o) = top(&opt) {
            k.optional.insert(o);
        }
        k
    }

    /// The header a table row names (as spelled in code blocks), if known.
    pub fn resolve_header(&self, row_text: &str) -> Option<String> {
        let l = row_text.trim().to_lowercase();
        self.header_names
            .get(&l)
            .cloned()
            .or_else(|| self.header_translations.get(&l).cloned())
    }

    /// The header a table row names: its name cell when a code block (or the standard list)
    /// spells it, else the learned translation of the cell, else a structural rule on the
    /// description ([`structural_header`]). `None`: no language-independent source names it.
    pub(crate) fn resolve_row(&self, row_text: &str, description: &str) -> Option<String> {
        self.resolve_header(row_text)
            .or_else(|| structural_header(description).map(str::to_string))
    }

    /// `Some(true)` required, `Some(false)` optional, `None` no marker.
    pub fn requiredness(&self, description: &str) -> Option<bool> {
        let c = marker_candidates(description);
        if c.iter().any(|s| self.required.contains(s)) {
            Some(true)
        } else if c.iter().any(|s| self.optional.contains(s)) {
            Some(false)
        } else {
            None
        }
    }
}

/// A table row, seen against one ordered list of candidate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// The row's name is known and is the candidate at this index.
    Anchor(usize),
    /// The row's name is unknown (a translated word).
    Unknown,
    /// The row's name is known and not in the list.
    Other,
}

/// Pair unknown rows with candidates by order. Tables often list their names in the order of a
/// language-independent list (the CSDL's declaration order, or the example JSON's keys), and a
/// translation keeps the rows' order: the rows whose names are known (anchors) must appear in
/// the list's order, else nothing is paired. A run of k unknown rows between two consecutive
/// anchors takes the k free candidates between them, in order, when there are exactly k (the
/// anchors confirm the order; a gap whose counts differ is ambiguous and left alone). At the
/// start or end of the table (one side unbounded) the order must be confirmed by at least two
/// anchors, and only a single unknown row is paired there unless `runs_at_ends` (a run there is
/// bounded by no evidence when the list is a sorted or declaration order while the table puts
/// `name` first; the page's own JSON representation, written with the table, is not). A table without anchors is never aligned, even when its rows and the list have the
/// same length: tables do not always follow the list (`name` first, then the rest sorted), and
/// nothing would show it. Every pair must be `compatible`, else the gap is left alone. Returns
/// (row index, candidate index) pairs.
pub(crate) fn align_by_order(
    rows: &[RowState],
    free: &[bool],
    compatible: impl Fn(usize, usize) -> bool,
    runs_at_ends: bool,
    without_anchors: bool,
) -> Vec<(usize, usize)> {
    let anchors: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(r, s)| match s {
            RowState::Anchor(c) => Some((r, *c)),
            _ => None,
        })
        .collect();
    if anchors.windows(2).any(|w| w[0].1 >= w[1].1) {
        return Vec::new();
    }
    if anchors.is_empty() {
        let n = free.iter().filter(|f| **f).count();
        let all_unknown = rows.iter().all(|r| *r == RowState::Unknown);
        if !without_anchors || !all_unknown || n != rows.len() {
            return Vec::new();
        }
        let pairs: Vec<(usize, usize)> = (0..rows.len())
            .zip((0..free.len()).filter(|&c| free.get(c).copied().unwrap_or(false)))
            .collect();
        return if pairs.iter().all(|&(r, c)| compatible(r, c)) {
            pairs
        } else {
            Vec::new()
        };
    }
    // gaps: (first row, end row, first candidate, end candidate), ends exclusive
    let mut gaps = Vec::new();
    let mut prev = (0usize, 0usize);
    for &(r, c) in &anchors {
        gaps.push((prev.0, r, prev.1, c));
        prev = (r + 1, c + 1);
    }
    gaps.push((prev.0, rows.len(), prev.1, free.len()));
    let mut out = Vec::new();
    for (r0, r1, c0, c1) in gaps {
        let gap_rows = rows.get(r0..r1).unwrap_or(&[]);
        if gap_rows.contains(&RowState::Other) {
            continue;
        }
        let unknown: Vec<usize> = (r0..r1).collect();
        let cands: Vec<usize> = (c0..c1)
            .filter(|&c| free.get(c).copied().unwrap_or(false))
            .collect();
        let bounded = r0 > 0 && r1 < rows.len();
        if unknown.is_empty()
            || unknown.len() != cands.len()
            || (!bounded && (anchors.len() < 2 || (unknown.len() > 1 && !runs_at_ends)))
        {
            continue;
        }
        let pairs: Vec<(usize, usize)> = unknown.into_iter().zip(cands).collect();
        if pairs.iter().all(|&(r, c)| compatible(r, c)) {
            out.extend(pairs);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: &str, d: &str) -> (String, String) {
        (n.into(), d.into())
    }

    #[test]
    fn learns_translations_and_markers() {
        let pages = vec![
            HeaderRowsOfPage {
                rows: vec![
                    row("Authorization", "Bearer {token}. Pflicht."),
                    row("Sitzungskennung", "Die Sitzung zum Beenden"),
                ],
                block_headers: vec!["workbook-session-id".into()],
            },
            HeaderRowsOfPage {
                rows: vec![
                    row("Authorization", "Bearer {token}. Pflicht."),
                    row("Sitzungskennung", "Bestimmt etwas. Freiwillig."),
                ],
                block_headers: vec![],
            },
            HeaderRowsOfPage {
                rows: vec![
                    row("Authorization", "Bearer {token}. Pflicht."),
                    row("Sitzungskennung", "Etwas anderes. Freiwillig."),
                ],
                block_headers: vec![],
            },
        ];
        let k = Knowledge::learn(&pages, &[]);
        assert_eq!(
            k.resolve_header("sitzungskennung").as_deref(),
            Some("workbook-session-id")
        );
        assert_eq!(k.requiredness("Bearer {token}. Pflicht."), Some(true));
        assert_eq!(k.requiredness("Freiwillig. Etwas."), Some(false));
        assert_eq!(k.requiredness("Nichts"), None);
        assert_eq!(
            canonical_header("workbook-session-id"),
            "Workbook-Session-Id"
        );
        assert_eq!(canonical_header("Content-type"), "Content-Type");
    }

    #[test]
    fn structural_rules_and_negated_markers() {
        // every name cell translated: `{token}` names Authorization, and closeSession's block
        // teaches the session header
        let pages = vec![
            HeaderRowsOfPage {
                rows: vec![
                    row("Zuvlo", "Bearer {token}. Obli."),
                    row("Sessa", "Nu kamo"),
                ],
                block_headers: vec!["workbook-session-id".into()],
            },
            HeaderRowsOfPage {
                rows: vec![
                    row("Zuvlo", "Bearer {token}. Obli."),
                    row("Sessa", "Kamo. Nik obli."),
                    row("Tipo", "application/json. Obli."),
                ],
                block_headers: vec![],
            },
        ];
        let k = Knowledge::learn(&pages, &[]);
        assert_eq!(
            k.resolve_row("Zuvlo", "Bearer {token}.").as_deref(),
            Some("Authorization")
        );
        assert_eq!(
            k.resolve_row("Sessa", "").as_deref(),
            Some("workbook-session-id")
        );
        assert_eq!(
            k.resolve_row("Tipo", "application/json. Obli.").as_deref(),
            Some("Content-Type")
        );
        assert_eq!(k.resolve_row("Andere", "Etwas."), None);
        // the optional marker contains the required one: whole sentences decide
        assert_eq!(k.requiredness("Kamo. Obli."), Some(true));
        assert_eq!(k.requiredness("Kamo. Nik obli."), Some(false));
        assert_eq!(k.requiredness("Kamo obli zu."), None);
    }

    #[test]
    fn order_alignment() {
        use RowState::*;
        let all = |_, _| true;
        // cands a b c d e; rows: a ? c ? e  -> ?=b, ?=d
        let rows = [Anchor(0), Unknown, Anchor(2), Unknown, Anchor(4)];
        let free = [false, true, false, true, false];
        assert_eq!(
            align_by_order(&rows, &free, all, false, false),
            [(1, 1), (3, 3)]
        );
        // anchors out of order: nothing
        let rows = [Anchor(2), Unknown, Anchor(0)];
        assert!(align_by_order(&rows, &[false, true, false], all, false, false).is_empty());
        // two unknown rows between anchors take the two candidates between them, in order
        let rows = [Anchor(0), Unknown, Unknown, Anchor(3)];
        let free = [false, true, true, false];
        assert_eq!(
            align_by_order(&rows, &free, all, false, false),
            [(1, 1), (2, 2)]
        );
        // at an end, two anchors confirm the order; one does not
        let rows = [Unknown, Anchor(1), Anchor(2)];
        assert_eq!(
            align_by_order(&rows, &[true, false, false], all, false, false),
            [(0, 0)]
        );
        let rows = [Unknown, Anchor(1)];
        assert!(align_by_order(&rows, &[true, false], all, false, false).is_empty());
        // a run at an end: left alone, unless the list is the page's own order
        let rows = [Unknown, Unknown, Anchor(2), Anchor(3)];
        let free = [true, true, false, false];
        assert!(align_by_order(&rows, &free, all, false, false).is_empty());
        assert_eq!(
            align_by_order(&rows, &free, all, true, false),
            [(0, 0), (1, 1)]
        );
        // ... still with two anchors
        let rows = [Unknown, Unknown, Anchor(2)];
        assert!(align_by_order(&rows, &[true, true, false], all, true, false).is_empty());
        // no anchor, even with as many candidates as rows: nothing, unless the caller has two
        // sources agreeing on the order
        let rows = [Unknown, Unknown];
        assert!(align_by_order(&rows, &[true, true], all, true, false).is_empty());
        assert_eq!(
            align_by_order(&rows, &[true, true], all, true, true),
            [(0, 0), (1, 1)]
        );
        assert!(align_by_order(&rows, &[true, true, true], all, true, true).is_empty());
        // counts differ in a gap: that gap is left alone
        let rows = [Anchor(0), Unknown, Anchor(3)];
        assert!(align_by_order(&rows, &[false, true, true, false], all, false, false).is_empty());
        // no anchor and more candidates than rows: nothing
        assert!(align_by_order(&[Unknown], &[true, true], all, false, false).is_empty());
        // incompatible pair: gap left alone
        let rows = [Anchor(0), Unknown, Anchor(2)];
        let free = [false, true, false];
        assert!(align_by_order(&rows, &free, |_, _| false, false, false).is_empty());
        // another row in the gap: left alone
        let rows = [Anchor(0), Other, Unknown, Anchor(3)];
        assert!(align_by_order(&rows, &[false, true, true, false], all, false, false).is_empty());
    }

    #[test]
    fn sentence_split() {
        assert_eq!(
            sentences("Bearer {token}. Required."),
            ["bearer {token}", "required"]
        );
        assert_eq!(sentences("确定 ID。可选。"), ["确定 id", "可选"]);
        assert_eq!(sentences("Uses Files.Read now"), ["uses files.read now"]);
    }
}
