//! The commands, thin: each wires the pipeline stages together.

pub mod build;
pub mod check;
pub mod init;
pub mod keys;
pub mod report;
pub mod schema;
pub mod serve;

pub use crate::build::{build_time, print};
