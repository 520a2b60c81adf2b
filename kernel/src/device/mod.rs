//! Device models: what firmware and device engineers see of the physics.
//!
//! | model | what it gives |
//! |---|---|
//! | [`mram`] | an MRAM array: per-cell variation, write errors, read disturb, retention |

pub mod mram;
