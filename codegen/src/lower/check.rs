//! Phase 1: every spec file checked on its own (nothing here depends on another operation).
//! Operations are split into the node part and the verb of each path; the types they mention
//! are resolved.

use super::names::NodeId;
use super::types::{lower_params, lower_typedefs, type_table, TypeTable};
use super::{Log, Site};
use crate::ir::{self, Ty};
use crate::naming::is_snake_ident;
use crate::path::{self, check_template, Form};
use crate::spec::WireName;
use crate::spec::{self, ApiVersion, Segment};

/// Verbs of plain REST calls: the operation acts on the node the whole path reaches.
const REST_VERBS: &[&str] = &["get", "list", "update", "delete", "create"];

/// One version, checked: what the later phases build on.
pub(super) struct Checked<'a> {
    pub version: ApiVersion,
    pub types: TypeTable,
    /// Every type with a valid name, lowered (no areas or serialization yet).
    pub typedefs: Vec<ir::ResourceStruct>,
    /// The operations without errors, by id.
    pub ops: Vec<OpInfo<'a>>,
}

/// One operation, checked.
pub(super) struct OpInfo<'a> {
    pub op: &'a spec::Operation,
    pub version: ApiVersion,
    /// The operation id its file is named after.
    pub id: &'a str,
    /// The node the operation says it acts on (its binding).
    pub node: NodeId,
    pub paths: Vec<OpPath<'a>>,
    pub returns: ir::Returns,
}

/// One path of one operation, checked.
pub(super) struct OpPath<'a> {
    /// Index in the operation's `paths`.
    pub index: usize,
    pub template: &'a str,
    /// Segments up to the node the operation acts on.
    pub node: &'a [Segment],
    pub verb: Option<&'a Segment>,
}

impl OpInfo<'_> {
    /// The field at `pointer` of the operation's file.
    pub fn site(&self, pointer: &str) -> Site {
        Site::operation(self.version, self.id, pointer)
    }
}

/// Phase 1 of one version.
pub(super) fn version<'a>(
    version: ApiVersion,
    vs: &'a spec::VersionSpec,
    log: &mut Log,
) -> Checked<'a> {
    let types = type_table(version, vs, log);
    let typedefs = lower_typedefs(version, vs, &types, log);
    let ops = vs
        .operations
        .iter()
        .filter_map(|(id, op)| operation(version, id, op, &types, log))
        .collect();
    Checked {
        version,
        types,
        typedefs,
        ops,
    }
}

/// One operation file: `None` when it has an error.
fn operation<'a>(
    version: ApiVersion,
    id: &'a str,
    op: &'a spec::Operation,
    types: &TypeTable,
    log: &mut Log,
) -> Option<OpInfo<'a>> {
    let at = |pointer: &str| Site::operation(version, id, pointer);
    let errors_before = log.diags.len();
    let Some((_, verb)) = id.rsplit_once('.') else {
        if op.version != version {
            version_mismatch(&at, id, op.version, version, log);
        }
        log.error(
            at("/id"),
            id,
            "operation id must have the form `<node>.<verb>`",
        );
        return None;
    };
    check_fields(version, &at, id, op, log);
    let paths: Vec<OpPath> = op
        .paths
        .iter()
        .enumerate()
        .filter_map(|(i, p)| split_path(&at, id, verb, (i, p), log))
        .collect();
    let returns = resolve_types(&at, id, op, types, log);
    let had_error = log.diags[errors_before..]
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error);
    (!had_error).then(|| OpInfo {
        op,
        version,
        id,
        node: NodeId {
            wire_type: op.binding.type_.clone(),
            collection: op.binding.collection,
        },
        paths,
        returns,
    })
}

fn version_mismatch(
    at: &dyn Fn(&str) -> Site,
    id: &str,
    found: ApiVersion,
    dir: ApiVersion,
    log: &mut Log,
) {
    log.error(
        at("/version"),
        id,
        format_args!("version `{found}` does not match its directory `{dir}`"),
    );
}

/// Version, Rust name, binding, at least one path (the method is typed: spec/ loading checks it).
fn check_fields(
    version: ApiVersion,
    at: &dyn Fn(&str) -> Site,
    id: &str,
    op: &spec::Operation,
    log: &mut Log,
) {
    if op.version != version {
        version_mismatch(at, id, op.version, version, log);
    }
    if !is_snake_ident(&op.rust_name) {
        log.error(
            at("/rust_name"),
            id,
            format_args!("`{}` is not a snake_case Rust method name", op.rust_name),
        );
    }
    if !WireName::is_valid(&op.binding.type_) {
        log.error(
            at("/binding/type"),
            id,
            format_args!("bad binding type `{}`", op.binding.type_),
        );
    }
    if op.paths.is_empty() {
        log.error(at("/paths"), id, "no path template");
    }
}

/// A path checked and split into the node part and the verb: the verb is the last segment
/// when it is named like the operation (actions such as `range.delete` = `POST
/// .../range/delete` included); plain REST verbs otherwise act on the whole path.
fn split_path<'a>(
    at: &dyn Fn(&str) -> Site,
    id: &str,
    verb: &str,
    (index, p): (usize, &'a spec::PathTemplate),
    log: &mut Log,
) -> Option<OpPath<'a>> {
    let template_at = || at(&format!("/paths/{index}/template"));
    if let Err(e) = check_template(&p.template) {
        log.error(template_at(), id, format_args!("bad template: {e}"));
        return None;
    }
    if let Err(e) = check_segments(&p.template, &p.segments) {
        let at = at(&format!("/paths/{index}/segments"));
        log.error(at, id, format_args!("bad template `{}`: {e}", p.template));
        return None;
    }
    let last = p.segments.last();
    let is_verb = p.segments.len() > 1
        && last
            .and_then(seg_name)
            .is_some_and(|n| n.eq_ignore_ascii_case(verb));
    if !REST_VERBS.contains(&verb) && !is_verb {
        log.note(template_at(), id, format_args!(
            "the last segment of `{}` is not the operation `{verb}`; the operation acts on the whole path",
            p.template
        ));
    }
    let (node, verb_seg) = if is_verb {
        (&p.segments[..p.segments.len() - 1], last)
    } else {
        (&p.segments[..], None)
    };
    Some(OpPath {
        index,
        template: &p.template,
        node,
        verb: verb_seg,
    })
}

/// Every type an operation mentions resolves (return type, body, parameters, segment keys and
/// arguments); returns the lowered return type.
fn resolve_types(
    at: &dyn Fn(&str) -> Site,
    id: &str,
    op: &spec::Operation,
    types: &TypeTable,
    log: &mut Log,
) -> ir::Returns {
    match &op.body {
        spec::Body::None | spec::Body::Parameters { .. } => {}
        spec::Body::Properties { type_, .. } => {
            if let Err(e) = types.resolve(type_, "") {
                log.error(at("/body/type"), id, format_args!("body: {e}"));
            }
        }
        spec::Body::Resource { type_ } => match types.resolve(type_, "") {
            Ok(Ty::Named(_)) => {}
            Ok(_) => log.error(
                at("/body/type"),
                id,
                format_args!("body: `{type_}` is not a resource type"),
            ),
            Err(e) => log.error(at("/body/type"), id, format_args!("body: {e}")),
        },
    }
    if let spec::Body::Parameters { params } | spec::Body::Properties { params, .. } = &op.body {
        let param_at = |i: usize, f: &str| at(&format!("/body/params/{i}/{f}"));
        lower_params(log, types, (&param_at, id), params, false);
    }
    for (p, path) in op.paths.iter().enumerate() {
        for (s, seg) in path.segments.iter().enumerate() {
            let seg_at = format!("/paths/{p}/segments/{s}");
            match seg {
                Segment::Call { args, .. } => {
                    let arg_at = |i: usize, f: &str| at(&format!("{seg_at}/args/{i}/{f}"));
                    lower_params(log, types, (&arg_at, id), args, false);
                }
                Segment::Key { param } => {
                    let key_at = |_: usize, f: &str| at(&format!("{seg_at}/param/{f}"));
                    lower_params(
                        log,
                        types,
                        (&key_at, id),
                        std::slice::from_ref(param),
                        false,
                    );
                }
                Segment::Navigation { .. } => {}
            }
        }
    }
    match &op.returns {
        None => ir::Returns::Empty,
        Some(t) => match types.resolve(t, "") {
            Ok(ty @ Ty::Named(_)) => ir::Returns::Json(ty),
            Ok(ty) => ir::Returns::Value(ty),
            Err(e) => {
                log.error(at("/returns"), id, format_args!("return type: {e}"));
                ir::Returns::Empty
            }
        },
    }
}

/// The name of a navigation or call segment.
pub(super) fn seg_name(seg: &Segment) -> Option<&str> {
    match seg {
        Segment::Navigation { name, .. } | Segment::Call { name, .. } => Some(name),
        Segment::Key { .. } => None,
    }
}

/// Segment list consistency: starts at `workbook`, wire names valid, and the template is the
/// one the segments spell (every later phase renders the path from the segments).
fn check_segments(template: &str, segs: &[Segment]) -> Result<(), String> {
    match segs.first() {
        Some(Segment::Navigation { name, .. }) if name == "workbook" => {}
        _ => return Err("the first segment must be `workbook`".into()),
    }
    for s in segs {
        match s {
            Segment::Navigation { name, .. } => {
                if !WireName::is_valid(name) || name == "$" {
                    return Err(format!("bad segment name `{name}`"));
                }
            }
            Segment::Call { name, .. } => {
                if !WireName::is_valid(name) {
                    return Err(format!("bad function name `{name}`"));
                }
            }
            Segment::Key { .. } => {}
        }
    }
    let spelled = path::render(segs, Form::Template);
    if template != spelled {
        return Err(format!("the segments spell `{spelled}`"));
    }
    Ok(())
}
