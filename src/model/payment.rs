//! Payment links: which hosts each provider owns, and how each provider
//! expects a coupon to be passed in its link.

use url::Url;

/// A checkout provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Stripe Payment Links (buy.stripe.com).
    Stripe,
    /// Lemon Squeezy checkout (*.lemonsqueezy.com).
    LemonSqueezy,
    /// Gumroad product page (gumroad.com, *.gumroad.com, gum.co).
    Gumroad,
    /// PayPal (paypal.com, www.paypal.com, paypal.me).
    Paypal,
    /// A WeChat Pay / Alipay receive-money QR image.
    Qr,
    /// Any https checkout.
    Link,
}

/// How a provider takes a coupon code in its link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CouponStyle {
    /// No coupon in the link.
    None,
    /// A query parameter of this (already percent-encoded) name.
    Query(&'static str),
    /// The code appended as the last path segment (Gumroad).
    PathSegment,
}

/// How a provider keeps attribution (`utm_*`) parameters, so that its
/// export says which page sold (spec §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UtmStyle {
    /// The provider does not keep them: the link is left as it is.
    None,
    /// Plain `utm_source=…&utm_medium=…&utm_campaign=…` query parameters.
    Query,
    /// Lemon Squeezy's custom checkout data: `checkout[custom][utm_source]=…`
    /// (brackets percent-encoded).
    LemonSqueezyCustom,
}

/// How hosts are matched for a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hosts {
    /// Any host.
    Any,
    /// Exactly one of these hosts, or a subdomain of one in `under`.
    Listed {
        exact: &'static [&'static str],
        under: &'static [&'static str],
    },
}

/// One provider's rules: the one table a new provider is added to.
struct ProviderSpec {
    provider: Provider,
    name: &'static str,
    /// What it is, for editors (the JSON Schema's description).
    about: &'static str,
    /// How the list of providers in an error names it.
    listed: &'static str,
    hosts: Hosts,
    coupon: CouponStyle,
    utm: UtmStyle,
}

/// Every provider. Sources for the coupon and UTM styles are in the README
/// ("Payment links and attribution").
const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        provider: Provider::Stripe,
        name: "stripe",
        about: "Stripe Payment Links (buy.stripe.com).",
        listed: "stripe",
        hosts: Hosts::Listed {
            exact: &["buy.stripe.com"],
            under: &[],
        },
        coupon: CouponStyle::Query("prefilled_promo_code"),
        utm: UtmStyle::Query,
    },
    ProviderSpec {
        provider: Provider::LemonSqueezy,
        name: "lemonsqueezy",
        about: "Lemon Squeezy checkout (*.lemonsqueezy.com).",
        listed: "lemonsqueezy",
        hosts: Hosts::Listed {
            exact: &[],
            under: &["lemonsqueezy.com"],
        },
        // Brackets percent-encoded: the same parameter to Lemon Squeezy,
        // and a valid URL in an HTML attribute.
        coupon: CouponStyle::Query("checkout%5Bdiscount_code%5D"),
        utm: UtmStyle::LemonSqueezyCustom,
    },
    ProviderSpec {
        provider: Provider::Gumroad,
        name: "gumroad",
        about: "Gumroad (gumroad.com, *.gumroad.com, gum.co).",
        listed: "gumroad",
        hosts: Hosts::Listed {
            exact: &["gumroad.com", "gum.co"],
            under: &["gumroad.com"],
        },
        coupon: CouponStyle::PathSegment,
        utm: UtmStyle::Query,
    },
    ProviderSpec {
        provider: Provider::Paypal,
        name: "paypal",
        about: "PayPal (paypal.com, paypal.me).",
        listed: "paypal",
        hosts: Hosts::Listed {
            exact: &["paypal.com", "www.paypal.com", "paypal.me"],
            under: &[],
        },
        coupon: CouponStyle::None,
        utm: UtmStyle::None,
    },
    ProviderSpec {
        provider: Provider::Qr,
        name: "qr",
        about: "A WeChat Pay / Alipay receive-money QR image under static/.",
        listed: "qr (a QR image)",
        hosts: Hosts::Any,
        coupon: CouponStyle::None,
        utm: UtmStyle::None,
    },
    ProviderSpec {
        provider: Provider::Link,
        name: "link",
        about: "Any https checkout link.",
        listed: "link (any https checkout)",
        hosts: Hosts::Any,
        coupon: CouponStyle::None,
        utm: UtmStyle::None,
    },
];

/// The page kinds a buy link can sit on: the `utm_medium` values.
pub const UTM_MEDIUMS: &[&str] = &[
    "landing",
    "course",
    "lesson",
    "membership",
    "bundle",
    "event",
];

impl Provider {
    /// Every provider's manifest name and what it is, in table order (the
    /// JSON Schema lists these).
    pub fn described() -> impl Iterator<Item = (&'static str, &'static str)> {
        PROVIDERS.iter().map(|p| (p.name, p.about))
    }

    fn spec(self) -> &'static ProviderSpec {
        PROVIDERS
            .iter()
            .find(|p| p.provider == self)
            .expect("every provider has a row in PROVIDERS")
    }

    /// Parses the manifest's `provider:` value.
    pub fn parse(s: &str) -> Result<Provider, String> {
        PROVIDERS
            .iter()
            .find(|p| p.name == s)
            .map(|p| p.provider)
            .ok_or_else(|| {
                let names: Vec<&str> = PROVIDERS.iter().map(|p| p.name).collect();
                let listed: Vec<&str> = PROVIDERS.iter().map(|p| p.listed).collect();
                let (last, first) = listed.split_last().expect("PROVIDERS is not empty");
                format!(
                    "unknown payment provider `{s}`{}: the providers are {}, or {last}",
                    crate::diagnostics::did_you_mean(s, names.iter().copied()),
                    first.join(", ")
                )
            })
    }

    /// The manifest name of the provider.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    fn owns_host(self, host: &str) -> bool {
        match self.spec().hosts {
            Hosts::Any => true,
            Hosts::Listed { exact, under } => {
                exact.contains(&host)
                    || under
                        .iter()
                        .any(|domain| host.ends_with(&format!(".{domain}")))
            }
        }
    }

    fn takes_coupon(self) -> bool {
        self.spec().coupon != CouponStyle::None
    }

    /// True when the provider keeps `utm_*` parameters from the link.
    pub fn keeps_utm(self) -> bool {
        self.spec().utm != UtmStyle::None
    }
}

/// A validated way to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Who takes the money.
    pub provider: Provider,
    /// The checkout link, https, on the provider's host (optional for `qr`).
    pub url: Option<String>,
    /// Coupon code, only for providers that take one.
    pub coupon: Option<String>,
    /// Site-relative path of the QR image (`qr` only).
    pub image: Option<String>,
    /// The product's name or id as the provider's export writes it (spec
    /// §7); `None` means the offer's title.
    pub product: Option<String>,
}

/// What is wrong with a payment, and which field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentError {
    /// `url`, `coupon` or `image`.
    pub field: &'static str,
    /// Plain words.
    pub message: String,
}

fn err(field: &'static str, message: String) -> PaymentError {
    PaymentError { field, message }
}

impl Payment {
    /// Checks a payment against its provider's rules (spec §2.2).
    pub fn new(
        provider: Provider,
        url: Option<String>,
        coupon: Option<String>,
        image: Option<String>,
    ) -> Result<Payment, PaymentError> {
        match (&url, provider) {
            (Some(u), _) => check_url(provider, u)?,
            (None, Provider::Qr) => {}
            (None, _) => {
                return Err(err(
                    "url",
                    format!("provider `{}` needs a `url`", provider.name()),
                ));
            }
        }
        if let Some(c) = &coupon {
            if !provider.takes_coupon() {
                return Err(err(
                    "coupon",
                    format!("provider `{}` takes no coupon", provider.name()),
                ));
            }
            if c.is_empty()
                || !c
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            {
                return Err(err(
                    "coupon",
                    format!("coupon `{c}` may only hold letters, digits, `-` and `_`"),
                ));
            }
        }
        match (provider, &image) {
            (Provider::Qr, None) => {
                return Err(err("image", "provider `qr` needs an `image`".into()));
            }
            (Provider::Qr, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(err("image", "only provider `qr` takes an `image`".into())),
        }
        Ok(Payment {
            provider,
            url,
            coupon,
            image,
            product: None,
        })
    }

    /// The link a buy button points at, with the coupon applied the way the
    /// provider documents: Stripe `?prefilled_promo_code=`, Lemon Squeezy
    /// `?checkout[discount_code]=` (brackets percent-encoded), Gumroad `/CODE` after the product path.
    pub fn checkout_url(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        let Some(code) = &self.coupon else {
            return Some(url.to_string());
        };
        Some(match self.provider.spec().coupon {
            CouponStyle::Query(key) => with_query(url, &[(key, code)]),
            CouponStyle::PathSegment => gumroad_with_code(url, code),
            CouponStyle::None => url.to_string(),
        })
    }

    /// [`Payment::checkout_url`] plus attribution where the provider keeps
    /// it: `utm_source=kpsite`, `utm_medium=<medium>` (the kind of page the
    /// link sits on, one of [`UTM_MEDIUMS`]) and `utm_campaign=<offer id>`.
    /// Offer ids are `[a-z0-9-]+` and mediums are fixed words, so nothing
    /// needs escaping.
    pub fn tracked_url(&self, offer_id: &str, medium: &str) -> Option<String> {
        let url = self.checkout_url()?;
        let pairs = [
            ("utm_source", "kpsite"),
            ("utm_medium", medium),
            ("utm_campaign", offer_id),
        ];
        Some(match self.provider.spec().utm {
            UtmStyle::None => url,
            UtmStyle::Query => with_query(&url, &pairs),
            UtmStyle::LemonSqueezyCustom => {
                let keys: Vec<(String, &str)> = pairs
                    .iter()
                    .map(|(k, v)| (format!("checkout%5Bcustom%5D%5B{k}%5D"), *v))
                    .collect();
                let refs: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                with_query(&url, &refs)
            }
        })
    }
}

/// `url` with `key=value` pairs appended to its query (before any `#`).
fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = base.to_string();
    for (key, value) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Gumroad takes the offer code as the last path segment:
/// `https://x.gumroad.com/l/all` → `https://x.gumroad.com/l/all/CODE`.
fn gumroad_with_code(url: &str, code: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) => {
            let path = format!("{}/{code}", u.path().trim_end_matches('/'));
            u.set_path(&path);
            u.to_string()
        }
        Err(_) => url.to_string(),
    }
}

fn check_url(provider: Provider, raw: &str) -> Result<(), PaymentError> {
    let parsed = Url::parse(raw).map_err(|e| err("url", crate::diagnostics::bad_url(raw, e)))?;
    if parsed.scheme() != "https" {
        return Err(err(
            "url",
            format!("payment link `{raw}` must use https://"),
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(err(
            "url",
            format!("payment link `{raw}` must not carry a user name or password"),
        ));
    }
    let host = parsed.host_str().unwrap_or_default();
    if !provider.owns_host(host) {
        return Err(err(
            "url",
            format!(
                "host `{host}` does not belong to provider `{}`",
                provider.name()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pay(p: Provider, url: &str, coupon: Option<&str>) -> Result<Payment, PaymentError> {
        Payment::new(p, Some(url.into()), coupon.map(Into::into), None)
    }

    #[test]
    fn coupons_are_applied_the_providers_way() {
        let s = pay(
            Provider::Stripe,
            "https://buy.stripe.com/test_123",
            Some("EARLY20"),
        )
        .unwrap();
        assert_eq!(
            s.checkout_url().unwrap(),
            "https://buy.stripe.com/test_123?prefilled_promo_code=EARLY20"
        );
        let l = pay(
            Provider::LemonSqueezy,
            "https://x.lemonsqueezy.com/checkout/buy/abc",
            Some("A1"),
        )
        .unwrap();
        assert_eq!(
            l.checkout_url().unwrap(),
            "https://x.lemonsqueezy.com/checkout/buy/abc?checkout%5Bdiscount_code%5D=A1"
        );
        let l2 = pay(
            Provider::LemonSqueezy,
            "https://x.lemonsqueezy.com/buy/abc?embed=1",
            Some("A1"),
        )
        .unwrap();
        assert_eq!(
            l2.checkout_url().unwrap(),
            "https://x.lemonsqueezy.com/buy/abc?embed=1&checkout%5Bdiscount_code%5D=A1"
        );
        let g = pay(
            Provider::Gumroad,
            "https://x.gumroad.com/l/all",
            Some("SAVE"),
        )
        .unwrap();
        assert_eq!(
            g.checkout_url().unwrap(),
            "https://x.gumroad.com/l/all/SAVE"
        );
    }

    #[test]
    fn links_carry_utm_where_the_provider_keeps_it() {
        let s = pay(
            Provider::Stripe,
            "https://buy.stripe.com/test_123",
            Some("EARLY20"),
        )
        .unwrap();
        assert_eq!(
            s.tracked_url("rust-web", "course").unwrap(),
            "https://buy.stripe.com/test_123?prefilled_promo_code=EARLY20&utm_source=kpsite&utm_medium=course&utm_campaign=rust-web"
        );
        let g = pay(
            Provider::Gumroad,
            "https://x.gumroad.com/l/all#top",
            Some("SAVE"),
        )
        .unwrap();
        assert_eq!(
            g.tracked_url("all", "bundle").unwrap(),
            "https://x.gumroad.com/l/all/SAVE?utm_source=kpsite&utm_medium=bundle&utm_campaign=all#top"
        );
        let l = pay(
            Provider::LemonSqueezy,
            "https://x.lemonsqueezy.com/buy/abc?embed=1",
            None,
        )
        .unwrap();
        assert_eq!(
            l.tracked_url("community", "membership").unwrap(),
            "https://x.lemonsqueezy.com/buy/abc?embed=1&checkout%5Bcustom%5D%5Butm_source%5D=kpsite&checkout%5Bcustom%5D%5Butm_medium%5D=membership&checkout%5Bcustom%5D%5Butm_campaign%5D=community"
        );
        // PayPal and plain links keep nothing: they are left untouched.
        let p = pay(Provider::Paypal, "https://paypal.me/someone", None).unwrap();
        assert_eq!(
            p.tracked_url("x", "course").unwrap(),
            "https://paypal.me/someone"
        );
        let k = pay(Provider::Link, "https://shop.example.org/buy", None).unwrap();
        assert_eq!(
            k.tracked_url("x", "course").unwrap(),
            "https://shop.example.org/buy"
        );
        assert!(!Provider::Paypal.keeps_utm() && Provider::Stripe.keeps_utm());
    }

    #[test]
    fn provider_names_round_trip() {
        for name in ["stripe", "lemonsqueezy", "gumroad", "paypal", "qr", "link"] {
            assert_eq!(Provider::parse(name).unwrap().name(), name);
        }
        assert!(
            Provider::parse("venmo")
                .unwrap_err()
                .contains("stripe, lemonsqueezy")
        );
    }

    #[test]
    fn hosts_must_belong_to_the_provider() {
        assert!(pay(Provider::Stripe, "https://buy.stripe.com.evil.com/x", None).is_err());
        assert!(pay(Provider::Stripe, "https://buy.stripe.com@evil.com/x", None).is_err());
        assert!(
            pay(
                Provider::LemonSqueezy,
                "https://lemonsqueezy.com.evil.io/x",
                None
            )
            .is_err()
        );
        assert!(pay(Provider::Gumroad, "https://gum.co/x", None).is_ok());
        assert!(pay(Provider::Paypal, "https://paypal.me/someone", None).is_ok());
        assert!(pay(Provider::Paypal, "https://paypal.evil.me/someone", None).is_err());
        assert!(pay(Provider::Link, "https://shop.example.org/buy", None).is_ok());
    }

    #[test]
    fn only_https_links() {
        for bad in [
            "http://buy.stripe.com/x",
            "javascript:alert(1)",
            "data:text/html,hi",
            "buy.stripe.com/x",
        ] {
            assert!(pay(Provider::Link, bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn coupon_and_image_rules() {
        assert!(pay(Provider::Link, "https://a.example/x", Some("X")).is_err());
        assert!(
            pay(
                Provider::Stripe,
                "https://buy.stripe.com/x",
                Some("bad code")
            )
            .is_err()
        );
        assert!(Payment::new(Provider::Qr, None, None, None).is_err());
        assert!(Payment::new(Provider::Qr, None, None, Some("static/qr.png".into())).is_ok());
        assert!(
            Payment::new(
                Provider::Stripe,
                Some("https://buy.stripe.com/x".into()),
                None,
                Some("a.png".into())
            )
            .is_err()
        );
    }
}
