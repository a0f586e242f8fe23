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

impl Provider {
    /// Parses the manifest's `provider:` value.
    pub fn parse(s: &str) -> Result<Provider, String> {
        Ok(match s {
            "stripe" => Provider::Stripe,
            "lemonsqueezy" => Provider::LemonSqueezy,
            "gumroad" => Provider::Gumroad,
            "paypal" => Provider::Paypal,
            "qr" => Provider::Qr,
            "link" => Provider::Link,
            _ => {
                const KNOWN: [&str; 6] =
                    ["stripe", "lemonsqueezy", "gumroad", "paypal", "qr", "link"];
                return Err(format!(
                    "unknown payment provider `{s}`{}: the providers are stripe, lemonsqueezy, gumroad, paypal, qr (a QR image), or link (any https checkout)",
                    crate::diagnostics::did_you_mean(s, KNOWN)
                ));
            }
        })
    }

    /// The manifest name of the provider.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Stripe => "stripe",
            Provider::LemonSqueezy => "lemonsqueezy",
            Provider::Gumroad => "gumroad",
            Provider::Paypal => "paypal",
            Provider::Qr => "qr",
            Provider::Link => "link",
        }
    }

    fn owns_host(self, host: &str) -> bool {
        let under = |domain: &str| host.ends_with(&format!(".{domain}"));
        match self {
            Provider::Stripe => host == "buy.stripe.com",
            Provider::LemonSqueezy => under("lemonsqueezy.com"),
            Provider::Gumroad => host == "gumroad.com" || under("gumroad.com") || host == "gum.co",
            Provider::Paypal => matches!(host, "paypal.com" | "www.paypal.com" | "paypal.me"),
            Provider::Qr | Provider::Link => true,
        }
    }

    fn takes_coupon(self) -> bool {
        matches!(
            self,
            Provider::Stripe | Provider::LemonSqueezy | Provider::Gumroad
        )
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
        let query = |key: &str| {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}{key}={code}")
        };
        Some(match self.provider {
            Provider::Stripe => query("prefilled_promo_code"),
            // Brackets percent-encoded: the same parameter to Lemon Squeezy,
            // and a valid URL in an HTML attribute.
            Provider::LemonSqueezy => query("checkout%5Bdiscount_code%5D"),
            Provider::Gumroad => gumroad_with_code(url, code),
            _ => url.to_string(),
        })
    }
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
