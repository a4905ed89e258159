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


def test_a_label_ending_as_a_total_in_a_later_column_is_still_a_total(invoke, tmp_path, monkeypatch, taken) -> None:  # noqa: ANN001
    """"Kent Police | Blackmail total" far from the head and tail of a long body: detection
    marks a row whose label in any column ends as a total, so the columnar path (which
    asked only each row's first label) steps aside and the row keeps is_total."""
    header = ["Force", "Month", "Crime type", "Outcome", "Count"]
    rows = _long_rows(700, _plain)
    middle = rows[350]
    rows.insert(351, [middle[0], middle[1], "Blackmail total", *middle[3:]])
    path = _write(tmp_path / "later_total.xlsx", header, rows)
    old = _import(invoke, path, tmp_path / "old.csv", monkeypatch, columnar=False)
    new = _import(invoke, path, tmp_path / "new.csv", monkeypatch, columnar=True)
    assert taken == []
    assert new == old
    assert [r["is_total"] for r in read_csv_text(new) if "Blackmail total" in r["measure"]] == ["true"]


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


@pytest.fixture
def reads(monkeypatch):  # noqa: ANN001, ANN201
    """Every body read started (by prefetch or by _tidy_columnar): its parameters, and
    whether it was waited for (used, or dropped) by the time the import returned."""
    from foistats.intake import columnar

    started: list[dict[str, object]] = []
    real = columnar._start_body

    def spy(path, sheet, b0, value_cols):  # noqa: ANN001, ANN202
        pending = real(path, sheet, b0, value_cols)
        entry: dict[str, object] = {"sheet": sheet, "b0": b0, "joined": False}
        started.append(entry)

        def wrapped(wait_only: bool = False):  # noqa: ANN202
            entry["joined"] = True
            return pending(wait_only=wait_only)

        return wrapped

    monkeypatch.setattr(columnar, "_start_body", spy)
    return started


def test_the_body_read_starts_once_and_early_and_is_used(invoke, tmp_path, monkeypatch, taken, reads) -> None:  # noqa: ANN001
    """The long sheet's body is read once, started by prefetch before the file's context
    is worked out, and that read is the one the tidy frame is built from."""
    from foistats.intake import tidy

    order: list[str] = []
    real_context = tidy._file_context

    def context(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        order.append(f"context after {len(reads)} read(s)")
        return real_context(*args, **kwargs)

    monkeypatch.setattr(tidy, "_file_context", context)
    path = _write(tmp_path / "big.xlsx", ["Force", "Month", "Crime type", "Outcome", "Count"], _long_rows(700, _plain))
    old = _import(invoke, path, tmp_path / "old.csv", monkeypatch, columnar=False)
    assert order and order[0] == "context after 0 read(s)"  # the normal path reads no body ahead
    order.clear()
    new = _import(invoke, path, tmp_path / "new.csv", monkeypatch, columnar=True)
    assert new == old and taken == ["Crime by month"]
    assert len(reads) == 1 and reads[0]["joined"]
    assert order[0] == "context after 1 read(s)"


def test_a_read_started_early_is_waited_for_when_the_import_falls_back(invoke, tmp_path, monkeypatch, taken, reads) -> None:  # noqa: ANN001
    """Hidden rows (found after the read has started) send the file down the normal path:
    the early read is waited for first, never left running beside the normal reader."""
    rows = _long_rows(500, _symbols)
    hidden = _write(tmp_path / "hidden.xlsx", ["Force", "Month", "Crime type", "Outcome", "Count"], rows, hide_row=200)
    old = _import(invoke, hidden, tmp_path / "h_old.csv", monkeypatch, columnar=False)
    new = _import(invoke, hidden, tmp_path / "h_new.csv", monkeypatch, columnar=True)
    assert new == old and taken == []
    assert reads and all(r["joined"] for r in reads)


def test_a_read_started_early_is_waited_for_when_the_file_falls_back_before_the_sheet(invoke, tmp_path, monkeypatch, taken, reads) -> None:  # noqa: ANN001
    """Anything that sends the file down the normal path after prefetch and before the long
    sheet is tidied (here forced, as the file's context is worked out) still waits for the
    read started early: the normal reader never runs beside it."""
    from foistats.intake import columnar, tidy

    real_context = tidy._file_context
    calls: list[int] = []

    def context_then_fallback(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:
            raise columnar.Fallback("forced by the test")
        return real_context(*args, **kwargs)

    path = _write(tmp_path / "big.xlsx", ["Force", "Month", "Crime type", "Outcome", "Count"], _long_rows(700, _plain))
    old = _import(invoke, path, tmp_path / "old.csv", monkeypatch, columnar=False)
    monkeypatch.setattr(tidy, "_file_context", context_then_fallback)
    new = _import(invoke, path, tmp_path / "new.csv", monkeypatch, columnar=True)
    assert new == old and taken == [] and len(calls) == 2
    assert len(reads) == 1 and reads[0]["joined"]


def test_a_sheet_of_records_starts_no_body_read(invoke, tmp_path, monkeypatch, reads) -> None:  # noqa: ANN001
    """A long sheet that is a log of records is counted by the normal path: prefetch does
    not start reading its body only to throw it away."""
    header = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Crime type"]
    body = [[f"id{i}", f"2021-{1 + i % 12:02d}", "Kent Police", "Kent Police", 0.5 + i / 1000, 51.2 + i / 1000, CRIMES[i % 4]] for i in range(400)]
    path = _write(tmp_path / "records.xlsx", header, body, title=None)
    monkeypatch.setenv("FOISTATS_COLUMNAR", "1")
    small_sample(monkeypatch, 50, 20, (12, 8))
    result = invoke("import", path, "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.output
    assert reads == []
    assert "Kent Police" in result.stdout


def test_a_read_with_other_parameters_is_dropped_and_a_new_one_started(monkeypatch) -> None:
    from foistats.intake import columnar

    waited: list[bool] = []
    started: list[tuple[int, tuple[int, ...]]] = []
    monkeypatch.setattr(columnar, "_start_body", lambda path, sheet, b0, cols: (started.append((b0, tuple(cols))), "new")[1])
    plan = columnar.Plan(path=Path("x.xlsx"), workbook=None)  # type: ignore[arg-type]
    plan.reads["S"] = ((3, (4,)), lambda wait_only=False: waited.append(wait_only))
    assert columnar._take_read(plan, "S", 3, [4, 5]) == "new"
    assert waited == [True] and started == [(3, (4, 5))] and not plan.reads
    same = lambda wait_only=False: None  # noqa: E731
    plan.reads["S"] = ((3, (4, 5)), same)
    assert columnar._take_read(plan, "S", 3, [4, 5]) is same and started == [(3, (4, 5))]
    plan.reads["T"] = ((1, (2,)), lambda wait_only=False: waited.append(wait_only))
    plan.drop_reads()
    assert waited == [True, True] and not plan.reads
