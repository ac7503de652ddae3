//! Generates the typed API from spec/ into OUT_DIR (`v1_0.rs`, `beta.rs`, `functions.rs`),
//! `include!`d by src/lib.rs; the modules of disabled cargo features get empty stubs. Writes
//! nothing outside OUT_DIR and rewrites only files whose content changed. A malformed or
//! inconsistent spec fails the build with every problem listed as
//! `spec/<file>: <operation>: message`.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let spec_dir = manifest.join("spec");

    println!("cargo:rerun-if-changed=build.rs");
    rerun_if_changed(&spec_dir);

    // Only what the enabled cargo features compile is loaded and rendered: without `beta`
    // (`functions`), src/lib.rs does not include beta.rs (functions.rs), so an empty stub is
    // written in its place and spec/beta (spec/functions) is not even read. generated/ still
    // holds everything: tests/generated_snapshots.rs renders and checks all of spec/.
    let enabled = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    let (beta, functions) = (enabled("BETA"), enabled("FUNCTIONS"));
    let (spec, mut problems) = codegen::spec::Spec::load_only(&spec_dir, &|dir| match dir {
        "beta" => beta,
        "functions" => functions,
        _ => true,
    });
    problems.retain(|d| d.severity == codegen::diagnostics::Severity::Error);
    // Generate from whatever loaded, so one run lists the load problems and the generator's.
    // The conformance dispatcher is test support: rendered only when that feature is on.
    let options = codegen::Options {
        conformance: enabled("CONFORMANCE"),
    };
    let files = match codegen::generate_with_options(&spec, &options) {
        Ok(files) => files,
        Err(diags) => {
            problems.extend(diags);
            Default::default()
        }
    };
    if !problems.is_empty() {
        fail(&problems);
    }
    write_changed(&out, files);
}

/// Write only the files whose content changed (keeps mtimes, and so rebuilds, minimal).
fn write_changed(dir: &Path, files: std::collections::BTreeMap<String, String>) {
    for (name, code) in files {
        let path = dir.join(&name);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == code) {
            continue;
        }
        if let Err(e) = std::fs::write(&path, code) {
            eprintln!("error: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}

/// Every directory and file under spec/ (a new file changes the directory's mtime).
fn rerun_if_changed(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rerun_if_changed(&p);
        } else {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
}

fn fail(problems: &[codegen::diagnostics::Diagnostic]) -> ! {
    // cargo:warning lines show up even without -vv; stderr is shown for a failed build script.
    for d in problems {
        // `spec/<file>: <operation>: message` (with `:<line>` for JSON syntax errors).
        let line = if d.line > 0 {
            format!("{}:{}: {}", d.file, d.line, d.message)
        } else {
            format!("{}: {}", d.file, d.message)
        };
        println!("cargo:warning={line}");
        eprintln!("{line}");
    }
    eprintln!(
        "error: spec/ has {} problem(s); fix spec/ (or re-run `codegen extract`)",
        problems.len()
    );
    std::process::exit(1);
}
