//! The third-party `qmc5883l` 0.0.1 driver (embedded-hal 0.2, used unchanged) against the
//! emulated QMC5883L: identification, reset, mode, data-ready polling, X/Y/Z for an applied field,
//! overflow; plus the +-8 G range and the big-endian/little-endian data layout through the
//! embedded-hal 1.0 interface.

use embedded_hal::i2c::I2c;
use larmor_parts::magnetometer::{
    Qmc5883l, ADDRESS, REG_CHIP_ID, REG_CONTROL1, REG_CONTROL2, REG_DATA, REG_PERIOD, REG_STATUS,
    STATUS_DRDY, STATUS_OVL,
};
use qmc5883l::{Error as DrvError, QMC5883L};

/// Converter noise 2 mG rms = 24 LSB at 12 000 LSB/G; AMR non-linearity at 0.5 G for
/// H_K = 20 G is `1 - sqrt(1 - (0.5/20)^2)` = 0.03% (2 LSB). Tolerance per reading: 5 sd + 2 LSB.
const TOL_LSB: i32 = 5 * 24 + 2;

/// Polls the driver until a reading is ready (each poll costs bus time on the part's clock).
fn read_ready<I>(
    drv: &mut QMC5883L<I>,
) -> Result<(i16, i16, i16), DrvError<larmor_parts::magnetometer::BusError>>
where
    I: embedded_hal_02::blocking::i2c::WriteRead<Error = larmor_parts::magnetometer::BusError>
        + embedded_hal_02::blocking::i2c::Write<Error = larmor_parts::magnetometer::BusError>,
{
    for _ in 0..100_000 {
        match drv.mag() {
            Err(DrvError::NotReady) => continue,
            r => return r,
        }
    }
    Err(DrvError::NotReady)
}

#[test]
fn third_party_driver_reads_earth_field_and_overflow() {
    let mut part = Qmc5883l::<f64>::new(2026).unwrap();
    part.set_field_gauss([0.5, 0.0, 0.0]).unwrap();
    {
        // new(): reads CHIP_ID (0xFF expected), soft reset, ROL_PNT | INT_ENB, period 1
        let mut drv = QMC5883L::new(&mut part).expect("driver initialises the emulated part");
        drv.continuous().unwrap(); // MODE = continuous, ODR 10 Hz, +-2 G, OSR 512
        let mut sum = [0i64; 3];
        let n = 8;
        for _ in 0..n {
            let (x, y, z) = read_ready(&mut drv).unwrap();
            println!("0.5 G along x: x {x}, y {y}, z {z} LSB (expected 6000, 0, 0)");
            assert!((x as i32 - 6000).abs() <= TOL_LSB, "x = {x}");
            assert!((y as i32).abs() <= TOL_LSB && (z as i32).abs() <= TOL_LSB);
            sum[0] += x as i64;
            sum[1] += y as i64;
            sum[2] += z as i64;
        }
        let mean_x = sum[0] as f64 / n as f64;
        println!("mean of {n}: x {mean_x:.1} LSB");
        // mean of 8: sd 24/sqrt(8) = 8.5 LSB
        assert!((mean_x - 6000.0).abs() < 5.0 * 8.5 + 2.0);
    }
    assert_eq!(part.register(REG_CONTROL2), Some(0x41));
    assert_eq!(part.register(REG_PERIOD), Some(0x01));
    assert_eq!(part.register(REG_CONTROL1).map(|c| c & 0b11), Some(0b01));
    // 10 Hz: 8 readings took about 0.8 s of device time
    assert!(
        part.time_s() > 0.7 && part.time_s() < 1.0,
        "t = {}",
        part.time_s()
    );

    // a field along each axis goes to that axis; sign follows the field
    let mut part = Qmc5883l::<f64>::new(7).unwrap();
    part.set_field_gauss([0.0, -0.3, 0.6]).unwrap();
    {
        let mut drv = QMC5883L::new(&mut part).unwrap();
        drv.continuous().unwrap();
        let (x, y, z) = read_ready(&mut drv).unwrap();
        println!("(0, -0.3, 0.6) G: x {x}, y {y}, z {z}");
        assert!((x as i32).abs() <= TOL_LSB);
        assert!((y as i32 + 3600).abs() <= TOL_LSB);
        assert!((z as i32 - 7200).abs() <= TOL_LSB + 3);
    }

    // saturating field: 3 G exceeds 32767 / 12000 = 2.73 G at +-2 G: OVL, driver reports Overflow
    let mut part = Qmc5883l::<f64>::new(9).unwrap();
    part.set_field_gauss([3.0, 0.0, 0.0]).unwrap();
    {
        let mut drv = QMC5883L::new(&mut part).unwrap();
        drv.continuous().unwrap();
        match read_ready(&mut drv) {
            Err(DrvError::Overflow) => {}
            other => panic!("expected Overflow, got {other:?}"),
        }
    }
    assert_ne!(part.register(REG_STATUS).unwrap() & STATUS_OVL, 0);
    // the saturated code is in the data registers
    let mut d = [0u8; 2];
    part.write_read(ADDRESS, &[REG_DATA], &mut d).unwrap();
    assert_eq!(i16::from_le_bytes(d), 32767);
}

#[test]
fn wrong_chip_id_and_no_device_are_errors() {
    let mut part = Qmc5883l::<f32>::new(1).unwrap();
    let mut b = [0u8];
    let e = part.write_read(0x1E, &[REG_CHIP_ID], &mut b).unwrap_err();
    assert_eq!(
        embedded_hal::i2c::Error::kind(&e),
        embedded_hal::i2c::ErrorKind::NoAcknowledge(
            embedded_hal::i2c::NoAcknowledgeSource::Address
        )
    );
}

#[test]
fn range_8_gauss_status_and_layout_over_embedded_hal_1() {
    let mut part = Qmc5883l::<f32>::new(5).unwrap();
    part.set_field_gauss([-4.0, 2.0, 0.0]).unwrap();
    let mut id = [0u8];
    part.write_read(ADDRESS, &[REG_CHIP_ID], &mut id).unwrap();
    assert_eq!(id[0], 0xFF);
    // continuous, ODR 200 Hz (11), RNG 8 G (01), OSR 512 (00): 0b00_01_11_01
    part.write(ADDRESS, &[REG_CONTROL1, 0b0001_1101]).unwrap();
    part.write(ADDRESS, &[REG_CONTROL2, 0x40]).unwrap(); // ROL_PNT
    assert_eq!(part.lsb_per_gauss(), 3000.0);
    assert_eq!(part.odr_hz(), 200.0);
    let mut st = [0u8];
    part.write_read(ADDRESS, &[REG_STATUS], &mut st).unwrap();
    assert_eq!(st[0] & STATUS_DRDY, 0);
    part.advance(5e-3).unwrap();
    part.write_read(ADDRESS, &[REG_STATUS], &mut st).unwrap();
    assert_eq!(st[0] & STATUS_DRDY, STATUS_DRDY);
    let mut d = [0u8; 6];
    part.write_read(ADDRESS, &[REG_DATA], &mut d).unwrap();
    let x = i16::from_le_bytes([d[0], d[1]]) as i32;
    let y = i16::from_le_bytes([d[2], d[3]]) as i32;
    // converter noise 2 mG = 6 LSB at 3000 LSB/G; AMR non-linearity at 4 G for H_K = 20 G
    // (m_y = 0.2: sqrt(1 - 0.04) = 0.980, -2%) and the cross-axis field along y's easy axis
    // (x bridge: easy-axis field 2 G = 0.1 H_K stiffens it: m_y = h / (1 + 0.1))
    println!("(-4, 2, 0) G at +-8 G: x {x}, y {y}");
    assert!((x + 12000).abs() < 12000 / 8, "x = {x}");
    assert!((y - 6000).abs() < 6000 / 8, "y = {y}");
    // DRDY cleared by reading data
    part.write_read(ADDRESS, &[REG_STATUS], &mut st).unwrap();
    assert_eq!(st[0] & STATUS_DRDY, 0);
    // soft reset: registers back to defaults, standby
    part.write(ADDRESS, &[REG_CONTROL2, 0x80]).unwrap();
    assert_eq!(part.register(REG_CONTROL1), Some(0));
    assert_eq!(part.register(REG_CHIP_ID), Some(0xFF));
}

/// The driver's `FieldRange::Range8Gauss` is `1 << 3`, but the datasheet's RNG field is bits 5:4
/// of control 1 (`0x10` for +-8 G); bit 3 is ODR. On this datasheet-faithful part the driver's
/// range call therefore changes the output data rate (10 -> 100 Hz) and leaves +-2 G.
#[test]
fn driver_range_constant_hits_the_odr_bits() {
    let mut part = Qmc5883l::<f32>::new(3).unwrap();
    {
        let mut drv = QMC5883L::new(&mut part).unwrap();
        drv.set_field_range(qmc5883l::FieldRange::Range8Gauss)
            .unwrap();
        drv.continuous().unwrap();
    }
    assert_eq!(part.register(REG_CONTROL1), Some(0b0000_1001));
    assert_eq!(part.lsb_per_gauss(), 12000.0);
    assert_eq!(part.odr_hz(), 100.0);
}
