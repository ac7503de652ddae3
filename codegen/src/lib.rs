//! graph-workbook's code generator.
//!
//! Pipeline: docs markdown --[`extract`]--> `spec/` ([`spec`]) --[`lower`]--> IR ([`ir`])
//! --[`emit`]--> Rust source. build.rs uses only the second half (no markdown parsing), so the
//! `extract` feature (pulldown-cmark, roxmltree) is off for it.

pub mod diagnostics;
pub mod naming;
pub mod spec;

#[cfg(feature = "extract")]
pub mod extract;
