//! Output stage: the one CSV writer (header + rows of numbers, written atomically) and the one
//! number format of the tabular commands (`sw`, `viscosity`, `sharrock`, range messages).

use std::io::Write;
use std::path::Path;

use crate::error::{HostError, Result};
use crate::output::AtomicFile;

/// A number for CSV/JSON-like text: the shortest representation that reads back exactly,
/// plain for moderate magnitudes, scientific otherwise.
pub fn num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 {
        "0".into()
    } else if (1e-4..1e7).contains(&a) || !a.is_finite() {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Writes a CSV (header + rows of numbers in [`num`] format) atomically.
pub fn write_csv(path: &Path, header: &str, rows: &[Vec<f64>]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    let io = |e: std::io::Error| HostError::runtime(format!("writing {}: {e}", path.display()));
    let w = f.writer();
    writeln!(w, "{header}").map_err(io)?;
    for r in rows {
        let line: Vec<String> = r.iter().map(|&x| num(x)).collect();
        writeln!(w, "{}", line.join(",")).map_err(io)?;
    }
    f.finish().map(|_| ())
}
