//! The native `kubelab` command: a thin shell over the library crates.

mod conformance;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kubelab",
    about = "A Kubernetes cluster simulated in the browser, on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the simulator's rules against upstream oracle tables (*.jsonl and service_envvars.json).
    Conformance {
        /// Directory holding the oracle tables.
        #[arg(long)]
        oracles: PathBuf,
    },
    /// Print the version.
    Version,
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn try_main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Version => {
            println!("kubelab {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Conformance { oracles } => {
            let report = conformance::run(&oracles)?;
            print!("{}", report.render());
            Ok(if report.failed() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
