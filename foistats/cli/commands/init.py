"""`foistats init`: start a campaign by writing a commented foistats.toml beside the returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from foistats.cli.options import YearStart

Folder = Annotated[
    Path,
    typer.Argument(help="The folder the returns are (or will be) saved in; created if missing.", show_default=False),
]
Title = Annotated[Optional[str], typer.Option("--title", help="A short name for the request (chart titles).", show_default=False)]
Wording = Annotated[Optional[str], typer.Option("--wording", help="The request exactly as sent.", show_default=False)]
MeasureName = Annotated[
    Optional[str],
    typer.Option("--measure", "-m", help="The name every return's figures are filed under.", show_default=False),
]
Periods = Annotated[
    Optional[str],
    typer.Option(
        "--periods",
        help="The years asked for, comma-separated, e.g. 2020/21,2021/22,2022/23 (labelled by the year they start in).",
        show_default=False,
    ),
]
Sent = Annotated[
    Optional[str],
    typer.Option("--sent", help="The day the request was sent, YYYY-MM-DD (replies are due 20 working days later).", show_default=False),
]
ForceList = Annotated[
    Optional[str],
    typer.Option(
        "--forces",
        help="Who it was sent to, comma-separated, any spelling (default: the 43 territorial forces of England and Wales).",
        show_default=False,
    ),
]
Overwrite = Annotated[
    bool,
    typer.Option("--force-overwrite", help="Replace an existing foistats.toml (it is never replaced otherwise)."),
]


def init_command(
    folder: Folder = Path("."),
    title: Title = None,
    wording: Wording = None,
    measure: MeasureName = None,
    year_start: YearStart = None,
    periods: Periods = None,
    sent: Sent = None,
    forces: ForceList = None,
    force_overwrite: Overwrite = False,
) -> None:
    """Start a campaign: write a commented foistats.toml in FOLDER (default: here).

    It records the request wording, the measure name, the years asked for
    (which set the default --year-start), the date sent and the forces it went
    to: the 43 territorial forces of England and Wales unless --forces says
    otherwise, with the other UK bodies listed commented out. Every key is
    explained in the file, with commented examples of \\[responses] (refusals
    by letter, dates received) and per-file \\[recipes]. init does not read
    the returns; run `foistats status` next. An existing file is kept unless
    --force-overwrite.

    Example:

      foistats init returns --title "Sextortion" --year-start jun --periods 2020/21,2021/22,2022/23 --sent 2024-01-08
    """
    from datetime import date

    from foistats.publish import render
    from foistats.cli.commands.status import parse_day
    from foistats.model.errors import UsageError
    from foistats.model.forces import resolve_force_option
    from foistats.model.periods import PeriodError, month_from_name, parse_aligned

    if year_start is not None:
        try:
            month_from_name(year_start)
        except (PeriodError, ValueError):
            raise UsageError(f"--year-start {year_start!r} is not a month", hint="use e.g. jun, apr or jan") from None
    labels = [p.strip() for p in (periods or "").split(",") if p.strip()] or None
    if labels:
        start = month_from_name(year_start) if year_start else 4
        for label in labels:
            try:
                parse_aligned(label, start)
            except (PeriodError, ValueError) as exc:
                raise UsageError(f"--periods: {exc}") from None
    names = None
    if forces is not None:
        names = []
        for text in (f.strip() for f in forces.split(",")):
            if text and resolve_force_option(text).name not in names:
                names.append(resolve_force_option(text).name)
    target = _write_template(
        folder,
        overwrite=force_overwrite,
        title=title,
        wording=wording,
        measure=measure,
        year_start=year_start,
        periods=labels,
        sent=parse_day("--sent", sent),
        forces=names,
        written=date.today(),
    )
    asked = len(names) if names is not None else 43
    render.warn(f"wrote {target}: {asked} forces; edit it, then run `foistats status {folder}`")


def _write_template(folder: Path, *, overwrite: bool = False, **fields: Any) -> Path:
    """Write `folder/foistats.toml` (atomically); an existing file is kept unless `overwrite`.

    The text is checked by parse_campaign before it is written, so `init` can never
    leave a file that the next command rejects.
    """
    from foistats.campaign.file import FILE_NAME, init_text, parse_campaign
    from foistats.model.errors import UsageError
    from foistats.publish.files import atomic_write_text

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    target = folder / FILE_NAME
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists", hint="edit it, or pass --force-overwrite to replace it")
    folder.mkdir(parents=True, exist_ok=True)
    text = init_text(**fields)
    parse_campaign(text, target)  # never leave a file the next command rejects
    atomic_write_text(target, text)
    return target
