//! The secret-key scan. A static site is public, so anything that looks
//! like a payment-provider secret (`sk_live_`, `sk_test_`, `rk_live_`,
//! `whsec_` followed by a key character) fails the build.
//!
//! Two places are scanned: every text input as it is read (with its line
//! and column), and everything about to be published — every byte of every
//! output file and every file and folder name — right before the new output
//! is swapped in. Both scans look at the bytes as written and as a reader
//! would decode them: HTML character references (`&#115;`, `&#x73;`,
//! `&lowbar;`), backslash escapes (`\x6c`, `\u006c`, `\u{6c}`, `\_`, a
//! backslash line continuation), percent-encoding (`%5F`), UTF-16 and
//! UTF-32 text (NUL bytes dropped) and invisible characters (zero-width
//! spaces, soft hyphens); one escape layer inside another is decoded too.
//! Files are scanned in blocks with an overlap, so a file of any size
//! takes a few megabytes of memory. Prose naming a bare prefix
//! (`sk_live_…`) is fine: a key character must follow.

use std::io::{self, Read};
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Secret-key prefixes that must never be published.
pub const PREFIXES: &[&str] = &["sk_live_", "sk_test_", "rk_live_", "whsec_"];

/// Bytes scanned at once.
const BLOCK: usize = 1 << 20;
/// Bytes carried from one block to the next, so that a key (escapes
/// included) split across two blocks is still found.
const OVERLAP: usize = 64 << 10;
/// A hit ending this close to the end of a block may be a half-read escape;
/// the next block, which overlaps, decides.
const GUARD: u64 = 64;

/// Extensions of text files: escapes are always decoded in them, whatever
/// bytes they hold (a browser decodes `&#115;` in a page that is not valid
/// UTF-8 too).
const TEXT: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "xml",
    "svg",
    "atom",
    "rss",
    "js",
    "mjs",
    "cjs",
    "json",
    "map",
    "css",
    "txt",
    "md",
    "markdown",
    "csv",
    "tsv",
    "ics",
    "yaml",
    "yml",
    "toml",
    "ini",
    "conf",
    "cfg",
    "env",
    "sh",
    "py",
    "rb",
    "php",
    "sql",
    "tex",
    "rtf",
    "log",
    "webmanifest",
];

/// Extensions of files that are not text: scanned as bytes and as UTF-16,
/// without decoding escapes (which would only find noise in them).
const BINARY: &[&str] = &[
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "avif",
    "ico",
    "bmp",
    "tif",
    "tiff",
    "mp4",
    "webm",
    "mov",
    "m4v",
    "mkv",
    "mp3",
    "m4a",
    "ogg",
    "oga",
    "wav",
    "flac",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "zst",
    "7z",
    "pdf",
    "wasm",
    "pf_fragment",
    "pf_index",
    "pf_meta",
    "pagefind",
];

/// How a file's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text: escapes and encodings are decoded.
    Text,
    /// Binary: only the bytes as they are, and UTF-16 strings in them.
    Binary,
    /// Decided by the first block: text when it is UTF-8 or has a UTF-16 mark.
    Unknown,
}

impl Kind {
    /// The kind of the file at `path`, by its extension.
    pub fn of(path: &str) -> Kind {
        let name = path.rsplit('/').next().unwrap_or(path);
        let Some((_, ext)) = name.rsplit_once('.') else {
            return Kind::Unknown;
        };
        let ext = ext.to_ascii_lowercase();
        if TEXT.contains(&ext.as_str()) {
            Kind::Text
        } else if BINARY.contains(&ext.as_str()) {
            Kind::Binary
        } else {
            Kind::Unknown
        }
    }

    fn sniff(head: &[u8]) -> Kind {
        let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
        let utf8 = match std::str::from_utf8(head) {
            Ok(_) => true,
            // Cut in the middle of a character at the block's end.
            Err(e) => e.error_len().is_none(),
        };
        if utf16 || utf8 {
            Kind::Text
        } else {
            Kind::Binary
        }
    }
}

/// One key-looking token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The prefix found.
    pub prefix: &'static str,
    /// Byte offset of its first (encoded) byte.
    pub offset: u64,
    /// 1-based line and column (characters) of that byte.
    pub position: (usize, usize),
    /// True when it was only visible once escapes were decoded.
    pub escaped: bool,
}

/// A streaming scanner: feed it bytes, then take the hits.
pub struct Scanner {
    kind: Kind,
    buf: Vec<u8>,
    /// Offset of `buf[0]` in the stream.
    start: u64,
    /// Hits ending at or before this offset were reported already.
    done: u64,
    lines: LineCount,
    hits: Vec<Hit>,
}

impl Scanner {
    /// A scanner for a file of this kind.
    pub fn new(kind: Kind) -> Scanner {
        Scanner {
            kind,
            buf: Vec::new(),
            start: 0,
            done: 0,
            lines: LineCount::default(),
            hits: Vec::new(),
        }
    }

    /// Scans the next bytes of the stream.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        while self.buf.len() >= BLOCK + OVERLAP {
            self.block(false);
        }
    }

    /// Ends the stream; every hit, in order.
    pub fn finish(mut self) -> Vec<Hit> {
        self.block(true);
        self.hits
    }

    /// Scans what is buffered, keeps the overlap for the next block.
    fn block(&mut self, last: bool) {
        let end = self.start + self.buf.len() as u64;
        let limit = if last { u64::MAX } else { end - GUARD };
        if self.kind == Kind::Unknown {
            self.kind = Kind::sniff(&self.buf[..self.buf.len().min(BLOCK)]);
        }
        let mut found = find(&self.buf, self.start, self.kind == Kind::Text);
        found.retain(|f| f.next > self.done && f.next < limit);
        found.sort_by_key(|f| f.start);
        let mut lines = self.lines.clone();
        for f in found {
            let pos = lines.advance(&self.buf, self.start, f.start);
            self.hits.push(Hit {
                prefix: f.prefix,
                offset: f.start,
                position: pos,
                escaped: f.escaped,
            });
        }
        self.done = self.done.max(if last { end } else { limit - 1 });
        if last {
            self.buf.clear();
            return;
        }
        let keep_from = self.buf.len() - OVERLAP;
        // Positions are reported for text only.
        if self.kind == Kind::Text {
            self.lines
                .advance(&self.buf, self.start, self.start + keep_from as u64);
        }
        self.buf.drain(..keep_from);
        self.start += keep_from as u64;
    }
}

/// Counts lines and columns as the stream goes by.
#[derive(Debug, Clone)]
struct LineCount {
    at: u64,
    line: usize,
    col: usize,
}

impl Default for LineCount {
    fn default() -> Self {
        LineCount {
            at: 0,
            line: 1,
            col: 1,
        }
    }
}

impl LineCount {
    /// Moves to offset `to` (within `buf`, which starts at `start`);
    /// returns the position there.
    fn advance(&mut self, buf: &[u8], start: u64, to: u64) -> (usize, usize) {
        let from = (self.at.max(start) - start) as usize;
        let upto = ((to - start) as usize).min(buf.len());
        let seg = &buf[from.min(upto)..upto];
        // Characters are counted as the bytes that start one (branch-free,
        // so the compiler vectorises it); lines with memchr.
        let starts = |s: &[u8]| s.iter().filter(|&&b| (b as i8) >= -0x40).count();
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.col = 1 + starts(&seg[last + 1..]);
            }
            None => self.col += starts(seg),
        }
        self.at = self.at.max(to);
        (self.line, self.col)
    }
}

/// A match: where the prefix starts, where the key character after it
/// starts (both as stream offsets of the encoded bytes).
struct Found {
    prefix: &'static str,
    start: u64,
    next: u64,
    escaped: bool,
}

/// Every prefix followed by a key character in `raw` (at stream offset
/// `base`) and, for text, in its decoded forms.
fn find(raw: &[u8], base: u64, text: bool) -> Vec<Found> {
    let mut out = Vec::new();
    search(raw, &[], base, false, &mut out);
    search_utf16(raw, base, &mut out);
    if !text {
        return dedup(out);
    }
    let mut layer: Option<(Vec<u8>, Vec<u32>)> = None;
    if memchr::memchr(0, raw).is_some() {
        layer = Some(strip_nul(raw));
    }
    // Two layers: an escape inside an escape (`&amp;#115;`, `%26%23115%3B`);
    // the second only when the first decoded an escape character.
    for _ in 0..2 {
        let (bytes, origin) = match &layer {
            Some((b, o)) => (b.as_slice(), o.as_slice()),
            None => (raw, &[][..]),
        };
        if !has_escapes(bytes) {
            break;
        }
        let (next, again) = decode(bytes, origin);
        search(&next.0, &next.1, base, true, &mut out);
        layer = Some(next);
        if !again {
            break;
        }
    }
    dedup(out)
}

fn dedup(mut out: Vec<Found>) -> Vec<Found> {
    // Raw hits come first: keep those over decoded ones at the same place.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert((f.start, f.prefix)));
    out
}

/// Adds the matches in `bytes`, whose byte `i` came from offset
/// `base + origin[i]` (or `base + i` when `origin` is empty).
fn search(bytes: &[u8], origin: &[u32], base: u64, escaped: bool, out: &mut Vec<Found>) {
    let at = |i: usize| base + origin.get(i).map_or(i as u64, |&o| u64::from(o));
    for prefix in PREFIXES {
        let p = prefix.as_bytes();
        for i in memchr::memmem::find_iter(bytes, p) {
            let n = i + p.len();
            if bytes.get(n).is_some_and(u8::is_ascii_alphanumeric) {
                out.push(Found {
                    prefix,
                    start: at(i),
                    next: at(n),
                    escaped,
                });
            }
        }
    }
}

/// UTF-16 text, little or big endian, with or without a byte-order mark:
/// `s\0k\0_\0…_\0` followed by a key character matches both orders.
fn search_utf16(bytes: &[u8], base: u64, out: &mut Vec<Found>) {
    if memchr::memchr(0, bytes).is_none() {
        return;
    }
    for prefix in PREFIXES {
        let wide: Vec<u8> = prefix.bytes().flat_map(|b| [b, 0]).collect();
        for i in memchr::memmem::find_iter(bytes, &wide) {
            let n = i + wide.len();
            if bytes.get(n).is_some_and(u8::is_ascii_alphanumeric) {
                out.push(Found {
                    prefix,
                    start: base + i as u64,
                    next: base + n as u64,
                    escaped: true,
                });
            }
        }
    }
}

fn has_escapes(bytes: &[u8]) -> bool {
    memchr::memchr3(b'\\', b'&', b'%', bytes).is_some()
        || memchr::memchr3(0xC2, 0xE2, 0xEF, bytes).is_some()
}

/// UTF-16 and UTF-32 text read as ASCII: NUL bytes dropped.
fn strip_nul(raw: &[u8]) -> (Vec<u8>, Vec<u32>) {
    let mut b = Vec::with_capacity(raw.len());
    let mut o = Vec::with_capacity(raw.len());
    for (i, &c) in raw.iter().enumerate() {
        if c != 0 {
            b.push(c);
            o.push(i as u32);
        }
    }
    (b, o)
}

/// One decoding pass: what a reader sees once escapes are read; true when
/// an escape gave an escape character (`&amp;`), worth another pass.
#[allow(clippy::type_complexity)]
fn decode(input: &[u8], origin: &[u32]) -> ((Vec<u8>, Vec<u32>), bool) {
    let at = |i: usize| origin.get(i).copied().unwrap_or(i as u32);
    let mut out = Vec::with_capacity(input.len());
    let mut from = Vec::with_capacity(input.len());
    let mut again = false;
    let mut i = 0;
    while i < input.len() {
        let (ch, used) = match input[i] {
            b'\\' => backslash(&input[i..]),
            b'&' => entity(&input[i..]),
            b'%' => percent(&input[i..]),
            0xC2 | 0xE2 | 0xEF => invisible(&input[i..]),
            _ => (None, 0),
        };
        if used == 0 {
            out.push(input[i]);
            from.push(at(i));
            i += 1;
            continue;
        }
        match ch {
            Some(Decoded::Byte(b)) => {
                again |= matches!(b, b'\\' | b'&' | b'%');
                out.push(b);
                from.push(at(i));
            }
            Some(Decoded::Char(c)) if !is_invisible(c) => {
                again |= matches!(c, '\\' | '&' | '%');
                let mut tmp = [0u8; 4];
                for &b in c.encode_utf8(&mut tmp).as_bytes() {
                    out.push(b);
                    from.push(at(i));
                }
            }
            _ => {}
        }
        i += used;
    }
    ((out, from), again)
}

enum Decoded {
    Byte(u8),
    Char(char),
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Raw UTF-8 invisible characters, dropped.
fn invisible(s: &[u8]) -> (Option<Decoded>, usize) {
    let len = match s.first() {
        Some(0xC2) => 2,
        _ => 3,
    };
    match std::str::from_utf8(s.get(..len).unwrap_or_default()) {
        Ok(t) if t.chars().next().is_some_and(is_invisible) => (None, len),
        _ => (None, 0),
    }
}

fn hex_value(s: &[u8]) -> Option<u32> {
    std::str::from_utf8(s)
        .ok()
        .and_then(|t| u32::from_str_radix(t, 16).ok())
}

fn char_of(v: u32) -> Option<Decoded> {
    char::from_u32(v).map(Decoded::Char)
}

/// `\x6c`, `\u006c`, `\u{6c}`, `\U0000006c`, `\_`, and a backslash before
/// a line break (YAML, JavaScript and shell continue the line).
fn backslash(s: &[u8]) -> (Option<Decoded>, usize) {
    let fixed = |n: usize| {
        let digits = s.get(2..2 + n)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        Some((char_of(hex_value(digits)?), 2 + n))
    };
    let found = match s.get(1) {
        Some(b'x') => fixed(2),
        Some(b'u') if s.get(2) == Some(&b'{') => {
            let close = s.iter().take(12).position(|&b| b == b'}');
            close.and_then(|c| Some((char_of(hex_value(&s[3..c])?), c + 1)))
        }
        Some(b'u') => fixed(4),
        Some(b'U') => fixed(8),
        Some(b'\n') | Some(b'\r') => {
            let mut n = 1;
            if s.get(n) == Some(&b'\r') {
                n += 1;
            }
            if s.get(n) == Some(&b'\n') {
                n += 1;
            }
            while matches!(s.get(n), Some(b' ' | b'\t')) {
                n += 1;
            }
            Some((None, n))
        }
        Some(&c) if c.is_ascii_punctuation() => Some((Some(Decoded::Byte(c)), 2)),
        _ => None,
    };
    found.unwrap_or((None, 0))
}

/// `&#115;`, `&#x73;` (the `;` optional, zeros allowed, as browsers read
/// them), `&lowbar;`, `&UnderBar;`, `&amp;`, `&shy;`.
fn entity(s: &[u8]) -> (Option<Decoded>, usize) {
    const NAMED: &[(&str, Option<char>)] = &[
        ("&lowbar;", Some('_')),
        ("&UnderBar;", Some('_')),
        ("&amp;", Some('&')),
        ("&AMP;", Some('&')),
        ("&shy;", None),
        ("&ZeroWidthSpace;", None),
    ];
    for (name, c) in NAMED {
        if s.starts_with(name.as_bytes()) {
            return (c.map(Decoded::Char), name.len());
        }
    }
    if s.get(1) != Some(&b'#') {
        return (None, 0);
    }
    let hex = matches!(s.get(2), Some(b'x' | b'X'));
    let digits_at = if hex { 3 } else { 2 };
    let digits = s[digits_at..]
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return (None, 0);
    }
    let text = std::str::from_utf8(&s[digits_at..digits_at + digits]).unwrap_or("0");
    let text = text.trim_start_matches('0');
    let value = if text.is_empty() {
        Some(0)
    } else if text.len() > 8 {
        None
    } else {
        u32::from_str_radix(text, if hex { 16 } else { 10 }).ok()
    };
    let mut used = digits_at + digits;
    if s.get(used) == Some(&b';') {
        used += 1;
    }
    (value.and_then(char_of), used)
}

/// `%5F`.
fn percent(s: &[u8]) -> (Option<Decoded>, usize) {
    match s.get(1..3) {
        Some(h) if h.iter().all(u8::is_ascii_hexdigit) => {
            (hex_value(h).map(|v| Decoded::Byte(v as u8)), 3)
        }
        _ => (None, 0),
    }
}

/// Scans a whole stream.
pub fn scan_reader(mut r: impl Read, kind: Kind) -> io::Result<Vec<Hit>> {
    let mut scanner = Scanner::new(kind);
    let mut chunk = vec![0u8; 256 << 10];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => scanner.feed(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(scanner.finish())
}

/// Scans bytes held in memory.
pub fn scan_bytes(bytes: &[u8], kind: Kind) -> Vec<Hit> {
    let mut scanner = Scanner::new(kind);
    scanner.feed(bytes);
    scanner.finish()
}

/// The error for a key-looking token (`escaped` when found only once
/// decoded); `tail` says where it comes from.
pub fn message(prefix: &str, escaped: bool, tail: &str) -> String {
    let how = if escaped {
        ", hidden by escapes or encoding"
    } else {
        ""
    };
    format!(
        "this looks like a secret key (`{prefix}…`{how}){tail}; a static site is public, keep keys out of it"
    )
}

/// Reports every key-looking token of the input text `bytes` of the file
/// `rel`, at its line and column.
pub fn scan_input(rel: &Path, bytes: &[u8], diags: &mut Diagnostics) {
    for hit in scan_bytes(bytes, Kind::Text) {
        diags.push(Diagnostic::at(
            rel,
            Some(hit.position),
            message(hit.prefix, hit.escaped, ""),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&'static str> {
        scan_bytes(text.as_bytes(), Kind::Text)
            .into_iter()
            .map(|h| h.prefix)
            .collect()
    }

    #[test]
    fn plain_keys_with_position_and_bare_prefixes_allowed() {
        let hits = scan_bytes(b"a: 1\nkey: sk_live_abc123\n", Kind::Text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].position, (2, 6));
        assert!(!hits[0].escaped);
        assert!(found("never paste sk_live_… keys, nor `whsec_` ones").is_empty());
        assert!(found("sk_live_ and rk_live_").is_empty());
    }

    #[test]
    fn escaped_keys_are_found() {
        for text in [
            r#"k: "sk_\x6cive_abc""#,
            r#"k: "sk_\u006cive_abc""#,
            r#"k: "sk_\u{6c}ive_abc""#,
            "k: \"sk_li\\\n    ve_abc\"",
            r"Markdown sk\_live\_abc",
            "&#115;k_live_abc",
            "&#x73;k&#95;live&#0000095;abc",
            "sk&lowbar;test&UnderBar;x",
            "&amp;#115;k_live_abc",
            "sk%5Flive%5Fabc",
            "sk_\u{200B}live_abc",
            "sk_li&shy;ve_abc",
        ] {
            let hits = scan_bytes(text.as_bytes(), Kind::Text);
            assert_eq!(hits.len(), 1, "{text}");
            assert!(hits[0].escaped, "{text}");
        }
    }

    #[test]
    fn utf16_both_byte_orders() {
        for be in [false, true] {
            let mut bytes = if be {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for u in "x: whsec_abc".encode_utf16() {
                let b = if be { u.to_be_bytes() } else { u.to_le_bytes() };
                bytes.extend(b);
            }
            assert_eq!(
                scan_bytes(&bytes, Kind::Binary).len(),
                1,
                "big endian: {be}"
            );
            assert_eq!(scan_bytes(&bytes, Kind::Text).len(), 1, "big endian: {be}");
        }
    }

    #[test]
    fn binary_files_are_scanned_as_bytes_and_text_files_always_decoded() {
        assert_eq!(Kind::of("img/a.PNG"), Kind::Binary);
        assert_eq!(Kind::of("a.html"), Kind::Text);
        assert_eq!(Kind::of("a.dat"), Kind::Unknown);
        let mut png = vec![0x89, b'P', b'N', b'G', 0xFF, 0x00];
        png.extend_from_slice(b"..sk_test_abc..&#115;k_live_x");
        let hits = scan_bytes(&png, Kind::Unknown);
        assert_eq!(hits.len(), 1, "raw key found, escapes not read in binary");
        // A page that is not valid UTF-8 is still read as a browser reads it.
        let mut page = vec![0xFF];
        page.extend_from_slice(b"&#115;k_live_x");
        assert_eq!(scan_bytes(&page, Kind::of("x.html")).len(), 1);
    }

    #[test]
    fn keys_across_block_boundaries_are_found_once() {
        let mut text = vec![b'.'; BLOCK + OVERLAP - 5];
        text.extend_from_slice(b"&#115;k_live_abc\n");
        text.extend(vec![b'.'; 3 * BLOCK]);
        text.extend_from_slice(b"rk_live_x");
        let mut s = Scanner::new(Kind::Unknown);
        for chunk in text.chunks(4096) {
            s.feed(chunk);
        }
        let hits = s.finish();
        let offsets: Vec<u64> = hits.iter().map(|h| h.offset).collect();
        assert_eq!(
            offsets,
            [(BLOCK + OVERLAP - 5) as u64, (text.len() - 9) as u64]
        );
        assert_eq!(hits[1].position.0, 2);
    }
}
