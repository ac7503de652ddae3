//! What graph-workbook's build.rs runs: spec/ -> OUT_DIR for the enabled cargo features, cargo
//! directives on stdout, every problem of the first failing phase (load, generate, write)
//! reported before failing.
//!
//! It lives here rather than in build.rs so that the build-script crate is one call: it then
//! instantiates no generic code of its own (serde_json, collections, formatting), and compiling
//! it costs little more than linking it.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};

/// The graph-workbook cargo features that change what is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Features {
    /// `beta`: render `beta.rs` from spec/beta (else an empty stub; spec/beta is not read).
    pub beta: bool,
    /// `functions`: render `functions.rs` from spec/functions (else an empty stub).
    pub functions: bool,
}

impl Features {
    /// From cargo's `CARGO_FEATURE_<NAME>` variables of a build script.
    pub fn from_env() -> Self {
        let on = |name: &str| std::env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
        Features {
            beta: on("BETA"),
            functions: on("FUNCTIONS"),
        }
    }
}

/// The whole build script: `$CARGO_MANIFEST_DIR/spec` -> `$OUT_DIR`. On a bad spec (or an
/// unwritable file), prints every problem of the first phase that has any (see [`build`]) as
/// `spec/<file>:<line>: error: <item>: message` (sorted) and exits 1.
pub fn build_script_main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let spec_dir = manifest.join("spec");
    // A directory: cargo scans everything under it for changes (newer mtimes).
    // `spec_dir` reaches the build scripts of dependents as `DEP_GRAPH_WORKBOOK_SPEC_DIR`
    // (`links = "graph_workbook"`): the emulator routes by the same spec, also when both come
    // from crates.io.
    println!(
        "cargo:rerun-if-changed=build.rs\ncargo:rerun-if-changed={0}\ncargo:spec_dir={0}",
        spec_dir.display()
    );
    if let Err(problems) = build(&spec_dir, &out, Features::from_env()) {
        fail(&problems);
    }
}

/// Render `spec_dir` into `out` for `features` and write the files whose content changed
/// (unchanged files keep their mtime, so nothing downstream rebuilds). Only what the features
/// compile is loaded and rendered: without `beta` (`functions`), src/lib.rs does not include
/// `beta.rs` (`functions.rs`), so an empty stub is written in its place and spec/beta
/// (spec/functions) is not read. generated/ still holds everything (its test renders all of
/// spec/).
///
/// Phases, each stopping the build when it has errors, as cxx's `generate` does: load (every
/// file read and parsed: all load errors of all files), generate (lower and emit: all errors
/// of its first failing pass), write. Generating from a partly loaded spec would only add
/// knock-on errors (a type file that does not parse makes each reference to it "unknown").
/// Returns the names of the files written, or the errors of the phase that failed, sorted.
pub fn build(
    spec_dir: &Path,
    out: &Path,
    features: Features,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let wanted = |dir: &str| match dir {
        "beta" => features.beta,
        "functions" => features.functions,
        _ => true,
    };
    let (spec, mut problems) = crate::spec::Spec::load_only(spec_dir, &wanted);
    problems.retain(|d| d.severity == Severity::Error);
    if !problems.is_empty() {
        crate::diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let files = crate::generate(&spec)?;
    write_all(out, files)
}

/// Write every file that changed; the names of those written, or every file that could not be.
fn write_all(
    out: &Path,
    files: std::collections::BTreeMap<String, String>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut written = Vec::new();
    let mut problems = Vec::new();
    for (name, code) in files {
        match write_if_changed(&out.join(&name), &code) {
            Ok(true) => written.push(name),
            Ok(false) => {}
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(written)
    } else {
        Err(problems)
    }
}

/// Writes `code` to `path` unless the file already holds it (an unchanged mtime spares cargo
/// and rustc a rebuild). `Ok(true)` when written.
pub fn write_if_changed(path: &Path, code: &str) -> Result<bool, Diagnostic> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == code) {
        return Ok(false);
    }
    std::fs::write(path, code)
        .map(|()| true)
        .map_err(|e| Diagnostic::error(path.display().to_string(), 0, format!("cannot write: {e}")))
}

fn fail(problems: &[Diagnostic]) -> ! {
    // cargo:warning lines show up even without -vv; stderr is shown for a failed build script.
    // `spec/<file>:<line>: error: <item>: message`, as every diagnostic is shown.
    let text = crate::diagnostics::render(problems);
    for line in text.lines() {
        println!("cargo:warning={line}");
    }
    eprint!("{text}");
    eprintln!(
        "error: spec/ has {} problem(s); fix spec/ (or re-run `graph-workbook-codegen extract`)",
        problems.len()
    );
    std::process::exit(1);
}
