//! Must fail: executes a permanently undefined instruction; the `HardFault` handler logs the
//! faulting PC and exits with status 1.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use larmor_firmware::exit;

#[entry]
fn main() -> ! {
    defmt::info!("fault_test: executing UDF, expect a HardFault and exit status 1");
    cortex_m::asm::udf();
    #[allow(unreachable_code)]
    exit(true)
}
