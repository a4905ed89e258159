"""Shared fixtures: the CLI runner, the shipped examples and the ../shared real-data corpus."""

from __future__ import annotations

import csv
import io
from pathlib import Path

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
