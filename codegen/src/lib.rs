//! graph-workbook's code generator.
//!
//! Pipeline: docs markdown --[`extract`]--> `spec/` ([`spec`]) --[`lower`]--> IR ([`ir`])
//! --[`emit`]--> Rust source. build.rs uses only the second half (no markdown parsing), so the
//! `extract` feature (pulldown-cmark, roxmltree) is off for it.

pub mod diagnostics;
pub mod driver;
pub mod emit;
pub mod ir;
pub mod lower;
mod naming;
mod path;
pub mod spec;

#[cfg(feature = "extract")]
pub mod check;
// A CLI command: not needed by build.rs, so it is compiled with the CLI's feature.
#[cfg(feature = "extract")]
pub mod diff;
#[cfg(feature = "extract")]
pub mod extract;

/// spec -> Rust source files (`v1_0.rs`, `beta.rs`, `functions.rs`), or every problem found.
/// Deterministic: the same spec gives byte-identical output.
pub fn generate(
    spec: &spec::Spec,
) -> Result<std::collections::BTreeMap<String, String>, Vec<diagnostics::Diagnostic>> {
    generate_with_notes(spec).map(|(files, _)| files)
}

/// What to render besides the API itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Also render `<module>_dispatch.rs` per version and `functions_dispatch.rs`: the hidden
    /// run-time dispatcher over the typed calls that `tests/conformance.rs` uses (cargo
    /// feature `conformance`). Off for users: it would double the generated code that build.rs
    /// renders and rustc parses.
    pub conformance: bool,
}

/// [`generate`] with [`Options`].
pub fn generate_with_options(
    spec: &spec::Spec,
    options: &Options,
) -> Result<std::collections::BTreeMap<String, String>, Vec<diagnostics::Diagnostic>> {
    let api = lower::lower(spec)?;
    Ok(emit::render(&api, options))
}

/// Like [`generate`], also returning the notes (names changed by a clash rule, node types
/// guessed for unresolved segments).
#[allow(clippy::type_complexity)]
pub fn generate_with_notes(
    spec: &spec::Spec,
) -> Result<
    (
        std::collections::BTreeMap<String, String>,
        Vec<diagnostics::Diagnostic>,
    ),
    Vec<diagnostics::Diagnostic>,
> {
    let api = lower::lower(spec)?;
    Ok((emit::render(&api, &Options::default()), api.notes))
}
