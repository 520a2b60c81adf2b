//! Execution stage: campaigns and Ctrl-C.

pub mod campaign;
pub mod interrupt;
