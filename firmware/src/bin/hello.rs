//! Smoke test: logs with defmt, checks f32 and f64 `libm` results, counts the SysTick ticks
//! (instructions under QEMU) of a small loop, and exits 0 (1 if a value is off).
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use larmor_firmware::{bench, board, counter, exit};

/// Sum of i*i for i in 0..n, wrapping: the loop whose instructions are counted.
#[inline(never)]
fn sum_of_squares(n: u32) -> u32 {
    let mut acc = 0u32;
    let mut i = 0u32;
    while i < black_box(n) {
        acc = acc.wrapping_add(i.wrapping_mul(i));
        i += 1;
    }
    acc
}

#[entry]
fn main() -> ! {
    defmt::info!(
        "hello from Larmor firmware on {=str}, {=str}",
        board::NAME,
        board::CPU
    );
    let mut ok = true;

    // f32 (hardware FPU on Cortex-M4F, soft-float on Cortex-M0).
    let x = black_box(0.5f32);
    let (s, c) = (libm::sinf(x), libm::cosf(x));
    let r = libm::sqrtf(black_box(2.0f32));
    defmt::info!(
        "f32: sin(0.5) = {=f32}, cos(0.5) = {=f32}, sqrt(2) = {=f32}",
        s,
        c,
        r
    );
    ok &= libm::fabsf(s * s + c * c - 1.0) <= 2.0 * f32::EPSILON;
    ok &= libm::fabsf(r - core::f32::consts::SQRT_2) <= f32::EPSILON;

    // f64 (soft-float on both cores).
    let e = libm::exp(black_box(1.0f64));
    let l = libm::log(black_box(10.0f64));
    defmt::info!("f64: exp(1) = {=f64}, ln(10) = {=f64}", e, l);
    ok &= libm::fabs(e - core::f64::consts::E) <= 2.0 * f64::EPSILON;
    ok &= libm::fabs(l - core::f64::consts::LN_10) <= 4.0 * f64::EPSILON;

    let counter = counter();
    for n in [10u32, 100, 1000, 10_000] {
        let (sum, ticks) = counter.measure(|| sum_of_squares(black_box(n)));
        if board::EMULATED {
            defmt::info!(
                "sum_of_squares({=u32}) = {=u32}: {=u64} ticks = {=u64} instructions",
                n,
                sum,
                ticks,
                bench::ticks_to_instructions(ticks)
            );
        } else {
            defmt::info!(
                "sum_of_squares({=u32}) = {=u32}: {=u64} cycles",
                n,
                sum,
                ticks
            );
        }
    }
    if board::EMULATED {
        let res = bench::DECI_INSTRUCTIONS_PER_TICK;
        defmt::info!("(1 tick = {=u32}.{=u32} instructions)", res / 10, res % 10);
    }

    if ok {
        defmt::info!("hello: all checks passed");
    } else {
        defmt::error!("hello: a libm result is off");
    }
    exit(ok)
}
