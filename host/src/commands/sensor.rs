//! Command `larmor sensor`: a magnetoresistive bridge (the kernel's `device::sensor`) from a
//! configuration file: the transfer curve (up and down sweeps along the sensitive axis), the
//! free layer's major and minor hysteresis loops, the noise spectral density with its white
//! floor, 1/f corner and field-equivalent detectivity, and optionally a sampled time series
//! with noise. Every number comes from the kernel; this file only sweeps, tabulates and plots.

pub mod config;

use std::path::{Path, PathBuf};

use clap::Args;
use larmor::device::sensor::{Bridge, Sampler, Topology, GAUSS_AM};

use crate::commands::checks::log_grid;
use crate::error::{HostError, Result};
use crate::output::check_files;
use crate::output::csv::write_csv;
use crate::output::plot::{decimate, draw, Panel, Series, BLUE, GREEN, ORANGE, PLOT_POINTS, RED};
use config::{Config, Plan};

/// Arguments of `larmor sensor`.
#[derive(Debug, Args)]
pub struct SensorArgs {
    /// Sensor configuration (TOML: `[bridge]`, `[sweep]`, `[noise]`, optional `[loop]` and `[samples]`;
    /// see examples/README.md).
    pub config: PathBuf,
    /// Directory for transfer.csv, loop.csv, noise.csv and (with `[samples]`) samples.csv;
    /// created if missing.
    #[arg(long)]
    pub out_dir: PathBuf,
    /// Seed of the noise of samples.csv (Philox stream (seed, 0)).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also write a PNG next to each CSV (transfer.png, loop.png, noise.png, samples.png).
    #[arg(long)]
    pub plots: bool,
}

/// The output files, in order.
const FILES: [&str; 4] = ["transfer", "loop", "noise", "samples"];

/// Runs `larmor sensor`.
pub fn run(args: &SensorArgs) -> Result<()> {
    if args.out_dir.exists() && !args.out_dir.is_dir() {
        return Err(HostError::input(format!(
            "--out-dir {} is a file, not a directory (an output never overwrites an input)",
            args.out_dir.display()
        )));
    }
    let cfg = Config::load(&args.config)?;
    let plan = &cfg.plan;
    let n_files = if plan.samples.is_some() { 4 } else { 3 };
    let paths: Vec<(String, PathBuf, PathBuf)> = FILES[..n_files]
        .iter()
        .map(|f| {
            let d = &args.out_dir;
            (
                format!("--out-dir ({f}.csv)"),
                d.join(format!("{f}.csv")),
                d.join(format!("{f}.png")),
            )
        })
        .collect();
    let mut outputs: Vec<(&str, Option<&Path>)> = Vec::new();
    for (what, csv, png) in &paths {
        outputs.push((what.as_str(), Some(csv.as_path())));
        outputs.push((what.as_str(), args.plots.then_some(png.as_path())));
    }
    check_files(&[("config", args.config.as_path())], &outputs)?;

    let png = |i: usize| args.plots.then(|| paths[i].2.clone());
    transfer(&cfg, &paths[0].1, png(0))?;
    hysteresis(&cfg, &paths[1].1, png(1))?;
    noise(&cfg, &paths[2].1, png(2))?;
    if plan.samples.is_some() {
        samples(&cfg, args.seed, &paths[3].1, png(3))?;
    }
    crate::say!(
        "  wrote       {} ({} files{})",
        args.out_dir.display(),
        n_files,
        if args.plots { ", with PNGs" } else { "" }
    );
    Ok(())
}

/// Moves the field to `h` (A/m) and returns the output (V).
fn apply(cfg: &Config, b: &mut Bridge<f64>, h: [f64; 2]) -> Result<f64> {
    b.apply_field(h).map_err(|e| cfg.kernel_error(&e))
}

/// `points` values from `a` to `b`.
fn lin(a: f64, b: f64, points: usize) -> impl Iterator<Item = f64> {
    (0..points).map(move |i| a + (b - a) * i as f64 / (points - 1) as f64)
}

fn transfer(cfg: &Config, out: &Path, png: Option<PathBuf>) -> Result<()> {
    let (h_max, points, tilt) = cfg.plan.sweep;
    let dir = [tilt.sin(), tilt.cos()];
    let mut b = cfg.bridge()?;
    let vb = cfg.plan.spec.supply_v;
    let mut rows = Vec::with_capacity(2 * points);
    for (branch, (from, to)) in [(1.0, (-h_max, h_max)), (-1.0, (h_max, -h_max))] {
        for h in lin(from, to, points) {
            let v = apply(cfg, &mut b, [h * dir[0], h * dir[1]])?;
            let m = b.m();
            rows.push(vec![h, h / GAUSS_AM, v, 1e3 * v / vb, m[0], m[1], branch]);
        }
    }
    write_csv(
        out,
        "field_am,field_gauss,v_out,v_out_mv_per_v,m_x,m_y,branch",
        &rows,
    )?;
    if let Some(png) = png {
        let branch = |s: f64| {
            let pts: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r[6] == s)
                .map(|r| (r[1], 1e3 * r[2]))
                .collect();
            decimate(&pts, PLOT_POINTS)
        };
        let title = format!(
            "Transfer curve ({}, field {:.1} deg from the sensitive axis)",
            kind_name(cfg),
            tilt.to_degrees()
        );
        draw(
            &png,
            &[Panel::new(
                title,
                "H (gauss)",
                "V_out (mV)",
                vec![
                    Series::new("rising", branch(1.0), BLUE),
                    Series::new("falling", branch(-1.0), ORANGE),
                ],
            )],
        )?;
    }
    Ok(())
}

fn hysteresis(cfg: &Config, out: &Path, png: Option<PathBuf>) -> Result<()> {
    let (angle, h_max, frac) = cfg.plan.loop_;
    let points = cfg.plan.sweep.1;
    let dir = [angle.cos(), angle.sin()];
    let mut b = cfg.bridge()?;
    let mut rows = Vec::new();
    let mut leg = |b: &mut Bridge<f64>, which: f64, from: f64, to: f64| -> Result<()> {
        for h in lin(from, to, points) {
            let v = apply(cfg, b, [h * dir[0], h * dir[1]])?;
            let m = b.m();
            let m_par = m[0] * dir[0] + m[1] * dir[1];
            rows.push(vec![which, h, h / GAUSS_AM, m_par, m[0], m[1], v]);
        }
        Ok(())
    };
    apply(cfg, &mut b, [h_max * dir[0], h_max * dir[1]])?;
    leg(&mut b, 0.0, h_max, -h_max)?;
    leg(&mut b, 0.0, -h_max, h_max)?;
    leg(&mut b, 1.0, h_max, -frac * h_max)?;
    leg(&mut b, 1.0, -frac * h_max, h_max)?;
    write_csv(out, "loop,field_am,field_gauss,m_par,m_x,m_y,v_out", &rows)?;
    if let Some(png) = png {
        let hk = cfg.plan.spec.hk_am;
        let pts = |which: f64| {
            let p: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r[0] == which)
                .map(|r| (r[1] / hk, r[3]))
                .collect();
            decimate(&p, PLOT_POINTS)
        };
        let title = format!(
            "Free layer, field {:.1} deg from the easy axis (minor: reversal at {:.2} H_max)",
            angle.to_degrees(),
            frac
        );
        draw(
            &png,
            &[Panel::new(
                title,
                "H / H_K",
                "m along the field",
                vec![
                    Series::new("major", pts(0.0), BLUE),
                    Series::new("minor", pts(1.0), RED),
                ],
            )
            .y_range(-1.1, 1.1)],
        )?;
    }
    Ok(())
}

fn noise(cfg: &Config, out: &Path, png: Option<PathBuf>) -> Result<()> {
    let Plan { noise, spec, .. } = &cfg.plan;
    let (f_min, f_max, points) = *noise;
    let b = cfg.bridge()?;
    let kerr = |e: larmor::Error| cfg.kernel_error(&e);
    let mut rows = Vec::with_capacity(points);
    for f in log_grid(f_min, f_max, points) {
        let p = b.noise_psd(f).map_err(kerr)?;
        let det = b.field_equivalent_t(p.total).map_err(kerr)?;
        rows.push(vec![
            f,
            p.total.sqrt(),
            p.thermal.sqrt(),
            p.flicker.sqrt(),
            p.magnetic.sqrt(),
            1e9 * det,
        ]);
    }
    write_csv(
        out,
        "f_hz,total_v_rthz,white_v_rthz,flicker_v_rthz,magnetic_v_rthz,detectivity_nt_rthz",
        &rows,
    )?;
    let white = b.white_psd();
    let det_white = b.field_equivalent_t(white).map_err(kerr)?;
    let sens = b.sensitivity_v_per_am();
    let topology = match spec.topology {
        Topology::Full => "full",
        Topology::Half => "half",
    };
    crate::say!(
        "sensor {}: {} {topology} bridge, {} ohm arms, {} V, {} K",
        cfg.file(),
        kind_name(cfg),
        spec.r_ohm,
        spec.supply_v,
        cfg.plan.temperature_k
    );
    crate::say!(
        "  sensitivity {:.4} mV/V/gauss ({:.4e} V/(A/m))",
        1e3 * sens * GAUSS_AM / spec.supply_v,
        sens
    );
    crate::say!(
        "  white floor {:.4} nV/sqrt(Hz) ({} {:.4}, magnetic {:.4})",
        1e9 * white.sqrt(),
        match spec.kind {
            larmor::device::sensor::ElementKind::Tmr => "shot",
            _ => "Johnson",
        },
        1e9 * b.thermal_psd().sqrt(),
        1e9 * (white - b.thermal_psd()).max(0.0).sqrt()
    );
    if b.flicker_coefficient() > 0.0 {
        crate::say!("  1/f corner  {:.4} Hz", b.corner_hz());
    } else {
        crate::say!("  1/f corner  none (no bridge.hooge)");
    }
    crate::say!(
        "  detectivity {:.4} nT/sqrt(Hz) at the white floor, {:.4} nT/sqrt(Hz) at f_min = {} Hz",
        1e9 * det_white,
        rows[0][5],
        f_min
    );
    if let Some(png) = png {
        let col =
            |c: usize| -> Vec<(f64, f64)> { rows.iter().map(|r| (r[0].log10(), r[c])).collect() };
        let title = format!(
            "Output noise (white floor {:.3} nV/sqrt(Hz), corner {:.3} Hz)",
            1e9 * white.sqrt(),
            b.corner_hz()
        );
        let volts = Panel::new(
            title,
            "log10 f (Hz)",
            "V/sqrt(Hz)",
            vec![
                Series::new("total", col(1), BLUE),
                Series::new("white (Johnson/shot)", col(2), ORANGE),
                Series::new("1/f (Hooge)", col(3), GREEN),
                Series::new("magnetic", col(4), RED),
            ],
        )
        .log_y();
        let tesla = Panel::new(
            "Field-equivalent noise (detectivity)",
            "log10 f (Hz)",
            "nT/sqrt(Hz)",
            vec![Series::new("total", col(5), BLUE)],
        )
        .log_y();
        draw(&png, &[volts, tesla])?;
    }
    Ok(())
}

fn samples(cfg: &Config, seed: u64, out: &Path, png: Option<PathBuf>) -> Result<()> {
    let Some(s) = cfg.plan.samples else {
        return Ok(());
    };
    let kerr = |e: larmor::Error| cfg.kernel_error(&e);
    let mut sampler = Sampler::new(cfg.bridge()?, s.fs, s.f_lo, seed, 0).map_err(kerr)?;
    let omega = 2.0 * std::f64::consts::PI * s.frequency_hz;
    let mut rows = Vec::with_capacity(s.n);
    for _ in 0..s.n {
        let t = sampler.time_s();
        let h = s.amplitude_am * (omega * t).sin();
        let v = sampler.sample(|_| [0.0, h]).map_err(kerr)?;
        rows.push(vec![t, h, v, sampler.bridge().output_v()]);
    }
    write_csv(out, "t_s,field_am,v_out,v_noiseless", &rows)?;
    if let Some(png) = png {
        let col = |c: usize| -> Vec<(f64, f64)> {
            let p: Vec<(f64, f64)> = rows.iter().map(|r| (r[0], 1e3 * r[c])).collect();
            decimate(&p, PLOT_POINTS)
        };
        let noise: Vec<(f64, f64)> = rows.iter().map(|r| (r[0], 1e6 * (r[2] - r[3]))).collect();
        let noise = decimate(&noise, PLOT_POINTS);
        let title = format!(
            "Sampled output, fs = {} Hz, {} Hz sine of {:.3} gauss (seed {seed})",
            s.fs,
            s.frequency_hz,
            s.amplitude_am / GAUSS_AM
        );
        draw(
            &png,
            &[
                Panel::new(
                    title,
                    "t (s)",
                    "V_out (mV)",
                    vec![
                        Series::new("with noise", col(2), BLUE),
                        Series::new("noiseless", col(3), ORANGE),
                    ],
                ),
                Panel::new(
                    "Noise: v_out - v_noiseless (white to fs/2, 1/f)",
                    "t (s)",
                    "noise (uV)",
                    vec![Series::new("noise", noise, BLUE)],
                ),
            ],
        )?;
    }
    Ok(())
}

fn kind_name(cfg: &Config) -> &'static str {
    match cfg.plan.spec.kind {
        larmor::device::sensor::ElementKind::Amr => "AMR",
        larmor::device::sensor::ElementKind::Gmr => "GMR",
        larmor::device::sensor::ElementKind::Tmr => "TMR",
    }
}
