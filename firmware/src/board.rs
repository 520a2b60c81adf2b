//! The board this build is for, chosen by exactly one cargo feature (checked by `build.rs`).
//!
//! | feature         | board                         | target                  | defmt via   |
//! |-----------------|-------------------------------|-------------------------|-------------|
//! | `qemu-m4`       | QEMU `mps2-an386`             | `thumbv7em-none-eabihf` | semihosting |
//! | `qemu-m0`       | QEMU `microbit` (nRF51822)    | `thumbv6m-none-eabi`    | semihosting |
//! | `nrf52840dk`    | nRF52840-DK                   | `thumbv7em-none-eabihf` | RTT         |
//! | `nucleo-f401re` | NUCLEO-F401RE (STM32F401RE)   | `thumbv7em-none-eabihf` | RTT         |
//! | `rp2040`        | Raspberry Pi Pico (RP2040)    | `thumbv6m-none-eabi`    | RTT         |

macro_rules! board {
    ($feature:literal, $name:literal, $cpu:literal, $emulated:literal, $hz:literal) => {
        /// Board name (the cargo feature).
        #[cfg(feature = $feature)]
        pub const NAME: &str = $name;
        /// CPU core.
        #[cfg(feature = $feature)]
        pub const CPU: &str = $cpu;
        /// True under QEMU, where SysTick counts instructions (`-icount shift=0`).
        #[cfg(feature = $feature)]
        pub const EMULATED: bool = $emulated;
        /// Core clock after reset in Hz (SysTick's clock): the clock QEMU models for QEMU
        /// boards; the reset clock for real boards, which this firmware does not reconfigure.
        #[cfg(feature = $feature)]
        pub const CORE_HZ: u32 = $hz;
    };
}

board!(
    "qemu-m4",
    "qemu-m4 (mps2-an386)",
    "Cortex-M4F",
    true,
    25_000_000
);
board!(
    "qemu-m0",
    "qemu-m0 (microbit)",
    "Cortex-M0",
    true,
    16_000_000
);
board!("nrf52840dk", "nrf52840dk", "Cortex-M4F", false, 64_000_000);
// HSI 16 MHz after reset (the PLL is not configured).
board!(
    "nucleo-f401re",
    "nucleo-f401re",
    "Cortex-M4F",
    false,
    16_000_000
);
// Ring oscillator after reset: nominal 6.5 MHz, varies from chip to chip.
board!(
    "rp2040",
    "rp2040 (Raspberry Pi Pico)",
    "Cortex-M0+",
    false,
    6_500_000
);

/// What a SysTick tick counts in logs: instructions under QEMU, core cycles on hardware.
pub const UNIT: &str = if EMULATED { "instructions" } else { "cycles" };

/// RP2040 second-stage boot loader for the Pico's W25Q080 flash, placed in the first 256
/// bytes of flash by `boards/rp2040/memory.x`.
#[cfg(feature = "rp2040")]
#[link_section = ".boot2"]
#[no_mangle]
#[used]
pub static BOOT2_FIRMWARE: [u8; 256] = rp2040_boot2::BOOT_LOADER_W25Q080;
