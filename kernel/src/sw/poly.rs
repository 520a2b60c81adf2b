//! Real roots of polynomials of degree <= 4 on an interval, for any [`Real`] scalar.
//!
//! Root isolation by derivatives: the critical points (roots of `p'`, found recursively) split the
//! interval into pieces on which `p` is monotone; each piece with a sign change holds exactly one
//! root, refined by safeguarded Newton (bisection fallback) to the scalar's resolution. A critical
//! point where `|p|` is at rounding level is reported as a double root. No allocation.

use crate::real::Real;

/// Machine epsilon of `S` (2^-52 for f64, 2^-23 for f32, the resolution near 1 for fixed-point).
pub(crate) fn machine_eps<S: Real>() -> S {
    let mut e = S::ONE;
    for _ in 0..200 {
        let half = e * S::HALF;
        if half == S::ZERO || S::ONE + half == S::ONE {
            break;
        }
        e = half;
    }
    e
}

/// `p(x)` for ascending coefficients (Horner).
#[inline]
pub(crate) fn eval<S: Real>(c: &[S], x: S) -> S {
    let mut acc = S::ZERO;
    for &ck in c.iter().rev() {
        acc = acc * x + ck;
    }
    acc
}

/// `(p(x), p'(x))`.
#[inline]
fn eval_d<S: Real>(c: &[S], x: S) -> (S, S) {
    let mut p = S::ZERO;
    let mut d = S::ZERO;
    for &ck in c.iter().rev() {
        d = d * x + p;
        p = p * x + ck;
    }
    (p, d)
}

/// Rounding-level bound of `p(x)`: `8 eps sum |c_k| |x|^k`.
fn rounding<S: Real>(c: &[S], x: S, eps: S) -> S {
    let ax = x.abs();
    let mut acc = S::ZERO;
    for &ck in c.iter().rev() {
        acc = acc * ax + ck.abs();
    }
    acc * eps * S::from_f64(8.0)
}

fn push_unique<S: Real>(out: &mut heapless::Vec<S, 4>, x: S, sep: S) {
    if out.iter().any(|&r| (r - x).abs() <= sep) {
        return;
    }
    // at most `degree <= 4` distinct roots: the push cannot fail
    let _ = out.push(x);
}

/// Appends the real roots of `c[0] + c[1] x + ... + c[n] x^n` (`1 <= n <= 4`, `c[n] != 0`) in
/// `[lo, hi]` to `out`, in ascending order.
pub(crate) fn roots_in<S: Real>(c: &[S], lo: S, hi: S, eps: S, out: &mut heapless::Vec<S, 4>) {
    let n = c.len().saturating_sub(1);
    if n == 0 || c[n] == S::ZERO {
        return;
    }
    let sep = eps * S::from_f64(16.0) * (S::ONE + lo.abs().max(hi.abs()));
    if n == 1 {
        let r = -c[0] / c[1];
        if r >= lo && r <= hi {
            push_unique(out, r, sep);
        }
        return;
    }
    let mut d = [S::ZERO; 4];
    for k in 1..=n {
        d[k - 1] = c[k] * S::from_f64(k as f64);
    }
    let mut crit: heapless::Vec<S, 4> = heapless::Vec::new();
    roots_in(&d[..n], lo, hi, eps, &mut crit);
    let mut pts: heapless::Vec<S, 6> = heapless::Vec::new();
    let _ = pts.push(lo);
    for &x in crit.iter() {
        if x > lo && x < hi {
            let _ = pts.push(x);
        }
    }
    let _ = pts.push(hi);
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (pa, pb) = (eval(c, a), eval(c, b));
        let za = pa.abs() <= rounding(c, a, eps);
        let zb = pb.abs() <= rounding(c, b, eps);
        if za {
            push_unique(out, a, sep);
        }
        if !za && !zb && ((pa < S::ZERO) != (pb < S::ZERO)) {
            push_unique(out, refine(c, a, b, pa), sep);
        }
        if zb {
            push_unique(out, b, sep);
        }
    }
    // ascending order (insertion sort of at most 4 entries)
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The root of a monotone `p` on `[a, b]` with `p(a)`, `p(b)` of opposite signs.
fn refine<S: Real>(c: &[S], mut a: S, mut b: S, pa: S) -> S {
    let neg_at_a = pa < S::ZERO;
    let mut x = (a + b) * S::HALF;
    for _ in 0..200 {
        let (p, dp) = eval_d(c, x);
        if p == S::ZERO {
            return x;
        }
        if (p < S::ZERO) == neg_at_a {
            a = x;
        } else {
            b = x;
        }
        // Newton if it stays inside the bracket, else bisection
        let mut next = if dp != S::ZERO { x - p / dp } else { a };
        if !(next > a && next < b) {
            next = (a + b) * S::HALF;
        }
        if next == x || next <= a || next >= b {
            // no representable progress left
            return x;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartic_roots() {
        // (x - 0.5)(x + 0.25)(x - 0.9)(x + 0.99) expanded numerically
        let r = [0.5f64, -0.25, 0.9, -0.99];
        let mut c = [1.0f64, 0.0, 0.0, 0.0, 0.0]; // ascending, start with 1
        for (deg, &ri) in r.iter().enumerate() {
            // multiply by (x - ri)
            let mut n = [0.0; 5];
            for k in 0..=deg {
                n[k + 1] += c[k];
                n[k] -= ri * c[k];
            }
            c = n;
        }
        let mut out = heapless::Vec::new();
        roots_in(&c, -1.0, 1.0, machine_eps::<f64>(), &mut out);
        let mut want = r;
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(out.len(), 4);
        for (g, w) in out.iter().zip(want.iter()) {
            assert!((g - w).abs() < 1e-14, "{g} vs {w}");
        }
        // double root: (x^2 - 1)(x - 0.3)^2 -> roots -1, 0.3, 1
        let c = [-0.09, 0.6, -0.91, -0.6, 1.0];
        let mut out = heapless::Vec::new();
        roots_in(&c, -1.0, 1.0, machine_eps::<f64>(), &mut out);
        assert_eq!(out.len(), 3, "{out:?}");
        assert!((out[1] - 0.3).abs() < 1e-7);
        assert!(machine_eps::<f32>() == f32::EPSILON);
    }
}
