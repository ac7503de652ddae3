//! The route table, read from the same spec/ operation files the client is generated from,
//! and the matcher that turns a workbook-relative request path into an operation id plus the
//! parsed segments.

use std::sync::OnceLock;

use serde::Deserialize;

/// API version of a request (`/v1.0` or `/beta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `/v1.0`.
    V1,
    /// `/beta`.
    Beta,
}

#[derive(Deserialize)]
struct OpFile {
    id: String,
    method: String,
    paths: Vec<PathFile>,
    #[serde(default)]
    body: Option<BodyFile>,
    binding: BindingFile,
    #[serde(default)]
    returns: Option<String>,
}

#[derive(Deserialize)]
struct BindingFile {
    #[serde(rename = "type")]
    type_: String,
    collection: bool,
}

#[derive(Deserialize)]
struct BodyFile {
    #[serde(default)]
    params: Vec<ParamFile>,
}

#[derive(Deserialize)]
struct PathFile {
    segments: Vec<SegFile>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum SegFile {
    Navigation {
        name: String,
    },
    Key {
        param: ParamFile,
    },
    Call {
        name: String,
        #[serde(default)]
        args: Vec<ParamFile>,
    },
}

#[derive(Deserialize)]
struct ParamFile {
    name: String,
    #[serde(default)]
    required: bool,
}

/// One segment of a route template.
#[derive(Debug, Clone)]
pub enum RouteSeg {
    /// A navigation property.
    Nav(String),
    /// A key (`{worksheet}`).
    Key,
    /// A bound function/action with its argument names (and whether each is required).
    Call(String, Vec<(String, bool)>),
}

/// One (operation, template) pair.
#[derive(Debug)]
pub struct Route {
    /// Operation id (`range.get`).
    pub id: String,
    /// HTTP method.
    pub method: String,
    /// Template segments.
    pub segs: Vec<RouteSeg>,
    /// The type the verb acts on (`None` for a collection binding).
    pub binding: Option<String>,
    /// The type a GET answers.
    pub returns: Option<String>,
}

/// A parsed request segment, matched against a route.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// A navigation property.
    Nav(String),
    /// A key value (decoded).
    Key(String),
    /// A call with its arguments.
    Call(String, Vec<(String, ArgValue)>),
}

/// A function-call argument from the URL (`address='A1'`, `row=2`, `valuesOnly=true`).
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A quoted OData string.
    Str(String),
    /// An unquoted literal (number, boolean).
    Raw(String),
}

impl ArgValue {
    /// The text of the value.
    pub fn as_str(&self) -> &str {
        match self {
            ArgValue::Str(s) | ArgValue::Raw(s) => s,
        }
    }
}

/// The result of matching a path.
#[derive(Debug)]
pub enum Match {
    /// The operation and the parsed segments.
    Found {
        /// Operation id.
        id: String,
        /// Parsed segments.
        segs: Vec<Seg>,
    },
    /// The path is an operation's, but not for this method.
    WrongMethod {
        /// Methods the spec has for this path.
        allowed: Vec<String>,
    },
    /// No template has this shape: the first segment that matched nothing.
    NoRoute {
        /// The first segment no template matched.
        segment: String,
    },
}

fn load(json: &str) -> Vec<Route> {
    let ops: Vec<OpFile> = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("embedded spec does not parse (rebuild after fixing spec/): {e}"),
    };
    let mut routes = Vec::new();
    for op in ops {
        // The client sends a GET's documented parameters as arguments of the final call
        // (`offsetRange(rowOffset=1,columnOffset=2)`) where the docs' template shows none.
        let body_args: Vec<(String, bool)> = op
            .body
            .map(|b| b.params.into_iter().map(|p| (p.name, false)).collect())
            .unwrap_or_default();
        for p in op.paths {
            let mut segs: Vec<RouteSeg> = p
                .segments
                .into_iter()
                .map(|s| match s {
                    SegFile::Navigation { name } => RouteSeg::Nav(name),
                    SegFile::Key { param } => {
                        let _ = param.name;
                        RouteSeg::Key
                    }
                    SegFile::Call { name, args } => RouteSeg::Call(
                        name,
                        args.into_iter().map(|a| (a.name, a.required)).collect(),
                    ),
                })
                .collect();
            if let Some(RouteSeg::Call(_, args)) = segs.last_mut() {
                if args.is_empty() {
                    args.clone_from(&body_args);
                }
            }
            routes.push(Route {
                binding: (!op.binding.collection).then(|| op.binding.type_.clone()),
                returns: op.returns.clone(),
                id: op.id.clone(),
                method: op.method.clone(),
                segs,
            });
        }
    }
    routes
}

/// The routes of a version, parsed once.
pub fn routes(version: Version) -> &'static [Route] {
    static V1: OnceLock<Vec<Route>> = OnceLock::new();
    static BETA: OnceLock<Vec<Route>> = OnceLock::new();
    match version {
        Version::V1 => {
            V1.get_or_init(|| load(include_str!(concat!(env!("OUT_DIR"), "/ops_v1.json"))))
        }
        Version::Beta => {
            BETA.get_or_init(|| load(include_str!(concat!(env!("OUT_DIR"), "/ops_beta.json"))))
        }
    }
}

/// The operation ids of a version, sorted and deduplicated.
pub fn operation_ids(version: Version) -> Vec<String> {
    let mut ids: Vec<String> = routes(version).iter().map(|r| r.id.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Splits `name(args)` into the name and the raw argument text.
fn split_call(token: &str) -> (&str, Option<&str>) {
    match (token.find('('), token.ends_with(')')) {
        (Some(i), true) => (&token[..i], Some(&token[i + 1..token.len() - 1])),
        _ => (token, None),
    }
}

/// Parses `a='x',b=2` (OData literals; `''` inside quotes is one `'`).
pub fn parse_args(text: &str) -> Option<Vec<(String, ArgValue)>> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i] != '=' {
            i += 1;
        }
        if i >= chars.len() {
            return None;
        }
        let name: String = chars[start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        i += 1;
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        let value = if chars.get(i) == Some(&'\'') {
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        s.push(*c);
                        i += 1;
                    }
                }
            }
            ArgValue::Str(s)
        } else {
            let start = i;
            while i < chars.len() && chars[i] != ',' {
                i += 1;
            }
            ArgValue::Raw(
                chars[start..i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            )
        };
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        match chars.get(i) {
            None => {}
            Some(',') => i += 1,
            Some(_) => return None,
        }
        if name.is_empty() {
            return None;
        }
        out.push((name, value));
    }
    Some(out)
}

/// The single key inside `worksheets('Sheet1')` / `worksheets(Sheet1)`.
fn paren_key(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        t[1..t.len() - 1].replace("''", "'")
    } else {
        t.to_string()
    }
}

/// Matches decoded path tokens (after `/workbook`'s drive prefix) against one route.
fn match_route(route: &Route, tokens: &[String]) -> Result<Vec<Seg>, usize> {
    match_segs(&route.segs, tokens)
}

fn match_segs(route_segs: &[RouteSeg], tokens: &[String]) -> Result<Vec<Seg>, usize> {
    let mut out = Vec::with_capacity(route_segs.len());
    let mut t = 0;
    let mut s = 0;
    while s < route_segs.len() {
        let Some(token) = tokens.get(t) else {
            return Err(t);
        };
        match &route_segs[s] {
            RouteSeg::Nav(name) => {
                let (tname, args) = split_call(token);
                if !tname.eq_ignore_ascii_case(name) {
                    return Err(t);
                }
                match args {
                    None => out.push(Seg::Nav(name.clone())),
                    // `worksheets('Sheet1')`: the key in parentheses.
                    Some(a) if matches!(route_segs.get(s + 1), Some(RouteSeg::Key)) => {
                        out.push(Seg::Nav(name.clone()));
                        out.push(Seg::Key(paren_key(a)));
                        s += 1;
                    }
                    Some(_) => return Err(t),
                }
            }
            RouteSeg::Key => out.push(Seg::Key(token.clone())),
            RouteSeg::Call(name, params) => {
                let (tname, args) = split_call(token);
                if !tname.eq_ignore_ascii_case(name) {
                    return Err(t);
                }
                let args = match args {
                    None => Vec::new(),
                    Some(a) => parse_args(a).ok_or(t)?,
                };
                let known = args
                    .iter()
                    .all(|(n, _)| params.iter().any(|(p, _)| p.eq_ignore_ascii_case(n)));
                let complete = params
                    .iter()
                    .filter(|(_, req)| *req)
                    .all(|(p, _)| args.iter().any(|(n, _)| n.eq_ignore_ascii_case(p)));
                // A template without arguments only matches a bare segment or `name()`.
                if !known || !complete || (params.is_empty() && !args.is_empty()) {
                    return Err(t);
                }
                out.push(Seg::Call(name.clone(), args));
            }
        }
        t += 1;
        s += 1;
    }
    if t == tokens.len() {
        Ok(out)
    } else {
        Err(t)
    }
}

/// Finds the operation for `method` and the workbook-relative `tokens` (starting at
/// `workbook`).
pub fn find(version: Version, method: &str, tokens: &[String]) -> Match {
    let mut allowed = Vec::new();
    let mut deepest = 0;
    // Of the complete matches of the method, the one with the fewest keys wins: a literal
    // segment beats a key that happens to match it (`rows/itemAt(index=1)` is the itemAt
    // function, not the row keyed `itemAt(index=1)`). Ties go to the first: routes come
    // sorted by operation id from spec/.
    let mut best: Option<(usize, &Route, Vec<Seg>)> = None;
    for route in routes(version) {
        match match_route(route, tokens) {
            Ok(segs) if route.method.eq_ignore_ascii_case(method) => {
                let keys = segs.iter().filter(|s| matches!(s, Seg::Key(_))).count();
                if best.as_ref().is_none_or(|(k, _, _)| keys < *k) {
                    best = Some((keys, route, segs));
                }
            }
            Ok(_) => allowed.push(route.method.clone()),
            Err(at) => deepest = deepest.max(at),
        }
    }
    if let Some((_, route, segs)) = best {
        return Match::Found {
            id: route.id.clone(),
            segs,
        };
    }
    if !allowed.is_empty() {
        allowed.sort();
        allowed.dedup();
        return Match::WrongMethod { allowed };
    }
    // The docs list each verb under a few paths only; the client composes its nodes freely
    // (`range(address='A1:B2')/rowsAbove`): a verb applies after any path that answers the
    // type it is bound to.
    if let Some((id, segs)) = find_composed(version, method, tokens, None, 0) {
        return Match::Found { id, segs };
    }
    Match::NoRoute {
        segment: tokens.get(deepest).cloned().unwrap_or_default(),
    }
}

/// A route for `tokens` where the last token is an operation's final segment and the rest
/// is (recursively) a GET path answering the operation's binding type; with `want`, only
/// operations answering that type.
fn find_composed(
    version: Version,
    method: &str,
    tokens: &[String],
    want: Option<&str>,
    depth: u32,
) -> Option<(String, Vec<Seg>)> {
    let all = routes(version);
    if want.is_some() {
        for route in all {
            if route.method.eq_ignore_ascii_case(method) && route.returns.as_deref() == want {
                if let Ok(segs) = match_route(route, tokens) {
                    return Some((route.id.clone(), segs));
                }
            }
        }
    }
    let (last, prefix) = tokens.split_last()?;
    if prefix.len() < 2 || depth > 6 {
        return None;
    }
    for route in all {
        if !route.method.eq_ignore_ascii_case(method)
            || (want.is_some() && route.returns.as_deref() != want)
        {
            continue;
        }
        let (Some(binding), Some(seg @ RouteSeg::Call(..))) = (&route.binding, route.segs.last())
        else {
            continue;
        };
        let Ok(mut tail) = match_segs(std::slice::from_ref(seg), std::slice::from_ref(last)) else {
            continue;
        };
        if let Some((_, mut segs)) = find_composed(version, "GET", prefix, Some(binding), depth + 1)
        {
            segs.append(&mut tail);
            return Some((route.id.clone(), segs));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(p: &str) -> Vec<String> {
        p.split('/').map(str::to_string).collect()
    }

    #[test]
    fn spec_routes_load_and_match() {
        assert!(routes(Version::V1).len() > 150);
        let m = find(
            Version::V1,
            "GET",
            &toks("workbook/worksheets/Sheet1/range(address='A1:B2')"),
        );
        match m {
            Match::Found { id, segs } => {
                assert_eq!(id, "range.get");
                assert_eq!(
                    segs[3],
                    Seg::Call(
                        "range".into(),
                        vec![("address".into(), ArgValue::Str("A1:B2".into()))]
                    )
                );
            }
            other => panic!("{other:?}"),
        }
        match find(
            Version::V1,
            "PATCH",
            &toks("workbook/worksheets('Q1 ''24')"),
        ) {
            Match::Found { id, segs } => {
                assert_eq!(id, "worksheet.update");
                assert_eq!(segs[2], Seg::Key("Q1 '24".into()));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            find(Version::V1, "GET", &toks("workbook/nonsense")),
            Match::NoRoute { segment } if segment == "nonsense"
        ));
        // Composed: a verb after any path answering its binding type.
        match find(
            Version::V1,
            "GET",
            &toks("workbook/worksheets/Sheet1/range(address='B2:C3')/usedRange/rowsAbove(count=2)"),
        ) {
            Match::Found { id, segs } => {
                assert_eq!(id, "range.rowsAbove");
                assert_eq!(segs.len(), 6);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            find(
                Version::V1,
                "GET",
                &toks("workbook/worksheets/Sheet1/rowsAbove")
            ),
            Match::NoRoute { .. }
        ));
        assert!(matches!(
            find(Version::V1, "PUT", &toks("workbook/worksheets")),
            Match::WrongMethod { .. }
        ));
    }

    #[test]
    fn args_parse_odata_literals() {
        assert_eq!(
            parse_args("address='''a b''!A1',x=2").unwrap(),
            vec![
                ("address".into(), ArgValue::Str("'a b'!A1".into())),
                ("x".into(), ArgValue::Raw("2".into()))
            ]
        );
        assert!(parse_args("address='A1").is_none());
    }
}
