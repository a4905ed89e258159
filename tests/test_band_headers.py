"""A header row of age bands is a header, and the counts under it are data.

A band such as "10-17" or "Under 10" also reads as a suppressed range, so a band row that
carries the label column's own heading ("Force | 10-17 | 18+" under a spanning "Age") was
read as the first data row: detection then took the first row of counts for the lowest
header row, and one count vanished into a measure name ("Age 310") while the other was
filed under it. Every case here is built small and imported through the CLI, as an xlsx
(with and without the spanning "Age" merged) and as a CSV; the counter-cases are data
rows that must stay data."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import read_csv_text, write_xlsx

TITLE = "Stop and search, 2023"
FORCES = ["Kent Police", "Essex Police", "Surrey Police", "Sussex Police"]
OFFENCES = ["Burglary", "Robbery", "Criminal damage", "Vehicle crime"]


def write(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    """The rows as an xlsx (merges applied) or, for a .csv path, as CSV text."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])
        return path
    return write_xlsx(path, rows, merges)


def imported(invoke, path: Path) -> list[dict[str, str]]:
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code in (0, 1), result.stderr
    return read_csv_text(result.stdout)


def triples(rows: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(r["force"], r["measure"], r["value"]) for r in rows}


def span(cols: int) -> str:
    """The merge of the spanning "Age" over the band columns B.. (row 3)."""
    return f"B3:{chr(ord('A') + cols)}3"


# ------------------------------------------------------------------ the reported layout


@pytest.mark.parametrize("kind", ["merged.xlsx", "plain.xlsx", "plain.csv"])
def test_the_reported_layout_keeps_both_counts(invoke, tmp_path, kind: str) -> None:
    rows = [[TITLE], [], [None, "Age", None], ["Force", "10-17", "18+"], ["Kent Police", 310, 2900], ["Essex Police", 250, 2400]]
    got = imported(invoke, write(tmp_path / kind, rows, (span(2),) if kind.startswith("merged") else ()))
    assert triples(got) == {
        ("Kent Police", "Age — 10-17", "310"), ("Kent Police", "Age — 18+", "2900"),
        ("Essex Police", "Age — 10-17", "250"), ("Essex Police", "Age — 18+", "2400"),
    }
    assert {r["source_cell"] for r in got} == {"B5", "C5", "B6", "C6"}  # data from row 5; rows 3-4 are the header


def test_inspect_shows_both_header_rows(invoke, tmp_path) -> None:
    rows = [[TITLE], [], [None, "Age", None], ["Force", "10-17", "18+"], ["Kent Police", 310, 2900], ["Essex Police", 250, 2400]]
    result = invoke("inspect", write(tmp_path / "t.xlsx", rows, (span(2),)))
    assert "header row(s) 3, 4; data rows 5–6" in " ".join(result.stdout.split())


@pytest.mark.parametrize("merged", [True, False])
def test_a_total_column_beside_the_bands(invoke, tmp_path, merged: bool) -> None:
    rows = [
        [TITLE], [None, "Age", None, None], ["Force", "10-17", "18+", "Total"],
        ["Kent Police", 310, 2900, 3210], ["Essex Police", 250, 2400, 2650],
    ]
    rows.insert(1, [])
    got = imported(invoke, write(tmp_path / "t.xlsx", rows, (span(2),) if merged else ()))
    assert {(r["force"], r["measure"], r["value"], r["is_total"]) for r in got} == {
        ("Kent Police", "Age — 10-17", "310", "false"), ("Kent Police", "Age — 18+", "2900", "false"),
        ("Kent Police", "Age — Total", "3210", "true"),
        ("Essex Police", "Age — 10-17", "250", "false"), ("Essex Police", "Age — 18+", "2400", "false"),
        ("Essex Police", "Age — Total", "2650", "true"),
    }


@pytest.mark.parametrize("kind", ["merged.xlsx", "plain.xlsx", "plain.csv"])
@pytest.mark.parametrize("total", [False, True])
def test_numeric_band_headers_under_age(invoke, tmp_path, kind: str, total: bool) -> None:
    rows = [[TITLE], [], [None, "Age", None], ["Force", 10, 18], ["Kent Police", 310, 2900], ["Essex Police", 250, 2400]]
    if total:
        rows[2].append(None)
        rows[3].append("Total")
        rows[4].append(3210)
        rows[5].append(2650)
    got = imported(invoke, write(tmp_path / kind, rows, (span(2),) if kind.startswith("merged") else ()))
    expected = {
        ("Kent Police", "Age — 10", "310"), ("Kent Police", "Age — 18", "2900"),
        ("Essex Police", "Age — 10", "250"), ("Essex Police", "Age — 18", "2400"),
    }
    if total:
        expected |= {("Kent Police", "Age — Total", "3210"), ("Essex Police", "Age — Total", "2650")}
    assert triples(got) == expected


@pytest.mark.parametrize("bands", [["10-17", "18+"], ["Under 10", "10-17", "18+"], ["10-17", "18-24", "25-34", "35+"]])
@pytest.mark.parametrize("heading_below", [True, False])
def test_offence_types_under_bands(invoke, tmp_path, bands: list[str], heading_below: bool) -> None:
    """The label column's heading on the band row or on the spanning row: the same table."""
    n = len(bands)
    upper = [None if heading_below else "Offence type", "Age", *[None] * (n - 1)]
    lower = ["Offence type" if heading_below else None, *bands]
    counts = {"Burglary": [31 + i for i in range(n)], "Robbery": [12 * (i + 1) for i in range(n)]}
    rows = [["Kent Police - stop and search, 2023"], [], upper, lower, *[[k, *v] for k, v in counts.items()]]
    got = imported(invoke, write(tmp_path / "t.xlsx", rows, (span(n),)))
    assert triples(got) == {
        ("Kent Police", f"Age — {b} — {k}", str(v[i])) for k, v in counts.items() for i, b in enumerate(bands)
    }


# ------------------------------------------------------------------ rows that stay data


def test_a_force_row_of_suppressed_ranges_stays_data(invoke, tmp_path) -> None:
    """A row label that names a force is a data row, whatever its cells look like."""
    rows = [[TITLE], ["Force", "Male", "Female", "Total"], ["Kent Police", "Under 5", "Under 5", 12], ["Essex Police", 20, 30, 50]]
    got = imported(invoke, write(tmp_path / "t.xlsx", rows))
    kent = {(r["measure"], r["status"]) for r in got if r["force"] == "Kent Police"}
    assert kent == {("Male", "suppressed"), ("Female", "suppressed"), ("Total", "ok")}


def test_a_force_wide_row_of_small_counts_stays_data(invoke, tmp_path) -> None:
    """"Force" as the row label of a force-wide line over districts: numbers there are data
    (no spanning age heading says they are ages)."""
    rows = [["Kent Police - arrests, 2023"], ["Area", "Male", "Female"], ["Force", 50, 60], ["North", 20, 30], ["South", 30, 30]]
    got = imported(invoke, write(tmp_path / "t.xlsx", rows))
    assert {"50", "60", "20", "30"} <= {r["value"] for r in got}
    assert len(got) == 6


# ------------------------------------------------------------------ property: random band tables

BANDS = ["Under 10", "0-9", "10-17", "10 to 17", "18-24", "25-34", "25+", "35+", "65 and over", "18+", "Over 65"]


@st.composite
def band_tables(draw: Any) -> dict[str, Any]:
    """A small band table: 2-4 bands (words, ranges or whole-number ages) under a spanning
    "Age", a label column of forces or of offence types with its heading on either header
    row, counts that often look like ages (10-99), maybe a Total column."""
    n = draw(st.integers(2, 4))
    numeric = draw(st.booleans())
    if numeric:
        bands: list[Any] = sorted(draw(st.lists(st.integers(0, 90), min_size=n, max_size=n, unique=True)))
    else:
        bands = draw(st.lists(st.sampled_from(BANDS), min_size=n, max_size=n, unique=True))
    by_force = draw(st.booleans())
    labels = draw(st.lists(st.sampled_from(FORCES if by_force else OFFENCES), min_size=2, max_size=4, unique=True))
    count = st.one_of(st.integers(10, 99), st.integers(0, 9), st.integers(100, 1799), st.integers(2101, 50000))
    counts = {k: draw(st.lists(count, min_size=n, max_size=n)) for k in labels}
    heading = "Force" if by_force else draw(st.sampled_from(["Offence", "Offence type", "Crime type"]))
    heading_below = True if numeric else draw(st.booleans())  # whole-number ages need the heading on their row
    return {
        "bands": bands, "counts": counts, "by_force": by_force, "heading": heading, "heading_below": heading_below,
        "total": draw(st.booleans()), "merged": draw(st.booleans()), "csv": draw(st.booleans()),
    }


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # invoke is stateless
@given(t=band_tables())
def test_every_count_lands_under_its_own_label_and_band(invoke, tmp_path_factory, t: dict[str, Any]) -> None:
    bands, counts, n = t["bands"], t["counts"], len(t["bands"])
    upper = [None if t["heading_below"] else t["heading"], "Age", *[None] * (n - 1)]
    lower = [t["heading"] if t["heading_below"] else None, *bands]
    body = [[k, *v] for k, v in counts.items()]
    if t["total"]:
        upper.append(None)
        lower.append("Total")
        for row in body:
            row.append(sum(row[1:]))
    title = TITLE if t["by_force"] else "Kent Police - stop and search, 2023"
    rows = [[title], [], upper, lower, *body]
    path = tmp_path_factory.mktemp("bands") / ("t.csv" if t["csv"] else "t.xlsx")
    got = imported(invoke, write(path, rows, (span(n),) if t["merged"] and not t["csv"] else ()))

    def key(label: str, band: Any) -> tuple[str, str]:
        if t["by_force"]:
            return label, f"Age — {band}"
        return "Kent Police", f"Age — {band} — {label}"

    expected = {key(k, b): str(v[i]) for k, v in counts.items() for i, b in enumerate(bands)}
    if t["total"]:
        expected |= {key(k, "Total"): str(sum(v)) for k, v in counts.items()}
    assert {(r["force"], r["measure"]): r["value"] for r in got} == expected
    assert len(got) == len(expected)  # nothing else came in (no header cell read as a count)


def test_a_force_wide_row_with_a_number_stays_data(invoke, tmp_path) -> None:
    """"Force | Under 5 | 12" over districts: a force-wide line, suppressed and counted,
    even though its label reads like a heading."""
    rows = [
        ["Kent Police - arrests, 2023"], ["Area", "Male", "Female", "Persons"],
        ["Force", "Under 5", "Under 5", 12], ["North", 20, 30, 50], ["South", 30, 30, 60],
    ]
    got = imported(invoke, write(tmp_path / "t.xlsx", rows))
    assert {r["source_cell"] for r in got} >= {"B3", "C3", "D3"}
    assert ("12", "ok") in {(r["value"], r["status"]) for r in got if r["source_cell"] == "D3"}
