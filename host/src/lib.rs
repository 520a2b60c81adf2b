//! `larmor-host`: the Larmor kernel at scale on a workstation, as a library (the `larmor`
//! binary in `main.rs` is only the command-line wiring, clap; tests such as the scenario fuzz
//! call the stages directly). The host's stages follow the data flow:
//!
//! 1. [`scenario`]: a scenario file is parsed, located and lowered into a validated run plan;
//! 2. [`exec`]: the plan runs (solver dispatch, campaigns, shards, resumption, statistics);
//! 3. [`commands`]: one file per subcommand, wiring input, execution and output together;
//! 4. [`output`]: CSV, JSON, plots and atomic files.
//!
//! Errors ([`error`]) become one line on stderr and an exit code.

pub mod commands;
pub mod error;
pub mod exec;
pub mod output;
pub mod scenario;
