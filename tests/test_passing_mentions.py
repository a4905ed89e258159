"""A force named in passing in a reply letter's prose is not the force of its tables.

Replies say "your request was transferred to us by Essex Police", "for comparison,
Essex Police's published figures are" or "as Essex Police did": the force that replied
(letterhead, signature, sender) owns the figures, and where the document's own signals
disagree the rows carry a guess naming both, so --strict fails — never a silent Essex.
A genuine title line above a table ("Essex Police: sextortion reports") still names the
force. A date inside a sentence ("transferred … on 3 March 2024") is not the letter's date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence, Union

import pytest

from conftest import read_csv_text

Item = Union[str, Sequence[Sequence[str]]]

TABLE = [["Year", "Reports"], ["2022", "19"], ["2023", "27"]]
TRANSFER = "Your request was transferred to us by Essex Police on 3 March 2024. Our figures are below."


def _docx(path: Path, items: Sequence[Item]) -> Path:
    """A Word reply: paragraphs and tables in order, as python-docx writes them."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for it in items:
        if isinstance(it, str):
            d.add_paragraph(it)
        else:
            t = d.add_table(rows=len(it), cols=len(it[0]))
            for r, row in enumerate(it):
                for c, v in enumerate(row):
                    t.cell(r, c).text = v
    d.save(str(path))
    return path


def _import(invoke, path: Path, *extra: str) -> tuple[list[dict[str, str]], str, int]:
    result = invoke("import", path, "--format", "csv", *extra)
    return read_csv_text(result.stdout), result.stderr, result.exit_code


def _letter(invoke, path: Path, tmp_path: Path) -> dict:
    report = tmp_path / "report.json"
    invoke("import", path, "--format", "csv", "--quiet", "--report", report)
    data = json.loads(report.read_text())
    files = data["files"] if isinstance(data, dict) else data
    return files[0]["letter"]


def test_transferred_by_is_not_the_force(invoke, tmp_path: Path) -> None:
    """fx4: the transferring force in the sentence above the table; Kent signs the letter."""
    path = _docx(tmp_path / "fx4.docx", [
        "Our ref: FOI 2024/0123", "Dear Requester,", TRANSFER, TABLE,
        "Yours sincerely", "Information Management Unit", "Kent Police",
    ])
    rows, err, code = _import(invoke, path)
    assert code == 0, err
    assert [r["force"] for r in rows] == ["Kent Police", "Kent Police"]
    assert {r["force_source"] for r in rows} == {"letterhead"}
    assert "Essex" not in err.split("letter (")[0]
    letter = _letter(invoke, path, tmp_path)
    assert letter["letterhead"] == "Kent Police"
    assert letter["date"] is None  # "on 3 March 2024" is in a sentence, not a dated line


def test_transferred_by_pdf(invoke, tmp_path: Path) -> None:
    """The same letter printed to PDF: the sentence is not the letterhead either."""
    pytest.importorskip("reportlab")
    from make_replies import _canvas, letter_lines, ruled_table

    path = tmp_path / "fx4.pdf"
    c = _canvas(path)
    y = letter_lines(c, ["Our ref: FOI 2024/0123", "Dear Requester,", TRANSFER, ""])
    y = ruled_table(c, y - 6, [TABLE[0]], TABLE[1:], [120, 80])
    letter_lines(c, ["Yours sincerely", "Information Management Unit", "Kent Police"], y=y - 20)
    c.save()
    rows, err, code = _import(invoke, path)
    assert code == 0, err
    assert [r["force"] for r in rows] == ["Kent Police", "Kent Police"]
    letter = _letter(invoke, path, tmp_path)
    assert letter["letterhead"] == "Kent Police"
    assert letter["date"] is None


def test_letterhead_at_top_wins_over_mention(invoke, tmp_path: Path) -> None:
    """fx5: Kent at the top, Essex only in the transfer sentence: Kent, and no guess needed."""
    path = _docx(tmp_path / "fx5.docx", [
        "Kent Police", "Our ref: FOI 2024/0123", "Date: 12 March 2024", "Dear Requester,", TRANSFER, TABLE,
    ])
    rows, err, code = _import(invoke, path, "--strict")
    assert [r["force"] for r in rows] == ["Kent Police", "Kent Police"]
    assert not any(r["guess"] for r in rows)
    assert code == 0, err
    letter = _letter(invoke, path, tmp_path)
    assert letter["date"] == "2024-03-12"  # the dated line, not the sentence's 3 March


def test_comparison_table_is_a_guess_naming_both(invoke, tmp_path: Path) -> None:
    """fx1: Kent's table, then "for comparison … Essex Police's figures" over a second table.

    The first table is Kent's; the second is filed under the replying force but carries
    a guess naming Essex Police too (and --strict fails) — never two silent Essex tables.
    """
    path = _docx(tmp_path / "fx1.docx", [
        "Our ref: FOI 2024/0123", "Dear Requester,", "Please find our figures below.", TABLE,
        "For comparison, you asked about Essex Police's published figures, which are:",
        [["Year", "Reports"], ["2022", "7"], ["2023", "8"]],
        "Yours sincerely", "Information Management Unit, Kent Police",
    ])
    rows, err, code = _import(invoke, path)
    first = [r for r in rows if r["source_cell"].startswith("table 1,")]
    second = [r for r in rows if r["source_cell"].startswith("table 2,")]
    assert [(r["force"], r["value"]) for r in first] == [("Kent Police", "19"), ("Kent Police", "27")]
    assert not any(r["guess"] for r in first)
    assert len(second) == 2
    assert all("Essex Police" in r["guess"] and "Kent Police" in r["guess"] for r in second)
    assert not any(r["force"] == "Essex Police" and not r["guess"] for r in rows)
    _, _, strict = _import(invoke, path, "--strict")
    assert strict == 1


def test_genuine_title_line_names_the_force(invoke, tmp_path: Path) -> None:
    """A real title line right above the table still names its force."""
    path = _docx(tmp_path / "titled.docx", [
        "Our ref: FOI 2024/0123", "Dear Requester,", "Please find the information below.",
        "Essex Police: sextortion reports", TABLE, "Yours sincerely",
    ])
    rows, err, code = _import(invoke, path, "--strict")
    assert code == 0, err
    assert [r["force"] for r in rows] == ["Essex Police", "Essex Police"]
    assert {r["force_source"] for r in rows} == {"title"}
    assert not any(r["guess"] for r in rows)


def test_genuine_title_against_other_signature_is_a_guess(invoke, tmp_path: Path) -> None:
    """"Table 1: Essex Police" signed by Kent Police: the title is used, with a guess naming both."""
    path = _docx(tmp_path / "titled2.docx", [
        "Our ref: FOI 2024/0123", "Dear Requester,", "Table 1: Essex Police", TABLE,
        "Yours sincerely", "Kent Police",
    ])
    rows, err, code = _import(invoke, path)
    assert [r["force"] for r in rows] == ["Essex Police", "Essex Police"]
    assert all("Kent Police" in r["guess"] for r in rows)
