//! Command `larmor ensemble`: switching probability over many stochastic trials, on all cores, in
//! shards, resumable.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::args::{helps, CampaignArgs, TrialFiles};
use crate::commands::Precision;
use crate::error::{HostError, Result};
use crate::exec::campaign::{Campaign, TrialResult};
use crate::exec::fingerprint::{meta_path, Fingerprint};
use crate::exec::pool::progress;
use crate::exec::resume::Journal;
use crate::exec::shard::Shard;
use crate::exec::stats::Tally;
use crate::exec::trials::{run_trials, Trials};
use crate::output::json::write_json;
use crate::output::plot::{draw, Panel, Series, BLUE};
use crate::output::trials::scan_rows;
use crate::scenario::Scenario;

/// Arguments of `larmor ensemble`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    ("trials", "Number of trials in the whole campaign (all shards)"),
    ("seed", "Seed: trial k uses the random stream (seed, k)"),
])))]
pub struct EnsembleArgs {
    /// Scenario file with a `[switching]` table (and usually `[thermal]`, `[stt]`; or a
    /// `[lattice]` or `[[layer]]` stack scenario with `[switching]`).
    pub scenario: PathBuf,
    /// Trials, seed, threads, resumption.
    #[command(flatten)]
    pub campaign: CampaignArgs,
    /// Run only shard i of n (contiguous trial ranges; merge with `larmor merge` or by
    /// concatenation).
    #[arg(long)]
    pub shard: Option<Shard>,
    /// The trial table and its summary.
    #[command(flatten)]
    pub files: TrialFiles,
    /// PNG: cumulative switching probability against time.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Scalar type.
    #[arg(long, value_enum, default_value_t = Precision::F64)]
    pub precision: Precision,
}

/// What the campaign's files and messages need of its scenario.
pub struct Source {
    /// File name.
    pub file: String,
    /// FNV-1a hash of its bytes.
    pub hash: u64,
    /// Read time (s): the end of the cumulative switching curve.
    pub read_time: f64,
}

/// A campaign of any scenario kind ([`prepare`]): a macrospin's (f64 or f32), a lattice's or a
/// layer stack's (boxed: they differ in size by orders of magnitude).
pub enum Prepared {
    /// A macrospin in f64.
    F64(Box<Campaign<f64>>),
    /// A macrospin in f32.
    F32(Box<Campaign<f32>>),
    /// An atomistic lattice (f64).
    Lattice(Box<crate::exec::lattice::LatticeCampaign>),
    /// Coupled layers (f64).
    Stack(Box<crate::exec::stack::StackCampaign>),
}

impl Trials for Prepared {
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        match self {
            Self::F64(c) => c.trial(seed, stream, trial),
            Self::F32(c) => c.trial(seed, stream, trial),
            Self::Lattice(c) => c.trial(seed, stream, trial),
            Self::Stack(c) => c.trial(seed, stream, trial),
        }
    }
    fn batch_len(&self) -> u64 {
        match self {
            Self::F64(c) => Trials::batch_len(&**c),
            Self::F32(c) => Trials::batch_len(&**c),
            Self::Lattice(c) => c.batch_len(),
            Self::Stack(c) => c.batch_len(),
        }
    }
    fn batch(&self, seed: u64, stream_base: u64, first: u64) -> Option<Vec<TrialResult>> {
        match self {
            Self::F64(c) => Trials::batch(&**c, seed, stream_base, first),
            Self::F32(c) => Trials::batch(&**c, seed, stream_base, first),
            Self::Lattice(c) => c.batch(seed, stream_base, first),
            Self::Stack(c) => c.batch(seed, stream_base, first),
        }
    }
}

/// The ensemble campaign of the scenario text `text` (named `file` in messages), whatever its
/// kind, in `precision` (lattices and stacks: f64 only), its trials one by one with
/// `one_by_one` (`--lanes 1`; same results). What `larmor ensemble` runs.
pub fn prepare(
    file: &str,
    text: &str,
    precision: Precision,
    one_by_one: bool,
) -> Result<(Prepared, Source)> {
    if crate::scenario::stack::is_stack(text) {
        let plan = crate::scenario::stack::from_text(file, text)?;
        if precision != Precision::F64 {
            return Err(HostError::input(format!(
                "{}: --precision f32: stack runs are f64 only",
                plan.file
            )));
        }
        let camp = crate::exec::stack::StackCampaign::new(&plan)?;
        let src = Source {
            file: plan.file.clone(),
            hash: plan.hash,
            read_time: plan.switching.map_or(plan.solver.duration, |s| s.read_time),
        };
        return Ok((Prepared::Stack(Box::new(camp)), src));
    }
    if crate::scenario::lattice::is_lattice(text) {
        let plan = crate::scenario::lattice::from_text(file, text)?;
        let Some(read_time) = plan.read_time else {
            return Err(HostError::input(format!(
                "{}: an ensemble needs a [switching] table (read_time = s; every trial starts at lattice.m0)",
                plan.file
            )));
        };
        if precision != Precision::F64 {
            return Err(HostError::input(format!(
                "{}: --precision f32: lattice runs are f64 only",
                plan.file
            )));
        }
        let camp = crate::exec::lattice::LatticeCampaign::new(&plan, read_time)?;
        let src = Source {
            file: plan.file.clone(),
            hash: plan.hash,
            read_time,
        };
        return Ok((Prepared::Lattice(Box::new(camp)), src));
    }
    let sc = Scenario::from_text(file, text)?;
    let camp = match precision {
        Precision::F64 => Prepared::F64(Box::new(Campaign::new(&sc)?.one_by_one_if(one_by_one))),
        Precision::F32 => Prepared::F32(Box::new(Campaign::new(&sc)?.one_by_one_if(one_by_one))),
    };
    let read_time = sc
        .plan
        .switching
        .as_ref()
        .map_or(sc.plan.solver.duration, |s| s.read_time);
    let src = Source {
        file: sc.file.clone(),
        hash: sc.hash,
        read_time,
    };
    Ok((camp, src))
}

/// Runs `larmor ensemble`.
pub fn run(args: &EnsembleArgs) -> Result<()> {
    let meta = meta_path(&args.files.out);
    let outputs = [
        ("--out", Some(args.files.out.as_path())),
        ("the fingerprint of --out", Some(meta.as_path())),
        ("--summary", args.files.summary.as_deref()),
        ("--plot", args.plot.as_deref()),
    ];
    let text = crate::scenario::locate::read_text(&args.scenario)?;
    crate::output::check_files(&[("scenario", args.scenario.as_path())], &outputs)?;
    let (camp, src) = prepare(
        &args.scenario.display().to_string(),
        &text,
        args.precision,
        args.campaign.lanes == 1,
    )?;
    ensemble_typed(&src, args, &camp, &args.campaign.threads.pool()?)
}

fn ensemble_typed<C: Trials>(
    sc: &Source,
    args: &EnsembleArgs,
    camp: &C,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    crate::exec::interrupt::install();
    let shard = args.shard.unwrap_or(Shard::ALL);
    let (trials, seed) = (
        args.campaign.trials("ensemble")?,
        args.campaign.seed("ensemble")?,
    );
    let range = shard.range(trials);
    let fp = Fingerprint {
        scenario: sc.hash,
        seed,
        trials,
        shard,
        precision: format!("{:?}", args.precision),
    };
    let fingerprint = fp.line();
    let journal = Journal::of(&args.files.out);
    let part = &journal.part;
    // trials already in the file: counted, not held (a campaign of any size runs in constant
    // memory; rows go to disk a chunk at a time)
    let mut done: u64 = 0;
    let mut file = if journal.exists() {
        if !args.campaign.resume {
            return Err(HostError::input(format!(
                "{} holds an interrupted campaign: add --resume to complete it, or delete it",
                part.display()
            )));
        }
        let old = journal.fingerprint();
        if old != fingerprint {
            return Err(HostError::input(format!(
                "--resume: {} belongs to a different campaign ({old}), not ({fingerprint})",
                part.display(),
            )));
        }
        let good_len = scan_rows(part, |r| {
            let i = done;
            done += 1;
            if r.trial == range.start + i {
                return Ok(());
            }
            Err(HostError::input(format!(
                "--resume: {} is not a prefix of this shard's trials (row {i} is trial {})",
                part.display(),
                r.trial
            )))
        })?;
        let f = journal.reopen(good_len)?;
        eprintln!(
            "resuming {}: {} of {} trials already done",
            part.display(),
            done,
            range.end - range.start
        );
        f
    } else {
        journal.start(&fingerprint, TrialResult::HEADER)?
    };
    let start = range.start + done;
    let pb = progress(range.end - range.start, "trials");
    pb.set_position(done);
    let t0 = std::time::Instant::now();
    let complete = journal.or_discard(|| {
        run_trials(camp, seed, 0, start..range.end, pool, &pb, |rows| {
            let mut buf = String::with_capacity(rows.len() * 64);
            for r in rows {
                buf.push_str(&r.csv_row());
            }
            journal.append(&mut file, &buf)?;
            done += rows.len() as u64;
            Ok(())
        })
    })?;
    pb.finish_and_clear();
    let wall = t0.elapsed().as_secs_f64();
    drop(file);
    if !complete {
        eprintln!(
            "interrupted: {} of {} trials saved in {}; run again with --resume to complete",
            done,
            range.end - range.start,
            part.display()
        );
        return Err(HostError {
            message: "interrupted".into(),
            code: 130,
        });
    }
    // the fingerprint stays next to the finished file: `merge` checks it
    fp.write_meta(&args.files.out, part, &sc.file)?;
    journal.complete(&args.files.out)?;
    // statistics from the file as written (rounded times), so a merge of shards gives the same
    let mut tally = Tally::default();
    scan_rows(&args.files.out, |r| {
        tally.add(&r);
        Ok(())
    })?;
    finish(
        sc,
        &args.files.out,
        &tally,
        args.files.summary.as_deref(),
        args.plot.as_deref(),
        wall,
    )
}

fn finish(
    sc: &Source,
    out: &Path,
    tally: &Tally,
    summary: Option<&Path>,
    plot: Option<&Path>,
    wall: f64,
) -> Result<()> {
    let s = tally.summary();
    if let Some(p) = summary {
        write_json(p, &s)?;
    }
    if let Some(p) = plot {
        let ts = tally.crossing_times();
        let n = tally.trials().max(1) as f64;
        let mut pts = vec![(0.0, 0.0)];
        for (i, t) in ts.iter().enumerate() {
            pts.push((t * 1e9, i as f64 / n));
            pts.push((t * 1e9, (i + 1) as f64 / n));
        }
        let read = sc.read_time;
        pts.push((read * 1e9, ts.len() as f64 / n));
        draw(
            p,
            &[Panel::new(
                format!(
                    "{}: P_sw = {:.4} [{:.4}, {:.4}] of {} trials",
                    sc.file, s.p_switch, s.p_low, s.p_high, s.trials
                ),
                "t (ns)",
                "fraction switched by t",
                vec![Series::new("cumulative switching probability", pts, BLUE)],
            )
            .y_range(0.0, 1.02)],
        )?;
    }
    eprintln!(
        "larmor ensemble: {} ({} trials in {:.2} s)",
        sc.file, s.trials, wall
    );
    eprintln!(
        "  switched  {} of {}: P_sw = {:.5} (Wilson 95%: {:.5} .. {:.5})",
        s.switched, s.trials, s.p_switch, s.p_low, s.p_high
    );
    if let (Some(mean), Some(med)) = (s.mean_t_switch, s.median_t_switch) {
        eprintln!(
            "  t_switch  mean {:.4} ns, median {:.4} ns",
            mean * 1e9,
            med * 1e9
        );
    }
    eprintln!("  wrote     {}", out.display());
    Ok(())
}
