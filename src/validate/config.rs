//! `kpsite.yaml` → [`Config`].

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::{Ctx, Options, raw};
use crate::delivery::{Delivery, Keys, Secret};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::fence::{Fence, Found};
use crate::load::{TextFile, yaml};
use crate::model::time::zone;
use crate::model::{Author, Config, Currency, Image, Language, Social};

/// The languages of the site, the default first: `languages`, else the one
/// `language`, else English. Problems are reported; a bad tag is left out.
pub(super) fn languages(
    file: &TextFile,
    i18n: &[TextFile],
    diags: &mut Diagnostics,
) -> Vec<Language> {
    // Read before the rest of the file, which is then read once per language;
    // a syntax error is reported by that reading.
    let Ok(parsed) = yaml::parse::<LanguagesOnly>(&file.path, &file.text) else {
        return vec![Language::en()];
    };
    let mut cx = Ctx {
        file: file.path.clone(),
        spans: parsed.spans,
        diags,
    };
    let l = parsed.value;
    let mut out: Vec<Language> = Vec::new();
    match (&l.languages, &l.language) {
        (Some(list), one) => {
            if list.is_empty() {
                cx.error(
                    "languages",
                    "`languages` is empty; list at least one, e.g. [zh-CN, en]",
                );
            }
            for (i, tag) in list.iter().enumerate() {
                let path = format!("languages.{i}");
                let Some(lang) = cx.check(&path, Language::parse(tag)) else {
                    continue;
                };
                // Tags ignore case (BCP 47), and `en/` beside `EN/` would
                // be one folder on many disks.
                if let Some(same) = out.iter().find(|l| l.tag().eq_ignore_ascii_case(tag)) {
                    let message = match same.tag() == tag {
                        true => format!("`{tag}` is listed twice"),
                        false => format!(
                            "`{tag}` is `{same}` again (language tags ignore case); list it once"
                        ),
                    };
                    cx.error(&path, message);
                    continue;
                }
                check_strings_exist(&mut cx, &path, &lang, i18n);
                out.push(lang);
            }
            if let (Some(one), Some(first)) = (one, list.first())
                && one != first
            {
                cx.error(
                    "language",
                    format!("`language: {one}` disagrees with `languages`, whose first ({first}) is the default; remove `language`"),
                );
            }
        }
        (None, Some(one)) => {
            if let Some(lang) = cx.check("language", Language::parse(one)) {
                check_strings_exist(&mut cx, "language", &lang, i18n);
                out.push(lang);
            }
        }
        (None, None) => {}
    }
    if out.is_empty() {
        out.push(Language::en());
    }
    out
}

/// A language needs UI strings: the default theme's, the site theme's
/// (`themes/<name>/i18n/<tag>.yaml`) or the site's `i18n/<tag>.yaml`;
/// without them its pages would show English in a page marked otherwise.
fn check_strings_exist(cx: &mut Ctx, path: &str, lang: &Language, i18n: &[TextFile]) {
    let file = Path::new("i18n").join(format!("{}.yaml", lang.tag()));
    let in_theme = crate::render::theme::STRINGS
        .iter()
        .any(|(t, _)| *t == lang.tag());
    let known = crate::render::theme::STRINGS
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(lang.tag()));
    if let Some((tag, _)) = known.filter(|_| !in_theme) {
        cx.error(
            path,
            format!("write `{tag}`, not `{lang}`: kpsite's strings, language maps and folders use the tag as written"),
        );
        return;
    }
    if !in_theme && !i18n.iter().any(|f| f.path.ends_with(&file)) {
        cx.error(
            path,
            format!(
                "language `{lang}` has no UI strings: create {} with the strings of \
                 themes/default/i18n/en.yaml translated (any missing key shows in English), \
                 or use en or zh-CN",
                file.display()
            ),
        );
    }
}

/// The language fields of kpsite.yaml, read on their own (anything else is
/// read by [`validate`]).
#[derive(serde::Deserialize)]
struct LanguagesOnly {
    language: Option<String>,
    languages: Option<Vec<String>>,
}

/// The site's own theme (`theme:`), when it names a folder that exists:
/// its UI strings are read before the languages are checked. A bad name is
/// reported by [`validate`].
pub(super) fn custom_theme(root: &Path, file: &TextFile) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ThemeOnly {
        theme: Option<String>,
    }
    let name = yaml::parse::<ThemeOnly>(&file.path, &file.text)
        .ok()?
        .value
        .theme?;
    let exists = root.join("themes").join(&name).is_dir();
    (is_plain_name(&name) && name != "default" && exists).then_some(name)
}

/// Reads kpsite.yaml as the site in `language`, one of `languages`.
pub(super) fn validate(
    root: &Path,
    file: &TextFile,
    opts: &Options,
    languages: &[Language],
    language: &Language,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let locale = yaml::Locale {
        languages,
        current: language,
    };
    let parsed = yaml::parse_in::<raw::Config>(&file.path, &file.text, locale)
        .map_err(|d| diags.push(d))
        .ok()?;
    let raw = parsed.value;
    let mut cx = Ctx {
        file: file.path.clone(),
        spans: parsed.spans,
        diags,
    };
    let base_url = match &opts.base_url {
        // A bad --base-url is the command line's fault, not the file's.
        Some(flag) => normalize_base_url(flag)
            .map_err(|m| {
                cx.diags
                    .push(Diagnostic::file("--base-url", flag_blame(&m)))
            })
            .ok(),
        None => cx.check(
            "base_url",
            normalize_base_url(&raw.base_url).map_err(|m| format!("base_url {m}")),
        ),
    };
    let _ = (&raw.language, &raw.languages); // read by `languages`
    let currency = cx.check(
        "currency",
        Currency::from_code(raw.currency.as_deref().unwrap_or("USD")),
    );
    let timezone_name = raw.timezone.unwrap_or_else(|| "UTC".into());
    let timezone = cx.check("timezone", zone(&timezone_name));
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if !is_plain_name(&theme) {
        cx.error(
            "theme",
            format!("theme `{theme}` must be a plain name (a-z, 0-9, - and _): the name of a folder under themes/, not a path"),
        );
    } else if theme != "default" && !root.join("themes").join(&theme).is_dir() {
        cx.error(
            "theme",
            format!("theme `{theme}` not found: expected a folder themes/{theme}/ in the site"),
        );
    } else if theme != "default" {
        crate::load::read_theme(root, &theme, cx.diags);
    }
    for field in ["author.url", "social.github", "social.twitter"] {
        let value = match field {
            "author.url" => raw.author.as_ref().and_then(|a| a.url.as_deref()),
            "social.github" => raw.social.as_ref().and_then(|s| s.github.as_deref()),
            _ => raw.social.as_ref().and_then(|s| s.twitter.as_deref()),
        };
        if let Some(u) = value
            && cx.check(field, web_url(field, u)).is_some()
        {
            warn_placeholder(&mut cx, field, u, "your own page");
        }
    }
    // --base-url wins over the file's (the deploy workflow passes the real
    // address), so only a base_url that is actually used is warned about.
    if opts.base_url.is_none() && base_url.is_some() {
        let where_to = "the address the site will live at, like `https://you.github.io/my-course/` (feeds, the sitemap and share links use it)";
        warn_placeholder(&mut cx, "base_url", &raw.base_url, where_to);
    }
    // A missing footer QR image only costs a picture: warn and leave it out.
    let wechat_qr = raw
        .social
        .as_ref()
        .and_then(|s| s.wechat_qr.clone())
        .filter(|qr| {
            let found = site_file(root, qr);
            if let Err(m) = &found {
                cx.warning(
                    "social.wechat_qr",
                    format!("{m}; the footer shows no QR code"),
                );
            }
            found.is_ok()
        });
    let social = raw.social.map(|s| Social {
        github: s.github,
        twitter: s.twitter,
        wechat_qr,
    });
    let author = raw.author.map(|a| Author {
        name: a.name,
        url: a.url,
        email: a.email,
    });
    let delivery = match raw.delivery.as_deref() {
        None | Some("hidden") => Some(Delivery::Hidden),
        Some("encrypted") => delivery_keys(root, &mut cx).map(Delivery::Encrypted),
        Some(other) => cx.check(
            "delivery",
            Err(format!(
                "unknown delivery `{other}`, expected hidden or encrypted"
            )),
        ),
    };
    let image = raw
        .image
        .as_deref()
        .and_then(|f| cx.check("image", read_image(root, f)));
    Some(Config {
        promise: raw.promise,
        featured: raw.featured,
        image,
        title: raw.title,
        description: raw.description,
        base_url: base_url?,
        language: language.clone(),
        languages: languages.to_vec(),
        currency: currency?,
        timezone_name,
        timezone: timezone?,
        author,
        theme,
        social: social.unwrap_or_default(),
        delivery: delivery?,
    })
}

/// The keys of an encrypted site: its secret (never created here: a new
/// one would lock out every past buyer) and the committed rotations.
fn delivery_keys(root: &Path, cx: &mut Ctx) -> Option<Keys> {
    let secret = cx.check("delivery", Secret::load(root))?;
    match crate::delivery::keys::read_rotations(root) {
        Ok(rotations) => Some(Keys::new(secret, rotations)),
        Err(d) => {
            cx.diags.push(d);
            None
        }
    }
}

/// Neutral settings used to keep checking the other files when
/// kpsite.yaml itself is broken; never used to build.
pub(super) fn fallback() -> Config {
    Config {
        title: String::new(),
        description: String::new(),
        base_url: "https://example.invalid/".into(),
        language: Language::en(),
        languages: vec![Language::en()],
        currency: Currency::from_code("USD").expect("USD is known"),
        timezone_name: "UTC".into(),
        timezone: TimeZone::UTC,
        author: None,
        theme: "default".into(),
        social: Social::default(),
        delivery: Delivery::Hidden,
        promise: None,
        featured: None,
        image: None,
    }
}

/// Reports a path that should name a file under `static/` but doesn't.
pub(super) fn check_site_file(cx: &mut Ctx, root: &Path, path: &str, file: &str) {
    if let Err(message) = site_file(root, file) {
        cx.error(path, message);
    }
}

/// Whether `file` names an existing regular file under `static/` that the
/// symlink rule lets kpsite publish.
pub(super) fn site_file(root: &Path, file: &str) -> Result<(), String> {
    let inside_static = file.starts_with("static/") && !file.split('/').any(|s| s == "..");
    if !inside_static {
        return Err(format!(
            "`{file}` must be a file under static/, e.g. static/qr.png"
        ));
    }
    let fence = Fence::new(root).map_err(|e| format!("cannot read the site folder: {e}"))?;
    match fence.locate(Path::new(file), "static") {
        Ok(Found::File(_)) => Ok(()),
        Ok(Found::Dir(_)) => Err(format!("`{file}` is a folder; name a file in it")),
        Ok(_) => Err(format!("file `{file}` not found")),
        Err(m) => Err(format!("`{file}` {m}")),
    }
}

/// The image `file` under `static/`, read through the fence, with its
/// size in pixels (PNG, JPEG, GIF, WebP, or SVG with width/height or a
/// viewBox). An error says what is wrong in plain words.
pub(super) fn read_image(root: &Path, file: &str) -> Result<Image, String> {
    site_file(root, file)?;
    let fence = Fence::new(root).map_err(|e| format!("cannot read the site folder: {e}"))?;
    let Found::File(real) = fence
        .locate(Path::new(file), "static")
        .map_err(|m| format!("`{file}` {m}"))?
    else {
        return Err(format!("file `{file}` not found"));
    };
    // The size is in the first bytes (an SVG's root tag near its start):
    // a huge file is never read whole.
    let mut bytes = Vec::new();
    crate::load::fence::open_regular(&real)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, IMAGE_HEAD), &mut bytes)
        })
        .map_err(|e| format!("cannot read `{file}`: {e}"))?;
    let size = if file.to_ascii_lowercase().ends_with(".svg") {
        svg_size(&bytes)
    } else {
        imagesize::blob_size(&bytes)
            .ok()
            .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
    };
    match size {
        Some((width, height)) if width > 0 && height > 0 => Ok(Image {
            path: file.to_string(),
            width,
            height,
        }),
        _ => Err(format!(
            "`{file}` is not an image kpsite can size (PNG, JPEG, GIF, WebP, or SVG with width and height or a viewBox)"
        )),
    }
}

/// How much of an image file is read to find its size.
const IMAGE_HEAD: u64 = 256 * 1024;

/// Width and height of an SVG: its root element's `width` and `height`
/// (plain numbers or px), else its `viewBox`.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = String::from_utf8_lossy(bytes);
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..]
            .chars()
            .next()
            .filter(|q| matches!(q, '"' | '\''))?;
        let rest = &tag[at + quote.len_utf8()..];
        Some(&rest[..rest.find(quote)?])
    };
    let px = |v: &str| -> Option<u32> {
        let n: f64 = v.trim().trim_end_matches("px").parse().ok()?;
        (1.0..100_000.0).contains(&n).then(|| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w, h));
    }
    let vb: Vec<&str> = attr("viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    match vb.as_slice() {
        [_, _, w, h] => Some((px(w)?, px(h)?)),
        _ => None,
    }
}

/// `[a-z0-9_-]+`: a name, never a path.
fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// An absolute http(s) link with a host (SPEC §2.1: `javascript:`,
/// `data:` and other schemes would run or hide in every page's footer).
pub(super) fn web_url(field: &str, raw: &str) -> Result<(), String> {
    let parsed = url::Url::parse(raw.trim())
        .map_err(|e| format!("{field} {}", crate::diagnostics::bad_url(raw, e)))?;
    match parsed.scheme() {
        "https" | "http" if parsed.host_str().is_some() => Ok(()),
        scheme => Err(format!(
            "{field} `{raw}` must be an https:// (or http://) link, not `{scheme}:`"
        )),
    }
}

/// Absolute http(s) URL with no credentials, query or fragment, always ending in `/`, so joining paths is plain
/// concatenation.
pub fn normalize_base_url(raw: &str) -> Result<String, String> {
    let parsed = url::Url::parse(raw).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => format!(
            "`{raw}` is not a whole address: start it with https://, like `https://{}/`",
            raw.trim_start_matches('/').trim_end_matches('/')
        ),
        e => crate::diagnostics::bad_url(raw, e),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!(
            "`{raw}` must start with https:// (or http://) and name a host"
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "`{raw}` must not hold a user name or password: it is written into every page; remove the `user:password@` part"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "`{raw}` must not have a query or fragment: remove what follows `?` or `#`"
        ));
    }
    let mut s = parsed.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// Warns when `value` of `field` is still a placeholder (an example.com
/// address, as `kpsite init` writes): fine for a first build, wrong on the
/// published site.
fn warn_placeholder(cx: &mut Ctx, field: &str, value: &str, real: &str) {
    if super::offers::is_placeholder(value) {
        cx.warning(
            field,
            format!(
                "{field} `{value}` is a placeholder (example.com addresses are never real): before you deploy, replace it with {real}"
            ),
        );
    }
}

/// A bad `--base-url`, said to come from the command line: kpsite.yaml's
/// `base_url` is not what needs fixing.
pub fn flag_blame(message: &str) -> String {
    format!(
        "the --base-url given on the command line: {message} (kpsite.yaml's base_url is not used when --base-url is given)"
    )
}

/// Parses a moment: RFC 3339 with an offset, or a local date-time or date
/// in `tz`. A bare date means the end of that day (a sale "until
/// 2026-12-31" runs through the 31st).
pub fn parse_instant(text: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts);
    }
    // jiff reads a bare date as a date-time at midnight, so try dates first.
    let date_only = !t.contains(['T', 't', ' ']);
    let local = if let Some(d) = t.parse::<Date>().ok().filter(|_| date_only) {
        d.tomorrow()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else if let Ok(dt) = t.parse::<DateTime>() {
        Ok(dt)
    } else {
        return Err(format!(
            "`{t}` is not a date-time (write 2026-12-31T23:59:59+08:00)"
        ));
    };
    local
        .and_then(|dt| tz.to_timestamp(dt))
        .map_err(|e| format!("`{t}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_a_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://example.com/rust").unwrap(),
            "https://example.com/rust/"
        );
        assert!(normalize_base_url("example.com").is_err());
        assert!(normalize_base_url("ftp://example.com/").is_err());
        assert!(normalize_base_url("https://user:pass@example.com/").is_err());
        assert!(normalize_base_url("https://user@example.com/").is_err());
        assert!(normalize_base_url("https://example.com/?a=1").is_err());
        assert!(normalize_base_url("https://example.com/#x").is_err());
    }

    #[test]
    fn svg_sizes_from_attributes_or_viewbox() {
        let s = |t: &str| svg_size(t.as_bytes());
        assert_eq!(
            s(r#"<svg xmlns="x" width="1200" height="630">"#),
            Some((1200, 630))
        );
        assert_eq!(s(r#"<svg width='64px' height='64px'>"#), Some((64, 64)));
        assert_eq!(s(r#"<svg viewBox="0 0 320 180">"#), Some((320, 180)));
        assert_eq!(
            s(r#"<svg width="100%" height="100%" viewBox="0,0,40,20">"#),
            Some((40, 20))
        );
        assert_eq!(s("<svg>"), None);
        assert_eq!(s(r#"<svg width="1e309" height="5">"#), None);
        assert_eq!(s("not an svg"), None);
        assert_eq!(s("<svg width=中文 height=\"1\">"), None);
        assert_eq!(s("<svg width=\"1"), None);
    }

    #[test]
    fn instants_with_and_without_offset() {
        let sh = TimeZone::get("Asia/Shanghai").unwrap();
        let a = parse_instant("2026-12-31T23:59:59+08:00", &sh).unwrap();
        let b = parse_instant("2026-12-31T23:59:59", &sh).unwrap();
        assert_eq!(a, b);
        let c = parse_instant("2026-12-31", &sh).unwrap();
        assert_eq!(c.to_string(), "2026-12-31T16:00:00Z");
        assert!(parse_instant("next tuesday", &sh).is_err());
    }
}
