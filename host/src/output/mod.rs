//! Output stage: atomic files and plots.

pub mod atomic;
pub mod plot;

pub use atomic::*;
