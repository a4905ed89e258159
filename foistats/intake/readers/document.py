"""What a reply document reader returns: the tables as a Workbook, plus what only documents have."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foistats.intake.grid import Workbook


@dataclass
class Member:
    """A file inside another: an e-mail attachment or a zip member."""

    name: str
    data: bytes
    error: str | None = None  # why it cannot be imported (damaged or protected inside the archive)


@dataclass
class Document:
    path: Path
    kind: str
    workbook: Workbook
    text: str = ""  # the letter's words (PDF pages, Word paragraphs, e-mail body)
    pdf: dict[str, Any] | None = None  # the PDF extraction: tables, record lists, checks
    # sheet name -> A1 ref -> (where, what): ("page 2", "table 1, row 3, column 2 (B4)")
    cell_names: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was found and why (report, inspect)
    warnings: list[str] = field(default_factory=list)
    letter: Any = None  # intake.letter.Letter, when the document has words

    records: list[dict[str, Any]] = field(default_factory=list)  # record lists of Word/web tables

    @property
    def record_lists(self) -> list[dict[str, Any]]:
        return [t for t in (self.pdf or {}).get("tables", []) if t.get("records")] + self.records
