#!/usr/bin/env python3
"""Edit-to-reload latency of `kpsite serve` on a 10 000-lesson site.

Generates the site (bench/gen_site.py), starts `kpsite serve` on a free
loopback port, edits one lesson N times and measures, for each edit, the
time from the write to the moment the server returns the new content, and
to the moment an open tab is told to reload (the SSE `reload` event).
Prints the median and the worst. Not a test: numbers depend on the machine.

usage: bench/serve_reload.py [--bin target/release/kpsite] [--lessons 10000] [--edits 15]
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "kpsite"))
    ap.add_argument("--lessons", type=int, default=10000)
    ap.add_argument("--courses", type=int, default=20)
    ap.add_argument("--edits", type=int, default=15)
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no binary at {args.bin}: run `cargo build --release` or pass --bin")

    tmp = tempfile.mkdtemp(prefix="kpsite-bench-")
    site = os.path.join(tmp, "site")
    proc = None
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), site,
                        str(args.lessons), str(args.courses)], check=True)
        t0 = time.time()
        proc = subprocess.Popen([args.bin, "serve", site, "--port", "0"],
                                stderr=subprocess.PIPE, text=True)
        port = None
        log = []
        while port is None:
            line = proc.stderr.readline()
            if not line:
                sys.exit("serve exited:\n" + "".join(log))
            log.append(line)
            m = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
        print(f"initial build and start: {time.time() - t0:.2f} s ({args.lessons} lessons)")
        threading.Thread(target=lambda: [log.append(l) for l in proc.stderr], daemon=True).start()

        # An open tab: an SSE connection, timestamps of reload events.
        reloads = []
        sse = socket.create_connection(("127.0.0.1", port))
        sse.sendall(b"GET /__kpsite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

        def listen():
            buf = b""
            while True:
                chunk = sse.recv(4096)
                if not chunk:
                    return
                buf += chunk
                while b"event: reload" in buf:
                    reloads.append(time.perf_counter())
                    buf = buf.split(b"event: reload", 1)[1]

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.3)

        lesson = os.path.join(site, "lessons", "course-7", "00251-lesson-251.md")
        path = "/courses/course-7/lesson-251/"
        served, notified = [], []
        for i in range(args.edits):
            marker = f"BENCH-EDIT-{i}-{time.time_ns()}"
            with open(lesson) as f:
                text = f.read()
            text = re.sub(r"BENCH-EDIT-\S+|# Lesson 251", marker, text, count=1)
            n_reloads = len(reloads)
            start = time.perf_counter()
            with open(lesson, "w") as f:
                f.write(text)
            deadline = start + 30
            while True:
                status, body = get(port, path)
                if marker in body:
                    served.append(time.perf_counter() - start)
                    break
                if time.perf_counter() > deadline:
                    sys.exit("edit never showed up:\n" + "".join(log[-20:]))
            while len(reloads) <= n_reloads and time.perf_counter() < deadline:
                time.sleep(0.001)
            if len(reloads) > n_reloads:
                notified.append(reloads[n_reloads] - start)
            time.sleep(0.3)

        def ms(xs):
            return f"median {statistics.median(xs) * 1000:.0f} ms, worst {max(xs) * 1000:.0f} ms"

        print(f"edit -> new content served ({len(served)} edits): {ms(served)}")
        if notified:
            print(f"edit -> reload event sent   ({len(notified)} edits): {ms(notified)}")
        rebuilt = [l.strip() for l in log if l.startswith("built:")][-3:]
        print("server says:", *rebuilt, sep="\n  ")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
