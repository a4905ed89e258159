"""Shared fixtures: the CLI runner, the shipped examples and the ../shared real-data corpus."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

# CI runs on a shared 2-core machine: a property test must fail on a wrong answer, never
# on a slow example. No per-example deadline; the example counts stay as each test sets them.
settings.register_profile("foistats", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("foistats")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
# ../shared beside the repository; from a git worktree (wt/NAME) it is one level further up.
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "realdata").is_dir()), ROOT.parent / "shared")
REALDATA = SHARED / "realdata"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture
def invoke(runner: CliRunner):
    """Run `foistats ARGS...` in-process and return the Result (stdout and stderr separate)."""
    from foistats.cli.app import app

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present beside the repository")
    return REALDATA


def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def run_entry(args: list[str], *, watch: str = "typer", **env: str) -> "subprocess.CompletedProcess[str]":
    """Run the console script's entry point as installed (program name `foistats`) in a real
    process; its stderr ends with `<WATCH>_LOADED=True|False`: whether the module `watch`
    was imported by the time it finished."""
    code = (
        "import sys; sys.argv = ['foistats', *sys.argv[1:]]\n"
        "from foistats.cli.entry import main\n"
        "try:\n    main()\nfinally:\n"
        f"    sys.stderr.write('{watch.upper()}_LOADED=%s' % ({watch!r} in sys.modules))\n"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FOISTATS_DEBUG")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=full_env, timeout=120)


def write_xlsx(
    path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), sheets: dict[str, list[list[Any]]] | None = None,
    title: str | None = None,
) -> Path:
    """A workbook as a force's FOI team would send it: the rows on the first sheet (named
    `title`, else openpyxl's default), `merges` applied, and any further `sheets`."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    for name, extra in (sheets or {}).items():
        other = wb.create_sheet(name)
        for row in extra:
            other.append(row)
    wb.save(path)
    return path
