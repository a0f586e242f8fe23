//! Lesson videos and offer trailers: a URL as an author pastes it, parsed
//! once at validate time into the host, the embed address a click loads and
//! the plain link shown without JavaScript. Nothing here fetches anything.
//!
//! A new host is one entry of [`HOSTS`].

use serde::Serialize;
use url::Url;

/// A video the theme shows as a click-to-load facade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Video {
    /// Host key (`youtube`, `vimeo`, `bilibili`, `file`), for the theme.
    pub host: &'static str,
    /// Name of the host as shown to readers (`YouTube`).
    pub host_name: &'static str,
    /// What a click loads: an embeddable player page, or the `.mp4` itself
    /// when `host` is `file`.
    pub embed: String,
    /// The page to open without JavaScript: the video on its host, or the file.
    pub link: String,
}

/// One video host: the domains it serves from and how to read its URLs.
struct Host {
    key: &'static str,
    name: &'static str,
    /// Lower-case host names, exact.
    domains: &'static [&'static str],
    /// (embed, link) for a URL on one of `domains`, or why it is not one.
    read: fn(&Url) -> Result<(String, String), String>,
}

/// The supported hosts; the `.mp4` file case is handled apart (any https host).
const HOSTS: &[Host] = &[
    Host {
        key: "youtube",
        name: "YouTube",
        domains: &[
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "youtu.be",
            "youtube-nocookie.com",
            "www.youtube-nocookie.com",
        ],
        read: youtube,
    },
    Host {
        key: "vimeo",
        name: "Vimeo",
        domains: &["vimeo.com", "www.vimeo.com", "player.vimeo.com"],
        read: vimeo,
    },
    Host {
        key: "bilibili",
        name: "Bilibili",
        domains: &[
            "bilibili.com",
            "www.bilibili.com",
            "m.bilibili.com",
            "player.bilibili.com",
        ],
        read: bilibili,
    },
];

impl Video {
    /// Parses a video URL: YouTube, Vimeo, Bilibili or an https `.mp4`.
    /// The error says what to write instead.
    pub fn parse(text: &str) -> Result<Video, String> {
        let text = text.trim();
        let url = Url::parse(text).map_err(|_| {
            format!("`{text}` is not a video URL; paste the address of a YouTube, Vimeo or Bilibili video, or an https link to an .mp4 file")
        })?;
        if url.scheme() != "https" {
            return Err(format!(
                "video links must start with https:// (found `{}:`)",
                url.scheme()
            ));
        }
        let domain = url.host_str().unwrap_or("").to_ascii_lowercase();
        if domain == "b23.tv" {
            return Err("b23.tv short links cannot be read at build time; open the link and paste the full https://www.bilibili.com/video/BV… address".into());
        }
        if let Some(host) = HOSTS.iter().find(|h| h.domains.contains(&domain.as_str())) {
            let (embed, link) = (host.read)(&url)?;
            return Ok(Video {
                host: host.key,
                host_name: host.name,
                embed,
                link,
            });
        }
        if url.path().to_ascii_lowercase().ends_with(".mp4") {
            return Ok(Video {
                host: "file",
                host_name: "MP4",
                embed: url.to_string(),
                link: url.to_string(),
            });
        }
        Err(format!(
            "unsupported video host `{domain}`: use a YouTube, Vimeo or Bilibili video page, or an https link to an .mp4 file"
        ))
    }
}

/// The value of query parameter `name`.
fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Non-empty path segments.
fn segments(url: &Url) -> Vec<&str> {
    url.path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default()
}

/// A start time in seconds: `90`, `90s`, `1m30s`, `1h2m3s`.
fn seconds(t: &str) -> Option<u64> {
    if let Ok(n) = t.parse() {
        return Some(n);
    }
    let (mut total, mut number) = (0u64, String::new());
    for c in t.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    number.is_empty().then_some(total)
}

fn youtube(url: &Url) -> Result<(String, String), String> {
    let seg = segments(url);
    let short = url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case("youtu.be"));
    let id = match seg.as_slice() {
        [id] if short => Some(id.to_string()),
        ["watch"] => query(url, "v"),
        ["embed" | "shorts" | "live" | "v", id] => Some(id.to_string()),
        _ => None,
    };
    let valid = |id: &String| {
        id.len() == 11
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let Some(id) = id.filter(valid) else {
        return Err("not a YouTube video address: use https://www.youtube.com/watch?v=ID or https://youtu.be/ID (ID is 11 characters)".into());
    };
    let start = match query(url, "t").or_else(|| query(url, "start")) {
        Some(t) => Some(seconds(&t).ok_or_else(|| {
            format!("YouTube start time `{t}` is not a time; write seconds such as t=90")
        })?),
        None => None,
    };
    let embed = match start {
        Some(s) => format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1&start={s}"),
        None => format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
    };
    let link = match start {
        Some(s) => format!("https://www.youtube.com/watch?v={id}&t={s}s"),
        None => format!("https://www.youtube.com/watch?v={id}"),
    };
    Ok((embed, link))
}

fn vimeo(url: &Url) -> Result<(String, String), String> {
    let seg = segments(url);
    let digits = |s: &&str| !s.is_empty() && s.len() <= 12 && s.chars().all(|c| c.is_ascii_digit());
    let hash_ok = |s: &str| s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric());
    let (id, hash) = match seg.as_slice() {
        ["video", id] if digits(id) => (id.to_string(), query(url, "h")),
        [id] if digits(id) => (id.to_string(), None),
        [id, hash] if digits(id) && hash_ok(hash) => (id.to_string(), Some(hash.to_string())),
        ["channels", _, id] if digits(id) => (id.to_string(), None),
        _ => {
            return Err(
                "not a Vimeo video address: use https://vimeo.com/123456789 (or with its /hash for an unlisted video)".into(),
            );
        }
    };
    if hash.as_deref().is_some_and(|h| !hash_ok(h)) {
        return Err("the Vimeo privacy hash (h=…) must be letters and digits".into());
    }
    Ok(match hash {
        Some(h) => (
            format!("https://player.vimeo.com/video/{id}?h={h}&autoplay=1&dnt=1"),
            format!("https://vimeo.com/{id}/{h}"),
        ),
        None => (
            format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
            format!("https://vimeo.com/{id}"),
        ),
    })
}

fn bilibili(url: &Url) -> Result<(String, String), String> {
    let seg = segments(url);
    let id = match seg.as_slice() {
        ["video", id] => Some(id.to_string()),
        ["player.html"] => {
            query(url, "bvid").or_else(|| query(url, "aid").map(|a| format!("av{a}")))
        }
        _ => None,
    };
    let bv = |s: &str| {
        s.len() == 12 && s.starts_with("BV") && s[2..].chars().all(|c| c.is_ascii_alphanumeric())
    };
    let av = |s: &str| {
        s.len() > 2
            && s.len() <= 22
            && s.starts_with("av")
            && s[2..].chars().all(|c| c.is_ascii_digit())
    };
    let page = match query(url, "p").or_else(|| query(url, "page")) {
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| format!("Bilibili part `p={p}` is not a number from 1"))?,
        None => 1,
    };
    let (param, link_id) = match id {
        Some(id) if bv(&id) => (format!("bvid={id}"), id),
        Some(id) if av(&id) => (format!("aid={}", &id[2..]), id),
        _ => {
            return Err("not a Bilibili video address: use https://www.bilibili.com/video/BV… (BV and 10 letters or digits)".into());
        }
    };
    let link = if page > 1 {
        format!("https://www.bilibili.com/video/{link_id}?p={page}")
    } else {
        format!("https://www.bilibili.com/video/{link_id}")
    };
    Ok((
        format!(
            "https://player.bilibili.com/player.html?{param}&page={page}&autoplay=1&high_quality=1"
        ),
        link,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Video {
        Video::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn youtube_forms_embed_on_the_privacy_enhanced_host() {
        for u in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            let v = ok(u);
            assert_eq!(v.host, "youtube");
            assert_eq!(
                v.embed,
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
            );
            assert_eq!(v.link, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        }
        let t = ok("https://youtu.be/dQw4w9WgXcQ?t=1m30s");
        assert!(t.embed.ends_with("&start=90"), "{}", t.embed);
    }

    #[test]
    fn vimeo_and_bilibili() {
        let v = ok("https://vimeo.com/76979871");
        assert_eq!(
            v.embed,
            "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"
        );
        let v = ok("https://vimeo.com/76979871/abc123");
        assert!(v.embed.contains("h=abc123"), "{}", v.embed);
        assert_eq!(ok("https://player.vimeo.com/video/76979871").host, "vimeo");
        let b = ok("https://www.bilibili.com/video/BV1GJ411x7h7?p=2");
        assert_eq!(b.host, "bilibili");
        assert_eq!(
            b.embed,
            "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&page=2&autoplay=1&high_quality=1"
        );
        assert_eq!(b.link, "https://www.bilibili.com/video/BV1GJ411x7h7?p=2");
        assert!(
            ok("https://www.bilibili.com/video/av170001")
                .embed
                .contains("aid=170001")
        );
    }

    #[test]
    fn mp4_files_on_any_https_host() {
        let v = ok("https://cdn.example.org/course/intro.MP4?x=1");
        assert_eq!(v.host, "file");
        assert_eq!(v.embed, "https://cdn.example.org/course/intro.MP4?x=1");
    }

    #[test]
    fn bad_urls_say_what_to_write() {
        for (u, says) in [
            ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://"),
            ("javascript:alert(1)", "https://"),
            ("data:video/mp4;base64,AAAA", "https://"),
            ("youtube.com/watch?v=x", "not a video URL"),
            ("https://www.youtube.com/watch?v=short", "11 characters"),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=soon",
                "start time",
            ),
            ("https://www.youtube.com/@channel", "YouTube"),
            ("https://vimeo.com/about", "Vimeo"),
            ("https://www.bilibili.com/video/BV1\"><x", "Bilibili"),
            ("https://b23.tv/abc", "short links"),
            ("https://example.com/video.webm", "unsupported video host"),
            ("https://www.youtube.com/watch?v=dQw4w9WgX%22", "YouTube"),
        ] {
            let e = Video::parse(u).expect_err(u);
            assert!(e.contains(says), "{u}: {e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_embeds_only_https(s in "\\PC{0,80}") {
            if let Ok(v) = Video::parse(&s) {
                assert!(v.embed.starts_with("https://"));
                assert!(v.link.starts_with("https://"));
                assert!(!v.embed.contains(['"', '<', '>', ' ']));
            }
        }
    }
}
