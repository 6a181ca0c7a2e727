//! The authoring format and everything between a RON file and a playable [`Scenario`]:
//! types mirroring the file ([`def`]), the expression language ([`expr`]), loading with limits
//! ([`load`], [`library`]), translations ([`translate`]), semantic checks ([`compile`], [`graph`]) and author-facing diagnostics ([`diag`]).

pub mod cache;
mod checks;
pub mod compile;
pub mod def;
pub mod diag;
pub mod expr;
pub mod graph;
pub mod library;
pub mod load;
pub mod model;
pub mod sources;
pub mod spans;
mod stage;
pub mod translate;

/// The version of the scenario format this build reads (docs/scenario-format.md): 1.1 added
/// ending parts, 1.2 places, the people present and the age and kind of a character.
#[macro_export]
macro_rules! scenario_format {
    () => {
        "1.2"
    };
}

/// See [`scenario_format!`].
pub const FORMAT_VERSION: &str = scenario_format!();

pub use diag::{Diagnostic, Severity};
pub use library::{Library, load_paths};
pub use load::{Loaded, load_file, load_str};
pub use model::Scenario;
