//! Stack high-water mark: [`paint`] fills the unused stack with a pattern at start-up,
//! [`high_water`] later finds the deepest word that was overwritten.
//!
//! The stack is cortex-m-rt's: from `_stack_start` (top of RAM) down to `_stack_end` (end of
//! `.bss`/`.uninit`). The measured depth includes everything that ran after `paint` (kernel
//! calls, defmt, exception frames); what ran before `paint` (reset handler, `main`'s own frame
//! set-up) lies above the painted area and is counted as used. Exact to the word, as long as no
//! code wrote the pattern itself.

use core::ptr;

/// Fill word (unlikely to be written by code).
const PATTERN: u32 = 0xA5C3_5A3C;
/// Words left unpainted just below the stack pointer, for `paint`'s own calls.
const MARGIN_BYTES: usize = 64;
/// At most this many bytes are painted (4 MiB of RAM on `qemu-m4` would take a while).
const MAX_PAINT_BYTES: usize = 256 * 1024;

extern "C" {
    static _stack_start: u32;
    static _stack_end: u32;
}

fn bounds() -> (usize, usize) {
    // SAFETY: linker-defined symbols; only their addresses are taken.
    #[allow(unused_unsafe)] // addr_of! on an extern static: unsafe before Rust 1.82
    let (top, bottom) = unsafe {
        (
            ptr::addr_of!(_stack_start) as usize,
            ptr::addr_of!(_stack_end) as usize,
        )
    };
    (top, bottom.max(top.saturating_sub(MAX_PAINT_BYTES)))
}

/// Paints the stack below the current stack pointer (call first thing in `main`).
#[inline(never)]
pub fn paint() {
    let (_, bottom) = bounds();
    let sp = cortex_m::register::msp::read() as usize;
    let mut p = bottom;
    while p + 4 <= sp - MARGIN_BYTES {
        // SAFETY: [bottom, sp - MARGIN) is free stack (below every live frame), word-aligned,
        // inside RAM; nothing else owns it while we paint (no interrupts are enabled yet).
        unsafe { ptr::write_volatile(p as *mut u32, PATTERN) };
        p += 4;
    }
}

/// Bytes of stack used since start-up (top of stack down to the deepest overwritten word).
#[inline(never)]
pub fn high_water() -> u32 {
    let (top, bottom) = bounds();
    let mut p = bottom;
    // SAFETY: reads of word-aligned RAM between the stack limits.
    while p < top && unsafe { ptr::read_volatile(p as *const u32) } == PATTERN {
        p += 4;
    }
    (top - p) as u32
}

/// Bytes available for the stack (top of RAM down to the end of static data).
pub fn size() -> u32 {
    // SAFETY: addresses of linker-defined symbols.
    #[allow(unused_unsafe)] // addr_of! on an extern static: unsafe before Rust 1.82
    let (top, bottom) = unsafe {
        (
            ptr::addr_of!(_stack_start) as usize,
            ptr::addr_of!(_stack_end) as usize,
        )
    };
    (top - bottom) as u32
}

/// Logs `stack: <used> bytes used of <size> (high-water mark)`.
pub fn report() {
    defmt::info!(
        "stack: {=u32} bytes used of {=u32} (high-water mark)",
        high_water(),
        size()
    );
}
