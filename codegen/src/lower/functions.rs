//! The Excel function catalog: one method per function.

use std::collections::BTreeMap;

use super::names::{is_method_ident, is_wire_name};
use super::types::{lower_params, TypeTable};
use super::Log;
use crate::ir::{self, Name};
use crate::spec;

const FILE: &str = "spec/functions/workbookFunctions.json";

/// Pass: the catalog checked (names, duplicates, parameter types) and lowered, sorted by name.
pub(super) fn lower_functions(cat: &spec::FunctionCatalog, log: &mut Log) -> ir::Functions {
    let types = TypeTable::default();
    let mut items = Vec::new();
    let mut seen = BTreeMap::new();
    for f in &cat.functions {
        if !is_wire_name(&f.name) {
            log.error(FILE, &f.name, "bad function name");
            continue;
        }
        if !is_method_ident(&f.rust_name) {
            log.error(
                FILE,
                &f.name,
                format_args!("`{}` is not a snake_case Rust method name", f.rust_name),
            );
            continue;
        }
        if let Some(other) = seen.insert(f.rust_name.clone(), f.name.clone()) {
            log.error(
                FILE,
                &f.name,
                format_args!("duplicate name `{}` (also `{other}`)", f.rust_name),
            );
            continue;
        }
        let params = lower_params(log, &types, (FILE, &f.name), &f.params, false);
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
