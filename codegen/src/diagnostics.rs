//! Diagnostics collected while extracting or generating, reported as `file:line: message`.

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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the docs root (or the spec directory's parent).
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

/// The one order diagnostics are reported in: by file, line, severity, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort();
}
