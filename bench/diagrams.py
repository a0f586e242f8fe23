#!/usr/bin/env python3
"""Times the 10 000-lesson build with a mermaid diagram in every tenth
lesson against the same corpus without diagrams (issue #15's bench).

    python3 bench/diagrams.py                 # 10 000 lessons, 3 runs each
    python3 bench/diagrams.py --lessons 2000 --runs 5

Cases, each a corpus from bench/gen_corpus.py (seeded):

- plain:          no diagrams
- same:           1 000 diagrams, one source repeated
- distinct cold:  1 000 diagrams, every one different, no diagram cache
                  (.kpsite/cache/ removed before each run: a first build)
- distinct warm:  the same corpus built again with the cache the previous
                  build left (the build after an edit)

Runs are taken in turn (plain, same, cold, warm, plain, …) so load from
other processes hits all alike; the page cache is dropped before each
run when this runs as root (else it is warm for all). Prints a Markdown
table of wall-time medians (min–max) and each case against plain.

kpsite: --kpsite PATH, else target/release/kpsite (CARGO_TARGET_DIR is
honoured).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NOW = "2026-01-01T00:00:00Z"


def corpus(work, name, lessons, extra):
    out = os.path.join(work, name)
    if not os.path.isdir(out):
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--lessons", str(lessons),
             "--out", out, *extra],
            check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "kpsite")


def drop_caches():
    subprocess.run(["sync"], check=True)
    if os.geteuid() == 0:
        try:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
        except OSError:
            pass


def build(kpsite, site, cold):
    public = os.path.join(site, "public")
    shutil.rmtree(public, ignore_errors=True)
    if cold:
        shutil.rmtree(os.path.join(site, ".kpsite", "cache"), ignore_errors=True)
    drop_caches()
    start = time.monotonic()
    subprocess.run([kpsite, "build", site, "--now", NOW], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lessons", type=int, default=10000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", default=os.path.join(ROOT, "target", "bench-diagrams"))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    p.add_argument("--kpsite", default=os.path.join(target, "release", "kpsite"))
    a = p.parse_args()
    every = ["--mermaid-every", "10"]
    sites = {
        "plain": corpus(a.work, "plain", a.lessons, []),
        "same": corpus(a.work, "same", a.lessons, every),
        "distinct": corpus(a.work, "distinct", a.lessons, every + ["--mermaid-distinct"]),
    }
    cases = [("no diagrams", "plain", False), ("1 000 diagrams, one source", "same", True),
             ("1 000 different diagrams, first build (no cache)", "distinct", True),
             ("1 000 different diagrams, next build (cache)", "distinct", False)]
    for _, site, _ in cases:  # warm-up: fills the file cache and the diagram cache
        build(a.kpsite, sites[site], cold=False)
    times = {name: [] for name, _, _ in cases}
    for _ in range(a.runs):
        for name, site, cold in cases:
            times[name].append(build(a.kpsite, sites[site], cold))
    base = statistics.median(times[cases[0][0]])
    print(f"| case ({a.lessons} lessons) | wall, median (min–max) of {a.runs} | vs no diagrams |")
    print("|---|---|---|")
    for name, _, _ in cases:
        t = times[name]
        m = statistics.median(t)
        print(f"| {name} | {m:.1f} s ({min(t):.1f}–{max(t):.1f}) | {100 * (m / base - 1):+.0f} % |")


if __name__ == "__main__":
    main()
