//! Commands stage: one module per subcommand.

pub mod bench;
pub mod ensemble;
pub mod run;
pub mod sw;
pub mod sweep;
pub mod thermal_activation;
