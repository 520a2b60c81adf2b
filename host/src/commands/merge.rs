//! Command `larmor merge`: the TRIALS.csv files of shards into one campaign (+ summary), checked
//! for duplicate and missing trials and, through their fingerprints (`OUT.meta`), for shards of
//! different campaigns.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::args::TrialFiles;
use crate::error::{HostError, Result};
use crate::exec::campaign::TrialResult;
use crate::exec::fingerprint::{meta_path, Meta};
use crate::exec::shard::Shard;
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
    /// The merged trial table and its summary.
    #[command(flatten)]
    pub files: TrialFiles,
    /// Expected number of trials (checks that none is missing) [default: the campaign's, from
    /// the shards' fingerprints].
    #[arg(long)]
    pub trials: Option<u64>,
}

/// Runs `larmor merge`.
pub fn merge(args: &MergeArgs) -> Result<()> {
    let metas: Vec<PathBuf> = args.inputs.iter().map(|p| meta_path(p)).collect();
    let mut inputs: Vec<(&str, &Path)> =
        args.inputs.iter().map(|p| ("shard", p.as_path())).collect();
    inputs.extend(metas.iter().map(|p| ("shard fingerprint", p.as_path())));
    let out_meta = meta_path(&args.files.out);
    check_files(
        &inputs,
        &[
            ("--out", Some(&args.files.out)),
            ("the fingerprint of --out", Some(&out_meta)),
            ("--summary", args.files.summary.as_deref()),
        ],
    )?;
    let mut rows = Vec::new();
    let mut first: Option<(Meta, &Path)> = None;
    let mut unchecked = Vec::new();
    for p in &args.inputs {
        let shard_rows = read_rows_strict(p)?;
        match Meta::of(p)? {
            Some(meta) => {
                check_range(p, &meta, &shard_rows)?;
                match &first {
                    Some((m0, p0)) => m0.same_campaign(p0, &meta, p)?,
                    None => first = Some((meta, p)),
                }
            }
            None => unchecked.push(p.display().to_string()),
        }
        rows.extend(shard_rows);
    }
    if !unchecked.is_empty() {
        eprintln!(
            "warning: no campaign fingerprint (FILE.meta) next to {}: merged without checking that they belong to one campaign",
            unchecked.join(", ")
        );
    }
    let campaign_trials = first.as_ref().and_then(|(m, _)| m.shard()).map(|s| s.1);
    if let (Some(t), Some(c), Some((m, _))) = (args.trials, campaign_trials, &first) {
        if t != c {
            return Err(HostError::input(format!(
                "--trials {t}: the shards are of a campaign of {c} trials ({})",
                m.path.display()
            )));
        }
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
    let expected = args.trials.or(campaign_trials).unwrap_or(rows.len() as u64);
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
    write_atomic(&args.files.out, text.as_bytes())?;
    // the merged file is the whole campaign: it carries the fingerprint of a single run when
    // every shard carried one, and none (not a stale one) otherwise
    let merged = first
        .as_ref()
        .filter(|_| unchecked.is_empty())
        .and_then(|(m, _)| Some((m.fingerprint()?, m.get("source")?.clone())));
    match merged {
        Some((mut fp, source)) => {
            fp.shard = Shard::ALL;
            fp.write_meta(&args.files.out, &args.files.out, &source)?;
        }
        None => {
            let _ = std::fs::remove_file(&out_meta);
        }
    }
    let s = Summary::of(&rows);
    if let Some(p) = &args.files.summary {
        write_json(p, &s)?;
    }
    eprintln!(
        "larmor merge: {} trials from {} files: P_sw = {:.5} (Wilson 95%: {:.5} .. {:.5}); wrote {}",
        s.trials,
        args.inputs.len(),
        s.p_switch,
        s.p_low,
        s.p_high,
        args.files.out.display()
    );
    Ok(())
}

/// Every row of a fingerprinted shard lies in the trial range of its shard.
fn check_range(p: &Path, meta: &Meta, rows: &[TrialResult]) -> Result<()> {
    let Some((shard, trials)) = meta.shard() else {
        return Ok(());
    };
    let range = shard.range(trials);
    match rows.iter().position(|r| !range.contains(&r.trial)) {
        Some(i) => Err(HostError::input(format!(
            "{}:{}: trial {} is outside its shard {}/{} of {trials} trials (allowed {}..{}, per {})",
            p.display(),
            i + 2,
            rows[i].trial,
            shard.index,
            shard.count,
            range.start,
            range.end,
            meta.path.display()
        ))),
        None => Ok(()),
    }
}
