//! The HTTP request block of an API page: request lines -> normalized [`crate::spec::PathTemplate`]s.
//!
//! Every repair is a general rule reported as a `Repair` diagnostic (FORMAT-NOTES section 3):
//! whitespace inside a path, a line with no method (continuation of the previous method),
//! a missing leading `/`, a trailing `/`, an unclosed `(`, text after `)` with no `/`,
//! `$` or `{undefined}` as a key, argument names the CSDL spells differently (edit distance).
//! Segments are resolved against the CSDL by the rule check shares (`crate::extract::walk`),
//! case-insensitively, when it is given, and the CSDL spelling is output.

use crate::diagnostics::Diagnostic;
use crate::extract::csdl::{BoundOperation, Csdl, CsdlProperty, NavProperty};
use crate::extract::walk::{self, closest, Member, Miss};
use crate::spec::{Method, Param, Primitive, Segment, TypeRef};

/// One `METHOD path` line of the request block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: Method,
    /// The path with whitespace removed.
    pub path: String,
    /// 1-based line in the page.
    pub line: u32,
}

/// The parsed request block: template lines and `Name: value` header lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestBlock {
    pub lines: Vec<RequestLine>,
    pub headers: Vec<HeaderLine>,
}

/// A `Name: value` line of a request block or an example request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderLine {
    /// As written.
    pub name: String,
    pub value: String,
    /// 1-based line in the page.
    pub line: u32,
}

fn is_header_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Split the text of the request block (whose first content line is `first_line`) into request
/// lines and header lines.
pub fn parse_request_block(
    text: &str,
    first_line: u32,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> RequestBlock {
    let mut out = RequestBlock::default();
    let mut last_method: Option<Method> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = first_line.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        let (first, rest) = match t.split_once(char::is_whitespace) {
            Some((a, b)) => (a, b.trim()),
            None => (t, ""),
        };
        if let (Some(method), false) = (Method::parse(first), rest.is_empty()) {
            let path: String = rest.split_whitespace().collect();
            if rest.contains(char::is_whitespace) {
                diags.push(Diagnostic::repair(
                    file,
                    line,
                    format!("whitespace removed from path `{rest}`"),
                ));
            }
            last_method = Some(method);
            out.lines.push(RequestLine { method, path, line });
            continue;
        }
        if let Some((name, value)) = t.split_once(':') {
            if is_header_name(name.trim()) && !name.contains('/') && !t.starts_with('/') {
                out.headers.push(HeaderLine {
                    name: name.trim().to_string(),
                    value: value.trim().to_string(),
                    line,
                });
                continue;
            }
        }
        if t.starts_with('/') || t.to_ascii_lowercase().contains("workbook") {
            match &last_method {
                Some(m) => {
                    diags.push(Diagnostic::repair(
                        file,
                        line,
                        format!("line with no method: continues `{m}`"),
                    ));
                    let path: String = t.split_whitespace().collect();
                    out.lines.push(RequestLine {
                        method: *m,
                        path,
                        line,
                    });
                }
                None => diags.push(Diagnostic::warning(
                    file,
                    line,
                    "path line with no method and no method before it: skipped",
                )),
            }
            continue;
        }
        diags.push(Diagnostic::warning(
            file,
            line,
            format!("unrecognized line in the request block: `{t}`"),
        ));
    }
    out
}

/// A parsed argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ArgValue {
    /// `{n}`, `<address>`, or a bare letter `n`: the caller supplies it.
    Placeholder,
    /// A literal the docs wrote (`640`, `'fit'`): still a parameter, typed from the literal.
    Int,
    Bool,
    Str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RawArg {
    /// `None` for a positional argument.
    name: Option<String>,
    /// Placeholder name for positional args (`address` of `<address>`).
    placeholder: Option<String>,
    value: ArgValue,
    quoted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum RawSeg {
    /// `{id|name}`, `<name>`, `$`: a key.
    Key { placeholder: String },
    /// `name` or `name(args)`.
    Named {
        name: String,
        args: Option<Vec<RawArg>>,
    },
}

fn placeholder_inner(s: &str) -> Option<&str> {
    let s = s.trim();
    s.strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .or_else(|| s.strip_prefix('<').and_then(|x| x.strip_suffix('>')))
}

/// Split on `sep` outside single quotes.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_q = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == '\'' {
            in_q = !in_q;
        } else if c == sep && !in_q {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_arg(a: &str) -> RawArg {
    let (name, val) = match a.split_once('=') {
        Some((n, v)) => (Some(n.trim().to_string()), v.trim()),
        None => (None, a.trim()),
    };
    let quoted = val.len() >= 2 && val.starts_with('\'') && val.ends_with('\'');
    let inner = if quoted { &val[1..val.len() - 1] } else { val };
    if let Some(p) = placeholder_inner(inner) {
        return RawArg {
            name,
            placeholder: Some(p.to_string()),
            value: ArgValue::Placeholder,
            quoted,
        };
    }
    let value = if quoted {
        ArgValue::Str
    } else if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || c == '-') {
        ArgValue::Int
    } else if inner.eq_ignore_ascii_case("true") || inner.eq_ignore_ascii_case("false") {
        ArgValue::Bool
    } else {
        ArgValue::Placeholder
    };
    let placeholder =
        (value == ArgValue::Placeholder && !inner.is_empty()).then(|| inner.to_string());
    RawArg {
        name,
        placeholder,
        value,
        quoted,
    }
}

/// Split a workbook-relative path (after `/workbook`) into raw segments, with repairs.
fn raw_segments(rel: &str, file: &str, line: u32, diags: &mut Vec<Diagnostic>) -> Vec<RawSeg> {
    let mut out = Vec::new();
    let parts: Vec<&str> = rel.split('/').collect();
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        if part.is_empty() {
            if i + 1 == n && i > 0 {
                diags.push(Diagnostic::repair(file, line, "trailing `/` removed"));
            } else if i > 0 {
                diags.push(Diagnostic::repair(
                    file,
                    line,
                    "empty path segment (`//`) removed",
                ));
            }
            continue;
        }
        let mut rest = part;
        while !rest.is_empty() {
            if rest == "$" {
                diags.push(Diagnostic::repair(
                    file,
                    line,
                    "literal `$` used as a key: read as a key placeholder",
                ));
                out.push(RawSeg::Key {
                    placeholder: "$".into(),
                });
                break;
            }
            if let Some(p) = placeholder_inner(rest) {
                out.push(RawSeg::Key {
                    placeholder: p.to_string(),
                });
                break;
            }
            match rest.find('(') {
                None => {
                    out.push(RawSeg::Named {
                        name: rest.to_string(),
                        args: None,
                    });
                    break;
                }
                Some(open) => {
                    let name = &rest[..open];
                    let after = &rest[open + 1..];
                    // matching `)` outside quotes
                    let mut in_q = false;
                    let mut close = None;
                    for (j, c) in after.char_indices() {
                        if c == '\'' {
                            in_q = !in_q;
                        } else if c == ')' && !in_q {
                            close = Some(j);
                            break;
                        }
                    }
                    let (args_text, tail) = match close {
                        Some(j) => (&after[..j], &after[j + 1..]),
                        None => {
                            diags.push(Diagnostic::repair(
                                file,
                                line,
                                format!(
                                    "unclosed `(` in `{part}`: closed at the end of the segment"
                                ),
                            ));
                            (after, "")
                        }
                    };
                    let args: Vec<RawArg> = if args_text.trim().is_empty() {
                        Vec::new()
                    } else {
                        split_outside_quotes(args_text, ',')
                            .into_iter()
                            .map(parse_arg)
                            .collect()
                    };
                    out.push(RawSeg::Named {
                        name: name.to_string(),
                        args: Some(args),
                    });
                    if !tail.is_empty() {
                        diags.push(Diagnostic::repair(
                            file,
                            line,
                            format!("missing `/` before `{tail}`: inserted"),
                        ));
                    }
                    rest = tail;
                }
            }
        }
    }
    out
}

/// `worksheets` -> `worksheet`, `series` -> `series`, `replies` -> `reply`, `pivotTables` ->
/// `pivotTable`.
pub(crate) fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("series") {
        return name.to_string();
    }
    if let Some(s) = name.strip_suffix("ies") {
        return format!("{s}y");
    }
    if lower.ends_with("sses") || lower.ends_with("xes") {
        return name[..name.len() - 2].to_string();
    }
    name.strip_suffix('s').unwrap_or(name).to_string()
}

/// Fallback type of an argument when the CSDL does not give one.
fn arg_type_fallback(arg_name: &str, v: &ArgValue, quoted: bool) -> TypeRef {
    let t = match v {
        ArgValue::Int => Primitive::Int32,
        ArgValue::Bool => Primitive::Boolean,
        ArgValue::Str => Primitive::String,
        ArgValue::Placeholder if quoted => Primitive::String,
        ArgValue::Placeholder => {
            let l = arg_name.to_ascii_lowercase();
            let ints = [
                "index",
                "n",
                "row",
                "column",
                "count",
                "width",
                "height",
                "deltarows",
                "deltacolumns",
            ];
            if ints.contains(&l.as_str()) {
                Primitive::Int32
            } else if l == "valuesonly" {
                Primitive::Boolean
            } else {
                Primitive::String
            }
        }
    };
    t.into()
}

/// A normalized template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Drive-item prefix with normalized placeholder names (`/me/drive/items/{item-id}`), or
    /// empty for relative `/workbook/...` lines.
    pub prefix: String,
    /// `/workbook/...` with named placeholders.
    pub template: String,
    pub segments: Vec<Segment>,
    /// Types before each segment (`types[i]` = the node segment `i` applies to), and the final
    /// type at the end; `None` where unresolved.
    pub types: Vec<Option<TypeRef>>,
}

impl Template {
    /// The type reached at the end of the path.
    pub(crate) fn end_type(&self) -> Option<&TypeRef> {
        self.types.last().and_then(|t| t.as_ref())
    }
}

fn normalize_prefix(prefix: &str) -> String {
    // name placeholders in the prefix by the collection before them (`items/{id}` -> `{item-id}`)
    let parts: Vec<&str> = prefix.split('/').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let prev = if i > 0 {
            parts.get(i - 1).copied().unwrap_or("")
        } else {
            ""
        };
        if let Some(inner) = placeholder_inner(p) {
            if prev.eq_ignore_ascii_case("items") {
                out.push("{item-id}".into());
                continue;
            }
            out.push(format!("{{{inner}}}"));
        } else {
            out.push(p.to_string());
        }
    }
    out.join("/")
}

/// Parse and normalize one request-line path. `None` when it has no `workbook` segment.
pub fn parse_template(
    path: &str,
    method: Method,
    line: u32,
    csdl: Option<&Csdl>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Template> {
    let at = workbook_segment(path)?;
    let mut prefix = path[..at].trim_end_matches('/').to_string();
    if !prefix.is_empty() && !prefix.starts_with('/') {
        diags.push(Diagnostic::repair(file, line, "missing leading `/` added"));
        prefix.insert(0, '/');
    }
    if prefix.is_empty() && at == 0 {
        diags.push(Diagnostic::repair(file, line, "missing leading `/` added"));
    }
    let prefix = normalize_prefix(&prefix);
    let rel = &path[at + "workbook".len()..];
    let raws = raw_segments(rel, file, line, diags);
    let mut w = TemplateWalk {
        csdl,
        method,
        file,
        line,
        diags,
        segments: vec![Segment::Navigation {
            name: "workbook".into(),
            target: Some(TypeRef::named("workbook")),
        }],
        types: vec![None],
        cur: csdl.map(|_| TypeRef::named("workbook")),
        used_names: Vec::new(),
        last_nav: Some("workbook".into()),
        warned: false,
    };
    let nraw = raws.len();
    for (idx, raw) in raws.into_iter().enumerate() {
        w.types.push(w.cur.clone());
        match raw {
            RawSeg::Key { placeholder } => w.key(&placeholder),
            RawSeg::Named { name, args } => w.named(&name, args.as_deref(), idx + 1 == nraw),
        }
    }
    let TemplateWalk {
        mut segments,
        mut types,
        cur,
        ..
    } = w;
    types.push(cur);
    dedupe_key_names(&mut segments);
    let template = crate::path::render(&segments, crate::path::Form::Template);
    Some(Template {
        prefix,
        template,
        segments,
        types,
    })
}

/// Byte offset of the `workbook` segment of a path.
fn workbook_segment(path: &str) -> Option<usize> {
    let lower = path.to_ascii_lowercase();
    let mut search = 0;
    while let Some(i) = lower.get(search..).and_then(|s| s.find("workbook")) {
        let at = search + i;
        let before_ok = at == 0 || lower.as_bytes().get(at - 1) == Some(&b'/');
        let end = at + "workbook".len();
        let after_ok =
            end == lower.len() || matches!(lower.as_bytes().get(end), Some(b'/') | Some(b'('));
        if before_ok && after_ok {
            return Some(at);
        }
        search = end;
    }
    None
}

/// A key parameter as the template parser creates it (named, string, required).
fn key_param(name: String) -> Param {
    Param {
        name: name.into(),
        type_: Primitive::String.into(),
        required: true,
        quoted: false,
        values: vec![],
    }
}

/// A call argument of type `t`, quoted when it is a string.
/// A path argument: required, quoted when a string.
pub(crate) fn arg_param(name: String, t: TypeRef) -> Param {
    let quoted = t == Primitive::String.into();
    Param {
        name: name.into(),
        type_: t,
        required: true,
        quoted,
        values: vec![],
    }
}

/// The state of [`parse_template`] while it resolves raw segments one by one against the CSDL.
struct TemplateWalk<'a> {
    csdl: Option<&'a Csdl>,
    method: Method,
    file: &'a str,
    line: u32,
    diags: &'a mut Vec<Diagnostic>,
    segments: Vec<Segment>,
    /// See [`Template::types`].
    types: Vec<Option<TypeRef>>,
    /// The type reached so far (`None` where unresolved).
    cur: Option<TypeRef>,
    used_names: Vec<String>,
    /// The navigation a following key is named after.
    last_nav: Option<String>,
    /// One unresolved-segment warning per template.
    warned: bool,
}

impl<'a> TemplateWalk<'a> {
    fn unique(&mut self, base: &str) -> String {
        let mut n = base.to_string();
        let mut k = 2;
        while self.used_names.iter().any(|u| u == &n) {
            n = format!("{base}{k}");
            k += 1;
        }
        self.used_names.push(n.clone());
        n
    }

    fn repair(&mut self, msg: String) {
        self.diags
            .push(Diagnostic::repair(self.file, self.line, msg));
    }

    fn warning(&mut self, msg: String) {
        self.diags
            .push(Diagnostic::warning(self.file, self.line, msg));
    }

    /// A key segment, named after the collection before it.
    fn key(&mut self, placeholder: &str) {
        let base = self
            .last_nav
            .as_deref()
            .map(singular)
            .unwrap_or_else(|| "key".into());
        if placeholder == "undefined" {
            self.repair(format!(
                "`{{undefined}}` key named `{{{base}}}` from its collection"
            ));
        }
        self.push_key(&base);
    }

    fn push_key(&mut self, base: &str) {
        let name = self.unique(base);
        self.segments.push(Segment::Key {
            param: key_param(name),
        });
        self.cur = self.cur.as_ref().and_then(TypeRef::element).cloned();
        self.last_nav = None;
    }

    /// A named segment, resolved by the shared rule ([`walk::member`]): a navigation (key in
    /// parentheses included), a structural property, a bound operation; else, leniently, a
    /// property of a collection's elements, or an operation bound to the collection before a
    /// key; else, unresolved, a plain navigation or call.
    fn named(&mut self, name: &str, args: Option<&[RawArg]>, is_last: bool) {
        let (Some(c), Some(cur)) = (self.csdl, self.cur.clone()) else {
            if !(self.csdl.is_none() && self.key_in_parens(None, name, args)) {
                self.unresolved(name, args, is_last);
            }
            return;
        };
        let done = match walk::member(c, &cur, name) {
            Ok(Member::Navigation(nav)) => self.key_in_parens(Some(nav), name, args),
            Ok(Member::Property(p)) => args.is_none() && self.property(p),
            Ok(Member::Operations(ops)) => self.operation(&ops, args, is_last),
            Err(Miss::NeedsKey) => args.is_none() && self.element_property(c, &cur, name),
            Err(_) => self
                .operation_before_key(c, name)
                .is_some_and(|ops| self.operation(&ops, args, is_last)),
        };
        if !done {
            self.unresolved(name, args, is_last);
        }
    }

    /// A navigation property, also `worksheets({id|name})`, `charts(<name>)` (key in
    /// parentheses). Without CSDL, a name ending in `s` with one positional argument is a
    /// collection and its key.
    fn key_in_parens(
        &mut self,
        nav: Option<&NavProperty>,
        name: &str,
        args: Option<&[RawArg]>,
    ) -> bool {
        let single_positional =
            args.is_some_and(|a| a.len() == 1 && a.first().is_some_and(|x| x.name.is_none()));
        let is_coll_nav = nav.is_some_and(|n| n.is_collection());
        let key_in_parens =
            single_positional && (is_coll_nav || (nav.is_none() && name.ends_with('s')));
        if !key_in_parens && (args.is_some() || nav.is_none()) {
            return false;
        }
        let canonical = nav.map_or(name.to_owned(), |n| n.name.clone());
        let target = nav.map(|n| n.type_ref());
        self.segments.push(Segment::Navigation {
            name: canonical.clone().into(),
            target: target.clone(),
        });
        self.cur = target;
        self.last_nav = Some(canonical.clone());
        if key_in_parens {
            self.types.push(self.cur.clone());
            self.push_key(&singular(&canonical));
        }
        true
    }

    /// A structural property (`sort/fields`).
    fn property(&mut self, p: &CsdlProperty) -> bool {
        let target = p.type_ref();
        self.segments.push(Segment::Navigation {
            name: p.name.clone().into(),
            target: Some(target.clone()),
        });
        self.cur = Some(target);
        self.last_nav = Some(p.name.clone());
        true
    }

    /// A property of the elements of a collection, addressed without a key: resolved on the
    /// element type, with a warning.
    fn element_property(&mut self, c: &Csdl, coll: &TypeRef, name: &str) -> bool {
        let Some(p) = coll.element().and_then(|e| c.property_on(e, name)) else {
            return false;
        };
        self.warning(format!(
            "`{name}` is a property of the elements of `{coll}`: addressed without a key"
        ));
        self.property(p)
    }

    /// For a key before an operation that binds to the collection (`tables/$/add`): the
    /// operations, with the key dropped.
    fn operation_before_key(&mut self, c: &'a Csdl, name: &str) -> Option<Vec<&'a BoundOperation>> {
        if !matches!(self.segments.last(), Some(Segment::Key { .. })) {
            return None;
        }
        let coll = self
            .types
            .len()
            .checked_sub(2)
            .and_then(|i| self.types.get(i))
            .cloned()
            .flatten()?;
        let Ok(Member::Operations(ops)) = walk::member(c, &coll, name) else {
            return None;
        };
        self.repair(format!(
            "key before `{name}` dropped: `{name}` binds to `{coll}`"
        ));
        if let Some(Segment::Key { param }) = self.segments.pop() {
            self.used_names.retain(|u| *u != param.name);
        }
        self.types.pop();
        self.types.pop();
        self.types.push(Some(coll.clone()));
        self.cur = Some(coll);
        Some(ops)
    }

    /// A bound function or action of the CSDL, overload chosen by the given arguments.
    fn operation(
        &mut self,
        ops: &[&BoundOperation],
        args: Option<&[RawArg]>,
        is_last: bool,
    ) -> bool {
        let given = args.unwrap_or_default();
        let names: Vec<Option<&str>> = given.iter().map(|a| a.name.as_deref()).collect();
        let Some(op) = walk::choose_overload(ops, &names) else {
            return false;
        };
        let mut out_args: Vec<Param> = given
            .iter()
            .enumerate()
            .map(|(pos, a)| self.call_arg(op, pos, a))
            .collect();
        // A function named with no arguments although every overload needs some: the
        // arguments are the CSDL parameters of its smallest overload. (The last segment is left
        // to the caller: its arguments may be the request body's parameters.)
        if let Some(bare) = walk::bare_function_call(ops).filter(|_| given.is_empty() && !is_last) {
            self.repair(walk::bare_call_note(bare));
            out_args.extend(
                bare.params
                    .iter()
                    .map(|p| arg_param(p.name.clone(), p.type_ref())),
            );
        }
        let target = op.returns();
        self.segments.push(Segment::Call {
            name: op.name.clone().into(),
            args: out_args,
            target: target.clone(),
            composable: op.is_composable && !op.is_action,
        });
        self.cur = target;
        self.last_nav = None;
        true
    }

    /// One given argument of a CSDL operation: named (typos repaired) or positional.
    fn call_arg(&mut self, op: &BoundOperation, pos: usize, a: &RawArg) -> Param {
        let (pname, ptype) = match &a.name {
            Some(n) => match closest(n, op.params.iter().map(|p| p.name.as_str())) {
                Some((canon, typo)) => {
                    if typo {
                        self.repair(format!(
                            "argument `{n}` of `{}` read as `{canon}` (CSDL)",
                            op.name
                        ));
                    }
                    let t = op
                        .params
                        .iter()
                        .find(|p| p.name == canon)
                        .map(|p| p.type_ref());
                    (canon.to_string(), t)
                }
                None => {
                    self.warning(format!(
                        "argument `{n}` is not a parameter of `{}` in the CSDL",
                        op.name
                    ));
                    (n.clone(), None)
                }
            },
            None => match op.params.get(pos) {
                Some(p) => (p.name.clone(), Some(p.type_ref())),
                None => (
                    a.placeholder.clone().unwrap_or_else(|| format!("arg{pos}")),
                    None,
                ),
            },
        };
        let t = ptype.unwrap_or_else(|| arg_type_fallback(&pname, &a.value, a.quoted));
        arg_param(pname, t)
    }

    /// A segment the CSDL does not know (or no CSDL): a call when it has arguments (or is the
    /// last segment of a POST without CSDL), else a navigation.
    fn unresolved(&mut self, name: &str, args: Option<&[RawArg]>, is_last: bool) {
        if let (Some(_), Some(t)) = (self.csdl, self.cur.clone()) {
            if !self.warned {
                self.warning(format!("segment `{name}` not found on `{t}` in the CSDL"));
                self.warned = true;
            }
        }
        let as_call =
            args.is_some() || (self.csdl.is_none() && is_last && self.method == Method::Post);
        if as_call {
            let out_args = args
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(pos, a)| {
                    let pname = a
                        .name
                        .clone()
                        .or_else(|| a.placeholder.clone())
                        .unwrap_or_else(|| format!("arg{pos}"));
                    let t = arg_type_fallback(&pname, &a.value, a.quoted);
                    arg_param(pname, t)
                })
                .collect();
            self.segments.push(Segment::Call {
                name: name.into(),
                args: out_args,
                target: None,
                composable: false,
            });
            self.last_nav = None;
        } else {
            self.segments.push(Segment::Navigation {
                name: name.into(),
                target: None,
            });
            self.last_nav = Some(name.to_owned());
        }
        self.cur = None;
    }
}

/// Argument placeholders carry the wire name of the argument, so a key with the same name
/// (`columns/{column}/range/column(column=...)`) is renamed `<name>Key`.
pub(crate) fn dedupe_key_names(segments: &mut [Segment]) {
    let args: Vec<String> = segments
        .iter()
        .flat_map(|s| match s {
            Segment::Call { args, .. } => args.iter().map(|a| a.name.to_string()).collect(),
            _ => Vec::new(),
        })
        .collect();
    for s in segments.iter_mut() {
        if let Segment::Key { param } = s {
            if args.iter().any(|a| *a == param.name) {
                param.name = format!("{}Key", param.name).into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(path: &str) -> (Template, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = parse_template(path, Method::Get, 1, None, "f.md", &mut d).unwrap();
        (t, d)
    }

    #[test]
    fn keys_named_by_collection() {
        let (x, d) = t("/me/drive/items/{id}/workbook/worksheets/{id|name}/charts/{id}/series/{undefined}/points/<n>");
        assert_eq!(x.prefix, "/me/drive/items/{item-id}");
        assert_eq!(
            x.template,
            "/workbook/worksheets/{worksheet}/charts/{chart}/series/{series}/points/{point}"
        );
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn calls_and_repairs() {
        let (x, _) = t("/me/drive/root:/{item-path}:/workbook/worksheets/{id}/range(address='<address>')/insert");
        assert_eq!(x.prefix, "/me/drive/root:/{item-path}:");
        assert_eq!(
            x.template,
            "/workbook/worksheets/{worksheet}/range(address={address})/insert"
        );
        let Segment::Call { args, .. } = &x.segments[3] else {
            panic!("{:?}", x.segments)
        };
        assert!(args[0].quoted);
        let (x, d) = t("/workbook/worksheets/{id}/range(address='<address>'/entireRow");
        assert_eq!(
            x.template,
            "/workbook/worksheets/{worksheet}/range(address={address})/entireRow"
        );
        assert_eq!(d.len(), 1, "{d:?}"); // unclosed paren
        let (x, d) = t("/me/drive/items/{id}/workbook/tables/{id}/rows/itemAt(index={index})range");
        assert_eq!(
            x.template,
            "/workbook/tables/{table}/rows/itemAt(index={index})/range"
        );
        assert_eq!(d.len(), 1);
        let (x, _) = t("/me/drive/items/{id}/workbook/worksheets({id|name})/names");
        assert_eq!(x.template, "/workbook/worksheets/{worksheet}/names");
        let (x, _) = t("/me/drive/items/{id}/workbook/worksheets/{id}/charts/{name}/image(width=640,height=480,fittingMode='fit')");
        let Segment::Call { args, .. } = x.segments.last().unwrap() else {
            panic!()
        };
        let kinds: Vec<_> = args
            .iter()
            .map(|a| (a.name.as_str(), a.type_.to_string(), a.quoted))
            .collect();
        assert_eq!(
            kinds,
            [
                ("width", "int32".to_string(), false),
                ("height", "int32".to_string(), false),
                ("fittingMode", "string".to_string(), true)
            ]
        );
    }

    #[test]
    fn request_block_lines() {
        let mut d = Vec::new();
        let b = parse_request_block(
            "POST /workbook/a(x={n}, y={n})\n  /workbook/b\nworkbook-session-id: {session-id}\n\n",
            10,
            "f.md",
            &mut d,
        );
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.lines[0].path, "/workbook/a(x={n},y={n})");
        assert_eq!(b.lines[1].method, Method::Post);
        assert_eq!(b.lines[1].line, 11);
        assert_eq!(
            b.headers,
            [HeaderLine {
                name: "workbook-session-id".to_string(),
                value: "{session-id}".to_string(),
                line: 12
            }]
        );
        assert_eq!(d.len(), 2);
    }
}
