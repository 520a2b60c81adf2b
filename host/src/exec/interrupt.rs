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

/// `true` once the user pressed Ctrl-C (or the process got SIGTERM).
#[inline]
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
