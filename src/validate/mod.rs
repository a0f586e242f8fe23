//! Raw files → the [`Site`] model. Every rule of the spec is checked here
//! and every problem is collected, so one run reports them all.

mod config;
mod content;
pub mod i18n;
mod offers;
pub mod raw;
mod sales;

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::calendar;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::yaml::Spans;
use crate::load::{self, Sources};
use crate::model::{Config, Currency, Language, Money, Site, StaticFile};

pub use config::{flag_blame, normalize_base_url, parse_instant};

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

/// Validates what [`load::read_site`] read: the site in its default
/// language, holding one model per other language (spec §8). Each language
/// reads the same files, so a problem found in several is reported once.
pub fn validate(
    root: &Path,
    sources: &Sources,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<Site> {
    // UI strings over the default theme's: the site theme's, then the
    // site's own (its problems are reported when kpsite.yaml is read).
    let theme_strings = sources
        .config
        .as_ref()
        .and_then(|c| config::custom_theme(root, c))
        .map(|t| load::read_theme(root, &t, &mut Diagnostics::default()).i18n)
        .unwrap_or_default();
    let strings_files: Vec<load::TextFile> = theme_strings
        .into_iter()
        .chain(sources.i18n.iter().cloned())
        .collect();
    let languages = sources
        .config
        .as_ref()
        .map(|c| config::languages(c, &strings_files, diags))
        .unwrap_or_else(|| vec![Language::en()]);
    i18n::check_tags_are_free(sources, &languages[1..], diags);
    let all = Languages {
        list: &languages,
        strings_files: &strings_files,
    };
    let mut site = validate_in(root, sources, opts, all, &languages[0], diags);
    let mut seen: std::collections::BTreeSet<String> = diags
        .clone()
        .into_vec()
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    for lang in &languages[1..] {
        let mut found = Diagnostics::default();
        let other = validate_in(root, sources, opts, all, lang, &mut found);
        for d in found.into_vec() {
            if seen.insert(format!("{d:?}")) {
                diags.push(d);
            }
        }
        if let (Some(site), Some(mut other)) = (site.as_mut(), other) {
            i18n::keep_paid(site, &mut other, diags);
            // Its pages live under `<lang>/`.
            other.config.base_url = format!("{}{}/", other.config.base_url, lang.tag());
            site.translations
                .fallbacks
                .extend(other.translations.fallbacks.iter().cloned());
            site.translations.sites.push(other);
        }
    }
    if let Some(site) = site.as_mut() {
        let names: Vec<String> = std::iter::once(&*site)
            .chain(&site.translations.sites)
            .map(|s| i18n::language_name(s))
            .collect();
        site.translations.names = names.clone();
        for other in &mut site.translations.sites {
            other.translations.names = names.clone();
        }
    }
    site
}

/// The languages of a site and the strings files that may serve them.
#[derive(Clone, Copy)]
struct Languages<'a> {
    /// Every language, the default first.
    list: &'a [Language],
    /// UI strings files: the site theme's, then the site's own.
    strings_files: &'a [load::TextFile],
}

/// Validates the site as read in `lang`.
fn validate_in(
    root: &Path,
    sources: &Sources,
    opts: &Options,
    all: Languages,
    lang: &Language,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let languages = all.list;
    // A broken kpsite.yaml must not hide the errors of the other files:
    // they are still checked, against neutral settings.
    let config = sources
        .config
        .as_ref()
        .and_then(|c| config::validate(root, c, opts, languages, lang, diags));
    let config_ok = config.is_some();
    if let Some(c) = config.as_ref().filter(|c| c.delivery.keys().is_some()) {
        unlock_templates(root, sources, &c.theme, diags);
    }
    let config = config.unwrap_or_else(|| Config {
        // The languages still decide how the other files read.
        languages: languages.to_vec(),
        language: lang.clone(),
        ..config::fallback()
    });
    let offers = sources
        .manifest
        .as_ref()
        .map(|m| offers::validate(root, m, &config, opts.now, diags))
        .unwrap_or_default();
    let files = i18n::Files::new(sources, languages, lang, opts.drafts, diags);
    content::report_courses_without_lessons(&offers.course_positions, &files.lessons, diags);
    let mut found = Diagnostics::default();
    if let (Some(id), Some(file)) = (&config.featured, &sources.config) {
        check_featured(file, id, &offers, diags);
    }
    // Without a parsed manifest no lessons folder can be matched to a
    // course; the manifest's own error is the one to show.
    let mut courses = content::attach_lessons(
        offers.courses,
        offers.parsed.then_some(&offers.declared_courses),
        &files.lessons,
        &files.modules,
        opts.drafts,
        &mut found,
    );
    let mut pages = content::pages(&files.pages, opts.drafts, &mut found);
    files.restore_names(&mut courses, &mut pages);
    diags.extend(files.rename_diagnostics(found));
    let locale = load::yaml::Locale {
        languages,
        current: lang,
    };
    let events = sources
        .calendar
        .as_ref()
        .map(|f| {
            let (events, found) =
                calendar::load_in(&f.path, &f.text, &config.timezone_name, locale);
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
    let lesson_assets = sources
        .lesson_assets
        .iter()
        .map(|(path, source)| crate::model::LessonAsset {
            path: path.clone(),
            source: source.clone(),
        })
        .collect();
    let strings = i18n::site_strings(all.strings_files, lang, diags);
    config_ok.then(|| Site {
        root: root.to_path_buf(),
        config,
        courses,
        memberships: offers.memberships,
        bundles: offers.bundles,
        pages,
        static_files,
        lesson_assets,
        events,
        now: opts.now,
        strings,
        translations: crate::model::Translations {
            sites: Vec::new(),
            fallbacks: files.fallbacks,
            names: Vec::new(),
        },
    })
}

/// What each template must hold for `delivery: encrypted` to open
/// anything: the page frame loads the unlock script, lesson and event
/// pages embed their sealed parts (see the default theme's templates).
const UNLOCK_NEEDS: &[(&str, &str, &str)] = &[
    (
        "base.html",
        "unlock.js",
        "never loads the unlock script: with `delivery: encrypted`, buyers' unlock links would open nothing; copy the two `unlock` lines at the end of the default theme's base.html",
    ),
    (
        "lesson.html",
        "sealed",
        "never embeds the sealed body (`sealed`): with `delivery: encrypted`, paid lessons would never open; copy the `sealed` line of the default theme's lesson.html",
    ),
    (
        "event.html",
        "sealed",
        "never embeds the sealed members' details (`sealed`): with `delivery: encrypted`, members would never see them; copy the `sealed` line of the default theme's event.html",
    ),
];

/// Warns about a custom template (in templates/ or the site's theme) that
/// lacks what [`UNLOCK_NEEDS`] names, unless another custom template it
/// may include holds it.
fn unlock_templates(root: &Path, sources: &Sources, theme: &str, diags: &mut Diagnostics) {
    let mut custom: Vec<(String, String, PathBuf)> = Vec::new();
    if theme != "default" {
        let mut ignored = Diagnostics::default();
        custom.extend(load::read_theme(root, theme, &mut ignored).templates);
    }
    for (name, text) in &sources.templates {
        custom.retain(|(n, _, _)| n != name);
        custom.push((
            name.clone(),
            text.clone(),
            Path::new("templates").join(name),
        ));
    }
    for (name, needle, problem) in UNLOCK_NEEDS {
        let Some((_, text, path)) = custom.iter().find(|(n, _, _)| n == name) else {
            continue;
        };
        let elsewhere = text.contains("include")
            && custom
                .iter()
                .any(|(n, t, _)| n != name && t.contains(needle));
        if !text.contains(needle) && !elsewhere {
            diags.push(Diagnostic::file(path, format!("this {name} {problem}")).warning());
        }
    }
}

/// `featured:` in kpsite.yaml names an offer of the manifest.
fn check_featured(
    file: &load::TextFile,
    id: &str,
    offers: &offers::Offers,
    diags: &mut Diagnostics,
) {
    let known = offers.declared_courses.contains(id)
        || offers.memberships.iter().any(|m| m.offer.id == id)
        || offers.bundles.iter().any(|b| b.offer.id == id);
    if known || !offers.parsed {
        return;
    }
    let position = crate::load::yaml::spans(&file.path, &file.text)
        .ok()
        .and_then(|s| s.position("featured"));
    diags.push(Diagnostic::at(
        &file.path,
        position,
        format!("featured names `{id}`, which is no course, membership or bundle of manifest.yaml"),
    ));
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
