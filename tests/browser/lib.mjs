// What every browser test of a built site shares: where the site and the
// screenshots are, its base path, a static server for it (with the site's
// 404 page), Debian's Chromium, and the list of its HTML files.
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const here = dirname(fileURLToPath(import.meta.url));
export const SITE = process.env.SITE || join(here, "../../example-site/public");
export const SHOTS = process.env.SHOTS || join(here, "screenshots");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".ics": "text/calendar",
};

/** The `<loc>` URLs of a site's sitemap.xml. */
export function sitemapLocs(site = SITE) {
  const sitemap = readFileSync(join(site, "sitemap.xml"), "utf8");
  return [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
}

/** The site's base path: the longest common directory prefix of its sitemap. */
export function sitemapBasePath(site = SITE) {
  return sitemapLocs(site)
    .map((l) => new URL(l).pathname)
    .reduce((a, b) => {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return a.slice(0, a.lastIndexOf("/", i - 1) + 1);
    });
}

/**
 * Serves `site` under `basePath` on a free local port and launches
 * Chromium. Gives `{ origin, browser, close }`.
 */
export async function openSite(site, basePath) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(basePath)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    let file = join(site, path.slice(basePath.length));
    if (relative(site, file).startsWith("..")) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      const page = join(site, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] }).end(existsSync(page) ? readFileSync(page) : "");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
  });
  mkdirSync(SHOTS, { recursive: true });
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { origin, browser, close };
}

/** Every .html file below `dir`. */
export function htmlFiles(dir = SITE) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}
