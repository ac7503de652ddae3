//! insta snapshots of the operations extracted from representative en-2021 v1.0 pages of the
//! shared corpus (the whole snapshot is extracted, with the CSDL, so locale knowledge and
//! resource links are as in `graph-workbook-codegen extract`). Review changes with `cargo insta review`.

mod common;

use graph_workbook_codegen::extract::extract_pages;
use graph_workbook_codegen::spec::{to_file_text, Operation};

const PAGES: &[(&str, &str)] = &[
    ("close_session", "workbook-closesession.md"),
    ("create_session", "workbook-createsession.md"),
    ("range_insert", "range-insert.md"),
    ("range_update", "range-update.md"),
    ("worksheet_cell", "worksheet-cell.md"),
    ("chart_image", "chart-image.md"),
    ("table_post_rows", "table-post-rows.md"),
];

#[test]
fn representative_en_2021_operations() {
    let Some(docs) = common::docs_dir() else {
        return;
    };
    let Some(csdl) = common::csdl(&docs) else {
        return;
    };
    let pages = common::load_pages(&docs.join("en-2021"));
    let ex = extract_pages(&pages, Some(csdl));
    let v1 = ex.spec.versions.get("v1.0").expect("v1.0 extracted");
    for (name, page) in PAGES {
        let path = format!("api-reference/v1.0/api/{page}");
        let ops: Vec<&Operation> = v1
            .operations
            .values()
            .filter(|o| o.source.page == path)
            .collect();
        assert_eq!(
            ops.len(),
            1,
            "{path}: expected exactly one operation, got {}",
            ops.len()
        );
        insta::assert_snapshot!(*name, to_file_text(ops[0]));
    }
}
