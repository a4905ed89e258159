"""Word (.docx) replies: each table in the document becomes a grid, the paragraphs the letter.

Read with python-docx (MIT). A table's title is the paragraph just above it; merged cells
(a label spanning columns) are read once, with the copies left empty. The zip is checked
for bombs before python-docx opens it (see `readers.archive.check_zip_sizes`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foistats.model.errors import InputError


def read_docx(path: Path) -> Any:
    from foistats.intake.readers.document import Document
    from foistats.intake.readers.archive import check_zip_sizes
    from foistats.intake.readers.tables import grids_to_document

    check_zip_sizes(path)
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("reading Word documents needs python-docx (pip install python-docx)", path=path) from None
    try:
        document = docx.Document(str(path))
    except Exception:  # damaged parts, missing relationships, bad XML
        raise InputError("the Word document is damaged and cannot be read (try opening and re-saving it)", path=path) from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    paragraphs: list[str] = []
    grids: list[tuple[str | None, list[list[Any]]]] = []
    last_text: str | None = None
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                paragraphs.append(text)
                last_text = text
        elif tag == "tbl":
            table = Table(child, document)
            rows: list[list[Any]] = []
            for row in table.rows:
                seen: set[int] = set()
                out: list[Any] = []
                for cell in row.cells:
                    key = id(cell._tc)
                    if key in seen:
                        out.append(None)
                        continue
                    seen.add(key)
                    text = "\n".join(p.text for p in cell.paragraphs).strip()
                    out.append(" ".join(text.split()) or None)
                rows.append(out)
            title = last_text if last_text and len(last_text) <= 150 else None
            grids.append((title, rows))
            last_text = None
    # Headers and footers name the force (the letterhead).
    head = []
    for section in document.sections:
        for part in (section.header, section.footer):
            try:
                head.extend(p.text.strip() for p in part.paragraphs if p.text.strip())
            except Exception:
                continue
    text = "\n".join(head[:6] + paragraphs + head[6:])
    return grids_to_document(path, "docx", grids, text, Document)
