//! `graph_workbook_codegen::driver::build`, what graph-workbook's build.rs runs: only what the enabled
//! features compile is rendered, unchanged files are not rewritten, and a bad spec reports
//! every problem of the first phase that has any (load, then generate) instead of writing
//! anything.

use std::path::{Path, PathBuf};

use graph_workbook_codegen::diagnostics;
use graph_workbook_codegen::driver::{build, Features};
use graph_workbook_codegen::spec::Spec;

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

/// Loading is the first phase: every load problem of every file is reported, in the order
/// [`diagnostics::sort`] gives, and the build stops there (the spec also has problems only
/// lowering finds; they are not reported on a partly loaded spec), writing nothing.
#[test]
fn bad_spec_reports_every_load_problem_and_writes_nothing() {
    let out = out_dir("bad");
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad_spec");
    let problems = build(&bad, &out, Features::default()).expect_err("bad spec must fail");
    let (spec, mut load) = Spec::load(&bad);
    diagnostics::sort(&mut load);
    assert_eq!(problems, load, "{}", diagnostics::render(&problems));
    // Both broken files: malformed JSON, an unknown field.
    for file in ["chart.get.json", "worksheet.list.json"] {
        let file = format!("bad_spec/v1.0/operations/{file}");
        assert!(problems.iter().any(|d| d.file == file), "{file}");
    }
    // What lowering would have added.
    let lowered = graph_workbook_codegen::generate(&spec).expect_err("lower errors");
    assert!(lowered
        .iter()
        .any(|d| d.file == "bad_spec/v1.0/operations/worksheet.protection.json"));
    assert!(!problems.iter().any(|d| lowered.contains(d)));
    assert_eq!(std::fs::read_dir(&out).expect("out dir").count(), 0);
    let _ = std::fs::remove_dir_all(out);
}

/// A type file that does not load would make every reference to the type "unknown" if
/// lowering ran: the build reports the one real problem, not its knock-on errors.
#[test]
fn a_file_that_does_not_load_stops_the_build_before_lowering() {
    let (good, diags) = Spec::load(&fixture_spec());
    assert!(diags.is_empty(), "{diags:#?}");
    let root = out_dir("knock-on");
    let spec_dir = root.join("spec");
    let broken = "v1.0/types/workbookWorksheet.json";
    for (name, text) in good.files() {
        let text = if name == broken {
            text.replacen("\"kind\"", "\"kinds\"", 1)
        } else {
            text
        };
        let path = spec_dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let out = root.join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let all = Features {
        beta: true,
        functions: true,
    };
    let problems = build(&spec_dir, &out, all).expect_err("broken type file");
    let [d] = problems.as_slice() else {
        panic!("one problem expected:\n{}", diagnostics::render(&problems))
    };
    assert_eq!(d.file, format!("spec/{broken}"));
    assert!(d.message.contains("unknown field `kinds`"), "{d}");
    // Lowering the rest would have reported the type's users as well.
    let (partial, _) = Spec::load(&spec_dir);
    let knock_on = graph_workbook_codegen::generate(&partial).expect_err("unknown type");
    assert!(
        knock_on
            .iter()
            .any(|d| d.message.contains("unknown type `workbookWorksheet`")),
        "{}",
        diagnostics::render(&knock_on)
    );
    assert_eq!(std::fs::read_dir(&out).expect("out dir").count(), 0);
    let _ = std::fs::remove_dir_all(root);
}
