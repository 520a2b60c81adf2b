//! Output stage: summary JSON files (pretty-printed, newline-terminated, written atomically).

use std::path::Path;

use crate::error::{HostError, Result};
use crate::output::write_atomic;

/// Writes `value` as pretty JSON plus a final newline to `path`, atomically.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let json =
        serde_json::to_string_pretty(value).map_err(|e| HostError::runtime(e.to_string()))?;
    write_atomic(path, (json + "\n").as_bytes())
}
