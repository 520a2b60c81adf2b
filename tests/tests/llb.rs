//! The Weiss mean field and the Landau-Lifshitz-Bloch equation: Curie temperatures against the
//! mean-field formulas (found from where the magnetisation vanishes, not read back), the
//! Curie-Weiss law, the classical low-temperature slope; the LLB's longitudinal relaxation
//! rate `alpha_par / chi_par` below and above `Tc`, its limit LLG as `T -> 0`, a laser-like
//! temperature pulse through `Tc` and back; the two-temperature model against its energy
//! balance and relaxation rates, and ultrafast demagnetisation of the LLB driven by it.

use larmor::drive::Drive;
use larmor::field::{UniaxialK1, Zeeman};
use larmor::integrate::Integrator;
use larmor::llb::{Equilibrium, Llb};
use larmor::llg::Llg;
use larmor::meanfield::{MeanField, Spin};
use larmor::stepper::Rk4;
use larmor::ttm::{TtmSpec, TwoTemperature};
use larmor::units::{KB, MU_B};
use larmor::{Error, Vec3};

const J0: f64 = 1e-21;

/// The temperature where `m(T, 0)` vanishes, by bisection on the solver alone.
fn vanishing(mf: &MeanField, hi: f64) -> f64 {
    let (mut lo, mut hi) = (1e-3, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mf.magnetisation(mid, 0.0).unwrap() > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn mean_field_curie_temperatures_follow_the_formulas() {
    let cases = [
        (Spin::Classical, J0 / 3.0),
        (Spin::Ising, J0),
        (Spin::Quantum(0.5), J0 * 0.5 * 1.5 / 3.0),
        (Spin::Quantum(1.0), J0 * 2.0 / 3.0),
        (Spin::Quantum(3.5), J0 * 3.5 * 4.5 / 3.0),
    ];
    for (spin, k_tc) in cases {
        let mf = MeanField::new(spin, J0).unwrap();
        let tc = vanishing(&mf, 10.0 * k_tc / KB);
        println!("{spin:?}: Tc {tc:.6} K, formula {:.6} K", k_tc / KB);
        assert!((tc * KB / k_tc - 1.0).abs() < 1e-6, "{spin:?}");
        // Curie-Weiss above Tc: 1/chi linear in T, vanishing at theta = Tc
        let inv = |t: f64| 1.0 / mf.susceptibility(t * tc, 0.0).unwrap();
        let (t1, t2) = (2.0, 4.0);
        let theta = (t1 - inv(t1) * (t2 - t1) / (inv(t2) - inv(t1))) * tc;
        assert!((theta / tc - 1.0).abs() < 1e-9, "{spin:?}: theta {theta}");
        let mid = 0.5 * (inv(t1) + inv(t2));
        assert!((inv(3.0) / mid - 1.0).abs() < 1e-9, "1/chi is linear");
    }
    // classical spins at low T: m = 1 - kB T / J0; Ising near Tc: m^2 = 3 (1 - T/Tc)
    let classical = MeanField::new(Spin::Classical, J0).unwrap();
    let t = 0.01 * J0 / KB;
    let slope = (1.0 - classical.magnetisation(t, 0.0).unwrap()) / (KB * t / J0);
    assert!((slope - 1.0).abs() < 0.02, "low-T slope {slope}");
    let ising = MeanField::new(Spin::Ising, J0).unwrap();
    let m = ising.magnetisation(0.999 * J0 / KB, 0.0).unwrap();
    assert!(
        (m * m / 0.003 - 1.0).abs() < 2e-3,
        "Ising amplitude {}",
        m * m / 0.003
    );
    // large S tends to the classical curve at the same T / Tc
    let big = MeanField::new(Spin::Quantum(100.0), J0).unwrap();
    for r in [0.2, 0.5, 0.8] {
        let (q, c) = (
            big.magnetisation(r * big.tc(), 0.0).unwrap(),
            classical.magnetisation(r * classical.tc(), 0.0).unwrap(),
        );
        assert!((q - c).abs() < 5e-3, "T/Tc {r}: S = 100 {q}, classical {c}");
    }
}

const TC: f64 = 600.0;
/// Two Bohr magnetons in 1 T: the reference field's Zeeman energy of one moment.
const FIELD_ENERGY: f64 = 2.0 * MU_B;
const ROWS: usize = 256;
const T_MAX: f64 = 1020.0; // rows 4 K apart: 300 K and 900 K are rows

fn table() -> (MeanField, Equilibrium<f64, ROWS>) {
    let mf = MeanField::new(Spin::Classical, 3.0 * KB * TC).unwrap();
    let table = Equilibrium::mean_field(&mf, T_MAX, FIELD_ENERGY, 0.1, 3.0).unwrap();
    (mf, table)
}

/// The rate of the exponential approach of `|m|` to its end value, fitted over the second
/// half of a run from `m0`.
fn relaxation_rate(kelvin: f64, m0: f64, lambda: f64, t_end: f64) -> (f64, f64) {
    let (_, table) = table();
    let llb = Llb::new(lambda, table, Drive::constant(kelvin), [0.0, 0.0, 1.0], ()).unwrap();
    let dt = 1e-3;
    let mut run =
        Integrator::new(llb, Rk4::<f64, 1>::new(), [Vec3::new(0.0, 0.0, m0)], dt).unwrap();
    let mut trace = Vec::new();
    let n = 400;
    for k in 1..=n {
        run.advance_to(t_end * k as f64 / n as f64).unwrap();
        trace.push(run.state()[0].z);
    }
    let end = *trace.last().unwrap();
    if end.abs() < 1e-12 {
        // relaxing to 0: the rate of |m| itself
        let (a, b) = (trace[n / 4], trace[n / 2]);
        return ((a / b).ln() / (t_end / 4.0), end);
    }
    let (a, b) = (trace[n / 8] - end, trace[n / 4] - end);
    ((a / b).ln() / (t_end / 8.0), end)
}

#[test]
fn llb_relaxes_the_length_at_alpha_par_over_chi_par() {
    let (mf, _) = table();
    let lambda = 0.05;
    // below Tc: tau_par = chi_par / alpha_par about m_e
    let t = 300.0;
    let chi = mf.susceptibility(t, 0.0).unwrap() * FIELD_ENERGY;
    let expect = lambda * 2.0 * t / (3.0 * TC) / chi;
    let m_e = mf.magnetisation(t, 0.0).unwrap();
    let (rate, end) = relaxation_rate(t, m_e * (1.0 - 1e-4), lambda, 12.0 / expect);
    println!("T = {t} K: rate {rate:.6} vs alpha_par/chi_par {expect:.6} (tau_par {:.4} reduced), m {end:.8} vs m_e {m_e:.8}", 1.0 / expect);
    assert!((rate / expect - 1.0).abs() < 1e-3, "{rate} vs {expect}");
    assert!(
        (end - m_e).abs() < 1e-9,
        "a row's equilibrium is m_e: {end} vs {m_e}"
    );
    // above Tc: |m| relaxes to 0 at alpha_par / chi_par
    let t = 900.0;
    let chi = mf.susceptibility(t, 0.0).unwrap() * FIELD_ENERGY;
    let expect = lambda * 2.0 * t / (3.0 * TC) / chi;
    let (rate, end) = relaxation_rate(t, 1e-3, lambda, 40.0 / expect);
    println!("T = {t} K: rate {rate:.6} vs alpha_par/chi_par {expect:.6}, m {end:.2e}");
    assert!((rate / expect - 1.0).abs() < 1e-3, "{rate} vs {expect}");
    assert!(end.abs() < 1e-12);
}

/// Near T = 0 the LLB is the kernel's LLG (Landau-Lifshitz form, time scaled by 1 + lambda^2).
#[test]
fn llb_tends_to_llg_as_t_goes_to_zero() {
    let (_, table) = table();
    let (lambda, h_z) = (0.05, 0.3);
    let kelvin = 1e-3;
    let m_e = table.m_e(kelvin);
    let field = Zeeman::constant(Vec3::new(0.0, 0.0, h_z));
    let llb = Llb::new(
        lambda,
        table,
        Drive::constant(kelvin),
        [0.0, 0.0, 1.0],
        field.clone(),
    )
    .unwrap();
    let alpha = lambda * (1.0 - kelvin / (3.0 * TC));
    // the LLB anisotropy field on |m| = m_e is h_k0 m_e^(p-2) m_e = 0.1 m_e^2 per unit direction
    let llg = Llg::new(alpha, (field, UniaxialK1::new(0.05 * m_e * m_e, Vec3::Z)));
    let start = Vec3::new(0.6, 0.0, 0.8);
    let dt = 2e-3;
    let mut a = Integrator::new(llb, Rk4::<f64, 1>::new(), [start * m_e], dt).unwrap();
    let mut b = Integrator::new(
        llg,
        Rk4::<f64, 1>::new(),
        [start],
        dt * (1.0 + alpha * alpha),
    )
    .unwrap();
    let mut worst: f64 = 0.0;
    for k in 1..=200 {
        let t = 0.5 * k as f64;
        a.advance_to(t).unwrap();
        b.advance_to(t * (1.0 + alpha * alpha)).unwrap();
        let (x, y) = (a.state()[0], b.state()[0]);
        worst = worst.max((x * (1.0 / x.norm()) - y).norm());
        assert!(
            (x.norm() / m_e - 1.0).abs() < 1e-6,
            "the length stays m_e at T -> 0"
        );
    }
    println!("LLB vs LLG at T = {kelvin} K: largest direction difference {worst:.2e} over 100 reduced time units");
    // measured 1.4e-7 (the length sits at the table's equilibrium, within 2e-6 of m_e = 1)
    assert!(worst < 5e-7, "{worst}");
}

/// A laser-like pulse: the temperature rises through Tc and falls back; the length collapses
/// above Tc and recovers to m_e of the final temperature.
#[test]
fn a_temperature_pulse_through_tc_demagnetises_and_recovers() {
    let (mf, table) = table();
    // reduced time: heat to 1.2 Tc in 5, hold 20, cool to 0.5 Tc in 5, then rest
    let pulse = Drive::linear(&[(0.0, 300.0), (5.0, 720.0), (25.0, 720.0), (30.0, 300.0)]).unwrap();
    let llb = Llb::new(
        0.1,
        table,
        pulse,
        [0.0, 0.0, 1.0],
        Zeeman::constant(Vec3::new(0.0, 0.0, 0.01)),
    )
    .unwrap();
    let m_e = mf.magnetisation(300.0, 0.0).unwrap();
    let mut run =
        Integrator::new(llb, Rk4::<f64, 1>::new(), [Vec3::new(0.0, 0.0, m_e)], 1e-3).unwrap();
    run.advance_to(25.0).unwrap();
    let hot = run.state()[0].norm();
    run.advance_to(400.0).unwrap();
    let cooled = run.state()[0].z;
    let expect = mf.magnetisation(300.0, 0.01 * FIELD_ENERGY).unwrap();
    println!(
        "pulse: |m| {m_e:.4} -> {hot:.4} at 1.2 Tc -> {cooled:.6} (m_e in the field {expect:.6})"
    );
    assert!(hot < 0.1 * m_e, "demagnetised above Tc: {hot}");
    assert!((cooled - expect).abs() < 2e-4, "{cooled} vs {expect}");
}

#[test]
fn llb_in_f32_follows_f64() {
    let mf = MeanField::new(Spin::Classical, 3.0 * KB * TC).unwrap();
    let t64 = Equilibrium::<f64, 64>::mean_field(&mf, T_MAX, FIELD_ENERGY, 0.1, 3.0).unwrap();
    let t32 = Equilibrium::<f32, 64>::mean_field(&mf, T_MAX, FIELD_ENERGY, 0.1, 3.0).unwrap();
    let field = |s: f64| Zeeman::constant(Vec3::new(0.0, 0.0, s));
    let a = Llb::new(
        0.1,
        t64,
        Drive::constant(450.0),
        [0.0, 0.0, 1.0],
        field(0.2),
    )
    .unwrap();
    let b = Llb::new(
        0.1,
        t32,
        Drive::constant(450.0),
        [0.0, 0.0, 1.0],
        Zeeman::constant(Vec3::new(0.0, 0.0, 0.2f32)),
    )
    .unwrap();
    let mut x = Integrator::new(a, Rk4::<f64, 1>::new(), [Vec3::new(0.5, 0.0, 0.3)], 1e-3).unwrap();
    let mut y =
        Integrator::new(b, Rk4::<f32, 1>::new(), [Vec3::new(0.5f32, 0.0, 0.3)], 1e-3).unwrap();
    x.advance_to(20.0).unwrap();
    y.advance_to(20.0).unwrap();
    let (p, q) = (x.state()[0], y.state()[0]);
    let d = ((p.x - q.x as f64).powi(2) + (p.y - q.y as f64).powi(2) + (p.z - q.z as f64).powi(2))
        .sqrt();
    assert!(d < 1e-4, "f32 vs f64: {d}");
}

#[test]
fn bad_llb_input_is_refused_by_name() {
    let (_, table) = table();
    let key = |e: Result<Llb<f64, (), ROWS>, Error>| match e {
        Err(Error::OutOfRange { param, .. }) => param,
        _ => "accepted",
    };
    let new = |lambda: f64, t: f64, axis: [f64; 3]| {
        key(Llb::new(
            lambda,
            table.clone(),
            Drive::constant(t),
            axis,
            (),
        ))
    };
    assert_eq!(new(0.0, 300.0, [0.0, 0.0, 1.0]), "llb.lambda");
    assert_eq!(new(0.1, 2000.0, [0.0, 0.0, 1.0]), "llb.temperature");
    assert_eq!(new(0.1, 300.0, [0.0, 0.0, 0.0]), "llb.axis");
    assert_eq!(new(0.1, 300.0, [f64::NAN, 0.0, 1.0]), "llb.axis");
    let bad = Equilibrium::<f64, 8>::from_fn(600.0, 900.0, |_| Ok((1.2, 1.0, 0.0)));
    assert!(matches!(
        bad,
        Err(Error::OutOfRange {
            param: "llb.m_e",
            ..
        })
    ));
    let bad = Equilibrium::<f64, 8>::from_fn(600.0, 1e6, |_| Ok((0.5, 1.0, 0.0)));
    assert!(matches!(
        bad,
        Err(Error::OutOfRange {
            param: "llb.t_max",
            ..
        })
    ));
    let mf = MeanField::new(Spin::Classical, 1e-20).unwrap();
    let bad = Equilibrium::<f64, 8>::mean_field(&mf, 900.0, 1e-23, 0.1, 1.0);
    assert!(matches!(
        bad,
        Err(Error::OutOfRange {
            param: "llb.callen",
            ..
        })
    ));
}

/// The stochastic LLB's stationary length distribution is Boltzmann's,
/// `P(|m|) ~ |m|^2 exp(-V F(m) / kB T)` with `F` the longitudinal free energy
/// `-(a m^2 / 2 + b m^4 / 4)` of the table's row (no field, no anisotropy), below and above Tc.
#[test]
fn stochastic_llb_samples_the_boltzmann_length_distribution() {
    use larmor::llb::LlbNoise;
    use larmor::random::Philox;
    use larmor::stepper::Heun;
    let mf = MeanField::new(Spin::Classical, 3.0 * KB * TC).unwrap();
    for kelvin in [540.0, 660.0] {
        let table =
            Equilibrium::<f64, ROWS>::mean_field(&mf, T_MAX, FIELD_ENERGY, 0.0, 3.0).unwrap();
        // a small particle: thermal energy a tenth of its Zeeman energy in the reference field
        let energy = 10.0 * KB * kelvin;
        let chi = mf.susceptibility(kelvin, 0.0).unwrap() * FIELD_ENERGY;
        // the Boltzmann moments by quadrature of the tabulated free energy
        let (a, b) = if kelvin < TC {
            let m_e = mf.magnetisation(kelvin, 0.0).unwrap();
            (1.0 / (2.0 * chi), -1.0 / (2.0 * chi * m_e * m_e))
        } else {
            (-1.0 / chi, -3.0 * TC / (5.0 * chi * (kelvin - TC)))
        };
        let eps = KB * kelvin / energy;
        let density = |m: f64| m * m * ((a * m * m / 2.0 + b * m * m * m * m / 4.0) / eps).exp();
        let (mut z, mut m1, mut m2) = (0.0, 0.0, 0.0);
        let n = 200_000;
        for k in 0..n {
            let m = 2.0 * (k as f64 + 0.5) / n as f64;
            let p = density(m);
            z += p;
            m1 += m * p;
            m2 += m * m * p;
        }
        let (mean, sd) = (m1 / z, (m2 / z - (m1 / z).powi(2)).sqrt());
        // an ensemble of independent particles, started at the mean, sampled after relaxing
        let llb = Llb::new(0.1, table, Drive::constant(kelvin), [0.0, 0.0, 1.0], ()).unwrap();
        let relax = 1.0 / (0.1 * 2.0 * kelvin / (3.0 * TC) / chi);
        // Heun's weak error is O(dt): at relax/200 the mean sat 2.3 se low at 540 K, at
        // relax/800 0.7 se
        let dt = relax / 800.0;
        let (mut samples, mut s1, mut s2) = (0u32, 0.0, 0.0);
        let mut block_means = Vec::new();
        for trial in 0..64u64 {
            let noise = LlbNoise::<f64, _, 1>::new(energy, Philox::new(11, trial)).unwrap();
            let mut run = Integrator::with_kick(
                llb.clone(),
                Heun::<f64, 1>::new(),
                [Vec3::new(0.0, 0.0, mean)],
                dt,
                noise,
            )
            .unwrap();
            run.advance_to(5.0 * relax).unwrap();
            let mut b1 = 0.0;
            for k in 1..=200 {
                run.advance_to((5.0 + 0.5 * k as f64) * relax).unwrap();
                let r = run.state()[0].norm();
                s1 += r;
                s2 += r * r;
                b1 += r;
                samples += 1;
            }
            block_means.push(b1 / 200.0);
        }
        let n = f64::from(samples);
        let (got, got_sd) = (s1 / n, (s2 / n - (s1 / n).powi(2)).sqrt());
        // error of the mean from the independent trials' means
        let bm = block_means.iter().sum::<f64>() / 64.0;
        let se = (block_means.iter().map(|x| (x - bm).powi(2)).sum::<f64>() / 63.0 / 64.0).sqrt();
        println!("T = {kelvin} K: <|m|> {got:.5} +- {se:.5} vs Boltzmann {mean:.5}; sd {got_sd:.5} vs {sd:.5}");
        assert!(
            (got - mean).abs() < 4.0 * se,
            "mean {got} vs {mean} (se {se})"
        );
        assert!((got_sd / sd - 1.0).abs() < 0.03, "sd {got_sd} vs {sd}");
        assert!(
            se < 0.05 * sd,
            "the check resolves the distribution: se {se}"
        );
    }
}

/// Nickel-like two-temperature parameters (Kazantseva et al. 2008 use values of this order):
/// `gamma_e` 3e3 J/(m^3 K^2), `C_p` 3.1e6 J/(m^3 K), `G` 8e17 W/(m^3 K), from 300 K, a 50 fs
/// pulse at 0.2 ps absorbing `energy` J/m^3, tabulated over 50 ps.
fn nickel(energy: f64) -> TtmSpec {
    TtmSpec::new(3e3, 3.1e6, 8e17, 300.0, energy, 50e-15, 200e-15, 50e-12)
}

/// The final temperature of the closed two-temperature system: `gamma_e T^2 / 2 + C_p T`
/// grows by the absorbed energy.
fn final_temperature(s: &TtmSpec) -> f64 {
    let (g, c) = (s.gamma_e, s.c_p);
    let total = 0.5 * g * s.ambient * s.ambient + c * s.ambient + s.pulse_energy;
    (-c + (c * c + 2.0 * g * total).sqrt()) / g
}

/// The two-temperature model against its conservation law and closed forms: without a sink
/// the electrons and lattice end at the temperature where the energy has grown by exactly the
/// absorbed `E`; near the end `T_e - T_p` decays at `G (1/C_e + 1/C_p)`; without coupling
/// (`G = 0`) the electrons end at `sqrt(T_0^2 + 2 E / gamma_e)` and the lattice stays at
/// `T_0`; with a sink both return to ambient at the slow eigenvalue of the linearised model.
#[test]
fn two_temperature_model_conserves_energy_and_relaxes_at_its_rate() {
    let ps = 1e-12;
    let spec = nickel(6e8);
    let ttm = TwoTemperature::<2001>::new(&spec, ps).unwrap();
    let tf = final_temperature(&spec);
    let (te, tp) = (ttm.electron_at(50.0), ttm.phonon_at(50.0));
    println!(
        "TTM: peak T_e {:.1} K, end T_e {te:.6} T_p {tp:.6}, energy balance {tf:.6} K",
        ttm.peak_electron()
    );
    // RK4 at 1/50 of the fastest time: relative error far below 1e-9
    assert!(
        (te - tf).abs() < 1e-6 && (tp - tf).abs() < 1e-6,
        "{te} {tp} vs {tf}"
    );
    // relaxation of the difference at 5 and 6 ps (differences of a few K: the heat
    // capacities change by below 1 % over it)
    let d = |t: f64| ttm.electron_at(t) - ttm.phonon_at(t);
    let rate = (d(5.0) / d(6.0)).ln() / ps;
    let t_mid = ttm.electron_at(5.5);
    let expect = spec.g_ep * (1.0 / (spec.gamma_e * t_mid) + 1.0 / spec.c_p);
    println!("TTM: T_e - T_p decays at {rate:.4e} /s, G (1/C_e + 1/C_p) = {expect:.4e} /s");
    assert!(d(6.0) > 0.1, "still resolvable: {}", d(6.0));
    assert!((rate / expect - 1.0).abs() < 0.01, "{rate} vs {expect}");
    let free = TwoTemperature::<101>::new(&TtmSpec { g_ep: 0.0, ..spec }, ps).unwrap();
    let hot = (300.0f64.powi(2) + 2.0 * spec.pulse_energy / spec.gamma_e).sqrt();
    println!(
        "TTM, G = 0: T_e {:.6} vs {hot:.6} K",
        free.electron_at(50.0)
    );
    assert!((free.electron_at(50.0) - hot).abs() < 1e-6);
    assert_eq!(free.phonon_at(50.0), 300.0);
    let sunk = TtmSpec {
        sink_time: 2e-12,
        ..spec
    };
    let cooled = TwoTemperature::<1001>::new(&sunk, ps).unwrap();
    // linearised about ambient, d/dt (dT_e, dT_p) = [[-a, a], [b, -b - c]] (dT_e, dT_p) with
    // a = G / C_e, b = G / C_p, c = 1 / tau_sink: the excess decays at the slow eigenvalue
    // ((a + b + c) - sqrt((a + b + c)^2 - 4 a c)) / 2 (for G -> infinity, c C_p / (C_e + C_p))
    let excess = |t: f64| cooled.phonon_at(t) - 300.0;
    let rate = (excess(20.0) / excess(30.0)).ln() / (10.0 * ps);
    let (a, b, c) = (
        spec.g_ep / (spec.gamma_e * cooled.electron_at(25.0)),
        spec.g_ep / spec.c_p,
        1.0 / 2e-12,
    );
    let expect = 0.5 * ((a + b + c) - ((a + b + c).powi(2) - 4.0 * a * c).sqrt());
    println!(
        "TTM with a 2 ps sink: excess {:.3e} K at 20 ps decays at {rate:.4e} /s, expected \
         {expect:.4e} /s",
        excess(20.0)
    );
    assert!((rate / expect - 1.0).abs() < 0.01, "{rate} vs {expect}");
}

/// Ultrafast demagnetisation (Beaurepaire et al. 1996) in the LLB driven by a
/// two-temperature model: the electron temperature rises through Tc in the pulse and the
/// length collapses after it (delayed by the longitudinal relaxation), then recovers to `m_e`
/// of the temperature the energy balance gives, as the electrons and lattice equilibrate.
#[test]
fn laser_pulse_demagnetises_through_the_two_temperature_model() {
    let (mf, table) = table();
    // the LLB's time unit: 1 / (gamma mu0 H_ref), H_ref = 1 T
    let unit = 1.0 / larmor::units::GAMMA_E;
    let spec = nickel(6e8);
    let ttm = TwoTemperature::<2001>::new(&spec, unit).unwrap();
    let tf = final_temperature(&spec);
    assert!(ttm.peak_electron() > TC && ttm.peak_electron() < T_MAX && tf < TC);
    let m0 = mf.magnetisation(300.0, 0.0).unwrap();
    let llb = Llb::new(0.3, table, ttm, [0.0, 0.0, 1.0], ()).unwrap();
    let mut run =
        Integrator::new(llb, Rk4::<f64, 1>::new(), [Vec3::new(0.0, 0.0, m0)], 1e-3).unwrap();
    let (mut low, mut t_low) = (m0, 0.0);
    let t_end = 50e-12 / unit;
    let n = 1000;
    for k in 1..=n {
        let t = t_end * k as f64 / n as f64;
        run.advance_to(t).unwrap();
        let m = run.state()[0].norm();
        if m < low {
            (low, t_low) = (m, t);
        }
    }
    run.advance_to(t_end + 3000.0).unwrap();
    let end = run.state()[0].norm();
    let expect = mf.magnetisation(tf, 0.0).unwrap();
    println!(
        "laser: |m| {m0:.4} -> {low:.4} at {:.3} ps (T_e peak {:.1} K) -> {end:.6}, m_e({tf:.2} K) = \
         {expect:.6}",
        t_low * unit * 1e12,
        run.system().temperature().peak_electron()
    );
    assert!(low < 0.5 * m0, "demagnetised: {low}");
    assert!(
        t_low * unit > spec.pulse_time,
        "the minimum follows the pulse"
    );
    // the table's O(dT^2) interpolation error is 1e-5 here
    assert!((end - expect).abs() < 5e-5, "{end} vs {expect}");
}
