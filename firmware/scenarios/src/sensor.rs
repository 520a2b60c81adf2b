//! The `sensor` app's session: an AMR bridge of the HMC1001 kind (850 ohm arms, 2 % MR, 5 V)
//! sampled at 1 kHz for a 10 Hz, 0.5 G field waveform with its Johnson and Hooge noise, and the
//! third-party `qmc5883l` driver (used unchanged) reading the emulated QMC5883L in a 0.5 G
//! field. The host's parity test runs the same function and compares the samples' hash and the
//! driver's readings with the firmware's log.

use larmor::device::sensor::{BridgeSpec, ElementKind, Sampler, GAUSS_AM};
use larmor::Error;
use larmor_parts::magnetometer::{BusError, Qmc5883l};
use qmc5883l::{Error as DriverError, QMC5883L};

/// Samples taken from the bridge.
pub const SAMPLES: u32 = 256;
/// Sample rate (Hz).
pub const FS: f64 = 1e3;
/// Readings through the driver.
pub const READINGS: usize = 4;

/// What the session measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// FNV-1a hash of the samples' f64 bits.
    pub hash: u64,
    /// Smallest and largest sample (V), as bits.
    pub range_bits: [u64; 2],
    /// The driver's last reading (LSB).
    pub xyz: [i16; 3],
    /// Sum over the readings of x (LSB).
    pub sum_x: i32,
}

/// Runs `f` for each sample; `f` gets the sample (V).
///
/// # Errors
/// A bridge parameter error (none for the values used).
pub fn sample_bridge(mut each: impl FnMut(f64)) -> Result<(), Error> {
    let bridge = BridgeSpec::new(ElementKind::Amr, 850.0, 0.02, 20.0 * GAUSS_AM).build::<f64>()?;
    let mut s = Sampler::new(bridge, FS, 0.1, 7, 0)?;
    let omega = 2.0 * core::f64::consts::PI * 10.0;
    for _ in 0..SAMPLES {
        let v = s.sample(|t| [0.0, 0.5 * GAUSS_AM * larmor::math::sin_f64(omega * t)])?;
        each(v);
    }
    Ok(())
}

/// The driver's readings of the emulated magnetometer in 0.5 G along x.
fn driver_readings() -> Result<([i16; 3], i32), DriverError<BusError>> {
    let Ok(mut part) = Qmc5883l::<f64>::new(2026) else {
        return Err(DriverError::NotReady);
    };
    if part.set_field_gauss([0.5, 0.0, 0.0]).is_err() {
        return Err(DriverError::NotReady);
    }
    let mut drv = QMC5883L::new(&mut part)?;
    drv.continuous()?;
    let (mut last, mut sum_x) = ([0i16; 3], 0i32);
    for _ in 0..READINGS {
        let mut reading = Err(DriverError::NotReady);
        for _ in 0..100_000 {
            reading = drv.mag();
            if !matches!(reading, Err(DriverError::NotReady)) {
                break;
            }
        }
        let (x, y, z) = reading?;
        last = [x, y, z];
        sum_x += i32::from(x);
    }
    Ok((last, sum_x))
}

/// Runs the session.
///
/// # Errors
/// [`Error::Inconsistent`] if the driver fails against the part.
pub fn session() -> Result<Report, Error> {
    let mut hash = crate::FNV_START;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    sample_bridge(|v| {
        hash = crate::fnv1a(hash, &v.to_bits().to_le_bytes());
        lo = lo.min(v);
        hi = hi.max(v);
    })?;
    let (xyz, sum_x) = driver_readings().map_err(|_| Error::Inconsistent {
        what: "the qmc5883l driver failed against the emulated part",
    })?;
    Ok(Report {
        hash,
        range_bits: [lo.to_bits(), hi.to_bits()],
        xyz,
        sum_x,
    })
}
