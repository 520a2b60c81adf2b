//! Must fail: an out-of-bounds index panics; the panic handler logs it and exits with status 1.
#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use larmor_firmware::exit;

#[entry]
fn main() -> ! {
    defmt::info!("panic_test: indexing out of bounds, expect a panic and exit status 1");
    let table = [1u32, 2, 3];
    let i = black_box(7usize);
    let value = table[i];
    defmt::error!("panic_test: no panic (read {=u32})", value);
    exit(true)
}
