//! Command `larmor mram`: a command script (writes with a pulse and optional write-verify,
//! bakes at a temperature, reads) run against many emulated MRAM chips in parallel, each with its
//! own cell variation and random decisions. Every chip is the kernel's `MramArray` behind the
//! `larmor-parts` SPI front-end and its NOR-flash driver (the code a firmware runs); the host
//! only schedules chips on cores and counts. Each read step reports the raw bit error rate
//! (with its Wilson interval) and the word error rate after SECDED (72,64) error correction: the
//! array holds 72-bit codewords (64 data and 8 check bits in 9 bytes), a codeword with one
//! flipped bit is corrected, one with two or more is lost.

use std::path::{Path, PathBuf};

use clap::Args;
use embedded_storage::nor_flash::{NorFlash, ReadNorFlash};
use larmor::device::mram::{CellParams, Pulse};
use larmor::random::{Philox, Rng};
use larmor_parts::spi_mram::{MramFlash, SpiMram};
use rayon::prelude::*;

use crate::commands::args::{helps, OutPlot, Threads};
use crate::commands::checks::out_of_range;
use crate::error::{HostError, Result};
use crate::exec::pool::progress;
use crate::exec::stats::wilson;
use crate::output::check_files;
use crate::output::csv::write_csv;
use crate::output::plot::{draw, Panel, Series, BLUE, RED};
use crate::scenario::mram as mram_plan;
use crate::scenario::mram::Step;

/// Arguments of `larmor mram`.
#[derive(Debug, Args)]
#[command(mut_args(helps(&[
    ("out", "One row per read step (CSV)"),
    ("plot", "Raw bit error rate and SECDED word error rate per read step (PNG)"),
])))]
pub struct MramArgs {
    /// Chip configuration and command script (TOML: `[mram]` cell parameters, `[array]` size,
    /// `[[step]]` operations; see examples/README.md).
    pub config: PathBuf,
    /// Independent chips (1 to 100000), each with its own variation and random stream.
    #[arg(long, default_value_t = 16, allow_negative_numbers = true)]
    pub arrays: i64,
    /// Seed of every chip's variation and decisions (chip `k` uses stream `k`).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The output table and its plot.
    #[command(flatten)]
    pub files: OutPlot,
    /// Worker threads.
    #[command(flatten)]
    pub threads: Threads,
}

/// What one chip saw at one read step (counts).
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    bits: u64,
    bit_errors: u64,
    words: u64,
    corrected: u64,
    lost: u64,
    write_errors: u64,
    rewrites: u64,
    verify_failures: u64,
    retention_flips: u64,
    read_disturbs: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.bits += o.bits;
        self.bit_errors += o.bit_errors;
        self.words += o.words;
        self.corrected += o.corrected;
        self.lost += o.lost;
        self.write_errors += o.write_errors;
        self.rewrites += o.rewrites;
        self.verify_failures += o.verify_failures;
        self.retention_flips += o.retention_flips;
        self.read_disturbs += o.read_disturbs;
    }
}

/// A chip of some size running the script: `(cells, steps, seed, chip index)`.
type RunChip = fn(CellParams, &[Step], u64, u64) -> std::result::Result<Vec<Counts>, String>;

/// Runs the script on chip `k` of `BYTES` bytes; one `Counts` per read step.
fn run_chip<const BYTES: usize>(
    cells: CellParams,
    steps: &[Step],
    seed: u64,
    k: u64,
) -> std::result::Result<Vec<Counts>, String> {
    let chip_seed = Philox::new(seed, k).next_u64();
    let mut chip = Box::new(SpiMram::<BYTES>::new(cells, chip_seed).map_err(|e| e.to_string())?);
    let mut flash: MramFlash<_, 1024> = MramFlash::new(&mut *chip, BYTES as u32);
    let mut data = vec![0u8; BYTES];
    let mut back = vec![0u8; BYTES];
    let mut rows = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match *step {
            Step::Write {
                current,
                width,
                verify,
            } => {
                flash.spi_mut().set_write_pulse(Pulse { current, width });
                flash.set_verify(verify);
                let mut rng = Philox::new(chip_seed, i as u64 + 1);
                rng.fill_bytes(&mut data);
                // a verify failure leaves bad bytes, which the next read counts
                let _ = NorFlash::write(&mut flash, 0, &data);
            }
            Step::Bake {
                temperature,
                duration,
            } => {
                let a = flash.spi_mut().array_mut();
                a.set_temperature(temperature).map_err(|e| e.to_string())?;
                a.advance(duration).map_err(|e| e.to_string())?;
            }
            Step::Read => {
                ReadNorFlash::read(&mut flash, 0, &mut back).map_err(|e| format!("{e:?}"))?;
                let mut c = Counts::default();
                for (want, got) in data.chunks(9).zip(back.chunks(9)) {
                    let e: u32 = want
                        .iter()
                        .zip(got)
                        .map(|(a, b)| (a ^ b).count_ones())
                        .sum();
                    c.bit_errors += u64::from(e);
                    if want.len() == 9 {
                        c.words += 1;
                        c.corrected += u64::from(e == 1);
                        c.lost += u64::from(e >= 2);
                    }
                }
                c.bits = 8 * BYTES as u64;
                let s = flash.spi().stats();
                let v = flash.verify_stats();
                (c.write_errors, c.retention_flips, c.read_disturbs) =
                    (s.write_errors, s.retention_flips, s.read_disturbs);
                (c.rewrites, c.verify_failures) = (v.rewrites, v.failures);
                rows.push(c);
            }
        }
    }
    Ok(rows)
}

/// Runs `larmor mram`.
///
/// # Errors
/// Bad configuration or arguments (exit code 2), a failed write of the outputs.
pub fn run(args: &MramArgs) -> Result<()> {
    if !(1..=100_000).contains(&args.arrays) {
        return Err(out_of_range("--arrays", args.arrays as f64, "1 to 100000"));
    }
    check_files(&[("config", args.config.as_path())], &args.files.outputs())?;
    let plan = mram_plan::load(&args.config)?;
    let (cells, kib, steps) = (plan.cells, plan.kib, &plan.steps);
    let run_one: RunChip = match kib {
        1 => run_chip::<1024>,
        4 => run_chip::<4096>,
        16 => run_chip::<16384>,
        64 => run_chip::<65536>,
        k => {
            return Err(HostError::input(format!(
                "array.kib = {k} is out of range: allowed 1, 4, 16 or 64"
            )))
        }
    };
    let n = args.arrays as u64;
    let pb = progress(n, "chips");
    let per_chip: Vec<std::result::Result<Vec<Counts>, String>> =
        args.threads.pool()?.install(|| {
            (0..n)
                .into_par_iter()
                .map(|k| {
                    let r = run_one(cells, steps, args.seed, k);
                    pb.inc(1);
                    r
                })
                .collect()
        });
    pb.finish_and_clear();
    let mut totals =
        vec![Counts::default(); steps.iter().filter(|s| matches!(s, Step::Read)).count()];
    for chip in per_chip {
        let rows = chip.map_err(HostError::runtime)?;
        for (t, c) in totals.iter_mut().zip(&rows) {
            t.add(c);
        }
    }
    report(args, &totals)
}

/// Writes the rows (and the plot) and prints them.
fn report(args: &MramArgs, totals: &[Counts]) -> Result<()> {
    let header = "read,chips,bits,bit_errors,raw_ber,raw_ber_lo,raw_ber_hi,words,corrected_words,lost_words,secded_word_error_rate,write_errors,verify_rewrites,verify_failures,retention_flips,read_disturbs";
    let mut rows = Vec::new();
    eprintln!(
        "  read  raw BER (95 % interval)              SECDED word error rate  write errors  flips"
    );
    for (i, t) in totals.iter().enumerate() {
        let ber = t.bit_errors as f64 / t.bits as f64;
        let (lo, hi) = wilson(t.bit_errors, t.bits);
        let wer = t.lost as f64 / t.words.max(1) as f64;
        eprintln!(
            "  {:>4}  {ber:.3e} [{lo:.2e}, {hi:.2e}]   {wer:.3e}               {:>10}  {:>5}",
            i + 1,
            t.write_errors,
            t.retention_flips
        );
        rows.push(vec![
            (i + 1) as f64,
            args.arrays as f64,
            t.bits as f64,
            t.bit_errors as f64,
            ber,
            lo,
            hi,
            t.words as f64,
            t.corrected as f64,
            t.lost as f64,
            wer,
            t.write_errors as f64,
            t.rewrites as f64,
            t.verify_failures as f64,
            t.retention_flips as f64,
            t.read_disturbs as f64,
        ]);
    }
    write_csv(&args.files.out, header, &rows)?;
    if let Some(plot) = &args.files.plot {
        plot_rates(plot, totals)?;
    }
    args.files.wrote();
    Ok(())
}

fn plot_rates(path: &Path, totals: &[Counts]) -> Result<()> {
    let at = |f: &dyn Fn(&Counts) -> f64| -> Vec<(f64, f64)> {
        totals
            .iter()
            .enumerate()
            .map(|(i, t)| ((i + 1) as f64, f(t)))
            .collect()
    };
    draw(
        path,
        &[Panel::new(
            "emulated MRAM: error rates per read (zeros not drawn)",
            "read step",
            "rate",
            vec![
                Series::new(
                    "raw bit error rate",
                    at(&|t| t.bit_errors as f64 / t.bits as f64),
                    BLUE,
                ),
                Series::new(
                    "SECDED (72,64) word error rate",
                    at(&|t| t.lost as f64 / t.words.max(1) as f64),
                    RED,
                ),
            ],
        )
        .log_y()],
    )
}
