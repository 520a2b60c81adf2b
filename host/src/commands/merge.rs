//! Command `larmor merge`: the TRIALS.csv files of shards into one campaign (+ summary), checked
//! for duplicate and missing trials.

use std::path::PathBuf;

use clap::Args;

use crate::error::{HostError, Result};
use crate::exec::campaign::TrialResult;
use crate::exec::stats::Summary;
use crate::output::json::write_json;
use crate::output::trials::read_rows_strict;
use crate::output::{check_files, write_atomic};

/// Arguments of `larmor merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files (any order).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Merged TRIALS.csv (rows sorted by trial).
    #[arg(long)]
    pub out: PathBuf,
    /// Summary JSON of the merged campaign.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Expected number of trials (checks that none is missing).
    #[arg(long)]
    pub trials: Option<u64>,
}

/// Runs `larmor merge`.
pub fn merge(args: &MergeArgs) -> Result<()> {
    let inputs: Vec<(&str, &std::path::Path)> =
        args.inputs.iter().map(|p| ("shard", p.as_path())).collect();
    check_files(
        &inputs,
        &[
            ("--out", Some(&args.out)),
            ("--summary", args.summary.as_deref()),
        ],
    )?;
    let mut rows = Vec::new();
    for p in &args.inputs {
        rows.extend(read_rows_strict(p)?);
    }
    rows.sort_by_key(|r| r.trial);
    for w in rows.windows(2) {
        if w[0].trial == w[1].trial {
            return Err(HostError::input(format!(
                "trial {} appears twice in the inputs",
                w[0].trial
            )));
        }
    }
    let expected = args.trials.unwrap_or(rows.len() as u64);
    let complete =
        rows.len() as u64 == expected && rows.iter().enumerate().all(|(i, r)| r.trial == i as u64);
    if !complete {
        let missing = (0..expected).find(|t| rows.binary_search_by_key(t, |r| r.trial).is_err());
        return Err(HostError::input(format!(
            "merged rows are not trials 0..{expected} (first missing: {})",
            missing
                .map(|m| m.to_string())
                .unwrap_or_else(|| "none; extra trials present".into())
        )));
    }
    let mut text = String::from(TrialResult::HEADER);
    text.push('\n');
    for r in &rows {
        text.push_str(&r.csv_row());
    }
    write_atomic(&args.out, text.as_bytes())?;
    let s = Summary::of(&rows);
    if let Some(p) = &args.summary {
        write_json(p, &s)?;
    }
    eprintln!(
        "larmor merge: {} trials from {} files: P_sw = {:.5} (Wilson 95%: {:.5} .. {:.5}); wrote {}",
        s.trials,
        args.inputs.len(),
        s.p_switch,
        s.p_low,
        s.p_high,
        args.out.display()
    );
    Ok(())
}
