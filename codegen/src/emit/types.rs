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

/// A documented value set: the known values, `Other(String)` for the rest, the wire string
/// through serde both ways (decoding goes through the runtime's `wire_enum`).
pub fn enum_def(e: &ir::EnumDef) -> TokenStream {
    let name = ident(&e.name.rust);
    let enum_doc = doc(&docs::enum_doc(e));
    let variants = e.variants.iter().map(|v| {
        let id = ident(&v.rust);
        let d = doc(&format!("`{}`", v.wire));
        quote! { #d #id, }
    });
    let to_wire = e.variants.iter().map(|v| {
        let id = ident(&v.rust);
        let w = &v.wire;
        quote! { #name::#id => #w, }
    });
    let from_wire = e.variants.iter().map(|v| {
        let id = ident(&v.rust);
        let w = &v.wire;
        quote! { #w => #name::#id, }
    });
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this crate does not know (sent and received as is).
            Other(String),
        }
        impl #name {
            /// The value as Graph writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    #name::Other(s) => s,
                }
            }
        }
        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#from_wire)*
                    _ => #name::Other(s.to_owned()),
                }
            }
        }
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                wire_enum(d)
            }
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
    // Required parameters cannot be left out by accident: a body with one has no `Default`
    // (no `..Default::default()` sending `""` or `0`) but a `new` taking the required ones.
    let required: Vec<&ir::RustParam> =
        b.fields.iter().filter(|f| !b.patch && f.required).collect();
    let default = if required.is_empty() {
        quote! { Default, }
    } else {
        quote! {}
    };
    let ctor = constructor(&name, b, &required);
    quote! {
        #gate
        #doc
        #[derive(Debug, Clone, #default PartialEq, Serialize)]
        pub struct #name {
            #(#fields)*
        }
        #ctor
    }
}

/// `new(required..)` of a body with required parameters; the optional ones start `None`.
fn constructor(
    name: &proc_macro2::Ident,
    b: &ir::BodyStruct,
    required: &[&ir::RustParam],
) -> TokenStream {
    if required.is_empty() {
        return quote! {};
    }
    let gate = cfg(b.area);
    let args = required.iter().map(|f| {
        let n = ident(&f.name.rust);
        if f.ty == Ty::String {
            quote! { #n: impl Into<String> }
        } else {
            let t = ty(&f.ty);
            quote! { #n: #t }
        }
    });
    let inits = b.fields.iter().map(|f| {
        let n = ident(&f.name.rust);
        match (f.required, f.ty == Ty::String) {
            (true, true) => quote! { #n: #n.into() },
            (true, false) => quote! { #n },
            (false, _) => quote! { #n: None },
        }
    });
    let names: Vec<String> = required
        .iter()
        .map(|f| format!("`{}`", f.name.rust))
        .collect();
    let d = doc(&format!(
        "The parameters with the required ones ({}); the optional ones start `None`.",
        names.join(", ")
    ));
    quote! {
        #gate
        impl #name {
            #d
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}
