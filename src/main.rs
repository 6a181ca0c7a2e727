//! The `casus` command: check, list and play scenarios from the terminal.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Casus — training simulator for complex safety cases and complex divorces in Dutch youth
/// protection.
#[derive(Debug, Parser)]
#[command(
    name = "casus",
    version = concat!(env!("CARGO_PKG_VERSION"), " (scenario format ", casus::scenario_format!(), ")"),
    about,
    long_about = None
)]
struct Cli {
    /// A folder of your own cases (with its goals.ron if it has its own catalogue); repeat for
    /// more. The shipped cases and the data folder's `scenarios` folder are always included.
    #[arg(long, global = true, env = "CASUS_SCENARIOS")]
    scenarios: Vec<PathBuf>,
    /// Leave out the cases that ship with Casus: only the cases in your folders.
    #[arg(long, global = true)]
    no_shipped: bool,
    /// Folder for progress records (default: the platform's data directory).
    #[arg(long, global = true, env = "CASUS_DATA")]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the desktop app (the default without a subcommand).
    #[cfg(feature = "desktop")]
    App(cli::app::AppArgs),
    /// Check scenario files and folders; exit code 1 when any has an error.
    Check {
        /// Files or folders (default: the scenarios folder).
        paths: Vec<PathBuf>,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Play a scenario in the terminal, or scripted with --choices.
    Play {
        /// A scenario id from the scenarios folder, or a path to a scenario file.
        scenario: String,
        /// Seed for the case variations (random branches).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Choices to make, by number (1-based), separated by commas; `t` lets the time run out.
        #[arg(long, value_delimiter = ',')]
        choices: Option<Vec<String>>,
        /// Practice shows feedback after each choice; exam only at the end.
        #[arg(long, value_enum, default_value_t = cli::ModeArg::Practice)]
        mode: cli::ModeArg,
        /// Print the result as JSON (implies scripted play).
        #[arg(long)]
        json: bool,
        /// Play in this language when a translation exists (e.g. `en`).
        #[arg(long)]
        lang: Option<String>,
        /// For authors: start at this node instead of the start.
        #[arg(long)]
        from: Option<String>,
        /// For authors: set a variable first, e.g. `--set zorgen=2 --set gemeld=true`.
        #[arg(long)]
        set: Vec<String>,
        /// Record the attempt under this trainee id (see `casus records add-trainee`): every
        /// decision is committed to the records database as it is made.
        #[arg(long)]
        record: Option<String>,
        /// Play the scripted choices this many times, each a new attempt (with --record: load
        /// and crash tests).
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// Progress records on this desktop: list, export, push to an LRS, report, certificates.
    Records {
        #[command(subcommand)]
        command: cli::records::RecordsCommand,
    },
    /// Write or update the translation template of a scenario (`<scenario>.<lang>.ron`).
    Translate {
        /// A scenario id or path.
        scenario: String,
        /// Target language, e.g. `en`.
        #[arg(long)]
        lang: String,
        /// Where to write (default: beside the scenario file).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Explore every run of a scenario: reachable endings with witnesses, unreachable parts and
    /// why, per-goal score ranges, dominated choices, rules no run can break.
    #[command(alias = "analyze")]
    Analyse {
        /// A scenario id from the scenarios folder, or a path to a scenario file.
        scenario: String,
        /// Print the analysis as JSON.
        #[arg(long)]
        json: bool,
        /// Stop exploring after this many distinct states.
        #[arg(long, default_value_t = 250_000)]
        max_states: usize,
    },
    /// Play many runs with a policy: endings, score distributions, pass rate, decisive choices.
    Simulate {
        /// A scenario id from the scenarios folder, or a path to a scenario file.
        scenario: String,
        /// How many runs to play.
        #[arg(long, default_value_t = 10_000)]
        runs: u64,
        /// random, expert, worst or mixed:P (expert with probability P, else random).
        #[arg(long, default_value = "random")]
        policy: String,
        /// Seed of the simulation: run i is determined by (seed, i), so a simulation replays exactly.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Draw the scenario's node graph: DOT for Graphviz, or SVG laid out without it.
    Graph {
        /// A scenario id from the scenarios folder, or a path to a scenario file.
        scenario: String,
        /// `svg` draws the graph itself; `dot` is for Graphviz.
        #[arg(long, value_enum, default_value_t = cli::graph::Format::Svg)]
        format: cli::graph::Format,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// List the scenarios with kind, goals and study time.
    List {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
        /// Only cases of this kind: safety, divorce or crisis.
        #[arg(long)]
        kind: Option<String>,
        /// Only cases that train this goal (a goal id such as `child`).
        #[arg(long)]
        goal: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let data = cli
        .data
        .clone()
        .unwrap_or_else(casus::records::default_data_dir);
    let sources = cli::sources(&data, &cli.scenarios, !cli.no_shipped);
    let result = match cli.command {
        Some(Command::Check { paths, json }) => cli::check::run(&paths, &sources, json),
        Some(Command::Play {
            scenario,
            seed,
            choices,
            mode,
            json,
            lang,
            from,
            set,
            record,
            repeat,
        }) => cli::play::run(
            &sources,
            cli::play::PlayArgs {
                scenario,
                seed,
                choices,
                mode: mode.into(),
                json,
                language: lang,
                from,
                set,
                record: record.map(|t| {
                    (
                        cli.data
                            .clone()
                            .unwrap_or_else(casus::records::default_data_dir),
                        t,
                    )
                }),
                repeat,
            },
        ),
        Some(Command::Records { command }) => cli::records::run(
            &sources,
            &cli.data
                .clone()
                .unwrap_or_else(casus::records::default_data_dir),
            command,
        ),
        Some(Command::Translate {
            scenario,
            lang,
            output,
        }) => cli::translate::run(&sources, &scenario, &lang, output),
        Some(Command::Analyse {
            scenario,
            json,
            max_states,
        }) => cli::analyse::run_analyse(&sources, &scenario, json, max_states),
        Some(Command::Simulate {
            scenario,
            runs,
            policy,
            seed,
            json,
        }) => cli::analyse::run_simulate(&sources, &scenario, runs, &policy, seed, json),
        Some(Command::Graph {
            scenario,
            format,
            output,
        }) => cli::graph::run(&sources, &scenario, format, output),
        Some(Command::List { json, kind, goal }) => {
            cli::list::run(&sources, json, kind.as_deref(), goal.as_deref())
        }
        #[cfg(feature = "desktop")]
        Some(Command::App(args)) => cli::app::run(&sources, cli.data.clone(), args),
        #[cfg(feature = "desktop")]
        None => cli::app::run(&sources, cli.data.clone(), cli::app::AppArgs::default()),
        #[cfg(not(feature = "desktop"))]
        None => cli::list::welcome(&sources),
    };
    match result {
        Ok(code) => code,
        // The reader went away (e.g. `| head`): not an error of ours.
        Err(cli::CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
