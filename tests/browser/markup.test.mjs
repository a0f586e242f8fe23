// Lesson markup in a real browser (issue #15): the copy button puts the
// code on the clipboard and announces it, a quiz checks an answer and
// shows the explanation, diagrams are inline SVG and no page of the site
// asks another host for anything; the Nu HTML Checker and axe (light and
// dark) on the lesson that uses all of it; screenshots at 390 and 1280 px.
//
//   SITE=path/to/public SHOTS=dir node --test markup.test.mjs
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

function htmlFiles(dir = SITE) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

// The example site's lesson that uses every kind of markup: found by its
// content, so renaming the lesson does not break the test.
const lessonFile = htmlFiles().find((f) => {
  const html = readFileSync(f, "utf8");
  return html.includes('<form class="quiz"') && html.includes('<figure class="diagram"');
});

let origin, browser, close;
const url = (rel) => origin + basePath + rel;
const lessonRel = () => relative(SITE, lessonFile).replace(/index\.html$/, "");

before(async () => {
  ({ origin, browser, close } = await openSite(SITE, basePath));
});

after(async () => {
  await close?.();
});

test("the example site has a lesson with quiz and diagrams", () => {
  assert.ok(lessonFile, "no page has both a quiz and a diagram");
});

test("no page of the site requests anything from another host", async () => {
  const context = await browser.newContext();
  const outside = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith("data:")) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  for (const f of htmlFiles()) {
    const rel = relative(SITE, f).replace(/index\.html$/, "");
    await page.goto(url(rel), { waitUntil: "load" });
    // Facades and lazy parts load on scroll; go to the end of the page.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(50);
    for (const u of outside.splice(0)) outside.push(`${rel}: ${u}`);
  }
  await context.close();
  assert.deepEqual(outside, []);
});

test("diagrams are inline SVG with ids unique on the page", async () => {
  const page = await browser.newPage();
  await page.goto(url(lessonRel()));
  const info = await page.evaluate(() => {
    const svgs = [...document.querySelectorAll("figure.diagram > svg")];
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    const boxes = svgs.map((s) => s.getBoundingClientRect());
    return {
      count: svgs.length,
      dupes: ids.filter((id, i) => ids.indexOf(id) !== i),
      drawn: boxes.every((b) => b.width > 50 && b.height > 20),
      text: svgs.map((s) => s.textContent).join(" "),
    };
  });
  await page.close();
  assert.ok(info.count >= 2, `${info.count} diagrams`);
  assert.deepEqual(info.dupes, []);
  assert.ok(info.drawn, "a diagram has no size");
  assert.match(info.text, /orders\.csv/);
});

test("the copy button puts the code on the clipboard and announces it", async () => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const page = await context.newPage();
  await page.goto(url(lessonRel()));
  const block = page.locator(".code-block", { has: page.locator(".code-title", { hasText: "report.py" }) });
  const button = block.locator("button.code-copy");
  await button.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const code = await block.locator("pre code").textContent();
  assert.equal(copied, code);
  assert.match(copied, /import tomllib/);
  const live = page.locator("[aria-live=polite]");
  await live.filter({ hasText: /\S/ }).first().waitFor();
  const said = await live.first().textContent();
  const label = await button.textContent();
  await context.close();
  assert.ok(said.trim().length > 0, "nothing announced");
  assert.equal(said.trim(), label.trim());
});

test("a quiz tells a wrong answer from the right one and shows the explanation", async () => {
  const page = await browser.newPage();
  await page.goto(url(lessonRel()));
  const quiz = page.locator("form.quiz").first();
  const answer = Number(await quiz.getAttribute("data-answer"));
  const wrong = answer === 0 ? 1 : 0;
  await quiz.locator(`input[value="${wrong}"]`).check();
  await quiz.locator("button.quiz-check").click();
  assert.equal(await quiz.evaluate((f) => f.classList.contains("wrong")), true);
  const wrongText = await quiz.locator(".quiz-result").textContent();
  await quiz.locator(`input[value="${answer}"]`).check();
  await quiz.locator("button.quiz-check").click();
  assert.equal(await quiz.evaluate((f) => f.classList.contains("right")), true);
  const rightText = await quiz.locator(".quiz-result").textContent();
  assert.notEqual(rightText, wrongText);
  assert.equal(await quiz.locator("details.quiz-answer").evaluate((d) => d.open), true);
  assert.equal(await quiz.locator("details.quiz-answer").isVisible(), true);
  await page.close();
});

test("without JavaScript: no copy button, the answer is in a details", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(lessonRel()));
  // No button of markup.js (copy, check answer); the player's hidden
  // progress controls are another script's.
  assert.equal(await page.locator(".prose button").count(), 0);
  assert.equal(await page.locator("button:visible").count(), 0);
  const details = page.locator("form.quiz details.quiz-answer");
  assert.equal(await details.count(), 1);
  await details.locator("summary").click();
  assert.match(await details.textContent(), /\S/);
  assert.equal(await page.locator("figure.diagram svg").count() >= 2, true);
  await context.close();
});

test("the lesson passes the Nu HTML Checker", () => {
  const jar = require.resolve("vnu-jar");
  const vnu = join(dirname(jar), "build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", lessonFile], {
    encoding: "utf8",
  });
  const messages = JSON.parse(run.stderr || '{"messages":[]}').messages;
  assert.deepEqual(
    messages.filter((m) => m.type === "error").map((m) => `${m.lastLine}: ${m.message}`),
    [],
  );
});

for (const scheme of ["light", "dark"]) {
  test(`axe finds no violations on the lesson, quiz answered (${scheme})`, async () => {
    const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const page = await browser.newPage({ colorScheme: scheme });
    await page.goto(url(lessonRel()));
    // Check the states a reader sees: answered quiz, open explanation.
    const quiz = page.locator("form.quiz").first();
    await quiz.locator("input[type=radio]").first().check();
    await quiz.locator("button.quiz-check").click();
    await page.addScriptTag({ content: axe });
    const violations = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      (await axe.run(document, { resultTypes: ["violations"] })).violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`,
      ),
    );
    await page.close();
    assert.deepEqual(violations, []);
  });
}

test("screenshots of the lesson at 390 and 1280 px, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
      await page.goto(url(lessonRel()));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      await page.screenshot({ path: join(SHOTS, `markup-${width}-${scheme}.png`), fullPage: true });
      await page.close();
      assert.ok(overflow <= 0, `${width}px ${scheme}: ${overflow}px horizontal overflow`);
    }
  }
});
