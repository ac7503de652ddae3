//! The wire form follows Graph's metadata: a page that POSTs a JSON body to what the CSDL
//! declares a *function* (`itemAt`, `range.row`, `resizedRange`, ...) is stored with the CSDL's
//! form (GET, the arguments in the path with the CSDL's names and types) as the operation's
//! `method`, `paths` and `body`; the page's own form is kept in `documented` for the docs and for
//! `check`. Graph routes by the metadata: the POST form answers an error.

use crate::diagnostics::Diagnostic;
use crate::extract::csdl::{BoundOperation, Csdl};
use crate::path::{self, Form};
use crate::spec::{Body, DocumentedForm, Method, Operation, Param, Segment, Spec};

/// Rewrite every operation of `spec` whose documented POST targets a CSDL function.
pub fn apply(spec: &mut Spec, csdl: &Csdl, diags: &mut Vec<Diagnostic>) {
    for v in spec.versions.values_mut() {
        for op in v.operations.values_mut() {
            if let Some(d) = to_function_form(op, csdl) {
                diags.push(d);
            }
        }
    }
}

/// The CSDL function the operation's final call names, when every template ends in that call.
fn target_function<'c>(op: &Operation, csdl: &'c Csdl) -> Option<&'c BoundOperation> {
    let binding = op.binding.type_ref();
    let mut name: Option<&str> = None;
    for p in &op.paths {
        match p.segments.last() {
            // Arguments already in the path are replaced by the CSDL's (same function).
            Some(Segment::Call { name: n, .. }) => {
                if name.is_some_and(|prev| *prev != **n) {
                    return None;
                }
                name = Some(n);
            }
            _ => return None,
        }
    }
    let ops = csdl.bound_operations_on(&binding, name?);
    // Only a function with a single overload has one path form to choose.
    match ops.as_slice() {
        [f] if !f.is_action => Some(f),
        _ => None,
    }
}

/// Rewrite `op` to the function form; a repair diagnostic names the page and the CSDL operation.
fn to_function_form(op: &mut Operation, csdl: &Csdl) -> Option<Diagnostic> {
    if op.method != Method::Post || op.documented.is_some() {
        return None;
    }
    let f = target_function(op, csdl)?;
    let docs_params: &[Param] = match &op.body {
        Body::Parameters { params } => params,
        Body::None => &[],
        _ => return None,
    };
    let args: Vec<Param> = f
        .params
        .iter()
        .map(|p| {
            let ty = p.type_ref();
            let docs = docs_params
                .iter()
                .find(|d| d.name.eq_ignore_ascii_case(&p.name));
            Param {
                name: p.name.clone().into(),
                quoted: ty == crate::spec::Primitive::String.into(),
                type_: ty,
                // A function's arguments are all part of its path.
                required: true,
                values: docs.map(|d| d.values.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let templates: Vec<String> = op.paths.iter().map(|p| p.template.clone()).collect();
    for p in &mut op.paths {
        if let Some(Segment::Call { args: a, .. }) = p.segments.last_mut() {
            *a = args.clone();
        }
        p.template = path::render(&p.segments, Form::Template);
    }
    op.paths.sort_by(|a, b| a.template.cmp(&b.template));
    let csdl_operation = format!("{}/{}", f.binding, f.name);
    let diag = Diagnostic::repair(
        op.source.page.clone(),
        op.source.line,
        format!(
            "the page POSTs a body to `{csdl_operation}`, a function in the CSDL: \
             the spec uses GET with the arguments in the path"
        ),
    );
    op.documented = Some(DocumentedForm {
        method: Method::Post,
        templates,
        body: std::mem::replace(&mut op.body, Body::None),
        csdl_operation,
    });
    op.method = Method::Get;
    Some(diag)
}

/// Body parameters the CSDL declares nullable become optional (omitted when unset), the others
/// keep the docs' marker; a repair diagnostic lists the parameters changed per page. Runs after
/// the learned markers are checked against the CSDL, which needs the docs' markers.
pub fn optional_from_nullable(spec: &mut Spec, csdl: &Csdl, diags: &mut Vec<Diagnostic>) {
    for op in spec
        .versions
        .values_mut()
        .flat_map(|v| v.operations.values_mut())
    {
        let ops = crate::extract::walk::called_operations(csdl, op);
        let Body::Parameters { params } = &mut op.body else {
            continue;
        };
        // Function arguments go in the path, where OData has no omitted form.
        let [f] = ops.as_slice() else {
            continue;
        };
        if !f.is_action {
            continue;
        }
        let mut changed = Vec::new();
        for p in params.iter_mut().filter(|p| p.required) {
            let nullable = f
                .params
                .iter()
                .find(|cp| cp.name.eq_ignore_ascii_case(&p.name))
                .is_some_and(|cp| cp.nullable);
            if nullable {
                p.required = false;
                changed.push(format!("`{}`", p.name));
            }
        }
        if !changed.is_empty() {
            diags.push(Diagnostic::repair(
                op.source.page.clone(),
                op.source.line,
                format!(
                    "{} nullable in the CSDL (`{}/{}`): optional",
                    changed.join(", "),
                    f.binding,
                    f.name
                ),
            ));
        }
    }
}
