//! Views of the sales-page blocks (SPEC §2.2 sales-page fields): cover
//! images with their sizes, outcomes, audience, instructor, testimonials,
//! FAQ, guarantee, installment plans, cohort, status and waitlist, the
//! offers that also include a course, bundle savings and paired
//! membership plans. Built from the model only; nothing private (costs,
//! forecasts, fees) is reachable from here.

use serde::Serialize;

use super::links;
use super::views::{OfferView, Views};
use crate::model::sales::{Person, Plan};
use crate::model::*;

/// An image as a page shows it and as `og:image` names it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL, for `og:image`.
    pub absolute: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A person as shown (instructor box, testimonial).
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<String>,
    /// Bio.
    pub bio: Option<String>,
    /// Photo.
    pub photo: Option<ImageView>,
    /// Home page.
    pub url: Option<String>,
    /// Initials, for a placeholder where there is no photo.
    pub initial: String,
}

/// A testimonial card.
#[derive(Debug, Clone, Serialize)]
pub struct TestimonialView {
    /// Who said it.
    pub person: PersonView,
    /// What they said.
    pub quote: String,
}

/// A FAQ entry with its answer rendered.
#[derive(Debug, Clone, Serialize)]
pub struct FaqView {
    /// The question.
    pub q: String,
    /// The answer, HTML from Markdown.
    pub a_html: String,
    /// The answer as plain text (JSON-LD).
    pub a_text: String,
}

/// An installment plan as offered.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// Number of payments.
    pub installments: u32,
    /// Each payment, formatted.
    pub price: String,
    /// Each payment, machine decimal.
    pub price_decimal: String,
    /// The whole plan, formatted.
    pub total: String,
    /// The whole plan, machine decimal.
    pub total_decimal: String,
    /// The checkout link.
    pub url: Option<String>,
    /// The QR image (provider qr).
    pub qr_image: Option<String>,
    /// Provider name.
    pub provider: &'static str,
}

/// A cohort as shown.
#[derive(Debug, Clone, Serialize)]
pub struct CohortView {
    /// Start date, formatted in the site's language.
    pub start: String,
    /// Start date, ISO.
    pub start_iso: String,
    /// Enrollment deadline, formatted, with the zone named.
    pub enroll_by: String,
    /// Deadline, RFC 3339.
    pub enroll_by_iso: String,
    /// Seats.
    pub seats: Option<u64>,
    /// Enrollment closed at build time.
    pub closed: bool,
}

/// The waitlist form.
#[derive(Debug, Clone, Serialize)]
pub struct WaitlistView {
    /// https:// URL the form posts to.
    pub action: String,
    /// Name of the email field.
    pub field: String,
}

/// Another offer that also sells this course, with its price.
#[derive(Debug, Clone, Serialize)]
pub struct AlternativeView {
    /// The offer's card data.
    pub offer: OfferView,
    /// How many courses it holds (bundles; memberships: its includes).
    pub course_count: usize,
}

/// Every sales block of one offer page.
#[derive(Debug, Clone, Serialize)]
pub struct SalesView {
    /// Cover.
    pub image: Option<ImageView>,
    /// What you will learn / get.
    pub outcomes: Vec<String>,
    /// Who it is for.
    pub audience: Vec<String>,
    /// The instructor (the site's author when not given); `None` without either.
    pub instructor: Option<PersonView>,
    /// Testimonials.
    pub testimonials: Vec<TestimonialView>,
    /// FAQ.
    pub faq: Vec<FaqView>,
    /// Guarantee beside the buy button.
    pub guarantee: Option<String>,
    /// Installment plans.
    pub plans: Vec<PlanView>,
    /// Cohort.
    pub cohort: Option<CohortView>,
    /// `open`, `waitlist` or `closed`, at build time.
    pub status: &'static str,
    /// The waitlist form, when the status is `waitlist`.
    pub waitlist: Option<WaitlistView>,
}

impl Views<'_> {
    /// An image under `static/` as pages and meta tags use it.
    pub fn image(&self, i: &Image) -> ImageView {
        ImageView {
            url: self.urls.asset(i.output_path()),
            absolute: self.urls.absolute_asset(i.output_path()),
            width: i.width,
            height: i.height,
        }
    }

    fn person(&self, p: &Person) -> PersonView {
        PersonView {
            name: p.name.clone(),
            role: p.role.clone(),
            bio: p.bio.clone(),
            photo: p.photo.as_ref().map(|i| self.image(i)),
            url: p.url.clone(),
            initial: p.name.chars().next().map(String::from).unwrap_or_default(),
        }
    }

    /// The instructor of an offer: its own, or the site's author.
    pub fn instructor(&self, s: &SalesPage) -> Option<PersonView> {
        if let Some(p) = &s.instructor {
            return Some(self.person(p));
        }
        let a = self.site.config.author.as_ref()?;
        Some(self.person(&Person {
            name: a.name.clone(),
            url: a.url.clone(),
            ..Person::default()
        }))
    }

    /// The testimonials of an offer.
    pub fn testimonials(&self, s: &SalesPage) -> Vec<TestimonialView> {
        s.testimonials
            .iter()
            .map(|t| TestimonialView {
                person: self.person(&t.person),
                quote: t.quote.clone(),
            })
            .collect()
    }

    fn plan(&self, p: &Plan) -> PlanView {
        let total = p.total().unwrap_or(p.price);
        PlanView {
            installments: p.installments,
            price: self.fmt.money(p.price),
            price_decimal: p.price.decimal(),
            total: self.fmt.money(total),
            total_decimal: total.decimal(),
            url: p.payment.checkout_url(),
            qr_image: p
                .payment
                .image
                .as_deref()
                .map(|i| self.urls.asset(i.strip_prefix("static/").unwrap_or(i))),
            provider: p.payment.provider.name(),
        }
    }

    /// Every sales block of an offer; `faq` holds the answers already
    /// rendered (Markdown needs the renderer), `date_format` is the theme's
    /// strftime pattern for a date. `course`: a course page shows the
    /// site's author as instructor when none is given; memberships and
    /// bundles show only one named for them.
    pub fn sales(
        &self,
        s: &SalesPage,
        faq: Vec<FaqView>,
        date_format: &str,
        course: bool,
    ) -> SalesView {
        let now = self.site.now;
        let status = s.status_at(now);
        SalesView {
            image: s.image.as_ref().map(|i| self.image(i)),
            outcomes: s.outcomes.clone(),
            audience: s.audience.clone(),
            instructor: if course {
                self.instructor(s)
            } else {
                s.instructor.as_ref().map(|p| self.person(p))
            },
            testimonials: self.testimonials(s),
            faq,
            guarantee: s.guarantee.clone(),
            plans: s.plans.iter().map(|p| self.plan(p)).collect(),
            cohort: s.cohort.as_ref().map(|c| CohortView {
                start: c.start.strftime(date_format).to_string(),
                start_iso: c.start.to_string(),
                enroll_by: self.fmt.datetime_zoned(c.enroll_by),
                enroll_by_iso: c.enroll_by.to_string(),
                seats: c.seats,
                closed: now > c.enroll_by,
            }),
            status: status.name(),
            waitlist: s
                .waitlist
                .as_ref()
                .filter(|_| status == Status::Waitlist)
                .map(|w| WaitlistView {
                    action: w.action.clone(),
                    field: w.field.clone(),
                }),
        }
    }

    /// The memberships and bundles that also sell course `id`, with their
    /// prices: the alternatives a course page offers.
    pub fn alternatives(&self, id: &str) -> Vec<AlternativeView> {
        let m = self
            .site
            .memberships
            .iter()
            .filter(|m| m.includes.iter().any(|c| c == id))
            .map(|m| AlternativeView {
                offer: self.membership(m),
                course_count: m.includes.len(),
            });
        let b = self
            .site
            .bundles
            .iter()
            .filter(|b| b.courses.iter().any(|c| c == id))
            .map(|b| AlternativeView {
                offer: self.bundle(b),
                course_count: b.courses.len(),
            });
        b.chain(m).collect()
    }

    /// What the courses of bundle `b` cost one by one at build time, and
    /// what the bundle saves on that (`None` when it saves nothing, or
    /// the currencies differ).
    pub fn bundle_saving(&self, b: &Bundle) -> (Option<String>, Option<String>) {
        let now = self.site.now;
        let price = b.offer.price.effective(now);
        let mut total = Some(Money::zero(price.currency()));
        for c in self
            .site
            .courses
            .iter()
            .filter(|c| b.courses.contains(&c.offer.id))
        {
            total = total.and_then(|t| t.checked_add(c.offer.price.effective(now)));
        }
        let saving = total
            .and_then(|t| t.checked_sub(price))
            .filter(|s| s.minor() > 0);
        (
            total.map(|t| self.fmt.money(t)),
            saving.map(|s| self.fmt.money(s)),
        )
    }

    /// The plans of membership `m` side by side: itself and the membership
    /// it is paired with (either side may name the other), shortest period
    /// first, each with what the longer one saves over paying monthly.
    pub fn paired_plans(&self, m: &Membership) -> Vec<PairedPlan> {
        let partner = self.site.memberships.iter().find(|x| {
            x.offer.id != m.offer.id
                && (m.sales.paired_with.as_deref() == Some(x.offer.id.as_str())
                    || x.sales.paired_with.as_deref() == Some(m.offer.id.as_str()))
        });
        let Some(partner) = partner else {
            return Vec::new();
        };
        let mut both = [m, partner];
        both.sort_by_key(|x| match x.period {
            Period::Month => 0,
            Period::Year => 1,
            Period::Once => 2,
        });
        let now = self.site.now;
        let monthly = both
            .iter()
            .find(|x| x.period == Period::Month)
            .map(|x| x.offer.price.effective(now));
        both.iter()
            .map(|x| {
                let price = x.offer.price.effective(now);
                let saving = match (x.period, monthly) {
                    (Period::Year, Some(mo)) => mo
                        .checked_mul(12)
                        .and_then(|year| year.checked_sub(price))
                        .filter(|s| s.minor() > 0)
                        .map(|s| self.fmt.money(s)),
                    _ => None,
                };
                PairedPlan {
                    offer: self.membership(x),
                    current: x.offer.id == m.offer.id,
                    saving,
                }
            })
            .collect()
    }

    /// The course index's and landing page's course cards.
    pub fn course_cards(&self) -> Vec<OfferView> {
        self.site.courses.iter().map(|c| self.course(c)).collect()
    }

    /// The offer the landing page's call to action points at: `featured`,
    /// else the first course, else the first membership or bundle.
    pub fn featured(&self) -> Option<OfferView> {
        let s = self.site;
        let id = s.config.featured.as_deref();
        let course = s
            .courses
            .iter()
            .find(|c| id.is_none_or(|id| c.offer.id == id))
            .map(|c| self.course(c));
        let membership = || {
            s.memberships
                .iter()
                .find(|m| id.is_none_or(|id| m.offer.id == id))
                .map(|m| self.membership(m))
        };
        let bundle = || {
            s.bundles
                .iter()
                .find(|b| id.is_none_or(|id| b.offer.id == id))
                .map(|b| self.bundle(b))
        };
        course.or_else(membership).or_else(bundle)
    }

    /// Up to `n` testimonials from every offer, for the landing page.
    pub fn social_proof(&self, n: usize) -> Vec<TestimonialView> {
        let s = self.site;
        let all = s
            .courses
            .iter()
            .map(|c| &c.sales)
            .chain(s.memberships.iter().map(|m| &m.sales))
            .chain(s.bundles.iter().map(|b| &b.sales));
        all.flat_map(|sp| self.testimonials(sp)).take(n).collect()
    }

    /// URL of the course index.
    pub fn courses_url(&self) -> String {
        self.urls.path(&links::courses())
    }
}

/// One membership plan shown beside its pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairedPlan {
    /// The membership.
    pub offer: OfferView,
    /// The page being shown is this one.
    pub current: bool,
    /// What a yearly plan saves over twelve monthly payments.
    pub saving: Option<String>,
}
