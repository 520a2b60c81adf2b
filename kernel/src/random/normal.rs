//! Gaussian draws for f32 and f64 in `no_std`: the 128-layer ziggurat of Marsaglia & Tsang,
//! J. Stat. Softw. 5(8) (2000), in the form of Doornik, "An improved ziggurat method to generate
//! normal random samples" (2005): independent bits for the layer and the abscissa, exact tails
//! (Marsaglia 1964). About 99% of draws take the fast path (one random word, one compare, one
//! multiply); `exp`/`ln` (through [`crate::math`]) only on the rare wedge and tail paths, so
//! results are bit-reproducible across platforms.
//!
//! This is the kernel's one normal sampler per scalar: the thermal field, the distributions of
//! [`super::Dist`] and every other Gaussian draw go through [`Gaussian::std_normal`]. Its uniform
//! inputs follow the convention of [`super::uniform`]: the layer index from the low 7 bits, the
//! abscissa from the top 53 (f64) or 24 (f32) bits of the same word.

use rand_core::Rng;

use super::uniform::{lattice_f32, lattice_f64, uniform_f32_from_bits, uniform_f64_from_bits};
use crate::math;
use crate::real::Real;

/// A scalar that can be drawn from the standard normal distribution.
pub trait Gaussian: Real {
    /// One draw from N(0, 1).
    fn std_normal<R: Rng + ?Sized>(rng: &mut R) -> Self;
}

/// A source of standard normal draws of the scalar `S`: any random generator for a plain
/// scalar ([`Gaussian::std_normal`]), or one generator per lane for a lane scalar
/// ([`crate::lanes::LaneStreams`]). What the thermal field draws from.
pub trait NormalSource<S> {
    /// One draw from N(0, 1) (in every lane).
    fn normal(&mut self) -> S;
}

impl<S: Gaussian, R: Rng + ?Sized> NormalSource<S> for R {
    #[inline(always)]
    fn normal(&mut self) -> S {
        S::std_normal(self)
    }
}

impl Gaussian for f64 {
    /// ```
    /// use larmor::random::Gaussian;
    /// let mut rng = larmor::random::Philox::new(1, 0);
    /// let x = f64::std_normal(&mut rng);
    /// assert!(x.is_finite());
    /// ```
    // inline on the host (the thermal field's loop); a plain hint on the firmware's targets
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline)]
    fn std_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
        // the fast path of the first round inline (99% of draws), the rest out of line
        let b = rng.next_u64();
        let i = (b & 0x7f) as usize;
        // 53 high bits -> u in [-1, 1)
        let u = 2.0 * lattice_f64(b) - 1.0;
        if u.abs() < ZIG_R[i] {
            return u * ZIG_X[i];
        }
        slow_f64(rng, i, u)
    }
}

/// The ziggurat of [`Gaussian::std_normal`] (f64) after a first word `(i, u)` that missed the
/// fast path: its wedge or tail, then further rounds as needed.
#[cold]
#[inline(never)]
fn slow_f64<R: Rng + ?Sized>(rng: &mut R, mut i: usize, mut u: f64) -> f64 {
    loop {
        if u.abs() < ZIG_R[i] {
            return u * ZIG_X[i];
        }
        if i == 0 {
            return tail_f64(rng, u < 0.0);
        }
        let x = u * ZIG_X[i];
        let f0 = math::exp_f64(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
        let f1 = math::exp_f64(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
        if f1 + lattice_f64(rng.next_u64()) * (f0 - f1) < 1.0 {
            return x;
        }
        let b = rng.next_u64();
        i = (b & 0x7f) as usize;
        u = 2.0 * lattice_f64(b) - 1.0;
    }
}

fn tail_f64<R: Rng + ?Sized>(rng: &mut R, negative: bool) -> f64 {
    let r = ZIG_X[1];
    loop {
        let x = math::ln_f64(uniform_f64_from_bits(rng.next_u64())) / r;
        let y = math::ln_f64(uniform_f64_from_bits(rng.next_u64()));
        if -2.0 * y >= x * x {
            return if negative { x - r } else { r - x };
        }
    }
}

impl Gaussian for f32 {
    /// ```
    /// use larmor::random::Gaussian;
    /// let mut rng = larmor::random::Philox::new(1, 0);
    /// assert!(f32::std_normal(&mut rng).is_finite());
    /// ```
    // inline on the host (the thermal field's loop); a plain hint on the firmware's targets
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline)]
    fn std_normal<R: Rng + ?Sized>(rng: &mut R) -> f32 {
        let b = rng.next_u32();
        let i = (b & 0x7f) as usize;
        // 24 high bits -> u = 2 k 2^-24 - 1 in [-1, 1) (written as one multiply; exact)
        let u = ((b >> 8) as f32) * (2.0 / 16_777_216.0) - 1.0;
        if u.abs() < ZIG_R32[i] {
            return u * ZIG_X32[i];
        }
        slow_f32(rng, i, u)
    }
}

/// As [`slow_f64`] for f32.
#[cold]
#[inline(never)]
fn slow_f32<R: Rng + ?Sized>(rng: &mut R, mut i: usize, mut u: f32) -> f32 {
    loop {
        if u.abs() < ZIG_R32[i] {
            return u * ZIG_X32[i];
        }
        if i == 0 {
            return tail_f32(rng, u < 0.0);
        }
        let x = u * ZIG_X32[i];
        let f0 = math::exp_f32(-0.5 * (ZIG_X32[i] * ZIG_X32[i] - x * x));
        let f1 = math::exp_f32(-0.5 * (ZIG_X32[i + 1] * ZIG_X32[i + 1] - x * x));
        let v = lattice_f32(rng.next_u32());
        if f1 + v * (f0 - f1) < 1.0 {
            return x;
        }
        let b = rng.next_u32();
        i = (b & 0x7f) as usize;
        u = ((b >> 8) as f32) * (2.0 / 16_777_216.0) - 1.0;
    }
}

fn tail_f32<R: Rng + ?Sized>(rng: &mut R, negative: bool) -> f32 {
    let r = ZIG_X32[1];
    loop {
        let x = math::ln_f32(uniform_f32_from_bits(rng.next_u32())) / r;
        let y = math::ln_f32(uniform_f32_from_bits(rng.next_u32()));
        if -2.0 * y >= x * x {
            return if negative { x - r } else { r - x };
        }
    }
}

const fn to_f32<const N: usize>(v: [f64; N]) -> [f32; N] {
    let mut out = [0.0f32; N];
    let mut i = 0;
    while i < N {
        out[i] = v[i] as f32;
        i += 1;
    }
    out
}

const ZIG_X32: [f32; 129] = to_f32(ZIG_X);
const ZIG_R32: [f32; 128] = to_f32(ZIG_R);

// Tables generated with mpmath at 40 digits (R = 3.442619855899, V = 9.91256303526217e-3).
/// Layer edges x_i of the 128-layer normal ziggurat (Marsaglia & Tsang 2000; Doornik 2005).
pub(crate) const ZIG_X: [f64; 129] = [
    3.7130862467425474,
    3.442619855899,
    3.2230849845811416,
    3.083228858216868,
    2.97869625264778,
    2.894344007021529,
    2.8231253505489105,
    2.761169372387177,
    2.7061135731218195,
    2.6564064112613597,
    2.6109722484318474,
    2.5690336259249373,
    2.5300096723888275,
    2.493454522095372,
    2.4590181774118305,
    2.42642064553375,
    2.3954342780110625,
    2.3658713701176386,
    2.3375752413392368,
    2.310413683698763,
    2.2842740596774718,
    2.259059573869198,
    2.234686395590979,
    2.211081408878703,
    2.1881804320760483,
    2.1659267937489215,
    2.144270182360395,
    2.123165708673976,
    2.1025731351892376,
    2.0824562379920164,
    2.062782274508308,
    2.043521536655067,
    2.0246469733773846,
    2.006133869963471,
    1.9879595741276188,
    1.9701032608543254,
    1.9525457295535555,
    1.9352692282966217,
    1.9182573008645087,
    1.9014946531051502,
    1.884967035707758,
    1.8686611409944875,
    1.8525645117280898,
    1.8366654602584447,
    1.8209529965961242,
    1.8054167642192271,
    1.7900469825998573,
    1.7748343955860681,
    1.7597702248995923,
    1.744846128113799,
    1.7300541605637292,
    1.7153867407136663,
    1.7008366185699155,
    1.6863968467791668,
    1.6720607540975998,
    1.657821920954023,
    1.6436741568628674,
    1.6296114794706336,
    1.6156280950431596,
    1.6017183802213766,
    1.5878768648905746,
    1.5740982160229993,
    1.5603772223661674,
    1.5467087798599088,
    1.5330878776740418,
    1.5195095847659383,
    1.5059690368632017,
    1.4924614237813525,
    1.4789819769899226,
    1.4655259573427089,
    1.4520886428892226,
    1.4386653166845615,
    1.425251254514058,
    1.4118417124470557,
    1.3984319141310033,
    1.3850170377326498,
    1.3715922024273406,
    1.3581524543301413,
    1.3446927517535447,
    1.331207949665625,
    1.3176927832094119,
    1.3041418501286146,
    1.2905495919261945,
    1.2769102735601534,
    1.2632179614546188,
    1.2494664995730662,
    1.2356494832633604,
    1.2217602305399942,
    1.2077917504159472,
    1.1937367078331262,
    1.1795873846639857,
    1.16533563616475,
    1.150972842148865,
    1.1364898520131583,
    1.1218769225825398,
    1.1071236475340338,
    1.0922188769072751,
    1.0771506248928933,
    1.0619059636948216,
    1.0464709007640425,
    1.0308302360681927,
    1.0149673952513274,
    0.9988642334929804,
    0.9825008035154258,
    0.9658550794011466,
    0.948902625511303,
    0.9316161966151473,
    0.9139652510230287,
    0.895915352580934,
    0.8774274291129196,
    0.8584568431938092,
    0.8389522142975734,
    0.8188539067003531,
    0.7980920606440526,
    0.7765839878947555,
    0.7542306644540511,
    0.7309119106424841,
    0.7064796113354315,
    0.6807479186691494,
    0.6534786387399697,
    0.6243585973360447,
    0.5929629424714419,
    0.5586921784081783,
    0.5206560387620528,
    0.4774378372966809,
    0.42654798635541274,
    0.36287143109701797,
    0.2723208648139427,
    0.0,
];
/// Ratios x_{i+1}/x_i (fast acceptance test).
pub(crate) const ZIG_R: [f64; 128] = [
    0.9271586026096688,
    0.9362302895738892,
    0.9566079929529229,
    0.9660963845448882,
    0.9716814879827811,
    0.9753938521821022,
    0.9780541171685178,
    0.980060694640489,
    0.9816315315239645,
    0.9828963811271866,
    0.9839375456663325,
    0.9848098704733534,
    0.9855513792328944,
    0.9861893030819736,
    0.9867436799867864,
    0.9872295978111943,
    0.9876586437103296,
    0.9880398701570177,
    0.9883804563121088,
    0.9886861715693078,
    0.9889617072428544,
    0.9892109183130243,
    0.9894370025436909,
    0.9896426351781105,
    0.9898300715969689,
    0.9900012265183524,
    0.9901577357834697,
    0.9903010050508024,
    0.9904322485336945,
    0.9905525200843218,
    0.9906627383358567,
    0.9907637071892195,
    0.9908561326209718,
    0.9909406365607181,
    0.991017768416579,
    0.9910880146997187,
    0.991151807102165,
    0.991209529308185,
    0.9912615227624552,
    0.9913080915739613,
    0.9913495066999153,
    0.9913860095266758,
    0.9914178149430195,
    0.9914451139838447,
    0.9914680761085328,
    0.991486851167012,
    0.9915015710974835,
    0.9915123513923666,
    0.9915192923629307,
    0.9915224802280644,
    0.9915219880484645,
    0.9915178765240442,
    0.9915101946694387,
    0.9914989803800052,
    0.9914842608986052,
    0.9914660531916395,
    0.9914443642412228,
    0.991419191259001,
    0.9913905218258714,
    0.9913583339607497,
    0.9913225961204966,
    0.9912832671321499,
    0.9912402960576856,
    0.991193621990624,
    0.991143173782899,
    0.9910888696994811,
    0.9910306169972894,
    0.9909683114239041,
    0.9909018366304911,
    0.9908310634921466,
    0.9907558493275226,
    0.9906760370080956,
    0.9905914539457294,
    0.9905019109452362,
    0.9904072009063883,
    0.990307097357238,
    0.9902013527975628,
    0.9900896968277136,
    0.9899718340339568,
    0.9898474415964779,
    0.9897161665803524,
    0.9895776228628199,
    0.9894313876418466,
    0.9892769974609422,
    0.9891139436730952,
    0.9889416672520417,
    0.9887595528412437,
    0.9885669219091596,
    0.9883630248526033,
    0.9881470318569457,
    0.9879180222809051,
    0.9876749722825309,
    0.9874167403388365,
    0.9871420502305995,
    0.9868494709610887,
    0.9865373929461655,
    0.9862039996442389,
    0.9858472335755387,
    0.9854647553940897,
    0.9850538942989906,
    0.9846115875710346,
    0.984134306349457,
    0.9836179638544746,
    0.9830578010168336,
    0.9824482427525726,
    0.9817827157061125,
    0.9810534148544755,
    0.9802510014227664,
    0.9793642073274504,
    0.9783793105963308,
    0.9772794298852919,
    0.9760435609386312,
    0.9746452378300762,
    0.9730506368752242,
    0.9712158326862982,
    0.9690827290502088,
    0.9665728537853813,
    0.9635775863118788,
    0.9599421765659003,
    0.9554384188286951,
    0.9497153478809152,
    0.9422042060159364,
    0.9319193267489484,
    0.9169927970716897,
    0.8934105197245917,
    0.8507165493794231,
    0.7504610213889626,
    0.0,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Philox;

    fn moments<S: Gaussian>(n: usize) -> (f64, f64, f64, f64) {
        let mut rng = Philox::new(2024, 1);
        let (mut s1, mut s2, mut s3, mut s4) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..n {
            let x = S::std_normal(&mut rng).to_f64();
            s1 += x;
            s2 += x * x;
            s3 += x * x * x;
            s4 += x * x * x * x;
        }
        let n = n as f64;
        (s1 / n, s2 / n, s3 / n, s4 / n)
    }

    #[test]
    fn moments_match_the_normal_distribution() {
        // n = 1e6: standard errors of the moments are 1e-3, 1.4e-3, 3.9e-3, 9.8e-3; 5 sigma
        let n = 1_000_000;
        for (m1, m2, m3, m4) in [moments::<f64>(n), moments::<f32>(n)] {
            assert!(m1.abs() < 5e-3, "mean {m1}");
            assert!((m2 - 1.0).abs() < 7e-3, "var {m2}");
            assert!(m3.abs() < 2e-2, "skew {m3}");
            assert!((m4 - 3.0).abs() < 5e-2, "kurt {m4}");
        }
    }

    /// The draws are pinned bit for bit (values recorded from the sampler before it moved into
    /// `random/`): the thermal field, the golden values and host/QEMU parity depend on them.
    /// 10^5 draws of each scalar cover the fast path, the wedges and the tails.
    #[test]
    fn draws_are_pinned_bit_for_bit() {
        let mut rng = Philox::new(2024, 1);
        let (mut h64, mut h32) = (0u64, 0u32);
        for _ in 0..100_000 {
            h64 = h64.rotate_left(5) ^ f64::std_normal(&mut rng).to_bits();
            h32 = h32.rotate_left(5) ^ f32::std_normal(&mut rng).to_bits();
        }
        assert_eq!((h64, h32), (0x12ac_972f_19f7_1074, 0x7ef2_0766));
        let mut rng = Philox::new(7, 3);
        let first: [u64; 4] = core::array::from_fn(|_| f64::std_normal(&mut rng).to_bits());
        let first32: [u32; 4] = core::array::from_fn(|_| f32::std_normal(&mut rng).to_bits());
        assert_eq!(
            first,
            [
                0xbfec_be1f_7105_9c5e,
                0x3fc8_abfd_9ebd_03ec,
                0xbfbb_a08a_09ad_4f22,
                0x3fa1_a6b2_be7f_8d75
            ]
        );
        assert_eq!(
            first32,
            [0xbf18_1fdb, 0x3f2f_3a92, 0xbe8a_be80, 0xbe62_0dff]
        );
    }

    #[test]
    fn tail_probability_is_right() {
        // P(|x| > 3.5) = 4.6525e-4; with n = 2e6 the count's sigma is ~30 (Poisson)
        let mut rng = Philox::new(7, 0);
        let n = 2_000_000;
        let c = (0..n)
            .filter(|_| f64::std_normal(&mut rng).abs() > 3.5)
            .count() as f64;
        let expect = 4.652_581e-4 * n as f64;
        assert!((c - expect).abs() < 5.0 * expect.sqrt(), "{c} vs {expect}");
    }
}
