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
FromWdtk = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--from-wdtk",
        help="A WhatDoTheyKnow batch export: its download.csv and/or its zip (give the option once for each). "
        "The forces, dates, statuses and events come from it; the replies' attachments are saved in FOLDER/replies.",
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
    from_wdtk: FromWdtk = None,
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

    --from-wdtk reads a WhatDoTheyKnow batch export you downloaded (no network):
    the forces it went to, the day each request was sent, each reply's date,
    the outcome (the CSV's request_status, else what the reply email says),
    clarifications, extensions and internal reviews as events, and the
    replies' attachments, saved in FOLDER/replies and run through the importer
    (a format it does not read yet is listed, not an error).

    Example:

      foistats init returns --title "Sextortion" --year-start jun --periods 2020/21,2021/22,2022/23 --sent 2024-01-08
      foistats init returns --from-wdtk download.csv --from-wdtk batch.zip --title "Sextortion"
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
    if from_wdtk:
        if forces is not None:
            raise UsageError("--forces and --from-wdtk both say who was asked", hint="give one of them")
        _init_from_wdtk(
            folder, from_wdtk, overwrite=force_overwrite, title=title, wording=wording, measure=measure,
            year_start=year_start, periods=labels, sent=parse_day("--sent", sent),
        )
        return
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


def _init_from_wdtk(folder: Path, paths: list[Path], *, overwrite: bool, **fields: Any) -> None:
    """A campaign from a WhatDoTheyKnow export: records, saved replies, a line per problem."""
    from datetime import date

    import typer

    from foistats.campaign.file import FILE_NAME
    from foistats.campaign.whatdotheyknow import campaign_from_export, import_report
    from foistats.model.errors import EXIT_INPUT, UsageError
    from foistats.publish import render

    folder = Path(folder)
    if (folder / FILE_NAME).exists() and not overwrite:
        raise UsageError(f"{folder / FILE_NAME} already exists", hint="edit it, or pass --force-overwrite to replace it")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    built = campaign_from_export(list(paths), folder / "replies", fields.pop("sent"))
    if not built.forces:
        for line in built.problems:
            render.warn(f"error: {line}")
        raise UsageError("no request in the export went to a police force foistats knows; nothing written")
    names = ", ".join(str(p) for p in paths)
    target = _write_template(
        folder, overwrite=overwrite, forces=built.forces, sent=built.sent, written=date.today(),
        events=built.events, responses=built.responses, recipes=built.recipes,
        origin=f"Made from the WhatDoTheyKnow export {names} ({built.requests} requests).", **fields,
    )
    for line in import_report(built.saved, built.recipes):
        render.warn(line)
    for line in built.problems:
        render.warn(f"error: {line}")
    render.warn(
        f"wrote {target}: {len(built.forces)} forces from WhatDoTheyKnow; {len(built.saved)} attachment(s) saved in "
        f"{folder / 'replies'}; run `foistats status {folder}`"
    )
    if built.problems:
        raise typer.Exit(EXIT_INPUT)


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
