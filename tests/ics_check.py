#!/usr/bin/env python3
"""Checks .ics files written by kpsite with an independent RFC 5545 reader.

    python3 tests/ics_check.py FILE.ics [FILE.ics ...]

For every file:
  * lines end in CRLF only, and no physical line is longer than 75 octets
    or splits a UTF-8 character;
  * icalendar parses it; BEGIN/END balance; VERSION 2.0 and PRODID exist.

When FILE.expect.json sits beside FILE.ics (the Rust test
tests/calendar_ics.rs writes them), also, per event UID:
  * SUMMARY, DESCRIPTION, LOCATION round-trip exactly (CJK, emoji,
    escaped ; , \\ and newlines);
  * recurring_ical_events expands it to the expected number of
    occurrences, all at the same local hour and minute in the event's zone,
    with the expected set of UTC offsets (so a DST change was crossed);
  * the same holds when the TZID is renamed to one no library knows, so the
    file's own VTIMEZONE, not a built-in zone, decides the offsets;
  * none of the "forbidden" strings (member-only details) occur anywhere.

Needs: pip install icalendar recurring-ical-events
"""

import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

WINDOW = (dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1))
# icalendar caches zones built from a VTIMEZONE by their TZID, so every
# renamed zone gets a name of its own.
FAKE_TZIDS = (f"X-Kpsite-Test/Own-Vtimezone-{n}" for n in range(1_000_000))


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def check_lines(raw: bytes, name: str) -> None:
    check(raw.endswith(b"\r\n"), f"{name}: does not end with CRLF")
    body = raw[:-2]
    for i, line in enumerate(body.split(b"\r\n"), 1):
        check(b"\n" not in line and b"\r" not in line, f"{name}:{i}: bare CR or LF")
        check(len(line) <= 75, f"{name}:{i}: {len(line)} octets > 75: {line!r}")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Failure(f"{name}:{i}: fold splits a UTF-8 character: {e}")


def unfolded_text(raw: bytes) -> str:
    return raw.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def occurrences(cal, uid):
    return [
        o
        for o in recurring_ical_events.of(cal).between(*WINDOW)
        if str(o.get("UID")) == uid
    ]


def check_event(cal, uid, want, name, own_vtimezone=False):
    label = f"{name}: {uid}" + (" (own VTIMEZONE)" if own_vtimezone else "")
    events = [c for c in cal.walk("VEVENT") if str(c.get("UID")) == uid]
    check(len(events) == 1, f"{label}: expected one VEVENT, found {len(events)}")
    ev = events[0]
    for prop, key in (("SUMMARY", "summary"), ("DESCRIPTION", "description"), ("LOCATION", "location")):
        got = ev.get(prop)
        got = None if got is None else str(got)
        check(got == want[key], f"{label}: {prop} {got!r} != {want[key]!r}")

    occ = occurrences(cal, uid)
    check(len(occ) == want["count"], f"{label}: {len(occ)} occurrences, expected {want['count']}")
    if want["all_day"]:
        starts = [o["DTSTART"].dt for o in occ]
        check(all(type(s) is dt.date for s in starts), f"{label}: all-day starts must be dates: {starts}")
        check(starts[0].isoformat() == want["first_date"], f"{label}: first date {starts[0]} != {want['first_date']}")
        return []
    zone = ZoneInfo(want["tz"])
    offsets = set()
    lines = []
    for o in occ:
        start = o["DTSTART"].dt
        check(isinstance(start, dt.datetime) and start.tzinfo is not None, f"{label}: start not zoned: {start!r}")
        local = start.astimezone(zone)
        check(
            (local.hour, local.minute) == (want["hour"], want["minute"]),
            f"{label}: occurrence at {local.isoformat()} is not at {want['hour']:02}:{want['minute']:02} local",
        )
        offsets.add(int(start.utcoffset().total_seconds()))
        lines.append(local.isoformat())
    # One-off events are written in UTC; repeating ones in their own zone.
    if want["repeats"]:
        check(sorted(offsets) == want["offsets"], f"{label}: offsets {sorted(offsets)} != {want['offsets']}")
    else:
        check(sorted(offsets) == [0], f"{label}: a one-off event should be in UTC")
    check(occ[0]["DTSTART"].dt.astimezone(zone).date().isoformat() == want["first_date"], f"{label}: first date")
    return lines


def check_file(path: Path) -> list:
    raw = path.read_bytes()
    name = path.name
    check_lines(raw, name)
    cal = icalendar.Calendar.from_ical(raw)
    check(str(cal.get("VERSION")) == "2.0", f"{name}: VERSION is not 2.0")
    check(cal.get("PRODID") is not None, f"{name}: no PRODID")
    text = unfolded_text(raw)
    begins = [l for l in text.split("\r\n") if l.startswith("BEGIN:")]
    ends = [l for l in text.split("\r\n") if l.startswith("END:")]
    check(len(begins) == len(ends), f"{name}: BEGIN/END do not balance")
    # Every VTIMEZONE's own offsets agree with the tz database at each occurrence.
    report = []
    expect_path = path.with_suffix(".expect.json")
    if not expect_path.exists():
        return [f"{name}: lines and syntax ok (no expectations)"]
    expect = json.loads(expect_path.read_text("utf-8"))
    for secret in expect.get("forbidden", []):
        check(secret not in text, f"{name}: contains forbidden {secret!r}")

    for uid, want in expect["events"].items():
        local_times = check_event(cal, uid, want, name)
        if len(want["offsets"]) > 1:
            report.append(f"{name}: {uid}: {len(local_times)} occurrences at "
                          f"{want['hour']:02}:{want['minute']:02} {want['tz']} across offsets {want['offsets']}")

    # Rename every TZID to one no library knows: the offsets must now come
    # from the file's VTIMEZONE components alone.
    tzids = {str(c.get("TZID")) for c in cal.walk("VTIMEZONE")}
    for tzid in sorted(tzids):
        fake = next(FAKE_TZIDS)
        renamed = text.replace(f"TZID:{tzid}\r\n", f"TZID:{fake}\r\n").replace(
            f"TZID={tzid}:", f"TZID={fake}:"
        )
        check(renamed.count(fake) >= 2, f"{name}: renaming {tzid} failed")
        own = icalendar.Calendar.from_ical(renamed)
        for uid, want in expect["events"].items():
            if want["tz"] == tzid and not want["all_day"]:
                check_event(own, uid, want, name, own_vtimezone=True)
        report.append(f"{name}: VTIMEZONE {tzid} alone gives the right offsets")
    return report or [f"{name}: ok"]


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    failed = 0
    for arg in argv[1:]:
        try:
            for line in check_file(Path(arg)):
                print("ok  ", line)
        except Failure as e:
            failed += 1
            print("FAIL", e)
    print(f"{len(argv) - 1 - failed} of {len(argv) - 1} files ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
