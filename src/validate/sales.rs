//! The sales-page fields of an offer (SPEC §2.2): images are read and
//! sized through the fence, plans priced exactly, cohort dates checked in
//! the site's zone, the waitlist form's action kept to https.

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use super::config::{parse_instant, read_image, web_url};
use super::{Ctx, raw};
use crate::model::sales::{Cohort, Faq, Person, Plan, Testimonial, Waitlist};
use crate::model::*;

/// The sales-page fields of one raw offer, borrowed (courses, memberships
/// and bundles spell them alike).
pub(super) struct Fields<'a> {
    pub image: Option<&'a str>,
    pub outcomes: Option<&'a Vec<String>>,
    pub audience: Option<&'a Vec<String>>,
    pub instructor: Option<&'a raw::Instructor>,
    pub testimonials: Option<&'a Vec<raw::Testimonial>>,
    pub faq: Option<&'a Vec<raw::FaqItem>>,
    pub guarantee: Option<&'a str>,
    pub plans: Option<&'a Vec<raw::Plan>>,
    pub cohort: Option<&'a raw::Cohort>,
    pub status: Option<raw::Status>,
    pub waitlist: Option<&'a raw::Waitlist>,
    pub paired_with: Option<&'a str>,
}

/// What the sales fields need besides themselves.
pub(super) struct Env<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub currency: Currency,
    /// The offer's regular price, when it validated.
    pub regular: Option<Money>,
}

/// Validates the sales fields at `path` (`courses.0`); every problem is
/// reported, and `None` means at least one was an error. `payment`
/// validates a plan's payment the way the offer's own is validated.
pub(super) fn validate(
    cx: &mut Ctx,
    path: &str,
    f: Fields,
    env: &Env,
    payment: &mut dyn FnMut(&mut Ctx, &str, &raw::Payment) -> Option<Payment>,
) -> Option<SalesPage> {
    let errors = cx.diags.error_count();
    let image = f
        .image
        .and_then(|i| image(cx, env, &format!("{path}.image"), i));
    let instructor = f
        .instructor
        .and_then(|i| instructor(cx, env, &format!("{path}.instructor"), i));
    let testimonials = f
        .testimonials
        .map(|list| testimonials(cx, env, &format!("{path}.testimonials"), list))
        .unwrap_or_default();
    let faq = f
        .faq
        .map(|list| faq(cx, &format!("{path}.faq"), list))
        .unwrap_or_default();
    let plans = f
        .plans
        .map(|list| plans(cx, env, &format!("{path}.plans"), list, payment))
        .unwrap_or_default();
    let cohort = f
        .cohort
        .and_then(|c| cohort(cx, env, &format!("{path}.cohort"), c));
    let status = match f.status {
        None | Some(raw::Status::Open) => Status::Open,
        Some(raw::Status::Waitlist) => Status::Waitlist,
        Some(raw::Status::Closed) => Status::Closed,
    };
    let waitlist = f
        .waitlist
        .and_then(|w| waitlist(cx, &format!("{path}.waitlist"), w));
    if status == Status::Waitlist && f.waitlist.is_none() {
        cx.error(
            &format!("{path}.status"),
            "`status: waitlist` needs a `waitlist: { action: https://…, field: email }` form to show instead of the buy button",
        );
    }
    if status != Status::Waitlist && f.waitlist.is_some() {
        cx.warning(
            &format!("{path}.waitlist"),
            "the waitlist form is shown only with `status: waitlist`; it is not shown now",
        );
    }
    let list = |cx: &mut Ctx, field: &str, items: Option<&Vec<String>>| -> Vec<String> {
        let items = items.cloned().unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            if item.trim().is_empty() {
                cx.error(
                    &format!("{path}.{field}.{i}"),
                    "this line is empty; write it or remove it",
                );
            }
        }
        items
    };
    let outcomes = list(cx, "outcomes", f.outcomes);
    let audience = list(cx, "audience", f.audience);
    let guarantee = f.guarantee.map(str::trim).filter(|g| !g.is_empty());
    if cx.diags.error_count() > errors {
        return None;
    }
    Some(SalesPage {
        image,
        outcomes,
        audience,
        instructor,
        testimonials,
        faq,
        guarantee: guarantee.map(str::to_string),
        plans,
        cohort,
        status,
        waitlist,
        paired_with: f.paired_with.map(str::to_string),
    })
}

fn image(cx: &mut Ctx, env: &Env, at: &str, file: &str) -> Option<Image> {
    cx.check(at, read_image(env.root, file))
}

fn instructor(cx: &mut Ctx, env: &Env, at: &str, i: &raw::Instructor) -> Option<Person> {
    if i.name.trim().is_empty() {
        cx.error(&format!("{at}.name"), "the instructor needs a name");
    }
    if let Some(u) = &i.url {
        cx.check(&format!("{at}.url"), web_url("instructor url", u))?;
    }
    let photo = match &i.photo {
        Some(p) => Some(image(cx, env, &format!("{at}.photo"), p)?),
        None => None,
    };
    Some(Person {
        name: i.name.clone(),
        role: None,
        bio: i.bio.clone(),
        photo,
        url: i.url.clone(),
    })
}

fn testimonials(cx: &mut Ctx, env: &Env, at: &str, list: &[raw::Testimonial]) -> Vec<Testimonial> {
    let mut out = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let here = format!("{at}.{i}");
        let quote = t.quote.as_deref().map(str::trim).unwrap_or("");
        if quote.is_empty() {
            cx.error(
                &here,
                format!(
                    "the testimonial of `{}` has no `quote`: add what they said, e.g. quote: \"Saved our team a week.\"",
                    t.name
                ),
            );
            continue;
        }
        if t.name.trim().is_empty() {
            cx.error(
                &format!("{here}.name"),
                "a testimonial needs the name of who said it",
            );
            continue;
        }
        let photo = t
            .photo
            .as_deref()
            .and_then(|p| image(cx, env, &format!("{here}.photo"), p));
        out.push(Testimonial {
            person: Person {
                name: t.name.clone(),
                role: t.role.clone(),
                photo,
                ..Person::default()
            },
            quote: quote.to_string(),
        });
    }
    out
}

fn faq(cx: &mut Ctx, at: &str, list: &[raw::FaqItem]) -> Vec<Faq> {
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        if item.q.trim().is_empty() || item.a.trim().is_empty() {
            cx.error(
                &format!("{at}.{i}"),
                "a FAQ item needs both `q` (the question) and `a` (the answer)",
            );
            continue;
        }
        out.push(Faq {
            q: item.q.clone(),
            a: item.a.clone(),
        });
    }
    out
}

fn plans(
    cx: &mut Ctx,
    env: &Env,
    at: &str,
    list: &[raw::Plan],
    payment: &mut dyn FnMut(&mut Ctx, &str, &raw::Payment) -> Option<Payment>,
) -> Vec<Plan> {
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let here = format!("{at}.{i}");
        let n = cx.count(&format!("{here}.installments"));
        let n = n.and_then(|n| {
            let ok = (2..=120).contains(&n);
            if !ok {
                cx.error(
                    &format!("{here}.installments"),
                    format!("{n} installments: a plan is 2 to 120 payments (the full price is the one-payment option)"),
                );
            }
            ok.then_some(n as u32)
        });
        let price = cx.money(&format!("{here}.price"), env.currency);
        let pay = payment(cx, &format!("{here}.payment"), &p.payment);
        let (Some(installments), Some(price), Some(payment)) = (n, price, pay) else {
            continue;
        };
        let plan = Plan {
            installments,
            price,
            payment,
        };
        match (plan.total(), env.regular) {
            (None, _) => {
                cx.error(&format!("{here}.price"), "this plan's total is too large");
                continue;
            }
            (Some(total), Some(full)) if total < full => cx.warning(
                &format!("{here}.price"),
                format!(
                    "{installments} × {} = {} is less than the full price {}: a payment plan usually costs a little more, not less; check the amount",
                    price.decimal(),
                    total.decimal(),
                    full.decimal()
                ),
            ),
            _ => {}
        }
        out.push(plan);
    }
    out
}

/// A cohort start: a date (its first moment) or a local date-time.
fn parse_start(text: &str, tz: &jiff::tz::TimeZone) -> Result<(Date, Timestamp), String> {
    let t = text.trim();
    let dt = if let Some(d) = t
        .parse::<Date>()
        .ok()
        .filter(|_| !t.contains(['T', 't', ' ']))
    {
        d.to_datetime(Time::midnight())
    } else if let Ok(ts) = t.parse::<Timestamp>() {
        ts.to_zoned_datetime(tz.clone()).datetime()
    } else {
        t.parse::<DateTime>()
            .map_err(|_| format!("`{t}` is not a date (write 2027-03-01)"))?
    };
    let at = tz.to_timestamp(dt).map_err(|e| format!("`{t}`: {e}"))?;
    Ok((dt.date(), at))
}

fn cohort(cx: &mut Ctx, env: &Env, at: &str, c: &raw::Cohort) -> Option<Cohort> {
    let tz = &env.config.timezone;
    let start = cx.check(&format!("{at}.start"), parse_start(&c.start, tz));
    let enroll_by = cx.check(&format!("{at}.enroll_by"), parse_instant(&c.enroll_by, tz));
    let seats = match c.seats {
        Some(_) => Some(cx.count(&format!("{at}.seats"))?),
        None => None,
    };
    let ((start, start_at), enroll_by) = (start?, enroll_by?);
    if enroll_by > start_at {
        cx.error(
            &format!("{at}.enroll_by"),
            format!(
                "enrollment closes after the cohort starts ({} is after {start}): set enroll_by on or before the start",
                c.enroll_by.trim()
            ),
        );
        return None;
    }
    Some(Cohort {
        start,
        start_at,
        enroll_by,
        seats,
    })
}

fn waitlist(cx: &mut Ctx, at: &str, w: &raw::Waitlist) -> Option<Waitlist> {
    let action = w.action.trim();
    let https = url::Url::parse(action)
        .ok()
        .filter(|u| u.scheme() == "https" && u.host_str().is_some());
    if https.is_none() {
        cx.error(
            &format!("{at}.action"),
            format!("waitlist action `{action}` must be an https:// link (the form sends email addresses there)"),
        );
        return None;
    }
    let field = w.field.as_deref().unwrap_or("email").trim().to_string();
    let plain = !field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.[]".contains(&b));
    if !plain {
        cx.error(
            &format!("{at}.field"),
            format!("field name `{field}` must be letters, digits, _ - . [ ] (the name your email provider expects, e.g. email)"),
        );
        return None;
    }
    Some(Waitlist {
        action: action.to_string(),
        field,
    })
}
