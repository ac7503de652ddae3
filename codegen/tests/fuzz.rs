//! Property test: `extract_pages` never panics, whatever the page bytes.
//!
//! Seeded and deterministic (a small xorshift RNG): each case takes one or two pages (our own
//! fixtures below, plus a sample of the shared corpus when it is present), applies 1-3 random
//! mutations (truncation, shuffled lines, removed fences, random bytes, invalid UTF-8, tables
//! with missing cells, huge lines, deep nesting, ...) and extracts them, with and without the
//! CSDL. A panic is caught and reported with its seed, case and mutations, so it can be replayed
//! with `FUZZ_SEED=<seed> FUZZ_CASES=1 cargo test -p graph-workbook-codegen --test fuzz`.
//!
//! Besides "no panic", every case checks two properties that can fail:
//! - diagnostics only name the pages that were given;
//! - a page that is not valid UTF-8 gets a diagnostic (it is decoded lossily, never silently).
#![cfg(feature = "extract")]

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::extract_pages;
use graph_workbook_codegen::extract::metadata_ops::CSDL_SOURCE;

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Our own API page in the docs' format (facts only, invented wording).
const FIXTURE_API: &str = r#"---
title: "range: frobnicate"
ms.prod: "excel"
---

# range: frobnicate

Frobnicates a range.

## Permissions

|Permission type      | Permissions (from least to most privileged)              |
|:---|:---|
|Delegated (work or school account) | Files.ReadWrite    |
|Delegated (personal Microsoft account) | Not supported.    |
|Application | Not supported. |

## HTTP request
<!-- { "blockType": "ignored" } -->
```http
POST /me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='<address>')/insert
POST /me/drive/root:/{item-path}:/workbook/tables/{name}/columns/{id|name}/range/insert
POST /me/drive/items/{id}/workbook/worksheets/{id}/charts/{name}/image(width={width},height={height})
workbook-session-id: {session-id}

```

## Request headers
| Name       | Description|
|:-----------|:-----------|
| Authorization  | Bearer {token}. Required. |
| Workbook-Session-Id  | Session id. Optional. | | Prefer | respond-async. Optional. |

## Request body

| Parameter | Type | Description |
|:----------|:-----|:------------|
|shift|string|Where to go. Possible values: `Down`, `Right`.|
|values|(boolean or string or number) collection|Optional. Cells.|
|sortFields|[WorkbookSortField](../resources/sortfield.md) collection|Fields, `a|b` inside.|

## Response

If successful, this method returns `200 OK` response code and a [Range](../resources/range.md) object.

## Example
##### Request
<!-- { "blockType": "request", "name": "range_frob" } -->
```http
POST https://graph.microsoft.com/v1.0/me/drive/items/{id}/workbook/worksheets/Sheet1/range(address='A1:B2')/insert
Content-type: application/json

{ "shift": "Down", "values": [[1, "a", true]] }
```
##### Response
<!-- { "blockType": "response", "truncated": true, "@odata.type": "microsoft.graph.workbookRange" } -->
```http
HTTP/1.1 200 OK
Content-type: application/json

{ "address": "address-value", "cellCount": 99 }
```
"#;

/// Our own bilingual (de-DE sxs style) resource page.
const FIXTURE_RESOURCE: &str = r#"---
title: "workbookRange resource type"
---

# <a name="range-resource-type"></a><span data-ttu-id="abcde-101">Bereich</span><span class="sxs-lookup"><span data-stu-id="abcde-101">Range</span></span>

## <a name="properties"></a><span data-ttu-id="abcde-102">Eigenschaften</span><span class="sxs-lookup"><span data-stu-id="abcde-102">Properties</span></span>
| <span data-ttu-id="abcde-103">Eigenschaft</span><span class="sxs-lookup"><span data-stu-id="abcde-103">Property</span></span> | Type | Description |
|:---|:---|:---|
|address|string|<span data-ttu-id="abcde-104">Adresse. Schreibgeschützt.</span><span class="sxs-lookup"><span data-stu-id="abcde-104">Address. Read-only.</span></span>|
|cellCount|int|Count.|
|valueTypes|Json|Types: `Unknown`, `Empty`, `String`.|

## <a name="relationships"></a>Relationships
| Relationship | Type | Description |
|:---|:---|:---|
|format|[WorkbookRangeFormat](rangeformat.md)|Format.|

## <a name="json-representation"></a>JSON representation
<!-- { "blockType": "resource", "optionalProperties": [], "@odata.type": "microsoft.graph.workbookRange" } -->
```json
{
  "address": "string",
  "cellCount": 1024,
  "valueTypes": "json",
}
```
"#;

const HOSTILE: &[&[u8]] = &[
    b"```",
    b"```http\n",
    b"<!--",
    b"-->",
    b"<!-- { \"blockType\": \"response\", \"@odata.type\": ",
    b"|",
    b"||||",
    b"`",
    b"(",
    b")",
    b"{",
    b"}",
    b"<",
    b"'",
    b"/workbook",
    b"POST /workbook/",
    b"GET ",
    b"\n## Request body\n",
    b"\n## HTTP request\n",
    b"\n# [HTTP](#tab/http)\n",
    b"<span data-ttu-id=\"x\">",
    b"</span>",
    b"<span class=\"sxs-lookup\"><span data-stu-id=\"x\">",
    b"[x](../resources/",
    b"\r",
    b"\t",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xC3",
    b"\xE2\x82",
    b"\xF0\x9F\x98\x80",
    "必需。可选。".as_bytes(),
];

fn lines_of(b: &[u8]) -> Vec<Vec<u8>> {
    b.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect()
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

/// Apply one random mutation; returns its description.
fn mutate(page: &mut Vec<u8>, rng: &mut Rng) -> String {
    match rng.below(14) {
        0 => {
            let at = rng.below(page.len() + 1);
            page.truncate(at);
            format!("truncate at {at}")
        }
        1 => {
            let mut lines = lines_of(page);
            let n = lines.len();
            // Fisher-Yates over a window (or everything)
            let (start, len) = if rng.chance(30) {
                (0, n)
            } else {
                let s = rng.below(n);
                (s, 1 + rng.below((n - s).min(20)))
            };
            for i in (1..len).rev() {
                let j = rng.below(i + 1);
                lines.swap(start + i, start + j);
            }
            *page = join(&lines);
            format!("shuffle lines {start}..{}", start + len)
        }
        2 => {
            let mut lines = lines_of(page);
            let all = rng.chance(50);
            lines
                .retain(|l| !(l.trim_ascii_start().starts_with(b"```") && (all || rng.chance(50))));
            *page = join(&lines);
            format!("remove fences (all: {all})")
        }
        3 => {
            let k = 1 + rng.below(20);
            for _ in 0..k {
                let at = rng.below(page.len() + 1);
                let b = (rng.next() & 0xFF) as u8;
                page.insert(at, b);
            }
            format!("insert {k} random bytes")
        }
        4 => {
            let k = 1 + rng.below(10);
            for _ in 0..k {
                let at = rng.below(page.len() + 1);
                let frag = HOSTILE[rng.below(HOSTILE.len())];
                page.splice(at..at, frag.iter().copied());
            }
            format!("insert {k} hostile fragments")
        }
        5 => {
            let at = rng.below(page.len() + 1);
            let bad: &[u8] = [
                &b"\xFF"[..],
                b"\xC0\xAF",
                b"\xED\xA0\x80",
                b"\x80\x80",
                b"\xF8",
            ][rng.below(5)];
            page.splice(at..at, bad.iter().copied());
            format!("invalid UTF-8 at {at}")
        }
        6 => {
            let mut lines = lines_of(page);
            let mut n = 0;
            for l in lines.iter_mut().filter(|l| l.starts_with(b"|")) {
                if rng.chance(50) {
                    let cells: Vec<&[u8]> = l.split(|c| *c == b'|').collect();
                    let keep: Vec<&[u8]> =
                        cells.iter().copied().filter(|_| !rng.chance(30)).collect();
                    *l = keep.join(&b'|');
                    n += 1;
                }
            }
            *page = join(&lines);
            format!("drop table cells in {n} rows")
        }
        7 => {
            // a huge line of one character with a sprinkling of hostile fragments
            let len = 1 + rng.below(200_000);
            let unit = HOSTILE[rng.below(HOSTILE.len())];
            let filler = [b'a', b' ', b'|', b'`', b'(', b'{', b'-'][rng.below(7)];
            let mut line: Vec<u8> = Vec::with_capacity(len + unit.len());
            while line.len() < len {
                if rng.chance(1) {
                    line.extend_from_slice(unit);
                } else {
                    line.push(filler);
                }
            }
            let mut lines = lines_of(page);
            let at = rng.below(lines.len() + 1);
            lines.insert(at, line);
            *page = join(&lines);
            format!(
                "huge line ({len} bytes of {:?} with {:?}) at line {at}",
                filler as char,
                String::from_utf8_lossy(unit)
            )
        }
        8 => {
            let depth = 1 + rng.below(5_000);
            let unit: &[u8] = [&b">"[..], b"[", b"*", b"- ", b"(", b"{", b"<!--"][rng.below(7)];
            let at = rng.below(page.len() + 1);
            let frag: Vec<u8> = unit.repeat(depth);
            page.splice(at..at, frag);
            format!("deep nesting x{depth}")
        }
        9 => {
            let mut lines = lines_of(page);
            let k = 1 + rng.below(lines.len().max(1));
            for _ in 0..k.min(lines.len()) {
                let at = rng.below(lines.len());
                lines.remove(at);
            }
            *page = join(&lines);
            format!("delete {k} lines")
        }
        10 => {
            let mut lines = lines_of(page);
            if lines.is_empty() {
                return "duplicate (empty)".into();
            }
            let at = rng.below(lines.len());
            let times = 1 + rng.below(200);
            let l = lines[at].clone();
            for _ in 0..times {
                lines.insert(at, l.clone());
            }
            *page = join(&lines);
            format!("duplicate line {at} x{times}")
        }
        11 => {
            // swap structural characters
            let k = 1 + rng.below(30);
            let pairs: [(u8, u8); 6] = [
                (b')', b'('),
                (b'}', b'{'),
                (b'/', b' '),
                (b'|', b' '),
                (b'\n', b' '),
                (b'`', b'|'),
            ];
            let (from, to) = pairs[rng.below(pairs.len())];
            let idx: Vec<usize> = page
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == from)
                .map(|(i, _)| i)
                .collect();
            for _ in 0..k.min(idx.len()) {
                page[idx[rng.below(idx.len())]] = to;
            }
            format!("replace {k}x {:?} -> {:?}", from as char, to as char)
        }
        12 => {
            // CRLF / CR line endings
            let cr_only = rng.chance(30);
            let mut out = Vec::with_capacity(page.len() * 2);
            for &c in page.iter() {
                if c == b'\n' {
                    if cr_only {
                        out.push(b'\r');
                    } else {
                        out.extend_from_slice(b"\r\n");
                    }
                } else {
                    out.push(c);
                }
            }
            *page = out;
            format!("line endings (CR only: {cr_only})")
        }
        _ => {
            // splice a chunk of the page into another place
            if page.is_empty() {
                return "splice (empty)".into();
            }
            let a = rng.below(page.len());
            let b = a + rng.below((page.len() - a).min(2_000));
            let chunk = page[a..b].to_vec();
            let at = rng.below(page.len() + 1);
            page.splice(at..at, chunk);
            format!("splice {a}..{b} to {at}")
        }
    }
}

/// Base pages: our fixtures, plus every 10th corpus page of each snapshot when present.
fn base_pages() -> (Vec<(String, Vec<u8>)>, Option<&'static Csdl>) {
    let mut pages = vec![
        (
            "api-reference/v1.0/api/range-frobnicate.md".to_string(),
            FIXTURE_API.as_bytes().to_vec(),
        ),
        (
            "api-reference/v1.0/resources/range.md".to_string(),
            FIXTURE_RESOURCE.as_bytes().to_vec(),
        ),
    ];
    let mut csdl = None;
    if let Some(docs) = common::docs_dir() {
        csdl = common::csdl(&docs);
        for snap in common::SNAPSHOTS {
            let all = common::load_pages(&docs.join(snap));
            pages.extend(all.into_iter().step_by(10));
        }
        let seed = std::fs::read(docs.join("seed/workbook-closesession.beta.de-DE.md"))
            .expect("seed page");
        pages.push((
            "api-reference/beta/api/workbook-closesession.md".into(),
            seed,
        ));
    }
    (pages, csdl)
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Run `cases` cases starting at `first_seed`; returns failure reports.
fn run(first_seed: u64, cases: u64) -> Vec<String> {
    let (base, csdl) = base_pages();
    let mut failures = Vec::new();
    for seed in first_seed..first_seed + cases {
        let mut rng = Rng::new(seed);
        // one page, or an API page with a resource page (so links are followed)
        let n = if rng.chance(25) { 2 } else { 1 };
        let mut input: Vec<(String, Vec<u8>)> = Vec::new();
        let mut log = Vec::new();
        for _ in 0..n {
            let (path, bytes) = &base[rng.below(base.len())];
            let mut page = bytes.clone();
            let k = 1 + rng.below(3);
            for _ in 0..k {
                log.push(format!("{path}: {}", mutate(&mut page, &mut rng)));
            }
            input.push((path.clone(), page));
        }
        let use_csdl = csdl.filter(|_| rng.chance(50));
        let started = std::time::Instant::now();
        let res = catch_unwind(AssertUnwindSafe(|| extract_pages(&input, use_csdl)));
        let took = started.elapsed();
        if took > std::time::Duration::from_millis(250) {
            eprintln!(
                "slow case: {} ms, seed {seed}: {}",
                took.as_millis(),
                log.join("; ")
            );
        }
        let what = || {
            format!(
                "seed {seed} (csdl: {}): {}",
                use_csdl.is_some(),
                log.join("; ")
            )
        };
        match res {
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("PANIC `{msg}` at {}", what()));
            }
            Ok(ex) => {
                for d in &ex.diagnostics {
                    // The operations from the metadata name the CSDL, also given.
                    if !input.iter().any(|(p, _)| *p == d.file) && d.file != CSDL_SOURCE {
                        failures.push(format!(
                            "diagnostic names a page that was not given: `{d}` at {}",
                            what()
                        ));
                    }
                }
                for (p, b) in &input {
                    if std::str::from_utf8(b).is_err()
                        && !ex.diagnostics.iter().any(|d| d.file == *p)
                    {
                        failures.push(format!(
                            "{p} is not valid UTF-8 but got no diagnostic at {}",
                            what()
                        ));
                    }
                }
                // the spec still serializes
                let _ = ex.spec.files();
            }
        }
    }
    failures
}

fn check(first_seed: u64, cases: u64) {
    let first_seed = env_u64("FUZZ_SEED").unwrap_or(first_seed);
    let cases = env_u64("FUZZ_CASES").unwrap_or(cases);
    let failures = run(first_seed, cases);
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed (seeds {first_seed}..{}):\n{}",
        failures.len(),
        first_seed + cases,
        failures
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// Four shards so the test harness runs them in parallel.
#[test]
fn mutated_pages_never_panic_shard_0() {
    check(0, 500);
}
#[test]
fn mutated_pages_never_panic_shard_1() {
    check(10_000, 500);
}
#[test]
fn mutated_pages_never_panic_shard_2() {
    check(20_000, 500);
}
#[test]
fn mutated_pages_never_panic_shard_3() {
    check(30_000, 500);
}

/// Degenerate inputs, one by one.
#[test]
fn degenerate_inputs_never_panic() {
    let paths = [
        "api-reference/v1.0/api/x.md",
        "api-reference/beta/resources/x.md",
        "api-reference/v1.0/x.md",
        "api-reference/x.md",
        "x.md",
        "",
        "api-reference/v1.0/api/",
        "api-reference/v1.0/api/X.MD",
        "..\\api-reference\\v1.0\\api\\x.md",
    ];
    let bodies: [&[u8]; 8] = [
        b"",
        b"\n",
        b"```http\nPOST /workbook\n```\n",
        b"```http\nPOST /me/drive/items/{id}/workbook/(((((\n```\n",
        b"```http\nGET /workbook/worksheets/{id}/range(address='\n",
        b"\xFF\xFE\xFD",
        b"---\n---\n",
        b"| a | b |\n|---|\n|",
    ];
    for p in paths {
        for b in bodies {
            let input = vec![(p.to_string(), b.to_vec())];
            let r = catch_unwind(AssertUnwindSafe(|| extract_pages(&input, None)));
            assert!(r.is_ok(), "panic on path {p:?} with body {b:?}");
        }
    }
    // the same page twice, and no pages at all
    let twice = vec![
        (
            "api-reference/v1.0/api/x.md".to_string(),
            FIXTURE_API.as_bytes().to_vec(),
        ),
        ("api-reference/v1.0/api/x.md".to_string(), b"junk".to_vec()),
    ];
    assert!(catch_unwind(AssertUnwindSafe(|| extract_pages(&twice, None))).is_ok());
    let ex = extract_pages(&[], None);
    assert!(ex.spec.versions.is_empty());
}
