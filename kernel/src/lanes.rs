//! Lane scalars: `L` independent trials of an ensemble carried side by side in one value, so that
//! one pass of the unchanged steppers advances all of them (the compiler turns each lane-wise
//! operation into SIMD instructions: `Lanes<f64, 8>` is one AVX-512 register, two AVX2 ones).
//!
//! [`Lanes`] implements [`Real`], so every stepper, field term, torque and geometry runs on it
//! as written. Each lane sees exactly the operations a plain scalar would see, in the same
//! order: IEEE arithmetic is lane-wise, nothing in the kernel contracts to FMA, and the
//! state-dependent branches of the kernel ([`Real::flush_tiny`], [`Real::unit_factor`],
//! [`Real::abs`], [`Real::min`], [`Real::max`], [`Real::rsqrt`]) are taken lane by lane. So
//! **each lane's result is bit-identical to the same trial run on the plain scalar**, whatever
//! the lane width (the tests below check it).
//!
//! Comparisons (`<`, `==`, [`PartialOrd`]) hold only when they hold in every lane; the kernel
//! makes them on values that are the same in every lane of an ensemble (time, step size,
//! parameters, a current that is on or off), where that is the plain scalar's answer.
//! [`Real::to_f64`] is lane 0 (such a shared value); [`Real::lane`] reads any lane, and
//! [`Real::is_finite`] is `true` only when every lane is finite, so a step that fails in one
//! lane fails for the batch (the host then reruns the batch's trials one by one).
//!
//! Random numbers stay per trial: [`LaneStreams`] holds one generator per lane and draws each
//! lane's Gaussian from its own stream with the plain scalar's sampler, in the plain scalar's
//! order.

use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use rand_core::Rng;

use crate::random::{Gaussian, NormalSource};
use crate::real::Real;

/// `L` values of the scalar `T`, one per lane (trial), operated on lane by lane.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(transparent)]
pub struct Lanes<T, const L: usize>(pub [T; L]);

impl<T: Copy, const L: usize> Lanes<T, L> {
    /// `x` in every lane.
    #[inline(always)]
    pub const fn splat(x: T) -> Self {
        Self([x; L])
    }
}

impl<T: Real, const L: usize> Lanes<T, L> {
    /// `f` applied to each lane.
    #[inline(always)]
    fn map(self, f: impl Fn(T) -> T) -> Self {
        let mut out = self.0;
        for o in out.iter_mut() {
            *o = f(*o);
        }
        Self(out)
    }
    /// `f` applied to each pair of lanes.
    #[inline(always)]
    fn zip(self, other: Self, f: impl Fn(T, T) -> T) -> Self {
        let mut out = self.0;
        for (o, &b) in out.iter_mut().zip(other.0.iter()) {
            *o = f(*o, b);
        }
        Self(out)
    }
}

impl<T: Copy + Default, const L: usize> Default for Lanes<T, L> {
    fn default() -> Self {
        Self([T::default(); L])
    }
}

/// `Some(ordering)` when every lane compares the same way, else `None` (so `a < b` holds only
/// when it holds in every lane).
impl<T: PartialOrd, const L: usize> PartialOrd for Lanes<T, L> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        let first = self.0.first()?.partial_cmp(other.0.first()?)?;
        self.0
            .iter()
            .zip(other.0.iter())
            .all(|(a, b)| a.partial_cmp(b) == Some(first))
            .then_some(first)
    }
}

macro_rules! lane_op {
    ($op:ident, $f:ident, $op_assign:ident, $f_assign:ident) => {
        impl<T: Real, const L: usize> $op for Lanes<T, L> {
            type Output = Self;
            #[inline(always)]
            fn $f(self, rhs: Self) -> Self {
                self.zip(rhs, |a, b| a.$f(b))
            }
        }
        impl<T: Real, const L: usize> $op_assign for Lanes<T, L> {
            #[inline(always)]
            fn $f_assign(&mut self, rhs: Self) {
                *self = (*self).$f(rhs);
            }
        }
    };
}
lane_op!(Add, add, AddAssign, add_assign);
lane_op!(Sub, sub, SubAssign, sub_assign);
lane_op!(Mul, mul, MulAssign, mul_assign);
lane_op!(Div, div, DivAssign, div_assign);

impl<T: Real, const L: usize> Neg for Lanes<T, L> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.map(|a| -a)
    }
}

/// The lane count in a scalar's name: `"f64x8"`.
const fn lane_name(base: &'static str, lanes: usize) -> &'static str {
    let f64_names = [
        "f64", "f64x2", "f64x3", "f64x4", "f64x5", "f64x6", "f64x7", "f64x8",
    ];
    let f32_names = [
        "f32", "f32x2", "f32x3", "f32x4", "f32x5", "f32x6", "f32x7", "f32x8",
    ];
    let is_f32 = base.len() == 3 && base.as_bytes()[1] == b'3';
    if lanes == 16 {
        return if is_f32 { "f32x16" } else { "f64x16" };
    }
    if lanes == 0 || lanes > 8 {
        return "lanes";
    }
    if is_f32 {
        f32_names[lanes - 1]
    } else {
        f64_names[lanes - 1]
    }
}

impl<T: Real, const L: usize> Real for Lanes<T, L> {
    const ZERO: Self = Self::splat(T::ZERO);
    const ONE: Self = Self::splat(T::ONE);
    const HALF: Self = Self::splat(T::HALF);
    const TWO: Self = Self::splat(T::TWO);
    const TINY: Self = Self::splat(T::TINY);
    const SUBNORMALS: bool = T::SUBNORMALS;
    const NAME: &'static str = lane_name(T::NAME, L);
    const LANES: usize = L;

    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        Self::splat(T::from_f64(x))
    }
    /// Lane 0 (meaningful for a value every lane shares, such as time).
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self.0.first().map_or(0.0, |x| x.to_f64())
    }
    #[inline(always)]
    fn lane(self, i: usize) -> f64 {
        self.0.get(i).map_or(f64::NAN, |x| x.to_f64())
    }
    #[inline(always)]
    fn mul_u32(self, k: u32) -> Self {
        self.map(|a| a.mul_u32(k))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        self.map(T::sqrt)
    }
    #[inline(always)]
    fn sin_cos(self) -> (Self, Self) {
        let (mut s, mut c) = (self.0, self.0);
        for ((si, ci), &x) in s.iter_mut().zip(c.iter_mut()).zip(self.0.iter()) {
            (*si, *ci) = x.sin_cos();
        }
        (Self(s), Self(c))
    }
    #[inline(always)]
    fn exp(self) -> Self {
        self.map(T::exp)
    }
    /// `true` only when every lane is finite.
    #[inline(always)]
    fn is_finite(self) -> bool {
        self.0.iter().all(|x| x.is_finite())
    }
    #[inline(always)]
    fn abs(self) -> Self {
        self.map(T::abs)
    }
    #[inline(always)]
    fn recip(self) -> Self {
        self.map(T::recip)
    }
    #[inline(always)]
    fn rsqrt(self) -> Self {
        self.map(T::rsqrt)
    }
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        self.zip(other, T::max)
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        self.zip(other, T::min)
    }
    #[inline(always)]
    fn flush_tiny(self) -> Self {
        self.map(T::flush_tiny)
    }
    #[inline(always)]
    fn unit_factor(self) -> Self {
        self.map(T::unit_factor)
    }
}

/// One random generator per lane: the noise of lane `i` comes from generator `i` alone, drawn
/// with the plain scalar's sampler in the plain scalar's order, so that each lane's trial sees
/// the stream it would see on its own.
#[derive(Clone, Debug)]
pub struct LaneStreams<R, const L: usize>(pub [R; L]);

impl<T: Gaussian, R: Rng, const L: usize> NormalSource<Lanes<T, L>> for LaneStreams<R, L> {
    #[inline(always)]
    fn normal(&mut self) -> Lanes<T, L> {
        let mut out = [T::ZERO; L];
        for (o, r) in out.iter_mut().zip(self.0.iter_mut()) {
            *o = T::std_normal(r);
        }
        Lanes(out)
    }
}

impl<T: Gaussian, R: Rng, const L: usize> NormalSource<Lanes<T, L>> for &mut LaneStreams<R, L> {
    #[inline(always)]
    fn normal(&mut self) -> Lanes<T, L> {
        (**self).normal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drive::DriveSpec;
    use crate::integrate::{Crossing, Direction};
    use crate::params::UniaxialSpec;
    use crate::params::{CurrentSpec, MacrospinSpec, Shape, Span, SttSpec, ThermalSpec};
    use crate::random::Philox;
    use crate::stepper::{Heun, Stepper};
    use crate::Vec3;

    /// A thermal STT-MRAM cell with a current pulse: time-dependent torque, demag, uniaxial
    /// anisotropy, noise.
    fn spec() -> MacrospinSpec {
        let mut s = MacrospinSpec::new(
            1.1e6,
            0.02,
            Shape::Disc {
                diameter: 40e-9,
                thickness: 1.4e-9,
            },
        );
        s.uniaxial = Some(UniaxialSpec {
            ku: 1.1e6,
            k2: 0.0,
            axis: [0.0, 0.0, 1.0],
        });
        s.applied = [2e-3, 0.0, 0.0];
        s.m0 = [0.0, 0.0, 1.0];
        s.thermal = Some(ThermalSpec {
            temperature: DriveSpec::Constant(300.0),
        });
        s.stt = Some(SttSpec {
            polarizer: [0.0, 0.0, -1.0],
            polarization: 0.6,
            lambda: 1.0,
            field_like: 0.0,
            current: CurrentSpec::Density(DriveSpec::Pulse {
                amplitude: 2.0e11,
                start: 0.1e-9,
                duration: 1.5e-9,
                rise: 0.05e-9,
                fall: 0.05e-9,
            }),
            thickness: None,
        });
        s
    }

    struct Outcome {
        m: [u64; 3],
        crossing: Option<u64>,
    }

    /// Trial `k` on the plain scalar.
    fn scalar(k: u64, span: Span) -> Outcome {
        let model = spec().compile::<f64>().unwrap();
        let mut m = [model.m0];
        let mut ev = [Crossing::mz(0.0, Direction::Falling)];
        let mut rng = Philox::new(7, k);
        model
            .integrate(&mut rng, Heun::new(), &mut m, span, &mut ev, &mut ())
            .unwrap();
        Outcome {
            m: m[0].to_f64().map(f64::to_bits),
            crossing: ev[0].time.map(f64::to_bits),
        }
    }

    /// Trials `k0 .. k0 + L` in lanes.
    fn lanes<const L: usize>(k0: u64, span: Span) -> [Outcome; L] {
        let model = spec().compile::<Lanes<f64, L>>().unwrap();
        let mut m = [model.m0];
        let mut ev: [Crossing; L] = core::array::from_fn(|i| Crossing {
            lane: i,
            ..Crossing::mz(0.0, Direction::Falling)
        });
        let mut rng = LaneStreams(core::array::from_fn(|i| Philox::new(7, k0 + i as u64)));
        model
            .integrate(&mut rng, Heun::new(), &mut m, span, &mut ev, &mut ())
            .unwrap();
        core::array::from_fn(|i| Outcome {
            m: [m[0].x.lane(i), m[0].y.lane(i), m[0].z.lane(i)].map(f64::to_bits),
            crossing: ev[i].time.map(f64::to_bits),
        })
    }

    fn check<const L: usize>(span: Span) -> usize {
        let mut switched = 0;
        for batch in 0..(16 / L as u64) {
            for (i, got) in lanes::<L>(batch * L as u64, span).iter().enumerate() {
                let want = scalar(batch * L as u64 + i as u64, span);
                assert_eq!(got.m, want.m, "lane {i} of {L}, batch {batch}");
                assert_eq!(
                    got.crossing, want.crossing,
                    "lane {i} of {L}, batch {batch}"
                );
                switched += usize::from(got.crossing.is_some());
            }
        }
        switched
    }

    #[test]
    fn every_lane_is_bit_identical_to_its_scalar_trial() {
        let model = spec().compile::<f64>().unwrap();
        let u = model.units;
        // 3 ns: the pulse switches some trials and not others, and ends mid-run; the end is
        // off the step grid (a shortened last step)
        let span = Span {
            t0: 0.0,
            t_end: u.time_to_reduced(3.0e-9 + 0.37e-12),
            dt: u.time_to_reduced(1e-12),
        };
        let switched = check::<1>(span);
        assert!(switched > 0 && switched < 16, "{switched} of 16 switched");
        assert_eq!(check::<2>(span), switched);
        assert_eq!(check::<4>(span), switched);
        assert_eq!(check::<8>(span), switched);
    }

    /// A trial that goes non-finite in one lane fails the batch (which the host then runs
    /// trial by trial), instead of handing back a NaN for that lane unnoticed.
    #[test]
    fn one_non_finite_lane_fails_the_batch() {
        let model = spec().compile::<Lanes<f64, 4>>().unwrap();
        let u = model.units;
        let span = Span {
            t0: 0.0,
            t_end: u.time_to_reduced(10e-12),
            dt: u.time_to_reduced(1e-12),
        };
        let mut m = [model.m0];
        m[0].x.0[2] = f64::NAN;
        let mut rng = LaneStreams(core::array::from_fn(|i| Philox::new(7, i as u64)));
        let r = model.integrate(&mut rng, Heun::new(), &mut m, span, &mut [], &mut ());
        assert!(r.is_err(), "{r:?}");
    }

    #[test]
    fn lane_scalars_follow_each_lane() {
        let a = Lanes([1.0f64, -4.0, 1e-80, 0.0]);
        let b = Lanes::splat(2.0f64);
        assert_eq!((a * b).0, [2.0, -8.0, 2e-80, 0.0]);
        assert_eq!(a.abs().0, [1.0, 4.0, 1e-80, 0.0]);
        assert_eq!(a.flush_tiny().0, [1.0, -4.0, 0.0, 0.0]);
        assert_eq!(Real::max(a, b).0, [2.0, 2.0, 2.0, 2.0]);
        // comparisons hold only when they hold in every lane
        assert!(Lanes::splat(1.0f64) < b);
        let c = Lanes([1.0f64, 3.0, 1e-80, 0.0]);
        assert!(a < b && c.partial_cmp(&b).is_none());
        assert!(!Lanes([1.0, f64::NAN]).is_finite());
        assert_eq!(Lanes::<f64, 8>::NAME, "f64x8");
        assert_eq!(Lanes::<f32, 16>::NAME, "f32x16");
        assert_eq!(a.lane(1), -4.0);
        // renormalisation takes its branch per lane: Newton step near 1, exact elsewhere
        let n2 = Lanes([1.0 + 1e-6, 4.0]);
        assert_eq!(
            n2.unit_factor().0,
            [(1.0 + 1e-6f64).unit_factor(), 4.0f64.unit_factor()]
        );
        let _ = Heun::<Lanes<f64, 2>, 1>::NAME;
        let _ = Vec3::<Lanes<f64, 2>>::ZERO;
    }
}
