//! Spin lattices against closed forms and published critical points: every lattice term's
//! field against a finite-difference gradient of its energy and its single-spin energy change
//! against two full energies; dipolar pairs, the magic angle and the Lorentz cavity; spin waves
//! of a periodic chain under atomistic LLG; Binder crossings of the 2D Ising and 3D classical
//! Heisenberg models; the limits of the Binder cumulant; the low-temperature magnetisation of
//! the classical simple-cubic ferromagnet; the Curie-Weiss temperature of its high-temperature
//! susceptibility; the Mermin-Wagner decay of the 2D Heisenberg magnetisation with size;
//! atomistic stochastic LLG with unequal moments against the Boltzmann distribution.
//!
//! Monte Carlo runs are independent Philox streams, run on threads; each Tc estimate carries
//! a jackknife error over 20 blocks per run, and the tests assert both the distance to the
//! reference and that the error bar is small enough for the comparison to mean something.

use larmor::field::FieldTerm;
use larmor::integrate::Integrator;
use larmor::lattice::mc::{MonteCarlo, Rule, Spin};
use larmor::lattice::observe::{crossing, run, Blocks, Means};
use larmor::lattice::{
    rkky, Atomistic, Boundary, Dipolar, Dmi, Exchange, Lattice, LatticeSpec, OnSite, Site,
};
use larmor::llg::Llg;
use larmor::random::{uniform_f64, Philox};
use larmor::stepper::{Midpoint, Rk4};
use larmor::Vec3;
use larmor_tests::{boltzmann_mz, mean_period, rising_zero_crossings};
use std::time::Instant;

/// Blocks per Monte Carlo run.
const NB: usize = 20;

fn random_unit(rng: &mut Philox) -> Vec3<f64> {
    let z = 2.0 * uniform_f64(rng) - 1.0;
    let phi = std::f64::consts::TAU * uniform_f64(rng);
    let s = (1.0 - z * z).sqrt();
    Vec3::new(s * phi.cos(), s * phi.sin(), z)
}

fn random_state(n: usize, seed: u64) -> Vec<Vec3<f64>> {
    let mut rng = Philox::new(seed, 0);
    (0..n).map(|_| random_unit(&mut rng)).collect()
}

/// `mu_i h_i = -de/dm_i` (central differences, every site and component) and
/// `delta_energy = e(new) - e(old)` at every site, for a term on the state `m`. `mu` is the
/// per-site factor between the term's field and the gradient (1 except for [`Atomistic`]).
fn check_term<F: FieldTerm<f64>>(name: &str, term: &F, m: &[Vec3<f64>], mu: &dyn Fn(usize) -> f64) {
    let n = m.len();
    let mut h = vec![Vec3::ZERO; n];
    term.set_field(0.0, m, &mut h);
    let eps = 1e-6;
    let e0 = term.energy(0.0, m);
    let mut worst: f64 = 0.0;
    let mut scale: f64 = 0.0;
    for i in 0..n {
        for (k, e) in [Vec3::X, Vec3::Y, Vec3::Z].into_iter().enumerate() {
            let mut p = m.to_vec();
            let mut q = m.to_vec();
            p[i] += e.scale(eps);
            q[i] -= e.scale(eps);
            let g = (term.energy(0.0, &p) - term.energy(0.0, &q)) / (2.0 * eps);
            let hk = [h[i].x, h[i].y, h[i].z][k] * mu(i);
            worst = worst.max((hk + g).abs());
            scale = scale.max(hk.abs());
        }
    }
    assert!(
        scale > 0.1,
        "{name}: the field is trivially small ({scale})"
    );
    assert!(
        worst < 1e-7 * (1.0 + scale),
        "{name}: field vs -de/dm differ by {worst:e}"
    );
    let mut rng = Philox::new(99, 1);
    for site in 0..n {
        let new = random_unit(&mut rng);
        let mut moved = m.to_vec();
        moved[site] = new;
        let full = term.energy(0.0, &moved) - e0;
        let local = term.delta_energy(0.0, m, site, new);
        assert!(
            (full - local).abs() < 1e-12 * (1.0 + e0.abs()),
            "{name}: site {site}: delta {local} vs {full}"
        );
    }
    assert_eq!(
        term.delta_energy(0.0, m, n, Vec3::X),
        0.0,
        "{name}: site out of range"
    );
}

#[test]
fn every_lattice_term_is_minus_its_gradient() {
    // exchange over three shells of an open bcc cluster, with RKKY constants
    let bcc =
        Lattice::<54, 2048>::build(&LatticeSpec::bcc(3, Boundary::Open).with_shells(3)).unwrap();
    let ex = Exchange::<f64>::rkky(bcc.neighbours(), 30.0, 2.2).unwrap();
    let js: Vec<f64> = (0..3).map(|s| ex.constant(s)).collect();
    println!(
        "RKKY J(r) on the bcc shells {:?}: {js:?}",
        bcc.neighbours().shell_radii()
    );
    assert!(
        js.iter().any(|&j| j > 0.0) && js.iter().any(|&j| j < 0.0),
        "RKKY signs {js:?}"
    );
    let r = bcc.neighbours().shell_radii();
    assert!((js[0] - rkky(30.0, 2.2, r[0])).abs() < 1e-14);
    check_term(
        "exchange (bcc, 3 shells, RKKY)",
        &ex,
        &random_state(54, 1),
        &|_| 1.0,
    );

    // ferro + antiferro shells on a periodic triangular lattice
    let tri = Lattice::<25, 512>::build(
        &LatticeSpec::triangular(5, 5, Boundary::Periodic).with_shells(2),
    )
    .unwrap();
    let ex2 = Exchange::<f64>::new(tri.neighbours(), &[1.0, -0.4]).unwrap();
    check_term(
        "exchange (triangular, J1 > 0, J2 < 0)",
        &ex2,
        &random_state(25, 2),
        &|_| 1.0,
    );

    // interfacial DMI on a square film, bulk DMI on a simple-cubic block (two shells)
    let sq = Lattice::<16, 64>::build(&LatticeSpec::square(4, 4, Boundary::Periodic)).unwrap();
    let dmi = Dmi::<f64>::interfacial(sq.neighbours(), &[0.7], [0.0, 0.0, 1.0]).unwrap();
    check_term("dmi (interfacial)", &dmi, &random_state(16, 3), &|_| 1.0);
    let sc =
        Lattice::<27, 1024>::build(&LatticeSpec::simple_cubic(3, Boundary::Open).with_shells(2))
            .unwrap();
    let bulk = Dmi::<f64>::bulk(sc.neighbours(), &[0.5, -0.2]).unwrap();
    check_term("dmi (bulk, 2 shells)", &bulk, &random_state(27, 4), &|_| {
        1.0
    });

    // dipolar with unequal moments, on-site terms per site, and the atomistic field
    let moments: Vec<f64> = (0..27).map(|i| 0.5 + 0.1 * (i % 7) as f64).collect();
    let dip = Dipolar::<f64, 351>::from_lattice(&sc, &moments, 0.3).unwrap();
    check_term("dipolar", &dip, &random_state(27, 5), &|_| 1.0);
    let sites: Vec<Site> = (0..27)
        .map(|i| Site {
            mu: moments[i],
            k: 0.3 - 0.05 * (i % 5) as f64,
            axis: [0.1 * i as f64, 1.0, 0.5],
            b: [0.2, -0.1 * (i % 3) as f64, 0.4],
        })
        .collect();
    let onsite = OnSite::<f64, 27>::from_sites(&sites).unwrap();
    check_term("onsite", &onsite, &random_state(27, 6), &|_| 1.0);
    let ex_sc = Exchange::<f64>::new(sc.neighbours(), &[1.0, 0.2]).unwrap();
    let model = Atomistic::new(onsite, (ex_sc, bulk, dip));
    check_term(
        "atomistic (mu_i b_i = -de/dm_i)",
        &model,
        &random_state(27, 7),
        &|i| moments[i],
    );
    // composed with the macrospin terms (on the 16-site lattice of the DMI term)
    let composed = (
        larmor::field::Zeeman::constant(Vec3::new(0.1, 0.2, 0.3)),
        larmor::field::Uniaxial::new(0.4, 0.1, Vec3::new(0.0, 0.6, 0.8)),
        Exchange::<f64>::uniform(sq.neighbours(), -1.0),
        Some(dmi),
    );
    check_term(
        "macrospin terms + exchange + dmi",
        &composed,
        &random_state(16, 8),
        &|_| 1.0,
    );
}

/// Two point dipoles: the closed form of the pair energy, and its zero at the magic angle
/// `acos(1/sqrt(3)) = 54.7356 deg` for parallel moments.
#[test]
fn dipolar_pair_and_magic_angle() {
    let mut rng = Philox::new(5, 5);
    for _ in 0..50 {
        let (m1, m2, dir) = (
            random_unit(&mut rng),
            random_unit(&mut rng),
            random_unit(&mut rng),
        );
        let r = 0.5 + 2.0 * uniform_f64(&mut rng);
        let (mu1, mu2, w) = (0.7, 1.3, 0.25);
        let p2 = dir.scale(r).to_f64();
        let d = Dipolar::<f64, 1>::new(&[[0.0; 3], p2], &[mu1, mu2], w).unwrap();
        let closed = -w * mu1 * mu2 * (3.0 * m1.dot(dir) * m2.dot(dir) - m1.dot(m2)) / r.powi(3);
        let e = d.energy(0.0, &[m1, m2]);
        assert!(
            (e - closed).abs() < 1e-13,
            "pair energy {e} vs closed form {closed}"
        );
    }
    let magic = (1.0f64 / 3.0f64.sqrt()).acos();
    assert!((magic.to_degrees() - 54.7356).abs() < 1e-4);
    let d = Dipolar::<f64, 1>::new(&[[0.0; 3], [0.0, 0.0, 1.0]], &[], 1.0).unwrap();
    let at = |theta: f64| {
        let m = Vec3::new(theta.sin(), 0.0, theta.cos());
        d.energy(0.0, &[m, m])
    };
    assert!((at(0.0) + 2.0).abs() < 1e-15, "head to tail: -2 w / r^3");
    assert!(
        (at(std::f64::consts::FRAC_PI_2) - 1.0).abs() < 1e-15,
        "side by side: +w / r^3"
    );
    assert!(at(magic).abs() < 1e-15, "magic angle: {}", at(magic));
    assert!(at(magic - 1e-3) < 0.0 && at(magic + 1e-3) > 0.0);
}

/// The dipolar field at the centre of a uniformly magnetised cube of simple-cubic point
/// dipoles vanishes by cubic symmetry (the Lorentz cavity field of a cubic lattice), for any
/// direction of magnetisation; off the centre it does not.
#[test]
fn no_dipolar_field_at_the_centre_of_a_cube() {
    // 5^3 = 125 spins: 7750 pairs, 372 KB of f64 tensors, on a thread with room for them
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            let lat =
                Lattice::<125, 1024>::build(&LatticeSpec::simple_cubic(5, Boundary::Open)).unwrap();
            let dip = Box::new(Dipolar::<f64, 7750>::from_lattice(&lat, &[], 1.0).unwrap());
            let centre = 62; // cell (2, 2, 2)
            assert_eq!(lat.position(centre), Some([2.0, 2.0, 2.0]));
            for dir in [Vec3::Z, Vec3::X, Vec3::new(1.0, 2.0, 3.0).normalized()] {
                let m = vec![dir; 125];
                let h = dip.local_field(&m, centre);
                assert!(h.max_abs() < 1e-13, "centre field {h:?} for m = {dir:?}");
                let face = dip.local_field(&m, 2 + 5 * 2); // cell (2, 2, 0): a face centre
                assert!(face.max_abs() > 0.1, "face field {face:?}");
            }
            // and a 3^3 cube
            let lat3 =
                Lattice::<27, 256>::build(&LatticeSpec::simple_cubic(3, Boundary::Open)).unwrap();
            let d3 = Dipolar::<f64, 351>::from_lattice(&lat3, &[], 1.0).unwrap();
            let h = d3.local_field(&[Vec3::Z; 27], 13);
            assert!(h.max_abs() < 1e-14, "3^3 centre field {h:?}");
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Spin waves on a periodic ferromagnetic chain with uniaxial anisotropy `K` and field `B`
/// along z, atomistic LLG without damping: a small-amplitude mode of wave number `k` precesses
/// at `omega(k) = (gamma / mu_s) [2 J (1 - cos ka) + 2 K + mu_s B]` (reduced: `gamma = J =
/// mu_ref = 1`, time unit `mu_ref / (gamma J)`). Measured from the zero crossings of `m_x` of
/// one site, with RK4 and with the midpoint rule.
#[test]
fn spin_waves_on_a_periodic_chain() {
    const N: usize = 16;
    let lat = Lattice::<N, 32>::build(&LatticeSpec::chain(N, Boundary::Periodic)).unwrap();
    let (j, k_an, b) = (1.0, 0.1, 0.3);
    let t0 = Instant::now();
    for mu in [1.0, 2.0] {
        let site = Site {
            mu,
            k: k_an,
            axis: [0.0, 0.0, 1.0],
            b: [0.0, 0.0, b],
        };
        let model = Atomistic::new(
            OnSite::<f64, N>::uniform(N, &site).unwrap(),
            Exchange::uniform(lat.neighbours(), j),
        );
        let llg = Llg::new(0.0, model);
        for n in [0usize, 1, 3, 8] {
            let k = std::f64::consts::TAU * n as f64 / N as f64;
            let omega = (2.0 * j * (1.0 - k.cos()) + 2.0 * k_an + mu * b) / mu;
            let eps = 1e-3;
            let m0: [Vec3<f64>; N] = std::array::from_fn(|i| {
                let p = k * i as f64;
                Vec3::new(eps * p.cos(), eps * p.sin(), 1.0).normalized()
            });
            let period = 2.0 * std::f64::consts::PI / omega;
            let dt = period / 200.0;
            let t_end = 10.0 * period;
            let measure = |use_rk4: bool| {
                let mut samples = Vec::new();
                let mut obs = |_: u64, t: f64, m: &[Vec3<f64>]| {
                    samples.push((t, m[0].x));
                    larmor::integrate::Control::Continue
                };
                let mut state = m0;
                if use_rk4 {
                    Integrator::new(llg.clone(), Rk4::<f64, N>::new(), m0, dt)
                        .and_then(|r| r.run_span(&mut state, (0.0, t_end), &mut [], &mut obs))
                        .unwrap();
                } else {
                    Integrator::new(llg.clone(), Midpoint::<f64, N>::new(), m0, dt)
                        .and_then(|r| r.run_span(&mut state, (0.0, t_end), &mut [], &mut obs))
                        .unwrap();
                }
                let p = mean_period(&rising_zero_crossings(&samples)).unwrap();
                2.0 * std::f64::consts::PI / p
            };
            let (w_rk4, w_mid) = (measure(true), measure(false));
            println!(
                "spin wave mu_s = {mu}, k a = {k:.4}: omega rk4 {w_rk4:.6}, midpoint {w_mid:.6}, \
                 formula {omega:.6}"
            );
            assert!((w_rk4 / omega - 1.0).abs() < 1e-5, "rk4 {w_rk4} vs {omega}");
            // the midpoint rule's phase error is second order: (omega dt)^2 / 12 = 8e-5
            assert!(
                (w_mid / omega - 1.0).abs() < 3e-4,
                "midpoint {w_mid} vs {omega}"
            );
        }
    }
    println!("spin waves: {:?}", t0.elapsed());
}

/// One Monte Carlo run on its own Philox stream: the blocks of a run of `sweeps` sweeps after
/// `equilibration`, starting from all spins along z.
#[allow(clippy::too_many_arguments)]
fn mc_run<F: FieldTerm<f64>>(
    terms: &F,
    n: usize,
    spin: Spin,
    rule: Rule,
    t: f64,
    equilibration: u32,
    sweeps: u32,
    stream: u64,
) -> Blocks<NB> {
    let mut m = vec![Vec3::Z; n];
    if spin == Spin::Xy {
        m = vec![Vec3::X; n];
    }
    let mut mc = MonteCarlo::new(spin, rule, t, Philox::new(2024, stream)).unwrap();
    let mut blocks = Blocks::<NB>::new(sweeps / NB as u32).unwrap();
    run(&mut mc, terms, &mut m, &[], equilibration, &mut blocks).unwrap();
    blocks
}

/// The Binder crossing of two sizes over the temperatures `t` and its jackknife error (all
/// runs leave out the same block index at once: the runs are independent, so this is the
/// jackknife of the whole data set), with the cumulant of the larger size there.
fn binder_crossing(t: &[f64], a: &[Blocks<NB>], b: &[Blocks<NB>]) -> ((f64, f64), (f64, f64)) {
    let u = |runs: &[Blocks<NB>], k: Option<usize>| -> Vec<f64> {
        runs.iter()
            .map(|r| {
                let means = match k {
                    Some(k) => r.leave_out(k).unwrap(),
                    None => r.means().unwrap(),
                };
                Means::binder(&means)
            })
            .collect()
    };
    // the cumulant of `b` at temperature x, from the least-squares line through its points
    let at = |ub: &[f64], x: f64| {
        let n = t.len() as f64;
        let (tm, um) = (t.iter().sum::<f64>() / n, ub.iter().sum::<f64>() / n);
        let sxy: f64 = t.iter().zip(ub).map(|(ti, ui)| (ti - tm) * (ui - um)).sum();
        let sxx: f64 = t.iter().map(|ti| (ti - tm) * (ti - tm)).sum();
        um + sxy / sxx * (x - tm)
    };
    let (ua, ub) = (u(a, None), u(b, None));
    let tc = crossing(t, &ua, &ub).unwrap();
    let uc = at(&ub, tc);
    let (mut ts, mut us) = (Vec::new(), Vec::new());
    for k in 0..NB {
        let (ua, ub) = (u(a, Some(k)), u(b, Some(k)));
        let x = crossing(t, &ua, &ub).unwrap();
        ts.push(x);
        us.push(at(&ub, x));
    }
    let jk = |v: &[f64]| {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        ((n - 1.0) / n * v.iter().map(|x| (x - mean).powi(2)).sum::<f64>()).sqrt()
    };
    ((tc, jk(&ts)), (uc, jk(&us)))
}

/// Runs every (size, temperature) pair on its own thread and stream.
/// Prints each size's Binder cumulants, then the crossings of each pair of sizes (`sizes` are
/// the linear sizes `L` of `runs`, in `dim` dimensions), asserting each `Tc` within `tol` of
/// `reference` with an error bar below `err_tol` of it; returns `U` at each crossing.
#[allow(clippy::too_many_arguments)]
fn report_crossings(
    name: &str,
    sizes: &[usize; 3],
    dim: u32,
    temps: &[f64],
    runs: &[Vec<Blocks<NB>>],
    reference: f64,
    tol: f64,
    err_tol: f64,
) -> Vec<(f64, f64)> {
    for (l, row) in sizes.iter().zip(runs) {
        for (t, b) in temps.iter().zip(row) {
            let s = b.summary(l.pow(dim), *t).unwrap();
            println!(
                "{name} L={l:2} T={t}: U = {:.4} +- {:.4}, m = {:.4}",
                s.u4.value, s.u4.err, s.m.value
            );
        }
    }
    let mut out = Vec::new();
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let ((tc, tc_err), (uc, uc_err)) = binder_crossing(temps, &runs[a], &runs[b]);
        let dev = tc / reference - 1.0;
        println!(
            "{name} Binder crossing L={}/{}: Tc = {tc:.4} +- {tc_err:.4} J ({:+.2} % from \
             {reference}), U = {uc:.4} +- {uc_err:.4}",
            sizes[a],
            sizes[b],
            100.0 * dev
        );
        assert!(
            dev.abs() < tol,
            "{name}: Tc {tc} +- {tc_err} vs {reference}"
        );
        assert!(
            tc_err < err_tol * reference,
            "{name}: error bar {tc_err} too large to test {tol}"
        );
        out.push((uc, uc_err));
    }
    out
}

fn scan<F: FieldTerm<f64> + Sync>(
    models: &[(usize, &F, u32, u32)],
    temps: &[f64],
    spin: Spin,
    rule: Rule,
) -> Vec<Vec<Blocks<NB>>> {
    std::thread::scope(|s| {
        let handles: Vec<Vec<_>> = models
            .iter()
            .enumerate()
            .map(|(li, &(n, terms, eq, sweeps))| {
                temps
                    .iter()
                    .enumerate()
                    .map(|(ti, &t)| {
                        let stream = (li * 16 + ti) as u64;
                        s.spawn(move || mc_run(terms, n, spin, rule, t, eq, sweeps, stream))
                    })
                    .collect()
            })
            .collect();
        handles
            .into_iter()
            .map(|row| row.into_iter().map(|h| h.join().unwrap()).collect())
            .collect()
    })
}

/// 2D Ising, square lattice: Binder crossings of L = 8, 16, 32 within 1 % of Onsager's
/// `Tc = 2 / ln(1 + sqrt 2) = 2.269185 J` (Onsager 1944), the cumulant there near the
/// universal `U* = 0.61069` (Kamieniarz and Bloete, J. Phys. A 26, 201 (1993)).
#[test]
fn ising_square_lattice_critical_temperature() {
    let t0 = Instant::now();
    let onsager = 2.0 / (1.0 + 2.0f64.sqrt()).ln();
    assert!((onsager - 2.269185).abs() < 1e-6);
    let l8 = Lattice::<64, 256>::build(&LatticeSpec::square(8, 8, Boundary::Periodic)).unwrap();
    let l16 =
        Lattice::<256, 1024>::build(&LatticeSpec::square(16, 16, Boundary::Periodic)).unwrap();
    let l32 =
        Lattice::<1024, 4096>::build(&LatticeSpec::square(32, 32, Boundary::Periodic)).unwrap();
    let (e8, e16, e32) = (
        Exchange::<f64>::uniform(l8.neighbours(), 1.0),
        Exchange::<f64>::uniform(l16.neighbours(), 1.0),
        Exchange::<f64>::uniform(l32.neighbours(), 1.0),
    );
    let temps = [2.25, 2.27, 2.29];
    let runs = scan(
        &[
            (64, &e8, 1000, 100_000),
            (256, &e16, 2000, 100_000),
            (1024, &e32, 4000, 60_000),
        ],
        &temps,
        Spin::Ising,
        Rule::Metropolis { step: 1.0 },
    );
    let crossings = report_crossings(
        "ising",
        &[8, 16, 32],
        2,
        &temps,
        &runs,
        onsager,
        0.01,
        0.003,
    );
    for (uc, uc_err) in crossings {
        assert!(
            (uc - 0.61069).abs() < 0.02 + 3.0 * uc_err,
            "U(Tc) = {uc} +- {uc_err}"
        );
        assert!(uc_err < 0.01, "U error bar {uc_err}");
    }
    println!("ising Tc: {:?}", t0.elapsed());
}

/// 3D classical Heisenberg, simple cubic: Binder crossings of L = 4, 6, 8 within 2 % of
/// `Tc = 1.4430 J` (Chen, Ferrenberg and Landau, Phys. Rev. B 48, 3249 (1993)).
#[test]
fn heisenberg_simple_cubic_critical_temperature() {
    let t0 = Instant::now();
    let tc_ref = 1.4430;
    let l4 = Lattice::<64, 384>::build(&LatticeSpec::simple_cubic(4, Boundary::Periodic)).unwrap();
    let l6 =
        Lattice::<216, 1296>::build(&LatticeSpec::simple_cubic(6, Boundary::Periodic)).unwrap();
    let l8 =
        Lattice::<512, 3072>::build(&LatticeSpec::simple_cubic(8, Boundary::Periodic)).unwrap();
    let (e4, e6, e8) = (
        Exchange::<f64>::uniform(l4.neighbours(), 1.0),
        Exchange::<f64>::uniform(l6.neighbours(), 1.0),
        Exchange::<f64>::uniform(l8.neighbours(), 1.0),
    );
    let temps = [1.41, 1.443, 1.48];
    let runs = scan(
        &[
            (64, &e4, 1000, 20_000),
            (216, &e6, 1000, 20_000),
            (512, &e8, 1000, 20_000),
        ],
        &temps,
        Spin::Heisenberg,
        Rule::HeatBath,
    );
    report_crossings(
        "heisenberg",
        &[4, 6, 8],
        3,
        &temps,
        &runs,
        tc_ref,
        0.02,
        0.006,
    );
    println!("heisenberg Tc: {:?}", t0.elapsed());
}

/// The limits of the Binder cumulant `U = 1 - <m^4> / (3 <m^2>^2)`: 2/3 in the ordered phase
/// for every spin kind; for independent spins (`T -> infinity`) exactly `2/(3n)` (Ising),
/// `1/3 + 1/(3n)` (XY) and `4/9 + 2/(9n)` (Heisenberg), the Gaussian values 0, 1/3 and 4/9 plus
/// the finite-`n` terms of `<(sum s_i)^4>`; and near those Gaussian values well above Tc.
#[test]
fn binder_cumulant_limits() {
    let t0 = Instant::now();
    let sq = Lattice::<256, 1024>::build(&LatticeSpec::square(16, 16, Boundary::Periodic)).unwrap();
    let sc4 = Lattice::<64, 384>::build(&LatticeSpec::simple_cubic(4, Boundary::Periodic)).unwrap();
    let sc6 =
        Lattice::<216, 1296>::build(&LatticeSpec::simple_cubic(6, Boundary::Periodic)).unwrap();
    let (ex_sq, ex4, ex6) = (
        Exchange::<f64>::uniform(sq.neighbours(), 1.0),
        Exchange::<f64>::uniform(sc4.neighbours(), 1.0),
        Exchange::<f64>::uniform(sc6.neighbours(), 1.0),
    );
    let hot = 1e9; // independent spins
    let (ising_free, xy_free, heis_free) = (
        2.0 / 768.0,
        1.0 / 3.0 + 1.0 / 192.0,
        4.0 / 9.0 + 2.0 / 576.0,
    );
    let (ordered, disordered) = (2000, 40_000);
    let metropolis = Rule::Metropolis { step: 1.0 };
    let uniform = Rule::Metropolis {
        step: f64::INFINITY,
    };
    type Case<'a> = (
        &'a str,
        Spin,
        Rule,
        &'a Exchange<'a, f64>,
        usize,
        f64,
        u32,
        f64,
        f64,
    );
    let cases: [Case; 12] = [
        (
            "ising ordered",
            Spin::Ising,
            metropolis,
            &ex_sq,
            256,
            1.0,
            ordered,
            2.0 / 3.0,
            2e-3,
        ),
        (
            "xy ordered",
            Spin::Xy,
            Rule::HeatBath,
            &ex6,
            216,
            0.3,
            ordered,
            2.0 / 3.0,
            2e-3,
        ),
        (
            "heisenberg ordered",
            Spin::Heisenberg,
            Rule::HeatBath,
            &ex6,
            216,
            0.3,
            ordered,
            2.0 / 3.0,
            2e-3,
        ),
        (
            "ising free",
            Spin::Ising,
            Rule::HeatBath,
            &ex_sq,
            256,
            hot,
            disordered,
            ising_free,
            0.0,
        ),
        (
            "xy free",
            Spin::Xy,
            Rule::HeatBath,
            &ex4,
            64,
            hot,
            disordered,
            xy_free,
            0.0,
        ),
        (
            "xy free (metropolis)",
            Spin::Xy,
            uniform,
            &ex4,
            64,
            hot,
            disordered,
            xy_free,
            0.0,
        ),
        (
            "heisenberg free",
            Spin::Heisenberg,
            Rule::HeatBath,
            &ex4,
            64,
            hot,
            disordered,
            heis_free,
            0.0,
        ),
        (
            "heisenberg free (metropolis)",
            Spin::Heisenberg,
            uniform,
            &ex4,
            64,
            hot,
            disordered,
            heis_free,
            0.0,
        ),
        // well above Tc (Ising 2.27, XY 2.20, Heisenberg 1.44): the approach to the Gaussian
        // value is O(chi / n), chi the susceptibility per spin
        (
            "ising above Tc",
            Spin::Ising,
            metropolis,
            &ex_sq,
            256,
            5.0,
            disordered,
            0.0,
            0.02,
        ),
        (
            "xy above Tc",
            Spin::Xy,
            Rule::HeatBath,
            &ex6,
            216,
            5.0,
            disordered,
            1.0 / 3.0,
            0.02,
        ),
        (
            "heisenberg above Tc",
            Spin::Heisenberg,
            Rule::HeatBath,
            &ex6,
            216,
            4.0,
            disordered,
            4.0 / 9.0,
            0.02,
        ),
        (
            "heisenberg above Tc (metropolis)",
            Spin::Heisenberg,
            metropolis,
            &ex6,
            216,
            4.0,
            disordered,
            4.0 / 9.0,
            0.02,
        ),
    ];
    let results: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = cases
            .iter()
            .enumerate()
            .map(|(k, &(_, spin, rule, ex, n, t, sweeps, _, _))| {
                s.spawn(move || mc_run(ex, n, spin, rule, t, 500, sweeps, 100 + k as u64))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for ((name, _, _, _, n, t, _, limit, tol), b) in cases.iter().zip(&results) {
        let u = b.summary(*n, *t).unwrap().u4;
        println!(
            "binder {name} (n = {n}, T = {t:e}): U = {:.4} +- {:.4}, expected {limit:.4}",
            u.value, u.err
        );
        assert!(u.err < 0.01, "{name}: error bar {} too large", u.err);
        assert!(
            (u.value - limit).abs() < tol + 4.0 * u.err,
            "{name}: U = {} +- {} vs {limit}",
            u.value,
            u.err
        );
    }
    println!("binder limits: {:?}", t0.elapsed());
}

/// `(1/(z n)) sum_{k != 0} 1 / (1 - gamma_k)`, `gamma_k = (1/d) sum_j cos k_j`, `z = 2d`: the
/// low-temperature slope of `<|m|>` of an `L^d` periodic hypercubic classical ferromagnet
/// (equipartition over the transverse spin waves; the k = 0 mode turns `m` without shortening
/// it). In 3D (simple cubic) it tends to `W / 6 = 0.2527` for `L -> infinity`, W = 1.516386
/// the Watson integral (Watson 1939); in 2D it diverges as `ln(L) / (2 pi)` (Mermin and Wagner
/// 1966).
fn spin_wave_slope(l: usize, d: u32) -> f64 {
    let c: Vec<f64> = (0..l)
        .map(|i| (std::f64::consts::TAU * i as f64 / l as f64).cos())
        .collect();
    let n = l.pow(d);
    let mut s = 0.0;
    for k in 1..n {
        let (mut r, mut g) = (k, 0.0);
        for _ in 0..d {
            g += c[r % l];
            r /= l;
        }
        s += 1.0 / (1.0 - g / d as f64);
    }
    s / (2.0 * d as f64 * n as f64)
}

/// Low-temperature magnetisation of the classical Heisenberg ferromagnet on the simple cubic
/// lattice: `m = 1 - a T/J + O(T^2)`, linear (classical equipartition), not Bloch's `T^(3/2)`
/// (which needs quantised magnons), with `a = 0.2527` in the bulk. Fitted at L = 8 and 16
/// against the lattice sums of their spin waves (`a_8 = 0.2246`, `a_16 = 0.2386`), and
/// extrapolated in 1/L (the sums converge as `a - c/L`) to the bulk value.
#[test]
fn low_temperature_magnetisation_is_linear() {
    let t0 = Instant::now();
    let l8 =
        Lattice::<512, 3072>::build(&LatticeSpec::simple_cubic(8, Boundary::Periodic)).unwrap();
    let l16 =
        Lattice::<4096, 24576>::build(&LatticeSpec::simple_cubic(16, Boundary::Periodic)).unwrap();
    let (e8, e16) = (
        Exchange::<f64>::uniform(l8.neighbours(), 1.0),
        Exchange::<f64>::uniform(l16.neighbours(), 1.0),
    );
    let temps = [0.05, 0.1, 0.15, 0.2];
    let runs = scan(
        &[(512, &e8, 300, 4000), (4096, &e16, 300, 1000)],
        &temps,
        Spin::Heisenberg,
        Rule::HeatBath,
    );
    // slope a of (1 - m)/T = a + b T, from all blocks and leaving each block out
    let fit = |row: &[Blocks<NB>], k: Option<usize>| {
        let y: Vec<f64> = row
            .iter()
            .zip(&temps)
            .map(|(b, t)| {
                let m = match k {
                    Some(k) => b.leave_out(k).unwrap().m,
                    None => b.means().unwrap().m,
                };
                (1.0 - m) / t
            })
            .collect();
        let n = temps.len() as f64;
        let (tm, ym) = (temps.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let sxy: f64 = temps.iter().zip(&y).map(|(t, y)| (t - tm) * (y - ym)).sum();
        let sxx: f64 = temps.iter().map(|t| (t - tm) * (t - tm)).sum();
        ym - sxy / sxx * tm
    };
    let mut slopes = Vec::new();
    for (row, l) in runs.iter().zip([8usize, 16]) {
        let a = fit(row, None);
        let jk: Vec<f64> = (0..NB).map(|k| fit(row, Some(k))).collect();
        let mean = jk.iter().sum::<f64>() / NB as f64;
        let err = ((NB as f64 - 1.0) / NB as f64
            * jk.iter().map(|x| (x - mean).powi(2)).sum::<f64>())
        .sqrt();
        let exact = spin_wave_slope(l, 3);
        println!("low-T sc L={l}: m = 1 - a T, a = {a:.4} +- {err:.4}, spin-wave sum {exact:.4}");
        assert!(err < 0.005 * exact, "L={l}: error bar {err} too large");
        assert!(
            (a / exact - 1.0).abs() < 0.02,
            "L={l}: slope {a} +- {err} vs {exact}"
        );
        slopes.push((a, err));
    }
    let bulk = 2.0 * slopes[1].0 - slopes[0].0;
    let bulk_err = (4.0 * slopes[1].1.powi(2) + slopes[0].1.powi(2)).sqrt();
    let watson = 1.516_386 / 6.0;
    assert!((2.0 * spin_wave_slope(16, 3) - spin_wave_slope(8, 3) - watson).abs() < 0.002);
    println!(
        "low-T sc extrapolated a = {bulk:.4} +- {bulk_err:.4} (bulk 0.2527, {:+.2} %)",
        100.0 * (bulk / watson - 1.0)
    );
    assert!(
        (bulk / watson - 1.0).abs() < 0.03,
        "bulk slope {bulk} +- {bulk_err}"
    );
    assert!(bulk_err < 0.01 * watson);
    println!("low-T magnetisation: {:?}", t0.elapsed());
}

/// Atomistic stochastic LLG with unequal moments: Brown's field of site `i` has variance
/// `2 alpha T / (mu_i dt)` (reduced; Evans et al., J. Phys.: Condens. Matter 26, 103202
/// (2014), eq. 17), so every species samples the Boltzmann distribution of its own moment at
/// the one temperature. Four species (`mu = 0.5, 1, 2, 4`) of 32 independent spins each, with
/// anisotropy and a field along z: each species' time-averaged `m_z` against the Boltzmann
/// average. The error bar is the standard error over the 32 spins of a species (independent
/// by construction). A noise not scaled by `1/sqrt(mu_i)` would put each species at the
/// effective temperature `mu T` (`<m_z>` 0.169 instead of 0.584 for `mu = 4`, 0.209 instead of
/// 0.094 for `mu = 0.5`) and fail by far.
#[test]
fn stochastic_llg_samples_each_moment_at_the_same_temperature() {
    use larmor::drive::Drive;
    use larmor::stepper::Heun;
    use larmor::thermal::Thermal;
    const SPECIES: usize = 4;
    const PER: usize = 32;
    const N: usize = SPECIES * PER;
    let mus = [0.5, 1.0, 2.0, 4.0];
    let (k_an, b, t, alpha) = (0.5, 0.5, 1.0, 0.5);
    let sites: Vec<Site> = (0..N)
        .map(|i| Site {
            mu: mus[i % SPECIES],
            k: k_an,
            axis: [0.0, 0.0, 1.0],
            b: [0.0, 0.0, b],
        })
        .collect();
    let model = Atomistic::new(OnSite::<f64, N>::from_sites(&sites).unwrap(), ());
    let llg = Llg::new(alpha, model);
    let thermal = Thermal::<f64, N>::new(alpha, Drive::constant(t));
    let dt = 0.004;
    let mut run = Integrator::thermal(
        llg,
        Heun::<f64, N>::new(),
        [Vec3::Z; N],
        dt,
        thermal,
        Philox::new(11, 0),
    )
    .unwrap();
    // the slowest relaxation time of a species is about mu / (alpha T) = 8: discard 100,
    // then average every 10th step over 4000 time units (500 relaxation times per spin)
    run.advance_to(100.0).unwrap();
    let mut sum = [0.0; N];
    let samples = 100_000;
    for _ in 0..samples {
        for _ in 0..10 {
            run.step().unwrap();
        }
        for (s, m) in sum.iter_mut().zip(run.state()) {
            *s += m.z;
        }
    }
    for (sp, &mu) in mus.iter().enumerate() {
        let means: Vec<f64> = (0..PER)
            .map(|j| sum[j * SPECIES + sp] / samples as f64)
            .collect();
        let avg = means.iter().sum::<f64>() / PER as f64;
        let var = means.iter().map(|x| (x - avg).powi(2)).sum::<f64>() / (PER - 1) as f64;
        let se = (var / PER as f64).sqrt();
        let exact = boltzmann_mz(k_an, mu * b, t);
        println!("sLLG mu = {mu}: <m_z> {avg:.5} +- {se:.5}, Boltzmann {exact:.5}");
        assert!(se < 0.005, "mu = {mu}: error bar {se} too large to test");
        // Heun's weak error is O(dt); halving dt moved no species beyond its error bar
        // (2e-3 allows for the bias, well below the 0.07-0.4 an unscaled noise would give)
        assert!(
            (avg - exact).abs() < 4.0 * se + 2e-3,
            "mu = {mu}: {avg} +- {se} vs {exact}"
        );
    }
}

/// Curie-Weiss law of the classical Heisenberg ferromagnet on the simple cubic lattice: far
/// above Tc the susceptibility per spin `chi_0 = n <m^2> / (3 T)` (one component; the full
/// `<m^2>`, not the finite-size `<m^2> - <|m|>^2` of [`Means::susceptibility`], since the
/// paramagnet has no order to subtract) follows `1/chi_0 = 3 (T - theta)` with the
/// mean-field `theta = z J / 3 = 2` and Curie constant 1/3. The high-temperature series
/// (Rushbrooke and Wood 1958: `3 T chi_0 = 1 + 2K + (10/3) K^2 + ...`, `K = J/T`) gives
/// `1/chi_0 = 3T - 6 + 2/T + O(1/T^2)`, so the fit is `c0 + c1 T + c2 / T` (weighted by the
/// constant relative error of `<m^2>`) over T = 5, 10, 20, 80 (3.5 to 55 Tc) and
/// `theta = -c0 / c1`. The series' next terms move the fitted `theta` by below 0.02 (fitting
/// the series truncated after `K^3` or `K^4` gives 2.018 and 2.001). A 4 x 4 x 4 periodic
/// cluster: its smallest loop around the torus has 4 bonds, an `O(K^4)` change of `chi_0`
/// below 1e-3 here, and the relative error of `<m^2>` per sweep does not fall with size, so
/// the small cluster buys 3.4 times the sweeps of a 6^3 one. The mean-field solver's Tc of
/// the same exchange sum is the same 2.
#[test]
fn curie_weiss_temperature_of_the_classical_heisenberg_magnet() {
    use larmor::meanfield::{MeanField, Spin as MfSpin};
    let t0 = Instant::now();
    const L: usize = 4;
    const N: usize = L * L * L;
    let lat =
        Lattice::<N, { 6 * N }>::build(&LatticeSpec::simple_cubic(L, Boundary::Periodic)).unwrap();
    let ex = Exchange::<f64>::uniform(lat.neighbours(), 1.0);
    let temps = [5.0, 10.0, 20.0, 80.0];
    let runs = scan(
        &[(N, &ex, 500, 250_000)],
        &temps,
        Spin::Heisenberg,
        Rule::HeatBath,
    );
    // weighted least squares of y = c0 + c1 T + c2 / T, weights 1 / y^2 (normal equations,
    // 3 x 3, Cramer's rule)
    let fit = |k: Option<usize>| -> (f64, f64) {
        let rows: Vec<([f64; 3], f64)> = runs[0]
            .iter()
            .zip(&temps)
            .map(|(b, &t)| {
                let m2 = match k {
                    Some(k) => b.leave_out(k).unwrap().m2,
                    None => b.means().unwrap().m2,
                };
                ([1.0, t, 1.0 / t], 3.0 * t / (N as f64 * m2))
            })
            .collect();
        let mut a = [[0.0; 3]; 3];
        let mut r = [0.0; 3];
        for (x, y) in &rows {
            let w = 1.0 / (y * y);
            for i in 0..3 {
                r[i] += w * x[i] * y;
                for j in 0..3 {
                    a[i][j] += w * x[i] * x[j];
                }
            }
        }
        let det = |m: &[[f64; 3]; 3]| {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        };
        let solve = |col: usize| {
            let mut m = a;
            for i in 0..3 {
                m[i][col] = r[i];
            }
            det(&m) / det(&a)
        };
        let (c0, c1) = (solve(0), solve(1));
        (-c0 / c1, c1)
    };
    let jack = |f: &dyn Fn(Option<usize>) -> f64| {
        let jk: Vec<f64> = (0..NB).map(|k| f(Some(k))).collect();
        let mean = jk.iter().sum::<f64>() / NB as f64;
        ((NB as f64 - 1.0) / NB as f64 * jk.iter().map(|x| (x - mean).powi(2)).sum::<f64>()).sqrt()
    };
    let (theta, curie) = fit(None);
    let theta_err = jack(&|k| fit(k).0);
    let curie_err = jack(&|k| fit(k).1);
    let kb = larmor::units::KB;
    let mf = MeanField::new(MfSpin::Classical, 6.0 * kb).unwrap().tc();
    println!(
        "Curie-Weiss sc Heisenberg: theta = {theta:.4} +- {theta_err:.4} (zJ/3 = 2, mean field \
         {mf:.4}), 1/C = {curie:.4} +- {curie_err:.4} (3)"
    );
    assert!((mf - 2.0).abs() < 1e-12, "mean-field Tc {mf}");
    // the three-parameter extrapolation costs precision (0.03 from 1e6 sweeps), enough to tell
    // the Curie-Weiss theta from the true Tc = 1.443 (Chen et al. 1993) by over 10 error bars
    assert!(theta_err < 0.05, "error bar {theta_err} too large");
    assert!(
        (theta - 1.443).abs() > 4.0 * theta_err,
        "theta {theta} is the true Tc"
    );
    assert!(
        (theta - 2.0).abs() < 4.0 * theta_err + 0.02,
        "theta {theta} +- {theta_err}"
    );
    assert!(
        (curie - 3.0).abs() < 4.0 * curie_err + 0.005,
        "1/C {curie} +- {curie_err}"
    );
    println!("Curie-Weiss: {:?}", t0.elapsed());
}

/// Mermin-Wagner (1966): the isotropic 2D Heisenberg ferromagnet has no spontaneous order at
/// any T > 0. At low T a finite L x L lattice still shows `<|m|>` close to 1 (the correlation
/// length grows as `exp(2 pi J / T)`), so every finite simulation looks ordered and a Binder
/// or susceptibility "Tc" appears that drifts to 0 only as `1 / ln L`: a finite-size artefact,
/// not a transition (users of other codes report it as a bug). What gives it away is that `m`
/// falls with size at fixed T: spin-wave theory gives `1 - m = a_L T`, with `a_L` the lattice
/// sum of [`spin_wave_slope`], which grows by `ln 2 / (2 pi) = 0.1103` per doubling of L. At
/// T = 0.1 J, L = 8, 16, 32, 64: each drop of `<|m|>` against the lattice sums' `T (a_2L - a_L)`
/// (first order in T; the second-order terms change the drop by a few per cent), and the
/// last doubling against `0.1103 T`.
#[test]
fn mermin_wagner_magnetisation_falls_with_size() {
    let t0 = Instant::now();
    let t = 0.1;
    let l8 = Lattice::<64, 256>::build(&LatticeSpec::square(8, 8, Boundary::Periodic)).unwrap();
    let l16 =
        Lattice::<256, 1024>::build(&LatticeSpec::square(16, 16, Boundary::Periodic)).unwrap();
    let l32 =
        Lattice::<1024, 4096>::build(&LatticeSpec::square(32, 32, Boundary::Periodic)).unwrap();
    let l64 =
        Lattice::<4096, 16384>::build(&LatticeSpec::square(64, 64, Boundary::Periodic)).unwrap();
    let ex: Vec<Exchange<f64>> = [
        l8.neighbours(),
        l16.neighbours(),
        l32.neighbours(),
        l64.neighbours(),
    ]
    .into_iter()
    .map(|nb| Exchange::uniform(nb, 1.0))
    .collect();
    let sizes = [8usize, 16, 32, 64];
    let models: Vec<(usize, &Exchange<f64>, u32, u32)> = sizes
        .iter()
        .zip(&ex)
        .map(|(&l, e)| (l * l, e, 1000, 20_000))
        .collect();
    let runs = scan(&models, &[t], Spin::Heisenberg, Rule::HeatBath);
    let ms: Vec<(f64, f64)> = runs
        .iter()
        .map(|row| {
            let e = row[0].jackknife(|m| m.m).unwrap();
            (e.value, e.err)
        })
        .collect();
    let asymptotic = 2.0f64.ln() / std::f64::consts::TAU;
    for w in 0..3 {
        let (l, drop) = (sizes[w], ms[w].0 - ms[w + 1].0);
        let err = (ms[w].1.powi(2) + ms[w + 1].1.powi(2)).sqrt();
        let theory = t * (spin_wave_slope(2 * l, 2) - spin_wave_slope(l, 2));
        println!(
            "Mermin-Wagner T = {t}: <|m|>(L={l}) = {:.5} +- {:.5}, drop to L={} {drop:.5} +- \
             {err:.5}, spin waves {theory:.5}, ln2/(2pi) T = {:.5}",
            ms[w].0,
            ms[w].1,
            2 * l,
            asymptotic * t
        );
        assert!(err < 0.1 * theory, "L={l}: error bar {err} too large");
        assert!(
            (drop - theory).abs() < 4.0 * err + 0.1 * theory,
            "L={l}: drop {drop} +- {err} vs {theory}"
        );
    }
    let last = t * (spin_wave_slope(64, 2) - spin_wave_slope(32, 2));
    assert!(
        (last / (asymptotic * t) - 1.0).abs() < 0.02,
        "lattice sum {last}"
    );
    println!("Mermin-Wagner: {:?}", t0.elapsed());
}
