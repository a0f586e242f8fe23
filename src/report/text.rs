//! The compact table printed on the terminal after each build and by
//! `kpsite report --format text`.

use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, PriceUsed, Report, Unit};

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
    out
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
