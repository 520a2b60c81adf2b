//! Sharrock's waiting-time coercivity for an exact barrier: the field that reverses half of a
//! population of identical particles in a waiting time `t` at constant field (Sharrock, IEEE
//! Trans. Magn. 26, 193 (1990)), back-switching neglected.

/// Coercive field `h` (units of `H_K`) at which the barrier of the up well has fallen to
/// `x` kB T: with `x = ln(f0 t / ln 2)`, half the particles have left the up well after waiting
/// `t` seconds (`f0 t exp(-x) = ln 2`). `barrier_up_kt` (kB T) must be non-increasing on
/// `[0, h_sw]`, with `barrier_up_kt(0) > x` (otherwise the particles are superparamagnetic over `t`
/// and `Hc = 0`). Bisection on `[0, h_sw]` to the last bit (at most 200 halvings).
///
/// ```
/// use larmor::arrhenius::waiting::waiting_coercivity;
/// let delta = 60.0;
/// let x = (1e9f64 / std::f64::consts::LN_2).ln(); // f0 = 1 GHz, t = 1 s
/// let hc = waiting_coercivity(x, 1.0, |h: f64| delta * (1.0 - h) * (1.0 - h));
/// assert!((hc - (1.0 - (x / delta).sqrt())).abs() < 1e-12);
/// ```
pub fn waiting_coercivity(x: f64, h_sw: f64, barrier_up_kt: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (0.0, h_sw);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if barrier_up_kt(mid) > x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
