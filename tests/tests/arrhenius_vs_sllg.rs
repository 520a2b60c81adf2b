//! Arrhenius / Neel-Brown against stochastic LLG (fast switching models): the mean
//! escape time from the metastable well of a uniaxial particle in a field along its axis,
//! sigma = K V / kB T = 7, h = H/H_K = 0.1 (barrier sigma (1 - h)^2 = 5.67 kB T), from sLLG
//! trials and from `arrhenius::neel_brown` (Brown's high-barrier formula). They must agree
//! within the Monte Carlo error plus the formula's asymptotic error, which is first order in
//! 1/barrier (Brown 1963; Coffey et al. 1994).

use larmor::arrhenius::neel_brown;
use larmor::drive::Drive;
use larmor::field::{Uniaxial, Zeeman};
use larmor::integrate::Integrator;
use larmor::integrate::{Control, Crossing, Direction};
use larmor::llg::Llg;
use larmor::random::Philox;
use larmor::stepper::Heun;
use larmor::thermal::Thermal;
use larmor::units::GAMMA_E;
use larmor::Vec3;

#[test]
fn arrhenius_mean_switching_time_matches_sllg() {
    let (sigma, h, alpha) = (7.0f64, 0.1f64, 0.5f64);
    // reduced units with mu0 Ms = 1 T: k1 = 1/2 gives mu0 H_K = 2 k1 mu0 Ms = 1 T, and one
    // reduced time unit is 1/(gamma * 1 T)
    let k1 = 0.5;
    let kappa = k1 / sigma; // kB T / (mu0 Ms^2 V)
    let nb = neel_brown(sigma, h, alpha, 1.0, 0.0).unwrap();
    // the field is along +z, so the down well (m = -z) is metastable
    let tau_formula = 1.0 / nb.rate_down * GAMMA_E; // reduced units
    assert!((nb.barrier_down_kt - sigma * (1.0 - h) * (1.0 - h)).abs() < 1e-12);
    let llg = Llg::new(
        alpha,
        (
            Zeeman::constant(Vec3::new(0.0, 0.0, h * 2.0 * k1)),
            Uniaxial::new(k1, 0.0, Vec3::Z),
        ),
    );
    let trials = 300u64;
    // switched once deep in the stable well
    let target = 0.5;
    let times: Vec<f64> = (0..trials)
        .map(|k| {
            let th = Thermal::<f64, 1>::new(alpha * kappa, Drive::constant(1.0));
            let mut rng = Philox::new(5, k);
            let mut m = [-Vec3::Z];
            let mut ev = [Crossing::mz(target, Direction::Rising)];
            let mut obs = |_: u64, _: f64, m: &[Vec3<f64>]| {
                if m[0].z >= target {
                    Control::Stop
                } else {
                    Control::Continue
                }
            };
            Integrator::thermal(llg.clone(), Heun::new(), m, 0.01, th.clone(), &mut rng)
                .and_then(|run| run.run_span(&mut m, (0.0, 1e7), &mut ev, &mut obs))
                .unwrap();
            ev[0].time.expect("switched")
        })
        .collect();
    let n = trials as f64;
    let mean = times.iter().sum::<f64>() / n;
    let se =
        (times.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / (n - 1.0)).sqrt() / n.sqrt();
    let barrier = nb.barrier_down_kt;
    let formula_error = tau_formula / barrier;
    let diff = mean - tau_formula;
    println!(
        "Arrhenius vs sLLG (sigma = {sigma}, h = {h}, alpha = {alpha}, barrier {barrier:.2} kT): sLLG {mean:.1} +- {se:.1}, Neel-Brown {tau_formula:.1} (reduced units); difference {:+.1}% (allowed 3 SE + 1/barrier = {:.1}%)",
        diff / tau_formula * 100.0,
        (3.0 * se + formula_error) / tau_formula * 100.0
    );
    assert!(
        diff.abs() < 3.0 * se + formula_error,
        "{mean} vs {tau_formula}"
    );
}
