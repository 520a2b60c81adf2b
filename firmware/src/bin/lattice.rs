//! The lattice self-test on its own: the 16 x 16 = 256-spin f32 lattice of
//! `larmor_scenarios::lattice` (LLG with the midpoint stepper, then Metropolis Monte Carlo),
//! every part on the stack, with the instructions (QEMU) or cycles (hardware) per LLG step and
//! per Monte Carlo sweep, the sizes of the parts and the stack high-water mark. An app of its
//! own so that the Cortex-M0, whose `selftest` fills its 256 KiB of flash, runs it too, and so
//! that its stack figure is the lattice's alone. Exits 0 if every result matches its golden
//! hash from the host (`tests/tests/parity.rs` also compares the logged bits).
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use larmor_firmware::{finish, lattice, start};
use larmor_scenarios::lattice::{BONDS_256, SITES_256};

#[entry]
fn main() -> ! {
    let counter = start("lattice");
    let (mut passed, mut failed) = (0u32, 0u32);
    lattice::run::<SITES_256, BONDS_256>(16, Some(&counter), &mut passed, &mut failed);
    finish(
        failed == 0,
        "lattice: all checks passed",
        "lattice: a check FAILED",
    )
}
