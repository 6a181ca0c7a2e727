//! The authoring format and everything between a RON file and a playable [`Scenario`]:
//! types mirroring the file ([`def`]), the expression language ([`expr`]), loading with limits
//! ([`load`]), semantic checks ([`compile`], [`graph`]) and author-facing diagnostics ([`diag`]).

pub mod compile;
pub mod def;
pub mod diag;
pub mod expr;
pub mod graph;
pub mod load;
pub mod model;
pub mod spans;

pub use diag::{Diagnostic, Severity};
pub use load::{Library, Loaded, load_file, load_paths, load_str};
pub use model::Scenario;
