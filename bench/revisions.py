"""An earlier revision of foistats against the working tree, in the same minutes.

    python bench/revisions.py REV xlsx [ROUNDS]   # the 200,000-row xlsx import; fastexcel's script as the yardstick
    python bench/revisions.py REV rank [ROUNDS]   # `rank` on 6 M street rows; DuckDB's SQL as the yardstick

These shared 2-core machines drift ±15% from one hour to the next, so a figure from an
earlier round says little about whether a change helped. This runs the revision REV
(checked out once into a git worktree under bench/.data/, gitignored), the working tree
and the competitor round-robin, one warm-up round dropped, and prints each one's median
wall time and peak RSS and the median of the paired ratios to the competitor: the
before/after figures in docs/performance.md come from it. The inputs are the ones
`run.py` generates (run `python bench/run.py --only xlsx,scale` once first).

Both sides run through the same small entry script, from their own folders (the
revision's worktree, and this checkout), with this environment's interpreter and
libraries and `run.py`'s environment for children (a bytecode cache: where
PYTHONDONTWRITEBYTECODE is set, a side without cached bytecode would recompile foistats
on every start, about 0.1 s), so only foistats' own code differs between them.
`python bench/revisions.py HEAD rank` on a clean tree is the check: both sides equal.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import child_env  # noqa: E402

ROOT = BENCH.parent
DATA = BENCH / ".data"
PY = sys.executable
STREET_MEASURE = "Street-level crime records: all categories"

# Runs foistats from a worktree: its directory first on the path, the installed package's
# own entry (an editable install's finder or path) out of the way.
_OLD_ENTRY = """import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, sys.argv.pop(1))
sys.argv[0] = "foistats"
from foistats.cli.entry import main
main()
"""


def worktree(rev: str) -> Path:
    """REV checked out under bench/.data/rev-<commit> (made once, reused)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"], capture_output=True, text=True, check=True).stdout.strip()
    place = DATA / f"rev-{commit[:12]}"
    if not (place / "foistats").is_dir():
        DATA.mkdir(exist_ok=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(place), commit], check=True, capture_output=True)
    return place


def commands(kind: str, old: Path) -> dict[str, list[str]]:
    entry = DATA / "old_entry.py"
    entry.write_text(_OLD_ENTRY)
    if kind == "xlsx":
        src = DATA / "crime_200k.xlsx"
        out = BENCH / "out"
        out.mkdir(exist_ok=True)
        return {
            "before": [PY, str(entry), str(old), "import", str(src), "-o", str(out / "revision_before.csv"), "--quiet"],
            "after": [PY, str(entry), str(ROOT), "import", str(src), "-o", str(out / "revision_after.csv"), "--quiet"],
            "fastexcel": [PY, str(BENCH / "workers.py"), "fastexcel-read", str(src), "1"],
        }
    if kind == "rank":
        src = DATA / "street_6M.csv"
        work = [str(src), "--measure", STREET_MEASURE, "--year-start", "jun", "--format", "csv"]
        return {
            "before": [PY, str(entry), str(old), "rank", *work],
            "after": [PY, str(entry), str(ROOT), "rank", *work],
            "duckdb": [PY, str(BENCH / "workers.py"), "duckdb-rank", str(src)],
        }
    raise SystemExit(f"unknown comparison {kind!r}: xlsx or rank")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    rev, kind = argv[0], argv[1]
    rounds = int(argv[2]) if len(argv) > 2 else (7 if kind == "xlsx" else 5)
    cmds = commands(kind, worktree(rev))
    env = child_env()  # as run.py's children: a bytecode cache, so neither side recompiles on every start
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, list[float]] = {k: [] for k in cmds}
    names = list(cmds)
    for r in range(rounds + 1):
        for name in names[r % len(names):] + names[: r % len(names)]:  # rotate who goes first
            wall, peak = run(cmds[name], env)
            if r:  # round 0 warms the page cache
                walls[name].append(wall)
                rss[name].append(peak)
    ref = names[-1]
    for name in names:
        print(f"{name:10s} median {statistics.median(walls[name]):.3f} s ({min(walls[name]):.3f}–{max(walls[name]):.3f}), peak RSS {statistics.median(rss[name]):.0f} MB")
    for name in names[:-1]:
        ratios = sorted(a / b for a, b in zip(walls[name], walls[ref]))
        ratio = statistics.median(ratios)
        print(f"{name:10s} vs {ref}: {ratio:.3f}× its time, {1 / ratio:.1%} of its throughput (median of {len(ratios)} paired ratios)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
