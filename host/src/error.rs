//! Errors of every stage: each one becomes a single line on stderr and an exit code.

use std::fmt;

/// A user-facing error: one line, naming the file, key and line where known.
#[derive(Debug)]
pub struct HostError {
    /// The full one-line message (without the `error: ` prefix).
    pub message: String,
    /// Exit code (2 for bad input, 1 for runtime failures, 130 when interrupted).
    pub code: i32,
}

impl HostError {
    /// Bad input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: one_line(message.into()),
            code: 2,
        }
    }
    /// Failure while running (exit code 1).
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            message: one_line(message.into()),
            code: 1,
        }
    }
}

fn one_line(s: String) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HostError {}

/// Shorthand.
pub type Result<T> = std::result::Result<T, HostError>;
