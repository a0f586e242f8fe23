//! Markdown to HTML for lessons and pages (spec §2.3).
//!
//! This commit adds the building blocks; `render` comes next.

mod anchors;
mod highlight;
mod math;
mod reading_time;

use std::panic::{AssertUnwindSafe, catch_unwind};

pub use anchors::slugify;
pub use highlight::highlight_css;
pub use reading_time::reading_minutes;

/// Escapes text for use in HTML content and double-quoted attributes.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Runs third-party rendering code (highlighter, LaTeX) so that a bug in it
/// degrades one block to plain text instead of aborting the whole build.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}
