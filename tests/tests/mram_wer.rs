//! The MRAM array's closed-form precessional write error rate (Butler et al. 2012) against a
//! stochastic-LLG ensemble of the same perpendicular macrospin, where both are valid: well
//! above the critical current (i = 1.5 to 2.5), a large stability factor, pulses long enough
//! for the error rate to be in its exponential tail. Each trial starts from the Boltzmann
//! distribution about +z (theta^2 exponential with mean 1/Delta, what the formula assumes),
//! runs the pulse with Brown's thermal field at 300 K, and counts as a write error if m_z > 0
//! at the end of the pulse.

use larmor::device::mram::{CellParams, MramArray};
use larmor::drive::DriveSpec;
use larmor::integrate::Integrator;
use larmor::params::{CurrentSpec, MacrospinSpec, Shape, SttSpec, ThermalSpec, UniaxialSpec};
use larmor::random::{uniform_f64, Philox};
use larmor::stepper::Heun;
use larmor::units::{E_CHARGE, GAMMA_E, HBAR, KB};
use larmor::Vec3;

const MS: f64 = 1e6;
const ALPHA: f64 = 0.02;
const K: f64 = 4e5; // mu0 H_K = 2 K / Ms = 0.8 T
const DELTA: f64 = 40.0;
const T: f64 = 300.0;
const D: f64 = 1e-9;
const P: f64 = 0.6; // Slonczewski with Lambda = 1: efficiency P / 2

/// The critical current density of the linearised macrospin: `b eps = alpha h_K`, i.e.
/// `J_c0 = 2 alpha K e d / (hbar eps)`.
fn jc0() -> f64 {
    2.0 * ALPHA * K * E_CHARGE * D / (HBAR * 0.5 * P)
}

fn tau_d() -> f64 {
    (1.0 + ALPHA * ALPHA) / (ALPHA * GAMMA_E * 2.0 * K / MS)
}

/// Fraction of `trials` that have not switched (m_z > 0) after a pulse `i J_c0` of width `t`.
fn ensemble_wer(i: f64, t: f64, trials: u32) -> (f64, f64) {
    let volume = DELTA * KB * T / K;
    let mut spec = MacrospinSpec::new(MS, ALPHA, Shape::Volume(volume));
    spec.uniaxial = Some(UniaxialSpec {
        ku: K,
        k2: 0.0,
        axis: [0.0, 0.0, 1.0],
    });
    spec.thermal = Some(ThermalSpec {
        temperature: DriveSpec::Constant(T),
    });
    spec.stt = Some(SttSpec {
        polarizer: [0.0, 0.0, -1.0],
        polarization: P,
        lambda: 1.0,
        field_like: 0.0,
        current: CurrentSpec::Density(DriveSpec::Constant(i * jc0())),
        thickness: Some(D),
    });
    let model = spec.compile::<f64>().unwrap();
    let dt = model.units.time_to_reduced(0.5e-12);
    let t_end = model.units.time_to_reduced(t);
    let mut failed = 0u32;
    for k in 0..trials {
        let mut rng = Philox::new(77, u64::from(k));
        // Boltzmann about +z for a large barrier: theta^2 ~ Exp(mean 1/Delta)
        let theta = (-uniform_f64(&mut rng).ln() / DELTA).sqrt();
        let phi = 2.0 * core::f64::consts::PI * uniform_f64(&mut rng);
        let m0 = Vec3::new(
            theta.sin() * phi.cos(),
            theta.sin() * phi.sin(),
            theta.cos(),
        );
        let th = model.thermal.clone().unwrap();
        let mut run =
            Integrator::thermal(model.llg.clone(), Heun::new(), [m0], dt, th, rng).unwrap();
        run.advance_to(t_end).unwrap();
        if run.state()[0].z > 0.0 {
            failed += 1;
        }
    }
    let n = f64::from(trials);
    let p = f64::from(failed) / n;
    (p, (p * (1.0 - p) / n).sqrt().max(1.0 / n))
}

#[test]
fn precessional_write_error_rate_matches_the_macrospin_ensemble() {
    let cells = CellParams {
        delta: DELTA,
        t_ref: T,
        tau_d: tau_d(),
        sd_delta: 0.0,
        sd_ic0: 0.0,
        ..CellParams::default()
    };
    let a = MramArray::<1>::new(cells, 0).unwrap();
    println!("tau_D = {:.3e} s, J_c0 = {:.3e} A/m^2", tau_d(), jc0());
    let mut worst: f64 = 0.0;
    for (i, t) in [(1.5, 2.0e-9), (2.0, 1.2e-9), (2.5, 0.9e-9)] {
        let model = a.write_error_rate(DELTA, i, t);
        let (sim, se) = ensemble_wer(i, t, 4000);
        let ratio = sim / model;
        println!("i = {i}, t = {t:.1e} s: formula {model:.4}, sLLG {sim:.4} +- {se:.4} (ratio {ratio:.3})");
        worst = worst.max((ratio.ln()).abs());
    }
    // measured: ratios 0.81, 0.99, 1.20 (4000 trials each, standard errors about 8 %): the
    // closed form is the fast model's approximation (noise after the linear stage is left
    // out), accurate to a factor 1.35 in this band
    println!("worst |ln(sLLG / formula)| = {worst:.3}");
    assert!(
        worst < 0.3,
        "the fast write model is off by a factor {}",
        worst.exp()
    );
}

/// The array's own stochastic-macrospin cells ([`MramArray::set_macrospin_cells`]) give the
/// write error rate of the standalone ensemble above, where the closed form holds, and in the
/// crossover band just above the critical current, where it does not, they give what the
/// closed form cannot: a rate that falls with current, with none of the closed form's jump.
#[test]
fn macrospin_cells_of_the_array_write_like_the_ensemble() {
    use larmor::device::mram::{MacrospinCells, Pulse};
    let ic0 = CellParams::default().ic0_p_ap;
    let cells = CellParams {
        delta: DELTA,
        t_ref: T,
        tau_d: tau_d(),
        ic0_ap_p: ic0,
        sd_delta: 0.0,
        sd_ic0: 0.0,
        ..CellParams::default()
    };
    let wer = |i: f64, t: f64, seed: u64| {
        let mut a = MramArray::<256>::new(cells, seed).unwrap();
        a.set_macrospin_cells(Some(MacrospinCells {
            first: 0,
            count: 2048,
            alpha: ALPHA,
            dt: 0.5e-12,
        }))
        .unwrap();
        let pulse = Pulse {
            current: i * ic0,
            width: t,
        };
        let (mut failed, mut trials) = (0u32, 0u32);
        for round in 0..2 {
            let data = [if round % 2 == 0 { 0xFF } else { 0x00 }; 256];
            let before = a.stats().switches;
            failed += a.write(0, &data, pulse).unwrap();
            trials += (a.stats().switches - before) as u32;
        }
        let p = f64::from(failed) / f64::from(trials);
        (p, (p * (1.0 - p) / f64::from(trials)).sqrt(), trials)
    };
    let closed = MramArray::<1>::new(cells, 0).unwrap();
    let (i, t) = (2.0, 1.2e-9);
    let (sim, se, n) = wer(i, t, 1);
    let (ens, ens_se) = ensemble_wer(i, t, 4000);
    let formula = closed.write_error_rate(DELTA, i, t);
    println!("i = {i}: array cells {sim:.4} +- {se:.4} ({n} trials), ensemble {ens:.4} +- {ens_se:.4}, formula {formula:.4}");
    let z = (sim - ens) / (se * se + ens_se * ens_se).sqrt();
    assert!(
        z.abs() < 3.0,
        "array cells and ensemble differ by {z:.1} sd"
    );
    assert!(
        (sim / formula).ln().abs() < 0.3,
        "{sim} vs formula {formula}"
    );
    // the crossover band: the closed form jumps from ~1 (thermal, i <= 1) to ~0 just above 1;
    // the macrospin falls smoothly with current
    let band: Vec<f64> = [1.05, 1.2, 1.4]
        .iter()
        .map(|&i| wer(i, 2e-9, 2).0)
        .collect();
    println!(
        "crossover, 2 ns: macrospin {band:?}, closed form {:?}",
        [1.05, 1.2, 1.4].map(|i| closed.write_error_rate(DELTA, i, 2e-9))
    );
    assert!(band[0] > band[1] && band[1] > band[2], "{band:?}");
    assert!(
        band[0] > 0.5,
        "a pulse at 1.05 I_c0 for 2 ns mostly fails: {band:?}"
    );
}
