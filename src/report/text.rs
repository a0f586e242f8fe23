//! The compact table printed on the terminal after each build and by
//! `kpsite report --format text`.

use super::actual::{Figures, Listed, Sales};
use super::amount::{Amount, Ratio};
use super::estimate::Total;
use super::estimate::{OfferReport, PriceUsed, Report, Unit};
use super::strings::{ACTUAL_COLUMNS, ESTIMATE_COLUMNS, WIDE_ONLY, scenario, word};

/// The table, then one note per offer whose ROI is missing or partial.
/// Plain ASCII apart from what the manifest holds, no colour: it is also
/// what a CI log shows.
pub fn to_text(report: &Report) -> String {
    let lang = report.language.as_str();
    let w = |k| word(lang, k);
    let mut out = format!("{} {} ({})\n", w("estimate_at"), report.now, w("private"));
    estimate_table(lang, &report.offers, &report.totals, &mut out);
    for o in &report.offers {
        if let Some(reason) = o.reason(lang) {
            out.push_str(&format!("  {}: {}: {reason}\n", w("note"), o.id));
        }
    }
    for l in &report.languages {
        out.push_str(&format!("\n{}: {}\n", w("by_language"), l.language));
        estimate_table(lang, &l.offers, &l.totals, &mut out);
    }
    if let Some(sales) = &report.sales {
        actual_section(report, sales, &mut out);
    }
    out
}

/// The header row of a table of `columns`, without the [`WIDE_ONLY`] ones.
fn header(lang: &str, columns: &[&'static str]) -> Vec<String> {
    columns
        .iter()
        .filter(|k| !WIDE_ONLY.contains(k))
        .map(|k| word(lang, k).to_string())
        .collect()
}

/// The forecast table: one row per offer and scenario, then the totals
/// per currency.
fn estimate_table(lang: &str, offers: &[OfferReport], totals: &[Total], out: &mut String) {
    let w = |k| word(lang, k);
    let mut rows: Vec<Vec<String>> = vec![header(lang, ESTIMATE_COLUMNS)];
    for o in offers {
        offer_rows(lang, o, &mut rows);
    }
    for t in totals {
        if t.offers == 0 && t.expected().cost.minor() == 0 {
            continue;
        }
        for (i, r) in t.rows.iter().enumerate() {
            rows.push(vec![
                if i == 0 {
                    format!("{} {}", w("total"), t.currency)
                } else {
                    String::new()
                },
                String::new(),
                scenario(lang, &r.name),
                String::new(),
                money(r.revenue),
                money(r.cost),
                money(r.net),
                roi(lang, r.roi),
                String::new(),
            ]);
        }
    }
    // Left-aligned: offer, price, scenario. The rest are numbers.
    table(&rows, 3, false, out);
}

/// How many listed rows the terminal shows per list; report.json has all.
const LISTED_SHOWN: usize = 20;

/// Actual figures per offer and currency, sales by month, and the rows
/// listed rather than counted.
fn actual_section(report: &Report, sales: &Sales, out: &mut String) {
    let w = |k| word(&report.language, k);
    let files: Vec<&str> = sales.exports.iter().map(|e| e.file.as_str()).collect();
    out.push_str(&format!(
        "\n{} ({} {})\n",
        w("actual_title"),
        w("actual_from"),
        files.join(", ")
    ));
    let mut rows: Vec<Vec<String>> = vec![header(&report.language, ACTUAL_COLUMNS)];
    for o in &report.offers {
        let Some(a) = &o.actual else { continue };
        for f in a.main.iter().chain(&a.others) {
            let forecast = if f.currency == o.currency {
                between_text(&report.language, f)
            } else {
                w("other_currency").to_string()
            };
            rows.push(figure_row(&report.language, o.id.clone(), f, forecast));
        }
    }
    for f in &sales.totals {
        rows.push(figure_row(
            &report.language,
            w("total").to_string(),
            f,
            String::new(),
        ));
    }
    table(&rows, 2, true, out);

    out.push_str(&format!("\n{}\n", w("by_month")));
    let mut rows: Vec<Vec<String>> = vec![vec![
        w("month").into(),
        w("currency").into(),
        w("units").into(),
        w("revenue").into(),
    ]];
    for f in &sales.totals {
        for b in &f.by_month {
            rows.push(vec![
                b.key.clone(),
                f.currency.to_string(),
                b.units.to_string(),
                money(b.revenue),
            ]);
        }
    }
    table(&rows, 2, false, out);
    let more = w("more_in_json");
    listed(out, w("unmatched"), &sales.unmatched, more);
    listed(out, w("excluded"), &sales.excluded, more);
    listed(out, w("skipped"), &sales.skipped, more);
}

fn figure_row(lang: &str, name: String, f: &Figures, forecast: String) -> Vec<String> {
    vec![
        name,
        f.currency.to_string(),
        f.units.to_string(),
        money(f.revenue),
        money(f.refunds),
        money(f.fees),
        money(f.received),
        money(f.cost),
        money(f.net),
        roi(lang, f.roi),
        forecast,
    ]
}

/// `between expected and high`, `below low`, `above high`.
pub(super) fn between_text(lang: &str, f: &Figures) -> String {
    let s = |name: &str| scenario(lang, name);
    match &f.between {
        None => String::new(),
        Some((Some(lo), Some(hi))) => format!("{} {}–{}", word(lang, "between"), s(lo), s(hi)),
        Some((Some(lo), None)) => format!("{} {}", word(lang, "above"), s(lo)),
        Some((None, Some(hi))) => format!("{} {}", word(lang, "below"), s(hi)),
        Some((None, None)) => String::new(),
    }
}

fn listed(out: &mut String, title: &str, rows: &[Listed], more: &str) {
    if rows.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}: {}\n", rows.len()));
    for l in rows.iter().take(LISTED_SHOWN) {
        out.push_str(&format!("  {}:{}: {}\n", l.file, l.line, l.reason));
    }
    if rows.len() > LISTED_SHOWN {
        out.push_str(&format!("  … {} {more}\n", rows.len() - LISTED_SHOWN));
    }
}

/// Aligned columns; the first `left` are left-aligned, the rest right
/// (the last one left too when `last_left`: it holds words).
fn table(rows: &[Vec<String>], left: usize, last_left: bool, out: &mut String) {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; n];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = w - display_width(cell);
            if i < left || (last_left && i == n - 1) {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Columns a terminal gives `s`: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{ffdc}').contains(&c) && !c.is_ascii() && c >= '\u{2e80}' {
                2
            } else {
                1
            }
        })
        .sum()
}

fn offer_rows(lang: &str, o: &OfferReport, rows: &mut Vec<Vec<String>>) {
    let mut price = format!("{} {}", o.price.decimal(), o.currency);
    if o.price_used == PriceUsed::Sale {
        price.push_str(&format!(" ({})", word(lang, "sale")));
    }
    let break_even = match o.break_even_sales {
        Some(n) => match o.unit {
            Unit::Sale => n.to_string(),
            Unit::Member => format!("{n} {}", word(lang, "members")),
        },
        None => "-".into(),
    };
    if o.scenarios.is_empty() {
        rows.push(vec![
            o.id.clone(),
            price,
            "-".into(),
            "-".into(),
            "-".into(),
            money(o.cost),
            "-".into(),
            "-".into(),
            break_even,
        ]);
        return;
    }
    for (i, s) in o.scenarios.iter().enumerate() {
        let first = i == 0;
        rows.push(vec![
            if first { o.id.clone() } else { String::new() },
            if first { price.clone() } else { String::new() },
            scenario(lang, &s.name),
            s.units.to_string(),
            money(s.revenue),
            money(s.cost),
            money(s.net),
            roi(lang, s.roi),
            if first {
                break_even.clone()
            } else {
                String::new()
            },
        ]);
    }
}

fn money(a: Amount) -> String {
    a.grouped()
}

fn roi(lang: &str, r: Option<Ratio>) -> String {
    r.map_or_else(|| word(lang, "n_a").into(), |r| format!("{}x", r.fixed(2)))
}
