//! Small helpers shared by several stages, each the one definition of its
//! fact in the crate.

/// `bytes` as lowercase hex digits, two a byte: the public names of
/// sealed files, diagram cache keys.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `[a-z0-9-]+`: ids become URL segments and file names.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The Chinese, Japanese and Korean ranges, as inclusive code-point
/// bounds: characters read (and searched) one by one, not as parts of
/// space-separated words. The browser search
/// (`themes/default/static/search.js`, `const CJK`) uses the same ranges;
/// a test below keeps the two equal.
pub const CJK_RANGES: &[(u32, u32)] = &[
    (0x3040, 0x30FF),   // Hiragana, Katakana
    (0x3400, 0x4DBF),   // CJK Extension A
    (0x4E00, 0x9FFF),   // CJK Unified Ideographs
    (0xAC00, 0xD7AF),   // Hangul syllables
    (0xF900, 0xFAFF),   // CJK Compatibility Ideographs
    (0x20000, 0x3FFFF), // Ideographic planes 2 and 3: Extensions B–H, compatibility supplement
];

/// Whether `c` is a Han, kana or Hangul character (see [`CJK_RANGES`]).
pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    c >= CJK_RANGES[0].0 && CJK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Percent-decodes a URL path or fragment (`%20` → space), the one
/// decoder of the crate: the link checker and `kpsite serve` must agree on
/// which file a URL names. A malformed escape (`%`, `%zz`) stays as
/// written, as browsers leave it; `None` when the bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JavaScript character class for [`CJK_RANGES`].
    fn js_class() -> String {
        let part = |c: u32| {
            if c > 0xFFFF {
                format!("\\u{{{c:x}}}")
            } else {
                format!("\\u{c:04x}")
            }
        };
        let ranges: String = CJK_RANGES
            .iter()
            .map(|&(lo, hi)| format!("{}-{}", part(lo), part(hi)))
            .collect();
        format!("const CJK = /[{ranges}]/u;")
    }

    #[test]
    fn browser_search_uses_the_same_ranges() {
        let js = include_str!("../themes/default/static/search.js");
        let class = js_class();
        assert!(js.contains(&class), "search.js must define {class}");
        // Positive control: a different range set is not found.
        assert!(!js.contains(&class.replace("3ffff", "2ffff")));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%E6%89%80").as_deref(), Some("所"));
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz%2").as_deref(), Some("%zz%2"));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn classifies_scripts() {
        for c in [
            '所',
            'か',
            'カ',
            '한',
            '\u{20000}',
            '\u{3134F}',
            '\u{2F800}',
        ] {
            assert!(is_cjk(c), "{c:?}");
        }
        for c in ['a', 'é', 'д', '1', ' ', '，', '\u{40000}'] {
            assert!(!is_cjk(c), "{c:?}");
        }
    }
}
