//! The Excel function catalog (`spec/functions/workbookFunctions.json`).
//!
//! The docs describe only `POST /workbook/functions/{name}`; the signatures exist solely in the
//! CSDL as actions bound to `graph.workbookFunctions`. Each becomes an [`ExcelFunction`] with
//! its parameters in CSDL order (binding parameter excluded). `required` mirrors the CSDL's
//! `Nullable="false"`; the v1.0 CSDL declares every function parameter nullable, so all are
//! optional on the wire (Excel itself decides which arguments it needs).

use std::collections::BTreeSet;

use super::csdl::{Csdl, CsdlParam};
use crate::naming;
use crate::spec::{ExcelFunction, FunctionCatalog, TypeRef};

/// The binding type of the Excel functions.
pub(crate) const BINDING: &str = "workbookFunctions";

/// Where the catalog comes from: the shared CSDL and its upstream origin (see the shared
/// corpus README).
pub(crate) const SOURCE: &str =
    "graph-metadata/v1.0.csdl: msgraph-metadata schemas/v1.0-Prod.csdl \
at commit f54f11b60956ea7b185ca0447b2b80805836ec7b (Actions bound to graph.workbookFunctions)";

/// Build the catalog: every action bound to `workbookFunctions`, sorted by wire name.
///
/// Overloads (none exist in v1.0) keep the first declaration; a Rust name that collides with
/// an earlier one gets a numeric suffix (`_2`) so the generated methods stay distinct.
pub fn function_catalog(csdl: &Csdl) -> FunctionCatalog {
    let mut ops: Vec<_> = csdl
        .operations_bound_to(&TypeRef::named(BINDING))
        .into_iter()
        .filter(|o| o.is_action)
        .collect();
    ops.sort_by(|a, b| a.name.cmp(&b.name));
    ops.dedup_by(|b, a| a.name == b.name);

    let mut rust_names = BTreeSet::new();
    let functions = ops
        .into_iter()
        .map(|op| {
            let base = naming::snake_case(&op.name);
            let mut rust_name = base.clone();
            let mut n = 2;
            while !rust_names.insert(rust_name.clone()) {
                rust_name = format!("{base}_{n}");
                n += 1;
            }
            ExcelFunction {
                name: op.name.clone().into(),
                rust_name,
                params: op.params.iter().map(CsdlParam::to_param).collect(),
                returns: op
                    .returns()
                    .unwrap_or_else(|| crate::spec::TypeRef::named("workbookFunctionResult")),
            }
        })
        .collect();
    FunctionCatalog {
        source: SOURCE.to_string(),
        functions,
    }
}
