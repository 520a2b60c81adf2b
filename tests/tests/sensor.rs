//! Magnetoresistive sensor validation: the HMC1001-style AMR bridge noise budget, the push-pull
//! TMR transfer, the time-domain noise generator against its spectrum, set/reset offset
//! cancellation and free-layer hysteresis against the Stoner-Wohlfarth astroid.
//!
//! References are independent of the code under test: closed forms (Nyquist 1928, the
//! Stoner-Wohlfarth astroid `(cos^(2/3) + sin^(2/3))^(-3/2)`, `V/V_b = P^2 H/H_K`), and a Welch
//! periodogram with its own FFT written here.

use larmor::device::sensor::{
    Bridge, BridgeSpec, ElementKind, Flicker, Hooge, Sampler, Topology, GAUSS_AM,
};
use larmor::random::Philox;
use std::f64::consts::PI;

const KB: f64 = 1.380_649e-23;

/// The HMC1001 bridge: 850 ohm (Honeywell HMC1001/1002 datasheet: bridge resistance 850 ohm,
/// 5 V supply, MR ~2%); H_K = 5 gauss. Hooge parameter alpha_H = 2e-3 (a typical value for
/// permalloy films, 1e-3 .. 1e-2) and N_c = 9e13 carriers per arm (n = 1.8e29 m^-3 in a
/// 20 nm x 10 um x 2.5 mm arm).
fn hmc1001() -> BridgeSpec {
    let mut s = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 5.0 * GAUSS_AM);
    s.hooge = Some(Hooge {
        alpha_h: 2e-3,
        carriers: 9e13,
    });
    s
}

#[test]
fn hmc1001_johnson_floor_and_flicker_corner() {
    let b = hmc1001().build::<f64>().unwrap();
    // four equal arms: the output resistance equals the bridge resistance
    assert!((b.output_resistance_ohm() - 850.0).abs() < 1e-9);
    let floor = b.thermal_psd().sqrt();
    let reference = (4.0 * KB * 300.0 * 850.0).sqrt();
    println!(
        "HMC1001 Johnson floor: {:.4} nV/sqrt(Hz) (4kTR: {:.4}; datasheet 3.8)",
        floor * 1e9,
        reference * 1e9
    );
    assert!((floor - reference).abs() < 1e-6 * reference);
    assert!((floor * 1e9 - 3.75).abs() < 0.01);
    assert!((floor * 1e9 - 3.8).abs() / 3.8 < 0.02);
    // 1/f corner: where the 1/f density equals the white floor, bisected on the PSD
    let (mut lo, mut hi): (f64, f64) = (1e-3, 1e4);
    for _ in 0..200 {
        let mid = (lo * hi).sqrt();
        let p = b.noise_psd(mid).unwrap();
        if p.flicker > p.thermal {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let fc = (lo * hi).sqrt();
    // closed form: K = 4 (1/2)^2 alpha (V_b/2)^2 / N_c over 4 kB T R
    let fc_ref = 2e-3 * 2.5f64.powi(2) / 9e13 / (4.0 * KB * 300.0 * 850.0);
    println!("HMC1001 1/f corner at 5 V: {fc:.3} Hz (closed form {fc_ref:.3} Hz)");
    assert!((fc - fc_ref).abs() < 1e-6 * fc_ref);
    assert!((fc - b.corner_hz()).abs() < 1e-6 * fc);
    assert!((5.0..20.0).contains(&fc), "corner {fc} Hz not near 10 Hz");
    // the corner scales as V_b^2: at 2.5 V it is a quarter
    let mut s = hmc1001();
    s.supply_v = 2.5;
    let b2 = s.build::<f64>().unwrap();
    assert!((b2.corner_hz() / fc - 0.25).abs() < 1e-9);
}

#[test]
fn tmr_push_pull_bridge_is_linear_with_slope_p2() {
    let tmr: f64 = 1.5;
    let p2 = tmr / (2.0 + tmr);
    let hk = 2e3;
    let mut spec = BridgeSpec::new(ElementKind::Tmr, 5e3, tmr, hk);
    spec.supply_v = 1.0;
    let mut b = spec.build::<f64>().unwrap();
    let mut worst: f64 = 0.0;
    for k in -90..=90 {
        let h = k as f64 * 0.01; // up to 0.9 H_K
        let v = b.apply_field([0.0, h * hk]).unwrap();
        worst = worst.max((v - p2 * h).abs());
    }
    let v = b.apply_field([0.0, 1e-3 * hk]).unwrap();
    let slope_err = (v / 1e-3 - p2).abs() / p2;
    println!(
        "TMR push-pull: slope error {slope_err:.2e}, max |V/V_b - P^2 h| (|h| <= 0.9) {worst:.2e}"
    );
    assert!(slope_err < 1e-9);
    assert!(worst < 1e-12);
    // beyond H_sat = H_K the free layer is saturated: V/V_b = P^2, 1/3 below the linear 1.5 P^2
    let v = b.apply_field([0.0, 1.5 * hk]).unwrap();
    let dev = 1.0 - v / (p2 * 1.5);
    println!("TMR push-pull at 1.5 H_sat: deviation from linear {dev:.4}");
    assert!((v - p2).abs() < 1e-12 && (dev - 1.0 / 3.0).abs() < 1e-9);
    // the half bridge gives half the signal
    spec.topology = Topology::Half;
    let mut hb = spec.build::<f64>().unwrap();
    let v = hb.apply_field([0.0, 0.2 * hk]).unwrap();
    assert!((v - 0.5 * p2 * 0.2).abs() < 1e-12);
    // f32 free layer: the same slope to f32 precision
    let mut b32: Bridge<f32> = BridgeSpec::new(ElementKind::Tmr, 5e3, tmr, hk)
        .build()
        .unwrap();
    let v = b32.apply_field([0.0, 0.1 * hk]).unwrap();
    assert!((v / 5.0 - p2 * 0.1).abs() < 1e-6);
}

/// In-place radix-2 FFT (re, im), length a power of two.
fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * PI / len as f64;
        for start in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (s, c) = (ang * k as f64).sin_cos();
                let (a, b) = (start + k, start + k + len / 2);
                let tr = re[b] * c - im[b] * s;
                let ti = re[b] * s + im[b] * c;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
        len <<= 1;
    }
}

/// Welch estimate (Hann window, 50% overlap, mean removed per segment), one-sided V^2/Hz;
/// returns (PSD per bin, number of segments).
fn welch(x: &[f64], seg: usize, fs: f64) -> (Vec<f64>, usize) {
    let w: Vec<f64> = (0..seg)
        .map(|i| 0.5 - 0.5 * (2.0 * PI * i as f64 / seg as f64).cos())
        .collect();
    let u: f64 = w.iter().map(|v| v * v).sum();
    let mut psd = vec![0.0; seg / 2 + 1];
    let mut count = 0;
    let mut start = 0;
    while start + seg <= x.len() {
        let s = &x[start..start + seg];
        let mean = s.iter().sum::<f64>() / seg as f64;
        let mut re: Vec<f64> = s.iter().zip(&w).map(|(v, w)| (v - mean) * w).collect();
        let mut im = vec![0.0; seg];
        fft(&mut re, &mut im);
        for k in 0..=seg / 2 {
            psd[k] += 2.0 * (re[k] * re[k] + im[k] * im[k]) / (fs * u);
        }
        count += 1;
        start += seg / 2;
    }
    for p in &mut psd {
        *p /= count as f64;
    }
    (psd, count)
}

#[test]
fn flicker_generator_spectrum_follows_one_over_f() {
    // the generator's exact spectrum against 1/f over its stated band [10 f_lo, fs/20]
    let fs = 1e3;
    let fl = Flicker::<32>::new(0.01, fs, 3).unwrap();
    let worst = |lo: f64, hi: f64| -> f64 {
        let mut w: f64 = 0.0;
        for k in 0..=200 {
            let f = lo * (hi / lo).powf(k as f64 / 200.0);
            w = w.max((fl.psd(f) * f - 1.0).abs());
        }
        w
    };
    let (w5, w1) = (worst(0.1, 50.0), worst(0.5, 10.0));
    println!(
        "Flicker<32> (3 poles/decade, {} poles): max |f S(f) - 1| = {w5:.4} over 0.1..50 Hz, {w1:.4} over 0.5..10 Hz",
        fl.poles()
    );
    assert!(w5 < 0.05 && w1 < 0.01);
}

#[test]
fn sampled_bridge_noise_has_white_floor_and_one_over_f_slope() {
    let fs = 1e3;
    let n = 1 << 20;
    let seg = 1 << 14;
    let b = hmc1001().build::<f64>().unwrap();
    let s_w = b.white_psd();
    let k = b.flicker_coefficient();
    let mut s = Sampler::new(b, fs, 0.01, 2026, 3).unwrap();
    let v0 = b.output_v();
    let x: Vec<f64> = (0..n)
        .map(|_| s.sample(|_| [0.0, 0.0]).unwrap() - v0)
        .collect();
    let (p, segs) = welch(&x, seg, fs);
    let df = fs / seg as f64;
    let model_fl = Flicker::<32>::new(0.01, fs, 3).unwrap();
    let model = |f: f64| s_w + k * model_fl.psd(f);
    // Welch with 50% Hann overlap: ~ 1.9 segs equivalent degrees of freedom / 2 per bin
    let rel_sd_bin = 1.0 / ((segs as f64) * 0.95).sqrt();
    // white floor: mean over 200..450 Hz (1/f there is < 5% of the floor)
    let band = |lo: f64, hi: f64| -> (f64, f64, usize) {
        let (mut sp, mut sm, mut m) = (0.0, 0.0, 0);
        for (i, v) in p.iter().enumerate() {
            let f = i as f64 * df;
            if f >= lo && f < hi {
                sp += v;
                sm += model(f);
                m += 1;
            }
        }
        (sp / m as f64, sm / m as f64, m)
    };
    let (pw, mw, m) = band(200.0, 450.0);
    // adjacent Hann bins are correlated: count every second bin as independent
    let tol_w = 4.0 * rel_sd_bin / ((m / 2) as f64).sqrt();
    println!(
        "white floor: Welch {:.4} nV/sqrt(Hz), model {:.4} (rel. diff {:.2e}, 4 sd = {tol_w:.2e}, {segs} segments)",
        pw.sqrt() * 1e9,
        mw.sqrt() * 1e9,
        pw / mw - 1.0
    );
    assert!((pw / mw - 1.0).abs() < tol_w);
    // 1/f region: 0.5 .. 5 Hz, excess over the floor against the model, and its log-log slope
    let (p1, m1, n1) = band(0.5, 5.0);
    let tol_1 = 4.0 * rel_sd_bin / ((n1 / 2) as f64).sqrt();
    println!(
        "0.5..5 Hz: Welch / model - 1 = {:.2e} (4 sd = {tol_1:.2e})",
        p1 / m1 - 1.0
    );
    assert!((p1 / m1 - 1.0).abs() < tol_1);
    let (mut sx, mut sy, mut sxx, mut sxy, mut c) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, v) in p.iter().enumerate() {
        let f = i as f64 * df;
        if (0.5..5.0).contains(&f) {
            let (lx, ly) = (f.ln(), (v - s_w).max(1e-300).ln());
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
            c += 1.0;
        }
    }
    let slope = (c * sxy - sx * sy) / (c * sxx - sx * sx);
    println!("1/f slope (0.5..5 Hz, floor removed): {slope:.4}");
    assert!((slope + 1.0).abs() < 0.05);
}

#[test]
fn amr_set_reset_flips_sensitivity_and_cancels_offset() {
    let mut spec = hmc1001();
    spec.offset_mv_per_v = 1.25;
    let hk = spec.hk_am;
    let mut b = spec.build::<f64>().unwrap();
    let v_off = 1.25e-3 * 5.0;
    let h = [0.0, 0.1 * hk];
    b.apply_field(h).unwrap();
    let v_set = b.set_pulse().unwrap();
    assert!(b.m()[0] > 0.0);
    let v_reset = b.reset_pulse().unwrap();
    assert!(b.m()[0] < 0.0);
    let signal = 0.5 * (v_set - v_reset);
    let offset = 0.5 * (v_set + v_reset);
    // closed form: V = V_b (dR / r) m_x m_y, m_y = 0.1, m_x = sqrt(0.99)
    let dr_r = 0.02 / 1.01;
    let expect = 5.0 * dr_r * 0.99f64.sqrt() * 0.1;
    println!(
        "set/reset: V_set {v_set:.6e}, V_reset {v_reset:.6e}, offset recovered {offset:.6e} (true {v_off:.6e}), signal {signal:.6e} (closed form {expect:.6e})"
    );
    assert!(v_set > v_off && v_reset < v_off);
    assert!((offset - v_off).abs() < 1e-15);
    assert!((signal - expect).abs() < 1e-12 * expect);
    // the strap moves the reading by I / k gauss: 25 mA at 50 mA/gauss = 0.5 gauss = 0.1 H_K
    b.set_pulse().unwrap();
    b.apply_field([0.0, 0.0]).unwrap();
    let v_strap = b.set_strap_ma(25.0).unwrap();
    assert!((v_strap - v_set).abs() < 1e-12);
}

#[test]
fn temperature_coefficients() {
    let mut spec = hmc1001();
    spec.tcr_per_k = 2.8e-3;
    spec.tcs_per_k = -3e-3;
    let hk = spec.hk_am;
    let mut b = spec.build::<f64>().unwrap();
    let r300 = b.output_resistance_ohm(); // zero field: every arm at r_ohm
    let v300 = b.apply_field([0.0, 0.1 * hk]).unwrap();
    b.set_temperature_k(350.0).unwrap();
    let v350 = b.output_v();
    b.apply_field([0.0, 0.0]).unwrap();
    let r350 = b.output_resistance_ohm();
    assert!((r350 / r300 - (1.0 + 2.8e-3 * 50.0)).abs() < 1e-12);
    // sensitivity: mr (1 + tcs dT) through dR / r = mr / (1 + mr / 2)
    let (mr0, mr1) = (0.02, 0.02 * (1.0 - 3e-3 * 50.0));
    let ratio = (mr1 / (1.0 + mr1 / 2.0)) / (mr0 / (1.0 + mr0 / 2.0));
    assert!((v350 / v300 - ratio).abs() < 1e-12);
    // Johnson noise goes as T R
    let j = b.thermal_psd() / (4.0 * KB * 350.0 * r350);
    assert!((j - 1.0).abs() < 1e-12);
}

fn astroid(psi: f64) -> f64 {
    let (s, c) = psi.sin_cos();
    (c.abs().powf(2.0 / 3.0) + s.abs().powf(2.0 / 3.0)).powf(-1.5)
}

/// Field (units of H_K) along the unit direction `(cos psi, sin psi)` at which the free layer,
/// saturated along +x, first has m_x < 0 on a descending sweep: bisection on copies.
fn switching(b: &Bridge<f64>, psi: f64) -> f64 {
    let hk = b.spec().hk_am;
    let (s, c) = psi.sin_cos();
    let mut base = *b;
    base.apply_field([2.0 * hk * c, 2.0 * hk * s]).unwrap();
    base.apply_field([0.0, 0.0]).unwrap();
    let (mut lo, mut hi) = (0.0, 2.0);
    while hi - lo > 1e-10 {
        let mid = 0.5 * (lo + hi);
        let mut t = base;
        t.apply_field([-mid * hk * c, -mid * hk * s]).unwrap();
        if t.m()[0] < 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn hysteresis_coercivity_matches_astroid_and_minor_loop_stays_inside() {
    // a GMR spin valve with its reference along the easy axis: output follows m_x
    let hk = 1e3;
    let mut spec = BridgeSpec::new(ElementKind::Gmr, 1e3, 0.1, hk);
    spec.reference_rad = 0.0;
    let b = spec.build::<f64>().unwrap();
    let hc = switching(&b, 0.0);
    println!("easy-axis coercivity: {hc:.10} H_K (astroid: 1)");
    assert!((hc - 1.0).abs() < 1e-8);
    for deg in [10.0f64, 30.0, 45.0] {
        let psi = deg.to_radians();
        let h = switching(&b, psi);
        println!(
            "switching field at {deg} deg: {h:.8} (astroid {:.8})",
            astroid(psi)
        );
        assert!((h - astroid(psi)).abs() < 1e-6);
    }
    // major loop at 10 degrees, then a minor loop from the descending branch
    let psi: f64 = 10f64.to_radians();
    let (s, c) = psi.sin_cos();
    let field = |h: f64| [h * hk * c, h * hk * s];
    let steps: Vec<f64> = (0..=400).map(|k| 2.0 - k as f64 * 0.01).collect(); // 2 .. -2
    let mut major = b;
    major.apply_field(field(2.0)).unwrap();
    let desc: Vec<f64> = steps
        .iter()
        .map(|&h| major.apply_field(field(h)).unwrap())
        .collect();
    let asc: Vec<f64> = steps
        .iter()
        .rev()
        .map(|&h| major.apply_field(field(h)).unwrap())
        .collect();
    let asc: Vec<f64> = asc.into_iter().rev().collect(); // indexed like `steps`
    let upper = |i: usize| desc[i].max(asc[i]);
    let lower = |i: usize| desc[i].min(asc[i]);
    // the major loop is open between the switching fields
    let i0 = 200; // h = 0
    assert!(upper(i0) - lower(i0) > 0.04);
    // minor loop: down to -0.9 h_sw (no switching), back up to +0.5, down again to -1.2
    let h_sw = astroid(psi);
    let mut minor = b;
    minor.apply_field(field(2.0)).unwrap();
    let mut inside = true;
    let mut points = 0;
    let mut check = |bb: &mut Bridge<f64>, h: f64| {
        let v = bb.apply_field(field(h)).unwrap();
        let i = ((2.0 - h) / 0.01).round() as usize;
        if ((2.0 - i as f64 * 0.01) - h).abs() < 1e-9 {
            inside &= v <= upper(i) + 1e-12 && v >= lower(i) - 1e-12;
            points += 1;
        }
    };
    let mut h = 2.0;
    while h > -0.9 * h_sw {
        check(&mut minor, h);
        h -= 0.01;
    }
    let jumps_before = minor.jumps();
    while h < 0.5 {
        check(&mut minor, h);
        h += 0.01;
    }
    assert_eq!(
        minor.jumps(),
        jumps_before,
        "a minor loop inside the astroid must not switch"
    );
    while h > -1.2 {
        check(&mut minor, h);
        h -= 0.01;
    }
    assert!(minor.jumps() > jumps_before);
    println!("minor loop: {points} points checked against the major loop");
    assert!(points > 300 && inside);
}

#[test]
fn tmr_shot_noise_limits_and_magnetic_noise() {
    // MTJ shot noise 2 e I R^2 coth(eV / 2kT): Johnson 4kTR at low bias, 2 e I R^2 at high bias
    let e = 1.602_176_634e-19;
    let r = 5e3;
    let mut spec = BridgeSpec::new(ElementKind::Tmr, r, 1.5, 2e3);
    spec.topology = Topology::Half;
    spec.supply_v = 2e-5; // 10 uV per junction: eV/2kT = 2e-4
    let b = spec.build::<f64>().unwrap();
    // half bridge at zero field: two equal arms, each seen through 1/2
    let s_low = b.thermal_psd() / (2.0 * 0.25);
    assert!((s_low / (4.0 * KB * 300.0 * r) - 1.0).abs() < 1e-6);
    spec.supply_v = 2.0; // 1 V per junction: eV/2kT = 19, coth = 1 to 1e-16
    let b = spec.build::<f64>().unwrap();
    let s_high = b.thermal_psd() / (2.0 * 0.25);
    let full_shot = 2.0 * e * (1.0 / r) * r * r;
    println!(
        "TMR shot noise: low bias / 4kTR = {:.8}, high bias / 2eIR^2 = {:.8}",
        s_low / (4.0 * KB * 300.0 * r),
        s_high / full_shot
    );
    assert!((s_high / full_shot - 1.0).abs() < 1e-12);
    // magnetic white noise S_B = 4 alpha kB T / (gamma Ms V), seen through dV/dB
    let mut spec = BridgeSpec::new(ElementKind::Tmr, r, 1.5, 2e3);
    spec.magnetic = Some(larmor::device::sensor::MagneticNoise {
        alpha: 0.01,
        ms: 8e5,
        volume_m3: 1e-21,
        gamma: 1.760_859_630_23e11,
    });
    let b = spec.build::<f64>().unwrap();
    let s_b = 4.0 * 0.01 * KB * 300.0 / (1.760_859_630_23e11 * 8e5 * 1e-21);
    assert!((b.magnetic_field_psd_t2() / s_b - 1.0).abs() < 1e-12);
    // dV/dH = V_b P^2 / H_K for the push-pull bridge; dV/dB = that / mu0
    let p2 = 1.5 / 3.5;
    let dvdb = 5.0 * p2 / 2e3 / 1.256_637_062_12e-6;
    let mag = b.noise_psd(1.0).unwrap().magnetic;
    println!(
        "magnetic noise: S_B = {:.3e} T^2/Hz, output {:.3e} V^2/Hz (ratio to (dV/dB)^2 S_B - 1 = {:.1e})",
        s_b,
        mag,
        mag / (dvdb * dvdb * s_b) - 1.0
    );
    assert!((mag / (dvdb * dvdb * s_b) - 1.0).abs() < 1e-6);
}

#[test]
fn bad_parameters_are_refused_with_their_name_and_range() {
    use larmor::Error;
    let name = |s: BridgeSpec| match s.build::<f64>() {
        Err(Error::OutOfRange { param, allowed, .. }) => (param, allowed),
        other => panic!("expected OutOfRange, got {other:?}"),
    };
    let base = || BridgeSpec::new(ElementKind::Tmr, 1e3, 1.0, 1e3);
    let mut s = base();
    s.r_ohm = 0.0;
    assert_eq!(name(s), ("sensor.r_ohm", "> 0 ohm"));
    let mut s = base();
    s.mr = f64::NAN;
    assert_eq!(name(s).0, "sensor.mr");
    let mut s = BridgeSpec::new(ElementKind::Amr, 1e3, 0.5, 1e3);
    s.mr = 0.5;
    assert_eq!(name(s), ("sensor.mr", "0 ..= 0.2 (AMR)"));
    let mut s = base();
    s.hk_am = -1.0;
    assert_eq!(name(s).0, "sensor.hk");
    let mut s = base();
    s.set_reset_hk = 1.0;
    assert_eq!(name(s).0, "sensor.set_reset_hk");
    let mut s = base();
    s.tcr_per_k = 1.0;
    assert_eq!(name(s).0, "sensor.tcr");
    let mut s = base();
    s.hooge = Some(Hooge {
        alpha_h: 1e-3,
        carriers: 0.0,
    });
    assert_eq!(name(s).0, "sensor.hooge.carriers");
    let mut b = base().build::<f64>().unwrap();
    assert!(matches!(
        b.apply_field([f64::INFINITY, 0.0]),
        Err(Error::OutOfRange {
            param: "sensor.field",
            ..
        })
    ));
    assert!(matches!(
        b.noise_psd(0.0),
        Err(Error::OutOfRange {
            param: "sensor.f",
            ..
        })
    ));
    assert!(matches!(
        Flicker::<4>::new(1e-3, 1e3, 3),
        Err(Error::Capacity { .. })
    ));
    assert!(matches!(
        Flicker::<32>::new(600.0, 1e3, 3),
        Err(Error::OutOfRange {
            param: "sensor.flicker.f_lo",
            ..
        })
    ));
}

#[test]
fn sampler_point_samples_the_field_so_content_above_nyquist_aliases() {
    // two samplers on the same noise stream: the noise cancels in their difference, which
    // leaves only the field's contribution
    let fs = 1e3;
    let hk = 2e3;
    let b = BridgeSpec::new(ElementKind::Tmr, 5e3, 1.5, hk)
        .build::<f64>()
        .unwrap();
    let (f0, amp) = (50.0, 0.2 * hk);
    let mut s1 = Sampler::new(b, fs, 0.1, 11, 0).unwrap();
    let mut s2 = Sampler::new(b, fs, 0.1, 11, 0).unwrap();
    let mut worst: f64 = 0.0;
    for _ in 0..1000 {
        // f0 and fs + f0 give the same samples at t_n = n / fs
        let v1 = s1
            .sample(|t| [0.0, amp * (2.0 * PI * f0 * t).sin()])
            .unwrap();
        let v2 = s2
            .sample(|t| [0.0, amp * (2.0 * PI * (fs + f0) * t).sin()])
            .unwrap();
        worst = worst.max((v1 - v2).abs());
    }
    println!("alias of fs + f0 onto f0: max |difference| {worst:.2e} V");
    assert!(worst < 1e-9);
    // and the sampled output follows V_b P^2 H(t_n) / H_K plus noise of variance S fs / 2
    let mut s = Sampler::new(b, fs, 0.1, 12, 0).unwrap();
    let p2 = 1.5 / 3.5;
    let n = 20_000;
    let mut sum2 = 0.0;
    for k in 0..n {
        let t = k as f64 / fs;
        let h = amp * (2.0 * PI * f0 * t).sin();
        let v = s
            .sample(|t| [0.0, amp * (2.0 * PI * f0 * t).sin()])
            .unwrap();
        let r = v - 5.0 * p2 * h / hk;
        sum2 += r * r;
    }
    let var = sum2 / n as f64;
    let expect = b.white_psd() * fs / 2.0;
    println!("residual variance / (S_white fs/2) = {:.4}", var / expect);
    assert!((var / expect - 1.0).abs() < 4.0 * (2.0 / n as f64).sqrt());
}

/// The fluctuation-dissipation floor of a stochastic macrospin: a uniaxial free layer (easy axis
/// x, reduced k1 = 1/2 so H_K = Ms) under Brown's thermal field in the kernel's stochastic LLG
/// (Heun). Below the resonance m_y follows the transverse thermal field quasi-statically,
/// m_y = B_y / (mu0 H_K), so S_B = (mu0 H_K)^2 S_my(f -> 0) must equal 4 alpha kB T /
/// (gamma Ms V) (Brown 1963), the value the bridge model uses.
#[test]
fn stochastic_macrospin_magnetic_floor_matches_fluctuation_dissipation() {
    use larmor::device::sensor::MagneticNoise;
    use larmor::drive::Drive;
    use larmor::field::Uniaxial;
    use larmor::integrate::Integrator;
    use larmor::llg::Llg;
    use larmor::stepper::Heun;
    use larmor::thermal::Thermal;
    use larmor::Vec3;
    // kappa = kB T / (mu0 Ms^2 V) = 0.002 (K V / kB T = 250): m_y rms ~ 0.045, so the finite-
    // temperature softening of the stiffness (~ kappa / k1, +4% measured at kappa = 0.01) stays
    // below 1%
    let (alpha, kappa, k1) = (0.1, 0.002, 0.5);
    let (ms, t_k, gamma, mu0) = (8e5, 300.0, 1.760_859_630_23e11, 1.256_637_062_12e-6);
    let volume = KB * t_k / (kappa * mu0 * ms * ms);
    let llg = Llg::new(alpha, Uniaxial::new(k1, 0.0, Vec3::X));
    let th = Thermal::<f64, 1>::new(alpha * kappa, Drive::constant(1.0));
    let mut rng = Philox::new(2026, 99);
    let mut run = Integrator::thermal(llg, Heun::new(), [Vec3::X], 0.01, th, &mut rng).unwrap();
    let dt_sample = 0.5; // reduced time; the resonance is at f0 = h_K / (2 pi) = 0.16
    let seg = 4096;
    let n = seg * 200;
    let mut y = Vec::with_capacity(n);
    // the macrospin drives a push-pull TMR bridge too: V = V_b P^2 m_y for every sample
    let tmr = BridgeSpec::new(ElementKind::Tmr, 1e3, 1.0, 2.0 * k1 * ms)
        .build::<f64>()
        .unwrap();
    let mut worst_v: f64 = 0.0;
    for k in 1..=n {
        run.advance_to(k as f64 * dt_sample).unwrap();
        let m = run.state()[0];
        y.push(m.y);
        let v = tmr.output_v_for([m.x, m.y]);
        worst_v = worst_v.max((v - 5.0 * m.y / 3.0).abs());
    }
    assert!(worst_v < 1e-12);
    let fs = 1.0 / dt_sample;
    let (p, segs) = welch(&y, seg, fs);
    let df = fs / seg as f64;
    // plateau: 0.002 .. 0.012 (reduced frequency; |chi|^2 rises by < 1% there)
    let (mut sum, mut m) = (0.0, 0);
    for (i, v) in p.iter().enumerate() {
        let f = i as f64 * df;
        if (0.002..0.012).contains(&f) {
            sum += v;
            m += 1;
        }
    }
    let s_my_reduced = sum / m as f64; // per unit reduced frequency
    let t0 = 1.0 / (gamma * mu0 * ms);
    let hk_tesla = mu0 * 2.0 * k1 * ms;
    let s_b_measured = s_my_reduced * t0 * hk_tesla * hk_tesla;
    let mut spec = BridgeSpec::new(ElementKind::Tmr, 1e3, 1.0, 2.0 * k1 * ms);
    spec.magnetic = Some(MagneticNoise {
        alpha,
        ms,
        volume_m3: volume,
        gamma,
    });
    let s_b = spec.build::<f64>().unwrap().magnetic_field_psd_t2();
    let tol = 4.0 / ((segs as f64) * 0.95 * (m / 2) as f64).sqrt() + 0.01;
    println!(
        "stochastic macrospin: S_B from S_my(0) = {s_b_measured:.4e} T^2/Hz, FDT 4 alpha kT/(gamma Ms V) = {s_b:.4e} (ratio - 1 = {:.3}, tolerance {tol:.3}, {segs} segments, {m} bins)",
        s_b_measured / s_b - 1.0
    );
    assert!((s_b_measured / s_b - 1.0).abs() < tol);
}
