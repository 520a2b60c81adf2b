//! Execution stage: the write-error rate of any scenario with `[switching]` by adaptive
//! multilevel splitting (AMS; Cerou and Guyader, Stoch. Anal. Appl. 25, 417 (2007)) of the
//! stochastic-LLG trials that `--method mc` runs, in the generalised form with ties of
//! Brehier, Gazeau, Goudenege, Lelievre and Rousset, Ann. Appl. Probab. 26, 3559 (2016), which
//! is unbiased for any score and any number of replicas.
//!
//! **Score.** A write error is a terminal event: the magnet is still in its start hemisphere at
//! the read time `T`. Paths are scored in the time-augmented state `(t, m)` with
//! `u = sign * m_c` (1 at the start pole, < 0 once switched along the `[switching]` axis):
//!
//! ```text
//! xi(t, m) = (t - (1 - u) / (2 D)) / T      for t < T, and for a switched state at T
//! xi(T, m) = 1 + u                          for a write error (u > 0 at T)
//! ```
//!
//! with `D = alpha kB T_K / ((1 + alpha^2) mu0 Ms^2 V)` the reduced angular diffusion
//! constant of Brown's thermal field (per tangent component; at the peak temperature). A
//! path's score is the maximum of `xi` over its checkpoints (every `stride` steps, at most
//! [`CHECKPOINTS`] per path, plus the read time). `xi < 1` before `T` and for a switched end,
//! so a path scores above 1 exactly when it is a write error: the rare set is `{score > 1}`.
//! The form is the logarithm of the committor of the linearised problem near the start pole
//! under a supercritical torque (the tangent deviation `x` grows as `e^{t/tau}` while it
//! diffuses with `D`; `ln P(error | t, x) = (2/tau)(t - |x|^2 / (4 D)) + const`, and
//! `|x|^2 = 2 (1 - u)`), so that its level sets follow the committor whatever the current and
//! the anisotropy (which set only `tau`). The estimator is unbiased for any score; a good one
//! only makes its variance small.
//!
//! **Settled paths.** A path whose `u` falls to `-settled` (default 0.9: 26 degrees from the
//! target pole) stops there and counts as switched: its score cannot rise again unless it
//! climbs back over the barrier before the read time, which from there costs about
//! `0.8 Delta kB T` (`e^-32` at Delta = 40). This saves the rest of the integration of most
//! resimulated paths; `--settled 1` integrates every path to the read time (exact).
//!
//! **Algorithm** (one run of `N` replicas): simulate `N` trials; repeat: the level `Z` is the
//! lowest score; stop when `Z > 1` (every replica is a write error); kill every replica whose
//! score is `<= Z` (`K` of them; all of them: the estimate is 0); multiply the weight by
//! `1 - K/N`; for every killed replica pick a survivor uniformly, copy it up to its first
//! checkpoint scoring above `Z` and simulate on from there with a fresh stream. The estimate
//! is the final weight times the fraction of write errors (here all of them).
//!
//! **Interval**: `R` independent runs, their mean and standard error, Student's t at 95 %
//! (`R - 1` degrees of freedom).
//!
//! **Determinism**: run `r` draws its paths from the Philox streams `(seed, r 2^40 + c)`,
//! `c` counting the run's simulated paths in order (run 0's first `N` paths are trials
//! `0..N` of `--method mc`), and its survivor choices from the stream `(seed, r 2^40 + 2^39)`.
//! Runs are independent jobs in the thread pool, and a run's resimulations within one
//! iteration are too: the result does not depend on the number of threads.

use rayon::prelude::*;

use larmor::integrate::Control;
use larmor::random::Philox;
use larmor::units::{KB, MU0};

use crate::error::{HostError, Result};
use crate::exec::campaign::Campaign;

/// At most this many checkpoints per path (the stride in steps is set from it).
pub const CHECKPOINTS: u64 = 2000;

/// Offset of run `r`'s streams: `r << RUN_SHIFT`.
const RUN_SHIFT: u32 = 40;
/// The survivor-choice stream of a run, after its path streams.
const SELECT_STREAM: u64 = 1 << 39;

/// The settings of an AMS estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmsSettings {
    /// Replicas per run (>= 2).
    pub replicas: usize,
    /// Independent runs (>= 2).
    pub runs: usize,
    /// Seed of every stream.
    pub seed: u64,
    /// A path whose `u` falls to `-settled` (deep in the target well) is counted switched
    /// there, without integrating on to the read time; 1 integrates every path to the end.
    pub settled: f64,
}

/// The outcome of one AMS run.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct AmsRun {
    /// The run's estimate of the write-error rate.
    pub wer: f64,
    /// Iterations (levels).
    pub iterations: u64,
    /// Steps integrated, in units of whole trials (start to read time).
    pub trials: f64,
}

/// An AMS write-error rate with its interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AmsEstimate {
    /// Mean of the runs' estimates.
    pub wer: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    /// Lower end of the 95 % interval (mean - t se, at least 0).
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// Every run.
    pub runs: Vec<AmsRun>,
    /// Reduced angular diffusion constant `D` of the score.
    pub diffusion: f64,
    /// Checkpoint stride (steps).
    pub stride: u64,
}

/// A checkpoint where a path set a new record score.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Record {
    /// Steps from the start of the trial.
    step: u64,
    /// Reduced time.
    t: f64,
    /// State.
    m: [f64; 3],
    /// Score `xi(t, m)`.
    score: f64,
}

/// A path, kept as its records (strictly increasing scores): the path's score is the last
/// one's, and the first checkpoint above a level is the first record above it.
#[derive(Clone, Debug, PartialEq)]
struct Path {
    records: Vec<Record>,
    /// Steps integrated for this path (its own part).
    steps: u64,
}

impl Path {
    fn score(&self) -> f64 {
        self.records.last().map_or(f64::NEG_INFINITY, |r| r.score)
    }
}

/// The score of the time-augmented state (see the module docs).
#[derive(Clone, Copy, Debug)]
struct Score {
    component: usize,
    sign: f64,
    /// `1 / (2 D)` (reduced time per unit of `1 - u`).
    lag: f64,
    t_read: f64,
}

impl Score {
    fn u(&self, m: [f64; 3]) -> f64 {
        self.sign * m[self.component]
    }

    /// `xi(t, m)` before the read time.
    fn before(&self, t: f64, m: [f64; 3]) -> f64 {
        (t - (1.0 - self.u(m)) * self.lag) / self.t_read
    }

    /// `xi(T, m)`.
    fn at_read(&self, m: [f64; 3]) -> f64 {
        let u = self.u(m);
        if u > 0.0 {
            1.0 + u
        } else {
            self.before(self.t_read, m)
        }
    }
}

/// The peak of a temperature waveform (K).
fn peak(d: &larmor::drive::DriveSpec) -> f64 {
    use larmor::drive::DriveSpec as D;
    match d {
        D::Constant(v) => *v,
        D::Sine {
            amplitude, offset, ..
        } => offset + amplitude.abs(),
        D::Pulse { amplitude, .. } => amplitude.max(0.0),
        D::Ramp { from, to, .. } => from.max(*to),
        D::Piecewise { values, .. } => values.iter().copied().fold(0.0, f64::max),
    }
}

/// The reduced angular diffusion constant `D` of the scenario's thermal field at its peak
/// temperature (`None` without thermal noise).
pub fn diffusion(spec: &larmor::params::Validated) -> Option<f64> {
    let s = spec.spec();
    let temp = peak(&s.thermal.as_ref()?.temperature);
    let d = s.alpha * KB * temp / ((1.0 + s.alpha * s.alpha) * MU0 * s.ms * s.ms * spec.volume());
    (d > 0.0 && d.is_finite()).then_some(d)
}

/// Everything a run needs.
struct Ctx<'a> {
    camp: &'a Campaign<f64>,
    score: Score,
    stride: u64,
    seed: u64,
    settled: f64,
}

impl Ctx<'_> {
    /// Simulates the path that continues `prefix` (ending at its last record) with the stream
    /// `stream`; a prefix that ends at the read time is returned as it is (a copy).
    fn extend(&self, mut records: Vec<Record>, stream: u64) -> Result<Path> {
        let Some(&start) = records.last() else {
            return Err(HostError::runtime("ams: a path without a start"));
        };
        let t_read = self.score.t_read;
        if start.t >= t_read {
            return Ok(Path { records, steps: 0 });
        }
        let end = t_read - 1e-9 * self.camp.dt();
        let mut best = start.score;
        let mut steps = 0u64;
        let sc = self.score;
        let stride = self.stride;
        let settled = -self.settled;
        let mut early = false;
        let m_end = self
            .camp
            .segment(self.seed, stream, start.t, start.m, |k, t, m| {
                steps = k;
                if k == 0 || t >= end {
                    return Control::Continue;
                }
                if sc.u(m) <= settled {
                    early = true;
                    return Control::Stop;
                }
                let step = start.step + k;
                if step % stride == 0 {
                    let s = sc.before(t, m);
                    if s > best {
                        best = s;
                        records.push(Record {
                            step,
                            t,
                            m,
                            score: s,
                        });
                    }
                }
                if crate::exec::interrupt::requested() {
                    Control::Stop
                } else {
                    Control::Continue
                }
            })?;
        let s = sc.at_read(m_end);
        if !early && s > best {
            records.push(Record {
                step: start.step + steps,
                t: t_read,
                m: m_end,
                score: s,
            });
        }
        Ok(Path { records, steps })
    }

    /// One AMS run (`r`) of `n` replicas.
    fn run(&self, r: u64, n: usize) -> Result<AmsRun> {
        let base = r << RUN_SHIFT;
        let m0 = self.camp.initial();
        let start = Record {
            step: 0,
            t: 0.0,
            m: m0,
            score: self.score.before(0.0, m0),
        };
        let mut paths: Vec<Path> = (0..n as u64)
            .into_par_iter()
            .map(|c| self.extend(vec![start], base + c))
            .collect::<Result<_>>()?;
        let mut next = n as u64;
        let mut select = Philox::new(self.seed, base + SELECT_STREAM);
        let mut log_w = 0.0f64;
        let mut iterations = 0u64;
        let mut steps: u64 = paths.iter().map(|p| p.steps).sum();
        let wer = loop {
            if crate::exec::interrupt::requested() {
                return Err(HostError {
                    message: "interrupted".into(),
                    code: 130,
                });
            }
            let level = paths.iter().map(Path::score).fold(f64::INFINITY, f64::min);
            if level > 1.0 {
                break log_w.exp();
            }
            let (killed, survivors): (Vec<usize>, Vec<usize>) =
                (0..n).partition(|&i| paths[i].score() <= level);
            if survivors.is_empty() {
                break 0.0;
            }
            iterations += 1;
            log_w += (-(killed.len() as f64) / n as f64).ln_1p();
            // every killed replica branches from a survivor chosen uniformly, at the survivor's
            // first checkpoint above the level
            let jobs: Vec<(usize, Vec<Record>, u64)> = killed
                .iter()
                .enumerate()
                .map(|(j, &i)| {
                    let pick = (larmor::random::uniform_f64(&mut select) * survivors.len() as f64)
                        as usize;
                    let parent = &paths[survivors[pick.min(survivors.len() - 1)]];
                    let cut = parent
                        .records
                        .iter()
                        .position(|rec| rec.score > level)
                        .unwrap_or(parent.records.len() - 1);
                    (i, parent.records[..=cut].to_vec(), next + j as u64)
                })
                .collect();
            next += killed.len() as u64;
            let children: Vec<(usize, Path)> = jobs
                .into_par_iter()
                .map(|(i, prefix, stream)| Ok((i, self.extend(prefix, base + stream)?)))
                .collect::<Result<_>>()?;
            for (i, p) in children {
                steps += p.steps;
                paths[i] = p;
            }
        };
        let per_trial = (self.score.t_read / self.camp.dt()).ceil().max(1.0);
        Ok(AmsRun {
            wer,
            iterations,
            trials: steps as f64 / per_trial,
        })
    }
}

/// Student's t quantile at 97.5 % for `dof` degrees of freedom (two-sided 95 %): a table to
/// 30, then Hill's expansion (error below 1e-4 beyond 30).
pub fn t975(dof: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if (1..=30).contains(&dof) {
        return T[dof - 1];
    }
    let z = 1.959_963_984_540_054f64;
    let v = dof.max(1) as f64;
    z + (z.powi(3) + z) / (4.0 * v)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
}

/// The write-error rate of a campaign by `settings.runs` independent AMS runs in `pool`;
/// `pb` counts finished runs.
///
/// # Errors
/// No thermal noise (nothing is random), a failed integration, or Ctrl-C (code 130).
pub fn ams_wer(
    camp: &Campaign<f64>,
    spec: &larmor::params::Validated,
    settings: AmsSettings,
    pool: &rayon::ThreadPool,
    pb: &indicatif::ProgressBar,
) -> Result<AmsEstimate> {
    let d = diffusion(spec).ok_or_else(|| {
        HostError::input(
            "--method ams needs thermal noise ([thermal] temperature > 0 at some time): \
             without it every trial is the same",
        )
    })?;
    let (component, sign) = camp.axis();
    let t_read = camp.t_read();
    let n_steps = (t_read / camp.dt()).ceil().max(1.0) as u64;
    let ctx = Ctx {
        camp,
        score: Score {
            component,
            sign,
            lag: 0.5 / d,
            t_read,
        },
        stride: n_steps.div_ceil(CHECKPOINTS).max(1),
        seed: settings.seed,
        settled: settings.settled,
    };
    let runs: Vec<AmsRun> = pool.install(|| {
        (0..settings.runs as u64)
            .into_par_iter()
            .map(|r| {
                let out = ctx.run(r, settings.replicas);
                pb.inc(1);
                out
            })
            .collect::<Result<_>>()
    })?;
    let r = runs.len() as f64;
    let mean = runs.iter().map(|x| x.wer).sum::<f64>() / r;
    let var = runs.iter().map(|x| (x.wer - mean).powi(2)).sum::<f64>() / (r - 1.0).max(1.0);
    let se = (var / r).sqrt();
    let half = t975(runs.len().saturating_sub(1)) * se;
    Ok(AmsEstimate {
        wer: mean,
        std_error: se,
        low: (mean - half).max(0.0),
        high: (mean + half).min(1.0),
        runs,
        diffusion: d,
        stride: ctx.stride,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_quantiles() {
        assert_eq!(t975(1), 12.706);
        assert_eq!(t975(9), 2.262);
        // Hill's expansion against tables: 40 -> 2.021, 60 -> 2.000, 120 -> 1.980
        for (v, t) in [(40, 2.021), (60, 2.000), (120, 1.980)] {
            assert!((t975(v) - t).abs() < 1e-3, "{v}: {}", t975(v));
        }
    }

    #[test]
    fn the_score_is_above_one_exactly_for_a_write_error() {
        let s = Score {
            component: 2,
            sign: -1.0,
            lag: 3.0,
            t_read: 10.0,
        };
        // start pole m = -z: u = 1
        assert_eq!(s.before(0.0, [0.0, 0.0, -1.0]), 0.0);
        assert!(s.before(9.999, [0.0, 0.0, -1.0]) < 1.0);
        assert!(s.at_read([0.0, 0.6, -0.8]) > 1.0);
        assert!(s.at_read([0.0, 0.6, 0.8]) < 1.0);
        assert!(s.at_read([0.0, 1.0, 0.0]) < 1.0);
    }
}
