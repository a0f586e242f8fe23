//! schema.org structured data (JSON-LD) for each page type: the site and
//! its author on the landing page, `Course` with its `Offer` on course
//! pages, `LearningResource` with breadcrumbs on lessons, `Product` with
//! its `Offer` on membership and bundle pages.

use serde_json::{Value, json};

use super::links::{self, Urls};
use super::views::OfferView;
use crate::model::{Course, Lesson, Period, Site};

/// The person (or, without `author`, the organisation named after the
/// site) behind the site, with its social profiles as `sameAs`.
pub fn author(site: &Site) -> Value {
    let c = &site.config;
    let same_as: Vec<&String> = [&c.social.github, &c.social.twitter]
        .into_iter()
        .flatten()
        .collect();
    let mut v = match &c.author {
        Some(a) => {
            json!({"@type": "Person", "name": a.name, "url": a.url.as_ref().unwrap_or(&c.base_url)})
        }
        None => json!({"@type": "Organization", "name": c.title, "url": c.base_url}),
    };
    if !same_as.is_empty() {
        v["sameAs"] = json!(same_as);
    }
    v
}

/// Landing page: `WebSite` published by the author.
pub fn website(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "@context": "https://schema.org", "@type": "WebSite",
        "name": c.title, "description": c.description, "url": c.base_url,
        "inLanguage": c.language.tag(),
        "publisher": author(site),
    })
}

/// The `Offer` of an offer as priced at build time: `.` decimal price,
/// currency, availability, and `priceValidUntil` (a date) while a sale runs.
pub fn offer(view: &OfferView, url: &str) -> Value {
    let mut offer = json!({
        "@type": "Offer",
        "price": view.price.current_decimal,
        "priceCurrency": view.price.currency,
        "availability": "https://schema.org/InStock",
        "url": url,
        "category": "Paid",
    });
    if let Some(until) = &view.price.sale_last_day {
        offer["priceValidUntil"] = json!(until);
    }
    offer
}

/// Course page: `Course` with `offers` and `provider`.
pub fn course(site: &Site, urls: &Urls, c: &Course, view: &OfferView, summary: &str) -> Value {
    let url = urls.absolute(&links::course(&c.offer.id));
    let mut v = json!({
        "@context": "https://schema.org", "@type": "Course",
        "name": c.offer.title, "description": summary,
        "url": url,
        "inLanguage": site.config.language.tag(),
        "provider": author(site), "offers": offer(view, &url),
        "hasCourseInstance": {"@type": "CourseInstance", "courseMode": "online",
            "courseWorkload": format!("PT{}M", view.minutes)},
    });
    if let Some(level) = view.level {
        v["educationalLevel"] = json!(level);
    }
    v
}

/// Lesson page: `LearningResource` part of its course, saying whether it
/// is free, and the breadcrumb trail site › course › lesson.
pub fn lesson(site: &Site, urls: &Urls, c: &Course, l: &Lesson, description: &str) -> Value {
    let course_url = urls.absolute(&links::course(&c.offer.id));
    let url = urls.absolute(&links::lesson(&c.offer.id, &l.slug));
    json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "LearningResource",
                "name": l.title, "description": description, "url": url,
                "inLanguage": site.config.language.tag(),
                "timeRequired": format!("PT{}M", l.length()),
                "isAccessibleForFree": l.free,
                "isPartOf": {"@type": "Course", "name": c.offer.title, "url": course_url},
                "author": author(site),
            },
            breadcrumbs(&[
                (&site.config.title, &site.config.base_url),
                (&c.offer.title, &course_url),
                (&l.title, &url),
            ]),
        ]
    })
}

/// Membership or bundle page: `Product` with its `Offer` (a recurring
/// price for monthly and yearly memberships).
pub fn product(
    site: &Site,
    view: &OfferView,
    url: &str,
    summary: &str,
    period: Option<Period>,
) -> Value {
    let mut o = offer(view, url);
    let billing = match period {
        Some(Period::Month) => Some(("P1M", "MON")),
        Some(Period::Year) => Some(("P1Y", "ANN")),
        _ => None,
    };
    if let Some((duration, unit)) = billing {
        o["priceSpecification"] = json!({
            "@type": "UnitPriceSpecification",
            "price": view.price.current_decimal,
            "priceCurrency": view.price.currency,
            "billingDuration": duration, "unitCode": unit,
        });
    }
    json!({
        "@context": "https://schema.org", "@type": "Product",
        "name": view.title, "description": summary, "url": url,
        "brand": author(site), "offers": o,
    })
}

/// A `BreadcrumbList` of (name, absolute URL).
fn breadcrumbs(items: &[(&String, &String)]) -> Value {
    let list: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    json!({"@type": "BreadcrumbList", "itemListElement": list})
}

/// `v` as JSON fit to sit inside `<script type="application/ld+json">`:
/// `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`. These only
/// occur inside JSON strings, where the escape means the same character;
/// left raw, a title with `</script>` ends the script and one with
/// `<!--<script>` makes HTML parsers swallow the rest of the page.
pub fn script_text(v: &Value) -> String {
    let json = v.to_string();
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_escapes_markup_and_keeps_the_value() {
        let v = json!({"name": "a <!--<script> b </script> & c > d"});
        let text = script_text(&v);
        assert!(!text.contains(['<', '>', '&']), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
