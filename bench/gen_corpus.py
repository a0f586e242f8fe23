#!/usr/bin/env python3
"""Generates a course corpus twice: as a kpsite site and as the equivalent
Hugo site, from the same Markdown bodies.

    python3 bench/gen_corpus.py --lessons 1000 --out /tmp/corpus-1000

writes /tmp/corpus-1000/kpsite/ and /tmp/corpus-1000/hugo/. The corpus is
deterministic (seeded): the same arguments give byte-identical files.

Every lesson is free, so every body is rendered by both tools. Lessons come
in courses of --per-course lessons (100 by default), so a bigger corpus has
more courses of the same size, as a real catalogue grows. Each lesson has
Chinese and English prose, two fenced code blocks (Rust and Python), a
table, a list, links (external, in-page and relative to the next lesson),
inline code and emphasis: about 4 KB of Markdown.
"""

import argparse
import os
import random
import shutil

ZH_WORDS = (
    "所有权 借用 生命周期 编译器 类型 系统 内存 安全 并发 线程 异步 运行时 "
    "模块 函数 结构体 枚举 特征 泛型 闭包 迭代器 错误 处理 测试 性能 优化 "
    "数据库 网络 服务 请求 响应 中间件 路由 日志 配置 部署 容器 缓存 队列 "
    "我们 可以 通过 这个 例子 理解 为什么 需要 注意 实际 项目 代码 简单 "
    "重要 的 是 在 和 了 不 会 要 让 就 也 都 把 从 用 对 给"
).split()
EN_WORDS = (
    "ownership borrow lifetime compiler type system memory safety thread "
    "async runtime module function struct enum trait generic closure "
    "iterator error handling test performance database network service "
    "request response middleware router logging config deploy cache queue "
    "the a we can see this example why it is in of to and with for that "
    "when you your code project simple important value reference mutable"
).split()

RUST_LINES = [
    "use std::collections::HashMap;",
    "fn {f}(input: &str) -> Result<usize, String> {{",
    "    let mut counts: HashMap<&str, usize> = HashMap::new();",
    "    for word in input.split_whitespace() {{",
    "        *counts.entry(word).or_insert(0) += 1;",
    "    }}",
    "    // {c}",
    "    let total = counts.values().sum::<usize>();",
    "    if total == 0 {{ return Err(\"empty\".to_string()); }}",
    "    Ok(total * {n})",
    "}}",
    "#[derive(Debug, Clone, PartialEq)]",
    "struct {S} {{ id: u64, name: String, tags: Vec<String> }}",
    "impl {S} {{ fn new(id: u64) -> Self {{ Self {{ id, name: String::new(), tags: vec![] }} }} }}",
]
PY_LINES = [
    "import json",
    "from dataclasses import dataclass",
    "@dataclass",
    "class {S}:",
    "    id: int",
    "    name: str = \"{w}\"",
    "def {f}(items: list[dict]) -> dict:",
    "    \"\"\"{c}\"\"\"",
    "    result = {{}}",
    "    for i, item in enumerate(items):",
    "        result[item[\"id\"]] = item.get(\"name\", \"\") * {n}",
    "    return json.loads(json.dumps(result))",
    "print({f}([{{\"id\": 1, \"name\": \"x\"}}]))",
]


def zh_sentence(rng):
    return "".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(12, 24))) + "。"


def en_sentence(rng):
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(8, 16))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng):
    parts = []
    for _ in range(rng.randint(3, 5)):
        if rng.random() < 0.5:
            parts.append(zh_sentence(rng))
        else:
            s = en_sentence(rng)
            if rng.random() < 0.3:
                s = s.replace(" the ", " **the** ", 1)
            if rng.random() < 0.3:
                s = s.replace(" value ", " `value` ", 1)
            parts.append(s)
    return " ".join(parts)


def code(rng, lines, lang):
    fill = {
        "f": "fn_" + rng.choice(EN_WORDS),
        "S": rng.choice(EN_WORDS).capitalize() + "Item",
        "c": en_sentence(rng),
        "n": rng.randint(1, 99),
        "w": rng.choice(EN_WORDS),
    }
    start = rng.randint(0, 2)
    body = "\n".join(l.format(**fill) for l in lines[start:])
    return f"```{lang}\n{body}\n```"


def table(rng):
    rows = ["| 名称 Name | 类型 Type | 说明 Notes |", "|---|---|---|"]
    for _ in range(5):
        rows.append(
            f"| `{rng.choice(EN_WORDS)}` | {rng.choice(ZH_WORDS)} | {en_sentence(rng)} |"
        )
    return "\n".join(rows)


def lesson_body(rng, next_file):
    out = [paragraph(rng), paragraph(rng)]
    out.append("## 基础 Basics")
    out.append(paragraph(rng))
    out.append(code(rng, RUST_LINES, "rust"))
    out.append(paragraph(rng))
    out.append("## 表格 Reference table")
    out.append(table(rng))
    out.append(paragraph(rng))
    out.append("## 实践 In practice")
    out.append(code(rng, PY_LINES, "python"))
    out.append(
        "\n".join(
            f"- {en_sentence(rng)} {zh_sentence(rng)}" for _ in range(4)
        )
    )
    links = (
        "See [the Rust book](https://doc.rust-lang.org/book/) and "
        "[the basics above](#基础-basics)"
    )
    if next_file:
        links += f", then go on to [the next lesson]({next_file})"
    out.append(links + ".")
    out.append(paragraph(rng))
    return "\n\n".join(out) + "\n"


def diagram(n, distinct):
    """A mermaid flowchart for lesson number `n`: the same map in every
    lesson, or (distinct) one whose labels name the lesson, so no two
    diagrams of the corpus share a source."""
    tag = f" {n}" if distinct else ""
    return (
        "```mermaid\n"
        "flowchart LR\n"
        f"  A[Request{tag}] --> B{{Router}}\n"
        f"  B -->|/books| C[Handler{tag}]\n"
        "  B -->|/users| D[Handler]\n"
        "  C --> E[(Database)]\n"
        "  D --> E\n"
        "```\n"
    )


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


KPSITE_YAML = """title: Benchmark Academy
description: A generated corpus for timing kpsite against Hugo
base_url: https://bench.example.com/
language: en
currency: USD
timezone: UTC
"""

HUGO_TOML = """baseURL = "https://bench.example.com/"
title = "Benchmark Academy"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.highlight]
  noClasses = false
  codeFences = true
  guessSyntax = false
[markup.goldmark.renderer]
  unsafe = false
[markup.goldmark.extensions]
  strikethrough = true
  table = true
  taskList = true
  footnote = true
"""

# Minimal layouts doing what kpsite's pages do: a landing page listing
# courses, a course page listing its lessons, a lesson page with its body
# and previous/next links.
HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ with .Summary }}{{ . | plainify }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/highlight.css"></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>© {{ now.Year }} {{ site.Title }}</footer></body></html>
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range (where site.Sections "Section" "courses") }}{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ len .Pages }} lessons</li>{{ end }}{{ end }}
</ul>{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ol>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .ReadingTime }} min<p>{{ .Params.summary }}</p></li>
{{ end }}</ol>{{ end }}
""",
    "page.html": """{{ define "main" }}<nav><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<article><h1>{{ .Title }}</h1><p>{{ .ReadingTime }} min</p><div class="prose">{{ .Content }}</div></article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Not found</h1>{{ end }}
""",
}


def generate(lessons, out, per_course, seed, mermaid_every=0, distinct=False):
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    k = os.path.join(out, "kpsite")
    h = os.path.join(out, "hugo")
    write(os.path.join(k, "kpsite.yaml"), KPSITE_YAML)
    write(os.path.join(h, "hugo.toml"), HUGO_TOML)
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(h, "layouts", name), text)
    courses = (lessons + per_course - 1) // per_course
    manifest = ["courses:"]
    made = 0
    for c in range(courses):
        cid = f"course-{c + 1:04d}"
        title = f"Course {c + 1}: {rng.choice(EN_WORDS)} 与 {rng.choice(ZH_WORDS)}"
        description = en_sentence(rng) + " " + zh_sentence(rng)
        manifest += [
            f"  - id: {cid}",
            f"    title: \"{title}\"",
            f"    description: \"{description}\"",
            f"    price: {rng.randint(19, 299)}",
            "    payment: { provider: stripe, url: https://buy.stripe.com/test_bench }",
        ]
        write(
            os.path.join(h, "content", "courses", cid, "_index.md"),
            f"---\ntitle: \"{title}\"\n---\n\n{description}\n",
        )
        n = min(per_course, lessons - made)
        names = [f"{i + 1:03d}-{rng.choice(EN_WORDS)}-{i + 1}" for i in range(n)]
        for i, name in enumerate(names):
            nxt = names[i + 1] + ".md" if i + 1 < n else None
            body = lesson_body(rng, nxt)
            if mermaid_every and (made + i) % mermaid_every == mermaid_every - 1:
                body += "\n" + diagram(made + i + 1, distinct)
            ltitle = f"{zh_sentence(rng)[:8]} {en_sentence(rng)[:30]}".strip()
            summary = en_sentence(rng)
            write(
                os.path.join(k, "lessons", cid, name + ".md"),
                f"---\ntitle: \"{ltitle}\"\nsummary: \"{summary}\"\nfree: true\n---\n\n{body}",
            )
            slug = name.split("-", 1)[1]
            write(
                os.path.join(h, "content", "courses", cid, name + ".md"),
                f"---\ntitle: \"{ltitle}\"\nsummary: \"{summary}\"\n"
                f"weight: {i + 1}\nslug: \"{slug}\"\n---\n\n{body}",
            )
        made += n
    write(os.path.join(k, "manifest.yaml"), "\n".join(manifest) + "\n")
    # Hugo gets the same highlight stylesheet as kpsite's theme ships.
    os.makedirs(os.path.join(h, "static"), exist_ok=True)
    css = os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "..", "themes", "default", "static", "highlight.css",
    )
    if os.path.exists(css):
        shutil.copy(css, os.path.join(h, "static", "highlight.css"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lessons", type=int, default=1000)
    p.add_argument("--per-course", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True)
    p.add_argument("--mermaid-every", type=int, default=0, metavar="N",
                   help="append a mermaid flowchart to every Nth lesson")
    p.add_argument("--mermaid-distinct", action="store_true",
                   help="make every diagram's source different (labels name the lesson)")
    a = p.parse_args()
    generate(a.lessons, a.out, a.per_course, a.seed, a.mermaid_every, a.mermaid_distinct)


if __name__ == "__main__":
    main()
