"""The guard's compiled pass over big sheets (`guard/fastscan.py`) and the sample cut that
rides on the guard's inflate (`columnar.SheetCut` as a `check_archive` tap).

The compiled pass may only ever *skip* work: whenever it clears a chunk, the exact
Python searches of `guard/extent.py` must agree that the chunk changes nothing (no
column or row beyond the maxima, no cell tag without `r`, no odd `r` attribute), and
its cell count must be theirs. Checked on generated cell markup, and end to end on
every hostile workbook of the reliability suite with the pass forced on for all sizes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from make_hostile import build, write_zip, xlsx_parts

from foistats.intake import columnar
from foistats.intake.guard import extent
from foistats.intake.guard.fastscan import Scanner

_COLS = ["A", "B", "F", "G", "Z", "AA", "az", "XFD", "b"]


@st.composite
def cell_tag(draw: st.DrawFn) -> str:
    """One cell, written as writers do and as hostile files do."""
    col = draw(st.sampled_from(_COLS))
    row = draw(st.sampled_from([1, 9, 10, 99, 100, 199, 200, 201, 1000, 999999, 1048576]))
    ref = f"{col}{row}"
    form = draw(st.sampled_from(["canonical", "attrs", "self_closing", "single_quote", "spaced", "no_r", "bare", "prefixed", "tab", "two_spaces"]))
    value = "<v>1</v></c>"
    return {
        "canonical": f'<c r="{ref}">{value}',
        "attrs": f'<c r="{ref}" s="1" t="s">{value}',
        "self_closing": f'<c r="{ref}" s="3"/>',
        "single_quote": f"<c r='{ref}'>{value}",
        "spaced": f'<c r = "{ref}">{value}',
        "no_r": f'<c s="1">{value}',
        "bare": f"<c>{value}",
        "prefixed": f'<x:c r="{ref}"><x:v>1</x:v></x:c>',
        "tab": f'<c\tr="{ref}">{value}',
        "two_spaces": f'<c  r="{ref}">{value}',
    }[form]


def _exact_clear(buf: bytes, max_col: int, max_row: int) -> bool:
    """What extent._xlsx_extent's Python searches conclude for this chunk: nothing changes."""
    if any(r.search(buf) for r in extent._RLESS) or extent._ODD_R.search(buf):
        return False
    row = max(max_row, extent._last_cell_row(buf))
    col_after = extent._raise_max(buf, max_col, extent._cols_above, extent._GENERAL_COLS, extent._column_number)
    row_after = extent._raise_max(buf, row, extent._rows_above, extent._GENERAL_ROWS, int)
    return col_after == max_col and row_after == row


@settings(max_examples=400, deadline=None)
@given(
    row_tag=st.sampled_from(['<row r="5">', "<row r='5'>", '<row r = "5">', "<row>", '<x:row r="5">']),
    cells=st.lists(cell_tag(), min_size=1, max_size=12),
    max_col=st.sampled_from([1, 6, 7, 26, 27, 52, 16384]),
    max_row=st.sampled_from([1, 10, 99, 200, 999, 1000, 1048576]),
)
def test_the_compiled_pass_only_clears_what_the_exact_scan_clears(row_tag: str, cells: list[str], max_col: int, max_row: int) -> None:
    buf = (row_tag + "".join(cells) + "</row>").encode()
    primed = max(max_row, extent._last_cell_row(buf))
    got = Scanner().cells(buf, extent._cols_body(max_col), extent._rows_body(primed))
    if got is not None:
        assert _exact_clear(buf, max_col, max_row), buf
        assert got == buf.count(b"</c>") + buf.count(b":c>")


def test_canonical_chunk_within_the_maxima_is_cleared_and_counted() -> None:
    buf = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="F%d"><v>3</v></c></row>' % (r, r, r) for r in range(10, 60))
    assert Scanner().cells(buf, extent._cols_body(6), extent._rows_body(59)) == 100
    # one column further, one row further, or a chunk that is not UTF-8: the exact scan looks
    assert Scanner().cells(buf + b'<c r="G60"><v>1</v></c>', extent._cols_body(6), extent._rows_body(60)) is None
    assert Scanner().cells(buf + b'<c r="A61"><v>1</v></c>', extent._cols_body(6), extent._rows_body(60)) is None
    assert Scanner().cells(buf + b"\xff", extent._cols_body(6), extent._rows_body(59)) is None


def test_hostile_workbooks_get_the_same_verdict_with_the_compiled_pass_on_everything(invoke, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The compiled pass normally runs only on sheets over 4 MB; forced onto every sheet of
    the reliability suite (inflated in 4 KB pieces, so that it sees every chunk after the
    first), each file still gets the same exit code, messages and rows."""
    from foistats.intake.guard import archive

    files = {name: path for name, path in build(tmp_path / "hostile").items() if str(path).endswith((".xlsx", ".xlsm"))}
    assert len(files) >= 8
    monkeypatch.setenv("FOISTATS_COLUMNAR", "0")
    monkeypatch.setattr(archive, "_CHUNK", 4096)
    monkeypatch.setattr(extent, "_BATCH", 10_000)  # several pieces a batch, several batches a sheet
    cleared = []
    original = Scanner.cells

    def spy(self: Scanner, *args: object) -> int | None:
        got = original(self, *args)  # type: ignore[arg-type]
        cleared.append(got is not None)
        return got

    monkeypatch.setattr(Scanner, "cells", spy)
    usual = extent.BIG
    for name, path in sorted(files.items()):
        got = {}
        for big in (usual, 0):
            monkeypatch.setattr(extent, "BIG", big)
            result = invoke("import", path, "--format", "csv")
            got[big] = (result.exit_code, result.stdout, result.stderr)
        assert got[0] == got[usual], name
        assert "Traceback" not in got[0][2]
    assert any(cleared)  # it did clear chunks (and each verdict above is the usual one)


def _workbook(path: Path, sheet_xml: bytes) -> Path:
    """A minimal xlsx around one worksheet's XML (its part is xl/worksheets/sheet1.xml)."""
    return write_zip(path, xlsx_parts([("Data", sheet_xml.decode())]))


def _sheet(rows: int, r_less: bool = False) -> bytes:
    body = []
    for r in range(1, rows + 1):
        if r_less:
            body.append(f'<row r="{r}"><c t="inlineStr"><is><t>Kent</t></is></c><c><v>{r}</v></c></row>')
        else:
            body.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Kent</t></is></c><c r="B{r}"><v>{r}</v></c></row>')
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(body) + '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>').encode()


def _extent_both_ways(xml: bytes, piece: int) -> tuple[object, object]:
    """The extent of a sheet's XML as the scanned path measures it (compiled scan on its
    thread, pieces batched) and as the exact path does, fed in `piece`-byte pieces."""
    from foistats.model.errors import InputError

    def chunks() -> object:
        return iter([xml[i : i + piece] for i in range(0, len(xml), piece)])

    def measure(size: int) -> object:
        try:
            return extent._xlsx_extent(chunks(), chunks, Path("x.xlsx"), "Data", 20_000_000, size)
        except InputError as exc:
            return str(exc)

    return measure(len(xml) + extent.BIG + 1), measure(0)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(min_value=40, max_value=400),
    where=st.sampled_from(["none", "first", "middle", "last", "very_last"]),
    odd=st.sampled_from(["far_column", "far_row", "no_r", "spaced_r", "back_row", "wide_and_low"]),
    piece=st.sampled_from([300, 1_000, 4_096]),
    batch=st.sampled_from([1, 2_000, 10_000]),
)
def test_the_scanned_path_measures_what_the_exact_path_measures(rows: int, where: str, odd: str, piece: int, batch: int) -> None:
    """Whatever the batching and the pieces, and wherever a cell beyond the maxima, a cell
    without r or an odd r sits (in the first piece, the middle, the last batch or the very
    end), the guard's pipelined compiled scan gives the exact path's rows, columns and
    cells, or its refusal."""
    body = [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Kent</t></is></c><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1)]
    cell = {
        "far_column": '<c r="XFD{r}"><v>1</v></c>',
        "far_row": '<c r="B1048000"><v>1</v></c>',
        "no_r": "<c><v>1</v></c>",
        "spaced_r": '<c r = "Q{r}"><v>1</v></c>',
        "back_row": '<c r="C{back}"><v>1</v></c>',
        "wide_and_low": '<c r="AB{r}"><v>1</v></c><c r="AC999"><v>1</v></c>',
    }[odd]
    at = {"none": None, "first": 1, "middle": rows // 2, "last": rows - 3, "very_last": rows - 1}[where]
    if at is not None:
        r = at + 1
        body[at] = body[at].replace("</row>", cell.format(r=r, back=max(1, r - 30)) + "</row>")
    xml = _sheet(0).replace(b"<sheetData>", b"<sheetData>" + "".join(body).encode())
    old = extent._BATCH
    extent._BATCH = batch
    try:
        scanned, exact = _extent_both_ways(xml, piece)
    finally:
        extent._BATCH = old
    assert scanned == exact


@pytest.mark.parametrize("r_less", [False, True])
def test_the_sample_cut_from_the_guards_pass_is_the_cut_read_on_its_own(tmp_path: Path, r_less: bool) -> None:
    """The tap sees the sheet as the guard inflates it; its cut must be the one `_head_of_sheet`
    makes by reading the member itself. A sheet whose cells lack r sends the guard to its
    parser, which re-reads the member: the tap is left unclosed and the cut is read afresh."""
    from foistats.intake import guard

    path = _workbook(tmp_path / "long.xlsx", _sheet(400, r_less=r_less))
    with zipfile.ZipFile(path) as zf:
        cuts = columnar._cuts(path, zf)
        guard.check_archive(path, zf=zf, taps=cuts)
        cut = cuts["xl/worksheets/sheet1.xml"]
        assert cut.complete() is (not r_less)
        alone = columnar._head_of_sheet(zf, "xl/worksheets/sheet1.xml", 50, 20)
        mine = columnar.SheetCut(50, 20)
        for chunk in guard.archive._raw_chunks(zf, zf.fp, zf.getinfo("xl/worksheets/sheet1.xml"), path):
            mine.feed(chunk)
        mine.close()
    assert alone is not None and alone[1] == 400 - 20 - 50
    assert mine.result() == alone
    if not r_less:
        n, n_tail = columnar._sample_rows()
        assert cut.result() == columnar._head_of_sheet(zipfile.ZipFile(path), "xl/worksheets/sheet1.xml", n, n_tail)


def _end_tagged(sheet_xml: bytes, end_tag: bytes) -> bytes:
    return sheet_xml.replace(b"</sheetData>", end_tag)


def _cut_in_pieces(xml: bytes, splits: list[int], window: int) -> tuple[bytes, int | None] | None:
    old = columnar._WINDOW
    columnar._WINDOW = window
    try:
        cut = columnar.SheetCut(50, 20)
        at = 0
        for split in sorted(set(splits)):
            cut.feed(xml[at:split])
            at = split
        cut.feed(xml[at:])
    finally:
        columnar._WINDOW = old
    return cut.result()


_END_TAGS = [b"</sheetData>", b"</x:sheetData>", b"</sheetData  >", b"</sheetData\n>"]


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    end_tag=st.sampled_from(_END_TAGS),
    window=st.sampled_from([2_048, 4_096, 1 << 23]),
    text_before=st.booleans(),
)
def test_the_cut_does_not_depend_on_how_the_stream_is_split(data: st.DataObject, end_tag: bytes, window: int, text_before: bool) -> None:
    """The guard's inflate hands the tap pieces of any size, split anywhere. Fed in such
    pieces, with the kept window of the last rows small enough to be trimmed, the cut is
    the one made from the member in one piece. A cell whose text is "sheetData" must not
    be taken for the end."""
    xml = _end_tagged(_sheet(300), end_tag)
    if text_before:
        xml = xml.replace(b"<t>Kent</t></is></c><c r=\"B290\">", b"<t>sheetData</t></is></c><c r=\"B290\">")
    splits = data.draw(st.lists(st.integers(min_value=1, max_value=len(xml) - 1), max_size=60))
    whole = columnar.SheetCut(50, 20)
    whole.feed(xml)
    assert whole.result() is not None
    assert _cut_in_pieces(xml, splits, window) == whole.result()


@pytest.mark.parametrize("end_tag", _END_TAGS)
def test_the_end_of_the_cells_is_found_when_a_piece_ends_inside_its_tag(end_tag: bytes) -> None:
    """Every split from 80 bytes before the end tag to just after it, with small pieces
    before it so the window is trimmed."""
    xml = _end_tagged(_sheet(300), end_tag)
    whole = columnar.SheetCut(50, 20)
    whole.feed(xml)
    at = xml.index(end_tag)
    for split in range(at - 80, at + len(end_tag) + 2):
        assert _cut_in_pieces(xml, [*range(500, split, 700), split], 4_096) == whole.result(), split


def test_a_tap_that_was_not_fed_the_whole_member_is_not_used(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "long.xlsx", _sheet(300))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        data = zf.read(info.filename)
    half = columnar.SheetCut(50, 20, size=info.file_size, crc=info.CRC)
    half.feed(data[: len(data) // 2])
    half.close()
    assert not half.complete()
    wrong = columnar.SheetCut(50, 20, size=info.file_size, crc=info.CRC ^ 1)
    wrong.feed(data)
    wrong.close()
    assert not wrong.complete()
    right = columnar.SheetCut(50, 20, size=info.file_size, crc=info.CRC)
    right.feed(data)
    assert not right.complete()  # never closed: the stream did not run to its end
    right.close()
    assert right.complete()


def test_a_big_workbook_among_the_inputs_asks_jemalloc_to_return_memory_at_once(tmp_path: Path) -> None:
    """Only before polars loads, only for a workbook over the columnar path's size, and
    never over the user's own jemalloc options (a real process: this one has polars)."""
    import os
    import subprocess
    import sys

    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(columnar.MIN_BYTES + 1)
    small = tmp_path / "small.xlsx"
    small.write_bytes(b"PK")
    csv = tmp_path / "huge.csv"
    with csv.open("wb") as fh:
        fh.truncate(columnar.MIN_BYTES + 1)
    code = (
        "import os, sys\nfrom pathlib import Path\nfrom foistats.intake.memory import prefer_small_footprint\n"
        "files = [Path(p) for p in sys.argv[1:]]\n"
        "print(prefer_small_footprint(files, 4_000_000), os.environ.get('_RJEM_MALLOC_CONF'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}

    def run(*files: Path, **extra: str) -> str:
        return subprocess.run([sys.executable, "-c", code, *map(str, files)], env={**env, **extra}, capture_output=True, text=True, check=True).stdout.strip()

    assert run(small, big) == "True narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0"
    assert run(small, csv) == "False None"
    assert run(big, _RJEM_MALLOC_CONF="narenas:2") == "False narenas:2"
