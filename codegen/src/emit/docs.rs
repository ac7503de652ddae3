//! Rustdoc text of generated items: method and path(s), headers, status, permissions, docs link.
//! No intra-doc links (a feature-gated target would make `cargo doc` warn); names in backticks.

use crate::ir::{self, Ty};
use crate::path::{self, Form, Part};

fn ty_name(t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Cell => "CellValue".into(),
        Ty::CellGrid => "Vec<Vec<CellValue>>".into(),
        Ty::Named(n) => n.rsplit("::").next().unwrap_or(n).to_owned(),
        Ty::Vec(i) => format!("Vec<{}>", ty_name(i)),
        Ty::Boxed(i) => ty_name(i),
    }
}

fn perms(list: &[String]) -> String {
    if list.is_empty() {
        "not supported".into()
    } else {
        list.iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn node_doc(n: &ir::NodeType) -> String {
    let what = if n.collection {
        format!("A collection of `{}`", n.wire_type)
    } else {
        format!("A `{}`", n.wire_type)
    };
    let mut s = format!("{what} (navigation node: holds an address, sends nothing by itself).\n");
    if !n.reached_by.is_empty() {
        s.push_str("\nReached by:\n");
        for r in &n.reached_by {
            s.push_str(&format!("- `{r}`\n"));
        }
    }
    if let Some(area) = n.area {
        s.push_str(&format!("\nAvailable with the cargo feature `{area}`.\n"));
    }
    s
}

pub fn nav_doc(v: &ir::VersionApi, nv: &ir::Nav) -> String {
    let parts = match &nv.kind {
        ir::NavKind::Segment { wire } => vec![Part::Name(wire)],
        ir::NavKind::Key { segment, param } => segment
            .iter()
            .map(|s| Part::Name(s))
            .chain([Part::Key(&param.name.wire)])
            .collect(),
        ir::NavKind::Call { wire, args } => vec![Part::Call(
            wire,
            args.iter().map(|a| a.name.wire.as_str()).collect(),
        )],
    };
    let seg = path::render_parts(parts, Form::Template);
    let mut s = format!("Navigates to `{seg}` (`{}`). Sends nothing.\n", nv.target);
    let args: Vec<&ir::RustParam> = match &nv.kind {
        ir::NavKind::Key { param, .. } => vec![param],
        ir::NavKind::Call { args, .. } => args.iter().collect(),
        ir::NavKind::Segment { .. } => vec![],
    };
    if !args.is_empty() {
        s.push('\n');
        for a in args {
            s.push_str(&param_line(a, matches!(nv.kind, ir::NavKind::Key { .. })));
        }
    }
    if let ir::NavKind::Key { .. } = nv.kind {
        if let Some((_, note)) = REFUSED_KEY_FORMS.iter().find(|(t, _)| *t == nv.target) {
            s.push('\n');
            s.push_str(note);
            s.push('\n');
        }
    }
    for o in &nv.composes {
        s.push_str(&format!(
            "\nComposable: Graph's metadata marks this function `IsComposable`, so its result is \
             a node: navigate further from it, or fetch it with `.get()` (`{}::get`). The \
             fetch as documented (operation `{}`):\n\n",
            nv.target, o.id
        ));
        s.push_str(&op_doc(v, o));
        s.push('\n');
    }
    s
}

/// Key forms the docs show but Graph answers with an error, by target node: field reports
/// (microsoft-graph-docs-contrib issues 3940 and 8599, O365/python-o365 issue 691) and the
/// metadata agree that table rows are addressed by position through `itemAt`.
const REFUSED_KEY_FORMS: &[(&str, &str)] = &[(
    "TableRowNode",
    "Graph answers `404 ApiNotFound` to this documented key form (`rows/{index}`, reported in \
     microsoft-graph-docs-contrib issues 3940 and 8599): a row is addressed by position. Use \
     `rows().item_at(n)` (`.../rows/itemAt(index=n)`, a node: `.get()`, `.range()`, \
     `.delete()`, ...) instead.",
)];

fn param_line(a: &ir::RustParam, key: bool) -> String {
    let how = if key {
        "percent-encoded as one path segment"
    } else if matches!(
        a.ty,
        Ty::String | Ty::Json | Ty::Cell | Ty::CellGrid | Ty::Named(_) | Ty::Vec(_)
    ) {
        "sent as an OData string literal"
    } else {
        "sent as a number/boolean literal"
    };
    let opt = if a.required {
        ""
    } else {
        "; optional, omitted when `None`"
    };
    let mut line = format!("- `{}` (wire `{}`): {how}{opt}", a.name.rust, a.name.wire);
    if !a.values.is_empty() {
        line.push_str(&format!(
            "; one of {}",
            a.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    line.push_str(".\n");
    line
}

pub fn op_doc(v: &ir::VersionApi, o: &ir::OpMethod) -> String {
    let mut s = String::new();
    for p in &o.paths {
        match &p.via {
            None => s.push_str(&format!("`{} {}`\n\n", o.method, p.template())),
            Some(id) => s.push_str(&format!(
                "`{} {}` (composable operation `{id}`)\n\n",
                o.method,
                p.template()
            )),
        }
    }
    let ret = match &o.returns {
        ir::Returns::Empty => "nothing (`()`)".to_owned(),
        ir::Returns::Json(t) => format!("`{}`", ty_name(t)),
        ir::Returns::Value(t) => format!("`{}` (from the `value` field)", ty_name(t)),
    };
    let status = o
        .success
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    s.push_str(&format!(
        "Operation `{}` ({}). Success: {}. Returns {ret}.\n\n",
        o.id,
        v.version,
        if status.is_empty() {
            "not documented".into()
        } else {
            status
        }
    ));
    for note in [&o.metadata_note, &o.wire_note].into_iter().flatten() {
        s.push_str(note);
        s.push_str("\n\n");
    }
    if let Some(vb) = &o.verb {
        if !vb.args.is_empty() {
            s.push_str("Arguments of `");
            s.push_str(&vb.wire);
            s.push_str("(...)`:\n");
            for a in &vb.args {
                s.push_str(&param_line(a, false));
            }
            s.push('\n');
        }
    }
    match &o.body {
        ir::BodyKind::None => {}
        ir::BodyKind::Struct { rust } => s.push_str(&format!("Request body: `{rust}`.\n\n")),
        ir::BodyKind::Resource { ty } => {
            s.push_str(&format!("Request body: a `{}`.\n\n", ty_name(ty)))
        }
    }
    if !o.headers.is_empty() {
        s.push_str("Headers (`Authorization` is added by the client, `workbook-session-id` by a session):\n");
        for h in &o.headers {
            let req = if h.required { "required" } else { "optional" };
            match &h.value {
                Some(val) => s.push_str(&format!("- `{}: {val}` ({req})\n", h.name)),
                None => s.push_str(&format!("- `{}` ({req})\n", h.name)),
            }
        }
        s.push('\n');
    }
    if o.odata_query {
        s.push_str(
            "Supports OData query parameters (`$select`, `$top`, ...): see `Call::query`.\n\n",
        );
    }
    let p = &o.permissions;
    let no_perms =
        p.delegated_work.is_empty() && p.delegated_personal.is_empty() && p.application.is_empty();
    if o.metadata_note.is_some() && no_perms {
        s.push_str("Permissions: unknown (no docs page documents this operation).\n\n");
    } else {
        let whose = if o.metadata_note.is_some() {
            " (as the docs give them for every other operation on this binding)"
        } else {
            ""
        };
        s.push_str(&format!(
            "Permissions{whose}: delegated (work or school) {}; delegated (personal account) {}; application {}.\n\n",
            perms(&p.delegated_work),
            perms(&p.delegated_personal),
            perms(&p.application)
        ));
    }
    if let Some(why) = &o.renamed {
        s.push_str(&format!("Naming: {why}.\n\n"));
    }
    match &o.docs_url {
        Some(url) => s.push_str(&format!("Docs: <{url}> (spec source `{}`)", o.source)),
        None => s.push_str(&format!(
            "Docs: none (spec source `{}`, Graph's metadata)",
            o.source
        )),
    }
    s
}

pub fn type_doc(t: &ir::ResourceStruct) -> String {
    let mut s = format!(
        "`{}` ({}). Every field is optional: Graph omits fields it does not select or know; unknown fields are ignored.\n\nDocs: <{}>",
        t.name.wire, t.kind, t.docs_url
    );
    if let Some(area) = t.area {
        s.push_str(&format!("\n\nAvailable with the cargo feature `{area}`."));
    }
    s
}

pub fn field_doc(f: &ir::RustParam) -> String {
    let mut s = format!("`{}`", f.name.wire);
    if f.read_only {
        s.push_str(" (read-only)");
    }
    if !f.values.is_empty() {
        s.push_str(&format!(
            ": one of {}",
            f.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    s.push('.');
    s
}

pub fn body_doc(b: &ir::BodyStruct) -> String {
    let kind = if b.patch {
        "Properties to update (fields left `None` are not sent)"
    } else {
        "Parameters"
    };
    match &b.docs_url {
        Some(url) => format!("{kind} of `{}`.\n\nDocs: <{url}>", b.op_id),
        None => format!(
            "{kind} of `{}` (from Graph's metadata, no docs page).",
            b.op_id
        ),
    }
}

/// Doc of a generated enum: the field it types, where, and the escape variant.
pub(crate) fn enum_doc(e: &crate::ir::EnumDef) -> String {
    format!(
        "The documented values of `{}` ({}). A value Graph sends that this crate does not know \
         yet decodes as `Other`.",
        e.name.wire,
        e.owners.join(", ")
    )
}
