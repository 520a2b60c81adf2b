//! `larmor`: the command-line wiring (clap) of the host library `larmor_host`, whose stages
//! (scenario, exec, commands, output) follow the data flow. Errors become one line on stderr and
//! an exit code.

use clap::{Parser, Subcommand};
use larmor_host::commands;

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
    Run(commands::run::RunArgs),
    /// Switching probability: many independent stochastic trials on all cores (shardable,
    /// resumable).
    Ensemble(commands::ensemble::EnsembleArgs),
    /// Switching probability and write-error rate against current, voltage, pulse width or
    /// temperature: one ensemble per point.
    Sweep(commands::sweep::SweepArgs),
    /// Write-error rate of a pulse with its confidence interval: exact Fokker-Planck solve
    /// (axially symmetric scenarios, rates down to 1e-15) or stochastic trials.
    Wer(commands::wer::WerArgs),
    /// Merge the TRIALS.csv files of shards into one campaign (+ summary).
    Merge(commands::merge::MergeArgs),
    /// Throughput benchmarks of the standard macrospin cases (median of repeated runs).
    Bench(commands::bench::BenchArgs),
    /// Stoner-Wohlfarth particles: the astroid, and hysteresis loops of one particle or of a
    /// population.
    Sw(commands::sw::SwArgs),
    /// Neel-Brown relaxation time of one particle in a field: barriers, attempt frequencies,
    /// rates.
    NeelBrown(commands::neel_brown::NeelBrownArgs),
    /// Magnetic viscosity: M(t) of a population with distributed barriers (kinetic Monte Carlo).
    Viscosity(commands::viscosity::ViscosityArgs),
    /// Sharrock's law: coercivity against field sweep rate or waiting time.
    Sharrock(commands::sharrock::SharrockArgs),
    /// Emulated MRAM chips: a command script (writes, bakes, reads) on many chips in parallel;
    /// raw bit error rate and SECDED word error rate per read.
    Mram(commands::mram::MramArgs),
    /// Landau-Lifshitz-Bloch macrospin through Tc: longitudinal relaxation, heating, and
    /// ultrafast demagnetisation by a laser pulse (two-temperature model).
    Llb(commands::llb::LlbArgs),
    /// Magnetoresistive bridge sensor: transfer curve, hysteresis loops, noise spectrum and
    /// detectivity, sampled time series.
    Sensor(commands::sensor::SensorArgs),
    /// Monte Carlo temperature scans of an Ising, XY or Heisenberg spin lattice over several
    /// sizes: m, Binder cumulant, energy, specific heat, susceptibility; Tc from the Binder
    /// crossings.
    Mc(commands::mc::McArgs),
    /// Weiss mean field: m(T) and the susceptibility of Ising, classical or quantum spins; Tc.
    Meanfield(commands::meanfield::MeanfieldArgs),
}

/// The command line with negative numbers read as values in every subcommand, not as flags:
/// `--to -1e10` works, and `--trials -5` is refused by the option's own range check.
fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    fn negatives(c: clap::Command) -> clap::Command {
        c.allow_negative_numbers(true).mut_subcommands(negatives)
    }
    let matches = negatives(Cli::command()).try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

fn main() {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => match e.kind() {
            clap::error::ErrorKind::DisplayHelp
            | clap::error::ErrorKind::DisplayVersion
            | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
            _ => {
                // one line, like every other input error: clap's first line names the option
                let text = e.render().to_string();
                let msg: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .take_while(|l| !l.is_empty() && !l.starts_with("Usage:"))
                    .collect();
                let msg = msg.join(" ");
                let msg = msg.strip_prefix("error: ").unwrap_or(&msg);
                eprintln!("error: {msg} (see larmor --help)");
                std::process::exit(2);
            }
        },
    };
    let result = match &cli.cmd {
        Cmd::Run(a) => commands::run::run(a),
        Cmd::Ensemble(a) => commands::ensemble::run(a),
        Cmd::Merge(a) => commands::merge::merge(a),
        Cmd::Sweep(a) => commands::sweep::run(a),
        Cmd::Wer(a) => commands::wer::run(a),
        Cmd::Bench(a) => commands::bench::run(a),
        Cmd::Mram(a) => commands::mram::run(a),
        Cmd::Sw(a) => commands::sw::run(a),
        Cmd::NeelBrown(a) => commands::neel_brown::neel_brown(a),
        Cmd::Viscosity(a) => commands::viscosity::viscosity(a),
        Cmd::Sharrock(a) => commands::sharrock::sharrock(a),
        Cmd::Sensor(a) => commands::sensor::run(a),
        Cmd::Llb(a) => commands::llb::run(a),
        Cmd::Mc(a) => commands::mc::run(a),
        Cmd::Meanfield(a) => commands::meanfield::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every option of every command has its help: options from a shared group
    /// (`commands::args`) get theirs from the group or from the command (`args::helps`), and a
    /// misspelt or forgotten override shows here.
    #[test]
    fn every_option_has_help() {
        fn check(cmd: &clap::Command, path: &str) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help" && id != "version" {
                    assert!(a.get_help().is_some(), "{path} --{id} has no help");
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        let cli = super::Cli::command();
        cli.clone().debug_assert();
        check(&cli, "larmor");
    }
}
