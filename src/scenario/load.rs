//! Reading scenario files: size and encoding limits, RON parsing, the goals catalogue, folders.
//!
//! Nothing here panics on input: an empty file, binary garbage, a huge file or deep nesting each
//! produce a [`Diagnostic`] with a hint.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::def::{GoalDef, GoalsDef, ScenarioDef};
use super::diag::{Diagnostic, Reporter, Severity, offset_of};
use super::model::Scenario;
use super::spans::SpanIndex;
use super::{compile, graph};

/// Largest scenario or catalogue file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Deepest RON nesting accepted.
pub const MAX_NESTING: usize = 64;

/// The goals catalogue shipped with Casus, used when a folder has no `goals.ron`.
pub const BUILTIN_GOALS: &str = include_str!("../../scenarios/goals.ron");

/// A scenario file with what came of loading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub source: String,
    /// Present when the file has no errors.
    pub scenario: Option<Arc<Scenario>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The RON options every Casus file is read with.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

fn whole_file(path: &Path, code: &'static str, msg: String, hint: &str) -> Box<Diagnostic> {
    let mut rep = Reporter::new(path, "");
    rep.push(Severity::Error, code, 0..0, msg).hint(hint);
    Box::new(rep.diags.remove(0))
}

/// Reads a file as text, within the size limit.
pub fn read_source(path: &Path) -> Result<String, Box<Diagnostic>> {
    let meta = fs::metadata(path).map_err(|e| {
        whole_file(
            path,
            "io",
            format!("cannot read the file: {e}"),
            "check the path and permissions",
        )
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(whole_file(
            path,
            "too-large",
            format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} are accepted",
                meta.len()
            ),
            "split the case into several scenarios",
        ));
    }
    let bytes = fs::read(path).map_err(|e| {
        whole_file(
            path,
            "io",
            format!("cannot read the file: {e}"),
            "check the path and permissions",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes());
        let mut rep = Reporter::new(path, &text);
        rep.push(
            Severity::Error,
            "not-utf8",
            at..at,
            format!("the file is not UTF-8 text (invalid byte at offset {at})"),
        )
        .hint("save the file as UTF-8; is it a scenario file at all?");
        Box::new(rep.diags.remove(0))
    })
}

/// Parses RON text into `T`, turning ron's error into a diagnostic with a hint.
pub fn parse_ron<T: DeserializeOwned>(path: &Path, src: &str) -> Result<T, Box<Diagnostic>> {
    if src.trim().is_empty() {
        return Err(whole_file(
            path,
            "empty",
            "the file is empty".into(),
            "a scenario file starts with `(` and `id: \"…\"`; see docs/scenario-format.md",
        ));
    }
    ron_options().from_str::<T>(src).map_err(|e| {
        let start = offset_of(src, e.span.start.line, e.span.start.col);
        let end = offset_of(src, e.span.end.line, e.span.end.col).max(start);
        let message = e.code.to_string();
        let hint = ron_hint(&e.code);
        let mut rep = Reporter::new(path, src);
        let d = rep.push(Severity::Error, "syntax", start..end, message);
        if let Some(h) = hint {
            d.hint(h);
        }
        Box::new(rep.diags.remove(0))
    })
}

fn ron_hint(e: &ron::Error) -> Option<String> {
    use ron::Error as E;
    Some(match e {
        E::ExceededRecursionLimit => format!("the file nests deeper than {MAX_NESTING} levels"),
        E::Eof => "the file ends too early: is a bracket or quote not closed?".into(),
        E::ExpectedString | E::ExpectedStringEnd => "text goes between double quotes: \"…\"".into(),
        E::NoSuchStructField {
            expected, found, ..
        } => match super::compile::similar(found, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known fields: {}", expected.join(", ")),
        },
        E::MissingStructField { field, .. } => {
            format!("add `{field}: …`; see docs/scenario-format.md")
        }
        E::NoSuchEnumVariant {
            expected, found, ..
        } => match super::compile::similar(found, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("choose one of: {}", expected.join(", ")),
        },
        E::ExpectedComma => "is a comma missing between two entries?".into(),
        E::DuplicateStructField { .. } => "a field may appear only once".into(),
        _ => return None,
    })
}

/// SHA-256 of `bytes`, as hex.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A goals catalogue with the diagnostics found in it.
pub fn parse_goals(path: &Path, src: &str) -> (Vec<GoalDef>, Vec<Diagnostic>) {
    let def: GoalsDef = match parse_ron(path, src) {
        Ok(d) => d,
        Err(d) => return (Vec::new(), vec![*d]),
    };
    let spans = SpanIndex::build(src);
    let mut rep = Reporter::new(path, src);
    let mut seen = std::collections::HashSet::new();
    for (i, g) in def.goals.iter().enumerate() {
        let span = spans.find(&format!("goals[{i}].id")).unwrap_or(0..0);
        if !super::compile::valid_ident(&g.id) {
            rep.push(
                Severity::Error,
                "invalid-id",
                span.clone(),
                format!("`{}` is not a valid goal id", g.id),
            );
        }
        if !seen.insert(g.id.clone()) {
            rep.push(
                Severity::Error,
                "duplicate-id",
                span,
                format!("goal `{}` is declared twice", g.id),
            );
        }
    }
    (def.goals, rep.diags)
}

/// The shipped goals catalogue.
pub fn builtin_goals() -> Vec<GoalDef> {
    parse_goals(Path::new("scenarios/goals.ron"), BUILTIN_GOALS).0
}

/// Loads one scenario from its text.
pub fn load_str(path: &Path, src: String, goals: &[GoalDef]) -> Loaded {
    load_str_known(path, src, goals, None)
}

/// Loads one scenario from its text, with the score ranges found when the same text was
/// analysed before (see [`super::cache`]).
pub fn load_str_known(
    path: &Path,
    src: String,
    goals: &[GoalDef],
    known: Option<(Vec<super::model::GoalRange>, bool)>,
) -> Loaded {
    let mut loaded = Loaded {
        path: path.to_path_buf(),
        source: String::new(),
        scenario: None,
        diagnostics: Vec::new(),
    };
    let def: ScenarioDef = match parse_ron(path, &src) {
        Ok(d) => d,
        Err(d) => {
            loaded.diagnostics.push(*d);
            loaded.source = src;
            return loaded;
        }
    };
    let spans = SpanIndex::build(&src);
    let mut rep = Reporter::new(path, &src);
    let built = compile::compile(&def, goals, &mut rep, &spans, content_hash(src.as_bytes()));
    let scenario = built.and_then(|mut sc| {
        sc.path = Some(path.to_path_buf());
        graph::check(&mut sc, &mut rep, &spans, known).then_some(sc)
    });
    let mut diags = rep.diags;
    diags.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.severity)));
    loaded.diagnostics = diags;
    loaded.scenario = scenario.map(Arc::new);
    loaded.source = src;
    loaded
}

/// Loads one scenario file.
pub fn load_file(path: &Path, goals: &[GoalDef]) -> Loaded {
    match read_source(path) {
        Ok(src) => load_str(path, src, goals),
        Err(d) => Loaded {
            path: path.to_path_buf(),
            source: String::new(),
            scenario: None,
            diagnostics: vec![*d],
        },
    }
}

/// The goals catalogue that applies to files in `dir`: its `goals.ron`, else the built-in one.
pub fn goals_for(dir: &Path) -> (Vec<GoalDef>, Vec<Diagnostic>, Option<(PathBuf, String)>) {
    let path = dir.join("goals.ron");
    if !path.is_file() {
        return (builtin_goals(), Vec::new(), None);
    }
    match read_source(&path) {
        Ok(src) => {
            let (goals, diags) = parse_goals(&path, &src);
            (goals, diags, Some((path, src)))
        }
        Err(d) => (Vec::new(), vec![*d], None),
    }
}
