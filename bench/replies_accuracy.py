"""Score the importer on real FOI replies that are not spreadsheets (../shared/replies).

Usage: python bench/replies_accuracy.py [FOLDER] [--min-found N]

expected.tsv columns: file, page_or_sheet (a page "2" or a range "1-61"), force,
period_start, period_end ("-" = not checked), measure_like (a case-insensitive regex on
the measure), expect (a number, or status:not_ok). A row's candidates are the imported
rows of that file whose source_sheet is that page (or page range), with that force,
whose period matches and whose measure matches. FOUND: a candidate holds the value
(±0.01) and no other candidate holds a different one. WRONG: candidates exist but none
holds it, or they clash. MISSING: no candidate. Files without expected rows are the
negative cases: anything imported from them with a value counts as WRONG.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "replies", ROOT.parent.parent / "shared" / "replies"]
NEGATIVE = ["psni.pdf", "incoming-request-bad-uuencoding-2.eml", "M Rosenbaum (BBC) 110110.doc", "MOT-IB-716 BBC FOI Technical Note.doc"]


def _sheet_matches(wanted: str, sheet: str | None) -> bool:
    wanted = wanted.strip()
    sheet = (sheet or "").replace("–", "-")
    if "-" in wanted:
        return sheet == f"pages {wanted}"
    return sheet == f"page {wanted}"


def score(folder: Path) -> tuple[int, int, int, list[str]]:
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    with (folder / "expected.tsv").open(newline="", encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh, delimiter="\t"))
    files = sorted({e["file"] for e in expected} | {n for n in NEGATIVE if (folder / n).exists()})
    result = import_paths([folder / f for f in files], ImportOptions())
    rows = result.frame.to_dicts()
    by_file: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_file[Path(r["source_file"].split(" › ")[0]).name].append(r)
    found = wrong = missing = 0
    lines: list[str] = []
    per_file: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in expected:
        pattern = re.compile(e["measure_like"], re.I)
        cands = [
            r for r in by_file[e["file"]]
            if _sheet_matches(e["page_or_sheet"], r["source_sheet"])
            and r["force"] == e["force"]
            and (e["period_start"] == "-" or str(r["period_start"]) == e["period_start"])
            and (e["period_end"] == "-" or str(r["period_end"]) == e["period_end"])
            and pattern.search(r["measure"] or "")
        ]
        want = e["expect"]
        if not cands:
            verdict = "MISSING"
        elif want.startswith("status:"):
            ok = [r for r in cands if r["value"] is None and r["status"] != "ok"]
            verdict = "FOUND" if ok and len(ok) == len(cands) else "WRONG"
        else:
            target = float(want)
            hits = [r for r in cands if r["value"] is not None and abs(r["value"] - target) <= 0.01]
            others = [r for r in cands if r["value"] is not None and abs(r["value"] - target) > 0.01]
            verdict = "FOUND" if hits and not others else "WRONG"
        k = {"FOUND": 0, "WRONG": 1, "MISSING": 2}[verdict]
        per_file[e["file"]][k] += 1
        found, wrong, missing = found + (k == 0), wrong + (k == 1), missing + (k == 2)
        detail = "" if verdict == "FOUND" else f"  candidates: {[(c['measure'], c['value'], c['source_sheet']) for c in cands][:4]}"
        lines.append(f"{verdict:7} {e['file']} p{e['page_or_sheet']} {e['period_start']} /{e['measure_like']}/ = {want}{detail}")
    for name in NEGATIVE:
        if not (folder / name).exists():
            continue
        invented = [r for r in by_file[name] if r["value"] is not None]
        if invented:
            wrong += 1
            per_file[name][1] += 1
            lines.append(f"WRONG   {name}: {len(invented)} number(s) imported from a reply without figures")
        else:
            report = next((f for f in result.files if Path(f.path).name == name), None)
            said = next((s.message for s in (report.sheets if report else []) if s.message), report.error if report else None)
            lines.append(f"OK      {name}: nothing imported — {said}")
    for name, (f, w, m) in sorted(per_file.items()):
        lines.append(f"{name}: found {f}, wrong {w}, missing {m}")
    lines.append(f"TOTAL: found {found}, wrong {wrong}, missing {missing} of {len(expected)} expected values")
    return found, wrong, missing, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--min-found", type=int, default=None, help="exit 1 below this many found (default: all)")
    args = parser.parse_args()
    folder = args.folder or next((d for d in DEFAULT if (d / "expected.tsv").is_file()), None)
    if folder is None:
        print("no replies folder with expected.tsv found", file=sys.stderr)
        return 2
    found, wrong, missing, lines = score(folder)
    print("\n".join(lines))
    needed = args.min_found if args.min_found is not None else found + missing + wrong
    return 0 if found >= needed and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
