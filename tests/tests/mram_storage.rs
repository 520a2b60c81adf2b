//! The emulated SPI MRAM under real storage traffic: the `sequential-storage` crate (a
//! key-value map, unchanged) on the `embedded-storage` driver, and raw records whose corruption
//! rate is compared with the write error rate the physics predicts.

use embedded_storage::nor_flash::{NorFlash, ReadNorFlash};
use larmor::device::mram::CellParams;
use larmor_parts::spi_mram::{MramFlash, SpiMram};
use larmor_scenarios::mram::{pulse_for, updates, value};
use sequential_storage::cache::Cache;

const BYTES: usize = 16 * 1024;
type Chip = SpiMram<BYTES>;
type Flash = MramFlash<Chip, 1024>;

/// Cells without variation and with one critical current, so that every switching bit has the
/// same write error rate.
fn uniform_cells() -> CellParams {
    CellParams {
        sd_delta: 0.0,
        sd_ic0: 0.0,
        sd_r_p: 0.0,
        sd_tmr: 0.0,
        ic0_ap_p: 60e-6,
        ic0_p_ap: 60e-6,
        ..CellParams::default()
    }
}

/// `n` map updates from update `first` over the whole chip, uncached.
fn map_session(mut flash: Flash, n: u32) -> (u32, Flash) {
    let (lost, _) = updates(&mut flash, Cache::new_uncached(), 0..BYTES as u32, 0, n);
    (lost, flash)
}

fn fresh_flash(params: CellParams, seed: u64) -> Flash {
    let chip = Chip::new(params, seed).unwrap();
    let mut flash = MramFlash::new(chip, BYTES as u32);
    NorFlash::erase(&mut flash, 0, BYTES as u32).unwrap();
    flash
}

#[test]
fn nominal_pulse_corrupts_no_record() {
    let (corrupted, flash) = map_session(fresh_flash(CellParams::default(), 11), 3000);
    let s = flash.spi().stats();
    assert_eq!(corrupted, 0);
    assert_eq!(s.write_errors, 0, "{s:?}");
    assert!(s.switches > 100_000, "real traffic: {s:?}");
}

/// Raw records written at a marginal pulse into erased memory: a record is corrupted when any
/// of its zero bits (each a 1 -> 0 switch) fails, so the expected count is
/// `sum_r 1 - (1 - WER)^(zeros_r)`; observed against it within 4 standard deviations.
#[test]
fn marginal_pulse_corrupts_records_at_the_predicted_rate() {
    let wer = 2e-3;
    let mut flash = fresh_flash(uniform_cells(), 5);
    flash
        .spi_mut()
        .set_write_pulse(pulse_for(&uniform_cells(), wer, 5e-9).unwrap());
    let before = flash.spi().stats(); // the erase, at the nominal pulse
    let (records, len) = (600u32, 16usize);
    let (mut expected, mut var, mut observed) = (0.0f64, 0.0f64, 0u64);
    for r in 0..records {
        let addr = (r as usize * len) as u32;
        let v = value(r);
        NorFlash::write(&mut flash, addr, &v).unwrap();
        let zeros: u32 = v.iter().map(|b| b.count_zeros()).sum();
        let p = 1.0 - (1.0 - wer).powi(zeros as i32);
        expected += p;
        var += p * (1.0 - p);
        let mut back = [0u8; 16];
        ReadNorFlash::read(&mut flash, addr, &mut back).unwrap();
        observed += u64::from(back != v);
    }
    let s = flash.spi().stats();
    let (errors, switches) = (
        s.write_errors - before.write_errors,
        s.switches - before.switches,
    );
    let z = (observed as f64 - expected) / var.sqrt();
    println!("records {records}: corrupted {observed}, expected {expected:.1} (z = {z:.2}); bit errors {errors} of {switches} switches");
    assert!(z.abs() < 4.0, "z = {z}");
    // bit level: errors over switches against the rate
    let bits = switches as f64;
    let zb = (errors as f64 - bits * wer) / (bits * wer * (1.0 - wer)).sqrt();
    assert!(zb.abs() < 4.0, "bit z = {zb}");
}

/// At the same marginal pulse the map loses records; with write-verify (read back, rewrite
/// what did not take, up to 3 times) it loses none.
#[test]
fn write_verify_brings_corruption_back_to_zero() {
    let marginal = pulse_for(&uniform_cells(), 2e-3, 5e-9).unwrap();
    let mut plain = fresh_flash(uniform_cells(), 8);
    plain.spi_mut().set_write_pulse(marginal);
    let (lost, plain) = map_session(plain, 1500);
    assert!(lost > 0, "a marginal pulse loses records");
    let mut verified = fresh_flash(uniform_cells(), 8).with_verify(3);
    verified.spi_mut().set_write_pulse(marginal);
    let (lost_v, verified) = map_session(verified, 1500);
    let v = verified.verify_stats();
    println!(
        "plain: {lost} of 1500 fetches wrong ({} bit errors); verified: {lost_v} wrong, {} bytes rewritten",
        plain.spi().stats().write_errors,
        v.rewrites
    );
    assert_eq!(lost_v, 0);
    assert_eq!(v.failures, 0);
    assert!(v.rewrites > 0);
}
