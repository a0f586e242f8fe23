//! Lessons and pages: front matter, slugs, order, drafts.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::raw;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{LessonFile, TextFile, frontmatter};
use crate::markdown;
use crate::model::{Course, Lesson, Menu, Module, Page, Video};

/// Where a lesson goes in its course: lessons and module folders by their
/// numbers (then names), and inside a module its lessons by theirs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    /// Number and name of the top-level entry: the lesson file, or its module folder.
    top: (u64, String),
    /// Number and file name inside the module; `None` for a top-level lesson.
    inner: Option<(u64, String)>,
}

impl Place {
    /// The number that orders the lesson among its siblings, with the
    /// module that holds them (for the duplicate-number warning).
    fn sibling_number(&self) -> (Option<&str>, u64) {
        match &self.inner {
            Some((n, _)) => (Some(self.top.1.as_str()), *n),
            None => (None, self.top.0),
        }
    }
}

/// Puts each lesson under its course, in numeric-prefix order (module
/// folders included, see [`Place`]). A lessons folder that names no course
/// is an error, unless `declared` is None (the manifest did not parse, so
/// no course is known). `module_files` are the `_module.md` files.
pub(super) fn attach_lessons(
    mut courses: Vec<Course>,
    declared: Option<&std::collections::BTreeSet<String>>,
    files: &[LessonFile],
    module_files: &[LessonFile],
    drafts: bool,
    diags: &mut Diagnostics,
) -> Vec<Course> {
    let titles = module_titles(module_files, diags);
    // Front matter and reading time of every lesson, in parallel; the
    // results and their diagnostics are then taken in file order.
    let parsed: Vec<(Option<(Place, Lesson)>, Diagnostics)> = files
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let l = declared
                .is_some_and(|d| d.contains(&f.course))
                .then(|| lesson(f, &mut d))
                .flatten();
            (l, d)
        })
        .collect();
    let mut by_course: BTreeMap<&str, Vec<(Place, Lesson)>> = BTreeMap::new();
    for (f, (parsed, d)) in files.iter().zip(parsed) {
        let Some(declared) = declared else { continue };
        if !declared.contains(&f.course) {
            let hint = crate::diagnostics::id_hint(
                &f.course,
                "course",
                declared.iter().map(String::as_str),
            );
            let msg = format!(
                "lessons folder `{}` names no course in manifest.yaml{hint}: rename the folder to its course's id, or add a course with `id: {}`",
                f.course, f.course
            );
            diags.push(Diagnostic::file(
                f.file.path.parent().unwrap_or(&f.file.path),
                msg,
            ));
            continue;
        }
        diags.extend(d.into_vec());
        if let Some((order, lesson)) = parsed
            && (drafts || !lesson.draft)
        {
            by_course
                .entry(f.course.as_str())
                .or_default()
                .push((order, lesson));
        }
    }
    for course in &mut courses {
        let mut lessons = by_course
            .remove(course.offer.id.as_str())
            .unwrap_or_default();
        lessons.sort_by(|a, b| a.0.cmp(&b.0));
        report_duplicate_slugs(&lessons, diags);
        report_duplicate_numbers(&lessons, diags);
        course.lessons = lessons.into_iter().map(|(_, l)| l).collect();
        course.modules = modules_of(&course.offer.id, &course.lessons, &titles);
    }
    courses
}

/// The modules of a course's (ordered) lessons, in their order, titled
/// from `_module.md` or from the folder name.
fn modules_of(
    course: &str,
    lessons: &[Lesson],
    titles: &BTreeMap<(String, String), String>,
) -> Vec<Module> {
    let mut modules: Vec<Module> = Vec::new();
    for folder in lessons.iter().filter_map(|l| l.module.as_deref()) {
        if modules.last().is_some_and(|m| m.folder == folder) {
            continue;
        }
        let title = titles
            .get(&(course.to_string(), folder.to_string()))
            .cloned()
            .unwrap_or_else(|| title_from_folder(folder));
        modules.push(Module {
            folder: folder.to_string(),
            title,
        });
    }
    modules
}

/// `02-getting-started` → `Getting started`: the title of a module
/// without `_module.md`.
fn title_from_folder(folder: &str) -> String {
    let (_, slug) = slug_of(folder);
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => folder.to_string(),
    }
}

/// The titles of `_module.md` files by (course, module folder).
fn module_titles(
    files: &[LessonFile],
    diags: &mut Diagnostics,
) -> BTreeMap<(String, String), String> {
    let mut titles = BTreeMap::new();
    for f in files {
        let path = &f.file.path;
        let Ok(split) = frontmatter::split(path, &f.file.text).map_err(|d| diags.push(d)) else {
            continue;
        };
        let Ok(fm) =
            frontmatter::parse::<raw::ModuleMatter>(path, &split).map_err(|d| diags.push(d))
        else {
            continue;
        };
        if !split.body.trim().is_empty() {
            let message = "the text below the front matter of `_module.md` is not shown anywhere; only its `title` is read";
            diags.push(Diagnostic::at(path, Some((split.body_line, 1)), message).warning());
        }
        let title = fm.value.title.trim().to_string();
        if title.is_empty() {
            diags.push(Diagnostic::at(
                path,
                Some((2, 1)),
                "the module `title` is empty; write the module's name",
            ));
            continue;
        }
        if let Some(module) = &f.module {
            titles.insert((f.course.clone(), module.clone()), title);
        }
    }
    titles
}

pub(super) fn lesson(f: &LessonFile, diags: &mut Diagnostics) -> Option<(Place, Lesson)> {
    let path = &f.file.path;
    let split = frontmatter::split(path, &f.file.text)
        .map_err(|d| diags.push(d))
        .ok()?;
    let parsed = frontmatter::parse::<raw::LessonMatter>(path, &split)
        .map_err(|d| diags.push(d))
        .ok()?;
    let fm = parsed.value;
    let file_name = path.file_name()?.to_string_lossy().to_string();
    let (order, slug) = slug_of(&file_name);
    if let Err(m) = check_slug(&slug) {
        diags.push(Diagnostic::file(path, m));
        return None;
    }
    let video = match fm.video.as_deref().map(Video::parse) {
        Some(Err(m)) => {
            // Spans count from the YAML's first line, the file's second.
            let at = parsed.spans.position("video").map(|(l, c)| (l + 1, c));
            diags.push(Diagnostic::at(path, at, m));
            return None;
        }
        Some(Ok(v)) => Some(v),
        None => None,
    };
    if fm.video_minutes.is_some() && video.is_none() {
        let at = parsed
            .spans
            .key_position("", "video_minutes")
            .map(|(l, c)| (l + 1, c));
        let message = "`video_minutes` is set but the lesson has no `video`; add the video link or remove `video_minutes`";
        diags.push(Diagnostic::at(path, at, message).warning());
    }
    let place = match &f.module {
        Some(module) => Place {
            top: (slug_of(module).0, module.clone()),
            inner: Some((order, file_name.clone())),
        },
        None => Place {
            top: (order, file_name.clone()),
            inner: None,
        },
    };
    let lesson = Lesson {
        course: f.course.clone(),
        slug,
        file_name,
        source: path.clone(),
        body_line: split.body_line,
        minutes: fm
            .minutes
            .unwrap_or_else(|| markdown::reading_minutes(split.body))
            .max(1),
        video,
        video_minutes: fm.video_minutes.unwrap_or(0),
        module: f.module.clone(),
        title: fm.title,
        summary: fm.summary,
        free: fm.free,
        draft: fm.draft,
        body: split.body.to_string(),
    };
    Some((place, lesson))
}

fn report_duplicate_slugs(lessons: &[(Place, Lesson)], diags: &mut Diagnostics) {
    // A map, not a scan of the lessons before each: a course may hold
    // tens of thousands of lessons.
    let mut by_slug: BTreeMap<&str, Vec<&Lesson>> = BTreeMap::new();
    for (_, l) in lessons {
        by_slug.entry(l.slug.as_str()).or_default().push(l);
    }
    // Every file of a clash gets the error: either may be the one to rename.
    for same in by_slug.values().filter(|v| v.len() > 1) {
        for l in same {
            let others: Vec<String> = same
                .iter()
                .filter(|o| o.source != l.source)
                .map(|o| o.source.display().to_string())
                .collect();
            let msg = format!(
                "lesson slug `{}` is also used by {}: both would be courses/{}/{}/; rename one of the files",
                l.slug,
                others.join(", "),
                l.course,
                l.slug
            );
            diags.push(Diagnostic::file(&l.source, msg));
        }
    }
}

/// Two lessons with one number (`03-a.md`, `03-b.md`): their order then
/// rests on the file names, which is rarely what the author meant.
/// `lessons` is sorted by number.
fn report_duplicate_numbers(lessons: &[(Place, Lesson)], diags: &mut Diagnostics) {
    for pair in lessons.windows(2) {
        let ((a, first), (b, second)) = (&pair[0], &pair[1]);
        let ((ma, n), (mb, m)) = (a.sibling_number(), b.sibling_number());
        if ma == mb && n == m && n != u64::MAX {
            let msg = format!(
                "lesson number {n} is also used by {}; give each lesson its own number so the order is yours",
                first.source.display()
            );
            diags.push(Diagnostic::file(&second.source, msg).warning());
        }
    }
}

/// Warns about each course of the manifest with no lessons folder (or an
/// empty one): its sales page would list nothing.
pub(super) fn report_courses_without_lessons(
    positions: &std::collections::BTreeMap<String, (usize, usize)>,
    files: &[LessonFile],
    diags: &mut Diagnostics,
) {
    let with_lessons: std::collections::BTreeSet<&str> =
        files.iter().map(|f| f.course.as_str()).collect();
    for (id, pos) in positions {
        if !with_lessons.contains(id.as_str()) {
            let msg = format!(
                "course `{id}` has no lessons: create the folder lessons/{id}/ with lessons such as 01-welcome.md"
            );
            diags.push(Diagnostic::at("manifest.yaml", Some(*pos), msg).warning());
        }
    }
}

/// `03-ownership.md` → (3, `ownership`). Files without a numeric prefix
/// sort after numbered ones.
pub fn slug_of(file_name: &str) -> (u64, String) {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let rest = stem[digits.len()..].trim_start_matches(['-', '_', '.']);
    match digits.parse::<u64>() {
        Ok(n) if !rest.is_empty() => (n, rest.to_string()),
        Ok(n) => (n, digits),
        Err(_) => (u64::MAX, stem.to_string()),
    }
}

/// Slugs become URL path segments: letters (any script), digits, `-`, `_`.
fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "file name gives slug `{slug}`; use letters, digits and - only"
        ))
    }
}

/// Pages from `pages/`, sorted by slug.
pub(super) fn pages(files: &[TextFile], drafts: bool, diags: &mut Diagnostics) -> Vec<Page> {
    let mut out = Vec::new();
    for f in files {
        let Some(page) = page(f, diags) else { continue };
        if drafts || !page.draft {
            out.push(page);
        }
    }
    out
}

fn page(f: &TextFile, diags: &mut Diagnostics) -> Option<Page> {
    let split = frontmatter::split(&f.path, &f.text)
        .map_err(|d| diags.push(d))
        .ok()?;
    let fm: raw::PageMatter = frontmatter::parse(&f.path, &split)
        .map_err(|d| diags.push(d))
        .ok()?
        .value;
    let slug = f.path.file_stem()?.to_string_lossy().to_string();
    if let Err(m) = check_slug(&slug) {
        diags.push(Diagnostic::file(&f.path, m));
        return None;
    }
    if crate::paths::RESERVED.contains(&slug.as_str()) || slug == "index" || slug == "404" {
        diags.push(Diagnostic::file(
            &f.path,
            format!("page slug `{slug}` is reserved for kpsite's own pages; rename the file"),
        ));
        return None;
    }
    Some(Page {
        slug,
        source: f.path.clone(),
        body_line: split.body_line,
        title: fm.title,
        description: fm.description,
        body: split.body.to_string(),
        draft: fm.draft,
        menu: match fm.menu {
            None | Some(raw::Menu::Main) => Menu::Main,
            Some(raw::Menu::Footer) => Menu::Footer,
            Some(raw::Menu::None) => Menu::None,
        },
        weight: fm.weight.unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_prefix_orders_and_is_dropped() {
        assert_eq!(slug_of("01-intro.md"), (1, "intro".into()));
        assert_eq!(
            slug_of("10_advanced-topics.md"),
            (10, "advanced-topics".into())
        );
        assert_eq!(slug_of("07.md"), (7, "07".into()));
        assert_eq!(slug_of("appendix.md"), (u64::MAX, "appendix".into()));
        assert_eq!(slug_of("02-所有权.md"), (2, "所有权".into()));
    }

    proptest::proptest! {
        #[test]
        fn prefix_orders_and_is_dropped(n in 0u64..1_000_000, rest in "[a-z][a-z0-9-]{0,20}") {
            assert_eq!(slug_of(&format!("{n:02}-{rest}.md")), (n, rest.clone()));
            assert_eq!(slug_of(&format!("{n}_{rest}.md")), (n, rest));
        }

        #[test]
        fn files_without_prefix_sort_last(stem in "[a-z][a-z0-9-]{0,20}") {
            assert_eq!(slug_of(&format!("{stem}.md")), (u64::MAX, stem));
        }

        #[test]
        fn any_name_gives_a_slug_or_a_clear_error(name in "\\PC{0,30}") {
            let (_, slug) = slug_of(&name);
            if check_slug(&slug).is_ok() {
                assert!(!slug.is_empty());
                assert!(!slug.contains(['/', '.', ' ']), "{slug}");
            }
        }
    }
}
