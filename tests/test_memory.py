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


_ALLOCATOR_AT_EXIT = (
    "import os, sys; sys.argv = ['foistats', *sys.argv[1:]]\n"
    "from foistats.cli.entry import main\n"
    "try:\n    main()\nfinally:\n"
    "    sys.stderr.write('CONF=%s POLARS=%s' % (os.environ.get('_RJEM_MALLOC_CONF'), 'polars' in sys.modules))\n"
)


def test_rank_on_a_big_workbook_sets_the_allocator_up_before_polars_loads(tmp_path: Path) -> None:
    """`rank` (through dataset.load) gives a big workbook, named or in a folder, the setting
    `import` gives it, which only works before polars is imported: `rank` on the
    200,000-row xlsx peaked at 254 MB without it, 212 MB with it. A tidy CSV alone gets none."""
    import os

    from foistats.intake.columnar import MIN_BYTES

    folder = tmp_path / "returns"
    folder.mkdir()
    big = folder / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(MIN_BYTES + 1)  # not a real workbook: the import refuses it, after the setting
    tidy = tmp_path / "tidy.csv"
    assert subprocess.run(
        [sys.executable, "-m", "foistats", "import", str(EXAMPLES), "-o", str(tidy), "--quiet"], capture_output=True
    ).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}

    def conf(*args: str) -> str:
        done = subprocess.run([sys.executable, "-c", _ALLOCATOR_AT_EXIT, *args], capture_output=True, text=True, env=env, timeout=120)
        return done.stderr.rsplit("CONF=", 1)[1]

    # (polars, once loaded, puts its own defaults in front: the later options win)
    ours = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0 POLARS=True"
    assert conf("rank", str(big), "--year-start", "jun").endswith(ours)
    assert conf("rank", str(folder), "--year-start", "jun").endswith(ours)
    alone = conf("rank", str(tidy), "--year-start", "jun")
    assert alone.endswith("POLARS=True") and "narenas:1" not in alone
