//! Rebuilding only what a change needs. A lesson edit reloads and
//! validates the site (cheap) and re-renders the pages that show that
//! lesson; anything else — settings, manifest, calendar, pages, templates,
//! a lesson added, removed or renamed — renders everything. Changes made
//! while the site is broken are kept until a build succeeds, so the fix
//! renders all of them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::watch::{Change, classify};
use crate::diagnostics::Diagnostics;
use crate::load;
use crate::model::{Audience, Site};
use crate::render::{self, Content};
use crate::validate::{self, Options};

/// What serve holds: output path → content, shared between builds so an
/// incremental rebuild copies pointers, not pages.
pub type Files = BTreeMap<String, Arc<Content>>;

/// The result of handling a batch of changes.
pub enum Outcome {
    /// The site was rebuilt: `rendered` pages of `files` are new.
    Built {
        /// The new site.
        files: Arc<Files>,
        /// How many pages were rendered.
        rendered: usize,
        /// Warnings to print.
        warnings: Diagnostics,
    },
    /// Only a static file changed: nothing to build, tabs should reload.
    StaticOnly,
    /// The site has errors; the last good one stays.
    Failed(Diagnostics),
}

struct Good {
    site: Site,
    /// The site's template overrides, as read.
    templates: BTreeMap<String, String>,
    files: Arc<Files>,
    /// Sources of copied files, so editing one needs no rebuild.
    copies: HashSet<PathBuf>,
}

/// Rebuilds the public site of one folder for serve.
pub struct Builder {
    root: PathBuf,
    options: Options,
    good: Option<Good>,
    /// Changes not yet in a good build.
    pending_full: bool,
    pending_lessons: BTreeSet<PathBuf>,
    /// Who the preview is for: members see every paid lesson in full.
    audience: Audience,
}

impl Builder {
    /// A builder for the site at `root` (canonical).
    pub fn new(root: PathBuf, options: Options) -> Builder {
        Builder {
            root,
            options,
            good: None,
            pending_full: true,
            pending_lessons: BTreeSet::new(),
            audience: Audience::Public,
        }
    }

    /// Previews the members' site: every paid lesson in full.
    pub fn members(mut self) -> Builder {
        self.audience = Audience::Members;
        self
    }

    /// Builds the whole site.
    pub fn build_all(&mut self) -> Outcome {
        self.pending_full = true;
        self.run()
    }

    /// Handles changed paths (absolute); `None` when none of them matters.
    pub fn changed(&mut self, paths: &[PathBuf]) -> Option<Outcome> {
        let mut static_edit = false;
        let mut any = false;
        for abs in paths {
            let Ok(rel) = abs.strip_prefix(&self.root) else {
                continue;
            };
            match classify(rel) {
                Change::Ignore => {}
                Change::Lesson => {
                    self.pending_lessons.insert(rel.to_path_buf());
                    any = true;
                }
                Change::Static if self.is_copied(abs) && abs.is_file() => static_edit = true,
                Change::Static | Change::Full => {
                    self.pending_full = true;
                    any = true;
                }
            }
        }
        match (any, static_edit) {
            (true, _) => Some(self.run()),
            (false, true) => Some(Outcome::StaticOnly),
            (false, false) => None,
        }
    }

    fn is_copied(&self, abs: &Path) -> bool {
        self.good.as_ref().is_some_and(|g| g.copies.contains(abs))
    }

    fn run(&mut self) -> Outcome {
        let result = match self.good.take() {
            Some(good) if !self.pending_full => {
                let r = self.incremental(&good);
                if r.is_err() {
                    self.good = Some(good);
                }
                r
            }
            previous => {
                let r = self.full();
                if r.is_err() {
                    self.good = previous;
                }
                r
            }
        };
        match result {
            Ok((good, rendered, warnings)) => {
                let files = good.files.clone();
                self.good = Some(good);
                self.pending_full = false;
                self.pending_lessons.clear();
                Outcome::Built {
                    files,
                    rendered,
                    warnings,
                }
            }
            Err(diags) => Outcome::Failed(diags),
        }
    }

    fn full(&mut self) -> Result<(Good, usize, Diagnostics), Diagnostics> {
        if let Ok(now) = crate::commands::build_time(None) {
            self.options.now = now;
        }
        let (sources, site, diags) = self.load()?;
        render_all(site, sources.templates, diags, self.audience)
    }

    /// Reads and validates the whole site folder.
    fn load(&self) -> Result<(load::Sources, Site, Diagnostics), Diagnostics> {
        let mut diags = Diagnostics::default();
        let sources = load::read_site(&self.root, &mut diags);
        let site = validate::validate(&self.root, &sources, &self.options, &mut diags);
        match site.filter(|_| !diags.has_errors()) {
            Some(site) => Ok((sources, site, diags)),
            None => Err(diags),
        }
    }

    fn incremental(&self, old: &Good) -> Result<(Good, usize, Diagnostics), Diagnostics> {
        if let Some(r) = self.lessons_in_place(old) {
            return r;
        }
        let (sources, site, diags) = self.load()?;
        if shape(&site) != shape(&old.site) {
            // Lessons came, went or moved: numbering, links and neighbours change.
            return render_all(site, sources.templates, diags, self.audience);
        }
        let touched: Vec<(String, usize)> = site
            .courses
            .iter()
            .flat_map(|c| {
                c.lessons
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| self.pending_lessons.contains(&l.source))
                    .map(|(i, _)| (c.offer.id.clone(), i))
            })
            .collect();
        render_touched(
            old,
            site,
            &sources.templates,
            &touched,
            diags,
            self.audience,
        )
    }

    /// The common case, made fast: lessons edited in place (same files, still
    /// published). Re-reads and re-validates only those files and splices
    /// them into the last good site, whose other inputs did not change.
    /// `None` when the edit is anything else.
    fn lessons_in_place(
        &self,
        old: &Good,
    ) -> Option<Result<(Good, usize, Diagnostics), Diagnostics>> {
        let mut site = old.site.clone();
        let mut touched = Vec::new();
        let mut diags = Diagnostics::default();
        for rel in &self.pending_lessons {
            let (ci, li) = site.courses.iter().enumerate().find_map(|(ci, c)| {
                let li = c.lessons.iter().position(|l| &l.source == rel)?;
                Some((ci, li))
            })?;
            if !self.root.join(rel).is_file() {
                return None;
            }
            let lesson = load::read_lesson(&self.root, rel, &mut diags)
                .and_then(|f| validate::lesson(&f, &mut diags));
            if diags.has_errors() {
                return Some(Err(diags));
            }
            let lesson = lesson?;
            if lesson.draft && !self.options.drafts {
                return None;
            }
            let course = &mut site.courses[ci];
            touched.push((course.offer.id.clone(), li));
            course.lessons[li] = lesson;
        }
        Some(render_touched(
            old,
            site,
            &old.templates,
            &touched,
            diags,
            self.audience,
        ))
    }
}

/// Renders the whole public site.
fn render_all(
    site: Site,
    templates: BTreeMap<String, String>,
    mut diags: Diagnostics,
    audience: Audience,
) -> Result<(Good, usize, Diagnostics), Diagnostics> {
    match render::render(&site, &templates, audience) {
        Ok(out) => {
            let rendered = out.files.len();
            Ok((good(site, templates, out.files), rendered, diags))
        }
        Err(errors) => {
            diags.extend(errors.sorted());
            Err(diags)
        }
    }
}

/// The Atom feed's output path.
const FEED: &str = "feed.xml";

/// Renders the pages that show the `touched` lessons into a copy of the old
/// site's files, and the feed.
fn render_touched(
    old: &Good,
    site: Site,
    templates: &BTreeMap<String, String>,
    touched: &[(String, usize)],
    diags: Diagnostics,
    audience: Audience,
) -> Result<(Good, usize, Diagnostics), Diagnostics> {
    let keep = |job: &render::Job| touched.iter().any(|(c, i)| job.shows_lesson(c, *i));
    let out = render::render_pages(&site, templates, audience, &keep)?;
    let rendered = out.files.len();
    let mut files = (*old.files).clone();
    files.extend(out.files.into_iter().map(|(k, v)| (k, Arc::new(v))));
    // The feed carries lesson titles and summaries, so it is written again
    // (unless a static file stands in its place). The sitemap lists only
    // paths, which an edit in place keeps; the search index waits for the
    // next full build (re-reading every page would cost a second at
    // 10 000 lessons).
    if let Some(Content::Bytes(_)) = files.get(FEED).map(|c| &**c) {
        let urls = render::links::Urls::new(&site);
        let feed = render::feeds::feed(&site, &urls).into_bytes();
        files.insert(FEED.to_string(), Arc::new(Content::Bytes(feed)));
    }
    Ok((
        Good {
            site,
            templates: templates.clone(),
            files: Arc::new(files),
            copies: old.copies.clone(),
        },
        rendered,
        diags,
    ))
}

fn good(site: Site, templates: BTreeMap<String, String>, files: BTreeMap<String, Content>) -> Good {
    let copies = files
        .values()
        .filter_map(|c| match c {
            Content::Copy(p) => Some(p.clone()),
            Content::Bytes(_) => None,
        })
        .collect();
    let files = files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
    Good {
        site,
        templates,
        files: Arc::new(files),
        copies,
    }
}

/// Which lessons exist, in which order, under which slugs.
fn shape(site: &Site) -> Vec<(&str, Vec<&str>)> {
    site.courses
        .iter()
        .map(|c| {
            (
                c.offer.id.as_str(),
                c.lessons.iter().map(|l| l.slug.as_str()).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (tempfile::TempDir, PathBuf) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let tmp = tempfile::tempdir().unwrap();
        for e in walkdir::WalkDir::new(&src)
            .into_iter()
            .filter_map(Result::ok)
        {
            let target = tmp.path().join(e.path().strip_prefix(&src).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
        let root = tmp.path().canonicalize().unwrap();
        (tmp, root)
    }

    fn built(o: Option<Outcome>) -> (Arc<Files>, usize) {
        match o {
            Some(Outcome::Built {
                files, rendered, ..
            }) => (files, rendered),
            Some(Outcome::Failed(d)) => panic!("failed: {:?}", d.sorted()),
            _ => panic!("no build"),
        }
    }

    #[test]
    fn a_lesson_edit_renders_only_the_pages_that_show_it() {
        let (_tmp, root) = fixture();
        let options = Options {
            drafts: false,
            base_url: Some("http://127.0.0.1:1111/".into()),
            now: "2026-11-25T00:00:00Z".parse().unwrap(),
        };
        let mut b = Builder::new(root.clone(), options);
        let (before, all) = built(Some(b.build_all()));
        let lesson = root.join("lessons/intro-rust/02-ownership.md");
        let text = std::fs::read_to_string(&lesson).unwrap();
        std::fs::write(&lesson, text.replace("title: Ownership", "title: Owning")).unwrap();
        let (after, rendered) = built(b.changed(std::slice::from_ref(&lesson)));
        // The lesson, its two neighbours, its course, the landing page and
        // the bundle that includes the course.
        assert_eq!(rendered, 6, "rendered {rendered} of {all}");
        assert_eq!(before.len(), after.len());
        let text = |f: &Files, k: &str| match &*f[k] {
            Content::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            Content::Copy(_) => String::new(),
        };
        for page in [
            "courses/intro-rust/ownership/index.html",
            "courses/intro-rust/welcome/index.html",
            "courses/intro-rust/index.html",
        ] {
            assert!(text(&after, page).contains("Owning"), "{page}");
        }
        // The feed lists free lessons: editing one rewrites it.
        let free = root.join("lessons/intro-rust/01-welcome.md");
        let text_of = std::fs::read_to_string(&free).unwrap();
        std::fs::write(
            &free,
            text_of.replace("title: Welcome to Rust", "title: Hello"),
        )
        .unwrap();
        let (fed, _) = built(b.changed(std::slice::from_ref(&free)));
        assert!(text(&after, FEED).contains("Welcome to Rust"));
        assert!(!text(&fed, FEED).contains("Welcome to Rust"));
        assert!(text(&fed, FEED).contains("<title>Hello · "));
        // Pages that do not show the lesson are the very same, not re-rendered.
        for page in ["courses/web-go/index.html", "about/index.html", "404.html"] {
            assert!(Arc::ptr_eq(&before[page], &after[page]), "{page}");
        }
        // Irrelevant paths do nothing; a manifest change renders everything.
        assert!(b.changed(&[root.join("public/index.html")]).is_none());
        let (_, rendered) = built(b.changed(&[root.join("manifest.yaml")]));
        assert_eq!(rendered, all);
    }

    #[test]
    fn changes_made_while_broken_are_rendered_by_the_fix() {
        let (_tmp, root) = fixture();
        let options = Options {
            drafts: false,
            base_url: None,
            now: "2026-11-25T00:00:00Z".parse().unwrap(),
        };
        let mut b = Builder::new(root.clone(), options);
        built(Some(b.build_all()));
        let a = root.join("lessons/intro-rust/01-welcome.md");
        let c = root.join("lessons/web-go/01-handlers.md");
        let a_text = std::fs::read_to_string(&a).unwrap();
        std::fs::write(&a, a_text.replace("---\ntitle:", "---\ntitle: [")).unwrap();
        assert!(matches!(
            b.changed(std::slice::from_ref(&a)),
            Some(Outcome::Failed(_))
        ));
        let c_text = std::fs::read_to_string(&c).unwrap();
        std::fs::write(&c, format!("{c_text}\nLATE-EDIT\n")).unwrap();
        assert!(matches!(
            b.changed(std::slice::from_ref(&c)),
            Some(Outcome::Failed(_))
        ));
        std::fs::write(&a, a_text.replace("FREE-BODY", "FIXED-BODY")).unwrap();
        let (files, _) = built(b.changed(std::slice::from_ref(&a)));
        let page = |k: &str| match &*files[k] {
            Content::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Content::Copy(_) => String::new(),
        };
        assert!(page("courses/intro-rust/welcome/index.html").contains("FIXED-BODY"));
        // A free lesson edited while the site was broken.
        assert!(page("courses/web-go/handlers/index.html").contains("LATE-EDIT"));
    }
}
