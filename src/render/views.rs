//! What templates see: plain serializable views built from the model, with
//! money and dates already formatted for the site's language. Views are
//! built per audience, so private fields (costs, forecasts, fees) simply do
//! not exist here.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::links::{self, Urls};
use crate::model::*;

/// Formats money and dates the way the site's language wants them.
#[derive(Debug, Clone)]
pub struct Formatter {
    dates: Dates,
    /// `og_locale` of the strings (`en_US`), when they give one.
    og_locale: Option<String>,
    tz: jiff::tz::TimeZone,
    /// True when the site sells in both CNY and JPY, so `¥` is ambiguous.
    disambiguate_yen: bool,
    /// How the language writes amounts (strings `number_group`, …).
    numbers: NumberFormat,
}

impl Formatter {
    /// A formatter for `site`, with the date patterns of its UI `strings`.
    pub fn new(site: &Site, strings: &BTreeMap<String, String>) -> Formatter {
        let currencies: Vec<&str> = all_offers(site)
            .map(|o| o.price.regular.currency().code())
            .collect();
        let disambiguate_yen = currencies.contains(&"CNY") && currencies.contains(&"JPY");
        Formatter {
            dates: Dates::new(strings),
            og_locale: strings.get("og_locale").cloned(),
            tz: site.config.timezone.clone(),
            disambiguate_yen,
            numbers: NumberFormat::from_strings(|k| strings.get(k).cloned()),
        }
    }

    /// `¥199`, `$19.99`, `CN¥149`; `1.234,50 €` where the language's
    /// strings say so.
    pub fn money(&self, m: Money) -> String {
        m.display_in(self.disambiguate_yen, &self.numbers)
    }

    /// The date of the last moment before `t`, in the site's zone: a sale
    /// until 2027-01-01T00:00 is valid through 2026-12-31.
    pub fn last_day(&self, t: Timestamp) -> String {
        let before = t
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .unwrap_or(t);
        before.to_zoned_datetime(self.tz.clone()).date().to_string()
    }

    /// A moment in the site's zone: `2026年12月31日 23:59` / `Dec 31, 2026, 23:59`.
    pub fn datetime(&self, t: Timestamp) -> String {
        self.dates.date_time(&t.to_zoned_datetime(self.tz.clone()))
    }

    /// A moment in the site's zone with the zone named, for deadlines a
    /// buyer in another zone must read right: `Dec 31, 2026, 23:59 CST
    /// (Asia/Shanghai)`.
    pub fn datetime_zoned(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        let abbr = z.strftime("%Z").to_string();
        let name = self.tz.iana_name().unwrap_or("UTC");
        let abbr = if abbr.starts_with(['+', '-']) {
            format!("UTC{abbr}")
        } else {
            abbr
        };
        if abbr == name {
            format!("{} {abbr}", self.datetime(t))
        } else {
            format!("{} {abbr} ({name})", self.datetime(t))
        }
    }

    /// The date patterns of the site's language.
    pub fn dates(&self) -> &Dates {
        &self.dates
    }
}

/// Date patterns of one language, from its UI strings (`date_format`,
/// `date_time_format`, `date_time_sep`, `weekdays`): a new language brings
/// its own in its strings file.
#[derive(Debug, Clone)]
pub struct Dates {
    date: String,
    date_time: String,
    /// Between a date and a time: `, ` / ` `.
    pub sep: String,
    weekdays: Vec<String>,
}

impl Dates {
    /// The patterns found in `strings`, English ones where missing.
    pub fn new(strings: &BTreeMap<String, String>) -> Dates {
        let get = |k: &str, d: &str| strings.get(k).cloned().unwrap_or_else(|| d.to_string());
        Dates {
            date: get("date_format", "%a, %b %-d, %Y"),
            date_time: get("date_time_format", "%b %-d, %Y, %H:%M"),
            sep: get("date_time_sep", ", "),
            weekdays: get("weekdays", "Mon Tue Wed Thu Fri Sat Sun")
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        }
    }

    /// A calendar date: `2026年12月2日（周三）` / `Wed, Dec 2, 2026`.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let weekday = d.weekday().to_monday_zero_offset();
        self.format(&self.date, d.into(), weekday, || d.to_string())
    }

    /// A moment with its date and time, in its zone's wall time.
    pub fn date_time(&self, z: &jiff::ZonedDateTime) -> String {
        let weekday = z.weekday().to_monday_zero_offset();
        self.format(&self.date_time, z.into(), weekday, || z.to_string())
    }

    /// `pattern` (strftime, `{weekday}` for the weekday name) applied to
    /// `t`. A pattern jiff refuses (a site's strings file may hold any
    /// text) gives the ISO form rather than a panic.
    fn format(
        &self,
        pattern: &str,
        t: jiff::fmt::strtime::BrokenDownTime,
        weekday: i8,
        iso: impl Fn() -> String,
    ) -> String {
        let text = t.to_string(pattern).unwrap_or_else(|_| iso());
        let day = usize::try_from(weekday)
            .ok()
            .and_then(|i| self.weekdays.get(i))
            .map_or("", String::as_str);
        text.replace("{weekday}", day)
    }
}

/// Every offer of the site, courses first.
pub fn all_offers(site: &Site) -> impl Iterator<Item = &Offer> {
    let c = site.courses.iter().map(|c| &c.offer);
    let m = site.memberships.iter().map(|m| &m.offer);
    let b = site.bundles.iter().map(|b| &b.offer);
    c.chain(m).chain(b)
}

/// A price as shown: the sale (with the regular price struck through) only
/// while it runs at build time.
#[derive(Debug, Clone, Serialize)]
pub struct PriceView {
    /// What a buyer pays now, formatted.
    pub current: String,
    /// The same as a machine decimal, `149.00`.
    pub current_decimal: String,
    /// ISO code.
    pub currency: String,
    /// The struck-through regular price while a sale runs.
    pub regular: Option<String>,
    /// Sale label, e.g. 早鸟价.
    pub sale_label: Option<String>,
    /// When the sale ends, formatted, and as RFC 3339.
    pub sale_until: Option<String>,
    /// RFC 3339 end of the sale.
    pub sale_until_iso: Option<String>,
    /// Last day the sale price is valid, in the site's zone (schema.org
    /// `priceValidUntil` is a date).
    pub sale_last_day: Option<String>,
}

/// A buy button or QR code.
#[derive(Debug, Clone, Serialize)]
pub struct BuyView {
    /// Provider name (`stripe`, `qr`…).
    pub provider: &'static str,
    /// The checkout link with any coupon applied, and attribution
    /// (`utm_medium` = the offer's own page kind) where the provider keeps it.
    pub url: Option<String>,
    /// The same link per page kind it can sit on (`landing`, `course`,
    /// `lesson`, `membership`, `bundle`, `event`): `utm_medium` differs.
    pub by_medium: std::collections::BTreeMap<&'static str, String>,
    /// The QR image URL (`qr` provider).
    pub qr_image: Option<String>,
}

/// An offer as listed and sold.
#[derive(Debug, Clone, Serialize)]
pub struct OfferView {
    /// Id.
    pub id: String,
    /// `course`, `membership` or `bundle`.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Course tagline.
    pub tagline: Option<String>,
    /// Root-relative URL of its page.
    pub url: String,
    /// Price as shown.
    pub price: PriceView,
    /// How to buy.
    pub buy: BuyView,
    /// Course level key (`beginner`…), for a translated label.
    pub level: Option<&'static str>,
    /// Membership period key (`month`, `year`, `once`).
    pub period: Option<&'static str>,
    /// Number of lessons (courses; bundles: of all included courses).
    pub lesson_count: usize,
    /// Free preview lessons.
    pub free_count: usize,
    /// Total length in minutes: reading plus video.
    pub minutes: u32,
    /// Shown to members (the `--members` build, where every lesson
    /// reads in full): the buy box says it is included, with no button.
    pub included: bool,
    /// Cover image (`image:`), for cards and the page.
    pub image: Option<super::sales::ImageView>,
    /// The sale's end with the zone named, while a sale runs.
    pub sale_ends: Option<String>,
    /// The trailer, shown like a lesson video.
    pub trailer: Option<Video>,
    /// `open`, `waitlist` or `closed` at build time (a cohort past its
    /// enrollment deadline is closed): cards and structured data say so.
    pub status: &'static str,
}

/// Builds views; one per render, shared by every page.
pub struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// URL builder.
    pub urls: &'a Urls,
    /// Money and date formatting.
    pub fmt: Formatter,
    /// Whether the pages are for members (the `--members` build).
    pub members: bool,
}

impl Views<'_> {
    /// The price as shown at build time.
    pub fn price(&self, p: &Price) -> PriceView {
        let sale = p.active_sale(self.site.now);
        let current = p.effective(self.site.now);
        PriceView {
            current: self.fmt.money(current),
            current_decimal: current.decimal(),
            currency: current.currency().code().to_string(),
            regular: sale.map(|_| self.fmt.money(p.regular)),
            sale_label: sale.and_then(|s| s.label.clone()),
            sale_until: sale.map(|s| self.fmt.datetime(s.until)),
            sale_until_iso: sale.map(|s| s.until.to_string()),
            sale_last_day: sale.map(|s| self.fmt.last_day(s.until)),
        }
    }

    fn buy(&self, o: &Offer) -> BuyView {
        let p = &o.payment;
        BuyView {
            provider: p.provider.name(),
            url: p.tracked_url(&o.id, o.kind.name()),
            by_medium: crate::model::payment::UTM_MEDIUMS
                .iter()
                .filter_map(|m| Some((*m, p.tracked_url(&o.id, m)?)))
                .collect(),
            qr_image: p
                .image
                .as_deref()
                .map(|i| self.urls.asset(i.strip_prefix("static/").unwrap_or(i))),
        }
    }

    fn offer(&self, o: &Offer, sales: &SalesPage, rel: &str) -> OfferView {
        OfferView {
            id: o.id.clone(),
            kind: o.kind.name(),
            title: o.title.clone(),
            tagline: None,
            url: self.urls.path(rel),
            price: self.price(&o.price),
            buy: self.buy(o),
            level: None,
            period: None,
            lesson_count: 0,
            free_count: 0,
            minutes: 0,
            included: self.members,
            image: sales.image.as_ref().map(|i| self.image(i)),
            sale_ends: o
                .price
                .active_sale(self.site.now)
                .map(|s| self.fmt.datetime_zoned(s.until)),
            trailer: o.trailer.clone(),
            status: sales.status_at(self.site.now).name(),
        }
    }

    /// A course card / header.
    pub fn course(&self, c: &Course) -> OfferView {
        let mut v = self.offer(&c.offer, &c.sales, &links::course(&c.offer.id));
        v.tagline = c.tagline.clone();
        v.level = c.level.map(|l| match l {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        });
        v.lesson_count = c.lessons.len();
        v.free_count = c.lessons.iter().filter(|l| l.free).count();
        v.minutes = total_minutes(c);
        v
    }

    /// A membership card / header.
    pub fn membership(&self, m: &Membership) -> OfferView {
        let mut v = self.offer(&m.offer, &m.sales, &links::membership(&m.offer.id));
        v.period = Some(match m.period {
            Period::Month => "month",
            Period::Year => "year",
            Period::Once => "once",
        });
        v
    }

    /// A bundle card / header.
    pub fn bundle(&self, b: &Bundle) -> OfferView {
        let mut v = self.offer(&b.offer, &b.sales, &links::bundle(&b.offer.id));
        let included = self
            .site
            .courses
            .iter()
            .filter(|c| b.courses.contains(&c.offer.id));
        for c in included {
            v.lesson_count += c.lessons.len();
            v.minutes = v.minutes.saturating_add(total_minutes(c));
        }
        v
    }

    /// A lesson as listed in a syllabus. Never carries the body.
    pub fn lesson_item(&self, c: &Course, l: &Lesson, number: usize) -> LessonItem {
        LessonItem {
            number,
            title: l.title.clone(),
            summary: l.summary.clone(),
            url: self.urls.path(&links::lesson(&c.offer.id, &l.slug)),
            slug: l.slug.clone(),
            free: l.free,
            minutes: l.length(),
            video_minutes: l.video_minutes,
            has_video: l.video.is_some(),
            draft: l.draft,
            current: false,
        }
    }

    /// The lessons of `c` as a syllabus: grouped by module, in order. A
    /// course without modules is one group without a title.
    pub fn syllabus(&self, c: &Course) -> Vec<ModuleGroup> {
        let items: Vec<LessonItem> = c
            .lessons
            .iter()
            .enumerate()
            .map(|(i, l)| self.lesson_item(c, l, i + 1))
            .collect();
        group(c, &items, 0)
    }
}

/// A course's length in minutes, reading plus video; saturating, since
/// `minutes` and `video_minutes` are whatever an author typed.
fn total_minutes(c: &Course) -> u32 {
    c.lessons
        .iter()
        .fold(0u32, |sum, l| sum.saturating_add(l.length()))
}

/// Lessons of one module (or lessons outside any module, `title` None).
#[derive(Debug, Clone, Serialize)]
pub struct ModuleGroup {
    /// The module's title.
    pub title: Option<String>,
    /// Its lessons, in order.
    pub lessons: Vec<LessonItem>,
}

/// Groups `items` (lessons `first..` of `c`, in order) by module.
pub fn group(c: &Course, items: &[LessonItem], first: usize) -> Vec<ModuleGroup> {
    let mut groups: Vec<(Option<&str>, ModuleGroup)> = Vec::new();
    for (item, lesson) in items.iter().zip(&c.lessons[first..]) {
        let folder = lesson.module.as_deref();
        match groups.last_mut() {
            Some((f, g)) if *f == folder => g.lessons.push(item.clone()),
            _ => {
                let title = folder.and_then(|f| {
                    c.modules
                        .iter()
                        .find(|m| m.folder == f)
                        .map(|m| m.title.clone())
                });
                groups.push((
                    folder,
                    ModuleGroup {
                        title,
                        lessons: vec![item.clone()],
                    },
                ));
            }
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// A lesson in a syllabus or prev/next link.
#[derive(Debug, Clone, Serialize)]
pub struct LessonItem {
    /// 1-based position in the course.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Root-relative URL.
    pub url: String,
    /// URL slug: the key progress is stored under in the browser.
    pub slug: String,
    /// Free preview.
    pub free: bool,
    /// Length in minutes: reading plus video.
    pub minutes: u32,
    /// Minutes of video (0 when none or not given).
    pub video_minutes: u32,
    /// Whether the lesson has a video.
    pub has_video: bool,
    /// Marked draft (only with `--drafts`).
    pub draft: bool,
    /// The lesson being read (course navigation on a lesson page).
    pub current: bool,
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Absolute base URL.
    pub base_url: String,
    /// Root-relative base path (`/rust/`).
    pub base_path: String,
    /// `lang` attribute.
    pub lang: String,
    /// Open Graph locale (`zh_CN`).
    pub og_locale: String,
    /// Author name and URL.
    pub author: Option<AuthorView>,
    /// Social links.
    pub social: BTreeMap<&'static str, String>,
    /// Pages for the navigation (`menu: main`), by weight.
    pub pages: Vec<MenuLink>,
    /// Pages for the footer (`menu: footer`), by weight.
    pub footer_pages: Vec<MenuLink>,
    /// Root-relative URL of the course index.
    pub courses_url: String,
    /// Year of the build time, for the footer.
    pub year: i16,
    /// URL of `static/favicon.{svg,png,ico}` when the site has one.
    pub favicon: Option<String>,
}

/// One link of a menu (`site.pages`, `site.footer_pages`).
#[derive(Debug, Clone, Serialize)]
pub struct MenuLink {
    /// The page's title.
    pub title: String,
    /// Its root-relative URL.
    pub url: String,
}

/// The author as shown.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    /// Name.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
}

impl Views<'_> {
    /// The pages of `menu`, by `weight`, then title.
    fn menu(&self, menu: Menu) -> Vec<MenuLink> {
        let mut pages: Vec<&Page> = self.site.pages.iter().filter(|p| p.menu == menu).collect();
        pages.sort_by(|a, b| (a.weight, &a.title).cmp(&(b.weight, &b.title)));
        pages
            .into_iter()
            .map(|p| MenuLink {
                title: p.title.clone(),
                url: self.urls.path(&links::page(&p.slug)),
            })
            .collect()
    }

    /// The `site` value of every template.
    pub fn site_view(&self) -> SiteView {
        let c = &self.site.config;
        let mut social = BTreeMap::new();
        if let Some(g) = &c.social.github {
            social.insert("github", g.clone());
        }
        if let Some(t) = &c.social.twitter {
            social.insert("twitter", t.clone());
        }
        if let Some(q) = &c.social.wechat_qr {
            social.insert(
                "wechat_qr",
                self.urls.asset(q.strip_prefix("static/").unwrap_or(q)),
            );
        }
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base_url.clone(),
            base_path: self.urls.base_path().to_string(),
            lang: c.language.tag().to_string(),
            og_locale: self
                .fmt
                .og_locale
                .clone()
                .unwrap_or_else(|| c.language.og_locale()),
            author: c.author.as_ref().map(|a| AuthorView {
                name: a.name.clone(),
                url: a.url.clone(),
            }),
            social,
            pages: self.menu(Menu::Main),
            footer_pages: self.menu(Menu::Footer),
            courses_url: self.urls.path(&links::courses()),
            favicon: ["favicon.svg", "favicon.png", "favicon.ico"]
                .into_iter()
                .find(|f| self.site.static_files.iter().any(|s| s.output == *f))
                .map(|f| self.urls.asset(f)),
            year: self.site.now.to_zoned_datetime(c.timezone.clone()).year(),
        }
    }
}
