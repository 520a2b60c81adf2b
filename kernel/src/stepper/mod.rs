//! Time steppers behind one trait. Each owns its scratch buffers; `step` never allocates.
//!
//! | stepper | order | norm | use |
//! |---|---|---|---|
//! | [`Rk4`] | 4 | renormalised after each step | deterministic default |
//! | [`Heun`] | 2 (strong order 1 with noise, Stratonovich) | renormalised | thermal runs |
//! | [`DormandPrince`] | 5(4), adaptive | renormalised | accuracy-controlled runs |
//! | [`Dop853`] | 8(5,3), adaptive | renormalised | smooth runs at tight tolerances |
//! | [`Midpoint`] | 2 | exactly preserved (Cayley rotation) | long runs, no projection |
//!
//! "Renormalised" means: the combined stage result is handed to the dynamics' own
//! [`Geometry`](crate::state::Geometry), which puts it back on its manifold (unit sphere,
//! free vector, or `(m, dm/dt)` tangent bundle). The midpoint rule needs a pure rotation and
//! refuses any other geometry.

mod dop853;
mod dopri;
mod heun;
mod midpoint;
mod rk4;

pub use dop853::Dop853;
pub use dopri::{DormandPrince, Tolerance};
pub use heun::Heun;
pub use midpoint::Midpoint;
pub use rk4::Rk4;

use crate::error::Error;
use crate::llg::Dynamics;
use crate::real::Real;
use crate::vec3::Vec3;

/// What one call to [`Stepper::step`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Step<S> {
    /// The step actually taken (reduced time).
    pub taken: S,
    /// The step suggested for the next call (equal to `taken` for fixed-step methods).
    pub next: S,
    /// Rejected attempts before this step was accepted (adaptive methods).
    pub rejected: u32,
}

/// A one-step integrator of `dm/dtau = f(tau, m)` for a state of any length up to the
/// stepper's capacity `N` (that of its scratch buffers).
pub trait Stepper<S: Real, const N: usize> {
    /// Short name (`"rk4"`, `"heun"`, `"dopri45"`, `"dop853"`, `"midpoint"`).
    const NAME: &'static str;
    /// `true` if the method adapts its step size (then `dt` is only the first try).
    const ADAPTIVE: bool = false;
    /// `true` if the method converges to the Stratonovich solution when the noise is held
    /// constant over a step (Heun, midpoint); thermal runs refuse the others.
    const STOCHASTIC: bool = false;
    /// Advances `m` from reduced time `t` by (at most) `dt`.
    ///
    /// # Errors
    /// [`Error::NonFiniteState`] if the new state is not finite (the old state is kept),
    /// [`Error::StepSizeUnderflow`] if an adaptive method cannot meet its tolerance,
    /// [`Error::Capacity`] if `m` is longer than the capacity `N`.
    fn step<D: Dynamics<S>>(
        &mut self,
        sys: &D,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error>;
}

impl<S: Copy> Step<S> {
    /// A fixed step of `dt` (what the fixed-step methods return).
    #[inline(always)]
    pub fn fixed(dt: S) -> Self {
        Self {
            taken: dt,
            next: dt,
            rejected: 0,
        }
    }
}

/// `K` scratch vectors of capacity `N` each: a stepper's stage buffers.
#[derive(Clone, Debug)]
pub(crate) struct Scratch<S, const N: usize, const K: usize> {
    pub(crate) v: [[Vec3<S>; N]; K],
}

impl<S: Real, const N: usize, const K: usize> Scratch<S, N, K> {
    /// Zeroed buffers as one constant, written in place.
    const ZERO: Self = Self {
        v: [[Vec3::ZERO; N]; K],
    };
}

impl<S: Real, const N: usize, const K: usize> Default for Scratch<S, N, K> {
    /// Zeroed buffers. Large ones come from one constant, so that they are written in place:
    /// `[[Vec3::ZERO; N]; K]` as an expression builds one row on the stack and copies it `K`
    /// times (for a 256-spin lattice on a Cortex-M0, a second 6 KiB copy of the midpoint's
    /// scratch next to its 16 KiB of RAM). Small ones (the per-step locals of `N <= 4`) are
    /// built as the expression, which the compiler keeps in registers.
    #[inline(always)]
    fn default() -> Self {
        if N <= 4 {
            Self {
                v: [[Vec3::ZERO; N]; K],
            }
        } else {
            Self::ZERO
        }
    }
}

/// A fixed-step method whose only state is its stage buffers: the struct (a [`Scratch`] of `K`
/// vectors of capacity `N`), `Default`, `new`, and its [`Stepper`] impl, which checks the
/// capacity and runs the method's `stages` on the `K` buffers cut to the state's length. For
/// small `N` the buffers are locals, so that they stay in registers (the critical path is the
/// chain of dependent stages); the stepper's own scratch keeps large lattices off the stack.
///
/// `stages(sys, t, m, dt, [b1, .., bK]) { .. }` advances `m` by one step of `dt` from time `t`
/// (combining into a buffer and committing through the dynamics' geometry).
macro_rules! fixed_stepper {
    (
        $(#[$doc:meta])*
        $name:ident, $label:literal, stochastic: $stochastic:literal, scratch: $k:literal,
        fn stages($sys:ident, $t:ident, $m:ident, $dt:ident, [$($buf:ident),+]) $body:block
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name<S, const N: usize> {
            /// The stage buffers.
            s: $crate::stepper::Scratch<S, N, $k>,
        }

        impl<S: $crate::real::Real, const N: usize> Default for $name<S, N> {
            fn default() -> Self {
                Self {
                    s: Default::default(),
                }
            }
        }

        impl<S: $crate::real::Real, const N: usize> $name<S, N> {
            /// A new stepper with zeroed scratch.
            pub fn new() -> Self {
                Self::default()
            }
        }

        /// One step of `m`, the buffers as long as `m`.
        #[inline(always)]
        fn stages<S: $crate::real::Real, D: $crate::llg::Dynamics<S>>(
            $sys: &D,
            $t: S,
            $m: &mut [$crate::vec3::Vec3<S>],
            $dt: S,
            [$($buf),+]: [&mut [$crate::vec3::Vec3<S>]; $k],
        ) -> Result<(), $crate::error::Error> $body

        impl<S: $crate::real::Real, const N: usize> $crate::stepper::Stepper<S, N> for $name<S, N> {
            const NAME: &'static str = $label;
            const STOCHASTIC: bool = $stochastic;

            #[inline]
            fn step<D: $crate::llg::Dynamics<S>>(
                &mut self,
                sys: &D,
                t: S,
                m: &mut [$crate::vec3::Vec3<S>],
                dt: S,
            ) -> Result<$crate::stepper::Step<S>, $crate::error::Error> {
                $crate::stepper::fits::<S, N>(m)?;
                let n = m.len();
                if N <= 4 {
                    let [$($buf),+] = &mut $crate::stepper::Scratch::<S, N, $k>::default().v;
                    stages(sys, t, m, dt, [$(&mut $buf[..n]),+])?;
                } else {
                    let [$($buf),+] = &mut self.s.v;
                    stages(sys, t, m, dt, [$(&mut $buf[..n]),+])?;
                }
                Ok($crate::stepper::Step::fixed(dt))
            }
        }
    };
}
pub(crate) use fixed_stepper;

/// `Ok` if `m` fits the capacity `N`, else the error of a state longer than the scratch.
#[inline(always)]
pub(crate) fn fits<S, const N: usize>(m: &[Vec3<S>]) -> Result<(), Error> {
    if m.len() > N {
        Err(too_long(N))
    } else {
        Ok(())
    }
}

/// The error of a state longer than a stepper's scratch.
pub(crate) const fn too_long(capacity: usize) -> Error {
    Error::Capacity {
        what: "state longer than the stepper's scratch",
        capacity,
    }
}

/// Writes `out = m + k * h`.
#[inline(always)]
pub(crate) fn axpy<S: Real>(out: &mut [Vec3<S>], m: &[Vec3<S>], k: &[Vec3<S>], h: S) {
    for ((o, &mi), &ki) in out.iter_mut().zip(m).zip(k) {
        *o = mi + ki.scale(h);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Stepper;
    use crate::field::Zeeman;
    use crate::llg::Llg;
    use crate::vec3::Vec3;

    /// Damped precession in a field h along z, m(0) = x: m_z(t) = tanh(alpha h t/(1+alpha^2)).
    pub fn precession(alpha: f64, h: f64) -> Llg<f64, Zeeman<f64>> {
        Llg::new(alpha, Zeeman::constant(Vec3::new(0.0, 0.0, h)))
    }

    pub fn exact_mz(alpha: f64, h: f64, t: f64) -> f64 {
        libm::tanh(alpha * h * t / (1.0 + alpha * alpha))
    }

    /// Runs `st` on [`precession`] from `m = x` to `t_end`, first trying `dt` and then the
    /// step each call suggests (fixed-step methods: `dt` throughout); returns `|m_z - exact|`
    /// at `t_end` and the number of steps.
    pub fn precession_error<St: Stepper<f64, 1>>(
        st: &mut St,
        alpha: f64,
        h: f64,
        t_end: f64,
        dt: f64,
    ) -> (f64, u32) {
        let sys = precession(alpha, h);
        let mut m = [Vec3::X];
        let (mut t, mut dt, mut steps) = (0.0, dt, 0);
        while t < t_end {
            let s = st.step(&sys, t, &mut m, dt.min(t_end - t)).unwrap();
            t += s.taken;
            dt = s.next;
            steps += 1;
        }
        ((m[0].z - exact_mz(alpha, h, t_end)).abs(), steps)
    }
}
