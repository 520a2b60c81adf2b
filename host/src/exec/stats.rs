//! Execution stage: statistics of a set of trials (switching probability with Wilson 95 %
//! bounds, mean and median switching time).

use crate::exec::campaign::TrialResult;

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

/// The trials of a campaign counted one row at a time, so that a file of any length is
/// summarised without holding its rows: what it keeps is 8 bytes per trial that crossed the
/// switching axis (its crossing time, for the exact median and the plot).
#[derive(Clone, Debug, Default)]
pub struct Tally {
    trials: u64,
    switched: u64,
    /// Crossing times of the switched trials.
    ts: Vec<f64>,
    /// Crossing times of the trials that crossed but were back by the read time.
    back: Vec<f64>,
}

impl Tally {
    /// Counts one trial.
    pub fn add(&mut self, r: &TrialResult) {
        self.trials += 1;
        if r.switched {
            self.switched += 1;
        }
        if let Some(t) = r.t_switch {
            if r.switched {
                self.ts.push(t);
            } else {
                self.back.push(t);
            }
        }
    }

    /// Number of trials counted.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Every crossing time (switched or not), sorted.
    pub fn crossing_times(&self) -> Vec<f64> {
        let mut all: Vec<f64> = self.ts.iter().chain(&self.back).copied().collect();
        all.sort_by(f64::total_cmp);
        all
    }

    /// The summary of the trials counted.
    pub fn summary(&self) -> Summary {
        let (n, k) = (self.trials, self.switched);
        let mut ts = self.ts.clone();
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
        Summary {
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

impl Summary {
    /// Summary of the given trials.
    pub fn of(rows: &[TrialResult]) -> Self {
        let mut tally = Tally::default();
        rows.iter().for_each(|r| tally.add(r));
        tally.summary()
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
}
