//! Composable functions are navigations. A GET whose verb is a function that Graph's metadata
//! marks `IsComposable` (spec: `composable` on the call segment) and that returns a resource
//! type (`worksheet.usedRange`, `range.cell`, `tableRowCollection.itemAt`) is generated as a
//! navigation method on its binding node, returning the node of the result type, which can be
//! navigated further (`used_range(..).sort()`) or fetched (`used_range(..).get()`). The result
//! node's `get` operation carries the converted operation's templates, so the request it sends
//! names the documented template.
//!
//! Three passes, one per phase: [`convert`] (which operations, phase 2), [`add_edges`] (their
//! navigation steps in the tree, phase 2), [`attach`] (the navigation docs and the `get`
//! templates, phase 3).

use std::collections::{BTreeMap, BTreeSet};

use super::check::{Checked, OpInfo};
use super::names::NodeId;
use super::ops::{get_params, verb_segment};
use super::tree::{Edge, EdgeKind, Tree};
use super::Log;
use crate::ir::{self, Name};
use crate::spec::{self, Segment};

/// Converted operations: id -> (binding node, result node).
pub(super) type Converted = BTreeMap<String, (NodeId, NodeId)>;

/// A converted operation lowered like any other, for [`attach`].
pub(super) struct ComposedOp {
    pub from: NodeId,
    pub target: NodeId,
    /// The verb's wire name: the navigation it becomes.
    pub wire: String,
    pub op: ir::OpMethod,
}

/// Pass: the operations to convert, with their result node: GET, every path ending in a
/// composable call that returns the same non-collection resource type, arguments in the path
/// (or documented as body parameters of the GET, which go in the path too).
pub(super) fn convert(c: &Checked, skip: &BTreeSet<&str>) -> Converted {
    c.ops
        .iter()
        .filter(|info| !skip.contains(info.op.id.as_str()))
        .filter_map(|info| Some((info.op.id.clone(), (info.node.clone(), target(c, info)?))))
        .collect()
}

/// The result node of `info` when it is a GET of a composable function.
fn target(c: &Checked, info: &OpInfo) -> Option<NodeId> {
    let op = info.op;
    let body_ok = match &op.body {
        spec::Body::None => true,
        spec::Body::Parameters { params } => params.is_empty() || get_params(info).is_some(),
        _ => false,
    };
    if op.method != spec::Method::Get || !body_ok || info.paths.is_empty() {
        return None;
    }
    let mut found: Option<&spec::TypeRef> = None;
    for p in &info.paths {
        let Some(Segment::Call {
            target: Some(t),
            composable: true,
            ..
        }) = p.verb
        else {
            return None;
        };
        if found.is_some_and(|f| f != t) {
            return None;
        }
        found = Some(t);
    }
    let t = found?;
    // A resource type of this spec (it has a struct, so its node's `get` can decode it).
    (!t.is_collection() && c.types.rust_of(&t.to_string()).is_some()).then(|| NodeId::of_type(t))
}

/// Pass: each converted operation's verb as a navigation step from its binding to its result
/// (merged with the step other paths take, if any: an argument is then optional unless every
/// form has it), and its paths among those that reach the result.
pub(super) fn add_edges(c: &Checked, tree: &mut Tree, converted: &mut Converted, log: &mut Log) {
    let infos: BTreeMap<&str, &OpInfo> = c.ops.iter().map(|i| (i.op.id.as_str(), i)).collect();
    converted.retain(|id, (from, target)| {
        let Some(info) = infos.get(id.as_str()) else {
            return false;
        };
        let Some((wire, args, forms)) = verb_args(info) else {
            return false;
        };
        let edges = tree.edges.entry(from.clone()).or_default();
        let edge = edges
            .entry((wire.to_ascii_lowercase(), EdgeKind::Nav))
            .or_insert_with(|| Edge {
                wire: wire.clone(),
                target: target.clone(),
                args: Vec::new(),
                forms: 0,
                key: None,
                origin: super::tree::Origin {
                    op: id.clone(),
                    path: 0,
                    segment: info
                        .op
                        .paths
                        .first()
                        .map_or(0, |p| p.segments.len().saturating_sub(1)),
                },
            });
        if edge.target != *target {
            log.note(
                info.site("/paths/0/segments"),
                id,
                format_args!(
                    "composable `{wire}` returns `{target}` but the navigation `{wire}` of \
                     `{from}` reaches `{}`: kept as an operation",
                    edge.target
                ),
            );
            return false;
        }
        edge.forms += forms;
        for (a, n) in args {
            match edge.args.iter_mut().find(|(p, _)| p.name == a.name) {
                Some((_, m)) => *m += n,
                None => edge.args.push((a, n)),
            }
        }
        tree.edges.entry(target.clone()).or_default();
        let reached = tree.reached.entry(target.clone()).or_default();
        for p in &info.op.paths {
            reached.insert(p.named());
        }
        true
    });
}

/// Arguments with the number of documented forms that have each.
type CountedArgs = Vec<(spec::Param, usize)>;

/// The verb's name, its arguments with the number of forms that have each (arguments
/// documented as GET body parameters are in every form), and the number of forms.
fn verb_args(info: &OpInfo) -> Option<(String, CountedArgs, usize)> {
    let (wire, mut args) = verb_segment(info)?;
    let forms = info.paths.len();
    for p in get_params(info).into_iter().flatten() {
        if !args.iter().any(|(a, _)| a.name == p.name) {
            let quoted = p.quoted || p.type_ == spec::Primitive::String.into();
            args.push((spec::Param { quoted, ..p }, forms));
        }
    }
    Some((wire, args, forms))
}

/// The arguments the navigation of a converted operation sends in its verb segment besides
/// those of path `p`: the GET body parameters (the runtime puts them in the path, so they are
/// in the skeleton it builds).
pub(super) fn sent_args(info: &OpInfo, p: &super::check::OpPath) -> Vec<spec::WireName> {
    let Some(Segment::Call { args, .. }) = p.verb else {
        return Vec::new();
    };
    let mut extra: Vec<spec::WireName> = Vec::new();
    for e in get_params(info).unwrap_or_default() {
        if !args.iter().any(|a| a.name == e.name) && !extra.contains(&e.name) {
            extra.push(e.name);
        }
    }
    extra
}

/// Pass: each converted operation documents the navigation it became, and its paths join the
/// `get` of the result node (a `get` built from it when the node has none).
pub(super) fn attach(nodes: &mut BTreeMap<NodeId, ir::NodeType>, composed: Vec<ComposedOp>) {
    let mut merged: Vec<NodeId> = Vec::new();
    for c in composed {
        if let Some(nav) = nodes.get_mut(&c.from).and_then(|n| {
            n.navs
                .iter_mut()
                .find(|nv| nav_wire(nv).is_some_and(|w| w.eq_ignore_ascii_case(&c.wire)))
        }) {
            nav.composes.push(c.op.clone());
            nav.composes.sort_by(|a, b| a.id.cmp(&b.id));
        }
        if let Some(node) = nodes.get_mut(&c.target) {
            merge_into_get(node, c.op);
            merged.push(c.target);
        }
    }
    // Sorted once per node, after every merge (a node's `get` takes the paths of up to two
    // dozen composable operations).
    merged.sort();
    merged.dedup();
    for id in merged {
        if let Some(get) = nodes
            .get_mut(&id)
            .and_then(|n| n.ops.iter_mut().find(|o| is_get(o)))
        {
            ir::OpPath::sort(&mut get.paths);
        }
    }
}

/// The node's own `get`: a GET named `get` with no verb segment.
fn is_get(o: &ir::OpMethod) -> bool {
    o.name.rust == "get" && o.method == spec::Method::Get && o.verb.is_none()
}

fn nav_wire(nv: &ir::Nav) -> Option<&str> {
    match &nv.kind {
        ir::NavKind::Segment { wire } | ir::NavKind::Call { wire, .. } => Some(wire),
        ir::NavKind::Key { .. } => None,
    }
}

/// `op`'s paths into the node's `get` (marked with `via`), or `op` as the node's `get`.
fn merge_into_get(node: &mut ir::NodeType, op: ir::OpMethod) {
    let get = node.ops.iter_mut().find(|o| is_get(o));
    match get {
        Some(get) => {
            get.paths.extend(op.paths.into_iter().map(|p| ir::OpPath {
                via: Some(op.id.clone()),
                ..p
            }));
        }
        None => node.ops.push(ir::OpMethod {
            name: Name::new("get", spec::Method::Get.as_str()),
            renamed: None,
            verb: None,
            ..op
        }),
    }
}
