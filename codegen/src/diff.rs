//! `graph-workbook-codegen diff OLD NEW`: the public API changes that regenerating from a new
//! `spec/` gives, each classified as a semver major, minor or patch change. It compares two
//! spec/ trees (no lowering, no compilation), so it runs in well under a second.
//!
//! The classification follows what the generated Rust exposes (see `emit`):
//! - an operation is a method (`rust_name`) on the node of its `binding`, reached through the
//!   navigation methods its path templates spell (one per node type and segment);
//! - an action's body is a `<Op>Params` struct: required parameters are plain fields the caller
//!   must fill, optional ones `Option` fields; a PATCH body is an `<Node>Update` struct of
//!   `Option` fields; a resource body is the resource struct;
//! - a resource type is a struct of `Option` fields (relationships are not fields);
//! - an Excel function is a method taking every parameter positionally as `impl Into<FnArg>`;
//! - headers, statuses, HTTP methods, permissions, docs links and allowed values are on the
//!   wire or in the docs only: the Rust signatures do not change;
//! - a method's and a navigation method's positional arguments are the verb's / segment's
//!   arguments (union over the documented forms, optional when not in every form, then
//!   `impl Into<Option<T>>`); a key is a navigation argument. A navigation method is keyed by
//!   the node type it is on (from the segments' resolved `target`s) and its segment, which is
//!   how `lower` groups them; the rendered method name itself is not predicted.
//!
//! Hence: anything removed or renamed, a changed type, a required body parameter added, a body
//! field turned required or optional (`T` <-> `Option<T>`), a positional argument added
//! (arity), removed or made required, a function parameter added: **major**. An operation,
//! navigation method, type, optional body parameter or field added, a positional argument made
//! optional (a `T` still converts): **minor** — the body and resource structs derive `Default`
//! and callers are expected to write `..Default::default()`; an exhaustive struct literal does
//! break, which this policy does not count. Wire and docs changes (HTTP method, headers,
//! statuses, path templates as such, permissions, allowed values, argument names): **patch**.
//! A GET of a composable function (`composable` on its verb) is a navigation method returning
//! the result's node, not a method returning a `Call`: becoming or ceasing to be one is
//! **major**.
//! A clash rename made by `lower` (two operations with one method name) is not predicted: the
//! diff uses the spec's `rust_name`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::spec::{
    Body, ExcelFunction, FunctionCatalog, Operation, Param, PathTemplate, Primitive, Segment, Spec,
    TypeDef, TypeRef, VersionSpec,
};

/// A semver level; ordered, so the largest change of a report is its `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Patch,
    Minor,
    Major,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        })
    }
}

/// One API change: `level`, the item it is about (`v1.0 operation range.insert (fn insert)`)
/// and what changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub level: Level,
    pub item: String,
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<5} {}: {}", self.level, self.item, self.what)
    }
}

/// Every change from `old` to `new`, sorted by item (then level and text): deterministic.
pub fn diff(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut out = Vec::new();
    let empty = VersionSpec::default();
    for ver in keys(&old.versions, &new.versions) {
        match (old.versions.get(ver), new.versions.get(ver)) {
            (Some(_), None) => out.push(change(Level::Major, ver.to_string(), "version removed")),
            (None, Some(_)) => out.push(change(Level::Minor, ver.to_string(), "version added")),
            _ => {}
        }
        let o = old.versions.get(ver).unwrap_or(&empty);
        let n = new.versions.get(ver).unwrap_or(&empty);
        diff_version(ver.as_str(), o, n, &mut out);
    }
    diff_functions(old.functions.as_ref(), new.functions.as_ref(), &mut out);
    out.sort_by(|a, b| (&a.item, b.level, &a.what).cmp(&(&b.item, a.level, &b.what)));
    out
}

/// The largest level among `changes`, `None` when there are none.
pub fn required_bump(changes: &[Change]) -> Option<Level> {
    changes.iter().map(|c| c.level).max()
}

/// Load both trees and diff them. A spec file that does not load is an error naming it: a
/// partial load would report its operations as removed.
pub fn run(old_dir: &Path, new_dir: &Path) -> Result<Vec<Change>, String> {
    let old = load(old_dir)?;
    let new = load(new_dir)?;
    Ok(diff(&old, &new))
}

/// The report as printed by the CLI: one line per change, then a summary line.
pub fn render(changes: &[Change]) -> String {
    let mut s = String::new();
    for c in changes {
        s.push_str(&format!("{c}\n"));
    }
    let count = |l: Level| changes.iter().filter(|c| c.level == l).count();
    s.push_str(&format!(
        "summary: {} major, {} minor, {} patch; semver bump: {}\n",
        count(Level::Major),
        count(Level::Minor),
        count(Level::Patch),
        required_bump(changes).map_or("none".to_string(), |l| l.to_string())
    ));
    s
}

fn load(dir: &Path) -> Result<Spec, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a spec/ directory", dir.display()));
    }
    let (spec, diags) = Spec::load(dir);
    if diags.is_empty() {
        return Ok(spec);
    }
    let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    Err(format!(
        "{}: spec does not load:\n{}",
        dir.display(),
        lines.join("\n")
    ))
}

fn change(level: Level, item: impl Into<String>, what: impl Into<String>) -> Change {
    Change {
        level,
        item: item.into(),
        what: what.into(),
    }
}

/// The union of two maps' keys, sorted.
fn keys<'a, K: Ord, V>(a: &'a BTreeMap<K, V>, b: &'a BTreeMap<K, V>) -> BTreeSet<&'a K> {
    a.keys().chain(b.keys()).collect()
}

fn diff_version(ver: &str, old: &VersionSpec, new: &VersionSpec, out: &mut Vec<Change>) {
    diff_navigation(ver, &navigation(old), &navigation(new), out);
    for id in keys(&old.operations, &new.operations) {
        match (old.operations.get(id), new.operations.get(id)) {
            (Some(o), None) => out.push(change(Level::Major, op_item(ver, o), "removed")),
            (None, Some(n)) => out.push(change(Level::Minor, op_item(ver, n), "added")),
            (Some(o), Some(n)) => diff_operation(&op_item(ver, n), o, n, out),
            (None, None) => {}
        }
    }
    for name in keys(&old.types, &new.types) {
        match (old.types.get(name), new.types.get(name)) {
            (Some(o), None) => out.push(change(Level::Major, type_item(ver, o), "removed")),
            (None, Some(n)) => out.push(change(Level::Minor, type_item(ver, n), "added")),
            (Some(o), Some(n)) => diff_type(&type_item(ver, n), o, n, out),
            (None, None) => {}
        }
    }
}

fn op_item(ver: &str, op: &Operation) -> String {
    format!("{ver} operation {} (fn {})", op.id, op.rust_name)
}

fn type_item(ver: &str, t: &TypeDef) -> String {
    format!("{ver} type {} (struct {})", t.name, t.rust_name)
}

fn diff_operation(item: &str, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
    let mut push = |level, what: String| out.push(change(level, item, what));
    if o.rust_name != n.rust_name {
        push(
            Level::Major,
            format!("method renamed `{}` -> `{}`", o.rust_name, n.rust_name),
        );
    }
    if o.binding != n.binding {
        let node = |b: &crate::spec::Binding| {
            format!(
                "{}{}",
                b.type_,
                if b.collection { " collection" } else { "" }
            )
        };
        push(
            Level::Major,
            format!(
                "moved from the {} node to the {} node",
                node(&o.binding),
                node(&n.binding)
            ),
        );
    }
    if o.returns != n.returns {
        push(
            Level::Major,
            format!(
                "return type {} -> {}",
                returns(o.returns.as_ref()),
                returns(n.returns.as_ref())
            ),
        );
    }
    if composable_get(o) != composable_get(n) {
        let what = if composable_get(n) {
            "composable: the method is a navigation now (returns the result's node; `.get()` sends)"
        } else {
            "no longer composable: the navigation is a method returning a `Call` now"
        };
        out.push(change(Level::Major, item, what));
    }
    let (ao, an) = (method_args(o), method_args(n));
    diff_signature(item, "method arguments", &ao, &an, out);
    diff_paths(item, &o.paths, &n.paths, out);
    // A GET function's parameters are its method arguments (compared above), not a body.
    if !(get_params(o).is_some() && get_params(n).is_some()) {
        diff_body(item, &o.body, &n.body, out);
    }
    diff_wire(item, o, n, out);
}

fn returns(t: Option<&TypeRef>) -> String {
    t.map_or("() (no content)".to_string(), rust_type)
}

/// Changes the signatures do not show: HTTP method, headers, statuses, docs.
fn diff_wire(item: &str, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
    let mut push = |what: String| out.push(change(Level::Patch, item, what));
    if o.method != n.method {
        push(format!("HTTP method {} -> {}", o.method, n.method));
    }
    if o.headers != n.headers {
        let names = |h: &[crate::spec::Header]| {
            h.iter()
                .map(|h| format!("{}{}", h.name, if h.required { "" } else { "?" }))
                .collect::<Vec<_>>()
                .join(", ")
        };
        push(format!(
            "headers [{}] -> [{}]",
            names(&o.headers),
            names(&n.headers)
        ));
    }
    if o.success != n.success {
        push(format!(
            "success statuses {:?} -> {:?}",
            o.success, n.success
        ));
    }
    if o.odata_query != n.odata_query {
        push(format!(
            "OData query parameters documented: {} -> {}",
            o.odata_query, n.odata_query
        ));
    }
    if o.permissions != n.permissions {
        push("permissions changed (docs)".to_string());
    }
    if o.docs_url != n.docs_url {
        let link = |u: &Option<String>| u.clone().unwrap_or_else(|| "none".into());
        push(format!(
            "docs link {} -> {}",
            link(&o.docs_url),
            link(&n.docs_url)
        ));
    }
}

/// Templates by their string, as wire facts: what they change in Rust (navigation methods and
/// their arguments, method arguments) is reported by [`diff_navigation`] and [`method_args`].
fn diff_paths(item: &str, old: &[PathTemplate], new: &[PathTemplate], out: &mut Vec<Change>) {
    let o: BTreeSet<&str> = old.iter().map(|p| p.template.as_str()).collect();
    let n: BTreeSet<&str> = new.iter().map(|p| p.template.as_str()).collect();
    for t in o.difference(&n) {
        out.push(change(Level::Patch, item, format!("path `{t}` removed")));
    }
    for t in n.difference(&o) {
        out.push(change(Level::Patch, item, format!("path `{t}` added")));
    }
}

fn diff_body(item: &str, o: &Body, n: &Body, out: &mut Vec<Change>) {
    match (o, n) {
        (Body::None, Body::None) => {}
        (Body::Parameters { params: a }, Body::Parameters { params: b }) => {
            diff_params(item, "body parameter", a, b, false, out)
        }
        (
            Body::Properties {
                type_: ta,
                params: a,
            },
            Body::Properties {
                type_: tb,
                params: b,
            },
        ) => {
            if ta != tb {
                out.push(change(
                    Level::Major,
                    item,
                    format!("update body type {ta} -> {tb}"),
                ));
            }
            diff_params(item, "update property", a, b, true, out);
        }
        (Body::Resource { type_: a }, Body::Resource { type_: b }) if a == b => {}
        _ => out.push(change(
            Level::Major,
            item,
            format!("request body {} -> {}", body_kind(o), body_kind(n)),
        )),
    }
}

fn body_kind(b: &Body) -> String {
    match b {
        Body::None => "none".to_string(),
        Body::Parameters { .. } => "parameters struct".to_string(),
        Body::Properties { type_, .. } => format!("update struct of {type_}"),
        Body::Resource { type_ } => format!("resource {}", rust_type(type_)),
    }
}

/// Parameters by wire name. `all_optional`: every field is an `Option` whatever `required`
/// says (PATCH bodies), so only presence and type count.
fn diff_params(
    item: &str,
    what: &str,
    old: &[Param],
    new: &[Param],
    all_optional: bool,
    out: &mut Vec<Change>,
) {
    let by = |ps: &[Param]| -> BTreeMap<String, Param> {
        ps.iter().map(|p| (p.name.to_string(), p.clone())).collect()
    };
    let (o, n) = (by(old), by(new));
    let required = |p: &Param| p.required && !all_optional;
    for name in keys(&o, &n) {
        let field = crate::naming::snake_case(name);
        match (o.get(name), n.get(name)) {
            (Some(_), None) => out.push(change(
                Level::Major,
                item,
                format!("{what} `{field}` removed"),
            )),
            (None, Some(p)) => {
                let (level, kind) = if required(p) {
                    (Level::Major, "required")
                } else {
                    (Level::Minor, "optional")
                };
                out.push(change(
                    level,
                    item,
                    format!(
                        "{kind} {what} `{field}: {}` added",
                        param_type(p, all_optional)
                    ),
                ));
            }
            (Some(a), Some(b)) => {
                diff_param(item, &format!("{what} `{field}`"), a, b, all_optional, out)
            }
            (None, None) => {}
        }
    }
}

fn diff_param(item: &str, ctx: &str, a: &Param, b: &Param, all_opt: bool, out: &mut Vec<Change>) {
    if a.type_ != b.type_ || (a.required != b.required && !all_opt) {
        out.push(change(
            Level::Major,
            item,
            format!(
                "{ctx} type {} -> {}",
                param_type(a, all_opt),
                param_type(b, all_opt)
            ),
        ));
    }
    if a.values != b.values {
        out.push(change(
            Level::Patch,
            item,
            format!(
                "{ctx} allowed values [{}] -> [{}]",
                a.values.join(", "),
                b.values.join(", ")
            ),
        ));
    }
    if a.quoted != b.quoted {
        out.push(change(
            Level::Patch,
            item,
            format!("{ctx} wire form quoted: {} -> {}", a.quoted, b.quoted),
        ));
    }
}

fn param_type(p: &Param, all_optional: bool) -> String {
    let t = rust_type(&p.type_);
    if p.required && !all_optional {
        t
    } else {
        format!("Option<{t}>")
    }
}

/// The Rust type a spec type reference becomes (close to `lower`'s mapping; a range's cell
/// grids are shown as `Vec<Vec<..>>` of their element type).
pub(crate) fn rust_type(t: &TypeRef) -> String {
    if let Some(inner) = t.element() {
        return format!("Vec<{}>", rust_type(inner));
    }
    let p = match t {
        TypeRef::Primitive(p) => p,
        other => return crate::naming::pascal_case(&other.to_string()),
    };
    match p {
        Primitive::String => "String",
        Primitive::Int32 => "i32",
        Primitive::Int64 => "i64",
        Primitive::Double => "f64",
        Primitive::Boolean => "bool",
        Primitive::Json => "serde_json::Value",
        Primitive::Any => "CellValue",
        Primitive::Binary => "Vec<u8>",
    }
    .to_string()
}

fn diff_type(item: &str, o: &TypeDef, n: &TypeDef, out: &mut Vec<Change>) {
    if o.rust_name != n.rust_name {
        out.push(change(
            Level::Major,
            item,
            format!("renamed `{}` -> `{}`", o.rust_name, n.rust_name),
        ));
    }
    if o.kind != n.kind {
        out.push(change(
            Level::Patch,
            item,
            format!("kind {} -> {}", o.kind, n.kind),
        ));
    }
    if o.docs_url != n.docs_url {
        out.push(change(Level::Patch, item, "docs link changed"));
    }
    // Every field is an `Option`: required-ness does not exist here.
    let fields = |t: &TypeDef| -> Vec<Param> {
        t.properties
            .iter()
            .map(|p| Param {
                name: p.name.clone(),
                type_: p.type_.clone(),
                required: false,
                quoted: false,
                values: p.values.clone(),
            })
            .collect()
    };
    diff_params(item, "field", &fields(o), &fields(n), true, out);
    let rels = |t: &TypeDef| -> BTreeSet<String> {
        t.relationships
            .iter()
            .map(|r| format!("{} ({})", r.name, r.type_))
            .collect()
    };
    let (ro, rn) = (rels(o), rels(n));
    for r in ro.symmetric_difference(&rn) {
        let verb = if rn.contains(r) { "added" } else { "removed" };
        out.push(change(
            Level::Patch,
            item,
            format!("relationship {r} {verb} (docs; navigation comes from operation paths)"),
        ));
    }
}

fn diff_functions(
    old: Option<&FunctionCatalog>,
    new: Option<&FunctionCatalog>,
    out: &mut Vec<Change>,
) {
    let by = |c: Option<&FunctionCatalog>| -> BTreeMap<String, ExcelFunction> {
        c.map(|c| {
            c.functions
                .iter()
                .map(|f| (f.name.to_string(), f.clone()))
                .collect()
        })
        .unwrap_or_default()
    };
    let (o, n) = (by(old), by(new));
    for name in keys(&o, &n) {
        match (o.get(name), n.get(name)) {
            (Some(f), None) => out.push(change(Level::Major, fn_item(f), "removed")),
            (None, Some(f)) => out.push(change(Level::Minor, fn_item(f), "added")),
            (Some(a), Some(b)) => diff_function(a, b, out),
            (None, None) => {}
        }
    }
}

fn fn_item(f: &ExcelFunction) -> String {
    format!("function {} (fn {})", f.name, f.rust_name)
}

/// Functions take every parameter positionally as `impl Into<FnArg>`: the parameter list
/// (names in order) is the signature; types and required-ness are docs.
fn diff_function(a: &ExcelFunction, b: &ExcelFunction, out: &mut Vec<Change>) {
    let item = fn_item(b);
    let mut push = |level, what: String| out.push(change(level, item.as_str(), what));
    if a.rust_name != b.rust_name {
        push(
            Level::Major,
            format!("method renamed `{}` -> `{}`", a.rust_name, b.rust_name),
        );
    }
    let names = |f: &ExcelFunction| -> Vec<String> {
        f.params
            .iter()
            .map(|p| crate::naming::snake_case(&p.name))
            .collect()
    };
    if names(a) != names(b) {
        push(
            Level::Major,
            format!(
                "positional parameters ({}) -> ({})",
                names(a).join(", "),
                names(b).join(", ")
            ),
        );
    } else if a.params != b.params {
        push(
            Level::Patch,
            "parameter types or required-ness changed (docs; arguments are FnArg)".to_string(),
        );
    }
    if a.returns != b.returns {
        push(
            Level::Major,
            format!("return type {} -> {}", a.returns, b.returns),
        );
    }
}

/// The verb (last segment) of a template when it is named like the operation: its arguments
/// are the method's (as `lower` splits a path into node part and verb).
fn verb_segment<'a>(op: &Operation, p: &'a PathTemplate) -> Option<&'a Segment> {
    let verb = op.id.rsplit_once('.').map_or("", |(_, v)| v);
    let last = p.segments.last()?;
    let name = match last {
        Segment::Navigation { name, .. } | Segment::Call { name, .. } => name,
        Segment::Key { .. } => return None,
    };
    (p.segments.len() > 1 && name.eq_ignore_ascii_case(verb)).then_some(last)
}

/// A GET of a function the metadata marks composable: `lower` makes it a navigation method
/// (when its result type has a node).
fn composable_get(op: &Operation) -> bool {
    op.method == "GET"
        && !op.paths.is_empty()
        && op.paths.iter().all(|p| {
            matches!(
                verb_segment(op, p),
                Some(Segment::Call {
                    composable: true,
                    ..
                })
            )
        })
}

/// A GET whose page documents body parameters sends them as function arguments.
fn get_params(op: &Operation) -> Option<&[Param]> {
    let has_verb = op.paths.iter().any(|p| verb_segment(op, p).is_some());
    match &op.body {
        Body::Parameters { params } if op.method == "GET" && has_verb && !params.is_empty() => {
            Some(params)
        }
        _ => None,
    }
}

/// The method's positional arguments, as `lower` builds them: the union of the verb's
/// arguments over the templates (required only when required in every form), then a GET's
/// body parameters, required ones first.
fn method_args(op: &Operation) -> Vec<Param> {
    let mut acc: Vec<(Param, usize)> = Vec::new();
    let mut forms = 0;
    for p in &op.paths {
        let Some(seg) = verb_segment(op, p) else {
            continue;
        };
        forms += 1;
        if let Segment::Call { args, .. } = seg {
            add_args(&mut acc, args);
        }
    }
    let mut args: Vec<Param> = acc
        .into_iter()
        .map(|(p, n)| Param {
            required: p.required && n == forms,
            ..p
        })
        .collect();
    for p in get_params(op).into_iter().flatten() {
        if !args.iter().any(|a| a.name == p.name) {
            args.push(p.clone());
        }
    }
    args.sort_by_key(|p| !p.required);
    args
}

fn add_args(acc: &mut Vec<(Param, usize)>, args: &[Param]) {
    for a in args {
        match acc.iter_mut().find(|(p, _)| p.name == a.name) {
            Some((_, n)) => *n += 1,
            None => acc.push((a.clone(), 1)),
        }
    }
}

/// Positional arguments: the types in order are the signature; Rust argument names are not
/// API (a rename alone is patch). An optional argument is `impl Into<Option<T>>`, which a `T`
/// converts into: required -> optional is minor; an argument added (even optional: arity),
/// removed, retyped or made required is major.
fn diff_signature(item: &str, what: &str, old: &[Param], new: &[Param], out: &mut Vec<Change>) {
    let sig = |ps: &[Param]| -> Vec<String> {
        ps.iter()
            .map(|p| format!("{}: {}", crate::naming::snake_case(&p.name), arg_type(p)))
            .collect()
    };
    let (so, sn) = (sig(old), sig(new));
    if so == sn {
        return;
    }
    let level = if old.len() != new.len() {
        Level::Major
    } else {
        old.iter()
            .zip(new)
            .map(
                |(a, b)| match (a.type_ == b.type_, a.required, b.required) {
                    (false, _, _) | (true, false, true) => Level::Major,
                    (true, true, false) => Level::Minor,
                    (true, _, _) => Level::Patch,
                },
            )
            .max()
            .unwrap_or(Level::Patch)
    };
    out.push(change(
        level,
        item,
        format!("{what} ({}) -> ({})", so.join(", "), sn.join(", ")),
    ));
}

fn arg_type(p: &Param) -> String {
    let t = rust_type(&p.type_);
    if p.required {
        t
    } else {
        format!("impl Into<Option<{t}>>")
    }
}

/// A navigation method: the node type it is on and the segment it adds (`worksheets`,
/// `worksheets/{}` for a key, `range` for a call).
type NavKey = (String, String);

/// Per navigation method: how many documented forms use it, and each argument with the number
/// of forms that have it.
type NavForms = BTreeMap<NavKey, (usize, Vec<(Param, usize)>)>;

/// Every navigation method of a version with its arguments (required only when required in
/// every documented form): what `lower` turns the node part of the templates into.
fn navigation(v: &VersionSpec) -> BTreeMap<NavKey, Vec<Param>> {
    let mut acc = NavForms::new();
    for op in v.operations.values() {
        for p in &op.paths {
            let end = p.segments.len() - usize::from(verb_segment(op, p).is_some());
            walk_nodes(&p.segments[..end], &mut acc);
        }
    }
    acc.into_iter()
        .map(|(k, (forms, args))| {
            let args = args
                .into_iter()
                .map(|(p, n)| Param {
                    required: p.required && n == forms,
                    ..p
                })
                .collect();
            (k, args)
        })
        .collect()
}

/// Adds one template's navigation steps: the node reached after each segment is the type its
/// `target` names (a key steps from a collection to its element).
fn walk_nodes(segs: &[Segment], acc: &mut NavForms) {
    let mut node = String::from("(root)");
    let mut prev_name = String::new();
    for seg in segs {
        let (key, args, next) = match seg {
            Segment::Navigation { name, target } => {
                prev_name.clone_from(&name.to_string());
                (
                    (node.clone(), name.to_string()),
                    Vec::new(),
                    target_name(target.as_ref()),
                )
            }
            Segment::Call {
                name, args, target, ..
            } => {
                prev_name.clone_from(&name.to_string());
                (
                    (node.clone(), name.to_string()),
                    args.clone(),
                    target_name(target.as_ref()),
                )
            }
            Segment::Key { param } => {
                let elem = node
                    .strip_prefix("Collection(")
                    .and_then(|s| s.strip_suffix(')'))
                    .unwrap_or(&node)
                    .to_owned();
                (
                    (node.clone(), format!("{prev_name}/{{}}")),
                    vec![param.clone()],
                    elem,
                )
            }
        };
        let entry = acc.entry(key).or_default();
        entry.0 += 1;
        add_args(&mut entry.1, &args);
        node = next;
    }
}

fn target_name(t: Option<&TypeRef>) -> String {
    t.map_or("(unresolved)".to_string(), TypeRef::to_string)
}

fn diff_navigation(
    ver: &str,
    old: &BTreeMap<NavKey, Vec<Param>>,
    new: &BTreeMap<NavKey, Vec<Param>>,
    out: &mut Vec<Change>,
) {
    let all: BTreeSet<&NavKey> = old.keys().chain(new.keys()).collect();
    for key in all {
        let item = format!("{ver} navigation {} -> {}", key.0, key.1);
        match (old.get(key), new.get(key)) {
            (Some(_), None) => out.push(change(Level::Major, item, "removed")),
            (None, Some(_)) => out.push(change(Level::Minor, item, "added")),
            (Some(a), Some(b)) => diff_signature(&item, "arguments", a, b, out),
            (None, None) => {}
        }
    }
}
