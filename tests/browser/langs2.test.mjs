// More real-browser checks of a site in several languages (SPEC §8), beside
// langs.test.mjs: the switch on an event and a page (as well as a course
// and a lesson), started from either language; the lang of the page and of
// the switch's links; screenshots of a lesson of the second language at
// 390 and 1280 px, light and dark.
//
//   SITE=path/to/public node --test --test-concurrency=1 langs2.test.mjs
//
// Skips itself when the site has one language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { SITE, SHOTS, openSite } from "./lib.mjs";


const read = (rel) => readFileSync(join(SITE, rel), "utf8");
const landing = existsSync(join(SITE, "index.html")) ? read("index.html") : "";
const alternates = (html) =>
  [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]);
const langs = alternates(landing).filter(([l]) => l !== "x-default").map(([l]) => l);
const skip = langs.length < 2 && "the site has one language";
const base = skip ? null : new URL(alternates(landing).find(([l]) => l === "x-default")[1]);
const basePath = base?.pathname;
const [first, second] = langs;
let origin, browser, close;

before(async () => {
  if (skip) return;
  ({ origin, browser, close } = await openSite(SITE, basePath));
});

after(async () => {
  await close?.();
});

/** Sub-folders (with an index.html) of a folder of the default language. */
const below = (dir) =>
  existsSync(join(SITE, dir))
    ? readdirSync(join(SITE, dir)).filter((n) => existsSync(join(SITE, dir, n, "index.html"))).map((n) => `${dir}/${n}/`)
    : [];
/** A lesson, a course, an event and a page, site-relative. */
function samples() {
  const courses = below("courses");
  // A translated lesson when there is one (no fallback note in the second language).
  const lessons = courses.flatMap((c) => below(c.slice(0, -1))).filter((l) => existsSync(join(SITE, second, l, "index.html")));
  const translated = (l) => !read(join(second, l, "index.html")).includes('class="notice fallback"');
  const lesson = lessons.find(translated) ?? lessons[0];
  const event = below("events")[0];
  const page = readdirSync(SITE).map((n) => `${n}/`).find((n) => {
    const f = join(SITE, n, "index.html");
    return existsSync(f) && !["courses/", "events/", "search/", "memberships/", "bundles/", `${second}/`, "unlock/"].includes(n);
  });
  return { course: courses[0], lesson, event, page };
}

test("the switch lands on the same lesson, course, event and page, from either language", { skip }, async () => {
  const found = samples();
  for (const [kind, rel] of Object.entries(found)) assert.ok(rel, `the site has a ${kind}`);
  const page = await browser.newPage();
  for (const [kind, rel] of Object.entries(found)) {
    for (const [from, to] of [[first, second], [second, first]]) {
      const dir = (l) => (l === first ? "" : `${l}/`);
      await page.goto(`${origin}${basePath}${dir(from)}${rel}`);
      assert.equal(await page.getAttribute("html", "lang"), from, `${kind} ${rel}`);
      const link = page.locator(`nav.langs a[hreflang="${to}"]`);
      assert.equal(await link.getAttribute("lang"), to, "each language is named in its own words");
      await link.click();
      await page.waitForURL((u) => u.pathname === `${basePath}${dir(to)}${rel}`);
      assert.equal(await page.getAttribute("html", "lang"), to, `${kind} ${rel} in ${to}`);
      assert.equal(await page.locator(`nav.langs a[aria-current="page"]`).getAttribute("hreflang"), to);
    }
  }
  await page.close();
});

test("a lesson of the second language at 390 and 1280 px, light and dark", { skip }, async () => {
  const { lesson } = samples();
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme: scheme });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${origin}${basePath}${second}/${lesson}`);
      // Nothing wider than the screen: the switch and the nav wrap.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${width}px ${scheme}: ${overflow}px too wide`);
      assert.ok(await page.locator("nav.langs").isVisible());
      await page.screenshot({ path: join(SHOTS, `langs2-${second}-lesson-${width}-${scheme}.png`) });
    }
    await page.close();
  }
});
