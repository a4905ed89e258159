"""`foistats chart rank|trend`: in the terminal, as data, and as SVG/PNG (matplotlib optional)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.cli.app import app
from foistats.publish import chart as charts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(autouse=True)
def _examples() -> None:
    if not (EXAMPLES / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")


def test_terminal_rank_chart() -> None:
    result = run("chart", "rank", EXAMPLES, "--top", "10", "--force", "Leicestershire", "--format", "table")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())  # titles and captions wrap to the table's width
    assert "Greater Manchester Police" in out and "Leicestershire Police" in out
    assert "+2,700.0%" in out  # issue 16: one precision on one chart and "+442.9%" in out and "█" in out
    # The title states the years; the caption who was ranked and who was left out.
    assert "% change, Jun 2020–May 2021 to Jun 2022–May 2023" in out
    assert "38 of 44 forces that answered are ranked; top 10 shown" in out
    assert "Not ranked: 1 refused, 3 no answer" in out
    assert "Cumbria Constabulary (6 → 41)" in out  # the small base, named
    assert "Nottinghamshire Police" in out and "Avon and Somerset" not in out  # 10th shown, 11th not


def test_rank_chart_data_as_csv() -> None:
    result = run("chart", "rank", EXAMPLES, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 38
    assert (rows[0]["force"], rows[0]["value"], rows[0]["place"]) == ("Greater Manchester Police", "2700", "1st")
    assert rows[8]["force"] == "Leicestershire Police" and rows[8]["shown"] == "+442.9%"
    assert "Small bases" in result.stderr


def test_trend_chart_in_the_terminal() -> None:
    result = run("chart", "trend", EXAMPLES, "--force", "Leicestershire", "--force", "Lincolnshire", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = [(r["force"], r["year"], r["value"]) for r in csv.DictReader(io.StringIO(result.stdout))]
    assert rows[:3] == [
        ("Leicestershire Police", "2020/21", "28"),
        ("Leicestershire Police", "2021/22", "48"),
        ("Leicestershire Police", "2022/23", "152"),
    ]
    assert rows[5] == ("Lincolnshire Police", "2022/23", "")  # 8 of 12 months: a gap, not 51
    assert "Lincolnshire Police 2022/23: partial" in result.stderr


@pytest.mark.skipif(not has_matplotlib(), reason="matplotlib (foistats[charts]) is not installed")
def test_svg_and_png(tmp_path: Path) -> None:
    svg = tmp_path / "chart.svg"
    result = run("chart", "rank", EXAMPLES, "--force", "Leicestershire", "-o", svg)
    assert result.exit_code == 0, result.stderr
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text
    assert "Jun 2020–May 2021 to Jun 2022–May 2023" in text  # text kept as text
    assert "Leicestershire Police" in text and "Not ranked" in text
    png = tmp_path / "trend.png"
    result = run("chart", "trend", EXAMPLES, "--force", "GMP", "-o", png)
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(not has_matplotlib(), reason="matplotlib (foistats[charts]) is not installed")
def test_svg_is_reproducible() -> None:
    chart = charts.Chart(kind="rank", title="T", subtitle="S", bars=[charts.Bar("A", 2.0, "+2%"), charts.Bar("B", -1.0, "-1%")])
    assert charts.image_bytes(chart, ".svg") == charts.image_bytes(chart, ".svg")


def test_missing_matplotlib_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    result = run("chart", "rank", EXAMPLES, "-o", tmp_path / "chart.svg")
    assert result.exit_code == 2
    assert "charts need matplotlib: pip install 'foistats[charts]'" in result.stderr
    assert not (tmp_path / "chart.svg").exists()


def test_chart_usage_errors(tmp_path: Path) -> None:
    bad = run("chart", "pie", EXAMPLES)
    assert bad.exit_code == 2 and "rank or trend" in bad.stderr
    misspelt = run("chart", "rank", EXAMPLES, "--force", "Leicstershire")
    assert misspelt.exit_code == 2 and "did you mean Leicestershire Police?" in misspelt.stderr
    assert run("chart", "rank", EXAMPLES, "-o", tmp_path / "chart.gif").exit_code == 2
