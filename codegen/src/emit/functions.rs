//! The Excel functions: one thin method per function on `FunctionsNode`, all sharing the
//! runtime helper `Node::function` (no per-function body struct: keeps compile time low).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::ir;

pub fn functions(f: Option<&ir::Functions>, rt: &TokenStream) -> TokenStream {
    let (source, methods) = match f {
        Some(f) => (
            f.source.clone(),
            f.items.iter().map(function).collect::<Vec<_>>(),
        ),
        None => ("(no catalog in spec/)".to_owned(), Vec::new()),
    };
    let doc = doc(&format!(
        "`/workbook/functions`: the Excel worksheet functions as typed calls \
         (`POST /workbook/functions/{{name}}` with the named arguments as the JSON body).\n\n\
         Signatures from {source}.\n\nAvailable with the cargo feature `functions`."
    ));
    // Imported: 366 signatures name them (see `crate::ir::IMPORTED_NAMES`).
    quote! {
        #[allow(unused_imports)]
        use #rt::{
            call::Call,
            node::{FnArg, FunctionResult, Node, NodeType},
        };

        #doc
        #[derive(Debug, Clone)]
        pub struct FunctionsNode(pub(crate) Node);

        impl NodeType for FunctionsNode {
            fn from_node(node: Node) -> Self { Self(node) }
            fn node(&self) -> &Node { &self.0 }
        }

        impl FunctionsNode {
            #(#methods)*
        }
    }
}

fn function(f: &ir::Function) -> TokenStream {
    let method = ident(&f.name.rust);
    let wire = &f.name.wire;
    let params = f.params.iter().map(|p| {
        let id = ident(&p.name.rust);
        quote! { #id: impl Into<FnArg> }
    });
    let args = f.params.iter().map(|p| {
        let id = ident(&p.name.rust);
        let w = &p.name.wire;
        quote! { (#w, #id.into()) }
    });
    let names = f
        .params
        .iter()
        .map(|p| format!("`{}`", p.name.wire))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = doc(&format!(
        "Excel `{}`: `POST /workbook/functions/{wire}`{}.\n\nReturns the function result (`value`, `error`). \
         Pass `FnArg::NONE` to leave an optional argument out.\n\n\
         Docs: <https://learn.microsoft.com/graph/api/resources/workbookfunctions?view=graph-rest-1.0>",
        wire.to_uppercase(),
        if names.is_empty() { String::new() } else { format!(" with {names}") },
    ));
    let allow = if f.params.len() >= 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        quote! {}
    };
    quote! {
        #doc
        #allow
        pub fn #method(&self, #(#params),*) -> Call<FunctionResult> {
            self.0.function(#wire, vec![#(#args),*])
        }
    }
}
