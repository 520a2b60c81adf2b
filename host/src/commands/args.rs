//! Commands stage: the command-line option groups that several commands share, as clap
//! argument groups (`#[derive(clap::Args)]`, used with `#[command(flatten)]`), so an option is
//! named, parsed, defaulted and checked in one place wherever it appears.
//!
//! Where the commands mean the same by an option, its help is written here. Where the option
//! is the same but what it holds is the command's own (what `--trials` counts, the columns of
//! `--out`, the panels of `--plot`), the group leaves the help out and the command gives it at
//! the struct level with [`helps`]: `#[command(mut_args(helps(&[("out", "...")])))]`.
//! Struct-level methods run after the fields, so this is clap's way of overriding a flattened
//! argument; `mut_args` keeps the options in their order (`mut_arg` would move one to the end,
//! reordering the required options in the usage line and in clap's errors). The binary's tests
//! check that every option of every command has its help.

use std::path::{Path, PathBuf};

use clap::{Arg, Args};

use crate::error::{HostError, Result};
use crate::exec::pool::pool;
use crate::output::check_files;

/// The help of options given by flattened groups (`(id, help)`, the id being the field's name),
/// for `#[command(mut_args(helps(&[...])))]`; other options are left as they are.
pub fn helps(texts: &'static [(&'static str, &'static str)]) -> impl FnMut(Arg) -> Arg {
    move |a| match texts.iter().find(|(id, _)| a.get_id() == id) {
        Some((_, help)) => a.help(*help),
        None => a,
    }
}

/// `--threads`: the worker pool of a parallel command.
#[derive(Debug, Args)]
pub struct Threads {
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl Threads {
    /// The pool of `--threads` workers (all cores when not given); `--threads 0` is refused.
    pub fn pool(&self) -> Result<rayon::ThreadPool> {
        pool(self.threads)
    }
}

/// `--trials --seed --threads --resume`: a switching campaign, as `ensemble` runs it and
/// `sweep` runs one per point. The commands give the help of `--trials` (what it counts) and
/// `--seed` (which stream each trial draws) with [`helps`].
#[derive(Debug, Args)]
pub struct CampaignArgs {
    // number of trials (>= 1); required (`sweep --method fp|ams` lifts it: `sweep.rs`)
    #[arg(long, required = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    // seed of the trials' random streams; required (`sweep --method fp` lifts it)
    #[arg(long, required = true)]
    pub seed: Option<u64>,
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
    /// Complete an interrupted campaign (OUT.part) instead of refusing to overwrite it.
    #[arg(long)]
    pub resume: bool,
    /// Trials integrated side by side in SIMD lanes (fixed-step methods): 8, or 1 for one by
    /// one; results do not depend on it.
    #[arg(long, default_value = "8", value_parser = lanes_value)]
    pub lanes: u32,
}

impl CampaignArgs {
    /// `--trials` (`what`: the command and method that need it, for the message).
    pub fn trials(&self, what: &str) -> Result<u64> {
        self.trials
            .ok_or_else(|| HostError::input(format!("{what} needs --trials N")))
    }

    /// `--seed` (`what`: the command and method that need it, for the message).
    pub fn seed(&self, what: &str) -> Result<u64> {
        self.seed
            .ok_or_else(|| HostError::input(format!("{what} needs --seed S")))
    }
}

/// `--lanes`: 1 or 8.
fn lanes_value(s: &str) -> std::result::Result<u32, String> {
    match s {
        "1" => Ok(1),
        "8" => Ok(8),
        _ => Err(format!("{s:?}: allowed 1 (one by one) or 8 (side by side)")),
    }
}

/// `--out FILE --plot FILE.png`: a command's table and its optional plot. Every command using
/// it gives their help, its columns and panels, with [`helps`].
#[derive(Debug, Args)]
pub struct OutPlot {
    // the output CSV
    #[arg(long)]
    pub out: PathBuf,
    // the PNG plot
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

impl OutPlot {
    /// Checks `--out` and `--plot` before any work (the commands without an input file).
    pub fn check(&self) -> Result<()> {
        check_files(&[], &self.outputs())
    }

    /// `--out` and `--plot` as the `(option, path)` list that `check_files` and
    /// `load_scenario` check.
    pub fn outputs(&self) -> [(&'static str, Option<&Path>); 2] {
        [("--out", Some(&self.out)), ("--plot", self.plot.as_deref())]
    }

    /// The last summary line: `  wrote       OUT[, PLOT]`.
    pub fn wrote(&self) {
        eprintln!(
            "  wrote       {}{}",
            self.out.display(),
            self.plot
                .as_ref()
                .map(|p| format!(", {}", p.display()))
                .unwrap_or_default()
        );
    }
}

/// `--out TRIALS.csv --summary FILE.json`: the trial table of a campaign, as `ensemble` writes
/// it and `merge` joins shards of it, and its summary.
#[derive(Debug, Args)]
pub struct TrialFiles {
    /// TRIALS.csv, one row per trial (sorted by trial): trial, switched, t_switch (s), mx, my,
    /// mz.
    #[arg(long)]
    pub out: PathBuf,
    /// Summary JSON of the rows of --out: trials, switched, p_switch, Wilson 95 % p_low/p_high,
    /// mean and median t_switch.
    #[arg(long)]
    pub summary: Option<PathBuf>,
}
