//! Generation benchmark: `graph_workbook_codegen::generate` on the whole spec (v1.0 + beta + functions), as
//! for generated/, and what build.rs does with the default features (spec/v1.0 and
//! spec/functions only). Plain harness (no criterion: nothing extra to compile).
//!
//! ```sh
//! cargo bench -p graph-workbook-codegen --bench generate            # spec/ of the workspace
//! BENCH_SPEC_DIR=/tmp/spec cargo bench -p graph-workbook-codegen --bench generate
//! ```
//!
//! Prints `bench: <name> <value> <unit>` lines (see scripts/bench.sh). Warm-up, then
//! `BENCH_ITERS` (default 20) timed runs; the median is reported, the minimum beside it.
//! Without `--bench` (`cargo test --benches`) it runs once, as a smoke test.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that does not match skips the bench.
    let quick = !std::env::args().any(|a| a == "--bench");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.iter().any(|f| !"generate".contains(f.as_str())) {
        return;
    }
    let dir = std::env::var_os("BENCH_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec"));
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 1 } else { 20 })
        .max(1);

    let t = Instant::now();
    let (spec, diags) = graph_workbook_codegen::spec::Spec::load(&dir);
    let load = t.elapsed();
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == graph_workbook_codegen::diagnostics::Severity::Error)
        .collect();
    if !errors.is_empty() {
        for d in &errors {
            eprintln!("{d}");
        }
        eprintln!(
            "generate bench: {} has {} problem(s)",
            dir.display(),
            errors.len()
        );
        std::process::exit(1);
    }
    for v in ["v1.0", "beta"] {
        if !spec.versions.contains_key(v) {
            eprintln!(
                "generate bench: warning: {} has no {v}/ (not the full spec; set BENCH_SPEC_DIR)",
                dir.display()
            );
        }
    }
    let ops: usize = spec.versions.values().map(|v| v.operations.len()).sum();
    let types: usize = spec.versions.values().map(|v| v.types.len()).sum();
    let functions = spec.functions.as_ref().map_or(0, |f| f.functions.len());

    // Warm-up, and the output size.
    let files = match graph_workbook_codegen::generate(&spec) {
        Ok(f) => f,
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("generate bench: generate failed on {}", dir.display());
            std::process::exit(1);
        }
    };
    let mut runs = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        let out = graph_workbook_codegen::generate(&spec);
        runs.push(t.elapsed());
        std::hint::black_box(out).ok();
    }
    let min = *runs.iter().min().unwrap_or(&Duration::ZERO);

    // Where the time goes: spec -> IR (`lower`), IR -> text (`emit::render`: quote tokens,
    // syn parse, prettyplease), and parsing and printing the finished text again. The last is
    // an upper bound of the syn + prettyplease share: the finished text holds the doc comments,
    // which the generator splices in after prettyplease instead of parsing them.
    let (mut lower, mut render, mut reprint) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..iters {
        let t = Instant::now();
        let api = graph_workbook_codegen::lower::lower(&spec);
        lower.push(t.elapsed());
        if let Ok(api) = api {
            let t = Instant::now();
            std::hint::black_box(graph_workbook_codegen::emit::render(
                &api,
                &graph_workbook_codegen::Options::default(),
            ));
            render.push(t.elapsed());
        }
        let t = Instant::now();
        for text in files.values() {
            if let Ok(f) = syn::parse_file(text) {
                std::hint::black_box(prettyplease::unparse(&f));
            }
        }
        reprint.push(t.elapsed());
    }
    // What build.rs does with the default features (`graph_workbook_codegen::driver::build`): load only
    // spec/v1.0 and spec/functions (no `beta`), generate (beta.rs becomes an empty stub), write
    // the files into an empty directory.
    let out_dir = std::env::temp_dir().join(format!("codegen-bench-{}", std::process::id()));
    let features = graph_workbook_codegen::driver::Features {
        functions: true,
        ..Default::default()
    };
    let mut build_rs = Vec::new();
    let mut build_rs_bytes = 0;
    for _ in 0..iters {
        let _ = std::fs::remove_dir_all(&out_dir);
        if let Err(e) = std::fs::create_dir_all(&out_dir) {
            eprintln!("generate bench: cannot create {}: {e}", out_dir.display());
            std::process::exit(1);
        }
        let t = Instant::now();
        let written = graph_workbook_codegen::driver::build(&dir, &out_dir, features);
        build_rs.push(t.elapsed());
        match written {
            Ok(names) => {
                build_rs_bytes = names
                    .iter()
                    .filter_map(|n| std::fs::metadata(out_dir.join(n)).ok())
                    .map(|m| m.len())
                    .sum();
            }
            Err(diags) => {
                for d in &diags {
                    eprintln!("{d}");
                }
                std::process::exit(1);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    let lines: usize = files.values().map(|s| s.lines().count()).sum();
    let bytes: usize = files.values().map(String::len).sum();

    // build.rs runs generate() from an unoptimized build (cargo's dev profile compiles build
    // dependencies without optimization): `cargo test --bench generate` measures that case.
    let p = if cfg!(debug_assertions) { "debug_" } else { "" };
    println!("bench: spec_operations {ops} count");
    println!("bench: spec_types {types} count");
    println!("bench: spec_functions {functions} count");
    println!("bench: {p}spec_load_ms {} ms", ms(load));
    println!("bench: {p}generate_ms {} ms", ms(median(runs)));
    println!("bench: {p}generate_min_ms {} ms", ms(min));
    println!("bench: {p}generate_lower_ms {} ms", ms(median(lower)));
    if !render.is_empty() {
        println!("bench: {p}generate_render_ms {} ms", ms(median(render)));
    }
    println!(
        "bench: {p}generate_syn_prettyplease_estimate_ms {} ms",
        ms(median(reprint))
    );
    println!(
        "bench: {p}build_rs_default_features_ms {} ms",
        ms(median(build_rs))
    );
    println!("bench: build_rs_default_features_output_bytes {build_rs_bytes} bytes");
    println!("bench: generate_output_lines {lines} lines");
    println!("bench: generate_output_bytes {bytes} bytes");
}
