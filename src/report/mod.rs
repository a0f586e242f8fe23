//! The ROI report (spec §4): what each offer and the whole site would earn
//! against what it costs, written to `report/` beside — never inside — the
//! public output.
//!
//! Decisions, all exact integer arithmetic in the offer's minor units
//! (floating point only for the final JSON ratio):
//!
//! - **Price.** The price in effect at build time ([`crate::model::Price::effective`]):
//!   the sale price while the sale runs, else the regular one. Each offer
//!   says which it used (`price_used`).
//! - **Units and payments.** A course or bundle forecast counts sales; one
//!   sale is one payment. A membership forecast counts members; a member
//!   pays `months` times on a monthly plan (default
//!   [`DEFAULT_MONTHS`] = 12, one year, to compare with yearly plans), once
//!   per started year of `months` on a yearly plan (default once), and once
//!   on a one-off plan. So revenue = price × members × months for monthly
//!   plans, as the spec says.
//! - **Fees.** Charged on every payment: `percent` of the price rounded
//!   **half away from zero** to the currency's minor unit, plus `fixed`
//!   ([`fee_per_payment`]). Revenue is gross minus fees.
//! - **Cost** is the sum of the cost lines. No cost lines, or lines adding up
//!   to zero, give `roi: null` and `net_roi: null` with a `reason`; zero is
//!   never divided by.
//! - **Ratios.** `roi` = revenue / cost, `net_roi` = (revenue − cost) / cost,
//!   kept exact and rounded half away from zero to 4 decimals for JSON.
//! - **Break-even** is the smallest whole number of units `n` with
//!   `n × net-per-unit ≥ cost`, where net-per-unit is what one unit brings
//!   after fees (for a member, all their payments). `null` when nothing is
//!   left per unit, or when there are no cost lines.
//! - **Currencies are never mixed.** Each currency has its own total; the
//!   JSON `total` is the site currency's (zero when no offer uses it) and
//!   `totals_by_currency` lists every currency, the site's first.
//! - **Totals** add, per scenario name, each offer's scenario of that name or
//!   its `expected` one; every cost line counts, forecast or not.

mod actual;
mod amount;
mod estimate;
mod html;
mod json;
pub mod sales;
mod strings;
mod text;
mod warnings;

#[cfg(test)]
mod tests;

pub use actual::{
    Bucket, ExportSummary, Figures, Listed, OfferActual, Sales, apply as apply_sales,
};
pub use amount::{Amount, RATIO_DECIMALS, Ratio};
pub use estimate::{
    DEFAULT_MONTHS, OfferReport, PriceUsed, Report, Scenario, Total, TotalRow, Unit,
    WHAT_IF_CHANGES, WhatIfCell, WhatIfRow, estimate, fee_per_payment, payments_per_unit,
};
pub use html::to_html;
pub use json::to_json;
pub use text::to_text;
pub use warnings::{SALE_ENDING_SOON, warnings};

/// The folder, relative to the site folder, the report is written to.
pub const REPORT_DIR: &str = "report";
