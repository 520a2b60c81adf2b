//! The two views of a finished sweep: its PNG (switching probability and write-error rate
//! against the swept value) and the summary table on stderr. Both read the rows as written to
//! the sweep's CSV ([`super::trials::SWEEP_HEADER`] for `--method mc`,
//! [`super::trials::WER_SWEEP_HEADER`] for fp and ams).

use std::path::Path;

use crate::error::Result;
use crate::output::plot::{draw, Panel, Series, BLUE, GREY, RED};

/// How the points were estimated (which columns the rows hold).
#[derive(Clone, Copy, Debug)]
pub enum SweepKind {
    /// An ensemble of `trials` per point: `value, .., p_switch, wilson_low, wilson_high, wer`.
    Mc {
        /// Trials per point.
        trials: u64,
    },
    /// The Fokker-Planck solve: `value, wer, wer_low, wer_high, p_switch, ..`.
    Fp,
    /// Adaptive multilevel splitting, with the columns of [`SweepKind::Fp`].
    Ams,
}

/// The swept value on the plot's x axis: its label, and whether the CSV's seconds are shown in
/// nanoseconds.
#[derive(Clone, Copy, Debug)]
pub struct Axis {
    label: &'static str,
    nanoseconds: bool,
}

impl Axis {
    /// The value as written.
    pub fn plain(label: &'static str) -> Self {
        Self {
            label,
            nanoseconds: false,
        }
    }
    /// A time in seconds, plotted in ns.
    pub fn nanoseconds(label: &'static str) -> Self {
        Self {
            label,
            nanoseconds: true,
        }
    }
    fn x(&self, r: &[f64]) -> f64 {
        if self.nanoseconds {
            r[0] * 1e9
        } else {
            r[0]
        }
    }
}

/// Draws the sweep's two panels (switching probability, write-error rate on a log axis) of
/// the scenario `file` into `plot`.
///
/// # Errors
/// As [`draw`].
pub fn plot_sweep(
    plot: &Path,
    file: &str,
    axis: Axis,
    kind: SweepKind,
    parsed: &[Vec<f64>],
) -> Result<()> {
    let unit = axis.label;
    let col = |c: usize| parsed.iter().map(|r| (axis.x(r), r[c])).collect::<Vec<_>>();
    let panels = if let SweepKind::Mc { trials } = kind {
        [
            Panel::new(
                format!("{file}: switching probability ({trials} trials/point)"),
                unit,
                "P_sw",
                vec![
                    Series::new("P_sw", col(3), BLUE),
                    Series::new("Wilson 95% low", col(4), GREY),
                    Series::new("Wilson 95% high", col(5), GREY),
                ],
            )
            .y_range(0.0, 1.02),
            Panel::new(
                "write error rate",
                unit,
                "WER = 1 - P_sw (log)",
                vec![
                    Series::new("WER", col(6), RED),
                    Series::new(
                        "WER upper 95% (1 - p_low)",
                        parsed.iter().map(|r| (axis.x(r), 1.0 - r[4])).collect(),
                        GREY,
                    ),
                ],
            )
            .log_y()
            .y_range(0.5 / trials as f64, 1.5),
        ]
    } else {
        let how = if matches!(kind, SweepKind::Fp) {
            (
                "Fokker-Planck",
                "low (discretisation error)",
                "high (discretisation error)",
            )
        } else {
            (
                "adaptive multilevel splitting",
                "low (Student t 95%)",
                "high (Student t 95%)",
            )
        };
        [
            Panel::new(
                format!("{file}: switching probability ({})", how.0),
                unit,
                "P_sw",
                vec![Series::new("P_sw = 1 - WER", col(4), BLUE)],
            )
            .y_range(0.0, 1.02),
            Panel::new(
                format!("write error rate ({})", how.0),
                unit,
                "WER (log)",
                vec![
                    Series::new(how.1, col(2), GREY),
                    Series::new(how.2, col(3), GREY),
                    Series::new("WER", col(1), RED),
                ],
            )
            .log_y(),
        ]
    };
    draw(plot, &panels)
}

/// The summary table on stderr: one line per point of the sweep of `file` over `what`;
/// `how` is the method's fingerprint (`method=fp ...`) for fp and ams.
pub fn print_summary(file: &str, what: &str, kind: SweepKind, how: &str, parsed: &[Vec<f64>]) {
    if let SweepKind::Mc { trials } = kind {
        eprintln!(
            "larmor sweep: {file} ({what}, {} points x {trials} trials)",
            parsed.len(),
        );
        eprintln!(
            "  {:>12} {:>9} {:>21} {:>10}",
            "value", "P_sw", "Wilson 95%", "WER"
        );
        for r in parsed {
            eprintln!(
                "  {:>12.4e} {:>9.4} [{:>8.4}, {:>8.4}] {:>10.3e}",
                r[0], r[3], r[4], r[5], r[6]
            );
        }
    } else {
        eprintln!(
            "larmor sweep: {file} ({what}, {} points, {})",
            parsed.len(),
            how.trim_start_matches("method=")
        );
        eprintln!("  {:>12} {:>11} {:>25}", "value", "WER", "interval");
        for r in parsed {
            eprintln!(
                "  {:>12.4e} {:>11.4e} [{:>11.4e}, {:>11.4e}]",
                r[0], r[1], r[2], r[3]
            );
        }
    }
}
