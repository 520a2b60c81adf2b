//! Device models: what firmware and device engineers see of the physics.
//!
//! | model | what it gives |
//! |---|---|
//! | [`mram`] | an MRAM array: per-cell variation, write errors, read disturb, retention |
//! | [`sensor`] | TMR/GMR/AMR bridges: transfer, hysteresis, set/reset, noise, sampling |

pub mod mram;
pub mod sensor;
