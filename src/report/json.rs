//! `report/report.json`: the shape of spec §4, plus a few fields a seller's
//! scripts may want (`price_used`, `reason`, `totals_by_currency`, ...).
//! Money is a decimal string with every minor digit; ratios are JSON numbers
//! rounded to [`RATIO_DECIMALS`](super::amount::RATIO_DECIMALS) decimals, or
//! `null` when the cost is zero or unknown. Field order is fixed.

use serde::Serialize;

use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, Report, Scenario, Total, TotalRow};

/// The JSON text, pretty-printed, ending in a newline.
pub fn to_json(report: &Report) -> String {
    let doc = Doc {
        currency: report.currency.code(),
        now: report.now.to_string(),
        offers: report.offers.iter().map(offer).collect(),
        total: total(report.total()),
        totals_by_currency: report.totals.iter().map(total).collect(),
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
    reason: Option<&'a str>,
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
        reason: o.reason.as_deref(),
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
