//! Every (operation, path) pair of a spec is reachable by typed calls: walking the documented
//! segments from the workbook root through the generated navigation methods ends on a node that
//! has the operation's method. Runs on the fixture spec and on the workspace's spec/.

use std::path::Path;

use graph_workbook_codegen::ir::{Api, NavKind, NodeType};
use graph_workbook_codegen::spec::{Segment, Spec};

fn walk<'a>(nodes: &'a [NodeType], segments: &[Segment]) -> Result<&'a NodeType, String> {
    let find = |rust: &str| nodes.iter().find(|n| n.rust == rust);
    let mut cur = find("WorkbookNode").ok_or("no WorkbookNode")?;
    for seg in segments.iter().skip(1) {
        let next = cur.navs.iter().find(|nav| match (&nav.kind, seg) {
            (
                NavKind::Segment { wire },
                Segment::Navigation { name, .. } | Segment::Call { name, .. },
            )
            | (
                NavKind::Call { wire, .. },
                Segment::Navigation { name, .. } | Segment::Call { name, .. },
            ) => wire.eq_ignore_ascii_case(name),
            (NavKind::Key { segment: None, .. }, Segment::Key { .. }) => true,
            _ => false,
        });
        let Some(nav) = next else {
            return Err(format!(
                "no navigation from `{}` for segment {seg:?}",
                cur.rust
            ));
        };
        cur = find(&nav.target).ok_or_else(|| format!("missing node `{}`", nav.target))?;
    }
    Ok(cur)
}

/// Checks every pair; returns (operations, paths) per version.
fn check(spec: &Spec, api: &Api) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for v in &api.versions {
        let vs = &spec.versions[&v.version];
        let (mut ops, mut paths) = (0, 0);
        for (id, op) in &vs.operations {
            ops += 1;
            for p in &op.paths {
                paths += 1;
                // The node the operation acts on: the whole path, or all but the verb segment.
                // A GET of a composable function is the `get` of the node the whole path
                // reaches, its path marked `via` the operation.
                let found = [p.segments.len(), p.segments.len().saturating_sub(1)]
                    .into_iter()
                    .filter_map(|n| walk(&v.nodes, &p.segments[..n]).ok())
                    .any(|node| {
                        node.ops.iter().any(|o| {
                            o.paths.iter().any(|t| {
                                t.template() == p.template
                                    && (&o.id == id || t.via.as_deref() == Some(id.as_str()))
                            })
                        })
                    });
                if !found {
                    failures.push(format!(
                        "{} {id}: `{}` is not reachable",
                        v.version, p.template
                    ));
                }
            }
        }
        out.push((v.version.to_string(), ops, paths));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    out
}

fn load(dir: &Path) -> Spec {
    let (spec, diags) = Spec::load(dir);
    assert!(
        diags
            .iter()
            .all(|d| d.severity != graph_workbook_codegen::diagnostics::Severity::Error),
        "{diags:#?}"
    );
    spec
}

#[test]
fn fixture_pairs_are_reachable() {
    let spec = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec"));
    let api = graph_workbook_codegen::lower::lower(&spec).expect("lower");
    let counts = check(&spec, &api);
    assert_eq!(counts[1], ("v1.0".to_owned(), 19, 25));
}

#[test]
fn workspace_spec_pairs_are_reachable() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = load(&dir);
    let api = graph_workbook_codegen::lower::lower(&spec).unwrap_or_else(|d| panic!("{d:#?}"));
    for (version, ops, paths) in check(&spec, &api) {
        println!("reachable: spec/{version} operations={ops} (operation, path) pairs={paths}");
    }
}
