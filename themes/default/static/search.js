// kpsite search page. Reads the index kpsite writes under search/ (see
// src/render/search.rs): meta.json first, then only the shards of the
// query's terms and the excerpt files of the hits shown. Without
// JavaScript the page shows a message and a link to the courses instead.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const text = form.dataset;
const root = text.index; // e.g. /rust/search/
const MAX_HITS = 20;

const cache = new Map();
function fetchJson(path, version) {
  const url = root + path + (version ? "?v=" + version : "");
  if (!cache.has(url)) {
    cache.set(url, fetch(url, version ? {} : { cache: "no-cache" }).then((r) => {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    }));
  }
  return cache.get(url);
}

// Same rules as tokens() in search.rs.
// The same ranges as kpsite's `util::CJK_RANGES` (src/util.rs); a Rust test
// keeps them equal.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{3ffff}]/u;
const WORD = /[\p{L}\p{N}]/u;
// Query parts: { terms: [...], prefix: bool } each; every part must match.
function parse(query) {
  query = query.toLowerCase();
  const parts = [];
  let word = "";
  let cjk = [];
  const flushWord = () => {
    if (word) parts.push({ terms: [word], prefix: [...word].length >= 3, show: word });
    word = "";
  };
  const flushCjk = () => {
    if (cjk.length === 1) parts.push({ terms: [cjk[0]], prefix: false, show: cjk[0] });
    for (let i = 0; i + 1 < cjk.length; i++) {
      parts.push({ terms: [cjk[i] + cjk[i + 1]], prefix: false, show: cjk.join("") });
    }
    cjk = [];
  };
  for (const c of query) {
    if (CJK.test(c)) {
      flushWord();
      cjk.push(c);
    } else if (WORD.test(c)) {
      flushCjk();
      word += c;
    } else {
      flushWord();
      flushCjk();
    }
  }
  flushWord();
  flushCjk();
  return parts;
}

function fnv(term) {
  const chars = [...term].slice(0, 2).join("");
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(chars)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// "3,1*a,…" → Map(page id → weight)
function postings(s, into) {
  let id = 0;
  for (const entry of s.split(",")) {
    const [delta, count] = entry.split("*");
    id += parseInt(delta, 36);
    into.set(id, (into.get(id) || 0) + (count ? parseInt(count, 36) : 1));
  }
  return into;
}

// Own keys only: a shard is a plain object, and a query such as
// "constructor" or "__proto__" must not find what Object.prototype holds.
function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

async function find(query) {
  const meta = await fetchJson("meta.json");
  const parts = parse(query);
  if (!parts.length) return { meta, hits: [], parts };
  let scores = null;
  for (const part of parts) {
    const term = part.terms[0];
    // Top log2(shards) bits of the hash, as in search.rs.
    const bits = Math.round(Math.log2(meta.shards));
    const shard = await fetchJson("index/" + (fnv(term) >>> (32 - bits)) + ".json", meta.v);
    const found = new Map();
    if (hasOwn(shard, term)) postings(shard[term], found);
    if (part.prefix) {
      for (const [t, p] of Object.entries(shard)) {
        if (t !== term && t.startsWith(term)) postings(p, found);
      }
    }
    if (scores === null) {
      scores = found;
    } else {
      for (const id of [...scores.keys()]) {
        if (found.has(id)) scores.set(id, scores.get(id) + found.get(id));
        else scores.delete(id);
      }
    }
    if (!scores.size) break;
  }
  const hits = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
  return { meta, hits, parts };
}

// ---- the buyer's own courses (delivery: encrypted) ----------------------
// unlock.js keeps the content keys of unlocked courses in localStorage;
// each course's paid lessons are in one shard sealed under its key at
// unlock/search/<hex HKDF(key, "kpsite search id")>. Those shards are
// fetched, decrypted (WebCrypto) and searched here, term by term as the
// public index is.
const base = root.slice(0, -"search/".length);
const subtle = window.crypto && window.crypto.subtle;
function ownedKeys() {
  try {
    const s = JSON.parse(localStorage.getItem("kpsite-unlock:" + base));
    return s && s.courses ? Object.values(s.courses).map((c) => c.key).filter(Boolean) : [];
  } catch (e) {
    return [];
  }
}
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const shards = new Map();
async function ownedShard(keyB64) {
  if (!shards.has(keyB64)) {
    shards.set(keyB64, (async () => {
      const key = b64(keyB64);
      const hk = await subtle.importKey("raw", key, "HKDF", false, ["deriveBits"]);
      const info = new TextEncoder().encode("kpsite search id");
      const bits = await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info }, hk, 128);
      const id = Array.from(new Uint8Array(bits), (b) => b.toString(16).padStart(2, "0")).join("");
      const path = "unlock/search/" + id;
      const res = await fetch(base + path);
      if (!res.ok) return []; // a course without paid lessons
      const bytes = new Uint8Array(await res.arrayBuffer());
      const aes = await subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
      const plain = await subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(path) }, aes, bytes.slice(12));
      return JSON.parse(new TextDecoder().decode(plain)).pages.map((p) => {
        const weights = new Map();
        const add = (text, w) => {
          for (const part of parse(text)) for (const t of part.terms) weights.set(t, (weights.get(t) || 0) + w);
        };
        add(p.text, 1);
        add(p.title, 10);
        return { url: p.url, title: p.title, body: p.text, weights };
      });
    })().catch((e) => {
      console.warn("search: an owned course", e);
      return [];
    }));
  }
  return shards.get(keyB64);
}
async function findOwned(parts) {
  const keys = subtle ? ownedKeys() : [];
  if (!keys.length || !parts.length) return [];
  const pages = (await Promise.all(keys.map(ownedShard))).flat();
  const hits = [];
  for (const p of pages) {
    let score = 0;
    for (const part of parts) {
      const term = part.terms[0];
      let found = p.weights.get(term) || 0;
      if (part.prefix) {
        for (const [t, w] of p.weights) if (t !== term && t.startsWith(term)) found += w;
      }
      if (!found) {
        score = 0;
        break;
      }
      score += found;
    }
    if (score) hits.push({ ...p, score });
  }
  return hits.sort((a, b) => b.score - a.score);
}

async function page(meta, id) {
  const group = await fetchJson("pages/" + Math.floor(id / meta.group) + ".json", meta.v);
  const [url, title, body] = group[id % meta.group];
  return { url, title, body };
}

// A short piece of text around the first match, with every match marked.
function excerpt(body, parts) {
  const needles = [...new Set(parts.map((p) => p.show.toLowerCase()))].sort((a, b) => b.length - a.length);
  const lower = body.toLowerCase();
  let first = -1;
  for (const n of needles) {
    const i = lower.indexOf(n);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  const start = Math.max(0, first - 40);
  const piece = (start > 0 ? "…" : "") + body.slice(start, start + 160) + (body.length > start + 160 ? "…" : "");
  const p = document.createElement("p");
  const lp = piece.toLowerCase();
  let at = 0;
  while (at < piece.length) {
    let next = -1;
    let len = 0;
    for (const n of needles) {
      const i = lp.indexOf(n, at);
      if (i >= 0 && (next < 0 || i < next)) {
        next = i;
        len = n.length;
      }
    }
    if (next < 0 || !len) {
      p.append(piece.slice(at));
      break;
    }
    p.append(piece.slice(at, next));
    const mark = document.createElement("mark");
    mark.textContent = piece.slice(next, next + len);
    p.append(mark);
    at = next + len;
  }
  return p;
}

function remember(query) {
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
}

let latest = 0;
async function run(query) {
  query = query.trim();
  remember(query);
  const ticket = ++latest;
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = text.loading;
  try {
    const { meta, hits, parts } = await find(query);
    const owned = await findOwned(parts);
    const ownedUrls = new Set(owned.map((h) => h.url));
    const publicHits = await Promise.all(hits.slice(0, MAX_HITS).map((id) => page(meta, id)));
    // An owned lesson's full text replaces its public teaser.
    const shown = [...owned, ...publicHits.filter((h) => !ownedUrls.has(h.url))].slice(0, MAX_HITS);
    const total = owned.length + publicHits.filter((h) => !ownedUrls.has(h.url)).length + Math.max(0, hits.length - MAX_HITS);
    if (ticket !== latest) return; // a newer query replaced this one
    list.replaceChildren(
      ...shown.map((hit) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = hit.url;
        a.textContent = hit.title || hit.url;
        li.append(a);
        if (hit.weights) {
          li.dataset.owned = "1";
          const badge = document.createElement("span");
          badge.className = "badge owned-hit";
          badge.textContent = text.owned;
          li.append(" ", badge);
        }
        li.append(excerpt(hit.body, parts));
        return li;
      }),
    );
    status.textContent = total
      ? text.count.replace("{n}", total)
      : text.none.replace("{query}", query);
  } catch (e) {
    if (ticket === latest) status.textContent = text.error;
    console.warn("search:", e);
  }
}

let timer = 0;
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  run(input.value);
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 150);
});
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
