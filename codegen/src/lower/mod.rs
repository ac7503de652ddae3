//! spec/ -> IR, as a pipeline of named passes over phases, in the manner of cxx's `generate`
//! (parse, check, emit, errors propagated between phases):
//!
//! 1. [`check`]: every spec file on its own: names, versions, methods, templates, segments,
//!    and every type reference resolved ([`types`]). Stops here when a file is bad.
//! 2. [`tree`]: the navigation tree (one node per resource type reached by some documented
//!    path), each path prefix typed consistently across operations. Stops on conflicts.
//! 3. [`nodes`] (node types and their navigation methods), [`ops`] (operations onto the node
//!    they act on), [`clash`] (the naming rules for clashing names), [`features`] (cargo
//!    feature areas and which types serialize).
//!
//! Every problem is a [`Diagnostic`] `spec/<file>: <item>: message`; errors come back sorted,
//! notes (clash renames, guessed node types) in pass order in [`ir::Api::notes`].

mod check;
mod clash;
mod features;
mod functions;
mod names;
mod nodes;
mod ops;
mod tree;
mod types;

#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir;
use crate::spec::Spec;

pub use names::area_of;
pub use types::CELL_GRID_NAMES;

/// Lower a whole spec. Errors are returned all at once (sorted), from the first phase that
/// has any; notes (clash renames, unresolved node types that were guessed) are in
/// [`ir::Api::notes`].
pub fn lower(spec: &Spec) -> Result<ir::Api, Vec<Diagnostic>> {
    // One log per version (then one for the functions), so notes come out grouped by version
    // in pass order whatever the phase.
    let mut logs: Vec<Log> = spec.versions.keys().map(|_| Log::default()).collect();
    let mut fn_log = Log::default();

    let checked: Vec<check::Checked> = spec
        .versions
        .iter()
        .zip(&mut logs)
        .map(|((version, vs), log)| check::version(version, vs, log))
        .collect();
    let functions = spec
        .functions
        .as_ref()
        .map(|cat| functions::lower_functions(cat, &mut fn_log));
    propagate(&logs, &fn_log)?;

    let trees: Vec<tree::Tree> = checked
        .iter()
        .zip(&mut logs)
        .map(|(c, log)| tree::build(c, log))
        .collect();
    propagate(&logs, &fn_log)?;

    let versions = checked
        .iter()
        .zip(trees)
        .zip(&mut logs)
        .map(|((c, t), log)| lower_version(c, t, log))
        .collect();
    propagate(&logs, &fn_log)?;

    let notes = logs
        .into_iter()
        .chain([fn_log])
        .flat_map(|l| l.diags)
        .collect();
    Ok(ir::Api {
        versions,
        functions,
        notes,
    })
}

/// Phase 3 of one version: node types, operations, naming rules, feature areas.
fn lower_version(c: &check::Checked, tree: tree::Tree, log: &mut Log) -> ir::VersionApi {
    let mut nodes = nodes::lower_nodes(c, &tree, log);
    let (mut bodies, counts) = ops::attach_operations(c, &mut nodes, log);
    clash::rename_operation_clashes(c.version, &mut nodes, log);
    let mut typedefs = c.typedefs.clone();
    features::assign_areas(&mut typedefs, &bodies, &nodes);
    features::mark_serialized(&mut typedefs, &bodies, &nodes);
    typedefs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    bodies.sort_by(|a, b| a.rust.cmp(&b.rust));
    clash::check_body_names(c.version, &bodies, log);
    let mut nodes: Vec<ir::NodeType> = nodes.into_values().collect();
    nodes.sort_by(|a, b| a.rust.cmp(&b.rust));
    ir::VersionApi {
        version: c.version.to_owned(),
        module: names::module_name(c.version),
        docs_view: names::docs_view(c.version).to_owned(),
        nodes,
        types: typedefs,
        bodies,
        path_count: counts.paths,
        operation_count: counts.operations,
    }
}

/// The errors of every log so far, sorted, if there is any.
fn propagate(logs: &[Log], fn_log: &Log) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = logs
        .iter()
        .chain([fn_log])
        .flat_map(|l| l.diags.iter())
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    crate::diagnostics::sort(&mut errors);
    Err(errors)
}

/// Diagnostics of one version (or of the functions), in the order the passes found them.
#[derive(Default)]
struct Log {
    diags: Vec<Diagnostic>,
}

impl Log {
    fn error(&mut self, file: &str, what: &str, msg: impl std::fmt::Display) {
        self.diags
            .push(Diagnostic::error(file, 0, format!("{what}: {msg}")));
    }
    fn note(&mut self, file: &str, what: &str, msg: impl std::fmt::Display) {
        self.diags
            .push(Diagnostic::warning(file, 0, format!("{what}: {msg}")));
    }
    #[cfg(test)]
    fn errors(&self) -> Vec<String> {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect()
    }
}

fn op_file(version: &str, id: &str) -> String {
    format!("spec/{version}/operations/{id}.json")
}

fn type_file(version: &str, name: &str) -> String {
    format!("spec/{version}/types/{name}.json")
}
