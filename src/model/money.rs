//! Exact money: amounts are integer minor units of an ISO 4217 currency.
//! Nothing here ever touches floating point.

use std::fmt;

/// An ISO 4217 currency kpsite knows how to count and print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    code: &'static str,
    digits: u8,
    symbol: &'static str,
}

/// (code, minor digits, symbol) — digits from ISO 4217.
const CURRENCIES: &[(&str, u8, &str)] = &[
    ("CNY", 2, "¥"),
    ("USD", 2, "$"),
    ("EUR", 2, "€"),
    ("GBP", 2, "£"),
    ("JPY", 0, "¥"),
    ("KRW", 0, "₩"),
    ("HKD", 2, "HK$"),
    ("TWD", 2, "NT$"),
    ("SGD", 2, "S$"),
    ("AUD", 2, "A$"),
    ("CAD", 2, "CA$"),
    ("CHF", 2, "CHF "),
    ("INR", 2, "₹"),
    ("BRL", 2, "R$"),
    ("KWD", 3, "KD "),
];

impl Currency {
    /// Looks up an ISO 4217 code (upper case, as written in the spec).
    pub fn from_code(code: &str) -> Result<Currency, String> {
        CURRENCIES
            .iter()
            .find(|(c, ..)| *c == code)
            .map(|&(code, digits, symbol)| Currency {
                code,
                digits,
                symbol,
            })
            .ok_or_else(|| {
                let known: Vec<&str> = CURRENCIES.iter().map(|c| c.0).collect();
                format!(
                    "unknown currency `{code}`{}: write an ISO 4217 code, one of {}",
                    crate::diagnostics::did_you_mean(code, known.iter().copied()),
                    known.join(", ")
                )
            })
    }

    /// The codes of every known currency, in the order of the table.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|c| c.0)
    }

    /// The ISO 4217 code, e.g. `CNY`.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// How many digits follow the decimal point (2 for CNY, 0 for JPY).
    pub fn digits(self) -> u8 {
        self.digits
    }

    /// 10^digits: minor units in one major unit.
    pub fn scale(self) -> i64 {
        10_i64.pow(self.digits as u32)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// A non-negative amount of one currency, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Largest amount accepted: a trillion major units keeps every sum and
/// product in the report far from i64 overflow.
const MAX_MAJOR: i64 = 1_000_000_000_000;

impl Money {
    /// Parses an amount written as a plain decimal (`199`, `19.99`, `"0.30"`).
    /// Refuses signs, exponents, separators, and more decimals than the
    /// currency has.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, String> {
        let t = text.trim();
        if t.starts_with('-') {
            return Err(format!("amount `{t}` is below zero"));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(frac)
            || (t.contains('.') && frac.is_empty())
        {
            return Err(format!(
                "`{t}` is not an amount of money (write it like 199 or 19.99)"
            ));
        }
        if frac.len() > currency.digits as usize {
            return Err(format!(
                "`{t}` has more decimals than {} allows ({})",
                currency.code, currency.digits
            ));
        }
        let whole: i64 = whole
            .parse()
            .ok()
            .filter(|w| *w <= MAX_MAJOR)
            .ok_or_else(|| format!("amount `{t}` is too large"))?;
        let padded = format!("{frac:0<width$}", width = currency.digits as usize);
        let frac: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().unwrap_or(0)
        };
        Ok(Money {
            minor: whole * currency.scale() + frac,
            currency,
        })
    }

    /// An amount from minor units; `None` when negative.
    pub fn from_minor(minor: i64, currency: Currency) -> Option<Money> {
        (minor >= 0).then_some(Money { minor, currency })
    }

    /// Zero of a currency.
    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// The amount in minor units (cents, fen).
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Machine form with every minor digit: `199.00`, `5000` for JPY.
    /// Used in JSON, schema.org and payment amounts.
    pub fn decimal(self) -> String {
        let scale = self.currency.scale();
        match self.currency.digits {
            0 => self.minor.to_string(),
            d => format!(
                "{}.{:0width$}",
                self.minor / scale,
                self.minor % scale,
                width = d as usize
            ),
        }
    }

    /// Human form for a page: symbol, thousands grouped, decimals only when
    /// not whole (`¥199`, `$19.99`, `¥1,999`). `disambiguate` writes `CN¥`
    /// and `JP¥` for sites that sell in both.
    pub fn display(self, disambiguate: bool) -> String {
        self.display_in(disambiguate, &NumberFormat::default())
    }

    /// [`Money::display`] the way a language writes amounts (`1.999,50 €`
    /// on a German page, from its strings file).
    pub fn display_in(self, disambiguate: bool, format: &NumberFormat) -> String {
        let scale = self.currency.scale();
        let whole = group_thousands(self.minor / scale, &format.group);
        let frac = self.minor % scale;
        let amount = if frac == 0 {
            whole
        } else {
            format!(
                "{whole}{}{frac:0width$}",
                format.decimal,
                width = self.currency.digits as usize
            )
        };
        let symbol = match (self.currency.code, disambiguate) {
            ("CNY", true) => "CN¥",
            ("JPY", true) => "JP¥",
            _ => self.currency.symbol,
        };
        format
            .pattern
            .replace("{symbol}", symbol)
            .replace("{amount}", &amount)
    }
}

/// How a language writes an amount of money: the strings file's
/// `number_group`, `number_decimal` and `money_pattern` (with `{symbol}`
/// and `{amount}`). The default is `$1,234.50`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    /// Between groups of three digits: `,` (en, zh-CN), `.` (de), a
    /// narrow space (fr).
    pub group: String,
    /// Before the minor digits: `.` or `,`.
    pub decimal: String,
    /// Where the symbol goes: `{symbol}{amount}` or `{amount} {symbol}`.
    pub pattern: String,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat {
            group: ",".into(),
            decimal: ".".into(),
            pattern: "{symbol}{amount}".into(),
        }
    }
}

impl NumberFormat {
    /// The format a strings file gives, the default for any key it lacks
    /// (and for a pattern without `{amount}`, which would hide the price).
    pub fn from_strings(get: impl Fn(&str) -> Option<String>) -> NumberFormat {
        let d = NumberFormat::default();
        NumberFormat {
            group: get("number_group").unwrap_or(d.group),
            decimal: get("number_decimal").unwrap_or(d.decimal),
            pattern: get("money_pattern")
                .filter(|p| p.contains("{amount}"))
                .unwrap_or(d.pattern),
        }
    }
}

/// Sums and multiples for sales pages (bundle savings, installment
/// totals): exact, and `None` rather than a wrong number on overflow or
/// across currencies.
impl Money {
    /// `self × n`.
    pub fn checked_mul(self, n: u64) -> Option<Money> {
        let n = i64::try_from(n).ok()?;
        Money::from_minor(self.minor.checked_mul(n)?, self.currency)
    }

    /// `self + other`, both in one currency.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| Money::from_minor(self.minor.checked_add(other.minor)?, self.currency))
            .flatten()
    }

    /// `self − other`, both in one currency, when not below zero.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| Money::from_minor(self.minor.checked_sub(other.minor)?, self.currency))
            .flatten()
    }
}

fn group_thousands(n: i64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && c != '-' && !digits[..i].ends_with('-') && (digits.len() - i).is_multiple_of(3)
        {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).unwrap()
    }

    #[test]
    fn parses_exact_minor_units() {
        assert_eq!(Money::parse("199", cur("CNY")).unwrap().minor(), 19900);
        assert_eq!(Money::parse("19.99", cur("USD")).unwrap().minor(), 1999);
        assert_eq!(Money::parse("0.3", cur("USD")).unwrap().minor(), 30);
        assert_eq!(Money::parse("5000", cur("JPY")).unwrap().minor(), 5000);
        assert_eq!(Money::parse("0.001", cur("KWD")).unwrap().minor(), 1);
    }

    #[test]
    fn refuses_what_is_not_exact_money() {
        for bad in [
            "19.999",
            "-1",
            "1e3",
            "1,000",
            "",
            ".5",
            "5.",
            "abc",
            "1.5.2",
            "99999999999999999999",
        ] {
            assert!(Money::parse(bad, cur("USD")).is_err(), "{bad} should fail");
        }
        assert!(Money::parse("1.5", cur("JPY")).is_err());
        assert!(Currency::from_code("XYZ").is_err());
    }

    #[test]
    fn formats_for_people_and_machines() {
        let m = |t, c| Money::parse(t, cur(c)).unwrap();
        assert_eq!(m("199", "CNY").display(false), "¥199");
        assert_eq!(m("19.99", "USD").display(false), "$19.99");
        assert_eq!(m("1999.5", "CNY").display(false), "¥1,999.50");
        assert_eq!(m("1000000", "JPY").display(true), "JP¥1,000,000");
        assert_eq!(m("149", "CNY").display(true), "CN¥149");
        let de = NumberFormat {
            group: ".".into(),
            decimal: ",".into(),
            pattern: "{amount}\u{a0}{symbol}".into(),
        };
        assert_eq!(m("1234.5", "EUR").display_in(false, &de), "1.234,50\u{a0}€");
        assert_eq!(
            m("1000000", "JPY").display_in(true, &de),
            "1.000.000\u{a0}JP¥"
        );
        let from = |k: &str| (k == "money_pattern").then(|| "no amount".to_string());
        assert_eq!(NumberFormat::from_strings(from), NumberFormat::default());
        assert_eq!(m("199", "CNY").decimal(), "199.00");
        assert_eq!(m("0.3", "USD").decimal(), "0.30");
        assert_eq!(m("5000", "JPY").decimal(), "5000");
    }

    #[test]
    fn sums_stay_exact_and_in_one_currency() {
        let m = |t, c| Money::parse(t, cur(c)).unwrap();
        assert_eq!(m("69", "USD").checked_mul(3), Some(m("207", "USD")));
        assert_eq!(m("0.10", "USD").checked_mul(3), Some(m("0.30", "USD")));
        assert_eq!(
            m("199", "USD").checked_add(m("0.01", "USD")),
            Some(m("199.01", "USD"))
        );
        assert_eq!(m("1", "USD").checked_add(m("1", "EUR")), None);
        assert_eq!(m("1", "USD").checked_sub(m("2", "USD")), None);
        assert_eq!(m("1000000000000", "USD").checked_mul(u64::MAX), None);
    }

    #[test]
    fn decimal_round_trips_through_parse() {
        for t in ["0", "0.01", "1.10", "123456.78"] {
            let m = Money::parse(t, cur("EUR")).unwrap();
            assert_eq!(Money::parse(&m.decimal(), cur("EUR")).unwrap(), m);
        }
    }
}
