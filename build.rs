//! Generates the typed API from spec/ into OUT_DIR (`v1_0.rs`, `beta.rs`, `functions.rs`),
//! `include!`d by src/lib.rs; the modules of disabled cargo features get empty stubs. Writes
//! nothing outside OUT_DIR and rewrites only files whose content changed. A malformed or
//! inconsistent spec fails the build with every problem listed as
//! `spec/<file>:<line>: error: <item>: message`.
//!
//! The work is `graph_workbook_codegen::driver` (see there): this file is one call, so the build-script crate
//! compiles in little more than the time it takes to link it.

fn main() {
    graph_workbook_codegen::driver::build_script_main();
}
