//! Time zones. kpsite reads zones from the IANA database bundled in the
//! binary, never the machine's: a machine without /usr/share/zoneinfo works,
//! and two machines with different tzdata versions build the same bytes.

use std::sync::LazyLock;

use jiff::tz::{TimeZone, TimeZoneDatabase};

/// The bundled IANA database, loaded once.
static TZDB: LazyLock<TimeZoneDatabase> = LazyLock::new(TimeZoneDatabase::bundled);

/// Looks up an IANA zone, suggesting the closest name when it is unknown.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    TZDB.get(name.trim()).map_err(|_| {
        let mut msg = format!("unknown time zone `{name}`");
        match abbreviation(name.trim()) {
            Some([one]) => msg.push_str(&format!(", did you mean `{one}`?")),
            Some(many) => msg.push_str(&format!(
                ": `{}` names more than one zone; write the one you mean: {}",
                name.trim(),
                many.iter()
                    .map(|z| format!("`{z}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            None if looks_like_abbreviation(name.trim()) => {
                msg.push_str(": use an IANA name like `Asia/Shanghai` or `America/New_York`")
            }
            None => match suggest_zone(name.trim()) {
                Some(s) => msg.push_str(&format!(", did you mean `{s}`?")),
                None => {
                    msg.push_str(": use an IANA name like `Asia/Shanghai` or `America/New_York`")
                }
            },
        }
        msg
    })
}

/// Common abbreviations (case-insensitive) and the IANA zones people mean
/// by them; more than one where the abbreviation is shared. Spelling
/// distance is no guide here: `PST` is one letter from `EST`, three hours off.
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("PST", &["America/Los_Angeles"]),
    ("PDT", &["America/Los_Angeles"]),
    ("PT", &["America/Los_Angeles"]),
    ("MDT", &["America/Denver"]),
    ("MT", &["America/Denver"]),
    ("CDT", &["America/Chicago"]),
    ("CT", &["America/Chicago"]),
    ("CST", &["America/Chicago", "Asia/Shanghai"]),
    ("EDT", &["America/New_York"]),
    ("ET", &["America/New_York"]),
    ("AKST", &["America/Anchorage"]),
    ("AKDT", &["America/Anchorage"]),
    ("AST", &["America/Halifax", "Asia/Riyadh"]),
    ("ADT", &["America/Halifax"]),
    ("NST", &["America/St_Johns"]),
    ("BRT", &["America/Sao_Paulo"]),
    ("ART", &["America/Argentina/Buenos_Aires"]),
    ("BST", &["Europe/London"]),
    ("IST", &["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    ("CEST", &["Europe/Berlin"]),
    ("EEST", &["Europe/Athens"]),
    ("WEST", &["Europe/Lisbon"]),
    ("MSK", &["Europe/Moscow"]),
    ("SAST", &["Africa/Johannesburg"]),
    ("CAT", &["Africa/Maputo"]),
    ("EAT", &["Africa/Nairobi"]),
    ("WAT", &["Africa/Lagos"]),
    ("GST", &["Asia/Dubai"]),
    ("PKT", &["Asia/Karachi"]),
    ("ICT", &["Asia/Bangkok"]),
    ("WIB", &["Asia/Jakarta"]),
    ("SGT", &["Asia/Singapore"]),
    ("HKT", &["Asia/Hong_Kong"]),
    ("PHT", &["Asia/Manila"]),
    ("BJT", &["Asia/Shanghai"]),
    ("JST", &["Asia/Tokyo"]),
    ("KST", &["Asia/Seoul"]),
    ("AWST", &["Australia/Perth"]),
    ("ACST", &["Australia/Adelaide"]),
    ("ACDT", &["Australia/Adelaide"]),
    ("AEST", &["Australia/Sydney"]),
    ("AEDT", &["Australia/Sydney"]),
    ("NZST", &["Pacific/Auckland"]),
    ("NZDT", &["Pacific/Auckland"]),
];

/// The zones meant by a common abbreviation, if `name` is one.
fn abbreviation(name: &str) -> Option<&'static [&'static str]> {
    ABBREVIATIONS
        .iter()
        .find(|(abbr, _)| abbr.eq_ignore_ascii_case(name))
        .map(|(_, zones)| *zones)
}

/// Two to five letters: an abbreviation, never to be matched by spelling.
fn looks_like_abbreviation(name: &str) -> bool {
    (2..=5).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphabetic())
}

fn suggest_zone(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    TZDB.available()
        .map(|n| n.as_str().to_string())
        .map(|n| (edit_distance(&lower, &n.to_ascii_lowercase()), n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_and_suggestions() {
        assert!(zone("Asia/Shanghai").is_ok());
        let e = zone("America/New_Yrok").unwrap_err();
        assert!(e.contains("did you mean `America/New_York`"), "{e}");
        assert!(zone("Mars/Olympus_Mons").is_err());
    }

    #[test]
    fn abbreviations_suggest_the_zone_people_mean() {
        for (abbr, want) in [
            ("PST", "did you mean `America/Los_Angeles`?"),
            ("pdt", "did you mean `America/Los_Angeles`?"),
            ("EDT", "did you mean `America/New_York`?"),
            ("CEST", "did you mean `Europe/Berlin`?"),
            ("JST", "did you mean `Asia/Tokyo`?"),
            ("CST", "`America/Chicago` or `Asia/Shanghai`"),
            (
                "IST",
                "`Asia/Kolkata` or `Europe/Dublin` or `Asia/Jerusalem`",
            ),
        ] {
            let e = zone(abbr).unwrap_err();
            assert!(e.contains(want), "{abbr}: {e}");
        }
        // An unknown abbreviation gets no look-alike guess.
        let e = zone("XYZT").unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
    }

    #[test]
    fn every_suggested_zone_exists() {
        for (abbr, zones) in ABBREVIATIONS {
            assert!(zone(abbr).is_err(), "{abbr} is an IANA name itself");
            for z in *zones {
                assert!(zone(z).is_ok(), "{abbr}: {z}");
            }
        }
    }
}
