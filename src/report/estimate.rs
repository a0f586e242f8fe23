//! The arithmetic of the ROI estimate (spec §4). Everything is exact integer
//! minor units; see the module docs of [`crate::report`] for the rules.

use jiff::Timestamp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::amount::{Amount, Ratio, ceil_div};
use crate::model::{Currency, Fees, Money, Offer, OfferKind, Period, Site};

/// The whole estimate: per offer, and totals per currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Site title, for the HTML page.
    pub title: String,
    /// The site currency (`kpsite.yaml`): the one `total` is in.
    pub currency: Currency,
    /// The build time the prices were taken at.
    pub now: Timestamp,
    /// Courses, then memberships, then bundles, each in manifest order.
    pub offers: Vec<OfferReport>,
    /// One total per currency used by any offer, the site currency first
    /// (always present, zero when no offer uses it), then by ISO code.
    pub totals: Vec<Total>,
    /// The site's time zone (months, the build time as people read it).
    pub timezone: jiff::tz::TimeZone,
    /// Its IANA name.
    pub timezone_name: String,
    /// The site language's tag (`en`, `zh-CN`): the report's words.
    pub language: String,
    /// Actual sales from `kpsite report --sales`, when given.
    pub sales: Option<super::actual::Sales>,
    /// The same forecast at each other language's prices, for every
    /// language whose prices differ from the default language's.
    pub languages: Vec<LanguageReport>,
}

/// The forecast at one other language's prices: the same units and costs
/// (they are the seller's, one set per offer), each offer at the price that
/// language's pages show. Totals are per currency, never summed across.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageReport {
    /// The language tag (`en`).
    pub language: String,
    /// Every offer, in report order, at this language's price.
    pub offers: Vec<OfferReport>,
    /// One total per currency of these offers.
    pub totals: Vec<Total>,
}

impl Report {
    /// The total in the site currency.
    pub fn total(&self) -> &Total {
        self.totals
            .iter()
            .find(|t| t.currency == self.currency)
            .expect("the site currency always has a total")
    }

    /// True when offers use more than one currency.
    pub fn is_multi_currency(&self) -> bool {
        self.totals.len() > 1
    }
}

/// Which price the estimate used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceUsed {
    /// The regular price: no sale, or the sale had ended at build time.
    Regular,
    /// The sale price: the sale runs at build time.
    Sale,
}

impl PriceUsed {
    /// `regular` or `sale`, as in `report.json`.
    pub fn name(self) -> &'static str {
        match self {
            PriceUsed::Regular => "regular",
            PriceUsed::Sale => "sale",
        }
    }
}

/// Why an offer's ROI is missing or partial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The fees' currency (first) is not the price's (second).
    ForeignFees(String, String),
    /// These cost lines are not in the price's currency (second).
    ForeignCosts(Vec<String>, String),
    /// No cost lines.
    NoCosts,
    /// The cost lines add up to zero.
    ZeroCosts,
    /// No forecast scenarios.
    NoForecast,
    /// Fees take the whole price of one unit.
    NothingLeft(Unit),
}

impl Reason {
    /// The reason in `lang` (the report's strings table; English when the
    /// language has no column).
    pub fn text(&self, lang: &str) -> String {
        let w = |k| super::strings::word(lang, k);
        match self {
            Reason::ForeignFees(fees, price) => w("reason_foreign_fees")
                .replace("{fees}", fees)
                .replace("{currency}", price),
            Reason::ForeignCosts(lines, price) => w("reason_foreign_costs")
                .replace("{lines}", &lines.join(", "))
                .replace("{currency}", price),
            Reason::NoCosts => w("reason_no_costs").to_string(),
            Reason::ZeroCosts => w("reason_zero_costs").to_string(),
            Reason::NoForecast => w("reason_no_forecast").to_string(),
            Reason::NothingLeft(Unit::Sale) => w("reason_nothing_left_sale").to_string(),
            Reason::NothingLeft(Unit::Member) => w("reason_nothing_left_member").to_string(),
        }
    }
}

impl OfferReport {
    /// Why the ROI is missing or partial, in plain words in `lang`; `None`
    /// when it is whole.
    pub fn reason(&self, lang: &str) -> Option<String> {
        let texts: Vec<String> = self.reasons.iter().map(|r| r.text(lang)).collect();
        (!texts.is_empty()).then(|| texts.join(super::strings::word(lang, "reason_sep")))
    }
}

/// What one forecast unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// One sale of a course or bundle.
    Sale,
    /// One member of a membership, paying `payments_per_unit` times.
    Member,
}

impl Unit {
    /// `sale` or `member`, as in `report.json`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Sale => "sale",
            Unit::Member => "member",
        }
    }
}

/// The estimate for one offer.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferReport {
    /// Offer id.
    pub id: String,
    /// Course, membership or bundle.
    pub kind: OfferKind,
    /// Display title.
    pub title: String,
    /// The offer's currency; every amount below is in it.
    pub currency: Currency,
    /// The price a buyer pays at build time.
    pub price: Money,
    /// Whether that is the sale or the regular price.
    pub price_used: PriceUsed,
    /// The regular price.
    pub regular_price: Money,
    /// When the sale in the manifest ends (running or not).
    pub sale_until: Option<Timestamp>,
    /// What a forecast unit is.
    pub unit: Unit,
    /// Payments one unit makes over the forecast (months of a monthly plan).
    pub payments_per_unit: u64,
    /// Processor fee on one payment, when `fees` is given.
    pub fee_per_payment: Option<Amount>,
    /// What one unit brings after fees: `payments_per_unit × (price − fee)`.
    pub net_per_unit: Amount,
    /// The cost lines, in manifest order.
    pub cost_lines: Vec<(String, Money)>,
    /// Their sum (zero when there are none).
    pub cost: Amount,
    /// One row per forecast scenario, in forecast order; empty without one.
    pub scenarios: Vec<Scenario>,
    /// Smallest whole number of units whose revenue covers the cost; `None`
    /// when no number does (nothing is left per unit after fees) or the
    /// cost is unknown (no cost lines).
    pub break_even_sales: Option<u128>,
    /// Why the ROI is missing or partial (empty when it is whole); see
    /// [`OfferReport::reason`] for the words.
    pub reasons: Vec<Reason>,
    /// Actual sales, when exports were given and rows map to this offer.
    pub actual: Option<super::actual::OfferActual>,
    /// The forecast's `sale_share` (percent of units sold at the sale
    /// price), when it was applied.
    pub sale_share: Option<Decimal>,
    /// The forecast's monthly `churn` percent (memberships), when given.
    pub churn: Option<Decimal>,
    /// Memberships: the month (1-based) in which the expected scenario's
    /// cumulative revenue after fees first covers the cost; `None` when it
    /// does not within the forecast, or the cost is unknown.
    pub payback_month: Option<u64>,
    /// Courses with a forecast and costs: net and ROI at other prices
    /// ([`WHAT_IF_CHANGES`]), one row per price; empty otherwise.
    pub what_if: Vec<WhatIfRow>,
}

/// Price changes, in percent, the what-if grid shows (0 is the price used).
pub const WHAT_IF_CHANGES: &[i64] = &[-50, -20, 0, 20, 50];

/// One price of the what-if grid.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIfRow {
    /// Percent change from the price used (`-20`).
    pub change: i64,
    /// The price: the price used × (100 + change) / 100, rounded half away
    /// from zero to the currency's minor unit.
    pub price: Amount,
    /// Sales needed to cover the cost at this price (after fees).
    pub break_even_sales: Option<u128>,
    /// Each forecast scenario at this price (units unchanged).
    pub cells: Vec<WhatIfCell>,
}

/// One scenario at one price.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIfCell {
    /// Scenario name.
    pub name: String,
    /// Units forecast.
    pub units: u64,
    /// Revenue after fees.
    pub revenue: Amount,
    /// Revenue − cost.
    pub net: Amount,
    /// Revenue / cost.
    pub roi: Option<Ratio>,
}

impl OfferReport {
    /// The scenario that counts in totals: `expected`, else the first.
    pub fn primary(&self) -> Option<&Scenario> {
        self.scenarios
            .iter()
            .find(|s| s.name == "expected")
            .or_else(|| self.scenarios.first())
    }

    /// The scenario named `name`, else the primary one.
    fn scenario_or_primary(&self, name: &str) -> Option<&Scenario> {
        self.scenarios
            .iter()
            .find(|s| s.name == name)
            .or_else(|| self.primary())
    }
}

/// One forecast scenario of one offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// `expected`, or `low` / `expected` / `high`.
    pub name: String,
    /// Units forecast: sales, or members.
    pub units: u64,
    /// Payments: units × payments per unit.
    pub payments: u128,
    /// Price × payments, before fees.
    pub gross: Amount,
    /// Processor fees on those payments (zero without `fees`).
    pub fees: Amount,
    /// Gross less fees.
    pub revenue: Amount,
    /// The offer's cost.
    pub cost: Amount,
    /// Revenue − cost.
    pub net: Amount,
    /// Revenue / cost; `None` when the cost is zero or unknown.
    pub roi: Option<Ratio>,
    /// (Revenue − cost) / cost; `None` when `roi` is.
    pub net_roi: Option<Ratio>,
}

/// Totals of every offer in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// The currency.
    pub currency: Currency,
    /// How many offers are in it.
    pub offers: usize,
    /// One row per scenario name any offer has (low, expected, high, then
    /// others by name); an offer without that scenario adds its primary
    /// one. A single `expected` row when no offer has a forecast.
    pub rows: Vec<TotalRow>,
}

impl Total {
    /// The `expected` row (the one `total` in `report.json` shows).
    pub fn expected(&self) -> &TotalRow {
        self.rows
            .iter()
            .find(|r| r.name == "expected")
            .unwrap_or(&self.rows[0])
    }
}

/// Sum over offers for one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Scenario name.
    pub name: String,
    /// Sum of revenues.
    pub revenue: Amount,
    /// Sum of the costs of every offer in the currency, with or without a forecast.
    pub cost: Amount,
    /// Revenue − cost.
    pub net: Amount,
    /// Revenue / cost; `None` when the cost is zero.
    pub roi: Option<Ratio>,
    /// (Revenue − cost) / cost.
    pub net_roi: Option<Ratio>,
}

/// A monthly plan with no `months` in its forecast is counted for this many.
pub const DEFAULT_MONTHS: u64 = 12;

/// Estimates every offer of `site` at `site.now`.
pub fn estimate(site: &Site) -> Report {
    let now = site.now;
    let offers = estimate_offers(site, None, now);
    let totals = totals(site.config.currency, &offers);
    let languages = site
        .translations
        .sites
        .iter()
        .filter_map(|t| {
            let theirs = estimate_offers(t, Some(site), now);
            let differs = theirs.len() != offers.len()
                || theirs.iter().zip(&offers).any(|(a, b)| a.price != b.price);
            differs.then(|| LanguageReport {
                language: t.config.language.tag().to_string(),
                totals: totals_of(&theirs),
                offers: theirs,
            })
        })
        .collect();
    Report {
        title: site.config.title.clone(),
        currency: site.config.currency,
        now,
        offers,
        totals,
        timezone: site.config.timezone.clone(),
        timezone_name: site.config.timezone_name.clone(),
        language: site.config.language.tag().to_string(),
        sales: None,
        languages,
    }
}

/// Every offer of `site` (courses, memberships, bundles) estimated at `now`.
/// For a translation, `default` is the default language's site: costs and
/// forecasts are the seller's, one set per offer, so they come from there
/// (a language map on `currency` must not turn CNY costs into USD ones).
fn estimate_offers(site: &Site, default: Option<&Site>, now: Timestamp) -> Vec<OfferReport> {
    let courses = site.courses.iter().map(|c| (&c.offer, None));
    let members = site.memberships.iter().map(|m| (&m.offer, Some(m.period)));
    let bundles = site.bundles.iter().map(|b| (&b.offer, None));
    let theirs = |id: &str| {
        let d = default?;
        d.courses
            .iter()
            .map(|c| &c.offer)
            .chain(d.memberships.iter().map(|m| &m.offer))
            .chain(d.bundles.iter().map(|b| &b.offer))
            .find(|o| o.id == id)
    };
    courses
        .chain(members)
        .chain(bundles)
        .map(|(o, period)| match theirs(&o.id) {
            Some(d) => {
                let mut o = o.clone();
                o.costs = d.costs.clone();
                o.forecast = d.forecast.clone();
                estimate_offer(&o, period, now)
            }
            None => estimate_offer(o, period, now),
        })
        .collect()
}

/// Totals of `offers` in the currencies their prices use (the first
/// offer's currency first), without adding an empty site-currency total.
fn totals_of(offers: &[OfferReport]) -> Vec<Total> {
    let Some(first) = offers.first() else {
        return Vec::new();
    };
    totals(first.currency, offers)
        .into_iter()
        .filter(|t| offers.iter().any(|o| o.currency == t.currency))
        .collect()
}

/// Payments one forecast unit makes: 1 for a sale; for a membership, the
/// months of a monthly plan (default [`DEFAULT_MONTHS`]), the started years
/// of a yearly plan over `months` (default one year), 1 for a one-off.
pub fn payments_per_unit(period: Option<Period>, months: Option<u64>) -> u64 {
    match period {
        None | Some(Period::Once) => 1,
        Some(Period::Month) => months.unwrap_or(DEFAULT_MONTHS),
        Some(Period::Year) => months.map_or(1, |m| m.div_ceil(12)),
    }
}

/// The processor fee on one payment of `price`: `percent` of the price,
/// rounded half away from zero to the currency's minor unit, plus `fixed`.
/// (2.9 % of 149.00 is 4.321 → 4.32; of 0.50 it is 0.0145 → 0.01; of
/// 12.50 it is 0.3625 → 0.36; 0.5 % of 1.00 is 0.005 → 0.01.)
pub fn fee_per_payment(price: Money, fees: &Fees) -> Amount {
    let percent_part = (Decimal::from(price.minor()) * fees.percent / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i128()
        .unwrap_or(0);
    Amount::new(percent_part + fees.fixed.minor() as i128, price.currency())
}

fn estimate_offer(offer: &Offer, period: Option<Period>, now: Timestamp) -> OfferReport {
    let currency = offer.price.regular.currency();
    let price = offer.price.effective(now);
    let price_used = if offer.price.active_sale(now).is_some() {
        PriceUsed::Sale
    } else {
        PriceUsed::Regular
    };
    let unit = if period.is_some() {
        Unit::Member
    } else {
        Unit::Sale
    };
    let payments_per_unit =
        payments_per_unit(period, offer.forecast.as_ref().and_then(|f| f.months));

    let mut reasons = Vec::new();
    let mut mixed = false;

    let fee_per_payment = match &offer.fees {
        Some(fees) if fees.fixed.currency() != currency => {
            reasons.push(Reason::ForeignFees(
                fees.fixed.currency().to_string(),
                currency.to_string(),
            ));
            mixed = true;
            None
        }
        Some(fees) => Some(fee_per_payment(price, fees)),
        None => None,
    };
    let fee = fee_per_payment.map_or(0, Amount::minor);
    let per_payment_net = price.minor() as i128 - fee;
    let net_per_unit = Amount::new(
        per_payment_net.saturating_mul(payments_per_unit as i128),
        currency,
    );

    let foreign: Vec<&str> = offer
        .costs
        .iter()
        .filter(|(_, m)| m.currency() != currency)
        .map(|(name, _)| name.as_str())
        .collect();
    if !foreign.is_empty() {
        reasons.push(Reason::ForeignCosts(
            foreign.iter().map(|s| s.to_string()).collect(),
            currency.to_string(),
        ));
        mixed = true;
    }
    let cost = Amount::new(
        offer
            .costs
            .iter()
            .filter(|(_, m)| m.currency() == currency)
            .map(|(_, m)| m.minor() as i128)
            .sum(),
        currency,
    );
    let cost_known = !offer.costs.is_empty() && !mixed;
    if offer.costs.is_empty() {
        reasons.push(Reason::NoCosts);
    } else if cost_known && cost.minor() == 0 {
        reasons.push(Reason::ZeroCosts);
    }
    if offer
        .forecast
        .as_ref()
        .is_none_or(|f| f.scenarios.is_empty())
    {
        reasons.push(Reason::NoForecast);
    }

    let plan = Plan::new(offer, period, price, fee);
    let scenarios = offer
        .forecast
        .iter()
        .flat_map(|f| f.scenarios.iter())
        .map(|(name, units)| {
            let (payments, gross, fees) = plan.money(*units);
            let gross = Amount::new(gross, currency);
            let fees = Amount::new(fees, currency);
            let revenue = Amount::new(gross.minor().saturating_sub(fees.minor()), currency);
            let net = Amount::new(revenue.minor().saturating_sub(cost.minor()), currency);
            let (roi, net_roi) = ratios(revenue, cost, cost_known);
            Scenario {
                name: name.clone(),
                units: *units,
                payments,
                gross,
                fees,
                revenue,
                cost,
                net,
                roi,
                net_roi,
            }
        })
        .collect::<Vec<Scenario>>();
    let payback_month = match (period, cost_known) {
        (Some(_), true) => scenarios
            .iter()
            .find(|s| s.name == "expected")
            .or(scenarios.first())
            .and_then(|s| plan.payback_month(s.units, cost.minor())),
        _ => None,
    };

    let break_even_sales = if cost_known {
        ceil_div(cost.minor(), net_per_unit.minor())
    } else {
        None
    };
    if cost_known && break_even_sales.is_none() {
        reasons.push(Reason::NothingLeft(unit));
    }

    OfferReport {
        id: offer.id.clone(),
        kind: offer.kind,
        title: offer.title.clone(),
        currency,
        price,
        price_used,
        regular_price: offer.price.regular,
        sale_until: offer.price.sale.as_ref().map(|s| s.until),
        unit,
        payments_per_unit,
        fee_per_payment,
        net_per_unit,
        cost_lines: offer.costs.clone(),
        cost,
        scenarios,
        break_even_sales,
        reasons,
        actual: None,
        sale_share: plan.sale_share,
        churn: plan.churn,
        payback_month,
        what_if: if offer.kind == OfferKind::Course
            && cost_known
            && fee_per_payment.is_some() == offer.fees.is_some()
        {
            what_if(offer, price, cost)
        } else {
            Vec::new()
        },
    }
}

/// The price × sales grid of one course: each price of
/// [`WHAT_IF_CHANGES`] against each forecast scenario.
fn what_if(offer: &Offer, price: Money, cost: Amount) -> Vec<WhatIfRow> {
    let Some(forecast) = offer.forecast.as_ref().filter(|f| !f.scenarios.is_empty()) else {
        return Vec::new();
    };
    let currency = price.currency();
    WHAT_IF_CHANGES
        .iter()
        .filter_map(|&change| {
            let minor = super::amount::div_round_half_away(
                price.minor() as i128 * (100 + change) as i128,
                100,
            );
            let p = Money::from_minor(i64::try_from(minor).ok()?, currency)?;
            let fee = offer
                .fees
                .as_ref()
                .map_or(0, |f| fee_per_payment(p, f).minor());
            let per_unit = minor - fee;
            let cells = forecast
                .scenarios
                .iter()
                .map(|(name, units)| {
                    let revenue = per_unit.saturating_mul(*units as i128);
                    let (roi, _) = ratios(Amount::new(revenue, currency), cost, true);
                    WhatIfCell {
                        name: name.clone(),
                        units: *units,
                        revenue: Amount::new(revenue, currency),
                        net: Amount::new(revenue.saturating_sub(cost.minor()), currency),
                        roi,
                    }
                })
                .collect();
            Some(WhatIfRow {
                change,
                price: Amount::new(minor, currency),
                break_even_sales: ceil_div(cost.minor(), per_unit),
                cells,
            })
        })
        .collect()
}

/// Longest horizon, in months, churn and payback are followed for.
const MAX_MONTHS: u64 = 1200;

/// How one forecast unit turns into money: the plain rule of the module
/// docs, a sale split into the sale window and the regular period
/// (`sale_share`), or members leaving each month (`churn`).
struct Plan {
    price: i128,
    fee: i128,
    payments_per_unit: u64,
    /// (sale price, its fee), with `sale_share` percent.
    split: Option<(i128, i128)>,
    sale_share: Option<Decimal>,
    churn: Option<Decimal>,
    /// Month (1-based) of each payment over the forecast, at most
    /// [`MAX_MONTHS`]; memberships only.
    payment_months: Vec<u64>,
}

impl Plan {
    fn new(offer: &Offer, period: Option<Period>, price: Money, fee: i128) -> Plan {
        let forecast = offer.forecast.as_ref();
        let months = forecast.and_then(|f| f.months);
        let payments_per_unit = payments_per_unit(period, months);
        // The split prices the forecast itself, whatever the build time:
        // `sale_share` of the units at the sale price, the rest at the
        // regular one.
        let sale_share = forecast
            .and_then(|f| f.sale_share)
            .filter(|_| offer.price.sale.is_some() && period.is_none());
        let split = sale_share.and(offer.price.sale.as_ref()).map(|sale| {
            let fee = offer
                .fees
                .as_ref()
                .filter(|f| f.fixed.currency() == sale.price.currency())
                .map_or(0, |f| fee_per_payment(sale.price, f).minor());
            (sale.price.minor() as i128, fee)
        });
        let (price, fee) = match split {
            Some(_) => {
                let regular = offer.price.regular;
                let fee = offer
                    .fees
                    .as_ref()
                    .filter(|f| f.fixed.currency() == regular.currency())
                    .map_or(0, |f| fee_per_payment(regular, f).minor());
                (regular.minor() as i128, fee)
            }
            None => (price.minor() as i128, fee),
        };
        let interval = match period {
            Some(Period::Year) => 12,
            _ => 1,
        };
        let payment_months = match period {
            None => Vec::new(),
            Some(_) => (0..payments_per_unit.min(MAX_MONTHS))
                .map(|i| 1 + i * interval)
                .take_while(|m| *m <= MAX_MONTHS)
                .collect(),
        };
        Plan {
            price,
            fee,
            payments_per_unit,
            split,
            sale_share,
            churn: forecast.and_then(|f| f.churn).filter(|_| period.is_some()),
            payment_months,
        }
    }

    /// Share of members still paying in `month` (1-based): (1 − churn)^(month − 1).
    fn staying(&self, month: u64) -> Decimal {
        let keep = Decimal::ONE - self.churn.unwrap_or_default() / Decimal::ONE_HUNDRED;
        (1..month).fold(Decimal::ONE, |acc, _| acc * keep)
    }

    /// (payments, gross, fees) in minor units for `units` forecast units.
    fn money(&self, units: u64) -> (u128, i128, i128) {
        if let (Some((sale, sale_fee)), Some(share)) = (self.split, self.sale_share) {
            let at_sale = (Decimal::from(units) * share / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i128()
                .unwrap_or(0);
            let regular = units as i128 - at_sale;
            let gross = sale
                .saturating_mul(at_sale)
                .saturating_add(self.price.saturating_mul(regular));
            let fees = sale_fee
                .saturating_mul(at_sale)
                .saturating_add(self.fee.saturating_mul(regular));
            return (units as u128, gross, fees);
        }
        if self.churn.is_some() {
            let paying: Decimal = self
                .payment_months
                .iter()
                .map(|m| self.staying(*m))
                .sum::<Decimal>();
            let round = |d: Option<Decimal>| {
                d.map(|d| d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
                    .and_then(|d| d.to_i128())
            };
            let payments = Decimal::from(units).checked_mul(paying);
            let gross = payments.and_then(|p| p.checked_mul(Decimal::try_from(self.price).ok()?));
            let fees = payments.and_then(|p| p.checked_mul(Decimal::try_from(self.fee).ok()?));
            if let (Some(p), Some(g), Some(f)) = (round(payments), round(gross), round(fees)) {
                return (p.max(0) as u128, g, f);
            }
        }
        // Exact for any real forecast; saturating rather than wrapping
        // for absurd ones (u64 units × u64 months).
        let payments = units as u128 * self.payments_per_unit as u128;
        let p = i128::try_from(payments).unwrap_or(i128::MAX);
        (
            payments,
            self.price.saturating_mul(p),
            self.fee.saturating_mul(p),
        )
    }

    /// The month in which `units` members' cumulative payments after fees
    /// first cover `cost`.
    fn payback_month(&self, units: u64, cost: i128) -> Option<u64> {
        if cost <= 0 {
            return Some(0);
        }
        let per_payment = Decimal::try_from(self.price - self.fee)
            .ok()?
            .checked_mul(Decimal::from(units))?;
        let cost = Decimal::try_from(cost).ok()?;
        let mut total = Decimal::ZERO;
        for m in &self.payment_months {
            total = total.checked_add(per_payment.checked_mul(self.staying(*m))?)?;
            if total >= cost {
                return Some(*m);
            }
        }
        None
    }
}

fn ratios(revenue: Amount, cost: Amount, cost_known: bool) -> (Option<Ratio>, Option<Ratio>) {
    if !cost_known {
        return (None, None);
    }
    (
        Ratio::new(revenue.minor(), cost.minor()),
        Ratio::new(revenue.minor().saturating_sub(cost.minor()), cost.minor()),
    )
}

/// Canonical order of scenario names: low, expected, high, then the rest by name.
fn scenario_rank(name: &str) -> (u8, &str) {
    match name {
        "low" => (0, ""),
        "expected" => (1, ""),
        "high" => (2, ""),
        other => (3, other),
    }
}

fn totals(site_currency: Currency, offers: &[OfferReport]) -> Vec<Total> {
    let mut currencies: Vec<Currency> = offers
        .iter()
        .flat_map(|o| {
            std::iter::once(o.currency).chain(o.cost_lines.iter().map(|(_, m)| m.currency()))
        })
        .collect();
    currencies.push(site_currency);
    currencies.sort_by_key(|c| (*c != site_currency, c.code()));
    currencies.dedup();

    currencies
        .into_iter()
        .map(|currency| {
            let in_currency: Vec<&OfferReport> =
                offers.iter().filter(|o| o.currency == currency).collect();
            let mut names: Vec<&str> = in_currency
                .iter()
                .flat_map(|o| o.scenarios.iter().map(|s| s.name.as_str()))
                .collect();
            names.sort_by_key(|n| scenario_rank(n));
            names.dedup();
            if names.is_empty() {
                names.push("expected");
            }
            // Every cost line in this currency counts, with or without a
            // forecast, whatever the offer's price currency: it is spent anyway.
            let cost: i128 = offers
                .iter()
                .flat_map(|o| o.cost_lines.iter())
                .filter(|(_, m)| m.currency() == currency)
                .map(|(_, m)| m.minor() as i128)
                .sum();
            let cost = Amount::new(cost, currency);
            let rows = names
                .into_iter()
                .map(|name| {
                    let revenue: i128 = in_currency
                        .iter()
                        .filter_map(|o| o.scenario_or_primary(name))
                        .map(|s| s.revenue.minor())
                        .fold(0i128, i128::saturating_add);
                    let revenue = Amount::new(revenue, currency);
                    let (roi, net_roi) = ratios(revenue, cost, true);
                    TotalRow {
                        name: name.to_string(),
                        revenue,
                        cost,
                        net: Amount::new(revenue.minor().saturating_sub(cost.minor()), currency),
                        roi,
                        net_roi,
                    }
                })
                .collect();
            Total {
                currency,
                offers: in_currency.len(),
                rows,
            }
        })
        .collect()
}
