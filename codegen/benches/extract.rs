//! Extraction speed over the four shared snapshots (issue 2: target >= 5,000 pages/s in release
//! on the 2-core machine). Run with `cargo bench -p graph-workbook-codegen --bench extract`.
//!
//! Prints, as medians of several runs:
//! - `bench: csdl_parse_ms N ms` (the metadata file, once per extraction);
//! - `bench: extract_all_snapshots_ms N ms` and `bench: extract_pages_per_second N pages/s`
//!   (pages = the pages the extractor used: API pages plus the resource pages reached);
//! - `bench: extract_vs_markdown_parse_ratio R` against a baseline measured in the same run:
//!   pulldown-cmark alone parsing the same files (the floor any extractor pays);
//! - `bench: pathological_span_scaling R`: time for a page with 2N unmatched bilingual span
//!   openings over the time for N (about 2 when linear).
//!
//! The pages are read into memory first; file I/O is not measured.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::extract_pages;

/// A snapshot's name and its pages (path, bytes).
type Snapshot = (&'static str, Vec<(String, Vec<u8>)>);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special: run a
    // single quick iteration then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick { 1 } else { 9 };

    let Some(docs) = common::docs_dir() else {
        return;
    };
    let csdl_xml = std::fs::read_to_string(common::csdl_path(&docs)).expect("CSDL file");
    let snapshots: Vec<Snapshot> = common::SNAPSHOTS
        .iter()
        .map(|s| (*s, common::load_pages(&docs.join(s))))
        .collect();
    let files: usize = snapshots.iter().map(|(_, p)| p.len()).sum();
    let bytes: usize = snapshots
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, b)| b.len()))
        .sum();

    // CSDL parse
    let mut csdl_times = Vec::new();
    let mut csdl: Option<Csdl> = None;
    for _ in 0..runs {
        let (d, c) = time(|| Csdl::parse(&csdl_xml).expect("CSDL parses"));
        csdl_times.push(d);
        csdl = Some(c);
    }
    let csdl = csdl.expect("parsed");

    // warm-up, and the page count
    let pages: usize = snapshots
        .iter()
        .map(|(_, p)| extract_pages(p, Some(&csdl)).pages)
        .sum();

    // extraction of all four snapshots
    let mut all = Vec::new();
    for _ in 0..runs {
        let (d, n) = time(|| {
            snapshots
                .iter()
                .map(|(_, p)| extract_pages(p, Some(&csdl)).pages)
                .sum::<usize>()
        });
        assert_eq!(n, pages, "extraction is not deterministic");
        all.push(d);
    }
    let all = median(all);

    // baseline: pulldown-cmark alone over the same files (tables on, events drained)
    let mut base = Vec::new();
    for _ in 0..runs {
        let (d, _) = time(|| {
            let mut events = 0usize;
            for (_, p) in &snapshots {
                for (_, b) in p {
                    let text = String::from_utf8_lossy(b);
                    events += pulldown_cmark::Parser::new_ext(
                        &text,
                        pulldown_cmark::Options::ENABLE_TABLES,
                    )
                    .count();
                }
            }
            events
        });
        base.push(d);
    }
    let base = median(base);

    // pathological input: unmatched `<span data-ttu-id="` openings on one line
    let span_page = |n: usize| {
        let mut s = String::from(
            "# t\n\n## HTTP request\n```http\nGET /me/drive/items/{id}/workbook/x\n```\n\n",
        );
        for _ in 0..n {
            s.push_str("<span data-ttu-id=\"x\">a");
        }
        s.push('\n');
        vec![("api-reference/v1.0/api/x.md".to_string(), s.into_bytes())]
    };
    let n = if quick { 500 } else { 2_000 };
    let (small, large) = (span_page(n), span_page(2 * n));
    let t_small = median(
        (0..runs.min(3))
            .map(|_| time(|| extract_pages(&small, None)).0)
            .collect(),
    );
    let t_large = median(
        (0..runs.min(3))
            .map(|_| time(|| extract_pages(&large, None)).0)
            .collect(),
    );

    let per_sec = pages as f64 / all.as_secs_f64().max(1e-9);
    println!(
        "bench: input {} snapshots, {files} files, {:.1} MiB; {runs} runs, medians{}",
        snapshots.len(),
        bytes as f64 / (1024.0 * 1024.0),
        if quick {
            " (quick mode: run `cargo bench` for real figures)"
        } else {
            ""
        }
    );
    println!("bench: csdl_parse_ms {:.1} ms", ms(median(csdl_times)));
    println!("bench: extract_all_snapshots_ms {:.1} ms", ms(all));
    println!("bench: extract_pages_per_second {per_sec:.0} pages/s ({pages} pages)");
    println!(
        "bench: markdown_parse_baseline_ms {:.1} ms (pulldown-cmark alone, same files)",
        ms(base)
    );
    println!(
        "bench: extract_vs_markdown_parse_ratio {:.1}",
        all.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
    println!(
        "bench: pathological_span_scaling {:.1} ({n} openings: {:.1} ms, {}: {:.1} ms; linear is about 2)",
        t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9),
        ms(t_small),
        2 * n,
        ms(t_large)
    );
    println!(
        "bench: target 5000 pages/s: {}",
        if per_sec >= 5000.0 { "met" } else { "NOT met" }
    );
}
