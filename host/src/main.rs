//! `larmor`: the Larmor kernel at scale on a workstation.

mod cmd_run;
mod error;
mod interrupt;
mod output;
mod plot;
mod scenario;

use clap::{Parser, Subcommand};

/// Magnetization dynamics (LLG macrospin) from scenario files.
#[derive(Debug, Parser)]
#[command(name = "larmor", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Integrate one trajectory: CSV trace, optional PNG plot, summary on stderr.
    Run(cmd_run::RunArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.cmd {
        Cmd::Run(a) => cmd_run::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}
