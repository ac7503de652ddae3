//! Diagnostics collected while extracting or generating, reported as `file:line: message`:
//! sorted by [`sort`] and printed by [`render`], the one order and form every tool uses.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A docs defect that was repaired by a general rule; the fact is in the output.
    Repair,
    /// Something could not be recovered; the fact is missing from the output.
    Warning,
    /// Input that cannot be used at all (unreadable file, malformed spec).
    Error,
}

/// One problem (or repair, or note) at a place in an input file. Ordered as reported: by
/// file, line, severity, then message (see [`sort`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The input file: a docs page relative to the docs root, or a spec file relative to the
    /// spec directory's parent (`spec/v1.0/types/x.json`, the directory as it was loaded).
    pub file: String,
    /// 1-based; 0 when the whole file is meant.
    pub line: u32,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        file: impl Into<String>,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            severity,
            message: message.into(),
        }
    }
    pub fn repair(file: impl Into<String>, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Repair, file, line, message)
    }
    pub fn warning(file: impl Into<String>, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, line, message)
    }
    pub fn error(file: impl Into<String>, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Repair => "repaired",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.line > 0 {
            write!(f, "{}:{}: {kind}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {kind}: {}", self.file, self.message)
        }
    }
}

/// The one order diagnostics are reported in: by file, line, severity, then message. Every
/// phase that returns diagnostics (extract, load, lower) returns them in this order, so a run
/// lists a file's problems together and two runs list them alike.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort();
}

/// Diagnostics as every tool prints them: one `file:line: kind: message` line each (see
/// `Display`), in the order given.
pub fn render(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_by_file_then_line_and_rendered_one_per_line() {
        let mut diags = vec![
            Diagnostic::error("b.json", 2, "late"),
            Diagnostic::warning("a.json", 10, "ten"),
            Diagnostic::repair("a.json", 9, "nine"),
            Diagnostic::error("a.json", 0, "whole file"),
        ];
        sort(&mut diags);
        assert_eq!(
            render(&diags),
            "a.json: error: whole file\n\
             a.json:9: repaired: nine\n\
             a.json:10: warning: ten\n\
             b.json:2: error: late\n"
        );
    }
}
