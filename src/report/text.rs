//! The compact table printed on the terminal after each build and by
//! `kpsite report --format text`.

use super::actual::{Figures, Listed, Sales};
use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, PriceUsed, Report, Unit};
use super::strings::word;

/// The table, then one note per offer whose ROI is missing or partial.
/// Plain ASCII apart from what the manifest holds, no colour: it is also
/// what a CI log shows.
pub fn to_text(report: &Report) -> String {
    let mut rows: Vec<[String; 9]> = vec![[
        "offer".into(),
        "price".into(),
        "scenario".into(),
        "units".into(),
        "revenue".into(),
        "cost".into(),
        "net".into(),
        "ROI".into(),
        "break-even".into(),
    ]];
    for o in &report.offers {
        offer_rows(o, &mut rows);
    }
    for t in &report.totals {
        if t.offers == 0 && t.expected().cost.minor() == 0 {
            continue;
        }
        for (i, r) in t.rows.iter().enumerate() {
            rows.push([
                if i == 0 {
                    format!("total {}", t.currency)
                } else {
                    String::new()
                },
                String::new(),
                r.name.clone(),
                String::new(),
                money(r.revenue),
                money(r.cost),
                money(r.net),
                roi(r.roi),
                String::new(),
            ]);
        }
    }

    let mut widths = [0usize; 9];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // Left-aligned: offer, price, scenario. The rest are numbers.
    let mut out = format!("ROI estimate at {} (private, not published)\n", report.now);
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = w - cell.chars().count();
            if i < 3 {
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
    for o in &report.offers {
        if let Some(reason) = &o.reason {
            out.push_str(&format!("  note: {}: {reason}\n", o.id));
        }
    }
    if let Some(sales) = &report.sales {
        actual_section(report, sales, &mut out);
    }
    out
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
    let mut rows: Vec<Vec<String>> = vec![
        [
            "offer", "currency", "units", "revenue", "refunds", "fees", "received", "cost", "net",
            "roi", "forecast",
        ]
        .iter()
        .map(|k| w(k).to_string())
        .collect(),
    ];
    for o in &report.offers {
        let Some(a) = &o.actual else { continue };
        for f in a.main.iter().chain(&a.others) {
            let forecast = if f.currency == o.currency {
                between_text(&report.language, f)
            } else {
                w("other_currency").to_string()
            };
            rows.push(figure_row(o.id.clone(), f, forecast));
        }
    }
    for f in &sales.totals {
        rows.push(figure_row(w("total").to_string(), f, String::new()));
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
    listed(out, w("unmatched"), &sales.unmatched);
    listed(out, w("excluded"), &sales.excluded);
    listed(out, w("skipped"), &sales.skipped);
}

fn figure_row(name: String, f: &Figures, forecast: String) -> Vec<String> {
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
        roi(f.roi),
        forecast,
    ]
}

/// `between expected and high`, `below low`, `above high`.
pub(super) fn between_text(lang: &str, f: &Figures) -> String {
    match &f.between {
        None => String::new(),
        Some((Some(lo), Some(hi))) => format!("{} {lo}–{hi}", word(lang, "between")),
        Some((Some(lo), None)) => format!("{} {lo}", word(lang, "above")),
        Some((None, Some(hi))) => format!("{} {hi}", word(lang, "below")),
        Some((None, None)) => String::new(),
    }
}

fn listed(out: &mut String, title: &str, rows: &[Listed]) {
    if rows.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}: {}\n", rows.len()));
    for l in rows.iter().take(LISTED_SHOWN) {
        out.push_str(&format!("  {}:{}: {}\n", l.file, l.line, l.reason));
    }
    if rows.len() > LISTED_SHOWN {
        out.push_str(&format!(
            "  … {} more in report/report.json\n",
            rows.len() - LISTED_SHOWN
        ));
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

fn offer_rows(o: &OfferReport, rows: &mut Vec<[String; 9]>) {
    let mut price = format!("{} {}", o.price.decimal(), o.currency);
    if o.price_used == PriceUsed::Sale {
        price.push_str(" (sale)");
    }
    let break_even = match o.break_even_sales {
        Some(n) => match o.unit {
            Unit::Sale => n.to_string(),
            Unit::Member => format!("{n} members"),
        },
        None => "-".into(),
    };
    if o.scenarios.is_empty() {
        rows.push([
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
        rows.push([
            if first { o.id.clone() } else { String::new() },
            if first { price.clone() } else { String::new() },
            s.name.clone(),
            s.units.to_string(),
            money(s.revenue),
            money(s.cost),
            money(s.net),
            roi(s.roi),
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

fn roi(r: Option<Ratio>) -> String {
    r.map_or_else(|| "n/a".into(), |r| format!("{}x", r.fixed(2)))
}
