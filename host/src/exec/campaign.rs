//! Switching campaigns: one scenario, many independent stochastic trials.
//!
//! Trial `k` of seed `s` integrates the stochastic LLG equation with the Philox stream
//! `(s, k)`: its result depends on nothing else (not on threads, shards, or machines).

use larmor::gauss::Gaussian;
use larmor::params::Macrospin;
use larmor::rng::Philox;
use larmor::run::{Crossing, Direction};
use larmor::stepper::{DormandPrince, Heun, Midpoint, Rk4, Stepper, Tolerance};
use larmor::{Real, Vec3};

use crate::error::{HostError, Result};
use crate::scenario::{Method, Scenario};

/// Outcome of one trial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrialResult {
    /// Trial index.
    pub trial: u64,
    /// The switching-axis component changed sign by the read time.
    pub switched: bool,
    /// First time (s) the component crossed zero, if it did.
    pub t_switch: Option<f64>,
    /// State at the read time.
    pub m: [f64; 3],
}

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

/// A compiled campaign for scalar `S`.
pub struct Campaign<S> {
    model: Macrospin<S>,
    initial: Vec3<S>,
    component: usize,
    initial_sign: f64,
    dt: f64,
    t_read: f64,
    method: Method,
}

impl<S: Real + Gaussian> Campaign<S> {
    /// Builds the campaign of a scenario (needs `[switching]`).
    pub fn new(sc: &Scenario) -> Result<Self> {
        Self::with_spec(sc, &sc.spec)
    }

    /// The campaign of a scenario with modified kernel parameters (sweeps).
    pub fn with_spec(sc: &Scenario, spec: &larmor::params::MacrospinSpec) -> Result<Self> {
        let sw = sc.raw.switching.as_ref().ok_or_else(|| {
            HostError::input(format!(
                "{}: an ensemble needs a [switching] table (initial = [x, y, z], read_time = s)",
                sc.file
            ))
        })?;
        let model: Macrospin<S> = spec
            .compile()
            .map_err(|e| HostError::input(e.to_string()))?;
        let n = (sw.initial.iter().map(|c| c * c).sum::<f64>()).sqrt();
        let init = sw.initial.map(|c| c / n);
        let component = (0..3)
            .max_by(|&a, &b| init[a].abs().total_cmp(&init[b].abs()))
            .unwrap_or(2);
        let u = model.units;
        Ok(Self {
            initial: Vec3::from_f64(init),
            component,
            initial_sign: init[component].signum(),
            dt: u.time_to_reduced(sc.raw.solver.dt),
            t_read: u.time_to_reduced(sw.read_time),
            method: sc.raw.method(),
            model,
        })
    }

    /// Runs trial `trial` with the stream `(seed, stream)`.
    pub fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        match self.method {
            Method::Rk4 => self.run(Rk4::new(), seed, stream, trial),
            Method::Heun => self.run(Heun::new(), seed, stream, trial),
            Method::Midpoint => self.run(Midpoint::new(), seed, stream, trial),
            Method::Dopri45 => {
                let tol = Tolerance::new(1e-8, 1e-8, self.dt * 1e-9, self.t_read.max(self.dt))
                    .map_err(|e| HostError::input(e.to_string()))?;
                self.run(DormandPrince::new(tol), seed, stream, trial)
            }
        }
    }

    fn run<St: Stepper<S, 1>>(
        &self,
        mut st: St,
        seed: u64,
        stream: u64,
        trial: u64,
    ) -> Result<TrialResult> {
        let mut m = [self.initial];
        let dir = if self.initial_sign < 0.0 {
            Direction::Rising
        } else {
            Direction::Falling
        };
        let mut ev = [Crossing {
            spin: 0,
            component: self.component,
            threshold: 0.0,
            direction: dir,
            time: None,
        }];
        let mut rng = Philox::new(seed, stream);
        let r = self.model.integrate(
            &mut rng,
            &mut st,
            &mut m,
            0.0,
            self.t_read,
            self.dt,
            &mut ev,
            &mut (),
        );
        r.map_err(|e| HostError::runtime(format!("trial {trial}: {e}")))?;
        let mf = m[0].to_f64();
        Ok(TrialResult {
            trial,
            switched: mf[self.component] * self.initial_sign < 0.0,
            t_switch: ev[0].time.map(|t| self.model.units.time_to_si(t)),
            m: mf,
        })
    }
}

/// Summary statistics of a set of trials.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Number of trials.
    pub trials: u64,
    /// Number switched.
    pub switched: u64,
    /// switched / trials.
    pub p_switch: f64,
    /// Wilson 95 % lower bound.
    pub p_low: f64,
    /// Wilson 95 % upper bound.
    pub p_high: f64,
    /// Mean switching time of the switched trials (s).
    pub mean_t_switch: Option<f64>,
    /// Median switching time of the switched trials (s).
    pub median_t_switch: Option<f64>,
}

/// Wilson score interval at 95 % (z = 1.959964).
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054;
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

impl Summary {
    /// Summary of the given trials.
    pub fn of(rows: &[TrialResult]) -> Self {
        let n = rows.len() as u64;
        let k = rows.iter().filter(|r| r.switched).count() as u64;
        let mut ts: Vec<f64> = rows
            .iter()
            .filter(|r| r.switched)
            .filter_map(|r| r.t_switch)
            .collect();
        ts.sort_by(f64::total_cmp);
        let mean = (!ts.is_empty()).then(|| ts.iter().sum::<f64>() / ts.len() as f64);
        let median = (!ts.is_empty()).then(|| {
            let h = ts.len() / 2;
            if ts.len() % 2 == 1 {
                ts[h]
            } else {
                0.5 * (ts[h - 1] + ts[h])
            }
        });
        let (lo, hi) = wilson(k, n);
        Self {
            trials: n,
            switched: k,
            p_switch: if n > 0 { k as f64 / n as f64 } else { 0.0 },
            p_low: lo,
            p_high: hi,
            mean_t_switch: mean,
            median_t_switch: median,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_reference_values() {
        // k = 0, n = 10: (0, 0.2775); k = 5, n = 10: (0.2366, 0.7634)
        let (lo, hi) = wilson(0, 10);
        assert!(lo == 0.0 && (hi - 0.277_53).abs() < 1e-4, "{hi}");
        let (lo, hi) = wilson(5, 10);
        assert!((lo - 0.236_59).abs() < 1e-4 && (hi - 0.763_41).abs() < 1e-4);
    }

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
