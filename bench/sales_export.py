#!/usr/bin/env python3
"""Writes a Stripe payments export of about SIZE_MB megabytes for timing
`kpsite report --sales` (README "Actual sales", figures measured there).

    python3 bench/sales_export.py 50 /tmp/big.csv
    time kpsite report tests/fixtures/sales/site --sales /tmp/big.csv --format json >/dev/null

Rows sell the fixture site's bundle (`All Access`), with every few rows a
refund, a failed charge, a product no offer sells, a quoted description
with a comma and a newline, so every path of the importer runs."""
import sys

HEAD = "id,Created date (UTC),Amount,Amount Refunded,Currency,Fee,Status,Description,Customer Email\n"


def main():
    size = int(float(sys.argv[1]) * 1_000_000)
    out = sys.argv[2]
    with open(out, "w", newline="") as f:
        f.write(HEAD)
        written, i = len(HEAD), 0
        while written < size:
            i += 1
            day = 1 + i % 28
            kind = i % 10
            if kind == 1:
                row = f"ch_{i},2026-11-{day:02} 08:00:00,69.00,69.00,usd,2.30,Refunded,All Access,b{i}@example.com\n"
            elif kind == 2:
                row = f"ch_{i},2026-11-{day:02} 08:00:00,69.00,0.00,usd,0.00,Failed,All Access,b{i}@example.com\n"
            elif kind == 3:
                row = f"ch_{i},2026-11-{day:02} 08:00:00,19.00,0.00,usd,0.85,Paid,Old Ebook,b{i}@example.com\n"
            elif kind == 4:
                row = f"ch_{i},2026-11-{day:02} 08:00:00,69.00,0.00,usd,2.30,Paid,\"All Access\",\"b{i}, \"\"VIP\"\"\nline two\"\n"
            else:
                row = f"ch_{i},2026-11-{day:02} 08:00:00,\"1,069.00\",0.00,usd,31.30,Paid,All Access,b{i}@example.com\n"
            f.write(row)
            written += len(row)
    print(f"{out}: {i} records, {written} bytes")


if __name__ == "__main__":
    main()
