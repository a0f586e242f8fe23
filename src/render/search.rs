//! Full-text search without a server. The rendered pages of one output are
//! indexed at build time and the index is added to that same output under
//! `search/`, split into pieces the browser fetches only when a query needs
//! them; the theme's `search.js` reads it.
//!
//! Only what an output already holds is indexed, so the public index holds
//! nothing the public pages do not show. Inside a page only the element
//! marked `data-search-body` (the theme's `<main>`) is read, minus any
//! element marked `data-search-ignore`.
//!
//! Words: lower-cased runs of letters and digits. Chinese, Japanese and
//! Korean have no spaces between words, so their text is indexed as single
//! characters and overlapping pairs of characters (bigrams, as Lucene's CJK
//! analyzer does): a query such as 所有权 must find pages holding both 所有
//! and 有权, whatever the word boundaries. `search.js` splits queries the
//! same way.
//!
//! Files, all deterministic:
//! - `search/meta.json`: `{"version":1,"shards":S,"pages":N,"group":G,"v":"<hash>"}`
//! - `search/index/<s>.json`: terms whose first two characters hash (FNV-1a,
//!   top `log2 S` bits) to shard `s`, each with its postings: `page-id-delta[*count]`, comma
//!   separated, in base 36. Terms sharing a two-character prefix share a
//!   shard, so a prefix query reads one file.
//! - `search/pages/<g>.json`: `[[url, title, text], …]` for pages
//!   `g*G .. g*G+G-1`, the text cut at [`TEXT_CAP`] characters, for excerpts.
//!
//! Pagefind was measured first (its Rust API with `extended`): on a
//! 10 000-lesson site it took 85–90 % of the build, single-threaded, so
//! this smaller index replaced it (see README).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde_json::json;

use super::UNLISTED;
use crate::util::is_cjk;

/// The folder of the output that holds the index.
pub const DIR: &str = "search";

/// Pages per excerpt file.
const GROUP: usize = 32;

/// Characters of a page's text kept for excerpts.
pub const TEXT_CAP: usize = 4000;

/// Weight of a term found in the page title.
const TITLE_WEIGHT: u32 = 10;

/// Longest word indexed; longer runs are hashes or data, not words.
const MAX_WORD: usize = 40;

/// One indexed page.
pub struct Doc {
    url: String,
    title: String,
    text: String,
    /// The page's distinct terms, one after the other; [`Term`]s point in.
    words: String,
    /// Its terms, sorted by hash (so by shard, whatever the shard count).
    terms: Vec<Term>,
}

/// One distinct term of a page.
struct Term {
    /// [`term_hash`] of the term.
    hash: u32,
    /// Weighted count on the page.
    count: u32,
    /// Where the term is in [`Doc::words`].
    start: u32,
    end: u32,
}

impl Doc {
    fn word(&self, t: &Term) -> &str {
        &self.words[t.start as usize..t.end as usize]
    }
}

/// The searchable part of the generated file `path` of the output, or
/// `None` when it is not a page to index. Builds that write pages as they
/// render call this on each page, then [`index_files`] on the results in
/// path order.
pub fn page(path: &str, bytes: &[u8], base_path: &str) -> Option<Doc> {
    if !path.ends_with(".html") || UNLISTED.contains(&path) {
        return None;
    }
    let html = std::str::from_utf8(bytes).ok()?;
    let url = format!(
        "{base_path}{}",
        path.strip_suffix("index.html").unwrap_or(path)
    );
    doc(url, html)
}

/// The index files for `docs` (pages in output path order), as output
/// paths under [`DIR`] and contents.
pub fn index_files(docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    files(docs)
        .into_iter()
        .map(|(path, bytes)| (format!("{DIR}/{path}"), bytes))
        .collect()
}

/// The index files for `docs`, by path under [`DIR`].
fn files(docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    // About 4 000 postings (10–20 kB) a shard; a term's shard is the top
    // `bits` bits of its hash.
    let postings: usize = docs.iter().map(|d| d.terms.len()).sum();
    let shards = (postings / 4096).next_power_of_two().clamp(16, 4096);
    let bits = shards.trailing_zeros();
    let shard_of = |hash: u32| (hash >> (32 - bits)) as usize;
    // Contiguous runs of shards, built in parallel; inside a run the pages
    // are walked in order, so page ids ascend and deltas stay small.
    let runs = (rayon::current_num_threads() * 4).min(shards);
    let per_run = shards.div_ceil(runs);
    let index: Vec<String> = (0..runs)
        .into_par_iter()
        .flat_map_iter(|r| {
            let (lo, hi) = (r * per_run, ((r + 1) * per_run).min(shards));
            let mut maps: Vec<FastMap<&str, (String, usize)>> =
                (lo..hi).map(|_| FastMap::default()).collect();
            for (id, d) in docs.iter().enumerate() {
                let from = d.terms.partition_point(|t| shard_of(t.hash) < lo);
                let to = d.terms.partition_point(|t| shard_of(t.hash) < hi);
                for t in &d.terms[from..to] {
                    let map = &mut maps[shard_of(t.hash) - lo];
                    let (postings, last) = map.entry(d.word(t)).or_insert((String::new(), 0));
                    if !postings.is_empty() {
                        postings.push(',');
                    }
                    push_base36(postings, id - *last);
                    if t.count > 1 {
                        postings.push('*');
                        push_base36(postings, t.count as usize);
                    }
                    *last = id;
                }
            }
            maps.into_iter().map(|map| {
                let sorted: BTreeMap<&str, &str> =
                    map.iter().map(|(t, (p, _))| (*t, p.as_str())).collect();
                serde_json::to_string(&sorted).unwrap_or_default()
            })
        })
        .collect();
    let groups: Vec<String> = docs
        .par_chunks(GROUP)
        .map(|chunk| {
            let list: Vec<[&str; 3]> = chunk
                .iter()
                .map(|d| [d.url.as_str(), d.title.as_str(), d.text.as_str()])
                .collect();
            serde_json::to_string(&list).unwrap_or_default()
        })
        .collect();
    let mut version = Fnv::default();
    for part in index.iter().chain(&groups) {
        version.write(part.as_bytes());
    }
    let meta = json!({
        "version": 1, "shards": shards, "pages": docs.len(), "group": GROUP,
        "v": format!("{:08x}", version.0),
    });
    let mut files = vec![("meta.json".to_string(), meta.to_string().into_bytes())];
    files.extend(
        index
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("index/{i}.json"), s.into_bytes())),
    );
    files.extend(
        groups
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("pages/{i}.json"), s.into_bytes())),
    );
    files
}

/// The page's searchable part, or `None` when it has none.
fn doc(url: String, html: &str) -> Option<Doc> {
    let body = extract(html)?;
    let title = body
        .title
        .or_else(|| between(html, "<title>", "</title>").map(|t| collapse(&decode(t))))
        .unwrap_or_default();
    let (lower_text, lower_title) = (body.text.to_lowercase(), title.to_lowercase());
    // Sized for the distinct terms of a page (about one per 8 bytes of
    // text), so the map is not rebuilt as it grows.
    let mut counts: FastMap<&str, u32> =
        FastMap::with_capacity_and_hasher(lower_text.len() / 8, Default::default());
    each_token(&lower_text, |t| *counts.entry(t).or_insert(0) += 1);
    each_token(&lower_title, |t| {
        *counts.entry(t).or_insert(0) += TITLE_WEIGHT
    });
    let mut words = String::with_capacity(counts.keys().map(|k| k.len()).sum());
    let mut terms: Vec<(u32, &str, u32)> = counts
        .into_iter()
        .map(|(t, count)| (term_hash(t), t, count))
        .collect();
    terms.sort_unstable();
    let terms = terms
        .into_iter()
        .map(|(hash, t, count)| {
            let start = words.len() as u32;
            words.push_str(t);
            Term {
                hash,
                count,
                start,
                end: words.len() as u32,
            }
        })
        .collect();
    let mut text = body.text;
    if let Some((cut, _)) = text.char_indices().nth(TEXT_CAP) {
        text.truncate(cut);
    }
    Some(Doc {
        url,
        title,
        text,
        words,
        terms,
    })
}

/// What [`extract`] finds in a page.
struct Body {
    /// Text of the first `<h1>`.
    title: Option<String>,
    /// Whitespace-collapsed text of the marked element.
    text: String,
}

/// Text of the element marked `data-search-body`, without tags, scripts,
/// styles and `data-search-ignore` elements.
fn extract(html: &str) -> Option<Body> {
    let start = html.find("data-search-body")?;
    let open = html[..start].rfind('<')?;
    let name: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let body_start = open + html[open..].find('>')? + 1;
    let close = format!("</{name}>");
    let body_end = html.rfind(&close).filter(|&e| e >= body_start)?;
    let src = &html[body_start..body_end];

    let mut text = String::with_capacity(src.len() / 2);
    let mut title: Option<String> = None;
    let mut in_h1 = false;
    let mut h1 = String::new();
    // While skipping: the tag name and how deep inside it we are.
    let mut skip: Option<(String, usize)> = None;
    let mut rest = src;
    while let Some(lt) = rest.find('<') {
        let chunk = &rest[..lt];
        if skip.is_none() {
            let start = text.len();
            decode_into(&mut text, chunk);
            if in_h1 {
                h1.push_str(&text[start..]);
            }
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let tname = tag.trim_start_matches('/');
        let tname = &tname[..tname
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tname.len())];
        if let Some((sname, depth)) = &mut skip {
            if sname.eq_ignore_ascii_case(tname) {
                if closing {
                    *depth -= 1;
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
                if *depth == 0 {
                    skip = None;
                }
            }
            continue;
        }
        let is = |name: &str| tname.eq_ignore_ascii_case(name);
        if !closing && (is("script") || is("style") || is("template") || ignored(tag)) {
            skip = Some((tname.to_string(), 1));
            continue;
        }
        if is("h1") && title.is_none() {
            if closing && in_h1 {
                title = Some(collapse(&h1));
            }
            in_h1 = !closing;
        }
        // Inline tags join text; block tags separate it.
        const INLINE: &[&str] = &[
            "a", "em", "strong", "code", "span", "b", "i", "mark", "del", "sub", "sup",
        ];
        if !INLINE.iter().any(|name| is(name)) {
            text.push(' ');
        }
    }
    if skip.is_none() {
        decode_into(&mut text, rest);
    }
    Some(Body {
        title,
        text: collapse(&text),
    })
}

/// The plain text of an HTML fragment (a lesson body), as the index reads
/// pages: tags, scripts and styles dropped, whitespace collapsed, uncut.
pub fn fragment_text(html: &str) -> String {
    extract(&format!("<div data-search-body>{html}</div>"))
        .map(|b| b.text)
        .unwrap_or_default()
}

/// Whether the element of opening tag `tag` is left out of the text: marked
/// `data-search-ignore` (navigation, pager, player controls), or a heading
/// anchor (`#`), which is not part of what the page says.
fn ignored(tag: &str) -> bool {
    tag.contains("data-search-ignore") || tag.contains("class=\"anchor\"")
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let i = s.find(a)? + a.len();
    let j = s[i..].find(b)? + i;
    Some(&s[i..j])
}

/// Runs of whitespace become one space; ends trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decodes the entities kpsite's templates and Markdown produce.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(&mut out, s);
    out
}

/// [`decode`], appending to `out`.
fn decode_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The terms of `text`: lower-cased words, and for CJK runs every
/// character and every pair of neighbouring characters.
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    each_token(&lower, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with every term of the already lower-cased `text`, in order
/// (see [`tokens`]); terms are slices of `text`.
fn each_token<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    // Start of the current word, and byte offsets of the current CJK run's
    // characters.
    let mut word: Option<usize> = None;
    let mut cjk: Vec<usize> = Vec::new();
    let mut cjk_end = 0;
    let flush_word = |word: &mut Option<usize>, end: usize, f: &mut dyn FnMut(&'t str)| {
        if let Some(start) = word.take() {
            let w = &text[start..end];
            if w.chars().nth(MAX_WORD).is_none() {
                f(w);
            }
        }
    };
    let flush_cjk = |cjk: &mut Vec<usize>, end: usize, f: &mut dyn FnMut(&'t str)| {
        for (i, &start) in cjk.iter().enumerate() {
            let next = cjk.get(i + 1).copied().unwrap_or(end);
            f(&text[start..next]);
            if let Some(&after) = cjk.get(i + 2).or((i + 1 < cjk.len()).then_some(&end)) {
                f(&text[start..after]);
            }
        }
        cjk.clear();
    };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            flush_word(&mut word, i, &mut f);
            cjk.push(i);
            cjk_end = i + c.len_utf8();
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, cjk_end, &mut f);
            word.get_or_insert(i);
        } else {
            flush_word(&mut word, i, &mut f);
            flush_cjk(&mut cjk, cjk_end, &mut f);
        }
    }
    flush_word(&mut word, text.len(), &mut f);
    flush_cjk(&mut cjk, cjk_end, &mut f);
}

/// The hash that places a term in a shard: FNV-1a of its first two
/// characters (UTF-8). With `S = 2^k` shards a term lives in shard
/// `hash >> (32 - k)`, so terms sharing a two-character prefix share a shard.
pub fn term_hash(term: &str) -> u32 {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    let mut h = Fnv::default();
    h.write(&term.as_bytes()[..end]);
    h.0
}

/// The shard of `term` among `shards` (a power of two).
pub fn shard(term: &str, shards: usize) -> usize {
    (term_hash(term) >> (32 - shards.trailing_zeros())) as usize
}

/// A hash map with a fast, non-cryptographic hasher (the keys are the
/// site's own words; iteration order never reaches the output).
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The Fx hash of rustc: a multiply and a rotate per word.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// 32-bit FNV-1a, simple enough to repeat in `search.js`.
struct Fnv(u32);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0x811c_9dc5)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u32::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
}

fn push_base36(s: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    let _ = s.write_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Content, Output};

    fn page(body: &str) -> Vec<u8> {
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>T · S</title></head><body><nav>导航 menu</nav><main id=\"main\" data-search-body><h1>标题 Title</h1>{body}<div data-search-ignore><div>SECRET-IGNORED</div></div><script>var x = 1;</script></main><footer>页脚</footer></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn tokens_split_words_and_cjk_bigrams() {
        assert_eq!(
            tokens("Rust 所有权, borrow-checker!"),
            [
                "rust", "所", "所有", "有", "有权", "权", "borrow", "checker"
            ]
        );
        assert_eq!(tokens("Ünïcode ÀB"), ["ünïcode", "àb"]);
    }

    #[test]
    fn extracts_the_marked_body_only() {
        let html = String::from_utf8(page("<p>所有权 &amp; <em>borrow</em>ing</p>")).unwrap();
        let b = extract(&html).unwrap();
        assert_eq!(b.title.as_deref(), Some("标题 Title"));
        assert_eq!(b.text, "标题 Title 所有权 & borrowing");
    }

    /// What a build does: [`page`] on each output file in path order, then
    /// [`index_files`] on the results.
    fn add_index(out: &mut Output, base_path: &str) {
        let docs: Vec<Doc> = out
            .files
            .iter()
            .filter_map(|(p, c)| match c {
                Content::Bytes(b) => super::page(p, b, base_path),
                Content::Copy(_) => None,
            })
            .collect();
        for (path, bytes) in index_files(&docs) {
            out.files.insert(path, Content::Bytes(bytes));
        }
    }

    #[test]
    fn indexes_into_shards_and_page_groups() {
        let mut out = Output::default();
        out.files
            .insert("index.html".into(), Content::Bytes(page("所有权与借用")));
        out.files.insert(
            "courses/a/index.html".into(),
            Content::Bytes(page("借用检查器 borrow checker")),
        );
        out.files
            .insert("404.html".into(), Content::Bytes(page("not indexed")));
        add_index(&mut out, "/rust/");
        let meta: serde_json::Value =
            serde_json::from_str(out.text("search/meta.json").unwrap()).unwrap();
        assert_eq!(meta["pages"], 2);
        let shards = meta["shards"].as_u64().unwrap() as usize;
        let shard_of = |t: &str| {
            let s = out
                .text(&format!("search/index/{}.json", shard(t, shards)))
                .unwrap();
            serde_json::from_str::<BTreeMap<String, String>>(s).unwrap()
        };
        // Page 0 is courses/a/ (sorted paths), page 1 the landing page.
        assert_eq!(shard_of("借用")["借用"], "0,1");
        assert_eq!(shard_of("borrow")["borrow"], "0");
        assert_eq!(
            shard_of("标题")["标题"],
            "0*b,1*b",
            "title weight 10 + body 1"
        );
        assert!(
            !shard_of("secret").contains_key("secret"),
            "ignored element"
        );
        let pages = out.text("search/pages/0.json").unwrap();
        assert!(
            pages.starts_with("[[\"/rust/courses/a/\",\"标题 Title\","),
            "{pages}"
        );
        assert!(!pages.contains("not indexed") && !pages.contains("导航"));
    }

    #[test]
    fn same_pages_give_the_same_index() {
        let build = || {
            let mut out = Output::default();
            for i in 0..50 {
                out.files.insert(
                    format!("p{i}/index.html"),
                    Content::Bytes(page(&format!("第 {i} 页 page number {i}"))),
                );
            }
            add_index(&mut out, "/");
            out.files
        };
        assert_eq!(build(), build());
    }
}
