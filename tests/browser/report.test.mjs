// report/report.html in a real browser (issue #17): the page `kpsite build`
// writes beside the public output (SITE/../report/report.html). No table is
// clipped at 1280 or 390 px in light or dark (a table wider than its box
// must scroll inside it, the page never scrolls sideways), the page has a
// dark scheme, and the Nu HTML Checker finds no error. Screenshots go to
// $SHOTS/report-<width>-<scheme>.png.
//
//   SITE=path/to/public node --test report.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const SITE = process.env.SITE || join(here, "../../example-site/public");
const SHOTS = process.env.SHOTS || join(here, "screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const REPORT = resolve(SITE, "..", "report", "report.html");

test("report.html: no clipped table at 1280 and 390 px, light and dark", { skip: !existsSync(REPORT) && "no report beside SITE" }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu"] });
  try {
    const backgrounds = {};
    for (const width of [1280, 390]) {
      for (const scheme of ["light", "dark"]) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
        await page.goto("file://" + REPORT);
        const r = await page.evaluate(() => {
          const tables = [...document.querySelectorAll("table")];
          const clipped = tables
            .filter((t) => {
              const box = t.parentElement;
              const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
              return t.scrollWidth > box.clientWidth + 1 && !scrolls;
            })
            .map((t) => t.querySelector("caption, th")?.textContent);
          return {
            tables: tables.length,
            clipped,
            pageWider: document.documentElement.scrollWidth > window.innerWidth + 1,
            background: getComputedStyle(document.body).backgroundColor,
          };
        });
        assert.ok(r.tables > 2, "the report has its tables");
        assert.deepEqual(r.clipped, [], `${width} ${scheme}: clipped tables`);
        assert.equal(r.pageWider, false, `${width} ${scheme}: the page scrolls sideways`);
        backgrounds[scheme] = r.background;
        await page.screenshot({ path: join(SHOTS, `report-${width}-${scheme}.png`) });
        await page.close();
      }
    }
    assert.notEqual(backgrounds.light, backgrounds.dark, "a dark scheme");
  } finally {
    await browser.close();
  }
});

test("report.html: the Nu HTML Checker finds no error", { skip: !existsSync(REPORT) && "no report beside SITE" }, () => {
  const vnu = join(dirname(require.resolve("vnu-jar")), "build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", REPORT], { encoding: "utf8" });
  const messages = JSON.parse(run.stderr || "{\"messages\":[]}").messages;
  assert.deepEqual(messages.filter((m) => m.type === "error").map((m) => `${m.lastLine}: ${m.message}`), []);
});
