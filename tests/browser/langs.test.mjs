// Real-browser checks of a site in several languages (SPEC §8): the
// language switch lands on the same page in the other language and back,
// hreflang alternates agree both ways, search finds each language's words
// in its own index, and the Nu HTML Checker and axe pass on every language.
//
//   SITE=path/to/public node --test --test-concurrency=1 langs.test.mjs
//
// Skips itself when the site has one language (no hreflang on its landing
// page). Optional: SEARCH_ZH / SEARCH_EN, a word of the default and of the
// second language's pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { SITE, SHOTS, openSite, htmlFiles } from "./lib.mjs";

const require = createRequire(import.meta.url);

const landing = existsSync(join(SITE, "index.html")) ? readFileSync(join(SITE, "index.html"), "utf8") : "";
/** [hreflang, href] of every alternate link of an HTML text. */
const alternates = (html) =>
  [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]);
const langs = alternates(landing).filter(([l]) => l !== "x-default");
const skip = langs.length < 2 && "the site has one language";

// The default language's landing page gives the base URL; the others live below it.
const base = skip ? null : new URL(alternates(landing).find(([l]) => l === "x-default")[1]);
const basePath = base?.pathname;
const second = skip ? null : langs[1][0];
let origin, browser, close;

before(async () => {
  if (skip) return;
  ({ origin, browser, close } = await openSite(SITE, basePath));
});

after(async () => {
  await close?.();
});

const local = (abs) => origin + new URL(abs).pathname;
/** Site-relative pages of the default language that have alternates. */
function pages() {
  return htmlFiles()
    .map((f) => relative(SITE, f))
    .filter((r) => !r.startsWith(`${second}/`) && r.endsWith("index.html"))
    .filter((r) => alternates(readFileSync(join(SITE, r), "utf8")).length > 0)
    .map((r) => r.replace(/index\.html$/, ""));
}
/** One page of each kind: landing, a course, a lesson with and one without a translation, a page. */
function samples() {
  const all = pages();
  const fallback = all.find((p) => readFileSync(join(SITE, second, p, "index.html"), "utf8").includes('class="notice fallback"'));
  const translated = all.find((p) => /^courses\/[^/]+\/[^/]+\/$/.test(p) && p !== fallback);
  return [...new Set(["", all.find((p) => /^courses\/[^/]+\/$/.test(p)), translated, fallback, "search/"].filter((p) => p !== undefined))];
}

test("the language switch lands on the same page in the other language, and back", { skip }, async () => {
  const page = await browser.newPage();
  for (const rel of samples()) {
    await page.goto(origin + basePath + rel);
    const own = await page.getAttribute("html", "lang");
    assert.equal(own, langs[0][0], rel);
    await page.locator(`nav.langs a[hreflang="${second}"]`).click();
    await page.waitForURL((u) => u.pathname === `${basePath}${second}/${rel}`);
    assert.equal(await page.getAttribute("html", "lang"), second, rel);
    assert.equal(await page.locator(`nav.langs a[aria-current="page"]`).getAttribute("hreflang"), second);
    await page.locator(`nav.langs a[hreflang="${langs[0][0]}"]`).click();
    await page.waitForURL((u) => u.pathname === `${basePath}${rel}`);
  }
  await page.close();
});

test("hreflang alternates agree both ways and name x-default", { skip }, () => {
  for (const rel of pages()) {
    const alts = alternates(readFileSync(join(SITE, rel, "index.html"), "utf8"));
    assert.deepEqual(alts.map(([l]) => l).sort(), [...langs.map(([l]) => l), "x-default"].sort(), rel);
    for (const [, href] of alts) {
      const file = join(SITE, new URL(href).pathname.slice(basePath.length), "index.html");
      assert.deepEqual(alternates(readFileSync(file, "utf8")), alts, `${href} lists ${rel} back`);
    }
  }
});

test("a page without a translation says so, in the page", { skip }, async () => {
  const rel = pages().find((p) =>
    readFileSync(join(SITE, second, p, "index.html"), "utf8").includes('class="notice fallback"'),
  );
  assert.ok(rel !== undefined, "the site shows at least one fallback");
  const page = await browser.newPage();
  await page.goto(`${origin}${basePath}${second}/${rel}`);
  const note = page.locator(".notice.fallback");
  assert.ok(await note.isVisible());
  assert.equal(await note.getAttribute("lang"), second);
  assert.equal(await page.getAttribute("main", "lang"), langs[0][0]);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SHOTS, `langs-fallback-${width}.png`), fullPage: true });
  }
  await page.close();
});

for (const [which, dir, query] of [
  ["the default language", "", process.env.SEARCH_ZH || "安全"],
  ["the second language", "second", process.env.SEARCH_EN || "memory"],
]) {
  test(`search in ${which} finds its own pages`, { skip }, async () => {
    const prefix = dir ? `${second}/` : "";
    const page = await browser.newPage();
    await page.goto(`${origin}${basePath}${prefix}search/`);
    await page.fill("#search-q", query);
    await page.press("#search-q", "Enter");
    const first = page.locator("#search-results li a").first();
    await first.waitFor({ timeout: 10000 });
    const hrefs = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const h of hrefs) {
      const inSecond = h.startsWith(`${basePath}${second}/`);
      assert.equal(inSecond, Boolean(dir), `${h} belongs to ${which}`);
    }
    await first.click();
    await page.waitForURL((u) => u.pathname === hrefs[0]);
    const body = (await page.locator("main").textContent()).toLowerCase();
    assert.ok(body.includes(query.toLowerCase()), `the hit holds ${query}`);
    await page.close();
  });
}

test("every page of every language passes the Nu HTML Checker", { skip }, () => {
  const jar = require.resolve("vnu-jar");
  const vnu = join(dirname(jar), "build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...htmlFiles()], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(errors.map((m) => `${relative(SITE, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`), []);
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no violations in either language (${scheme})`, { skip }, async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const page = await browser.newPage({ colorScheme: scheme });
    const found = [];
    for (const rel of samples()) {
      for (const prefix of ["", `${second}/`]) {
        await page.goto(`${origin}${basePath}${prefix}${rel}`);
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id),
        );
        for (const v of result) found.push(`${prefix}${rel}: ${v}`);
      }
    }
    await page.close();
    assert.deepEqual(found, []);
  });
}
