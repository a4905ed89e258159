"""How long a PDF reply takes to read: first time (empty cache) and again (cached).

Usage: python bench/pdf_speed.py [PDF ...] [--repeat N]

Defaults to ../shared/replies/Hertfordshire.pdf (61 pages, 4,492 record rows) and
Durham.pdf. Each measurement is a fresh `foistats import FILE` process (what a user
waits for), with FOISTATS_CACHE_DIR pointing at a new empty folder for the first read
and at the filled one for the cached read; the in-process extraction time is shown too.
Target (issue 14): a 60-page PDF in <= 10 s the first time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = [ROOT.parent / "shared" / "replies", ROOT.parent.parent / "shared" / "replies"]


def _run(cmd: list[str], cache: Path) -> float:
    env = dict(os.environ, FOISTATS_CACHE_DIR=str(cache))
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pdfs = args.pdfs or [d / n for d in SHARED for n in ("Hertfordshire.pdf", "Durham.pdf") if (d / n).is_file()][:2]
    if not pdfs:
        print("no PDF given and ../shared/replies not found", file=sys.stderr)
        return 2
    exe = Path(sys.executable).with_name("foistats")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "foistats"]
    print("| file | pages | extract in-process, first | import, first read | import, cached |")
    print("|---|---|---|---|---|")
    for pdf in pdfs:
        firsts, cached, inproc = [], [], []
        pages = "?"
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                cache = Path(tmp) / "cache"
                out = Path(tmp) / "out.csv"
                os.environ["FOISTATS_CACHE_DIR"] = str(Path(tmp) / "inproc")
                from foistats.intake.readers import pdf as reader

                t = time.perf_counter()
                doc = reader.extract(pdf)
                inproc.append(time.perf_counter() - t)
                pages = doc["pages"]
                cmd = [*base, "import", str(pdf), "-o", str(out), "--quiet"]
                firsts.append(_run(cmd, cache))
                cached.append(_run(cmd, cache))
        print(
            f"| {pdf.name} | {pages} | {statistics.median(inproc):.2f} s | {statistics.median(firsts):.2f} s | {statistics.median(cached):.2f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
