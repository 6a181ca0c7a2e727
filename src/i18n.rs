//! The interface strings in Dutch and English, shared by the desktop app and the terminal
//! player, and the words the core puts in front of a trainee (the reasons of a verdict).
//!
//! The tables live in `assets/i18n/*.ron` and are compiled into the binary.

use std::collections::HashMap;

/// Interface strings in one language.
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: String,
    strings: HashMap<String, String>,
}

const NL: &str = include_str!("../assets/i18n/nl.ron");
const EN: &str = include_str!("../assets/i18n/en.ron");

impl Tr {
    /// The strings of `lang` ("nl" or "en"; anything else falls back to Dutch).
    pub fn new(lang: &str) -> Tr {
        let (lang, src) = if lang == "en" { ("en", EN) } else { ("nl", NL) };
        let strings = ron::from_str(src).unwrap_or_default();
        Tr {
            lang: lang.to_string(),
            strings,
        }
    }
    /// The text for `key`, or the key itself when missing (visible, never a crash).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }
    /// The text for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
    /// Every key of the table (for tests: both languages define the same keys).
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.strings.keys()
    }
}

/// A share as a whole percentage, e.g. "45%". Rounded down, so a score just below a floor
/// never reads as equal to it.
pub fn percent(x: f64) -> String {
    format!("{}%", ((x * 100.0) + 1e-9).floor().max(0.0) as i64)
}
