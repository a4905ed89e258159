"""Outputs people publish: a CSV shaped for Datawrapper/Flourish, and a workbook for editors.

Both are built from the same `ExportTable` — one row per force, one column per year,
the rise and the rank from `rank.rank_rises` — so the chart a reader sees and the
workbook a sub-editor checks can never disagree. A figure that is not an exact, whole,
aligned year (a range, a partial or misaligned year, a nil return) is left blank with
the reason in the Note column: a chart tool would otherwise draw it as if it were one.

The workbook carries a Sources sheet listing the file, sheet and cell behind every
figure, and all text is formula-safe: a cell that starts with = + - @ (or a tab or
carriage return) is written with a leading ' so a spreadsheet shows it rather than
running it. openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear
    from foistats.analysis.change import Rise
    from foistats.analysis.rank import Ranking
    from foistats.publish.render import Result

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
TARGETS = ("datawrapper", "xlsx")


def safe_text(value: Any) -> Any:
    """Text a spreadsheet will show, never run: '=1+1 stays text. Numbers pass untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


@dataclass
class SourceCell:
    """One spreadsheet cell behind a published figure."""

    force: str
    period: str  # the aligned year it counts towards, e.g. 2020/21
    file: str
    sheet: str | None
    cell: str | None
    value: float | None = None
    label: str | None = None  # the period as the source wrote it
    status: str | None = None
    note: str | None = None


@dataclass
class ExportTable:
    """One row per force: its yearly figures, rise and rank, and where each came from."""

    title: str
    measure: str
    labels: list[str]  # one per year column, e.g. ["2020/21", "2021/22", "2022/23"]
    from_label: str
    to_label: str
    from_long: str
    to_long: str
    by_words: str
    summary: str
    rows: list[dict[str, Any]]
    sources: list[SourceCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    about: list[tuple[str, str]] = field(default_factory=list)  # (what, value) for the About sheet
    with_kind: bool = False  # areas other than forces were asked for (--areas): an "Area kind" column


def shown_value(y: "AlignedYear | None") -> tuple[float | None, str | None]:
    """The figure a chart may draw for one aligned year, or None and the reason it may not."""
    if y is None:
        return None, None
    status = (y.status or "").lower()
    if status == "refused":
        return None, "refused"
    if status == "no_data":
        return None, "no data held"
    if status == "nil":
        return None, "nil return"
    if y.misaligned or status == "misaligned":
        return None, "answered for other periods"
    if status == "partial" or y.months_covered < y.months_expected:
        return None, f"partial ({y.months_covered} of {y.months_expected} months)"
    if y.value is None:
        if y.low is not None or y.high is not None:
            high = "?" if y.high is None else f"{y.high:g}"
            return None, f"suppressed ({y.low or 0:g}–{high})"
        return None, "no value"
    return y.value, None


def _split_source(text: str) -> tuple[str, str | None, str | None]:
    """ "file | sheet | B6" (align's provenance string) → (file, sheet, cell)."""
    parts = [p.strip() for p in text.split(" | ")]
    file = parts[0]
    sheet = parts[1] if len(parts) > 2 else (parts[1] if len(parts) == 2 and not _looks_like_cell(parts[1]) else None)
    cell = parts[-1] if len(parts) > 1 and _looks_like_cell(parts[-1]) else None
    return file, sheet or None, cell


def _looks_like_cell(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", text))


def build_table(
    ranking: "Ranking",
    years: "Iterable[AlignedYear]",
    requested: list[int],
    year_start: int,
    *,
    measure: str,
    title: str | None,
    from_label: str,
    to_label: str,
    from_long: str,
    to_long: str,
    tidy_rows: Iterable[dict[str, Any]] = (),
    notes: Iterable[str] = (),
    areas: "frozenset[str]" = frozenset({"force"}),
) -> ExportTable:
    """Put the ranking's forces in rank order with every requested year beside them.

    `years` are the aligned years of the chosen measure; `tidy_rows` (the tidy dataset's
    rows) give each source cell its value and label for the Sources sheet.
    """
    from foistats.analysis.rank import BY_WORDS
    from foistats.model.periods import aligned_label

    labels = [aligned_label(y, year_start) for y in requested]
    by_force: dict[str, dict[int, "AlignedYear"]] = {}
    for y in years:
        if (y.area_kind or "force") in areas:
            slot = by_force.setdefault(y.force, {})
            if y.year not in slot or (slot[y.year].misaligned and not y.misaligned):
                slot[y.year] = y
    index: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in tidy_rows:
        key = (str(row.get("source_file") or ""), str(row.get("source_sheet") or ""), str(row.get("source_cell") or ""))
        index.setdefault(key, row)

    rows: list[dict[str, Any]] = []
    sources: list[SourceCell] = []
    for entry in ranking.entries:
        r: Rise = entry.rise
        if (r.area_kind or "force") not in areas:
            continue
        slot = by_force.get(r.force, {})
        row: dict[str, Any] = {"force": r.force, "area_kind": r.area_kind or "force", "force_code": r.force_code}
        blanks: dict[str, list[str]] = {}  # why → years left blank for that reason
        for year, label in zip(requested, labels):
            y = slot.get(year)
            value, why = shown_value(y)
            row[label] = value
            if why:
                blanks.setdefault(why, []).append(label)
            for text in (y.source_cells if y is not None else []):
                file, sheet, cell = _split_source(text)
                tidy = index.get((file, sheet or "", cell or ""), {})
                sources.append(
                    SourceCell(
                        force=r.force,
                        period=label,
                        file=file,
                        sheet=sheet,
                        cell=cell,
                        value=tidy.get("value"),
                        label=tidy.get("period_label") or None,
                        status=tidy.get("status"),
                        note=tidy.get("note"),
                    )
                )
        # The rise is published only beside the two figures it joins, and only for a
        # ranked force: an unranked one's +583% would otherwise top the chart unexplained.
        comparable = (
            entry.rank is not None
            and r.change is not None
            and row.get(from_label) is not None
            and row.get(to_label) is not None
        )
        row["change"] = r.change if comparable else None
        row["pct_change"] = r.pct_change if comparable else None
        row["rank"] = entry.rank
        row["place"] = entry.place
        words = [(entry.reason or r.reason or "not ranked") if entry.rank is None else r.reason]
        said = " ".join(w for w in words if w)
        for why, which in blanks.items():
            key = {"answered for other periods": "misaligned"}.get(why, why.split(" ")[0])
            if key in said and (key in ("misaligned", "refused") or all(label in said for label in which)):
                continue  # the ranking's reason already says it
            words.append(f"{why}: {', '.join(which)}")
        row["note"] = "; ".join(w for w in words if w) or None
        rows.append(row)
    what = title or measure
    return ExportTable(
        title=what,
        measure=measure,
        labels=labels,
        from_label=from_label,
        to_label=to_label,
        from_long=from_long,
        to_long=to_long,
        by_words=BY_WORDS[ranking.by],
        summary=ranking.summary,
        rows=rows,
        sources=sources,
        notes=list(notes),
        with_kind=areas != frozenset({"force"}),
    )


# ---------------------------------------------------------------- Datawrapper / Flourish CSV


def datawrapper_result(table: ExportTable) -> "Result":
    """Human column names (they become the chart's labels); % change to one decimal place.

    The caption and notes travel on stderr, as with every command, so the CSV is clean.
    """
    from foistats.analysis.change import round_half_up
    from foistats.publish.render import Column, Result

    rows = []
    for r in table.rows:
        out = {"Force": r["force"]}
        if table.with_kind:
            out["Area kind"] = r.get("area_kind")
        for label in table.labels:
            out[label] = r.get(label)
        pct = r.get("pct_change")
        out["Change"] = r.get("change")
        out["% change"] = None if pct is None else float(round_half_up(pct, 1))
        out["Rank"] = r.get("rank")
        out["Place"] = r.get("place")
        out["Note"] = r.get("note")
        rows.append(out)
    columns = [
        Column("Force"),
        *([Column("Area kind")] if table.with_kind else []),
        *[Column(label, kind="num") for label in table.labels],
        Column("Change", kind="signed"),
        Column("% change", kind="pct"),
        Column("Rank", kind="int"),
        Column("Place"),
        Column("Note"),
    ]
    return Result(columns=columns, rows=rows, caption=caption(table), notes=table.notes)


def caption(table: ExportTable) -> str:
    return (
        f"{table.title}: {table.from_long} → {table.to_long}, ranked by {table.by_words}: {table.summary}"
    )


# ---------------------------------------------------------------- workbook


def _clean(value: Any) -> Any:
    """Free of the control characters a workbook cannot hold. Text is written as text
    (data type "s") and a formula-like lead gets the quote-prefix style in `_write`, so
    "=1+1" stays exactly "=1+1" in the cell, never '=1+1 with a literal apostrophe."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, (list, tuple)):
        return _clean("; ".join(str(v) for v in value))
    return value


def _write(ws: Any, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    cell = ws.cell(row=row, column=col, value=_clean(value))
    if isinstance(value, (str, list, tuple)):
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
            cell.quotePrefix = True  # Excel's own "this is text" mark: shown and kept exactly
    elif number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def _count_format(values: Iterable[Any]) -> str:
    whole = all(float(v).is_integer() for v in values if isinstance(v, (int, float)))
    return "#,##0" if whole else "#,##0.##"


def _sheet(wb: Any, title: str, headers: list[str], rows: list[list[Any]], formats: list[str | None], widths: list[int]) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    for c, text in enumerate(headers, start=1):
        cell = _write(ws, 1, c, text)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _write(ws, r, c, value, formats[c - 1])
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "B2" if title == "Data" else "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return ws


def xlsx_bytes(table: ExportTable) -> bytes:
    """The editors' workbook: Data (frozen header, number formats), Sources, About."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)

    kind = ["Area kind"] if table.with_kind else []
    headers = ["Force", *kind, *table.labels, "Change", "% change", "Rank", "Place", "Note"]
    counts = [r.get(label) for r in table.rows for label in table.labels]
    count_format = _count_format(counts)
    data_rows = []
    for r in table.rows:
        pct = r.get("pct_change")
        data_rows.append(
            [
                r["force"],
                *([r.get("area_kind")] if table.with_kind else []),
                *[r.get(label) for label in table.labels],
                r.get("change"),
                None if pct is None else pct / 100,
                r.get("rank"),
                r.get("place"),
                r.get("note"),
            ]
        )
    formats = [None, *[None] * len(kind), *[count_format] * len(table.labels), "+#,##0;-#,##0;0", "+#,##0.0%;-#,##0.0%;0.0%", "0", None, None]
    widths = [40, *[12] * len(kind), *[11] * len(table.labels), 10, 11, 7, 12, 70]
    _sheet(wb, "Data", headers, data_rows, formats, widths)

    source_rows = [
        [s.force, s.period, s.value, s.file, s.sheet, s.cell, s.label, s.status, s.note] for s in table.sources
    ]
    _sheet(
        wb,
        "Sources",
        ["Force", "Year", "Value", "File", "Sheet", "Cell", "Period as written", "Status", "Note"],
        source_rows,
        [None, None, count_format, None, None, None, None, None, None],
        [40, 9, 9, 60, 16, 8, 28, 11, 50],
    )

    about = [
        ("Title", table.title),
        ("Measure", table.measure),
        ("Compared", f"{table.from_long} ({table.from_label}) with {table.to_long} ({table.to_label})"),
        ("Ranked by", table.by_words),
        ("Summary", table.summary),
        *table.about,
        *[("Note", n) for n in table.notes],
        ("Blank figures", "not an exact whole aligned year (see the Note column); never a zero"),
        ("Made with", "foistats (every figure is traced to its cell on the Sources sheet)"),
    ]
    _sheet(wb, "About", ["What", "Value"], [list(a) for a in about], [None, None], [18, 110])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
