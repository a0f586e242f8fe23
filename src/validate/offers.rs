//! `manifest.yaml` → courses, memberships and bundles.

use std::collections::BTreeSet;
use std::path::Path;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

use super::config::{check_site_file, parse_instant};
use super::sales::{self, Env};
use super::{Ctx, raw};
use crate::diagnostics::{Diagnostics, did_you_mean, id_hint};
use crate::load::{TextFile, yaml};
use crate::model::*;
use crate::util::valid_id;

/// The offers of a manifest, those that validated.
#[derive(Default)]
pub(super) struct Offers {
    /// Every course id the manifest names, valid or not, so that a broken
    /// course does not also make its lessons and bundles look orphaned.
    pub declared_courses: BTreeSet<String>,
    /// Where each declared course's id is written, for warnings about it.
    pub course_positions: std::collections::BTreeMap<String, (usize, usize)>,
    /// False when the manifest did not parse: then nothing is known about
    /// its courses, and checks against them would only report false errors.
    pub parsed: bool,
    pub courses: Vec<Course>,
    pub memberships: Vec<Membership>,
    pub bundles: Vec<Bundle>,
}

pub(super) fn validate(
    root: &Path,
    file: &TextFile,
    config: &Config,
    now: Timestamp,
    diags: &mut Diagnostics,
) -> Offers {
    let Ok(parsed) = yaml::parse_in::<raw::Manifest>(
        &file.path,
        &file.text,
        yaml::Locale {
            languages: &config.languages,
            current: &config.language,
        },
    )
    .map_err(|d| diags.push(d)) else {
        return Offers::default();
    };
    let raw = parsed.value;
    let mut cx = Ctx {
        file: file.path.clone(),
        spans: parsed.spans,
        diags,
    };
    let mut v = Validator {
        cx: &mut cx,
        root,
        config,
        ids: BTreeSet::new(),
        _now: now,
    };
    let mut offers = Offers {
        parsed: true,
        ..Offers::default()
    };
    for (i, value) in raw.courses.into_iter().enumerate() {
        let path = format!("courses.{i}");
        if let Some(id) = value.get("id").and_then(|v| v.as_str()) {
            offers.declared_courses.insert(id.to_string());
            if let Some(pos) = v.cx.spans.position(&format!("{path}.id")) {
                offers.course_positions.insert(id.to_string(), pos);
            }
        }
        let errors = v.cx.diags.error_count();
        let course = v
            .item::<raw::Course>(&path, value)
            .and_then(|c| v.course(&path, c));
        v.never_silently_dropped(&path, errors, course.is_some());
        offers.courses.extend(course);
    }
    let all: Vec<String> = offers.courses.iter().map(|c| c.offer.id.clone()).collect();
    let mut membership_paths = Vec::new();
    for (i, value) in raw.memberships.into_iter().enumerate() {
        let path = format!("memberships.{i}");
        let errors = v.cx.diags.error_count();
        let m = v.item::<raw::Membership>(&path, value).and_then(|m| {
            let includes = v.includes(&path, m.includes.as_ref(), &offers.declared_courses, &all);
            v.membership(&path, m, includes)
        });
        v.never_silently_dropped(&path, errors, m.is_some());
        if m.is_some() {
            membership_paths.push(path);
        }
        offers.memberships.extend(m);
    }
    for (i, value) in raw.bundles.into_iter().enumerate() {
        let path = format!("bundles.{i}");
        let errors = v.cx.diags.error_count();
        let b = v
            .item::<raw::Bundle>(&path, value)
            .and_then(|b| v.bundle(&path, b, &offers.declared_courses));
        v.never_silently_dropped(&path, errors, b.is_some());
        if let Some(b) = &b {
            bundle_saving(v.cx, &path, b, &offers.courses, now);
        }
        offers.bundles.extend(b);
    }
    check_pairs(v.cx, &offers.memberships, &membership_paths);
    offers
}

/// Warns when bundle `b` (at `path`) costs as much as or more than its
/// courses bought one by one at the build time's prices (SPEC §2.2).
fn bundle_saving(cx: &mut Ctx, path: &str, b: &Bundle, courses: &[Course], now: Timestamp) {
    let price = b.offer.price.effective(now);
    let parts = b
        .courses
        .iter()
        .filter_map(|id| courses.iter().find(|c| c.offer.id == *id))
        .map(|c| c.offer.price.effective(now));
    let mut total = Some(Money::zero(price.currency()));
    for p in parts {
        total = total.and_then(|t| t.checked_add(p));
    }
    let Some(total) = total else {
        cx.warning(
            &format!("{path}.courses"),
            "the bundle's courses are priced in another currency than the bundle, so its page cannot show a saving",
        );
        return;
    };
    if price >= total {
        cx.warning(
            &format!("{path}.price"),
            format!(
                "the bundle costs {} but its courses cost {} bought separately: it saves the buyer nothing; lower its price",
                price.decimal(),
                total.decimal()
            ),
        );
    }
}

/// A membership's `paired_with` names another membership with a
/// different period (a monthly and a yearly plan of the same thing).
fn check_pairs(cx: &mut Ctx, memberships: &[Membership], paths: &[String]) {
    for (m, path) in memberships.iter().zip(paths) {
        let Some(other) = &m.sales.paired_with else {
            continue;
        };
        let at = format!("{path}.paired_with");
        match memberships.iter().find(|x| x.offer.id == *other) {
            None => cx.error(
                &at,
                format!("paired_with names `{other}`, which is not a membership of this manifest"),
            ),
            Some(x) if x.offer.id == m.offer.id => {
                cx.error(&at, "a membership cannot be paired with itself")
            }
            Some(x) if x.period == m.period => cx.error(
                &at,
                format!("`{other}` is billed the same period; pair a monthly plan with a yearly (or one-time) one"),
            ),
            Some(_) => {}
        }
    }
}

/// Whether a payment link is still a placeholder: the `test_replace_me`
/// link `kpsite init` writes, or one on the example domains.
pub(super) fn is_placeholder(url: &str) -> bool {
    let host = url::Url::parse(url)
        .ok()
        // `example.com.` (with the root's dot) is the same host.
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
        });
    let example = host.is_some_and(|h| {
        ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| h == *d || h.ends_with(&format!(".{d}")))
    });
    example || url.contains("replace_me")
}

/// The sales-page fields of a raw course, membership or bundle `$o`
/// (`$cohort` and `$paired` for the kinds that have them).
macro_rules! sales_fields {
    ($o:expr, $cohort:expr, $paired:expr) => {
        sales::Fields {
            image: $o.image.as_deref(),
            outcomes: $o.outcomes.as_ref(),
            audience: $o.audience.as_ref(),
            instructor: $o.instructor.as_ref(),
            testimonials: $o.testimonials.as_ref(),
            faq: $o.faq.as_ref(),
            guarantee: $o.guarantee.as_deref(),
            plans: $o.plans.as_ref(),
            cohort: $cohort.and_then(|c: &Option<raw::Cohort>| c.as_ref()),
            status: $o.status,
            waitlist: $o.waitlist.as_ref(),
            paired_with: $paired,
        }
    };
}

/// The fields every kind of offer shares, borrowed from its raw form.
struct Fields<'a> {
    kind: OfferKind,
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    currency: Option<&'a str>,
    sale: Option<&'a raw::Sale>,
    payment: &'a raw::Payment,
    costs: Option<&'a serde_yaml::Mapping>,
    forecast: Option<&'a raw::Forecast>,
    fees: Option<&'a raw::Fees>,
    trailer: Option<&'a str>,
}

struct Validator<'c, 'd, 'a> {
    cx: &'c mut Ctx<'d>,
    root: &'a Path,
    config: &'a Config,
    ids: BTreeSet<String>,
    _now: Timestamp,
}

impl Validator<'_, '_, '_> {
    /// The guard behind "nothing is dropped silently": an offer left out
    /// (`kept` false) without an error since there were `errors_before`
    /// gets one, so the build fails instead of shipping a site without it.
    fn never_silently_dropped(&mut self, path: &str, errors_before: usize, kept: bool) {
        if !kept && self.cx.diags.error_count() == errors_before {
            self.cx.error(
                path,
                "this offer could not be read and was left out; please report this as a kpsite bug",
            );
        }
    }

    fn item<T: DeserializeOwned>(&mut self, path: &str, value: serde_yaml::Value) -> Option<T> {
        yaml::from_value(&self.cx.file, &self.cx.spans, path, value)
            .map_err(|d| self.cx.diags.push(d))
            .ok()
    }

    fn course(&mut self, path: &str, c: raw::Course) -> Option<Course> {
        let fields = Fields {
            kind: OfferKind::Course,
            id: &c.id,
            title: &c.title,
            description: c.description.as_deref(),
            currency: c.currency.as_deref(),
            sale: c.sale.as_ref(),
            payment: &c.payment,
            costs: c.costs.as_ref(),
            forecast: c.forecast.as_ref(),
            fees: c.fees.as_ref(),
            trailer: c.trailer.as_deref(),
        };
        let offer = self.offer(path, fields);
        let sales = self.sales(
            path,
            sales_fields!(c, Some(&c.cohort), None),
            offer.as_ref(),
        );
        let (offer, sales) = (offer?, sales?);
        let level = c.level.map(|l| match l {
            raw::Level::Beginner => Level::Beginner,
            raw::Level::Intermediate => Level::Intermediate,
            raw::Level::Advanced => Level::Advanced,
        });
        Some(Course {
            offer,
            tagline: c.tagline,
            level,
            lessons: Vec::new(),
            sales,
            modules: Vec::new(),
        })
    }

    /// A membership's `includes`: course ids that must all be declared,
    /// or `all` (every valid course, in manifest order).
    fn includes(
        &mut self,
        path: &str,
        value: Option<&serde_yaml::Value>,
        known: &BTreeSet<String>,
        all: &[String],
    ) -> Vec<String> {
        let at = format!("{path}.includes");
        match value {
            None => Vec::new(),
            Some(serde_yaml::Value::String(s)) if s == "all" => all.to_vec(),
            Some(serde_yaml::Value::Sequence(items)) => {
                let mut ids = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(id) if known.contains(id) => {
                            if !ids.iter().any(|x| x == id) {
                                ids.push(id.to_string());
                            }
                        }
                        Some(id) => self.cx.error(
                            &format!("{at}.{i}"),
                            format!(
                                "membership includes unknown course `{id}`{}",
                                id_hint(id, "course", known.iter().map(String::as_str))
                            ),
                        ),
                        None => self.cx.error(
                            &format!("{at}.{i}"),
                            "each item of `includes` should be a course id, like `rust-web`",
                        ),
                    }
                }
                ids
            }
            Some(_) => {
                self.cx
                    .error(&at, "`includes` should be a list of course ids, like `[rust-web, go-basics]`, or `all`");
                Vec::new()
            }
        }
    }

    fn membership(
        &mut self,
        path: &str,
        m: raw::Membership,
        includes: Vec<String>,
    ) -> Option<Membership> {
        let fields = Fields {
            kind: OfferKind::Membership,
            id: &m.id,
            title: &m.title,
            description: m.description.as_deref(),
            currency: m.currency.as_deref(),
            sale: m.sale.as_ref(),
            payment: &m.payment,
            costs: m.costs.as_ref(),
            forecast: m.forecast.as_ref(),
            fees: m.fees.as_ref(),
            trailer: m.trailer.as_deref(),
        };
        let offer = self.offer(path, fields);
        let paired = m.paired_with.as_deref();
        let sales = self.sales(path, sales_fields!(m, None, paired), offer.as_ref());
        let (offer, sales) = (offer?, sales?);
        let period = match m.period {
            raw::Period::Month => Period::Month,
            raw::Period::Year => Period::Year,
            raw::Period::Once => Period::Once,
        };
        // A one-off membership makes one payment: `months` and `churn`
        // would be silently ignored, so they are errors.
        if period == Period::Once {
            let f = m.forecast.as_ref();
            for (field, given) in [
                ("months", f.is_some_and(|f| f.months.is_some())),
                ("churn", f.is_some_and(|f| f.churn.is_some())),
            ] {
                if given {
                    self.cx.error(
                        &format!("{path}.forecast.{field}"),
                        format!("`{field}` follows monthly payments, but this membership is paid once (`period: once`): remove `{field}`, or set `period: month`"),
                    );
                    return None;
                }
            }
        }
        Some(Membership {
            offer,
            period,
            includes,
            sales,
        })
    }

    fn bundle(&mut self, path: &str, b: raw::Bundle, known: &BTreeSet<String>) -> Option<Bundle> {
        for (i, id) in b.courses.iter().enumerate() {
            if !known.contains(id) {
                self.cx.error(
                    &format!("{path}.courses.{i}"),
                    format!(
                        "bundle names unknown course `{id}`{}",
                        id_hint(id, "course", known.iter().map(String::as_str))
                    ),
                );
            }
        }
        if b.courses.is_empty() {
            self.cx.error(
                &format!("{path}.courses"),
                "a bundle needs at least one course",
            );
        }
        let fields = Fields {
            kind: OfferKind::Bundle,
            id: &b.id,
            title: &b.title,
            description: b.description.as_deref(),
            currency: b.currency.as_deref(),
            sale: b.sale.as_ref(),
            payment: &b.payment,
            costs: b.costs.as_ref(),
            forecast: b.forecast.as_ref(),
            fees: b.fees.as_ref(),
            trailer: b.trailer.as_deref(),
        };
        let offer = self.offer(path, fields);
        let sales = self.sales(path, sales_fields!(b, None, None), offer.as_ref());
        let (offer, sales) = (offer?, sales?);
        Some(Bundle {
            offer,
            courses: b.courses,
            sales,
        })
    }

    /// Validates the shared fields; `None` when any of them is wrong (the
    /// errors are already reported, all of them).
    fn offer(&mut self, path: &str, f: Fields) -> Option<Offer> {
        let id = self.id(path, f.id);
        let currency = match f.currency {
            Some(code) => self
                .cx
                .check(&format!("{path}.currency"), Currency::from_code(code)),
            None => Some(self.config.currency),
        };
        let currency = currency?;
        let regular = self.cx.money(&format!("{path}.price"), currency);
        let sale = f
            .sale
            .and_then(|s| self.sale(&format!("{path}.sale"), s, currency, regular));
        let payment = self.payment(&format!("{path}.payment"), f.payment);
        let costs = f
            .costs
            .map(|c| self.costs(&format!("{path}.costs"), c, currency));
        let forecast = f.forecast.and_then(|fc| {
            self.forecast(&format!("{path}.forecast"), fc, f.kind, f.sale.is_some())
        });
        let fees = f
            .fees
            .and_then(|fees| self.fees(&format!("{path}.fees"), fees, currency));
        let trailer = f
            .trailer
            .map(|t| self.cx.check(&format!("{path}.trailer"), Video::parse(t)));
        let failed = sale.is_none() && f.sale.is_some()
            || trailer.as_ref().is_some_and(Option::is_none)
            || costs.as_ref().is_some_and(Option::is_none)
            || forecast.is_none() && f.forecast.is_some()
            || fees.is_none() && f.fees.is_some();
        if failed {
            return None;
        }
        Some(Offer {
            id: id?,
            kind: f.kind,
            title: f.title.to_string(),
            description: f.description.unwrap_or_default().to_string(),
            price: Price {
                regular: regular?,
                sale,
            },
            payment: payment?,
            costs: costs.flatten().unwrap_or_default(),
            forecast,
            fees,
            trailer: trailer.flatten(),
        })
    }

    fn id(&mut self, path: &str, id: &str) -> Option<String> {
        let at = format!("{path}.id");
        if !valid_id(id) {
            self.cx.error(
                &at,
                format!("id `{id}` must match [a-z0-9-]+ (lower-case letters, digits, -)"),
            );
            return None;
        }
        if !self.ids.insert(id.to_string()) {
            self.cx
                .error(&at, format!("id `{id}` is used twice in the manifest"));
            return None;
        }
        Some(id.to_string())
    }

    fn sale(
        &mut self,
        path: &str,
        s: &raw::Sale,
        currency: Currency,
        regular: Option<Money>,
    ) -> Option<Sale> {
        let price = self.cx.money(&format!("{path}.price"), currency);
        let until = self.cx.check(
            &format!("{path}.until"),
            parse_instant(&s.until, &self.config.timezone),
        );
        if let (Some(p), Some(r)) = (price, regular)
            && p >= r
        {
            let msg = format!(
                "sale price {} must be below the regular price {}",
                p.decimal(),
                r.decimal()
            );
            self.cx.error(&format!("{path}.price"), msg);
            return None;
        }
        Some(Sale {
            price: price?,
            until: until?,
            label: s.label.clone(),
        })
    }

    fn payment(&mut self, path: &str, p: &raw::Payment) -> Option<Payment> {
        payment(self.cx, self.root, path, p)
    }

    /// The sales-page fields of the offer at `path`, validated even when
    /// the offer itself failed, so every error shows in one run.
    fn sales(&mut self, path: &str, f: sales::Fields, offer: Option<&Offer>) -> Option<SalesPage> {
        let env = Env {
            root: self.root,
            config: self.config,
            currency: offer.map_or(self.config.currency, |o| o.price.regular.currency()),
            regular: offer.map(|o| o.price.regular),
        };
        let root = self.root;
        sales::validate(self.cx, path, f, &env, &mut |cx, at, p| {
            payment(cx, root, at, p)
        })
    }
}

/// A validated payment (the offer's own or a plan's).
fn payment(cx: &mut Ctx, root: &Path, path: &str, p: &raw::Payment) -> Option<Payment> {
    {
        let provider = cx.check(&format!("{path}.provider"), Provider::parse(&p.provider))?;
        // The spec's own example puts `image:` on a stripe payment ("qr only"):
        // ignore it there with a warning rather than failing the build.
        let mut image = p.image.clone();
        if provider != Provider::Qr && image.is_some() {
            let msg = "`image` is used by provider `qr` only; ignored here";
            cx.warning(&format!("{path}.image"), msg);
            image = None;
        }
        let result = Payment::new(provider, p.url.clone(), p.coupon.clone(), image);
        match result {
            Ok(pay) => {
                if let Some(url) = p.url.as_deref().filter(|u| is_placeholder(u)) {
                    let msg = format!(
                        "payment link `{url}` is a placeholder (example.com addresses and `test_replace_me` are never real): paste your real payment link here before you deploy"
                    );
                    cx.warning(&format!("{path}.url"), msg);
                }
                if let Some(img) = &pay.image {
                    check_site_file(cx, root, &format!("{path}.image"), img);
                }
                let mut pay = pay;
                pay.product = p
                    .product
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                Some(pay)
            }
            Err(e) => {
                cx.error(&format!("{path}.{}", e.field), e.message);
                None
            }
        }
    }
}

impl Validator<'_, '_, '_> {
    /// `Some(None)`-style: the outer Option says "no error".
    fn costs(
        &mut self,
        path: &str,
        costs: &serde_yaml::Mapping,
        currency: Currency,
    ) -> Option<Vec<(String, Money)>> {
        let mut out = Vec::new();
        let mut ok = true;
        for key in costs.keys() {
            let Some(name) = key.as_str() else {
                self.cx
                    .error(path, "cost lines need names, e.g. `production: 5000`");
                ok = false;
                continue;
            };
            match self
                .cx
                .money(&crate::load::yaml::join(path, name), currency)
            {
                Some(m) => out.push((name.to_string(), m)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn forecast(
        &mut self,
        path: &str,
        f: &raw::Forecast,
        kind: OfferKind,
        has_sale: bool,
    ) -> Option<Forecast> {
        let (field, value, wrong) = match kind {
            OfferKind::Membership => (
                "members",
                f.members.as_ref(),
                f.sales.is_some().then_some("sales"),
            ),
            _ => (
                "sales",
                f.sales.as_ref(),
                f.members.is_some().then_some("members"),
            ),
        };
        if let Some(w) = wrong {
            self.cx.error(
                &format!("{path}.{w}"),
                format!("this offer forecasts `{field}`, not `{w}`"),
            );
            return None;
        }
        if kind != OfferKind::Membership && f.months.is_some() {
            self.cx.error(
                &format!("{path}.months"),
                "`months` is for memberships only",
            );
            return None;
        }
        let Some(value) = value else {
            self.cx.error(path, format!("forecast needs `{field}`"));
            return None;
        };
        let at = format!("{path}.{field}");
        let scenarios = self.scenarios(&at, value)?;
        let months = match f.months {
            Some(_) => Some(self.cx.count(&format!("{path}.months"))?),
            None => None,
        };
        let churn = match f.churn {
            Some(_) if kind != OfferKind::Membership => {
                self.cx
                    .error(&format!("{path}.churn"), "`churn` is for memberships only");
                return None;
            }
            Some(_) => Some(self.percent(&format!("{path}.churn"))?),
            None => None,
        };
        let sale_share = match f.sale_share {
            Some(_) if kind == OfferKind::Membership => {
                self.cx.error(
                    &format!("{path}.sale_share"),
                    "`sale_share` is for courses and bundles",
                );
                return None;
            }
            // Without a sale there is nothing to split: say so rather than
            // forecast every unit at the regular price unasked.
            Some(_) if !has_sale => {
                self.cx.error(
                    &format!("{path}.sale_share"),
                    "`sale_share` splits the forecast between the sale price and the regular price, but this offer has no `sale`: add `sale: { price: …, until: … }` to the offer, or remove `sale_share`",
                );
                return None;
            }
            Some(_) => Some(self.percent(&format!("{path}.sale_share"))?),
            None => None,
        };
        Some(Forecast {
            scenarios,
            months,
            churn,
            sale_share,
        })
    }

    /// A percentage from 0 to 100, written `5%` or `5`.
    fn percent(&mut self, at: &str) -> Option<Decimal> {
        let text = self.cx.scalar(at)?;
        let t = text.trim();
        let p = t
            .strip_suffix('%')
            .unwrap_or(t)
            .trim()
            .parse::<Decimal>()
            .ok()
            .filter(|p| *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED);
        self.cx.check(
            at,
            p.ok_or(format!("`{t}` must be a percentage from 0 to 100, like 5%")),
        )
    }

    /// A whole number, or `{low, expected, high}` (any of them, in that order).
    fn scenarios(&mut self, path: &str, value: &serde_yaml::Value) -> Option<Vec<(String, u64)>> {
        let Some(map) = value.as_mapping() else {
            return Some(vec![("expected".into(), self.cx.count(path)?)]);
        };
        for key in map.keys() {
            let k = key.as_str().unwrap_or("?");
            if !matches!(k, "low" | "expected" | "high") {
                self.cx.error(
                    path,
                    format!(
                        "unknown scenario `{k}`{}: a forecast's scenarios are `low`, `expected` and `high`",
                        did_you_mean(k, ["low", "expected", "high"])
                    ),
                );
                return None;
            }
        }
        let mut out = Vec::new();
        for name in ["low", "expected", "high"] {
            if map.contains_key(name) {
                out.push((name.to_string(), self.cx.count(&format!("{path}.{name}"))?));
            }
        }
        Some(out)
    }

    fn fees(&mut self, path: &str, f: &raw::Fees, currency: Currency) -> Option<Fees> {
        let percent = match f.percent {
            Some(_) => {
                let at = format!("{path}.percent");
                let text = self.cx.scalar(&at)?;
                let p = text
                    .trim()
                    .parse::<Decimal>()
                    .ok()
                    .filter(|p| *p >= Decimal::ZERO && *p < Decimal::ONE_HUNDRED);
                self.cx.check(
                    &at,
                    p.ok_or(format!(
                        "fee percent `{text}` must be a number from 0 to below 100"
                    )),
                )?
            }
            None => Decimal::ZERO,
        };
        let fixed = match f.fixed {
            Some(_) => self.cx.money(&format!("{path}.fixed"), currency)?,
            None => Money::zero(currency),
        };
        Some(Fees { percent, fixed })
    }
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn init_links_are_placeholders() {
        assert!(is_placeholder("https://buy.stripe.com/test_replace_me"));
        assert!(is_placeholder("https://example.com/buy"));
        assert!(is_placeholder("https://shop.EXAMPLE.org/buy"));
        assert!(is_placeholder("https://example.com./"));
        assert!(!is_placeholder("https://buy.stripe.com/test_fixture1"));
        assert!(!is_placeholder("https://myexample.com/buy"));
    }
}
