//! The authoring format and everything between a RON file and a playable [`Scenario`]:
//! types mirroring the file ([`def`]), the expression language ([`expr`]), loading with limits
//! ([`load`], [`library`]), translations ([`translate`]), semantic checks ([`compile`], [`graph`]) and author-facing diagnostics ([`diag`]).

mod checks;
pub mod compile;
pub mod def;
pub mod diag;
pub mod expr;
pub mod graph;
pub mod library;
pub mod load;
pub mod model;
pub mod spans;
mod stage;
pub mod translate;

pub use diag::{Diagnostic, Severity};
pub use library::{Library, load_paths};
pub use load::{Loaded, load_file, load_str};
pub use model::Scenario;
