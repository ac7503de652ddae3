//! Phase 3: the naming rules for names that clash.

use std::collections::{BTreeMap, BTreeSet};

use super::check::Checked;
use super::names::NodeId;
use super::{Log, Site};
use crate::ir;

/// Pass: a navigation keeps its name; an operation that clashes with one is named
/// `<http method>_<name>`; two operations with one name are an error. Sorts each node's
/// operations by method name.
pub(super) fn rename_operation_clashes(
    c: &Checked,
    nodes: &mut BTreeMap<NodeId, ir::NodeType>,
    log: &mut Log,
) {
    for node in nodes.values_mut() {
        let navs: BTreeSet<&str> = node.navs.iter().map(|n| n.method.as_str()).collect();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        node.ops.sort_by(|a, b| a.id.cmp(&b.id));
        for op in &mut node.ops {
            if navs.contains(op.name.rust.as_str()) {
                let new = format!(
                    "{}_{}",
                    op.method.as_str().to_ascii_lowercase(),
                    op.name.rust
                );
                let why = format!(
                    "`{}` navigates to the node of the same name; this operation is `{new}`",
                    op.name.rust
                );
                log.note(site(c, &op.id, "/rust_name"), &op.id, &why);
                op.renamed = Some(why);
                op.name.rust = new;
            }
            if let Some(other) = seen.insert(op.name.rust.clone(), op.id.clone()) {
                log.error(
                    site(c, &op.id, "/rust_name"),
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
pub(super) fn check_body_names(c: &Checked, bodies: &[ir::BodyStruct], log: &mut Log) {
    for pair in bodies.windows(2) {
        if pair[0].rust == pair[1].rust {
            let b = &pair[1];
            log.error(
                site(c, &b.op_id, "/body"),
                &b.op_id,
                format_args!("duplicate name: body struct `{}`", b.rust),
            );
        }
    }
}

/// The field at `pointer` of the file of operation `id`.
pub(super) fn site(c: &Checked, id: &str, pointer: &str) -> Site {
    Site::operation(c.version, id, pointer)
}
