//! `kpsite serve`: preview with live reload; the work is in [`crate::serve`].

pub use crate::serve::ServeArgs;

/// Serves until Ctrl-C. Returns 0, or 1 when serving could not start.
pub fn run(args: &ServeArgs) -> usize {
    match crate::serve::run(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
