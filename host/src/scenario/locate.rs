//! Scenario stage: the key-to-line locator. Every input error names `FILE:LINE` of the key it is
//! about (TOML syntax errors, schema errors, kernel validation errors).

use std::ops::Range;
use std::path::Path;

use crate::error::{HostError, Result};

/// Longest message text kept from a parser error (a huge value is not echoed whole).
const MAX_MESSAGE: usize = 240;

/// `text` cut to at most `max` characters, marked with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}... (cut)")
}

/// Source text with a way to find the line of a dotted key.
pub struct Source<'a> {
    file: &'a str,
    text: &'a str,
    doc: Option<toml_edit::ImDocument<&'a str>>,
}

impl<'a> Source<'a> {
    /// Wraps a file's text.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            doc: toml_edit::ImDocument::parse(text).ok(),
        }
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    /// Span of a dotted key path (`magnet.ms`); falls back to the `magnet.` prefix and to the
    /// deepest key that exists.
    fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let try_path = |p: &str| {
            let mut item = doc.as_item();
            let mut best = None;
            for seg in p.split('.') {
                // array-of-tables: look into the first element
                let next = match item {
                    toml_edit::Item::ArrayOfTables(a) => a.get(0).and_then(|t| t.get(seg)),
                    _ => item.get(seg),
                };
                match next {
                    Some(n) => {
                        item = n;
                        best = n.span().or(best);
                    }
                    None => return (best, false),
                }
            }
            (best, true)
        };
        let (s, full) = try_path(path);
        if full {
            return s;
        }
        let (s2, full2) = try_path(&format!("magnet.{path}"));
        if full2 {
            return s2;
        }
        s.or(s2)
    }

    /// `FILE:LINE: message` for a key path, `FILE: message` if the key is not found.
    pub fn at_key(&self, path: &str, message: impl std::fmt::Display) -> HostError {
        match self.span_of(path) {
            Some(sp) => HostError::input(format!(
                "{}:{}: {message}",
                self.file,
                self.line_of_offset(sp.start)
            )),
            None => HostError::input(format!("{}: {message}", self.file)),
        }
    }

    /// Converts a TOML deserialisation error into a one-line error with the line number and the
    /// dotted key whose value it is about (when the error points into a value).
    pub fn toml_error(&self, e: &toml::de::Error) -> HostError {
        let line = e.span().map(|s| self.line_of_offset(s.start));
        let msg = shorten(&e.message().trim().replace('\n', " "), MAX_MESSAGE);
        let key = e.span().and_then(|sp| self.key_at(sp.start));
        let msg = match key {
            Some(k) => format!("{k}: {msg}"),
            None => msg,
        };
        match line {
            Some(l) => HostError::input(format!("{}:{l}: {msg}", self.file)),
            None => HostError::input(format!("{}: {msg}", self.file)),
        }
    }

    /// The dotted path of the innermost key whose value contains byte `offset`.
    fn key_at(&self, offset: usize) -> Option<String> {
        fn walk(item: &toml_edit::Item, offset: usize, path: &mut Vec<String>) -> bool {
            let table: Option<&dyn toml_edit::TableLike> = match item {
                toml_edit::Item::Table(t) => Some(t),
                toml_edit::Item::Value(toml_edit::Value::InlineTable(t)) => Some(t),
                _ => None,
            };
            if let Some(t) = table {
                for (k, v) in t.iter() {
                    let inside = v.span().is_some_and(|sp| sp.contains(&offset));
                    if inside || (v.is_table() && contains_offset(v, offset)) {
                        path.push(k.to_string());
                        walk(v, offset, path);
                        return true;
                    }
                }
            }
            if let toml_edit::Item::ArrayOfTables(a) = item {
                for (i, t) in a.iter().enumerate() {
                    if t.span().is_some_and(|sp| sp.contains(&offset)) {
                        if let Some(last) = path.last_mut() {
                            last.push_str(&format!("[{i}]"));
                        }
                        walk(&toml_edit::Item::Table(t.clone()), offset, path);
                        return true;
                    }
                }
            }
            false
        }
        fn contains_offset(item: &toml_edit::Item, offset: usize) -> bool {
            item.as_table_like().is_some_and(|t| {
                t.iter().any(|(_, v)| {
                    v.span().is_some_and(|sp| sp.contains(&offset)) || contains_offset(v, offset)
                })
            })
        }
        let doc = self.doc.as_ref()?;
        let mut path = Vec::new();
        walk(doc.as_item(), offset, &mut path);
        (!path.is_empty()).then(|| path.join("."))
    }

    /// Converts a kernel validation error, locating the parameter it names.
    pub fn kernel_error(&self, e: &larmor::Error) -> HostError {
        let path = match e {
            larmor::Error::OutOfRange { param, .. }
            | larmor::Error::ZeroVector { param }
            | larmor::Error::NotOrthogonal { param, .. }
            | larmor::Error::NotAxial { param } => param.to_string(),
            larmor::Error::DemagSum { .. } => "magnet.demag".into(),
            larmor::Error::Capacity { what, .. } => what.to_string(),
            _ => String::new(),
        };
        self.at_key(&path, e)
    }
}

/// Reads and parses a file; returns its text (for error locations) and the raw scenario.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| HostError::input(format!("cannot read scenario {}: {e}", path.display())))
}

/// Parses TOML text into `T` with one-line, line-numbered errors.
pub fn parse_toml<T: serde::de::DeserializeOwned>(src: &Source<'_>) -> Result<T> {
    toml::from_str(src.text).map_err(|e| src.toml_error(&e))
}
