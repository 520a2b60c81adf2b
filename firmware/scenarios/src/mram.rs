//! The scripted storage session of the `mram` app: the `sequential-storage` crate (a key-value
//! map, unchanged) on the emulated SPI MRAM through the `embedded-storage` driver, in three
//! phases (nominal write pulse, marginal pulse, marginal pulse with write-verify), then ten
//! years at rest at 125 C. The chip computes in the session's scalar (the firmware runs it in
//! f32 on both boards). The host's parity test runs the same function and compares every count
//! and the hash of the array's bits with the firmware's log.

use core::future::Future;
use core::ops::Range;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use embedded_storage::nor_flash::NorFlash;
use embedded_storage_async::nor_flash::MultiwriteNorFlash;
use larmor::device::mram::{CellParams, MramArray, Pulse, Stats};
use larmor::random::{Philox, Rng};
use larmor::real::Float;
use larmor::Error;
use larmor_parts::spi_mram::{MramFlash, SpiMram};
use sequential_storage::cache::key_pointers::ArrayKeyPointers;
use sequential_storage::cache::page_pointers::ArrayPagePointers;
use sequential_storage::cache::page_states::ArrayPageStates;
use sequential_storage::cache::{Cache, CacheImpl};
use sequential_storage::map::{MapConfig, MapStorage};

/// Emulated chip size: 2 KiB (fits the 16 KiB of RAM of a Cortex-M0 board with room to spare).
pub const BYTES: usize = 2048;
/// Erase page of the storage driver (the map uses all 8).
pub const PAGE: usize = 256;
/// Stores per phase.
pub const STORES: u32 = 200;
/// Keys the map cycles through.
pub const KEYS: u16 = 12;
/// The chip's seed (cell variation and every random decision).
pub const SEED: u64 = 2026;
/// Write error rate per switching bit of the nominal cell at the marginal pulse.
pub const MARGINAL_WER: f64 = 2e-3;
/// Rest after the phases: ten years at 125 C.
pub const REST_SECONDS: f64 = 10.0 * 365.25 * 86400.0;
/// Rest temperature (K).
pub const REST_KELVIN: f64 = 398.15;

/// The map's cache (page states, page pointers, key pointers), as a firmware would keep it.
pub type MapCache = Cache<
    ArrayPageStates<PAGES>,
    ArrayPagePointers<PAGES>,
    ArrayKeyPointers<u16, { KEYS as usize }>,
    u16,
>;
/// Pages of the map.
pub const PAGES: usize = BYTES / PAGE;

/// The emulated chip, computing in `S`.
pub type Chip<S> = SpiMram<BYTES, S>;
/// The driver over it.
pub type Flash<S> = MramFlash<Chip<S>, PAGE>;

/// What the session measured; every field is an exact count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Fetches that did not return the value just stored, per phase (nominal, marginal,
    /// marginal with write-verify).
    pub corrupted: [u32; 3],
    /// The array's counts at the end.
    pub stats: Stats,
    /// Bytes the driver rewrote in the verify phase.
    pub rewrites: u64,
    /// Bits flipped during the rest.
    pub rest_flips: u64,
    /// FNV-1a hash of the array's bytes at the end.
    pub hash: u64,
}

/// Polls a future that never waits (the emulated chip answers at once) to completion.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The value stored by update `k`: the first 16 bytes of Philox stream `2^48 + k` of seed
/// [`SEED`] (apart from the streams the chip draws its cells from, `0..2^33`, and its decisions).
pub fn value(k: u32) -> [u8; 16] {
    let mut out = [0u8; 16];
    Philox::new(SEED, (1u64 << 48) | u64::from(k)).fill_bytes(&mut out);
    out
}

/// The pulse of `width` at which the nominal cell's write error rate is `wer` (bisection on
/// the current ratio over the larger critical current).
pub fn pulse_for(params: &CellParams, wer: f64, width: f64) -> Result<Pulse, Error> {
    let a = MramArray::<1>::new(*params, 0)?;
    let (mut lo, mut hi) = (0.5f64, 4.0f64);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if a.write_error_rate(params.delta, mid, width) > wer {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Pulse {
        current: 0.5 * (lo + hi) * params.ic0_p_ap.max(params.ic0_ap_p),
        width,
    })
}

/// `n` updates through a `sequential-storage` map over `range` of `flash`, update `k` storing
/// [`value`]`(k)` under key `k % KEYS` and fetching it back at once; returns how many fetches
/// did not give the value just stored, and the cache for the next call. A range the map cannot
/// use (not page-aligned, fewer than two pages) counts every update as lost.
pub fn updates<F, C>(flash: F, cache: C, range: Range<u32>, first: u32, n: u32) -> (u32, C)
where
    F: MultiwriteNorFlash,
    C: CacheImpl<u16>,
{
    let Ok(config) = MapConfig::try_new(range) else {
        return (n, cache);
    };
    let mut map = MapStorage::<u16, _, _>::new(flash, config, cache);
    let mut buf = [0u8; 48];
    let mut corrupted = 0;
    block_on(async {
        for k in first..first + n {
            let key = (k % u32::from(KEYS)) as u16;
            let v = value(k);
            if map.store_item(&mut buf, &key, &&v[..]).await.is_err() {
                corrupted += 1;
                continue;
            }
            match map.fetch_item::<&[u8]>(&mut buf, &key).await {
                Ok(Some(got)) if got == &v[..] => {}
                _ => corrupted += 1,
            }
        }
    });
    (corrupted, map.destroy().1)
}

/// One phase of the session: `STORES` updates over the whole chip.
fn phase<S: Float>(flash: &mut Flash<S>, cache: MapCache, first: u32) -> (u32, MapCache) {
    updates(flash, cache, 0..BYTES as u32, first, STORES)
}

/// Runs the session (see the module docs) with the chip's physics in `S`.
///
/// # Errors
/// A parameter error of the array (none for the defaults used).
pub fn session<S: Float>() -> Result<Report, Error> {
    // symmetric cells (one critical current for both transitions), so that the marginal pulse
    // is marginal for the item writes (1 -> 0) as for the erases (0 -> 1)
    let params = CellParams {
        ic0_ap_p: CellParams::default().ic0_p_ap,
        ..CellParams::default()
    };
    let chip = Chip::<S>::new(params, SEED)?;
    let mut flash: Flash<S> = MramFlash::new(chip, BYTES as u32);
    if NorFlash::erase(&mut flash, 0, BYTES as u32).is_err() {
        return Err(Error::Inconsistent {
            what: "mram session: the first erase failed",
        });
    }
    let cache = Cache::new(
        ArrayPageStates::new(),
        ArrayPagePointers::new(),
        ArrayKeyPointers::new(),
    );
    let (nominal, cache) = phase(&mut flash, cache, 0);
    let marginal = pulse_for(&params, MARGINAL_WER, 5e-9)?;
    flash.spi_mut().set_write_pulse(marginal);
    let (lossy, cache) = phase(&mut flash, cache, STORES);
    flash.set_verify(3);
    let (kept, _) = phase(&mut flash, cache, 2 * STORES);
    let rewrites = flash.verify_stats().rewrites;
    let array = flash.spi_mut().array_mut();
    array.set_temperature(REST_KELVIN)?;
    let rest_flips = array.advance(REST_SECONDS)?;
    let hash = crate::fnv1a(crate::FNV_START, array.raw());
    Ok(Report {
        corrupted: [nominal, lossy, kept],
        stats: array.stats(),
        rewrites,
        rest_flips,
        hash,
    })
}
