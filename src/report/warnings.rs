//! Warnings a seller wants from the numbers in `manifest.yaml`: a sale about
//! to end, a sale that has ended, an offer with costs but no forecast.
//! They never fail a build.

use jiff::{SignedDuration, Timestamp};

use crate::diagnostics::Diagnostic;
use crate::model::{Offer, Site};

/// A sale ending within this long of the build time is worth a warning.
pub const SALE_ENDING_SOON: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The file every warning points at.
const MANIFEST: &str = "manifest.yaml";

/// Warnings about `site`'s offers at `site.now`, in manifest order
/// (courses, memberships, bundles).
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let offers = site
        .courses
        .iter()
        .map(|c| &c.offer)
        .chain(site.memberships.iter().map(|m| &m.offer))
        .chain(site.bundles.iter().map(|b| &b.offer));
    let mut out = Vec::new();
    for offer in offers {
        offer_warnings(site, offer, &mut out);
    }
    out
}

fn offer_warnings(site: &Site, offer: &Offer, out: &mut Vec<Diagnostic>) {
    let what = format!("{} `{}`", offer.kind.name(), offer.id);
    let now = site.now;
    if let Some(sale) = &offer.price.sale {
        let until = local_time(site, sale.until);
        let left = now.duration_until(sale.until);
        if sale.until <= now {
            out.push(
                Diagnostic::file(
                    MANIFEST,
                    format!(
                        "{what}: the sale at {} ended {until}; the regular price {} applies — remove the sale from the manifest",
                        sale.price.decimal(),
                        offer.price.regular.decimal()
                    ),
                )
                .warning(),
            );
        } else if left <= SALE_ENDING_SOON {
            out.push(
                Diagnostic::file(
                    MANIFEST,
                    format!(
                        "{what}: the sale at {} ends {until} ({} from now); the built pages show it until you rebuild after that",
                        sale.price.decimal(),
                        human_duration(left)
                    ),
                )
                .warning(),
            );
        }
    }
    let has_forecast = offer
        .forecast
        .as_ref()
        .is_some_and(|f| !f.scenarios.is_empty());
    if !offer.costs.is_empty() && !has_forecast {
        out.push(
            Diagnostic::file(
                MANIFEST,
                format!(
                    "{what} has costs but no forecast, so the ROI report cannot estimate its revenue"
                ),
            )
            .warning(),
        );
    }
}

/// `2026-12-31 23:59 Asia/Shanghai`, in the site's time zone.
fn local_time(site: &Site, t: Timestamp) -> String {
    let zoned = t.to_zoned_datetime(site.config.timezone.clone());
    format!(
        "{} {}",
        zoned.strftime("%Y-%m-%d %H:%M"),
        site.config.timezone_name
    )
}

/// `3 days 4 hours`, `5 hours`, `12 minutes`.
fn human_duration(d: SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let unit = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match (days, hours) {
        (0, 0) => unit(mins, "minute"),
        (0, h) => unit(h, "hour"),
        (d, 0) => unit(d, "day"),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(SignedDuration::from_mins(12)), "12 minutes");
        assert_eq!(human_duration(SignedDuration::from_hours(1)), "1 hour");
        assert_eq!(human_duration(SignedDuration::from_hours(72)), "3 days");
        assert_eq!(
            human_duration(SignedDuration::from_hours(25)),
            "1 day 1 hour"
        );
    }
}
