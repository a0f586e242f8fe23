//! `report/report.html`: one self-contained page a seller reads — totals,
//! the table, and per offer an inline SVG break-even chart (revenue and cost
//! against units sold, the break-even point marked). No scripts, no external
//! files: it opens from the disk as it is.

use crate::markdown::escape_html as esc;
use std::fmt::Write;

use super::actual::{Bucket, Figures, Listed, Sales};
use super::amount::{Amount, Ratio};
use super::estimate::{OfferReport, PriceUsed, Report, Total, Unit};
use super::strings::{ACTUAL_COLUMNS, ESTIMATE_COLUMNS, kind, scenario, word};
use super::text::between_text;

/// The page. `title` is the site title.
pub fn to_html(report: &Report, title: &str) -> String {
    let lang = report.language.as_str();
    let w = |k| word(lang, k);
    let mut h = String::new();
    let t = esc(title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{title} · {t}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title} <small>{t}</small></h1>\n\
         <p class=\"lead\">{prices_at} <time datetime=\"{now}\">{local}</time>{end} {private}</p>\n",
        end = w("sentence_end"),
        lang = esc(&report.language),
        title = w("estimate_title"),
        prices_at = w("prices_at"),
        private = w("private_note"),
        now = report.now,
        local = esc(&local_time(report)),
    );

    let _ = writeln!(h, "<h2>{}</h2>", w("totals"));
    for total in &report.totals {
        if total.offers == 0 && total.expected().cost.minor() == 0 {
            continue;
        }
        totals_table(&mut h, lang, total);
    }

    let _ = writeln!(h, "<h2>{}</h2>", w("offers"));
    offers_table(&mut h, lang, &report.offers);
    language_section(&mut h, report);
    what_if_section(&mut h, report);
    if let Some(sales) = &report.sales {
        actual_section(&mut h, report, sales);
    }

    let _ = writeln!(h, "<h2>{}</h2>", w("charts"));
    for o in &report.offers {
        let _ = write!(
            h,
            "<figure>\n<figcaption><strong>{}</strong> <span class=\"muted\">{} · {}</span></figcaption>\n",
            esc(&o.title),
            esc(&o.id),
            kind(lang, o.kind.name())
        );
        match chart(lang, o) {
            Some(svg) => h.push_str(&svg),
            None => {
                let _ = writeln!(
                    h,
                    "<p class=\"muted\">{}: {}.</p>",
                    w("no_chart"),
                    esc(&o.reason(lang).unwrap_or_else(|| w("no_costs").to_string()))
                );
            }
        }
        h.push_str("</figure>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// Per course, net and ROI at ±20 % and ±50 % of the price against each
/// forecast scenario, with the break-even sales at each price; then the
/// note on bundles.
fn what_if_section(h: &mut String, report: &Report) {
    let lang = report.language.as_str();
    let w = |k| word(lang, k);
    let courses: Vec<&OfferReport> = report
        .offers
        .iter()
        .filter(|o| !o.what_if.is_empty())
        .collect();
    if !courses.is_empty() {
        let _ = writeln!(
            h,
            "<h2 id=\"what-if\">{}</h2>\n<p class=\"muted\">{}</p>",
            w("whatif_title"),
            w("whatif_note")
        );
    }
    for o in courses {
        let _ = write!(
            h,
            "<div class=\"scroll\"><table>\n<caption class=\"l\"><strong>{}</strong> <span class=\"muted\">{} · {}</span></caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
            esc(&o.title),
            esc(&o.id),
            o.currency,
            w("change"),
            w("price"),
            w("break_even")
        );
        for c in &o.what_if[0].cells {
            let _ = write!(
                h,
                "<th scope=\"col\">{} · {} {}</th>",
                esc(&scenario(lang, &c.name)),
                c.units,
                w("units")
            );
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for r in &o.what_if {
            let change = if r.change == 0 {
                "±0 %".to_string()
            } else {
                format!("{:+} %", r.change)
            };
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{change}</th><td>{}</td><td>{}</td>",
                r.price.grouped(),
                r.break_even_sales.map_or("—".into(), |n| n.to_string())
            );
            for c in &r.cells {
                let class = if c.net.minor() < 0 { "neg" } else { "pos" };
                let _ = write!(
                    h,
                    "<td class=\"{class}\">{} <span class=\"muted\">({})</span></td>",
                    c.net.grouped(),
                    ratio(c.roi)
                );
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    if report
        .offers
        .iter()
        .any(|o| o.kind == crate::model::OfferKind::Bundle)
    {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", w("bundle_note"));
    }
}

/// The build time as people read it: `2026-12-15 00:00 Asia/Shanghai`.
fn local_time(report: &Report) -> String {
    let zoned = report.now.to_zoned_datetime(report.timezone.clone());
    format!(
        "{} {}",
        zoned.strftime("%Y-%m-%d %H:%M"),
        report.timezone_name
    )
}

/// Actual sales: per offer and currency, a monthly chart per currency,
/// breakdowns, and every row listed rather than counted.
fn actual_section(h: &mut String, report: &Report, sales: &Sales) {
    let lang = report.language.as_str();
    let w = |k| word(lang, k);
    let files: Vec<String> = sales
        .exports
        .iter()
        .map(|e| format!("<code>{}</code> ({})", esc(&e.file), esc(e.format)))
        .collect();
    let _ = writeln!(
        h,
        "<h2 id=\"actual\">{}</h2>\n<p class=\"muted\">{} {}</p>",
        w("actual_title"),
        w("actual_from"),
        files.join(", ")
    );
    h.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    head_cells(h, lang, ACTUAL_COLUMNS);
    h.push_str("</tr></thead>\n<tbody>\n");
    for o in &report.offers {
        let Some(a) = &o.actual else { continue };
        for f in a.main.iter().chain(&a.others) {
            let note = if f.currency == o.currency {
                between_text(lang, f)
            } else {
                w("other_currency").to_string()
            };
            figures_row(
                h,
                &format!(
                    "{}<br><span class=\"muted\">{}</span>",
                    esc(&o.title),
                    esc(&o.id)
                ),
                f,
                &note,
            );
        }
    }
    for f in &sales.totals {
        figures_row(h, &format!("<strong>{}</strong>", w("total")), f, "");
    }
    h.push_str("</tbody>\n</table></div>\n");

    let _ = writeln!(h, "<h3>{}</h3>", w("by_month"));
    for f in &sales.totals {
        if !f.by_month.is_empty() {
            let _ = writeln!(
                h,
                "<figure>\n<figcaption>{} · {}</figcaption>",
                w("by_month"),
                f.currency
            );
            h.push_str(&month_chart(f, lang));
            h.push_str("</figure>\n");
        }
    }
    for (key, pick) in [
        (
            "by_coupon",
            (|f: &Figures| &f.by_coupon) as fn(&Figures) -> &Vec<Bucket>,
        ),
        ("by_referrer", |f| &f.by_referrer),
        ("by_utm_campaign", |f| &f.by_utm_campaign),
        ("by_utm_medium", |f| &f.by_utm_medium),
    ] {
        if sales.totals.iter().all(|f| pick(f).is_empty()) {
            continue;
        }
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"narrow\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            w(key),
            w("key"),
            w("currency"),
            w("units"),
            w("revenue")
        );
        for f in &sales.totals {
            for b in pick(f) {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"l wrap\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&b.key),
                    f.currency,
                    b.units,
                    b.revenue.grouped()
                );
            }
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    listed_table(h, lang, "unmatched", &sales.unmatched);
    listed_table(h, lang, "excluded", &sales.excluded);
    listed_table(h, lang, "skipped", &sales.skipped);
}

fn figures_row(h: &mut String, name: &str, f: &Figures, note: &str) {
    let _ = writeln!(
        h,
        "<tr><th scope=\"row\">{name}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
        f.currency,
        f.units,
        f.revenue.grouped(),
        f.refunds.grouped(),
        f.fees.grouped(),
        f.received.grouped(),
        f.cost.grouped(),
        net_cell(f.net),
        ratio(f.roi),
        ratio(f.net_roi),
        esc(note)
    );
}

fn listed_table(h: &mut String, lang: &str, key: &'static str, rows: &[Listed]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h3>{} ({} {})</h3>\n<div class=\"scroll\"><table class=\"narrow\">\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        word(lang, key),
        rows.len(),
        word(lang, "rows"),
        word(lang, "file_line"),
        word(lang, "offer"),
        word(lang, "reason")
    );
    for l in rows {
        let _ = writeln!(
            h,
            "<tr><td class=\"l\"><code>{}:{}</code></td><td class=\"l\">{}</td><td class=\"l wrap\">{}</td></tr>",
            esc(&l.file),
            l.line,
            esc(l.offer.as_deref().unwrap_or("—")),
            esc(&l.reason)
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// Revenue per month as bars, the units written above each.
fn month_chart(f: &Figures, lang: &str) -> String {
    const CW: f64 = 640.0;
    const CH: f64 = 240.0;
    let (left, right, top, bottom) = (16.0, 16.0, 28.0, 36.0);
    let months = &f.by_month;
    let max = months
        .iter()
        .map(|b| b.revenue.minor())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (CW - left - right) / months.len() as f64;
    let bar = (slot * 0.6).min(72.0);
    let base = CH - bottom;
    let desc = format!(
        "{} ({}): {}",
        word(lang, "by_month"),
        f.currency,
        months
            .iter()
            .map(|b| format!("{} {} {}", b.key, b.revenue.grouped(), f.currency))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CW} {CH}\" width=\"{CW}\" height=\"{CH}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n<title>{}</title>\n",
        esc(&desc),
        esc(&desc)
    );
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"#98a2b3\"/>",
        CW - right
    );
    for (i, b) in months.iter().enumerate() {
        let hgt = (b.revenue.minor().max(0) as f64 / max) * (base - top);
        let cx = left + slot * (i as f64 + 0.5);
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{hgt:.1}\" fill=\"#175cd3\"><title>{}: {} {}, {} {}</title></rect>\
             <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#344054\">{}</text>\
             <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#5b6475\">{}</text>",
            cx - bar / 2.0,
            base - hgt,
            esc(&b.key),
            b.revenue.grouped(),
            f.currency,
            b.units,
            word(lang, "units"),
            base - hgt - 6.0,
            b.revenue.grouped(),
            base + 16.0,
            esc(&b.key)
        );
    }
    s.push_str("</svg>\n");
    s
}

const CSS: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#1d2433;background:#fff;margin:0}\
main{max-width:1240px;margin:0 auto;padding:1.5rem 1rem}\
h1 small{font-weight:normal;color:#5b6475;font-size:.6em;margin-left:.5em}\
.lead,.muted{color:#5b6475}\
.scroll{overflow-x:auto}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-variant-numeric:tabular-nums}\
th,td{padding:.35rem .6rem;border-bottom:1px solid #e3e6ec;text-align:right;white-space:nowrap}\
th:first-child,td:first-child,.l{text-align:left}\
thead th{background:#f5f6f8}\
.neg{color:#b42318}.pos{color:#067647}\
.tag{display:inline-block;padding:0 .4em;border-radius:.3em;background:#fef0c7;color:#7a2e0e;font-size:.85em}\
figure{margin:0 0 2rem}svg{max-width:100%;height:auto}\
.notes li{margin:.2rem 0}\
.note{background:#f5f6f8;border-left:3px solid #98a2b3;padding:.5rem .8rem}caption{text-align:left;padding:.3rem 0}\
.wrap{white-space:normal;min-width:12rem}table.narrow{width:auto;min-width:50%}\
tbody th{text-align:left;font-weight:normal;white-space:normal;min-width:9rem}\
@media (max-width:700px){body{font-size:14px}th,td{padding:.3rem .4rem}}\
@media (prefers-color-scheme:dark){body{color:#e6e8ee;background:#14171f}\
h1 small,.lead,.muted{color:#a5adbd}th,td{border-bottom-color:#2d3340}thead th{background:#1f2430}\
.neg{color:#f97066}.pos{color:#47cd89}.tag{background:#4e1d09;color:#fec84b}\
.note{background:#1f2430;border-left-color:#667085}svg{background:#fff;border-radius:.4rem}}";

fn totals_table(h: &mut String, lang: &str, t: &Total) {
    let _ = write!(
        h,
        "<div class=\"scroll\"><table>\n<caption class=\"l\">{} · {} {}</caption>\n<thead><tr>",
        t.currency,
        t.offers,
        word(lang, "offer_count")
    );
    head_cells(
        h,
        lang,
        &["scenario", "revenue", "cost", "net", "roi", "net_roi"],
    );
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td></tr>",
            esc(&scenario(lang, &r.name)),
            r.revenue.grouped(),
            r.cost.grouped(),
            net_cell(r.net),
            ratio(r.roi),
            ratio(r.net_roi)
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// `<th scope="col">` cells with the words of `keys`.
fn head_cells(h: &mut String, lang: &str, keys: &[&'static str]) {
    for k in keys {
        let _ = write!(h, "<th scope=\"col\">{}</th>", word(lang, k));
    }
}

/// The same forecast at each other language's prices, per currency.
fn language_section(h: &mut String, report: &Report) {
    let lang = report.language.as_str();
    for l in &report.languages {
        let _ = writeln!(
            h,
            "<h2>{}: <span lang=\"{tag}\">{tag}</span></h2>\n<p class=\"muted\">{}</p>",
            word(lang, "by_language"),
            word(lang, "by_language_note"),
            tag = esc(&l.language)
        );
        for t in &l.totals {
            totals_table(h, lang, t);
        }
        offers_table(h, lang, &l.offers);
    }
}

fn offers_table(h: &mut String, lang: &str, offers: &[OfferReport]) {
    let w = |k| word(lang, k);
    h.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    head_cells(h, lang, ESTIMATE_COLUMNS);
    h.push_str("</tr></thead>\n<tbody>\n");
    for o in offers {
        let span = o.scenarios.len().max(1);
        let mut price = format!("{} {}", o.price.decimal(), o.currency);
        if o.price_used == PriceUsed::Sale {
            let _ = write!(
                price,
                " <span class=\"tag\">{}</span> <s>{}</s>",
                w("sale"),
                o.regular_price.decimal()
            );
        }
        if o.unit == Unit::Member {
            let _ = write!(
                price,
                "<br><span class=\"muted\">× {} {}</span>",
                o.payments_per_unit,
                w("payments_per_member")
            );
        }
        if let Some(share) = o.sale_share {
            let _ = write!(
                price,
                "<br><span class=\"muted\">{} {share} %</span>",
                w("sale_share")
            );
        }
        if let Some(churn) = o.churn {
            let _ = write!(
                price,
                "<br><span class=\"muted\">{} {churn} %</span>",
                w("churn")
            );
        }
        if o.unit == Unit::Member && o.cost.minor() > 0 {
            let _ = write!(
                price,
                "<br><span class=\"muted\">{}: {}</span>",
                w("payback"),
                o.payback_month
                    .map_or(w("payback_none").to_string(), |m| format!(
                        "{} {m}",
                        w("payback_month")
                    ))
            );
        }
        if let Some(fee) = o.fee_per_payment {
            let _ = write!(
                price,
                "<br><span class=\"muted\">{} {}</span>",
                w("fee_per_payment"),
                fee.decimal()
            );
        }
        let break_even = match (o.break_even_sales, o.unit) {
            (Some(n), Unit::Sale) => format!("{n} {}", w("sales_unit")),
            (Some(n), Unit::Member) => format!("{n} {}", w("members")),
            (None, _) => "—".into(),
        };
        let head = format!(
            "<th scope=\"row\" rowspan=\"{span}\">{}<br><span class=\"muted\">{} · {}</span></th>\
             <td rowspan=\"{span}\">{price}</td>",
            esc(&o.title),
            esc(&o.id),
            kind(lang, o.kind.name())
        );
        let tail = format!("<td rowspan=\"{span}\">{break_even}</td>");
        if o.scenarios.is_empty() {
            let _ = writeln!(
                h,
                "<tr>{head}<td class=\"l\">—</td><td>—</td><td>—</td><td>{}</td><td>—</td><td>—</td><td>—</td>{tail}</tr>",
                o.cost.grouped()
            );
        }
        for (i, s) in o.scenarios.iter().enumerate() {
            let _ = writeln!(
                h,
                "<tr>{}<td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td>{}</tr>",
                if i == 0 { head.as_str() } else { "" },
                esc(&scenario(lang, &s.name)),
                s.units,
                s.revenue.grouped(),
                s.cost.grouped(),
                net_cell(s.net),
                ratio(s.roi),
                ratio(s.net_roi),
                if i == 0 { tail.as_str() } else { "" },
            );
        }
    }
    h.push_str("</tbody>\n</table></div>\n");
    let notes: Vec<(&OfferReport, String)> = offers
        .iter()
        .filter_map(|o| Some((o, o.reason(lang)?)))
        .collect();
    if !notes.is_empty() {
        h.push_str("<ul class=\"notes\">\n");
        for (o, reason) in notes {
            let _ = writeln!(
                h,
                "<li><strong>{}</strong>: {}</li>",
                esc(&o.id),
                esc(&reason)
            );
        }
        h.push_str("</ul>\n");
    }
}

fn net_cell(net: Amount) -> String {
    let class = if net.minor() < 0 { "neg" } else { "pos" };
    format!("<td class=\"{class}\">{}</td>", net.grouped())
}

fn ratio(r: Option<Ratio>) -> String {
    r.map_or_else(|| "—".into(), |r| format!("{}×", r.fixed(2)))
}

// Chart geometry, in SVG user units.
const W: f64 = 640.0;
const H: f64 = 290.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 48.0;

/// The break-even chart of one offer: units sold on x, money on y; the
/// revenue line (after fees) rises from zero, the cost is flat, and they
/// cross at the break-even point. Scenarios are marked on the revenue line.
/// `None` when the cost is unknown.
fn chart(lang: &str, o: &OfferReport) -> Option<String> {
    if o.cost_lines.is_empty() || o.cost_lines.iter().any(|(_, m)| m.currency() != o.currency) {
        return None;
    }
    let cur = o.currency;
    let per_unit = o.net_per_unit.minor();
    let cost = o.cost.minor();
    let most_units = o
        .scenarios
        .iter()
        .map(|s| s.units as u128)
        .max()
        .unwrap_or(0);
    let anchor = most_units.max(o.break_even_sales.unwrap_or(0)).max(1);
    let x_max = nice_ceiling(anchor + anchor / 5 + 1);
    let rev_at_max = per_unit.saturating_mul(x_max as i128);
    let y_max = (rev_at_max.max(cost) as f64 * 1.1).max(1.0);
    let y_min = (rev_at_max.min(0) as f64 * 1.1).min(0.0);

    let px = |units: f64| LEFT + units / x_max as f64 * (W - LEFT - RIGHT);
    let py = |minor: f64| TOP + (y_max - minor) / (y_max - y_min) * (H - TOP - BOTTOM);
    let unit_word = match o.unit {
        Unit::Sale => word(lang, "sales_unit"),
        Unit::Member => word(lang, "members"),
    };

    let mut desc = format!("{} {} {cur}", word(lang, "chart_desc"), o.cost.grouped());
    match o.break_even_sales {
        Some(n) => {
            let _ = write!(desc, "; {} {n} {unit_word}", word(lang, "chart_break_even"));
        }
        None => {
            let _ = write!(desc, "; {}", word(lang, "chart_no_break_even"));
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" \
         role=\"img\" aria-label=\"{}\" font-family=\"system-ui,sans-serif\" font-size=\"12\">",
        esc(&desc)
    );
    let _ = writeln!(s, "<title>{}</title>", esc(&desc));
    // Axes.
    let (x0, y0) = (px(0.0), py(0.0));
    let _ = writeln!(
        s,
        "<line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x0:.1}\" y2=\"{:.1}\" stroke=\"#98a2b3\"/>\
         <line x1=\"{x0:.1}\" y1=\"{y0:.1}\" x2=\"{:.1}\" y2=\"{y0:.1}\" stroke=\"#98a2b3\"/>",
        py(y_max),
        py(y_min),
        px(x_max as f64)
    );
    // Axis labels: 0 and the ends.
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5b6475\">0</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#5b6475\">{x_max} {unit_word}</text>",
        x0 - 6.0,
        y0 + 4.0,
        px(x_max as f64),
        y0 + 16.0
    );
    let yc = py(cost as f64);
    let yr = py(rev_at_max as f64);
    let x_end = px(x_max as f64);
    // Profit area: between the lines, past the break-even point.
    // Where the lines cross; the whole number of units is the next one up.
    let crossing = |n: u128| {
        if per_unit > 0 {
            px(cost as f64 / per_unit as f64)
        } else {
            px(n as f64)
        }
    };
    if let Some(n) = o.break_even_sales.filter(|_| rev_at_max > cost) {
        let xb = crossing(n);
        let _ = writeln!(
            s,
            "<polygon points=\"{xb:.1},{yc:.1} {x_end:.1},{yr:.1} {x_end:.1},{yc:.1}\" fill=\"#067647\" fill-opacity=\"0.08\"/>"
        );
    }
    // Labels sit at the right end, above their line; when the lines end
    // close together, the lower one's label goes below it.
    let close = (yr - yc).abs() < 18.0;
    let (rev_dy, cost_dy) = match (close, yr <= yc) {
        (false, _) => (-8.0, -8.0),
        (true, true) => (-8.0, 16.0),
        (true, false) => (16.0, -8.0),
    };
    // Cost line.
    let _ = writeln!(
        s,
        "<line x1=\"{x0:.1}\" y1=\"{yc:.1}\" x2=\"{x_end:.1}\" y2=\"{yc:.1}\" stroke=\"#b42318\" stroke-width=\"2\"/>\
         <text x=\"{x_end:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#b42318\">{} {}</text>",
        (yc + cost_dy).clamp(TOP + 10.0, H - BOTTOM - 4.0),
        word(lang, "cost"),
        o.cost.grouped()
    );
    // Revenue line.
    let _ = writeln!(
        s,
        "<line x1=\"{x0:.1}\" y1=\"{y0:.1}\" x2=\"{x_end:.1}\" y2=\"{yr:.1}\" stroke=\"#175cd3\" stroke-width=\"2\"/>\
         <text x=\"{x_end:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#175cd3\">{} {}</text>",
        (yr + rev_dy).clamp(TOP + 10.0, H - BOTTOM - 4.0),
        word(lang, "revenue_after_fees"),
        Amount::new(rev_at_max, cur).grouped()
    );
    // Scenarios on the revenue line, labelled below-right of their point
    // (the line rises away from there).
    for sc in &o.scenarios {
        let name = scenario(lang, &sc.name);
        let x = px(sc.units as f64);
        let y = py(sc.revenue.minor() as f64);
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#98a2b3\" stroke-dasharray=\"3 3\"/>\
             <circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#175cd3\"><title>{}: {} {unit_word}, {} {} {cur}</title></circle>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#344054\">{} {}</text>",
            esc(&name),
            sc.units,
            word(lang, "revenue"),
            sc.revenue.grouped(),
            x + 7.0,
            (y + 16.0).min(y0 - 4.0),
            esc(&name),
            sc.units
        );
    }
    // Break-even point.
    if let Some(n) = o.break_even_sales {
        let x = crossing(n);
        // Marked on the cost line and labelled on its own row under the
        // axis, clear of the lines and of the scenario labels.
        let (tx, anchor) = if x < W / 2.0 {
            (x - 4.0, "start")
        } else {
            (x + 4.0, "end")
        };
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{yc:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#067647\" stroke-dasharray=\"2 3\"/>\
             <circle cx=\"{x:.1}\" cy=\"{yc:.1}\" r=\"6\" fill=\"#fff\" stroke=\"#067647\" stroke-width=\"3\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" fill=\"#067647\" font-weight=\"bold\">{}: {n} {unit_word}</text>",
            y0 + 22.0,
            y0 + 34.0,
            word(lang, "break_even")
        );
    }
    s.push_str("</svg>\n");
    Some(s)
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at least `n`, so axes end on round numbers.
fn nice_ceiling(n: u128) -> u128 {
    let mut base = 1u128;
    loop {
        for m in [10u128, 20, 25, 50] {
            let candidate = base.saturating_mul(m) / 10;
            if candidate >= n && candidate > 0 {
                return candidate;
            }
        }
        match base.checked_mul(10) {
            Some(b) => base = b,
            None => return n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings_are_round() {
        assert_eq!(nice_ceiling(1), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(1201), 2000);
        assert_eq!(nice_ceiling(2001), 2500);
        assert_eq!(nice_ceiling(2000), 2000);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
