//! The Excel function catalog: one method per function.

use std::collections::BTreeMap;

use super::types::{lower_params, TypeTable};
use super::{Log, Site};
use crate::ir::{self, Name};
use crate::naming::is_snake_ident;
use crate::spec;
use crate::spec::WireName;

/// Pass: the catalog checked (names, duplicates, parameter types) and lowered, sorted by name.
pub(super) fn lower_functions(cat: &spec::FunctionCatalog, log: &mut Log) -> ir::Functions {
    let types = TypeTable::default();
    let mut items = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, f) in cat.functions.iter().enumerate() {
        let at = |pointer: &str| Site::functions(&format!("/functions/{i}{pointer}"));
        if !WireName::is_valid(&f.name) {
            log.error(at("/name"), &f.name, "bad function name");
            continue;
        }
        if !is_snake_ident(&f.rust_name) {
            log.error(
                at("/rust_name"),
                &f.name,
                format_args!("`{}` is not a snake_case Rust method name", f.rust_name),
            );
            continue;
        }
        if let Some(other) = seen.insert(f.rust_name.clone(), f.name.clone()) {
            log.error(
                at("/rust_name"),
                &f.name,
                format_args!("duplicate name `{}` (also `{other}`)", f.rust_name),
            );
            continue;
        }
        let param_at = |p: usize, f: &str| at(&format!("/params/{p}/{f}"));
        let params = lower_params(log, &types, (&param_at, &f.name), &f.params, false);
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
