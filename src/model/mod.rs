//! The one validated, immutable picture of a site. Everything here has been
//! checked by [`crate::validate`]; nothing downstream re-checks it.

pub mod delivery;
pub mod event;
pub mod money;
pub mod payment;
pub mod sales;
pub mod time;
pub mod video;

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

pub use delivery::Delivery;
pub use money::{Currency, Money, NumberFormat};
pub use payment::{Payment, Provider};
pub use sales::{Image, SalesPage, Status};
pub use video::Video;

/// Who a build is for. The public build must never hold paid bodies,
/// costs, forecasts or member-only links; the members build holds everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The site anyone can read.
    Public,
    /// The full site, for a host behind access control.
    Members,
}

/// The whole site, validated.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// Settings from `kpsite.yaml`.
    pub config: Config,
    /// Courses in manifest order, each with its ordered lessons.
    pub courses: Vec<Course>,
    /// Memberships in manifest order.
    pub memberships: Vec<Membership>,
    /// Bundles in manifest order.
    pub bundles: Vec<Bundle>,
    /// Pages from `pages/`, sorted by slug.
    pub pages: Vec<Page>,
    /// Files under `static/`, copied as they are.
    pub static_files: Vec<StaticFile>,
    /// Files next to lessons under `lessons/<course>/` that are not
    /// lessons (images, downloads): published only with the lessons that
    /// link to them, and for paid lessons only as SPEC §6 allows.
    pub lesson_assets: Vec<LessonAsset>,
    /// Events from `calendar.yaml`, in file order.
    pub events: Vec<event::Event>,
    /// The build time: decides which sales run and which events are past.
    pub now: Timestamp,
    /// The UI strings for its language that replace the default theme's:
    /// the site theme's `themes/<name>/i18n/<lang>.yaml`, then the site's
    /// own `i18n/<lang>.yaml` over it, one string at a time.
    pub strings: std::collections::BTreeMap<String, String>,
    /// The site in its other languages (`languages:`); empty for a site in one.
    pub translations: Translations,
}

/// Site settings (`kpsite.yaml`).
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description, used for meta tags.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The language of this model (each language of a site has its own).
    pub language: Language,
    /// Every language of the site, the default first (`languages:`; the one
    /// `language` otherwise).
    pub languages: Vec<Language>,
    /// Default currency of prices.
    pub currency: Currency,
    /// Default time zone, as its IANA name and as a zone.
    pub timezone_name: String,
    /// The zone itself.
    pub timezone: TimeZone,
    /// The author, for meta tags and the footer.
    pub author: Option<Author>,
    /// Theme folder name under `themes/`, or `default`.
    pub theme: String,
    /// Social links shown in the footer.
    pub social: Social,
    /// How paid lessons reach buyers (`delivery:`), with the keys when encrypted.
    pub delivery: Delivery,
    /// The landing page's headline (`promise:`; default: the title).
    pub promise: Option<String>,
    /// Id of the offer the landing page's call to action points at.
    pub featured: Option<String>,
    /// Default share image (`image:`).
    pub image: Option<Image>,
}

/// A language of the site: a BCP 47 tag as written in `languages`
/// (`zh-CN`, `en`, `ja`). Everything that differs by language (UI strings,
/// date patterns, plural forms) is looked up by this tag in the strings
/// files, so a new language is a strings file, not new code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Language(String);

impl Language {
    /// English, the default when a site names no language.
    pub fn en() -> Language {
        Language("en".into())
    }

    /// Checks a tag: a 2-3 letter language, then `-`-separated subtags of
    /// 2-8 letters or digits (`zh-CN`, `pt-BR`, `zh-Hant-TW`). It becomes a
    /// URL segment and a file name, so nothing else is accepted.
    pub fn parse(tag: &str) -> Result<Language, String> {
        let mut parts = tag.split('-');
        let first = parts.next().unwrap_or("");
        let ok = (2..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_alphabetic())
            && parts.all(|p| {
                (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if ok {
            Ok(Language(tag.to_string()))
        } else {
            Err(format!(
                "unknown language `{tag}`: not a language tag; write one such as en, zh-CN or ja"
            ))
        }
    }

    /// The BCP 47 tag for `lang=""` and `hreflang`.
    pub fn tag(&self) -> &str {
        &self.0
    }

    /// Open Graph locale: `zh-CN` → `zh_CN`, `en` → `en`.
    pub fn og_locale(&self) -> String {
        self.0.replace('-', "_")
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The other languages of a bilingual site, held by the default
/// language's [`Site`]: one validated model per language.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// The site in each language after the first, in `languages` order.
    pub sites: Vec<Site>,
    /// Lessons and pages shown in the default language because they have no
    /// translation: (language, source file of the default text).
    pub fallbacks: std::collections::BTreeSet<(Language, PathBuf)>,
    /// Each language's own name (`language_name` of its UI strings), in
    /// `languages` order, for the language switch.
    pub names: Vec<String>,
}

impl Config {
    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The default language: the first of `languages`.
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }
}

/// The person behind the site.
#[derive(Debug, Clone, Default)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
    /// Contact address.
    pub email: Option<String>,
}

/// Social links; every one optional.
#[derive(Debug, Clone, Default)]
pub struct Social {
    /// GitHub profile URL.
    pub github: Option<String>,
    /// Twitter / X profile URL.
    pub twitter: Option<String>,
    /// Path under the site folder of a WeChat QR image.
    pub wechat_qr: Option<String>,
}

/// What kind of thing an offer sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferKind {
    /// A course with lessons.
    Course,
    /// A recurring or one-off membership.
    Membership,
    /// Several courses sold together.
    Bundle,
}

impl OfferKind {
    /// `course`, `membership` or `bundle`: the one spelling the theme, the
    /// keystore and the report use.
    pub fn name(self) -> &'static str {
        match self {
            OfferKind::Course => "course",
            OfferKind::Membership => "membership",
            OfferKind::Bundle => "bundle",
        }
    }
}

/// What every sellable thing has: a price, a way to pay, and the private
/// numbers the ROI report reads.
#[derive(Debug, Clone)]
pub struct Offer {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// What it is.
    pub kind: OfferKind,
    /// Display title.
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// Price and sale.
    pub price: Price,
    /// How to pay.
    pub payment: Payment,
    /// Named cost lines, in manifest order. Never published.
    pub costs: Vec<(String, Money)>,
    /// Sales forecast. Never published.
    pub forecast: Option<Forecast>,
    /// Payment-processor fee per sale. Never published.
    pub fees: Option<Fees>,
    /// A trailer shown on the offer's page like a lesson video.
    pub trailer: Option<Video>,
}

/// A regular price and perhaps a sale.
#[derive(Debug, Clone)]
pub struct Price {
    /// The regular price.
    pub regular: Money,
    /// A time-limited lower price.
    pub sale: Option<Sale>,
}

impl Price {
    /// The sale running at `now`, if any: the one place that decides it.
    pub fn active_sale(&self, now: Timestamp) -> Option<&Sale> {
        self.sale.as_ref().filter(|s| now < s.until)
    }

    /// What a buyer pays at `now`.
    pub fn effective(&self, now: Timestamp) -> Money {
        self.active_sale(now).map_or(self.regular, |s| s.price)
    }
}

/// A lower price until a moment.
#[derive(Debug, Clone)]
pub struct Sale {
    /// The sale price, below the regular one.
    pub price: Money,
    /// The sale runs while build time < until.
    pub until: Timestamp,
    /// e.g. 早鸟价.
    pub label: Option<String>,
}

/// Expected units sold, by scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// (scenario name, units) — `expected` alone, or low/expected/high.
    pub scenarios: Vec<(String, u64)>,
    /// Months a monthly membership is paid for (memberships only).
    pub months: Option<u64>,
    /// Percent of members leaving each month (monthly memberships only).
    pub churn: Option<Decimal>,
    /// Percent of the forecast units sold at the sale price (offers with a sale).
    pub sale_share: Option<Decimal>,
}

/// A processor fee per sale: percent of the price plus a fixed amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fees {
    /// Percent of each sale, e.g. 2.9.
    pub percent: Decimal,
    /// Fixed amount per sale, in the offer's currency.
    pub fixed: Money,
}

/// Difficulty of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// New to the subject.
    Beginner,
    /// Knows the basics.
    Intermediate,
    /// Experienced.
    Advanced,
}

/// A course and its lessons.
#[derive(Debug, Clone)]
pub struct Course {
    /// Price, payment, costs.
    pub offer: Offer,
    /// One-line pitch.
    pub tagline: Option<String>,
    /// Difficulty.
    pub level: Option<Level>,
    /// Lessons in order (drafts only when building with `--drafts`):
    /// lessons and module folders by their numbers, then each module's
    /// lessons by theirs.
    pub lessons: Vec<Lesson>,
    /// Cover, outcomes, testimonials… for the sales page.
    pub sales: SalesPage,
    /// The modules its lessons are grouped in, in order.
    pub modules: Vec<Module>,
}

/// A group of lessons: one folder `lessons/<course>/NN-module-slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// The folder name, e.g. `02-basics` (what [`Lesson::module`] holds).
    pub folder: String,
    /// Title from `_module.md`, or made from the folder name.
    pub title: String,
}

/// How often a membership is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Monthly.
    Month,
    /// Yearly.
    Year,
    /// Once, for life.
    Once,
}

/// A membership.
#[derive(Debug, Clone)]
pub struct Membership {
    /// Price, payment, costs.
    pub offer: Offer,
    /// Billing period.
    pub period: Period,
    /// Ids of the courses it includes (`includes`, `all` resolved), in
    /// manifest order.
    pub includes: Vec<String>,
    /// Cover, benefits, testimonials… for the sales page.
    pub sales: SalesPage,
}

/// Several courses sold together.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// Price, payment, costs.
    pub offer: Offer,
    /// Ids of the courses included, all known.
    pub courses: Vec<String>,
    /// Cover, testimonials… for the sales page.
    pub sales: SalesPage,
}

/// One lesson of a course.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The course id it belongs to.
    pub course: String,
    /// URL slug: the file name without its numeric prefix and `.md`.
    pub slug: String,
    /// File name, e.g. `01-ownership.md` (relative links resolve by it).
    pub file_name: String,
    /// Source file, relative to the site folder.
    pub source: PathBuf,
    /// Line of the source file where the body starts (for diagnostics).
    pub body_line: usize,
    /// Title from front matter.
    pub title: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Free preview: published in full.
    pub free: bool,
    /// Reading time in minutes (given or estimated).
    pub minutes: u32,
    /// The lesson's video, shown above its body.
    pub video: Option<Video>,
    /// Length of the video in minutes (`video_minutes`), 0 when not given.
    pub video_minutes: u32,
    /// The module folder it sits in (`02-basics`), if any.
    pub module: Option<String>,
    /// Left out unless building with `--drafts`.
    pub draft: bool,
    /// Markdown body. Paid bodies must never reach public output.
    pub body: String,
}

impl Lesson {
    /// Whether `audience` may read the body: the one place that decides it.
    pub fn body_visible(&self, audience: Audience) -> bool {
        self.free || audience == Audience::Members
    }

    /// Length in minutes: reading plus video.
    pub fn length(&self) -> u32 {
        self.minutes.saturating_add(self.video_minutes)
    }
}

/// A page from `pages/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// URL slug (file name without `.md`).
    pub slug: String,
    /// Source file, relative to the site folder.
    pub source: PathBuf,
    /// Line where the body starts.
    pub body_line: usize,
    /// Title from front matter.
    pub title: String,
    /// Meta description.
    pub description: Option<String>,
    /// Markdown body.
    pub body: String,
    /// Left out unless building with `--drafts`.
    pub draft: bool,
    /// Which menu links it.
    pub menu: Menu,
    /// Order within its menu, lowest first.
    pub weight: i32,
}

/// Which menu links a page (`menu:` in its front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Menu {
    /// The header navigation (default).
    #[default]
    Main,
    /// The footer.
    Footer,
    /// No menu.
    None,
}

/// A file from `static/` (or the theme's static folder).
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path in the output, `/`-separated.
    pub output: String,
    /// Absolute source path.
    pub source: PathBuf,
}

/// A file next to a lesson (`lessons/<course>/img/a.png`).
#[derive(Debug, Clone)]
pub struct LessonAsset {
    /// Path relative to the site folder, `/`-separated: how lessons link to it.
    pub path: String,
    /// Canonical source path, checked against the symlink rule.
    pub source: PathBuf,
}
