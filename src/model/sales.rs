//! What a sales page shows besides the price: cover, outcomes, audience,
//! instructor, testimonials, FAQ, guarantee, installment plans, a cohort,
//! and whether the offer sells now (SPEC §2.2, sales-page fields). Every
//! field is optional; all of it has been validated.

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Money, Payment};

/// An image under `static/`, with the size read from the file (for
/// `width`/`height` attributes and `og:image:width`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Path as written, under `static/` (`static/img/cover.png`).
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Image {
    /// The path in the output (`img/cover.png`): static files are copied
    /// to the output root.
    pub fn output_path(&self) -> &str {
        self.path.strip_prefix("static/").unwrap_or(&self.path)
    }
}

/// A teacher.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// Display name.
    pub name: String,
    /// Role or one-line title (testimonials).
    pub role: Option<String>,
    /// A few sentences (instructors).
    pub bio: Option<String>,
    /// Photo.
    pub photo: Option<Image>,
    /// Home page.
    pub url: Option<String>,
}

/// One buyer's words.
#[derive(Debug, Clone)]
pub struct Testimonial {
    /// Who said it, with role and photo.
    pub person: Person,
    /// What they said.
    pub quote: String,
}

/// A question and its Markdown answer.
#[derive(Debug, Clone)]
pub struct Faq {
    /// The question.
    pub q: String,
    /// The answer, Markdown.
    pub a: String,
}

/// Paying in installments.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Number of payments, 2 or more.
    pub installments: u32,
    /// Each payment.
    pub price: Money,
    /// Where to pay this plan.
    pub payment: Payment,
}

impl Plan {
    /// What the plan costs in all; `None` on overflow (validation refuses it).
    pub fn total(&self) -> Option<Money> {
        self.price.checked_mul(u64::from(self.installments))
    }
}

/// A cohort of a course: a start date, an enrollment deadline, seats.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// First day, in the site's zone.
    pub start: Date,
    /// The first moment of `start` in the site's zone.
    pub start_at: Timestamp,
    /// Last moment to enroll.
    pub enroll_by: Timestamp,
    /// Seats, when limited.
    pub seats: Option<u64>,
}

/// Whether an offer sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// The buy button.
    #[default]
    Open,
    /// A waitlist form instead of the buy button.
    Waitlist,
    /// Neither.
    Closed,
}

impl Status {
    /// `open`, `waitlist`, `closed`: the theme's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Waitlist => "waitlist",
            Status::Closed => "closed",
        }
    }
}

/// A form that posts an email address to the seller's email provider.
#[derive(Debug, Clone)]
pub struct Waitlist {
    /// https:// URL the form posts to.
    pub action: String,
    /// Name of the email field.
    pub field: String,
}

/// Everything a sales page shows besides the price. `Default` is a bare
/// offer.
#[derive(Debug, Clone, Default)]
pub struct SalesPage {
    /// Cover image.
    pub image: Option<Image>,
    /// What you will learn / get.
    pub outcomes: Vec<String>,
    /// Who it is for.
    pub audience: Vec<String>,
    /// The instructor, when given (else the site's author is shown).
    pub instructor: Option<Person>,
    /// Testimonials, in manifest order.
    pub testimonials: Vec<Testimonial>,
    /// FAQ, in manifest order.
    pub faq: Vec<Faq>,
    /// Shown beside the buy button.
    pub guarantee: Option<String>,
    /// Installment plans.
    pub plans: Vec<Plan>,
    /// A cohort (courses).
    pub cohort: Option<Cohort>,
    /// As written (`open` when absent).
    pub status: Status,
    /// The waitlist form.
    pub waitlist: Option<Waitlist>,
    /// Id of the same membership billed over another period.
    pub paired_with: Option<String>,
}

impl SalesPage {
    /// The status in effect at `now`: a cohort whose enrollment deadline
    /// has passed is closed, whatever `status` says (the one place that
    /// decides it).
    pub fn status_at(&self, now: Timestamp) -> Status {
        match &self.cohort {
            Some(c) if now > c.enroll_by => Status::Closed,
            _ => self.status,
        }
    }
}
