//! spec/ -> IR, as a pipeline of named passes over phases, in the manner of cxx's `generate`
//! (parse, check, emit, errors propagated between phases):
//!
//! 1. `check`: every spec file on its own: names, versions, methods, templates, segments,
//!    and every type reference resolved (`types`). Stops here when a file is bad.
//! 2. `tree`: the navigation tree (one node per resource type reached by some documented
//!    path), each path prefix typed consistently across operations. Stops on conflicts.
//! 3. `nodes` (node types and their navigation methods), `ops` (operations onto the node
//!    they act on; GETs of composable functions are navigations instead, see `composable`),
//!    `clash` (the naming rules for clashing names), `features` (cargo
//!    feature areas and which types serialize).
//!
//! Every problem is a [`Diagnostic`] `spec/<file>: <item>: message`; errors come back sorted,
//! notes (clash renames, guessed node types) in pass order in [`ir::Api::notes`].

mod check;
mod clash;
mod composable;
mod enums;
mod features;
mod functions;
mod names;
mod nodes;
mod ops;
mod tree;
mod types;

#[cfg(test)]
mod pass_tests;
#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir;
use crate::spec::{self, ApiVersion, Spec};

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
        .map(|((&version, vs), log)| check::version(version, vs, log))
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
    let (mut bodies, counts, composed) = ops::attach_operations(c, &mut nodes, &tree.composed, log);
    composable::attach(&mut nodes, composed);
    clash::rename_operation_clashes(c, &mut nodes, log);
    let mut typedefs = c.typedefs.clone();
    features::assign_areas(&mut typedefs, &bodies, &nodes);
    features::mark_serialized(&mut typedefs, &bodies, &nodes);
    typedefs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    bodies.sort_by(|a, b| a.rust.cmp(&b.rust));
    clash::check_body_names(c, &bodies, log);
    let taken = typedefs
        .iter()
        .map(|t| t.name.rust.clone())
        .chain(bodies.iter().map(|b| b.rust.clone()))
        .chain(nodes.values().map(|n| n.rust.clone()))
        .chain(crate::ir::IMPORTED_NAMES.iter().map(|s| s.to_string()))
        .collect();
    let enums = enums::lower_enums(&mut typedefs, &mut bodies, &taken);
    let mut nodes: Vec<ir::NodeType> = nodes.into_values().collect();
    nodes.sort_by(|a, b| a.rust.cmp(&b.rust));
    ir::VersionApi {
        version: c.version,
        module: c.version.module().to_owned(),
        docs_view: c.version.docs_view().to_owned(),
        nodes,
        types: typedefs,
        bodies,
        enums,
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
    fn error(&mut self, at: impl Into<Site>, what: &str, msg: impl std::fmt::Display) {
        let at = at.into();
        self.diags.push(Diagnostic::error(
            at.file,
            at.line,
            format!("{what}: {msg}"),
        ));
    }
    fn note(&mut self, at: impl Into<Site>, what: &str, msg: impl std::fmt::Display) {
        let at = at.into();
        self.diags.push(Diagnostic::warning(
            at.file,
            at.line,
            format!("{what}: {msg}"),
        ));
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

/// Where a diagnostic points: a spec file and the line of the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Site {
    file: String,
    /// 1-based; 0 for a whole file or directory.
    line: u32,
}

impl Site {
    /// The field at `pointer` (`/paths/0/template`) of an operation file.
    fn operation(version: ApiVersion, id: &str, op: &spec::Operation, pointer: &str) -> Site {
        Site {
            file: format!("spec/{version}/operations/{id}.json"),
            line: spec::line_of(&spec::to_file_text(op), pointer),
        }
    }

    /// The field at `pointer` of a type file.
    fn type_def(version: ApiVersion, wire: &str, t: &spec::TypeDef, pointer: &str) -> Site {
        Site {
            file: format!("spec/{version}/types/{wire}.json"),
            line: spec::line_of(&spec::to_file_text(t), pointer),
        }
    }

    /// The field at `pointer` of the function catalog.
    fn functions(cat: &spec::FunctionCatalog, pointer: &str) -> Site {
        Site {
            file: "spec/functions/workbookFunctions.json".into(),
            line: spec::line_of(&spec::to_file_text(cat), pointer),
        }
    }
}

/// A whole file or directory: what node types and their navigations (merged from many files)
/// are reported against (`spec/v1.0`).
impl From<&str> for Site {
    fn from(file: &str) -> Site {
        Site {
            file: file.to_owned(),
            line: 0,
        }
    }
}

impl From<&String> for Site {
    fn from(file: &String) -> Site {
        Site::from(file.as_str())
    }
}
