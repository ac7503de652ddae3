//! One path model. A path is the segment list of a [`spec::PathTemplate`] ([`Segment`]s, made
//! once by extract); every string form of it is rendered here by one walk ([`render`]), and
//! the one reader of the template string ([`TemplateSegment::parse`]) and its check
//! ([`check_template`]) are here too.

use crate::spec::{self, Segment};

/// The string forms of a segment list.
// Only extract writes templates; build.rs (no `extract` feature) never renders one.
#[cfg_attr(not(feature = "extract"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// As spec/ stores it: `/workbook/worksheets/{worksheet}/range(address={address})`.
    Template,
    /// The structure, shared by the generator and the runtime (`crate::node`): keys as `{}`,
    /// calls with arguments as `name(a,b)` (names sorted): `/workbook/worksheets/{}/range(address)`.
    /// Two templates with the same skeleton address the same thing.
    Skeleton,
    /// Keys and arguments named, for docs: `/workbook/worksheets/{worksheet}/range(address)`.
    Named,
}

/// `segments` in `form`.
pub fn render(segments: &[Segment], form: Form) -> String {
    let mut s = String::new();
    for seg in segments {
        s.push('/');
        match seg {
            Segment::Navigation { name, .. } => s.push_str(name),
            Segment::Key { .. } if form == Form::Skeleton => s.push_str("{}"),
            Segment::Key { param } => {
                s.push('{');
                s.push_str(&param.name);
                s.push('}');
            }
            Segment::Call { name, args, .. } => {
                let names: Vec<&str> = args.iter().map(|a| a.name.as_str()).collect();
                s.push_str(&match form {
                    Form::Skeleton => call_skeleton(name, names),
                    _ if names.is_empty() => name.to_string(),
                    Form::Template => {
                        let parts: Vec<String> =
                            names.iter().map(|a| format!("{a}={{{a}}}")).collect();
                        format!("{name}({})", parts.join(","))
                    }
                    Form::Named => format!("{name}({})", names.join(",")),
                });
            }
        }
    }
    s
}

/// `name` without arguments, else `name(a,b)` with the argument names sorted.
pub fn call_skeleton(name: &str, mut args: Vec<&str>) -> String {
    if args.is_empty() {
        return name.to_owned();
    }
    args.sort_unstable();
    format!("{name}({})", args.join(","))
}

impl spec::PathTemplate {
    /// The structural form: keys as `{}`, calls as `name(a,b)` with the argument names
    /// sorted (what the runtime builds too).
    pub fn skeleton(&self) -> String {
        render(&self.segments, Form::Skeleton)
    }
}

/// One segment of a normalized template string (`PathTemplate::template`): `name`,
/// `name(a={x},b='{y}')` (arguments as (name, placeholder) pairs) or `{key}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSegment {
    Name(String, Vec<(String, String)>),
    Key(String),
}

impl TemplateSegment {
    /// Split a normalized template into segments. Lenient: it reads what extract wrote and
    /// never fails (an unclosed `(` keeps the rest as arguments).
    pub fn parse(template: &str) -> Vec<TemplateSegment> {
        template
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if let Some(k) = s.strip_prefix('{').and_then(|k| k.strip_suffix('}')) {
                    return TemplateSegment::Key(k.to_owned());
                }
                match s.split_once('(') {
                    Some((name, rest)) => {
                        let inner = rest.strip_suffix(')').unwrap_or(rest);
                        let args = inner
                            .split(',')
                            .filter_map(|a| a.split_once('='))
                            .map(|(k, v)| {
                                let v = v.trim().trim_matches('\'');
                                let v = v.trim_start_matches('{').trim_end_matches('}');
                                (k.trim().to_owned(), v.to_owned())
                            })
                            .collect();
                        TemplateSegment::Name(name.to_owned(), args)
                    }
                    None => TemplateSegment::Name(s.to_owned(), Vec::new()),
                }
            })
            .collect()
    }
}

/// Checks a template string for the defects a spec must not carry (the extractor repairs them).
pub fn check_template(template: &str) -> Result<(), String> {
    if !template.starts_with("/workbook") {
        return Err(format!(
            "template `{template}` does not start with `/workbook`"
        ));
    }
    if template.chars().any(char::is_whitespace) {
        return Err(format!("template `{template}` contains whitespace"));
    }
    if template.ends_with('/') || template.contains("//") {
        return Err(format!("template `{template}` has an empty segment"));
    }
    let mut depth = 0i32;
    for c in template.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Err(format!("template `{template}` has unbalanced parentheses"));
        }
    }
    if depth != 0 {
        return Err(format!("template `{template}` has unbalanced parentheses"));
    }
    if template.matches('{').count() != template.matches('}').count() {
        return Err(format!("template `{template}` has unbalanced braces"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TemplateSegment::{self, Key, Name};
    use super::*;
    use crate::spec::{Param, TypeRef};

    #[test]
    fn parses_keys_names_and_arguments() {
        let segs = TemplateSegment::parse(
            "/workbook/worksheets/{worksheet}/range(address='{address}')/cell(row={row},column={column})",
        );
        let n = |s: &str, a: &[(&str, &str)]| {
            Name(
                s.into(),
                a.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        assert_eq!(
            segs,
            vec![
                n("workbook", &[]),
                n("worksheets", &[]),
                Key("worksheet".into()),
                n("range", &[("address", "address")]),
                n("cell", &[("row", "row"), ("column", "column")]),
            ]
        );
    }

    #[test]
    fn renders_every_form_from_one_segment_list() {
        let p = |name: &str| Param {
            name: name.into(),
            type_: TypeRef::parse("int32").unwrap(),
            required: true,
            quoted: false,
            values: vec![],
        };
        let segs = vec![
            Segment::Navigation {
                name: "workbook".into(),
                target: None,
            },
            Segment::Navigation {
                name: "worksheets".into(),
                target: None,
            },
            Segment::Key {
                param: p("worksheet"),
            },
            Segment::Call {
                name: "cell".into(),
                args: vec![p("row"), p("column")],
                target: None,
                composable: false,
            },
            Segment::Call {
                name: "insert".into(),
                args: vec![],
                target: None,
                composable: false,
            },
        ];
        assert_eq!(
            render(&segs, Form::Template),
            "/workbook/worksheets/{worksheet}/cell(row={row},column={column})/insert"
        );
        assert_eq!(
            render(&segs, Form::Skeleton),
            "/workbook/worksheets/{}/cell(column,row)/insert"
        );
        assert_eq!(
            render(&segs, Form::Named),
            "/workbook/worksheets/{worksheet}/cell(row,column)/insert"
        );
        // What extract writes, parsing reads back.
        let parsed = TemplateSegment::parse(&render(&segs, Form::Template));
        assert_eq!(parsed[2], Key("worksheet".into()));
        assert!(check_template(&render(&segs, Form::Template)).is_ok());
        assert!(check_template("/workbook/range(address={a}").is_err());
    }
}
