//! The locale knowledge learned from the German-only side of de-DE-2019 agrees with the English
//! side of the same bilingual pages: every header row resolves to the header its English span
//! names, and the learned Required/Optional markers give the flags the English markers give.

mod common;

use graph_workbook_codegen::extract::api::{header_rows, is_workbook_api, request_block};
use graph_workbook_codegen::extract::locale::{canonical_header, HeaderRowsOfPage, Knowledge};
use graph_workbook_codegen::extract::markdown::{Page, Side};
use graph_workbook_codegen::extract::paths::parse_request_block;

fn learn(pages: &[Page]) -> Knowledge {
    let rows: Vec<HeaderRowsOfPage> = pages
        .iter()
        .map(|p| HeaderRowsOfPage {
            rows: header_rows(p)
                .into_iter()
                .map(|r| (r.name, r.description))
                .collect(),
            block_headers: request_block(p)
                .map(|c| {
                    parse_request_block(&c.text, c.line + 1, "", &mut Vec::new())
                        .headers
                        .into_iter()
                        .map(|h| h.name)
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Knowledge::learn(&rows, &[])
}

#[test]
fn learned_german_matches_the_english_side() {
    let Some(docs) = common::docs_dir() else {
        return;
    };
    let files = common::load_pages(&docs.join("de-DE-2019"));
    let mut local = Vec::new();
    let mut english = Vec::new();
    for (path, bytes) in &files {
        if !path.contains("/api/") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let l = Page::parse(&text, Side::Local);
        if !is_workbook_api(&l) {
            continue;
        }
        local.push(l);
        english.push((path.clone(), Page::parse(&text, Side::English)));
    }
    assert!(local.len() > 300, "{} API pages", local.len());
    let k_de = learn(&local);
    let k_en = learn(&english.iter().map(|e| e.1.clone()).collect::<Vec<_>>());
    assert!(
        !k_de.header_translations.is_empty(),
        "nothing learned: {k_de:?}"
    );
    let mut checked = 0;
    for (l, (path, e)) in local.iter().zip(&english) {
        let (lr, er) = (header_rows(l), header_rows(e));
        assert_eq!(lr.len(), er.len(), "{path}");
        for (l, e) in lr.iter().zip(&er) {
            let (ln, ld, line, en, ed) = (&l.name, &l.description, l.line, &e.name, &e.description);
            let want = k_en.resolve_header(en).map(|h| canonical_header(&h));
            let got = k_de.resolve_header(ln).map(|h| canonical_header(&h));
            assert_eq!(got, want, "{path}:{line}: `{ln}` vs English `{en}`");
            assert_eq!(
                k_de.requiredness(ld),
                k_en.requiredness(ed),
                "{path}:{line}: `{ld}` vs `{ed}`"
            );
            checked += 1;
        }
    }
    assert!(checked > 600, "{checked} rows checked");
}

/// The learned markers agree with the CSDL's nullability on en-2021; inverted markers (every
/// body parameter's flag flipped, as a negated optional marker read as the required one would
/// do) are reported.
#[test]
fn inverted_markers_disagree_with_the_csdl_nullability() {
    let Some(docs) = common::docs_dir() else {
        return;
    };
    let Some(c) = common::csdl(&docs) else { return };
    let ex = graph_workbook_codegen::extract::extract_pages(
        &common::load_pages(&docs.join("en-2021")),
        Some(c),
    );
    assert_eq!(
        graph_workbook_codegen::extract::check_markers_against_nullability(&ex.spec, c),
        None
    );
    let mut flipped = ex.spec.clone();
    for op in flipped
        .versions
        .values_mut()
        .flat_map(|v| v.operations.values_mut())
    {
        let documented = op.documented.as_mut().map(|d| &mut d.body);
        for body in std::iter::once(&mut op.body).chain(documented) {
            if let graph_workbook_codegen::spec::Body::Parameters { params } = body {
                for p in params {
                    p.required = !p.required;
                }
            }
        }
    }
    let d = graph_workbook_codegen::extract::check_markers_against_nullability(&flipped, c)
        .expect("inverted markers reported");
    assert!(d.message.contains("may be inverted"), "{d}");
}
