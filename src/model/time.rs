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
        if let Some(s) = suggest_zone(name.trim()) {
            msg.push_str(&format!(", did you mean `{s}`?"));
        } else {
            msg.push_str(": use an IANA name like `Asia/Shanghai` or `America/New_York`");
        }
        msg
    })
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
}
