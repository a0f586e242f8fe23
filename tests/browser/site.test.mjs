// Real-browser checks of a built kpsite site: the Nu HTML Checker on every
// page, axe-core on every page type (light and dark), a buyer's journey,
// search in Chinese and English, the .ics download, no horizontal overflow
// at phone and desktop widths (with screenshots), and search without JS.
//
//   SITE=path/to/public node --test --test-concurrency=1
//
// SITE defaults to ../../example-site/public. The site is served over a
// local static server under the path of its base_url (read from
// sitemap.xml), so path prefixes are exercised as they will be deployed.
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); no browser is
// downloaded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { SITE, SHOTS, sitemapLocs, sitemapBasePath, openSite, htmlFiles } from "./lib.mjs";

const require = createRequire(import.meta.url);

const locs = sitemapLocs();
const baseUrl = new URL(locs.find((l) => l.endsWith("/")) || locs[0]);
const basePath = sitemapBasePath();

let origin, browser, close;

before(async () => {
  ({ origin, browser, close } = await openSite(SITE, basePath));
});

after(async () => {
  await close?.();
});

const url = (rel) => origin + basePath + rel;
const exists = (rel) => existsSync(join(SITE, rel));

// One page of each type the site has, by site-relative URL.
function pageTypes() {
  const html = (rel) => readFileSync(join(SITE, rel, "index.html"), "utf8");
  const courses = locs.map((l) => new URL(l).pathname.slice(basePath.length));
  const course = courses.find((p) => /^courses\/[^/]+\/$/.test(p));
  const lessons = courses.filter((p) => /^courses\/[^/]+\/[^/]+\/$/.test(p));
  const free = lessons.find((p) => !html(p).includes('class="locked-box"'));
  const paid = lessons.find((p) => html(p).includes('class="locked-box"'));
  const pick = (re) => courses.find((p) => re.test(p));
  const types = {
    landing: "",
    course,
    "free lesson": free,
    "paid lesson": paid,
    membership: pick(/^memberships\/[^/]+\/$/),
    bundle: pick(/^bundles\/[^/]+\/$/),
    page: pick(/^(?!courses|memberships|bundles|events)[^/]+\/$/),
    events: pick(/^events\/$/),
    event: pick(/^events\/[^/]+\/$/),
    search: "search/",
    "404": "404.html",
  };
  return Object.fromEntries(Object.entries(types).filter(([, v]) => v !== undefined));
}

test("every page passes the Nu HTML Checker with no errors", () => {
  const jar = require.resolve("vnu-jar");
  const vnu = join(dirname(jar), "build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...htmlFiles()], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${relative(SITE, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`),
    [],
  );
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no violations on any page (${scheme})`, async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const page = await browser.newPage({ colorScheme: scheme });
    const found = [];
    const every = htmlFiles().map((f) => relative(SITE, f).replace(/index\.html$/, ""));
    for (const rel of every) {
      const name = rel || "landing";
      await page.goto(url(rel));
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
          id: v.id,
          nodes: v.nodes.map((n) => n.target.join(" ") + " " + n.failureSummary).slice(0, 3),
        })),
      );
      for (const v of result) found.push(`${name} (${rel}): ${v.id}: ${v.nodes.join(" | ")}`);
    }
    await page.close();
    assert.deepEqual(found, []);
  });
}

test("a buyer goes from the landing page to a free lesson to the checkout", async () => {
  const page = await browser.newPage();
  await page.goto(url(""));
  assert.match(await page.title(), /\S/);
  // The first course card leads to its sales page.
  const card = page.locator("#courses .card h3 a").first();
  const title = (await card.textContent()).trim();
  await card.click();
  await page.waitForURL(/\/courses\/[^/]+\/$/);
  assert.equal((await page.locator("h1").textContent()).trim(), title);
  const buy = page.locator(".offer-side a.button.buy");
  const checkout = await buy.getAttribute("href");
  assert.match(checkout, /^https:\/\//);
  const label = await buy.textContent();
  assert.ok(/\d/.test(label), `the buy button names its price: ${label}`);
  // The syllabus marks a free lesson; open it.
  const free = page.locator(".syllabus li.free a").first();
  await free.click();
  await page.waitForURL(/\/courses\/[^/]+\/[^/]+\/$/);
  assert.ok(await page.locator("article .prose").count(), "the free lesson shows its body");
  // Its buy button goes to the same checkout, coupon included; only the
  // attribution says it was a lesson page (utm_medium, spec §7).
  const lessonBuy = page.locator("a.button.buy").first();
  const lessonCheckout = checkout
    .replace("utm_medium=course", "utm_medium=lesson")
    .replace("%5Butm_medium%5D=course", "%5Butm_medium%5D=lesson");
  assert.equal(await lessonBuy.getAttribute("href"), lessonCheckout);
  if (checkout.includes("buy.stripe.com")) assert.match(checkout, /\?prefilled_promo_code=[A-Z0-9_-]+(&utm_source=kpsite&utm_medium=course&utm_campaign=[a-z0-9-]+)?$/);
  // Following the link leaves the site for the checkout, coupon and all
  // (answered here: there is no network).
  await page.route(
    (u) => !u.href.startsWith(origin),
    (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "checkout" }),
  );
  const [request] = await Promise.all([
    page.waitForRequest((r) => !r.url().startsWith(origin)),
    lessonBuy.click(),
  ]);
  assert.equal(request.url(), new URL(lessonCheckout).href);
  await page.close();
});

for (const [what, query] of [
  ["a Chinese word", process.env.SEARCH_ZH || "数据库"],
  ["an English word", process.env.SEARCH_EN || "axum"],
]) {
  test(`search finds ${what} and opens a hit`, async () => {
    const page = await browser.newPage();
    const fetched = [];
    page.on("request", (r) => r.url().includes("/search/") && fetched.push(new URL(r.url()).pathname));
    await page.goto(url("search/"));
    await page.fill("#search-q", query);
    await page.press("#search-q", "Enter");
    const first = page.locator("#search-results li a").first();
    await first.waitFor({ timeout: 10000 });
    const marks = await page.locator("#search-results mark").allTextContents();
    assert.ok(marks.some((m) => m.toLowerCase().includes(query.toLowerCase().slice(0, 2))), `marked: ${marks}`);
    // Only pieces of the index were loaded, not all of it.
    const shards = fetched.filter((p) => p.includes("/search/index/")).length;
    const all = readdirSync(join(SITE, "search/index")).length;
    assert.ok(shards < all || all <= 2, `${shards} of ${all} shards loaded`);
    const href = await first.getAttribute("href");
    await first.click();
    await page.waitForURL((u) => u.pathname === href);
    const body = await page.locator("main").textContent();
    assert.ok(body.toLowerCase().includes(query.toLowerCase()), `hit page holds ${query}`);
    await page.close();
  });
}

test("search without JavaScript says so and links to the courses", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url("search/?q=rust"));
  const notice = page.locator("noscript, .notice");
  assert.ok(await page.locator(".notice a").count(), "a link to the courses");
  assert.ok(await notice.first().isVisible());
  await context.close();
});

test("an event's .ics downloads", { skip: !exists("events/index.html") && "no events in this build" }, async () => {
  const page = await browser.newPage();
  await page.goto(url("events/"));
  const event = page.locator("main a[href*='/events/']:not([href$='.ics'])").first();
  await event.click();
  await page.waitForURL(/\/events\/[^/]+\/$/);
  const link = page.locator("a[href$='.ics']").first();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const path = await download.path();
  const ics = readFileSync(path, "utf8");
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.match(ics, /BEGIN:VEVENT/);
  await page.close();
});

for (const width of [390, 1280]) {
  test(`nothing overflows horizontally at ${width} px (screenshots in ${relative(process.cwd(), SHOTS)})`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const wide = [];
    for (const [name, rel] of Object.entries(pageTypes())) {
      await page.goto(url(rel));
      const overflow = await page.evaluate(() => {
        const doc = document.documentElement;
        if (doc.scrollWidth <= doc.clientWidth) return null;
        const culprits = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
          .slice(0, 3)
          .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
        return `${doc.scrollWidth} > ${doc.clientWidth}: ${culprits.join(", ")}`;
      });
      if (overflow) wide.push(`${name}: ${overflow}`);
      await page.screenshot({ path: join(SHOTS, `${width}-${name.replace(/\W+/g, "-")}.png`), fullPage: true });
    }
    await page.close();
    assert.deepEqual(wide, []);
  });
}
