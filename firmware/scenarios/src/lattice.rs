//! The lattice scenario: a periodic `L x L` square lattice of classical f32 spins with
//! nearest-neighbour ferromagnetic exchange, uniaxial anisotropy and a tilted field, started
//! from a Philox-random state and integrated with the existing [`Llg`] and the
//! [`Midpoint`] stepper (Mentink et al.'s semi-implicit scheme for atomistic spin dynamics,
//! J. Phys.: Condens. Matter 22, 176001 (2010)); then a short Metropolis Monte Carlo run
//! ([`larmor::lattice::mc`]) on the same lattice from the same start. The firmware
//! (16 x 16 = 256 spins: in `selftest` on the Cortex-M4F, and in the `lattice` app on the
//! Cortex-M4F and the Cortex-M0) and the host parity test run this code and compare the hashes
//! of the final states bit for bit.
//!
//! **Model** (atomistic reduced units, [`larmor::units::AtomisticUnits`]: energies in `J`,
//! fields in `J / mu`, time in `mu / (gamma J)`; all moments `mu_i = 1`, so the lattice terms
//! drive [`Llg`] directly, no [`larmor::lattice::Atomistic`] wrapper):
//! `E = -J sum_<ij> m_i . m_j + K sum_i (1 - (m_i . z)^2) - sum_i b . m_i`, `J = 1`, `K = 0.1`,
//! `b = (0.02, 0, 0.05)`, Gilbert damping 0.1, step 0.02, [`LLG_STEPS`] steps. The uniform
//! on-site terms are the macrospin [`UniaxialK1`] and [`ConstantZeeman`] (the same field
//! `2 K (m.u) u + b` as [`larmor::lattice::OnSite`], which would hold 40 bytes per spin).
//!
//! **Memory** ([`Memory`], logged by the firmware from `core::mem::size_of` on the target and
//! asserted by the host test), 256 spins on a 32-bit target: the state 3072 bytes (12 per
//! spin), the stepper's two scratch vectors 6144 (24 per spin), the lattice 5552 (21 per spin:
//! CSR row end 4, sublattice sign 1, four bonds of 4; plus its 4-entry bond-vector table of
//! `Lattice<N, B, 4>`, shells and spec), the model 92: 14 860 bytes, 14.5 KiB. Heun (three
//! scratch vectors: 17 932 bytes) or RK4 (five: 24 076) would not fit 16 KiB, nor would the
//! per-site [`larmor::lattice::OnSite`] (10 244 more) or the default 64-entry bond-vector
//! table (1440 more).
//!
//! **Monte Carlo**: Heisenberg spins, Metropolis with Gaussian proposals of width 0.5 (Hinzke
//! and Nowak, Comput. Phys. Commun. 121, 334 (1999)), `T = 0.5 J / kB`, [`MC_SWEEPS`] sweeps,
//! Philox stream ([`SEED`], 2); the moves work in f64 (soft-float on both boards), the energy
//! changes in f32.

use larmor::field::{ConstantZeeman, FieldTerm, UniaxialK1};
use larmor::lattice::mc::{MonteCarlo, Rule, Spin};
use larmor::lattice::{Boundary, Exchange, Lattice, LatticeSpec};
use larmor::llg::Llg;
use larmor::math;
use larmor::random::{uniform_f64, Philox};
use larmor::state::{flush, FLUSH_EVERY};
use larmor::stepper::{Midpoint, Stepper};
use larmor::{Error, Vec3};

use crate::{fnv1a, FNV_START};

/// Bond vectors a nearest-neighbour square lattice has (+-x, +-y): the lattice's table size.
pub const DIRS: usize = 4;
/// Exchange constant (reduced: the energy unit).
pub const J: f32 = 1.0;
/// Uniaxial anisotropy constant `K / J` along z.
pub const K: f32 = 0.1;
/// Applied field `b mu / J`.
pub const B: [f32; 3] = [0.02, 0.0, 0.05];
/// Gilbert damping.
pub const ALPHA: f32 = 0.1;
/// Time step (reduced, `mu / (gamma J)`).
pub const DT: f32 = 0.02;
/// LLG steps of the scenario.
pub const LLG_STEPS: u32 = 1000;
/// Monte Carlo sweeps of the scenario.
pub const MC_SWEEPS: u32 = 20;
/// Monte Carlo temperature (`kB T / J`).
pub const MC_TEMPERATURE: f64 = 0.5;
/// Width of the Gaussian Metropolis proposal.
pub const MC_STEP: f64 = 0.5;
/// Philox seed: stream 1 draws the initial state, stream 2 the Monte Carlo moves.
pub const SEED: u64 = 0x5eed_1a77;
/// Largest `| |m_i| - 1 |` allowed after the LLG run (the midpoint rule rotates each spin;
/// only rounding changes the norm).
pub const NORM_BOUND: f32 = 1e-5;

/// The lattice of the scenario: `N` sites, `NB` directed bonds, [`DIRS`] bond vectors.
pub type SquareLattice<const N: usize, const NB: usize> = Lattice<N, NB, DIRS>;
/// The model: exchange on the lattice's bonds, uniform anisotropy and field.
pub type Model<'a> = Llg<f32, (Exchange<'a, f32>, UniaxialK1<f32>, ConstantZeeman<f32>)>;

/// Everything a run keeps, borrowed: the lattice with its neighbour lists, the state and the
/// stepper's scratch. The caller owns the three (the firmware: the lattice on one frame, the
/// state and the stepper on the next, each built in place; a struct of all three returned by
/// value would be copied through the stack).
#[derive(Debug)]
pub struct Parts<'a, const N: usize, const NB: usize> {
    /// Geometry and CSR neighbour lists.
    pub lattice: &'a SquareLattice<N, NB>,
    /// The spins.
    pub state: &'a mut [Vec3<f32>; N],
    /// The stepper (its two scratch vectors of `N` spins).
    pub stepper: &'a mut Midpoint<f32, N>,
}

/// The periodic `side x side` square lattice of the scenario, nearest neighbours.
///
/// # Errors
/// [`Error::Capacity`] if `side^2 > N` or the bonds exceed `NB`; as [`Lattice::build`].
#[inline(never)]
pub fn square<const N: usize, const NB: usize>(side: usize) -> Result<SquareLattice<N, NB>, Error> {
    Lattice::build(&LatticeSpec::square(side, side, Boundary::Periodic))
}

/// `core::mem::size_of` of each part of a run of `N` spins and `NB` bonds (bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Memory {
    /// Spins.
    pub sites: u32,
    /// The lattice (neighbour lists, signs, bond-vector table, shells, spec).
    pub lattice: u32,
    /// The state.
    pub state: u32,
    /// The stepper's scratch.
    pub stepper: u32,
    /// The model built on the lattice (borrows the neighbour lists; parameters only).
    pub model: u32,
    /// The lattice, state, stepper and model together.
    pub total: u32,
}

impl Memory {
    /// The sizes for `N` spins and `NB` bonds on this target.
    pub const fn of<const N: usize, const NB: usize>() -> Self {
        use core::mem::size_of;
        Self {
            sites: N as u32,
            lattice: size_of::<SquareLattice<N, NB>>() as u32,
            state: size_of::<[Vec3<f32>; N]>() as u32,
            stepper: size_of::<Midpoint<f32, N>>() as u32,
            model: size_of::<Model<'static>>() as u32,
            total: (size_of::<SquareLattice<N, NB>>()
                + size_of::<[Vec3<f32>; N]>()
                + size_of::<Midpoint<f32, N>>()
                + size_of::<Model<'static>>()) as u32,
        }
    }
}

/// Spins of the scenario: 16 x 16.
pub const SITES_256: usize = 256;
/// Its directed bonds (4 per spin).
pub const BONDS_256: usize = 4 * SITES_256;
// the 16 KiB budget, on every target (32-bit and 64-bit alike)
const _: () = assert!(Memory::of::<SITES_256, BONDS_256>().total <= 16 * 1024);

/// What the LLG run ends with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LlgReport {
    /// Steps taken.
    pub steps: u32,
    /// FNV-1a hash of the final state's f32 bits (x, y, z of each spin, little-endian).
    pub hash: u64,
    /// Energy of the initial state.
    pub e0: f32,
    /// Energy of the final state.
    pub e: f32,
    /// Mean magnetisation of the final state.
    pub m: Vec3<f32>,
    /// Largest `| |m_i| - 1 |` of the final state.
    pub norm_err: f32,
}

/// What the Monte Carlo run ends with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct McReport {
    /// Sweeps done.
    pub sweeps: u32,
    /// FNV-1a hash of the final state's f32 bits.
    pub hash: u64,
    /// Energy of the final state.
    pub e: f32,
    /// Mean magnetisation of the final state.
    pub m: Vec3<f32>,
    /// Fraction of the moves accepted.
    pub acceptance: f64,
}

/// FNV-1a hash of a state's f32 bits.
pub fn hash(m: &[Vec3<f32>]) -> u64 {
    m.iter().fold(FNV_START, |h, v| {
        let h = fnv1a(h, &v.x.to_bits().to_le_bytes());
        let h = fnv1a(h, &v.y.to_bits().to_le_bytes());
        fnv1a(h, &v.z.to_bits().to_le_bytes())
    })
}

/// Mean of a state.
fn mean(m: &[Vec3<f32>]) -> Vec3<f32> {
    let mut s = Vec3::ZERO;
    for &v in m {
        s += v;
    }
    s.scale((m.len().max(1) as f32).recip())
}

/// A uniform random unit vector (z uniform in [-1, 1], azimuth uniform), drawn in f64.
fn random_unit(rng: &mut Philox) -> Vec3<f32> {
    let z = 2.0 * uniform_f64(rng) - 1.0;
    let phi = core::f64::consts::TAU * uniform_f64(rng);
    let s = math::sqrt_f64((1.0 - z * z).max(0.0));
    let (sp, cp) = math::sin_cos_f64(phi);
    Vec3::<f32>::from_f64([s * cp, s * sp, z]).normalized()
}

/// The scenario's model on `lattice`.
pub fn model<const N: usize, const NB: usize>(lattice: &SquareLattice<N, NB>) -> Model<'_> {
    Llg::new(
        ALPHA,
        (
            Exchange::uniform(lattice.neighbours(), J),
            UniaxialK1::new(K, Vec3::Z),
            ConstantZeeman::new(Vec3::new(B[0], B[1], B[2])),
        ),
    )
}

impl<'a, const N: usize, const NB: usize> Parts<'a, N, NB> {
    /// A run on `lattice` with the caller's state and stepper; the state is set to the initial
    /// one ([`Parts::reset`]).
    pub fn new(
        lattice: &'a SquareLattice<N, NB>,
        state: &'a mut [Vec3<f32>; N],
        stepper: &'a mut Midpoint<f32, N>,
    ) -> Self {
        let mut parts = Self {
            lattice,
            state,
            stepper,
        };
        parts.reset();
        parts
    }

    /// Number of spins.
    pub fn sites(&self) -> usize {
        self.lattice.sites()
    }

    /// The initial state: Philox stream ([`SEED`], 1), one uniform unit vector per spin.
    pub fn reset(&mut self) {
        let mut rng = Philox::new(SEED, 1);
        for v in self.state.iter_mut() {
            *v = random_unit(&mut rng);
        }
    }

    /// The scenario's model on this lattice.
    pub fn model(&self) -> Model<'a> {
        model(self.lattice)
    }

    /// `steps` midpoint steps of LLG from the current state (autonomous: time stays 0), with
    /// the state's tiny components flushed after every [`FLUSH_EVERY`]-th step of the call, as
    /// the kernel's integrator does (the steps run in blocks, so the step loop tests nothing
    /// else).
    ///
    /// # Errors
    /// A stepper error (non-finite state).
    #[inline(never)]
    pub fn run_llg(&mut self, steps: u32) -> Result<(), Error> {
        let n = self.sites();
        // split borrows: the model borrows the lattice, the stepper and the state are written
        let Self {
            lattice,
            state,
            stepper,
        } = self;
        let model = model(*lattice);
        let m = &mut state[..n];
        let mut left = steps;
        while left > 0 {
            let block = left.min(FLUSH_EVERY as u32);
            for _ in 0..block {
                stepper.step(&model, 0.0, m, DT)?;
            }
            left -= block;
            if block == FLUSH_EVERY as u32 {
                flush(m);
            }
        }
        Ok(())
    }

    /// Energy of the current state.
    pub fn energy(&self) -> f32 {
        self.model().terms.energy(0.0, &self.state[..self.sites()])
    }

    /// The report of an LLG run of `steps` steps that started at energy `e0`.
    pub fn llg_report(&self, steps: u32, e0: f32) -> LlgReport {
        let m = &self.state[..self.sites()];
        let mut norm_err = 0.0f32;
        for v in m {
            norm_err = norm_err.max((larmor::Real::sqrt(v.norm2()) - 1.0).abs());
        }
        LlgReport {
            steps,
            hash: hash(m),
            e0,
            e: self.energy(),
            m: mean(m),
            norm_err,
        }
    }

    /// The LLG scenario: [`Parts::reset`], `steps` steps ([`Parts::run_llg`]), the report.
    ///
    /// # Errors
    /// A stepper error (non-finite state).
    #[inline(never)]
    pub fn llg(&mut self, steps: u32) -> Result<LlgReport, Error> {
        self.reset();
        let e0 = self.energy();
        self.run_llg(steps)?;
        Ok(self.llg_report(steps, e0))
    }

    /// `sweeps` Metropolis sweeps from the current state with the sampler `mc`.
    #[inline(never)]
    pub fn run_mc(&mut self, mc: &mut MonteCarlo<Philox>, sweeps: u32) {
        let n = self.sites();
        let Self { lattice, state, .. } = self;
        let model = model(*lattice);
        for _ in 0..sweeps {
            mc.sweep(&model.terms, &mut state[..n]);
        }
    }

    /// The Monte Carlo sampler of the scenario (stream ([`SEED`], 2)).
    ///
    /// # Errors
    /// None for the scenario's constants (kept a `Result`: the firmware never panics).
    pub fn sampler() -> Result<MonteCarlo<Philox>, Error> {
        MonteCarlo::new(
            Spin::Heisenberg,
            Rule::Metropolis { step: MC_STEP },
            MC_TEMPERATURE,
            Philox::new(SEED, 2),
        )
    }

    /// The report of a Monte Carlo run of `sweeps` sweeps by `mc`.
    pub fn mc_report(&self, sweeps: u32, mc: &MonteCarlo<Philox>) -> McReport {
        let m = &self.state[..self.sites()];
        McReport {
            sweeps,
            hash: hash(m),
            e: self.energy(),
            m: mean(m),
            acceptance: mc.acceptance(),
        }
    }

    /// The Monte Carlo scenario: [`Parts::reset`], `sweeps` sweeps with a fresh
    /// [`Parts::sampler`], the report.
    ///
    /// # Errors
    /// None for the scenario's constants.
    #[inline(never)]
    pub fn mc(&mut self, sweeps: u32) -> Result<McReport, Error> {
        self.reset();
        let mut mc = Self::sampler()?;
        self.run_mc(&mut mc, sweeps);
        Ok(self.mc_report(sweeps, &mc))
    }
}

/// Golden hashes of the scenarios, from the host (`tests/tests/parity.rs` checks them against a
/// fresh host run and the QEMU logs): (`"llg"` or `"mc"`, spins, steps or sweeps, hash).
pub const GOLDEN: &[(&str, u32, u32, u64)] = &[
    ("llg", 256, 1000, 6873451767575981772),
    ("mc", 256, 20, 18253820513190439942),
];

/// The golden hash of a scenario, if there is one.
pub fn golden(kind: &str, sites: u32, steps: u32) -> Option<u64> {
    GOLDEN
        .iter()
        .find(|g| g.0 == kind && g.1 == sites && g.2 == steps)
        .map(|g| g.3)
}
