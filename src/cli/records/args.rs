//! The arguments of `casus records …` (clap definitions): which attempts, the LRS to talk to,
//! and one variant per subcommand.

use std::path::PathBuf;

use casus::records::{self, export::Filter};
use clap::{Subcommand, ValueEnum};

use crate::cli::CliError;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Xapi,
}

/// Which attempts.
#[derive(Debug, Clone, clap::Args)]
pub struct Which {
    /// Only this trainee (pseudonymous id).
    #[arg(long)]
    pub trainee: Option<String>,
    /// Only this scenario id.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Only attempts started on or after this date (YYYY-MM-DD, UTC) or RFC 3339 time.
    #[arg(long)]
    pub since: Option<String>,
}

impl Which {
    pub fn filter(&self) -> Result<Filter, CliError> {
        Ok(Filter {
            trainee: self.trainee.clone(),
            scenario: self.scenario.clone(),
            since_ms: self
                .since
                .as_deref()
                .map(records::time::parse)
                .transpose()
                .map_err(CliError::Msg)?,
        })
    }
}

/// LRS address and credentials.
#[derive(Debug, Clone, clap::Args)]
pub struct LrsArgs {
    /// Basic-auth user of the LRS.
    #[arg(long, env = "CASUS_LRS_USER")]
    pub user: Option<String>,
    /// Basic-auth password of the LRS (better through the environment).
    #[arg(long, env = "CASUS_LRS_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// List trainees with their attempts and study minutes.
    Trainees {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add a trainee; prints the new pseudonymous id.
    AddTrainee {
        /// Display name, kept on this desktop; exports use the pseudonymous id unless asked.
        #[arg(long)]
        name: String,
        /// SKJ registration number.
        #[arg(long)]
        skj: Option<String>,
    },
    /// List attempts.
    Attempts {
        #[command(flatten)]
        which: Which,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export attempts: CSV (one row per attempt × goal), JSON (complete records) or xAPI
    /// (the statement array). Pseudonymous unless --names.
    Export {
        #[arg(long, value_enum)]
        format: Format,
        #[command(flatten)]
        which: Which,
        /// Write to this file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Include display names and SKJ numbers (CSV and JSON).
        #[arg(long)]
        names: bool,
    },
    /// Send unsent xAPI statements to a Learning Record Store.
    Push {
        /// The LRS's xAPI endpoint, e.g. http://127.0.0.1:8100/xAPI.
        #[arg(long, env = "CASUS_LRS")]
        lrs: String,
        #[command(flatten)]
        auth: LrsArgs,
        /// Statements per request.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        /// Also send statements the LRS refused too often before.
        #[arg(long)]
        retry_refused: bool,
    },
    /// Write an HTML report for the organisation (from this database or an LRS).
    Report {
        /// Where to write the report.
        #[arg(short, long, default_value = "report.html")]
        output: PathBuf,
        /// Read the statements of a whole organisation from this LRS instead.
        #[arg(long)]
        from_lrs: Option<String>,
        #[command(flatten)]
        auth: LrsArgs,
        /// Show trainees' display names (local database only).
        #[arg(long)]
        names: bool,
    },
    /// Write a record of completion (HTML) for one attempt or all finished cases of a trainee.
    Certificate {
        /// One finished attempt (its id, from `records attempts`).
        #[arg(long, conflicts_with = "trainee", required_unless_present = "trainee")]
        attempt: Option<String>,
        /// Every finished case of this trainee (pseudonymous id), on one page.
        #[arg(long)]
        trainee: Option<String>,
        /// Where to write it (default: certificate-<trainee id>.html).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Show or change the organisation's settings for xAPI and certificates.
    Config {
        /// The organisation's home page (xAPI account actors).
        #[arg(long)]
        home_page: Option<String>,
        /// Base IRI of activity ids and extensions.
        #[arg(long)]
        activity_base: Option<String>,
        /// Training provider named on certificates.
        #[arg(long)]
        provider: Option<String>,
        /// Accreditation number (e.g. SKJ) named on certificates.
        #[arg(long)]
        accreditation: Option<String>,
        /// Put display names in xAPI statements (default false: pseudonymous ids only).
        #[arg(long)]
        names_in_statements: Option<bool>,
    },
    /// Erase a trainee and all their records (GDPR/AVG erasure). Sent xAPI statements get a
    /// voiding statement for the next push. Export them first with `export --trainee ID --names`.
    Erase {
        #[arg(long)]
        trainee: String,
        /// Really erase (without it, only says what would go).
        #[arg(long)]
        yes: bool,
    },
    /// Mark an unfinished attempt as abandoned.
    Abandon {
        /// The attempt's id (from `records attempts`).
        attempt: String,
    },
    /// Check the database's integrity and show the outbox.
    Check,
}
