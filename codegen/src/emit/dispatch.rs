//! The conformance dispatcher (rendered for the test-only `conformance/` crate): given an
//! operation id, one of its documented templates, the template's placeholder values and a JSON
//! body, it walks the *typed* navigation methods from the workbook root and calls the typed
//! operation method, so `conformance/tests/conformance.rs` can replay the docs' examples through the same
//! signatures, escaping and body structs a user gets. Nothing here builds a URL.
//!
//! A template that cannot be walked through the generated node methods becomes an arm that
//! returns an error naming the missing step: an unreachable (operation, path) pair is a
//! generator bug the conformance test reports.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{self, Ty};
use crate::spec::{Param, Segment as Seg};

fn base_ty(t: &Ty) -> TokenStream {
    match t {
        Ty::I32 => quote! { i32 },
        Ty::I64 => quote! { i64 },
        Ty::F64 => quote! { f64 },
        Ty::Bool => quote! { bool },
        _ => quote! { &str },
    }
}

/// The expression passing placeholder `ph` (if the template has it) as parameter `p`.
fn arg_expr(p: &ir::RustParam, ph: Option<&str>) -> TokenStream {
    let conv = |ph: &str| match p.ty {
        Ty::I32 => quote! { __parse::<i32>(args, #ph)? },
        Ty::I64 => quote! { __parse::<i64>(args, #ph)? },
        Ty::F64 => quote! { __parse::<f64>(args, #ph)? },
        Ty::Bool => quote! { __parse::<bool>(args, #ph)? },
        _ => quote! { __str(args, #ph)? },
    };
    match (ph, p.required) {
        (Some(ph), true) => conv(ph),
        (Some(ph), false) => {
            let c = conv(ph);
            quote! { Some(#c) }
        }
        (None, true) => {
            let msg = format!(
                "required parameter `{}` is not in the template",
                p.name.wire
            );
            quote! { return Err(#msg.to_string()) }
        }
        (None, false) => {
            let b = base_ty(&p.ty);
            quote! { None::<#b> }
        }
    }
}

/// The arguments of a call segment, in the method's parameter order. A segment argument's
/// placeholder is its name (the template is what the segments spell).
fn call_args(params: &[ir::RustParam], seg_args: &[Param]) -> Vec<TokenStream> {
    params
        .iter()
        .map(|p| {
            let ph = seg_args
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(&p.name.wire))
                .map(|a| a.name.as_str());
            arg_expr(p, ph)
        })
        .collect()
}

/// A navigation or call segment as (name, arguments); `None` for a key.
fn named(seg: &Seg) -> Option<(&str, &[Param])> {
    match seg {
        Seg::Navigation { name, .. } => Some((name, &[])),
        Seg::Call { name, args, .. } => Some((name, args)),
        Seg::Key { .. } => None,
    }
}

/// `book.worksheet(..).range(..)` for the node part of a template, or why it cannot be walked.
fn walk<'a>(
    v: &'a ir::VersionApi,
    segs: &[Seg],
) -> Result<(TokenStream, &'a ir::NodeType), String> {
    let find = |rust: &str| v.nodes.iter().find(|n| n.rust == rust);
    let mut node = find("WorkbookNode").ok_or("no WorkbookNode")?;
    let mut expr = quote! { book };
    match segs.first().and_then(named) {
        Some(("workbook", [])) => {}
        _ => return Err("template does not start with /workbook".into()),
    }
    let mut i = 1;
    while i < segs.len() {
        let (nav, used) = match (named(&segs[i]), segs.get(i + 1)) {
            (Some((name, [])), Some(Seg::Key { param: key })) => {
                let short = node.navs.iter().find(|n| {
                    matches!(&n.kind, ir::NavKind::Key { segment: Some(s), .. } if s.eq_ignore_ascii_case(name))
                });
                match short {
                    Some(nv) => {
                        let ir::NavKind::Key { param, .. } = &nv.kind else {
                            unreachable!()
                        };
                        let m = ident(&nv.method);
                        let a = arg_expr(param, Some(&key.name));
                        (quote! { .#m(#a) }, (nv, 2))
                    }
                    None => step(node, &segs[i])?,
                }
            }
            _ => step(node, &segs[i])?,
        };
        let (nv, n) = used;
        expr = quote! { #expr #nav };
        i += n;
        node = find(&nv.target).ok_or_else(|| format!("no node type `{}`", nv.target))?;
    }
    Ok((expr, node))
}

type Step<'a> = (TokenStream, (&'a ir::Nav, usize));

fn step<'a>(node: &'a ir::NodeType, seg: &Seg) -> Result<Step<'a>, String> {
    let (name, args) = match seg {
        Seg::Key { param: key } => return key_step(node, &key.name),
        Seg::Navigation { name, .. } => (name.as_str(), &[][..]),
        Seg::Call { name, args, .. } => (name.as_str(), &args[..]),
    };
    for nv in &node.navs {
        let m = ident(&nv.method);
        match &nv.kind {
            ir::NavKind::Segment { wire } if wire.eq_ignore_ascii_case(name) => {
                if !args.is_empty() {
                    return Err(format!(
                        "`{}.{}` takes no arguments but the template has some",
                        node.rust, nv.method
                    ));
                }
                return Ok((quote! { .#m() }, (nv, 1)));
            }
            ir::NavKind::Call { wire, args: ps } if wire.eq_ignore_ascii_case(name) => {
                let a = call_args(ps, args);
                return Ok((quote! { .#m(#(#a),*) }, (nv, 1)));
            }
            _ => {}
        }
    }
    Err(format!("`{}` has no navigation `{name}`", node.rust))
}

/// The step of a `{k}` key segment: the node's key method.
fn key_step<'a>(node: &'a ir::NodeType, k: &str) -> Result<Step<'a>, String> {
    let nv = node
        .navs
        .iter()
        .find(|n| matches!(&n.kind, ir::NavKind::Key { segment: None, .. }))
        .ok_or_else(|| format!("`{}` has no key method for `{{{k}}}`", node.rust))?;
    let ir::NavKind::Key { param, .. } = &nv.kind else {
        unreachable!()
    };
    let m = ident(&nv.method);
    let a = arg_expr(param, Some(k));
    Ok((quote! { .#m(#a) }, (nv, 1)))
}

/// `__body_<Struct>(body)?`: the example body deserialized field by field into the generated
/// body struct (its fields are public); a key the struct does not have is an error.
fn body_builder(b: &ir::BodyStruct) -> TokenStream {
    let name = ident(&b.rust);
    let f = ident(&format!("__body_{}", b.rust));
    let fields = b.fields.iter().map(|p| {
        let id = ident(&p.name.rust);
        let wire = &p.name.wire;
        if b.patch || !p.required {
            quote! { #id: __opt_field(&mut m, #wire)?, }
        } else {
            quote! { #id: __field(&mut m, #wire)?, }
        }
    });
    let gate = super::cfg(b.area);
    quote! {
        #gate
        #[allow(non_snake_case)]
        fn #f(body: Option<serde_json::Value>) -> Result<#name, String> {
            let mut m = __object(body)?;
            let out = #name { #(#fields)* };
            __no_rest(m)?;
            Ok(out)
        }
    }
}

/// The arm body of operation `o` through path `p` (template `t`): the typed call, or an error
/// naming why the path cannot be walked through the generated nodes.
fn path_call(v: &ir::VersionApi, o: &ir::OpMethod, p: &ir::OpPath, t: &str) -> TokenStream {
    let (segs, verb_seg) = match (&o.verb, p.segments.split_last()) {
        (Some(_), Some((last, rest))) => (rest, Some(last)),
        _ => (&p.segments[..], None),
    };
    match walk(v, segs) {
        Err(e) => {
            let msg = format!("cannot walk `{t}` through the typed nodes: {e}");
            quote! { Err(#msg.to_string()) }
        }
        Ok((_, node)) if !node.ops.iter().any(|x| x.id == o.id) => {
            let msg = format!(
                "`{t}` leads to `{}`, which has no method for `{}`",
                node.rust, o.id
            );
            quote! { Err(#msg.to_string()) }
        }
        Ok((expr, _)) => {
            let m = ident(&o.name.rust);
            let mut a = match (&o.verb, &verb_seg) {
                (Some(vb), Some(seg)) => call_args(&vb.args, named(seg).map_or(&[], |(_, a)| a)),
                _ => Vec::new(),
            };
            let prep = match &o.body {
                ir::BodyKind::None => quote! {
                    if body.is_some() {
                        return Err("a body for an operation without one".to_string());
                    }
                },
                ir::BodyKind::Struct { rust } => {
                    let f = ident(&format!("__body_{rust}"));
                    a.push(quote! { &__b });
                    quote! { let __b = #f(body)?; }
                }
                ir::BodyKind::Resource { ty } => {
                    let t = super::ty(ty);
                    a.push(quote! { &__b });
                    quote! {
                        let __b: #t = serde_json::from_value(
                            body.ok_or("the operation needs a body")?,
                        ).map_err(|e| format!("body: {e}"))?;
                    }
                }
            };
            quote! {{
                #prep
                Ok(#expr.#m(#(#a),*).with_output())
            }}
        }
    }
}

/// The dispatcher module of one version.
pub fn dispatcher(v: &ir::VersionApi, rt: &TokenStream) -> TokenStream {
    let bodies = v.bodies.iter().map(body_builder);
    let mut arms = Vec::new();
    let mut decode_arms = Vec::new();
    let mut list = Vec::new();
    for n in &v.nodes {
        for o in &n.ops {
            let gate = super::cfg(n.area);
            let (shape, ret) = match &o.returns {
                ir::Returns::Empty => (quote! { Empty }, quote! { () }),
                ir::Returns::Json(t) => (quote! { Json }, super::ty(t)),
                ir::Returns::Value(t) => (quote! { Value }, super::ty(t)),
            };
            // A composable operation (`worksheet.usedRange`) is its navigation plus the `get`
            // of the node it reaches: its paths are among that `get`'s, marked `via`.
            let mut ids: Vec<&str> = std::iter::once(o.id.as_str())
                .chain(o.paths.iter().filter_map(|p| p.via.as_deref()))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                decode_arms.push(quote! {
                    #gate
                    #id => Some(#rt::call::decode::<#ret>(#rt::node::Shape::#shape, status, body)
                        .map(|_| ())
                        .map_err(|e| e.to_string())),
                });
            }
            let method = o.method.as_str();
            for p in &o.paths {
                let id = p.via.as_deref().unwrap_or(&o.id);
                let t = &p.template();
                list.push(quote! { #gate v.push((#id, #method, #t)); });
                let call = path_call(v, o, p, t);
                arms.push(quote! { #gate (#id, #t) => #call, });
            }
        }
    }
    quote! {
        /// Conformance-test support: typed calls chosen at run time.
        #[allow(clippy::all, unused_imports, unused_variables, unused_mut, unreachable_code)]
        pub mod __conformance {
            use super::*;

            /// Placeholder name -> value (unquoted literal or decoded key segment).
            pub type Args = std::collections::BTreeMap<String, String>;

            /// Every (operation id, HTTP method, template) of this version.
            pub fn templates() -> Vec<(&'static str, &'static str, &'static str)> {
                let mut v = Vec::new();
                #(#list)*
                v
            }

            fn __str<'a>(args: &'a Args, k: &str) -> Result<&'a str, String> {
                args.get(k).map(String::as_str).ok_or_else(|| format!("no value for `{{{k}}}`"))
            }
            fn __parse<T: std::str::FromStr>(args: &Args, k: &str) -> Result<T, String> {
                let s = __str(args, k)?;
                s.parse().map_err(|_| format!("`{{{k}}}` = `{s}` is not a {}", std::any::type_name::<T>()))
            }
            fn __object(body: Option<serde_json::Value>) -> Result<serde_json::Map<String, serde_json::Value>, String> {
                match body {
                    None => Ok(Default::default()),
                    Some(serde_json::Value::Object(m)) => Ok(m),
                    Some(other) => Err(format!("body is not a JSON object: {other}")),
                }
            }
            fn __take(m: &mut serde_json::Map<String, serde_json::Value>, k: &str) -> Option<serde_json::Value> {
                let key = m.keys().find(|x| *x == k).cloned()?;
                m.remove(&key)
            }
            fn __field<T: serde::de::DeserializeOwned>(m: &mut serde_json::Map<String, serde_json::Value>, k: &str) -> Result<T, String> {
                let v = __take(m, k).ok_or_else(|| format!("body: missing required field `{k}`"))?;
                serde_json::from_value(v).map_err(|e| format!("body field `{k}`: {e}"))
            }
            fn __opt_field<T: serde::de::DeserializeOwned>(m: &mut serde_json::Map<String, serde_json::Value>, k: &str) -> Result<Option<T>, String> {
                match __take(m, k) {
                    None => Ok(None),
                    Some(v) => serde_json::from_value(v).map_err(|e| format!("body field `{k}`: {e}")),
                }
            }
            fn __no_rest(m: serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
                if m.is_empty() {
                    Ok(())
                } else {
                    Err(format!("body fields not in the body struct: {:?}", m.keys().collect::<Vec<_>>()))
                }
            }

            #(#bodies)*

            /// The typed call of operation `op` through `template`, output erased.
            pub fn call(book: &WorkbookNode, op: &str, template: &str, args: &Args, body: Option<serde_json::Value>) -> Result<#rt::call::Call<serde_json::Value>, String> {
                match (op, template) {
                    #(#arms)*
                    _ => Err(format!("no operation `{op}` with template `{template}`")),
                }
            }

            /// Decode a success body as operation `op` does (`None`: unknown operation).
            pub fn decode(op: &str, status: u16, body: &[u8]) -> Option<Result<(), String>> {
                match op {
                    #(#decode_arms)*
                    _ => None,
                }
            }
        }
    }
}

/// The conformance dispatcher of the Excel functions (`POST /workbook/functions/{name}`),
/// appended to `functions.rs`: the typed function method called with the example body's
/// members as its named arguments.
pub fn functions(f: Option<&ir::Functions>, rt: &TokenStream) -> TokenStream {
    let arms = f.into_iter().flat_map(|f| &f.items).map(|func| {
        let wire = &func.name.wire;
        let m = ident(&func.name.rust);
        let args = func.params.iter().map(|p| {
            let w = &p.name.wire;
            quote! { __arg(&mut m, #w) }
        });
        quote! {
            #wire => {
                let mut m = __object(body)?;
                let call = node.#m(#(#args),*);
                __no_rest(m)?;
                Ok(call.with_output())
            }
        }
    });
    quote! {
        /// Conformance-test support: the typed Excel function calls chosen at run time.
        #[allow(clippy::all, unused_mut)]
        pub mod __conformance {
            use super::*;

            fn __object(body: Option<serde_json::Value>) -> Result<serde_json::Map<String, serde_json::Value>, String> {
                match body {
                    None => Ok(Default::default()),
                    Some(serde_json::Value::Object(m)) => Ok(m),
                    Some(other) => Err(format!("body is not a JSON object: {other}")),
                }
            }
            fn __arg(m: &mut serde_json::Map<String, serde_json::Value>, k: &str) -> #rt::node::FnArg {
                #rt::node::FnArg(m.remove(k))
            }
            fn __no_rest(m: serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
                if m.is_empty() {
                    Ok(())
                } else {
                    Err(format!("arguments the function does not have: {:?}", m.keys().collect::<Vec<_>>()))
                }
            }

            /// The typed call of Excel function `name` (wire name) with the body's members as
            /// its arguments, output erased.
            pub fn call(node: &FunctionsNode, name: &str, body: Option<serde_json::Value>) -> Result<#rt::call::Call<serde_json::Value>, String> {
                match name {
                    #(#arms)*
                    _ => Err(format!("no Excel function `{name}`")),
                }
            }
        }
    }
}
