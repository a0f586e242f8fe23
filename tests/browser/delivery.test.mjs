// Real-browser checks of `delivery: encrypted` (SPEC §6) on an encrypted
// build of the example site, made by .ci/run:
//
//   ENC_SITE=public ENC_LINKS=links.tsv ENC_OLD_LINKS=links-before.tsv \
//   ENC_ROTATED=offer-id node --test delivery.test.mjs
//
// ENC_LINKS is the output of `kpsite keys` for the build; ENC_OLD_LINKS the
// same before `kpsite keys rotate ENC_ROTATED`. Skipped without ENC_SITE.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, existsSync, readdirSync, statSync, mkdtempSync, writeFileSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const SITE = process.env.ENC_SITE;
const skip = !SITE && "ENC_SITE not set (run by .ci/run on an encrypted build)";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const readLinks = (f) =>
  Object.fromEntries(readFileSync(f, "utf8").trim().split("\n").map((l) => l.split("\t")));
const links = SITE ? readLinks(process.env.ENC_LINKS) : {};
const oldLinks = SITE && process.env.ENC_OLD_LINKS ? readLinks(process.env.ENC_OLD_LINKS) : {};
const rotated = process.env.ENC_ROTATED;

// What the build holds: paid lessons by course, members-only event pages.
const read = (rel) => readFileSync(join(SITE, rel), "utf8");
const kindOf = (id) =>
  ["courses", "memberships", "bundles"].find((d) => existsSync(join(SITE, d, id, "index.html")));
function paidLessons() {
  const out = {};
  for (const course of readdirSync(join(SITE, "courses"))) {
    const dir = join(SITE, "courses", course);
    if (!statSync(dir).isDirectory()) continue;
    for (const slug of readdirSync(dir)) {
      const f = join(dir, slug, "index.html");
      if (existsSync(f) && read(`courses/${course}/${slug}/index.html`).includes(`data-kpsite-sealed="course:${course}"`)) {
        (out[course] ||= []).push(`courses/${course}/${slug}/`);
      }
    }
  }
  return out;
}
function membersEvents() {
  if (!existsSync(join(SITE, "events"))) return [];
  return readdirSync(join(SITE, "events"))
    .filter((e) => existsSync(join(SITE, "events", e, "index.html")))
    .filter((e) => read(`events/${e}/index.html`).includes('data-kpsite-sealed="members"'))
    .map((e) => `events/${e}/`);
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json" };
let server, origin, browser, basePath;

before(async () => {
  if (skip) return;
  basePath = new URL(Object.values(links)[0]).pathname.replace(/unlock\/$/, "");
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = join(SITE, path.slice(basePath.length));
    if (!path.startsWith(basePath) || !file.startsWith(SITE)) return res.writeHead(404).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404, { "content-type": TYPES[".html"] }).end(read("404.html"));
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu"] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const url = (rel) => origin + basePath + rel;
const local = (link) => url("unlock/") + "#" + link.split("#")[1];

async function unlock(context, link) {
  const page = await context.newPage();
  await page.goto(local(link));
  const status = page.locator("[data-kpsite-status]");
  await page.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
  const kind = await status.getAttribute("data-kpsite-status");
  const text = (await status.textContent()).trim();
  assert.ok(!page.url().includes("#"), "the key leaves the address bar");
  return { page, kind, text };
}

async function lessonState(context, rel) {
  const page = await context.newPage();
  await page.goto(url(rel));
  await page.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
  const unlocked = await page.locator("[data-kpsite-unlocked]").count();
  const locked = await page.locator(".locked-box").count();
  const text = unlocked ? (await page.locator("[data-kpsite-unlocked]").first().textContent()).trim() : "";
  const ms = Number(await page.evaluate(() => document.documentElement.dataset.kpsiteRevealMs));
  await page.close();
  return { unlocked: unlocked > 0, locked: locked > 0, text, ms };
}

const paid = SITE ? paidLessons() : {};
const courseIds = Object.keys(paid);
const offersOf = (kind) => Object.keys(links).filter((id) => kindOf(id) === kind);

test("a course link opens that course's paid lessons and no other course's", { skip }, async () => {
  const [mine, other] = courseIds;
  const context = await browser.newContext();
  const { page, kind, text } = await unlock(context, links[mine]);
  assert.equal(kind, "ok", text);
  const title = (await page.locator("#kpsite-unlock-owned li a").allTextContents()).join(" | ");
  assert.ok(title.length > 0, "the unlock page lists what it opened");
  for (const rel of paid[mine]) {
    const s = await lessonState(context, rel);
    assert.ok(s.unlocked && !s.locked && s.text.length > 20, `${rel} shows its body`);
    console.log(`# decrypt and show ${rel}: ${s.ms} ms`);
  }
  if (other) {
    const s = await lessonState(context, paid[other][0]);
    assert.ok(!s.unlocked && s.locked, "another course's lesson stays a teaser");
  }
  // The course's buy box says it is owned.
  await page.goto(url(`courses/${mine}/`));
  await page.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
  assert.ok(await page.locator(`[data-kpsite-owned="${mine}"]`).count(), "owned buy box");
  await context.close();
});

test("a paid lesson's own images and downloads are decrypted and shown in place", { skip }, async () => {
  // Every course's link, then every paid lesson: whichever has assets.
  const context = await browser.newContext();
  for (const course of courseIds.filter((c) => links[c])) {
    const { kind, page } = await unlock(context, links[course]);
    assert.equal(kind, "ok");
    await page.close();
  }
  let images = 0;
  let downloads = 0;
  for (const rel of Object.values(paid).flat()) {
    const page = await context.newPage();
    const fetched = [];
    page.on("request", (r) => fetched.push(r.url()));
    await page.goto(url(rel));
    await page.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
    const shown = page.locator("[data-kpsite-unlocked]");
    assert.equal(await page.locator("[data-kpsite-asset-error]").count(), 0, `${rel}: an asset failed`);
    for (const img of await shown.locator("img[src^='blob:']").all()) {
      await img.scrollIntoViewIfNeeded();
      const w = await img.evaluate(async (i) => { await i.decode(); return i.naturalWidth; });
      assert.ok(w > 0, `${rel}: a decrypted image shows`);
      images++;
    }
    for (const a of await shown.locator("a[download][href^='blob:']").all()) {
      const text = await a.evaluate(async (el) => (await fetch(el.href)).text());
      assert.ok(text.length > 0 && (await a.getAttribute("download")).length > 0, `${rel}: a download with its name`);
      downloads++;
    }
    if (await shown.locator("[src^='blob:'],[href^='blob:']").count()) {
      const [text, files] = await page.evaluate(() => [document.documentElement.dataset.kpsiteRevealMs, document.documentElement.dataset.kpsiteAssetsMs]);
      console.log(`# decrypt and show ${rel}: text ${text} ms, its sealed files ${files} ms`);
    }
    // The ciphertext is fetched once as data, never as an image.
    assert.ok(!(await page.locator("img[src*='/unlock/files/']").count()), "no sealed URL left in place");
    await page.close();
  }
  assert.ok(images > 0 && downloads > 0, `images ${images}, downloads ${downloads}`);
  await context.close();
});

test("the search box finds words of owned courses, and only with their key", { skip }, async () => {
  // A word only a paid lesson of the example site holds (ENC_OWNED_QUERY
  // for another site) and the course it belongs to.
  const query = process.env.ENC_OWNED_QUERY || "warmup";
  const course = process.env.ENC_OWNED_COURSE || "rust-web";
  const search = async (context) => {
    const page = await context.newPage();
    await page.goto(url("search/?q=" + encodeURIComponent(query)));
    await page.waitForFunction(() => {
      const s = document.getElementById("search-status").textContent;
      return s && !s.includes("…") && !s.includes("...");
    });
    const owned = await page.locator("#search-results li[data-owned]").count();
    const hrefs = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    await page.close();
    return { owned, hrefs };
  };
  const anonymous = await browser.newContext();
  const none = await search(anonymous);
  assert.equal(none.owned, 0);
  assert.ok(!none.hrefs.some((h) => h.includes(`/courses/${course}/`)), `the public index lacks "${query}": ${none.hrefs}`);
  await anonymous.close();

  const context = await browser.newContext();
  const other = courseIds.find((c) => c !== course && links[c]);
  if (other) {
    await (await unlock(context, links[other])).page.close();
    assert.equal((await search(context)).owned, 0, "another course's key finds nothing");
  }
  await (await unlock(context, links[course])).page.close();
  const mine = await search(context);
  assert.ok(mine.owned > 0, `"${query}" found in the owned course`);
  assert.ok(mine.hrefs.some((h) => h.includes(`/courses/${course}/`)), `${mine.hrefs}`);
  await context.close();
});

test("a bundle link opens every course it bundles", { skip }, async () => {
  const bundle = offersOf("bundles")[0];
  const context = await browser.newContext();
  const { page, kind } = await unlock(context, links[bundle]);
  assert.equal(kind, "ok");
  const granted = (await page.locator("#kpsite-unlock-owned li a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))))
    .map((h) => h.slice(basePath.length).split("/")[1]);
  assert.ok(granted.length >= 2, `bundle grants ${granted}`);
  for (const c of granted.filter((c) => paid[c])) {
    const s = await lessonState(context, paid[c][0]);
    assert.ok(s.unlocked, `${c} opened by the bundle`);
  }
  await context.close();
});

test("a membership link opens its includes and the members-only event details", { skip }, async () => {
  const events = membersEvents();
  const context = await browser.newContext();
  const membership = offersOf("memberships").find((id) => id !== rotated) || offersOf("memberships")[0];
  const link = membership === rotated ? links[membership] : links[membership];
  const { page, kind } = await unlock(context, link);
  assert.equal(kind, "ok");
  const granted = (await page.locator("#kpsite-unlock-owned li a[href*='/courses/']").evaluateAll((as) => as.map((a) => a.getAttribute("href"))))
    .map((h) => h.slice(basePath.length).split("/")[1]);
  for (const c of granted.filter((c) => paid[c])) {
    assert.ok((await lessonState(context, paid[c][0])).unlocked, `${c} opened by the membership`);
  }
  for (const rel of events) {
    const p = await context.newPage();
    await p.goto(url(rel));
    await p.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
    assert.ok(await p.locator(".members-details a[href^='http']").count(), `${rel} shows the members' link`);
    await p.close();
  }
  await context.close();
});

test("a corrupted, foreign or rotated link says so clearly and opens nothing", { skip }, async () => {
  const good = links[courseIds[0]];
  const corrupted = good.slice(0, -4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
  const foreign = good.split("#")[0] + "#" + "x".repeat(43);
  const cut = good.slice(0, -10);
  const cases = { corrupted, foreign, cut };
  if (rotated && oldLinks[rotated]) {
    assert.notEqual(oldLinks[rotated], links[rotated], "rotation changed the link");
    cases.rotated = oldLinks[rotated];
  }
  for (const [name, link] of Object.entries(cases)) {
    const context = await browser.newContext();
    const { kind, text } = await unlock(context, link);
    assert.equal(kind, "error", `${name}: ${text}`);
    assert.ok(text.length > 20, `${name}: a message, not a blank page`);
    for (const rel of Object.values(paid).flat().slice(0, 3)) {
      assert.ok(!(await lessonState(context, rel)).unlocked, `${name} opened ${rel}`);
    }
    await context.close();
  }
});

test("without JavaScript the teaser stays readable", { skip }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(paid[courseIds[0]][0]));
  assert.ok(await page.locator("h1").isVisible());
  assert.ok(await page.locator(".locked-box").isVisible());
  await page.goto(url("unlock/"));
  assert.ok(await page.locator("noscript").count());
  await context.close();
});

test("unlocked pages and the unlock page pass axe and the Nu HTML Checker", { skip }, async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const context = await browser.newContext();
  const all = offersOf("bundles")[0] || courseIds[0];
  const { page } = await unlock(context, links[all]);
  const found = [];
  const dom = mkdtempSync(join(tmpdir(), "kpsite-unlocked-"));
  const check = async (name) => {
    writeFileSync(join(dom, name.replace(/\W+/g, "-") + ".html"), await page.content());
    await page.addScriptTag({ content: axe });
    const v = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id + ": " + v.nodes[0].target.join(" ")));
    found.push(...v.map((x) => `${name}: ${x}`));
  };
  await check("unlock page");
  for (const rel of [paid[courseIds[0]][0], ...membersEvents().slice(0, 1)]) {
    await page.goto(url(rel));
    await page.waitForFunction(() => document.documentElement.dataset.kpsiteUnlockReady === "1");
    await check(rel);
  }
  await context.close();
  const vnu = join(dirname(require.resolve("vnu-jar")), "build/dist/vnu.jar");
  const files = readdirSync(dom).map((f) => join(dom, f));
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  found.push(...messages.filter((m) => m.type === "error").map((m) => `vnu ${m.url}:${m.lastLine}: ${m.message}`));
  assert.deepEqual(found, []);
});
