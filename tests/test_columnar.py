"""Big xlsx sheets read columnar (intake/columnar.py) give exactly the tidy CSV of the normal path.

The columnar path is forced on small generated workbooks (FOISTATS_COLUMNAR=1, with
detection's judged rows and the sample made small) and compared byte for byte with the normal path (FOISTATS_COLUMNAR=0).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import read_csv_text
from make_hostile import build

FORCES = ["Avon and Somerset Constabulary", "Kent Police", "Dyfed-Powys Police", "Metropolitan Police Service", "West Yorkshire Police"]
CODES = ["E23000036", "E23000032", "W15000004", "E23000001", "E23000010"]
CRIMES = ["Burglary", "Robbery", "Vehicle offences", "Criminal damage and arson"]
OUTCOMES = ["Under investigation", "Unable to prosecute suspect", "Offender given a caution"]


def _write(path: Path, header: list[str], rows: list[list[object]], title: str | None = "Recorded crime by force and month", hide_row: int | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Crime by month"
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    if hide_row is not None:
        ws.row_dimensions[hide_row].hidden = True
    wb.save(path)
    return path


def _long_rows(n: int, value: "callable", code: bool = False, rate: bool = False) -> list[list[object]]:  # type: ignore[valid-type]
    rng = random.Random(7)
    out = []
    months = [date(2021 + k // 12, 1 + k % 12, 1) for k in range(24)]
    i = 0
    for f, force in enumerate(FORCES):
        for m in months:
            for crime in CRIMES:
                for outcome in OUTCOMES:
                    if i == n:
                        return out
                    row: list[object] = [force] + ([CODES[f]] if code else []) + [m, crime, outcome, value(rng, i)]
                    if rate:
                        row.append(round(rng.random() * 10, 3))
                    out.append(row)
                    i += 1
    return out


def _plain(rng: random.Random, i: int) -> object:
    return rng.randrange(0, 300)


def _symbols(rng: random.Random, i: int) -> object:
    k = i % 13
    return {0: "<5", 1: "*", 2: None, 3: str(rng.randrange(10, 99)), 4: "1,234", 5: "-", 6: "[c]", 7: "#N/A"}.get(k, rng.randrange(0, 300))


def small_sample(monkeypatch, head: int, tail: int, margins: tuple[int, int] = (6, 3)) -> None:  # noqa: ANN001
    """Shrink detection's judged rows (detect.sample) and the columnar sample with them, for
    both paths alike, so small workbooks exercise what a 200,000-row sheet does."""
    from foistats.intake import columnar, detect

    monkeypatch.setattr(detect, "_HEAD_ROWS", head)
    monkeypatch.setattr(detect, "_TAIL_ROWS", tail)
    monkeypatch.setattr(columnar, "HEAD_MARGIN", margins[0])
    monkeypatch.setattr(columnar, "TAIL_MARGIN", margins[1])


def _import(invoke, path: Path, out: Path, monkeypatch, columnar: bool) -> str:  # noqa: ANN001
    monkeypatch.setenv("FOISTATS_COLUMNAR", "1" if columnar else "0")
    small_sample(monkeypatch, 50, 20, (12, 8))
    result = invoke("import", path, "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out.read_text()


@pytest.fixture
def taken(monkeypatch):  # noqa: ANN001, ANN201
    """Which sheets the columnar path finished (a fallback leaves it empty)."""
    from foistats.intake import columnar

    done: list[str] = []
    real = columnar.tidy_columnar

    def spy(plan, grid, table, key, describe, report, source, sheet):  # noqa: ANN001, ANN202
        frame = real(plan, grid, table, key, describe, report, source, sheet)
        done.append(sheet)
        return frame

    monkeypatch.setattr(columnar, "tidy_columnar", spy)
    return done


SHAPES = {
    "plain": (["Force", "Month", "Crime type", "Outcome", "Count"], dict(value=_plain), True),
    "symbols_blanks_text_numbers": (["Force", "Month", "Crime type", "Outcome", "Count"], dict(value=_symbols), True),
    "code_and_two_measures": (["Force", "Force code", "Month", "Crime type", "Outcome", "Count", "Rate per 1,000"], dict(value=_plain, code=True, rate=True), True),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_columnar_path_gives_the_same_tidy_csv(invoke, tmp_path, monkeypatch, taken, shape) -> None:  # noqa: ANN001
    header, kw, expect_columnar = SHAPES[shape]
    path = _write(tmp_path / f"{shape}.xlsx", header, _long_rows(700, **kw))
    old = _import(invoke, path, tmp_path / "old.csv", monkeypatch, columnar=False)
    assert not taken
    new = _import(invoke, path, tmp_path / "new.csv", monkeypatch, columnar=True)
    assert taken == (["Crime by month"] if expect_columnar else [])
    assert new == old
    assert len(read_csv_text(new)) > 550


def test_totals_notes_and_hidden_rows_fall_back_to_the_same_answer(invoke, tmp_path, monkeypatch, taken) -> None:  # noqa: ANN001
    header = ["Force", "Month", "Crime type", "Outcome", "Count"]
    rows = _long_rows(500, _symbols)
    cases = {
        "total": rows + [["Total", None, None, None, 12345]],
        "note": rows + [["Source: Home Office, police recorded crime"]],
        "text_below": rows[:300] + [["Kent Police", date(2021, 1, 1), "Burglary", "Under investigation", "see note 3"]] + rows[300:],
    }
    for name, body in cases.items():
        path = _write(tmp_path / f"{name}.xlsx", header, body)
        old = _import(invoke, path, tmp_path / f"{name}_old.csv", monkeypatch, columnar=False)
        new = _import(invoke, path, tmp_path / f"{name}_new.csv", monkeypatch, columnar=True)
        assert new == old, name
    assert taken == []  # every one of them fell back
    hidden = _write(tmp_path / "hidden.xlsx", header, rows, hide_row=200)
    old = _import(invoke, hidden, tmp_path / "h_old.csv", monkeypatch, columnar=False)
    new = _import(invoke, hidden, tmp_path / "h_new.csv", monkeypatch, columnar=True)
    assert new == old and taken == []


def test_cli_big_sheet_provenance_and_report(invoke, tmp_path, monkeypatch, taken) -> None:  # noqa: ANN001
    """Through the CLI: every number keeps its own cell, and the report names the whole range."""
    path = _write(tmp_path / "big.xlsx", ["Force", "Month", "Crime type", "Outcome", "Count"], _long_rows(900, _plain))
    monkeypatch.setenv("FOISTATS_COLUMNAR", "1")
    small_sample(monkeypatch, 80, 30)
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert taken == ["Crime by month"]
    rows = read_csv_text(result.stdout if hasattr(result, "stdout") else result.output)
    assert len(rows) == 900
    assert rows[0]["source_cell"] == "E4" and rows[-1]["source_cell"] == "E903"
    assert rows[-1]["force"] == "Dyfed-Powys Police" or rows[-1]["force"] in FORCES
    assert {r["measure"] for r in rows} >= {"Burglary — Under investigation", "Robbery — Offender given a caution"}
    report = invoke("import", path, "-o", tmp_path / "t.csv", "--report", tmp_path / "r.json")
    if report.exit_code == 0 and (tmp_path / "r.json").exists():
        assert "E903" in (tmp_path / "r.json").read_text()


def test_a_total_row_in_the_middle_of_a_long_body_is_still_a_total(invoke, tmp_path, monkeypatch, taken) -> None:  # noqa: ANN001
    """An "All forces" row far from the head and tail of the body: detection marks it a
    total over the whole body, so the columnar path (whose sample does not hold it) steps
    aside and the row keeps is_total — found by the differential hunt (seed 1163)."""
    header = ["Force", "Force code", "Month", "Crime type", "Outcome", "Count"]
    rows = _long_rows(700, _plain, code=True)
    middle = rows[350]
    # with the force's code beside it, "All forces" is read as that force, so only
    # detection's whole-body look at the labels knows the row is a total
    rows.insert(351, ["All forces", *middle[1:]])
    path = _write(tmp_path / "all_forces.xlsx", header, rows)
    old = _import(invoke, path, tmp_path / "old.csv", monkeypatch, columnar=False)
    new = _import(invoke, path, tmp_path / "new.csv", monkeypatch, columnar=True)
    assert taken == []
    assert new == old
    marked = [r for r in read_csv_text(new) if r["is_total"] == "true"]
    assert len(marked) == 1 and marked[0]["source_cell"] == "F355"


def test_hostile_workbooks_get_the_same_answer_with_the_columnar_path_forced(invoke, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Every hostile .xlsx of the reliability suite (bombs, entity attacks, lying sizes,
    damaged parts, hidden content, formulas without values) gets the same exit code, the
    same messages and the same rows whether the columnar path is forced on or off: its
    own checks never let through what the guard refuses, and never word a refusal."""
    files = {name: path for name, path in build(tmp_path / "hostile").items() if str(path).endswith(".xlsx")}
    assert len(files) >= 8
    small_sample(monkeypatch, 4, 2, (2, 1))
    for name, path in sorted(files.items()):
        got = {}
        for mode in ("0", "1"):
            monkeypatch.setenv("FOISTATS_COLUMNAR", mode)
            result = invoke("import", path, "--format", "csv")
            got[mode] = (result.exit_code, result.stdout, result.stderr)
        assert got["1"] == got["0"], name
        assert "Traceback" not in got["1"][2]


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "Arrests — ", "A — B — "]), st.sampled_from(["", " — x", " — Zq"]), st.sampled_from([" — ", " and "])),
        min_size=1, max_size=6,
    ),
    st.booleans(),
    st.lists(st.sampled_from(["Burglary", "Robbery", "", "Theft — of"]), min_size=1, max_size=8),
)
def test_words_joined_into_the_measure_as_replacing_them_would(shapes: list[tuple[str, str, str]], two: bool, words: list[str]) -> None:
    """columnar._split_templates: each row key's measure template cut once at its
    placeholders and the rows' measures joined from the pieces and words must equal the
    placeholders replaced row by row (first occurrence, one column after another)."""
    import polars as pl

    from foistats.intake.columnar import _split_templates

    pure = [3, 5] if two else [3]
    placeholder = {c: f"Zqxplaceholder{c}q" for c in pure}
    measures = []
    for i, (before, after, between) in enumerate(shapes):
        holes = [placeholder[c] for c in pure]
        measures.append(before + between.join(holes) + after + (" " + holes[0] if i == 2 else ""))
    desc = pl.DataFrame({"_k": list(range(len(measures))), "measure": measures})
    rows = pl.DataFrame({
        "_k": [i % len(measures) for i in range(len(words) * 2)],
        **{f"_w{c}": [words[(i + j) % len(words)] for i in range(len(words) * 2)] for j, c in enumerate(pure)},
    })
    by_replacing = rows.join(desc, on="_k", how="left", maintain_order="left")
    for c in pure:
        by_replacing = by_replacing.with_columns(pl.col("measure").str.replace(placeholder[c], pl.col(f"_w{c}"), literal=True))
    split = _split_templates(desc, pure, placeholder)
    assert split is not None
    with_pieces, expr, names = split
    joined = rows.join(with_pieces, on="_k", how="left", maintain_order="left").with_columns(expr.alias("measure")).drop(names)
    assert joined.get_column("measure").to_list() == by_replacing.get_column("measure").to_list()


def test_templates_with_placeholders_in_two_orders_are_replaced_row_by_row() -> None:
    import polars as pl

    from foistats.intake.columnar import _split_templates

    placeholder = {3: "Zqxplaceholder3q", 5: "Zqxplaceholder5q"}
    desc = pl.DataFrame({"_k": [0, 1], "measure": ["Zqxplaceholder3q — Zqxplaceholder5q", "Zqxplaceholder5q — Zqxplaceholder3q"]})
    assert _split_templates(desc, [3, 5], placeholder) is None
    assert _split_templates(pl.DataFrame({"_k": [0], "measure": ["no holes"]}), [3], {3: "Zqxplaceholder3q"}) is None


@given(st.lists(st.tuples(st.sampled_from([None, "Kent", "Total", " Grand", "x"]), st.sampled_from([None, "All forces", "Kent"]), st.sampled_from([None, 2020.0, 1.5])), min_size=0, max_size=30))
def test_first_labels_are_what_coalescing_the_label_columns_gives(rows: list[tuple[object, object, object]]) -> None:
    import polars as pl

    from foistats.intake.columnar import _first_labels

    body = pl.DataFrame(rows, schema={"a": pl.String, "b": pl.String, "c": pl.Float64}, orient="row")
    coalesced = body.select(pl.coalesce([pl.col(n).cast(pl.String) for n in ("a", "b", "c")]).alias("f")).get_column("f").unique().to_list()
    assert _first_labels(body, ["a", "b", "c"]) == {f for f in coalesced if f is not None}
