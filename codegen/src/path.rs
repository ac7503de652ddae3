//! One path model. A path is the segment list of a [`spec::PathTemplate`] ([`Segment`]s, made
//! once by extract, carried unchanged through the IR into emit); every string form of it is
//! rendered here by one walk ([`render_parts`], with [`render`] and the methods of
//! [`spec::PathTemplate`] in front of it). The check of a spec file's template string
//! ([`check_template`]) and the one reader of a template string ([`TemplateSegment::parse`],
//! for tests that only have the string) are here too.

use crate::spec::{self, Segment};

/// The string forms of a segment list.
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

/// One segment as [`render_parts`] sees it: names only, so the navigations of the IR (whose
/// arguments are Rust parameters, not spec segments) render through the same walk as the
/// spec's segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    /// A navigation: `worksheets`.
    Name(&'a str),
    /// A key placeholder: `{worksheet}`.
    Key(&'a str),
    /// A call with its argument names in documented order: `cell(row,column)`; with none,
    /// the bare name.
    Call(&'a str, Vec<&'a str>),
}

impl<'a> From<&'a Segment> for Part<'a> {
    fn from(seg: &'a Segment) -> Part<'a> {
        match seg {
            Segment::Navigation { name, .. } => Part::Name(name),
            Segment::Key { param } => Part::Key(&param.name),
            Segment::Call { name, args, .. } => {
                Part::Call(name, args.iter().map(|a| a.name.as_str()).collect())
            }
        }
    }
}

/// `segments` in `form`.
pub fn render(segments: &[Segment], form: Form) -> String {
    render_parts(segments.iter().map(Part::from), form)
}

/// `parts` in `form`: the one walk behind every string form of a path.
pub fn render_parts<'a>(parts: impl IntoIterator<Item = Part<'a>>, form: Form) -> String {
    let mut s = String::new();
    for part in parts {
        s.push('/');
        match part {
            Part::Name(name) => s.push_str(name),
            Part::Key(_) if form == Form::Skeleton => s.push_str("{}"),
            Part::Key(name) => {
                s.push('{');
                s.push_str(name);
                s.push('}');
            }
            Part::Call(name, names) => s.push_str(&match form {
                Form::Skeleton => call_skeleton(name, names),
                _ if names.is_empty() => name.to_string(),
                Form::Template => {
                    let parts: Vec<String> = names.iter().map(|a| format!("{a}={{{a}}}")).collect();
                    format!("{name}({})", parts.join(","))
                }
                Form::Named => format!("{name}({})", names.join(",")),
            }),
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

/// The string forms of a path, rendered from its segments (the `template` field is what the
/// spec file says; lowering checks that it equals `Form::Template` of the segments).
impl spec::PathTemplate {
    /// The path in `form`.
    pub fn render(&self, form: Form) -> String {
        render(&self.segments, form)
    }

    /// The structural form: keys as `{}`, calls as `name(a,b)` with the argument names
    /// sorted (what the runtime builds too).
    pub fn skeleton(&self) -> String {
        self.render(Form::Skeleton)
    }

    /// Keys and arguments named, for docs and messages.
    pub fn named(&self) -> String {
        self.render(Form::Named)
    }
}

/// One segment of a normalized template string (`PathTemplate::template`): `name`,
/// `name(a={x},b='{y}')` (arguments as (name, placeholder) pairs) or `{key}`. The generator
/// works on segments; this reads a template string back where only the string is at hand
/// (the conformance test matches the docs' example URLs against the dispatcher's templates).
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

    #[test]
    fn an_ir_path_renders_its_sent_arguments_in_the_skeleton_only() {
        let nav = |name: &str| Segment::Navigation {
            name: name.into(),
            target: None,
        };
        let call = Segment::Call {
            name: "offsetRange".into(),
            args: vec![],
            target: None,
            composable: true,
        };
        let path = crate::ir::OpPath {
            segments: vec![nav("workbook"), nav("range"), call],
            sent_args: vec!["rowOffset".into(), "columnOffset".into()],
            via: None,
        };
        assert_eq!(path.template(), "/workbook/range/offsetRange");
        assert_eq!(
            path.skeleton(),
            "/workbook/range/offsetRange(columnOffset,rowOffset)"
        );
        // Sorted by template then skeleton, duplicates dropped.
        let plain = crate::ir::OpPath {
            sent_args: vec![],
            ..path.clone()
        };
        let mut paths = vec![path.clone(), plain.clone(), path.clone()];
        crate::ir::OpPath::sort(&mut paths);
        assert_eq!(paths, [plain, path]);
    }
}
