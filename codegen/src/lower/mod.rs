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
//! Every problem is a [`Diagnostic`] `<file>:<line>: <item>: message` about a field of a spec
//! item: the file the item was loaded from and the line of the field in it (for a spec built
//! in memory, its canonical `spec/` file). Errors come back sorted, notes (clash renames,
//! guessed node types) in pass order in [`ir::Api::notes`].

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
use crate::spec::{ApiVersion, Spec, SpecItem};

/// Lower a whole spec. Errors are returned all at once (sorted), from the first phase that
/// has any; notes (clash renames, unresolved node types that were guessed) are in
/// [`ir::Api::notes`].
pub fn lower(spec: &Spec) -> Result<ir::Api, Vec<Diagnostic>> {
    // One log per version (then one for the functions), so notes come out grouped by version
    // in pass order whatever the phase.
    let mut logs: Vec<Log> = spec.versions.keys().map(|_| Log::new(spec)).collect();
    let mut fn_log = Log::new(spec);

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
/// Each [`Site`] becomes a file and line as it is logged: the file the item was loaded from
/// and the line of the field in it ([`Spec::locate`]).
#[derive(Default)]
struct Log<'s> {
    /// The spec being lowered; `None` in unit tests of a single pass (sites then name the
    /// canonical `spec/` file, line 0).
    spec: Option<&'s Spec>,
    diags: Vec<Diagnostic>,
}

impl<'s> Log<'s> {
    fn new(spec: &'s Spec) -> Self {
        Log {
            spec: Some(spec),
            diags: Vec::new(),
        }
    }
    fn error(&mut self, at: Site, what: &str, msg: impl std::fmt::Display) {
        let (file, line) = self.locate(&at);
        self.diags
            .push(Diagnostic::error(file, line, format!("{what}: {msg}")));
    }
    fn note(&mut self, at: Site, what: &str, msg: impl std::fmt::Display) {
        let (file, line) = self.locate(&at);
        self.diags
            .push(Diagnostic::warning(file, line, format!("{what}: {msg}")));
    }
    fn locate(&self, at: &Site) -> (String, u32) {
        match self.spec {
            Some(spec) => spec.locate(&at.item, &at.pointer),
            None => (format!("spec/{}", at.item.file_name()), 0),
        }
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

/// What a diagnostic is about: a field (JSON pointer, `/paths/0/template`) of a spec item.
/// Which file and line that is, the [`Log`] finds out from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Site {
    item: SpecItem,
    pointer: String,
}

impl Site {
    /// The field at `pointer` of operation `id`.
    fn operation(version: ApiVersion, id: &str, pointer: &str) -> Site {
        Site {
            item: SpecItem::Operation(version, id.to_owned()),
            pointer: pointer.to_owned(),
        }
    }

    /// The field at `pointer` of the type `wire`.
    fn type_def(version: ApiVersion, wire: &str, pointer: &str) -> Site {
        Site {
            item: SpecItem::Type(version, wire.to_owned()),
            pointer: pointer.to_owned(),
        }
    }

    /// The field at `pointer` of the function catalog.
    fn functions(pointer: &str) -> Site {
        Site {
            item: SpecItem::Functions,
            pointer: pointer.to_owned(),
        }
    }
}
