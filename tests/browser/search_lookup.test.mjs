// Unit test of the search page's script without a browser: search.js runs
// in a node `vm` context with a stand-in page and a fetch that serves a
// tiny index. Queries named like Object.prototype's members ("constructor",
// "__proto__") must find nothing, not break the search.
//
//   node --test search_lookup.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const script = readFileSync(join(here, "../../themes/default/static/search.js"), "utf8");

/// An element stand-in with what search.js uses.
function element(extra = {}) {
  const listeners = {};
  return {
    textContent: "",
    children: [],
    listeners,
    addEventListener(type, fn) {
      listeners[type] = fn;
    },
    append(...c) {
      this.children.push(...c);
    },
    replaceChildren(...c) {
      this.children = c;
    },
    ...extra,
  };
}

/// Loads search.js against an index in which "rust" and "rusty" occur.
function page() {
  const form = element({
    dataset: {
      index: "/s/",
      loading: "loading",
      count: "{n} results",
      none: "nothing for {query}",
      error: "search unavailable",
    },
  });
  const input = element({ value: "" });
  const status = element();
  const list = element();
  const byId = { "search-form": form, "search-q": input, "search-status": status, "search-results": list };
  const files = {
    "meta.json": { shards: 1, group: 10, v: "1" },
    "pages/0.json": [["/a/", "A lesson", "All about rust and rusty code."]],
  };
  const fetch = async (url) => {
    const path = url.slice("/s/".length).split("?")[0];
    const body = path.startsWith("index/") ? { rust: "0*2", rusty: "0" } : files[path];
    return { ok: body !== undefined, status: body ? 200 : 404, json: async () => body };
  };
  const context = vm.createContext({
    document: { getElementById: (id) => byId[id], createElement: () => element() },
    location: { href: "http://x/s/", search: "" },
    history: { replaceState() {} },
    // No unlock key held: the owned-course search stays off.
    window: {},
    localStorage: { getItem: () => null },
    URL,
    URLSearchParams,
    TextEncoder,
    fetch,
    console: { warn() {} },
    setTimeout,
    clearTimeout,
  });
  vm.runInContext(script, context);
  return {
    async search(query) {
      input.value = query;
      form.listeners.submit({ preventDefault() {} });
      // Let the fetches and the rendering settle.
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      return { status: status.textContent, hits: list.children.length };
    },
  };
}

test("a word that is indexed is found (positive control)", async () => {
  const p = page();
  assert.deepEqual(await p.search("rust"), { status: "1 results", hits: 1 });
});

test("words named like Object.prototype members find nothing and do not break search", async () => {
  const p = page();
  for (const q of ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf"]) {
    assert.deepEqual(await p.search(q), { status: "nothing for " + q, hits: 0 }, q);
  }
  // And search still works afterwards.
  assert.equal((await p.search("rust")).hits, 1);
});
