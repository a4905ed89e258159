"""Shared by the Word, web-page and e-mail readers: tables (title + rows) into a Document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_NUMBERISH = re.compile(r"\d")


def grids_to_document(path: Path, kind: str, grids: list[tuple[str | None, list[list[Any]]]], text: str, document_type: Any) -> Any:
    """Tables with at least one number become sheets "table N"; the rest is left to the letter."""
    from foistats.intake.grid import Sheet, Workbook, cell_ref

    sheets = []
    names: dict[str, dict[str, tuple[str, str]]] = {}
    notes = []
    records: list[dict[str, Any]] = []
    for k, (title, rows) in enumerate(grids, start=1):
        width = max((len(r) for r in rows), default=0)
        rows = [list(r) + [None] * (width - len(r)) for r in rows if any(v not in (None, "") for v in r)]
        if not rows or width < 2:
            notes.append(f"table {k}: {'empty' if not rows else 'one column'} — not a table of figures")
            continue
        from foistats.intake.readers.pdf import _header_count, _record_list

        table = {"rows": rows, "header_rows": _header_count(rows), "row_pages": [k] * len(rows), "number": k, "title": title}
        rec = _record_list(table) if len(rows) >= 11 else None
        if rec is not None:
            # One row per crime (numbered, or dated with categories): counted, never read as values.
            table.update(records=rec, where=f"table {k}")
            records.append(table)
            notes.append(f"table {k}: a list of {rec['n']:,} records, counted")
            continue
        if not any(isinstance(v, str) and _NUMBERISH.search(v) for r in rows for v in r[1:]):
            notes.append(f"table {k}: no numbers in it — a layout table or a list, read as letter text")
            continue
        grid = ([[title] + [None] * (width - 1)] if title else []) + rows
        offset = 1 if title else 0
        sheet = f"table {k}"
        sheets.append(Sheet(name=sheet, rows=grid))
        names[sheet] = {
            cell_ref(i + offset, c): (sheet, f"table {k}, row {i + 1}, column {c + 1} ({cell_ref(i + offset, c)})")
            for i in range(len(rows))
            for c in range(width)
        }
        notes.append(f"table {k}: {len(rows)} rows × {width} columns" + (f", titled {title!r}" if title else ""))
    workbook = Workbook(path=path, kind=kind, sheets=sheets)
    return document_type(path=path, kind=kind, workbook=workbook, text=text, cell_names=names, notes=notes, records=records)
