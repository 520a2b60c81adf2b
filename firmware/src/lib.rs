//! Larmor firmware support: board selection, defmt logging, exit codes, fault handling and
//! instruction counting. Thin on purpose: the physics lives in the `larmor` kernel.
//!
//! Every app links this crate, which provides
//! - the defmt global logger: semihosting under QEMU (`qemu-m4`, `qemu-m0`), RTT on real boards;
//! - [`exit`]: ends the program through semihosting (QEMU exits with 0 or 1; `probe-rs run`
//!   stops and reports);
//! - the panic handler and the `HardFault` handler, which log and then [`exit`] with failure
//!   instead of spinning, so a crashed test fails fast in CI;
//! - the `SysTick` handler used by [`bench`] (apps must not define their own).
#![no_std]
#![deny(missing_docs)]

pub mod bench;
pub mod board;
pub mod stack;

use core::sync::atomic::{AtomicBool, Ordering};

#[cfg(feature = "rtt-log")]
use defmt_rtt as _;
#[cfg(feature = "semihosting-log")]
use defmt_semihosting as _;

/// Ends the program: `true` for success, `false` for failure.
///
/// Uses the semihosting exit call: QEMU exits with status 0 (success) or 1 (failure), and
/// `probe-rs run` stops with the same outcome. Without a debugger attached the semihosting
/// breakpoint faults and the core locks up, which is also an end.
pub fn exit(success: bool) -> ! {
    use cortex_m_semihosting::debug;
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached if a debugger resumes after the exit request.
    loop {
        cortex_m::asm::wfi();
    }
}

/// Set by the first panic, so a panic inside the panic path (e.g. in the logger) exits at once.
static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    if !PANICKING.load(Ordering::Relaxed) {
        PANICKING.store(true, Ordering::Relaxed);
        match info.location() {
            Some(loc) => defmt::error!(
                "panicked at {=str}:{=u32}: {}",
                loc.file(),
                loc.line(),
                defmt::Display2Format(&info.message())
            ),
            None => defmt::error!("panicked: {}", defmt::Display2Format(&info.message())),
        }
    }
    exit(false)
}

/// `defmt::panic!`, `defmt::unwrap!` etc. have already logged their message: just fail.
#[defmt::panic_handler]
fn defmt_panic() -> ! {
    exit(false)
}

/// Faults (bus, memory management, usage faults escalate here when not enabled) end the
/// program with failure instead of spinning.
#[cortex_m_rt::exception]
unsafe fn HardFault(frame: &cortex_m_rt::ExceptionFrame) -> ! {
    if !PANICKING.load(Ordering::Relaxed) {
        PANICKING.store(true, Ordering::Relaxed);
        defmt::error!(
            "HardFault at pc={=u32:#010x} lr={=u32:#010x} xpsr={=u32:#010x}",
            frame.pc(),
            frame.lr(),
            frame.xpsr()
        );
    }
    exit(false)
}
