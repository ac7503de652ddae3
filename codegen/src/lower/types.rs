//! Type passes: the table of Rust type names, type references resolved against it, spec type
//! definitions and parameter lists lowered, recursive fields boxed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Log, Site};
use crate::ir::{self, Name, Ty};
use crate::naming::is_pascal_ident;
use crate::naming::snake_case;
use crate::spec::WireName;
use crate::spec::{self, ApiVersion, Primitive, TypeRef};

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

/// Types the runtime provides when spec/ has no page for them.
const BUILTIN_TYPES: &[(&str, &str)] = &[("workbookFunctionResult", "crate::node::FunctionResult")];

/// The generated types of one version: wire name -> Rust name.
#[derive(Debug, Clone, Default)]
pub(super) struct TypeTable {
    by_wire: BTreeMap<String, String>,
}

impl TypeTable {
    pub fn rust_of(&self, wire: &str) -> Option<&String> {
        self.by_wire.get(wire)
    }

    pub fn rust_names(&self) -> BTreeSet<String> {
        self.by_wire.values().cloned().collect()
    }

    /// The Rust type of a type reference; `field` names the property or parameter (cell-data
    /// fields are grids).
    pub fn resolve(&self, t: &TypeRef, field: &str) -> Result<Ty, String> {
        if let TypeRef::Named(qualified) = t {
            if let Some(raw) = qualified.strip_prefix("microsoft.graph.") {
                return self.resolve(&TypeRef::named(raw), field);
            }
        }
        if CELL_GRID_NAMES.contains(&field)
            && (t.primitive() == Some(Primitive::Json) || t.is_collection())
        {
            return Ok(Ty::CellGrid);
        }
        Ok(match t {
            TypeRef::Collection(inner) => {
                if inner.is_collection() {
                    return Err(format!("nested collection type `{t}` is not supported"));
                }
                Ty::Vec(Box::new(self.resolve(inner, "")?))
            }
            TypeRef::Primitive(Primitive::String | Primitive::Binary) => Ty::String,
            TypeRef::Primitive(Primitive::Int32) => Ty::I32,
            TypeRef::Primitive(Primitive::Int64) => Ty::I64,
            TypeRef::Primitive(Primitive::Double) => Ty::F64,
            TypeRef::Primitive(Primitive::Boolean) => Ty::Bool,
            TypeRef::Primitive(Primitive::Json) => Ty::Json,
            TypeRef::Primitive(Primitive::Any) => Ty::Cell,
            TypeRef::Named(name) => self.resolve_named(name)?,
        })
    }

    fn resolve_named(&self, wire: &str) -> Result<Ty, String> {
        if let Some(rust) = self.by_wire.get(wire) {
            return Ok(Ty::Named(rust.clone()));
        }
        match BUILTIN_TYPES.iter().find(|(w, _)| *w == wire) {
            Some((_, path)) => Ok(Ty::Named((*path).to_owned())),
            None => Err(format!("unknown type `{wire}`")),
        }
    }
}

/// Pass: the Rust name of every type of a version, checked (PascalCase, not an imported
/// runtime name, unique). A type with a bad name is left out (references to it fail).
pub(super) fn type_table(version: ApiVersion, vs: &spec::VersionSpec, log: &mut Log) -> TypeTable {
    let mut by_wire = BTreeMap::new();
    let mut rust_seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (wire, t) in &vs.types {
        let at = |pointer: &str| Site::type_def(version, wire, pointer);
        if t.version != version {
            log.error(
                at("/version"),
                wire,
                format_args!(
                    "version `{}` does not match its directory `{version}`",
                    t.version
                ),
            );
        }
        let rust = t.rust_name.as_str();
        let problem = if !is_pascal_ident(rust) {
            format!("`{rust}` is not a PascalCase Rust type name")
        } else if crate::ir::IMPORTED_NAMES.contains(&rust) {
            format!("Rust type name `{rust}` is reserved: the generated module imports a runtime item of that name")
        } else if let Some(other) = rust_seen.insert(rust, wire) {
            format!("duplicate name: Rust type `{rust}` is also used by `{other}`")
        } else {
            by_wire.insert(wire.clone(), rust.to_owned());
            continue;
        };
        log.error(at("/rust_name"), wire, problem);
    }
    TypeTable { by_wire }
}

/// Pass: every named spec type as an IR struct (area from its name, not serialized yet).
pub(super) fn lower_typedefs(
    version: ApiVersion,
    vs: &spec::VersionSpec,
    table: &TypeTable,
    log: &mut Log,
) -> Vec<ir::ResourceStruct> {
    let mut typedefs = Vec::new();
    for (wire, t) in &vs.types {
        let Some(rust) = table.rust_of(wire) else {
            continue;
        };
        let at = |pointer: &str| Site::type_def(version, wire, pointer);
        let fields = lower_properties(&at, wire, &t.properties, table, log);
        for (i, r) in t.relationships.iter().enumerate() {
            if let Err(e) = table.resolve(&r.type_, "") {
                // Relationships are navigations, not fields; still, the type must exist.
                let at = at(&format!("/relationships/{i}/type"));
                log.error(at, wire, format_args!("relationship `{}`: {e}", r.name));
            }
        }
        typedefs.push(ir::ResourceStruct {
            name: Name::new(rust.clone(), wire.clone()),
            docs_url: t.docs_url.clone(),
            kind: t.kind,
            area: super::names::area_of(wire),
            fields,
            serialize: false,
        });
    }
    box_recursive_fields(&mut typedefs);
    typedefs
}

fn lower_properties(
    at: &dyn Fn(&str) -> Site,
    wire: &str,
    properties: &[spec::Property],
    table: &TypeTable,
    log: &mut Log,
) -> Vec<ir::RustParam> {
    let mut fields = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, p) in properties.iter().enumerate() {
        let file = |field: &str| at(&format!("/properties/{i}/{field}"));
        if !WireName::is_valid(&p.name) {
            log.error(
                file("name"),
                wire,
                format_args!("bad property name `{}`", p.name),
            );
            continue;
        }
        let fname = snake_case(&p.name);
        if !seen.insert(fname.clone()) {
            log.error(
                file("name"),
                wire,
                format_args!("duplicate name `{fname}` (property `{}`)", p.name),
            );
            continue;
        }
        match table.resolve(&p.type_, &p.name) {
            Ok(ty) => fields.push(ir::RustParam {
                name: Name::new(fname, p.name.clone()),
                ty,
                required: false,
                quoted: false,
                values: p.values.clone(),
                read_only: p.read_only,
            }),
            Err(e) => log.error(
                file("type"),
                wire,
                format_args!("property `{}`: {e}", p.name),
            ),
        }
    }
    fields
}

/// A field whose type leads back to its own struct without a `Vec` in between is boxed.
fn box_recursive_fields(typedefs: &mut [ir::ResourceStruct]) {
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

/// The generated struct names a type mentions (runtime `crate::` paths excluded).
pub(super) fn named_types(ty: &Ty, out: &mut BTreeSet<String>) {
    match ty {
        Ty::Named(n) if !n.starts_with("crate::") => {
            out.insert(n.clone());
        }
        Ty::Vec(inner) | Ty::Boxed(inner) => named_types(inner, out),
        _ => {}
    }
}

/// Where field `.1` (`name`, `type`) of parameter `.0` is written.
pub(super) type ParamSite<'a> = &'a dyn Fn(usize, &str) -> Site;

/// Lowered parameter list; checks names, duplicates and types. `at(i, field)` is where
/// `field` of parameter `i` is written, `what` names the item the parameters belong to in diagnostics.
pub(super) fn lower_params(
    log: &mut Log,
    table: &TypeTable,
    (at, what): (ParamSite, &str),
    params: &[spec::Param],
    force_optional: bool,
) -> Vec<ir::RustParam> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, p) in params.iter().enumerate() {
        if !WireName::is_valid(&p.name) {
            log.error(
                at(i, "name"),
                what,
                format_args!("bad parameter name `{}`", p.name),
            );
            continue;
        }
        let rust = snake_case(&p.name);
        if !seen.insert(rust.clone()) {
            log.error(
                at(i, "name"),
                what,
                format_args!("duplicate name `{}` (parameter `{}`)", rust, p.name),
            );
            continue;
        }
        match table.resolve(&p.type_, &p.name) {
            Ok(ty) => out.push(ir::RustParam {
                name: Name::new(rust, p.name.clone()),
                ty,
                required: p.required && !force_optional,
                quoted: p.quoted,
                values: p.values.clone(),
                read_only: false,
            }),
            Err(e) => log.error(
                at(i, "type"),
                what,
                format_args!("parameter `{}`: {e}", p.name),
            ),
        }
    }
    out
}

/// Required parameters first; stable, so spec order stays within each group.
pub(super) fn order_required_first(mut v: Vec<ir::RustParam>) -> Vec<ir::RustParam> {
    v.sort_by_key(|p| !p.required);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::{prop, type_def};

    fn table(types: &[(&str, &str)]) -> TypeTable {
        TypeTable {
            by_wire: types
                .iter()
                .map(|(w, r)| (w.to_string(), r.to_string()))
                .collect(),
        }
    }

    #[test]
    fn resolves_primitives_collections_grids_and_named_types() {
        let t = table(&[("workbookRange", "WorkbookRange")]);
        let r = |s: &str, field: &str| t.resolve(&TypeRef::parse(s).unwrap(), field);
        assert_eq!(r("int32", ""), Ok(Ty::I32));
        assert_eq!(
            r("microsoft.graph.workbookRange", ""),
            Ok(Ty::Named("WorkbookRange".into()))
        );
        assert_eq!(
            r("Collection(string)", ""),
            Ok(Ty::Vec(Box::new(Ty::String)))
        );
        assert_eq!(r("Json", "values"), Ok(Ty::CellGrid));
        assert_eq!(r("Json", "other"), Ok(Ty::Json));
        assert_eq!(
            r("workbookFunctionResult", ""),
            Ok(Ty::Named("crate::node::FunctionResult".into()))
        );
        // Spec files cannot hold it (parsing refuses it); built in code, lowering refuses it.
        let nested = TypeRef::collection_of(&TypeRef::parse("Collection(string)").unwrap());
        assert!(t.resolve(&nested, "").is_err());
        assert_eq!(r("nope", ""), Err("unknown type `nope`".into()));
    }

    #[test]
    fn type_table_rejects_bad_reserved_and_duplicate_names() {
        let mut vs = spec::VersionSpec::default();
        for (wire, rust) in [
            ("workbookA", "WorkbookA"),
            ("workbookB", "WorkbookA"),
            ("workbookC", "lower"),
            ("workbookD", "Node"),
        ] {
            vs.types.insert(wire.into(), type_def(wire, rust, vec![]));
        }
        let mut log = Log::default();
        let t = type_table(ApiVersion::V1_0, &vs, &mut log);
        assert_eq!(
            t.rust_names().into_iter().collect::<Vec<_>>(),
            ["WorkbookA"]
        );
        let errors = log.errors();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(
            errors[0].contains("spec/v1.0/types/workbookB.json"),
            "{errors:#?}"
        );
        assert!(
            errors[0].contains("also used by `workbookA`"),
            "{errors:#?}"
        );
        assert!(errors[1].contains("not a PascalCase"), "{errors:#?}");
        assert!(errors[2].contains("reserved"), "{errors:#?}");
    }

    #[test]
    fn recursive_fields_are_boxed() {
        let mut vs = spec::VersionSpec::default();
        vs.types.insert(
            "workbookError".into(),
            type_def(
                "workbookError",
                "WorkbookError",
                vec![
                    prop("inner", "workbookError"),
                    prop("list", "Collection(workbookError)"),
                ],
            ),
        );
        let mut log = Log::default();
        let t = type_table(ApiVersion::V1_0, &vs, &mut log);
        let defs = lower_typedefs(ApiVersion::V1_0, &vs, &t, &mut log);
        assert!(log.errors().is_empty());
        let named = Ty::Named("WorkbookError".into());
        assert_eq!(defs[0].fields[0].ty, Ty::Boxed(Box::new(named.clone())));
        assert_eq!(defs[0].fields[1].ty, Ty::Vec(Box::new(named)));
    }

    #[test]
    fn params_check_names_and_duplicates() {
        let t = table(&[]);
        let p = |name: &str, ty: &str| spec::Param {
            name: name.into(),
            type_: TypeRef::parse(ty).unwrap(),
            required: true,
            quoted: false,
            values: vec![],
        };
        let mut log = Log::default();
        let out = lower_params(
            &mut log,
            &t,
            (&|_, _| Site::operation(ApiVersion::V1_0, "op", ""), "op"),
            &[
                p("rowCount", "int32"),
                p("row_count", "int32"),
                p("a b", "int32"),
                p("x", "nope"),
            ],
            true,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].name, Name::new("row_count", "rowCount"));
        assert!(!out[0].required, "force_optional");
        assert_eq!(log.errors().len(), 3, "{:#?}", log.errors());
    }
}
