//! Resource extraction on hand-written fixtures in the docs' format
//! (`fixtures/resources/`, with the small CSDL of `fixtures/csdl/`).
#![cfg(feature = "extract")]

use graph_workbook_codegen::diagnostics::{Diagnostic, Severity};
use graph_workbook_codegen::extract::csdl::Csdl;
use graph_workbook_codegen::extract::markdown::{Page, Side};
use graph_workbook_codegen::extract::resource::{
    extract_resource, extract_resources, learn_read_only_marker, ResourceContext, ResourcePage,
};
use graph_workbook_codegen::spec::{ApiVersion, TypeDef, TypeKind};

const EN: &str = include_str!("fixtures/resources/en-range.md");
const DE: &str = include_str!("fixtures/resources/de-range.md");
const SXS: &str = include_str!("fixtures/resources/sxs-range.md");
const REL: &str = "api-reference/v1.0/resources/range.md";

fn csdl() -> Csdl {
    Csdl::parse(include_str!("fixtures/csdl/small.csdl")).expect("fixture CSDL")
}

fn run(
    text: &str,
    side: Side,
    rel: &str,
    ctx: &ResourceContext,
) -> (Option<TypeDef>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let t = extract_resource(
        &Page::parse(text, side),
        rel,
        ApiVersion::V1_0,
        ctx,
        &mut diags,
    );
    (t, diags)
}

fn german_ctx(c: &Csdl) -> ResourceContext<'_> {
    let mut ctx = ResourceContext::new(Some(c));
    ctx.read_only_markers.push("schreibgeschützt".into());
    ctx
}

#[test]
fn english_page() {
    let c = csdl();
    let (t, diags) = run(EN, Side::Local, REL, &ResourceContext::new(Some(&c)));
    let t = t.expect("a type");
    assert_eq!(
        t.name, "workbookRange",
        "old `microsoft.graph.range` mapped to the CSDL name"
    );
    assert_eq!(t.rust_name, "WorkbookRange");
    assert_eq!(t.kind, TypeKind::Entity);
    assert_eq!(
        t.docs_url,
        "https://learn.microsoft.com/graph/api/resources/range?view=graph-rest-1.0"
    );
    assert_eq!(t.source.page, REL);
    let comment_line = 1 + EN.lines().position(|l| l.starts_with("<!-- {")).unwrap() as u32;
    assert_eq!(t.source.line, comment_line);
    let props: Vec<_> = t
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.type_.to_string(), p.read_only))
        .collect();
    assert_eq!(
        props,
        [
            ("address", "string".to_string(), true),
            ("rowCount", "int32".to_string(), true),
            ("valueTypes", "Json".to_string(), true),
            ("values", "Json".to_string(), false),
        ]
    );
    // Value lists are sorted (locales reorder them).
    assert_eq!(t.properties[2].values, ["Double", "Empty", "String"]);
    let rels: Vec<_> = t
        .relationships
        .iter()
        .map(|r| (r.name.as_str(), r.type_.to_string()))
        .collect();
    assert_eq!(
        rels,
        [
            ("format", "workbookRangeFormat".to_string()),
            ("worksheet", "workbookWorksheet".to_string())
        ]
    );
    // The row nobody knows is reported with its line, not invented.
    let line = 1 + EN
        .lines()
        .position(|l| l.starts_with("|unknownThing"))
        .unwrap() as u32;
    assert!(
        diags.iter().any(|d| d.severity == Severity::Warning
            && d.line == line
            && d.message.contains("unknownThing")),
        "{diags:?}"
    );
}

#[test]
fn german_only_and_bilingual_pages_give_the_english_type() {
    let c = csdl();
    let (en, _) = run(EN, Side::Local, REL, &ResourceContext::new(Some(&c)));
    let ctx = german_ctx(&c);
    let (de, de_diags) = run(DE, Side::Local, REL, &ctx);
    let (sxs_local, _) = run(SXS, Side::Local, REL, &ctx);
    let (sxs_en, _) = run(SXS, Side::English, REL, &ctx);
    let strip = |t: Option<TypeDef>| {
        let mut t = t.expect("a type");
        t.source.line = 0;
        t
    };
    let en = strip(en);
    assert_eq!(strip(de), en);
    assert_eq!(strip(sxs_local), en);
    assert_eq!(strip(sxs_en), en);
    // `Werte` was paired with `values`, `Arbeitsblatt` resolved as `worksheet`: both reported.
    assert!(de_diags
        .iter()
        .any(|d| d.severity == Severity::Repair && d.message.contains("Werte")));
    assert!(de_diags
        .iter()
        .any(|d| d.severity == Severity::Repair && d.message.contains("Arbeitsblatt")));
}

#[test]
fn read_only_needs_the_learned_marker_on_german_pages() {
    let c = csdl();
    let (de, _) = run(DE, Side::Local, REL, &ResourceContext::new(Some(&c)));
    assert!(
        de.unwrap().properties.iter().all(|p| !p.read_only),
        "English marker only"
    );
    // Learning: the marker dominates the property descriptions of a run.
    let pages: Vec<Page> = (0..5).map(|_| Page::parse(DE, Side::Local)).collect();
    assert_eq!(
        learn_read_only_marker(&pages).as_deref(),
        Some("schreibgeschützt")
    );
    let pages: Vec<Page> = (0..5).map(|_| Page::parse(EN, Side::Local)).collect();
    assert_eq!(learn_read_only_marker(&pages).as_deref(), Some("read-only"));
    // Too little evidence: nothing learned.
    assert_eq!(
        learn_read_only_marker(&[Page::parse(DE, Side::Local)]),
        None
    );
}

#[test]
fn page_without_block_takes_the_type_from_its_file_name() {
    let c = csdl();
    let (t, diags) = run(
        include_str!("fixtures/resources/rangeformat-noblock.md"),
        Side::Local,
        "api-reference/beta/resources/rangeformat.md",
        &ResourceContext::new(Some(&c)),
    );
    let t = t.expect("type from file name");
    assert_eq!(t.name, "workbookRangeFormat");
    let props: Vec<_> = t
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.type_.to_string()))
        .collect();
    // `Boolescher Wert` is not a type word: the CSDL gives boolean.
    assert_eq!(
        props,
        [
            ("columnWidth", "double".to_string()),
            ("wrapText", "boolean".to_string())
        ]
    );
    assert!(diags
        .iter()
        .any(|d| d.severity == Severity::Repair && d.message.contains("file name")));
}

#[test]
fn overview_page_is_skipped_with_a_warning() {
    let c = csdl();
    let (t, diags) = run(
        include_str!("fixtures/resources/overview.md"),
        Side::Local,
        "api-reference/v1.0/resources/excel.md",
        &ResourceContext::new(Some(&c)),
    );
    assert!(t.is_none());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].file, "api-reference/v1.0/resources/excel.md");
}

#[test]
fn invalid_json_representation_is_repaired() {
    let c = csdl();
    let (t, diags) = run(
        include_str!("fixtures/resources/broken-json.md"),
        Side::Local,
        "api-reference/v1.0/resources/chart.md",
        &ResourceContext::new(Some(&c)),
    );
    let t = t.expect("type");
    assert_eq!(t.name, "workbookChart");
    let props: Vec<_> = t
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.type_.to_string(), p.read_only))
        .collect();
    assert_eq!(
        props,
        [
            ("height", "double".to_string(), false),
            ("name", "string".to_string(), true)
        ]
    );
    assert!(
        diags
            .iter()
            .any(|d| d.severity == Severity::Repair && d.message.contains("trailing comma")),
        "{diags:?}"
    );
}

#[test]
fn without_csdl_the_docs_names_are_kept() {
    let (t, _) = run(EN, Side::Local, REL, &ResourceContext::new(None));
    let t = t.expect("type");
    assert_eq!(t.name, "range", "no CSDL to map the old name");
    assert_eq!(t.kind, TypeKind::Entity, "from baseType");
    let rels: Vec<_> = t
        .relationships
        .iter()
        .map(|r| (r.name.as_str(), r.type_.to_string()))
        .collect();
    assert_eq!(
        rels,
        [
            ("format", "workbookRangeFormat".to_string()),
            ("worksheet", "workbookWorksheet".to_string())
        ]
    );
}

#[test]
fn extract_resources_learns_and_links_per_run() {
    let c = csdl();
    let de = Page::parse(DE, Side::Local);
    let fmt = Page::parse(
        include_str!("fixtures/resources/rangeformat-noblock.md"),
        Side::Local,
    );
    let mut input = Vec::new();
    for i in 0..5 {
        // The same page under five names of one version: the first path wins, the others warn.
        input.push(ResourcePage {
            path: if i == 0 {
                REL
            } else {
                "api-reference/v1.0/resources/zz-range.md"
            },
            version: ApiVersion::V1_0,
            page: &de,
        });
    }
    input.push(ResourcePage {
        path: "api-reference/v1.0/resources/rangeformat.md",
        version: ApiVersion::V1_0,
        page: &fmt,
    });
    let mut diags = Vec::new();
    let out = extract_resources(&input, Some(&c), &mut diags);
    let v1 = &out["v1.0"];
    assert_eq!(
        v1.keys().collect::<Vec<_>>(),
        ["workbookRange", "workbookRangeFormat"]
    );
    assert_eq!(v1["workbookRange"].source.page, REL);
    assert!(
        v1["workbookRange"]
            .properties
            .iter()
            .any(|p| p.name == "address" && p.read_only),
        "marker learned"
    );
    assert!(diags
        .iter()
        .any(|d| d.message.contains("also described by")));
}

#[test]
fn mutated_pages_never_panic() {
    let c = csdl();
    let ctx = german_ctx(&c);
    for text in [EN, DE, SXS] {
        let bytes = text.as_bytes();
        for cut in (0..bytes.len()).step_by(7) {
            let s = String::from_utf8_lossy(&bytes[..cut]);
            let _ = run(&s, Side::Local, REL, &ctx);
            let _ = run(&s, Side::English, REL, &ctx);
        }
        // Lines reversed, fences removed.
        let rev: Vec<&str> = text.lines().rev().collect();
        let _ = run(&rev.join("\n"), Side::Local, REL, &ctx);
        let _ = run(&text.replace("```", ""), Side::Local, REL, &ctx);
        let _ = run(&text.replace('|', ""), Side::Local, REL, &ctx);
        // Deterministic pseudo-random byte edits and line shuffles (xorshift).
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200 {
            let mut b = bytes.to_vec();
            for _ in 0..1 + next() % 8 {
                let i = (next() as usize) % b.len();
                b[i] = (next() & 0xff) as u8;
            }
            let s = String::from_utf8_lossy(&b);
            let _ = run(&s, Side::Local, REL, &ctx);
            let mut lines: Vec<&str> = text.lines().collect();
            for i in (1..lines.len()).rev() {
                lines.swap(i, (next() as usize) % (i + 1));
            }
            let _ = run(&lines.join("\n"), Side::English, REL, &ctx);
        }
    }
}
