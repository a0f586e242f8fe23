#!/usr/bin/env python3
"""What share of a big build the search index costs.

    python3 bench/search_share.py [--lessons 10000] [--free 1.0] [--bin target/release/kpsite]

Writes a deterministic zh-CN/English site of --lessons lessons (100 per
course; --free is the share of free lessons, whose bodies are public and
indexed: 1.0 is the worst case), builds it with KPSITE_TIMINGS=1 and prints
the wall time of the whole build, the time the search index took, and the
index's share. Run it on a release build.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import tempfile
import time

ZH = ("所有权 借用 生命周期 编译器 类型 系统 内存 安全 并发 线程 异步 运行时 模块 函数 "
      "结构体 枚举 特征 泛型 闭包 迭代器 错误 处理 测试 性能 优化 数据库 网络 服务 请求 "
      "响应 中间件 路由 日志 配置 部署 容器 缓存 我们 可以 通过 这个 例子 理解 为什么 "
      "需要 注意 实际 项目 代码 简单 重要 的 是 在 和 了 不 会 要").split()
EN = ("ownership borrow lifetime compiler type system memory safety thread async runtime "
      "module function struct enum trait generic closure iterator error handling test "
      "performance database network service request response middleware router logging "
      "the a we can see this example why it is in of to and with for that").split()


def para(rng, n):
    out = []
    for _ in range(n):
        if rng.random() < 0.6:
            out.append("".join(rng.choice(ZH) for _ in range(rng.randint(8, 20))) + "。")
        else:
            out.append(" ".join(rng.choice(EN) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    return " ".join(out)


def lesson(rng, i, free):
    body = [f"## 第 {i} 节 section {i}", para(rng, 6), "```rust",
            f"fn lesson_{i}() -> usize {{ {i} }}", "```", para(rng, 6),
            "## 小结 summary", para(rng, 4)]
    return (f"---\ntitle: 第 {i} 课 lesson {i} {rng.choice(ZH)}{rng.choice(ZH)}\n"
            f"summary: {para(rng, 1)}\nfree: {'true' if free else 'false'}\nminutes: 10\n---\n\n"
            + "\n\n".join(body) + "\n")


def generate(root, lessons, free_share):
    rng = random.Random(7)
    courses = max(1, lessons // 100)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "kpsite.yaml"), "w") as f:
        f.write("title: 搜索基准\ndescription: bench\nbase_url: https://bench.example.com/s/\n"
                "language: zh-CN\ncurrency: CNY\ntimezone: Asia/Shanghai\n")
    with open(os.path.join(root, "manifest.yaml"), "w") as f:
        f.write("courses:\n")
        for c in range(courses):
            f.write(f"  - id: course-{c}\n    title: 课程 {c}\n    price: 199\n"
                    f"    payment: {{ provider: link, url: https://pay.example.com/{c} }}\n")
    n = 0
    for c in range(courses):
        d = os.path.join(root, "lessons", f"course-{c}")
        os.makedirs(d, exist_ok=True)
        for i in range(min(100, lessons - n)):
            free = rng.random() < free_share
            with open(os.path.join(d, f"{i:03d}-l{i}.md"), "w") as f:
                f.write(lesson(rng, n, free))
            n += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lessons", type=int, default=10000)
    ap.add_argument("--free", type=float, default=1.0)
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "kpsite"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="kpsite-search-bench-")
    try:
        site = os.path.join(work, "site")
        generate(site, args.lessons, args.free)
        env = dict(os.environ, KPSITE_TIMINGS="1")
        start = time.monotonic()
        run = subprocess.run([args.bin, "build", site, "--now", "2026-11-25T00:00:00Z"],
                             env=env, capture_output=True, text=True)
        total = time.monotonic() - start
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        m = re.search(r"timing: search index \(Public\): ([0-9.]+)s", run.stderr)
        index = float(m.group(1))
        pf = os.path.join(site, "public", "search")
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(pf) for f in fs)
        files = sum(len(fs) for _, _, fs in os.walk(pf))
        print(f"lessons={args.lessons} free={args.free} build={total:.2f}s "
              f"search_index={index:.2f}s share={index / total:.1%} "
              f"index_files={files} index_bytes={size}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
