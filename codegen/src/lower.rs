//! spec/ -> IR: resolves types, builds the navigation tree (one node type per resource type
//! reached by some documented path), assigns every operation to the node it acts on, applies the
//! naming/clash rules, and collects every problem as a [`Diagnostic`] named
//! `spec/<file>: <operation>: message`.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{self, Area, Name, Ty};
use crate::naming::{is_keyword, pascal_case, snake_case};
use crate::spec::{self, Segment, Spec, TypeRef};

/// Properties and parameters that hold 2-D cell data.
pub const CELL_GRID_NAMES: &[&str] = &[
    "values",
    "formulas",
    "formulasLocal",
    "formulasR1C1",
    "text",
    "numberFormat",
    "valueTypes",
];

/// Verbs of plain REST calls: the operation acts on the node the whole path reaches.
const REST_VERBS: &[&str] = &["get", "list", "update", "delete", "create"];

/// Types the runtime provides when spec/ has no page for them.
const BUILTIN_TYPES: &[(&str, &str)] = &[("workbookFunctionResult", "crate::node::FunctionResult")];

/// Lower a whole spec. Errors are returned all at once; notes (clash renames, unresolved node
/// types that were guessed) are in [`ir::Api::notes`].
pub fn lower(spec: &Spec) -> Result<ir::Api, Vec<Diagnostic>> {
    let mut cx = Cx::default();
    let mut api = ir::Api::default();
    for (version, vs) in &spec.versions {
        api.versions.push(lower_version(&mut cx, version, vs));
    }
    if let Some(cat) = &spec.functions {
        api.functions = Some(lower_functions(&mut cx, cat));
    }
    let (errors, notes): (Vec<_>, Vec<_>) = cx
        .diags
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if errors.is_empty() {
        api.notes = notes;
        Ok(api)
    } else {
        Err(errors)
    }
}

#[derive(Default)]
struct Cx {
    diags: Vec<Diagnostic>,
}

impl Cx {
    fn error(&mut self, file: &str, what: &str, msg: impl std::fmt::Display) {
        self.diags
            .push(Diagnostic::error(file, 0, format!("{what}: {msg}")));
    }
    fn note(&mut self, file: &str, what: &str, msg: impl std::fmt::Display) {
        self.diags
            .push(Diagnostic::warning(file, 0, format!("{what}: {msg}")));
    }
}

fn op_file(version: &str, id: &str) -> String {
    format!("spec/{version}/operations/{id}.json")
}
fn type_file(version: &str, name: &str) -> String {
    format!("spec/{version}/types/{name}.json")
}

/// A valid, non-raw Rust identifier (keywords are not: the spec must have suffixed them).
fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(s)
        && s != "_"
}

/// A wire name usable in a URL segment or JSON field without escaping.
fn is_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-' || c == '.')
}

/// `workbookChartAxis` -> `ChartAxis`; `workbook` -> `Workbook`.
fn short_type(wire: &str) -> String {
    let rest = wire
        .strip_prefix("workbook")
        .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    pascal_case(rest.unwrap_or(wire))
}

fn node_rust(wire_type: &str, collection: bool) -> String {
    format!(
        "{}{}Node",
        short_type(wire_type),
        if collection { "Collection" } else { "" }
    )
}

/// The API area (cargo feature) of a wire type name.
pub fn area_of(wire_type: &str) -> Area {
    let s = short_type(wire_type);
    if s.starts_with("PivotTable") {
        Some("pivot-tables")
    } else if s.starts_with("Chart") {
        Some("charts")
    } else if s.starts_with("Table") {
        Some("tables")
    } else if s.starts_with("Comment") {
        Some("comments")
    } else if s.starts_with("Function") {
        Some("functions")
    } else {
        None
    }
}

/// Resolves type references against the types of one version.
struct Types<'a> {
    /// wire -> rust
    by_wire: &'a BTreeMap<String, String>,
}

impl Types<'_> {
    fn resolve(&self, t: &TypeRef, field: &str) -> Result<Ty, String> {
        let raw = t.0.strip_prefix("microsoft.graph.").unwrap_or(&t.0);
        let t = TypeRef::new(raw);
        if CELL_GRID_NAMES.contains(&field) && (t.0 == "Json" || t.0.starts_with("Collection(")) {
            return Ok(Ty::CellGrid);
        }
        if let Some(inner) = t.element() {
            if inner.is_collection() {
                return Err(format!("nested collection type `{t}` is not supported"));
            }
            return Ok(Ty::Vec(Box::new(self.resolve(&inner, "")?)));
        }
        Ok(match t.0.as_str() {
            "string" | "binary" => Ty::String,
            "int32" => Ty::I32,
            "int64" => Ty::I64,
            "double" => Ty::F64,
            "boolean" => Ty::Bool,
            "Json" => Ty::Json,
            "any" => Ty::Cell,
            other => match self.by_wire.get(other) {
                Some(rust) => Ty::Named(rust.clone()),
                None => match BUILTIN_TYPES.iter().find(|(w, _)| *w == other) {
                    Some((_, path)) => Ty::Named((*path).to_owned()),
                    None => return Err(format!("unknown type `{other}`")),
                },
            },
        })
    }
}

fn named_types(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) if !n.starts_with("crate::") => {
            out.insert(n.clone());
        }
        Ty::Vec(inner) | Ty::Boxed(inner) => named_types(inner, out),
        _ => {}
    }
}

/// Lowered parameter list; checks names, duplicates and types.
fn lower_params(
    cx: &mut Cx,
    types: &Types,
    file: &str,
    what: &str,
    params: &[spec::Param],
    force_optional: bool,
) -> Vec<ir::Param> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for p in params {
        if !is_wire_name(&p.name) {
            cx.error(file, what, format_args!("bad parameter name `{}`", p.name));
            continue;
        }
        let rust = snake_case(&p.name);
        if !seen.insert(rust.clone()) {
            cx.error(
                file,
                what,
                format_args!("duplicate name `{}` (parameter `{}`)", rust, p.name),
            );
            continue;
        }
        match types.resolve(&p.type_, &p.name) {
            Ok(ty) => out.push(ir::Param {
                name: Name::new(rust, p.name.clone()),
                ty,
                required: p.required && !force_optional,
                quoted: p.quoted,
                values: p.values.clone(),
                read_only: false,
            }),
            Err(e) => cx.error(file, what, format_args!("parameter `{}`: {e}", p.name)),
        }
    }
    out
}

/// Identity of a segment for typing prefixes: case-insensitive name, keys as `{}`.
fn seg_key(seg: &Segment) -> String {
    match seg {
        Segment::Navigation { name, .. } | Segment::Call { name, .. } => name.to_ascii_lowercase(),
        Segment::Key { .. } => "{}".into(),
    }
}

fn seg_name(seg: &Segment) -> Option<&str> {
    match seg {
        Segment::Navigation { name, .. } | Segment::Call { name, .. } => Some(name),
        Segment::Key { .. } => None,
    }
}

fn parse_binding(t: &TypeRef) -> (String, bool) {
    match t.element() {
        Some(inner) => (inner.0, true),
        None => (t.0.clone(), false),
    }
}

/// Checks a template string for the defects a spec must not carry (the extractor repairs them).
fn check_template(template: &str) -> Result<(), String> {
    if !template.starts_with("/workbook") {
        return Err(format!(
            "template `{template}` does not start with `/workbook`"
        ));
    }
    if template.chars().any(char::is_whitespace) {
        return Err(format!("template `{template}` contains whitespace"));
    }
    if template.ends_with('/') || template.contains("//") {
        return Err(format!("template `{template}` has an empty segment"));
    }
    let mut depth = 0i32;
    for c in template.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Err(format!("template `{template}` has unbalanced parentheses"));
        }
    }
    if depth != 0 {
        return Err(format!("template `{template}` has unbalanced parentheses"));
    }
    if template.matches('{').count() != template.matches('}').count() {
        return Err(format!("template `{template}` has unbalanced braces"));
    }
    Ok(())
}

/// One path of one operation, checked.
struct OpPath<'a> {
    template: &'a str,
    /// Segments up to the node the operation acts on.
    node: &'a [Segment],
    verb: Option<&'a Segment>,
    skeleton: String,
}

struct EdgeAcc {
    wire: String,
    target: (String, bool),
    /// Per argument, in documented order: param and number of forms it appears in.
    args: Vec<(spec::Param, usize)>,
    forms: usize,
    /// Key shortcuts: (collection segment, key param)
    key: Option<spec::Param>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum EdgeKind {
    Nav,
    Key,
    Shortcut,
}

type NodeId = (String, bool);

fn lower_version(cx: &mut Cx, version: &str, vs: &spec::VersionSpec) -> ir::VersionApi {
    let module = match version {
        "v1.0" => "v1_0".to_owned(),
        other => snake_case(other),
    };
    let docs_view = if version == "beta" {
        "graph-rest-beta"
    } else {
        "graph-rest-1.0"
    }
    .to_owned();

    // Types.
    let mut by_wire = BTreeMap::new();
    let mut rust_seen: BTreeMap<String, String> = BTreeMap::new();
    for (wire, t) in &vs.types {
        let file = type_file(version, wire);
        if t.version != version {
            cx.error(
                &file,
                wire,
                format_args!(
                    "version `{}` does not match its directory `{version}`",
                    t.version
                ),
            );
        }
        let rust = if is_ident(&t.rust_name)
            && t.rust_name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            t.rust_name.clone()
        } else {
            cx.error(
                &file,
                wire,
                format_args!("`{}` is not a PascalCase Rust type name", t.rust_name),
            );
            continue;
        };
        if crate::emit::IMPORTED_NAMES.contains(&rust.as_str()) {
            cx.error(
                &file,
                wire,
                format_args!(
                    "Rust type name `{rust}` is reserved: the generated module imports a runtime item of that name"
                ),
            );
            continue;
        }
        if let Some(other) = rust_seen.insert(rust.clone(), wire.clone()) {
            cx.error(
                &file,
                wire,
                format_args!("duplicate name: Rust type `{rust}` is also used by `{other}`"),
            );
            continue;
        }
        by_wire.insert(wire.clone(), rust);
    }
    let types = Types { by_wire: &by_wire };
    let mut typedefs = Vec::new();
    for (wire, t) in &vs.types {
        let Some(rust) = by_wire.get(wire) else {
            continue;
        };
        let file = type_file(version, wire);
        let mut fields = Vec::new();
        let mut seen = BTreeSet::new();
        for p in &t.properties {
            if !is_wire_name(&p.name) {
                cx.error(&file, wire, format_args!("bad property name `{}`", p.name));
                continue;
            }
            let fname = snake_case(&p.name);
            if !seen.insert(fname.clone()) {
                cx.error(
                    &file,
                    wire,
                    format_args!("duplicate name `{fname}` (property `{}`)", p.name),
                );
                continue;
            }
            match types.resolve(&p.type_, &p.name) {
                Ok(ty) => fields.push(ir::Param {
                    name: Name::new(fname, p.name.clone()),
                    ty,
                    required: false,
                    quoted: false,
                    values: p.values.clone(),
                    read_only: p.read_only,
                }),
                Err(e) => cx.error(&file, wire, format_args!("property `{}`: {e}", p.name)),
            }
        }
        for r in &t.relationships {
            if let Err(e) = types.resolve(&r.type_, "") {
                // Relationships are navigations, not fields; still, the type must exist.
                cx.error(&file, wire, format_args!("relationship `{}`: {e}", r.name));
            }
        }
        typedefs.push(ir::TypeDef {
            name: Name::new(rust.clone(), wire.clone()),
            docs_url: t.docs_url.clone(),
            kind: t.kind.clone(),
            area: area_of(wire),
            fields,
            serialize: false,
        });
    }

    box_recursive_fields(&mut typedefs);

    // Operations: check, split each path into node part and verb.
    struct OpInfo<'a> {
        op: &'a spec::Operation,
        file: String,
        node: NodeId,
        paths: Vec<OpPath<'a>>,
    }
    let mut infos = Vec::new();
    // prefix (segment keys) -> bound node type, with the operation that bound it
    let mut prefix_types: BTreeMap<Vec<String>, (NodeId, String)> = BTreeMap::new();
    for (id, op) in &vs.operations {
        let file = op_file(version, id);
        let mut ok = true;
        if op.version != version {
            cx.error(
                &file,
                id,
                format_args!(
                    "version `{}` does not match its directory `{version}`",
                    op.version
                ),
            );
            ok = false;
        }
        let Some((_, verb)) = id.rsplit_once('.') else {
            cx.error(&file, id, "operation id must have the form `<node>.<verb>`");
            continue;
        };
        if !matches!(
            op.method.as_str(),
            "GET" | "POST" | "PATCH" | "DELETE" | "PUT"
        ) {
            cx.error(
                &file,
                id,
                format_args!("unknown HTTP method `{}`", op.method),
            );
            ok = false;
        }
        if !is_ident(&op.rust_name) || op.rust_name.chars().any(|c| c.is_ascii_uppercase()) {
            cx.error(
                &file,
                id,
                format_args!("`{}` is not a snake_case Rust method name", op.rust_name),
            );
            ok = false;
        }
        if !is_wire_name(&op.binding.type_) {
            cx.error(
                &file,
                id,
                format_args!("bad binding type `{}`", op.binding.type_),
            );
            ok = false;
        }
        if op.paths.is_empty() {
            cx.error(&file, id, "no path template");
            ok = false;
        }
        let rest = REST_VERBS.contains(&verb);
        let mut paths = Vec::new();
        for p in &op.paths {
            if let Err(e) = check_template(&p.template) {
                cx.error(&file, id, format_args!("bad template: {e}"));
                ok = false;
                continue;
            }
            if let Err(e) = check_segments(&p.template, &p.segments) {
                cx.error(
                    &file,
                    id,
                    format_args!("bad template `{}`: {e}", p.template),
                );
                ok = false;
                continue;
            }
            let last = p.segments.last();
            // The verb is the last segment when it is named like the operation (actions such as
            // `range.delete` = `POST .../range/delete` included); plain REST verbs otherwise act
            // on the whole path.
            let is_verb = p.segments.len() > 1
                && last
                    .and_then(seg_name)
                    .is_some_and(|n| n.eq_ignore_ascii_case(verb));
            if !rest && !is_verb {
                cx.note(&file, id, format_args!(
                    "the last segment of `{}` is not the operation `{verb}`; the operation acts on the whole path",
                    p.template
                ));
            }
            let (node, verb_seg) = if is_verb {
                (&p.segments[..p.segments.len() - 1], last)
            } else {
                (&p.segments[..], None)
            };
            paths.push(OpPath {
                template: &p.template,
                node,
                verb: verb_seg,
                skeleton: ir::skeleton(&p.segments),
            });
        }
        if !ok {
            continue;
        }
        let node = (op.binding.type_.clone(), op.binding.collection);
        for p in &paths {
            let key: Vec<String> = p.node.iter().map(seg_key).collect();
            match prefix_types.get(&key) {
                Some((other, by)) if *other != node => {
                    cx.error(
                        &file,
                        id,
                        format_args!(
                            "path `{}` reaches `{}` here but `{}` in `{by}`",
                            p.template,
                            show_node(&node),
                            show_node(other)
                        ),
                    );
                    ok = false;
                }
                Some(_) => {}
                None => {
                    prefix_types.insert(key, (node.clone(), id.clone()));
                }
            }
        }
        if ok {
            infos.push(OpInfo {
                op,
                file,
                node,
                paths,
            });
        }
    }

    // Types documented on segments (`target`), by prefix, from every path.
    let mut target_by_prefix: BTreeMap<Vec<String>, NodeId> = BTreeMap::new();
    for info in &infos {
        for p in &info.paths {
            let mut key = Vec::new();
            for seg in p.node {
                key.push(seg_key(seg));
                if let Some(t) = seg_target(seg) {
                    target_by_prefix
                        .entry(key.clone())
                        .or_insert_with(|| parse_binding(&t));
                }
            }
        }
    }

    // Walk every path from the root, typing each prefix and recording navigation edges.
    let root: NodeId = ("workbook".into(), false);
    let mut nodes: BTreeMap<NodeId, BTreeMap<(String, EdgeKind), EdgeAcc>> = BTreeMap::new();
    let mut reached: BTreeMap<NodeId, BTreeSet<String>> = BTreeMap::new();
    nodes.entry(root.clone()).or_default();
    reached
        .entry(root.clone())
        .or_default()
        .insert("/workbook".into());
    for info in &infos {
        for p in &info.paths {
            let segs = p.node;
            let mut cur = root.clone();
            // history[j] = the node reached by segs[..=j]
            let mut history = vec![root.clone()];
            let mut key = vec![seg_key(&segs[0])];
            for (i, seg) in segs.iter().enumerate().skip(1) {
                key.push(seg_key(seg));
                let next = if let Some((t, _)) = prefix_types.get(&key) {
                    t.clone()
                } else if let Some(t) = target_by_prefix.get(&key) {
                    t.clone()
                } else if let Some(t) = seg_target(seg) {
                    parse_binding(&t)
                } else if matches!(seg, Segment::Key { .. }) {
                    (cur.0.clone(), false)
                } else if let Some(e) = nodes
                    .get(&cur)
                    .and_then(|edges| edges.get(&(seg_key(seg), EdgeKind::Nav)))
                {
                    e.target.clone()
                } else {
                    let name = seg_name(seg).unwrap_or_default();
                    let coll = matches!(segs.get(i + 1), Some(Segment::Key { .. }));
                    let guess = format!("{}{}", cur.0, pascal_case(name));
                    cx.note(
                        &info.file,
                        &info.op.id,
                        format_args!(
                            "type of segment `{name}` in `{}` is not known; using `{guess}`",
                            p.template
                        ),
                    );
                    (guess, coll)
                };
                let edges = nodes.entry(cur.clone()).or_default();
                let (ekey, kind) = match seg {
                    Segment::Key { .. } => ("{}".to_owned(), EdgeKind::Key),
                    _ => (seg_key(seg), EdgeKind::Nav),
                };
                let acc = edges.entry((ekey, kind)).or_insert_with(|| EdgeAcc {
                    wire: seg_name(seg).unwrap_or_default().to_owned(),
                    target: next.clone(),
                    args: Vec::new(),
                    forms: 0,
                    key: None,
                });
                if acc.target != next {
                    cx.error(
                        &info.file,
                        &info.op.id,
                        format_args!(
                            "segment `{}` of `{}` reaches `{}` here but `{}` elsewhere",
                            seg_name(seg).unwrap_or("{key}"),
                            p.template,
                            show_node(&next),
                            show_node(&acc.target)
                        ),
                    );
                }
                acc.forms += 1;
                match seg {
                    Segment::Call { args, .. } => {
                        add_args(&mut acc.args, args);
                    }
                    Segment::Key { param } => acc.key = Some(param.clone()),
                    Segment::Navigation { .. } => {}
                }
                // `/worksheets/{worksheet}` in one step from the parent.
                if let (Segment::Key { param }, Some(prev)) = (seg, segs.get(i - 1)) {
                    if let (Segment::Navigation { name, .. }, Some(parent)) =
                        (prev, i.checked_sub(2).and_then(|j| history.get(j)).cloned())
                    {
                        let pedges = nodes.entry(parent).or_default();
                        let sacc = pedges
                            .entry((name.to_ascii_lowercase(), EdgeKind::Shortcut))
                            .or_insert_with(|| EdgeAcc {
                                wire: name.clone(),
                                target: next.clone(),
                                args: Vec::new(),
                                forms: 0,
                                key: Some(param.clone()),
                            });
                        sacc.forms += 1;
                    }
                }
                nodes.entry(next.clone()).or_default();
                reached.entry(next.clone()).or_default();
                history.push(next.clone());
                cur = next;
            }
            if cur != info.node {
                cx.error(
                    &info.file,
                    &info.op.id,
                    format_args!(
                        "path `{}` reaches `{}`, not the binding `{}`",
                        p.template,
                        show_node(&cur),
                        show_node(&info.node)
                    ),
                );
            }
            reached
                .entry(cur)
                .or_default()
                .insert(generic_skeleton(p.node));
        }
    }

    // Node types with their navigation methods.
    let mut out_nodes: BTreeMap<NodeId, ir::NodeType> = BTreeMap::new();
    let mut rust_names: BTreeMap<String, NodeId> = BTreeMap::new();
    for id in nodes.keys() {
        let rust = node_rust(&id.0, id.1);
        if let Some(other) = rust_names.insert(rust.clone(), id.clone()) {
            cx.error(
                &format!("spec/{version}"),
                &rust,
                format_args!(
                    "duplicate name: node types `{}` and `{}` both map to `{rust}`",
                    show_node(&other),
                    show_node(id)
                ),
            );
        }
    }
    for (id, edges) in &nodes {
        let area = area_of(&id.0);
        let mut navs: Vec<ir::Nav> = Vec::new();
        // Plain navigations and calls first: they keep their names.
        for ((_, kind), e) in edges {
            let target_area = area_of(&e.target.0);
            let nav_area = if target_area != area {
                target_area
            } else {
                None
            };
            let target = node_rust(&e.target.0, e.target.1);
            let file = format!("spec/{version}");
            let what = node_rust(&id.0, id.1);
            let kind_ir = match kind {
                EdgeKind::Nav if e.args.is_empty() => ir::NavKind::Segment {
                    wire: e.wire.clone(),
                },
                EdgeKind::Nav => {
                    let args: Vec<spec::Param> = e
                        .args
                        .iter()
                        .map(|(p, n)| spec::Param {
                            required: p.required && *n == e.forms,
                            ..p.clone()
                        })
                        .collect();
                    let args = lower_params(cx, &types, &file, &what, &args, false);
                    ir::NavKind::Call {
                        wire: e.wire.clone(),
                        args: order_required_first(args),
                    }
                }
                EdgeKind::Key | EdgeKind::Shortcut => {
                    let Some(k) = &e.key else { continue };
                    let mut ps =
                        lower_params(cx, &types, &file, &what, std::slice::from_ref(k), false);
                    let Some(mut param) = ps.pop() else { continue };
                    param.required = true;
                    let segment = (*kind == EdgeKind::Shortcut).then(|| e.wire.clone());
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
            navs.push(ir::Nav {
                method,
                target,
                area: nav_area,
                kind: kind_ir,
            });
        }
        // Clash rule for navigations: plain navigations keep their names; a key method that
        // clashes gets `_item` appended.
        navs.sort_by_key(|n| matches!(n.kind, ir::NavKind::Key { .. }));
        let mut taken = BTreeSet::new();
        for n in &mut navs {
            if !taken.insert(n.method.clone()) {
                let new = format!("{}_item", n.method);
                cx.note(
                    &format!("spec/{version}"),
                    &node_rust(&id.0, id.1),
                    format_args!(
                        "key method `{}` clashes with a navigation; named `{new}`",
                        n.method
                    ),
                );
                n.method = new;
                taken.insert(n.method.clone());
            }
        }
        navs.sort_by(|a, b| a.method.cmp(&b.method));
        out_nodes.insert(
            id.clone(),
            ir::NodeType {
                wire_type: id.0.clone(),
                collection: id.1,
                rust: node_rust(&id.0, id.1),
                area,
                navs,
                ops: Vec::new(),
                reached_by: reached
                    .get(id)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            },
        );
    }

    // Operations onto their nodes.
    let mut bodies = Vec::new();
    let mut path_count = 0;
    let mut op_count = 0;
    let type_rust: BTreeSet<String> = by_wire.values().cloned().collect();
    for info in &infos {
        let op = info.op;
        let id = &op.id;
        let file = &info.file;
        let Some(node) = out_nodes.get_mut(&info.node) else {
            continue;
        };
        // Verb arguments: union over the documented forms.
        let mut verb: Option<(String, Vec<(spec::Param, usize)>)> = None;
        for p in &info.paths {
            if let Some(seg) = p.verb {
                let v = verb.get_or_insert_with(|| {
                    (seg_name(seg).unwrap_or_default().to_owned(), Vec::new())
                });
                if let Segment::Call { args, .. } = seg {
                    add_args(&mut v.1, args);
                }
            }
        }
        // OData functions take their parameters in the URL: a GET whose page documents body
        // parameters sends them as arguments of the function segment (`boundingRect(anotherRange='A1')`).
        let get_params = match (&op.body, op.method.as_str(), &verb) {
            (spec::Body::Parameters { params }, "GET", Some(_)) if !params.is_empty() => {
                Some(params.clone())
            }
            _ => None,
        };
        let forms = info.paths.iter().filter(|p| p.verb.is_some()).count();
        let verb = verb.map(|(wire, args)| {
            let args: Vec<spec::Param> = args
                .into_iter()
                .map(|(p, n)| spec::Param {
                    required: p.required && n == forms,
                    ..p
                })
                .collect();
            let mut args = args;
            for p in get_params.iter().flatten() {
                if !args.iter().any(|a| a.name == p.name) {
                    args.push(spec::Param {
                        quoted: p.quoted || p.type_.0 == "string",
                        ..p.clone()
                    });
                }
            }
            ir::Verb {
                wire,
                args: order_required_first(lower_params(cx, &types, file, id, &args, false)),
            }
        });
        let struct_name = |suffix: &str| {
            let base = format!("{}{suffix}", pascal_case(&id.replace('.', "_")));
            if type_rust.contains(&base) {
                format!("{base}Body")
            } else {
                base
            }
        };
        let body = match &op.body {
            _ if get_params.is_some() => ir::BodyKind::None,
            spec::Body::None => ir::BodyKind::None,
            spec::Body::Parameters { params } if params.is_empty() => ir::BodyKind::None,
            spec::Body::Parameters { params } => {
                let rust = struct_name("Params");
                let fields = lower_params(cx, &types, file, id, params, false);
                bodies.push(ir::BodyStruct {
                    rust: rust.clone(),
                    op_id: id.clone(),
                    docs_url: op.docs_url.clone(),
                    area: node.area,
                    patch: false,
                    fields,
                });
                ir::BodyKind::Struct { rust }
            }
            spec::Body::Properties { type_, params } => {
                if let Err(e) = types.resolve(type_, "") {
                    cx.error(file, id, format_args!("body: {e}"));
                }
                let rust = struct_name("");
                let fields = lower_params(cx, &types, file, id, params, true);
                bodies.push(ir::BodyStruct {
                    rust: rust.clone(),
                    op_id: id.clone(),
                    docs_url: op.docs_url.clone(),
                    area: node.area,
                    patch: true,
                    fields,
                });
                ir::BodyKind::Struct { rust }
            }
            spec::Body::Resource { type_ } => match types.resolve(type_, "") {
                Ok(ty @ Ty::Named(_)) => ir::BodyKind::Resource { ty },
                Ok(_) => {
                    cx.error(
                        file,
                        id,
                        format_args!("body: `{type_}` is not a resource type"),
                    );
                    ir::BodyKind::None
                }
                Err(e) => {
                    cx.error(file, id, format_args!("body: {e}"));
                    ir::BodyKind::None
                }
            },
        };
        let returns = match &op.returns {
            None => ir::Returns::Empty,
            Some(t) => match types.resolve(t, "") {
                Ok(ty @ Ty::Named(_)) => ir::Returns::Json(ty),
                Ok(ty) => ir::Returns::Value(ty),
                Err(e) => {
                    cx.error(file, id, format_args!("return type: {e}"));
                    ir::Returns::Empty
                }
            },
        };
        let mut paths: Vec<ir::PathTemplate> = info
            .paths
            .iter()
            .map(|p| ir::PathTemplate {
                template: p.template.to_owned(),
                skeleton: p.skeleton.clone(),
            })
            .collect();
        paths.sort();
        path_count += paths.len();
        op_count += 1;
        node.ops.push(ir::Operation {
            id: id.clone(),
            name: Name::new(
                op.rust_name.clone(),
                verb.as_ref()
                    .map(|v| v.wire.clone())
                    .unwrap_or_else(|| op.method.clone()),
            ),
            renamed: None,
            method: op.method.clone(),
            paths,
            verb,
            headers: op
                .headers
                .iter()
                .map(|h| ir::Header {
                    name: h.name.clone(),
                    required: h.required,
                    value: h.value.clone(),
                })
                .collect(),
            body,
            returns,
            success: op.success.clone(),
            permissions: op.permissions.clone(),
            docs_url: op.docs_url.clone(),
            odata_query: op.odata_query,
            source: format!("{}:{}", op.source.page, op.source.line),
        });
    }

    // Clash rules for operations: a navigation keeps its name; an operation that clashes with
    // one is named `<http method>_<name>`; two operations with one name are an error.
    for node in out_nodes.values_mut() {
        let navs: BTreeSet<String> = node.navs.iter().map(|n| n.method.clone()).collect();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        node.ops.sort_by(|a, b| a.id.cmp(&b.id));
        for op in &mut node.ops {
            if navs.contains(&op.name.rust) {
                let new = format!("{}_{}", op.method.to_ascii_lowercase(), op.name.rust);
                let why = format!(
                    "`{}` navigates to the node of the same name; this operation is `{new}`",
                    op.name.rust
                );
                cx.note(&op_file(version, &op.id), &op.id, &why);
                op.renamed = Some(why);
                op.name.rust = new;
            }
            if let Some(other) = seen.insert(op.name.rust.clone(), op.id.clone()) {
                cx.error(
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

    // Areas: a type used outside its own area is always compiled.
    let mut type_area: BTreeMap<String, Area> = typedefs
        .iter()
        .map(|t| (t.name.rust.clone(), t.area))
        .collect();
    loop {
        let mut refs: Vec<(String, Area)> = Vec::new();
        let push = |ty: &Ty, area: Area, refs: &mut Vec<(String, Area)>| {
            let mut s = BTreeSet::new();
            named_types(ty, &mut s);
            refs.extend(s.into_iter().map(|n| (n, area)));
        };
        for t in &typedefs {
            for f in &t.fields {
                push(
                    &f.ty,
                    type_area.get(&t.name.rust).copied().flatten(),
                    &mut refs,
                );
            }
        }
        for b in &bodies {
            for f in &b.fields {
                push(&f.ty, b.area, &mut refs);
            }
        }
        for n in out_nodes.values() {
            for o in &n.ops {
                if let ir::BodyKind::Resource { ty } = &o.body {
                    push(ty, n.area, &mut refs);
                }
                if let ir::Returns::Json(ty) | ir::Returns::Value(ty) = &o.returns {
                    push(ty, n.area, &mut refs);
                }
            }
        }
        let mut changed = false;
        for (name, area) in refs {
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
    for t in &mut typedefs {
        t.area = type_area.get(&t.name.rust).copied().flatten();
    }

    // Types sent in request bodies (and the types inside them) also serialize.
    let mut sent = BTreeSet::new();
    for b in &bodies {
        for f in &b.fields {
            named_types(&f.ty, &mut sent);
        }
    }
    for n in out_nodes.values() {
        for o in &n.ops {
            if let ir::BodyKind::Resource { ty } = &o.body {
                named_types(ty, &mut sent);
            }
        }
    }
    loop {
        let before = sent.len();
        for t in &typedefs {
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
    for t in &mut typedefs {
        t.serialize = sent.contains(&t.name.rust);
    }
    typedefs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    bodies.sort_by(|a, b| a.rust.cmp(&b.rust));
    let mut seen_bodies = BTreeSet::new();
    for b in &bodies {
        if !seen_bodies.insert(b.rust.clone()) {
            cx.error(
                &op_file(version, &b.op_id),
                &b.op_id,
                format_args!("duplicate name: body struct `{}`", b.rust),
            );
        }
    }
    let mut nodes: Vec<ir::NodeType> = out_nodes.into_values().collect();
    nodes.sort_by(|a, b| a.rust.cmp(&b.rust));
    ir::VersionApi {
        version: version.to_owned(),
        module,
        docs_view,
        nodes,
        types: typedefs,
        bodies,
        path_count,
        operation_count: op_count,
    }
}

/// Union of argument lists over documented forms, in first-seen order, counting occurrences.
fn add_args(acc: &mut Vec<(spec::Param, usize)>, args: &[spec::Param]) {
    for a in args {
        match acc.iter_mut().find(|(p, _)| p.name == a.name) {
            Some((_, n)) => *n += 1,
            None => acc.push((a.clone(), 1)),
        }
    }
}

/// A field whose type leads back to its own struct without a `Vec` in between is boxed.
fn box_recursive_fields(typedefs: &mut [ir::TypeDef]) {
    let direct: BTreeMap<String, Vec<String>> = typedefs
        .iter()
        .map(|t| {
            let deps = t.fields.iter().filter_map(|f| match &f.ty {
                Ty::Named(n) => Some(n.clone()),
                _ => None,
            });
            (t.name.rust.clone(), deps.collect())
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(direct.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    for t in typedefs.iter_mut() {
        let owner = t.name.rust.clone();
        for f in &mut t.fields {
            if let Ty::Named(n) = &f.ty {
                if reaches(n, &owner) {
                    f.ty = Ty::Boxed(Box::new(f.ty.clone()));
                }
            }
        }
    }
}

fn order_required_first(mut v: Vec<ir::Param>) -> Vec<ir::Param> {
    // Stable: keeps spec order within each group.
    v.sort_by_key(|p| !p.required);
    v
}

fn show_node(n: &NodeId) -> String {
    if n.1 {
        format!("Collection({})", n.0)
    } else {
        n.0.clone()
    }
}

fn seg_target(seg: &Segment) -> Option<TypeRef> {
    match seg {
        Segment::Navigation { target, .. } | Segment::Call { target, .. } => target.clone(),
        Segment::Key { .. } => None,
    }
}

/// Skeleton with every call shown as `name(...)`-agnostic, for node docs.
fn generic_skeleton(segs: &[Segment]) -> String {
    let mut s = String::new();
    for seg in segs {
        s.push('/');
        match seg {
            Segment::Key { param } => {
                s.push('{');
                s.push_str(&param.name);
                s.push('}');
            }
            Segment::Navigation { name, .. } => s.push_str(name),
            Segment::Call { name, args, .. } => {
                s.push_str(name);
                if !args.is_empty() {
                    s.push('(');
                    s.push_str(
                        &args
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                    );
                    s.push(')');
                }
            }
        }
    }
    s
}

/// Segment list consistency: starts at `workbook`, wire names valid, every `{placeholder}` of the
/// template is a key or argument.
fn check_segments(template: &str, segs: &[Segment]) -> Result<(), String> {
    match segs.first() {
        Some(Segment::Navigation { name, .. }) if name == "workbook" => {}
        _ => return Err("the first segment must be `workbook`".into()),
    }
    let mut names = BTreeSet::new();
    for s in segs {
        match s {
            Segment::Navigation { name, .. } => {
                if !is_wire_name(name) || name == "$" {
                    return Err(format!("bad segment name `{name}`"));
                }
            }
            Segment::Call { name, args, .. } => {
                if !is_wire_name(name) {
                    return Err(format!("bad function name `{name}`"));
                }
                names.extend(args.iter().map(|a| a.name.clone()));
            }
            Segment::Key { param } => {
                names.insert(param.name.clone());
            }
        }
    }
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let ph = &rest[start + 1..start + end];
        if !names.contains(ph) {
            return Err(format!(
                "placeholder `{{{ph}}}` is not a key or argument of any segment"
            ));
        }
        rest = &rest[start + end + 1..];
    }
    Ok(())
}

fn lower_functions(cx: &mut Cx, cat: &spec::FunctionCatalog) -> ir::Functions {
    let file = "spec/functions/workbookFunctions.json";
    let empty = BTreeMap::new();
    let types = Types { by_wire: &empty };
    let mut items = Vec::new();
    let mut seen = BTreeMap::new();
    for f in &cat.functions {
        if !is_wire_name(&f.name) {
            cx.error(file, &f.name, "bad function name");
            continue;
        }
        if !is_ident(&f.rust_name) || f.rust_name.chars().any(|c| c.is_ascii_uppercase()) {
            cx.error(
                file,
                &f.name,
                format_args!("`{}` is not a snake_case Rust method name", f.rust_name),
            );
            continue;
        }
        if let Some(other) = seen.insert(f.rust_name.clone(), f.name.clone()) {
            cx.error(
                file,
                &f.name,
                format_args!("duplicate name `{}` (also `{other}`)", f.rust_name),
            );
            continue;
        }
        let params = lower_params(cx, &types, file, &f.name, &f.params, false);
        items.push(ir::Function {
            name: Name::new(f.rust_name.clone(), f.name.clone()),
            params,
        });
    }
    items.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    ir::Functions {
        source: cat.source.clone(),
        items,
    }
}
