//! The one pipeline driver: load and validate a site once, render it for
//! an audience into a sink, check its links, scan what would be published
//! and write the report. `build`, `check`, `serve` and `report` all run it.

pub mod scan;

use jiff::Timestamp;

use crate::diagnostics::Diagnostics;

/// The build time: `--now`, else `SOURCE_DATE_EPOCH`, else the clock. It is
/// an input so that builds are reproducible.
pub fn build_time(now: Option<&str>) -> Result<Timestamp, String> {
    if let Some(t) = now {
        return t
            .parse::<Timestamp>()
            .map_err(|e| format!("--now `{t}` is not an RFC 3339 time with offset: {e}"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number"))?;
        return Timestamp::from_second(secs)
            .map_err(|e| format!("SOURCE_DATE_EPOCH `{epoch}`: {e}"));
    }
    Ok(Timestamp::now())
}

/// Prints diagnostics, sorted, on stderr; returns how many were errors.
pub fn print(diags: Diagnostics) -> usize {
    let all = diags.sorted();
    for d in &all {
        eprintln!("{d}");
    }
    all.iter().filter(|d| d.is_error()).count()
}
