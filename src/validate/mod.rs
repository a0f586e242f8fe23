//! Raw files → the [`Site`] model. Every rule of the spec is checked here
//! and every problem is collected, so one run reports them all.

mod config;
mod content;
mod offers;
pub mod raw;

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::calendar;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::yaml::Spans;
use crate::load::{self, Sources};
use crate::model::{Currency, Money, Site, StaticFile};

pub use config::{normalize_base_url, parse_instant};

/// Choices made on the command line that shape the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep lessons and pages marked `draft: true`.
    pub drafts: bool,
    /// Replaces `base_url` from kpsite.yaml (previews, `serve`).
    pub base_url: Option<String>,
    /// The build time.
    pub now: Timestamp,
}

/// Reads and validates the site at `root`. Returns the site when there is
/// no error; the diagnostics (warnings included) either way.
pub fn load_site(root: &Path, opts: &Options) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let sources = load::read_site(root, &mut diags);
    let site = validate(root, &sources, opts, &mut diags);
    if diags.has_errors() {
        (None, diags)
    } else {
        (site, diags)
    }
}

/// Validates what [`load::read_site`] read.
pub fn validate(
    root: &Path,
    sources: &Sources,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<Site> {
    // A broken kpsite.yaml must not hide the errors of the other files:
    // they are still checked, against neutral settings.
    let config = sources
        .config
        .as_ref()
        .and_then(|c| config::validate(root, c, opts, diags));
    let config_ok = config.is_some();
    let config = config.unwrap_or_else(config::fallback);
    let offers = sources
        .manifest
        .as_ref()
        .map(|m| offers::validate(root, m, &config, opts.now, diags))
        .unwrap_or_default();
    content::report_courses_without_lessons(&offers.course_positions, &sources.lessons, diags);
    // Without a parsed manifest no lessons folder can be matched to a
    // course; the manifest's own error is the one to show.
    let courses = content::attach_lessons(
        offers.courses,
        offers.parsed.then_some(&offers.declared_courses),
        &sources.lessons,
        &sources.modules,
        opts.drafts,
        diags,
    );
    let pages = content::pages(&sources.pages, opts.drafts, diags);
    let events = sources
        .calendar
        .as_ref()
        .map(|f| {
            let (events, found) = calendar::load(&f.path, &f.text, &config.timezone_name);
            diags.extend(found);
            events
        })
        .unwrap_or_default();
    let static_files = sources
        .static_files
        .iter()
        .map(|(output, source)| StaticFile {
            output: output.clone(),
            source: source.clone(),
        })
        .collect();
    config_ok.then(|| Site {
        root: root.to_path_buf(),
        config,
        courses,
        memberships: offers.memberships,
        bundles: offers.bundles,
        pages,
        static_files,
        events,
        now: opts.now,
    })
}

/// Validates one lesson file on its own, exactly as [`validate`] does each
/// of them: `serve` re-validates only the lessons that changed.
pub fn lesson(file: &load::LessonFile, diags: &mut Diagnostics) -> Option<crate::model::Lesson> {
    content::lesson(file, diags).map(|(_, l)| l)
}

/// One YAML file being validated: where errors go and how to locate them.
struct Ctx<'a> {
    file: PathBuf,
    spans: Spans,
    diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// Reports an error at the value found at `path`.
    fn error(&mut self, path: &str, message: impl Into<String>) {
        let position = self.spans.position(path);
        self.diags
            .push(Diagnostic::at(&self.file, position, message));
    }

    /// Reports a warning at the value found at `path`.
    fn warning(&mut self, path: &str, message: impl Into<String>) {
        let position = self.spans.position(path);
        self.diags
            .push(Diagnostic::at(&self.file, position, message).warning());
    }

    /// Reports an error unless `result` is Ok, returning its value.
    fn check<T>(&mut self, path: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.error(path, m)).ok()
    }

    /// The exact source text of the scalar at `path`. Its absence is
    /// reported (a list or map where one value belongs, or YAML the span
    /// map cannot follow), never passed over in silence.
    fn scalar(&mut self, path: &str) -> Option<String> {
        let text = self.spans.scalar(path).map(str::to_string);
        if text.is_none() {
            self.error(
                path,
                "expected a single value here (a number or text), not a list or map",
            );
        }
        text
    }

    /// An amount of money at `path`, parsed from its exact source text.
    fn money(&mut self, path: &str, currency: Currency) -> Option<Money> {
        let text = self.scalar(path)?;
        self.check(path, Money::parse(&text, currency))
    }

    /// A whole, non-negative count at `path` (forecasts).
    fn count(&mut self, path: &str) -> Option<u64> {
        let text = self.scalar(path)?;
        let t = text.trim();
        let ok = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        self.check(
            path,
            t.parse()
                .ok()
                .filter(|_| ok)
                .ok_or(format!("`{t}` must be a whole number, 0 or more")),
        )
    }
}

/// `[a-z0-9-]+`: ids become URL segments and file names.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
