//! `larmor ensemble` (switching probability over many stochastic trials, on all cores, in shards,
//! resumable) and `larmor merge` (shards into one campaign).

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use crate::commands::run::Precision;
use crate::error::{HostError, Result};
use crate::exec::campaign::{Campaign, Summary, TrialResult};
use crate::output::plot::{draw, Panel, Series};
use crate::output::{check_writable, part_path, write_atomic};
use crate::scenario::Scenario;

/// A shard `i/n`: this process runs trials `[i N / n, (i+1) N / n)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Index, 0-based.
    pub index: u64,
    /// Count.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or("expected i/n, e.g. 0/4")?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{i}` is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: allowed 0 <= i < n, n >= 1"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The trial range of this shard out of `trials`.
    pub fn range(&self, trials: u64) -> std::ops::Range<u64> {
        let lo = (self.index as u128 * trials as u128 / self.count as u128) as u64;
        let hi = ((self.index + 1) as u128 * trials as u128 / self.count as u128) as u64;
        lo..hi
    }
}

/// Arguments of `larmor ensemble`.
#[derive(Debug, Args)]
pub struct EnsembleArgs {
    /// Scenario file with a `[switching]` table (and usually `[thermal]`, `[stt]`).
    pub scenario: PathBuf,
    /// Number of trials in the whole campaign (all shards).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: u64,
    /// Seed: trial k uses the random stream (seed, k).
    #[arg(long)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only shard i of n (contiguous trial ranges; merge with `larmor merge` or by
    /// concatenation).
    #[arg(long)]
    pub shard: Option<Shard>,
    /// Complete an interrupted campaign (OUT.part) instead of refusing to overwrite it.
    #[arg(long)]
    pub resume: bool,
    /// One row per trial: trial, switched, t_switch (s), mx, my, mz.
    #[arg(long)]
    pub out: PathBuf,
    /// Summary JSON: trials, switched, p_switch, Wilson 95 % p_low/p_high, mean and median t_switch.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// PNG: cumulative switching probability against time.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Scalar type.
    #[arg(long, value_enum, default_value_t = Precision::F64)]
    pub precision: Precision,
}

/// FNV-1a 64-bit hash (fingerprints of campaigns, stable across platforms and versions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Builds a thread pool with `threads` workers (all cores when `None`).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(HostError::input(
            "--threads = 0 is out of range: allowed >= 1",
        ));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| HostError::runtime(format!("thread pool: {e}")))
}

/// A progress bar on a terminal, nothing when stderr is piped.
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    pb.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40.cyan/blue}} {{pos}}/{{len}} {what} ({{per_sec}}, ETA {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    pb
}

/// Runs trials `range` of a campaign in parallel, in chunks written in trial order;
/// `sink` gets every finished chunk. Stops early (returning `false`) on Ctrl-C.
pub fn run_trials<S: larmor::Real + larmor::gauss::Gaussian>(
    camp: &Campaign<S>,
    seed: u64,
    stream_base: u64,
    range: std::ops::Range<u64>,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
    mut sink: impl FnMut(&[TrialResult]) -> Result<()>,
) -> Result<bool> {
    let chunk = (pool.current_num_threads() as u64 * 16).max(64);
    let mut k = range.start;
    while k < range.end {
        if crate::exec::interrupt::requested() {
            return Ok(false);
        }
        let hi = (k + chunk).min(range.end);
        let rows: Vec<Result<TrialResult>> = pool.install(|| {
            (k..hi)
                .into_par_iter()
                .map(|t| {
                    let r = camp.trial(seed, stream_base + t, t);
                    pb.inc(1);
                    r
                })
                .collect()
        });
        let rows: Vec<TrialResult> = rows.into_iter().collect::<Result<_>>()?;
        sink(&rows)?;
        k = hi;
    }
    Ok(true)
}

fn read_rows(path: &Path) -> Result<(Vec<TrialResult>, u64)> {
    let f = File::open(path)
        .map_err(|e| HostError::input(format!("cannot read {}: {e}", path.display())))?;
    let mut r = BufReader::new(f);
    let mut line = String::new();
    let mut rows = Vec::new();
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
                Some(row) => rows.push(row),
                None => break,
            }
        }
        good_len += n as u64;
    }
    Ok((rows, good_len))
}

fn meta_path(out: &Path) -> PathBuf {
    let mut p = part_path(out).into_os_string();
    p.push(".meta");
    PathBuf::from(p)
}

/// Runs `larmor ensemble`.
pub fn run(args: &EnsembleArgs) -> Result<()> {
    let sc = Scenario::load(&args.scenario)?;
    check_writable(&args.out, "--out")?;
    for p in [&args.summary, &args.plot].into_iter().flatten() {
        check_writable(p, "output")?;
    }
    let pool = pool(args.threads)?;
    match args.precision {
        Precision::F64 => ensemble_typed(&sc, args, &Campaign::<f64>::new(&sc)?, &pool),
        Precision::F32 => ensemble_typed(&sc, args, &Campaign::<f32>::new(&sc)?, &pool),
    }
}

fn ensemble_typed<S: larmor::Real + larmor::gauss::Gaussian>(
    sc: &Scenario,
    args: &EnsembleArgs,
    camp: &Campaign<S>,
    pool: &rayon::ThreadPool,
) -> Result<()> {
    crate::exec::interrupt::install();
    let shard = args.shard.unwrap_or(Shard { index: 0, count: 1 });
    let range = shard.range(args.trials);
    let text = std::fs::read(&args.scenario).unwrap_or_default();
    let fingerprint = format!(
        "scenario={:016x} seed={} trials={} shard={}/{} precision={:?}",
        fnv1a(&text),
        args.seed,
        args.trials,
        shard.index,
        shard.count,
        args.precision
    );
    let part = part_path(&args.out);
    let meta = meta_path(&args.out);
    let mut done: Vec<TrialResult> = Vec::new();
    let mut file = if part.exists() {
        if !args.resume {
            return Err(HostError::input(format!(
                "{} holds an interrupted campaign: add --resume to complete it, or delete it",
                part.display()
            )));
        }
        let old = std::fs::read_to_string(&meta).unwrap_or_default();
        if old.trim() != fingerprint {
            return Err(HostError::input(format!(
                "--resume: {} belongs to a different campaign ({}), not ({fingerprint})",
                part.display(),
                old.trim()
            )));
        }
        let (rows, good_len) = read_rows(&part)?;
        for (i, r) in rows.iter().enumerate() {
            if r.trial != range.start + i as u64 {
                return Err(HostError::input(format!(
                    "--resume: {} is not a prefix of this shard's trials (row {i} is trial {})",
                    part.display(),
                    r.trial
                )));
            }
        }
        let mut f = OpenOptions::new()
            .write(true)
            .open(&part)
            .map_err(|e| HostError::runtime(format!("{}: {e}", part.display())))?;
        f.set_len(good_len)
            .and_then(|_| f.seek(SeekFrom::End(0)))
            .map_err(|e| HostError::runtime(e.to_string()))?;
        eprintln!(
            "resuming {}: {} of {} trials already done",
            part.display(),
            rows.len(),
            range.end - range.start
        );
        done = rows;
        f
    } else {
        if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| HostError::input(format!("{}: {e}", dir.display())))?;
        }
        write_atomic(&meta, fingerprint.as_bytes())?;
        let mut f = File::create(&part)
            .map_err(|e| HostError::input(format!("{}: {e}", part.display())))?;
        writeln!(f, "{}", TrialResult::HEADER).map_err(|e| HostError::runtime(e.to_string()))?;
        f
    };
    let start = range.start + done.len() as u64;
    let pb = progress(range.end - range.start, "trials");
    pb.set_position(done.len() as u64);
    let t0 = std::time::Instant::now();
    let complete = run_trials(camp, args.seed, 0, start..range.end, pool, &pb, |rows| {
        let mut buf = String::with_capacity(rows.len() * 64);
        for r in rows {
            buf.push_str(&r.csv_row());
        }
        file.write_all(buf.as_bytes())
            .and_then(|_| file.sync_data())
            .map_err(|e| HostError::runtime(format!("{}: {e}", part.display())))?;
        done.extend_from_slice(rows);
        Ok(())
    })?;
    pb.finish_and_clear();
    let wall = t0.elapsed().as_secs_f64();
    drop(file);
    if !complete {
        eprintln!(
            "interrupted: {} of {} trials saved in {}; run again with --resume to complete",
            done.len(),
            range.end - range.start,
            part.display()
        );
        return Err(HostError {
            message: "interrupted".into(),
            code: 130,
        });
    }
    std::fs::rename(&part, &args.out)
        .map_err(|e| HostError::runtime(format!("{}: {e}", args.out.display())))?;
    let _ = std::fs::remove_file(&meta);
    // statistics from the file as written (rounded times), so a merge of shards gives the same
    let rows = read_rows(&args.out)?.0;
    finish(
        sc,
        &args.out,
        &rows,
        args.summary.as_deref(),
        args.plot.as_deref(),
        wall,
    )
}

fn finish(
    sc: &Scenario,
    out: &Path,
    rows: &[TrialResult],
    summary: Option<&Path>,
    plot: Option<&Path>,
    wall: f64,
) -> Result<()> {
    let s = Summary::of(rows);
    if let Some(p) = summary {
        let json =
            serde_json::to_string_pretty(&s).map_err(|e| HostError::runtime(e.to_string()))?;
        write_atomic(p, (json + "\n").as_bytes())?;
    }
    if let Some(p) = plot {
        let mut ts: Vec<f64> = rows.iter().filter_map(|r| r.t_switch).collect();
        ts.sort_by(f64::total_cmp);
        let n = rows.len().max(1) as f64;
        let mut pts = vec![(0.0, 0.0)];
        for (i, t) in ts.iter().enumerate() {
            pts.push((t * 1e9, i as f64 / n));
            pts.push((t * 1e9, (i + 1) as f64 / n));
        }
        let read = sc
            .raw
            .switching
            .as_ref()
            .map(|s| s.read_time)
            .unwrap_or(sc.raw.solver.duration);
        pts.push((read * 1e9, ts.len() as f64 / n));
        draw(
            p,
            &[Panel {
                title: format!(
                    "{}: P_sw = {:.4} [{:.4}, {:.4}] of {} trials",
                    sc.file, s.p_switch, s.p_low, s.p_high, s.trials
                ),
                x_label: "t (ns)",
                y_label: "fraction switched by t",
                series: vec![Series {
                    label: "cumulative switching probability",
                    points: pts,
                    color: plotters::style::RGBColor(31, 119, 180),
                }],
                log_y: false,
                y_range: Some((0.0, 1.02)),
            }],
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
    check_writable(&args.out, "--out")?;
    let mut rows = Vec::new();
    for p in &args.inputs {
        rows.extend(read_rows(p)?.0);
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
        let json =
            serde_json::to_string_pretty(&s).map_err(|e| HostError::runtime(e.to_string()))?;
        write_atomic(p, (json + "\n").as_bytes())?;
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
