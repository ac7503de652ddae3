//! Unit tests of each lowering pass called on its own, one file per pass, on small specs built
//! in code (the builders of `lower::tests`). Each test asserts what its pass decides (a node's
//! type, a method's name, a diagnostic's file, line and item), not the whole output.
//!
//! A pass runs on what the passes before it produced, so the runners here stop the pipeline
//! right after the phase a test needs: [`check_only`], [`tree_of`], [`nodes_of`],
//! [`through_ops`].

mod check;
mod clash;
mod composable;
mod features;
mod functions;
mod nodes;
mod ops;
mod tree;

use std::collections::BTreeMap;

use super::check::{self as check_pass, Checked};
use super::composable::ComposedOp;
use super::names::NodeId;
use super::tests::{key, nav, param, spec_of};
use super::{nodes as nodes_pass, ops as ops_pass, tree as tree_pass, Log};
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir;
use crate::spec::{self, ApiVersion, Segment, TypeRef};

const V1: ApiVersion = ApiVersion::V1_0;

/// The v1.0 part of a spec of these operations and types.
fn version_spec(ops: Vec<spec::Operation>, types: Vec<spec::TypeDef>) -> spec::VersionSpec {
    spec_of(ops, types)
        .versions
        .remove(&V1)
        .expect("spec_of makes v1.0")
}

/// `/workbook/worksheets/{worksheet}`, its collection typed.
fn ws_path() -> Vec<Segment> {
    vec![
        nav("workbook", None),
        nav("worksheets", Some("Collection(workbookWorksheet)")),
        key("worksheet"),
    ]
}

/// `path` with `more` appended.
fn then(path: &[Segment], more: impl IntoIterator<Item = Segment>) -> Vec<Segment> {
    path.iter().cloned().chain(more).collect()
}

/// A call to a function the metadata marks composable, returning `target`.
fn composable_call(name: &str, args: &[(&str, &str)], target: &str) -> Segment {
    Segment::Call {
        name: name.into(),
        args: args.iter().map(|(n, t)| param(n, t)).collect(),
        target: Some(TypeRef::named(target)),
        composable: true,
    }
}

/// The line of the field at `pointer` in the operation's file.
fn line(op: &spec::Operation, pointer: &str) -> u32 {
    spec::line_of(&spec::to_file_text(op), pointer)
}

/// The file of operation `id`.
fn op_file(id: &str) -> String {
    format!("spec/v1.0/operations/{id}.json")
}

/// A log that places sites in `vs`, taken as the v1.0 version of a spec built in memory: files
/// and lines are those of the canonical rendering (`spec/v1.0/...`). The spec is leaked, for
/// the test's lifetime.
fn log_for(vs: &spec::VersionSpec) -> Log<'static> {
    let spec = spec::Spec {
        versions: [(V1, vs.clone())].into(),
        functions: None,
        sources: Default::default(),
    };
    Log::new(Box::leak(Box::new(spec)))
}

/// Like [`log_for`], for a function catalog.
fn log_for_functions(cat: &spec::FunctionCatalog) -> Log<'static> {
    let spec = spec::Spec {
        versions: Default::default(),
        functions: Some(cat.clone()),
        sources: Default::default(),
    };
    Log::new(Box::leak(Box::new(spec)))
}

/// The diagnostics of one severity, in the order the passes logged them.
fn logged<'l>(log: &'l Log<'_>, severity: Severity) -> Vec<&'l Diagnostic> {
    log.diags
        .iter()
        .filter(|d| d.severity == severity)
        .collect()
}

/// The one diagnostic about `file` of this severity (panics listing all when not exactly one).
fn only_about<'a>(log: &'a Log<'_>, severity: Severity, file: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = logged(log, severity)
        .into_iter()
        .filter(|d| d.file == file)
        .collect();
    match found.as_slice() {
        [d] => d,
        _ => panic!("one {severity:?} about {file} expected: {:#?}", log.diags),
    }
}

/// Phase 1 only.
fn check_only<'a>(vs: &'a spec::VersionSpec, log: &mut Log<'_>) -> Checked<'a> {
    check_pass::version(V1, vs, log)
}

/// Phases 1 and 2, asserting phase 1 found no error.
fn tree_of(vs: &spec::VersionSpec) -> (tree_pass::Tree, Log<'static>) {
    let mut log = log_for(vs);
    let c = check_only(vs, &mut log);
    assert!(logged(&log, Severity::Error).is_empty(), "{:#?}", log.diags);
    let tree = tree_pass::build(&c, &mut log);
    (tree, log)
}

/// Phases 1 and 2, then the node pass; asserting phases 1 and 2 found no error.
fn nodes_of(vs: &spec::VersionSpec) -> (BTreeMap<NodeId, ir::NodeType>, Log<'static>) {
    let mut log = log_for(vs);
    let c = check_only(vs, &mut log);
    let tree = tree_pass::build(&c, &mut log);
    assert!(logged(&log, Severity::Error).is_empty(), "{:#?}", log.diags);
    let nodes = nodes_pass::lower_nodes(&c, &tree, &mut log);
    (nodes, log)
}

/// What phase 3 has after the node and operation passes.
struct Lowered<'a> {
    c: Checked<'a>,
    nodes: BTreeMap<NodeId, ir::NodeType>,
    bodies: Vec<ir::BodyStruct>,
    counts: ops_pass::Counts,
    composed: Vec<ComposedOp>,
    log: Log<'static>,
}

/// Phases 1 and 2, then the node and operation passes; asserting no error before them.
fn through_ops(vs: &spec::VersionSpec) -> Lowered<'_> {
    let mut log = log_for(vs);
    let c = check_only(vs, &mut log);
    let tree = tree_pass::build(&c, &mut log);
    assert!(logged(&log, Severity::Error).is_empty(), "{:#?}", log.diags);
    let mut nodes = nodes_pass::lower_nodes(&c, &tree, &mut log);
    let (bodies, counts, composed) =
        ops_pass::attach_operations(&c, &mut nodes, &tree.composed, &mut log);
    Lowered {
        c,
        nodes,
        bodies,
        counts,
        composed,
        log,
    }
}

/// The node type named `rust`.
fn node<'a>(nodes: &'a BTreeMap<NodeId, ir::NodeType>, rust: &str) -> &'a ir::NodeType {
    nodes
        .values()
        .find(|n| n.rust == rust)
        .unwrap_or_else(|| panic!("no node `{rust}` among {:?}", rust_names(nodes)))
}

/// Rust names of the node types, sorted.
fn rust_names(nodes: &BTreeMap<NodeId, ir::NodeType>) -> Vec<&str> {
    let mut names: Vec<&str> = nodes.values().map(|n| n.rust.as_str()).collect();
    names.sort();
    names
}

/// The ids of a node's operations, in its order.
fn op_ids(n: &ir::NodeType) -> Vec<&str> {
    n.ops.iter().map(|o| o.id.as_str()).collect()
}
