// Real-browser checks of the course player (SPEC §2.3): the video facade
// loads nothing from the video host before the click, progress survives a
// reload and can be reset, the course navigation marks the current lesson,
// a lesson with a video, a wide table, a long code line and a raw iframe
// does not overflow at 390 px, no page asks another host for anything, and
// the new elements pass axe and the Nu HTML Checker. Screenshots of a
// lesson and the course page at 390/1280 px, light and dark, go to SHOTS.
//
//   SITE=path/to/public node --test --test-concurrency=1 player.test.mjs
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


const html = (rel) => readFileSync(join(SITE, rel, "index.html"), "utf8");
const pages = locs.map((l) => new URL(l).pathname.slice(basePath.length));
const lessons = pages.filter((p) => /^courses\/[^/]+\/[^/]+\/$/.test(p));
// A readable lesson with a video facade, and its course.
const videoLesson = lessons.find((p) => html(p).includes("data-kpsite-video") && !html(p).includes('class="locked-box"'));
const courseOf = (rel) => rel.replace(/[^/]+\/$/, "");
const VIDEO_HOSTS = /(youtube|youtube-nocookie|ytimg|googlevideo|vimeo|vimeocdn|bilibili|hdslb)\.(com|net|tv)/;

// Every request of `page` whose origin is not the test server's.
function watchForeign(page) {
  const foreign = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol === "data:" || u.protocol === "blob:" || u.protocol === "about:") return;
    if (u.origin !== origin) foreign.push(r.url());
  });
  return foreign;
}

test("the example site has a video lesson to check", () => {
  assert.ok(videoLesson, "no free lesson with a video in the example site");
});

test("the video facade requests nothing from the video host before the click", async () => {
  const page = await browser.newPage();
  const foreign = watchForeign(page);
  // The host is never reached in the test: requests to it are answered here.
  await page.route(VIDEO_HOSTS, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<p>player</p>" }));
  await page.goto(url(videoLesson), { waitUntil: "networkidle" });
  assert.deepEqual(foreign, [], "requests before the click");
  assert.equal(await page.locator("iframe.video-player").count(), 0);
  const play = page.locator("[data-kpsite-video] button.video-facade");
  assert.equal(await play.count(), 1, "the facade is a button once the script runs");
  assert.match(await play.textContent(), /\S/);
  await play.click();
  const frame = page.locator("[data-kpsite-video] iframe.video-player");
  await frame.waitFor();
  assert.match(await frame.getAttribute("src"), /^https:\/\/www\.youtube-nocookie\.com\/embed\//);
  assert.ok(await frame.getAttribute("title"));
  await page.waitForTimeout(0);
  assert.ok(foreign.some((u) => VIDEO_HOSTS.test(u)), `the click loads the player (${foreign})`);
  await page.close();
});

test("without JavaScript the facade is a plain link to the video", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const foreign = watchForeign(page);
  await page.goto(url(videoLesson), { waitUntil: "networkidle" });
  const link = page.locator("[data-kpsite-video] a.video-facade");
  assert.match(await link.getAttribute("href"), /^https:\/\/www\.youtube\.com\/watch\?v=/);
  assert.deepEqual(foreign, []);
  // Progress controls stay hidden: nothing shown that cannot work.
  assert.equal(await page.locator("[data-kpsite-progress]").isVisible(), false);
  await ctx.close();
});

test("no page requests another host (landing, course, lessons, offers)", async () => {
  const page = await browser.newPage();
  const foreign = watchForeign(page);
  const some = ["", courseOf(videoLesson), videoLesson, ...lessons.slice(0, 4),
    ...pages.filter((p) => /^(memberships|bundles)\/[^/]+\/$/.test(p))];
  for (const rel of some) {
    await page.goto(url(rel), { waitUntil: "networkidle" });
  }
  await page.close();
  assert.deepEqual(foreign, []);
});

test("progress: mark done, survives a reload, shows on syllabus, sidebar and cards, resets", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url(videoLesson));
  const done = page.locator("[data-kpsite-done]");
  assert.equal(await done.getAttribute("aria-pressed"), "false");
  await done.click();
  assert.equal(await done.getAttribute("aria-pressed"), "true");
  await page.reload();
  assert.equal(await page.locator("[data-kpsite-done]").getAttribute("aria-pressed"), "true", "after reload");
  const slug = videoLesson.split("/").at(-2);
  const mark = `.course-nav [data-kpsite-lesson="${slug}"] .done-mark`;
  assert.ok(await page.locator(mark).isVisible(), "sidebar shows the lesson done");
  assert.equal(await page.locator('.course-nav a[aria-current="page"]').count(), 1);

  await page.goto(url(courseOf(videoLesson)));
  const box = page.locator("[data-kpsite-course-progress]").first();
  assert.ok(await box.isVisible());
  assert.match(await box.locator("[data-kpsite-count]").textContent(), /1/);
  assert.ok(await page.locator(`.syllabus [data-kpsite-lesson="${slug}"] .done-mark`).isVisible());
  const cont = page.locator("[data-kpsite-continue]");
  assert.ok(await cont.isVisible(), "continue where you left off");
  // The lesson just read is done: continue points at the one after it.
  assert.notEqual(new URL(await cont.getAttribute("href"), origin).pathname, basePath + videoLesson);

  await page.goto(url(""));
  const id = courseOf(videoLesson).split("/").at(-2);
  assert.ok(await page.locator(`.card-progress[data-kpsite-course-progress="${id}"]`).isVisible(), "card shows progress");

  await page.goto(url(courseOf(videoLesson)));
  page.once("dialog", (d) => d.accept());
  await page.locator("[data-kpsite-reset]").click();
  assert.equal(await page.locator(`.syllabus [data-kpsite-lesson="${slug}"] .done-mark`).isVisible(), false);
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!stored.includes(`"${slug}"`), stored);
  await ctx.close();
});

test("reaching the end of a lesson marks it done (recorded as the reader moves on)", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 700 } });
  const page = await ctx.newPage();
  const slug = videoLesson.split("/").at(-2);
  const doneOnCourse = async () => {
    await page.goto(url(courseOf(videoLesson)));
    return page.locator(`.syllabus [data-kpsite-lesson="${slug}"] .done-mark`).isVisible();
  };
  // Control: opening the lesson without reaching its end marks nothing.
  await page.goto(url(videoLesson));
  assert.equal(await doneOnCourse(), false);
  await page.goto(url(videoLesson));
  assert.equal(await page.locator("[data-kpsite-done]").getAttribute("aria-pressed"), "false");
  await page.mouse.wheel(0, 100000);
  await page.locator("[data-kpsite-done]").waitFor({ state: "visible" });
  await page.waitForFunction(() => window.scrollY > 0);
  // Give the observer its frame, then leave the page.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await doneOnCourse(), true);
  await ctx.close();
});

test("on a phone the course navigation is a closed <details>; wide it is open", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await phone.goto(url(videoLesson));
  assert.equal(await phone.locator("details.course-nav").getAttribute("open"), null);
  await phone.locator("details.course-nav summary").click();
  assert.ok(await phone.locator('.course-nav a[aria-current="page"]').isVisible());
  await phone.close();
  const wide = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await wide.goto(url(videoLesson));
  assert.notEqual(await wide.locator("details.course-nav").getAttribute("open"), null);
  await wide.close();
});

for (const scheme of ["light", "dark"]) {
  for (const width of [390, 1280]) {
    test(`no overflow at ${width} px (${scheme}): lesson with video, wide table, long code, raw iframe; course page`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      const wide = [];
      for (const [name, rel] of [["lesson", videoLesson], ["course", courseOf(videoLesson)]]) {
        await page.goto(url(rel));
        if (name === "lesson") {
          for (const sel of [".prose table", ".prose pre", ".prose iframe", "[data-kpsite-video]"]) {
            assert.ok(await page.locator(sel).count(), `the lesson has ${sel}`);
          }
        }
        const overflow = await page.evaluate(() => {
          const doc = document.documentElement;
          return doc.scrollWidth > doc.clientWidth ? `${doc.scrollWidth} > ${doc.clientWidth}` : null;
        });
        if (overflow) wide.push(`${name}: ${overflow}`);
        await page.screenshot({ path: join(SHOTS, `player-${width}-${scheme}-${name}.png`), fullPage: width === 390 ? false : true });
      }
      await page.close();
      assert.deepEqual(wide, []);
    });
  }
}

test("axe finds nothing on the facade, navigation and progress (light and dark)", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const found = [];
  for (const scheme of ["light", "dark"]) {
    for (const width of [390, 1280]) {
    const page = await browser.newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
    for (const rel of [videoLesson, courseOf(videoLesson), ""]) {
      await page.goto(url(rel));
      await page.evaluate(() => {
        // Show every progress element so axe sees them.
        for (const e of document.querySelectorAll("[data-kpsite-progress], [data-kpsite-course-progress], .done-mark, [data-kpsite-continue-box]")) e.hidden = false;
      });
      await page.addScriptTag({ content: axe });
      const v = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, { resultTypes: ["violations"] })).violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`),
      );
      found.push(...v.map((x) => `${scheme} ${width} ${rel}: ${x}`));
    }
    await page.close();
    }
  }
  assert.deepEqual(found, []);
});

test("the Nu HTML Checker accepts the lesson with a video and the course page", () => {
  const jar = require.resolve("vnu-jar");
  const vnu = join(dirname(jar), "build/dist/vnu.jar");
  const files = [videoLesson, courseOf(videoLesson)].map((r) => join(SITE, r, "index.html"));
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  assert.deepEqual(messages.filter((m) => m.type === "error").map((m) => `${m.url}:${m.lastLine}: ${m.message}`), []);
});
