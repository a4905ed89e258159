"""How the console script treats the collector: what it loaded is frozen out of later
collections in its own process, and nowhere else (a library caller's objects are theirs)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sextortion"

_FROZEN_AT_EXIT = (
    "import gc, sys; sys.argv = ['foistats', *sys.argv[1:]]\n"
    "from foistats.cli.entry import main\n"
    "try:\n    main()\nfinally:\n"
    "    sys.stderr.write('FROZEN=%d' % gc.get_freeze_count())\n"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _FROZEN_AT_EXIT, *args], capture_output=True, text=True, timeout=120)


def _frozen(result: subprocess.CompletedProcess[str]) -> int:
    return int(result.stderr.rsplit("FROZEN=", 1)[1])


def test_the_console_script_freezes_what_it_loaded_and_writes_the_same_data(invoke, tmp_path: Path) -> None:
    """`import` (raw returns) and `rank` on a tidy file (dataset.load) both settle the
    modules they load; the tidy CSV is byte for byte what the in-process command writes."""
    out = tmp_path / "tidy.csv"
    done = _run("import", str(EXAMPLES), "-o", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    assert _frozen(done) > 10_000  # polars, typer and rich alone are far more objects than this
    same = tmp_path / "in_process.csv"
    assert invoke("import", EXAMPLES, "-o", same, "--quiet").exit_code == 0
    assert out.read_bytes() == same.read_bytes()
    ranked = _run("rank", str(out), "--year-start", "jun", "--format", "csv")
    assert ranked.returncode == 0, ranked.stderr
    assert _frozen(ranked) > 10_000
    assert "Leicestershire" in ranked.stdout


def test_help_freezes_nothing() -> None:
    """Help pages come prerendered and load no data: nothing to settle."""
    done = _run("rank", "--help")
    assert done.returncode == 0 and _frozen(done) == 0


def test_a_library_caller_s_objects_are_never_frozen(invoke, tmp_path: Path) -> None:
    """In-process (a notebook, a test runner) the same commands leave the collector alone."""
    before = gc.get_freeze_count()
    assert invoke("import", EXAMPLES, "-o", tmp_path / "t.csv", "--quiet").exit_code == 0
    assert invoke("rank", tmp_path / "t.csv", "--year-start", "jun").exit_code == 0
    assert gc.get_freeze_count() == before
