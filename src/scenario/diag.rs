//! Diagnostics for scenario authors: what is wrong, where (file, line, column) and how to fix it.
//!
//! Checks collect [`Diagnostic`]s instead of stopping at the first problem; [`render`] prints them
//! rustc-style with the offending source line underlined (via ariadne).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is: errors make a scenario unplayable, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code, e.g. `unknown-node`; tests and tools match on it.
    pub code: &'static str,
    pub message: String,
    pub file: PathBuf,
    /// Byte range in the file (empty when the problem concerns the whole file).
    pub span: Range<usize>,
    /// 1-based line and column (in characters) of the span's start.
    pub line: usize,
    pub col: usize,
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}[{}]: {}",
            self.file.display(),
            self.line,
            self.col,
            self.code,
            self.message
        )
    }
}

/// 1-based line and column (counted in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte offset of 1-based `line` and `col` (in characters) in `src`.
pub fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    let rest = &src[start..];
    let end_of_line = rest.find('\n').unwrap_or(rest.len());
    rest[..end_of_line]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(start + end_of_line, |(i, _)| start + i)
}

/// Collects diagnostics for one file.
#[derive(Debug)]
pub struct Reporter<'a> {
    pub file: &'a Path,
    pub src: &'a str,
    pub diags: Vec<Diagnostic>,
    /// Byte offset of every line start, built on first use: many diagnostics stay cheap.
    lines: Vec<usize>,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a Path, src: &'a str) -> Self {
        Reporter {
            file,
            src,
            diags: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Adds a problem at a byte span and returns it for adding a label or hint.
    pub fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        if self.lines.is_empty() {
            self.lines = std::iter::once(0)
                .chain(self.src.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
        }
        let mut at = span.start.min(self.src.len());
        while !self.src.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.lines.partition_point(|&s| s <= at);
        let start = self.lines[line - 1];
        let col = self.src[start..at].chars().count() + 1;
        self.diags.push(Diagnostic {
            severity,
            code,
            message: message.into(),
            file: self.file.to_path_buf(),
            span,
            line,
            col,
            label: None,
            hint: None,
        });
        self.diags.last_mut().expect("just pushed")
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

impl Diagnostic {
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }
}

/// Lines longer than this are shown as a window around the problem.
const MAX_RENDERED_LINE: usize = 400;

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics rustc-style; `source` gives the text of a file.
pub fn render<'s>(
    diags: &[Diagnostic],
    source: impl Fn(&Path) -> Option<&'s str>,
    color: bool,
) -> String {
    use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
    let mut out = Vec::new();
    for d in diags {
        let name = d.file.display().to_string();
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let plain = |out: &mut Vec<u8>, excerpt: Option<String>| {
            out.extend_from_slice(format!("{d}\n").as_bytes());
            if let Some(x) = excerpt {
                out.extend_from_slice(format!("  | {x}\n").as_bytes());
            }
            if let Some(h) = &d.hint {
                out.extend_from_slice(format!("  = help: {h}\n").as_bytes());
            }
        };
        let src = match source(&d.file) {
            Some(s) if !s.is_empty() => s,
            _ => {
                plain(&mut out, None);
                continue;
            }
        };
        let start = d.span.start.min(src.len());
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        if line_end - line_start > MAX_RENDERED_LINE {
            // Ariadne would print the whole line: show a window around the problem instead.
            let from = floor_char(src, start.saturating_sub(40).max(line_start));
            let to = floor_char(src, (start + 40).min(line_end));
            plain(&mut out, Some(format!("…{}…", &src[from..to])));
            continue;
        }
        let mut end = d.span.end.min(src.len()).max(start);
        if end == start && start < line_end {
            end = floor_char(src, start + 1)
                .max(start + src[start..].chars().next().map_or(0, char::len_utf8));
        }
        let span = start..end;
        let config = Config::default()
            .with_index_type(IndexType::Byte)
            .with_color(color);
        let mut report = Report::build(kind, (name.clone(), span.clone()))
            .with_config(config)
            .with_code(d.code)
            .with_message(&d.message)
            .with_label(match &d.label {
                Some(l) => Label::new((name.clone(), span)).with_message(l),
                None => Label::new((name.clone(), span)).with_message("here"),
            });
        if let Some(h) = &d.hint {
            report = report.with_help(h);
        }
        let written = report
            .finish()
            .write((name.clone(), Source::from(src)), &mut out);
        if written.is_err() {
            out.extend_from_slice(format!("{d}\n").as_bytes());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\nëx\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 2)); // after the two-byte ë
        assert_eq!(offset_of(src, 2, 2), 5);
        assert_eq!(offset_of(src, 9, 1), src.len());
    }
}
