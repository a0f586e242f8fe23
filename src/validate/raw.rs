//! The YAML shapes exactly as users write them (`deny_unknown_fields`
//! everywhere, so typos are errors). Amounts and counts are [`Scalar`]s:
//! their exact source text is read back from the spans, never from `f64`.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// Any YAML scalar. Its value is read from the source text via the spans.
#[derive(Debug, Clone, Copy)]
pub struct Scalar;

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number such as 199 or 19.99")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar)
    }
}

/// `kpsite.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: Option<String>,
    pub currency: Option<String>,
    pub timezone: Option<String>,
    pub author: Option<Author>,
    pub theme: Option<String>,
    pub social: Option<Social>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Social {
    pub github: Option<String>,
    pub twitter: Option<String>,
    pub wechat_qr: Option<String>,
}

/// `manifest.yaml`: each list item is deserialized on its own so every bad
/// item is reported.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Manifest {
    pub courses: Vec<serde_yaml::Value>,
    pub memberships: Vec<serde_yaml::Value>,
    pub bundles: Vec<serde_yaml::Value>,
}

/// Fields every offer shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub id: String,
    pub title: String,
    pub tagline: Option<String>,
    pub description: Option<String>,
    pub level: Option<Level>,
    pub price: Scalar,
    pub currency: Option<String>,
    pub sale: Option<Sale>,
    pub payment: Payment,
    pub costs: Option<serde_yaml::Mapping>,
    pub forecast: Option<Forecast>,
    pub fees: Option<Fees>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub price: Scalar,
    pub currency: Option<String>,
    pub period: Period,
    pub sale: Option<Sale>,
    pub payment: Payment,
    pub costs: Option<serde_yaml::Mapping>,
    pub forecast: Option<Forecast>,
    pub fees: Option<Fees>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub courses: Vec<String>,
    pub price: Scalar,
    pub currency: Option<String>,
    pub sale: Option<Sale>,
    pub payment: Payment,
    pub costs: Option<serde_yaml::Mapping>,
    pub forecast: Option<Forecast>,
    pub fees: Option<Fees>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Month,
    Year,
    Once,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sale {
    pub price: Scalar,
    pub until: String,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub provider: String,
    pub url: Option<String>,
    pub coupon: Option<String>,
    pub image: Option<String>,
}

/// `sales` for courses and bundles, `members` (+ `months`) for memberships;
/// each a whole number or `{low, expected, high}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forecast {
    pub sales: Option<serde_yaml::Value>,
    pub members: Option<serde_yaml::Value>,
    pub months: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    pub percent: Option<Scalar>,
    pub fixed: Option<Scalar>,
}

/// Front matter of a lesson.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMatter {
    pub title: String,
    pub summary: Option<String>,
    #[serde(default)]
    pub free: bool,
    pub minutes: Option<u32>,
    #[serde(default)]
    pub draft: bool,
}

/// Front matter of a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: String,
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
}
