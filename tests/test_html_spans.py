"""Web-page tables with rowspan/colspan: every number keeps the labels its cell sits under.

A rowspan label left empty in the rows it covers made those rows look area-less, and the
letterhead force filled the gap: a district's figure filed as the whole force's, with no
warning. These tests drive the CLI, as a user would, on small pages built here.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from conftest import read_csv_text

_HEAD = "<html><body><p>Essex Police</p><p>Our ref: FOI 2024/0123</p><p>Sextortion reports by district, 2023</p>\n"


def _page(tmp_path: Path, name: str, table: str) -> Path:
    """Write a reply page: a letterhead naming the force, a title, then the table."""
    path = tmp_path / name
    path.write_text(_HEAD + "<table border=1>\n" + table + "\n</table></body></html>\n", encoding="utf-8")
    return path


def _rows(invoke: Any, path: Path) -> tuple[list[dict[str, str]], str]:
    """The tidy rows of one import (CSV) and its report (stderr)."""
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return read_csv_text(result.stdout), result.stderr


def _by_area_and_measure(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(r["force"], r["measure"]): r["value"] for r in rows}


def test_a_rowspan_district_names_every_row_it_covers(invoke: Any, tmp_path: Path) -> None:
    """The reported defect: Chelmsford's Female figure was filed as Essex Police's."""
    path = _page(
        tmp_path,
        "rs2.html",
        "<tr><th>District</th><th>Victim</th><th>Reports</th></tr>"
        "<tr><td rowspan=2>Chelmsford</td><td>Male</td><td>10</td></tr>"
        "<tr><td>Female</td><td>4</td></tr>"
        "<tr><td>Colchester</td><td>Male</td><td>3</td></tr>",
    )
    rows, _ = _rows(invoke, path)
    assert _by_area_and_measure(rows) == {
        ("Chelmsford", "Reports — Male"): "10",
        ("Chelmsford", "Reports — Female"): "4",
        ("Colchester", "Reports — Male"): "3",
    }
    assert not any(r["force"] == "Essex Police" for r in rows)


def test_two_districts_each_spanning_two_rows(invoke: Any, tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "two.html",
        "<tr><th>District</th><th>Victim</th><th>Reports</th></tr>"
        "<tr><td rowspan=2>Chelmsford</td><td>Male</td><td>10</td></tr>"
        "<tr><td>Female</td><td>4</td></tr>"
        "<tr><td rowspan=2>Colchester</td><td>Male</td><td>3</td></tr>"
        "<tr><td>Female</td><td>2</td></tr>",
    )
    rows, report = _rows(invoke, path)
    assert _by_area_and_measure(rows) == {
        ("Chelmsford", "Reports — Male"): "10",
        ("Chelmsford", "Reports — Female"): "4",
        ("Colchester", "Reports — Male"): "3",
        ("Colchester", "Reports — Female"): "2",
    }
    assert "0 warnings" in report


def test_a_colspan_year_heads_both_columns_under_it(invoke: Any, tmp_path: Path) -> None:
    """ "2022" over Male and Female: both columns are 2022 (and the rowspan header is harmless)."""
    path = _page(
        tmp_path,
        "cs.html",
        "<tr><th rowspan=2>District</th><th colspan=2>2022</th><th colspan=2>2023</th></tr>"
        "<tr><th>Male</th><th>Female</th><th>Male</th><th>Female</th></tr>"
        "<tr><td>Chelmsford</td><td>10</td><td>4</td><td>12</td><td>5</td></tr>"
        "<tr><td>Colchester</td><td>3</td><td>2</td><td>6</td><td>1</td></tr>",
    )
    rows, _ = _rows(invoke, path)
    got = {(r["force"], r["measure"], r["period_label"]): r["value"] for r in rows}
    assert got == {
        ("Chelmsford", "Male", "2022"): "10",
        ("Chelmsford", "Female", "2022"): "4",
        ("Chelmsford", "Male", "2023"): "12",
        ("Chelmsford", "Female", "2023"): "5",
        ("Colchester", "Male", "2022"): "3",
        ("Colchester", "Female", "2022"): "2",
        ("Colchester", "Male", "2023"): "6",
        ("Colchester", "Female", "2023"): "1",
    }


def test_rowspan_and_colspan_together_and_a_span_past_the_table_end(invoke: Any, tmp_path: Path) -> None:
    """A 2x2 corner header, a district over two sub-areas, and a rowspan running off the end."""
    path = _page(
        tmp_path,
        "both.html",
        "<tr><th colspan=2 rowspan=2>Area</th><th colspan=2>Reports</th></tr>"
        "<tr><th>Male</th><th>Female</th></tr>"
        "<tr><td rowspan=2>Chelmsford</td><td>Urban</td><td>10</td><td>4</td></tr>"
        "<tr><td>Rural</td><td>2</td><td>1</td></tr>"
        "<tr><td rowspan=5>Colchester</td><td>Urban</td><td>3</td><td>7</td></tr>",
    )
    rows, _ = _rows(invoke, path)
    values = {r["measure"]: r["value"] for r in rows}
    # Read as the same table saved from Word is: the district stays with its sub-area.
    assert values == {
        "Reports — Male — Chelmsford — Urban": "10",
        "Reports — Female — Chelmsford — Urban": "4",
        "Reports — Male — Chelmsford — Rural": "2",
        "Reports — Female — Chelmsford — Rural": "1",
        "Reports — Male — Colchester — Urban": "3",
        "Reports — Female — Colchester — Urban": "7",
    }


def test_a_huge_rowspan_is_clamped_to_the_table(invoke: Any, tmp_path: Path) -> None:
    """rowspan=100000 on a two-row body costs two rows, at once; a junk span is ignored."""
    path = _page(
        tmp_path,
        "huge.html",
        "<tr><th>District</th><th>Victim</th><th>Reports</th></tr>"
        "<tr><td rowspan=100000>Chelmsford</td><td>Male</td><td>10</td></tr>"
        "<tr><td>Female</td><td rowspan=-3 colspan=abc>4</td></tr>",
    )
    start = time.perf_counter()
    rows, _ = _rows(invoke, path)
    assert time.perf_counter() - start < 10
    assert _by_area_and_measure(rows) == {
        ("Chelmsford", "Reports — Male"): "10",
        ("Chelmsford", "Reports — Female"): "4",
    }


def test_a_figure_spanning_rows_is_read_once_and_warned_about(invoke: Any, tmp_path: Path) -> None:
    """14 over Male and Female is one number for both: never copied (counted twice), and said."""
    path = _page(
        tmp_path,
        "fig.html",
        "<tr><th>District</th><th>Victim</th><th>Reports</th></tr>"
        "<tr><td rowspan=2>Chelmsford</td><td>Male</td><td rowspan=2>14</td></tr>"
        "<tr><td>Female</td></tr>"
        "<tr><td>Colchester</td><td>Male</td><td>3</td></tr>",
    )
    rows, report = _rows(invoke, path)
    assert [r["value"] for r in rows].count("14") == 1
    assert "a figure (14) spans several rows or columns" in report
