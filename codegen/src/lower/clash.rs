//! Phase 3: the naming rules for names that clash.

use std::collections::{BTreeMap, BTreeSet};

use super::names::NodeId;
use super::{op_file, Log};
use crate::ir;

/// Pass: a navigation keeps its name; an operation that clashes with one is named
/// `<http method>_<name>`; two operations with one name are an error. Sorts each node's
/// operations by method name.
pub(super) fn rename_operation_clashes(
    version: &str,
    nodes: &mut BTreeMap<NodeId, ir::NodeType>,
    log: &mut Log,
) {
    for node in nodes.values_mut() {
        let navs: BTreeSet<&str> = node.navs.iter().map(|n| n.method.as_str()).collect();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        node.ops.sort_by(|a, b| a.id.cmp(&b.id));
        for op in &mut node.ops {
            if navs.contains(op.name.rust.as_str()) {
                let new = format!("{}_{}", op.method.to_ascii_lowercase(), op.name.rust);
                let why = format!(
                    "`{}` navigates to the node of the same name; this operation is `{new}`",
                    op.name.rust
                );
                log.note(&op_file(version, &op.id), &op.id, &why);
                op.renamed = Some(why);
                op.name.rust = new;
            }
            if let Some(other) = seen.insert(op.name.rust.clone(), op.id.clone()) {
                log.error(
                    &op_file(version, &op.id),
                    &op.id,
                    format_args!(
                        "duplicate name: `{}` is also the method of `{other}` on `{}`",
                        op.name.rust, node.rust
                    ),
                );
            }
        }
        node.ops.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    }
}

/// Pass: two body structs must not share a name (`bodies` sorted by name).
pub(super) fn check_body_names(version: &str, bodies: &[ir::BodyStruct], log: &mut Log) {
    for pair in bodies.windows(2) {
        if pair[0].rust == pair[1].rust {
            let b = &pair[1];
            log.error(
                &op_file(version, &b.op_id),
                &b.op_id,
                format_args!("duplicate name: body struct `{}`", b.rust),
            );
        }
    }
}
