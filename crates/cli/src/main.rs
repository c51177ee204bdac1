//! The native `kubelab` command: a thin shell over the library crates.

mod conformance;
mod script;
mod shell;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOC: bench::CountingAlloc = bench::CountingAlloc;

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
    /// Run a script of lab terminal lines and print the transcript (`$ <line>` and output).
    Script {
        /// The script: one command per line, here-documents, `sleep N`, `# comments`.
        file: PathBuf,
        /// Seed of the simulated cluster (default: the script's `# seed:` line, else 1).
        #[arg(long)]
        seed: Option<u64>,
        /// Cluster preset: minikube, multinode, kubeadm or large-N (default: the script's
        /// `# preset:` line, else minikube).
        #[arg(long, value_parser = parse_preset)]
        preset: Option<lab::Preset>,
    },
    /// An interactive lab terminal against a fresh simulated cluster.
    Shell {
        /// Seed of the simulated cluster.
        #[arg(long, default_value_t = lab::DEFAULT_SEED)]
        seed: u64,
        /// Cluster preset: minikube, multinode, kubeadm or large-N.
        #[arg(long, value_parser = parse_preset, default_value = "minikube")]
        preset: lab::Preset,
        /// Simulated seconds per real second while you type (0: time passes only with
        /// `sleep N`). Default: 1 on a terminal, 0 for piped input, so scripts stay
        /// deterministic.
        #[arg(long)]
        speed: Option<f64>,
    },
    /// Measure the simulator's performance.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// API store: creates/s, selector list latency, watch fan-out, bytes per pod.
    Api {
        /// How many pods to create.
        #[arg(long, default_value_t = 150_000)]
        pods: usize,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Scheduler: pods bound per second at 5,000 nodes.
    Sched {
        /// Worker nodes.
        #[arg(long, default_value_t = 5_000)]
        nodes: usize,
        /// Pending pods to schedule.
        #[arg(long, default_value_t = 10_000)]
        pods: usize,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Whole cluster: 1,500 Deployments x 100 on 5,000 nodes until Ready, a rollout, memory.
    Cluster {
        /// Worker nodes.
        #[arg(long, default_value_t = 5_000)]
        nodes: usize,
        /// Deployments to create.
        #[arg(long, default_value_t = 1_500)]
        deployments: usize,
        /// Replicas per Deployment.
        #[arg(long, default_value_t = 100)]
        replicas: usize,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The lab page's frame loop on a large preset: build frames, simulation frames, redraws.
    Frames {
        /// Worker nodes of the `large` preset.
        #[arg(long, default_value_t = 5_000)]
        nodes: usize,
        /// Virtual seconds to play at 1x after the build.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn parse_preset(s: &str) -> Result<lab::Preset, String> {
    s.parse()
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
    bench::keep_freed_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Script { file, seed, preset } => {
            print!("{}", script::run(&file, seed, preset)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Shell { seed, preset, speed } => {
            shell::run(preset, seed, speed)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Version => {
            println!("kubelab {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what: BenchCommand::Api { pods, json },
        } => {
            let result = bench::api(pods, bench::Clock::native());
            if json {
                println!("{}", bench::to_json(&result));
            } else {
                print!("{}", bench::render(&result));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what: BenchCommand::Sched { nodes, pods, json },
        } => {
            let result = bench::scale::sched(nodes, pods, bench::Clock::native());
            if json {
                println!("{}", serde_json::to_value(&result)?);
            } else {
                print!("{}", bench::scale::render_sched(&result));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Cluster {
                    nodes,
                    deployments,
                    replicas,
                    json,
                },
        } => {
            let result = bench::scale::cluster(nodes, deployments, replicas, bench::Clock::native());
            if json {
                println!("{}", serde_json::to_value(&result)?);
            } else {
                print!("{}", bench::scale::render_cluster(&result));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what: BenchCommand::Frames { nodes, seconds, json },
        } => {
            let result = bench::frames::frames(nodes, seconds, bench::Clock::native());
            if json {
                println!("{}", serde_json::to_value(&result)?);
            } else {
                print!("{}", bench::frames::render(&result));
            }
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
