//! Operations from Graph's metadata: every CSDL action/function bound to a workbook type that no
//! docs page documents (the set `check` lists as "operations the docs lack", computed by the
//! same walk: `crate::check::undocumented_operations`) becomes a spec operation with
//! `origin: metadata`.
//!
//! The wire form follows the CSDL kind: a function is a GET with its arguments in the path
//! (`itemAt(index={index})`; a function without parameters is the bare name, `count`, as the
//! docs write every other parameterless workbook function: `range`, `usedRange`), an action is
//! a POST with a JSON body of its parameters (nullable -> optional). Its templates are every
//! documented path prefix that reaches the binding type, with the verb appended and the whole
//! template resolved again by the documented templates' own resolver
//! ([`paths::parse_template`]), so the segments carry what the docs' segments carry.
//!
//! OData create (`add_create_operations`): a containment collection (`ContainsTarget`) that a
//! documented path reaches accepts `POST` of one entity unless the CSDL annotates it
//! `InsertRestrictions` `Insertable=false` ([`Csdl::insertable`]); where no page documents that
//! create, it becomes `<node>Collection.create` with the entity as its body. The body type is the
//! entity struct: every field is optional and skipped when unset, so the server's read-only
//! fields (`id`, `index`) can be left out.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::extract::api::node_name;
use crate::extract::csdl::{BoundOperation, Csdl, CsdlParam};
use crate::extract::paths;
use crate::path::{render, Form};
use crate::spec::{
    ApiVersion, Binding, Body, Header, Method, Operation, Origin, PathTemplate, Permissions,
    Segment, Source, TypeRef, VersionSpec,
};

/// The CSDL file as `source.page` of a metadata operation names it.
pub const CSDL_SOURCE: &str = "graph-metadata/v1.0.csdl";

/// A documented path prefix that reaches some type: its segments and drive-item prefixes.
type Reach = BTreeMap<String, (Vec<Segment>, BTreeSet<String>)>;

/// Add an operation to `vs` (one version's documented operations) for every CSDL operation bound
/// to a workbook type that no documented template reaches. Diagnostics name the CSDL line.
pub(crate) fn add_metadata_operations(
    vs: &mut VersionSpec,
    version: ApiVersion,
    csdl: &Csdl,
    diags: &mut Vec<Diagnostic>,
) {
    let missing = crate::check::undocumented_operations(csdl, vs);
    let mut new_ops = Vec::new();
    for u in missing {
        let ops: Vec<&BoundOperation> = csdl
            .operations_bound_to(&u.binding)
            .into_iter()
            .filter(|o| o.name == u.name)
            .collect();
        let [o] = ops.as_slice() else {
            let line = ops.first().map_or(0, |o| o.line);
            diags.push(Diagnostic::warning(
                CSDL_SOURCE,
                line,
                format!(
                    "`{}/{}` has {} overloads: not generated (one wire form per operation)",
                    u.binding,
                    u.name,
                    ops.len()
                ),
            ));
            continue;
        };
        // No documented path reaching the binding: nothing to address it by (CHECK.md counts
        // it as not generated; a partial docs tree would otherwise warn for most of the CSDL).
        if let Some(op) = synthesize(vs, version, csdl, o, diags) {
            new_ops.push(op);
        }
    }
    for op in new_ops {
        if vs.operations.contains_key(&op.id) {
            diags.push(Diagnostic::warning(
                CSDL_SOURCE,
                op.source.line,
                format!("operation id `{}` is taken by a documented operation: the metadata's is not generated", op.id),
            ));
            continue;
        }
        vs.operations.insert(op.id.clone(), op);
    }
}

/// One spec operation for the CSDL operation `o`, `None` when no documented path reaches its
/// binding.
fn synthesize(
    vs: &VersionSpec,
    version: ApiVersion,
    csdl: &Csdl,
    o: &BoundOperation,
    diags: &mut Vec<Diagnostic>,
) -> Option<Operation> {
    let binding_ref = &o.binding;
    let reach = reaching_prefixes(vs, binding_ref);
    if reach.is_empty() {
        return None;
    }
    let method = if o.is_action {
        Method::Post
    } else {
        Method::Get
    };
    let verb = verb_text(o);
    // Keyed by the resolved template: two prefixes may resolve to the same one.
    let mut by_template: BTreeMap<String, PathTemplate> = BTreeMap::new();
    for (segments, prefixes) in reach.values() {
        let text = format!("{}/{verb}", render(segments, Form::Template));
        let mut d = Vec::new();
        let Some(t) = paths::parse_template(&text, method, o.line, Some(csdl), CSDL_SOURCE, &mut d)
        else {
            continue;
        };
        // The text is rendered from resolved segments: anything the resolver reports is ours.
        diags.extend(d);
        let entry = by_template
            .entry(t.template.clone())
            .or_insert_with(|| PathTemplate {
                template: t.template,
                prefixes: Vec::new(),
                lines: vec![o.line],
                segments: t.segments,
            });
        entry.prefixes.extend(prefixes.iter().cloned());
        entry.prefixes.sort();
        entry.prefixes.dedup();
    }
    let paths_out: Vec<PathTemplate> = by_template.into_values().collect();
    let binding = match binding_ref.element() {
        Some(e) => Binding {
            type_: e.to_string(),
            collection: true,
        },
        None => Binding {
            type_: o.binding.to_string(),
            collection: false,
        },
    };
    let returns = o.returns();
    Some(Operation {
        id: format!("{}.{}", node_name(&binding), o.name),
        rust_name: crate::naming::snake_case(&o.name),
        version,
        origin: Origin::Metadata,
        source: Source {
            page: CSDL_SOURCE.to_owned(),
            line: o.line,
        },
        docs_url: None,
        permissions: sibling_permissions(vs, &binding),
        binding,
        method,
        paths: paths_out,
        headers: metadata_headers(),
        body: body(o),
        success: vec![if returns.is_some() { 200 } else { 204 }],
        returns,
        odata_query: false,
        documented: None,
    })
}

/// The verb segment as a template writes it: `add`, `count`, `itemAt(index={index})`.
fn verb_text(o: &BoundOperation) -> String {
    if o.is_action || o.params.is_empty() {
        return o.name.clone();
    }
    let args: Vec<String> = o
        .params
        .iter()
        .map(|p| format!("{0}={{{0}}}", p.name))
        .collect();
    format!("{}({})", o.name, args.join(","))
}

/// An action's parameters as its JSON body (nullable -> optional); a function has none.
fn body(o: &BoundOperation) -> Body {
    if !o.is_action || o.params.is_empty() {
        return Body::None;
    }
    Body::Parameters {
        params: o.params.iter().map(CsdlParam::to_param).collect(),
    }
}

/// Every documented path prefix (of a documented operation of `vs`) whose type is `target`,
/// keyed by its template, with the drive-item prefixes it was documented under.
fn reaching_prefixes(vs: &VersionSpec, target: &TypeRef) -> Reach {
    let mut out = Reach::new();
    for p in documented_prefixes(vs) {
        if p.type_ == *target {
            add_reach(&mut out, p.segments, p.drive_prefixes);
        }
    }
    out
}

fn add_reach(out: &mut Reach, segments: &[Segment], drive_prefixes: &[String]) {
    let entry = out
        .entry(render(segments, Form::Template))
        .or_insert_with(|| (segments.to_vec(), BTreeSet::new()));
    entry.1.extend(drive_prefixes.iter().cloned());
}

/// One prefix of a documented template: its segments, the type before its last segment, the
/// type it reaches and the drive-item prefixes of the template.
struct DocPrefix<'a> {
    segments: &'a [Segment],
    parent: Option<TypeRef>,
    type_: TypeRef,
    drive_prefixes: &'a [String],
}

/// Every prefix of every documented template (of a documented operation of `vs`) that resolves
/// to a type. A prefix that ends in a function can be extended only when the function is
/// composable (OData).
fn documented_prefixes(vs: &VersionSpec) -> Vec<DocPrefix<'_>> {
    let mut out = Vec::new();
    for op in vs.operations.values().filter(|o| o.origin == Origin::Docs) {
        for p in &op.paths {
            let mut cur: Option<TypeRef> = None;
            for (i, seg) in p.segments.iter().enumerate() {
                // The walk that built the segment recorded whether its function composes.
                if let Segment::Call { composable, .. } = seg {
                    if !composable {
                        break;
                    }
                }
                let parent = cur.take();
                cur = match seg {
                    Segment::Navigation { target, .. } | Segment::Call { target, .. } => {
                        target.clone()
                    }
                    Segment::Key { .. } => parent.as_ref().and_then(TypeRef::element).cloned(),
                };
                let Some(t) = &cur else { break };
                out.push(DocPrefix {
                    segments: &p.segments[..=i],
                    parent,
                    type_: t.clone(),
                    drive_prefixes: &p.prefixes,
                });
            }
        }
    }
    out
}

/// OData create: a collection-valued containment navigation property of a workbook type
/// (`ContainsTarget="true"`) accepts `POST` of one entity, unless the CSDL annotates it
/// `InsertRestrictions` `Insertable=false`. For every such collection that a documented path
/// reaches and no docs page creates in (`<node>Collection.create`, or a documented `POST` to the
/// same template), add `<node>Collection.create`: body the entity (`resource`), `201`, returns
/// the entity.
pub(crate) fn add_create_operations(vs: &mut VersionSpec, version: ApiVersion, csdl: &Csdl) {
    // Element type -> its containment collection templates.
    let mut by_type: BTreeMap<String, (Reach, u32)> = BTreeMap::new();
    for p in documented_prefixes(vs) {
        let (Some(parent), Some(Segment::Navigation { name, .. })) = (&p.parent, p.segments.last())
        else {
            continue;
        };
        let TypeRef::Named(parent_name) = parent else {
            continue;
        };
        let parent_name = parent_name.as_str();
        let Some(nav) = csdl.navigation(parent_name, name) else {
            continue;
        };
        if !(parent_name.starts_with("workbook")
            && nav.contains_target
            && nav.is_collection()
            && csdl.insertable(parent_name, &nav.name))
        {
            continue;
        }
        let Some(elem) = p.type_.element() else {
            continue;
        };
        let entry = by_type
            .entry(elem.to_string())
            .or_insert_with(|| (Reach::new(), nav.line));
        add_reach(&mut entry.0, p.segments, p.drive_prefixes);
    }
    let documented_posts: BTreeSet<&str> = vs
        .operations
        .values()
        .filter(|o| o.origin == Origin::Docs && o.method == Method::Post)
        .flat_map(|o| o.paths.iter().map(|p| p.template.as_str()))
        .collect();
    let mut new_ops = Vec::new();
    for (elem, (reach, line)) in by_type {
        let binding = Binding {
            type_: elem.clone(),
            collection: true,
        };
        let id = format!("{}.create", node_name(&binding));
        let paths_out: Vec<PathTemplate> = reach
            .into_iter()
            .filter(|(t, _)| !documented_posts.contains(t.as_str()))
            .map(|(template, (segments, prefixes))| PathTemplate {
                template,
                prefixes: prefixes.into_iter().collect(),
                lines: vec![line],
                segments,
            })
            .collect();
        if paths_out.is_empty() || vs.operations.contains_key(&id) {
            continue;
        }
        new_ops.push(Operation {
            id,
            rust_name: "create".to_owned(),
            version,
            origin: Origin::Metadata,
            source: Source {
                page: CSDL_SOURCE.to_owned(),
                line,
            },
            docs_url: None,
            permissions: sibling_permissions(vs, &binding),
            binding,
            method: Method::Post,
            paths: paths_out,
            headers: metadata_headers(),
            body: Body::Resource {
                type_: TypeRef::named(elem.clone()),
            },
            success: vec![201],
            returns: Some(TypeRef::named(elem)),
            odata_query: false,
            documented: None,
        });
    }
    for op in new_ops {
        vs.operations.insert(op.id.clone(), op);
    }
}

/// The headers of every operation from the metadata, as on the documented workbook operations.
fn metadata_headers() -> Vec<Header> {
    vec![
        Header {
            name: "Authorization".into(),
            required: true,
            value: None,
        },
        Header {
            name: "Workbook-Session-Id".into(),
            required: false,
            value: None,
        },
    ]
}

/// The permissions the documented operations on the same binding agree on; empty when they
/// disagree or there are none (the docs do not say, so neither does the spec).
fn sibling_permissions(vs: &VersionSpec, binding: &Binding) -> Permissions {
    let mut seen: BTreeSet<(Vec<String>, Vec<String>, Vec<String>)> = BTreeSet::new();
    for op in vs
        .operations
        .values()
        .filter(|o| o.origin == Origin::Docs && o.binding == *binding)
    {
        let p = &op.permissions;
        seen.insert((
            p.delegated_work.clone(),
            p.delegated_personal.clone(),
            p.application.clone(),
        ));
    }
    match (seen.len(), seen.into_iter().next()) {
        (1, Some((delegated_work, delegated_personal, application))) => Permissions {
            delegated_work,
            delegated_personal,
            application,
        },
        _ => Permissions::default(),
    }
}
