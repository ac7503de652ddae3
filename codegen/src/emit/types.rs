//! Structs: resource types from spec/ and request bodies of operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::{cfg, doc, docs, ident, ty};
use crate::ir::{self, Ty};

fn field(f: &ir::RustParam, optional: bool, serialize: bool) -> TokenStream {
    let name = ident(&f.name.rust);
    let t = ty(&f.ty);
    let doc = doc(&docs::field_doc(f));
    let wire = &f.name.wire;
    let rename = if f.name.rust != f.name.wire {
        quote! { rename = #wire, }
    } else {
        quote! {}
    };
    if optional && serialize {
        quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#t>,
        }
    } else if optional {
        // Deserialize only: a missing `Option` field is `None` without `default`.
        let attr = if f.name.rust != f.name.wire {
            quote! { #[serde(rename = #wire)] }
        } else {
            quote! {}
        };
        quote! {
            #doc
            #attr
            pub #name: Option<#t>,
        }
    } else if f.name.rust != f.name.wire {
        quote! {
            #doc
            #[serde(rename = #wire)]
            pub #name: #t,
        }
    } else {
        quote! {
            #doc
            pub #name: #t,
        }
    }
}

pub fn typedef(t: &ir::ResourceStruct) -> TokenStream {
    let name = ident(&t.name.rust);
    let gate = cfg(t.area);
    let doc = doc(&docs::type_doc(t));
    let fields = t.fields.iter().map(|f| field(f, true, t.serialize));
    let ser = if t.serialize {
        quote! { Serialize, }
    } else {
        quote! {}
    };
    quote! {
        #gate
        #doc
        #[derive(Debug, Clone, Default, PartialEq, #ser Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

pub fn body(b: &ir::BodyStruct) -> TokenStream {
    let name = ident(&b.rust);
    let gate = cfg(b.area);
    let doc = doc(&docs::body_doc(b));
    let fields = b
        .fields
        .iter()
        .map(|f| field(f, b.patch || !f.required, true));
    // `CellValue` may not have a default; everything else does.
    let default = if b.fields.iter().any(|f| f.required && f.ty == Ty::Cell) {
        quote! {}
    } else {
        quote! { Default, }
    };
    quote! {
        #gate
        #doc
        #[derive(Debug, Clone, #default PartialEq, Serialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}
