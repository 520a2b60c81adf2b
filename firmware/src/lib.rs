//! Larmor firmware support: board selection, defmt logging, exit codes, fault handling and
//! instruction counting. Thin on purpose: the physics lives in the `larmor` kernel.
//!
//! Every app links this crate, which provides
//! - the defmt global logger: semihosting under QEMU (`qemu-m4`, `qemu-m0`), RTT on real boards;
//! - [`exit`]: ends the program through semihosting (QEMU exits with 0 or 1; `probe-rs run`
//!   stops and reports);
//! - the panic handler and the `HardFault` handler, which log and then [`exit`] with failure
//!   instead of spinning, so a crashed test fails fast in CI;
//! - the `SysTick` handler used by [`bench`] (apps must not define their own);
//! - an app's start ([`start`]), end ([`finish`]) and self-test result line ([`log_result`]);
//! - the lattice scenario's run and log lines ([`lattice`]), shared by `selftest` and `lattice`.
#![no_std]
#![deny(missing_docs)]

pub mod bench;
pub mod board;
pub mod lattice;
pub mod stack;

use core::sync::atomic::{AtomicBool, Ordering};

use larmor::{Error, Real, Vec3};
use larmor_scenarios::{check, Method};

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

/// The start of every app that measures: paints the stack ([`stack::paint`]), logs
/// `<app> on <board>, <cpu>` and starts the SysTick counter ([`counter`]); exits with failure if the core
/// peripherals are already taken.
#[inline(always)] // paints from main's own frame
pub fn start(app: &str) -> bench::Counter {
    stack::paint();
    defmt::info!("{=str} on {=str}, {=str}", app, board::NAME, board::CPU);
    counter()
}

/// Takes the core peripherals and starts the SysTick counter from them; exits with failure if
/// they are already taken.
pub fn counter() -> bench::Counter {
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        defmt::error!("core peripherals already taken");
        exit(false)
    };
    bench::Counter::new(peripherals.SYST)
}

/// The end of an app: logs the stack high-water mark ([`stack::report`]), then `passed` or
/// (as an error) `failed`, and [`exit`]s with `ok`.
pub fn finish(ok: bool, passed: &str, failed: &str) -> ! {
    stack::report();
    if ok {
        defmt::info!("{=str}", passed);
    } else {
        defmt::error!("{=str}", failed);
    }
    exit(ok)
}

/// Checks a self-test result ([`check`]) and logs it in the line `tests/tests/parity.rs`
/// parses, `<app> <method> <scalar> steps=<n> m=(x, y, z) bits=(bx, by, bz) err=.. bound=..
/// ref=.. norm_err=.. ok|FAIL` (`bx` is `m.x.to_f64().to_bits()`, exact for every scalar), or
/// an error line if the run failed; returns whether it passed.
#[inline(never)] // own stack frame: scalars do not add up in main
pub fn log_result<S: Real>(
    app: &str,
    method: Method,
    steps: u32,
    result: Result<Vec3<S>, Error>,
) -> bool {
    let Ok(m) = result else {
        defmt::error!(
            "{=str} {=str} {=str} steps={=u32}: stepper error FAIL",
            app,
            method.name(),
            S::NAME,
            steps
        );
        return false;
    };
    let c = check(method, steps, m);
    let v = m.to_f64();
    defmt::info!(
        "{=str} {=str} {=str} steps={=u32} m=({=f64}, {=f64}, {=f64}) bits=({=u64}, {=u64}, {=u64}) err={=f64} bound={=f64} ref={=str} norm_err={=f64} {=str}",
        app,
        method.name(),
        S::NAME,
        steps,
        v[0],
        v[1],
        v[2],
        v[0].to_bits(),
        v[1].to_bits(),
        v[2].to_bits(),
        c.err,
        c.bound,
        c.reference,
        c.norm_err,
        if c.ok { "ok" } else { "FAIL" }
    );
    c.ok
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
