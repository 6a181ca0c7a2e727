//! The runtime: a deterministic [`Session`] over a checked scenario, built on the shared
//! transition rules in [`state`].

pub mod rng;
pub mod scene;
pub mod session;
pub mod state;

pub use session::{
    Fact, Feedback, LogEntry, Made, Mode, Offer, PlayError, RestoreError, SavedSession, Session,
};
pub use state::State;
