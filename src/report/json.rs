//! `report/report.json`: the shape of spec §4, plus a few fields a seller's
//! scripts may want (`price_used`, `reason`, `totals_by_currency`, ...).
//! Money is a decimal string with every minor digit; ratios are JSON numbers
//! rounded to [`RATIO_DECIMALS`](super::amount::RATIO_DECIMALS) decimals, or
//! `null` when the cost is zero or unknown. Field order is fixed.

use serde::Serialize;

use super::actual::{Bucket, Figures, Listed};
use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, Report, Scenario, Total, TotalRow};
use crate::model::OfferKind;
use rust_decimal::prelude::ToPrimitive;

/// The JSON text, pretty-printed, ending in a newline.
pub fn to_json(report: &Report) -> String {
    let sales = report.sales.as_ref();
    let mut main_total = total(report.total());
    main_total.actual = sales.map(|s| s.totals.iter().map(|f| actual(f, true)).collect());
    let doc = Doc {
        currency: report.currency.code(),
        now: report.now.to_string(),
        offers: report.offers.iter().map(offer).collect(),
        total: main_total,
        totals_by_currency: report.totals.iter().map(total).collect(),
        sales_files: sales.map(|s| {
            s.exports
                .iter()
                .map(|e| FileJson {
                    file: &e.file,
                    format: e.format,
                    records: e.records,
                    counted: e.counted,
                })
                .collect()
        }),
        unmatched: sales.map(|s| s.unmatched.iter().map(listed).collect()),
        excluded: sales.map(|s| s.excluded.iter().map(listed).collect()),
        skipped: sales
            .map(|s| s.skipped.iter().map(listed).collect())
            .unwrap_or_default(),
        by_language: report
            .languages
            .iter()
            .map(|l| LanguageJson {
                language: &l.language,
                offers: l.offers.iter().map(offer).collect(),
                totals_by_currency: l.totals.iter().map(total).collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("the report serializes");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Doc<'a> {
    currency: &'a str,
    now: String,
    offers: Vec<OfferJson<'a>>,
    total: TotalJson<'a>,
    totals_by_currency: Vec<TotalJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sales_files: Option<Vec<FileJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unmatched: Option<Vec<ListedJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excluded: Option<Vec<ListedJson<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<ListedJson<'a>>,
    /// The forecast at each other language's prices (when they differ).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_language: Vec<LanguageJson<'a>>,
}

/// One other language: every offer at its price, totals per currency.
#[derive(Serialize)]
struct LanguageJson<'a> {
    language: &'a str,
    offers: Vec<OfferJson<'a>>,
    totals_by_currency: Vec<TotalJson<'a>>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    file: &'a str,
    format: &'static str,
    records: usize,
    counted: usize,
}

/// `{"file", "line", "reason"}` as spec §7 shows, and the offer when known.
#[derive(Serialize)]
struct ListedJson<'a> {
    file: &'a str,
    line: u64,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer: Option<&'a str>,
}

/// The `actual` block of spec §7, in its field order, then the breakdowns
/// the export allows.
#[derive(Serialize)]
struct ActualJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
    units: u64,
    revenue: String,
    refunds: String,
    fees: String,
    received: String,
    cost: String,
    net: String,
    roi: Option<f64>,
    net_roi: Option<f64>,
    by_month: Vec<MonthJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_coupon: Vec<KeyJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_referrer: Vec<KeyJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_utm_campaign: Vec<KeyJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    by_utm_medium: Vec<KeyJson<'a>>,
    /// The forecast scenarios the units fall between: `[below, above]`,
    /// `null` past the lowest or highest.
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast_between: Option<[Option<&'a str>; 2]>,
}

#[derive(Serialize)]
struct MonthJson<'a> {
    month: &'a str,
    units: u64,
    revenue: String,
}

#[derive(Serialize)]
struct KeyJson<'a> {
    key: &'a str,
    units: u64,
    revenue: String,
}

fn listed(l: &Listed) -> ListedJson<'_> {
    ListedJson {
        file: &l.file,
        line: l.line,
        reason: &l.reason,
        offer: l.offer.as_deref(),
    }
}

fn keys(b: &[Bucket]) -> Vec<KeyJson<'_>> {
    b.iter()
        .map(|b| KeyJson {
            key: &b.key,
            units: b.units,
            revenue: dec(b.revenue),
        })
        .collect()
}

fn actual(f: &Figures, with_currency: bool) -> ActualJson<'_> {
    ActualJson {
        currency: with_currency.then(|| f.currency.code()),
        units: f.units,
        revenue: dec(f.revenue),
        refunds: dec(f.refunds),
        fees: dec(f.fees),
        received: dec(f.received),
        cost: dec(f.cost),
        net: dec(f.net),
        roi: ratio(f.roi),
        net_roi: ratio(f.net_roi),
        by_month: f
            .by_month
            .iter()
            .map(|b| MonthJson {
                month: &b.key,
                units: b.units,
                revenue: dec(b.revenue),
            })
            .collect(),
        by_coupon: keys(&f.by_coupon),
        by_referrer: keys(&f.by_referrer),
        by_utm_campaign: keys(&f.by_utm_campaign),
        by_utm_medium: keys(&f.by_utm_medium),
        forecast_between: f
            .between
            .as_ref()
            .map(|(lo, hi)| [lo.as_deref(), hi.as_deref()]),
    }
}

#[derive(Serialize)]
struct OfferJson<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    currency: &'a str,
    price: String,
    price_used: &'static str,
    regular_price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_until: Option<String>,
    unit: &'static str,
    payments_per_unit: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fee_per_payment: Option<String>,
    net_per_unit: String,
    cost: String,
    costs: Vec<CostLine<'a>>,
    scenarios: Vec<ScenarioJson<'a>>,
    break_even_sales: Option<u128>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_share_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    churn_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payback_month: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    what_if: Vec<WhatIfJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<ActualJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actual_other_currencies: Vec<ActualJson<'a>>,
}

/// One price of the what-if grid.
#[derive(Serialize)]
struct WhatIfJson<'a> {
    change_percent: i64,
    price: String,
    break_even_sales: Option<u128>,
    scenarios: Vec<WhatIfCellJson<'a>>,
}

#[derive(Serialize)]
struct WhatIfCellJson<'a> {
    name: &'a str,
    units: u64,
    revenue: String,
    net: String,
    roi: Option<f64>,
}

#[derive(Serialize)]
struct CostLine<'a> {
    name: &'a str,
    amount: String,
    currency: &'a str,
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    name: &'a str,
    units: u64,
    payments: u128,
    gross: String,
    fees: String,
    revenue: String,
    cost: String,
    net: String,
    roi: Option<f64>,
    net_roi: Option<f64>,
}

#[derive(Serialize)]
struct TotalJson<'a> {
    currency: &'a str,
    offers: usize,
    revenue: String,
    cost: String,
    net: String,
    roi: Option<f64>,
    net_roi: Option<f64>,
    scenarios: Vec<TotalRowJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<Vec<ActualJson<'a>>>,
}

#[derive(Serialize)]
struct TotalRowJson<'a> {
    name: &'a str,
    revenue: String,
    cost: String,
    net: String,
    roi: Option<f64>,
    net_roi: Option<f64>,
}

/// Said of every bundle: its forecast may double-count course sales.
const BUNDLE_NOTE: &str = "bundle sales may come out of the sales of its courses: a bundle buyer does not also buy the courses";

fn dec(a: Amount) -> String {
    a.decimal()
}

fn ratio(r: Option<Ratio>) -> Option<f64> {
    r.map(Ratio::to_f64)
}

fn offer(o: &OfferReport) -> OfferJson<'_> {
    OfferJson {
        id: &o.id,
        kind: o.kind.name(),
        title: &o.title,
        currency: o.currency.code(),
        price: o.price.decimal(),
        price_used: o.price_used.name(),
        regular_price: o.regular_price.decimal(),
        sale_until: o.sale_until.map(|t| t.to_string()),
        unit: o.unit.name(),
        payments_per_unit: o.payments_per_unit,
        fee_per_payment: o.fee_per_payment.map(dec),
        net_per_unit: dec(o.net_per_unit),
        cost: dec(o.cost),
        costs: o
            .cost_lines
            .iter()
            .map(|(name, m)| CostLine {
                name,
                amount: m.decimal(),
                currency: m.currency().code(),
            })
            .collect(),
        scenarios: o.scenarios.iter().map(scenario).collect(),
        break_even_sales: o.break_even_sales,
        reason: o.reason("en"),
        sale_share_percent: o.sale_share.and_then(|d| d.to_f64()),
        churn_percent: o.churn.and_then(|d| d.to_f64()),
        payback_month: o.payback_month,
        note: (o.kind == OfferKind::Bundle).then_some(BUNDLE_NOTE),
        what_if: o
            .what_if
            .iter()
            .map(|r| WhatIfJson {
                change_percent: r.change,
                price: dec(r.price),
                break_even_sales: r.break_even_sales,
                scenarios: r
                    .cells
                    .iter()
                    .map(|c| WhatIfCellJson {
                        name: &c.name,
                        units: c.units,
                        revenue: dec(c.revenue),
                        net: dec(c.net),
                        roi: ratio(c.roi),
                    })
                    .collect(),
            })
            .collect(),
        actual: o
            .actual
            .as_ref()
            .and_then(|a| a.main.as_ref())
            .map(|f| actual(f, false)),
        actual_other_currencies: o
            .actual
            .as_ref()
            .map(|a| a.others.iter().map(|f| actual(f, true)).collect())
            .unwrap_or_default(),
    }
}

fn scenario(s: &Scenario) -> ScenarioJson<'_> {
    ScenarioJson {
        name: &s.name,
        units: s.units,
        payments: s.payments,
        gross: dec(s.gross),
        fees: dec(s.fees),
        revenue: dec(s.revenue),
        cost: dec(s.cost),
        net: dec(s.net),
        roi: ratio(s.roi),
        net_roi: ratio(s.net_roi),
    }
}

fn total(t: &Total) -> TotalJson<'_> {
    let e = t.expected();
    TotalJson {
        currency: t.currency.code(),
        offers: t.offers,
        revenue: dec(e.revenue),
        cost: dec(e.cost),
        net: dec(e.net),
        roi: ratio(e.roi),
        net_roi: ratio(e.net_roi),
        scenarios: t.rows.iter().map(row).collect(),
        actual: None,
    }
}

fn row(r: &TotalRow) -> TotalRowJson<'_> {
    TotalRowJson {
        name: &r.name,
        revenue: dec(r.revenue),
        cost: dec(r.cost),
        net: dec(r.net),
        roi: ratio(r.roi),
        net_roi: ratio(r.net_roi),
    }
}
