//! Rebuilding only what a change needs. A lesson edit reloads and
//! validates the site (cheap) and re-renders the pages that show that
//! lesson; anything else — settings, manifest, calendar, pages, templates,
//! a lesson added, removed or renamed, a lesson turned free, paid or
//! draft — renders everything. Every build ends with the internal link
//! check `build` runs. Changes made while the site is broken are kept
//! until a build succeeds, so the fix renders all of them.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::watch::{Change, classify};
use crate::build::{self, without_texts};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{Audience, Lesson, Site};
use crate::render::feeds::FEED;
use crate::render::{self, Content, Doc, OutputFiles};
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
    /// What was read, without lesson and page texts (those live in
    /// `site`): templates, and the YAML files the link check reads.
    sources: load::Sources,
    /// Links and heading ids of every Markdown text, for the link check.
    docs: Vec<Doc>,
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
        self.guarded(|b| {
            b.pending_full = true;
            Some(b.run())
        })
        .unwrap_or_else(|| Outcome::Failed(Diagnostics::default()))
    }

    /// Handles changed paths (absolute); `None` when none of them matters.
    pub fn changed(&mut self, paths: &[PathBuf]) -> Option<Outcome> {
        self.guarded(|b| b.changed_unguarded(paths))
    }

    /// Runs a build step, turning a panic into a failed build, so that
    /// whatever goes wrong in one rebuild, serve keeps serving the last
    /// good site (a stack overflow aborts and cannot be caught; templates
    /// guard against those themselves). The next build renders everything.
    fn guarded(&mut self, step: impl FnOnce(&mut Builder) -> Option<Outcome>) -> Option<Outcome> {
        match catch_unwind(AssertUnwindSafe(|| step(self))) {
            Ok(outcome) => outcome,
            Err(payload) => {
                self.pending_full = true;
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let mut diags = Diagnostics::default();
                diags.push(Diagnostic::file(
                    &self.root,
                    format!(
                        "kpsite failed while rebuilding ({what}): this is a bug in kpsite, \
                         please report it with the change you saved; still serving the \
                         last good site, save again to retry"
                    ),
                ));
                Some(Outcome::Failed(diags))
            }
        }
    }

    fn changed_unguarded(&mut self, paths: &[PathBuf]) -> Option<Outcome> {
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
            Ok((good, rendered, mut warnings)) => {
                // New drawings go to the cache, so the next build (or
                // serve) does not draw them again.
                if crate::markdown::mermaid::drew_new()
                    && let Err(why) = build::diagram_cache::save(&self.root)
                {
                    warnings.push(Diagnostic::file(build::diagram_cache::FILE, why).warning());
                }
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
        if let Ok(now) = crate::build::build_time(None) {
            self.options.now = now;
        }
        let (sources, site, diags) = self.load()?;
        render_all(site, sources, diags, self.audience)
    }

    /// Reads and validates the whole site folder (the driver's first stage).
    fn load(&self) -> Result<(load::Sources, Site, Diagnostics), Diagnostics> {
        let mut l = build::load(&self.root, &self.options)?;
        build::diagram_cache::seed(&self.root, &mut l.warnings);
        Ok((l.sources, l.site, l.warnings))
    }

    fn incremental(&self, old: &Good) -> Result<(Good, usize, Diagnostics), Diagnostics> {
        if !old.site.lesson_assets.is_empty() {
            // An edit may link an asset or drop its last link, which moves
            // or removes its published copies: render everything.
            let (sources, site, diags) = self.load()?;
            return render_all(site, sources, diags, self.audience);
        }
        if let Some(r) = self.lessons_in_place(old) {
            return r;
        }
        let (sources, site, diags) = self.load()?;
        if shape(&site) != shape(&old.site) || self.visibility_changed(old, &site) {
            // Lessons came, went or moved: numbering, links and neighbours
            // change. A lesson turned paid (or free, or draft): its body
            // must leave (or join) the search index, feeds and every page.
            return render_all(site, without_texts(sources), diags, self.audience);
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
            without_texts(sources),
            &touched,
            diags,
            self.audience,
        )
    }

    /// Whether a changed lesson is now free where it was paid, or the
    /// other way round, or became or stopped being a draft.
    fn visibility_changed(&self, old: &Good, site: &Site) -> bool {
        let of = |site: &Site| -> BTreeMap<PathBuf, (bool, bool)> {
            site.courses
                .iter()
                .flat_map(|c| &c.lessons)
                .filter(|l| self.pending_lessons.contains(&l.source))
                .map(|l| (l.source.clone(), visibility(l)))
                .collect()
        };
        of(&old.site) != of(site)
    }

    /// The common case, made fast: lessons edited in place (same files, still
    /// published). Re-reads and re-validates only those files and splices
    /// them into the last good site, whose other inputs did not change.
    /// `None` when the edit is anything else.
    fn lessons_in_place(
        &self,
        old: &Good,
    ) -> Option<Result<(Good, usize, Diagnostics), Diagnostics>> {
        if !old.site.translations.sites.is_empty() {
            // A lesson shows in every language (translated or as a
            // fallback): rebuild the whole site rather than splice one.
            return None;
        }
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
            if visibility(&lesson) != visibility(&site.courses[ci].lessons[li]) {
                return None;
            }
            let course = &mut site.courses[ci];
            touched.push((course.offer.id.clone(), li));
            course.lessons[li] = lesson;
        }
        Some(render_touched(
            old,
            site,
            old.sources.clone(),
            &touched,
            diags,
            self.audience,
        ))
    }
}

/// What decides who may read a lesson: free, draft.
fn visibility(l: &Lesson) -> (bool, bool) {
    (l.free, l.draft)
}

/// Renders the whole public site and checks its internal links, as
/// `build` does.
fn render_all(
    site: Site,
    sources: load::Sources,
    mut diags: Diagnostics,
    audience: Audience,
) -> Result<(Good, usize, Diagnostics), Diagnostics> {
    let sources = without_texts(sources);
    match build::render(&site, &sources, audience, true) {
        Ok((out, docs)) => {
            diags.extend(build::check_links(&site, &sources, &out, &docs).sorted());
            if diags.has_errors() {
                return Err(diags);
            }
            let rendered = out.files.len();
            Ok((good(site, sources, docs, out.files), rendered, diags))
        }
        Err(errors) => {
            diags.extend(errors.sorted());
            Err(diags)
        }
    }
}

/// The files serve holds, as the link checker sees them.
struct View<'a>(&'a Files);

impl OutputFiles for View<'_> {
    fn has(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    fn generated(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        match &**self.0.get(path)? {
            Content::Bytes(b) => Some(Cow::Borrowed(b)),
            Content::Copy(_) => None,
        }
    }
}

/// Renders the pages that show the `touched` lessons into a copy of the old
/// site's files, and the feed.
fn render_touched(
    old: &Good,
    site: Site,
    sources: load::Sources,
    touched: &[(String, usize)],
    mut diags: Diagnostics,
    audience: Audience,
) -> Result<(Good, usize, Diagnostics), Diagnostics> {
    let keep = |job: &render::Job| touched.iter().any(|(c, i)| job.shows_lesson(c, *i));
    // The feed carries lesson titles and summaries, so it is rendered again
    // (unless a static file stands in its place). The sitemap lists only
    // paths, which an edit in place keeps; the search index waits for the
    // next full build (re-reading every page would cost a second at
    // 10 000 lessons).
    let with_feed = matches!(old.files.get(FEED).map(|c| &**c), Some(Content::Bytes(_)));
    let out = build::render_pages(&site, &sources, audience, &keep, with_feed)?;
    let rendered = out.files.len() - usize::from(with_feed);
    let mut files = (*old.files).clone();
    files.extend(out.files.into_iter().map(|(k, v)| (k, Arc::new(v))));
    // The touched lessons' links and headings, found again; the link
    // check then runs over the whole site, as a full build's would.
    let mut docs = old.docs.clone();
    for (course, i) in touched {
        let Some(l) = site
            .courses
            .iter()
            .find(|c| &c.offer.id == course)
            .and_then(|c| c.lessons.get(*i))
        else {
            continue;
        };
        let r = crate::markdown::outline(&l.body);
        let doc = Doc::new(&l.source, r.links, r.headings).with_problems(r.problems);
        docs.retain(|d| d.source != l.source);
        docs.push(doc);
    }
    docs.sort_by(|a, b| a.source.cmp(&b.source));
    let started = std::time::Instant::now();
    diags.extend(build::check_links(&site, &sources, &View(&files), &docs).sorted());
    if std::env::var_os("KPSITE_TIMINGS").is_some() {
        eprintln!(
            "timing: link check: {:.3}s",
            started.elapsed().as_secs_f64()
        );
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((
        Good {
            site,
            sources,
            docs,
            files: Arc::new(files),
            copies: old.copies.clone(),
        },
        rendered,
        diags,
    ))
}

fn good(
    site: Site,
    sources: load::Sources,
    docs: Vec<Doc>,
    files: BTreeMap<String, Content>,
) -> Good {
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
        sources,
        docs,
        files: Arc::new(files),
        copies,
    }
}

/// Which lessons exist, in which order, under which slugs and in which
/// modules, and what the modules are called (a `_module.md` edit changes
/// every lesson page's navigation).
fn shape(site: &Site) -> Vec<(&str, Vec<&str>)> {
    site.courses
        .iter()
        .map(|c| {
            let lessons = c
                .lessons
                .iter()
                .flat_map(|l| [l.slug.as_str(), l.module.as_deref().unwrap_or("")]);
            let modules = c.modules.iter().map(|m| m.title.as_str());
            (c.offer.id.as_str(), lessons.chain(modules).collect())
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
        // The lesson, its two neighbours, its course, the landing page,
        // the course index and the bundle that includes the course.
        assert_eq!(rendered, 7, "rendered {rendered} of {all}");
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

    fn options() -> Options {
        Options {
            drafts: false,
            base_url: None,
            now: "2026-11-25T00:00:00Z".parse().unwrap(),
        }
    }

    /// Every served file holding `needle`.
    fn holding(files: &Files, needle: &str) -> Vec<String> {
        files
            .iter()
            .filter(|(_, c)| match &***c {
                Content::Bytes(b) => b.windows(needle.len()).any(|w| w == needle.as_bytes()),
                Content::Copy(p) => std::fs::read_to_string(p).is_ok_and(|t| t.contains(needle)),
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    #[test]
    fn a_free_lesson_turned_paid_leaves_every_served_file() {
        let (_tmp, root) = fixture();
        let mut b = Builder::new(root.clone(), options());
        let (before, _) = built(Some(b.build_all()));
        let sentinel = "FREE-BODY-SENTINEL";
        // Positive control: the page and the search index carry the body.
        let at_first = holding(&before, sentinel);
        assert!(
            at_first.iter().any(|k| k.contains("search")),
            "{at_first:?}"
        );
        assert!(at_first.contains(&"courses/intro-rust/welcome/index.html".to_string()));
        let lesson = root.join("lessons/intro-rust/01-welcome.md");
        let text = std::fs::read_to_string(&lesson).unwrap();
        std::fs::write(&lesson, text.replace("free: true", "free: false")).unwrap();
        let (after, _) = built(b.changed(std::slice::from_ref(&lesson)));
        assert_eq!(holding(&after, sentinel), Vec::<String>::new());
        // And back: free again, the body is searchable again.
        std::fs::write(&lesson, &text).unwrap();
        let (again, _) = built(b.changed(std::slice::from_ref(&lesson)));
        assert!(
            holding(&again, sentinel)
                .iter()
                .any(|k| k.contains("search"))
        );
    }

    #[test]
    fn rebuilds_check_links_like_build() {
        let (_tmp, root) = fixture();
        let mut b = Builder::new(root.clone(), options());
        built(Some(b.build_all()));
        let lesson = root.join("lessons/intro-rust/01-welcome.md");
        let text = std::fs::read_to_string(&lesson).unwrap();
        // An edit in place with a broken link fails, naming the lesson.
        std::fs::write(&lesson, format!("{text}\n[gone](99-nope.md)\n")).unwrap();
        let Some(Outcome::Failed(d)) = b.changed(std::slice::from_ref(&lesson)) else {
            panic!("a broken link passed");
        };
        let shown: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|d| d.contains("01-welcome.md") && d.contains("99-nope.md")),
            "{shown:?}"
        );
        std::fs::write(&lesson, &text).unwrap();
        built(b.changed(std::slice::from_ref(&lesson)));
        // A heading another lesson links to (`02-ownership.md#moves`) goes away.
        let target = root.join("lessons/intro-rust/02-ownership.md");
        let t = std::fs::read_to_string(&target).unwrap();
        assert!(t.contains("# Moves") || t.contains("## Moves"), "{t}");
        std::fs::write(&target, t.replace("Moves", "Transfers")).unwrap();
        assert!(matches!(
            b.changed(std::slice::from_ref(&target)),
            Some(Outcome::Failed(_))
        ));
        // A full rebuild checks too.
        assert!(matches!(
            b.changed(&[root.join("manifest.yaml")]),
            Some(Outcome::Failed(_))
        ));
        std::fs::write(&target, &t).unwrap();
        built(b.changed(std::slice::from_ref(&target)));
    }

    #[test]
    fn a_panicking_rebuild_is_a_failed_build() {
        let (_tmp, root) = fixture();
        let mut b = Builder::new(root.clone(), options());
        built(Some(b.build_all()));
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let outcome = b.guarded(|_| panic!("boom in a template"));
        std::panic::set_hook(hook);
        let Some(Outcome::Failed(d)) = outcome else {
            panic!("the panic was not reported as a failed build");
        };
        assert!(d.sorted()[0].message.contains("boom in a template"));
        // The next change renders everything, and succeeds.
        let lesson = root.join("lessons/intro-rust/01-welcome.md");
        let (_, rendered) = built(b.changed(std::slice::from_ref(&lesson)));
        assert!(rendered > 6, "{rendered}");
    }
}
