"""Broken and hostile files through `foistats import`: the exact one-line message, exit 3,
no traceback, and the good files beside them still imported (issue 8)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_hostile import build  # noqa: E402

# file -> the message after "PATH: " (exact), for files that must be refused.
REFUSED = {
    "empty.xlsx": "the file is empty (0 bytes)",
    "truncated.xlsx": "the file is damaged or truncated (not a complete zip archive)",
    # Read as what they are since issue 14; these two are damaged, and say so.
    "pdf.xlsx": "the PDF is damaged and cannot be opened (try opening and re-saving it)",
    "word.xlsx": "the Word document is damaged and cannot be read (try opening and re-saving it)",
    "page.xls": "this is a web page (HTML) saved with a .xls name; open it in a browser or spreadsheet and save as .xlsx",
    "text_named.xlsx": "this is a plain text file, not a .xlsx workbook; if it holds CSV data, rename it to .csv",
    "encrypted.xlsx": "this workbook is password-protected; ask the force for an unprotected copy",
    "encrypted.xls": "this workbook is password-protected; ask the force for an unprotected copy",
    "truncated_ole.xls": "the file is damaged or truncated (not a complete Excel 97-2003 workbook)",
    "billion_laughs.xlsx": "refusing to open: the workbook contains XML entity declarations (possible entity-expansion attack)",
    "xxe.xlsx": "refusing to open: the workbook contains XML entity declarations (possible entity-expansion attack)",
    "billion_laughs.ods": "refusing to open: the workbook contains XML entity declarations (possible entity-expansion attack)",
    "bomb_declared.xlsx": "refusing to open: the archive would expand to 600 MB (a zip bomb?)",
    "bomb_members.xlsx": "refusing to open: the archive holds 10,006 files (more than 10,000; a zip bomb?)",
    "binary.csv": "this is not a text (CSV) file: it contains binary data",
}


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_one_line_naming_the_file(fx, invoke, name) -> None:
    result = invoke("import", fx[name])
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert f"{fx[name]}: {REFUSED[name]}" in lines[0]
    assert "Traceback" not in result.stderr


def test_sheet_too_big_names_the_sheet(fx, invoke) -> None:
    result = invoke("import", fx["sparse.xlsx"])
    assert result.exit_code == 3
    assert f"{fx['sparse.xlsx']} [Data]: refusing to read: the sheet spans 1,048,576 rows" in result.stderr


def test_truncated_text_names_the_file(fx, invoke) -> None:
    result = invoke("import", fx["truncated_utf8.csv"])
    assert result.exit_code == 3
    assert str(fx["truncated_utf8.csv"]) in result.stderr


def test_formula_without_saved_value_is_reported_never_zero(fx, invoke, tmp_path) -> None:
    report = tmp_path / "r.json"
    result = invoke("import", fx["formula_nocache.xlsx"], "--format", "csv", "--report", report)
    # The one formula with a saved value (B1 = 2) is imported; the others are reported, never 0.
    assert result.exit_code == 0, result.stderr
    assert "formula cell(s) have no saved value" in result.stderr
    import json

    skipped = [s for f in json.loads(report.read_text())["files"] for sh in f["sheets"] for s in sh["skipped"]]
    assert any("formula with no saved value" in s["reason"] for s in skipped)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert all(r["value"] not in ("0",) or r["status"] != "ok" for r in rows if r["source_cell"] in {s["cell"] for s in skipped})
    strict = invoke("import", fx["formula_nocache.xlsx"], "--strict", "--format", "csv")
    assert strict.exit_code == 1  # the missing values are warnings: --strict fails


@pytest.mark.parametrize(
    "name, forces",
    [
        ("bom.csv", {"Kent Police"}),
        ("utf16.csv", {"Avon and Somerset Constabulary"}),
        ("utf16_nobom.csv", {"Kent Police"}),
        ("cr_only.csv", {"Kent Police", "Essex Police"}),
        ("mixed_endings.csv", {"Kent Police", "Essex Police", "Surrey Police"}),
        ("ragged.csv", {"Kent Police", "Essex Police"}),
        ("trailing_column.csv", {"Kent Police", "Essex Police"}),
        ("empty_rows.csv", {"Kent Police", "Essex Police"}),
        ("semicolon.csv", {"Kent Police", "Essex Police"}),
        ("cp1252.csv", {"Kent Police"}),
    ],
)
def test_awkward_csvs_import(fx, invoke, name, forces) -> None:
    result = invoke("import", fx[name], "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["force"] for r in rows} == forces


def test_cp1252_currency_is_a_number_with_its_symbol_noted(fx, invoke) -> None:
    result = invoke("import", fx["cp1252.csv"], "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["value"], r["note"]) for r in rows] == [("1200", "£")]


def test_excel_safe_csv_output(invoke, tmp_path) -> None:
    path = tmp_path / "Kent Police.csv"
    path.write_text("Category,Count\n=HYPERLINK(1),5\n", encoding="utf-8")
    plain = invoke("import", path, "--format", "csv")
    safe = invoke("import", path, "--format", "csv", "--excel-safe")
    assert "=HYPERLINK" in plain.stdout.split("\n")[1]
    line = safe.stdout.split("\n")[1]
    assert "'=HYPERLINK(1)" in line and ",5," in line  # text defused, numbers stay numbers


def test_output_is_written_atomically(tmp_path, monkeypatch) -> None:
    from foistats.publish import files

    target = tmp_path / "data.csv"
    target.write_text("the good old dataset\n")

    def broken_replace(src, dst):  # the rename never happens: an interrupted run
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        files.atomic_write_text(target, "half a new data")
    assert target.read_text() == "the good old dataset\n"
    assert list(tmp_path.iterdir()) == [target]  # no temp file left behind


def test_campaign_file_cannot_name_an_output_path(tmp_path, invoke) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "foistats.toml").write_text('[recipes."x.xlsx"]\noutput = "../../../etc/passwd"\n', encoding="utf-8")
    (folder / "Kent Police.csv").write_text("Year,Count\n2020,1\n", encoding="utf-8")
    result = invoke("import", folder, "--format", "csv")
    assert result.exit_code == 2
    assert "output" in result.stderr


def test_year_headers_written_as_text_are_headers_not_data(fx, invoke) -> None:
    """Bug found by the guard fixtures: "Force,2022,2023" was imported as a data row."""
    result = invoke("import", fx["trailing_column.csv"], "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["force"], r["period_start"], r["value"]) for r in rows] == [
        ("Kent Police", "2022-01-01", "120"), ("Kent Police", "2023-01-01", "150"),
        ("Essex Police", "2022-01-01", "98"), ("Essex Police", "2023-01-01", "101"),
    ]


def test_semicolon_file_with_decimal_commas(fx, invoke) -> None:
    result = invoke("import", fx["semicolon.csv"], "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["value"] for r in rows] == ["1.5", "2.5", "3.25", "4"]
    assert "decimal commas" in result.stderr


def test_ragged_rows_keep_every_number(fx, invoke) -> None:
    result = invoke("import", fx["ragged.csv"], "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["force"], r["period_start"][:4], r["value"], r["measure"]) for r in rows] == [
        ("Kent Police", "2022", "120", "Arrests"), ("Kent Police", "2023", "150", "Arrests"), ("Essex Police", "2022", "98", "Arrests"),
        ("Essex Police", "2023", "", "Arrests"),  # the missing field: kept as not_available (issue 13, class 11)
    ]
    assert rows[-1]["status"] == "not_available"


def test_xls_with_impossible_dimensions_is_an_error_not_a_crash(invoke) -> None:
    """Found by bench/fuzz.py: one flipped byte in an example .xls made calamine abort the
    whole process asking for 858 GB. The input is kept as it was found."""
    path = Path(__file__).resolve().parent / "data" / "crashers" / "impossible-dimensions.xls"
    result = invoke("import", path)
    assert result.exit_code == 3
    assert f"{path}: the file is damaged (a sheet's size record is impossible: rows 12288–11, columns 0–5)" in result.stderr


def test_xls_whose_reader_would_panic_is_one_clean_line(invoke) -> None:
    """Found by bench/fuzz.py (seed 11): a cut-short MERGECELLS record made calamine panic
    (a pyo3 PanicException, which is not an Exception). The guard now refuses it first."""
    path = Path(__file__).resolve().parent / "data" / "crashers" / "panic-merge-cells.xls"
    result = invoke("import", path)
    assert result.exit_code == 3
    assert f"{path}: the file is damaged (a merged-cells record is cut short)" in result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr


def test_a_reader_panic_becomes_an_input_error(monkeypatch, tmp_path) -> None:
    """Whatever else makes calamine panic is still one line, not a traceback."""
    import python_calamine

    from foistats.intake.readers.spreadsheet import _read_calamine
    from foistats.model.errors import InputError

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def boom(path):
        raise PanicException("range end index 2 out of range for slice of length 0")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", staticmethod(boom))
    with pytest.raises(InputError) as info:
        _read_calamine(tmp_path / "x.xls", "xls")
    assert "damaged" in str(info.value)


def test_broken_sheet_xml_is_named(invoke, tmp_path) -> None:
    import zipfile

    import openpyxl

    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Force", "Count"])
    wb.active.append(["Kent Police", 5])
    wb.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut mid-element: not well-formed
            zout.writestr(item, data)
    result = invoke("import", broken)
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert f"{broken} [Sheet]: " in result.stderr  # file and sheet named, one line
