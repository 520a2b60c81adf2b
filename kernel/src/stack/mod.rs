//! Coupled macrospin layer stacks: synthetic antiferromagnets, MTJ stacks with a moving
//! reference layer, and two-sublattice antiferromagnets and ferrimagnets.
//!
//! A stack is up to `N` uniformly magnetised layers (macrospins) `m_i`, each with its own
//! saturation magnetisation `Ms_i`, volume `V_i = t_i A_i`, uniaxial anisotropy, damping
//! `alpha_i` and gyromagnetic ratio `gamma_i`, coupled through spacers. The energy (J) is
//!
//! `E = sum_i [ -mu0 Ms_i V_i m_i . (H + H_eb,i) + K_i V_i (1 - (m_i . u_i)^2)
//!      + (mu0/2) Ms_i^2 V_i m_i . N_i m_i ]`
//! `  + sum_(i,j) A_ij [ -J1 m_i . m_j - J2 (m_i . m_j)^2 ]`
//! `  + sum_(i<j) mu0 Ms_i Ms_j V_i m_i . N_ij m_j`
//!
//! - interlayer exchange per unit area, bilinear `J1` and biquadratic `J2` (J/m^2), in the
//!   convention of Slonczewski (Phys. Rev. Lett. 67, 3172 (1991)) and Demokritov (J. Phys. D 31,
//!   925 (1998)) that cmtj uses: **`J1 > 0` ferromagnetic, `J1 < 0` antiferromagnetic**;
//!   `J2 < 0` favours 90 degrees. `A_ij` is the smaller of the two layers' areas;
//! - `N_i` the layer's own demagnetising tensor (Aharoni, J. Appl. Phys. 83, 3432 (1998), for a
//!   rectangular layer, or given), `N_ij` the exact mutual demagnetising tensor of two
//!   rectangular prisms (Newell, Williams and Dunlop, J. Geophys. Res. 98, 9551 (1993), eqs.
//!   (27)-(32), in their corner-sum form for prisms of any size: see [`mutual_tensor`]), so the
//!   interlayer dipolar coupling of two aligned layers of any size and spacing is exact for
//!   uniform magnetisation;
//! - `H_eb,i` an exchange-bias (pinning) field of layer `i`.
//!
//! # Reduced units
//! The reference is layer 0: field `h = H / Ms_0`, time `tau = gamma_0 mu0 Ms_0 t`, energy
//! `e = E / (mu0 Ms_0^2 V_0)`. Each layer's LLG in its own field
//! `H_i = -(1 / (mu0 Ms_i V_i)) dE/dm_i` reads, reduced,
//!
//! `dm_i/dtau = -(g_i / (1 + alpha_i^2)) [ m_i x h_i + alpha_i m_i x (m_i x h_i) ]`,
//! `h_i = -(1 / w_i) de/dm_i`,
//!
//! with the moment ratio `w_i = Ms_i V_i / (Ms_0 V_0)` and `g_i = gamma_i / gamma_0`. The field
//! terms ([`LayerTerms`], [`Interlayer`], [`InterlayerDipolar`]) give the gradient
//! `-de/dm_i` (checked against finite differences of their energy); [`StackLlg`] divides by
//! `w_i` and applies each layer's damping, like the lattice's
//! [`Atomistic`](crate::lattice::Atomistic). The single-macrospin [`crate::llg::Llg`] is not
//! touched: its scalar-alpha path compiles as before.
//!
//! # Thermal noise
//! [`StackNoise`] adds Brown's field to every layer with its own strength (variance
//! `2 alpha_i kB T / (gamma_i mu0 Ms_i V_i dt)`), so a stack at temperature samples the
//! Boltzmann distribution of its whole energy: a kick for [`crate::integrate::Integrator`]
//! with a stochastic stepper.
//!
//! # Two sublattices
//! [`TwoSublatticeSpec`] is an antiferromagnet or ferrimagnet as two macrospins `A`, `B` in
//! one volume (sublattice magnetisations `M_A`, `M_B`), coupled by the molecular field
//! `H_A,ex = -H_E m_B` on `A` and `H_B,ex = -H_E (M_A / M_B) m_A` on `B` (energy density
//! `(mu0 H_E M_A) m_A . m_B`), with their own anisotropy and damping: the model of Keffer and
//! Kittel (Phys. Rev. 85, 329 (1952)), whose uniaxial resonance is
//! `omega = gamma mu0 [sqrt(H_A (2 H_E + H_A)) +- H0]` for equal sublattices
//! (`H_A = 2 K / (mu0 M)`). It compiles into the
//! same [`Stack`] (two layers, one coupling).
//!
//! # Memory
//! [`Stack`]`<S, N, P>` holds 18 scalars per layer (11 for its field terms: Zeeman gradient,
//! anisotropy, axis, demag; 4 for its equation of motion: moment ratio, the two damping
//! prefactors, alpha; 3 for its initial state), 3 scalars and 2 indices per coupled pair, 6
//! scalars and 2 indices per dipolar pair, the units, one length per list and the optional
//! spin-transfer torque (its current waveform is most of it: some 310 bytes in f32):
//! `size_of::<Stack<f32, 4, 6>>()` is 928 bytes, `Stack<f64, 4, 6>` 1616, the two-sublattice
//! `Stack<f64, 2, 1>` 888 (printed by `tests/tests/stack.rs`).
//!
//! ```
//! use larmor::field::FieldTerm;
//! use larmor::stack::{Lateral, LayerSpec, StackSpec};
//! // a synthetic antiferromagnet: two 1 nm CoFeB layers through a 0.8 nm Ru spacer
//! let mut spec = StackSpec::<4, 6>::new();
//! let mut layer = LayerSpec::new(1e6, 1e-9, Lateral::Rectangle { x: 50e-9, y: 50e-9 });
//! layer.m0 = [1.0, 0.0, 0.0];
//! spec.push_layer(layer).unwrap();
//! layer.spacer = 0.8e-9;
//! layer.m0 = [-1.0, 0.0, 0.0];
//! spec.push_layer(layer).unwrap();
//! spec.couple(0, 1, -1e-3, 0.0).unwrap(); // J1 = -1 mJ/m^2: antiferromagnetic
//! let model = spec.compile::<f64>().unwrap();
//! // the antiparallel state's exchange energy: E = -J1 A (m0 . m1) = J1 A < 0
//! let e = model.llg.terms.1.energy(0.0, &model.m0);
//! let joules = e * model.energy_unit;
//! assert!((joules - (-1e-3 * 2.5e-15)).abs() < 1e-24);
//! ```

mod dipolar;
mod sublattice;
mod terms;

pub use dipolar::{mutual_tensor, newell_f, newell_g};
pub use sublattice::{SublatticeSpec, TwoSublatticeSpec};
pub use terms::{Interlayer, InterlayerDipolar, LayerTerms};

use crate::drive::{Drive, DriveSpec};
use crate::error::{check_direction, check_finite, check_min, check_range, check_vec, Error};
use crate::field::{shape, total_field, FieldTerm};
use crate::integrate::Kick;
use crate::llg::Dynamics;
use crate::mtj::Mtj;
use crate::random::{Gaussian, Rng};
use crate::real::Real;
use crate::state::UnitSphere;
use crate::stepper::{fits, Step, Stepper};
use crate::torque::Efficiency;
use crate::units::{Units, E_CHARGE, GAMMA_E, HBAR, KB, MU0};
use crate::vec3::Vec3;

/// Most layers of a stack, whatever its capacity `N` (coupled pairs name layers by a `u8`).
pub const MAX_LAYERS: usize = 256;

/// Lateral shape of a layer (the layer's thickness is along z; layers are centred on the z
/// axis and stacked upwards).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Lateral {
    /// Only an area (m^2): no demag tensor unless given, no interlayer dipolar coupling.
    Area(f64),
    /// A rectangle of edges `x`, `y` (m): the layer is a rectangular prism, whose own demag
    /// tensor (Aharoni 1998) and mutual tensors (Newell et al. 1993) are computed.
    Rectangle {
        /// Edge along x (m).
        x: f64,
        /// Edge along y (m).
        y: f64,
    },
}

impl Lateral {
    fn area(&self) -> Result<f64, Error> {
        match *self {
            Lateral::Area(a) => check_min("stack.layer.area", a, 0.0, false, "> 0 m^2"),
            Lateral::Rectangle { x, y } => {
                check_min("stack.layer.x", x, 0.0, false, "> 0 m")?;
                check_min("stack.layer.y", y, 0.0, false, "> 0 m")?;
                Ok(x * y)
            }
        }
    }
}

/// One layer of a stack, in SI.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LayerSpec {
    /// Saturation magnetisation Ms (A/m), > 0.
    pub ms: f64,
    /// Thickness (m), > 0.
    pub thickness: f64,
    /// Lateral shape.
    pub lateral: Lateral,
    /// Spacer between this layer and the one below it (m), >= 0; ignored for layer 0.
    pub spacer: f64,
    /// Gilbert damping, >= 0.
    pub alpha: f64,
    /// Gyromagnetic ratio (rad/(s T)), > 0.
    pub gamma: f64,
    /// Uniaxial anisotropy constant Ku (J/m^3), any sign (< 0: easy plane).
    pub ku: f64,
    /// Anisotropy axis (normalised on the way in).
    pub axis: [f64; 3],
    /// Demagnetising factors (diagonal; each in [0, 1], summing to 1), overriding the shape's.
    pub demag: Option<[f64; 3]>,
    /// Exchange-bias (pinning) field mu0 H_eb (T) acting on this layer only.
    pub bias_tesla: [f64; 3],
    /// Initial magnetisation direction (normalised on the way in).
    pub m0: [f64; 3],
}

impl LayerSpec {
    /// A layer of `ms` (A/m), `thickness` (m) and lateral shape: damping 0.01, free electron
    /// gamma, no anisotropy, no bias, spacer 0, `m0` along z.
    pub fn new(ms: f64, thickness: f64, lateral: Lateral) -> Self {
        Self {
            ms,
            thickness,
            lateral,
            spacer: 0.0,
            alpha: 0.01,
            gamma: GAMMA_E,
            ku: 0.0,
            axis: [0.0, 0.0, 1.0],
            demag: None,
            bias_tesla: [0.0; 3],
            m0: [0.0, 0.0, 1.0],
        }
    }
}

/// An interlayer exchange coupling between layers `i` and `j` (J/m^2, energy per area
/// `-J1 m_i . m_j - J2 (m_i . m_j)^2`: `J1 < 0` antiferromagnetic).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CouplingSpec {
    /// First layer.
    pub i: usize,
    /// Second layer.
    pub j: usize,
    /// Bilinear coupling J1 (J/m^2).
    pub j1: f64,
    /// Biquadratic coupling J2 (J/m^2).
    pub j2: f64,
}

/// SI description of a stack of up to `N` layers and `P` coupled pairs (which also bounds the
/// dipolar pairs, `n (n - 1) / 2` for `n` rectangular layers).
#[derive(Clone, Debug, PartialEq)]
pub struct StackSpec<const N: usize = 4, const P: usize = 6> {
    layers: heapless::Vec<LayerSpec, N>,
    couplings: heapless::Vec<CouplingSpec, P>,
    /// Applied field mu0 H (T), the same on every layer.
    pub applied_tesla: [f64; 3],
    /// Interlayer dipolar coupling through the exact mutual tensors (needs every layer
    /// [`Lateral::Rectangle`]).
    pub dipolar: bool,
    /// Spin-transfer torque on a free layer from the current through the junction, polarised
    /// by the reference layer's actual direction.
    pub stt: Option<StackSttSpec>,
}

/// Slonczewski spin-transfer torque of a stack's junction (the conventions of
/// [`crate::torque`]): the free layer `free` is torqued by the current polarised along the
/// reference layer `reference` **as it moves** (a synthetic-antiferromagnet reference cants
/// in a field and wobbles under the torque's own action), with efficiency
/// `P Lambda^2 / ((Lambda^2 + 1) + (Lambda^2 - 1) m . p)` and field-like ratio `beta`. The
/// reference layer's own torque from the free layer is not modelled (the usual approximation
/// for a thick or pinned reference).
#[derive(Clone, Debug, PartialEq)]
pub struct StackSttSpec {
    /// The layer the torque acts on.
    pub free: usize,
    /// The layer whose direction polarises the current.
    pub reference: usize,
    /// Spin polarisation P in [0, 1].
    pub polarization: f64,
    /// Slonczewski asymmetry Lambda > 0 (1 = symmetric).
    pub lambda: f64,
    /// Field-like to damping-like ratio beta (finite).
    pub field_like: f64,
    /// Current density J (A/m^2; > 0 pushes the free layer towards the reference) as a
    /// waveform of SI time.
    pub current_density: DriveSpec,
}

impl<const N: usize, const P: usize> Default for StackSpec<N, P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize, const P: usize> StackSpec<N, P> {
    /// An empty stack, no field, no dipolar coupling.
    pub fn new() -> Self {
        Self {
            layers: heapless::Vec::new(),
            couplings: heapless::Vec::new(),
            applied_tesla: [0.0; 3],
            dipolar: false,
            stt: None,
        }
    }
    /// Adds a layer on top; returns its index.
    ///
    /// # Errors
    /// [`Error::Capacity`] `stack.layers` beyond `N` layers.
    pub fn push_layer(&mut self, layer: LayerSpec) -> Result<usize, Error> {
        self.layers.push(layer).map_err(|_| Error::Capacity {
            what: "stack.layers",
            capacity: N,
        })?;
        Ok(self.layers.len() - 1)
    }
    /// Couples layers `i` and `j` by `j1` and `j2` (J/m^2; checked by [`StackSpec::validate`]).
    ///
    /// # Errors
    /// [`Error::Capacity`] `stack.couplings` beyond `P` pairs.
    pub fn couple(&mut self, i: usize, j: usize, j1: f64, j2: f64) -> Result<(), Error> {
        self.couplings
            .push(CouplingSpec { i, j, j1, j2 })
            .map_err(|_| Error::Capacity {
                what: "stack.couplings",
                capacity: P,
            })
    }
    /// The layers, bottom first.
    pub fn layers(&self) -> &[LayerSpec] {
        &self.layers
    }
    /// The layers, to change.
    pub fn layers_mut(&mut self) -> &mut [LayerSpec] {
        &mut self.layers
    }
    /// The couplings.
    pub fn couplings(&self) -> &[CouplingSpec] {
        &self.couplings
    }

    /// Checks every parameter and derives the units, volumes, demag and mutual tensors.
    ///
    /// # Errors
    /// [`Error::Empty`] `stack.layers` for no layer, [`Error::Capacity`] `stack.layers` for
    /// more than [`MAX_LAYERS`]; [`Error::OutOfRange`] naming the key
    /// (`stack.layer.ms`, `.thickness`, `.area`, `.x`, `.y`, `.spacer`, `.alpha`, `.gamma`,
    /// `.ku`, `.bias_tesla`, `stack.applied_tesla`, `stack.coupling.j1`, `.j2`, `.i`, `.j`) of a
    /// value out of range (NaN included); [`Error::ZeroVector`] for a zero axis or `m0`;
    /// demag factors as [`shape::check_factors`]; [`Error::Inconsistent`] for a layer coupled
    /// to itself or dipolar coupling with a layer that has no rectangle;
    /// [`Error::Capacity`] `stack.dipolar.pairs` when the dipolar pairs exceed `P`.
    pub fn validate(&self) -> Result<ValidatedStack<N, P>, Error> {
        let first = self.layers.first().ok_or(Error::Empty {
            what: "stack.layers",
        })?;
        // pairs name their layers by a u8
        if self.layers.len() > MAX_LAYERS {
            return Err(Error::Capacity {
                what: "stack.layers",
                capacity: MAX_LAYERS,
            });
        }
        let mut layers = heapless::Vec::<Derived, N>::new();
        let mut bottom = 0.0;
        for (k, l) in self.layers.iter().enumerate() {
            check_min("stack.layer.ms", l.ms, 0.0, false, "> 0 A/m (and finite)")?;
            check_min("stack.layer.thickness", l.thickness, 0.0, false, "> 0 m")?;
            let area = l.lateral.area()?;
            check_min("stack.layer.spacer", l.spacer, 0.0, true, ">= 0 m")?;
            check_min("stack.layer.alpha", l.alpha, 0.0, true, ">= 0")?;
            check_min("stack.layer.gamma", l.gamma, 0.0, false, "> 0 rad/(s T)")?;
            check_finite("stack.layer.ku", l.ku)?;
            let axis = check_direction("stack.layer.axis", l.axis)?;
            let m0 = check_direction("stack.layer.m0", l.m0)?;
            check_vec("stack.layer.bias_tesla", l.bias_tesla)?;
            let demag = match (l.demag, l.lateral) {
                (Some(n), _) => Some(shape::check_factors(n)?),
                (None, Lateral::Rectangle { x, y }) => Some(shape::prism(x, y, l.thickness)?),
                (None, Lateral::Area(_)) => None,
            };
            if k > 0 {
                bottom += l.spacer;
            }
            let d = Derived {
                volume: l.thickness * area,
                area,
                axis,
                m0,
                demag,
                bottom,
            };
            bottom += l.thickness;
            let _ = layers.push(d); // as many as the spec's layers, <= N
        }
        check_vec("stack.applied_tesla", self.applied_tesla)?;
        let n = self.layers.len();
        for c in &self.couplings {
            check_finite("stack.coupling.j1", c.j1)?;
            check_finite("stack.coupling.j2", c.j2)?;
            let allowed = "a layer index below the number of layers";
            if c.i >= n {
                return Err(Error::OutOfRange {
                    param: "stack.coupling.i",
                    value: c.i as f64,
                    allowed,
                });
            }
            if c.j >= n {
                return Err(Error::OutOfRange {
                    param: "stack.coupling.j",
                    value: c.j as f64,
                    allowed,
                });
            }
            if c.i == c.j {
                return Err(Error::Inconsistent {
                    what: "stack.coupling: a layer cannot be coupled to itself",
                });
            }
        }
        if let Some(stt) = &self.stt {
            let allowed = "a layer index below the number of layers";
            for (param, i) in [
                ("stack.stt.free", stt.free),
                ("stack.stt.reference", stt.reference),
            ] {
                if i >= n {
                    return Err(Error::OutOfRange {
                        param,
                        value: i as f64,
                        allowed,
                    });
                }
            }
            if stt.free == stt.reference {
                return Err(Error::Inconsistent {
                    what: "stack.stt: the free and reference layers must differ",
                });
            }
            check_range(
                "stack.stt.polarization",
                stt.polarization,
                0.0,
                1.0,
                "[0, 1]",
            )?;
            check_min("stack.stt.lambda", stt.lambda, 0.0, false, "> 0")?;
            check_finite("stack.stt.field_like", stt.field_like)?;
            stt.current_density.validate("stack.stt.current_density")?;
        }
        let units = Units::new(first.ms, first.gamma)?;
        let mut dipolar = heapless::Vec::<(u8, u8, [f64; 6]), P>::new();
        if self.dipolar {
            for i in 0..n {
                for j in i + 1..n {
                    let (bi, bj) = (self.prism(i, &layers)?, self.prism(j, &layers)?);
                    let t = mutual_tensor(bi, bj);
                    dipolar
                        .push((i as u8, j as u8, t))
                        .map_err(|_| Error::Capacity {
                            what: "stack.dipolar.pairs",
                            capacity: P,
                        })?;
                }
            }
        }
        Ok(ValidatedStack {
            spec: self.clone(),
            units,
            layers,
            dipolar,
        })
    }

    /// Corners `([x0, y0, z0], [x1, y1, z1])` of layer `i`'s prism.
    fn prism(&self, i: usize, d: &[Derived]) -> Result<([f64; 3], [f64; 3]), Error> {
        match self.layers[i].lateral {
            Lateral::Rectangle { x, y } => Ok((
                [-0.5 * x, -0.5 * y, d[i].bottom],
                [0.5 * x, 0.5 * y, d[i].bottom + self.layers[i].thickness],
            )),
            Lateral::Area(_) => Err(Error::Inconsistent {
                what: "stack.dipolar: every layer needs a rectangle (Lateral::Rectangle)",
            }),
        }
    }

    /// Validates and compiles in one go (see [`StackSpec::validate`], [`ValidatedStack::compile`]).
    ///
    /// Two parallel layers coupled by `J1 > 0`: the exchange field on layer 0 is
    /// `H_ex = J1 / (mu0 Ms_0 t_0)`, reduced `H_ex / Ms_0`; on the thinner layer 1 it is twice as
    /// large (the moment ratio `w_1 = 1/2`).
    ///
    /// ```
    /// use larmor::stack::{Lateral, LayerSpec, StackSpec};
    /// use larmor::units::MU0;
    /// use larmor::Vec3;
    /// let mut spec = StackSpec::<2, 1>::new();
    /// spec.push_layer(LayerSpec::new(1e6, 2e-9, Lateral::Area(1e-15))).unwrap();
    /// spec.push_layer(LayerSpec::new(1e6, 1e-9, Lateral::Area(1e-15))).unwrap();
    /// spec.couple(0, 1, 1e-3, 0.0).unwrap();
    /// let model = spec.compile::<f64>().unwrap();
    /// let mut h = [Vec3::ZERO; 2];
    /// model.llg.field(&[Vec3::Z, Vec3::Z], &mut h);
    /// let h_ex = 1e-3 / (MU0 * 1e6 * 2e-9) / 1e6;
    /// assert!((h[0].z - h_ex).abs() < 1e-12 && (h[1].z - 2.0 * h_ex).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// As [`StackSpec::validate`] and [`ValidatedStack::compile`].
    pub fn compile<S: Real>(&self) -> Result<Stack<S, N, P>, Error> {
        self.validate()?.compile()
    }
}

/// Quantities derived from a layer in validation.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Derived {
    volume: f64,
    area: f64,
    axis: [f64; 3],
    m0: [f64; 3],
    demag: Option<[f64; 3]>,
    /// Height of the layer's bottom face (m).
    bottom: f64,
}

/// A [`StackSpec`] that passed [`StackSpec::validate`], with its derived geometry (volumes,
/// heights, demag factors) and the mutual tensors (f64, as [`mutual_tensor`] gives them).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidatedStack<const N: usize = 4, const P: usize = 6> {
    spec: StackSpec<N, P>,
    units: Units,
    layers: heapless::Vec<Derived, N>,
    dipolar: heapless::Vec<(u8, u8, [f64; 6]), P>,
}

/// `S` can hold `x` (within 1e-3 relative, or absolutely for small values: fixed point).
fn representable<S: Real>(param: &'static str, x: f64) -> Result<S, Error> {
    let s = S::from_f64(x);
    let back = s.to_f64();
    if x.is_finite() && (back - x).abs() <= 1e-3 * x.abs().max(1.0) {
        Ok(s)
    } else {
        Err(Error::OutOfRange {
            param,
            value: x,
            allowed: "a reduced value the model scalar can hold",
        })
    }
}

fn representable_vec<S: Real>(param: &'static str, v: [f64; 3]) -> Result<Vec3<S>, Error> {
    Ok(Vec3::new(
        representable(param, v[0])?,
        representable(param, v[1])?,
        representable(param, v[2])?,
    ))
}

impl<const N: usize, const P: usize> ValidatedStack<N, P> {
    /// The validated SI parameters.
    pub fn spec(&self) -> &StackSpec<N, P> {
        &self.spec
    }
    /// The unit system of the reference layer 0.
    pub fn units(&self) -> Units {
        self.units
    }
    /// Volume of layer `i` (m^3), `None` beyond the layers.
    pub fn volume(&self, i: usize) -> Option<f64> {
        self.layers.get(i).map(|d| d.volume)
    }
    /// Demagnetising factors of layer `i` (given or from its rectangle), if any.
    pub fn demag(&self, i: usize) -> Option<[f64; 3]> {
        self.layers.get(i).and_then(|d| d.demag)
    }
    /// Mutual demagnetising tensor `N_ij` of layers `i < j` (the field on `i` is
    /// `-N_ij Ms_j m_j`), `(xx, yy, zz, xy, xz, yz)`, if dipolar coupling is on.
    pub fn mutual_demag(&self, i: usize, j: usize) -> Option<[f64; 6]> {
        let vi = self.volume(i)?;
        self.dipolar
            .iter()
            .find(|p| p.0 as usize == i && p.1 as usize == j)
            .map(|p| p.2.map(|x| x / (4.0 * core::f64::consts::PI * vi)))
    }

    /// Compiles into the dimensionless model for scalar `S` (see the module docs).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a reduced value that `S` cannot hold (named by its key).
    pub fn compile<S: Real>(&self) -> Result<Stack<S, N, P>, Error> {
        let ms0 = self.units.ms;
        let v0 = self.layers[0].volume;
        let ref_energy = MU0 * ms0 * ms0 * v0; // J per reduced energy unit
        let mut layers = heapless::Vec::new();
        let mut gains = heapless::Vec::new();
        let mut m0 = heapless::Vec::new();
        let h_app = self
            .spec
            .applied_tesla
            .map(|b| self.units.tesla_to_reduced(b));
        for (l, d) in self.spec.layers.iter().zip(self.layers.iter()) {
            let w = l.ms * d.volume / (ms0 * v0);
            let hb = l.bias_tesla.map(|b| self.units.tesla_to_reduced(b));
            let zeeman = [0, 1, 2].map(|k| w * (h_app[k] + hb[k]));
            let k = l.ku * d.volume / ref_energy;
            let dw = l.ms * l.ms * d.volume / (ms0 * ms0 * v0);
            let demag = d.demag.unwrap_or([0.0; 3]).map(|x| dw * x);
            let _ = layers.push(terms::Layer {
                zeeman: representable_vec("stack.applied_tesla", zeeman)?,
                k: representable("stack.layer.ku", k)?,
                two_k: representable("stack.layer.ku", 2.0 * k)?,
                axis: Vec3::from_f64(d.axis),
                demag: representable_vec("stack.layer.demag", demag)?,
            });
            let _ = gains.push(Gain::<S>::new(w, l.gamma / self.units.gamma, l.alpha)?);
            let _ = m0.push(Vec3::from_f64(d.m0));
        }
        let mut pairs = heapless::Vec::new();
        for c in &self.spec.couplings {
            let area = self.layers[c.i].area.min(self.layers[c.j].area);
            let j1 = c.j1 * area / ref_energy;
            let j2 = c.j2 * area / ref_energy;
            let _ = pairs.push(terms::Pair {
                i: c.i as u8,
                j: c.j as u8,
                j1: representable("stack.coupling.j1", j1)?,
                j2: representable("stack.coupling.j2", j2)?,
                two_j2: representable("stack.coupling.j2", 2.0 * j2)?,
            });
        }
        let mut dipolar = heapless::Vec::new();
        for &(i, j, t) in &self.dipolar {
            let (li, lj) = (&self.spec.layers[i as usize], &self.spec.layers[j as usize]);
            // e = mu0 Ms_i Ms_j V_i m_i . N_ij m_j / (mu0 Ms0^2 V0), V_i N_ij = t / (4 pi)
            let s = li.ms * lj.ms / (4.0 * core::f64::consts::PI * ms0 * ms0 * v0);
            let mut r = [S::ZERO; 6];
            for k in 0..6 {
                r[k] = representable("stack.dipolar", s * t[k])?;
            }
            let _ = dipolar.push((i, j, r));
        }
        let stt = match &self.spec.stt {
            Some(t) => {
                let l = &self.spec.layers[t.free];
                // b = g_f hbar J / (mu0 e Ms_f d_f Ms_0): the torque's field in units of Ms_0,
                // precessing at the free layer's gyromagnetic ratio
                let b_per_j = (l.gamma / self.units.gamma) * HBAR
                    / (MU0 * E_CHARGE * l.ms * l.thickness * ms0);
                let pre = 1.0 / (1.0 + l.alpha * l.alpha);
                let (alpha, beta) = (l.alpha, t.field_like);
                Some(StackStt {
                    free: t.free as u8,
                    reference: t.reference as u8,
                    efficiency: Efficiency::slonczewski(
                        S::from_f64(t.polarization),
                        S::from_f64(t.lambda),
                    ),
                    b: t.current_density.scaled(b_per_j).compile(&self.units),
                    c_dl: representable("stack.stt.field_like", (1.0 - alpha * beta) * pre)?,
                    c_fl: representable("stack.stt.field_like", (beta - alpha) * pre)?,
                })
            }
            None => None,
        };
        Ok(Stack {
            units: self.units,
            energy_unit: ref_energy,
            m0,
            llg: StackLlg {
                terms: (
                    LayerTerms { layers },
                    Interlayer { pairs },
                    InterlayerDipolar { pairs: dipolar },
                ),
                gains,
                stt,
            },
        })
    }
}

/// Per-layer factors of the equation of motion.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Gain<S> {
    /// `1 / w_i`: gradient to the layer's reduced field.
    inv_w: S,
    /// `-g_i / (w_i (1 + alpha_i^2))`.
    neg_pre: S,
    /// `-alpha_i g_i / (w_i (1 + alpha_i^2))`.
    neg_alpha_pre: S,
    alpha: S,
}

impl<S: Real> Gain<S> {
    fn new(w: f64, g: f64, alpha: f64) -> Result<Self, Error> {
        let pre = g / (w * (1.0 + alpha * alpha));
        Ok(Self {
            inv_w: representable("stack.layer.ms", 1.0 / w)?,
            neg_pre: representable("stack.layer.ms", -pre)?,
            neg_alpha_pre: representable("stack.layer.alpha", -alpha * pre)?,
            alpha: representable("stack.layer.alpha", alpha)?,
        })
    }
}

/// The field terms of a stack: per-layer terms, interlayer exchange, interlayer dipolar.
pub type StackTerms<S, const N: usize, const P: usize> =
    (LayerTerms<S, N>, Interlayer<S, P>, InterlayerDipolar<S, P>);

/// LLG of each layer in its own field with its own damping and gyromagnetic ratio (see the
/// module docs): `dm_i/dtau = (g_i / w_i) (-(m_i x b_i) - alpha_i m_i x (m_i x b_i)) / (1 +
/// alpha_i^2)`, `b_i = -de/dm_i` the gradient the terms give.
#[derive(Clone, Debug, PartialEq)]
pub struct StackLlg<S, const N: usize = 4, const P: usize = 6> {
    /// The field terms (gradients `-de/dm_i`).
    pub terms: StackTerms<S, N, P>,
    gains: heapless::Vec<Gain<S>, N>,
    stt: Option<StackStt<S>>,
}

/// The compiled [`StackSttSpec`].
#[derive(Clone, Debug, PartialEq)]
struct StackStt<S> {
    free: u8,
    reference: u8,
    efficiency: Efficiency<S>,
    /// Reduced strength `b(t)`.
    b: Drive<S>,
    /// `(1 - alpha beta) / (1 + alpha^2)` of the free layer.
    c_dl: S,
    /// `(beta - alpha) / (1 + alpha^2)`.
    c_fl: S,
}

impl<S: Real, const N: usize, const P: usize> StackLlg<S, N, P> {
    /// Number of layers.
    pub fn layers(&self) -> usize {
        self.gains.len()
    }
    /// Gilbert damping of layer `i` (0 beyond the layers).
    pub fn alpha(&self, i: usize) -> S {
        self.gains.get(i).map_or(S::ZERO, |g| g.alpha)
    }
    /// Writes each layer's reduced field `h_i = H_i / Ms_0 = -(1 / w_i) de/dm_i` into `h`.
    pub fn field(&self, m: &[Vec3<S>], h: &mut [Vec3<S>]) {
        total_field(&self.terms, S::ZERO, m, h);
        for (hi, g) in h.iter_mut().zip(self.gains.iter()) {
            *hi = hi.scale(g.inv_w);
        }
    }
}

impl<S: Real, const N: usize, const P: usize> StackLlg<S, N, P> {
    /// The right-hand side with `noise` (Brown's field of each layer as a gradient, i.e.
    /// times `w_i`; empty for none) added to the gradient of the terms.
    #[inline(always)]
    fn rhs_with(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>], noise: &[Vec3<S>]) {
        total_field(&self.terms, t, m, dm);
        for (i, (d, &mi)) in dm.iter_mut().zip(m).enumerate() {
            if let Some(&n) = noise.get(i) {
                *d += n;
            }
            *d = match self.gains.get(i) {
                Some(g) => {
                    let mxh = mi.cross(*d);
                    let mxmxh = mi.cross(mxh);
                    mxh.scale(g.neg_pre) + mxmxh.scale(g.neg_alpha_pre)
                }
                None => Vec3::ZERO,
            };
        }
        if let Some(stt) = &self.stt {
            let (f, r) = (stt.free as usize, stt.reference as usize);
            if let (Some(&mf), Some(&p)) = (m.get(f), m.get(r)) {
                let b = stt.b.value(t);
                if b != S::ZERO {
                    let c = mf.dot(p);
                    let k = b * stt.efficiency.at(c);
                    // m x (p x m) = p - (m.p) m  (|m| = 1), as in crate::torque
                    let dl = p - mf.scale(c);
                    let fl = mf.cross(p);
                    dm[f] += dl.scale(k * stt.c_dl) - fl.scale(k * stt.c_fl);
                }
            }
        }
    }

    /// `alpha_i w_i / g_i` of layer `i`: Brown's field of the layer, as a gradient, has
    /// variance `2 (kB T / (mu0 Ms_0^2 V_0)) alpha_i w_i / (g_i dtau)` (see [`StackNoise`]).
    fn noise_weight(&self, i: usize) -> S {
        match self.gains.get(i) {
            // g / w = -neg_pre (1 + alpha^2)
            Some(g) if g.alpha > S::ZERO => g.alpha / (-g.neg_pre * (S::ONE + g.alpha * g.alpha)),
            _ => S::ZERO,
        }
    }
}

impl<S: Real, const N: usize, const P: usize> Dynamics<S> for StackLlg<S, N, P> {
    type Geometry = UnitSphere;
    // a current waveform makes a stack time dependent (the integrator keeps local-time
    // windows; the static terms ignore them)
    const AUTONOMOUS: bool = false;
    #[inline]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        self.rhs_with(t, m, dm, &[]);
    }
    fn rebase(&mut self, epoch: f64) -> f64 {
        match &mut self.stt {
            Some(stt) => stt.b.rebase(epoch),
            None => f64::INFINITY,
        }
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        self.terms.energy(t, m)
    }
}

/// Brown's thermal field of every layer of a stack (Brown 1963): layer `i`'s field
/// `H_th,i` has variance `2 alpha_i kB T / (gamma_i mu0 Ms_i V_i dt)` per component, so each
/// layer fluctuates with its own damping, moment and gyromagnetic ratio at the one
/// temperature and the stack samples the Boltzmann distribution of its energy. Reduced, as
/// the gradient the terms give, the variance is `2 D alpha_i w_i / (g_i dtau)` with
/// `D = kB T / (mu0 Ms_0^2 V_0)`. Drawn once per step and held over its stages
/// (Stratonovich): it needs a stochastic stepper (Heun, midpoint).
#[derive(Clone, Debug)]
pub struct StackNoise<S, R, const N: usize> {
    /// `kB / (mu0 Ms_0^2 V_0)`: the reduced thermal energy per kelvin.
    pub d_per_kelvin: S,
    /// Temperature (K) as a waveform.
    pub temperature: Drive<S>,
    /// The random stream.
    pub rng: R,
    h: [Vec3<S>; N],
}

impl<S: Real, R, const N: usize> StackNoise<S, R, N> {
    /// The noise of `stack` at `temperature` (K) from `rng`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `stack.temperature` for a constant temperature below 0 K, or a
    /// thermal energy the scalar cannot hold.
    pub fn new<const P: usize>(
        stack: &Stack<S, N, P>,
        temperature: Drive<S>,
        rng: R,
    ) -> Result<Self, Error> {
        if let Some(t) = temperature.as_constant() {
            check_min("stack.temperature", t.to_f64(), 0.0, true, ">= 0 K")?;
        }
        Ok(Self {
            d_per_kelvin: representable("stack.temperature", KB / stack.energy_unit)?,
            temperature,
            rng,
            h: [Vec3::ZERO; N],
        })
    }
}

struct NoisyStack<'a, S, const N: usize, const P: usize> {
    llg: &'a StackLlg<S, N, P>,
    h: &'a [Vec3<S>],
}

impl<S: Real, const N: usize, const P: usize> Dynamics<S> for NoisyStack<'_, S, N, P> {
    type Geometry = UnitSphere;
    const AUTONOMOUS: bool = false;
    #[inline]
    fn rhs(&self, t: S, m: &[Vec3<S>], dm: &mut [Vec3<S>]) {
        self.llg.rhs_with(t, m, dm, self.h);
    }
    fn energy(&self, t: S, m: &[Vec3<S>]) -> S {
        self.llg.terms.energy(t, m)
    }
}

impl<S, R, const N: usize, const P: usize> Kick<S, StackLlg<S, N, P>, N> for StackNoise<S, R, N>
where
    S: Real + Gaussian,
    R: Rng,
{
    fn step<St: Stepper<S, N>>(
        &mut self,
        llg: &StackLlg<S, N, P>,
        stepper: &mut St,
        t: S,
        m: &mut [Vec3<S>],
        dt: S,
    ) -> Result<Step<S>, Error> {
        if !St::STOCHASTIC {
            return Err(Error::Inconsistent {
                what: "thermal stack runs need a stochastic stepper (heun or midpoint)",
            });
        }
        fits::<S, N>(m)?;
        let n = m.len();
        let kelvin = self.temperature.value(t).max(S::ZERO);
        let two_d = S::TWO * self.d_per_kelvin * kelvin / dt;
        for (i, h) in self.h.iter_mut().take(n).enumerate() {
            let sd = (two_d * llg.noise_weight(i)).sqrt();
            let (x, y, z) = (
                S::std_normal(&mut self.rng),
                S::std_normal(&mut self.rng),
                S::std_normal(&mut self.rng),
            );
            *h = Vec3::new(x, y, z).scale(sd);
        }
        let noisy = NoisyStack {
            llg,
            h: &self.h[..n],
        };
        stepper.step(&noisy, t, m, dt)
    }
    const AUTONOMOUS: bool = false;
    fn rebase(&mut self, epoch: f64) -> f64 {
        self.temperature.rebase(epoch)
    }
}

/// A compiled stack: the equation of motion, the initial state and the units.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack<S, const N: usize = 4, const P: usize = 6> {
    /// Units of the reference layer 0 (field `Ms_0`, time `1 / (gamma_0 mu0 Ms_0)`).
    pub units: Units,
    /// Joules per reduced energy unit, `mu0 Ms_0^2 V_0`.
    pub energy_unit: f64,
    /// Initial directions, bottom layer first.
    pub m0: heapless::Vec<Vec3<S>, N>,
    /// The equation of motion and its terms.
    pub llg: StackLlg<S, N, P>,
}

/// The tunnel junction of a stack: its resistance from the angle between the free layer and
/// the reference layer next to the barrier, `R(theta) = R_P + (R_AP - R_P) (1 - cos theta) / 2`
/// ([`Mtj::resistance`], the Julliere / Slonczewski conductance form of [`crate::mtj`]), as
/// the reference moves (a synthetic-antiferromagnet reference cants in a field).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StackMtj<S> {
    /// The junction.
    pub mtj: Mtj<S>,
    free: usize,
    reference: usize,
}

impl<S: Real> StackMtj<S> {
    /// The junction between layers `free` and `reference` of a stack of `layers` layers.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] `stack.mtj.free` / `stack.mtj.reference` for an index not below
    /// `layers`; [`Error::Inconsistent`] when both are the same layer.
    pub fn new(mtj: Mtj<S>, free: usize, reference: usize, layers: usize) -> Result<Self, Error> {
        let allowed = "a layer index below the number of layers";
        if free >= layers {
            return Err(Error::OutOfRange {
                param: "stack.mtj.free",
                value: free as f64,
                allowed,
            });
        }
        if reference >= layers {
            return Err(Error::OutOfRange {
                param: "stack.mtj.reference",
                value: reference as f64,
                allowed,
            });
        }
        if free == reference {
            return Err(Error::Inconsistent {
                what: "stack.mtj: the free and reference layers must differ",
            });
        }
        Ok(Self {
            mtj,
            free,
            reference,
        })
    }
    /// `cos theta = m_free . m_ref` of the state `m` (1 if the state is too short).
    pub fn cos_theta(&self, m: &[Vec3<S>]) -> S {
        match (m.get(self.free), m.get(self.reference)) {
            (Some(a), Some(b)) => a.dot(*b),
            _ => S::ONE,
        }
    }
    /// Resistance (ohm) of the state `m` at bias `v` (V).
    pub fn resistance(&self, m: &[Vec3<S>], v: S) -> S {
        self.mtj.resistance(self.cos_theta(m), v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer() -> LayerSpec {
        LayerSpec::new(1e6, 1e-9, Lateral::Rectangle { x: 40e-9, y: 20e-9 })
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let named = |spec: &StackSpec<2, 1>| match spec.validate() {
            Err(Error::OutOfRange { param, .. }) => param,
            other => panic!("{other:?}"),
        };
        let mut s = StackSpec::<2, 1>::new();
        assert!(matches!(
            s.validate(),
            Err(Error::Empty {
                what: "stack.layers"
            })
        ));
        s.push_layer(layer()).unwrap();
        s.push_layer(layer()).unwrap();
        assert!(matches!(
            s.push_layer(layer()),
            Err(Error::Capacity {
                what: "stack.layers",
                capacity: 2
            })
        ));
        s.layers_mut()[1].thickness = -1e-9;
        assert_eq!(named(&s), "stack.layer.thickness");
        s.layers_mut()[1].thickness = 1e-9;
        s.layers_mut()[0].ms = 0.0;
        assert_eq!(named(&s), "stack.layer.ms");
        s.layers_mut()[0].ms = 1e6;
        s.couple(0, 1, f64::NAN, 0.0).unwrap();
        assert_eq!(named(&s), "stack.coupling.j1");
        assert!(s.validate().is_err());
    }
}
