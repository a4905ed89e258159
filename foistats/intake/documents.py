"""One file of the import: spreadsheets straight to tidy, reply documents with what only they have.

A reply document (PDF, Word, e-mail, web page, zip) goes through the same read -> detect
-> tidy steps as a spreadsheet for its tables; this module then adds what a letter
carries and a spreadsheet does not:

- provenance that reads like the document: `source_file` is `reply.eml › table.xlsx` for
  an attachment, `source_sheet` the page (`page 2`, or `pages 1–61` for counts made from
  records), `source_cell` the table, row and column (`table 1, row 3, column 2 (B4)`);
- the letter: reference, date, outcome and the sentence that decided it, in the report;
  a refusal, "not held" or nil reply without figures becomes one row with that status
  (as the campaign's recorded refusals are) — a successful import of that outcome;
- record lists printed in a PDF (one row per crime) counted per period and category,
  and a summary table printed before them checked against those counts;
- the force named by the letterhead, for rows whose table and file name say nothing;
- e-mail attachments and zip members imported as files of their own (into a temporary
  folder), each with its own report line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.intake.report import FileReport, ImportOptions, SheetReport
from foistats.model import schema

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_ENVELOPES = ("zip", "eml", "msg")


MAX_DEPTH = 3  # a zip of e-mails with zipped attachments, and no deeper


def import_one(
    path: Path,
    display: str,
    options: ImportOptions,
    frames: "list[pl.DataFrame]",
    reports: list[FileReport],
    tmp: Path,
    depth: int,
    supported: tuple[str, ...] = (),
) -> None:
    """Import one file (and, for zips and e-mails, the files inside); never raises FoistatsError."""
    from foistats.intake import guard, records
    from foistats.intake.read import DOCUMENT_KINDS, hand_over, read_document, release
    from foistats.model.errors import FoistatsError

    def fail(exc: Exception) -> None:
        reports.append(FileReport(path=display, status="error", error=_rename(str(exc), path, display)))

    try:
        kind, archive = guard.sniff_open(path)  # an xlsx/xlsb/ods stays open for the guard's next checks
        doc = read_document(path, kind) if kind in DOCUMENT_KINDS else None
    except FoistatsError as exc:
        fail(exc)
        return
    if doc is not None and kind in _ENVELOPES:
        start = len(reports)
        if kind != "zip":
            from foistats.intake.tidy import import_file

            try:
                frame, report = import_file(path, options)
            except FoistatsError as exc:
                fail(exc)
            else:
                frame, report = finish_document(doc, frame, report, display, options)
                if report.sheets or frame.height:
                    frames.append(frame)
                    reports.append(report)
        _import_members(doc, display, options, frames, reports, tmp, depth, supported)
        if len(reports) == start:
            reports.append(FileReport(path=display, status="not_a_table", sheets=[
                SheetReport(sheet=None, status="not_a_table", message="nothing in it to import (no tables, no letter, no reply files)")
            ]))
        return
    if archive is not None:
        hand_over(path, kind, archive)
    try:
        # A CSV of records first: it never needs tidy.py's table machinery imported.
        counted = records.import_if_records(path, options)
        if counted is not None:
            frame, report = counted
        else:
            from foistats.intake.tidy import import_tables

            frame, report = import_tables(path, options)
    except FoistatsError as exc:
        fail(exc)
        return
    finally:
        release(path)
    if doc is not None:
        frame, report = finish_document(doc, frame, report, display, options)
    elif display != str(path):
        frame, report = _renamed(frame, report, display)
    frames.append(frame)
    reports.append(report)


def _import_members(
    doc: Any, display: str, options: ImportOptions, frames: list, reports: list[FileReport], tmp: Path, depth: int, supported: tuple[str, ...]
) -> None:
    skipped = []
    for i, member in enumerate(doc.members):
        name = member.name
        child = f"{display} › {name}"
        base = name.replace("\\", "/").rsplit("/", 1)[-1] or f"file-{i}"
        ext = Path(base).suffix.lower()
        if member.error:
            reports.append(FileReport(path=child, status="error", error=f"{child}: {member.error}"))
            continue
        if supported and ext not in supported:
            skipped.append(base)
            continue
        if not member.data:
            reports.append(FileReport(path=child, status="error", error=f"{child}: the file is empty (0 bytes)"))
            continue
        if depth + 1 > MAX_DEPTH:
            reports.append(FileReport(path=child, status="error", error=f"{child}: nested too deeply (archives inside e-mails inside archives…); extract it first"))
            continue
        folder = tmp / f"{depth}-{len(list(tmp.iterdir()))}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / base
        target.write_bytes(member.data)
        import_one(target, child, options, frames, reports, tmp, depth + 1, supported)
    if skipped:
        note = "not reply files, not imported: " + ", ".join(skipped[:8]) + ("…" if len(skipped) > 8 else "")
        for r in reports:
            if r.path == display and r.sheets is not None:
                r.sheets.append(SheetReport(sheet="attachments", status="skipped", message=note))
                break


def _rename(message: str, path: Path, display: str) -> str:
    return message.replace(str(path), display) if display != str(path) else message


def _renamed(frame: "pl.DataFrame", report: FileReport, display: str) -> "tuple[pl.DataFrame, FileReport]":
    import polars as pl

    report.path = display
    if frame.height:
        frame = frame.with_columns(pl.lit(display).alias("source_file"))
    return frame, report


# ------------------------------------------------------------------ documents


def finish_document(doc: Any, frame: "pl.DataFrame", report: FileReport, display: str, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport]":
    """Provenance in the document's own terms, record counts, total checks and the letter."""
    import polars as pl

    report.path = display
    tables = frame.get_column("source_sheet").to_list() if frame.height else []  # before provenance renames them
    frame = _provenance(doc, frame, display)
    for s in report.sheets:
        names = doc.cell_names.get(s.sheet or "")
        if names:
            # Warnings and skipped cells name cells as the document does ("page 2, table 1, row 5, column 3 (C6)").
            s.warnings = [_A1.sub(lambda m: _doc_cell(names, m.group(0)), w) for w in s.warnings]
            for sk in s.skipped:
                if sk.get("cell") in names:
                    where, what = names[sk["cell"]]
                    sk["cell"] = f"{where}, {what}" if where != s.sheet else what
            pages = sorted({where for where, _ in names.values()}, key=_page_key)
            if pages and pages[0].startswith("page"):
                s.sheet = f"{s.sheet} ({_span(pages)})"
    force = _document_force(doc, report, options, display)
    extra: list[schema.TidyRow] = []
    for table in doc.record_lists:
        rows, sheet_report = _record_rows(doc, table, display, force, options)
        extra.extend(rows)
        report.sheets.append(sheet_report)
    for warning in doc.warnings:
        target = next((s for s in report.sheets if s.status == "counted"), None) or (report.sheets[0] if report.sheets else None)
        if target is None:
            target = SheetReport(sheet=None, status="checked")
            report.sheets.append(target)
        target.warnings.append(warning)
    for note in doc.notes:
        if note.startswith("summary table"):
            target = next((s for s in report.sheets if s.status == "counted"), None)
            if target is not None:
                target.message = f"{target.message}; {note}" if target.message else note
    # Rows whose table and file name named no force: the letterhead's force, said so.
    if frame.height and force is not None and force[3] == schema.FROM_LETTERHEAD:
        missing = pl.col("force") == ""
        if frame.filter(missing).height:
            frame = frame.with_columns(
                pl.when(missing).then(pl.lit(force[0])).otherwise(pl.col("force")).alias("force"),
                pl.when(missing).then(pl.lit(force[1])).otherwise(pl.col("force_code")).alias("force_code"),
                pl.when(missing).then(pl.lit(force[2])).otherwise(pl.col("area_kind")).alias("area_kind"),
                pl.when(missing).then(pl.lit(schema.FROM_LETTERHEAD)).otherwise(pl.col("force_source")).alias("force_source"),
            )
            for s in report.sheets:
                if s.rows_imported and not s.force:
                    s.force, s.force_source = force[0], "letterhead"
    if frame.height and getattr(doc, "mentions", None):
        frame = _passing_mentions(doc, frame, report, tables)
    if extra:
        extra_frame = schema.to_frame(extra)
        frame = pl.concat([frame, extra_frame], how="vertical") if frame.height else extra_frame
    letter = doc.letter
    figures = frame.filter(~pl.col("status").is_in([schema.REFUSED, schema.NO_DATA])).height if frame.height else 0
    if letter is not None:
        if doc.kind == "pdf" and not _looks_like_letter(doc.text) and figures:
            letter = None  # a spreadsheet printed to PDF: no letter to read
    if letter is not None:
        from foistats.intake.letter import NIL, NOT_HELD, REFUSED, read_letter

        letter = read_letter(doc.text, has_figures=bool(figures), titles=getattr(doc, "titles", ()))
        report.letter = letter.as_dict()
        letter_sheet = SheetReport(sheet="letter", status="letter", message=letter.summary())
        report.sheets.append(letter_sheet)
        if not figures and letter.outcome in (REFUSED, NOT_HELD, NIL):
            status = {REFUSED: schema.REFUSED, NOT_HELD: schema.NO_DATA, NIL: schema.NIL}[letter.outcome]
            row = schema.TidyRow(
                force=force[0] if force else "",
                force_code=force[1] if force else None,
                area_kind=force[2] if force else schema.OTHER,
                measure=options.measure or "(whole request)",
                period_start=None,
                period_end=None,
                period_label="",
                value=None,
                status=status,
                value_low=0 if status == schema.NIL else None,
                value_high=0 if status == schema.NIL else None,
                source_file=display,
                source_sheet="letter",
                source_cell=_sentence_place(doc, letter.sentence),
                note=letter.note(),
                force_source=force[3] if force else None,
                measure_source=schema.FROM_USER if options.measure else None,
            )
            extra_frame = schema.to_frame([row])
            frame = pl.concat([frame, extra_frame], how="vertical") if frame.height else extra_frame
            letter_sheet.status = {schema.REFUSED: "refusal", schema.NO_DATA: "no_data", schema.NIL: "nil"}[status]
            letter_sheet.rows_imported = 1
            letter_sheet.force = force[0] if force else None
            letter_sheet.force_source = force[3] if force else None
            report.status = status
        elif not figures:
            report.status = "letter"
            letter_sheet.message += "; no table of figures in it"
            for s in report.sheets:
                if s.status == "not_a_table" and s is not letter_sheet:
                    s.message = s.message or "no numbers found"
    if not figures and letter is None and not extra and not report.sheets:
        report.status = "not_a_table"
        why = "; ".join(doc.notes[:3]) if doc.notes else "no table with figures found"
        report.sheets.append(SheetReport(sheet=None, status="not_a_table", message=f"no table of figures found ({why})"))
    if doc.kind == "pdf" and not doc.workbook.sheets and not doc.record_lists and report.status != "error":
        for s in report.sheets:
            if s.status in ("letter", "refusal", "no_data", "nil"):
                s.message = (s.message or "") + f" [{doc.pdf.get('pages', 0)} page(s) read, no table found]"
    return frame, report


_A1 = re.compile(r"\b[A-Z]{1,3}[1-9]\d{0,6}(?::[A-Z]{1,3}[1-9]\d{0,6})?\b")


def _doc_cell(names: dict[str, tuple[str, str]], ref: str) -> str:
    """"C5" -> "page 1, table 1, row 4, column 3 (C5)"; a range "C3:C4" names both ends once."""
    if ":" in ref:
        first, last = ref.split(":", 1)
        a, b = names.get(first), names.get(last)
        if a is None or b is None:
            return ref
        start = _doc_cell(names, first)
        return f"{start} to {b[1]}" if a[0] == b[0] else f"{start} to {_doc_cell(names, last)}"
    named = names.get(ref)
    if named is None:
        return ref
    where, what = named
    return f"{where}, {what}" if where.startswith("page") else what


def _looks_like_letter(text: str) -> bool:
    return bool(re.search(r"\b(?:dear|yours (?:sincerely|faithfully)|freedom of information|your request|request (?:number|reference)|our ref)", text[:20000], re.I))


def _sentence_place(doc: Any, sentence: str | None) -> str | None:
    if not sentence or doc.pdf is None:
        return None
    probe = " ".join(sentence.split()[:6])
    for i, page in enumerate(doc.pdf.get("texts", []), start=1):
        if probe and probe in " ".join(page.split()):
            return f"page {i}"
    return None


def _page_key(where: str) -> tuple[int, str]:
    m = re.search(r"\d+", where)
    return (int(m.group()) if m else 0, where)


def _span(pages: list[str]) -> str:
    nums = [_page_key(p)[0] for p in pages]
    return pages[0] if len(pages) == 1 else f"pages {min(nums)}–{max(nums)}"


def _provenance(doc: Any, frame: "pl.DataFrame", display: str) -> "pl.DataFrame":
    import polars as pl

    if not frame.height:
        return frame
    sheets = frame.get_column("source_sheet").to_list()
    cells = frame.get_column("source_cell").to_list()
    new_sheets, new_cells = [], []
    for sheet, cell in zip(sheets, cells):
        names = doc.cell_names.get(sheet or "")
        named = names.get(cell) if names and cell else None
        if named is None:
            new_sheets.append(sheet)
            new_cells.append(cell)
        else:
            new_sheets.append(named[0])
            new_cells.append(named[1])
    return frame.with_columns(
        pl.lit(display).alias("source_file"),
        pl.Series("source_sheet", new_sheets, dtype=pl.String),
        pl.Series("source_cell", new_cells, dtype=pl.String),
    )


def _document_force(doc: Any, report: FileReport, options: ImportOptions, display: str) -> tuple[str, str | None, str, str] | None:
    """(name, code, kind, source) of the force a document speaks for, on the evidence available."""
    from foistats.model.forces import registry

    if options.force:
        match = registry().resolve(options.force)
        if match is not None:
            return match.area.name, match.area.code, match.area.kind, schema.FROM_USER
    for s in report.sheets:
        if s.force and s.force_source and "file name" not in str(s.force_source) and len(s.areas) <= 1:
            match = registry().resolve(s.force, fuzzy=False)
            if match is not None:
                return match.area.name, match.area.code, match.area.kind, schema.FROM_TITLE if "title" in str(s.force_source) else schema.FROM_TABLE
    name = Path(display.rsplit(" › ", 1)[-1]).stem
    match = registry().find_in_text(name)
    if match is not None and not match.is_guess:
        return match.area.name, match.area.code, match.area.kind, schema.FROM_FILE_NAME
    if doc.letter is not None and doc.letter.letterhead:
        match = registry().resolve(doc.letter.letterhead, fuzzy=False)
        if match is not None:
            return match.area.name, match.area.code, match.area.kind, schema.FROM_LETTERHEAD
    if doc.pdf is not None:
        # A spreadsheet printed to PDF: the title block at the top of page 1 names the force.
        from foistats.intake.letter import is_prose

        for line in (doc.pdf.get("texts") or [""])[0].splitlines()[:6]:
            if is_prose(line):
                continue  # a sentence mentions forces ("transferred to us by …"); a title block names one
            match = registry().find_in_text(line)
            if match is not None and not match.is_guess and match.area.kind == schema.FORCE:
                return match.area.name, match.area.code, match.area.kind, schema.FROM_TITLE
    return None


def _passing_mentions(doc: Any, frame: "pl.DataFrame", report: FileReport, tables: list[str | None]) -> "pl.DataFrame":
    """Rows of a table whose introducing sentence names a force ("For comparison, Essex
    Police's figures are:") that is not the force they were filed under carry a guess
    naming both, so --strict fails; the sentence is not a title, so it never silently
    decides the force. Rows no other signal gave a force get the sentence's, as a guess.
    A passing mention ("transferred to us by …") changes nothing."""
    import polars as pl

    from foistats.intake.letter import _short
    from foistats.model.forces import registry

    forces = frame.get_column("force").to_list()
    codes = frame.get_column("force_code").to_list()
    kinds = frame.get_column("area_kind").to_list()
    sources = frame.get_column("force_source").to_list()
    guesses = frame.get_column("guess").to_list()
    changed = False
    for sheet, mention in doc.mentions.items():
        if not mention.claims:
            if any(t == sheet and not f for t, f in zip(tables, forces)):
                target = next((s for s in report.sheets if s.sheet == sheet or str(s.sheet or "").startswith(f"{sheet} (")), None)
                if target is not None:
                    target.warnings.append(
                        f"no force: the sentence above {sheet} names {mention.force} only in passing and nothing else in the reply names the force; pass --force"
                    )
            continue
        said = f"the sentence above {sheet} ({_short(mention.text, 90)!r})"
        area = registry().resolve(mention.force, fuzzy=False)
        sheet_report = next((s for s in report.sheets if s.sheet == sheet or str(s.sheet or "").startswith(f"{sheet} (")), None)
        for i, table in enumerate(tables):
            if table != sheet or forces[i] == mention.force:
                continue
            if not forces[i] and area is not None:
                forces[i], codes[i], kinds[i] = area.area.name, area.area.code, area.area.kind
                sources[i] = schema.FROM_TITLE
                why = f"force read from {said}, which may only mention it: nothing else in the reply names the force"
            else:
                source = str(sources[i] or "context").replace("_", " ")
                why = f"{said} names {mention.force} but the {source} names {forces[i]}"
            guesses[i] = f"{guesses[i]}; {why}" if guesses[i] else why
            changed = True
            if sheet_report is not None and why not in sheet_report.guesses:
                sheet_report.guesses.append(why)
                if sheet_report.force is None and forces[i]:
                    sheet_report.force, sheet_report.force_source = forces[i], "title (a sentence above the table)"
    if not changed:
        return frame
    return frame.with_columns(
        pl.Series("force", forces, dtype=frame.schema["force"]),
        pl.Series("force_code", codes, dtype=frame.schema["force_code"]),
        pl.Series("area_kind", kinds, dtype=frame.schema["area_kind"]),
        pl.Series("force_source", sources, dtype=frame.schema["force_source"]),
        pl.Series("guess", guesses, dtype=frame.schema["guess"]),
    )


def _record_rows(doc: Any, table: dict[str, Any], display: str, force: Any, options: ImportOptions) -> tuple[list[schema.TidyRow], SheetReport]:
    """Counts made from a printed list of records: per period, and per period per category value."""
    from foistats.intake.readers.pdf import pages_label
    from foistats.model.periods import PeriodError, parse_period

    rec = table["records"]
    where = table.get("where") or pages_label(rec["pages"])
    title = table.get("title") or "records listed"
    label = f"table {table['number']}"
    report = SheetReport(sheet=f"{label} ({where})", status="counted", orientation="records")
    report.header_rows = [1]
    report.cells_in_region = rec["n"]
    periods: dict[str | None, Any] = {}
    for p, _ in rec["per_period"]:
        if p is None:
            periods[p] = None
            continue
        try:
            periods[p] = parse_period(str(p))
        except (PeriodError, ValueError, TypeError, OverflowError):
            periods[p] = None
    if any(v is None for v in periods.values()):
        report.warnings.append(f"{label}: some records have no period the tool can read; they are counted without one")
    rows: list[schema.TidyRow] = []
    fname, fcode, fkind, fsource = force if force else ("", None, schema.OTHER, None)
    total_measure = f"{title} (records counted)"

    def row(measure: str, p: Any, n: int, cell: str) -> schema.TidyRow:
        per = periods.get(p)
        return schema.TidyRow(
            force=fname,
            force_code=fcode,
            area_kind=fkind,
            measure=measure,
            period_start=per.start if per else None,
            period_end=per.end if per else None,
            period_label=str(p) if p is not None else "",
            value=n,
            status=schema.OK,
            value_low=None,
            value_high=None,
            source_file=display,
            source_sheet=where,
            source_cell=cell,
            note=f"counted from the {rec['n']:,} records listed in {label}",
            force_source=fsource,
            period_source=schema.FROM_RECORDS if per else None,
            measure_source=schema.FROM_RECORDS,
        )

    period_header = rec["headers"][rec["period_col"]] if rec["period_col"] is not None else None
    for p, n in rec["per_period"]:
        cell = f"{label}: records with {period_header} = {p!r}" if period_header else f"{label}: all records"
        rows.append(row(total_measure, p, n, cell))
    for p, header, value, n in rec["counts"]:
        cell = f"{label}: records with {header} = {value!r}" + (f" and {period_header} = {p!r}" if period_header else "")
        rows.append(row(f"{header}: {value}", p, n, cell))
    report.rows_imported = len(rows)
    report.force = fname or None
    report.force_source = fsource
    report.measure = total_measure
    report.data_range = f"{label}, {rec['n']:,} records ({where})"
    cats = ", ".join(rec["headers"][c] for c in rec["categories"])
    report.message = f"{rec['n']:,} records counted per {period_header or 'file'}" + (f" and per {cats}" if cats else "")
    if not fname:
        report.warnings.append(f"{label}: no force named by the table, its title, the file name or a letterhead; pass --force")
    return rows, report
