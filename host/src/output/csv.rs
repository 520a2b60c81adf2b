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

/// Writes a CSV (header + rows of numbers in [`num`] format) atomically. A NaN is a value that
/// does not apply (a column of another method, a theory that needs a distribution) and is
/// written as an empty field; an infinity is never written: the file is refused, naming the
/// column.
///
/// # Errors
/// An infinite value, or an I/O failure.
pub fn write_csv(path: &Path, header: &str, rows: &[Vec<f64>]) -> Result<()> {
    let names: Vec<&str> = header.split(',').collect();
    for r in rows {
        if let Some(i) = r.iter().position(|x| x.is_infinite()) {
            return Err(HostError::runtime(format!(
                "{}: column {} would hold {} (refused: no output file holds inf)",
                path.display(),
                names.get(i).copied().unwrap_or("?"),
                r[i]
            )));
        }
    }
    let mut f = AtomicFile::create(path)?;
    let io = |e: std::io::Error| HostError::runtime(format!("writing {}: {e}", path.display()));
    let w = f.writer();
    writeln!(w, "{header}").map_err(io)?;
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .map(|&x| if x.is_nan() { String::new() } else { num(x) })
            .collect();
        writeln!(w, "{}", line.join(",")).map_err(io)?;
    }
    f.finish().map(|_| ())
}
