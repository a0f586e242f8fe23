//! `kpsite build`: the whole pipeline, run by the driver ([`crate::build`]):
//! load → validate → check and lock the outputs → render into staging,
//! scanning for secret keys → check links → the ROI report into staging →
//! swap everything in.

pub use crate::build::{BuildArgs, Rendered, render_site};

/// Runs a build. Returns the number of errors (0 on success); the previous
/// outputs are left untouched unless the build succeeded.
pub fn run(args: &BuildArgs) -> usize {
    crate::build::run(args)
}
