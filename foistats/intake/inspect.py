"""What the detector sees in a sheet, laid out for a person to check an import.

`foistats inspect` is how a user understands (and then corrects, with a recipe) an
import: every row is tagged with the region the detector put it in, and the
decisions and rejected candidates are listed with their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foistats.intake.detect import SheetGrid, Table, header_pieces
from foistats.intake.grid import cell_ref, col_letter, normalise_grid
from foistats.intake.read import read_workbook
from foistats.intake.report import ImportOptions, sources_text


@dataclass
class SheetView:
    name: str | None
    rows: list[dict[str, Any]]  # {"row": n, "region": tag, "A": text, ...}
    columns: list[str]
    decisions: list[str] = field(default_factory=list)
    tidy_preview: list[dict[str, Any]] = field(default_factory=list)


def inspect_file(path: Path, sheet: str | None = None, max_cols: int = 10, options: ImportOptions | None = None) -> list[SheetView]:
    from foistats.intake.long import tables_of
    from foistats.intake.tidy import recipe_for, import_file

    workbook = read_workbook(path)
    views: list[SheetView] = []
    doc = _document(path)
    options = options or ImportOptions(sheet=sheet)
    recipe = recipe_for(path, options)
    tidy_frame, report = import_file(path, options)
    tidy_rows = tidy_frame.to_dicts()
    for s in workbook.sheets:
        if sheet is not None and s.name != sheet:
            continue
        grid = SheetGrid(normalise_grid(s.rows), s.merged, s.name)
        tables = tables_of(grid, recipe)  # as the import reads them: long tables refined
        tags = _region_tags(grid, tables)
        width = min(grid.width, max_cols)
        columns = [col_letter(c) for c in range(width)]
        rows = []
        for r in range(grid.height):
            if r > 200:
                break
            row: dict[str, Any] = {"row": r + 1, "region": tags.get(r, "")}
            for c in range(width):
                v = grid.merged_value(r, c)
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                text = "" if v is None else str(v)
                if v is not None and grid.raw(r, c) is None:
                    if not tags.get(r, "").startswith("header"):
                        text = ""  # a title or note merged across the sheet: shown once
                    else:
                        text = f"«{text}»"  # filled from a merged cell
                row[col_letter(c)] = text[:28]
            rows.append(row)
        decisions = _decisions(grid, tables, s.merged)
        if doc is not None:
            # What the document reader saw: which page, ruled or not, stitched over pages.
            decisions[:0] = [n for n in doc.notes if n.startswith(f"{s.name} (") or n.startswith(f"{s.name}:")]
        sheet_report = next((sr for sr in report.sheets if sr.sheet == s.name), None)
        if sheet_report is not None:
            decisions.append(f"force: {sheet_report.force or 'none found'}" + (f" (from {sheet_report.force_source})" if sheet_report.force_source else ""))
            if sheet_report.sources:
                decisions.append("sources: " + sources_text(sheet_report.sources))
            decisions.extend(f"warning: {w}" for w in sheet_report.warnings)
            decisions.extend(f"guess: {g}" for g in sheet_report.guesses)
            if sheet_report.message:
                decisions.append(sheet_report.message)
        preview = [
            {
                k: t[k]
                for k in (
                    "force", "measure", "period_label", "period_start", "period_end", "value", "status", "source_cell",
                    "force_source", "period_source", "guess", "is_total",
                )
            }
            for t in tidy_rows
            if t["source_sheet"] == s.name
        ][:12]
        views.append(SheetView(name=s.name, rows=rows, columns=columns, decisions=decisions, tidy_preview=preview))
    if doc is not None and sheet is None:
        views.append(_document_view(doc))
    return views


def _document(path: Path) -> Any:
    """The reply document behind a PDF, Word, e-mail, web page or zip (None for spreadsheets)."""
    from foistats.intake import guard
    from foistats.intake.read import DOCUMENT_KINDS, read_document

    if path.name.lower().endswith(".gz"):
        return None  # a .csv.gz: read_workbook streams it as text
    kind = guard.sniff(path)
    return read_document(path, kind) if kind in DOCUMENT_KINDS else None


def _document_view(doc: Any) -> SheetView:
    """Every table the reader found (and what it did with it), the record lists, the checks, the letter."""
    decisions = [f"{doc.kind} document: {len(doc.workbook.sheets)} table(s) of figures read as sheets"]
    if doc.pdf is not None:
        decisions[0] = f"PDF, {doc.pdf.get('pages', 0)} page(s): {len(doc.pdf.get('tables', []))} table(s) found"
        found_on = {p for t in doc.pdf.get("tables", []) for p in t.get("pages", [])}
        empty = [str(i) for i in range(1, doc.pdf.get("pages", 0) + 1) if i not in found_on]
        if empty:
            decisions.append(f"no table on page(s) {', '.join(empty[:20])}{'…' if len(empty) > 20 else ''} (text only: no ruled grid, no aligned lines of numbers)")
    decisions.extend(doc.notes)
    decisions.extend(f"warning: {w}" for w in doc.warnings)
    for t in doc.record_lists:
        rec = t["records"]
        per = ", ".join(f"{p}: {n}" for p, n in rec["per_period"])
        decisions.append(f"table {t['number']}: {rec['n']:,} records numbered {rec.get('first_index') or 1}… counted per period ({per})")
    if doc.members:
        decisions.append("files inside: " + ", ".join(m.name for m in doc.members))
    if doc.letter is not None:
        decisions.append(doc.letter.summary())
    return SheetView(name="(document)", rows=[], columns=[], decisions=decisions)


def _region_tags(grid: SheetGrid, tables: list[Table]) -> dict[int, str]:
    tags: dict[int, str] = {}
    for i, t in enumerate(tables):
        suffix = f" {i + 1}" if len(tables) > 1 else ""
        for r in t.title_rows:
            tags[r] = "title" + suffix
        for r in t.header_rows:
            tags[r] = "header" + suffix
        for r in t.body_rows:
            tags[r] = "data" + suffix
        for r in t.section_rows:
            tags[r] = "label" + suffix
        for r in t.total_rows:
            tags[r] = "total" + suffix
        for r in t.note_rows:
            tags[r] = "notes" + suffix
    return tags


def _decisions(grid: SheetGrid, tables: list[Table], merged: list[Any]) -> list[str]:
    out: list[str] = []
    if not tables:
        out.append("no table found: no block of rows holding numbers")
    for i, t in enumerate(tables, 1):
        label = f"table {i}: " if len(tables) > 1 else ""
        out.append(
            f"{label}header row(s) {', '.join(str(h + 1) for h in t.header_rows) or 'none'}; data rows "
            f"{t.body_rows[0] + 1}–{t.body_rows[-1] + 1}; orientation {t.orientation}"
            + (" (periods across the columns)" if t.orientation == "wide" else " (periods down the rows)" if t.orientation == "long" else " (no periods in the table; from context)")
        )
        out.append(f"{label}label column(s) {', '.join(col_letter(c) for c in t.label_cols) or 'none'}; value column(s) {', '.join(col_letter(c) for c in t.value_cols)}")
        for c in t.value_cols[:6]:
            pieces = header_pieces(grid, t, c)
            if pieces:
                out.append(f"{label}column {col_letter(c)} header: " + " / ".join(str(p) for p in pieces))
        if t.total_cols:
            out.append(f"{label}total column(s) skipped: {', '.join(col_letter(c) for c in t.total_cols)}")
        if t.derived_cols:
            out.append(f"{label}derived column(s) skipped (changes, percentages): {', '.join(col_letter(c) for c in t.derived_cols)}")
        if t.total_rows:
            out.append(f"{label}total row(s): {', '.join(str(r + 1) for r in t.total_rows)}")
        if t.flag_cols:
            out.append(f"{label}marker column(s) (e.g. R = revised): {', '.join(col_letter(c) for c in t.flag_cols)}")
        out.extend(f"{label}rejected: {r}" for r in t.rejected)
    if merged:
        shown = ", ".join(f"{cell_ref(*a)}:{cell_ref(*b)}" for a, b in merged[:6])
        out.append(f"merged cells ({len(merged)}): {shown}{' …' if len(merged) > 6 else ''} — values shown «filled»")
    return out
