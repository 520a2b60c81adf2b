//! The MRAM array's statistics against closed forms: retention follows the Arrhenius law of a
//! two-state system at every temperature (also with cell-to-cell variation, where the thinning
//! must reproduce the per-cell mean exactly), and write errors follow the per-bit rate.

use larmor::device::mram::{CellParams, MramArray, Pulse};

const BYTES: usize = 8 * 1024;
const BITS: u32 = (BYTES * 8) as u32;

fn cells(sd_delta: f64) -> CellParams {
    CellParams {
        delta: 20.0, // tau = 1 ns e^20 = 0.49 s at 300 K: flips within a test's time
        sd_delta,
        ..CellParams::default()
    }
}

/// `(1 - exp(-2 r dt)) / 2` with `r = exp(-Delta T_ref / T) / tau0`.
fn flip_probability(p: &CellParams, delta_ref: f64, kelvin: f64, dt: f64) -> f64 {
    let rate = (-delta_ref * p.t_ref / kelvin).exp() / p.tau0;
    -0.5 * (-2.0 * rate * dt).exp_m1()
}

#[test]
fn retention_follows_arrhenius_at_every_temperature() {
    for sd in [0.0, 0.05] {
        let p = cells(sd);
        let mut rates = Vec::new();
        for (k, kelvin) in [300.0, 320.0, 340.0].into_iter().enumerate() {
            let mut a = MramArray::<BYTES>::new(p, 40 + k as u64).unwrap();
            a.set_temperature(kelvin).unwrap();
            // dt such that about 5 % of the bits flip
            let tau = (p.delta * p.t_ref / kelvin).exp() * p.tau0;
            let dt = 0.05 * tau;
            let flips = a.advance(dt).unwrap();
            // the exact mean over this array's cells, and its binomial spread
            let (mut mean, mut var) = (0.0, 0.0);
            for bit in 0..BITS {
                let q = flip_probability(&p, a.cell(bit).delta, kelvin, dt);
                mean += q;
                var += q * (1.0 - q);
            }
            let z = (flips as f64 - mean) / f64::sqrt(var);
            println!("sd {sd} T {kelvin}: {flips} flips, expected {mean:.1} (z = {z:.2})");
            assert!(z.abs() < 4.0, "sd {sd}, T {kelvin}: z = {z}");
            assert_eq!(a.stats().retention_flips, flips);
            let ones: u32 = a.raw().iter().map(|b| b.count_ones()).sum();
            assert_eq!(
                u64::from(ones),
                flips,
                "flips from all zeros leave that many ones"
            );
            let rate = -(1.0 - 2.0 * flips as f64 / f64::from(BITS)).ln() / (2.0 * dt);
            rates.push((kelvin, rate, flips as f64));
        }
        if sd == 0.0 {
            // ln r = -Delta T_ref / T - ln tau0: the Arrhenius slope in 1/T
            // (counting error of ln r: 1/sqrt(flips) at each end)
            let (t0, r0, n0) = rates[0];
            let (t2, r2, n2) = rates[2];
            let span = 1.0 / t2 - 1.0 / t0;
            let slope = (r2.ln() - r0.ln()) / span;
            let sd = (1.0 / n0 + 1.0 / n2).sqrt() / span.abs();
            let expect = -p.delta * p.t_ref;
            println!("Arrhenius slope {slope:.1} K, expected {expect:.1} K (sd {sd:.1} K)");
            assert!((slope - expect).abs() < 4.0 * sd, "{slope} vs {expect}");
        }
    }
}

#[test]
fn retention_in_pieces_has_the_statistics_of_one_wait() {
    // two waits of dt/2 flip a bit with (1 - e^{-2 r dt}) / 2, as one wait of dt does
    let p = cells(0.0);
    let tau = p.delta.exp() * p.tau0;
    let mut a = MramArray::<BYTES>::new(p, 3).unwrap();
    let mut flips_pieces = 0;
    for _ in 0..2 {
        flips_pieces += a.advance(0.05 * tau).unwrap();
    }
    let ones: u32 = a.raw().iter().map(|b| b.count_ones()).sum();
    let q = flip_probability(&p, p.delta, p.t_ref, 0.1 * tau);
    let n = f64::from(BITS);
    let z = (f64::from(ones) - n * q) / (n * q * (1.0 - q)).sqrt();
    println!(
        "pieces: {flips_pieces} flips, {ones} ones, expected {:.1} (z = {z:.2})",
        n * q
    );
    assert!(z.abs() < 4.0);
}

#[test]
fn read_disturb_follows_its_rate() {
    // a read current at 30 % of I_c0 for 1 us on stored 1s (the read favours parallel)
    let p = CellParams {
        delta: 25.0,
        sd_delta: 0.0,
        sd_ic0: 0.0,
        read_current: 0.3 * 45e-6,
        read_time: 1e-6,
        ..CellParams::default()
    };
    let mut a = MramArray::<1024>::new(p, 9).unwrap();
    a.write(0, &[0xFF; 1024], Pulse::nominal(&p)).unwrap();
    let mut buf = [0u8; 1024];
    a.read(0, &mut buf).unwrap();
    assert_eq!(buf, [0xFF; 1024], "sensed before the disturb");
    let pd = a.read_disturb_probability(p.delta, p.ic0_ap_p, p.read_current, p.read_time);
    let n = 8192.0;
    let d = a.stats().read_disturbs as f64;
    let z = (d - n * pd) / (n * pd * (1.0 - pd)).sqrt();
    println!(
        "read disturbs {d} of {n}, expected {:.1} (P = {pd:.3e}, z = {z:.2})",
        n * pd
    );
    assert!(z.abs() < 4.0, "z = {z}");
    // stored 0s are favoured by the read current: never disturbed
    let mut b = MramArray::<1024>::new(p, 9).unwrap();
    b.read(0, &mut buf).unwrap();
    assert_eq!(b.stats().read_disturbs, 0);
}
