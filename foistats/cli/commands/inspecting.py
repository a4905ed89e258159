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

      foistats inspect examples/sextortion/leicestershire-police-foi-response.xlsx
    """
    from foistats.intake.inspect import inspect_file
    from foistats.model.errors import InputError
    from foistats.publish.render import Column, Result, emit

    if not path.exists():
        raise InputError("no such file", path=path)
    views = inspect_file(path, sheet=sheet, max_cols=columns)
    fmt = fmt or "table"  # a view for people; --format csv/json still gives the grid to scripts
    if sheet is not None and not views:
        raise InputError(f"no sheet named {sheet!r}", path=path)
    for view in views:
        title = f"{path.name}" + (f" — sheet {view.name!r}" if view.name else "")
        grid_cols = [Column("row", kind="int", min_width=3, max_width=6), Column("region", min_width=6, max_width=8)] + [
            Column(c, max_width=24, min_width=4) for c in view.columns
        ]
        emit(Result(columns=grid_cols, rows=view.rows, title=title, notes=view.decisions), fmt, None)
        if view.tidy_preview:
            preview_cols = [Column(k, kind="num" if k == "value" else "text") for k in view.tidy_preview[0]]
            emit(Result(columns=preview_cols, rows=view.tidy_preview, title="first tidy rows"), fmt, output)
