//! kpsite: a static site generator for people who sell knowledge.
//!
//! The modules read as the pipeline: [`load`] → [`validate`] → [`model`] →
//! [`render`] → [`write`], with [`calendar`] and [`report`] beside it.

pub mod build;
pub mod calendar;
pub mod commands;
pub mod delivery;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod model;
pub mod outputs;
pub mod paths;
pub mod render;
pub mod report;
pub mod secrets;
pub mod serve;
pub mod util;
pub mod validate;
pub mod write;
