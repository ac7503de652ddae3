//! Phase 2: the navigation tree. Every path prefix gets one node type (bound by an operation,
//! documented on a segment, or guessed), and every step of every path becomes an edge.

use std::collections::{BTreeMap, BTreeSet};

use super::check::{seg_name, Checked, OpInfo, OpPath};
use super::composable::{self, Converted};
use super::names::NodeId;
use super::Log;
use crate::naming::pascal_case;
use crate::path;
use crate::spec::{self, Segment, TypeRef};

/// Identity of a path prefix: its segments' [`seg_key`]s.
type Prefix = Vec<String>;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum EdgeKind {
    /// `/format`, `/range(address=..)`
    Nav,
    /// `/{key}` on a collection node.
    Key,
    /// `/worksheets/{worksheet}` in one step from the parent.
    Shortcut,
}

/// One navigation step out of a node, merged over every path that takes it.
pub(super) struct Edge {
    pub wire: String,
    pub target: NodeId,
    /// Per argument, in documented order: the param and the number of forms it appears in.
    pub args: Vec<(spec::Param, usize)>,
    /// How many documented forms take this step.
    pub forms: usize,
    /// The key parameter of key and shortcut edges.
    pub key: Option<spec::Param>,
    /// The first path segment that takes this step, for diagnostics about the edge.
    pub origin: Origin,
}

/// A segment of an operation's path: what a diagnostic about a merged edge points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Origin {
    /// The operation id (its file name).
    pub op: String,
    /// Index in the operation's `paths`.
    pub path: usize,
    /// Index in that path's `segments`.
    pub segment: usize,
}

impl Origin {
    fn new(info: &OpInfo, p: &OpPath, segment: usize) -> Origin {
        Origin {
            op: info.op.id.clone(),
            path: p.index,
            segment,
        }
    }

    /// The JSON pointer of the segment's name (of its key parameter's name for a key).
    pub fn pointer(&self, key: bool) -> String {
        let field = if key { "param/name" } else { "name" };
        format!("/paths/{}/segments/{}/{field}", self.path, self.segment)
    }
}

/// The navigation tree of one version.
#[derive(Default)]
pub(super) struct Tree {
    /// Every node with its outgoing edges (by lower-cased segment name and kind).
    pub edges: BTreeMap<NodeId, BTreeMap<(String, EdgeKind), Edge>>,
    /// Generic path skeletons that reach each node, for docs.
    pub reached: BTreeMap<NodeId, BTreeSet<String>>,
    /// The GETs of composable functions that are navigations (see [`super::composable`]).
    pub composed: Converted,
}

/// Phase 2 of one version.
pub(super) fn build(c: &Checked, log: &mut Log) -> Tree {
    let (bound, conflicting) = bind_prefixes(c, log);
    let documented = documented_targets(&c.ops);
    let mut tree = Tree::default();
    tree.edges.entry(NodeId::root()).or_default();
    tree.reached
        .entry(NodeId::root())
        .or_default()
        .insert("/workbook".into());
    for info in c
        .ops
        .iter()
        .filter(|i| !conflicting.contains(i.op.id.as_str()))
    {
        for p in &info.paths {
            walk(&mut tree, (&bound, &documented), info, p, log);
        }
    }
    let mut converted = composable::convert(c, &conflicting);
    composable::add_edges(c, &mut tree, &mut converted, log);
    tree.composed = converted;
    tree
}

/// Identity of a segment for typing prefixes: case-insensitive name, keys as `{}`.
fn seg_key(seg: &Segment) -> String {
    match seg {
        Segment::Navigation { name, .. } | Segment::Call { name, .. } => name.to_ascii_lowercase(),
        Segment::Key { .. } => "{}".into(),
    }
}

fn seg_target(seg: &Segment) -> Option<&TypeRef> {
    match seg {
        Segment::Navigation { target, .. } | Segment::Call { target, .. } => target.as_ref(),
        Segment::Key { .. } => None,
    }
}

/// Pass: the node each operation's paths reach is its binding; two operations must not bind
/// one prefix to different nodes (the first, by id, wins; the ids of the others are returned
/// too, their paths are not walked).
fn bind_prefixes<'a>(
    c: &'a Checked,
    log: &mut Log,
) -> (BTreeMap<Prefix, NodeId>, BTreeSet<&'a str>) {
    let mut bound: BTreeMap<Prefix, (NodeId, &str)> = BTreeMap::new();
    let mut conflicting = BTreeSet::new();
    for info in &c.ops {
        for p in &info.paths {
            let key: Prefix = p.node.iter().map(seg_key).collect();
            match bound.get(&key) {
                Some((other, by)) if *other != info.node => {
                    log.error(
                        info.site(&format!("/paths/{}/template", p.index)),
                        &info.op.id,
                        format_args!(
                            "path `{}` reaches `{}` here but `{other}` in `{by}`",
                            p.template, info.node
                        ),
                    );
                    conflicting.insert(info.op.id.as_str());
                }
                Some(_) => {}
                None => {
                    bound.insert(key, (info.node.clone(), &info.op.id));
                }
            }
        }
    }
    let bound = bound.into_iter().map(|(k, (n, _))| (k, n)).collect();
    (bound, conflicting)
}

/// Pass: types documented on segments (`target`), by prefix, from every path (first wins).
fn documented_targets(ops: &[OpInfo]) -> BTreeMap<Prefix, NodeId> {
    let mut out: BTreeMap<Prefix, NodeId> = BTreeMap::new();
    for p in ops.iter().flat_map(|info| &info.paths) {
        let mut key = Vec::new();
        for seg in p.node {
            key.push(seg_key(seg));
            if let Some(t) = seg_target(seg) {
                out.entry(key.clone()).or_insert_with(|| NodeId::of_type(t));
            }
        }
    }
    out
}

/// Pass: one path walked from the root, typing each prefix and recording the edges it takes.
fn walk(
    tree: &mut Tree,
    known: (&BTreeMap<Prefix, NodeId>, &BTreeMap<Prefix, NodeId>),
    info: &OpInfo,
    p: &OpPath,
    log: &mut Log,
) {
    let segs = p.node;
    let mut cur = NodeId::root();
    // history[j] = the node reached by segs[..=j]
    let mut history = vec![cur.clone()];
    let mut key = vec![seg_key(&segs[0])];
    for (i, seg) in segs.iter().enumerate().skip(1) {
        key.push(seg_key(seg));
        let next = next_node(tree, known, &key, &cur, segs, i)
            .unwrap_or_else(|| guess_node(&cur, segs, i, info, p, log));
        record_edge(tree, &cur, (seg, i), &next, (info, p), log);
        // `/worksheets/{worksheet}` in one step from the parent.
        if let (Segment::Key { param }, Some(Segment::Navigation { name, .. }), Some(parent)) = (
            seg,
            segs.get(i - 1),
            i.checked_sub(2).and_then(|j| history.get(j)),
        ) {
            let origin = Origin::new(info, p, i);
            record_shortcut(tree, parent.clone(), name, param, &next, origin);
        }
        tree.edges.entry(next.clone()).or_default();
        tree.reached.entry(next.clone()).or_default();
        history.push(next.clone());
        cur = next;
    }
    if cur != info.node {
        log.error(
            info.site(&format!("/paths/{}/template", p.index)),
            &info.op.id,
            format_args!(
                "path `{}` reaches `{cur}`, not the binding `{}`",
                p.template, info.node
            ),
        );
    }
    tree.reached
        .entry(cur)
        .or_default()
        .insert(path::render(p.node, path::Form::Named));
}

/// The node `segs[..=i]` reaches when something says so: an operation bound to the prefix, a
/// type documented on the segment (on any path, then on this one), the element of a keyed
/// collection, or an edge an earlier path took.
fn next_node(
    tree: &Tree,
    (bound, documented): (&BTreeMap<Prefix, NodeId>, &BTreeMap<Prefix, NodeId>),
    key: &Prefix,
    cur: &NodeId,
    segs: &[Segment],
    i: usize,
) -> Option<NodeId> {
    let seg = &segs[i];
    if let Some(t) = bound.get(key).or_else(|| documented.get(key)) {
        return Some(t.clone());
    }
    if let Some(t) = seg_target(seg) {
        return Some(NodeId::of_type(t));
    }
    if matches!(seg, Segment::Key { .. }) {
        return Some(NodeId::one(cur.wire_type.clone()));
    }
    tree.edges
        .get(cur)
        .and_then(|edges| edges.get(&(seg_key(seg), EdgeKind::Nav)))
        .map(|e| e.target.clone())
}

/// A node nothing documents: named after its parent and the segment (noted).
fn guess_node(
    cur: &NodeId,
    segs: &[Segment],
    i: usize,
    info: &OpInfo,
    p: &OpPath,
    log: &mut Log,
) -> NodeId {
    let name = seg_name(&segs[i]).unwrap_or_default();
    let guess = format!("{}{}", cur.wire_type, pascal_case(name));
    log.note(
        info.site(&format!("/paths/{}/segments/{i}/name", p.index)),
        &info.op.id,
        format_args!(
            "type of segment `{name}` in `{}` is not known; using `{guess}`",
            p.template
        ),
    );
    NodeId {
        wire_type: guess,
        collection: matches!(segs.get(i + 1), Some(Segment::Key { .. })),
    }
}

/// The edge `cur --seg--> next`, merged with the edge earlier paths recorded.
fn record_edge(
    tree: &mut Tree,
    cur: &NodeId,
    (seg, i): (&Segment, usize),
    next: &NodeId,
    (info, p): (&OpInfo, &OpPath),
    log: &mut Log,
) {
    let edges = tree.edges.entry(cur.clone()).or_default();
    let (ekey, kind) = match seg {
        Segment::Key { .. } => ("{}".to_owned(), EdgeKind::Key),
        _ => (seg_key(seg), EdgeKind::Nav),
    };
    let edge = edges.entry((ekey, kind)).or_insert_with(|| Edge {
        wire: seg_name(seg).unwrap_or_default().to_owned(),
        target: next.clone(),
        args: Vec::new(),
        forms: 0,
        key: None,
        origin: Origin::new(info, p, i),
    });
    if edge.target != *next {
        log.error(
            info.site(&format!("/paths/{}/template", p.index)),
            &info.op.id,
            format_args!(
                "segment `{}` of `{}` reaches `{next}` here but `{}` elsewhere",
                seg_name(seg).unwrap_or("{key}"),
                p.template,
                edge.target
            ),
        );
    }
    edge.forms += 1;
    match seg {
        Segment::Call { args, .. } => add_args(&mut edge.args, args),
        Segment::Key { param } => edge.key = Some(param.clone()),
        Segment::Navigation { .. } => {}
    }
}

fn record_shortcut(
    tree: &mut Tree,
    parent: NodeId,
    name: &str,
    param: &spec::Param,
    next: &NodeId,
    origin: Origin,
) {
    let edge = tree
        .edges
        .entry(parent)
        .or_default()
        .entry((name.to_ascii_lowercase(), EdgeKind::Shortcut))
        .or_insert_with(|| Edge {
            wire: name.to_owned(),
            target: next.clone(),
            args: Vec::new(),
            forms: 0,
            key: Some(param.clone()),
            origin,
        });
    edge.forms += 1;
}

/// Union of argument lists over documented forms, in first-seen order, counting occurrences.
pub(super) fn add_args(acc: &mut Vec<(spec::Param, usize)>, args: &[spec::Param]) {
    for a in args {
        match acc.iter_mut().find(|(p, _)| p.name == a.name) {
            Some((_, n)) => *n += 1,
            None => acc.push((a.clone(), 1)),
        }
    }
}
