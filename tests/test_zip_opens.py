"""Each file read once: the guard's steps (sniff, archive check, formulas with no saved value,
hidden-content audit) share one open of an xlsx/xlsb/ods and one read of its zip directory.
calamine opens the file by path itself (in Rust), which these counts do not see."""

from __future__ import annotations

import traceback
import zipfile
from pathlib import Path

import pytest

from foistats.intake.read import read_workbook
from foistats.intake.report import ImportOptions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sextortion"
XLSX = sorted(EXAMPLES.glob("*.xlsx"))
ODS = sorted(EXAMPLES.glob("*.ods"))


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(file opened, the foistats module that opened it) for every zipfile.ZipFile made."""
    monkeypatch.setenv("FOISTATS_READER", "inprocess")  # the reader's own checks run here, counted too
    seen: list[tuple[str, str]] = []
    original = zipfile.ZipFile.__init__

    def counting(self: zipfile.ZipFile, file: object, *args: object, **kwargs: object) -> None:
        callers = [f.filename for f in traceback.extract_stack()[:-1] if "foistats" in f.filename and "tests" not in f.filename]
        seen.append((str(file), callers[-1] if callers else ""))
        original(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    return seen


@pytest.mark.parametrize("path", XLSX[:3] + ODS[:1], ids=lambda p: p.suffix)
def test_reading_a_workbook_opens_its_archive_once(path: Path, opens: list[tuple[str, str]]) -> None:
    book = read_workbook(path)
    assert book.sheets
    assert [f for f, _ in opens] == [str(path)], opens


def test_importing_an_xlsx_opens_its_archive_once_for_the_guard_and_reader(opens: list[tuple[str, str]]) -> None:
    from foistats.intake.pipeline import import_paths

    path = XLSX[0]
    result = import_paths([path], ImportOptions())
    assert result.files and not result.failures and result.frame.height
    # Screening for foistats' own workbooks (own_outputs) looks inside .xlsx files before the
    # import; every other open of the file is the guard's, and there is one.
    guard_opens = [(f, who) for f, who in opens if f == str(path) and not who.endswith("own_outputs.py")]
    assert len(guard_opens) == 1, guard_opens
    assert guard_opens[0][1].endswith("sniff.py")


def test_an_archive_handed_over_and_not_read_is_closed(opens: list[tuple[str, str]]) -> None:
    from foistats.intake import guard
    from foistats.intake.read import hand_over, release

    kind, archive = guard.sniff_open(XLSX[0])
    assert kind == "xlsx" and archive is not None
    hand_over(XLSX[0], kind, archive)
    release(XLSX[0])
    assert archive.fp is None  # closed
