//! Issue 10's proof that extraction does not depend on the language of the docs: every
//! pseudo-language of `common::pseudo_locale` rewrites the WHOLE en-2021 snapshot the way a
//! translator would (headings, prose, table headers, markers, type words, and in some languages
//! header, parameter and property names), and its spec is compared with en-2021's, field by
//! field, line numbers included (a translation keeps the lines). Every difference must be one of
//! the classes [`explain`] names (each checked against the CSDL or the translated run's
//! diagnostics); anything else, in particular a name the translated spec has and en-2021's has
//! not (a translated word sent as a wire name), fails the test.
#![cfg(feature = "extract")]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::{extract_pages, Extraction};
use graph_workbook_codegen::spec::Spec;

use common::pseudo_locale::{PseudoLanguage, LANGUAGES};
use common::{
    csdl, diff_specs, docs_dir, load_pages, render_diffs, DiffOptions, Difference, ItemKind,
};

/// Why a difference between en-2021 and a pseudo-locale does not show a dependence on the
/// language, or `None` (unexplained: the test fails).
///
/// - `contradicted type`: en-2021's English type word contradicts the CSDL (`number` for an
///   `Edm.Int32` parameter) and the word appears nowhere the CSDL agrees with it, so its
///   translation cannot be learned; the translated spec has the CSDL's type (the wire truth).
/// - `left out`: (languages that translate names) a row whose name is a translated word and that
///   no language-independent source names is left out, with a diagnostic on its page; the
///   translated spec lacks what en-2021 read from the row.
/// - `consequence`: a path of an operation that lost a body parameter that way (a function's
///   arguments then come from the CSDL).
fn explain(
    d: &Difference,
    en: &Spec,
    got: &Extraction,
    c: &Csdl,
    lang: &PseudoLanguage,
    lost: &BTreeSet<(String, String)>,
) -> Option<&'static str> {
    let vs = en.versions.get(&d.version)?;
    let (page, binding) = match d.kind {
        ItemKind::Operation => {
            let op = vs.operations.get(&d.id)?;
            let b = &op.binding.type_;
            let binding = if op.binding.collection {
                format!("Collection({b})")
            } else {
                b.clone()
            };
            (op.source.page.clone(), binding)
        }
        ItemKind::Type => (vs.types.get(&d.id)?.source.page.clone(), d.id.clone()),
        ItemKind::Functions => return None,
    };
    let name = |prefix: &str| {
        d.field
            .strip_prefix(prefix)
            .and_then(|r| r.split_once(']'))
            .map(|(n, rest)| (n.to_string(), rest.to_string()))
    };
    let member = name("body.params[")
        .or_else(|| name("documented.body.params["))
        .or_else(|| name("properties["));
    if let Some((n, rest)) = &member {
        if rest == ".type" {
            let prop_ok = c
                .property(&binding, n)
                .map(|p| serde_json::to_string(&p.type_ref()).unwrap_or_default())
                .is_some_and(|t| t == d.right);
            let param_ok = c
                .operations_bound_to(&binding)
                .into_iter()
                .flat_map(|o| o.params.iter())
                .any(|p| {
                    &p.name == n
                        && serde_json::to_string(&p.type_ref()).unwrap_or_default() == d.right
                });
            if prop_ok || param_ok {
                return Some("contradicted type");
            }
        }
    }
    if !lang.translate_names {
        return None;
    }
    let reported = || {
        got.diagnostics.iter().any(|g| {
            g.file == page && (g.message.contains("left out") || g.message.contains("dropped"))
        })
    };
    if d.right == "<absent>" && member.is_some() && reported() {
        return Some("left out");
    }
    if d.field.starts_with("paths[") && lost.contains(&(d.version.clone(), d.id.clone())) {
        return Some("consequence");
    }
    None
}

#[test]
fn pseudo_locales_of_en_2021_differ_from_it_only_in_explained_ways() {
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
        // operations that lost a body parameter (first pass), for the `consequence` class
        let lost: BTreeSet<(String, String)> = diffs
            .iter()
            .filter(|d| d.field.starts_with("body.params[") && d.right == "<absent>")
            .map(|d| (d.version.clone(), d.id.clone()))
            .collect();
        let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
        let mut unexplained = Vec::new();
        for d in diffs {
            match explain(&d, &english.spec, &got, c, lang, &lost) {
                Some(class) => *classes.entry(class).or_default() += 1,
                None => unexplained.push(d),
            }
        }
        eprintln!(
            "pseudo-locale `{}`: {} diagnostics (en-2021: {}), explained differences {classes:?}",
            lang.name,
            got.diagnostics.len(),
            english.diagnostics.len()
        );
        if !unexplained.is_empty() {
            failures.push(format!(
                "pseudo-locale `{}` (left en-2021, right translated): {} unexplained differences:\n{}",
                lang.name,
                unexplained.len(),
                render_diffs(&unexplained, 60)
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
    let other: &PseudoLanguage = &LANGUAGES[0];
    assert_ne!(other.word("required"), req);
}
