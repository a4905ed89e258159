"""Score `foistats check` on real newsroom sentences: the right verdict for the right reason.

Every row of a claims TSV (default `../shared/claims/claims.tsv`; columns `id`,
`sentence`, `before`, `after`, `claimed`, `verdict`) is checked as a passage, through
the installed command line (`--format json`) or, with `--library`, the library. A row
is right only when some claim the checker reports has

- the figures the hand-worked row names (before and after, in that order),
- the same claim (`+43%`, `x3`, `>x2`, `~+20%`, `-7.4%`, `>-7pp`, `x0.5` — a `%` claim and a
  multiple that say the same change count as the same claim), and
- the same verdict.

A right verdict on the wrong figures is counted as wrong: that is the point of the
score. Prints one line per row and the totals; `--json` prints them as JSON instead.

    python bench/claims_accuracy.py
    python bench/claims_accuracy.py --library --tsv path/to/claims.tsv
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout; a git worktree one level deeper finds it one level further up.
DEFAULT_TSV = next(
    (p / "shared" / "claims" / "claims.tsv" for p in ROOT.parents if (p / "shared" / "claims" / "claims.tsv").is_file()),
    ROOT.parent / "shared" / "claims" / "claims.tsv",
)
_COMPACT = re.compile(r"^(?P<q>[>~<]?)(?P<x>x?)(?P<sign>[+\-]?)(?P<num>[\d.]+)(?P<unit>%|pp|x)?(?P<abs>\s*\(abs\))?$")
_QUALIFIERS = {">": {"more_than", "at_least", "just_over"}, "~": {"nearly", "about"}, "<": {"less_than", "up_to"}}


def _fraction(text: str | None) -> Fraction | None:
    if text in (None, ""):
        return None
    return Fraction(str(text).replace(",", "").rstrip("%"))


def expected_claim(compact: str) -> tuple[str, Fraction, str] | None:
    """(family, the change as a multiple of the earlier figure or a difference, qualifier class)."""
    m = _COMPACT.match(compact.strip())
    if not m:
        return None
    num = Fraction(m.group("num"))
    sign = -1 if m.group("sign") == "-" else 1
    if m.group("x") or m.group("unit") == "x":
        return "change", num, m.group("q")
    if m.group("unit") == "%":
        return "change", 1 + sign * num / 100, m.group("q")
    if m.group("unit") == "pp":
        return "pp", sign * num, m.group("q")
    return "abs", sign * num, m.group("q")


def reported_claim(row: dict[str, Any]) -> tuple[str, Fraction, str | None] | None:
    """The same three things, read back from one JSON row of `foistats check`."""
    claimed = row.get("claimed") or ""
    m = re.match(
        r"^(?:(?P<dir>up|down)\s+)?(?P<q>nearly|about|more than|at least|less than|up to|just over)?\s*"
        r"(?P<fell>fell\s+)?(?P<sign>[+\-]?)(?P<num>[\d,.]+)(?P<unit>%|pp|x|-fold| times more)?$",
        claimed,
    )
    if not m:
        return None
    num = Fraction(m.group("num").replace(",", ""))
    sign = -1 if (m.group("sign") == "-" or m.group("dir") == "down") else 1
    q = (m.group("q") or "").replace(" ", "_") or None
    unit = m.group("unit") or ""
    if unit == "%":
        return "change", 1 + sign * num / 100, q
    if unit == "pp":
        return "pp", sign * num, q
    if unit in ("x", " times more"):
        return "change", num, q
    if unit == "-fold" and m.group("fell"):
        return "change", 1 / num, q
    return "abs", sign * num, q


def same_claim(want: tuple[str, Fraction, str], got: tuple[str, Fraction, str | None]) -> bool:
    family, value, q = want
    if got[0] != family or got[1] != value:
        return False
    return (got[2] is None) if not q else (got[2] in _QUALIFIERS[q])


def _rows_cli(sentence: str, command: list[str]) -> list[dict[str, Any]]:
    out = subprocess.run([*command, "check", "--format", "json", "--text", "-"], input=sentence,
                         capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1, 4):
        raise RuntimeError(out.stderr.strip() or f"exit {out.returncode}")
    return json.loads(out.stdout or "[]")


def _rows_library(sentence: str) -> list[dict[str, Any]]:
    from foistats.analysis.claims import check
    from foistats.analysis.claims.passage import read_passage

    return [check(c).row() for c in read_passage(sentence).claims]


def score_row(row: dict[str, str], rows: list[dict[str, Any]]) -> tuple[bool, str]:
    """(right, what was found) for one hand-worked row."""
    want = expected_claim(row["claimed"])
    before, after = _fraction(row["before"]), _fraction(row["after"])
    if want is None:
        return False, f"cannot read the expected claim {row['claimed']!r}"
    same_figures = [r for r in rows if _fraction(r.get("before")) == before and _fraction(r.get("after")) == after]
    for r in same_figures:
        got = reported_claim(r)
        if got is not None and same_claim(want, got):
            if r["verdict"] == row["verdict"]:
                return True, f"{r['claimed']} on {r.get('figures')}: {r['verdict']}"
            return False, f"wrong verdict: {r['claimed']} on {r.get('figures')}: {r['verdict']} ({r.get('reason')})"
    seen = "; ".join(f"{r.get('claimed') or r.get('verdict')} on {r.get('figures') or '—'}: {r['verdict']}"
                     for r in rows if r.get("verdict") != "not checked") or "no claim found"
    return False, ("wrong claim on the right figures: " if same_figures else "wrong figures: ") + seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--library", action="store_true", help="call the library instead of the installed CLI")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not args.tsv.is_file():
        print(f"claims_accuracy: no claims file at {args.tsv}", file=sys.stderr)
        return 2
    exe = shutil.which("foistats")
    command = [exe] if exe else [sys.executable, "-m", "foistats"]
    with args.tsv.open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh, delimiter="\t"))
    results = []
    for row in table:
        try:
            rows = _rows_library(row["sentence"]) if args.library else _rows_cli(row["sentence"], command)
            right, why = score_row(row, rows)
        except Exception as exc:  # noqa: BLE001 - a crash is a wrong answer, counted and shown
            right, why = False, f"error: {exc}"
        results.append({"id": row["id"], "want": f"{row['before']} → {row['after']} {row['claimed']} {row['verdict']}",
                        "right": right, "found": why})
    right = sum(r["right"] for r in results)
    if args.json:
        print(json.dumps({"rows": results, "right": right, "total": len(results)}, indent=2))
    else:
        for r in results:
            print(f"{'ok ' if r['right'] else 'BAD'} {r['id']:<5} want {r['want']:<48} | {r['found']}")
        print(f"\n{right} of {len(results)} rows right (verdict and figures used match the hand-worked row): "
              f"{100 * right / max(1, len(results)):.0f}%")
    return 0 if right == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
