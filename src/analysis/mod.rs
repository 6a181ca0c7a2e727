//! What a scenario really allows and scores, found by exploring every run before anyone plays it.
//!
//! [`explore`] folds all runs into a graph of distinct states and derives reachability with
//! witness runs, per-goal score ranges and stuck states. The checker uses it for its
//! reachability findings and the scorer for the ranges it scales against. [`report`] turns it
//! into what `casus analyse` shows; [`simulate`] plays many runs with a policy (`casus simulate`);
//! [`drawing`] and [`svg`] draw the graph (`casus graph`); [`verdict`] judges every run and the
//! expert's line with the scorer's own pass rules.

pub mod drawing;
pub mod explore;
pub mod report;
pub mod simulate;
pub mod svg;
pub mod synth;
pub mod verdict;

pub use explore::{Exploration, Limits, Step, explore};
pub use report::{Report, analyse};
pub use simulate::{Policy, Simulation, simulate};
