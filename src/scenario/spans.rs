//! Where each value of a RON file sits: a structural walk that maps value paths to byte spans.
//!
//! serde forgets positions once a file is deserialized; semantic checks still need to point at
//! the exact text. After `ron` has accepted a file, this walker reads the same text once more and
//! records, for every value, its path (`nodes[3].choices[1].next`) and byte range. Map entries get
//! `goals["signal"]` for the value and `goals["signal"]#key` for the key. `Some(x)` is transparent,
//! so paths do not depend on whether a trainer wrote the `Some`.
//!
//! The walker never panics: on text it does not understand it stops and keeps what it found.

use std::collections::HashMap;
use std::ops::Range;

/// Deepest nesting the walker follows.
const MAX_DEPTH: usize = 256;

/// Value paths mapped to byte spans.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    spans: HashMap<String, Range<usize>>,
}

impl SpanIndex {
    /// Walks `src` and records the span of every value.
    pub fn build(src: &str) -> SpanIndex {
        let mut w = Walker {
            src: src.as_bytes(),
            pos: 0,
            depth: 0,
            out: HashMap::new(),
        };
        w.skip_ws();
        // Inner attributes such as `#![enable(implicit_some)]`.
        while w.peek() == Some(b'#') {
            while let Some(c) = w.peek() {
                w.pos += 1;
                if c == b']' {
                    break;
                }
            }
            w.skip_ws();
        }
        let _ = w.value(String::new());
        SpanIndex { spans: w.out }
    }

    /// The span of the value at `path`, or of its nearest recorded ancestor.
    pub fn find(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.clone());
            }
            let cut = p.rfind(['.', '[', '#'])?;
            p = &p[..cut];
        }
    }

    /// The span of exactly `path`, without falling back.
    pub fn get(&self, path: &str) -> Option<Range<usize>> {
        self.spans.get(path).cloned()
    }
}

struct Walker<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
    out: HashMap<String, Range<usize>>,
}

fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    let mut level = 1;
                    while level > 0 && self.pos < self.src.len() {
                        if self.src[self.pos..].starts_with(b"/*") {
                            level += 1;
                            self.pos += 2;
                        } else if self.src[self.pos..].starts_with(b"*/") {
                            level -= 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        // Raw identifiers `r#name`.
        if self.pos == start + 1 && self.src[start] == b'r' && self.peek() == Some(b'#') {
            self.pos += 1;
            return self.ident();
        }
        std::str::from_utf8(&self.src[start..self.pos]).ok()
    }

    /// Reads a string literal and returns its decoded text (escapes handled loosely).
    fn string(&mut self) -> Option<String> {
        if self.peek() == Some(b'r') || self.peek() == Some(b'b') {
            self.pos += 1;
            if self.peek() == Some(b'r') {
                self.pos += 1;
            }
            let mut hashes = 0;
            while self.peek() == Some(b'#') {
                hashes += 1;
                self.pos += 1;
            }
            if self.peek() != Some(b'"') {
                return None;
            }
            self.pos += 1;
            let start = self.pos;
            loop {
                let c = self.peek()?;
                self.pos += 1;
                if c == b'"'
                    && self.src.len() >= self.pos + hashes
                    && self.src[self.pos..self.pos + hashes]
                        .iter()
                        .all(|&h| h == b'#')
                {
                    let text = String::from_utf8_lossy(&self.src[start..self.pos - 1]).into_owned();
                    self.pos += hashes;
                    return Some(text);
                }
            }
        }
        let quote = self.peek()?;
        self.pos += 1;
        let mut text = Vec::new();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            if c == b'\\' {
                if let Some(e) = self.peek() {
                    self.pos += 1;
                    text.push(e);
                }
            } else if c == quote {
                return Some(String::from_utf8_lossy(&text).into_owned());
            } else {
                text.push(c);
            }
        }
    }

    fn value(&mut self, path: String) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        let c = self.peek()?;
        let mut transparent = false;
        match c {
            b'"' | b'\'' => {
                self.string()?;
            }
            b'r' | b'b' if matches!(self.src.get(self.pos + 1), Some(b'"' | b'#' | b'r')) => {
                self.string()?;
            }
            b'[' => {
                self.pos += 1;
                let mut i = 0;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => {
                            self.value(format!("{path}[{i}]"))?;
                            i += 1;
                        }
                    }
                }
            }
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => {
                            let kstart = self.pos;
                            let key = if matches!(self.peek(), Some(b'"' | b'\'')) {
                                self.string()?
                            } else {
                                self.value(format!("{path}#anon"))?;
                                String::from_utf8_lossy(&self.src[kstart..self.pos]).into_owned()
                            };
                            let kpath = format!("{path}[{key:?}]");
                            self.out.insert(format!("{kpath}#key"), kstart..self.pos);
                            self.skip_ws();
                            if self.peek()? != b':' {
                                return None;
                            }
                            self.pos += 1;
                            self.value(kpath)?;
                        }
                    }
                }
            }
            b'(' => self.fields(&path)?,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.ident()?.to_string();
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    if name == "Some" {
                        transparent = true;
                        self.pos += 1;
                        self.value(path.clone())?;
                        self.skip_ws();
                        if self.peek() == Some(b',') {
                            self.pos += 1;
                            self.skip_ws();
                        }
                        if self.peek()? != b')' {
                            return None;
                        }
                        self.pos += 1;
                    } else {
                        self.fields(&path)?;
                    }
                }
            }
            _ => {
                // Numbers and other scalars: up to the next delimiter.
                while let Some(c) = self.peek() {
                    if c.is_ascii_whitespace() || matches!(c, b',' | b')' | b']' | b'}' | b':') {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
            }
        }
        if !transparent {
            self.out.insert(path, start..self.pos);
        }
        self.depth -= 1;
        Some(())
    }

    /// The inside of `( … )`: named fields or positional values.
    fn fields(&mut self, path: &str) -> Option<()> {
        self.pos += 1;
        let mut i = 0;
        loop {
            self.skip_ws();
            match self.peek()? {
                b')' => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => self.pos += 1,
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let save = self.pos;
                    let name = self.ident()?.to_string();
                    self.skip_ws();
                    if self.peek() == Some(b':') {
                        let fpath = join(path, &name);
                        self.out
                            .insert(format!("{fpath}#key"), save..save + name.len());
                        self.pos += 1;
                        self.value(fpath)?;
                    } else {
                        self.pos = save;
                        self.value(join(path, &i.to_string()))?;
                        i += 1;
                    }
                }
                _ => {
                    self.value(join(path, &i.to_string()))?;
                    i += 1;
                }
            }
        }
    }
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
