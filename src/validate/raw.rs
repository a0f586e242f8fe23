//! The YAML shapes exactly as users write them (`deny_unknown_fields`
//! everywhere, so typos are errors). Amounts and counts are [`Scalar`]s:
//! their exact source text is read back from the spans, never from `f64`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// Any YAML scalar. Its value is read from the source text via the spans.
#[derive(Debug, Clone, Copy)]
pub struct Scalar;

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// For editors: a number, or the same written as a string (`"19.90"`).
impl JsonSchema for Scalar {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number such as 199 or 19.99 (a string like \"19.90\" keeps trailing zeros); never below zero",
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*$"}
            ]
        })
    }
}

/// Payment providers, for editors (the validator reads a string): the
/// schema lists the rows of the provider table
/// ([`crate::model::Provider::described`]), so a new provider is one entry there.
struct ProviderName;

impl JsonSchema for ProviderName {
    fn schema_name() -> Cow<'static, str> {
        "ProviderName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let one_of: Vec<serde_json::Value> = crate::model::Provider::described()
            .map(|(name, about)| {
                serde_json::json!({"const": name, "description": about, "type": "string"})
            })
            .collect();
        json_schema!({
            "description": "Payment providers, for editors (the validator reads a string).",
            "oneOf": one_of,
        })
    }
}

/// A forecast: a whole number, or low / expected / high scenarios.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum ForecastUnits {
    /// Expected units.
    Whole(u64),
    /// Scenarios.
    Scenarios {
        /// Pessimistic.
        low: Option<u64>,
        /// Expected.
        expected: Option<u64>,
        /// Optimistic.
        high: Option<u64>,
    },
}

/// A membership's `includes`: course ids, or `all`, for editors.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Includes {
    /// Every course of the manifest.
    All(AllCourses),
    /// These courses.
    Courses(Vec<String>),
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum AllCourses {
    /// Every course.
    All,
}

/// Known ISO 4217 codes, from the money table.
fn currency_schema(_: &mut SchemaGenerator) -> Schema {
    let codes: Vec<&str> = crate::model::Currency::codes().collect();
    json_schema!({"type": "string", "enum": codes})
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number such as 199 or 19.99")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
}

/// `kpsite.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "kpsite kpsite.yaml")]
pub struct Config {
    /// Site title (required).
    pub title: String,
    /// One-line description, for meta tags (required).
    pub description: String,
    /// Absolute URL the site is served from; a path prefix works: https://example.com/rust/ (required).
    pub base_url: String,
    /// UI language: `en` (default), `zh-CN`, or any tag with an `i18n/<tag>.yaml`.
    #[schemars(regex(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"))]
    pub language: Option<String>,
    /// The site's languages, the default first: `[zh-CN, en]` (spec §8).
    #[schemars(inner(regex(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")))]
    pub languages: Option<Vec<String>>,
    /// Default ISO 4217 currency of prices, e.g. CNY or USD (default USD).
    #[serde(default)]
    #[schemars(schema_with = "currency_schema")]
    pub currency: Option<String>,
    /// IANA time zone, e.g. Asia/Shanghai: default for the calendar and sale deadlines.
    pub timezone: Option<String>,
    /// The person behind the site.
    pub author: Option<Author>,
    /// A folder under themes/, or `default`.
    pub theme: Option<String>,
    /// Social links shown in the footer.
    pub social: Option<Social>,
    /// How paid lessons reach buyers: `hidden` (default: left out of the
    /// public site) or `encrypted` (published encrypted, opened by unlock
    /// links from `kpsite keys`; needs the site secret).
    #[schemars(extend("enum" = ["hidden", "encrypted"]))]
    pub delivery: Option<String>,
    /// The landing page's headline: what the site promises its buyers
    /// (default: the title).
    pub promise: Option<String>,
    /// Id of the offer the landing page's one call to action points at
    /// (default: the first course).
    pub featured: Option<String>,
    /// Default share image under static/ (og:image) for pages without their own.
    pub image: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
    /// Contact address.
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Social {
    /// GitHub profile URL.
    pub github: Option<String>,
    /// Twitter / X profile URL.
    pub twitter: Option<String>,
    /// A WeChat QR image under static/, e.g. static/qr.png.
    pub wechat_qr: Option<String>,
}

/// `manifest.yaml`: each list item is deserialized on its own so every bad
/// item is reported.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(title = "kpsite manifest.yaml")]
pub struct Manifest {
    /// Courses; lessons live in lessons/<id>/.
    #[schemars(with = "Vec<Course>")]
    pub courses: Vec<serde_yaml::Value>,
    /// Memberships.
    #[schemars(with = "Vec<Membership>")]
    pub memberships: Vec<serde_yaml::Value>,
    /// Bundles of courses.
    #[schemars(with = "Vec<Bundle>")]
    pub bundles: Vec<serde_yaml::Value>,
}

/// Fields every offer shares.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// Unique id, [a-z0-9-]+; lessons live in lessons/<id>/.
    pub id: String,
    /// Display title.
    pub title: String,
    /// One-line pitch.
    pub tagline: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Difficulty.
    pub level: Option<Level>,
    /// Regular price, at most the currency's minor digits.
    pub price: Scalar,
    /// ISO 4217 code; default: kpsite.yaml currency.
    #[serde(default)]
    #[schemars(schema_with = "currency_schema")]
    pub currency: Option<String>,
    /// A lower price until a moment.
    pub sale: Option<Sale>,
    /// How to pay.
    pub payment: Payment,
    /// Named cost lines, summed; never published.
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub costs: Option<serde_yaml::Mapping>,
    /// Expected sales; never published.
    pub forecast: Option<Forecast>,
    /// Payment-processor fee per sale; never published.
    pub fees: Option<Fees>,
    /// Cover image under static/ (PNG, JPEG, GIF, WebP or SVG): cards, the
    /// sales page, og:image / twitter:image.
    pub image: Option<String>,
    /// "What you will learn" (courses) or "what you get" (memberships, bundles).
    pub outcomes: Option<Vec<String>>,
    /// "Who it is for".
    pub audience: Option<Vec<String>>,
    /// Who teaches it; default: the site's author.
    pub instructor: Option<Instructor>,
    /// Quotes from buyers, shown as cards.
    pub testimonials: Option<Vec<Testimonial>>,
    /// Questions and answers, shown as a FAQ.
    pub faq: Option<Vec<FaqItem>>,
    /// A promise shown beside the buy button, e.g. "30-day money-back guarantee".
    pub guarantee: Option<String>,
    /// Pay in installments, besides the full price.
    pub plans: Option<Vec<Plan>>,
    /// `open` (default), `waitlist` (shows the waitlist form instead of the
    /// buy button) or `closed` (shows neither).
    pub status: Option<Status>,
    /// The waitlist form: where it posts, and the email field's name.
    pub waitlist: Option<Waitlist>,
    /// A cohort: start date, enrollment deadline, seats.
    pub cohort: Option<Cohort>,
    /// A trailer video, shown like a lesson video (YouTube, Vimeo,
    /// Bilibili or an https .mp4).
    pub trailer: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// Unique id, [a-z0-9-]+.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
    /// Price per period.
    pub price: Scalar,
    /// ISO 4217 code; default: kpsite.yaml currency.
    #[serde(default)]
    #[schemars(schema_with = "currency_schema")]
    pub currency: Option<String>,
    /// How often it is paid.
    pub period: Period,
    /// Course ids members may read, or `all`; members also get the
    /// members-only details of events.
    #[schemars(with = "Option<Includes>")]
    pub includes: Option<serde_yaml::Value>,
    /// A lower price until a moment.
    pub sale: Option<Sale>,
    /// How to pay.
    pub payment: Payment,
    /// Named cost lines, summed; never published.
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub costs: Option<serde_yaml::Mapping>,
    /// Expected members (and months); never published.
    pub forecast: Option<Forecast>,
    /// Payment-processor fee per payment; never published.
    pub fees: Option<Fees>,
    /// Cover image under static/ (PNG, JPEG, GIF, WebP or SVG): cards, the
    /// sales page, og:image / twitter:image.
    pub image: Option<String>,
    /// "What you will learn" (courses) or "what you get" (memberships, bundles).
    pub outcomes: Option<Vec<String>>,
    /// "Who it is for".
    pub audience: Option<Vec<String>>,
    /// Who teaches it; default: the site's author.
    pub instructor: Option<Instructor>,
    /// Quotes from buyers, shown as cards.
    pub testimonials: Option<Vec<Testimonial>>,
    /// Questions and answers, shown as a FAQ.
    pub faq: Option<Vec<FaqItem>>,
    /// A promise shown beside the buy button, e.g. "30-day money-back guarantee".
    pub guarantee: Option<String>,
    /// Pay in installments, besides the full price.
    pub plans: Option<Vec<Plan>>,
    /// `open` (default), `waitlist` (shows the waitlist form instead of the
    /// buy button) or `closed` (shows neither).
    pub status: Option<Status>,
    /// The waitlist form: where it posts, and the email field's name.
    pub waitlist: Option<Waitlist>,
    /// Id of the same membership billed over another period (a monthly
    /// and a yearly plan): both pages show both plans side by side.
    pub paired_with: Option<String>,
    /// A trailer video, shown like a lesson video (YouTube, Vimeo,
    /// Bilibili or an https .mp4).
    pub trailer: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Unique id, [a-z0-9-]+.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
    /// Ids of the courses included.
    pub courses: Vec<String>,
    /// Price of the bundle.
    pub price: Scalar,
    /// ISO 4217 code; default: kpsite.yaml currency.
    #[serde(default)]
    #[schemars(schema_with = "currency_schema")]
    pub currency: Option<String>,
    /// A lower price until a moment.
    pub sale: Option<Sale>,
    /// How to pay.
    pub payment: Payment,
    /// Named cost lines, summed; never published.
    #[schemars(with = "Option<BTreeMap<String, Scalar>>")]
    pub costs: Option<serde_yaml::Mapping>,
    /// Expected sales; never published.
    pub forecast: Option<Forecast>,
    /// Payment-processor fee per sale; never published.
    pub fees: Option<Fees>,
    /// Cover image under static/ (PNG, JPEG, GIF, WebP or SVG): cards, the
    /// sales page, og:image / twitter:image.
    pub image: Option<String>,
    /// "What you will learn" (courses) or "what you get" (memberships, bundles).
    pub outcomes: Option<Vec<String>>,
    /// "Who it is for".
    pub audience: Option<Vec<String>>,
    /// Who teaches it; default: the site's author.
    pub instructor: Option<Instructor>,
    /// Quotes from buyers, shown as cards.
    pub testimonials: Option<Vec<Testimonial>>,
    /// Questions and answers, shown as a FAQ.
    pub faq: Option<Vec<FaqItem>>,
    /// A promise shown beside the buy button, e.g. "30-day money-back guarantee".
    pub guarantee: Option<String>,
    /// Pay in installments, besides the full price.
    pub plans: Option<Vec<Plan>>,
    /// `open` (default), `waitlist` (shows the waitlist form instead of the
    /// buy button) or `closed` (shows neither).
    pub status: Option<Status>,
    /// The waitlist form: where it posts, and the email field's name.
    pub waitlist: Option<Waitlist>,
    /// A trailer video, shown like a lesson video (YouTube, Vimeo,
    /// Bilibili or an https .mp4).
    pub trailer: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// New to the subject.
    Beginner,
    /// Knows the basics.
    Intermediate,
    /// Experienced.
    Advanced,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Paid every month.
    Month,
    /// Paid every year.
    Year,
    /// Paid once, for life.
    Once,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sale {
    /// Sale price, below the regular price.
    pub price: Scalar,
    /// Shown while build time < until: 2026-12-31T23:59:59+08:00, a local time, or a date (through that day).
    pub until: String,
    /// e.g. 早鸟价 / Early bird.
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Who takes the payment.
    #[schemars(with = "ProviderName")]
    pub provider: String,
    /// https:// link on the provider's own host (optional for qr).
    pub url: Option<String>,
    /// Letters, digits, - and _; added to the link the provider's way (stripe, lemonsqueezy, gumroad).
    pub coupon: Option<String>,
    /// QR image under static/ (provider qr only).
    pub image: Option<String>,
    /// The product's name or id as the provider's sales export writes it, for `kpsite report --sales`; default the offer's title.
    pub product: Option<String>,
}

/// A teacher, as shown in the instructor box.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instructor {
    /// Display name.
    pub name: String,
    /// A few sentences about them.
    pub bio: Option<String>,
    /// Photo under static/.
    pub photo: Option<String>,
    /// Home page (https).
    pub url: Option<String>,
}

/// One buyer's words.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Testimonial {
    /// Who said it.
    pub name: String,
    /// Their role, e.g. "Backend lead".
    pub role: Option<String>,
    /// What they said (required).
    pub quote: Option<String>,
    /// Photo under static/.
    pub photo: Option<String>,
}

/// A question and its answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqItem {
    /// The question.
    pub q: String,
    /// The answer, Markdown.
    pub a: String,
}

/// An installment plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Number of payments, 2 or more.
    pub installments: Scalar,
    /// Each payment, in the offer's currency.
    pub price: Scalar,
    /// How to pay this plan.
    pub payment: Payment,
}

/// A cohort of a course.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cohort {
    /// First day, a date (2027-03-01) or local date-time, in the site zone.
    pub start: String,
    /// Last moment to enroll: RFC 3339, a local date-time, or a date (through that day).
    pub enroll_by: String,
    /// Seats in the cohort.
    pub seats: Option<Scalar>,
}

/// Whether an offer sells now.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The buy button (default).
    Open,
    /// The waitlist form instead of the buy button.
    Waitlist,
    /// Neither button nor form.
    Closed,
}

/// The waitlist form.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waitlist {
    /// https:// URL the form posts to (your email provider's embed-subscribe URL).
    pub action: String,
    /// Name of the email field the provider expects (default `email`).
    pub field: Option<String>,
}

/// `sales` for courses and bundles, `members` (+ `months`) for memberships;
/// each a whole number or `{low, expected, high}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Forecast {
    /// Sales of a course or bundle.
    #[schemars(with = "Option<ForecastUnits>")]
    pub sales: Option<serde_yaml::Value>,
    /// Members of a membership.
    #[schemars(with = "Option<ForecastUnits>")]
    pub members: Option<serde_yaml::Value>,
    /// Months a monthly membership is paid for (default 12).
    pub months: Option<Scalar>,
    /// Monthly memberships: share of members who leave each month, e.g. `5%` (report only).
    pub churn: Option<Scalar>,
    /// Courses and bundles with a sale: share of the forecast sold at the sale price, e.g. `30%`; the rest sells at the regular price (report only).
    pub sale_share: Option<Scalar>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    /// Percent of each payment, e.g. 2.9.
    pub percent: Option<Scalar>,
    /// Fixed amount per payment, e.g. 0.30.
    pub fixed: Option<Scalar>,
}

/// Front matter of a lesson.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonMatter {
    /// Lesson title (required).
    pub title: String,
    /// One-line summary.
    pub summary: Option<String>,
    #[serde(default)]
    pub free: bool,
    /// Reading time; estimated when absent.
    pub minutes: Option<u32>,
    /// A video shown above the lesson: a YouTube, Vimeo or Bilibili page,
    /// or an https link to an .mp4 file.
    pub video: Option<String>,
    /// Length of the video in minutes, added to the lesson's length.
    pub video_minutes: Option<u32>,
    #[serde(default)]
    pub draft: bool,
}

/// Front matter of `_module.md` in a module folder.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleMatter {
    /// The module's title, shown in the syllabus and the lesson sidebar.
    pub title: String,
}

/// Front matter of a page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    /// Page title (required).
    pub title: String,
    /// Meta description.
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// Where the page is linked: `main` (default: the header), `footer`, or `none`.
    pub menu: Option<Menu>,
    /// Order within its menu, lowest first (default 0; ties by title).
    pub weight: Option<i32>,
}

/// Which menu links a page.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Menu {
    /// The header navigation.
    Main,
    /// The footer (privacy, terms, imprint, refund policy).
    Footer,
    /// Not linked from any menu.
    None,
}
