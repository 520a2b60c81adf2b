//! Execution stage: Ctrl-C handling. The first interrupt asks the run to stop cleanly (results so
//! far are saved); a second one exits at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// Installs the handler (idempotent).
pub fn install() {
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if REQUESTED.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
}

/// Asks the running campaign or trajectory to stop cleanly, as a first Ctrl-C does: what an
/// embedding without the handler (the Python package, which takes Python's own SIGINT) calls.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Clears a request, so the next run of an embedding process starts afresh (the command line
/// never needs it: one run per process).
pub fn reset() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// `true` once the user pressed Ctrl-C (or the process got SIGTERM), or [`request`] was called.
#[inline]
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
