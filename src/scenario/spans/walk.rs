//! The walk behind [`super::SpanIndex`]: one pass over RON text that records every value's
//! byte range and how it is reached from its parent (field name, list index, map key). It never
//! panics: on text it does not understand it stops and keeps what it read.

use super::{Child, NONE, Seg, Value};

/// Deepest nesting the walker follows.
const MAX_DEPTH: usize = 256;

/// Walks `src` (shorter than `u32::MAX` bytes): its values (the top-level one first), their
/// children side by side, and the map keys as paths spell them.
pub(super) fn walk(src: &str) -> (Vec<Value>, Vec<Child>, Vec<String>) {
    let mut w = Walker {
        src: src.as_bytes(),
        pos: 0,
        depth: 0,
        values: Vec::new(),
        children: Vec::new(),
        pending: Vec::new(),
        keys: Vec::new(),
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
    let _ = w.value();
    (w.values, w.children, w.keys)
}

struct Walker<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
    values: Vec<Value>,
    children: Vec<Child>,
    /// Children of the composites being read, innermost last; each composite moves its own to
    /// `children` when it closes, so every value's children end up side by side.
    pending: Vec<Child>,
    keys: Vec<String>,
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

    /// A new value starting here; its span and children are filled in when it closes.
    fn open(&mut self) -> u32 {
        let id = self.values.len() as u32;
        self.values.push(Value {
            start: self.pos as u32,
            end: self.pos as u32,
            kids: (0, 0),
            key: (NONE, NONE),
        });
        id
    }

    /// Closes value `id` at the current position, with the children read since `mark`.
    fn close(&mut self, id: u32, mark: usize) {
        let first = self.children.len() as u32;
        self.children.extend(self.pending.drain(mark..));
        let v = &mut self.values[id as usize];
        v.end = self.pos as u32;
        v.kids = (first, self.children.len() as u32);
    }

    /// Reads one value. A composite that breaks off is still closed and handed back as
    /// `Err(Some(id))`, so that what was read inside it can be found.
    fn value(&mut self) -> Result<u32, Option<u32>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(None);
        }
        self.skip_ws();
        let id = self.open();
        let mark = self.pending.len();
        let read = self.read(id);
        match read {
            // `Some(x)`: the inner value, already closed, stands for this one.
            Some(inner) if inner != id => {}
            _ => self.close(id, mark),
        }
        self.depth -= 1;
        read.ok_or(Some(id))
    }

    fn read(&mut self, id: u32) -> Option<u32> {
        let start = self.pos;
        let c = self.peek()?;
        match c {
            b'"' | b'\'' => {
                self.string()?;
            }
            b'r' | b'b' if matches!(self.src.get(self.pos + 1), Some(b'"' | b'#' | b'r')) => {
                self.string()?;
            }
            b'[' => {
                let mut i = 0;
                self.items(b']', |w| {
                    let v = w.value();
                    w.child(Seg::Index(i), v)?;
                    i += 1;
                    Some(())
                })?;
            }
            b'{' => {
                self.items(b'}', |w| {
                    let kstart = w.pos;
                    let key = if matches!(w.peek(), Some(b'"' | b'\'')) {
                        w.string()?
                    } else {
                        // A key that is not a string is named by its text.
                        w.value().ok()?;
                        String::from_utf8_lossy(&w.src[kstart..w.pos]).into_owned()
                    };
                    let kend = w.pos;
                    w.skip_ws();
                    if w.peek()? != b':' {
                        return None;
                    }
                    w.pos += 1;
                    let v = w.value();
                    w.keys.push(format!("{key:?}"));
                    let k = w.keys.len() as u32 - 1;
                    w.keyed(v, kstart, kend);
                    w.child(Seg::Key(k), v)?;
                    Some(())
                })?;
            }
            b'(' => self.fields()?,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let is_some = self.ident()? == "Some";
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    if is_some {
                        // Transparent: the inner value stands for this one.
                        self.pos += 1;
                        let inner = self.value().ok()?;
                        self.skip_ws();
                        if self.peek() == Some(b',') {
                            self.pos += 1;
                            self.skip_ws();
                        }
                        if self.peek()? != b')' {
                            return None;
                        }
                        self.pos += 1;
                        return Some(inner);
                    }
                    self.fields()?;
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
        Some(id)
    }

    /// Records `v` as a child reached by `seg`, even one that broke off; passes the failure on.
    fn child(&mut self, seg: Seg, v: Result<u32, Option<u32>>) -> Option<()> {
        if let Ok(id) | Err(Some(id)) = v {
            self.pending.push(Child { seg, value: id });
        }
        v.ok().map(|_| ())
    }

    /// Notes where the key (field name or map key) of value `v` is written.
    fn keyed(&mut self, v: Result<u32, Option<u32>>, start: usize, end: usize) {
        if let Ok(id) | Err(Some(id)) = v {
            self.values[id as usize].key = (start as u32, end as u32);
        }
    }

    /// The inside of `( … )`: named fields or positional values.
    fn fields(&mut self) -> Option<()> {
        let mut i = 0;
        self.items(b')', |w| {
            match w.peek()? {
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let save = w.pos;
                    let len = w.ident()?.len();
                    w.skip_ws();
                    if w.peek() == Some(b':') {
                        w.pos += 1;
                        let v = w.value();
                        w.keyed(v, save, save + len);
                        w.child(Seg::Name(save as u32, (save + len) as u32), v)?;
                    } else {
                        w.pos = save;
                        let v = w.value();
                        w.child(Seg::Index(i), v)?;
                        i += 1;
                    }
                }
                _ => {
                    let v = w.value();
                    w.child(Seg::Index(i), v)?;
                    i += 1;
                }
            }
            Some(())
        })
    }

    /// The items of a list, map or tuple, from the opening bracket to `close`: skips commas
    /// and white space and reads each item with `item`.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek()? {
                c if c == close => {
                    self.pos += 1;
                    return Some(());
                }
                b',' => self.pos += 1,
                _ => item(self)?,
            }
        }
    }
}
