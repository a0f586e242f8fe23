//! The languages of a site's content (spec §8): which lesson and page
//! files a language reads (`NN-slug.<lang>.md` beside the default file, else
//! the default file, marked as a fallback), and the UI strings of the
//! site's theme and of the site itself (`i18n/<lang>.yaml`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{LessonFile, Sources, TextFile};
use crate::model::{Course, Language, Page};

/// Whether `text`'s front matter says `draft: true`. A file whose front
/// matter does not parse is not a draft here; validation reports it.
fn is_draft(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Flag {
        #[serde(default)]
        draft: bool,
    }
    crate::load::frontmatter::split(Path::new(""), text)
        .ok()
        .and_then(|s| serde_yaml::from_str::<Flag>(s.yaml).ok())
        .is_some_and(|f| f.draft)
}

/// The lesson and page files of one language.
pub(super) struct Files {
    /// Lessons: a translation is read under its default file's path, so it
    /// takes the default's slug and place (see [`Files::restore_names`]).
    pub lessons: Vec<LessonFile>,
    /// Pages, likewise.
    pub pages: Vec<TextFile>,
    /// `_module.md` files (module titles), likewise.
    pub modules: Vec<LessonFile>,
    /// Default path → translation path, for the files read from a translation.
    renames: BTreeMap<PathBuf, PathBuf>,
    /// (language, default file) shown untranslated.
    pub fallbacks: BTreeSet<(Language, PathBuf)>,
    /// Whether drafts are built: a draft translation is otherwise no
    /// translation (the default text stands in), and a draft default file
    /// keeps its page out of every language.
    drafts: bool,
}

impl Files {
    /// The files `lang` reads. Translations whose default file is missing
    /// are reported (once, by the default language's reading).
    pub fn new(
        sources: &Sources,
        languages: &[Language],
        lang: &Language,
        drafts: bool,
        diags: &mut Diagnostics,
    ) -> Files {
        let is_default = lang == &languages[0];
        let others = &languages[1..];
        let mut out = Files {
            lessons: Vec::new(),
            pages: Vec::new(),
            modules: Vec::new(),
            renames: BTreeMap::new(),
            fallbacks: BTreeSet::new(),
            drafts,
        };
        let lesson_paths: BTreeSet<&Path> = sources
            .lessons
            .iter()
            .map(|l| l.file.path.as_path())
            .collect();
        let by_path: BTreeMap<&Path, &LessonFile> = sources
            .lessons
            .iter()
            .map(|l| (l.file.path.as_path(), l))
            .collect();
        for l in &sources.lessons {
            if is_foreign(&l.file.path, languages, is_default, diags) {
                continue;
            }
            match translation_of(&l.file.path, others) {
                Some((_, default)) => {
                    if is_default && !lesson_paths.contains(default.as_path()) {
                        orphan(&l.file.path, &default, diags);
                    }
                }
                None => {
                    let file = out.pick(&l.file, lang, is_default, |p| {
                        by_path.get(p).map(|t| &t.file)
                    });
                    out.lessons.push(LessonFile {
                        course: l.course.clone(),
                        module: l.module.clone(),
                        file,
                    });
                }
            }
        }
        out.modules = out.pick_lessons(&sources.modules, languages, lang, diags);
        let page_paths: BTreeMap<&Path, &TextFile> = sources
            .pages
            .iter()
            .map(|p| (p.path.as_path(), p))
            .collect();
        for p in &sources.pages {
            if is_foreign(&p.path, languages, is_default, diags) {
                continue;
            }
            match translation_of(&p.path, others) {
                Some((_, default)) => {
                    if is_default && !page_paths.contains_key(default.as_path()) {
                        orphan(&p.path, &default, diags);
                    }
                }
                None => {
                    let file = out.pick(p, lang, is_default, |q| page_paths.get(q).copied());
                    out.pages.push(file);
                }
            }
        }
        out
    }

    /// The module files (`_module.md`, `_module.<lang>.md`) `lang` reads:
    /// like lessons, a translation beside its default file, else the default
    /// noted as a fallback. One for a language not of the site is ignored,
    /// with a warning, rather than taken for the default.
    fn pick_lessons(
        &mut self,
        files: &[LessonFile],
        languages: &[Language],
        lang: &Language,
        diags: &mut Diagnostics,
    ) -> Vec<LessonFile> {
        let is_default = lang == &languages[0];
        let by_path: BTreeMap<&Path, &LessonFile> =
            files.iter().map(|l| (l.file.path.as_path(), l)).collect();
        let mut out = Vec::new();
        for l in files {
            if let Some((_, default)) = translation_of(&l.file.path, &languages[1..]) {
                if is_default && !by_path.contains_key(default.as_path()) {
                    orphan(&l.file.path, &default, diags);
                }
                continue;
            }
            let name = l.file.path.file_name().and_then(|n| n.to_str());
            if name != Some(crate::load::MODULE_FILE) {
                if is_default {
                    let known: Vec<&str> = languages[1..].iter().map(Language::tag).collect();
                    diags.push(
                        Diagnostic::file(
                            &l.file.path,
                            format!(
                                "not read: a module's translation is `_module.<language>.md` with a language of \
                                 `languages` other than the first ({}); rename or remove it",
                                if known.is_empty() { "none".to_string() } else { known.join(", ") }
                            ),
                        )
                        .warning(),
                    );
                }
                continue;
            }
            let file = self.pick(&l.file, lang, is_default, |p| {
                by_path.get(p).map(|t| &t.file)
            });
            out.push(LessonFile {
                course: l.course.clone(),
                module: l.module.clone(),
                file,
            });
        }
        out
    }

    /// The file `lang` reads for the default file `f`: its translation
    /// (under `f`'s path) or `f` itself, noted as a fallback.
    fn pick<'s>(
        &mut self,
        f: &TextFile,
        lang: &Language,
        is_default: bool,
        find: impl Fn(&Path) -> Option<&'s TextFile>,
    ) -> TextFile {
        if is_default || (!self.drafts && is_draft(&f.text)) {
            return f.clone();
        }
        let translated = translated_path(&f.path, lang);
        match find(&translated).filter(|t| self.drafts || !is_draft(&t.text)) {
            Some(t) => {
                self.renames.insert(f.path.clone(), translated);
                TextFile {
                    path: f.path.clone(),
                    text: t.text.clone(),
                }
            }
            None => {
                self.fallbacks.insert((lang.clone(), f.path.clone()));
                f.clone()
            }
        }
    }

    /// Gives the lessons and pages read from a translation their own
    /// source file back, so links and later messages name the language file.
    pub fn restore_names(&self, courses: &mut [Course], pages: &mut [Page]) {
        let sources = courses
            .iter_mut()
            .flat_map(|c| c.lessons.iter_mut().map(|l| &mut l.source))
            .chain(pages.iter_mut().map(|p| &mut p.source));
        for source in sources {
            if let Some(t) = self.renames.get(source) {
                *source = t.clone();
            }
        }
    }

    /// Points the diagnostics about a translation at the translation file.
    pub fn rename_diagnostics(&self, found: Diagnostics) -> Vec<Diagnostic> {
        let mut out = found.into_vec();
        for d in &mut out {
            if let Some(t) = self.renames.get(&d.file) {
                d.file = t.clone();
            }
        }
        out
    }
}

/// `01-intro.en.md` → (en, `01-intro.md`) when `en` is one of `others`.
pub fn translation_of(path: &Path, others: &[Language]) -> Option<(Language, PathBuf)> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let (base, tag) = stem.rsplit_once('.')?;
    let lang = others.iter().find(|l| l.tag() == tag)?;
    Some((lang.clone(), path.with_file_name(format!("{base}.md"))))
}

/// Whether `path` is a translation into a language the site does not have
/// (`01-intro.fr.md` in a `[zh-CN, en]` site, or into its default
/// language): it is not published, and the default language's reading
/// says so, rather than taking it for a lesson with a dotted slug.
fn is_foreign(path: &Path, languages: &[Language], report: bool, diags: &mut Diagnostics) -> bool {
    let Some(tag) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".md"))
        .and_then(|stem| stem.rsplit_once('.'))
        .map(|(_, tag)| tag)
    else {
        return false;
    };
    // A site in one language reads as it always did (a dotted slug is an error).
    if languages.len() < 2
        || Language::parse(tag).is_err()
        || languages[1..].iter().any(|l| l.tag() == tag)
    {
        return false;
    }
    if report {
        let list: Vec<&str> = languages.iter().map(Language::tag).collect();
        diags.push(
            Diagnostic::file(
                path,
                format!(
                    "a translation into `{tag}`, which is not one of `languages` ({}) after the first: \
                     it is not published; add `{tag}` to `languages` or rename the file",
                    list.join(", ")
                ),
            )
            .warning(),
        );
    }
    true
}

/// `01-intro.md` → `01-intro.<lang>.md`.
pub fn translated_path(path: &Path, lang: &Language) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.strip_suffix(".md").unwrap_or(name);
    path.with_file_name(format!("{stem}.{}.md", lang.tag()))
}

fn orphan(path: &Path, default: &Path, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::file(
            path,
            format!(
                "a translation of {}, which does not exist: it is not published; \
                 write the default language's file first",
                default.display()
            ),
        )
        .warning(),
    );
}

/// The UI strings of `lang` that replace the default theme's: those of
/// each `…/i18n/<lang>.yaml` among `files` (the site theme's, then the
/// site's own), a later file's string over an earlier one's, one string at
/// a time. Plural forms the language never shows are warned about.
pub(super) fn site_strings(
    files: &[TextFile],
    lang: &Language,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    use crate::render::theme::{overlay, plural_problems};
    let name = PathBuf::from("i18n").join(format!("{}.yaml", lang.tag()));
    // A language with no strings at all is reported by `config::languages`.
    let mut out = BTreeMap::new();
    for file in files.iter().filter(|f| f.path.ends_with(&name)) {
        if file.text.len() > MAX_STRINGS_BYTES {
            diags.push(Diagnostic::file(
                &file.path,
                format!(
                    "{} KB of UI strings: a strings file may hold at most {} KB \
                     (the default theme's is under 10 KB); keep only the strings of the theme",
                    file.text.len() / 1024,
                    MAX_STRINGS_BYTES / 1024
                ),
            ));
            continue;
        }
        let spans = crate::load::yaml::spans(&file.path, &file.text).ok();
        let position = |key: &str| spans.as_ref().and_then(|s| s.position(key));
        let problems = plural_problems(&file.text, lang);
        let more = problems.len().saturating_sub(MAX_WARNINGS);
        for (key, message) in problems.into_iter().take(MAX_WARNINGS) {
            diags.push(Diagnostic::at(&file.path, position(&key), message).warning());
        }
        if more > 0 {
            let message = format!("{more} more plural forms like these are never shown");
            diags.push(Diagnostic::file(&file.path, message).warning());
        }
        overlay(&mut out, &strings_file(file, diags));
    }
    out
}

/// The largest strings file read: every page carries the strings, so a
/// huge file would slow every build down for nothing.
const MAX_STRINGS_BYTES: usize = 256 * 1024;

/// Warnings shown about one strings file's plural forms, at most.
const MAX_WARNINGS: usize = 20;

/// The strings of one strings file, or none with an error at its position.
fn strings_file(file: &TextFile, diags: &mut Diagnostics) -> BTreeMap<String, String> {
    use crate::render::theme::{StringsError, parse_strings};
    match parse_strings(&file.text) {
        Ok(s) => s,
        Err(e) => {
            let position = match &e {
                StringsError::Yaml(y) => y.location().map(|l| (l.line(), l.column())),
                StringsError::Value(key) => crate::load::yaml::spans(&file.path, &file.text)
                    .ok()
                    .and_then(|s| s.position(key)),
            };
            let mut message = e.to_string();
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            diags.push(Diagnostic::at(&file.path, position, message));
            BTreeMap::new()
        }
    }
}

/// The language's own name for the language switch: `language_name` of the
/// site's strings, else of the theme's, else its tag.
pub(super) fn language_name(site: &crate::model::Site) -> String {
    let tag = site.config.language.tag();
    site.strings
        .get("language_name")
        .cloned()
        .or_else(|| {
            let (_, text) = crate::render::theme::STRINGS
                .iter()
                .find(|(t, _)| *t == tag)?;
            crate::render::theme::parse_strings(text)
                .ok()?
                .remove("language_name")
        })
        .unwrap_or_else(|| tag.to_string())
}

/// A translation never changes what is paid: each lesson of `other` is
/// free exactly when the default language's lesson is, and a translation
/// that says otherwise is told so.
pub(super) fn keep_paid(
    site: &crate::model::Site,
    other: &mut crate::model::Site,
    diags: &mut Diagnostics,
) {
    for course in &mut other.courses {
        let Some(default) = site.courses.iter().find(|c| c.offer.id == course.offer.id) else {
            continue;
        };
        for lesson in &mut course.lessons {
            let Some(d) = default.lessons.iter().find(|d| d.slug == lesson.slug) else {
                continue;
            };
            if lesson.free != d.free {
                diags.push(
                    Diagnostic::file(
                        &lesson.source,
                        format!(
                            "`free: {}` differs from {}, which decides: a translation cannot make a lesson free or paid",
                            lesson.free,
                            d.source.display()
                        ),
                    )
                    .warning(),
                );
                lesson.free = d.free;
            }
        }
    }
}

/// One warning per lesson or page that a language shows untranslated, for
/// `kpsite check`.
pub fn missing_translations(site: &crate::model::Site) -> Vec<Diagnostic> {
    let default = site.config.default_language();
    site.translations
        .fallbacks
        .iter()
        .map(|(lang, source)| {
            Diagnostic::file(
                source,
                format!(
                    "no {lang} translation: the {lang} site shows this {default} text with a note; \
                     write {} to translate it",
                    translated_path(source, lang).display()
                ),
            )
            .warning()
        })
        .collect()
}

/// The folder of each other language (`en/`) must not be a page's or a
/// static file's: one would silently replace the other in the output.
pub(super) fn check_tags_are_free(sources: &Sources, others: &[Language], diags: &mut Diagnostics) {
    for lang in others {
        let tag = lang.tag();
        let clash = |name: &str| name.eq_ignore_ascii_case(tag);
        for p in &sources.pages {
            let stem = p.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if clash(stem) {
                diags.push(Diagnostic::file(
                    &p.path,
                    format!(
                        "this page's URL /{stem}/ is where the `{tag}` site lives; rename the page"
                    ),
                ));
            }
        }
        for (output, _) in &sources.static_files {
            let top = output.split('/').next().unwrap_or("");
            if clash(top) {
                diags.push(Diagnostic::file(
                    Path::new("static").join(top),
                    format!(
                        "static/{top} would be published where the `{tag}` site lives; rename it"
                    ),
                ));
            }
        }
    }
}
