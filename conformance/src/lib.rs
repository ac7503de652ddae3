//! Test-only crate (not published): code graph-workbook's generator renders for a crate
//! *outside* the runtime (`graph_workbook_codegen::Options::runtime_crate`), compiled against
//! the graph-workbook runtime as a user's crate would be. Rendered by `build.rs`, so it is
//! never stale.
//!
//! - [`v1`], [`beta`], [`functions`]: graph-workbook's generated modules plus a hidden
//!   `__conformance` dispatcher each (typed calls chosen at run time), used by
//!   `tests/conformance.rs` to replay the docs' examples through the typed API.
//! - `fixture_api` (unit tests only): the API generated from codegen's fixture spec, with its
//!   tests of the requests it builds.

/// `graph_workbook::v1` and its dispatcher (`v1::__conformance`).
pub mod v1 {
    pub use graph_workbook::v1::*;
    include!(concat!(env!("OUT_DIR"), "/v1_0_dispatch.rs"));
}

/// `graph_workbook::beta` and its dispatcher (`beta::__conformance`).
pub mod beta {
    pub use graph_workbook::beta::*;
    include!(concat!(env!("OUT_DIR"), "/beta_dispatch.rs"));
}

/// `graph_workbook::functions` and its dispatcher (`functions::__conformance`).
#[cfg(feature = "functions")]
pub mod functions {
    pub use graph_workbook::functions::*;
    include!(concat!(env!("OUT_DIR"), "/functions_dispatch.rs"));
}

#[cfg(test)]
mod fixture_api;
