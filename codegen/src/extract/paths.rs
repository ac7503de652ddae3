//! The HTTP request block of an API page: request lines -> normalized [`PathTemplate`]s.
//!
//! Every repair is a general rule reported as a `Repair` diagnostic (FORMAT-NOTES section 3):
//! whitespace inside a path, a line with no method (continuation of the previous method),
//! a missing leading `/`, a trailing `/`, an unclosed `(`, text after `)` with no `/`,
//! `$` or `{undefined}` as a key, argument names the CSDL spells differently (edit distance).
//! Segments are resolved against the CSDL case-insensitively when it is given (navigation
//! property, structural property, bound function/action, key), and the CSDL spelling is output.

use crate::diagnostics::Diagnostic;
use crate::extract::csdl::Csdl;
use crate::spec::{Param, Segment, TypeRef};

/// HTTP methods a request line can start with.
pub const METHODS: &[&str] = &["GET", "POST", "PATCH", "DELETE", "PUT"];

/// One `METHOD path` line of the request block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: String,
    /// The path with whitespace removed.
    pub path: String,
    /// 1-based line in the page.
    pub line: u32,
}

/// The parsed request block: template lines and `Name: value` header lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestBlock {
    pub lines: Vec<RequestLine>,
    /// (name as written, value, line)
    pub headers: Vec<(String, String, u32)>,
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
    let mut last_method: Option<String> = None;
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
        if METHODS.contains(&first) && !rest.is_empty() {
            let path: String = rest.split_whitespace().collect();
            if rest.contains(char::is_whitespace) {
                diags.push(Diagnostic::repair(
                    file,
                    line,
                    format!("whitespace removed from path `{rest}`"),
                ));
            }
            last_method = Some(first.to_string());
            out.lines.push(RequestLine {
                method: first.to_string(),
                path,
                line,
            });
            continue;
        }
        if let Some((name, value)) = t.split_once(':') {
            if is_header_name(name.trim()) && !name.contains('/') && !t.starts_with('/') {
                out.headers
                    .push((name.trim().to_string(), value.trim().to_string(), line));
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
                        method: m.clone(),
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
pub fn singular(name: &str) -> String {
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

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Among `candidates`, the one equal to `name` case-insensitively, else the unique one within
/// edit distance 2 (case-insensitive). `(canonical, was_typo)`.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<(&'a str, bool)> {
    let lname = name.to_ascii_lowercase();
    if let Some(c) = candidates
        .clone()
        .into_iter()
        .find(|c| c.eq_ignore_ascii_case(name))
    {
        return Some((c, false));
    }
    if lname.len() < 4 {
        return None;
    }
    let mut hits = candidates
        .into_iter()
        .filter(|c| edit_distance(&c.to_ascii_lowercase(), &lname) <= 2);
    match (hits.next(), hits.next()) {
        (Some(c), None) => Some((c, true)),
        _ => None,
    }
}

/// Fallback type of an argument when the CSDL does not give one.
fn arg_type_fallback(arg_name: &str, v: &ArgValue, quoted: bool) -> TypeRef {
    let t = match v {
        ArgValue::Int => "int32",
        ArgValue::Bool => "boolean",
        ArgValue::Str => "string",
        ArgValue::Placeholder if quoted => "string",
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
                "int32"
            } else if l == "valuesonly" {
                "boolean"
            } else {
                "string"
            }
        }
    };
    TypeRef::new(t)
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
    pub fn end_type(&self) -> Option<&TypeRef> {
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

fn element_of(t: &TypeRef) -> Option<TypeRef> {
    t.element()
}

/// Parse and normalize one request-line path. `None` when it has no `workbook` segment.
pub fn parse_template(
    path: &str,
    method: &str,
    line: u32,
    csdl: Option<&Csdl>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Template> {
    // locate the `workbook` segment
    let lower = path.to_ascii_lowercase();
    let mut wb = None;
    let mut search = 0;
    while let Some(i) = lower.get(search..).and_then(|s| s.find("workbook")) {
        let at = search + i;
        let before_ok = at == 0 || lower.as_bytes().get(at - 1) == Some(&b'/');
        let end = at + "workbook".len();
        let after_ok =
            end == lower.len() || matches!(lower.as_bytes().get(end), Some(b'/') | Some(b'('));
        if before_ok && after_ok {
            wb = Some(at);
            break;
        }
        search = end;
    }
    let at = wb?;
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

    let mut segments = vec![Segment::Navigation {
        name: "workbook".into(),
        target: Some(TypeRef::new("workbook")),
    }];
    let mut types: Vec<Option<TypeRef>> = vec![None];
    let mut cur: Option<TypeRef> = csdl.map(|_| TypeRef::new("workbook"));
    let mut used_names: Vec<String> = Vec::new();
    let mut last_nav: Option<String> = Some("workbook".into());
    let mut warned = false;
    let nraw = raws.len();

    let unique = |base: &str, used: &mut Vec<String>| -> String {
        let mut n = base.to_string();
        let mut k = 2;
        while used.iter().any(|u| u == &n) {
            n = format!("{base}{k}");
            k += 1;
        }
        used.push(n.clone());
        n
    };

    for (idx, raw) in raws.into_iter().enumerate() {
        types.push(cur.clone());
        match raw {
            RawSeg::Key { placeholder } => {
                let base = last_nav
                    .as_deref()
                    .map(singular)
                    .unwrap_or_else(|| "key".into());
                if placeholder == "undefined" {
                    diags.push(Diagnostic::repair(
                        file,
                        line,
                        format!("`{{undefined}}` key named `{{{base}}}` from its collection"),
                    ));
                }
                let name = unique(&base, &mut used_names);
                segments.push(Segment::Key {
                    param: Param {
                        name,
                        type_: TypeRef::new("string"),
                        required: true,
                        quoted: false,
                        values: vec![],
                    },
                });
                cur = cur.as_ref().and_then(element_of);
                last_nav = None;
            }
            RawSeg::Named { name, args } => {
                let is_last = idx + 1 == nraw;
                // key in parentheses: `worksheets({id|name})`, `charts(<name>)`
                let nav = match (csdl, cur.as_ref()) {
                    (Some(c), Some(t)) if !t.is_collection() => c.navigation(&t.0, &name),
                    _ => None,
                };
                let single_positional = args
                    .as_ref()
                    .is_some_and(|a| a.len() == 1 && a.first().is_some_and(|x| x.name.is_none()));
                let is_coll_nav = nav.is_some_and(|n| n.is_collection());
                let key_in_parens =
                    single_positional && (is_coll_nav || (csdl.is_none() && name.ends_with('s')));
                if key_in_parens || (args.is_none() && nav.is_some()) {
                    let canonical = nav.map_or(name.clone(), |n| n.name.clone());
                    let target = nav.map(|n| n.type_ref());
                    segments.push(Segment::Navigation {
                        name: canonical.clone(),
                        target: target.clone(),
                    });
                    cur = target;
                    last_nav = Some(canonical.clone());
                    if key_in_parens {
                        types.push(cur.clone());
                        let base = singular(&canonical);
                        let pname = unique(&base, &mut used_names);
                        segments.push(Segment::Key {
                            param: Param {
                                name: pname,
                                type_: TypeRef::new("string"),
                                required: true,
                                quoted: false,
                                values: vec![],
                            },
                        });
                        cur = cur.as_ref().and_then(element_of);
                        last_nav = None;
                    }
                    continue;
                }
                // structural property (`sort/fields`), no arguments
                if args.is_none() {
                    if let (Some(c), Some(t)) = (csdl, cur.as_ref()) {
                        let elem = t.element();
                        if let Some(e) = &elem {
                            if c.property(&e.0, &name).is_some() {
                                diags.push(Diagnostic::warning(file, line, format!("`{name}` is a property of the elements of `{t}`: addressed without a key")));
                            }
                        }
                        let owner = elem.unwrap_or_else(|| t.clone());
                        {
                            if let Some(p) = c.property(&owner.0, &name) {
                                let target = p.type_ref();
                                segments.push(Segment::Navigation {
                                    name: p.name.clone(),
                                    target: Some(target.clone()),
                                });
                                cur = Some(target);
                                last_nav = Some(p.name.clone());
                                continue;
                            }
                        }
                    }
                }
                // bound operation
                let mut ops = match (csdl, cur.as_ref()) {
                    (Some(c), Some(t)) => c.bound_operations(&t.0, &name),
                    _ => Vec::new(),
                };
                // a key before an operation that binds to the collection (`tables/$/add`)
                if ops.is_empty() && matches!(segments.last(), Some(Segment::Key { .. })) {
                    let coll = types
                        .len()
                        .checked_sub(2)
                        .and_then(|i| types.get(i))
                        .cloned()
                        .flatten();
                    if let (Some(c), Some(ct)) = (csdl, coll) {
                        let coll_ops = c.bound_operations(&ct.0, &name);
                        if !coll_ops.is_empty() {
                            diags.push(Diagnostic::repair(
                                file,
                                line,
                                format!("key before `{name}` dropped: `{name}` binds to `{ct}`"),
                            ));
                            if let Some(Segment::Key { param }) = segments.pop() {
                                used_names.retain(|u| *u != param.name);
                            }
                            types.pop();
                            types.pop();
                            types.push(Some(ct.clone()));
                            cur = Some(ct);
                            ops = coll_ops;
                        }
                    }
                }
                let given: Vec<RawArg> = args.clone().unwrap_or_default();
                if !ops.is_empty() {
                    // choose the overload: all named args known and positional count fits, fewest params
                    let score = |op: &crate::extract::csdl::BoundOperation| {
                        let known = given.iter().all(|a| match &a.name {
                            Some(n) => op
                                .params
                                .iter()
                                .any(|p| closest(n, [p.name.as_str()]).is_some()),
                            None => true,
                        });
                        let fits = op.params.len() >= given.len();
                        (!(known && fits), op.params.len().abs_diff(given.len()))
                    };
                    let best = ops.iter().copied().min_by_key(|op| score(op));
                    if let Some(op) = best {
                        let mut out_args = Vec::new();
                        for (pos, a) in given.iter().enumerate() {
                            let (pname, ptype) = match &a.name {
                                Some(n) => {
                                    match closest(n, op.params.iter().map(|p| p.name.as_str())) {
                                        Some((canon, typo)) => {
                                            if typo {
                                                diags.push(Diagnostic::repair(file, line, format!("argument `{n}` of `{}` read as `{canon}` (CSDL)", op.name)));
                                            }
                                            let t = op
                                                .params
                                                .iter()
                                                .find(|p| p.name == canon)
                                                .map(|p| p.type_ref());
                                            (canon.to_string(), t)
                                        }
                                        None => {
                                            diags.push(Diagnostic::warning(file, line, format!("argument `{n}` is not a parameter of `{}` in the CSDL", op.name)));
                                            (n.clone(), None)
                                        }
                                    }
                                }
                                None => match op.params.get(pos) {
                                    Some(p) => (p.name.clone(), Some(p.type_ref())),
                                    None => (
                                        a.placeholder
                                            .clone()
                                            .unwrap_or_else(|| format!("arg{pos}")),
                                        None,
                                    ),
                                },
                            };
                            let t = ptype
                                .unwrap_or_else(|| arg_type_fallback(&pname, &a.value, a.quoted));
                            let quoted = t.0 == "string";
                            out_args.push(Param {
                                name: pname,
                                type_: t,
                                required: true,
                                quoted,
                                values: vec![],
                            });
                        }
                        // A function called with no arguments although every overload needs
                        // some (`range/cell`, the page lists row and column in a table): the
                        // arguments are the CSDL parameters of its smallest overload.
                        // (The last segment is left to the caller: its arguments may be the
                        // request body's parameters.)
                        if given.is_empty()
                            && !is_last
                            && ops.iter().all(|o| !o.is_action && !o.params.is_empty())
                        {
                            diags.push(Diagnostic::repair(
                                file,
                                line,
                                format!(
                                    "function `{}` has no arguments in the template: its CSDL parameters ({}) added",
                                    op.name,
                                    op.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                                ),
                            ));
                            for p in &op.params {
                                let t = p.type_ref();
                                let quoted = t.0 == "string";
                                out_args.push(Param {
                                    name: p.name.clone(),
                                    type_: t,
                                    required: true,
                                    quoted,
                                    values: vec![],
                                });
                            }
                        }
                        let target = op.returns();
                        segments.push(Segment::Call {
                            name: op.name.clone(),
                            args: out_args,
                            target: target.clone(),
                        });
                        cur = target;
                        last_nav = None;
                        continue;
                    }
                }
                // unresolved
                if let (Some(_), Some(t)) = (csdl, cur.as_ref()) {
                    if !warned {
                        diags.push(Diagnostic::warning(
                            file,
                            line,
                            format!("segment `{name}` not found on `{t}` in the CSDL"),
                        ));
                        warned = true;
                    }
                }
                let as_call = args.is_some() || (csdl.is_none() && is_last && method == "POST");
                if as_call {
                    let out_args = given
                        .iter()
                        .enumerate()
                        .map(|(pos, a)| {
                            let pname = a
                                .name
                                .clone()
                                .or_else(|| a.placeholder.clone())
                                .unwrap_or_else(|| format!("arg{pos}"));
                            let t = arg_type_fallback(&pname, &a.value, a.quoted);
                            let quoted = t.0 == "string";
                            Param {
                                name: pname,
                                type_: t,
                                required: true,
                                quoted,
                                values: vec![],
                            }
                        })
                        .collect();
                    segments.push(Segment::Call {
                        name: name.clone(),
                        args: out_args,
                        target: None,
                    });
                    last_nav = None;
                } else {
                    segments.push(Segment::Navigation {
                        name: name.clone(),
                        target: None,
                    });
                    last_nav = Some(name.clone());
                }
                cur = None;
            }
        }
    }
    types.push(cur);
    dedupe_key_names(&mut segments);
    let template = render(&segments);
    Some(Template {
        prefix,
        template,
        segments,
        types,
    })
}

/// Argument placeholders carry the wire name of the argument, so a key with the same name
/// (`columns/{column}/range/column(column=...)`) is renamed `<name>Key`.
pub fn dedupe_key_names(segments: &mut [Segment]) {
    let args: Vec<String> = segments
        .iter()
        .flat_map(|s| match s {
            Segment::Call { args, .. } => args.iter().map(|a| a.name.clone()).collect(),
            _ => Vec::new(),
        })
        .collect();
    for s in segments.iter_mut() {
        if let Segment::Key { param } = s {
            if args.contains(&param.name) {
                param.name = format!("{}Key", param.name);
            }
        }
    }
}

/// Render segments as a template: `/workbook/worksheets/{worksheet}/range(address={address})`.
pub fn render(segments: &[Segment]) -> String {
    let mut s = String::new();
    for seg in segments {
        s.push('/');
        match seg {
            Segment::Navigation { name, .. } => s.push_str(name),
            Segment::Key { param } => {
                s.push('{');
                s.push_str(&param.name);
                s.push('}');
            }
            Segment::Call { name, args, .. } => {
                s.push_str(name);
                if !args.is_empty() {
                    s.push('(');
                    let parts: Vec<String> = args
                        .iter()
                        .map(|a| format!("{0}={{{0}}}", a.name))
                        .collect();
                    s.push_str(&parts.join(","));
                    s.push(')');
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(path: &str) -> (Template, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let t = parse_template(path, "GET", 1, None, "f.md", &mut d).unwrap();
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
            .map(|a| (a.name.as_str(), a.type_.0.as_str(), a.quoted))
            .collect();
        assert_eq!(
            kinds,
            [
                ("width", "int32", false),
                ("height", "int32", false),
                ("fittingMode", "string", true)
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
        assert_eq!(b.lines[1].method, "POST");
        assert_eq!(b.lines[1].line, 11);
        assert_eq!(
            b.headers,
            [(
                "workbook-session-id".to_string(),
                "{session-id}".to_string(),
                12
            )]
        );
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn closest_names() {
        assert_eq!(
            closest("addres", ["address", "valuesOnly"]),
            Some(("address", true))
        );
        assert_eq!(closest("ADDRESS", ["address"]), Some(("address", false)));
        assert_eq!(closest("x", ["y"]), None);
    }
}
