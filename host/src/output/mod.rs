//! Stage 4, output: everything that leaves the process as a file. One CSV writer and one number
//! format for the tabular commands ([`csv`]), the fixed-format trial and sweep rows that shards,
//! merges and resumption read back ([`trials`]), summary JSON ([`json`]), the trace of a run
//! ([`trace`]), PNG plots ([`plot`]) and a sweep's plot and summary ([`sweep`]), and atomic files (`NAME.part`, then rename: [`atomic`]).

pub mod atomic;
pub mod csv;
pub mod json;
pub mod plot;
pub mod sweep;
pub mod trace;
pub mod trials;

pub use atomic::{check_files, part_path, write_atomic, AtomicFile};

/// Writes one line to stdout. A closed pipe (`larmor ... | head`) ends the output quietly; any
/// other failure (a full disk behind a redirection) is reported on stderr and exits with code 1,
/// so that a result the user asked for is never lost silently (`println!` would panic).
pub fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to stdout: {e}");
            std::process::exit(1);
        }
    }
}

/// `println!` through [`say`]: a closed pipe is not an error, a failed write is reported.
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {
        $crate::output::say(format_args!($($t)*))
    };
}
