//! # Emulated magnetic parts for firmware
//!
//! Parts whose bits and readings come from the physics of the [`larmor`] kernel, behind the
//! `embedded-hal` 1.0 bus traits, so that firmware (a storage layer, a sensor driver) talks to
//! them as it would to silicon: on the host in tests, and on a board or under QEMU.
//!
//! - [`spi_mram`]: a serial MRAM chip (the common WREN/RDSR/READ/WRITE command set) over
//!   [`embedded_hal::spi::SpiDevice`], and an [`embedded_storage`] adapter over the same array;
//! - [`magnetometer`]: a QMC5883L three-axis AMR magnetometer over [`embedded_hal::i2c::I2c`]
//!   (and the `embedded-hal` 0.2 blocking I2C traits with the `eh02` feature), its readings
//!   from the kernel's bridge model ([`larmor::device::sensor`]);
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod magnetometer;
pub mod spi_mram;
