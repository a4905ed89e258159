"""A fuzzing run of the readers, the importer, the period parser and the claim parser.

Not a test (it takes minutes): run it after changing a parser and copy its table into
docs/reliability.md. Every input must either succeed or raise the project's own error
(FoistatsError, or PeriodError from the period parser); anything else is a bug and is
printed with the input that caused it so it can become a test.

    python bench/fuzz.py [--scale 1.0] [--seed 7]
    python bench/fuzz.py --budgets        # peak RSS and time of each hostile file, in subprocesses

Structure-aware targets (issue 17): the parts inside xlsx, xlsb, ods and docx files are
mutated and the archive rebuilt with valid checksums, so the mutation reaches the
parsers instead of stopping at the zip's CRC check; PDFs and emails are mutated too, but
only fed to the importer once it reads that kind (until then they are counted as
skipped, so the same command keeps working as readers arrive).
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
sys.path.insert(0, str(ROOT / "tests"))  # make_hostile: the fixtures the structured targets start from

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
        self.skipped: str | None = None
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
        except own as exc:
            if "spreadsheet reader crashed" in str(exc) or "did not finish within" in str(exc):
                # the worker kept the import alive, but an abort the guard did not stop is a finding
                self.other += 1
                if len(self.examples) < 3:
                    keep = Path(tempfile.gettempdir()) / f"foistats-fuzz-crash-{self.other}{Path(str(arg)).suffix}"
                    if isinstance(arg, Path):
                        keep.write_bytes(arg.read_bytes())
                    self.examples.append((f"{arg} (kept as {keep})", str(exc)))
                return
            self.own += 1
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: BLE001 - exactly what the run is looking for (Rust panics too)
            self.other += 1
            if len(self.examples) < 3:
                self.examples.append((repr(arg)[:200], traceback.format_exc(limit=3)))

    def row(self) -> str:
        if self.skipped:
            return f"| {self.name} | skipped: {self.skipped} | | | | |"
        total = self.ok + self.own + self.other
        self.finished = getattr(self, "finished", None) or time.perf_counter()
        secs = self.finished - self.started
        return f"| {self.name} | {total:,} | {self.ok:,} | {self.own:,} | {self.other:,} | {secs:.0f} s |"


# ---- structure-aware mutation (issue 17) ------------------------------------------------

# Values a lying header would carry: far rows/columns, huge repeats and counts.
HOSTILE_NUMBERS = [b"0", b"1", b"-1", b"65535", b"65536", b"1048576", b"1048577", b"16384", b"4294967295",
                   b"999999999", b"2147483647", b"XFD1048576", b"IV65536", b"A0"]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One of: flip bytes, cut, duplicate a slice, splice a hostile number over a number."""
    data = bytearray(data)
    if not data:
        return bytes(rng.randbytes(rng.randint(1, 64)))
    kind = rng.randrange(5)
    if kind == 0:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        data = data[: rng.randint(0, len(data))]
    elif kind == 2:
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randint(1, 400))
        data[a:a] = data[a:b] * rng.randint(1, 20)
    elif kind == 3:
        import re

        numbers = [m.span() for m in re.finditer(rb"[0-9]+|[A-Z]{1,3}[0-9]+", bytes(data))]
        if numbers:
            a, b = rng.choice(numbers)
            data[a:b] = rng.choice(HOSTILE_NUMBERS)
    else:
        # binary records: overwrite a 4-byte field with a big little-endian number
        pos = rng.randrange(len(data))
        data[pos : pos + 4] = rng.choice([b"\xff\xff\xff\xff", b"\xf0\xff\xff\x0f", b"\x00\x00\x10\x00", b"\xff\xff\x00\x00"])
    return bytes(data)


def mutate_zip(rng: random.Random, src: bytes) -> bytes:
    """Mutate one or two members of a zip (sheet parts most often) and re-zip with valid CRCs."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        members = [(i, zin.read(i.filename)) for i in zin.infolist()]
    weights = [8 if ("sheet" in i.filename.lower() or "content.xml" in i.filename or "document" in i.filename) else 1
               for i, _ in members]
    for _ in range(rng.randint(1, 2)):
        k = rng.choices(range(len(members)), weights)[0]
        info, data = members[k]
        members[k] = (info, mutate_bytes(rng, data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            zout.writestr(info.filename, data)
    return out.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<<>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 12 Tf 72 712 Td (Force Count Kent Police 150) Tj ET\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
MINIMAL_EMAIL = (
    b"From: foi@kent.police.uk\r\nTo: reporter@example.org\r\nSubject: FOI 2024-118 response\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Dear requester,\r\n\r\nForce,2023\r\nKent Police,150\r\n"
)


def minimal_docx() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Force</w:t></w:r></w:p></w:tc>'
                   '<w:tc><w:p><w:r><w:t>2023</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Kent Police</w:t>'
                   '</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>150</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')
    return out.getvalue()


def reads_kind(path: Path) -> bool:
    """Does the importer read this kind yet? (sniff answers a kind rather than refusing it)."""
    from foistats.intake import guard

    try:
        kind = guard.sniff(path)
    except FoistatsError:
        return False
    return kind not in ("csv", "text") or path.suffix.lower() in (".csv", ".tsv", ".txt")


def fuzz_structured(rng: random.Random, tmp: Path, scale: float) -> list[Tally]:
    from make_hostile import build_round_two

    from foistats.intake.report import ImportOptions
    from foistats.intake.tidy import import_file

    seeds_dir = tmp / "seeds"
    seeds_dir.mkdir(exist_ok=True)
    fixtures = build_round_two(seeds_dir)
    examples = sorted((ROOT / "examples" / "sextortion").glob("*.*"))
    seeds: dict[str, list[bytes]] = {
        ".xlsx": [p.read_bytes() for p in examples if p.suffix == ".xlsx"][:8] + [fixtures["hidden.xlsx"].read_bytes()],
        ".xlsb": [fixtures["good.xlsb"].read_bytes()],
        ".ods": [p.read_bytes() for p in examples if p.suffix == ".ods"][:3] + [fixtures["hidden.ods"].read_bytes()],
        ".docx": [minimal_docx()],
    }
    tallies: list[Tally] = []
    for ext, sources in seeds.items():
        t = Tally(f"mutated parts inside {ext} (re-zipped) → import")
        probe = tmp / f"probe{ext}"
        probe.write_bytes(sources[0])
        if not reads_kind(probe):
            t.skipped = f"foistats does not read {ext} yet"
            tallies.append(t)
            continue
        for i in range(int(600 * scale)):
            p = tmp / f"z{i % 50}{ext}"
            p.write_bytes(mutate_zip(rng, rng.choice(sources)))
            t.run(lambda path: import_file(path, ImportOptions()), p)
        tallies.append(t)
        print(t.row(), file=sys.stderr, flush=True)  # progress: a long run still leaves its counts
    for ext, seed in ((".pdf", MINIMAL_PDF), (".eml", MINIMAL_EMAIL)):
        t = Tally(f"mutated {ext} → import")
        probe = tmp / f"probe{ext}"
        probe.write_bytes(seed)
        if not reads_kind(probe):
            t.skipped = f"foistats does not read {ext} yet"
            tallies.append(t)
            continue
        for i in range(int(600 * scale)):
            p = tmp / f"d{i % 50}{ext}"
            p.write_bytes(mutate_bytes(rng, seed))
            t.run(lambda path: import_file(path, ImportOptions()), p)
        tallies.append(t)
    return tallies


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

    tallies.extend(fuzz_structured(rng, tmp, scale))

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


# ---- budgets: peak memory and time of each hostile case, in its own process (issue 17) --------

_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(u.ru_maxrss, time.perf_counter() - t, rc, u.ru_utime + u.ru_stime)\n"
)


def measure(args: list[str]) -> tuple[float, float, int, float]:
    """(peak RSS in MB, wall seconds, exit code, CPU seconds) of one command, from a fresh parent.

    CPU seconds (user + system, the reader worker included) are the figure to compare on a
    shared machine, where wall time grows with everyone else's load.
    """
    import subprocess

    out = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True)
    kb, secs, rc, cpu = out.stdout.split()
    return int(kb) / 1024, float(secs), int(rc), float(cpu)


def budgets(big: bool) -> int:
    """Each hostile file through `foistats import`: refused (or imported) within 500 MB and 10 s?"""
    import shutil

    from make_hostile import build_round_two

    exe = shutil.which("foistats")
    cmd = [exe] if exe else [sys.executable, "-m", "foistats"]
    tmp = Path(tempfile.mkdtemp(prefix="foistats-budgets-"))
    fx = build_round_two(tmp)
    cases: list[tuple[str, Path, bool]] = [(n, fx[n], True) for n in (
        "xlsb_far_column.xlsb", "xlsb_far_row.xlsb", "xlsb_bad_dimension.xlsb", "xls_far_cells.xls",
        "xls_sst_count.xls", "nul_only.csv", "hidden.xlsx", "good.xlsb")]
    wide = tmp / "wide.csv"
    rng = random.Random(1)
    with wide.open("w") as fh:
        fh.write("Force," + ",".join(f"M{i}" for i in range(100_000)) + "\n")
        for force in ("Kent", "Essex", "Surrey"):
            fh.write(force + "," + ",".join(str(rng.randint(0, 9)) for _ in range(100_000)) + "\n")
    cases.append(("wide.csv (100,000 columns, 1.3 MB)", wide, False))
    if big:
        nul = tmp / "nul2g.csv"
        with nul.open("wb") as fh:
            fh.truncate(2 * 1024**3)
        cases.append(("2 GB of NUL bytes", nul, True))
        tail = tmp / "nultail.csv"
        with tail.open("wb") as fh:
            fh.write(b"Force,2023\nKent,5\n")
            fh.truncate(2 * 1024**3)
        cases.append(("a table then 2 GB of NUL bytes", tail, False))
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Data")
        sheet.append(["Force", "Month", "Offence", "Outcome", "Count", "Year"])
        for i in range(200_000):
            sheet.append(["Kent Police", f"2023-{i % 12 + 1:02d}", f"Offence {i % 40}", "Charged", i % 97, 2023])
        honest = tmp / "honest-200k.xlsx"
        book.save(honest)
        cases.append(("honest 200,000 x 6 xlsx", honest, False))
    print("| input | exit | peak RSS | CPU | wall | within 500 MB / 10 s CPU |")
    print("|---|---:|---:|---:|---:|---|")
    over = 0
    for name, path, _refused in cases:
        mb, secs, rc, cpu = measure([*cmd, "import", str(path), "-q", "-f", "csv", "--measure", "Count"])
        ok = mb <= 500 and cpu <= 10
        over += not ok
        print(f"| {name} | {rc} | {mb:,.0f} MB | {cpu:.1f} s | {secs:.1f} s | {'yes' if ok else 'NO'} |", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if over else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", choices=["structured"], help="run only the structure-aware targets")
    ap.add_argument("--budgets", action="store_true", help="measure peak RSS and time of the hostile files instead")
    ap.add_argument("--big", action="store_true", help="with --budgets: also the 2 GB and 200,000-row cases")
    args = ap.parse_args()
    if args.budgets:
        return budgets(args.big)
    if args.only == "structured":
        rng = random.Random(args.seed)
        tallies = fuzz_structured(rng, Path(tempfile.mkdtemp(prefix="foistats-fuzz-")), args.scale)
    else:
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
