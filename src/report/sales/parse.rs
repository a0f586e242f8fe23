//! Exact amounts and dates as payment exports write them.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime as Zoned};

use crate::model::Currency;

/// Parses an amount as exports write it — `49`, `1,234.50`, `$49.00`,
/// `-19.99`, `(5.00)`, `49.00 USD`, `1.234,50` (decimal comma) — into exact
/// minor units of `currency`. Empty text is `None`.
///
/// Which of `,` and `.` is the decimal mark: when both appear, the last
/// one; when one appears once and is not followed by exactly three digits,
/// that one; otherwise (`1,234` / `1.234`) the file's convention decides:
/// `decimal_comma` for files separated by `;`. More decimals than the
/// currency has are refused unless they are zeros.
pub fn amount(text: &str, currency: Currency, decimal_comma: bool) -> Result<Option<i128>, String> {
    let t = text.trim();
    if t.is_empty() || t == "-" || t == "—" {
        return Ok(None);
    }
    if t.len() > 64 {
        return Err(format!("`{}…` is too long to be an amount", short(t)));
    }
    let bad = || format!("`{t}` is not an amount of money");
    let mut negative = false;
    let mut body = t.replace('\u{2212}', "-");
    if body.starts_with('(') && body.ends_with(')') {
        negative = true;
        body = body[1..body.len() - 1].to_string();
    }
    // Currency symbols and codes around the number: `$49`, `US$ 49`, `49 USD`.
    let body = strip_code(&body).ok_or_else(bad)?;
    let mut body = body.as_str().trim();
    if let Some(rest) = body.strip_prefix('-') {
        negative = !negative;
        body = rest;
    } else if let Some(rest) = body.strip_suffix('-') {
        negative = !negative;
        body = rest;
    }
    let body = body.trim_start_matches(|c: char| "$€£¥₩₹ ".contains(c));
    let cleaned: String = body
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(bad());
    }
    let decimal = decimal_mark(&cleaned, decimal_comma);
    let (whole, frac) = match decimal {
        Some(mark) => {
            let at = cleaned.rfind(mark).expect("the mark is in the text");
            (&cleaned[..at], &cleaned[at + 1..])
        }
        None => (cleaned.as_str(), ""),
    };
    if frac.contains([',', '.']) {
        return Err(bad());
    }
    let groups: Vec<&str> = whole.split([',', '.']).collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return Err(bad());
    }
    let digits: String = groups.concat();
    if digits.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let places = currency.digits() as usize;
    let (kept, extra) = frac.split_at(frac.len().min(places));
    if extra.bytes().any(|b| b != b'0') {
        return Err(format!(
            "`{t}` has more decimals than {} allows ({places})",
            currency.code()
        ));
    }
    let mut minor: i128 = 0;
    for b in digits.bytes().chain(kept.bytes()) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add((b - b'0') as i128))
            .ok_or_else(|| format!("`{t}` is too large"))?;
    }
    for _ in kept.len()..places {
        minor = minor
            .checked_mul(10)
            .ok_or_else(|| format!("`{t}` is too large"))?;
    }
    // The manifest's own limit (a trillion major units) keeps every sum exact.
    if minor > MAX_MAJOR * currency.scale() as i128 {
        return Err(format!(
            "`{}` is more than kpsite counts in one payment",
            short(t)
        ));
    }
    Ok(Some(if negative { -minor } else { minor }))
}

/// Largest amount of one payment, in major units.
const MAX_MAJOR: i128 = 1_000_000_000_000;

/// `body` without a currency symbol or an upper-case code (2–3 letters)
/// before or after the number; `None` when other letters are left.
fn strip_code(body: &str) -> Option<String> {
    let symbols = |c: char| "$€£¥₩₹ \u{a0}".contains(c);
    let mut s = body.trim_matches(symbols);
    let lead = s.chars().take_while(|c| c.is_alphabetic()).count();
    if lead > 0 {
        let code = &s[..s.char_indices().nth(lead).map_or(s.len(), |(i, _)| i)];
        if !(2..=3).contains(&lead) || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        s = s[code.len()..].trim_matches(symbols);
    }
    let trail = s.chars().rev().take_while(|c| c.is_alphabetic()).count();
    if trail > 0 {
        let at = s.len()
            - s.chars()
                .rev()
                .take(trail)
                .map(char::len_utf8)
                .sum::<usize>();
        let code = &s[at..];
        if !(2..=3).contains(&trail) || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        s = s[..at].trim_matches(symbols);
    }
    Some(s.to_string())
}

fn decimal_mark(s: &str, decimal_comma: bool) -> Option<char> {
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    match (commas, dots) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let mark = if commas > 0 { ',' } else { '.' };
            let count = commas + dots;
            let after = s.len() - s.rfind(mark).unwrap_or(0) - 1;
            if count > 1 {
                None
            } else if after != 3 {
                Some(mark)
            } else if (mark == ',') == decimal_comma {
                Some(mark)
            } else {
                None
            }
        }
        _ => {
            let last_comma = s.rfind(',').unwrap_or(0);
            let last_dot = s.rfind('.').unwrap_or(0);
            Some(if last_comma > last_dot { ',' } else { '.' })
        }
    }
}

/// At most 24 characters of `s`, for messages.
pub fn short(s: &str) -> String {
    s.chars().take(24).collect()
}

/// A yes/no cell: `true` for yes/true/1/y.
pub fn yes(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "yes" | "true" | "1" | "y" | "x"
    )
}

/// Parses the date (and time) of a payment. Forms accepted: RFC 3339
/// (`2026-11-03T10:00:00Z`), `2026-11-03 10:00[:00]` with an optional
/// `+0800`, a bare `2026-11-03`, and the US `11/03/2026` with an optional
/// time. `time` is a separate time column; `zone` a PayPal zone
/// abbreviation. Without a zone the time is UTC (Stripe's and Gumroad's
/// columns say so).
pub fn timestamp(date: &str, time: Option<&str>, zone: Option<&str>) -> Result<Timestamp, String> {
    let d = date.trim();
    let joined = match time.map(str::trim).filter(|t| !t.is_empty()) {
        // Gumroad's `Purchase Time (UTC timezone)` is a whole Ruby time,
        // `2026-11-03 09:15:00 UTC`: it carries the date itself.
        Some(t) if t.len() > 10 && t.as_bytes()[4] == b'-' => t.to_string(),
        Some(t) => format!("{d} {t}"),
        None => d.to_string(),
    };
    let (joined, zone) = match joined.strip_suffix(" UTC") {
        Some(j) => (j.trim_end().to_string(), Some("UTC")),
        None => (joined, zone),
    };
    if let Ok(ts) = joined.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(z) = joined.parse::<Zoned>() {
        return Ok(z.timestamp());
    }
    let offset = match zone.map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => zone_offset(z)
            .ok_or_else(|| format!("time zone `{}` is not one kpsite knows", short(z)))?,
        None => Offset::UTC,
    };
    for fmt in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(z) = Zoned::strptime(fmt, &joined) {
            return Ok(z.timestamp());
        }
    }
    let civil = parse_civil(&joined).ok_or_else(|| {
        format!(
            "date `{}` does not parse (expected e.g. 2026-11-03 10:00:00 or 11/03/2026)",
            short(&joined)
        )
    })?;
    TimeZone::fixed(offset)
        .to_timestamp(civil)
        .map_err(|e| format!("date `{}`: {e}", short(&joined)))
}

fn parse_civil(s: &str) -> Option<DateTime> {
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(dt) = DateTime::strptime(fmt, s) {
            return Some(dt);
        }
    }
    for fmt in ["%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d"] {
        if let Ok(d) = Date::strptime(fmt, s) {
            return Some(d.to_datetime(Time::midnight()));
        }
    }
    None
}

/// Offsets of the zone abbreviations PayPal writes in its `TimeZone` column.
fn zone_offset(abbr: &str) -> Option<Offset> {
    const ZONES: &[(&str, i8)] = &[
        ("UTC", 0),
        ("GMT", 0),
        ("Z", 0),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("EET", 2),
        ("EEST", 3),
        ("PST", -8),
        ("PDT", -7),
        ("MST", -7),
        ("MDT", -6),
        ("CST", -6),
        ("CDT", -5),
        ("EST", -5),
        ("EDT", -4),
        ("HKT", 8),
        ("SGT", 8),
        ("JST", 9),
        ("AEST", 10),
        ("AEDT", 11),
    ];
    let upper = abbr.to_ascii_uppercase();
    ZONES
        .iter()
        .find(|(name, _)| *name == upper)
        .and_then(|(_, hours)| Offset::from_hours(*hours).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(t: &str) -> Result<Option<i128>, String> {
        amount(t, Currency::from_code("USD").unwrap(), false)
    }

    #[test]
    fn amounts_are_exact() {
        assert_eq!(usd("1,234.50"), Ok(Some(123_450)));
        assert_eq!(usd("$49"), Ok(Some(4_900)));
        assert_eq!(usd("$49.00"), Ok(Some(4_900)));
        assert_eq!(usd("-19.99"), Ok(Some(-1_999)));
        assert_eq!(usd("(5.00)"), Ok(Some(-500)));
        assert_eq!(usd("49.00 USD"), Ok(Some(4_900)));
        assert_eq!(usd("US$ 1,000,000.01"), Ok(Some(100_000_001)));
        assert_eq!(usd("0.1"), Ok(Some(10)));
        assert_eq!(usd("49,5"), Ok(Some(4_950)));
        assert_eq!(usd("1,234"), Ok(Some(123_400)));
        assert_eq!(usd("2.900"), Ok(Some(290)));
        assert_eq!(usd(""), Ok(None));
        assert!(usd("19.999").unwrap_err().contains("more decimals"));
        assert!(usd("12a").is_err());
        assert!(usd("1,23,4.00").is_err());
        assert!(usd("1e5").is_err());
        assert!(usd("99999999999999999999999999999999999999999").is_err());
        assert!(usd("99999999999999999999999999999").is_err());
        assert_eq!(usd("1,000,000,000,000.00"), Ok(Some(100_000_000_000_000)));
        let eur = Currency::from_code("EUR").unwrap();
        assert_eq!(amount("1.234,50", eur, true), Ok(Some(123_450)));
        assert_eq!(amount("1.234", eur, true), Ok(Some(123_400)));
        assert_eq!(amount("49,00 €", eur, true), Ok(Some(4_900)));
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(amount("¥5,000", jpy, false), Ok(Some(5_000)));
        assert!(amount("5000.5", jpy, false).is_err());
    }

    #[test]
    fn dates_in_the_forms_exports_write() {
        let ts = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(
            timestamp("2026-11-30 23:30:00", None, None),
            Ok(ts("2026-11-30T23:30:00Z"))
        );
        assert_eq!(
            timestamp("2026-11-30T23:30:00Z", None, None),
            Ok(ts("2026-11-30T23:30:00Z"))
        );
        assert_eq!(
            timestamp("2026-11-30", Some("16:00:00"), None),
            Ok(ts("2026-11-30T16:00:00Z"))
        );
        assert_eq!(
            timestamp("11/30/2026", Some("16:00:00"), Some("PST")),
            Ok(ts("2026-12-01T00:00:00Z"))
        );
        assert_eq!(
            timestamp("2026-11-30 10:00:00 +0800", None, None),
            Ok(ts("2026-11-30T02:00:00Z"))
        );
        assert!(timestamp("yesterday", None, None).is_err());
        assert!(timestamp("11/30/2026", None, Some("XYZ")).is_err());
    }
}
