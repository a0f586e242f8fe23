//! One render job per output page, each building its own context so the
//! expensive part (Markdown) runs in parallel.

mod events;

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::Doc;
use super::jsonld;
use super::links::{self, Urls};
use super::theme::{Theme, error_chain};
use super::views::{Formatter, LessonItem, OfferView, Views};
use crate::diagnostics::Diagnostic;
use crate::markdown;
use crate::model::*;

/// One page to render.
pub enum Job<'a> {
    /// `index.html`.
    Landing,
    /// A course sales page.
    Course(&'a Course),
    /// A lesson page: course and lesson index.
    Lesson(&'a Course, usize),
    /// A membership page.
    Membership(&'a Membership),
    /// A bundle page.
    Bundle(&'a Bundle),
    /// A page from `pages/`.
    Page(&'a Page),
    /// `404.html`.
    NotFound,
    /// `events/index.html`.
    Events,
    /// An event page.
    Event(&'a crate::calendar::Event),
    /// `calendar.ics`.
    CalendarIcs,
    /// `events/<id>.ics`.
    EventIcs(&'a crate::calendar::Event),
    /// `search/index.html`.
    Search,
    /// `unlock/index.html` (delivery: encrypted).
    Unlock,
}

impl Job<'_> {
    /// Whether this page shows anything of lesson `index` of course
    /// `course` (its body, title, reading time, or the course totals it adds
    /// to), so must be rendered again when that lesson changes. A new kind of
    /// page must answer here, or `serve` will show it stale.
    pub fn shows_lesson(&self, course: &str, index: usize) -> bool {
        match self {
            // Course cards: lesson counts and total reading time.
            Job::Landing => true,
            Job::Course(c) => c.offer.id == course,
            // The lesson itself and its neighbours' previous/next links.
            Job::Lesson(c, i) => c.offer.id == course && i.abs_diff(index) <= 1,
            Job::Bundle(b) => b.courses.iter().any(|c| c == course),
            Job::Membership(_)
            | Job::Page(_)
            | Job::NotFound
            | Job::Events
            | Job::Event(_)
            | Job::CalendarIcs
            | Job::EventIcs(_)
            | Job::Search
            | Job::Unlock => false,
        }
    }
}

/// Per-page metadata every template uses in `<head>`.
#[derive(Serialize)]
struct Meta {
    title: String,
    description: String,
    canonical: String,
    og_type: &'static str,
    json_ld: Option<String>,
    /// Keep the page out of search engines (404, search, drafts, members build).
    noindex: bool,
}

/// Shared state of one render.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    audience: Audience,
    urls: Urls,
    fmt: Formatter,
    base: Context,
    /// Links and heading ids of every Markdown text rendered, for the link
    /// checker; `None` when nobody asked.
    docs: Option<std::sync::Mutex<Vec<Doc>>>,
    /// Each course's header (price, lesson count, total minutes), built
    /// once: every lesson page shows it, and summing a course's lessons
    /// for each of its lessons made builds quadratic in the course size.
    course_views: std::collections::HashMap<&'a str, OfferView>,
    /// The keys that seal what this audience may not read, when the site
    /// publishes encrypted (public audience of `delivery: encrypted`).
    keys: Option<&'a crate::delivery::Keys>,
}

impl<'a> Renderer<'a> {
    /// Prepares what every page shares.
    pub fn new(site: &'a Site, theme: &'a Theme, audience: Audience) -> Renderer<'a> {
        let urls = Urls::new(site);
        let fmt = Formatter::new(site);
        let views = Views {
            site,
            urls: &urls,
            fmt: fmt.clone(),
        };
        let mut base = Context::new();
        base.insert("site", &views.site_view());
        base.insert("t", &theme.strings);
        base.insert("has_events", &!site.events.is_empty());
        base.insert(
            "audience",
            &matches!(audience, Audience::Members)
                .then_some("members")
                .unwrap_or("public"),
        );
        let course_views = site
            .courses
            .iter()
            .map(|c| (c.offer.id.as_str(), views.course(c)))
            .collect();
        let keys = site
            .config
            .delivery
            .keys()
            .filter(|_| audience == Audience::Public);
        base.insert("unlock", &keys.map(|_| unlock_data(theme, &urls)));
        base.insert("unlock_page", &urls.path(&links::unlock()));
        Renderer {
            site,
            theme,
            audience,
            urls,
            fmt,
            base,
            docs: None,
            course_views,
            keys,
        }
    }

    /// Keeps the links and headings of every Markdown text rendered.
    pub fn collect_docs(&mut self) {
        self.docs = Some(Default::default());
    }

    /// The documents collected since [`Renderer::collect_docs`].
    pub fn take_docs(&mut self) -> Vec<Doc> {
        self.docs
            .take()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .unwrap_or_default()
    }

    /// The header of course `c`, from [`Renderer::course_views`].
    fn course_view(&self, c: &Course) -> OfferView {
        self.course_views
            .get(c.offer.id.as_str())
            .cloned()
            .unwrap_or_else(|| self.views().course(c))
    }

    fn views(&self) -> Views<'_> {
        Views {
            site: self.site,
            urls: &self.urls,
            fmt: self.fmt.clone(),
        }
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job<'a>> {
        let s = self.site;
        let mut jobs = vec![Job::Landing, Job::NotFound, Job::Search];
        if self.keys.is_some() {
            jobs.push(Job::Unlock);
        }
        for c in &s.courses {
            jobs.push(Job::Course(c));
            jobs.extend((0..c.lessons.len()).map(|i| Job::Lesson(c, i)));
        }
        jobs.extend(s.memberships.iter().map(Job::Membership));
        jobs.extend(s.bundles.iter().map(Job::Bundle));
        jobs.extend(s.pages.iter().map(Job::Page));
        if !s.events.is_empty() {
            jobs.extend([Job::Events, Job::CalendarIcs]);
            jobs.extend(s.events.iter().map(Job::Event));
            jobs.extend(s.events.iter().map(Job::EventIcs));
        }
        jobs
    }

    /// Renders one job to (output path, bytes).
    pub fn render(&self, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
        match job {
            Job::CalendarIcs => return Ok(self.ics(None)),
            Job::EventIcs(e) => return Ok(self.ics(Some(e))),
            _ => {}
        }
        let mut ctx = self.base.clone();
        let (rel, template) = match job {
            Job::Landing => (String::new(), self.landing(&mut ctx)),
            Job::NotFound => ("404".into(), self.not_found(&mut ctx)),
            Job::Search => (links::search(), self.search(&mut ctx)),
            Job::Unlock => (links::unlock(), self.unlock(&mut ctx)),
            Job::Course(c) => (links::course(&c.offer.id), self.course(&mut ctx, c)),
            Job::Lesson(c, i) => (
                links::lesson(&c.offer.id, &c.lessons[i].slug),
                self.lesson(&mut ctx, c, i),
            ),
            Job::Membership(m) => (links::membership(&m.offer.id), self.membership(&mut ctx, m)),
            Job::Bundle(b) => (links::bundle(&b.offer.id), self.bundle(&mut ctx, b)),
            Job::Page(p) => (links::page(&p.slug), self.page(&mut ctx, p)),
            Job::Events => (links::events(), self.events_index(&mut ctx)),
            Job::Event(e) => (links::event(&e.id), self.event_page(&mut ctx, e)),
            Job::CalendarIcs | Job::EventIcs(_) => unreachable!("written above"),
        };
        let path = if rel == "404" {
            "404.html".to_string()
        } else {
            links::index_file(&rel)
        };
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::file(
                format!("templates/{template}"),
                format!("cannot render {path}: {}", error_chain(&e)),
            )
        })?;
        Ok((path, html.into_bytes()))
    }

    fn meta(
        &self,
        ctx: &mut Context,
        title: String,
        description: String,
        rel: &str,
        json_ld: Option<Value>,
    ) {
        let json_ld = json_ld.map(|v| jsonld::script_text(&v));
        let meta = Meta {
            title,
            description,
            canonical: self.urls.absolute(rel),
            og_type: if rel.is_empty() { "website" } else { "article" },
            json_ld,
            noindex: self.audience == Audience::Members,
        };
        ctx.insert("meta", &meta);
        ctx.insert("current_url", &self.urls.path(rel));
    }

    /// Markdown of `source` to HTML, with its relative links resolved.
    fn markdown(&self, source: &std::path::Path, text: &str, ctx: &mut Context) -> String {
        let resolve = |dest: &str| self.urls.resolve(source, dest);
        let strings = |key: &str| self.string(key);
        let r = markdown::render_with(text, &resolve, &strings);
        ctx.insert("has_math", &r.has_math);
        ctx.insert("has_mermaid", &r.has_mermaid);
        ctx.insert("has_code", &r.has_code);
        ctx.insert("has_quiz", &r.has_quiz);
        if let Some(docs) = &self.docs {
            let doc = Doc::new(source, r.links, r.headings).with_problems(r.problems);
            docs.lock().unwrap_or_else(|e| e.into_inner()).push(doc);
        }
        r.html
    }

    /// A UI string of the theme, empty when the theme lacks it.
    fn string(&self, key: &str) -> String {
        self.theme.strings.get(key).cloned().unwrap_or_default()
    }

    fn landing(&self, ctx: &mut Context) -> &'static str {
        let v = self.views();
        let s = self.site;
        ctx.insert(
            "courses",
            &s.courses.iter().map(|c| v.course(c)).collect::<Vec<_>>(),
        );
        ctx.insert(
            "memberships",
            &s.memberships
                .iter()
                .map(|m| v.membership(m))
                .collect::<Vec<_>>(),
        );
        ctx.insert(
            "bundles",
            &s.bundles.iter().map(|b| v.bundle(b)).collect::<Vec<_>>(),
        );
        ctx.insert("events", &self.landing_events());
        let ld = jsonld::website(s);
        self.meta(
            ctx,
            s.config.title.clone(),
            s.config.description.clone(),
            "",
            Some(ld),
        );
        "index.html"
    }

    fn not_found(&self, ctx: &mut Context) -> &'static str {
        let title = self.string("not_found");
        self.meta(
            ctx,
            title,
            self.site.config.description.clone(),
            "404.html",
            None,
        );
        noindex(ctx);
        "404.html"
    }

    fn course(&self, ctx: &mut Context, c: &Course) -> &'static str {
        let v = self.views();
        let view = self.course_view(c);
        let description = self.markdown(
            std::path::Path::new("manifest.yaml"),
            &c.offer.description,
            ctx,
        );
        let lessons: Vec<LessonItem> = c
            .lessons
            .iter()
            .enumerate()
            .map(|(i, l)| v.lesson_item(c, l, i + 1))
            .collect();
        let summary = c
            .tagline
            .clone()
            .unwrap_or_else(|| self.site.config.description.clone());
        let ld = jsonld::course(self.site, &self.urls, c, &view, &summary);
        let bundles: Vec<OfferView> = self
            .site
            .bundles
            .iter()
            .filter(|b| b.courses.contains(&c.offer.id))
            .map(|b| v.bundle(b))
            .collect();
        ctx.insert("course", &view);
        ctx.insert("description", &description);
        ctx.insert("lessons", &lessons);
        ctx.insert("bundles", &bundles);
        self.meta(
            ctx,
            c.offer.title.clone(),
            summary,
            &links::course(&c.offer.id),
            Some(ld),
        );
        "course.html"
    }

    fn lesson(&self, ctx: &mut Context, c: &Course, i: usize) -> &'static str {
        let v = self.views();
        let l = &c.lessons[i];
        // The one check that keeps paid bodies out of the public site.
        let body = l
            .body_visible(self.audience)
            .then(|| self.markdown(&l.source, &l.body, ctx));
        ctx.insert("course", &self.course_view(c));
        ctx.insert("lesson", &v.lesson_item(c, l, i + 1));
        // Templates test `has_body`, not `body`: Tera escapes a value to
        // test its truth, which for a whole lesson body is pure waste.
        ctx.insert("has_body", &body.as_ref().is_some_and(|b| !b.is_empty()));
        ctx.insert("sealed", &self.sealed_lesson(c, l, body.is_some()));
        ctx.insert("body", &body);
        ctx.insert(
            "prev",
            &i.checked_sub(1)
                .map(|p| v.lesson_item(c, &c.lessons[p], p + 1)),
        );
        ctx.insert(
            "next",
            &c.lessons.get(i + 1).map(|n| v.lesson_item(c, n, i + 2)),
        );
        let description = l
            .summary
            .clone()
            .or_else(|| c.tagline.clone())
            .unwrap_or_else(|| c.offer.title.clone());
        let title = format!("{} · {}", l.title, c.offer.title);
        let ld = jsonld::lesson(self.site, &self.urls, c, l, &description);
        self.meta(
            ctx,
            title,
            description,
            &links::lesson(&c.offer.id, &l.slug),
            Some(ld),
        );
        if l.draft {
            noindex(ctx);
        }
        "lesson.html"
    }

    /// The paid body of `l`, rendered and sealed under its course's
    /// content key, when the site publishes encrypted and this audience may
    /// not read it in the clear.
    fn sealed_lesson(
        &self,
        c: &Course,
        l: &Lesson,
        shown: bool,
    ) -> Option<crate::delivery::Sealed> {
        let keys = self.keys.filter(|_| !shown)?;
        let resolve = |dest: &str| self.urls.resolve(&l.source, dest);
        // Rendered without collecting links: the link checker outlines
        // hidden lessons on its own.
        let strings = |key: &str| self.string(key);
        let html = markdown::render_with(&l.body, &resolve, &strings).html;
        let path = links::index_file(&links::lesson(&c.offer.id, &l.slug));
        Some(crate::delivery::seal_lesson(
            keys,
            &c.offer.id,
            &path,
            &html,
        ))
    }

    fn unlock(&self, ctx: &mut Context) -> &'static str {
        let title = self.string("unlock_title");
        self.meta(
            ctx,
            title,
            self.site.config.description.clone(),
            &links::unlock(),
            None,
        );
        noindex(ctx);
        "unlock.html"
    }

    fn membership(&self, ctx: &mut Context, m: &Membership) -> &'static str {
        let view = self.views().membership(m);
        let description = self.markdown(
            std::path::Path::new("manifest.yaml"),
            &m.offer.description,
            ctx,
        );
        ctx.insert("offer", &view);
        ctx.insert("description", &description);
        let summary = plain_summary(&m.offer.description, &self.site.config.description);
        let rel = links::membership(&m.offer.id);
        let ld = jsonld::product(
            self.site,
            &view,
            &self.urls.absolute(&rel),
            &summary,
            Some(m.period),
        );
        self.meta(ctx, m.offer.title.clone(), summary, &rel, Some(ld));
        "membership.html"
    }

    fn bundle(&self, ctx: &mut Context, b: &Bundle) -> &'static str {
        let v = self.views();
        let description = self.markdown(
            std::path::Path::new("manifest.yaml"),
            &b.offer.description,
            ctx,
        );
        let included: Vec<OfferView> = self
            .site
            .courses
            .iter()
            .filter(|c| b.courses.contains(&c.offer.id))
            .map(|c| v.course(c))
            .collect();
        let view = v.bundle(b);
        ctx.insert("offer", &view);
        ctx.insert("description", &description);
        ctx.insert("included", &included);
        let summary = plain_summary(&b.offer.description, &self.site.config.description);
        let rel = links::bundle(&b.offer.id);
        let ld = jsonld::product(self.site, &view, &self.urls.absolute(&rel), &summary, None);
        self.meta(ctx, b.offer.title.clone(), summary, &rel, Some(ld));
        "bundle.html"
    }

    fn page(&self, ctx: &mut Context, p: &Page) -> &'static str {
        let body = self.markdown(&p.source, &p.body, ctx);
        ctx.insert("page", &json!({"title": p.title, "slug": p.slug}));
        ctx.insert("body", &body);
        let description = p
            .description
            .clone()
            .unwrap_or_else(|| plain_summary(&p.body, &self.site.config.description));
        self.meta(
            ctx,
            p.title.clone(),
            description,
            &links::page(&p.slug),
            None,
        );
        if p.draft {
            noindex(ctx);
        }
        "page.html"
    }

    fn search(&self, ctx: &mut Context) -> &'static str {
        let title = self.string("search");
        self.meta(
            ctx,
            title,
            self.site.config.description.clone(),
            &links::search(),
            None,
        );
        noindex(ctx);
        ctx.insert("search_index", &format!("{}search/", self.urls.base_path()));
        "search.html"
    }
}

/// What the unlock script needs, as JSON safe inside `<script>`: the base
/// path, the unlock page, and the theme's `unlock_*` strings.
fn unlock_data(theme: &Theme, urls: &Urls) -> String {
    let strings: serde_json::Map<String, Value> = theme
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("unlock_"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "base": urls.base_path(),
        "page": urls.path(&links::unlock()),
        "t": strings,
    })
    .to_string()
    .replace('<', "\\u003c")
}

/// Marks the page of `ctx` as one search engines should not index.
fn noindex(ctx: &mut Context) {
    if let Some(Value::Object(mut meta)) = ctx.get("meta").cloned() {
        meta.insert("noindex".into(), Value::Bool(true));
        ctx.insert("meta", &meta);
    }
}

/// The first line of prose of a Markdown text, for a meta description.
fn plain_summary(markdown: &str, fallback: &str) -> String {
    let line = markdown
        .lines()
        .map(str::trim)
        .find(|l| {
            !l.is_empty() && !l.starts_with('#') && !l.starts_with("```") && !l.starts_with('|')
        })
        .unwrap_or(fallback);
    let clean: String = line
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '[' | ']'))
        .collect();
    clean.chars().take(160).collect()
}
