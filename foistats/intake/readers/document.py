"""What a reply document reader returns: the tables as a Workbook, plus what only documents have."""

from __future__ import annotations

import re
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
class Mention:
    """A force named by a sentence of the letter just above a table, not by a title line.

    Kept so the import can say so: the table is filed under the force that replied, and
    when the sentence that introduces the table ("for comparison, Essex Police's figures
    are:") names another force, its rows carry a guess naming both.
    """

    force: str  # the force's canonical name
    text: str  # the words above the table
    claims: bool  # the sentence introducing the table names the force (not "transferred to us by")


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
    # sheet name -> a force named only in passing by the sentence above that table
    mentions: dict[str, Mention] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)  # the title lines kept above tables

    def __post_init__(self) -> None:
        """Readers put the line just above a table in as its title row; when that line is a
        sentence of the letter that names a force ("Your request was transferred to us by
        Essex Police …"), it is no title: the row is emptied (cell references unchanged) so
        tidy never files the table under a force the reply merely mentions."""
        from foistats.intake.letter import TRANSFER, is_prose
        from foistats.model.forces import registry

        for sheet in self.workbook.sheets:
            rows = sheet.rows
            names = self.cell_names.get(sheet.name or "")
            if not rows or not names or "A1" in names:
                continue  # no title row above this table
            first = rows[0]
            title = first[0] if first else None
            if not isinstance(title, str) or any(v not in (None, "") for v in first[1:]):
                continue
            if not is_prose(title):
                self.titles.append(title)
                continue
            match = registry().find_in_text(title)
            if match is None:
                continue  # a sentence naming no force: left as it was
            sentences = [x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", title.strip()) if x]
            last = sentences[-1] if sentences else title
            said = registry().find_in_text(last)
            claims = said is not None and said.area.name == match.area.name and not TRANSFER.search(last)
            self.mentions[sheet.name or ""] = Mention(force=match.area.name, text=title, claims=claims)
            first[0] = None
            self.notes.append(
                f"{sheet.name}: the sentence above it names {match.area.name} in passing — read as the letter's words, not the table's title"
            )

    def attach_letter(self, letter: Any) -> None:
        """Keep the letter read from the document's words, its letterhead read without the
        tables' title lines (a Word document's titles are paragraphs of its text): a title
        names its table's force, and a letterhead taken from it would hide a disagreement
        with the signature."""
        if letter is not None and self.titles and getattr(letter, "letterhead", None):
            from foistats.intake.letter import letterhead_of

            letter.letterhead = letterhead_of(self.text, self.titles)
        self.letter = letter

    @property
    def record_lists(self) -> list[dict[str, Any]]:
        return [t for t in (self.pdf or {}).get("tables", []) if t.get("records")] + self.records
