//! Phase 3, first pass: a node type per tree node, with its navigation methods.

use std::collections::{BTreeMap, BTreeSet};

use super::check::Checked;
use super::clash::site;
use super::names::{area_of, NodeId};
use super::tree::{Edge, EdgeKind, Tree};
use super::types::{lower_params, order_required_first};
use super::{Log, Site};
use crate::ir;
use crate::naming::snake_case;
use crate::spec;

/// Pass: every node of the tree as an IR node type (operations are attached later).
pub(super) fn lower_nodes(
    c: &Checked,
    tree: &Tree,
    log: &mut Log,
) -> BTreeMap<NodeId, ir::NodeType> {
    check_node_names(c, tree, log);
    let mut out = BTreeMap::new();
    for (id, edges) in &tree.edges {
        let mut navs: Vec<(ir::Nav, &Edge)> = edges
            .iter()
            .filter_map(|((_, kind), e)| Some((lower_nav(c, id, *kind, e, log)?, e)))
            .collect();
        resolve_nav_clashes(c, id, &mut navs, log);
        let navs = navs.into_iter().map(|(n, _)| n).collect();
        out.insert(
            id.clone(),
            ir::NodeType {
                wire_type: id.wire_type.clone(),
                collection: id.collection,
                rust: id.rust(),
                area: area_of(&id.wire_type),
                navs,
                ops: Vec::new(),
                reached_by: tree
                    .reached
                    .get(id)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            },
        );
    }
    out
}

/// Where a diagnostic about an edge points: the first path segment that takes it (the name of
/// a navigation, the key parameter of a key).
fn edge_site(c: &Checked, e: &Edge, key: bool) -> Site {
    site(c, &e.origin.op, &e.origin.pointer(key))
}

/// Two node ids must not map to one Rust name. Reported at the first segment that reaches
/// the node, else (the root, which no edge reaches) at the first segment that reaches the
/// other node.
fn check_node_names(c: &Checked, tree: &Tree, log: &mut Log) {
    let mut reached_by: BTreeMap<&NodeId, &Edge> = BTreeMap::new();
    for e in tree.edges.values().flat_map(|edges| edges.values()) {
        reached_by.entry(&e.target).or_insert(e);
    }
    let mut rust_names: BTreeMap<String, &NodeId> = BTreeMap::new();
    for id in tree.edges.keys() {
        let rust = id.rust();
        if let Some(other) = rust_names.insert(rust.clone(), id) {
            // Only the root is reached by no edge, so one of the two is.
            let Some(e) = reached_by.get(id).or(reached_by.get(other)) else {
                continue;
            };
            let at = edge_site(c, e, false);
            log.error(
                at,
                &rust,
                format_args!(
                    "duplicate name: node types `{other}` and `{id}` both map to `{rust}`"
                ),
            );
        }
    }
}

/// One edge as a navigation method; `None` for a key edge without a usable key.
fn lower_nav(
    c: &Checked,
    from: &NodeId,
    kind: EdgeKind,
    e: &Edge,
    log: &mut Log,
) -> Option<ir::Nav> {
    let target_area = area_of(&e.target.wire_type);
    // Merged from every path that takes the edge: reported at the first segment that takes it.
    let at = |_: usize, _: &str| edge_site(c, e, kind != EdgeKind::Nav);
    let what = from.rust();
    let kind_ir = match kind {
        EdgeKind::Nav if e.args.is_empty() => ir::NavKind::Segment {
            wire: e.wire.clone(),
        },
        EdgeKind::Nav => {
            let args = merged_args(&e.args, e.forms);
            let args = lower_params(log, &c.types, (&at, &what), &args, false);
            ir::NavKind::Call {
                wire: e.wire.clone(),
                args: order_required_first(args),
            }
        }
        EdgeKind::Key | EdgeKind::Shortcut => {
            let k = e.key.as_ref()?;
            let mut ps = lower_params(log, &c.types, (&at, &what), std::slice::from_ref(k), false);
            let mut param = ps.pop()?;
            param.required = true;
            let segment = (kind == EdgeKind::Shortcut).then(|| e.wire.clone());
            ir::NavKind::Key { segment, param }
        }
    };
    let method = match kind {
        EdgeKind::Nav => snake_case(&e.wire),
        EdgeKind::Key => "item".to_owned(),
        EdgeKind::Shortcut => e
            .key
            .as_ref()
            .map(|k| snake_case(&k.name))
            .unwrap_or_default(),
    };
    Some(ir::Nav {
        method,
        target: e.target.rust(),
        area: (target_area != area_of(&from.wire_type))
            .then_some(target_area)
            .flatten(),
        kind: kind_ir,
        composes: Vec::new(),
    })
}

/// Arguments merged over documented forms: required only when every form has them.
pub(super) fn merged_args(args: &[(spec::Param, usize)], forms: usize) -> Vec<spec::Param> {
    args.iter()
        .map(|(p, n)| spec::Param {
            required: p.required && *n == forms,
            ..p.clone()
        })
        .collect()
}

/// Clash rule for navigations: plain navigations keep their names; a key method that clashes
/// gets `_item` appended. Sorts the navigations by method name.
fn resolve_nav_clashes(c: &Checked, id: &NodeId, navs: &mut [(ir::Nav, &Edge)], log: &mut Log) {
    navs.sort_by_key(|(n, _)| matches!(n.kind, ir::NavKind::Key { .. }));
    let mut taken = BTreeSet::new();
    for (n, e) in navs.iter_mut() {
        if !taken.insert(n.method.clone()) {
            let new = format!("{}_item", n.method);
            log.note(
                edge_site(c, e, matches!(n.kind, ir::NavKind::Key { .. })),
                &id.rust(),
                format_args!(
                    "key method `{}` clashes with a navigation; named `{new}`",
                    n.method
                ),
            );
            n.method = new;
            taken.insert(n.method.clone());
        }
    }
    navs.sort_by(|(a, _), (b, _)| a.method.cmp(&b.method));
}
