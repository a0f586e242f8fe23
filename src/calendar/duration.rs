//! Event lengths as people write them: `90m`, `1h30m`, `2h`, `1d`.

use jiff::SignedDuration;

/// Parses a length made of whole numbers with the units `d`, `h` and `m`,
/// each at most once and in that order (`1d`, `2h`, `90m`, `1h30m`,
/// `1d2h`). Spaces between parts are allowed. The length must be above zero.
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let help = "expected a length like `90m`, `1h30m`, `2h` or `1d`";
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty duration, {help}"));
    }
    let mut minutes: i64 = 0;
    let mut last_unit = 0; // index into "dhm" + 1 of the last unit seen
    let mut rest = s;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid duration `{text}`, {help}"));
        }
        let number: i64 = rest[..digits]
            .parse()
            .map_err(|_| format!("duration `{text}` is too long"))?;
        rest = rest[digits..].trim_start();
        let unit = rest.chars().next();
        let (rank, per_unit) = match unit {
            Some('d') => (1, 24 * 60),
            Some('h') => (2, 60),
            Some('m') => (3, 1),
            None => {
                return Err(format!(
                    "duration `{text}` needs a unit (d, h or m): write `{}m` for minutes",
                    rest_number(s)
                ));
            }
            Some(_) => return Err(format!("invalid duration `{text}`, {help}")),
        };
        if rank <= last_unit {
            return Err(format!("invalid duration `{text}`, {help}"));
        }
        last_unit = rank;
        minutes = number
            .checked_mul(per_unit)
            .and_then(|m| m.checked_add(minutes))
            .filter(|m| *m <= 366 * 24 * 60)
            .ok_or_else(|| format!("duration `{text}` is longer than a year"))?;
        rest = &rest[1..];
    }
    if minutes == 0 {
        return Err(format!("duration `{text}` is zero"));
    }
    Ok(SignedDuration::from_mins(minutes))
}

fn rest_number(s: &str) -> &str {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    &s[..digits]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(s: &str) -> i64 {
        parse_duration(s).unwrap().as_secs() / 60
    }

    #[test]
    fn accepts_the_usual_forms() {
        assert_eq!(mins("90m"), 90);
        assert_eq!(mins("1h30m"), 90);
        assert_eq!(mins("1h 30m"), 90);
        assert_eq!(mins("2h"), 120);
        assert_eq!(mins("1d"), 24 * 60);
        assert_eq!(mins("1d2h"), 26 * 60);
        assert_eq!(mins(" 45m "), 45);
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "", "90", "m", "1x", "30m1h", "1h1h", "-5m", "1.5h", "0m", "0h0m", "h30", "400d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse_duration("90").unwrap_err().contains("needs a unit"));
        assert!(parse_duration("0m").unwrap_err().contains("zero"));
    }
}
