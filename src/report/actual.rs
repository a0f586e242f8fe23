//! Actual sales against the estimate (spec §7): rows from the exports in
//! [`super::sales`] mapped to offers, summed exactly per offer and currency.
//!
//! Rules, in one place:
//! - A row maps to the offer whose `payment.product` (default: its title)
//!   equals one of the row's product cells, compared trimmed and without
//!   regard to case; else, for a refund row, to the offer of the payment
//!   it refers to; else to the offer whose id is the row's `utm_campaign`
//!   (the links kpsite writes carry it). No match: listed under `unmatched`.
//! - Failed, pending and disputed payments are listed under `excluded`
//!   (matched or not) and count nowhere else.
//! - revenue is gross; a refunded payment counts in revenue and again in
//!   refunds; fees are the export's own; received = revenue − refunds − fees;
//!   net = received − cost; roi = received / cost; net_roi = net / cost.
//! - An offer's `actual` is in its own currency; rows in any other currency
//!   go to `actual_other_currencies`, never summed into it (no cost there).
//! - Months are calendar months in the site's time zone.
//! - `forecast_between` (courses and bundles) names the scenarios the
//!   units fall between; a membership's rows are payments, not members.
//! - `total.actual` sums the offers per currency; its cost is every cost
//!   line in that currency, as the forecast total counts it.

use std::collections::{BTreeMap, HashMap};

use jiff::tz::TimeZone;

use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, Report, Unit};
use super::sales::{Export, Row, State};
use crate::model::{Currency, Offer, Site};

/// What the exports say, beside the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Sales {
    /// Each export read.
    pub exports: Vec<ExportSummary>,
    /// Rows that map to no offer or could not be read.
    pub unmatched: Vec<Listed>,
    /// Failed, pending and disputed payments.
    pub excluded: Vec<Listed>,
    /// Summary rows skipped (Gumroad's `Totals`).
    pub skipped: Vec<Listed>,
    /// Sums over offers, one per currency (the site's first).
    pub totals: Vec<Figures>,
}

/// One export, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file as given on the command line.
    pub file: String,
    /// Which export it was read as.
    pub format: &'static str,
    /// Records under the header.
    pub records: usize,
    /// Records counted in an offer's figures; the rest are listed under
    /// `unmatched`, `excluded` or `skipped`, so none is lost.
    pub counted: usize,
}

/// A row listed rather than counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The file as given.
    pub file: String,
    /// 1-based line the record starts on.
    pub line: u64,
    /// Why it is listed.
    pub reason: String,
    /// The offer it belongs to, when known.
    pub offer: Option<String>,
}

/// Actual figures of one offer (or the total) in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// The currency of every amount.
    pub currency: Currency,
    /// Units sold (payments × quantity), refunded ones included.
    pub units: u64,
    /// Gross paid.
    pub revenue: Amount,
    /// Refunded.
    pub refunds: Amount,
    /// Processor fees.
    pub fees: Amount,
    /// revenue − refunds − fees.
    pub received: Amount,
    /// The cost set against it (zero when none).
    pub cost: Amount,
    /// received − cost.
    pub net: Amount,
    /// received / cost; `None` without costs.
    pub roi: Option<Ratio>,
    /// net / cost.
    pub net_roi: Option<Ratio>,
    /// Per calendar month in the site's zone (`2026-11`), in order.
    pub by_month: Vec<Bucket>,
    /// Per coupon code, where the export has one.
    pub by_coupon: Vec<Bucket>,
    /// Per referrer.
    pub by_referrer: Vec<Bucket>,
    /// Per `utm_campaign`.
    pub by_utm_campaign: Vec<Bucket>,
    /// Per `utm_medium`.
    pub by_utm_medium: Vec<Bucket>,
    /// The forecast scenarios the units fall between (`None` = below the
    /// lowest / above the highest); `None` without a forecast.
    pub between: Option<(Option<String>, Option<String>)>,
}

/// Units and revenue under one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Month, coupon, referrer…
    pub key: String,
    /// Units.
    pub units: u64,
    /// Gross revenue.
    pub revenue: Amount,
}

/// An offer's actual sales.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferActual {
    /// In the offer's currency (`None` when no row was in it).
    pub main: Option<Figures>,
    /// Rows in other currencies, one entry each, no cost set against them.
    pub others: Vec<Figures>,
}

#[derive(Debug, Default, Clone)]
struct Acc {
    units: u64,
    revenue: i128,
    refunds: i128,
    fees: i128,
    months: BTreeMap<String, (u64, i128)>,
    coupon: BTreeMap<String, (u64, i128)>,
    referrer: BTreeMap<String, (u64, i128)>,
    campaign: BTreeMap<String, (u64, i128)>,
    medium: BTreeMap<String, (u64, i128)>,
}

impl Acc {
    fn add(&mut self, row: &Row, tz: &TimeZone) {
        self.refunds += row.refunded;
        self.fees += row.fee;
        if row.is_refund {
            return;
        }
        self.units += row.quantity;
        self.revenue += row.gross;
        let month = row
            .when
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m")
            .to_string();
        bump(&mut self.months, Some(&month), row);
        bump(&mut self.coupon, row.coupon.as_deref(), row);
        bump(&mut self.referrer, row.referrer.as_deref(), row);
        bump(&mut self.campaign, row.utm_campaign.as_deref(), row);
        bump(&mut self.medium, row.utm_medium.as_deref(), row);
    }

    fn merge(&mut self, other: &Acc) {
        self.units += other.units;
        self.revenue += other.revenue;
        self.refunds += other.refunds;
        self.fees += other.fees;
        for (mine, theirs) in [
            (&mut self.months, &other.months),
            (&mut self.coupon, &other.coupon),
            (&mut self.referrer, &other.referrer),
            (&mut self.campaign, &other.campaign),
            (&mut self.medium, &other.medium),
        ] {
            for (k, (u, r)) in theirs {
                let e = mine.entry(k.clone()).or_default();
                e.0 += u;
                e.1 += r;
            }
        }
    }

    fn figures(&self, currency: Currency, cost: Option<Amount>) -> Figures {
        let a = |m: i128| Amount::new(m, currency);
        let received = self.revenue - self.refunds - self.fees;
        let cost_minor = cost.map_or(0, Amount::minor);
        let net = received - cost_minor;
        let (roi, net_roi) = match cost {
            Some(c) if c.minor() != 0 => {
                (Ratio::new(received, c.minor()), Ratio::new(net, c.minor()))
            }
            _ => (None, None),
        };
        let buckets = |m: &BTreeMap<String, (u64, i128)>| {
            m.iter()
                .map(|(k, (u, r))| Bucket {
                    key: k.clone(),
                    units: *u,
                    revenue: a(*r),
                })
                .collect()
        };
        Figures {
            currency,
            units: self.units,
            revenue: a(self.revenue),
            refunds: a(self.refunds),
            fees: a(self.fees),
            received: a(received),
            cost: a(cost_minor),
            net: a(net),
            roi,
            net_roi,
            by_month: buckets(&self.months),
            by_coupon: buckets(&self.coupon),
            by_referrer: buckets(&self.referrer),
            by_utm_campaign: buckets(&self.campaign),
            by_utm_medium: buckets(&self.medium),
            between: None,
        }
    }
}

fn bump(map: &mut BTreeMap<String, (u64, i128)>, key: Option<&str>, row: &Row) {
    if let Some(k) = key.map(str::trim).filter(|k| !k.is_empty()) {
        let e = map.entry(k.chars().take(200).collect()).or_default();
        e.0 += row.quantity;
        e.1 += row.gross;
    }
}

/// The offers of `site` in report order (courses, memberships, bundles).
fn offers(site: &Site) -> Vec<&Offer> {
    site.courses
        .iter()
        .map(|c| &c.offer)
        .chain(site.memberships.iter().map(|m| &m.offer))
        .chain(site.bundles.iter().map(|b| &b.offer))
        .collect()
}

/// The name export rows give an offer: `payment.product`, else its title.
fn product_name(o: &Offer) -> String {
    o.payment
        .product
        .as_deref()
        .unwrap_or(&o.title)
        .trim()
        .to_lowercase()
}

/// Maps the rows of `exports` to the offers of `report` and puts the
/// figures into it (each offer's `actual`, and `report.sales`).
pub fn apply(report: &mut Report, site: &Site, exports: Vec<Export>) {
    let tz = &site.config.timezone;
    let offers = offers(site);
    // Each offer's product names in every language: a sale through the
    // English page's payment link names the English product.
    let mut names: Vec<Vec<String>> = offers.iter().map(|o| vec![product_name(o)]).collect();
    for t in &site.translations.sites {
        for theirs in self::offers(t) {
            if let Some(i) = offers.iter().position(|o| o.id == theirs.id) {
                let n = product_name(theirs);
                if !names[i].contains(&n) {
                    names[i].push(n);
                }
            }
        }
    }
    let by_product = |row: &Row| {
        row.products.iter().find_map(|p| {
            let p = p.trim().to_lowercase();
            names.iter().position(|ns| ns.contains(&p))
        })
    };
    // Payment id → offer, for refund rows that name only the payment.
    let mut by_id: HashMap<(&str, &str), usize> = HashMap::new();
    for e in &exports {
        for row in &e.rows {
            if let Some(i) = by_product(row) {
                by_id.insert((row.provider, row.id.as_str()), i);
            }
        }
    }
    let mut sales = Sales {
        exports: Vec::new(),
        unmatched: Vec::new(),
        excluded: Vec::new(),
        skipped: Vec::new(),
        totals: Vec::new(),
    };
    let mut accs: Vec<BTreeMap<Currency, Acc>> = vec![BTreeMap::new(); offers.len()];
    for e in &exports {
        sales.exports.push(ExportSummary {
            file: e.file.clone(),
            format: e.format,
            records: e.records,
            counted: 0,
        });
        let counted = &mut sales.exports.last_mut().expect("just pushed").counted;
        for &line in &e.skipped {
            sales.skipped.push(Listed {
                file: e.file.clone(),
                line,
                reason: "a summary row (Totals), not a sale".into(),
                offer: None,
            });
        }
        for p in &e.problems {
            sales.unmatched.push(Listed {
                file: p.file.clone(),
                line: p.line,
                reason: p.reason.clone(),
                offer: None,
            });
        }
        for row in &e.rows {
            let offer = by_product(row)
                .or_else(|| {
                    let r = row.reference.as_deref().filter(|_| row.is_refund)?;
                    by_id.get(&(row.provider, r)).copied()
                })
                .or_else(|| {
                    let c = row.utm_campaign.as_deref()?;
                    offers.iter().position(|o| o.id == c.trim())
                });
            let listed = |reason: String| Listed {
                file: row.file.clone(),
                line: row.line,
                reason,
                offer: offer.map(|i| offers[i].id.clone()),
            };
            if let State::Excluded(reason) = &row.state {
                sales.excluded.push(listed(reason.clone()));
                continue;
            }
            let Some(i) = offer else {
                sales.unmatched.push(listed(no_match_reason(row)));
                continue;
            };
            accs[i].entry(row.currency).or_default().add(row, tz);
            *counted += 1;
        }
    }
    sales
        .unmatched
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    sales
        .excluded
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    let mut totals: BTreeMap<Currency, Acc> = BTreeMap::new();
    for (o, acc) in report.offers.iter_mut().zip(&accs) {
        for (c, a) in acc {
            totals.entry(*c).or_default().merge(a);
        }
        if acc.is_empty() {
            continue;
        }
        o.actual = Some(offer_actual(o, acc));
    }
    let mut currencies: Vec<Currency> = totals.keys().copied().collect();
    currencies.sort_by_key(|c| (*c != report.currency, c.code()));
    sales.totals = currencies
        .into_iter()
        .map(|c| {
            let cost = report
                .totals
                .iter()
                .find(|t| t.currency == c)
                .map_or(Amount::zero(c), |t| t.expected().cost);
            totals[&c].figures(c, Some(cost))
        })
        .collect();
    report.sales = Some(sales);
}

fn offer_actual(o: &OfferReport, acc: &BTreeMap<Currency, Acc>) -> OfferActual {
    let cost_known =
        !o.cost_lines.is_empty() && o.cost_lines.iter().all(|(_, m)| m.currency() == o.currency);
    let main = acc.get(&o.currency).map(|a| {
        let mut f = a.figures(o.currency, Some(o.cost).filter(|_| cost_known));
        // A membership's rows are payments, its forecast members: they do
        // not compare.
        if o.unit == Unit::Sale {
            f.between = between(o, f.units);
        }
        f
    });
    let others = acc
        .iter()
        .filter(|(c, _)| **c != o.currency)
        .map(|(c, a)| a.figures(*c, None))
        .collect();
    OfferActual { main, others }
}

/// The forecast scenarios `units` falls between.
fn between(o: &OfferReport, units: u64) -> Option<(Option<String>, Option<String>)> {
    if o.scenarios.is_empty() {
        return None;
    }
    let mut s: Vec<(u64, &str)> = o
        .scenarios
        .iter()
        .map(|s| (s.units, s.name.as_str()))
        .collect();
    s.sort();
    let below = s
        .iter()
        .rev()
        .find(|(u, _)| *u <= units)
        .map(|(_, n)| n.to_string());
    let above = s
        .iter()
        .find(|(u, _)| *u > units)
        .map(|(_, n)| n.to_string());
    Some((below, above))
}

fn no_match_reason(row: &Row) -> String {
    match row.products.first() {
        Some(p) => format!(
            "no offer sells `{}`: set `payment.product: {}` on the offer in manifest.yaml (default: the offer's title)",
            short(p),
            short(p)
        ),
        None => "the row names no product, and no offer matches its utm_campaign".into(),
    }
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}
