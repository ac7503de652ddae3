//! `enums` pass: string fields whose allowed values the docs list (`values` in spec/) become
//! generated enums with an escape variant (`Other(String)`), so a typo in a known value does
//! not compile and a value the server adds later still decodes.
//!
//! One enum per (field wire name, value set): a resource type's field and the request body
//! field of the same name and values share it. It is named `<Owner><Field>`, the owner being
//! the resource type without its `Workbook` prefix (`WorksheetVisibility`), or, when no
//! resource type has that field and value set, the body struct without its `Params`/`Update`
//! suffix (`RangeInsertShift`).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{self, Name, Ty};
use crate::naming::pascal_case;

/// What identifies one enum: a field's wire name and its sorted documented values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    wire: String,
    values: Vec<String>,
}

/// A type or body using an enum. Ordered types first (`is_body` false), then by name: the
/// first owner names the enum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Owner {
    is_body: bool,
    /// The Rust name without `Workbook` / `Params` / `Update`.
    name: String,
}

/// The escape variant for values this crate does not know.
pub(crate) const OTHER: &str = "Other";

/// Collects the enums of one version and retypes the fields that use them.
pub(super) fn lower_enums(
    types: &mut [ir::ResourceStruct],
    bodies: &mut [ir::BodyStruct],
    taken: &BTreeSet<String>,
) -> Vec<ir::EnumDef> {
    let mut groups: BTreeMap<Key, BTreeSet<Owner>> = BTreeMap::new();
    let type_owners = types.iter().map(|t| {
        let owner = t.name.rust.strip_prefix("Workbook").unwrap_or(&t.name.rust);
        (false, owner.to_owned(), &t.fields)
    });
    let body_owners = bodies.iter().map(|b| {
        let owner = b
            .rust
            .strip_suffix("Params")
            .or_else(|| b.rust.strip_suffix("Update"))
            .unwrap_or(&b.rust);
        (true, owner.to_owned(), &b.fields)
    });
    for (is_body, owner, fields) in type_owners.chain(body_owners) {
        for f in fields.iter().filter(|f| eligible(f)) {
            groups.entry(key(f)).or_default().insert(Owner {
                is_body,
                name: owner.clone(),
            });
        }
    }
    let mut names: BTreeMap<Key, String> = BTreeMap::new();
    let mut enums = Vec::new();
    let mut used: BTreeSet<String> = taken.clone();
    for (Key { wire, values }, owners) in groups {
        let Some(Owner { name: owner, .. }) = owners.iter().next() else {
            continue;
        };
        let rust = format!("{owner}{}", pascal_case(&wire));
        let variants: Vec<Name> = values
            .iter()
            .map(|v| Name::new(variant_name(v), v.clone()))
            .collect();
        let distinct: BTreeSet<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
        // Values that do not make distinct identifiers stay strings.
        if distinct.len() != variants.len()
            || distinct.contains(OTHER)
            || distinct.contains("")
            || !used.insert(rust.clone())
        {
            continue;
        }
        let key = Key {
            wire: wire.clone(),
            values: values.clone(),
        };
        names.insert(key, rust.clone());
        enums.push(ir::EnumDef {
            name: Name::new(rust, wire),
            variants,
            owners: owners.into_iter().map(|o| o.name).collect(),
        });
    }
    let retype = |fields: &mut Vec<ir::RustParam>| {
        for f in fields.iter_mut().filter(|f| eligible(f)) {
            if let Some(rust) = names.get(&key(f)) {
                f.ty = Ty::Named(rust.clone());
            }
        }
    };
    types.iter_mut().for_each(|t| retype(&mut t.fields));
    bodies.iter_mut().for_each(|b| retype(&mut b.fields));
    enums.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    enums
}

fn eligible(f: &ir::RustParam) -> bool {
    f.ty == Ty::String && !f.values.is_empty()
}

fn key(f: &ir::RustParam) -> Key {
    let mut values = f.values.clone();
    values.sort();
    values.dedup();
    Key {
        wire: f.name.wire.clone(),
        values,
    }
}

/// `FullRebuild` stays; `pin yin` → `PinYin`; a leading digit gets a `V` prefix.
fn variant_name(value: &str) -> String {
    let p = pascal_case(value);
    let p: String = p.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match p.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("V{p}"),
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, values: &[&str]) -> ir::RustParam {
        ir::RustParam {
            name: Name::new(crate::naming::snake_case(wire), wire),
            ty: Ty::String,
            required: false,
            quoted: false,
            values: values.iter().map(|s| s.to_string()).collect(),
            read_only: false,
        }
    }

    #[test]
    fn shared_by_type_and_body_named_after_the_type_owner() {
        let mut types = vec![ir::ResourceStruct {
            name: Name::new("WorkbookWorksheet", "workbookWorksheet"),
            docs_url: String::new(),
            kind: crate::spec::TypeKind::Entity,
            area: None,
            fields: vec![field("visibility", &["Visible", "Hidden"])],
            serialize: true,
        }];
        let body = |rust: &str, f| ir::BodyStruct {
            rust: rust.into(),
            op_id: String::new(),
            docs_url: None,
            area: None,
            patch: false,
            fields: vec![f],
        };
        let mut bodies = vec![
            body(
                "WorksheetUpdate",
                field("visibility", &["Hidden", "Visible"]),
            ),
            body("RangeInsertParams", field("shift", &["Down", "Right"])),
            body("RangeDeleteParams", field("shift", &["Left", "Up"])),
            body("Bad", field("x", &["a b", "a-b"])),
        ];
        let enums = lower_enums(&mut types, &mut bodies, &BTreeSet::new());
        let names: Vec<&str> = enums.iter().map(|e| e.name.rust.as_str()).collect();
        assert_eq!(
            names,
            [
                "RangeDeleteShift",
                "RangeInsertShift",
                "WorksheetVisibility"
            ]
        );
        assert_eq!(
            types[0].fields[0].ty,
            Ty::Named("WorksheetVisibility".into())
        );
        assert_eq!(
            bodies[0].fields[0].ty,
            Ty::Named("WorksheetVisibility".into())
        );
        assert_eq!(bodies[1].fields[0].ty, Ty::Named("RangeInsertShift".into()));
        // `a b` and `a-b` make the same identifier: the field stays a string.
        assert_eq!(bodies[3].fields[0].ty, Ty::String);
        let v = &enums[2].variants;
        assert_eq!(
            (v[0].rust.as_str(), v[0].wire.as_str()),
            ("Hidden", "Hidden")
        );
    }
}
