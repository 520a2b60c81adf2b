//! SysTick tick counter: CPU cycles on hardware, instructions (to one tick) under QEMU.
//!
//! SysTick runs from the core clock (`CLKSOURCE = 1`) with the full 24-bit reload
//! (`0xFF_FFFF`); the `SysTick` exception, defined here, counts the wraps, so [`Counter::now`]
//! is a 64-bit tick count that does not overflow in practice.
//!
//! # Under QEMU
//! `-icount shift=0` makes every instruction advance virtual time by exactly 1 ns, and QEMU's
//! SysTick ticks once per period of the clock it models for the board, so one tick is
//! `1e9 / CORE_HZ` instructions: 40 on `qemu-m4` (mps2-an386, 25 MHz) and 62.5 on `qemu-m0`
//! (microbit, 16 MHz). Counts are fully deterministic (same ELF, same count, every run) but
//! quantised to one tick; [`ticks_to_instructions`] converts. Measure enough work (a loop of
//! many kernel steps) that one tick of resolution does not matter.
//!
//! # On hardware
//! A tick is one core clock cycle ([`crate::board::CORE_HZ`]).
//!
//! # Limits
//! - Exact only while the `SysTick` exception can run: a region that keeps interrupts masked
//!   across a wrap (2^24 ticks) loses 2^24 ticks.
//! - The exception handler's few instructions per wrap are counted in the region.
//! - [`Counter::now`] itself costs about ten instructions, well under one QEMU tick; nothing
//!   is subtracted.
//! - Apps must not define their own `SysTick` handler.

use core::sync::atomic::{compiler_fence, AtomicU32, Ordering};

use cortex_m::peripheral::{syst::SystClkSource, SYST};

use crate::board::CORE_HZ;

/// SysTick reload: the full 24-bit range.
const RELOAD: u32 = 0x00FF_FFFF;

/// SysTick wraps since [`Counter::new`]; written only by the `SysTick` handler.
static WRAPS: AtomicU32 = AtomicU32::new(0);

/// A running 64-bit SysTick counter. Owns `SYST`.
pub struct Counter {
    _syst: SYST,
}

impl Counter {
    /// Starts SysTick from the core clock, counting wraps in the `SysTick` exception.
    pub fn new(mut syst: SYST) -> Self {
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(RELOAD);
        syst.clear_current();
        WRAPS.store(0, Ordering::Relaxed);
        syst.enable_interrupt();
        syst.enable_counter();
        Counter { _syst: syst }
    }

    /// Ticks since [`Counter::new`].
    #[inline(always)]
    pub fn now(&self) -> u64 {
        loop {
            let wraps = WRAPS.load(Ordering::Relaxed);
            compiler_fence(Ordering::SeqCst);
            let current = SYST::get_current();
            compiler_fence(Ordering::SeqCst);
            // A wrap between the two loads would pair the old count with the new value.
            if WRAPS.load(Ordering::Relaxed) == wraps {
                // The counter runs 0 (just wrapped, or just started), RELOAD, RELOAD-1, ..., 1,
                // then reaches 0 again, which fires the exception: elapsed ticks in this
                // period are (2^24 - current) mod 2^24.
                let in_period = 0x0100_0000u32.wrapping_sub(current) & RELOAD;
                return (u64::from(wraps) << 24) | u64::from(in_period);
            }
        }
    }

    /// Runs `f` and returns its result with the ticks it took.
    #[inline(always)]
    pub fn measure<R>(&self, f: impl FnOnce() -> R) -> (R, u64) {
        let start = self.now();
        let result = f();
        let end = self.now();
        (result, end.wrapping_sub(start))
    }
}

/// Ticks to instructions under QEMU `-icount shift=0` (1 ns per instruction):
/// `ticks * 1e9 / CORE_HZ`, rounded down. Meaningless on hardware, where a tick is a cycle.
pub const fn ticks_to_instructions(ticks: u64) -> u64 {
    const NS: u64 = 1_000_000_000;
    let hz = CORE_HZ as u64;
    // Split so `ticks * NS` cannot overflow.
    (ticks / hz) * NS + (ticks % hz) * NS / hz
}

/// Instructions per tick under QEMU, times 10 (400 on qemu-m4, 625 on qemu-m0): the
/// resolution of [`ticks_to_instructions`].
pub const DECI_INSTRUCTIONS_PER_TICK: u32 = (10_000_000_000u64 / CORE_HZ as u64) as u32;

#[cortex_m_rt::exception]
fn SysTick() {
    // Single writer (this handler), so load + store is enough (thumbv6m has no fetch_add).
    WRAPS.store(
        WRAPS.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}
