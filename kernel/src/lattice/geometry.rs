//! Lattice geometry: builders, shells and CSR neighbour lists of fixed capacity.

use super::{DIRECTIONS, MAX_SITES, SHELLS};
use crate::error::Error;
use crate::math;

/// Boundary condition along one lattice direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Boundary {
    /// The lattice ends: sites at the edge have fewer neighbours (a cluster, a film surface).
    Open,
    /// Wrapped (Born-von Karman): the last cell neighbours the first.
    Periodic,
}

/// The lattice a builder makes. Lengths are in units of the (conventional) lattice constant
/// `a`; the cubic lattices are built from conventional cubic cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Kind {
    /// A chain along x, spacing `a` (1 site per cell).
    Chain,
    /// Square lattice in the xy-plane.
    Square,
    /// Triangular lattice in the xy-plane, primitive vectors `(1, 0)` and `(1/2, sqrt(3)/2)`.
    Triangular,
    /// Simple cubic.
    SimpleCubic,
    /// Body-centred cubic: 2 sites per cubic cell, nearest neighbours at `sqrt(3)/2`.
    Bcc,
    /// Face-centred cubic: 4 sites per cubic cell, nearest neighbours at `1/sqrt(2)`.
    Fcc,
    /// Sites listed by the user (open boundaries, shells from the pair distances).
    Sites,
}

impl Kind {
    /// Number of lattice directions (1 chain, 2 square and triangular, 3 cubic; 0 user sites).
    pub fn dims(self) -> usize {
        match self {
            Kind::Chain => 1,
            Kind::Square | Kind::Triangular => 2,
            Kind::SimpleCubic | Kind::Bcc | Kind::Fcc => 3,
            Kind::Sites => 0,
        }
    }
    /// Primitive (cell) vectors.
    fn cell_vectors(self) -> [[f64; 3]; 3] {
        match self {
            Kind::Triangular => [
                [1.0, 0.0, 0.0],
                [0.5, 0.866_025_403_784_438_6, 0.0],
                [0.0, 0.0, 1.0],
            ],
            _ => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        }
    }
    /// Sites of one cell.
    fn basis(self) -> &'static [[f64; 3]] {
        match self {
            Kind::Bcc => &[[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]],
            Kind::Fcc => &[
                [0.0, 0.0, 0.0],
                [0.5, 0.5, 0.0],
                [0.5, 0.0, 0.5],
                [0.0, 0.5, 0.5],
            ],
            _ => &[[0.0, 0.0, 0.0]],
        }
    }
}

/// What to build: a lattice kind, the number of cells and the boundary along each direction,
/// and how many neighbour shells to connect. Made by the named constructors
/// ([`LatticeSpec::chain`], [`LatticeSpec::square`], ...), validated by [`Lattice::build`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LatticeSpec {
    /// The lattice.
    pub kind: Kind,
    /// Cells along each direction (1 along the directions the kind does not have).
    pub cells: [usize; 3],
    /// Boundary along each direction.
    pub boundary: [Boundary; 3],
    /// Neighbour shells to connect, 1 (nearest neighbours) to [`SHELLS`].
    pub shells: usize,
}

impl LatticeSpec {
    fn new(kind: Kind, cells: [usize; 3], b: Boundary) -> Self {
        let d = kind.dims();
        let bd = |k: usize| if k < d { b } else { Boundary::Open };
        Self {
            kind,
            cells,
            boundary: [bd(0), bd(1), bd(2)],
            shells: 1,
        }
    }
    /// A chain of `n` sites.
    pub fn chain(n: usize, b: Boundary) -> Self {
        Self::new(Kind::Chain, [n, 1, 1], b)
    }
    /// An `lx` by `ly` square lattice.
    pub fn square(lx: usize, ly: usize, b: Boundary) -> Self {
        Self::new(Kind::Square, [lx, ly, 1], b)
    }
    /// An `l1` by `l2` triangular lattice (a rhombus of cells).
    pub fn triangular(l1: usize, l2: usize, b: Boundary) -> Self {
        Self::new(Kind::Triangular, [l1, l2, 1], b)
    }
    /// An `l`^3 simple-cubic lattice.
    pub fn simple_cubic(l: usize, b: Boundary) -> Self {
        Self::new(Kind::SimpleCubic, [l, l, l], b)
    }
    /// `l`^3 conventional bcc cells (`2 l^3` sites).
    pub fn bcc(l: usize, b: Boundary) -> Self {
        Self::new(Kind::Bcc, [l, l, l], b)
    }
    /// `l`^3 conventional fcc cells (`4 l^3` sites).
    pub fn fcc(l: usize, b: Boundary) -> Self {
        Self::new(Kind::Fcc, [l, l, l], b)
    }
    /// The same lattice with `shells` neighbour shells.
    pub fn with_shells(mut self, shells: usize) -> Self {
        self.shells = shells;
        self
    }
    /// The same lattice with the boundary `b` along direction `k` (0, 1, 2).
    pub fn with_boundary(mut self, k: usize, b: Boundary) -> Self {
        if let Some(x) = self.boundary.get_mut(k) {
            *x = b;
        }
        self
    }
}

/// One directed bond of a site's neighbour list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bond {
    /// The neighbour's site index.
    pub j: u16,
    /// Its shell (0: nearest neighbours).
    pub shell: u8,
    /// Index of the bond vector `r_j - r_i` in the lattice's table ([`Neighbours::direction`]).
    pub dir: u8,
}

/// A lattice's neighbour lists as a view, without capacity in the type (what a
/// `heapless::VecView` is to a `heapless::Vec`): what the interaction terms borrow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbours<'a> {
    row_end: &'a [u32],
    bonds: &'a [Bond],
    dirs: &'a [[f64; 3]],
    shells: &'a [f64],
}

impl<'a> Neighbours<'a> {
    /// Number of sites.
    #[inline(always)]
    pub fn sites(&self) -> usize {
        self.row_end.len()
    }
    /// The bonds of site `i` (empty for an index out of range).
    #[inline(always)]
    pub fn row(&self, i: usize) -> &'a [Bond] {
        let end = match self.row_end.get(i) {
            Some(&e) => e as usize,
            None => return &[],
        };
        let start = match i.checked_sub(1) {
            Some(p) => self.row_end.get(p).map_or(0, |&s| s as usize),
            None => 0,
        };
        self.bonds.get(start..end).unwrap_or(&[])
    }
    /// All directed bonds (each pair appears twice).
    pub fn bonds(&self) -> &'a [Bond] {
        self.bonds
    }
    /// Bond vector `k` (lattice constants), `r_j - r_i` for a bond with `dir == k`.
    pub fn direction(&self, k: usize) -> Option<[f64; 3]> {
        self.dirs.get(k).copied()
    }
    /// Number of distinct bond vectors.
    pub fn directions(&self) -> usize {
        self.dirs.len()
    }
    /// Radii of the shells (lattice constants), nearest first.
    pub fn shell_radii(&self) -> &'a [f64] {
        self.shells
    }
}

/// A lattice of up to `N` sites, `B` directed bonds (each neighbour pair counts twice) and `D`
/// distinct bond vectors (at most [`DIRECTIONS`], the default), any size up to them chosen at
/// run time.
///
/// Sites are numbered `b + nb (c0 + L0 (c1 + L1 c2))` for cell `(c0, c1, c2)` and basis site
/// `b` of `nb`. The neighbour lists are CSR arrays: the bonds of site `i` follow those of
/// site `i - 1`, each with its shell and the index of its bond vector in a table of at most
/// `D` vectors.
///
/// The bond-vector table costs 24 bytes per entry: the default `D` = [`DIRECTIONS`] = 64 takes
/// 1.5 KiB, a nearest-neighbour lattice needs only its coordination number (4 for a square
/// lattice: `Lattice<N, B, 4>`, 96 bytes), which matters next to a microcontroller's RAM.
///
/// ```
/// use larmor::lattice::{Boundary, Lattice, LatticeSpec};
/// let fcc = Lattice::<32, 512>::build(&LatticeSpec::fcc(2, Boundary::Periodic)).unwrap();
/// assert_eq!((fcc.sites(), fcc.neighbours().row(0).len()), (32, 12));
/// assert!(Lattice::<16, 64>::build(&LatticeSpec::fcc(2, Boundary::Periodic)).is_err()); // too small
/// // a nearest-neighbour square lattice has 4 bond vectors: a table of 4 is enough, 2 is not
/// let sq = LatticeSpec::square(4, 4, Boundary::Periodic);
/// assert_eq!(Lattice::<16, 64, 4>::build(&sq).unwrap().neighbours().directions(), 4);
/// assert!(Lattice::<16, 64, 2>::build(&sq).is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Lattice<const N: usize, const B: usize, const D: usize = DIRECTIONS> {
    spec: LatticeSpec,
    row_end: heapless::Vec<u32, N>,
    bonds: heapless::Vec<Bond, B>,
    dirs: heapless::Vec<[f64; 3], D>,
    shells: heapless::Vec<f64, SHELLS>,
    sign: heapless::Vec<i8, N>,
}

/// Two distances closer than this (lattice constants) are the same shell.
const TOL: f64 = 1e-6;

fn dist(v: [f64; 3]) -> f64 {
    math::sqrt_f64(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
}

fn same(a: [f64; 3], b: [f64; 3]) -> bool {
    (a[0] - b[0]).abs() < TOL && (a[1] - b[1]).abs() < TOL && (a[2] - b[2]).abs() < TOL
}

/// Inserts `r` into the sorted list of the smallest distinct distances (at most `keep`).
fn insert_shell(shells: &mut heapless::Vec<f64, SHELLS>, keep: usize, r: f64) {
    if r < TOL || shells.iter().any(|&s| (s - r).abs() < TOL) {
        return;
    }
    let pos = shells.iter().position(|&s| s > r).unwrap_or(shells.len());
    if pos >= keep {
        return;
    }
    if shells.len() == keep {
        shells.pop();
    }
    // room was made above (keep <= SHELLS)
    let _ = shells.insert(pos, r);
}

fn shell_of(shells: &[f64], r: f64) -> Option<u8> {
    shells
        .iter()
        .position(|&s| (s - r).abs() < TOL)
        .map(|p| p as u8)
}

fn capacity(what: &'static str, capacity: usize) -> Error {
    Error::Capacity { what, capacity }
}

/// Index of bond vector `v` in the table, added if new (at most `min(D, DIRECTIONS)` vectors:
/// bonds refer to them by a `u8`, the DMI table holds [`DIRECTIONS`]).
fn dir_index<const D: usize>(
    dirs: &mut heapless::Vec<[f64; 3], D>,
    v: [f64; 3],
) -> Result<u8, Error> {
    if let Some(k) = dirs.iter().position(|&d| same(d, v)) {
        return Ok(k as u8);
    }
    let cap = D.min(DIRECTIONS);
    if dirs.len() >= cap {
        return Err(capacity("lattice.directions", cap));
    }
    dirs.push(v)
        .map_err(|_| capacity("lattice.directions", cap))?;
    Ok((dirs.len() - 1) as u8)
}

impl<const N: usize, const B: usize, const D: usize> Lattice<N, B, D> {
    /// Appends the bond to site `j` of shell `shell` along `v` to the current row.
    fn push_bond(&mut self, j: usize, shell: u8, v: [f64; 3]) -> Result<(), Error> {
        let dir = dir_index(&mut self.dirs, v)?;
        self.bonds
            .push(Bond {
                j: j as u16,
                shell,
                dir,
            })
            .map_err(|_| capacity("lattice.bonds", B))
    }

    /// Ends the current site's row of bonds.
    fn end_row(&mut self) -> Result<(), Error> {
        self.row_end
            .push(self.bonds.len() as u32)
            .map_err(|_| capacity("lattice.sites", N))
    }

    fn empty(spec: LatticeSpec) -> Self {
        Self {
            spec,
            row_end: heapless::Vec::new(),
            bonds: heapless::Vec::new(),
            dirs: heapless::Vec::new(),
            shells: heapless::Vec::new(),
            sign: heapless::Vec::new(),
        }
    }

    /// Builds the lattice `spec` with its neighbour lists.
    ///
    /// # Errors
    /// - [`Error::OutOfRange`] `lattice.cells` for 0 cells, or more than 1 along a direction
    ///   the kind does not have; `lattice.shells` unless `1 <= shells <= SHELLS`;
    /// - [`Error::Capacity`] `lattice.sites` beyond `N` (or [`MAX_SITES`]), `lattice.bonds`
    ///   beyond `B`, `lattice.directions` beyond `D` (or [`DIRECTIONS`]) bond vectors;
    /// - [`Error::Inconsistent`] for a periodic direction too short for the shells (a site
    ///   would meet itself or a neighbour twice: the periodic length must exceed twice the
    ///   outermost shell radius), or [`Kind::Sites`] (use [`Lattice::from_sites`]).
    pub fn build(spec: &LatticeSpec) -> Result<Self, Error> {
        let kind = spec.kind;
        let dims = kind.dims();
        if dims == 0 {
            return Err(Error::Inconsistent {
                what: "lattice.kind: user-listed sites are built by Lattice::from_sites",
            });
        }
        for (k, &c) in spec.cells.iter().enumerate() {
            if c == 0 || (k >= dims && c != 1) || c > MAX_SITES {
                return Err(Error::OutOfRange {
                    param: "lattice.cells",
                    value: c as f64,
                    allowed: ">= 1 along the lattice's directions, 1 along the others",
                });
            }
        }
        check_shells(spec.shells)?;
        let basis = kind.basis();
        let nb = basis.len();
        let [l0, l1, l2] = spec.cells;
        let n = l0
            .checked_mul(l1)
            .and_then(|x| x.checked_mul(l2))
            .and_then(|x| x.checked_mul(nb))
            .unwrap_or(usize::MAX);
        if n > N || n > MAX_SITES {
            return Err(capacity("lattice.sites", N.min(MAX_SITES)));
        }
        let mut lat = Self::empty(*spec);
        let a = kind.cell_vectors();
        let reach = spec.shells as i32 + 1;
        let range = |k: usize| if k < dims { -reach..=reach } else { 0..=0 };
        let disp = |d: [i32; 3], b: usize, b2: usize| -> [f64; 3] {
            let mut v = [0.0; 3];
            for (c, vc) in v.iter_mut().enumerate() {
                *vc = d[0] as f64 * a[0][c]
                    + d[1] as f64 * a[1][c]
                    + d[2] as f64 * a[2][c]
                    + basis[b2][c]
                    - basis[b][c];
            }
            v
        };
        // shells of the infinite lattice (every site of these Bravais lattices is equivalent)
        for d0 in range(0) {
            for d1 in range(1) {
                for d2 in range(2) {
                    for b2 in 0..nb {
                        let r = dist(disp([d0, d1, d2], 0, b2));
                        insert_shell(&mut lat.shells, spec.shells, r);
                    }
                }
            }
        }
        let len = [l0 as i64, l1 as i64, l2 as i64];
        for i in 0..n {
            let b = i % nb;
            let cell = [
                ((i / nb) % l0) as i64,
                ((i / nb / l0) % l1) as i64,
                (i / nb / l0 / l1) as i64,
            ];
            let start = lat.bonds.len();
            for d0 in range(0) {
                for d1 in range(1) {
                    for d2 in range(2) {
                        for b2 in 0..nb {
                            let d = [d0, d1, d2];
                            let v = disp(d, b, b2);
                            let Some(shell) = shell_of(&lat.shells, dist(v)) else {
                                continue;
                            };
                            let mut c = [0i64; 3];
                            let mut inside = true;
                            for k in 0..3 {
                                let x = cell[k] + d[k] as i64;
                                c[k] = match spec.boundary[k] {
                                    Boundary::Periodic => x.rem_euclid(len[k]),
                                    Boundary::Open if (0..len[k]).contains(&x) => x,
                                    Boundary::Open => {
                                        inside = false;
                                        0
                                    }
                                };
                            }
                            if !inside {
                                continue;
                            }
                            let j = b2 + nb * (c[0] + len[0] * (c[1] + len[1] * c[2])) as usize;
                            let dup = lat.bonds[start..].iter().any(|x| x.j as usize == j);
                            if j == i || dup {
                                return Err(Error::Inconsistent {
                                    what: "lattice: a periodic direction is too short for the \
                                           shells (it must exceed twice the outermost radius)",
                                });
                            }
                            lat.push_bond(j, shell, v)?;
                        }
                    }
                }
            }
            lat.end_row()?;
            // bipartite lattices: even and odd cells (chain, square, simple cubic), or the two
            // simple-cubic sublattices of bcc; triangular and fcc are frustrated (0)
            let s = match kind {
                Kind::Chain | Kind::Square | Kind::SimpleCubic => {
                    if (cell[0] + cell[1] + cell[2]) % 2 == 0 {
                        1
                    } else {
                        -1
                    }
                }
                Kind::Bcc => 1 - 2 * b as i8,
                _ => 0,
            };
            lat.sign.push(s).map_err(|_| capacity("lattice.sites", N))?;
        }
        Ok(lat)
    }

    /// A cluster of user-listed sites (positions in lattice constants, open boundaries): the
    /// shells are the `shells` smallest distinct pair distances (equal within 1e-6), and every
    /// pair at a shell distance is a bond. O(n^2) set-up.
    ///
    /// ```
    /// use larmor::lattice::Lattice;
    /// // a triangle and a far site: one shell connects the triangle only
    /// let sites = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, 0.866_025_403_784_438_6, 0.0], [5.0, 0.0, 0.0]];
    /// let lat = Lattice::<4, 16>::from_sites(&sites, 1).unwrap();
    /// assert_eq!(lat.neighbours().row(0).len(), 2);
    /// assert_eq!(lat.neighbours().row(3).len(), 0);
    /// ```
    ///
    /// # Errors
    /// [`Error::Empty`] for no sites; [`Error::OutOfRange`] `lattice.sites` for a non-finite
    /// position, `lattice.shells` as in [`Lattice::build`]; [`Error::Inconsistent`] for two
    /// sites closer than 1e-6; [`Error::Capacity`] as in [`Lattice::build`] (bond vectors
    /// that differ by more than 1e-6 count as distinct directions).
    pub fn from_sites(positions: &[[f64; 3]], shells: usize) -> Result<Self, Error> {
        if positions.is_empty() {
            return Err(Error::Empty {
                what: "lattice.sites",
            });
        }
        check_shells(shells)?;
        let n = positions.len();
        if n > N || n > MAX_SITES {
            return Err(capacity("lattice.sites", N.min(MAX_SITES)));
        }
        for p in positions {
            for &c in p {
                if !c.is_finite() {
                    return Err(Error::OutOfRange {
                        param: "lattice.sites",
                        value: c,
                        allowed: "finite coordinates",
                    });
                }
            }
        }
        let spec = LatticeSpec {
            kind: Kind::Sites,
            cells: [n, 1, 1],
            boundary: [Boundary::Open; 3],
            shells,
        };
        let mut lat = Self::empty(spec);
        let sub = |i: usize, j: usize| {
            let (a, b) = (positions[i], positions[j]);
            [b[0] - a[0], b[1] - a[1], b[2] - a[2]]
        };
        for i in 0..n {
            for j in i + 1..n {
                let r = dist(sub(i, j));
                if r < TOL {
                    return Err(Error::Inconsistent {
                        what: "lattice.sites: two sites coincide (closer than 1e-6)",
                    });
                }
                insert_shell(&mut lat.shells, shells, r);
            }
        }
        for i in 0..n {
            for j in 0..n {
                if j == i {
                    continue;
                }
                let v = sub(i, j);
                let Some(shell) = shell_of(&lat.shells, dist(v)) else {
                    continue;
                };
                lat.push_bond(j, shell, v)?;
            }
            lat.end_row()?;
            lat.sign.push(0).map_err(|_| capacity("lattice.sites", N))?;
        }
        Ok(lat)
    }

    /// What was built.
    pub fn spec(&self) -> &LatticeSpec {
        &self.spec
    }
    /// Number of sites.
    pub fn sites(&self) -> usize {
        self.row_end.len()
    }
    /// The neighbour lists.
    pub fn neighbours(&self) -> Neighbours<'_> {
        Neighbours {
            row_end: &self.row_end,
            bonds: &self.bonds,
            dirs: &self.dirs,
            shells: &self.shells,
        }
    }
    /// Sublattice signs `+1` / `-1` of a bipartite lattice (chain, square, simple cubic: the
    /// parity of the cell; bcc: corner and centre sites), 0 for frustrated lattices
    /// (triangular, fcc) and user sites. With an odd periodic length the two sublattices meet
    /// across the boundary.
    pub fn signs(&self) -> &[i8] {
        &self.sign
    }
    /// Position of site `i` (lattice constants) for the built lattices; `None` for user
    /// sites (their positions are the caller's) or an index out of range.
    pub fn position(&self, i: usize) -> Option<[f64; 3]> {
        let kind = self.spec.kind;
        if kind == Kind::Sites || i >= self.sites() {
            return None;
        }
        let basis = kind.basis();
        let nb = basis.len();
        let [l0, l1, _] = self.spec.cells;
        let c = [(i / nb) % l0, (i / nb / l0) % l1, i / nb / l0 / l1];
        let a = kind.cell_vectors();
        let mut p = basis[i % nb];
        for (k, pk) in p.iter_mut().enumerate() {
            *pk += c[0] as f64 * a[0][k] + c[1] as f64 * a[1][k] + c[2] as f64 * a[2][k];
        }
        Some(p)
    }
}

fn check_shells(shells: usize) -> Result<(), Error> {
    if shells == 0 || shells > SHELLS {
        return Err(Error::OutOfRange {
            param: "lattice.shells",
            value: shells as f64,
            allowed: "1 to 4 neighbour shells",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z<const N: usize, const B: usize>(spec: LatticeSpec) -> [usize; SHELLS] {
        let lat = Lattice::<N, B>::build(&spec).unwrap();
        let mut out = [0; SHELLS];
        for b in lat.neighbours().row(0) {
            out[b.shell as usize] += 1;
        }
        out
    }

    /// Coordination numbers and radii of the first shells, bulk (periodic) lattices.
    #[test]
    fn coordination_numbers() {
        let p = Boundary::Periodic;
        assert_eq!(
            z::<8, 32>(LatticeSpec::chain(8, p).with_shells(2)),
            [2, 2, 0, 0]
        );
        assert_eq!(
            z::<64, 1024>(LatticeSpec::square(8, 8, p).with_shells(3)),
            [4, 4, 4, 0]
        );
        assert_eq!(
            z::<64, 2048>(LatticeSpec::triangular(8, 8, p).with_shells(3)),
            [6, 6, 6, 0]
        );
        assert_eq!(
            z::<512, 16384>(LatticeSpec::simple_cubic(8, p).with_shells(4)),
            [6, 12, 8, 6]
        );
        assert_eq!(
            z::<1024, 32768>(LatticeSpec::bcc(8, p).with_shells(3)),
            [8, 6, 12, 0]
        );
        assert_eq!(
            z::<864, 40000>(LatticeSpec::fcc(6, p).with_shells(3)),
            [12, 6, 24, 0]
        );
        let fcc = Lattice::<256, 8192>::build(&LatticeSpec::fcc(4, p).with_shells(2)).unwrap();
        let r = fcc.neighbours().shell_radii();
        assert!((r[0] - 0.5f64.sqrt()).abs() < 1e-12 && (r[1] - 1.0).abs() < 1e-12);
    }

    /// Bonds are symmetric (j in row i iff i in row j, same shell, opposite vector) and open
    /// edges lose neighbours.
    #[test]
    fn bonds_are_symmetric_and_edges_open() {
        let spec = LatticeSpec::bcc(3, Boundary::Open).with_boundary(0, Boundary::Periodic);
        let lat = Lattice::<54, 2048>::build(&spec.with_shells(2)).unwrap();
        let nb = lat.neighbours();
        for i in 0..lat.sites() {
            for b in nb.row(i) {
                let back = nb
                    .row(b.j as usize)
                    .iter()
                    .find(|c| c.j as usize == i)
                    .unwrap();
                assert_eq!(back.shell, b.shell);
                let (u, v) = (
                    nb.direction(b.dir as usize).unwrap(),
                    nb.direction(back.dir as usize).unwrap(),
                );
                assert!(same(u, [-v[0], -v[1], -v[2]]));
            }
        }
        // corner site 0 of an open cube: 1 centre neighbour (of 8), periodic along x doubles it
        assert_eq!(nb.row(0).iter().filter(|b| b.shell == 0).count(), 2);
        assert_eq!(lat.signs()[0], 1);
        assert_eq!(lat.signs()[1], -1);
        assert_eq!(lat.position(1), Some([0.5, 0.5, 0.5]));
    }

    /// The memory figures of the module docs: 4 bytes per bond, 29 bytes per spin of a
    /// nearest-neighbour simple-cubic lattice (plus the fixed tables).
    #[test]
    fn memory_per_spin() {
        assert_eq!(core::mem::size_of::<Bond>(), 4);
        type Sc = Lattice<512, 3072>;
        let fixed = core::mem::size_of::<Lattice<0, 0>>();
        let per_spin = (core::mem::size_of::<Sc>() - fixed) as f64 / 512.0;
        assert!((per_spin - 29.0).abs() < 0.1, "{per_spin}");
        assert!(fixed < 1700, "{fixed}");
    }

    #[test]
    fn bad_input_is_an_error() {
        let p = Boundary::Periodic;
        assert!(matches!(
            Lattice::<8, 16>::build(&LatticeSpec::chain(9, p)),
            Err(Error::Capacity {
                what: "lattice.sites",
                ..
            })
        ));
        assert!(matches!(
            Lattice::<8, 8>::build(&LatticeSpec::chain(8, p)),
            Err(Error::Capacity {
                what: "lattice.bonds",
                ..
            })
        ));
        assert!(matches!(
            Lattice::<8, 64>::build(&LatticeSpec::chain(2, p)),
            Err(Error::Inconsistent { .. })
        ));
        assert!(Lattice::<8, 64>::build(&LatticeSpec::chain(4, p).with_shells(2)).is_err());
        assert!(Lattice::<8, 64>::build(&LatticeSpec::chain(0, p)).is_err());
        assert!(Lattice::<8, 64>::build(&LatticeSpec::chain(4, p).with_shells(0)).is_err());
        assert!(Lattice::<8, 64>::build(&LatticeSpec::chain(4, p).with_shells(5)).is_err());
        let mut bad = LatticeSpec::chain(4, p);
        bad.cells[1] = 2;
        assert!(Lattice::<8, 64>::build(&bad).is_err());
        assert!(Lattice::<8, 64>::from_sites(&[], 1).is_err());
        assert!(Lattice::<8, 64>::from_sites(&[[0.0; 3], [0.0; 3]], 1).is_err());
        assert!(Lattice::<8, 64>::from_sites(&[[f64::NAN, 0.0, 0.0]], 1).is_err());
        // open chain of 2 is fine: one bond each way
        let two = Lattice::<8, 64>::build(&LatticeSpec::chain(2, Boundary::Open)).unwrap();
        assert_eq!(two.neighbours().bonds().len(), 2);
    }
}
