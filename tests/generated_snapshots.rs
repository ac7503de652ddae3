//! generated/ is the reviewed copy of what build.rs generates from spec/: one insta snapshot per
//! module. This test renders spec/ afresh (twice, to prove the output is deterministic) and
//! fails when generated/ is stale.
//!
//! (The code generated from codegen's fixture spec is rendered and tested by the test-only
//! `conformance/` crate.)

use std::path::Path;

#[test]
fn generated_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (spec, diags) = graph_workbook_codegen::spec::Spec::load(&root.join("spec"));
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == graph_workbook_codegen::diagnostics::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "spec/ does not load:\n{}",
        errors.join("\n")
    );
    let render = || {
        graph_workbook_codegen::generate_with_notes(&spec).unwrap_or_else(|d| {
            panic!(
                "spec/ does not generate:\n{}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
    };
    let (mut files, notes) = render();
    assert_eq!(
        (files.clone(), notes.clone()),
        render(),
        "graph_workbook_codegen::generate is not deterministic"
    );
    // The naming decisions (clash rules) are reviewed with the code.
    let mut text = String::from("Names changed by a clash rule, and other generator notes:\n");
    for n in &notes {
        text.push_str(&format!("{}:{}: {}\n", n.file, n.line, n.message));
    }
    files.insert("notes".to_owned(), text);

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join("generated"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(
        "Rendered by graph_workbook_codegen::generate from spec/ (what build.rs writes to OUT_DIR)",
    );
    let mut stale = Vec::new();
    settings.bind(|| {
        for (file, code) in &files {
            let name = file.trim_end_matches(".rs").to_owned();
            let result = std::panic::catch_unwind(|| insta::assert_snapshot!(name.clone(), code));
            if result.is_err() {
                stale.push(name);
            }
        }
    });
    assert!(
        stale.is_empty(),
        "generated/ is stale for {stale:?}: spec/ or the generator changed. Run `cargo insta review` \
         (or `cargo insta accept`), check the diff of generated/ and commit it."
    );
}
