//! Output stage: the fixed-format rows of `TRIALS.csv` (ensembles, shards, merges) and of a
//! sweep's summary CSV. Fixed formatting makes files byte-identical across runs, threads and
//! shards; [`TrialResult::parse`] reads a trials row back (resume, merge).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::error::{HostError, Result};
use crate::exec::campaign::TrialResult;
use crate::exec::stats::Summary;

impl TrialResult {
    /// The CSV header of TRIALS.csv.
    pub const HEADER: &'static str = "trial,switched,t_switch,mx,my,mz";

    /// One CSV row (fixed formatting, so files are byte-identical across runs).
    pub fn csv_row(&self) -> String {
        let t = self
            .t_switch
            .map(|t| format!("{t:.6e}"))
            .unwrap_or_default();
        format!(
            "{},{},{},{:.9},{:.9},{:.9}\n",
            self.trial, self.switched as u8, t, self.m[0], self.m[1], self.m[2]
        )
    }

    /// Parses a row written by [`TrialResult::csv_row`].
    pub fn parse(line: &str) -> Option<Self> {
        let f: Vec<&str> = line.trim_end().split(',').collect();
        if f.len() != 6 {
            return None;
        }
        Some(Self {
            trial: f[0].parse().ok()?,
            switched: match f[1] {
                "0" => false,
                "1" => true,
                _ => return None,
            },
            t_switch: if f[2].is_empty() {
                None
            } else {
                Some(f[2].parse().ok()?)
            },
            m: [f[3].parse().ok()?, f[4].parse().ok()?, f[5].parse().ok()?],
        })
    }
}

/// Reads a trials file one row at a time (memory independent of its length), handing each
/// complete row to `each`; returns the byte length of the header and those rows (a torn last
/// line, from a kill, is dropped and not counted).
pub fn scan_rows(path: &Path, mut each: impl FnMut(TrialResult) -> Result<()>) -> Result<u64> {
    let f = File::open(path)
        .map_err(|e| HostError::input(format!("cannot read {}: {e}", path.display())))?;
    let mut r = BufReader::new(f);
    let mut line = String::new();
    let mut good_len = 0u64;
    let mut first = true;
    loop {
        line.clear();
        let n = r
            .read_line(&mut line)
            .map_err(|e| HostError::input(format!("reading {}: {e}", path.display())))?;
        if n == 0 || !line.ends_with('\n') {
            break; // end, or a torn last line from a kill: dropped
        }
        if first {
            if line.trim_end() != TrialResult::HEADER {
                return Err(HostError::input(format!(
                    "{}: not a trials file (header must be `{}`)",
                    path.display(),
                    TrialResult::HEADER
                )));
            }
            first = false;
        } else {
            match TrialResult::parse(&line) {
                Some(row) => each(row)?,
                None => break,
            }
        }
        good_len += n as u64;
    }
    Ok(good_len)
}

/// Every row of a finished trials file, strictly (what `merge` reads): the header first, every
/// line a complete trial row ending in a newline. An empty file, a foreign header, a row that
/// does not parse or a file cut mid-line is refused, naming the file and line.
pub fn read_rows_strict(path: &Path) -> Result<Vec<TrialResult>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| HostError::input(format!("cannot read {}: {e}", path.display())))?;
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        None => {
            return Err(HostError::input(format!(
                "{}: empty file (no header)",
                path.display()
            )))
        }
        Some(h) if h.trim_end() != TrialResult::HEADER => {
            return Err(HostError::input(format!(
                "{}:1: not a trials file (header must be `{}`)",
                path.display(),
                TrialResult::HEADER
            )))
        }
        Some(_) => {}
    }
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if !line.ends_with('\n') {
            return Err(HostError::input(format!(
                "{}:{n}: the file ends mid-line (an interrupted shard? complete it with ensemble --resume)",
                path.display()
            )));
        }
        match TrialResult::parse(line) {
            Some(r) => rows.push(r),
            None => {
                let shown: String = line.trim_end().chars().take(80).collect();
                return Err(HostError::input(format!(
                    "{}:{n}: not a trial row: `{shown}`",
                    path.display()
                )));
            }
        }
    }
    Ok(rows)
}

/// The header of a sweep's CSV.
pub const SWEEP_HEADER: &str =
    "value,trials,switched,p_switch,p_low,p_high,wer,mean_t_switch,median_t_switch";

/// Columns of a sweep's CSV by `--method fp` or `ams`.
pub const WER_SWEEP_HEADER: &str = "value,wer,wer_low,wer_high,p_switch,std_error";

/// One row of a sweep's CSV by `--method fp` or `ams`: the varied value, the write-error rate
/// and its interval, `1 - wer`, and the standard error (ams; empty for fp, whose interval is
/// the discretisation-error estimate).
pub fn wer_sweep_row(value: f64, wer: f64, low: f64, high: f64, se: Option<f64>) -> String {
    let se = se.map(|x| format!("{x:.6e}")).unwrap_or_default();
    format!(
        "{value:.6e},{wer:.6e},{low:.6e},{high:.6e},{:.12},{se}\n",
        1.0 - wer
    )
}

/// One row of a sweep's CSV: the varied value and the summary of its ensemble.
pub fn sweep_row(value: f64, s: &Summary) -> String {
    let opt = |x: Option<f64>| x.map(|t| format!("{t:.6e}")).unwrap_or_default();
    format!(
        "{value:.6e},{},{},{:.6},{:.6},{:.6},{:.6e},{},{}\n",
        s.trials,
        s.switched,
        s.p_switch,
        s.p_low,
        s.p_high,
        1.0 - s.p_switch,
        opt(s.mean_t_switch),
        opt(s.median_t_switch)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip() {
        let r = TrialResult {
            trial: 7,
            switched: true,
            t_switch: Some(3.25e-9),
            m: [0.1, -0.2, 0.97],
        };
        assert_eq!(
            TrialResult::parse(&r.csv_row()).unwrap().csv_row(),
            r.csv_row()
        );
        let r = TrialResult {
            trial: 8,
            switched: false,
            t_switch: None,
            m: [0.0, 0.0, -1.0],
        };
        assert_eq!(TrialResult::parse(&r.csv_row()), Some(r));
    }
}
