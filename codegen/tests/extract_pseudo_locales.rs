//! Issue 10's proof that extraction does not depend on the language of the docs: every
//! pseudo-language of `common::pseudo_locale` rewrites the WHOLE en-2021 snapshot the way a
//! translator would (headings, prose, table headers, markers, type words, and in some languages
//! header, parameter and property names), and its spec must be IDENTICAL to en-2021's, field by
//! field, line numbers included (a translation keeps the lines), with no exception.
#![cfg(feature = "extract")]

mod common;

use graph_workbook_codegen::extract::extract_pages;

use common::pseudo_locale::LANGUAGES;
use common::{csdl, diff_specs, docs_dir, load_pages, render_diffs, DiffOptions, Difference};

#[test]
fn pseudo_locales_of_en_2021_give_its_spec() {
    let Some(docs) = docs_dir() else { return };
    let Some(c) = csdl(&docs) else { return };
    let pages = load_pages(&docs.join("en-2021"));
    let english = extract_pages(&pages, Some(c));
    assert!(
        english
            .spec
            .versions
            .values()
            .map(|v| v.operations.len())
            .sum::<usize>()
            > 250,
        "en-2021 gave too few operations to compare"
    );
    let mut failures = Vec::new();
    for lang in LANGUAGES {
        let translated: Vec<(String, Vec<u8>)> = pages
            .iter()
            .map(|(p, b)| (p.clone(), lang.translate_page(b)))
            .collect();
        assert_ne!(translated, pages, "{}: nothing was translated", lang.name);
        let got = extract_pages(&translated, Some(c));
        let diffs = diff_specs(&english.spec, &got.spec, DiffOptions::default());
        if let Some(dir) = std::env::var_os("PSEUDO_LOCALE_DUMP") {
            // for debugging: every difference and every diagnostic of the translated run
            let dir = std::path::Path::new(&dir);
            let diags: Vec<String> = got.diagnostics.iter().map(|d| d.to_string()).collect();
            let _ = std::fs::write(
                dir.join(format!("{}.diffs", lang.name)),
                render_diffs(&diffs, usize::MAX),
            );
            let _ = std::fs::write(dir.join(format!("{}.diags", lang.name)), diags.join("\n"));
        }
        eprintln!(
            "pseudo-locale `{}`: {} diagnostics (en-2021: {}), {} differences",
            lang.name,
            got.diagnostics.len(),
            english.diagnostics.len(),
            diffs.len()
        );
        // a name only the translated spec has would be a translated word sent to Graph
        let invented: Vec<Difference> = diffs
            .iter()
            .filter(|d| d.left == "<absent>")
            .cloned()
            .collect();
        if !invented.is_empty() {
            failures.push(format!(
                "pseudo-locale `{}`: items en-2021 does not have (translated wire names?):\n{}",
                lang.name,
                render_diffs(&invented, 60)
            ));
        }
        if !diffs.is_empty() {
            failures.push(format!(
                "pseudo-locale `{}` (left en-2021, right translated): {} differences:\n{}",
                lang.name,
                diffs.len(),
                render_diffs(&diffs, 60)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The generator really translates what a translator translates and keeps what it keeps.
#[test]
fn pseudo_locale_rewrites_prose_and_keeps_identifiers() {
    let page = "---\ntitle: \"Range: insert\"\n---\n\n# Range: insert\n\n## Request headers\n\n| Name | Description |\n|:--|:--|\n| Authorization | Bearer {token}. Required. |\n| Workbook-Session-Id | Session id. Optional. |\n\n## Request body\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n|shift|string|The way to shift. The values are: `Down`, `Right`. Optional.|\n|fields|[WorkbookSortField](sortfield.md) collection|The fields. Read-only.|\n\n```http\nPOST /me/drive/items/{id}/workbook/range/insert\n```\n\n# [HTTP](#tab/http)\n";
    let all = LANGUAGES
        .iter()
        .find(|l| l.name == "everything")
        .expect("language");
    let out = all.translate(page);
    assert_eq!(out.lines().count(), page.lines().count(), "{out}");
    // kept: front matter, code, link targets, placeholders, backticks, tab headings
    for kept in [
        "title: \"Range: insert\"",
        "POST /me/drive/items/{id}/workbook/range/insert",
        "(sortfield.md)",
        "{token}",
        "`Down`",
        "# [HTTP](#tab/http)",
    ] {
        assert!(out.contains(kept), "`{kept}` lost:\n{out}");
    }
    // translated: headings (with the English anchor), names, markers, type words
    for gone in [
        "Request headers",
        "Authorization",
        "Workbook-Session-Id",
        "Required",
        "Optional",
        "Read-only",
        "|shift|",
        "|string|",
        " collection",
    ] {
        assert!(!out.contains(gone), "`{gone}` not translated:\n{out}");
    }
    assert!(out.contains("<a name=\"request-headers\"></a>"), "{out}");
    // the negated optional marker contains the required one
    let req = all.word("required");
    assert!(out.contains(&format!("{} {req}", all.word("not"))), "{out}");
    // deterministic, and seeds differ
    assert_eq!(all.translate(page), out);
    let other = &LANGUAGES[0];
    assert_ne!(other.word("required"), req);
}
