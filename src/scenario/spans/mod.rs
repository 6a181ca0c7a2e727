//! Where each value of a RON file sits: a structural walk that maps value paths to byte spans.
//!
//! serde forgets positions once a file is deserialized; semantic checks still need to point at
//! the exact text. After `ron` has accepted a file, this walker reads the same text once more and
//! keeps a tree of its values with their byte ranges, so that a path such as
//! `nodes[3].choices[1].next` can be resolved to the exact text. Map entries are addressed as
//! `goals["signal"]` for the value and `goals["signal"]#key` for the key (and `id#key` gives a
//! field's name). `Some(x)` is transparent, so paths do not depend on whether a trainer wrote the
//! `Some`.
//!
//! The index is built in one pass in time and memory linear in the file: no path is spelled out
//! until a diagnostic asks for one. The walker never panics: on text it does not understand it
//! stops and keeps what it found.

use std::ops::Range;

mod walk;

/// No key or no value: a sentinel in the compact tables below.
pub(super) const NONE: u32 = u32::MAX;

/// One value of the file: its span, its children and, for a field or map entry, its key's span.
#[derive(Debug, Clone, Copy)]
pub(super) struct Value {
    pub(super) start: u32,
    pub(super) end: u32,
    /// Its children are `children[kids.0..kids.1]`.
    pub(super) kids: (u32, u32),
    pub(super) key: (u32, u32),
}

/// How a child is reached from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seg {
    /// A named field; the name is `src[start..end]`.
    Name(u32, u32),
    /// A list item or a positional field.
    Index(u32),
    /// A map entry; the key, spelled as in paths (`"signal"`), is `keys[i]`.
    Key(u32),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Child {
    pub(super) seg: Seg,
    pub(super) value: u32,
}

/// One step of a path as diagnostics write it.
#[derive(Debug, PartialEq, Eq)]
enum Step<'p> {
    Name(&'p str),
    Index(u32),
    Key(&'p str),
    KeyOf,
}

/// The values of a RON file as a tree, for resolving value paths to byte spans.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    /// `values[0]` is the top-level value, when the walk found one.
    values: Vec<Value>,
    children: Vec<Child>,
    keys: Vec<String>,
    /// The names of fields, by their spans: `src` is needed to compare them.
    src: String,
}

impl SpanIndex {
    /// Walks `src` and records the span of every value.
    pub fn build(src: &str) -> SpanIndex {
        if src.len() >= NONE as usize {
            return SpanIndex::default();
        }
        let (values, children, keys) = walk::walk(src);
        SpanIndex {
            values,
            children,
            keys,
            src: src.to_string(),
        }
    }

    /// The span of the value at `path`, or of its nearest recorded ancestor.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let (span, _) = self.resolve(path);
        span
    }

    /// The span of exactly `path`, without falling back.
    pub fn get(&self, path: &str) -> Option<Range<usize>> {
        match self.resolve(path) {
            (span, true) => span,
            _ => None,
        }
    }

    /// The span of the deepest value on `path` and whether that is the whole path.
    fn resolve(&self, path: &str) -> (Option<Range<usize>>, bool) {
        let Some(root) = self.values.first() else {
            return (None, false);
        };
        let span = |v: &Value| v.start as usize..v.end as usize;
        let mut at = *root;
        let mut steps = parse_path(path);
        while let Some(step) = steps.next() {
            let next = match step {
                Some(Step::KeyOf) if at.key.0 != NONE && steps.next().is_none() => {
                    return (Some(at.key.0 as usize..at.key.1 as usize), true);
                }
                Some(step) => self.child(&at, &step),
                None => None,
            };
            match next {
                Some(v) => at = v,
                None => return (Some(span(&at)), false),
            }
        }
        (Some(span(&at)), true)
    }

    fn child(&self, at: &Value, step: &Step<'_>) -> Option<Value> {
        let kids = &self.children[at.kids.0 as usize..at.kids.1 as usize];
        let matches = |c: &Child| match (step, c.seg) {
            (Step::Name(n), Seg::Name(s, e)) => self.src.get(s as usize..e as usize) == Some(n),
            (Step::Index(i), Seg::Index(j)) => *i == j,
            (Step::Key(k), Seg::Key(j)) => self.keys[j as usize] == *k,
            _ => false,
        };
        // List items sit in order: the direct look-up keeps long lists cheap.
        let direct = match step {
            Step::Index(i) => kids.get(*i as usize).filter(|c| matches(c)),
            _ => None,
        };
        direct
            .or_else(|| kids.iter().find(|c| matches(c)))
            .map(|c| self.values[c.value as usize])
    }
}

/// A name step, or a positional one (`kind.0`).
fn word(w: &str) -> Step<'_> {
    match w.parse::<u32>() {
        Ok(n) if w.bytes().all(|c| c.is_ascii_digit()) => Step::Index(n),
        _ => Step::Name(w),
    }
}

/// The steps of a path: `nodes[3].choices[1].next`, `goals["a b"]#key`, `kind.0`. A step that
/// cannot be read comes out as `None`, and the look-up stops there.
fn parse_path(path: &str) -> impl Iterator<Item = Option<Step<'_>>> {
    let b = path.as_bytes();
    let mut i = 0;
    let name_end = move |from: usize| {
        from + b[from..]
            .iter()
            .position(|&c| matches!(c, b'.' | b'[' | b'#'))
            .unwrap_or(b.len() - from)
    };
    std::iter::from_fn(move || {
        if i >= b.len() {
            return None;
        }
        let step = match b[i] {
            b'.' => {
                let e = name_end(i + 1);
                let w = &path[i + 1..e];
                i = e;
                Some(word(w))
            }
            b'[' if b.get(i + 1) == Some(&b'"') => {
                let mut j = i + 2;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if j >= b.len() || b.get(j + 1) != Some(&b']') {
                    i = b.len();
                    return Some(None);
                }
                let key = &path[i + 1..j + 1];
                i = j + 2;
                Some(Step::Key(key))
            }
            b'[' => {
                let e = b[i..].iter().position(|&c| c == b']').map(|p| i + p);
                let n = e.and_then(|e| path[i + 1..e].parse::<u32>().ok());
                i = e.map_or(b.len(), |e| e + 1);
                n.map(Step::Index)
            }
            b'#' => {
                let rest = &path[i + 1..];
                i = b.len();
                (rest == "key").then_some(Step::KeyOf)
            }
            _ => {
                let e = name_end(i);
                let w = &path[i..e];
                i = e;
                Some(word(w))
            }
        };
        Some(step)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_nested_paths() {
        let src = r#"#![enable(implicit_some)]
Scenario(
    id: "x", // comment
    goals: {"signal": 1.0},
    nodes: [ (id: "a", time: Some("wk 1"), choices: [(id: "c", next: "b")]), /* (x) */ (id: "b") ],
    rules: [(kind: Within(target: "c", decisions: 3)), (kind: MustVisit("b"))],
)"#;
        let idx = SpanIndex::build(src);
        let at = |p: &str| &src[idx.get(p).unwrap_or_else(|| panic!("no span for {p}"))];
        assert_eq!(at("id"), "\"x\"");
        assert_eq!(at("goals[\"signal\"]"), "1.0");
        assert_eq!(at("goals[\"signal\"]#key"), "\"signal\"");
        assert_eq!(at("nodes[0].time"), "\"wk 1\"");
        assert_eq!(at("nodes[0].choices[0].next"), "\"b\"");
        assert_eq!(at("nodes[1].id"), "\"b\"");
        assert_eq!(at("rules[0].kind.target"), "\"c\"");
        assert_eq!(at("rules[1].kind.0"), "\"b\"");
        assert_eq!(at("nodes[1].id#key"), "id");
        // Falls back to the nearest ancestor.
        assert_eq!(idx.find("nodes[1].choices[4].next"), idx.get("nodes[1]"));
    }

    #[test]
    fn keys_with_delimiters_positional_fields_and_text_it_cannot_read() {
        let src = r#"(goals: {"a.b[c]": 1, "q\"x": 2}, nodes: [(id: "n", kind: Weird(1, "two")), (id: "m", bad: ], z: 3)])"#;
        let idx = SpanIndex::build(src);
        let at = |p: &str| idx.get(p).map(|r| &src[r]);
        assert_eq!(at(r#"goals["a.b[c]"]"#), Some("1"));
        assert_eq!(at(r#"goals["q\"x"]"#), Some("2"));
        assert_eq!(at(r#"goals["q\"x"]#key"#), Some(r#""q\"x""#));
        assert_eq!(at("nodes[0].kind.1"), Some("\"two\""));
        assert_eq!(at("nodes[0].kind.2"), None);
        assert_eq!(at("goals#anon"), None);
        // The walk stops at the stray `]` but keeps what it read before it.
        assert_eq!(at("nodes[1].id"), Some("\"m\""));
        assert_eq!(at("nodes[1].z"), None);
        let partial = idx.find("nodes[1].z").unwrap();
        assert!(src[partial].starts_with("(id: \"m\""));
    }

    #[test]
    fn survives_garbage() {
        for src in [
            "",
            "(((((",
            "[\"unterminated",
            "{1: }",
            "r###\"",
            "\u{0}\u{1}",
        ] {
            let _ = SpanIndex::build(src);
        }
        let deep = "[".repeat(10_000);
        let _ = SpanIndex::build(&deep);
    }
}
