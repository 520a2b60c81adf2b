//! Stage 4, output: everything that leaves the process as a file. One CSV writer and one number
//! format for the tabular commands ([`csv`]), the fixed-format trial and sweep rows that shards,
//! merges and resumption read back ([`trials`]), summary JSON ([`json`]), the trace of a run
//! ([`trace`]), PNG plots ([`plot`]), and atomic files (`NAME.part`, then rename: [`atomic`]).

pub mod atomic;
pub mod csv;
pub mod json;
pub mod plot;
pub mod trace;
pub mod trials;

pub use atomic::{check_files, part_path, write_atomic, AtomicFile};
