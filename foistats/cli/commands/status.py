"""`foistats status`: the campaign tracker — who answered, who refused, who is overdue."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from foistats.cli.options import Campaign, ExcelSafe, Format, Measure, Output, YearStart

if TYPE_CHECKING:  # pragma: no cover
    from datetime import date

    from foistats.analysis.status import Coverage

ReturnPaths = Annotated[
    Optional[list[Path]],
    typer.Argument(
        help="The folder of returns (default: the campaign file's folder, else the current folder), files, or a tidy dataset.",
        show_default=False,
    ),
]
Chasers = Annotated[
    bool,
    typer.Option(
        "--chasers",
        help="Instead of the grid, print a short, polite chaser for each overdue force (and each overdue internal review), ready to paste.",
    ),
]
AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Judge deadlines on this day (YYYY-MM-DD) instead of today.", show_default=False),
]


def parse_day(option: str, text: str | None) -> "date | None":
    """A YYYY-MM-DD option value, or a usage error that shows the expected form."""
    from datetime import date

    from foistats.model.errors import UsageError

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2024-02-05") from None


def default_paths(paths: list[Path] | None, campaign: Path | None) -> list[Path]:
    """No paths: the campaign file's folder, else the current folder (where `init` put the file)."""
    if paths:
        return list(paths)
    if campaign is not None:
        return [campaign if campaign.is_dir() else campaign.parent]
    return [Path(".")]


def status_command(
    paths: ReturnPaths = None,
    as_of: AsOf = None,
    measure: Measure = None,
    year_start: YearStart = None,
    campaign: Campaign = None,
    fmt: Format = None,
    output: Output = None,
    excel_safe: ExcelSafe = False,
    chasers: Chasers = False,
) -> None:
    """Campaign coverage: every force × every year asked for, and who is late.

    Each force is answered (with data), partial (years or months missing),
    other periods (e.g. financial years), nil return, no data held, refused
    (with the exemption cited, from the return or the campaign file's
    \\[responses]), outstanding, or overdue: past the 20th working day after
    the date sent. Under the Freedom of Information Act a bank holiday
    anywhere in the UK does not count; Police Scotland answers under FOISA,
    where only Scotland's do. The campaign file's events move the
    clock: a re-send, a clarification (clock stopped, then 20 working days
    afresh), a public-interest extension, an internal review, a complaint to
    the regulator, a withdrawn or replaced answer. Ends with e.g. "31 of 43
    answered; 4 refused; 8 outstanding, 3 overdue". --format csv gives a
    tracker spreadsheet; --chasers prints an email per overdue force.

    Example:

      foistats status examples/sextortion --as-of 2024-02-20
      foistats status examples/sextortion --as-of 2024-02-20 --chasers
    """
    from datetime import date

    from foistats.publish import render

    from foistats.cli.commands.inputs import exit_for_failures, load_data

    day = parse_day("--as-of", as_of) or date.today()
    loaded, camp = load_data(default_paths(paths, campaign), campaign_file=campaign, measure_name=measure)
    cov, chosen = build_coverage(loaded.frame, camp, measure=measure, year_start=year_start, as_of=day)
    if chasers:
        emit_chasers(cov, camp, output)
    else:
        render.emit(status_result(cov, camp, chosen), fmt, output, excel_safe=excel_safe)
    exit_for_failures(loaded)


def emit_chasers(cov: "Coverage", camp: Any, output: Path | None) -> None:
    """The chasers as plain text (stdout or --output FILE); the summary on stderr."""
    import sys

    from foistats.publish import chasers as chaser_text
    from foistats.publish import render
    from foistats.publish.files import atomic_write_text

    found = chaser_text.chasers(cov, title=camp.title if camp else None, wording=camp.wording if camp else None)
    rule = "\n" + "-" * 72 + "\n\n"
    text = rule.join(body for _, body in found)
    if output is not None:
        atomic_write_text(output, text)
    elif text:
        sys.stdout.write(text)
    for note in cov.notes:
        render.warn(note)
    if found:
        render.warn(f"{len(found)} chaser(s) as of {_day(cov.as_of)}: " + ", ".join(f for f, _ in found))
    else:
        render.warn(f"no force is overdue as of {_day(cov.as_of)}; nothing to chase")


def build_coverage(frame: Any, camp: Any, *, measure: str | None, year_start: str | None, as_of: "date") -> "tuple[Coverage, str | None]":
    """Measure → year start → aligned years → the grid; works before any figure has arrived."""
    import polars as pl

    from foistats.analysis import align

    from foistats.intake import dataset

    from foistats.analysis import status
    from foistats.analysis.align import choose_year_start
    from foistats.model.forces import registry
    from foistats.model.periods import month_from_name
    from foistats.analysis.rank import answers_from_frame

    chosen = measure or (camp.measure if camp else None)
    years: list[Any] = []
    answers: dict[str, Any] = {}
    start: int | None = None
    if frame.height:
        frame, chosen = dataset.select_measure(frame, chosen)
        start, _ = choose_year_start(year_start, camp, frame)
        years = align.align(frame, start).years
        answers = answers_from_frame(frame.filter(pl.col("measure").is_null() | (pl.col("measure") == chosen)))
    elif year_start or (camp is not None and camp.year_start):
        start, _ = choose_year_start(year_start, camp, frame)
    elif camp is not None and camp.periods:
        start = month_from_name("apr")  # split labels such as 2020/21 name the year they start in

    requested: list[int] = []
    if start is not None:
        if camp is not None and camp.periods:
            requested = camp.requested_years(start)
        else:
            requested = sorted(
                {y.year for y in years if y.area_kind == "force" and y.complete and y.value is not None}
            ) or sorted({y.year for y in years if y.area_kind == "force"})
    if camp is not None:
        roster, default = list(camp.forces), camp.forces_default
    else:
        roster, default = [a.name for a in registry().forces(territorial_only=True)], True
    cov = status.coverage(
        years,
        answers,
        roster,
        requested,
        start or 1,
        sent=camp.sent if camp else None,
        responses=camp.responses if camp else None,
        as_of=as_of,
        roster_default=default,
        events=camp.events if camp else None,
    )
    return cov, chosen


def status_result(cov: "Coverage", camp: Any, measure: str | None) -> Any:
    from foistats.analysis import status
    from foistats.publish.render import Column, Result

    rows: list[dict[str, Any]] = []
    for f in cov.forces:
        row: dict[str, Any] = {
            "force": f.force,
            "force_code": f.force_code,
            "status": status.STATE_WORDS[f.state],
            "exemption": f.exemption,
            "sent": f.sent or cov.sent,
            "due": f.due,
            "received": f.received,
            "late": f.late,
            "working_days_overdue": f.days_overdue,
            "note": "; ".join(f.notes) or None,
        }
        for cell in f.cells:
            row[f"{cell.label} shown"] = cell.text or None
            # Machine formats get numbers (issue 16): the value, its state, a suppressed
            # figure's bounds and a part-year's months, never "1,010" or "1–4".
            row[cell.label] = cell.value
            row[f"{cell.label}_status"] = cell.state if cell.state != "none" else None
            row[f"{cell.label}_low"] = cell.low
            row[f"{cell.label}_high"] = cell.high
            row[f"{cell.label}_months"] = cell.months
        rows.append(row)
    columns = [
        Column("force", "Force", max_width=32),
        Column("force_code", table=False),
        Column("status", "Status", max_width=22),
        *[Column(f"{label} shown", label, justify="right", machine=False) for label in cov.labels],
        *[
            Column(key, table=False)
            for label in cov.labels
            for key in (label, f"{label}_status", f"{label}_low", f"{label}_high", f"{label}_months")
        ],
        Column("exemption", "Exemption", table=any(r["exemption"] for r in rows)),
        Column("sent", table=False),
        # One shared deadline is said once, in the caption; a column only when they differ.
        Column("due", "Due", table=any(f.due != cov.due for f in cov.forces)),
        Column("received", "Received", table=any(f.received for f in cov.forces)),
        Column("late", table=False),
        Column("working_days_overdue", "Days late", kind="int", table=any(f.days_overdue for f in cov.forces)),
        Column("note", "Note", table=any(r["note"] for r in rows)),
    ]
    what = (camp.title if camp and camp.title else None) or measure or "FOI request"
    n = len(cov.listed)
    if cov.sent and cov.due:
        scots = any(f.law != "FOIA" for f in cov.listed)
        when = (
            f"sent {_day(cov.sent)} to {n} forces; due {_day(cov.due)} (20 working days; FOIA: bank holidays "
            f"anywhere in the UK excluded{'; FOISA (Police Scotland): Scottish ones' if scots else ''}; "
            f"days late are working days); as of {_day(cov.as_of)}"
        )
    else:
        when = f"{n} forces asked; as of {_day(cov.as_of)}"
    notes: list[str] = []
    if camp is None:
        notes.append(
            "No campaign file: assuming the request went to the 43 territorial forces of England and Wales"
            " (run `foistats init` to record who was asked, and when)."
        )
    elif camp.forces_default:
        notes.append("The campaign file lists no forces: the 43 territorial forces of England and Wales assumed.")
    if camp is not None and camp.sent is None:
        notes.append("The campaign file has no `sent` date, so nothing can be overdue yet.")
    notes.extend(cov.notes)
    shown = {f.force for f in cov.forces}
    unused = sorted({e.force for e in (camp.events if camp is not None else [])} - shown)
    if unused:
        notes.append("Events recorded for forces not on the forces list (not used): " + ", ".join(unused))
    extra = [f for f in cov.forces if not f.on_list]
    if extra:
        notes.append(f"{len(extra)} return(s) from forces not on the list: " + ", ".join(f.force for f in extra))
    return Result(
        columns=columns,
        rows=rows,
        caption=f"{what}: {when}",
        notes=notes,
        sentence=cov.summary[0].upper() + cov.summary[1:],
        highlight=lambda row: row.get("status") == "overdue" or bool(row.get("working_days_overdue")),
    )


def _day(d: "date") -> str:
    return f"{d.day} {d:%b %Y}"
