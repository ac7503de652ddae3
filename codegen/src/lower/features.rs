//! Phase 3, last passes: which cargo feature (API area) compiles each type, and which types
//! serialize.

use std::collections::{BTreeMap, BTreeSet};

use super::names::NodeId;
use super::types::named_types;
use crate::ir::{self, Area, Ty};

/// Every (type, area of the item using it) pair: fields of types and bodies, resource bodies
/// and return types of operations.
fn type_uses(
    typedefs: &[ir::ResourceStruct],
    type_area: &BTreeMap<String, Area>,
    bodies: &[ir::BodyStruct],
    nodes: &BTreeMap<NodeId, ir::NodeType>,
) -> Vec<(String, Area)> {
    let mut refs: Vec<(String, Area)> = Vec::new();
    let mut push = |ty: &Ty, area: Area| {
        let mut s = BTreeSet::new();
        named_types(ty, &mut s);
        refs.extend(s.into_iter().map(|n| (n, area)));
    };
    for t in typedefs {
        let area = type_area.get(&t.name.rust).copied().flatten();
        for f in &t.fields {
            push(&f.ty, area);
        }
    }
    for b in bodies {
        for f in &b.fields {
            push(&f.ty, b.area);
        }
    }
    for n in nodes.values() {
        for o in &n.ops {
            if let ir::BodyKind::Resource { ty } = &o.body {
                push(ty, n.area);
            }
            if let ir::Returns::Json(ty) | ir::Returns::Value(ty) = &o.returns {
                push(ty, n.area);
            }
        }
    }
    refs
}

/// Pass: a type used outside its own area is always compiled (area `None`), to a fixed point.
pub(super) fn assign_areas(
    typedefs: &mut [ir::ResourceStruct],
    bodies: &[ir::BodyStruct],
    nodes: &BTreeMap<NodeId, ir::NodeType>,
) {
    let mut type_area: BTreeMap<String, Area> = typedefs
        .iter()
        .map(|t| (t.name.rust.clone(), t.area))
        .collect();
    loop {
        let mut changed = false;
        for (name, area) in type_uses(typedefs, &type_area, bodies, nodes) {
            if let Some(a) = type_area.get_mut(&name) {
                if a.is_some() && *a != area {
                    *a = None;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for t in typedefs {
        t.area = type_area.get(&t.name.rust).copied().flatten();
    }
}

/// Pass: types sent in request bodies (and the types inside them) also serialize.
pub(super) fn mark_serialized(
    typedefs: &mut [ir::ResourceStruct],
    bodies: &[ir::BodyStruct],
    nodes: &BTreeMap<NodeId, ir::NodeType>,
) {
    let mut sent = BTreeSet::new();
    for f in bodies.iter().flat_map(|b| &b.fields) {
        named_types(&f.ty, &mut sent);
    }
    for o in nodes.values().flat_map(|n| &n.ops) {
        if let ir::BodyKind::Resource { ty } = &o.body {
            named_types(ty, &mut sent);
        }
    }
    loop {
        let before = sent.len();
        for t in typedefs.iter() {
            if sent.contains(&t.name.rust) {
                for f in &t.fields {
                    named_types(&f.ty, &mut sent);
                }
            }
        }
        if sent.len() == before {
            break;
        }
    }
    for t in typedefs {
        t.serialize = sent.contains(&t.name.rust);
    }
}
