//! Renders, with graph-workbook's generator, the code this crate compiles against the
//! graph-workbook runtime from outside it (`runtime_crate = "graph_workbook"`):
//!
//! - `{v1_0,beta,functions}_dispatch.rs` from `../spec`: the run-time dispatcher over the typed
//!   calls that `tests/conformance.rs` replays the docs' examples through;
//! - `fixture_{v1_0,beta,functions}.rs` from codegen's fixture spec
//!   (`../codegen/tests/fixtures/spec`): proves the generator's output builds and behaves
//!   against the runtime whatever `spec/` holds (unit tests in `src/fixture_api/tests.rs`).
//!
//! Both are rendered on every change of the specs or the generator, so neither can be stale.
//! A bad spec fails the build with every problem listed.

use std::path::{Path, PathBuf};

use graph_workbook_codegen::diagnostics::{Diagnostic, Severity};
use graph_workbook_codegen::driver::write_if_changed;
use graph_workbook_codegen::{generate_with_options, spec::Spec, Options};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    let mut problems = Vec::new();
    let dispatch = Options {
        conformance: true,
        runtime_crate: Some("graph_workbook".into()),
    };
    render(
        &manifest.join("../spec"),
        &dispatch,
        |name| name.ends_with("_dispatch.rs").then(|| name.to_owned()),
        false,
        &out,
        &mut problems,
    );
    let fixture = Options {
        conformance: false,
        runtime_crate: Some("graph_workbook".into()),
    };
    render(
        &manifest.join("../codegen/tests/fixtures/spec"),
        &fixture,
        |name| Some(format!("fixture_{name}")),
        true,
        &out,
        &mut problems,
    );
    if !problems.is_empty() {
        for d in &problems {
            println!("cargo:warning={d}");
            eprintln!("{d}");
        }
        std::process::exit(1);
    }
}

/// Render `spec_dir` and write the files `keep` names (under the name it returns). `strict`:
/// a warning of the spec loader fails too (the fixture spec must load cleanly).
fn render(
    spec_dir: &Path,
    options: &Options,
    keep: impl Fn(&str) -> Option<String>,
    strict: bool,
    out: &Path,
    problems: &mut Vec<Diagnostic>,
) {
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    let (spec, mut load) = Spec::load(spec_dir);
    load.retain(|d| strict || d.severity == Severity::Error);
    if !load.is_empty() {
        problems.extend(load);
        return;
    }
    let files = match generate_with_options(&spec, options) {
        Ok(files) => files,
        Err(diags) => return problems.extend(diags),
    };
    for (name, code) in files {
        let Some(target) = keep(&name) else { continue };
        if let Err(d) = write_if_changed(&out.join(target), &code) {
            problems.push(d);
        }
    }
}
