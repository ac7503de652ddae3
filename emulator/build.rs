//! Embeds graph-workbook's spec/ operation files (the same ones the client is generated from)
//! as two JSON arrays in OUT_DIR; the emulator parses them once at startup into its route
//! table. Only concatenation here: no parsing, no dependencies. graph-workbook's build script
//! names its spec/ (`links = "graph_workbook"` -> `DEP_GRAPH_WORKBOOK_SPEC_DIR`), so this works
//! in the workspace and from crates.io alike.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let spec = match std::env::var_os("DEP_GRAPH_WORKBOOK_SPEC_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
    };
    println!("cargo:rerun-if-changed={}", spec.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (version, file) in [("v1.0", "ops_v1.json"), ("beta", "ops_beta.json")] {
        let dir = spec.join(version).join("operations");
        let mut files: Vec<PathBuf> = match fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        files.sort();
        let mut json = String::from("[");
        for (i, path) in files.iter().enumerate() {
            let text =
                fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if i > 0 {
                json.push(',');
            }
            json.push_str(&text);
        }
        json.push(']');
        fs::write(out.join(file), json).expect("write OUT_DIR");
    }
    let functions = spec.join("functions/workbookFunctions.json");
    let text =
        fs::read_to_string(&functions).unwrap_or_else(|e| panic!("{}: {e}", functions.display()));
    fs::write(out.join("functions.json"), text).expect("write OUT_DIR");
}
