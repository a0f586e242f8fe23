//! schema.org structured data (JSON-LD) for each page type: the site and
//! its author on the landing page, `Course` with its `Offer` on course
//! pages, `LearningResource` with breadcrumbs on lessons, `Product` with
//! its `Offer` on membership and bundle pages.

use serde_json::{Value, json};

use super::links::{self, Urls};
use super::sales::SalesView;
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
        "availability": availability(view),
        "url": url,
        "category": "Paid",
    });
    if let Some(until) = &view.price.sale_last_day {
        offer["priceValidUntil"] = json!(until);
    }
    offer
}

/// schema.org's availability of an offer: in stock while it sells; out of
/// stock behind a waitlist or once enrollment closed (nothing can be
/// bought, and a search result must not say otherwise).
fn availability(view: &OfferView) -> &'static str {
    match view.status {
        "open" => "https://schema.org/InStock",
        _ => "https://schema.org/OutOfStock",
    }
}

/// Course page: `Course` with `offers` (the price, then one `Offer` per
/// installment plan), `provider`, `image`, a `CourseInstance` (the cohort
/// with its start date, else the self-paced online course), `review` for
/// testimonials; a `FAQPage` beside it when the course has a FAQ.
pub fn course(
    site: &Site,
    urls: &Urls,
    c: &Course,
    view: &OfferView,
    summary: &str,
    sales: &SalesView,
) -> Value {
    let url = urls.absolute(&links::course(&c.offer.id));
    let mut offers = vec![offer(view, &url)];
    offers.extend(plan_offers(view, sales, &url));
    let mut instance = json!({"@type": "CourseInstance", "courseMode": "online",
        "courseWorkload": format!("PT{}M", view.minutes)});
    if let Some(cohort) = &sales.cohort {
        instance["startDate"] = json!(cohort.start_iso);
        if let Some(seats) = cohort.seats {
            instance["maximumAttendeeCapacity"] = json!(seats);
        }
        if let Some(i) = &sales.instructor {
            instance["instructor"] = json!({"@type": "Person", "name": i.name});
        }
    }
    let mut v = json!({
        "@type": "Course",
        "name": c.offer.title, "description": summary,
        "url": url,
        "inLanguage": site.config.language.tag(),
        "provider": author(site), "offers": one_or_many(offers),
        "hasCourseInstance": instance,
    });
    if let Some(level) = view.level {
        v["educationalLevel"] = json!(level);
    }
    add_sales(&mut v, sales);
    graph(v, sales)
}

/// `image` and `review` of an offer's own item: schema.org gives
/// `review` to CreativeWork (Course) and Product alike. A testimonial has
/// no rating, so no `reviewRating` and no `aggregateRating` is invented.
fn add_sales(v: &mut Value, sales: &SalesView) {
    if let Some(img) = &sales.image {
        v["image"] = json!({"@type": "ImageObject", "url": img.absolute,
            "width": img.width, "height": img.height});
    }
    if !sales.testimonials.is_empty() {
        let reviews: Vec<Value> = sales
            .testimonials
            .iter()
            .map(|t| {
                json!({"@type": "Review", "reviewBody": t.quote,
                    "author": {"@type": "Person", "name": t.person.name}})
            })
            .collect();
        v["review"] = json!(reviews);
    }
}

/// The installment plans as `Offer`s: the total price, and a
/// `UnitPriceSpecification` per payment with the number of payments.
fn plan_offers(view: &OfferView, sales: &SalesView, url: &str) -> Vec<Value> {
    sales
        .plans
        .iter()
        .map(|p| {
            json!({
                "@type": "Offer",
                "name": format!("{} × {}", p.installments, p.price),
                "price": p.total_decimal,
                "priceCurrency": view.price.currency,
                "availability": availability(view),
                "url": p.url.as_deref().unwrap_or(url),
                "category": "Paid",
                "priceSpecification": {
                    "@type": "UnitPriceSpecification",
                    "price": p.price_decimal,
                    "priceCurrency": view.price.currency,
                    "billingIncrement": 1,
                    "referenceQuantity": {"@type": "QuantitativeValue",
                        "value": p.installments, "unitText": "installments"},
                },
            })
        })
        .collect()
}

/// One offer as an object (as before plans existed), several as a list.
fn one_or_many(mut offers: Vec<Value>) -> Value {
    if offers.len() == 1 {
        offers.pop().unwrap_or_default()
    } else {
        Value::Array(offers)
    }
}

/// The page's item, alone or with a `FAQPage` for its FAQ, under one
/// `@context`.
fn graph(item: Value, sales: &SalesView) -> Value {
    if sales.faq.is_empty() {
        let mut item = item;
        if let Value::Object(m) = &mut item {
            let mut out = serde_json::Map::new();
            out.insert("@context".into(), json!("https://schema.org"));
            out.extend(std::mem::take(m));
            return Value::Object(out);
        }
        return item;
    }
    let questions: Vec<Value> = sales
        .faq
        .iter()
        .map(|f| {
            json!({"@type": "Question", "name": f.q,
                "acceptedAnswer": {"@type": "Answer", "text": f.a_html.trim()}})
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@graph": [item, {"@type": "FAQPage", "mainEntity": questions}],
    })
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
    sales: &SalesView,
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
    let mut offers = vec![o];
    offers.extend(plan_offers(view, sales, url));
    let mut v = json!({
        "@type": "Product",
        "name": view.title, "description": summary, "url": url,
        "brand": author(site), "offers": one_or_many(offers),
    });
    add_sales(&mut v, sales);
    graph(v, sales)
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
