//! Stage 3, commands: one file per subcommand. Each reads its input (a scenario through
//! `scenario/`, or command-line values checked in [`checks`]), runs it through `exec/` or the
//! kernel, and writes through `output/`. Options that several commands share are clap
//! argument groups in [`args`].

pub mod args;
pub mod bench;
pub mod checks;
pub mod ensemble;
pub mod llb;
pub mod mc;
pub mod meanfield;
pub mod merge;
pub mod mram;
pub mod neel_brown;
pub mod run;
pub mod run_stack;
pub mod sensor;
pub mod sharrock;
pub mod sw;
pub mod sweep;
pub mod viscosity;
pub mod wer;

/// Kernel scalar type (`--precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Precision {
    /// 64-bit floats.
    F64,
    /// 32-bit floats (as on a Cortex-M4F).
    F32,
}
