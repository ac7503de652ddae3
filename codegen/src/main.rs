//! `graph-workbook-codegen` CLI.
//!
//! ```text
//! graph-workbook-codegen extract --docs <ROOT> --out <DIR> [--csdl <FILE>]
//! graph-workbook-codegen check --csdl <FILE> --spec <DIR>
//! graph-workbook-codegen diff <OLD-SPEC-DIR> <NEW-SPEC-DIR> [--allow-major]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use graph_workbook_codegen::diagnostics;
use graph_workbook_codegen::extract::{self, csdl::Csdl};

const USAGE: &str = "usage:
  graph-workbook-codegen extract --docs <ROOT> --out <DIR> [--csdl <FILE>]
  graph-workbook-codegen check --csdl <FILE> --spec <DIR>
  graph-workbook-codegen diff <OLD-SPEC-DIR> <NEW-SPEC-DIR> [--allow-major]";

fn flags(args: &[String]) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut m = std::collections::BTreeMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(name) = a.strip_prefix("--") else {
            return Err(format!("unexpected argument `{a}`"));
        };
        let (k, v) = match name.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (
                name.to_string(),
                it.next()
                    .ok_or_else(|| format!("`--{name}` needs a value"))?
                    .clone(),
            ),
        };
        m.insert(k, v);
    }
    Ok(m)
}

fn load_csdl(path: &Path) -> Result<Csdl, String> {
    let xml = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Csdl::parse(&xml).map_err(|e| format!("{}: {e}", path.display()))
}

/// Write the spec files into `out`, removing stale `*.json` files of the directories written to,
/// and skipping files whose content is unchanged.
fn write_spec(
    out: &Path,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<(), String> {
    let mut dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for rel in files.keys() {
        if let Some(parent) = out.join(rel).parent() {
            dirs.insert(parent.to_path_buf());
        }
    }
    // every version's operations/types directory is cleaned, so a version or page that
    // disappeared from the docs disappears from the output too
    for ver in graph_workbook_codegen::spec::ApiVersion::ALL {
        for sub in ["operations", "types"] {
            let d = out.join(ver.as_str()).join(sub);
            if d.is_dir() {
                dirs.insert(d);
            }
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: cannot create: {e}", d.display()))?;
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.filter_map(|e| e.ok()) {
                let p = e.path();
                let Ok(rel) = p.strip_prefix(out) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                if p.extension().is_some_and(|x| x == "json") && !files.contains_key(&rel) {
                    std::fs::remove_file(&p)
                        .map_err(|e| format!("{}: cannot remove: {e}", p.display()))?;
                }
            }
        }
    }
    for (rel, text) in files {
        let p = out.join(rel);
        if std::fs::read_to_string(&p).is_ok_and(|old| old == *text) {
            continue;
        }
        std::fs::write(&p, text).map_err(|e| format!("{}: cannot write: {e}", p.display()))?;
    }
    Ok(())
}

fn run_extract(args: &[String]) -> Result<(), String> {
    let f = flags(args)?;
    let docs = f.get("docs").ok_or("extract: --docs <ROOT> is required")?;
    let out = f.get("out").ok_or("extract: --out <DIR> is required")?;
    let csdl = match f.get("csdl") {
        Some(p) => Some(load_csdl(Path::new(p))?),
        None => None,
    };
    let t0 = Instant::now();
    let (files, read_errors) = extract::read_docs(Path::new(docs))?;
    let t1 = Instant::now();
    // `--repeat N` (benchmarking aid): extract N times, report the fastest run.
    let repeat: u32 = f
        .get("repeat")
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut ex = extract::extract_pages(&files, csdl.as_ref());
    let mut best = t1.elapsed();
    for _ in 1..repeat {
        let t = Instant::now();
        ex = extract::extract_pages(&files, csdl.as_ref());
        best = best.min(t.elapsed());
    }
    let t2 = t1 + best;
    ex.diagnostics.extend(read_errors);
    diagnostics::sort(&mut ex.diagnostics);
    eprint!("{}", diagnostics::render(&ex.diagnostics));
    let secs = (t2 - t1).as_secs_f64().max(1e-9);
    eprintln!(
        "extract: read {} files in {:.1} ms; extracted {} pages ({} files parsed) in {:.1} ms: {:.0} pages/s",
        files.len(),
        (t1 - t0).as_secs_f64() * 1000.0,
        ex.pages,
        files.len(),
        secs * 1000.0,
        ex.pages as f64 / secs
    );
    write_spec(Path::new(out), &ex.spec.files())?;
    println!("extracted: {}", ex.summary());
    Ok(())
}

fn run_check(args: &[String]) -> Result<(), String> {
    let f = flags(args)?;
    let csdl = f.get("csdl").ok_or("check: --csdl <FILE> is required")?;
    let spec = f.get("spec").ok_or("check: --spec <DIR> is required")?;
    let report = graph_workbook_codegen::check::run(Path::new(csdl), Path::new(spec))?;
    print!("{report}");
    Ok(())
}

/// Prints the API changes; exit status 1 on a major change unless `--allow-major`.
fn run_diff(args: &[String]) -> Result<ExitCode, String> {
    let allow_major = args.iter().any(|a| a == "--allow-major");
    let dirs: Vec<&String> = args.iter().filter(|a| *a != "--allow-major").collect();
    let [old, new] = dirs.as_slice() else {
        return Err(format!("diff: two spec/ directories expected\n{USAGE}"));
    };
    if let Some(flag) = dirs.iter().find(|a| a.starts_with("--")) {
        return Err(format!("diff: unknown flag `{flag}`"));
    }
    let changes = graph_workbook_codegen::diff::run(Path::new(old), Path::new(new))?;
    print!("{}", graph_workbook_codegen::diff::render(&changes));
    let major = graph_workbook_codegen::diff::required_bump(&changes)
        == Some(graph_workbook_codegen::diff::Level::Major);
    if major && !allow_major {
        eprintln!("graph-workbook-codegen: diff: major (breaking) API change; pass --allow-major to accept it");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("diff") {
        return run_diff(&args[1..]).unwrap_or_else(|e| {
            eprintln!("graph-workbook-codegen: {e}");
            ExitCode::from(2)
        });
    }
    let res = match args.first().map(String::as_str) {
        Some("extract") => run_extract(&args[1..]),
        Some("check") => run_check(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graph-workbook-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
