// kpsite unlock (delivery: encrypted). WebCrypto only, no library.
//
// The unlock page reads the offer key from the URL fragment (never sent to a
// server), derives the name and key of its keystore with HKDF-SHA256, fetches
// unlock/<name>.json, opens it with AES-256-GCM and keeps the content keys it
// grants in localStorage. Every page then opens, in place, the sealed parts
// its stored keys grant (paid lesson bodies, members-only event details) and
// marks the buy boxes of owned offers. Without JavaScript nothing changes:
// the teaser stays readable.
(() => {
  "use strict";
  const dataEl = document.getElementById("kpsite-unlock");
  if (!dataEl) return;
  const cfg = JSON.parse(dataEl.textContent);
  const t = (k, vars = {}) =>
    Object.entries(vars).reduce((s, [n, v]) => s.replace(`{${n}}`, v), cfg.t[k] || k);
  const STORE = "kpsite-unlock:" + cfg.base;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const subtle = window.crypto && window.crypto.subtle;

  const empty = () => ({ offers: {}, courses: {}, members: null });
  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(STORE));
      return s && s.offers && s.courses ? s : empty();
    } catch (e) {
      return empty();
    }
  }
  function save(s) {
    try {
      localStorage.setItem(STORE, JSON.stringify(s));
    } catch (e) {
      /* storage full or disabled: the keys last for this page only */
    }
  }

  const b64 = (s) => Uint8Array.from(atob(s.trim()), (c) => c.charCodeAt(0));
  const hex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, "0")).join("");

  async function hkdf(keyBytes, info, bits) {
    const k = await subtle.importKey("raw", keyBytes, "HKDF", false, ["deriveBits"]);
    const params = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode(info) };
    return new Uint8Array(await subtle.deriveBits(params, k, bits));
  }

  // nonce(12) ‖ ciphertext ‖ tag(16), bound to `aad` (where it is published).
  async function openBytes(keyBytes, aad, bytes) {
    const k = await subtle.importKey("raw", keyBytes, "AES-GCM", false, ["decrypt"]);
    const params = { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: enc.encode(aad) };
    return new Uint8Array(await subtle.decrypt(params, k, bytes.slice(12)));
  }
  async function open(keyBytes, aad, sealedB64) {
    return dec.decode(await openBytes(keyBytes, aad, b64(sealedB64)));
  }

  // ---- lesson assets sealed under a course key ---------------------------
  // A sealed body links them as <base>unlock/files/<id>#kpsite-file=<name>;
  // each is fetched, decrypted and shown through a blob: URL (images,
  // video, audio) or offered as a download under its own name.
  const FILES = cfg.base + "unlock/files/";
  const TYPES = {
    png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
    avif: "image/avif", svg: "image/svg+xml", ico: "image/x-icon", pdf: "application/pdf",
    mp4: "video/mp4", webm: "video/webm", mp3: "audio/mpeg", ogg: "audio/ogg", wav: "audio/wav",
    txt: "text/plain", csv: "text/csv", json: "application/json", zip: "application/zip",
  };
  const ATTRS = ["src", "href", "poster"];
  async function openAssets(root, keyBytes) {
    const jobs = [];
    for (const node of root.querySelectorAll("[src],[href],[poster]")) {
      for (const attr of ATTRS) {
        const value = node.getAttribute(attr);
        if (!value || !value.startsWith(FILES)) continue;
        const [path, frag] = value.split("#");
        const name = decodeURIComponent(((frag || "").match(/kpsite-file=([^&]*)/) || [])[1] || "file");
        const type = TYPES[(name.split(".").pop() || "").toLowerCase()] || "application/octet-stream";
        // Nothing loads the ciphertext as an image meanwhile.
        node.removeAttribute(attr);
        jobs.push((async () => {
          try {
            const res = await fetch(path);
            if (!res.ok) throw new Error(res.status);
            const aad = path.slice(cfg.base.length);
            const plain = await openBytes(keyBytes, aad, new Uint8Array(await res.arrayBuffer()));
            node.setAttribute(attr, URL.createObjectURL(new Blob([plain], { type })));
            if (node.tagName === "A" && !node.hasAttribute("download")) node.setAttribute("download", name);
          } catch (e) {
            node.dataset.kpsiteAssetError = name;
            if (node.tagName === "A") node.setAttribute("href", "#");
          }
        })());
      }
    }
    await Promise.all(jobs);
  }

  function el(tag, props = {}, children = []) {
    const e = document.createElement(tag);
    Object.assign(e, props);
    e.append(...children);
    return e;
  }

  // ---- unlock page -------------------------------------------------------
  const status = document.getElementById("kpsite-unlock-status");
  function say(key, vars, kind) {
    if (!status) return;
    const p = el("p", { className: kind || "" }, [t(key, vars)]);
    p.dataset.kpsiteStatus = kind || "info";
    status.replaceChildren(p);
  }

  async function unlockFromFragment() {
    const token = decodeURIComponent(location.hash.slice(1)).trim();
    if (!token) return;
    // The key leaves the address bar (and the history entry) at once.
    history.replaceState(null, "", location.pathname + location.search);
    say("unlock_opening");
    if (!subtle) return say("unlock_bad_link", {}, "error");
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return say("unlock_bad_link", {}, "error");
    const key = b64(token.replace(/-/g, "+").replace(/_/g, "/") + "=");
    const id = hex(await hkdf(key, "kpsite keystore id", 128));
    const path = "unlock/" + id + ".json";
    let res;
    try {
      res = await fetch(cfg.page + id + ".json", { cache: "no-cache" });
    } catch (e) {
      return say("unlock_offline", {}, "error");
    }
    if (res.status === 404 || res.status === 410) return say("unlock_bad_link", {}, "error");
    if (!res.ok) return say("unlock_offline", {}, "error");
    let plain;
    try {
      const file = await res.json();
      const wrap = await hkdf(key, "kpsite keystore key", 256);
      plain = JSON.parse(await open(wrap, path, file.sealed));
    } catch (e) {
      return say("unlock_bad_link", {}, "error");
    }
    const s = load();
    s.offers[plain.offer] = { title: plain.title, kind: plain.kind, url: plain.url };
    for (const c of plain.courses) s.courses[c.id] = { title: c.title, url: c.url, key: c.key };
    if (plain.members) s.members = plain.members;
    save(s);
    say("unlock_done", { title: plain.title }, "ok");
  }

  function showOwned() {
    const box = document.getElementById("kpsite-unlock-owned");
    if (!box) return;
    const s = load();
    const items = Object.values(s.courses).map((c) =>
      el("li", {}, [el("a", { href: c.url, textContent: c.title })]));
    if (s.members) {
      items.push(el("li", {}, [t("unlock_members"), " · ",
        el("a", { href: cfg.base + "events/", textContent: t("unlock_events") })]));
    }
    if (!items.length) {
      box.replaceChildren(el("p", { textContent: t("unlock_none") }));
      return;
    }
    const forget = el("button", { type: "button", className: "button secondary", textContent: t("unlock_forget") });
    forget.addEventListener("click", () => {
      localStorage.removeItem(STORE);
      showOwned();
    });
    box.replaceChildren(
      el("h2", { textContent: t("unlock_owned_title") }),
      el("ul", { className: "owned-list" }, items),
      el("p", {}, [forget]));
  }

  // ---- every page: sealed parts and owned offers -------------------------
  async function reveal() {
    const s = load();
    const started = performance.now();
    const assets = [];
    for (const script of document.querySelectorAll("script[data-kpsite-sealed]")) {
      const which = script.dataset.kpsiteSealed;
      const course = which.startsWith("course:") ? s.courses[which.slice(7)] : null;
      const keyB64 = which === "members" ? s.members : course && course.key;
      if (!keyB64 || !subtle) continue;
      let html;
      try {
        html = await open(b64(keyB64), script.dataset.kpsiteAad, script.textContent);
      } catch (e) {
        continue; // a key from another build of the site: keep the teaser
      }
      // Parsed inert first (a template loads nothing), so sealed assets
      // are swapped for their decrypted copies before anything fetches.
      const tpl = document.createElement("template");
      tpl.innerHTML = html; // authenticated by AES-GCM under the site's key
      // Synchronously strips the sealed URLs, then fills them in as each
      // file arrives: the text shows without waiting for the files.
      assets.push(openAssets(tpl.content, b64(keyB64)));
      const shown = el("div", { className: which === "members" ? "members-details" : "prose" });
      shown.append(tpl.content);
      shown.dataset.kpsiteUnlocked = which;
      const teaser = script.parentElement.querySelector(".locked-box");
      if (teaser) teaser.replaceWith(shown);
      else script.before(shown);
      script.remove();
    }
    document.documentElement.dataset.kpsiteRevealMs = (performance.now() - started).toFixed(1);
    await Promise.all(assets);
    document.documentElement.dataset.kpsiteAssetsMs = (performance.now() - started).toFixed(1);
    for (const box of document.querySelectorAll("[data-kpsite-offer]")) {
      const id = box.dataset.kpsiteOffer;
      if (s.offers[id] || s.courses[id]) {
        const p = el("p", { className: "owned", textContent: "✓ " + t("unlock_owned") });
        p.dataset.kpsiteOwned = id;
        box.replaceChildren(p);
      }
    }
  }

  async function main() {
    if (status) {
      try {
        await unlockFromFragment();
      } catch (e) {
        say("unlock_bad_link", {}, "error");
      }
      showOwned();
    }
    await reveal();
    document.documentElement.dataset.kpsiteUnlockReady = "1";
  }
  main();
})();
