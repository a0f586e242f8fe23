//! Property tests: money parsing and formatting round trips, heading slugs,
//! ICS folding and escaping.

use kpsite::calendar::{escape_text, fold_line};
use kpsite::markdown::slugify;
use kpsite::model::{Currency, Money};
use proptest::prelude::*;

fn currency() -> impl Strategy<Value = Currency> {
    let codes: Vec<&'static str> = Currency::codes().collect();
    proptest::sample::select(codes).prop_map(|c| Currency::from_code(c).unwrap())
}

/// Largest amount in minor units for a currency (a trillion major units).
fn max_minor(c: Currency) -> i64 {
    1_000_000_000_000 * c.scale() + (c.scale() - 1)
}

fn money() -> impl Strategy<Value = Money> {
    currency()
        .prop_flat_map(|c| (0..=max_minor(c)).prop_map(move |m| Money::from_minor(m, c).unwrap()))
}

/// Undoes ICS TEXT escaping.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn money_decimal_round_trips(m in money()) {
        let again = Money::parse(&m.decimal(), m.currency()).unwrap();
        prop_assert_eq!(again, m);
    }

    #[test]
    fn money_display_round_trips(m in money(), both in any::<bool>()) {
        let shown = m.display(both);
        let amount: String = shown
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let again = Money::parse(&amount, m.currency()).unwrap();
        prop_assert_eq!(again, m, "{} shown as {}", m.decimal(), shown);
    }

    #[test]
    fn money_parses_written_decimals_exactly(
        c in currency(),
        whole in 0u64..=1_000_000_000_000,
        frac in "[0-9]{0,3}",
        quoted_space in any::<bool>(),
    ) {
        let text = if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") };
        let text = if quoted_space { format!(" {text} ") } else { text };
        let parsed = Money::parse(&text, c);
        if frac.len() > c.digits() as usize {
            prop_assert!(parsed.is_err(), "{} {} accepted", text, c);
        } else {
            let padded = format!("{frac:0<width$}", width = c.digits() as usize);
            let f: i64 = if padded.is_empty() { 0 } else { padded.parse().unwrap() };
            prop_assert_eq!(parsed.unwrap().minor(), whole as i64 * c.scale() + f);
        }
    }

    #[test]
    fn money_order_follows_the_numbers(a in money(), b_minor in any::<i64>()) {
        let b = Money::from_minor(b_minor.rem_euclid(max_minor(a.currency()) + 1), a.currency()).unwrap();
        let pa = Money::parse(&a.decimal(), a.currency()).unwrap();
        let pb = Money::parse(&b.decimal(), b.currency()).unwrap();
        prop_assert_eq!(pa.cmp(&pb), a.minor().cmp(&b.minor()));
    }

    #[test]
    fn money_parse_never_panics_and_never_goes_negative(text in ".{0,40}", c in currency()) {
        if let Ok(m) = Money::parse(&text, c) {
            prop_assert!(m.minor() >= 0);
            prop_assert_eq!(Money::parse(&m.decimal(), c).unwrap(), m);
        }
    }

    #[test]
    fn slugs_are_clean_and_stable(text in "\\PC{0,40}|[İıẞßǅǄΣς Aa0_!-]{0,20}") {
        let slug = slugify(&text);
        prop_assert!(slug.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'), "{}", slug);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{}", slug);
        prop_assert!(!slug.contains("--"), "{}", slug);
        prop_assert!(!slug.chars().any(|c| c.is_ascii_uppercase()), "{}", slug);
        prop_assert_eq!(slugify(&slug), slug.clone());
    }

    #[test]
    fn slugs_keep_words_of_ascii_headings(words in proptest::collection::vec("[a-z0-9]{1,8}", 1..6)) {
        let heading = words.join(" ");
        prop_assert_eq!(slugify(&heading), words.join("-"));
        prop_assert_eq!(slugify(&heading.to_uppercase()), words.join("-"));
    }

    #[test]
    fn folded_lines_fit_and_unfold(line in "\\PC{0,400}") {
        let line: String = line.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        let folded = fold_line(&line);
        prop_assert!(folded.ends_with("\r\n"));
        for physical in folded.trim_end_matches("\r\n").split("\r\n") {
            prop_assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        prop_assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
    }

    #[test]
    fn escaped_text_has_no_breaks_and_unescapes(text in "\\PC{0,80}|[a;,\\\\\n\r ]{0,30}") {
        let escaped = escape_text(&text);
        prop_assert!(!escaped.contains('\n') && !escaped.contains('\r'));
        for (i, c) in escaped.char_indices() {
            if matches!(c, ';' | ',') {
                prop_assert_eq!(&escaped[i - 1..i], "\\", "unescaped {} in {}", c, escaped);
            }
        }
        let expected: String = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        prop_assert_eq!(unescape(&escaped), expected);
    }
}

/// Found by `slugs_are_clean_and_stable`: lowercasing `İ` adds a combining dot.
#[test]
fn slug_of_dotted_capital_i() {
    let s = slugify("İstanbul");
    assert!(
        s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-'),
        "{s:?}"
    );
    assert_eq!(slugify(&s), s);
}
