#!/usr/bin/env python3
"""Generates a kpsite site with many lessons, for benchmarks.

usage: gen_site.py DIR [LESSONS] [COURSES]
"""
import os
import sys

PARA = (
    "Ownership is how Rust manages memory without a garbage collector. "
    "Every value has an owner; when the owner goes out of scope the value "
    "is dropped. 所有权是 Rust 管理内存的方式，每个值都有一个所有者。\n\n"
)


def main():
    out = sys.argv[1]
    lessons = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    courses = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "kpsite.yaml"), "w") as f:
        f.write(
            "title: Bench\ndescription: A big site\nbase_url: https://example.com/\n"
            "currency: USD\ntimezone: UTC\n"
        )
    with open(os.path.join(out, "manifest.yaml"), "w") as f:
        f.write("courses:\n")
        for c in range(courses):
            f.write(
                f"  - id: course-{c}\n    title: Course {c}\n    description: Course {c}.\n"
                f"    price: 49\n    payment: {{ provider: stripe, url: https://buy.stripe.com/c{c} }}\n"
            )
    per = lessons // courses
    for c in range(courses):
        d = os.path.join(out, "lessons", f"course-{c}")
        os.makedirs(d, exist_ok=True)
        for i in range(per):
            with open(os.path.join(d, f"{i + 1:05d}-lesson-{i + 1}.md"), "w") as f:
                f.write(
                    f"---\ntitle: Lesson {i + 1}\nsummary: Part {i + 1} of course {c}\n"
                    f"free: {'true' if i % 2 == 0 else 'false'}\n---\n\n# Lesson {i + 1}\n\n"
                    + PARA * 6
                    + "```rust\nfn main() {\n    println!(\"hello\");\n}\n```\n"
                )


if __name__ == "__main__":
    main()
