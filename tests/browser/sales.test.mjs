// Real-browser checks of the sales-page blocks (SPEC §2.2 sales-page
// fields, issue #16) on a built site that uses them (the example site):
// every block is there, the buy box works without JavaScript, the sale
// countdown shows its static end time without JavaScript and counts down
// with it, nothing overflows at 390 and 1280 px, axe finds nothing in
// light and dark, and the Nu HTML Checker passes the sales pages.
// Screenshots of the course, membership, bundle and landing pages at both
// widths and schemes are written to $SHOTS/sales-*.png.
//
//   SITE=path/to/public node --test sales.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { SITE, SHOTS, sitemapLocs, sitemapBasePath, openSite } from "./lib.mjs";

const require = createRequire(import.meta.url);

const locs = sitemapLocs();
const basePath = sitemapBasePath();
const rels = locs.map((l) => new URL(l).pathname.slice(basePath.length));
const html = (rel) => readFileSync(join(SITE, rel, "index.html"), "utf8");
const pick = (re, marker) => rels.find((p) => re.test(p) && (!marker || html(p).includes(marker)));

// The pages under test, found by what they hold, not by id.
const PAGES = {
  landing: "",
  courses: "courses/",
  course: pick(/^courses\/[^/]+\/$/, 'class="cohort"'),
  waitlist: pick(/^courses\/[^/]+\/$/, 'class="waitlist"'),
  membership: pick(/^memberships\/[^/]+\/$/, 'class="plan-grid"'),
  bundle: pick(/^bundles\/[^/]+\/$/, 'class="saving"'),
};

let origin, browser, close;

before(async () => {
  ({ origin, browser, close } = await openSite(SITE, basePath));
});

after(async () => {
  await close?.();
});

const url = (rel) => origin + basePath + rel;

test("the example site has a page for every sales block", () => {
  for (const [name, rel] of Object.entries(PAGES)) assert.ok(rel !== undefined, `no ${name} page found`);
});

/** The JSON-LD items of a page, `@graph` flattened. */
async function jsonLd(page) {
  const texts = await page.locator('script[type="application/ld+json"]').allTextContents();
  return texts.flatMap((t) => {
    const v = JSON.parse(t);
    return v["@graph"] || [v];
  });
}

test("a course sales page shows every block, and sells without JavaScript", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(PAGES.course));
  // Cover with its real size, and the same image for sharing.
  const cover = page.locator(".offer-side img.cover");
  assert.ok(Number(await cover.getAttribute("width")) > 0);
  assert.ok(Number(await cover.getAttribute("height")) > 0);
  const og = await page.locator('meta[property="og:image"]').getAttribute("content");
  assert.match(og, /^https?:\/\/.+\.(png|jpe?g|gif|webp|svg)$/);
  assert.equal(await page.locator('meta[name="twitter:image"]').getAttribute("content"), og);
  assert.match(await page.locator('meta[property="og:image:width"]').getAttribute("content"), /^\d+$/);
  for (const sel of [".outcomes li", ".audience li", ".syllabus li", ".instructor-box", ".testimonials .quote-card", ".faq details summary", ".guarantee", ".cohort time", ".alternatives li"]) {
    assert.ok(await page.locator(sel).count(), `${sel} on ${PAGES.course}`);
  }
  // The FAQ opens without JavaScript (<details>).
  const first = page.locator(".faq details").first();
  await first.locator("summary").click();
  assert.equal(await first.getAttribute("open"), "");
  // Payment plans: each its own https link, worded "or N × price".
  const plans = page.locator(".offer-side .plans a");
  assert.ok(await plans.count());
  assert.match(await plans.first().getAttribute("href"), /^https:\/\//);
  assert.match(await plans.first().textContent(), /\d+\s*×|\d/);
  // A second call to buy after the syllabus, to the same checkout.
  const side = await page.locator(".offer-side a.button.buy").getAttribute("href");
  const again = page.locator("section.sales-cta a.button.buy");
  assert.equal(await again.getAttribute("href"), side);
  const order = await page.evaluate(() => {
    const s = document.querySelector(".syllabus");
    const c = document.querySelector("section.sales-cta");
    return s.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, "the second call to buy comes after the syllabus");
  // Alternatives name their prices.
  assert.match(await page.locator(".alternatives li").first().textContent(), /\d/);
  // JSON-LD: Course with image, cohort instance and offers; FAQPage.
  const ld = await jsonLd(page);
  const course = ld.find((x) => x["@type"] === "Course");
  assert.ok(course.image?.url, "Course.image");
  assert.match(course.hasCourseInstance.startDate, /^\d{4}-\d\d-\d\d/);
  assert.ok(Array.isArray(course.offers) && course.offers.length >= 2, "price and plan offers");
  assert.ok(ld.find((x) => x["@type"] === "FAQPage")?.mainEntity.length);
  await context.close();
});

test("a waitlist course shows a labelled https form and no buy button", async () => {
  const page = await browser.newPage();
  await page.goto(url(PAGES.waitlist));
  const form = page.locator(".offer-side form.waitlist");
  assert.match(await form.getAttribute("action"), /^https:\/\//);
  assert.equal(await form.getAttribute("method"), "post");
  const input = form.locator('input[type="email"]');
  const id = await input.getAttribute("id");
  assert.ok(await page.locator(`label[for="${id}"]`).count(), "the email field has a label");
  assert.equal(await page.locator(".offer-side a.button.buy").count(), 0);
  await page.close();
});

test("the sale shows its end in the site's zone without JavaScript, and counts down with it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(PAGES.course));
  const until = page.locator(".offer-side .sale-until");
  const text = await until.textContent();
  assert.match(text, /\d{1,2}:\d\d/, "the end time is written");
  assert.match(text, /[A-Z]{2,}|UTC|\//, "the zone is named");
  assert.equal(await until.locator(".countdown").isVisible(), false);
  await context.close();
  const live = await browser.newPage();
  // A fixed clock before the sale ends, so the countdown has time left.
  const iso = await live.goto(url(PAGES.course)).then(() =>
    live.locator(".offer-side [data-kpsite-countdown]").getAttribute("data-kpsite-countdown"));
  await live.clock.setFixedTime(new Date(Date.parse(iso) - 2 * 86400e3 - 3723e3));
  await live.reload();
  const countdown = live.locator(".offer-side .countdown");
  await countdown.waitFor({ state: "visible" });
  assert.match(await countdown.textContent(), /2\D+01:02:03/);
  await live.close();
});

test("the membership page: price on one line, plans side by side, what it includes", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url(PAGES.membership));
  const amount = page.locator(".offer-side .price .amount");
  assert.match(await amount.textContent(), /\d.*\/\S+/);
  const box = await amount.boundingBox();
  const lineHeight = await amount.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight));
  assert.ok(box.height < lineHeight * 1.5, `"price/period" stays on one line (${box.height}px)`);
  const plans = page.locator(".plan-grid .plan-card");
  assert.equal(await plans.count(), 2);
  const [a, b] = [await plans.nth(0).boundingBox(), await plans.nth(1).boundingBox()];
  assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x, "side by side at 1280 px");
  assert.ok(await page.locator(".plan-grid .saving").count(), "the yearly plan says what it saves");
  assert.ok(await page.locator("#included-h").count(), "included courses");
  assert.match(await page.locator(".offer-main .card .price").first().textContent(), /\d/);
  await page.close();
});

test("the bundle page says what the courses cost separately and what it saves", async () => {
  const page = await browser.newPage();
  await page.goto(url(PAGES.bundle));
  assert.match(await page.locator(".offer-side .separately").textContent(), /\d/);
  assert.match(await page.locator(".offer-side .saving").textContent(), /\d/);
  assert.ok((await page.locator(".offer-main .card").count()) >= 2);
  await page.close();
});

test("the landing page: promise, one call to action, covers, proof, instructor, footer pages", async () => {
  const page = await browser.newPage();
  await page.goto(url(""));
  assert.ok((await page.locator(".hero h1").textContent()).trim());
  assert.equal(await page.locator(".hero a.button").count(), 1, "one call to action");
  assert.ok(await page.locator("#courses .card-cover img").count(), "cards with covers");
  assert.ok(await page.locator("#courses .card .price").count(), "cards with prices");
  assert.ok(await page.locator("section.testimonials .quote-card").count(), "social proof");
  assert.ok(await page.locator("section.instructor").count(), "the instructor");
  const footer = page.locator(".footer-nav a");
  assert.ok(await footer.count(), "footer pages");
  // The nav's "Courses" goes to the course index.
  const nav = page.locator(".site-header nav a").first();
  await nav.click();
  await page.waitForURL((u) => u.pathname === basePath + "courses/");
  assert.ok(await page.locator(".courses-index .card").count());
  await page.close();
});

for (const width of [390, 1280]) {
  test(`sales pages fit ${width} px with no horizontal overflow (screenshots)`, async () => {
    const wide = [];
    for (const scheme of ["light", "dark"]) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      for (const [name, rel] of Object.entries(PAGES)) {
        await page.goto(url(rel));
        const over = await page.evaluate(() => {
          const doc = document.documentElement;
          if (doc.scrollWidth <= doc.clientWidth) return null;
          return [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
            .slice(0, 3)
            .map((e) => e.tagName + "." + e.className);
        });
        if (over) wide.push(`${name} (${scheme}): ${over.join(", ")}`);
        if (["landing", "course", "membership", "bundle"].includes(name)) {
          // Lazy images below the fold would be blank in a full-page shot.
          await page.evaluate(() =>
            Promise.all([...document.images].map((i) => {
              i.loading = "eager";
              return i.complete ? null : new Promise((ok) => { i.onload = i.onerror = ok; });
            })));
          await page.screenshot({ path: join(SHOTS, `sales-${name}-${width}-${scheme}.png`), fullPage: true });
        }
      }
      await page.close();
    }
    assert.deepEqual(wide, []);
  });
}

for (const scheme of ["light", "dark"]) {
  test(`axe finds no violations on the sales pages (${scheme})`, async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const page = await browser.newPage({ colorScheme: scheme });
    const found = [];
    for (const [name, rel] of Object.entries(PAGES)) {
      await page.goto(url(rel));
      // Open every FAQ answer, so their contents are checked too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, { resultTypes: ["violations"] })).violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`,
        ),
      );
      for (const v of result) found.push(`${name}: ${v}`);
    }
    await page.close();
    assert.deepEqual(found, []);
  });
}

test("the sales pages pass the Nu HTML Checker", () => {
  const jar = require.resolve("vnu-jar");
  const vnu = join(dirname(jar), "build/dist/vnu.jar");
  const files = Object.values(PAGES).map((rel) => join(SITE, rel, "index.html"));
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${relative(SITE, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`),
    [],
  );
});
