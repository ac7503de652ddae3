//! Phase 3, second pass: every operation onto the node it acts on, with its verb, body struct
//! and return type.

use std::collections::{BTreeMap, BTreeSet};

use super::check::{seg_name, Checked, OpInfo};
use super::composable::{self, ComposedOp, Converted};
use super::names::NodeId;
use super::nodes::merged_args;
use super::tree::add_args;
use super::types::{lower_params, order_required_first};
use super::Log;
use crate::ir::{self, Name};
use crate::naming::pascal_case;
use crate::spec::{self, Segment};

/// Operations and (operation, path) pairs of a version, for the module docs.
#[derive(Default)]
pub(super) struct Counts {
    pub operations: usize,
    pub paths: usize,
}

/// Pass: each operation onto its node; returns the request-body structs, and the operations
/// that become navigations (`converted`) for [`composable::attach`].
pub(super) fn attach_operations(
    c: &Checked,
    nodes: &mut BTreeMap<NodeId, ir::NodeType>,
    converted: &Converted,
    log: &mut Log,
) -> (Vec<ir::BodyStruct>, Counts, Vec<ComposedOp>) {
    let mut bodies = Vec::new();
    let mut counts = Counts::default();
    let mut composed = Vec::new();
    let type_rust = c.types.rust_names();
    for info in &c.ops {
        let Some(node) = nodes.get_mut(&info.node) else {
            continue;
        };
        let op = info.op;
        let get_params = get_params(info);
        let verb = lower_verb(c, info, get_params.as_deref(), log);
        let body = if get_params.is_some() {
            ir::BodyKind::None
        } else {
            let name = body_name(&op.id, &type_rust);
            let (body, st) = lower_body(c, info, name, node.area, log);
            bodies.extend(st);
            body
        };
        let conversion = converted.get(&op.id);
        let mut paths: Vec<ir::OpPath> = info
            .paths
            .iter()
            .map(|p| ir::OpPath {
                segments: op.paths[p.index].segments.clone(),
                sent_args: match conversion {
                    Some(_) => composable::sent_args(info, p),
                    None => Vec::new(),
                },
                via: None,
            })
            .collect();
        ir::OpPath::sort(&mut paths);
        counts.paths += paths.len();
        counts.operations += 1;
        let method = operation(info, verb, body, paths);
        match conversion {
            Some((from, target)) => composed.push(ComposedOp {
                from: from.clone(),
                target: target.clone(),
                wire: method
                    .verb
                    .as_ref()
                    .map(|v| v.wire.clone())
                    .unwrap_or_default(),
                op: method,
            }),
            None => node.ops.push(method),
        }
    }
    (bodies, counts, composed)
}

fn operation(
    info: &OpInfo,
    verb: Option<ir::Verb>,
    body: ir::BodyKind,
    paths: Vec<ir::OpPath>,
) -> ir::OpMethod {
    let op = info.op;
    ir::OpMethod {
        id: op.id.clone(),
        name: Name::new(
            op.rust_name.clone(),
            verb.as_ref()
                .map(|v| v.wire.clone())
                .unwrap_or_else(|| op.method.to_string()),
        ),
        renamed: None,
        method: op.method,
        paths,
        verb,
        headers: op
            .headers
            .iter()
            .map(|h| ir::OpHeader {
                name: h.name.clone(),
                required: h.required,
                value: h.value.clone(),
            })
            .collect(),
        body,
        returns: info.returns.clone(),
        success: op.success.clone(),
        permissions: op.permissions.clone(),
        docs_url: op.docs_url.clone(),
        odata_query: op.odata_query,
        source: format!("{}:{}", op.source.page, op.source.line),
        metadata_note: metadata_note(op),
        wire_note: op.documented.as_ref().map(|d| {
            let body = match d.body {
                spec::Body::None => "",
                _ => " with a JSON body",
            };
            format!(
                "The docs page shows `{} {}`{body}; Graph's metadata declares `{}` a \
                 function, so this sends GET with the arguments in the path (Graph routes by \
                 the metadata).",
                d.method,
                d.templates.first().map(String::as_str).unwrap_or_default(),
                d.csdl_operation
            )
        }),
    }
}

/// What the docs of an operation from Graph's metadata say about it: the CSDL kind, the
/// binding, the parameters with their spec types.
fn metadata_note(op: &spec::Operation) -> Option<String> {
    if op.origin != spec::Origin::Metadata {
        return None;
    }
    let binding = if op.binding.collection {
        format!("Collection({})", op.binding.type_)
    } else {
        op.binding.type_.clone()
    };
    let name = op.id.rsplit_once('.').map_or(op.id.as_str(), |(_, v)| v);
    if let spec::Body::Resource { type_ } = &op.body {
        let nav = op
            .paths
            .first()
            .and_then(|p| p.segments.last())
            .and_then(seg_name);
        return Some(format!(
            "From Graph's metadata, not from a docs page: an OData create (POST of one `{type_}` \
             entity, `201 Created` with the new entity) on the containment collection `{}` \
             (`ContainsTarget`, not annotated `InsertRestrictions` `Insertable=false`). Fields of the \
             body left `None` are not sent: leave the server's (read-only) ones unset.",
            nav.unwrap_or(binding.as_str())
        ));
    }
    let (kind, params): (&str, Vec<&spec::Param>) = match (&op.body, op.method) {
        (spec::Body::Parameters { params }, _) => ("action", params.iter().collect()),
        (_, spec::Method::Post) => ("action", Vec::new()),
        _ => (
            "function",
            op.paths
                .first()
                .and_then(|p| p.segments.last())
                .map(|s| match s {
                    Segment::Call { args, .. } => args.iter().collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default(),
        ),
    };
    let params = if params.is_empty() {
        "no parameters".to_owned()
    } else {
        let list: Vec<String> = params
            .iter()
            .map(|p| {
                let opt = if p.required { "" } else { ", optional" };
                format!("`{}` (`{}`{opt})", p.name, p.type_)
            })
            .collect();
        format!("parameters {}", list.join(", "))
    };
    Some(format!(
        "From Graph's metadata, not from a docs page: the CSDL {kind} `{name}` bound to \
         `{binding}`, {params}."
    ))
}

/// The verb segment's name and its arguments merged over the documented forms.
pub(super) fn verb_segment(info: &OpInfo) -> Option<(String, Vec<(spec::Param, usize)>)> {
    let mut verb: Option<(String, Vec<(spec::Param, usize)>)> = None;
    for seg in info.paths.iter().filter_map(|p| p.verb) {
        let (_, args) =
            verb.get_or_insert_with(|| (seg_name(seg).unwrap_or_default().to_owned(), Vec::new()));
        if let Segment::Call { args: a, .. } = seg {
            add_args(args, a);
        }
    }
    verb
}

/// OData functions take their parameters in the URL: a GET whose page documents body
/// parameters sends them as arguments of the function segment (`boundingRect(anotherRange='A1')`).
pub(super) fn get_params(info: &OpInfo) -> Option<Vec<spec::Param>> {
    let has_verb = info.paths.iter().any(|p| p.verb.is_some());
    match &info.op.body {
        spec::Body::Parameters { params }
            if info.op.method == spec::Method::Get && has_verb && !params.is_empty() =>
        {
            Some(params.clone())
        }
        _ => None,
    }
}

fn lower_verb(
    c: &Checked,
    info: &OpInfo,
    get_params: Option<&[spec::Param]>,
    log: &mut Log,
) -> Option<ir::Verb> {
    let (wire, args) = verb_segment(info)?;
    let forms = info.paths.iter().filter(|p| p.verb.is_some()).count();
    let mut args = merged_args(&args, forms);
    for p in get_params.into_iter().flatten() {
        if !args.iter().any(|a| a.name == p.name) {
            args.push(spec::Param {
                quoted: p.quoted || p.type_ == spec::Primitive::String.into(),
                ..p.clone()
            });
        }
    }
    // Merged from several paths (and the body): the operation's first path stands for them.
    let at = |_: usize, _: &str| info.site("/paths/0/segments");
    let args = lower_params(log, &c.types, (&at, &info.op.id), &args, false);
    Some(ir::Verb {
        wire,
        args: order_required_first(args),
    })
}

/// `RangeInsert` + suffix, with `Body` appended when a resource type has that name.
fn body_name<'a>(id: &str, type_rust: &'a BTreeSet<String>) -> impl Fn(&str) -> String + 'a {
    let base = pascal_case(&id.replace('.', "_"));
    move |suffix| {
        let name = format!("{base}{suffix}");
        if type_rust.contains(&name) {
            format!("{name}Body")
        } else {
            name
        }
    }
}

/// The body of a (non-GET-parameter) operation, and its struct when it has one.
fn lower_body(
    c: &Checked,
    info: &OpInfo,
    struct_name: impl Fn(&str) -> String,
    area: ir::Area,
    log: &mut Log,
) -> (ir::BodyKind, Option<ir::BodyStruct>) {
    let (suffix, params, patch) = match &info.op.body {
        spec::Body::None => return (ir::BodyKind::None, None),
        spec::Body::Parameters { params } if params.is_empty() => {
            return (ir::BodyKind::None, None)
        }
        spec::Body::Parameters { params } => ("Params", params, false),
        spec::Body::Properties { params, .. } => ("", params, true),
        spec::Body::Resource { type_ } => {
            // Checked in phase 1: a named resource type.
            let body = match c.types.resolve(type_, "") {
                Ok(ty) => ir::BodyKind::Resource { ty },
                Err(_) => ir::BodyKind::None,
            };
            return (body, None);
        }
    };
    let rust = struct_name(suffix);
    let at = |i: usize, f: &str| info.site(&format!("/body/params/{i}/{f}"));
    let fields = lower_params(log, &c.types, (&at, &info.op.id), params, patch);
    let st = ir::BodyStruct {
        rust: rust.clone(),
        op_id: info.op.id.clone(),
        docs_url: info.op.docs_url.clone(),
        area,
        patch,
        fields,
    };
    (ir::BodyKind::Struct { rust }, Some(st))
}
