//! Two-sublattice antiferromagnets and ferrimagnets (Keffer and Kittel, Phys. Rev. 85, 329
//! (1952)) as a two-layer [`Stack`] in one volume.

use super::{terms, Gain, Interlayer, InterlayerDipolar, LayerTerms, Stack, StackLlg};
use crate::error::{check_direction, check_finite, check_min, check_vec, Error};
use crate::real::Real;
use crate::units::{Units, GAMMA_E, MU0};
use crate::vec3::Vec3;

/// One sublattice, in SI.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SublatticeSpec {
    /// Sublattice magnetisation M (A/m), > 0.
    pub ms: f64,
    /// Gilbert damping, >= 0.
    pub alpha: f64,
    /// Gyromagnetic ratio (rad/(s T)), > 0.
    pub gamma: f64,
    /// Uniaxial anisotropy energy density of the sublattice Ku (J/m^3): anisotropy field
    /// `H_A = 2 Ku / (mu0 M)`.
    pub ku: f64,
    /// Anisotropy axis (normalised on the way in).
    pub axis: [f64; 3],
    /// Initial direction (normalised on the way in).
    pub m0: [f64; 3],
}

impl SublatticeSpec {
    /// A sublattice of magnetisation `ms` (A/m): damping 0.01, free-electron gamma, no
    /// anisotropy, `m0` along z.
    pub fn new(ms: f64) -> Self {
        Self {
            ms,
            alpha: 0.01,
            gamma: GAMMA_E,
            ku: 0.0,
            axis: [0.0, 0.0, 1.0],
            m0: [0.0, 0.0, 1.0],
        }
    }
}

/// Two sublattices `A`, `B` coupled antiferromagnetically by the exchange field `H_E` on `A`
/// (molecular field `-H_E m_B` on `A`, `-H_E (M_A / M_B) m_A` on `B`), each with its own
/// anisotropy and damping, in an applied field: equal magnetisations make an antiferromagnet,
/// unequal ones a ferrimagnet. Reduced units of sublattice `A` (field `M_A`, time
/// `1 / (gamma_A mu0 M_A)`).
///
/// ```
/// use larmor::stack::{SublatticeSpec, TwoSublatticeSpec};
/// let mut a = SublatticeSpec::new(4e5);
/// a.ku = 1e4;
/// let mut b = a;
/// b.m0 = [0.0, 0.0, -1.0];
/// let afm = TwoSublatticeSpec { a, b, exchange_tesla: 50.0, applied_tesla: [0.0; 3], volume: 1e-24 };
/// let model = afm.compile::<f64>().unwrap();
/// assert_eq!(model.llg.layers(), 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TwoSublatticeSpec {
    /// Sublattice A (the reference of the units).
    pub a: SublatticeSpec,
    /// Sublattice B.
    pub b: SublatticeSpec,
    /// Exchange field on sublattice A, mu0 H_E (T), >= 0 (antiferromagnetic coupling).
    pub exchange_tesla: f64,
    /// Applied field mu0 H (T).
    pub applied_tesla: [f64; 3],
    /// Volume (m^3), > 0: only converts energies to joules.
    pub volume: f64,
}

impl TwoSublatticeSpec {
    /// Validates and compiles into a two-layer [`Stack`].
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming the key (`sublattice.ms`, `.alpha`, `.gamma`, `.ku`,
    /// `sublattice.exchange_tesla`, `sublattice.applied_tesla`, `sublattice.volume`) of a value
    /// out of range; [`Error::ZeroVector`] for a zero axis or `m0`.
    pub fn compile<S: Real>(&self) -> Result<Stack<S, 2, 1>, Error> {
        for s in [&self.a, &self.b] {
            check_min("sublattice.ms", s.ms, 0.0, false, "> 0 A/m (and finite)")?;
            check_min("sublattice.alpha", s.alpha, 0.0, true, ">= 0")?;
            check_min("sublattice.gamma", s.gamma, 0.0, false, "> 0 rad/(s T)")?;
            check_finite("sublattice.ku", s.ku)?;
            check_direction("sublattice.axis", s.axis)?;
            check_direction("sublattice.m0", s.m0)?;
        }
        check_min(
            "sublattice.exchange_tesla",
            self.exchange_tesla,
            0.0,
            true,
            ">= 0 T",
        )?;
        check_vec("sublattice.applied_tesla", self.applied_tesla)?;
        check_min("sublattice.volume", self.volume, 0.0, false, "> 0 m^3")?;
        let units = Units::new(self.a.ms, self.a.gamma)?;
        let ma = self.a.ms;
        let h = self.applied_tesla.map(|b| units.tesla_to_reduced(b));
        let mut layers = heapless::Vec::new();
        let mut gains = heapless::Vec::new();
        let mut m0 = heapless::Vec::new();
        for s in [&self.a, &self.b] {
            let w = s.ms / ma;
            let k = s.ku / (MU0 * ma * ma);
            let _ = layers.push(terms::Layer {
                zeeman: super::representable_vec("sublattice.applied_tesla", h.map(|x| w * x))?,
                k: super::representable("sublattice.ku", k)?,
                two_k: super::representable("sublattice.ku", 2.0 * k)?,
                axis: Vec3::from_f64(check_direction("sublattice.axis", s.axis)?),
                demag: Vec3::ZERO,
            });
            let _ = gains.push(Gain::<S>::new(w, s.gamma / units.gamma, s.alpha)?);
            let _ = m0.push(Vec3::from_f64(check_direction("sublattice.m0", s.m0)?));
        }
        // e = (H_E / M_A) m_A . m_B, i.e. a bilinear j1 = -H_E / M_A
        let j1 = -units.tesla_to_reduced(self.exchange_tesla);
        let mut pairs = heapless::Vec::new();
        let _ = pairs.push(terms::Pair {
            i: 0,
            j: 1,
            j1: super::representable("sublattice.exchange_tesla", j1)?,
            j2: S::ZERO,
            two_j2: S::ZERO,
        });
        Ok(Stack {
            units,
            energy_unit: MU0 * ma * ma * self.volume,
            m0,
            llg: StackLlg {
                terms: (
                    LayerTerms { layers },
                    Interlayer { pairs },
                    InterlayerDipolar {
                        pairs: heapless::Vec::new(),
                    },
                ),
                gains,
                stt: None,
            },
        })
    }
}
