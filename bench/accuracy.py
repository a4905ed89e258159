"""Accuracy on real files: import each file named in expected.tsv and score every hand-read value.

    python bench/accuracy.py                      # ../shared/realdata (or $FOISTATS_REALDATA)
    python bench/accuracy.py --threshold 60       # exit 1 when fewer than 60 values are found
    python bench/accuracy.py --verbose            # show each row's candidates
    python bench/accuracy.py --realdata DIR --expected DIR/expected.tsv

expected.tsv columns: file, sheet, force, period_start, period_end, measure_like, expect.
`sheet` "-" = any sheet; `period_start`/`period_end` "-" = not checked; `measure_like` is a
case-insensitive regular expression searched in the measure, or `label:TEXT` to match the
period label exactly; `expect` is a number or `status:not_ok` (an empty value whose status is
not ok: a suppressed or missing cell).

A row's candidates are the imported rows of that file (and sheet) with that force, a matching
period and a matching measure.
- FOUND: a candidate holds the value (within 0.01) and no other candidate in the same sheet
  holds a different one.
- WRONG: candidates exist but none holds it, or they disagree (a clash under one key).
- MISSING: no candidate at all.

Exit status: 0 when found >= threshold (default: every row), 1 otherwise, 2 on a usage error.
Files are imported through the same pipeline as `foistats import` (no options), once each.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def default_realdata() -> Path:
    env = os.environ.get("FOISTATS_REALDATA")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "realdata"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "realdata"


@dataclass
class Expected:
    file: str
    sheet: str
    force: str
    period_start: str
    period_end: str
    measure_like: str
    expect: str
    line: int


def read_expected(path: Path) -> list[Expected]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for i, row in enumerate(reader, start=2):
            out.append(
                Expected(
                    row["file"], row["sheet"], row["force"], row["period_start"], row["period_end"],
                    row["measure_like"], row["expect"], i,
                )
            )
    return out


def _iso(v) -> str:
    return "" if v is None else str(v)[:10]


def candidates(rows: list[dict], e: Expected) -> list[dict]:
    label = e.measure_like[6:] if e.measure_like.startswith("label:") else None
    pattern = None if label is not None else re.compile(e.measure_like, re.I)
    out = []
    for r in rows:
        if e.sheet != "-" and (r["source_sheet"] or "") != e.sheet:
            continue
        if r["force"] != e.force:
            continue
        if e.period_start != "-" and _iso(r["period_start"]) != e.period_start:
            continue
        if e.period_end != "-" and _iso(r["period_end"]) != e.period_end:
            continue
        if label is not None:
            if (r["period_label"] or "").strip() != label:
                continue
        elif not pattern.search(r["measure"] or ""):
            continue
        out.append(r)
    return out


def _holds(r: dict, expect: str) -> bool:
    if expect == "status:not_ok":
        return r["value"] is None and r["status"] != "ok"
    try:
        want = float(expect)
    except ValueError:
        return False
    return r["value"] is not None and abs(float(r["value"]) - want) <= 0.01


def _same(a: dict, b: dict) -> bool:
    if a["value"] is None or b["value"] is None:
        return a["value"] is None and b["value"] is None and a["status"] == b["status"]
    return abs(float(a["value"]) - float(b["value"])) <= 0.01


def score(rows: list[dict], e: Expected) -> tuple[str, list[dict]]:
    cands = candidates(rows, e)
    if not cands:
        return "MISSING", cands
    holders = [r for r in cands if _holds(r, e.expect)]
    if not holders:
        return "WRONG", cands
    for h in holders:
        same_sheet = [r for r in cands if r["source_sheet"] == h["source_sheet"]]
        if all(_same(r, h) for r in same_sheet):
            return "FOUND", cands
    return "WRONG", cands


def import_rows(path: Path) -> tuple[list[dict], str | None]:
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    result = import_paths([path], ImportOptions())
    error = next((f.error for f in result.failures), None)
    return result.frame.to_dicts(), error


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdata", type=Path, default=None, help="folder holding the files (default ../shared/realdata)")
    ap.add_argument("--expected", type=Path, default=None, help="expected.tsv (default REALDATA/expected.tsv)")
    ap.add_argument("--threshold", type=int, default=None, help="minimum FOUND count (default: every row)")
    ap.add_argument("--only", default=None, help="score only files whose path contains this text")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each row's verdict and candidates")
    args = ap.parse_args(argv)
    realdata = args.realdata or default_realdata()
    expected_path = args.expected or realdata / "expected.tsv"
    if not expected_path.is_file():
        print(f"no expected.tsv at {expected_path}", file=sys.stderr)
        return 2
    expected = read_expected(expected_path)
    if args.only:
        expected = [e for e in expected if args.only in e.file]
    by_file: dict[str, list[Expected]] = defaultdict(list)
    for e in expected:
        by_file[e.file].append(e)
    totals = {"FOUND": 0, "WRONG": 0, "MISSING": 0}
    started = time.perf_counter()
    width = max((len(f) for f in by_file), default=10)
    print(f"{'file':<{width}}  found wrong missing  seconds")
    for name, wanted in by_file.items():
        t0 = time.perf_counter()
        path = realdata / name
        try:
            rows, error = import_rows(path)
        except Exception as exc:  # a crash is a result too: every row of the file is missing
            rows, error = [], f"{type(exc).__name__}: {exc}"
        counts = {"FOUND": 0, "WRONG": 0, "MISSING": 0}
        details = []
        for e in wanted:
            verdict, cands = score(rows, e)
            counts[verdict] += 1
            details.append((verdict, e, cands))
        for k in totals:
            totals[k] += counts[k]
        print(f"{name:<{width}}  {counts['FOUND']:>5} {counts['WRONG']:>5} {counts['MISSING']:>7}  {time.perf_counter() - t0:7.2f}")
        if error:
            print(f"    error: {error}")
        for verdict, e, cands in details:
            if verdict != "FOUND" or args.verbose:
                period = f"{e.period_start}..{e.period_end}" if e.period_start != "-" else "-"
                print(f"    {verdict}: line {e.line} [{e.sheet}] {e.force} {period} /{e.measure_like}/ = {e.expect}")
                for r in cands[:6]:
                    print(
                        f"        {r['source_sheet'] or ''}!{r['source_cell']}: {r['measure']!r} "
                        f"{r['period_label']!r} = {r['value']} ({r['status']})"
                    )
                if len(cands) > 6:
                    print(f"        … {len(cands) - 6} more")
    n = sum(totals.values())
    print(
        f"TOTAL {n} values: found {totals['FOUND']}, wrong {totals['WRONG']}, missing {totals['MISSING']} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    threshold = n if args.threshold is None else args.threshold
    if totals["FOUND"] < threshold:
        print(f"below the threshold: {totals['FOUND']} found < {threshold}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
