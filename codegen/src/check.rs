//! `graph-workbook-codegen check`: cross-check one version of spec/ against the CSDL metadata.
//!
//! Every path template is walked segment by segment from the `workbook` entity, a key into a
//! collection or a named segment resolved by the rule extract uses (`crate::extract::walk`:
//! navigation property, structural property, or a bound action/function of the current type,
//! case-insensitive, base types included). The report lists:
//! - documented templates with a segment that has no CSDL counterpart;
//! - CSDL actions/functions bound to workbook types that no template reaches (the 366 actions on
//!   `workbookFunctions` are the function catalog, `spec/functions/`, and are only counted);
//! - segment names whose case differs from the CSDL;
//! - resource types: property type disagreements, properties and relationships found on one side
//!   only (CSDL members declared on the type itself; inherited `id` is not required of the docs).
//!
//! Entry points: [`report`] (in memory) and [`run`] (the CLI: `graph-workbook-codegen check --csdl <FILE>
//! --spec <DIR>`; prints the returned Markdown, which is committed as `spec/CHECK.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::extract::csdl::{BoundOperation, Csdl, OperationKind};
use crate::extract::walk::{self, Member, Miss};
use crate::spec::{ApiVersion, Method, Operation, Origin, Segment, Spec, TypeRef, VersionSpec};

/// A template segment that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub operation: String,
    pub page: String,
    pub template: String,
    /// The segment as written in the template.
    pub segment: String,
    pub reason: String,
}

/// A CSDL operation bound to a workbook type that no template reaches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Undocumented {
    pub binding: TypeRef,
    pub name: String,
    pub kind: OperationKind,
    pub overloads: usize,
}

/// An operation whose HTTP method does not fit the CSDL kind of the operation its templates end
/// in (actions are POSTed, functions are called with GET).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MethodMismatch {
    pub operation: String,
    pub method: Method,
    pub binding: TypeRef,
    pub name: String,
    /// `Action` or `Function`: composability does not change the method.
    pub kind: OperationKind,
}

/// A difference between a resource type of the docs and its CSDL type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberFinding {
    pub type_name: String,
    pub member: String,
    /// Type on the docs side (`None`: absent there).
    pub docs: Option<String>,
    /// Type on the CSDL side (`None`: absent there).
    pub csdl: Option<String>,
    /// Relationship / navigation property rather than structural property.
    pub relationship: bool,
}

/// The result of the cross-check of one spec version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckReport {
    /// Version of the checked operations and types, `None` when the spec has none.
    pub version: Option<ApiVersion>,
    pub operations: usize,
    pub templates: usize,
    pub unresolved: Vec<Unresolved>,
    /// (binding, operation name) pairs reached by some template, CSDL spelling.
    pub documented: BTreeSet<(TypeRef, String)>,
    pub undocumented: Vec<Undocumented>,
    /// Operations of the spec generated from the metadata (`origin: metadata`, the operations
    /// the docs lack): (binding, operation name), CSDL spelling -> (operation id, what the
    /// client sends). Not walked: the report describes the docs.
    pub from_metadata: BTreeMap<(TypeRef, String), (String, String)>,
    /// How many of [`CheckReport::from_metadata`] are OData creates (POST of an entity to a
    /// containment collection no docs page creates in).
    pub metadata_creates: usize,
    /// Actions bound to `workbookFunctions` (the function catalog), not itemized.
    pub function_catalog: usize,
    pub method_mismatches: BTreeSet<MethodMismatch>,
    /// Operations whose spec keeps a documented form apart from the wire form (see
    /// `spec::DocumentedForm`): (operation id, documented form, form the client sends).
    pub client_forms: BTreeSet<(String, String, String)>,
    /// (operation id, segment as written, CSDL spelling), de-duplicated.
    pub case_differences: BTreeSet<(String, String, String)>,
    pub types_checked: usize,
    pub types_not_in_csdl: Vec<String>,
    pub members: Vec<MemberFinding>,
}

impl CheckReport {
    pub fn type_disagreements(&self) -> impl Iterator<Item = &MemberFinding> {
        self.members
            .iter()
            .filter(|m| m.docs.is_some() && m.csdl.is_some())
    }
    fn only(&self, docs: bool, relationship: bool) -> impl Iterator<Item = &MemberFinding> {
        self.members.iter().filter(move |m| {
            m.relationship == relationship
                && (m.docs.is_some() != m.csdl.is_some())
                && (m.docs.is_some() == docs)
        })
    }
    /// The one-line totals at the top of the Markdown.
    pub fn totals(&self) -> String {
        format!(
            "operations={} templates={} unresolved_templates={} documented_csdl_operations={} \
             undocumented_csdl_operations={} types={} property_type_disagreements={} \
             properties_only_in_docs={} properties_only_in_csdl={} relationships_only_in_docs={} \
             relationships_only_in_csdl={} case_differences={} method_mismatches={}",
            self.operations,
            self.templates,
            self.unresolved.len(),
            self.documented.len(),
            self.undocumented.len(),
            self.types_checked,
            self.type_disagreements().count(),
            self.only(true, false).count(),
            self.only(false, false).count(),
            self.only(true, true).count(),
            self.only(false, true).count(),
            self.case_differences.len(),
            self.method_mismatches.len(),
        )
    }
}

/// Where a walk stands: the type of the node reached (`workbookRange`,
/// `Collection(workbookChart)`).
fn elem(t: &TypeRef) -> &TypeRef {
    t.innermost()
}

enum Step {
    Ok(TypeRef),
    Fail(String),
}

/// One segment as the report names it (`range(address)`, `{worksheet}`).
fn segment_text(s: &Segment) -> String {
    let path = crate::path::render(std::slice::from_ref(s), crate::path::Form::Named);
    path.trim_start_matches('/').to_owned()
}

struct Walker<'a> {
    csdl: &'a Csdl,
    report: &'a mut CheckReport,
    /// The bound operation the last named step resolved to, if it was one.
    last_op: Option<BoundOperation>,
}

impl Walker<'_> {
    /// A named step from `cur`, by the rule extract resolved the docs' templates with
    /// ([`walk::member`]).
    fn named(&mut self, op: &Operation, cur: &TypeRef, name: &str, args: &[&str]) -> Step {
        self.last_op = None;
        let m = match walk::member(self.csdl, cur, name) {
            Ok(m) => m,
            Err(miss) => return Step::Fail(miss.describe(cur, name)),
        };
        if m.name() != name {
            self.report.case_differences.insert((
                op.id.clone(),
                name.to_string(),
                m.name().to_string(),
            ));
        }
        match m {
            Member::Navigation(n) => Step::Ok(n.type_ref()),
            Member::Property(p) => Step::Ok(p.type_ref()),
            Member::Operations(ops) => {
                let given: Vec<Option<&str>> = args.iter().map(|a| Some(*a)).collect();
                let Some(o) = walk::choose_overload(&ops, &given) else {
                    return Step::Fail(Miss::NoMember.describe(cur, name));
                };
                self.last_op = Some(o.clone());
                self.report
                    .documented
                    .insert((o.binding.clone(), o.name.clone()));
                Step::Ok(o.returns().unwrap_or_else(|| TypeRef::named("none")))
            }
        }
    }

    fn walk(&mut self, op: &Operation, segments: &[Segment]) -> Option<(String, String)> {
        let mut cur: Option<TypeRef> = None;
        self.last_op = None;
        for seg in segments {
            if matches!(seg, Segment::Key { .. }) {
                self.last_op = None;
            }
            let step = match (seg, &cur) {
                (Segment::Navigation { name, .. }, None)
                    if name.eq_ignore_ascii_case("workbook") =>
                {
                    Step::Ok(TypeRef::named("workbook"))
                }
                (_, None) => Step::Fail("a template must start at `/workbook`".into()),
                (Segment::Key { .. }, Some(t)) => match t.element() {
                    Some(e) => Step::Ok(e.clone()),
                    None => Step::Fail(format!("a key needs a collection, `{t}` is single-valued")),
                },
                (Segment::Navigation { name, .. }, Some(t)) => {
                    self.named(op, &t.clone(), name, &[])
                }
                (Segment::Call { name, args, .. }, Some(t)) => {
                    let a: Vec<&str> = args.iter().map(|a| a.name.as_str()).collect();
                    self.named(op, &t.clone(), name, &a)
                }
            };
            match step {
                Step::Ok(t) => cur = Some(t),
                Step::Fail(reason) => return Some((segment_text(seg), reason)),
            }
        }
        None
    }
}

/// The CSDL operations bound to workbook types (the function catalog aside) that no template
/// of a documented operation of `spec` reaches: what the docs lack. The operations generated
/// from the metadata (`origin: metadata`) do not count as documented.
pub(crate) fn undocumented_operations(csdl: &Csdl, spec: &VersionSpec) -> Vec<Undocumented> {
    let mut r = CheckReport::default();
    walk_templates(csdl, spec, &mut r);
    undocumented_operations_of(csdl, &mut r);
    r.undocumented
}

/// Cross-check one version of the spec against the CSDL. Operations generated from the
/// metadata are only counted ([`CheckReport::from_metadata`]): every other figure describes
/// the docs.
pub fn report(csdl: &Csdl, spec: &VersionSpec) -> CheckReport {
    let mut r = CheckReport {
        operations: docs_operations(spec).count(),
        version: spec
            .operations
            .values()
            .map(|o| o.version)
            .chain(spec.types.values().map(|t| t.version))
            .next(),
        ..Default::default()
    };
    r.unresolved = walk_templates(csdl, spec, &mut r);
    for op in spec
        .operations
        .values()
        .filter(|o| o.origin == Origin::Metadata)
    {
        let binding = op.binding.type_ref();
        let name = op.id.rsplit_once('.').map_or(op.id.as_str(), |(_, v)| v);
        let body = match &op.body {
            crate::spec::Body::Resource { type_ } => {
                r.metadata_creates += 1;
                format!(" with body one `{type_}` entity (OData create)")
            }
            other => body_text(other),
        };
        let sent = format!("{} `{}`{body}", op.method, sent_templates(op));
        r.from_metadata
            .insert((binding, name.to_owned()), (op.id.clone(), sent));
    }
    for op in docs_operations(spec) {
        if let Some(d) = &op.documented {
            let body = body_text(&d.body);
            let docs = format!("{} `{}`{body}", d.method, d.templates.join("`, `"));
            let sent = format!("{} `{}`", op.method, sent_templates(op));
            r.client_forms.insert((op.id.clone(), docs, sent));
        }
    }
    undocumented_operations_of(csdl, &mut r);
    for t in spec.types.values() {
        check_type(csdl, t, &mut r);
    }
    r.members.sort();
    r.types_not_in_csdl.sort();
    r
}

/// ` with body `{a, b}`` for a body of parameters, else nothing.
fn body_text(body: &crate::spec::Body) -> String {
    match body {
        crate::spec::Body::Parameters { params } => {
            let names: Vec<_> = params.iter().map(|p| p.name.as_str()).collect();
            format!(" with body `{{{}}}`", names.join(", "))
        }
        _ => String::new(),
    }
}

/// The templates the client sends an operation to, as the report lists them.
fn sent_templates(op: &Operation) -> String {
    let templates: Vec<_> = op.paths.iter().map(|p| p.template.as_str()).collect();
    templates.join("`, `")
}

/// The operations documented by a docs page.
fn docs_operations(spec: &VersionSpec) -> impl Iterator<Item = &Operation> {
    spec.operations
        .values()
        .filter(|o| o.origin == Origin::Docs)
}

/// Every documented template walked through the CSDL; returns those that do not resolve.
fn walk_templates(csdl: &Csdl, spec: &VersionSpec, r: &mut CheckReport) -> Vec<Unresolved> {
    let mut unresolved = Vec::new();
    {
        let mut w = Walker {
            csdl,
            report: r,
            last_op: None,
        };
        for op in docs_operations(spec) {
            for p in &op.paths {
                w.report.templates += 1;
                let failed = w.walk(op, &p.segments);
                if let (None, Some(last)) = (&failed, &w.last_op) {
                    let kind = if last.is_action {
                        OperationKind::Action
                    } else {
                        OperationKind::Function
                    };
                    // PATCH/DELETE through a composable function address its result.
                    // The docs' method: the mismatches describe the pages.
                    let method = op.documented.as_ref().map_or(op.method, |d| d.method);
                    let ok = method == kind.method()
                        || (!last.is_action && last.is_composable && method != Method::Post);
                    if !ok {
                        w.report.method_mismatches.insert(MethodMismatch {
                            operation: op.id.clone(),
                            method,
                            binding: last.binding.clone(),
                            name: last.name.clone(),
                            kind,
                        });
                    }
                }
                if let Some((segment, reason)) = failed {
                    unresolved.push(Unresolved {
                        operation: op.id.clone(),
                        page: op.source.page.clone(),
                        template: p.template.clone(),
                        segment,
                        reason,
                    });
                }
            }
        }
    }
    unresolved.sort();
    unresolved
}

/// CSDL operations on workbook types that no template reaches.
fn undocumented_operations_of(csdl: &Csdl, r: &mut CheckReport) {
    let mut groups: BTreeMap<(TypeRef, String), Vec<&BoundOperation>> = BTreeMap::new();
    for o in csdl.workbook_operations() {
        if o.binding.name() == Some(crate::extract::functions::BINDING) {
            r.function_catalog += 1;
            continue;
        }
        groups
            .entry((o.binding.clone(), o.name.clone()))
            .or_default()
            .push(o);
    }
    for ((binding, name), ops) in groups {
        if r.documented.contains(&(binding.clone(), name.clone())) {
            continue;
        }
        let kind = ops.first().map_or(OperationKind::Function, |o| o.kind());
        r.undocumented.push(Undocumented {
            binding,
            name,
            kind,
            overloads: ops.len(),
        });
    }
}

/// One resource type's members against the CSDL.
fn check_type(csdl: &Csdl, t: &crate::spec::TypeDef, r: &mut CheckReport) {
    let Some(ct) = csdl.structured_type(&t.name) else {
        r.types_not_in_csdl.push(t.name.clone());
        return;
    };
    r.types_checked += 1;
    let finding =
        |member: &str, docs: Option<&TypeRef>, c: Option<TypeRef>, rel: bool| MemberFinding {
            type_name: t.name.clone(),
            member: member.to_string(),
            docs: docs.map(TypeRef::to_string),
            csdl: c.as_ref().map(TypeRef::to_string),
            relationship: rel,
        };
    for p in &t.properties {
        match csdl.property(&t.name, &p.name) {
            Some(cp) if cp.type_ref() == p.type_ => {}
            Some(cp) => {
                r.members
                    .push(finding(&p.name, Some(&p.type_), Some(cp.type_ref()), false))
            }
            None => match csdl.navigation(&t.name, &p.name) {
                // Documented as a property, a navigation in the CSDL: compare as relationship.
                Some(n) if elem(&n.type_ref()) == elem(&p.type_) => {}
                Some(n) => {
                    r.members
                        .push(finding(&p.name, Some(&p.type_), Some(n.type_ref()), true))
                }
                None => r
                    .members
                    .push(finding(&p.name, Some(&p.type_), None, false)),
            },
        }
    }
    for rel in &t.relationships {
        match csdl.navigation(&t.name, &rel.name) {
            Some(n) if n.type_ref() == rel.type_ => {}
            Some(n) => r.members.push(finding(
                &rel.name,
                Some(&rel.type_),
                Some(n.type_ref()),
                true,
            )),
            None => match csdl.property(&t.name, &rel.name) {
                Some(cp) if cp.type_ref() == rel.type_ => {}
                Some(cp) => r.members.push(finding(
                    &rel.name,
                    Some(&rel.type_),
                    Some(cp.type_ref()),
                    false,
                )),
                None => r
                    .members
                    .push(finding(&rel.name, Some(&rel.type_), None, true)),
            },
        }
    }
    let in_docs = |n: &str| {
        t.properties.iter().any(|p| p.name.eq_ignore_ascii_case(n))
            || t.relationships
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(n))
    };
    for cp in &ct.properties {
        if !in_docs(&cp.name) {
            r.members
                .push(finding(&cp.name, None, Some(cp.type_ref()), false));
        }
    }
    for n in &ct.navigations {
        if !in_docs(&n.name) {
            r.members
                .push(finding(&n.name, None, Some(n.type_ref()), true));
        }
    }
}

/// The CLI: load the CSDL and the spec version directory (`spec/v1.0`; a spec root with one
/// version works too) and return the Markdown report. Errors name the file.
pub fn run(csdl_path: &Path, spec_dir: &Path) -> Result<String, String> {
    let xml = std::fs::read_to_string(csdl_path)
        .map_err(|e| format!("{}: cannot read: {e}", csdl_path.display()))?;
    let csdl = Csdl::parse(&xml).map_err(|e| format!("{}: {e}", csdl_path.display()))?;
    let is_version_dir = spec_dir.join("operations").is_dir() || spec_dir.join("types").is_dir();
    let (root, version) = if is_version_dir {
        let v = spec_dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(ApiVersion::parse)
            .ok_or_else(|| format!("{}: not a spec version directory", spec_dir.display()))?;
        (spec_dir.parent().unwrap_or(Path::new(".")), Some(v))
    } else {
        (spec_dir, None)
    };
    let (spec, diags): (Spec, _) = Spec::load(root);
    if let Some(d) = diags.first() {
        return Err(format!("{d} ({} spec errors)", diags.len()));
    }
    let vs = match &version {
        Some(v) => spec.versions.get(v.as_str()).cloned(),
        None if spec.versions.len() == 1 => spec.versions.values().next().cloned(),
        None => None,
    }
    .ok_or_else(|| {
        format!(
            "{}: expected a spec version directory (e.g. spec/v1.0) or a spec with one version",
            spec_dir.display()
        )
    })?;
    let mut r = report(&csdl, &vs);
    if r.version.is_none() {
        r.version = version;
    }
    Ok(r.to_string())
}

/// Selects the members listed in one section of the report.
type MemberFilter = fn(&MemberFinding) -> bool;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.version.map_or("?", ApiVersion::as_str);
        writeln!(f, "# CSDL cross-check: spec/{v}")?;
        writeln!(f)?;
        writeln!(f, "Totals: {}", self.totals())?;
        writeln!(f)?;
        writeln!(
            f,
            "Generated by `cargo run -p graph-workbook-codegen -- check --csdl ../shared/graph-metadata/v1.0.csdl --spec spec/{v}` \
             (msgraph-metadata schemas/v1.0-Prod.csdl); do not edit by hand. Names match case-insensitively; \
             the CSDL spelling is shown."
        )?;
        self.fmt_unresolved(f)?;
        self.fmt_undocumented(f)?;
        self.fmt_types(f)?;
        self.fmt_method_mismatches(f)?;
        self.fmt_case_differences(f)?;
        self.fmt_client_forms(f)
    }
}

impl CheckReport {
    fn fmt_unresolved(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(
            f,
            "## Documented templates with no CSDL counterpart ({})",
            self.unresolved.len()
        )?;
        writeln!(f)?;
        if self.unresolved.is_empty() {
            writeln!(f, "None.")?;
        } else {
            writeln!(f, "| operation | template | segment | why |")?;
            writeln!(f, "|---|---|---|---|")?;
            for u in &self.unresolved {
                writeln!(
                    f,
                    "| `{}` | `{}` | `{}` | {} |",
                    cell(&u.operation),
                    cell(&u.template),
                    cell(&u.segment),
                    cell(&u.reason)
                )?;
            }
        }
        Ok(())
    }

    fn fmt_undocumented(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(
            f,
            "## CSDL operations bound to workbook types that the docs lack ({})",
            self.undocumented.len()
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{} documented binding+operation pairs resolve; the {} actions bound to `workbookFunctions` are the \
             Excel function catalog (`spec/functions/`) and are not listed.",
            self.documented.len(),
            self.function_catalog
        )?;
        writeln!(f)?;
        if !self.undocumented.is_empty() {
            writeln!(f, "| binding | operation | kind | overloads |")?;
            writeln!(f, "|---|---|---|---|")?;
            for u in &self.undocumented {
                writeln!(
                    f,
                    "| `{}` | `{}` | {} | {} |",
                    u.binding, u.name, u.kind, u.overloads
                )?;
            }
        }
        Ok(())
    }

    fn fmt_types(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(f, "## Resource types ({} checked)", self.types_checked)?;
        if !self.types_not_in_csdl.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "Not in the CSDL: {}",
                self.types_not_in_csdl
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
        }
        let sections: [(&str, MemberFilter); 5] = [
            ("Property type disagreements", |m| {
                m.docs.is_some() && m.csdl.is_some()
            }),
            ("Properties only in the docs", |m| {
                !m.relationship && m.csdl.is_none()
            }),
            ("Properties only in the CSDL", |m| {
                !m.relationship && m.docs.is_none()
            }),
            ("Relationships only in the docs", |m| {
                m.relationship && m.csdl.is_none()
            }),
            ("Navigation properties only in the CSDL", |m| {
                m.relationship && m.docs.is_none()
            }),
        ];
        for (title, keep) in sections {
            let rows: Vec<_> = self.members.iter().filter(|m| keep(m)).collect();
            writeln!(f)?;
            writeln!(f, "### {title} ({})", rows.len())?;
            writeln!(f)?;
            if rows.is_empty() {
                writeln!(f, "None.")?;
                continue;
            }
            writeln!(f, "| type | member | docs | CSDL |")?;
            writeln!(f, "|---|---|---|---|")?;
            for m in rows {
                writeln!(
                    f,
                    "| `{}` | `{}`{} | {} | {} |",
                    m.type_name,
                    m.member,
                    if m.relationship {
                        " (relationship)"
                    } else {
                        ""
                    },
                    m.docs
                        .as_deref()
                        .map_or("-".to_string(), |d| format!("`{d}`")),
                    m.csdl
                        .as_deref()
                        .map_or("-".to_string(), |d| format!("`{d}`")),
                )?;
            }
        }
        Ok(())
    }

    fn fmt_method_mismatches(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(
            f,
            "## Methods that do not fit the CSDL kind ({})",
            self.method_mismatches.len()
        )?;
        writeln!(f)?;
        if self.method_mismatches.is_empty() {
            writeln!(f, "None.")?;
        } else {
            writeln!(f, "The documented method; actions are POSTed and functions called with GET. The client follows the CSDL (see \"What the client sends\").")?;
            writeln!(f)?;
            writeln!(
                f,
                "| operation | documented method | CSDL operation | kind |"
            )?;
            writeln!(f, "|---|---|---|---|")?;
            for m in &self.method_mismatches {
                writeln!(
                    f,
                    "| `{}` | {} | `{}/{}` | {} |",
                    m.operation, m.method, m.binding, m.name, m.kind
                )?;
            }
        }
        Ok(())
    }

    /// Which form the generated client uses for every docs-vs-metadata disagreement above.
    fn fmt_client_forms(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(f, "## What the client sends")?;
        writeln!(f)?;
        writeln!(
            f,
            "The sections above describe the docs. Graph routes by its metadata, so the generated \
             client sends the metadata's form wherever the two disagree:"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "- Methods that do not fit the CSDL kind ({}): the metadata's form, below.",
            self.client_forms.len()
        )?;
        writeln!(
            f,
            "- Documented templates with no CSDL counterpart ({}): sent as documented (the metadata \
             has no form to send instead).",
            self.unresolved.len()
        )?;
        let generated = self
            .undocumented
            .iter()
            .filter(|u| {
                self.from_metadata
                    .contains_key(&(u.binding.clone(), u.name.clone()))
            })
            .count();
        let missing = self.undocumented.len() - generated;
        writeln!(
            f,
            "- CSDL operations that the docs lack ({}): generated from the metadata ({generated}; \
             spec operations with `origin: metadata`: an action is POSTed with its parameters as \
             the JSON body, a function is called with GET and its arguments in the path, on every \
             documented path that reaches the binding){}.",
            self.undocumented.len(),
            if missing == 0 {
                String::new()
            } else {
                format!("; not generated: {missing} (no documented path reaches the binding)")
            }
        )?;
        writeln!(
            f,
            "- Containment collections that no docs page creates in ({}): generated from the \
             metadata as OData creates (`<node>Collection.create`: POST of one entity to the \
             collection, `201` with the new entity; a collection annotated `InsertRestrictions` \
             `Insertable=false` gets none).",
            self.metadata_creates
        )?;
        writeln!(
            f,
            "- Property type disagreements ({}): decoded with the docs' type.",
            self.type_disagreements().count()
        )?;
        writeln!(
            f,
            "- Segment case differences ({}): the CSDL spelling.",
            self.case_differences.len()
        )?;
        if !self.client_forms.is_empty() {
            writeln!(f)?;
            writeln!(f, "| operation | the docs show | the client sends |")?;
            writeln!(f, "|---|---|---|")?;
            for (op, docs, sent) in &self.client_forms {
                writeln!(f, "| `{op}` | {} | {} |", cell(docs), cell(sent))?;
            }
        }
        if !self.from_metadata.is_empty() {
            writeln!(f)?;
            writeln!(f, "Generated from the metadata (no docs page):")?;
            writeln!(f)?;
            writeln!(f, "| CSDL operation | operation | the client sends |")?;
            writeln!(f, "|---|---|---|")?;
            for ((binding, name), (op, sent)) in &self.from_metadata {
                writeln!(f, "| `{binding}/{name}` | `{op}` | {} |", cell(sent))?;
            }
        }
        Ok(())
    }

    fn fmt_case_differences(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        writeln!(
            f,
            "## Segment names whose case differs from the CSDL ({})",
            self.case_differences.len()
        )?;
        writeln!(f)?;
        if self.case_differences.is_empty() {
            writeln!(f, "None.")?;
        } else {
            writeln!(f, "| operation | as documented | CSDL |")?;
            writeln!(f, "|---|---|---|")?;
            for (op, seg, canon) in &self.case_differences {
                writeln!(f, "| `{op}` | `{seg}` | `{canon}` |")?;
            }
        }
        Ok(())
    }
}
