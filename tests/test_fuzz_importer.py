"""Property tests: random cell grids and random CSV text either import or fail with the
project's own error, never a traceback; and what imports reconciles cell for cell."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foistats.intake.report import ImportOptions
from foistats.intake.tidy import import_file
from foistats.model.errors import FoistatsError

CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=5000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "", "<5", "*", "[c]", "[x]", "..", "-", "Nil", "n/a", "Total", "Leicestershire", "Kent Police",
            "North West", "2020/21", "June 2020 - May 2021", "Jan", "2021", "Q1 2021", "Notes:", "17~",
            "1,234", "Section 12 of the Freedom of Information Act", "=1+1", "E23000021", "Year", "Count",
        ]
    ),
    st.text(max_size=12),
)
GRIDS = st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=14)


def _write(path: Path, grid: list[list[object]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["" if c is None else c for c in row] for row in grid])
    path.write_text(buf.getvalue(), encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=GRIDS)
def test_random_grids_import_or_fail_cleanly(tmp_path: Path, grid: list[list[object]]) -> None:
    path = tmp_path / "grid.csv"
    _write(path, grid)
    try:
        frame, report = import_file(path, ImportOptions())
    except FoistatsError:
        return
    imported = sum(s.rows_imported for s in report.sheets if s.status == "imported")
    for s in report.sheets:
        if s.status == "imported":
            assert s.cells_in_region == s.rows_imported + len(s.skipped)
    assert frame.height >= imported
    ok = frame.filter(frame["status"] == "ok")
    assert ok["value"].null_count() == 0  # an ok row always has a number


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_random_csv_text_imports_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "text.csv"
    path.write_text(text, encoding="utf-8")
    try:
        import_file(path, ImportOptions())
    except FoistatsError:
        pass
