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

/// What to render besides the API itself, and where the rendered code is compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Also render `<module>_dispatch.rs` per version and `functions_dispatch.rs`: the
    /// run-time dispatcher over the typed calls that the conformance test crate
    /// (`conformance/`) compiles, each file to be included in a module that glob-imports the
    /// matching generated module. Never rendered for the runtime's own build.
    pub conformance: bool,
    /// The path generated code uses for the runtime crate: `None` for code compiled inside
    /// graph-workbook (`crate::node::Node`, ...), `Some("graph_workbook")` for code compiled
    /// in another crate (the conformance crate's dispatcher and fixture API), as progenitor
    /// does for generated clients outside their runtime.
    pub runtime_crate: Option<String>,
}

impl Options {
    /// The runtime path generated code names: `crate` or the crate given.
    pub(crate) fn runtime_path(&self) -> &str {
        self.runtime_crate.as_deref().unwrap_or("crate")
    }
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
