"""`foistats inspect`: show what the detector sees in a file, so a user can trust or fix it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from foistats.cli import options as opt


def inspect_command(
    path: Annotated[Path, typer.Argument(help="One spreadsheet or CSV file.", show_default=False)],
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="Only this sheet.", show_default=False)] = None,
    columns: Annotated[int, typer.Option("--columns", help="How many columns of the grid to show.")] = 6,
    fmt: opt.Format = None,
    output: opt.Output = None,
) -> None:
    """Show a file as the importer sees it: title, header, data, totals and notes marked.

    Lists the header chosen, candidates rejected, the orientation (years as columns or
    rows), merged cells filled «like this», the force found and the first tidy rows.

    Example:

      foistats inspect "examples/sextortion/Leicestershire Police FOI 2024-0123.xlsx"

      foistats inspect "examples/sextortion/GMP FOI 2024-0412.xlsx" --format json
    """
    from foistats.intake.inspect import inspect_file
    from foistats.model.errors import InputError
    from foistats.publish.render import Column, Result, emit, resolve_format

    if not path.exists():
        raise InputError("no such file", path=path)
    views = inspect_file(path, sheet=sheet, max_cols=columns)
    fmt = fmt or "table"  # a view for people; --format csv/json still gives the grid to scripts
    if sheet is not None and not views:
        raise InputError(f"no sheet named {sheet!r}", path=path)
    chosen = resolve_format(fmt, output)
    if chosen in ("json", "ndjson", "csv", "tsv"):
        _machine(path, views, chosen, output)
        return
    for view in views:
        title = f"{path.name}" + (f" — sheet {view.name!r}" if view.name else "")
        grid_cols = [Column("row", kind="int", min_width=3, max_width=6), Column("region", min_width=6, max_width=8)] + [
            Column(c, max_width=24, min_width=4) for c in view.columns
        ]
        emit(Result(columns=grid_cols, rows=view.rows, title=title, notes=view.decisions), fmt, None)
        if view.tidy_preview:
            preview_cols = [Column(k, kind="num" if k == "value" else "text") for k in view.tidy_preview[0]]
            emit(Result(columns=preview_cols, rows=view.tidy_preview, title="first tidy rows"), fmt, output)


def _machine(path: Path, views: list, fmt: str, output: Path | None) -> None:
    """One valid document for scripts: JSON (or NDJSON, a line per sheet) holds every sheet's
    grid, decisions and first tidy rows; CSV holds the grids, one row per sheet row."""
    import io
    import json
    import sys

    from foistats.publish.files import atomic_write_text
    from foistats.publish.render import Column, Result, machine_value, warn, write_csv

    sheets = [
        {
            "sheet": v.name,
            "decisions": v.decisions,
            "grid": v.rows,
            "tidy_preview": [{k: machine_value(x) for k, x in r.items()} for r in v.tidy_preview],
        }
        for v in views
    ]
    buffer = io.StringIO()
    if fmt == "json":
        json.dump({"file": str(path), "sheets": sheets}, buffer, indent=2, ensure_ascii=False, default=str)
        buffer.write("\n")
    elif fmt == "ndjson":
        for s in sheets:
            buffer.write(json.dumps({"file": str(path), **s}, ensure_ascii=False, default=str) + "\n")
    else:
        letters: list[str] = []
        for v in views:
            letters.extend(c for c in v.columns if c not in letters)
        rows = [{"sheet": v.name, **r} for v in views for r in v.rows]
        columns = [Column(k) for k in ("sheet", "row", "region", *letters)]
        from foistats.publish.render import delimiter

        write_csv(Result(columns=columns, rows=rows), buffer, sep=delimiter(fmt))
        for v in views:
            for d in v.decisions:
                warn(f"[{v.name}] {d}" if v.name else d)
    if output is not None and str(output) != "-":
        atomic_write_text(output, buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
