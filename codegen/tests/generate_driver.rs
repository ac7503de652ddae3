//! `graph_workbook_codegen::driver::build`, what graph-workbook's build.rs runs: only what the enabled
//! features compile is rendered, unchanged files are not rewritten, and a bad spec reports
//! every problem instead of writing anything.

use std::path::{Path, PathBuf};

use graph_workbook_codegen::driver::{build, Features};

fn fixture_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec")
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("codegen-driver-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create out dir");
    d
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn renders_what_the_features_compile() {
    let all = Features {
        beta: true,
        functions: true,
    };
    let full = out_dir("full");
    let written = build(&fixture_spec(), &full, all).expect("fixture spec builds");
    assert_eq!(written, ["beta.rs", "functions.rs", "v1_0.rs"]);
    // Everything on: what graph_workbook_codegen::generate renders (and generated/ holds).
    let generated = graph_workbook_codegen::generate(
        &graph_workbook_codegen::spec::Spec::load(&fixture_spec()).0,
    )
    .expect("generate");
    for (name, code) in &generated {
        assert_eq!(&read(&full, name), code, "{name}");
    }

    let default = out_dir("default");
    build(
        &fixture_spec(),
        &default,
        Features {
            functions: true,
            ..Default::default()
        },
    )
    .expect("fixture spec builds");
    // v1.0 and functions as with every feature; beta an empty stub (src/lib.rs does not include
    // it without the `beta` feature).
    assert_eq!(read(&default, "v1_0.rs"), generated["v1_0.rs"]);
    assert_eq!(read(&default, "functions.rs"), generated["functions.rs"]);
    let beta = read(&default, "beta.rs");
    assert!(beta.contains("pub struct WorkbookNode("), "{beta}");
    assert!(generated["beta.rs"].contains("pub fn "));
    assert!(!beta.contains("pub fn get"), "{beta}");

    let minimal = out_dir("minimal");
    build(&fixture_spec(), &minimal, Features::default()).expect("fixture spec builds");
    let functions = read(&minimal, "functions.rs");
    assert!(
        functions.contains("pub struct FunctionsNode("),
        "{functions}"
    );
    assert!(!functions.contains("pub fn sum("), "{functions}");
    assert!(generated["functions.rs"].contains("pub fn sum("));
    // The `functions()` navigation is cfg-gated; without the catalog it is not rendered.
    let v1 = read(&minimal, "v1_0.rs");
    assert!(!v1.contains("pub fn functions(&self)"), "{v1}");

    for d in [full, default, minimal] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Code for another crate (the conformance crate): the runtime named by its crate name, and
/// the dispatcher files only when asked for.
#[test]
fn renders_for_a_crate_outside_the_runtime() {
    let spec = graph_workbook_codegen::spec::Spec::load(&fixture_spec()).0;
    let outside = graph_workbook_codegen::Options {
        conformance: true,
        runtime_crate: Some("graph_workbook".into()),
    };
    let files = graph_workbook_codegen::generate_with_options(&spec, &outside).expect("generate");
    let inside = graph_workbook_codegen::generate(&spec).expect("generate");
    assert!(
        !inside.keys().any(|f| f.ends_with("_dispatch.rs")),
        "{:?}",
        inside.keys()
    );
    for name in [
        "v1_0_dispatch.rs",
        "beta_dispatch.rs",
        "functions_dispatch.rs",
    ] {
        assert!(files.contains_key(name), "{name}: {:?}", files.keys());
    }
    for (name, code) in &files {
        // `pub(crate)` fields stay; no runtime path may.
        let paths = code.replace("pub(crate)", "");
        assert!(!paths.contains("crate::"), "{name} names `crate::`");
    }
    assert!(files["v1_0.rs"].contains("use graph_workbook::{"));
    assert!(files["v1_0_dispatch.rs"].contains("graph_workbook::call::decode::<"));
    assert!(inside["v1_0.rs"].contains("use crate::{"));
    // Apart from the runtime path (and where prettyplease breaks lines), the same API.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>().replace(",)", ")");
    assert!(
        squeeze(&files["v1_0.rs"].replace("graph_workbook::", "crate::"))
            == squeeze(&inside["v1_0.rs"]),
        "v1_0.rs differs beyond the runtime path"
    );
}

#[test]
fn rewrites_only_changed_files() {
    let out = out_dir("unchanged");
    let features = Features {
        functions: true,
        ..Default::default()
    };
    build(&fixture_spec(), &out, features).expect("first build");
    std::fs::write(out.join("functions.rs"), "stale").expect("write");
    let written = build(&fixture_spec(), &out, features).expect("second build");
    assert_eq!(written, ["functions.rs"]);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_spec_reports_every_problem_and_writes_nothing() {
    let out = out_dir("bad");
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad_spec");
    let problems = build(&bad, &out, Features::default()).expect_err("bad spec must fail");
    // A load problem (malformed JSON) and a generator problem, in one run.
    assert!(
        problems
            .iter()
            .any(|d| d.file == "bad_spec/v1.0/operations/chart.get.json"),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|d| d.file == "spec/v1.0/operations/worksheet.protection.json"),
        "{problems:#?}"
    );
    assert_eq!(std::fs::read_dir(&out).expect("out dir").count(), 0);
    let _ = std::fs::remove_dir_all(out);
}
