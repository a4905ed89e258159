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

    from foistats.intake.readers.spreadsheet import _read_calamine_here as _read_calamine
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


# ---- round two (issue 17): lying sizes, aborts, hidden content, odd values -------------------

CRASHERS = Path(__file__).resolve().parent / "data" / "crashers"

ROUND_TWO_REFUSED = {
    "xlsb_far_column.xlsb": " [Data]: refusing to read: the sheet spans 1 row x 4,294,967,281 columns",
    "xlsb_far_row.xlsb": " [Data]: refusing to read: the sheet spans 1,000,001 rows x 16,001 columns",
    "xlsb_bad_dimension.xlsb": " [Data]: the file is damaged (a sheet's size record is impossible: rows 5–1, columns 3–0)",
    "xls_far_cells.xls": " [Sheet1]: refusing to read: the sheet spans 65,536 rows x 256 columns (16,777,216 cells) "
    "but only 5 of them can hold a value",
    "xls_sst_count.xls": ": the file is damaged (its shared-strings table claims 2,147,483,632 strings in 4 bytes)",
    "nul_only.csv": ": the file holds only NUL bytes (zeros): it is damaged, or was not copied completely",
}


@pytest.mark.parametrize("name", sorted(ROUND_TWO_REFUSED))
def test_round_two_refused_in_one_line(fx, invoke, name) -> None:
    result = invoke("import", fx[name])
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert f"{fx[name]}{ROUND_TWO_REFUSED[name]}" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["page.xls", "html_style.xls", "html_div.xls", "html_comment.xls", "html_pretty.xls", "html_utf16.xls"])
def test_html_saved_as_xls_is_read_as_a_web_page(fx, invoke, name) -> None:
    """Issue 17: a web page saved with a spreadsheet name is read as HTML, never as CSV."""
    from foistats.intake import guard

    assert guard.sniff(fx[name]) == "html"
    result = invoke("import", fx[name], "--format", "csv")
    assert "Traceback" not in result.stderr
    assert "CSV" not in result.stderr and "delimit" not in result.stderr
    assert result.exit_code in (0, 3)  # a page with a table imports; one without says it found nothing
    for row in csv.DictReader(io.StringIO(result.stdout)):
        assert row["source_cell"].startswith("table ")  # a web page's table, row and column


def test_cut_xlsb_record_is_one_line(fx, invoke) -> None:
    result = invoke("import", fx["xlsb_cut_record.xlsb"])
    assert result.exit_code == 3
    assert f"{fx['xlsb_cut_record.xlsb']} [Data]: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["abort-far-column.xlsb", "abort-far-row.xlsb", "stray-far-cells-8-sheets.xls"])
def test_crashers_round_two(invoke, name) -> None:
    """Each once aborted the process (the xlsb files: calamine asked for 137 GB and 512 GB) or
    took 6 GB and a minute (the .xls: a stray cell at IV65536 on 8 sheets). Kept as found."""
    path = CRASHERS / name
    result = invoke("import", path)
    assert result.exit_code == 3
    assert f"{path} [" in result.stderr and "refusing to read: the sheet spans" in result.stderr


def test_a_folder_import_goes_on_past_an_abort_crasher(fx, invoke, tmp_path) -> None:
    import shutil

    folder = tmp_path / "replies"
    folder.mkdir()
    shutil.copy(CRASHERS / "abort-far-column.xlsb", folder / "a.xlsb")
    shutil.copy(fx["good.xlsb"], folder / "b.xlsb")
    shutil.copy(fx["handmade.xlsx"], folder / "c.xlsx")
    result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 3
    assert {r["source_file"].rsplit("/", 1)[-1] for r in csv.DictReader(io.StringIO(result.stdout))} == {"b.xlsb", "c.xlsx"}


def _run_installed(*args: str, env_extra: dict[str, str] | None = None):
    import os
    import shutil
    import subprocess

    exe = shutil.which("foistats")
    cmd = [exe] if exe else [sys.executable, "-m", "foistats"]
    env = dict(os.environ, NO_COLOR="1", **(env_extra or {}))
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)


def test_abort_crasher_in_a_real_process_with_rust_backtrace(tmp_path) -> None:
    """The process survives (no SIGABRT), says one line, exits 3 - even with RUST_BACKTRACE=1."""
    path = CRASHERS / "abort-far-column.xlsb"
    proc = _run_installed("import", str(path), "-f", "csv", env_extra={"RUST_BACKTRACE": "1"})
    assert proc.returncode == 3
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines[0].startswith(f"foistats: error: {path} [Data]: refusing to read")
    assert "panicked" not in proc.stderr and "backtrace" not in proc.stderr.lower()


def test_rust_panic_text_never_reaches_stderr(tmp_path) -> None:
    """Bypassing the guard, calamine panics on this file; pyo3 turns it into an exception but
    Rust prints the panic (and a backtrace with RUST_BACKTRACE=1) to fd 2 first. Not any more."""
    import subprocess

    code = (
        "from pathlib import Path\n"
        "from foistats.intake.readers.spreadsheet import _read_calamine_here as _read_calamine\n"
        "from foistats.model.errors import InputError\n"
        "try:\n"
        f"    _read_calamine(Path({str(CRASHERS / 'panic-merge-cells.xls')!r}), 'xls')\n"
        "except InputError as exc:\n"
        "    print(exc)\n"
    )
    import os

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, RUST_BACKTRACE="1"), timeout=60)
    assert "damaged" in proc.stdout
    assert proc.stderr == ""


def test_hidden_content_is_withheld_and_reported(fx, invoke) -> None:
    result = invoke("import", fx["hidden.xlsx"], "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted((r["force"], r["value"]) for r in rows) == [("Essex Police", "20"), ("Kent Police", "10")]
    warnings = [line for line in result.stderr.splitlines() if "check before publishing this file" in line]
    assert len(warnings) == 1  # one line per file
    line = warnings[0]
    assert "4 value(s) in hidden row(s) 4 and column(s) D of 'Data' that would add 104 to the totals" in line
    assert "hidden sheet 'Names' (2 value(s) that would add 4,321 to the totals)" in line
    assert "very hidden sheet 'Key'" in line
    assert "a pivot cache" in line and "named ranges (1: Officers)" in line
    assert "Print_Area" not in line


def test_hidden_content_fails_strict(fx, invoke) -> None:
    result = invoke("import", fx["hidden.xlsx"], "-f", "csv", "--measure", "Arrests", "--strict")
    assert result.exit_code == 1


def test_include_hidden_imports_it(fx, invoke) -> None:
    result = invoke("import", fx["hidden.xlsx"], "-f", "csv", "--measure", "Arrests", "--include-hidden")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert ("Surrey Police", "5") in {(r["force"], r["value"]) for r in rows}
    assert any(r["source_sheet"] == "Names" for r in rows)
    assert "imported because of --include-hidden" in result.stderr


@pytest.mark.parametrize("name, hidden", [("hidden.ods", "Essex Police"), ("xls_hidden_row.xls", "Essex Police"),
                                          ("good.xlsb", "Essex Police")])
def test_hidden_rows_in_every_format(fx, invoke, name, hidden) -> None:
    result = invoke("import", fx[name], "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 0, result.stderr
    forces = {r["force"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert "Kent Police" in forces and hidden not in forces
    assert "value(s) in hidden row(s) 3 of 'Data' that would add 7 to the totals" in result.stderr
    shown = invoke("import", fx[name], "-f", "csv", "--measure", "Arrests", "--include-hidden")
    assert hidden in {r["force"] for r in csv.DictReader(io.StringIO(shown.stdout))}


def test_xlsb_hidden_sheet_is_reported(fx, invoke) -> None:
    result = invoke("import", fx["good.xlsb"], "-f", "csv", "--measure", "Arrests", "--report", fx["good.xlsb"].with_suffix(".json"))
    assert "hidden sheet 'Staff' (2 value(s) that would add 4,321 to the totals)" in result.stderr
    import json

    report = json.loads(fx["good.xlsb"].with_suffix(".json").read_text())
    staff = [s for s in report["files"][0]["sheets"] if s["sheet"] == "Staff"]
    assert staff and staff[0]["status"] == "skipped"


def test_duplicate_force_period_measure_is_warned(invoke, tmp_path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.csv").write_text("Force,2022/23\nKent,5\n")
    (folder / "b.csv").write_text("Force,2022/23\nKent,7\n")
    result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 0
    assert "Kent Police, Arrests, 2022/23 is given twice with different values: 5" in result.stderr
    assert invoke("import", folder, "-f", "csv", "--measure", "Arrests", "--strict").exit_code == 1


def test_same_value_twice_is_not_warned(invoke, tmp_path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.csv").write_text("Force,2022/23\nKent,5\n")
    (folder / "b.csv").write_text("Force,2022/23\nKent,5\n")
    result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    assert "given twice" not in result.stderr


def test_negative_count_is_flagged(invoke, tmp_path) -> None:
    path = tmp_path / "neg.csv"
    path.write_text("Force,2022/23\nKent,5\nEssex,-3\n")
    result = invoke("import", path, "-f", "csv", "--measure", "Arrests")
    assert "1 negative count(s) (e.g. B3 = -3 for Essex Police)" in result.stderr


def test_values_that_are_not_counts(invoke, tmp_path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Force,2020/21,2021/22,2022/23,2023/24\nKent,inf,1e308,5.2E-05,nan\n")
    result = invoke("import", path, "-f", "csv", "--measure", "Rate")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    values = {r["period_label"]: float(r["value"]) for r in rows if r["value"]}
    assert values == {"2022/23": 5.2e-05}


def test_symlink_loop_and_broken_link_are_reported(invoke, tmp_path) -> None:
    folder = tmp_path / "replies"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.csv").write_text("Force,2022/23\nKent,5\n")
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 3
    assert f"{folder / 'gone.csv'}: a broken link (it points to {tmp_path / 'nowhere.csv'}, which does not exist)" in result.stderr
    assert f"{folder / 'sub' / 'loop'}: a symbolic link loop (the folder contains itself); not followed" in result.stderr
    assert "Kent Police" in result.stdout


def test_unreadable_folder_is_reported(invoke, tmp_path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    folder = tmp_path / "replies"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.csv").write_text("Force,2022/23\nKent,5\n")
    (folder / "locked").chmod(0)
    try:
        result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    finally:
        (folder / "locked").chmod(0o755)
    assert f"{folder / 'locked'}: cannot read the folder" in result.stderr


def test_unreadable_folder_is_reported_when_scandir_fails(monkeypatch, tmp_path) -> None:
    import os

    from foistats.intake.pipeline import discover

    folder = tmp_path / "replies"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.csv").write_text("x")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    problems: list = []
    assert discover([folder], problems) == [folder / "a.csv"]
    assert problems == [(folder / "locked", "cannot read the folder (Permission denied)")]


def test_hand_edited_tidy_dataset_is_validated(fx, invoke) -> None:
    result = invoke("periods", fx["tidy_edited.csv"])
    assert result.exit_code == 3
    assert f"{fx['tidy_edited.csv']}: row 3: the force '=HYPERLINK(" in result.stderr
    assert "Traceback" not in result.stderr


def test_tidy_dataset_with_an_unknown_force(invoke, tmp_path) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(
        "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status\n"
        "Kent,,force,Arrests,2022-04-01,2023-03-31,2022/23,10,ok\n"
        "Gotham City Police,,force,Arrests,2022-04-01,2023-03-31,2022/23,20,ok\n"
    )
    result = invoke("periods", path)
    assert result.exit_code == 3
    assert "row 3: 'Gotham City Police' is not a police force foistats knows" in result.stderr


def test_reader_worker_survives_an_abort(fx) -> None:
    """The guard stops every known abort; the worker is for the ones nobody has found yet.
    Sent straight to the worker (no guard), the abort crasher kills the worker, not us."""
    from foistats.intake.readers import worker
    from foistats.model.errors import InputError

    with pytest.raises(InputError) as info:
        worker.read(CRASHERS / "abort-far-column.xlsb", "xlsb")
    assert info.value.reason == "the spreadsheet reader crashed on this file (it aborted): it is damaged, or built to break readers"
    book = worker.read(fx["good.xlsb"], "xlsb")  # a fresh worker takes over
    assert book.sheets[0].rows[1] == ["Kent Police", 150.0]


def test_folder_import_goes_on_when_the_reader_aborts(fx, invoke, tmp_path, monkeypatch) -> None:
    import shutil

    from foistats.intake import guard

    monkeypatch.setattr(guard, "check_archive", lambda path, **kw: None)  # as if the guard missed it
    monkeypatch.setenv("FOISTATS_READER", "worker")
    folder = tmp_path / "replies"
    folder.mkdir()
    shutil.copy(CRASHERS / "abort-far-row.xlsb", folder / "a.xlsb")
    shutil.copy(fx["handmade.xlsx"], folder / "b.xlsx")
    result = invoke("import", folder, "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 3
    assert f"{folder / 'a.xlsb'}: the spreadsheet reader crashed on this file (it aborted)" in result.stderr
    assert "Kent Police" in result.stdout


def test_small_files_go_to_the_worker_big_ones_stay(tmp_path, monkeypatch) -> None:
    from foistats.intake.readers import worker

    small, big = tmp_path / "s.xlsx", tmp_path / "b.xlsx"
    small.write_bytes(b"x" * 10)
    big.write_bytes(b"x" * (worker.WORKER_MAX_BYTES + 1))
    monkeypatch.delenv("FOISTATS_READER", raising=False)
    assert worker.enabled(small) and not worker.enabled(big)
    monkeypatch.setenv("FOISTATS_READER", "inprocess")
    assert not worker.enabled(small)


def test_excel_serial_60_is_not_a_date(invoke, tmp_path) -> None:
    """Serial 60 is 29 February 1900, a day that never was; calamine reads 59 and 60 both as
    28 February. A date before March 1900 is a small number in a date format, never a period."""
    import openpyxl

    path = tmp_path / "serial.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Force", "2022/23"])
    ws.append(["Kent Police", 10])
    ws.append(["Essex Police", 60])
    ws["B3"].number_format = "dd/mm/yyyy"
    wb.save(path)
    result = invoke("import", path, "-f", "csv", "--measure", "Arrests")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["force"], r["value"]) for r in rows] == [("Kent Police", "10")]
    assert "1 cell skipped: a date before 1 March 1900 (Excel serial 1-60" in result.stderr
    assert "formula cell(s)" not in result.stderr


def test_ods_with_a_broken_end_tag_never_hangs(invoke) -> None:
    """Found by the structured fuzz run (seed 17): four bytes of a mutated content.xml turned
    '</table:table>' into a mismatched end tag and calamine's ODS parser never returned.
    The guard now refuses content.xml that is not well-formed. Kept as found."""
    path = CRASHERS / "hang-ods-end-tag.ods"
    result = invoke("import", path)
    assert result.exit_code == 3
    assert f"{path}: the file is damaged (its content.xml is not well-formed XML (line 2))" in result.stderr


def test_reader_worker_stops_a_read_that_hangs(monkeypatch, fx) -> None:
    """Sent straight to the worker (no guard), the same file would hang: the worker is stopped."""
    from foistats.intake.readers import worker
    from foistats.model.errors import InputError

    monkeypatch.setattr(worker, "READ_TIMEOUT", 2.0)
    with pytest.raises(InputError) as info:
        worker.read(CRASHERS / "hang-ods-end-tag.ods", "ods")
    assert "did not finish within 2 seconds" in info.value.reason
    assert worker.read(fx["good.xlsb"], "xlsb").sheets[0].name == "Data"
