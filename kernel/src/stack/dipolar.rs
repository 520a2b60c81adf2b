//! Mutual demagnetising tensors of two uniformly magnetised rectangular prisms (set-up code,
//! f64): Newell, Williams and Dunlop, J. Geophys. Res. 98, 9551 (1993), eqs. (27)-(32), with the
//! second differences of their equal-cell form written as a sum over the corners of both
//! prisms, so the prisms may differ in size.

use crate::math::{asinh_f64, atan_f64, sqrt_f64};

/// `a asinh(b / c)`, 0 when `a` is 0 (the limit of every term of Newell's functions whose
/// argument diverges there).
#[inline]
fn a_asinh(a: f64, b: f64, c: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        a * asinh_f64(b / c)
    }
}

/// `a atan(b / c)`, 0 when `a` or `b` is 0.
#[inline]
fn a_atan(a: f64, b: f64, c: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        a * atan_f64(b / c)
    }
}

/// Newell's `f(x, y, z)` (eq. 27), the function whose sixfold difference is `N_xx`; even in
/// each argument.
pub fn newell_f(x: f64, y: f64, z: f64) -> f64 {
    let (x, y, z) = (x.abs(), y.abs(), z.abs());
    let (x2, y2, z2) = (x * x, y * y, z * z);
    let r = sqrt_f64(x2 + y2 + z2);
    a_asinh(0.5 * y * (z2 - x2), y, sqrt_f64(x2 + z2))
        + a_asinh(0.5 * z * (y2 - x2), z, sqrt_f64(x2 + y2))
        - a_atan(x * y * z, y * z, x * r)
        + (2.0 * x2 - y2 - z2) * r / 6.0
}

/// Newell's `g(x, y, z)` (eq. 32), the function whose sixfold difference is `N_xy`; odd in
/// `x` and `y`, even in `z`.
pub fn newell_g(x: f64, y: f64, z: f64) -> f64 {
    let sign = if (x < 0.0) != (y < 0.0) { -1.0 } else { 1.0 };
    let (x, y, z) = (x.abs(), y.abs(), z.abs());
    let (x2, y2, z2) = (x * x, y * y, z * z);
    let r = sqrt_f64(x2 + y2 + z2);
    let g = a_asinh(x * y * z, z, sqrt_f64(x2 + y2))
        + a_asinh(y * (3.0 * z2 - y2) / 6.0, x, sqrt_f64(y2 + z2))
        + a_asinh(x * (3.0 * z2 - x2) / 6.0, y, sqrt_f64(x2 + z2))
        - a_atan(z2 * z / 6.0, x * y, z * r)
        - a_atan(0.5 * z * y2, x * z, y * r)
        - a_atan(0.5 * z * x2, y * z, x * r)
        - x * y * r / 3.0;
    sign * g
}

/// `4 pi V_A N_AB` of prisms `a` and `b`, each given by its corners `(low, high)` (m):
/// `(xx, yy, zz, xy, xz, yz)`. The mutual demagnetising tensor is `N_AB = t / (4 pi V_A)`: the
/// field averaged over `A` from `B` magnetised uniformly along `M_B` is `-N_AB M_B`. The tensor
/// is symmetric and `V_A N_AB = V_B N_BA`; for `a == b` it is the prism's own tensor (trace 1,
/// Aharoni's factors), far apart it tends to a point dipole's `-(V_B / (4 pi r^3)) (3 r r - I)`.
///
/// `N_xx = (1 / (4 pi V_A)) sum (-1)^(i+j+k+l+m+n) f(X_l - x_i, Y_m - y_j, Z_n - z_k)` over the
/// corners `(x_i, y_j, z_k)` of `A` and `(X_l, Y_m, Z_n)` of `B`: for two equal cells it is
/// Newell's second difference (`8 f(0) - 4 f(+-dx) ...`, eq. 23). The others permute the
/// arguments (`N_yy` from `f(y, x, z)`, `N_xy` from `g(x, y, z)`, `N_xz` from `g(x, z, y)`).
/// The corner sum cancels mildly: a 100 x 100 x 1 prism's own tensor comes out with a trace
/// within 3e-15 of 1 (corners given relative to a nearby origin: absolute coordinates far
/// from the prism lose the edges' digits before the formula sees them).
pub fn mutual_tensor(a: ([f64; 3], [f64; 3]), b: ([f64; 3], [f64; 3])) -> [f64; 6] {
    let (ca, cb) = ([a.0, a.1], [b.0, b.1]);
    // scale-free: lengths in units of the largest corner-to-corner distance
    let mut s: f64 = 0.0;
    for p in ca {
        for q in cb {
            for d in 0..3 {
                s = s.max((q[d] - p[d]).abs());
            }
        }
    }
    if s == 0.0 || !s.is_finite() {
        return [0.0; 6];
    }
    let mut t = [0.0; 6];
    for i in 0..2 {
        for j in 0..2 {
            for k in 0..2 {
                for l in 0..2 {
                    for m in 0..2 {
                        for n in 0..2 {
                            let sign = if (i + j + k + l + m + n) % 2 == 0 {
                                1.0
                            } else {
                                -1.0
                            };
                            let x = (cb[l][0] - ca[i][0]) / s;
                            let y = (cb[m][1] - ca[j][1]) / s;
                            let z = (cb[n][2] - ca[k][2]) / s;
                            t[0] += sign * newell_f(x, y, z);
                            t[1] += sign * newell_f(y, x, z);
                            t[2] += sign * newell_f(z, y, x);
                            t[3] += sign * newell_g(x, y, z);
                            t[4] += sign * newell_g(x, z, y);
                            t[5] += sign * newell_g(y, z, x);
                        }
                    }
                }
            }
        }
    }
    // the sum has the dimension of a volume
    let s3 = s * s * s;
    t.map(|x| x * s3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::shape;

    fn prism(c: [f64; 3], d: [f64; 3]) -> ([f64; 3], [f64; 3]) {
        (
            [c[0] - 0.5 * d[0], c[1] - 0.5 * d[1], c[2] - 0.5 * d[2]],
            [c[0] + 0.5 * d[0], c[1] + 0.5 * d[1], c[2] + 0.5 * d[2]],
        )
    }

    /// A prism's tensor with itself is its own demag tensor: Aharoni's factors, no
    /// off-diagonal part.
    #[test]
    fn self_tensor_is_aharoni() {
        for d in [
            [1.0, 1.0, 1.0],
            [40e-9, 20e-9, 1e-9],
            [100e-9, 100e-9, 1e-9],
            [2.0, 3.0, 7.0],
        ] {
            // off the origin by a fraction of its size (an offset of 0.1 m on a 1 nm edge would
            // lose 8 digits of the edge to the coordinates' rounding, not to the formula)
            let p = prism([0.1 * d[0], -0.2 * d[1], 0.3 * d[2]], d);
            let v = d[0] * d[1] * d[2];
            let t = mutual_tensor(p, p).map(|x| x / (4.0 * core::f64::consts::PI * v));
            let n = shape::prism(d[0], d[1], d[2]).unwrap();
            for k in 0..3 {
                assert!((t[k] - n[k]).abs() < 1e-13, "{d:?}: {t:?} vs {n:?}");
            }
            for k in 3..6 {
                assert!(t[k].abs() < 1e-13, "{d:?}: {t:?}");
            }
        }
    }

    /// Far apart, two prisms couple as point dipoles; and the tensor is reciprocal.
    #[test]
    fn far_field_is_a_point_dipole_and_reciprocal() {
        let da = [1.0, 0.5, 0.2];
        let db = [0.3, 0.6, 0.4];
        let r = [12.0, -9.0, 20.0];
        let a = prism([0.0; 3], da);
        let b = prism(r, db);
        let vb = db[0] * db[1] * db[2];
        let va = da[0] * da[1] * da[2];
        let t = mutual_tensor(a, b).map(|x| x / (4.0 * core::f64::consts::PI * va));
        let d = sqrt_f64(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        let u = r.map(|x| x / d);
        let pre = -vb / (4.0 * core::f64::consts::PI * d * d * d);
        let idx = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)];
        for (k, (p, q)) in idx.into_iter().enumerate() {
            let delta = if p == q { 1.0 } else { 0.0 };
            let dip = pre * (3.0 * u[p] * u[q] - delta);
            // the next multipole is down by (size / r)^2 ~ 1e-3
            assert!(
                (t[k] - dip).abs() < 3e-3 * pre.abs(),
                "{k}: {} vs {dip}",
                t[k]
            );
        }
        let back = mutual_tensor(b, a);
        let fwd = mutual_tensor(a, b);
        for k in 0..6 {
            assert!((back[k] - fwd[k]).abs() < 1e-9 * fwd[k].abs().max(1e-3));
        }
    }
}
