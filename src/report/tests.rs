//! Unit tests of the ROI report, on `Site` values built by hand.

use std::path::PathBuf;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;
use serde_json::Value;

use super::*;
use crate::diagnostics::Severity;
use crate::model::{
    Bundle, Config, Course, Currency, Fees, Forecast, Language, Membership, Money, Offer,
    OfferKind, Payment, Period, Price, Provider, Sale, Site, Social,
};

// ---- helpers ---------------------------------------------------------------

fn cur(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}

fn money(text: &str, code: &str) -> Money {
    Money::parse(text, cur(code)).unwrap()
}

fn now() -> Timestamp {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

fn site(currency: &str) -> Site {
    Site {
        root: PathBuf::from("site"),
        config: Config {
            title: "程序员的 Rust 实战课".into(),
            description: "d".into(),
            base_url: "https://example.com/".into(),
            language: Language::parse("zh-CN").unwrap(),
            languages: vec![Language::parse("zh-CN").unwrap()],
            currency: cur(currency),
            timezone_name: "Asia/Shanghai".into(),
            timezone: TimeZone::get("Asia/Shanghai").unwrap(),
            author: None,
            theme: "default".into(),
            social: Social::default(),
            delivery: Default::default(),
            promise: None,
            featured: None,
            image: None,
        },
        courses: vec![],
        memberships: vec![],
        bundles: vec![],
        pages: vec![],
        static_files: vec![],
        lesson_assets: vec![],
        events: vec![],
        now: now(),
        strings: Default::default(),
        translations: Default::default(),
    }
}

/// An offer priced `price` in `code`, with the given cost lines, no forecast.
fn offer(id: &str, kind: OfferKind, price: &str, code: &str, costs: &[(&str, &str)]) -> Offer {
    Offer {
        id: id.into(),
        kind,
        title: format!("Title of {id}"),
        description: String::new(),
        price: Price {
            regular: money(price, code),
            sale: None,
        },
        payment: Payment {
            provider: Provider::Link,
            url: Some("https://pay.example.com/x".into()),
            coupon: None,
            image: None,
            product: None,
        },
        costs: costs
            .iter()
            .map(|(n, a)| (n.to_string(), money(a, code)))
            .collect(),
        forecast: None,
        fees: None,
        trailer: None,
    }
}

fn sales(o: Offer, scenarios: &[(&str, u64)]) -> Offer {
    with_forecast(o, scenarios, None)
}

fn with_forecast(mut o: Offer, scenarios: &[(&str, u64)], months: Option<u64>) -> Offer {
    o.forecast = Some(Forecast {
        scenarios: scenarios.iter().map(|(n, u)| (n.to_string(), *u)).collect(),
        months,
        churn: None,
        sale_share: None,
    });
    o
}

fn with_fees(mut o: Offer, percent: &str, fixed: &str) -> Offer {
    let code = o.price.regular.currency().code();
    o.fees = Some(Fees {
        percent: percent.parse::<Decimal>().unwrap(),
        fixed: money(fixed, code),
    });
    o
}

fn with_sale(mut o: Offer, price: &str, until: Timestamp) -> Offer {
    let code = o.price.regular.currency().code();
    o.price.sale = Some(Sale {
        price: money(price, code),
        until,
        label: Some("早鸟价".into()),
    });
    o
}

fn course(o: Offer) -> Course {
    Course {
        offer: o,
        tagline: None,
        level: None,
        lessons: vec![],
        sales: Default::default(),
        modules: vec![],
    }
}

fn membership(o: Offer, period: Period) -> Membership {
    Membership {
        offer: o,
        period,
        includes: Vec::new(),
        sales: Default::default(),
    }
}

fn site_with_courses(currency: &str, offers: Vec<Offer>) -> Site {
    let mut s = site(currency);
    s.courses = offers.into_iter().map(course).collect();
    s
}

fn json(report: &Report) -> Value {
    serde_json::from_str(&to_json(report)).unwrap()
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

// ---- the article's two examples -------------------------------------------

#[test]
fn article_example_one_is_roi_ten() {
    // 100 元 × 1 000 sales against 5 000 production + 2 000 operations + 3 000 promotion.
    let site = site_with_courses(
        "CNY",
        vec![sales(
            offer(
                "a",
                OfferKind::Course,
                "100",
                "CNY",
                &[
                    ("production", "5000"),
                    ("operations", "2000"),
                    ("promotion", "3000"),
                ],
            ),
            &[("expected", 1000)],
        )],
    );
    let r = estimate(&site);
    let s = &r.offers[0].scenarios[0];
    assert_eq!(s.revenue.decimal(), "100000.00");
    assert_eq!(s.cost.decimal(), "10000.00");
    assert_eq!(s.net.decimal(), "90000.00");
    assert_eq!(s.roi.unwrap().to_f64(), 10.0);
    assert_eq!(s.net_roi.unwrap().to_f64(), 9.0);
    assert_eq!(r.offers[0].break_even_sales, Some(100));

    let j = json(&r);
    let js = &j["offers"][0]["scenarios"][0];
    assert_eq!(js["revenue"], "100000.00");
    assert_eq!(js["cost"], "10000.00");
    assert_eq!(js["roi"], 10.0);
    assert_eq!(j["total"]["roi"], 10.0);
    assert_eq!(j["total"]["revenue"], "100000.00");
}

#[test]
fn article_example_two_is_roi_four() {
    // 200 元 × 500 sales against 10 000 + 5 000 + 10 000.
    let site = site_with_courses(
        "CNY",
        vec![sales(
            offer(
                "b",
                OfferKind::Course,
                "200",
                "CNY",
                &[
                    ("production", "10000"),
                    ("operations", "5000"),
                    ("promotion", "10000"),
                ],
            ),
            &[("expected", 500)],
        )],
    );
    let r = estimate(&site);
    let s = &r.offers[0].scenarios[0];
    assert_eq!(s.revenue.decimal(), "100000.00");
    assert_eq!(s.cost.decimal(), "25000.00");
    assert_eq!(s.net.decimal(), "75000.00");
    assert_eq!(s.roi.unwrap().to_f64(), 4.0);
    assert_eq!(s.net_roi.unwrap().to_f64(), 3.0);
    assert_eq!(r.offers[0].break_even_sales, Some(125));
    assert_eq!(json(&r)["offers"][0]["scenarios"][0]["roi"], 4.0);
}

#[test]
fn spec_example_comes_out_as_written() {
    let site = site_with_courses(
        "CNY",
        vec![sales(
            offer(
                "rust-web",
                OfferKind::Course,
                "199",
                "CNY",
                &[
                    ("production", "5000"),
                    ("operations", "2000"),
                    ("promotion", "3000"),
                ],
            ),
            &[("expected", 1000)],
        )],
    );
    let j = json(&estimate(&site));
    assert_eq!(j["currency"], "CNY");
    let o = &j["offers"][0];
    assert_eq!(o["id"], "rust-web");
    assert_eq!(o["kind"], "course");
    assert_eq!(o["price"], "199.00");
    assert_eq!(o["price_used"], "regular");
    assert_eq!(o["break_even_sales"], 51);
    let s = &o["scenarios"][0];
    assert_eq!(s["name"], "expected");
    assert_eq!(s["units"], 1000);
    assert_eq!(s["revenue"], "199000.00");
    assert_eq!(s["cost"], "10000.00");
    assert_eq!(s["net"], "189000.00");
    assert_eq!(s["roi"], 19.9);
    assert_eq!(s["net_roi"], 18.9);
    for key in ["revenue", "cost", "net", "roi", "net_roi"] {
        assert!(j["total"].get(key).is_some(), "total.{key}");
    }
    assert_eq!(j["total"]["net"], "189000.00");
    // The ratio is written as a plain JSON number.
    assert!(to_json(&estimate(&site)).contains("\"roi\": 19.9,"));
}

// ---- fees --------------------------------------------------------------------

#[test]
fn fees_round_half_away_from_zero_per_payment() {
    let fees = |p: &str, f: &str, code: &str| Fees {
        percent: p.parse().unwrap(),
        fixed: money(f, code),
    };
    let f = fees("2.9", "0.30", "USD");
    assert_eq!(fee_per_payment(money("149", "USD"), &f).decimal(), "4.62"); // 4.321 + 0.30
    assert_eq!(fee_per_payment(money("12.50", "USD"), &f).decimal(), "0.66"); // 0.3625 → 0.36
    // 0.5 % of 1.00 is exactly half a cent: half-up gives 0.01 (banker's would give 0.00).
    let half = fees("0.5", "0", "USD");
    assert_eq!(fee_per_payment(money("1", "USD"), &half).decimal(), "0.01");
    // 2.5 % of 0.10 is 0.0025 → 0.00.
    assert_eq!(
        fee_per_payment(money("0.10", "USD"), &fees("2.5", "0", "USD")).decimal(),
        "0.00"
    );
    // JPY has no minor digits: 3.6 % of 1980 is 71.28 → 71.
    let jpy = fees("3.6", "0", "JPY");
    assert_eq!(fee_per_payment(money("1980", "JPY"), &jpy).decimal(), "71");
}

#[test]
fn fees_come_out_of_revenue_and_break_even() {
    let o = with_fees(
        sales(
            offer(
                "c",
                OfferKind::Course,
                "149",
                "USD",
                &[("production", "10000")],
            ),
            &[("expected", 1000)],
        ),
        "2.9",
        "0.30",
    );
    let r = estimate(&site_with_courses("USD", vec![o]));
    let o = &r.offers[0];
    assert_eq!(o.fee_per_payment.unwrap().decimal(), "4.62");
    assert_eq!(o.net_per_unit.decimal(), "144.38");
    let s = &o.scenarios[0];
    assert_eq!(s.gross.decimal(), "149000.00");
    assert_eq!(s.fees.decimal(), "4620.00");
    assert_eq!(s.revenue.decimal(), "144380.00");
    assert_eq!(s.net.decimal(), "134380.00");
    assert_eq!(s.roi.unwrap().to_f64(), 14.438);
    // 69 × 144.38 = 9 962.22 < 10 000 ≤ 70 × 144.38 = 10 106.60
    assert_eq!(o.break_even_sales, Some(70));
    let j = json(&r);
    assert_eq!(j["offers"][0]["fee_per_payment"], "4.62");
    assert_eq!(j["offers"][0]["scenarios"][0]["fees"], "4620.00");
}

#[test]
fn fees_eating_the_whole_price_never_break_even() {
    let o = with_fees(
        sales(
            offer("tiny", OfferKind::Course, "0.20", "USD", &[("ads", "10")]),
            &[("expected", 100)],
        ),
        "0",
        "0.30",
    );
    let r = estimate(&site_with_courses("USD", vec![o]));
    let o = &r.offers[0];
    assert_eq!(o.break_even_sales, None);
    assert_eq!(o.scenarios[0].revenue.decimal(), "-10.00");
    assert_eq!(o.scenarios[0].roi.unwrap().to_f64(), -1.0);
    assert!(
        o.reason("en")
            .as_deref()
            .unwrap()
            .contains("nothing is left per sale")
    );
    assert_eq!(json(&r)["offers"][0]["break_even_sales"], Value::Null);
}

// ---- memberships ---------------------------------------------------------------

#[test]
fn monthly_membership_counts_members_times_months() {
    let mut s = site("CNY");
    s.memberships = vec![
        membership(
            with_forecast(
                offer(
                    "monthly",
                    OfferKind::Membership,
                    "29",
                    "CNY",
                    &[("ops", "3000")],
                ),
                &[("expected", 100)],
                Some(6),
            ),
            Period::Month,
        ),
        membership(
            with_forecast(
                offer(
                    "monthly-default",
                    OfferKind::Membership,
                    "29",
                    "CNY",
                    &[("ops", "3000")],
                ),
                &[("expected", 100)],
                None,
            ),
            Period::Month,
        ),
    ];
    let r = estimate(&s);
    let six = &r.offers[0];
    assert_eq!(six.unit, Unit::Member);
    assert_eq!(six.payments_per_unit, 6);
    assert_eq!(six.scenarios[0].payments, 600);
    assert_eq!(six.scenarios[0].revenue.decimal(), "17400.00");
    // One member brings 6 × 29 = 174; 3000 / 174 = 17.2 → 18 members.
    assert_eq!(six.break_even_sales, Some(18));
    let twelve = &r.offers[1];
    assert_eq!(twelve.payments_per_unit, DEFAULT_MONTHS);
    assert_eq!(twelve.scenarios[0].revenue.decimal(), "34800.00");
    assert_eq!(twelve.scenarios[0].roi.unwrap().to_f64(), 11.6);
    assert_eq!(json(&r)["offers"][0]["unit"], "member");
}

#[test]
fn yearly_and_once_memberships() {
    // The spec's example: 99 a year, 300 members, months: 12, 3000 operations.
    let mut s = site("CNY");
    s.memberships = vec![
        membership(
            with_forecast(
                offer(
                    "community",
                    OfferKind::Membership,
                    "99",
                    "CNY",
                    &[("operations", "3000")],
                ),
                &[("expected", 300)],
                Some(12),
            ),
            Period::Year,
        ),
        membership(
            with_forecast(
                offer(
                    "two-years",
                    OfferKind::Membership,
                    "99",
                    "CNY",
                    &[("operations", "3000")],
                ),
                &[("expected", 300)],
                Some(24),
            ),
            Period::Year,
        ),
        membership(
            with_forecast(
                offer(
                    "lifetime",
                    OfferKind::Membership,
                    "499",
                    "CNY",
                    &[("operations", "3000")],
                ),
                &[("expected", 10)],
                Some(36),
            ),
            Period::Once,
        ),
    ];
    let r = estimate(&s);
    assert_eq!(r.offers[0].scenarios[0].revenue.decimal(), "29700.00");
    assert_eq!(r.offers[0].scenarios[0].roi.unwrap().to_f64(), 9.9);
    assert_eq!(r.offers[0].break_even_sales, Some(31)); // 3000 / 99 = 30.3
    assert_eq!(r.offers[1].scenarios[0].revenue.decimal(), "59400.00");
    assert_eq!(r.offers[2].payments_per_unit, 1);
    assert_eq!(r.offers[2].scenarios[0].revenue.decimal(), "4990.00");
    assert_eq!(payments_per_unit(Some(Period::Year), Some(13)), 2);
    assert_eq!(payments_per_unit(None, Some(13)), 1);
}

#[test]
fn membership_fees_are_charged_on_every_payment() {
    let mut s = site("USD");
    s.memberships = vec![membership(
        with_fees(
            with_forecast(
                offer(
                    "club",
                    OfferKind::Membership,
                    "10",
                    "USD",
                    &[("ops", "1000")],
                ),
                &[("expected", 50)],
                Some(12),
            ),
            "2.9",
            "0.30",
        ),
        Period::Month,
    )];
    let r = estimate(&s);
    let o = &r.offers[0];
    // 0.29 + 0.30 per payment, 600 payments.
    assert_eq!(o.fee_per_payment.unwrap().decimal(), "0.59");
    assert_eq!(o.scenarios[0].fees.decimal(), "354.00");
    assert_eq!(o.scenarios[0].revenue.decimal(), "5646.00");
    assert_eq!(o.net_per_unit.decimal(), "112.92");
    assert_eq!(o.break_even_sales, Some(9)); // 8 × 112.92 = 903.36 < 1000
}

// ---- scenarios ---------------------------------------------------------------

#[test]
fn one_row_per_scenario_and_totals_per_scenario() {
    let a = sales(
        offer(
            "rust-web",
            OfferKind::Course,
            "199",
            "CNY",
            &[("production", "10000")],
        ),
        &[("low", 400), ("expected", 1000), ("high", 1500)],
    );
    let b = sales(
        offer(
            "python",
            OfferKind::Course,
            "100",
            "CNY",
            &[("production", "5000")],
        ),
        &[("expected", 200)],
    );
    let r = estimate(&site_with_courses("CNY", vec![a, b]));
    let names: Vec<&str> = r.offers[0]
        .scenarios
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["low", "expected", "high"]);
    let rev: Vec<String> = r.offers[0]
        .scenarios
        .iter()
        .map(|s| s.revenue.decimal())
        .collect();
    assert_eq!(rev, ["79600.00", "199000.00", "298500.00"]);
    assert_eq!(r.offers[0].scenarios[0].roi.unwrap().to_f64(), 7.96);
    assert_eq!(r.offers[0].break_even_sales, Some(51));

    let total = r.total();
    let rows: Vec<(&str, String)> = total
        .rows
        .iter()
        .map(|t| (t.name.as_str(), t.revenue.decimal()))
        .collect();
    // python has only `expected`, which stands in for its low and high.
    assert_eq!(
        rows,
        [
            ("low", "99600.00".to_string()),
            ("expected", "219000.00".to_string()),
            ("high", "318500.00".to_string())
        ]
    );
    assert_eq!(total.expected().cost.decimal(), "15000.00");
    assert_eq!(total.expected().roi.unwrap().to_f64(), 14.6);
    let j = json(&r);
    assert_eq!(j["total"]["revenue"], "219000.00");
    assert_eq!(j["total"]["roi"], 14.6);
    assert_eq!(j["total"]["net_roi"], 13.6);
    assert_eq!(j["total"]["scenarios"][0]["name"], "low");
}

// ---- sales -------------------------------------------------------------------

#[test]
fn running_sale_price_is_used_and_said() {
    let o = with_sale(
        sales(
            offer(
                "rust-web",
                OfferKind::Course,
                "199",
                "CNY",
                &[("production", "10000")],
            ),
            &[("expected", 1000)],
        ),
        "149",
        now().checked_add(days(30)).unwrap(),
    );
    let s = site_with_courses("CNY", vec![o]);
    let r = estimate(&s);
    assert_eq!(r.offers[0].price_used, PriceUsed::Sale);
    assert_eq!(r.offers[0].price.decimal(), "149.00");
    assert_eq!(r.offers[0].scenarios[0].revenue.decimal(), "149000.00");
    assert_eq!(r.offers[0].break_even_sales, Some(68)); // 10000 / 149 = 67.1
    let j = json(&r);
    assert_eq!(j["offers"][0]["price"], "149.00");
    assert_eq!(j["offers"][0]["price_used"], "sale");
    assert_eq!(j["offers"][0]["regular_price"], "199.00");
    assert_eq!(j["offers"][0]["sale_until"], "2026-07-01T00:00:00Z");
    assert!(warnings(&s).is_empty(), "{:?}", warnings(&s));
}

#[test]
fn sale_ending_at_build_time_is_over() {
    // The sale runs while build time < until.
    let o = with_sale(
        sales(
            offer("c", OfferKind::Course, "199", "CNY", &[("p", "1")]),
            &[("expected", 1)],
        ),
        "149",
        now(),
    );
    let s = site_with_courses("CNY", vec![o]);
    let r = estimate(&s);
    assert_eq!(r.offers[0].price_used, PriceUsed::Regular);
    assert_eq!(r.offers[0].price.decimal(), "199.00");
    let w = warnings(&s);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].file, PathBuf::from("manifest.yaml"));
    assert!(
        w[0].message
            .contains("course `c`: the sale at 149.00 ended 2026-06-01 08:00 Asia/Shanghai"),
        "{}",
        w[0].message
    );
    assert!(w[0].message.contains("remove the sale"));
}

#[test]
fn sale_ending_within_seven_days_warns() {
    let soon = with_sale(
        sales(
            offer("soon", OfferKind::Course, "199", "CNY", &[("p", "1")]),
            &[("expected", 1)],
        ),
        "149",
        now()
            .checked_add(SignedDuration::from_hours(3 * 24 + 5))
            .unwrap(),
    );
    let edge = with_sale(
        sales(
            offer("edge", OfferKind::Course, "199", "CNY", &[("p", "1")]),
            &[("expected", 1)],
        ),
        "149",
        now().checked_add(days(7)).unwrap(),
    );
    let later = with_sale(
        sales(
            offer("later", OfferKind::Course, "199", "CNY", &[("p", "1")]),
            &[("expected", 1)],
        ),
        "149",
        now()
            .checked_add(days(7) + SignedDuration::from_secs(1))
            .unwrap(),
    );
    let s = site_with_courses("CNY", vec![soon, edge, later]);
    let w = warnings(&s);
    let msgs: Vec<&str> = w.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("course `soon`: the sale at 149.00 ends 2026-06-04 13:00 Asia/Shanghai (3 days 5 hours from now)"), "{}", msgs[0]);
    assert!(msgs[1].starts_with("course `edge`:"));
    assert!(w.iter().all(|d| !d.is_error()));
}

#[test]
fn costs_without_forecast_warn_and_still_count() {
    let lonely = offer(
        "lonely",
        OfferKind::Course,
        "50",
        "CNY",
        &[("production", "2000")],
    );
    let sold = sales(
        offer(
            "sold",
            OfferKind::Course,
            "100",
            "CNY",
            &[("production", "1000")],
        ),
        &[("expected", 100)],
    );
    let s = site_with_courses("CNY", vec![lonely, sold]);
    let w = warnings(&s);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "warning: manifest.yaml: course `lonely` has costs but no forecast, so the ROI report cannot estimate its revenue"
    );
    let r = estimate(&s);
    assert!(r.offers[0].scenarios.is_empty());
    assert_eq!(r.offers[0].break_even_sales, Some(40));
    assert!(
        r.offers[0]
            .reason("en")
            .as_deref()
            .unwrap()
            .contains("no forecast")
    );
    assert_eq!(r.total().expected().cost.decimal(), "3000.00");
    assert_eq!(r.total().expected().revenue.decimal(), "10000.00");
    assert_eq!(json(&r)["total"]["roi"], 3.3333);
}

// ---- no costs -------------------------------------------------------------------

#[test]
fn no_costs_means_null_roi_with_a_reason() {
    let o = sales(
        offer("free-costs", OfferKind::Course, "99", "CNY", &[]),
        &[("expected", 10)],
    );
    let s = site_with_courses("CNY", vec![o]);
    let r = estimate(&s);
    let o = &r.offers[0];
    assert_eq!(o.scenarios[0].revenue.decimal(), "990.00");
    assert_eq!(o.scenarios[0].roi, None);
    assert_eq!(o.scenarios[0].net_roi, None);
    assert_eq!(o.break_even_sales, None);
    assert!(o.reason("en").as_deref().unwrap().contains("no costs"));
    let j = json(&r);
    let js = &j["offers"][0]["scenarios"][0];
    assert_eq!(js["roi"], Value::Null);
    assert_eq!(js["net_roi"], Value::Null);
    assert!(
        j["offers"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("no costs")
    );
    // The site total has no cost either: null, not a division by zero.
    assert_eq!(j["total"]["roi"], Value::Null);
    assert!(warnings(&s).is_empty());
    let mut en = r.clone();
    en.language = "en".into();
    assert!(to_text(&en).contains("n/a"));
    // The site is in Chinese: so are the notes of its report (report.json
    // keeps English, the words its readers parse).
    assert_eq!(
        o.reason("zh-CN").as_deref(),
        Some("清单中没有成本，ROI 无从计算")
    );
    let zh = to_text(&r);
    assert!(zh.contains("注: free-costs: 清单中没有成本"), "{zh}");
    assert!(!zh.contains("nothing to divide by"), "{zh}");
    assert!(to_html(&r, "t").contains("清单中没有成本"));
}

#[test]
fn zero_costs_never_divide() {
    let o = sales(
        offer("z", OfferKind::Course, "99", "CNY", &[("production", "0")]),
        &[("expected", 10)],
    );
    let r = estimate(&site_with_courses("CNY", vec![o]));
    let o = &r.offers[0];
    assert_eq!(o.scenarios[0].roi, None);
    assert_eq!(o.break_even_sales, Some(0));
    assert!(
        o.reason("en")
            .as_deref()
            .unwrap()
            .contains("add up to zero")
    );
}

// ---- currencies -------------------------------------------------------------------

#[test]
fn currencies_are_never_added_together() {
    let cny = sales(
        offer(
            "rust-web",
            OfferKind::Course,
            "100",
            "CNY",
            &[("production", "10000")],
        ),
        &[("expected", 1000)],
    );
    let usd = sales(
        offer(
            "english",
            OfferKind::Course,
            "49.99",
            "USD",
            &[("production", "2000")],
        ),
        &[("expected", 100)],
    );
    let jpy = sales(
        offer(
            "japanese",
            OfferKind::Bundle,
            "1980",
            "JPY",
            &[("production", "100000")],
        ),
        &[("expected", 100)],
    );
    let mut s = site_with_courses("CNY", vec![cny, usd]);
    s.bundles = vec![Bundle {
        offer: jpy,
        courses: vec!["rust-web".into()],
        sales: Default::default(),
    }];
    let r = estimate(&s);
    assert!(r.is_multi_currency());
    let codes: Vec<&str> = r.totals.iter().map(|t| t.currency.code()).collect();
    assert_eq!(codes, ["CNY", "JPY", "USD"]);
    let j = json(&r);
    assert_eq!(j["currency"], "CNY");
    assert_eq!(j["total"]["currency"], "CNY");
    assert_eq!(j["total"]["revenue"], "100000.00");
    assert_eq!(j["total"]["cost"], "10000.00");
    assert_eq!(j["total"]["roi"], 10.0);
    let by = j["totals_by_currency"].as_array().unwrap();
    assert_eq!(by.len(), 3);
    assert_eq!(by[1]["currency"], "JPY");
    assert_eq!(by[1]["revenue"], "198000");
    assert_eq!(by[1]["roi"], 1.98);
    assert_eq!(by[2]["currency"], "USD");
    assert_eq!(by[2]["revenue"], "4999.00");
    assert_eq!(by[2]["roi"], 2.4995);
    assert_eq!(j["offers"][2]["kind"], "bundle");
    assert_eq!(j["offers"][2]["price"], "1980");
}

#[test]
fn site_currency_total_exists_even_when_no_offer_uses_it() {
    let usd = sales(
        offer(
            "english",
            OfferKind::Course,
            "50",
            "USD",
            &[("production", "1000")],
        ),
        &[("expected", 100)],
    );
    let r = estimate(&site_with_courses("EUR", vec![usd]));
    let j = json(&r);
    assert_eq!(j["currency"], "EUR");
    assert_eq!(j["total"]["revenue"], "0.00");
    assert_eq!(j["total"]["roi"], Value::Null);
    assert_eq!(j["totals_by_currency"][1]["currency"], "USD");
    assert_eq!(j["totals_by_currency"][1]["roi"], 5.0);
}

#[test]
fn cost_lines_in_another_currency_are_not_mixed_in() {
    let mut o = sales(
        offer(
            "c",
            OfferKind::Course,
            "100",
            "CNY",
            &[("production", "1000")],
        ),
        &[("expected", 100)],
    );
    o.costs.push(("ads".into(), money("100", "USD")));
    let r = estimate(&site_with_courses("CNY", vec![o]));
    assert_eq!(r.offers[0].scenarios[0].roi, None);
    assert!(r.offers[0].reason("en").as_deref().unwrap().contains("ads"));
    assert_eq!(r.totals[0].expected().cost.decimal(), "1000.00");
    assert_eq!(r.totals[1].currency.code(), "USD");
    assert_eq!(r.totals[1].expected().cost.decimal(), "100.00");
}

// ---- outputs -----------------------------------------------------------------

fn sample_site() -> Site {
    let mut s = site_with_courses(
        "CNY",
        vec![
            with_fees(
                with_sale(
                    sales(
                        offer(
                            "rust-web",
                            OfferKind::Course,
                            "199",
                            "CNY",
                            &[
                                ("production", "5000"),
                                ("operations", "2000"),
                                ("promotion", "3000"),
                            ],
                        ),
                        &[("low", 400), ("expected", 1000), ("high", 1500)],
                    ),
                    "149",
                    now().checked_add(days(30)).unwrap(),
                ),
                "0.6",
                "0",
            ),
            offer("no-numbers", OfferKind::Course, "99", "CNY", &[]),
        ],
    );
    s.memberships = vec![membership(
        with_forecast(
            offer(
                "community",
                OfferKind::Membership,
                "99",
                "CNY",
                &[("operations", "3000")],
            ),
            &[("expected", 300)],
            Some(12),
        ),
        Period::Year,
    )];
    s
}

#[test]
fn outputs_are_deterministic() {
    let s = sample_site();
    let (a, b) = (estimate(&s), estimate(&s));
    assert_eq!(to_json(&a), to_json(&b));
    assert_eq!(to_html(&a, "t"), to_html(&b, "t"));
    assert_eq!(to_text(&a), to_text(&b));
}

#[test]
fn html_page_has_table_and_svg_chart_and_no_scripts() {
    let mut r = estimate(&sample_site());
    r.language = "en".into();
    let h = to_html(&r, "A <b>site</b>");
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("A &lt;b&gt;site&lt;/b&gt;"));
    assert!(h.contains("<table>"));
    assert_eq!(
        h.matches("<svg").count(),
        2,
        "one chart per offer with costs"
    );
    assert!(
        h.contains("break-even: 68 sales"),
        "rust-web at 149 − 0.89 fee"
    );
    assert!(h.contains("break-even: 31 members"));
    assert!(h.contains("<s>199.00</s>"));
    assert!(!h.contains("<script"));
    assert!(
        !h.contains("http://")
            || h.matches("http://").count() == h.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!h.contains("https://"));
    assert!(h.contains("No chart: no costs"));
}

#[test]
fn text_table_lines_up() {
    let mut r = estimate(&sample_site());
    r.language = "en".into();
    let t = to_text(&r);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[0].starts_with("ROI estimate at 2026-06-01T00:00:00Z"));
    assert!(lines[1].starts_with("offer"));
    assert!(t.contains("149.00 CNY (sale)"));
    assert!(t.contains("148,110.00"), "{t}"); // 1000 × (149 − 0.89)
    assert!(t.contains("31 members"));
    assert!(t.contains("total CNY"));
    assert!(t.contains("note: no-numbers:"));
    // Right-aligned numbers: the ROI column ends where the header's does.
    let header_end = lines[1].find("ROI").unwrap() + 3;
    let row = lines.iter().find(|l| l.starts_with("rust-web")).unwrap();
    assert_eq!(&row[header_end - 1..header_end], "x", "{t}");
}

#[test]
fn absurd_forecasts_saturate_instead_of_wrapping() {
    let mut s = site("CNY");
    s.memberships = vec![membership(
        with_forecast(
            offer(
                "huge",
                OfferKind::Membership,
                "1000000000000",
                "CNY",
                &[("ops", "1")],
            ),
            &[("expected", u64::MAX)],
            Some(u64::MAX),
        ),
        Period::Month,
    )];
    let r = estimate(&s);
    let sc = &r.offers[0].scenarios[0];
    assert!(sc.revenue.minor() > 0);
    assert!(sc.roi.unwrap().to_f64() > 1e30);
    assert_eq!(r.offers[0].break_even_sales, Some(1));
    assert!(to_json(&r).contains("\"huge\""));
}

// ---- what-if, sale window, churn (issue 17) ------------------------------

#[test]
fn what_if_grid_moves_the_price_and_keeps_the_seed_example() {
    let site = site_with_courses(
        "CNY",
        vec![sales(
            offer(
                "article-one",
                OfferKind::Course,
                "100",
                "CNY",
                &[
                    ("production", "5000"),
                    ("operations", "2000"),
                    ("promotion", "3000"),
                ],
            ),
            &[("expected", 1000)],
        )],
    );
    let r = estimate(&site);
    let o = &r.offers[0];
    assert_eq!(o.scenarios[0].roi.unwrap().to_f64(), 10.0);
    let changes: Vec<i64> = o.what_if.iter().map(|w| w.change).collect();
    assert_eq!(changes, vec![-50, -20, 0, 20, 50]);
    let minus20 = &o.what_if[1];
    assert_eq!(minus20.price.decimal(), "80.00");
    assert_eq!(minus20.cells[0].revenue.decimal(), "80000.00");
    assert_eq!(minus20.cells[0].roi.unwrap().to_f64(), 8.0);
    assert_eq!(minus20.break_even_sales, Some(125));
    // ±0 % is the estimate itself.
    assert_eq!(o.what_if[2].cells[0].net, o.scenarios[0].net);
    assert_eq!(o.what_if[2].break_even_sales, o.break_even_sales);
    assert_eq!(json(&r)["offers"][0]["what_if"][4]["price"], "150.00");
}

#[test]
fn sale_share_splits_the_forecast_between_sale_and_regular_price() {
    let mut o = sales(
        offer(
            "c",
            OfferKind::Course,
            "199",
            "CNY",
            &[("production", "10000")],
        ),
        &[("expected", 1000)],
    );
    o = with_sale(o, "149", "2026-07-01T00:00:00Z".parse().unwrap());
    o.forecast.as_mut().unwrap().sale_share = Some("30".parse().unwrap());
    let r = estimate(&site_with_courses("CNY", vec![o]));
    // 300 × 149 + 700 × 199.
    assert_eq!(r.offers[0].scenarios[0].revenue.decimal(), "184000.00");
    assert_eq!(json(&r)["offers"][0]["sale_share_percent"], 30.0);
}

#[test]
fn churn_and_payback_month_of_a_membership() {
    let mut s = site("CNY");
    let mut o = with_forecast(
        offer(
            "m",
            OfferKind::Membership,
            "10",
            "CNY",
            &[("operations", "1500")],
        ),
        &[("expected", 100)],
        Some(3),
    );
    o.forecast.as_mut().unwrap().churn = Some("10".parse().unwrap());
    s.memberships = vec![membership(o, Period::Month)];
    let r = estimate(&s);
    let sc = &r.offers[0].scenarios[0];
    // 100 + 90 + 81 payments of 10.
    assert_eq!(sc.payments, 271);
    assert_eq!(sc.revenue.decimal(), "2710.00");
    // 1000 after month 1, 1900 after month 2.
    assert_eq!(r.offers[0].payback_month, Some(2));
    // Without churn: 1000, 2000, 3000 against 2500 → month 3; a cost never
    // covered within the forecast has no payback month.
    let mut s = site("CNY");
    let o = with_forecast(
        offer(
            "m",
            OfferKind::Membership,
            "10",
            "CNY",
            &[("operations", "2500")],
        ),
        &[("expected", 100)],
        Some(3),
    );
    let o2 = with_forecast(
        offer(
            "n",
            OfferKind::Membership,
            "10",
            "CNY",
            &[("operations", "99999")],
        ),
        &[("expected", 100)],
        Some(3),
    );
    s.memberships = vec![membership(o, Period::Month), membership(o2, Period::Month)];
    let r = estimate(&s);
    assert_eq!(r.offers[0].scenarios[0].revenue.decimal(), "3000.00");
    assert_eq!(r.offers[0].payback_month, Some(3));
    assert_eq!(r.offers[1].payback_month, None);
}
