//! Signed, exact amounts and exact ratios for the ROI report.
//!
//! [`Money`] is a price: never negative, never larger than a trillion major
//! units. The report needs more: a net can be below zero, and a price times a
//! forecast can exceed `i64`. [`Amount`] holds minor units in an `i128`, so
//! every sum and product the report makes is exact. [`Ratio`] keeps a
//! numerator and a denominator and turns into a decimal only when printed:
//! floating point appears at the very end, for the JSON number.

use std::fmt;

use crate::model::{Currency, Money};

/// An exact, possibly negative amount of one currency, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    minor: i128,
    currency: Currency,
}

impl Amount {
    /// An amount from minor units.
    pub fn new(minor: i128, currency: Currency) -> Amount {
        Amount { minor, currency }
    }

    /// Zero of a currency.
    pub fn zero(currency: Currency) -> Amount {
        Amount::new(0, currency)
    }

    /// The amount in minor units.
    pub fn minor(self) -> i128 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Machine form with every minor digit and a leading `-` when negative:
    /// `199000.00`, `-50.00`, `5000` for JPY. This is what `report.json` holds.
    pub fn decimal(self) -> String {
        fixed_point(self.minor, self.currency.digits() as u32)
    }

    /// Like [`Amount::decimal`] with thousands grouped, for tables people read:
    /// `199,000.00`.
    pub fn grouped(self) -> String {
        let plain = self.decimal();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, frac) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        let mut out = String::from(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        out
    }
}

impl From<Money> for Amount {
    fn from(m: Money) -> Amount {
        Amount::new(m.minor() as i128, m.currency())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}

/// How many decimals a ratio carries into `report.json`.
pub const RATIO_DECIMALS: u32 = 4;

/// An exact quotient `num / den` with `den > 0`, e.g. revenue / cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    /// `num / den`; `None` when `den` is zero (zero cost never divides).
    /// A negative denominator is folded into the numerator.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        match den {
            0 => None,
            d if d < 0 => Some(Ratio {
                num: num.checked_neg()?,
                den: d.checked_neg()?,
            }),
            d => Some(Ratio { num, den: d }),
        }
    }

    /// The quotient scaled by 10^`dp` and rounded half away from zero, as an
    /// integer: `Ratio::new(199, 10).scaled(4) == 199000`.
    pub fn scaled(self, dp: u32) -> i128 {
        let factor = 10_i128.pow(dp);
        match self.num.checked_mul(factor) {
            Some(n) => div_round_half_away(n, self.den),
            // Only for amounts far beyond any real forecast: fall back to
            // floating point rather than overflow.
            None => ((self.num as f64 / self.den as f64) * factor as f64).round() as i128,
        }
    }

    /// The JSON number: rounded to [`RATIO_DECIMALS`] decimals exactly, then
    /// converted once. IEEE division is correctly rounded, so `199000 / 10^4`
    /// gives the double nearest to 19.9, which prints as `19.9`.
    pub fn to_f64(self) -> f64 {
        self.scaled(RATIO_DECIMALS) as f64 / 10_f64.powi(RATIO_DECIMALS as i32)
    }

    /// Text with exactly `dp` decimals, rounded half away from zero from the
    /// exact quotient (no double rounding): `10.00`, `-0.35`.
    pub fn fixed(self, dp: u32) -> String {
        fixed_point(self.scaled(dp), dp)
    }
}

/// `n` as a decimal with `dp` digits after the point (`n` counts units of
/// 10^-dp): `fixed_point(-35, 2)` is `-0.35`.
fn fixed_point(n: i128, dp: u32) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    if dp == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10_u128.pow(dp);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = dp as usize
    )
}

/// `n / d` rounded half away from zero; `d > 0`.
pub(crate) fn div_round_half_away(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    // |r| * 2 >= d, without overflowing.
    if r.unsigned_abs() >= d.unsigned_abs() - r.unsigned_abs() {
        if n < 0 { q - 1 } else { q + 1 }
    } else {
        q
    }
}

/// Smallest whole `n >= 0` with `n * step >= target`; `None` when `step <= 0`
/// and `target > 0` (no number of sales ever covers the cost).
pub(crate) fn ceil_div(target: i128, step: i128) -> Option<u128> {
    if target <= 0 {
        return Some(0);
    }
    if step <= 0 {
        return None;
    }
    let q = target / step;
    Some((if target % step == 0 { q } else { q + 1 }) as u128)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny() -> Currency {
        Currency::from_code("CNY").unwrap()
    }

    #[test]
    fn amounts_print_signed_with_minor_digits() {
        assert_eq!(Amount::new(19_900_000, cny()).decimal(), "199000.00");
        assert_eq!(Amount::new(-5, cny()).decimal(), "-0.05");
        assert_eq!(Amount::new(0, cny()).decimal(), "0.00");
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(Amount::new(-5000, jpy).decimal(), "-5000");
        let kwd = Currency::from_code("KWD").unwrap();
        assert_eq!(Amount::new(1, kwd).decimal(), "0.001");
        assert_eq!(Amount::new(123_456_789, cny()).grouped(), "1,234,567.89");
        assert_eq!(Amount::new(-10_000_000, cny()).grouped(), "-100,000.00");
        assert_eq!(Amount::new(99_900, cny()).grouped(), "999.00");
    }

    #[test]
    fn ratios_round_half_away_from_zero_once() {
        let r = Ratio::new(100_000, 10_000).unwrap();
        assert_eq!(r.to_f64(), 10.0);
        assert_eq!(r.fixed(2), "10.00");
        let r = Ratio::new(2, 3).unwrap();
        assert_eq!(r.to_f64(), 0.6667);
        assert_eq!(r.fixed(2), "0.67");
        let r = Ratio::new(-1, 8).unwrap();
        assert_eq!(r.fixed(2), "-0.13");
        assert_eq!(r.to_f64(), -0.125);
        // 1.234_49 must not become 1.24 through 1.2345.
        let r = Ratio::new(123_449, 100_000).unwrap();
        assert_eq!(r.fixed(2), "1.23");
        assert!(Ratio::new(1, 0).is_none());
        assert_eq!(Ratio::new(1, -4).unwrap().fixed(2), "-0.25");
    }

    #[test]
    fn ceil_div_is_the_smallest_covering_count() {
        assert_eq!(ceil_div(10_000, 100), Some(100));
        assert_eq!(ceil_div(10_001, 100), Some(101));
        assert_eq!(ceil_div(0, 0), Some(0));
        assert_eq!(ceil_div(5, 0), None);
        assert_eq!(ceil_div(5, -1), None);
    }
}
