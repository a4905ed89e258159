"""A fuzzing run of the readers, the importer, the period parser and the claim parser.

Not a test (it takes minutes): run it after changing a parser and copy its table into
docs/reliability.md. Every input must either succeed or raise the project's own error
(FoistatsError, or PeriodError from the period parser); anything else is a bug and is
printed with the input that caused it so it can become a test.

    python bench/fuzz.py [--scale 1.0] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from foistats.model.errors import FoistatsError  # noqa: E402

WORDS = [
    "rose", "fell", "from", "to", "by", "up", "down", "a", "rise", "of", "per", "cent", "percent", "%", "times",
    "as", "many", "more", "nearly", "almost", "about", "more than", "over", "at least", "under", "less than",
    "doubled", "trebled", "six-fold", "a quarter", "half", "percentage", "point", "points", "pp", "x", "jumped",
    "soared", "dropped", "between", "and", "Leicestershire", "2021", "2023", "2,700%", "443", "28", "152", "-",
    "+", ",", ".", "0", "1.5", "1,000,000", "nearly 700%", "¼", "½", "£", "–",
]
LABEL_BITS = [
    "2020", "2021", "/", "-", "21", "Jun", "June", "May", "to", "Q1", "Q4", "FY", "year ending", "YE", "12 months to",
    "01/06/2020", "31/05/2021", "1st", "31st", "Apr '11", "Mar '125, 6", "financial year ending March", "2020/2021",
    "Calendar year", "(new rules)59", "19/20", "2021-06", "Jun-21", "30 September 2006", " ", "1997/8", "9999",
]
CELL_BITS = [
    "", "<5", "*", "[c]", "..", "-", "Nil", "Total", "Leicestershire", "North West", "2020/21", "June 2020 - May 2021",
    "Jan", "2021", "Notes:", "17~", "1,234", "Section 12", "=1+1", "E23000021", "Year", "Count", "12", "0", "3.5",
]


LAST_INPUT = Path(tempfile.gettempdir()) / "foistats-fuzz-last-input"


class Tally:
    def __init__(self, name: str) -> None:
        self.name, self.ok, self.own, self.other, self.examples = name, 0, 0, 0, []
        self.started = time.perf_counter()

    def run(self, fn, arg, own: tuple[type[BaseException], ...] = (FoistatsError,)) -> None:
        if isinstance(arg, Path):
            # A reader that aborts the process (a Rust panic, an allocation failure) leaves
            # no traceback: keep a copy of the input first, so the crash can be replayed.
            LAST_INPUT.write_bytes(arg.read_bytes())
            LAST_INPUT.with_suffix(".name").write_text(arg.name)
        try:
            fn(arg)
            self.ok += 1
        except own:
            self.own += 1
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: BLE001 - exactly what the run is looking for (Rust panics too)
            self.other += 1
            if len(self.examples) < 3:
                self.examples.append((repr(arg)[:200], traceback.format_exc(limit=3)))

    def row(self) -> str:
        total = self.ok + self.own + self.other
        secs = time.perf_counter() - self.started
        return f"| {self.name} | {total:,} | {self.ok:,} | {self.own:,} | {self.other:,} | {secs:.0f} s |"


def fuzz(scale: float, seed: int) -> list[Tally]:
    from foistats.analysis import claims
    from foistats.intake import guard
    from foistats.intake.read import read_workbook
    from foistats.intake.report import ImportOptions
    from foistats.intake.tidy import import_file
    from foistats.model.periods import PeriodError, parse_period

    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="foistats-fuzz-"))
    tallies: list[Tally] = []

    t = Tally("random bytes → guard + reader")
    exts = [".xlsx", ".xls", ".ods", ".csv", ".txt"]
    magics = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe"]
    for i in range(int(3000 * scale)):
        p = tmp / f"b{i % 50}{rng.choice(exts)}"
        p.write_bytes(rng.choice(magics) + rng.randbytes(rng.randint(0, 3000)))
        t.run(read_workbook, p)
    tallies.append(t)

    t = Tally("mutated example workbooks → import")
    sources = sorted((ROOT / "examples" / "sextortion").glob("*.*"))
    sources = [s for s in sources if s.suffix in (".xlsx", ".xls", ".ods", ".csv")]
    for i in range(int(1500 * scale)):
        src = rng.choice(sources)
        data = bytearray(src.read_bytes())
        for _ in range(rng.randint(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randint(0, len(data))]
        p = tmp / f"m{i % 50}{src.suffix}"
        p.write_bytes(bytes(data))
        t.run(lambda path: import_file(path, ImportOptions()), p)
    tallies.append(t)

    t = Tally("random cell grids (CSV) → import")
    for i in range(int(2000 * scale)):
        grid = [[rng.choice(CELL_BITS) if rng.random() < 0.7 else str(rng.randint(-10, 3000)) for _ in range(rng.randint(0, 7))]
                for _ in range(rng.randint(0, 15))]
        buf = io.StringIO()
        csv.writer(buf, lineterminator=rng.choice(["\n", "\r\n", "\r"])).writerows(grid)
        p = tmp / f"g{i % 50}.csv"
        p.write_text(buf.getvalue(), encoding=rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), errors="replace")
        t.run(lambda path: import_file(path, ImportOptions()), p)
    tallies.append(t)

    t = Tally("period labels → parse_period")
    for _ in range(int(30000 * scale)):
        label = " ".join(rng.choice(LABEL_BITS) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.2:
            label = "".join(rng.choice(label + "0123456789/-' ") for _ in range(len(label)))
        t.run(parse_period, label, (FoistatsError, PeriodError))
    tallies.append(t)

    t = Tally("sentences → claim parser + checker")
    for _ in range(int(30000 * scale)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 14))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), f"{rng.randint(0, 10**6):,}")
        text = " ".join(words)
        t.run(lambda s: [claims.check(c) for c in claims.parse_claims(s)], text)
    tallies.append(t)

    t = Tally("CSV text → decode + delimiter")
    for _ in range(int(5000 * scale)):
        raw = rng.randbytes(rng.randint(0, 400))
        t.run(lambda b: guard.sniff_delimiter(guard.decode_text(b)[0]), raw)
    tallies.append(t)
    return tallies


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    tallies = fuzz(args.scale, args.seed)
    print("| target | inputs | succeeded | refused with foistats' own error | other exceptions (bugs) | time |")
    print("|---|---:|---:|---:|---:|---:|")
    for t in tallies:
        print(t.row())
    bugs = [t for t in tallies if t.other]
    for t in bugs:
        for arg, tb in t.examples:
            print(f"\n{t.name}: {arg}\n{tb}")
    return 1 if bugs else 0


if __name__ == "__main__":
    raise SystemExit(main())
