//! Instruction counting with SysTick: exact under QEMU `-icount shift=0`, CPU cycles on
//! hardware.
//!
//! SysTick runs from the core clock (`CLKSOURCE = 1`) with the full 24-bit reload
//! (`0xFF_FFFF`); the `SysTick` exception, defined here, counts the wraps, so [`Counter::now`]
//! is a 64-bit count that does not overflow in practice. [`Counter::measure`] subtracts the
//! cost of the measurement itself (calibrated once in [`Counter::new`]).
//!
//! Under QEMU with `-icount shift=0` every instruction advances virtual time by 1 ns, and
//! QEMU's SysTick ticks once per period of the board's CPU clock, so one tick is
//! `1e9 / CPU_HZ` instructions: 40 on `mps2-an386` (25 MHz). [`Counter`] therefore reports
//! *ticks*; QEMU runs set the SysTick clock so a tick is one instruction (see [`TICKS_NOTE`]).
//!
//! Limits: the count is exact only while the `SysTick` exception can run; a region that keeps
//! interrupts masked across a wrap (2^24 ticks) loses 2^24. The exception handler costs a few
//! instructions per 2^24, counted in the region.

use core::sync::atomic::{compiler_fence, AtomicU32, Ordering};

use cortex_m::peripheral::{syst::SystClkSource, SYST};

/// SysTick reload: the full 24-bit range.
const RELOAD: u32 = 0x00FF_FFFF;

/// SysTick wraps since [`Counter::new`]; written only by the `SysTick` handler.
static WRAPS: AtomicU32 = AtomicU32::new(0);

/// What one tick means on this board, for log lines.
pub const TICKS_NOTE: &str = if crate::board::EMULATED {
    "instructions (QEMU -icount shift=0)"
} else {
    "CPU cycles"
};

/// A running 64-bit SysTick counter. Owns `SYST`.
pub struct Counter {
    _syst: SYST,
    overhead: u32,
}

impl Counter {
    /// Starts SysTick from the core clock, counting wraps in the `SysTick` exception, and
    /// calibrates the cost of one [`Counter::measure`] of an empty region.
    pub fn new(mut syst: SYST) -> Self {
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(RELOAD);
        syst.clear_current();
        WRAPS.store(0, Ordering::Relaxed);
        syst.enable_interrupt();
        syst.enable_counter();
        let mut counter = Counter {
            _syst: syst,
            overhead: 0,
        };
        // The smallest of a few empty measurements is the fixed cost of measuring.
        let mut overhead = u64::MAX;
        for _ in 0..4 {
            let ((), ticks) = counter.measure(|| ());
            overhead = overhead.min(ticks);
        }
        counter.overhead = overhead as u32;
        counter
    }

    /// Ticks since [`Counter::new`].
    #[inline(always)]
    pub fn now(&self) -> u64 {
        loop {
            let wraps = WRAPS.load(Ordering::Relaxed);
            compiler_fence(Ordering::SeqCst);
            let current = SYST::get_current();
            compiler_fence(Ordering::SeqCst);
            if WRAPS.load(Ordering::Relaxed) == wraps {
                return (u64::from(wraps) << 24) | u64::from(RELOAD - current);
            }
        }
    }

    /// Runs `f` and returns its result with the ticks it took, measurement cost removed.
    #[inline(always)]
    pub fn measure<R>(&self, f: impl FnOnce() -> R) -> (R, u64) {
        let start = self.now();
        let result = f();
        let end = self.now();
        let ticks = end.wrapping_sub(start);
        (result, ticks.saturating_sub(u64::from(self.overhead)))
    }

    /// The measurement cost subtracted by [`Counter::measure`], in ticks.
    pub fn overhead(&self) -> u32 {
        self.overhead
    }
}

#[cortex_m_rt::exception]
fn SysTick() {
    // Single writer (this handler), so load + store is enough (thumbv6m has no fetch_add).
    WRAPS.store(WRAPS.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
}
