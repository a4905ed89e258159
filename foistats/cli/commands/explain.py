"""`foistats explain FORCE`: every number behind one force's figures, rise and rank.

What a sub-editor asks before publication: where did 28 come from (file, sheet, cell),
how did 12 monthly cells become one year, and how do 28 and 152 make +443% and ninth.
The rise and rank rows come from `rank.explain` on the same ranking `foistats rank`
prints, so the explanation can never describe a different calculation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Iterable, Optional

import typer

from foistats.cli.commands.export import RankBy
from foistats.cli.commands.rise import FromPeriod, MinBase, ToPeriod
from foistats.cli.commands.status import ReturnPaths, default_paths
from foistats.cli.options import Campaign, ExcelSafe, Format, Measure, Output, YearStart

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear

ForceName = Annotated[
    str, typer.Argument(help="The force, however spelt (Leicestershire, GMP, 'Devon & Cornwall').", show_default=False)
]
Period = Annotated[
    Optional[str],
    typer.Option("--period", "-p", help="Only this year, e.g. 2022/23 (the rise and rank too if it is one of the two compared).", show_default=False),
]


def _source(row: dict[str, Any]) -> str:
    """ "file | sheet | cell", as align.py records provenance, so the two can be matched."""
    return " | ".join(str(row.get(k) or "") for k in ("source_file", "source_sheet", "source_cell")).strip(" |")


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"


def year_rows(force: str, years: "Iterable[AlignedYear]", tidy: list[dict[str, Any]], wanted: set[int] | None) -> list[dict[str, Any]]:
    """Each source cell with its number, then each year's total and the sum that made it."""
    by_cell = {_source(r): r for r in tidy}
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for y in sorted(years, key=lambda y: y.year):
        if wanted is not None and y.year not in wanted:
            continue
        parts: list[float] = []
        for text in y.source_cells:
            r = by_cell.get(text, {})
            value = r.get("value")
            if value is not None:
                parts.append(float(value))
            if text in used:
                continue  # an undated refusal counts towards every year: listed once
            used.add(text)
            status = r.get("status") or "ok"
            note = str(r.get("note") or "")
            as_written = r.get("period_label") or "no period given"
            words = f"as written: {as_written!r}" + (f"; {status}" if status != "ok" and not note.startswith(status) else "")
            if note:
                words += f"; {note}"
            rows.append({"force": force, "item": "cell", "period": y.label, "value": value, "working": words, "source": text})
        plain = (
            len(parts) == 1 and y.value == parts[0] and y.status == "ok" and y.months_covered == y.months_expected
        )
        if plain:
            continue  # one cell, used as published: its row above says it all
        if y.value is not None and len(parts) > 1:
            working = " + ".join(_num(p) for p in parts) + f" = {_num(y.value)} ({len(parts)} source figures)"
        elif y.value is not None:
            working = f"{_num(y.value)} as published"
        elif y.low is not None or y.high is not None:
            working = f"a range, {_num(y.low)} to {'no upper bound' if y.high is None else _num(y.high)}: not one number"
        elif y.status in ("refused", "no_data"):
            working = "refused" if y.status == "refused" else "no data held"
        else:
            working = "no figure"
        extra = []
        if y.months_covered != y.months_expected and y.status not in ("refused", "no_data"):
            extra.append(f"{y.months_covered} of {y.months_expected} months")
        if y.status not in ("ok", "refused", "no_data"):
            extra.append(f"status {y.status}")
        extra += [n for n in y.notes if not n.startswith("labelled ") and n != working]
        if extra:
            working += "; " + "; ".join(dict.fromkeys(extra))
        rows.append({"force": force, "item": "year", "period": y.label, "value": y.value, "working": working, "source": "; ".join(y.source_cells) or "–"})
    if wanted is None:
        for r in tidy:
            text = _source(r)
            if text and text not in used:
                rows.append({
                    "force": force, "item": "cell", "period": r.get("period_label") or "–", "value": r.get("value"),
                    "working": "not in any comparison year" + (f"; {r['note']}" if r.get("note") else ""), "source": text,
                })
    return rows


def explain_command(
    force: ForceName,
    paths: ReturnPaths = None,
    period: Period = None,
    from_: FromPeriod = None,
    to: ToPeriod = None,
    by: RankBy = "pct",
    min_base: MinBase = 10,
    measure: Measure = None,
    year_start: YearStart = None,
    campaign: Campaign = None,
    fmt: Format = None,
    output: Output = None,
    excel_safe: ExcelSafe = False,
) -> None:
    """Every number behind one force: file, sheet, cell, and the arithmetic.

    Lists each cell read (with the period as the force wrote it), how cells
    add up to each comparison year, then the change, percentage, ratio and
    place step by step, from the same ranking `foistats rank` prints with the
    same options. --period restricts it to one year. Ends with a sentence
    you can publish.

    Examples:

      foistats explain Leicestershire examples/sextortion

      foistats explain GMP examples/sextortion --period 2022/23 --format csv
    """
    import polars as pl

    from foistats.analysis.comparison import find_force, ranked
    from foistats.analysis.rank import BY_WORDS, explain
    from foistats.publish.sentence import publishable as sentence
    from foistats.cli.commands.inputs import exit_for_failures
    from foistats.model.errors import UsageError
    from foistats.model.periods import PeriodError, parse_aligned
    from foistats.publish import render

    r = ranked(
        default_paths(paths, campaign),
        measure=measure,
        year_start=year_start,
        from_=from_,
        to=to,
        by=by,
        min_base=min_base,
        campaign_path=campaign,
    )
    c = r.comparison
    rise = find_force(c, force)
    ys = c.alignment.year_start
    wanted: set[int] | None = None
    if period:
        try:
            wanted = {int(parse_aligned(period, ys))}
        except (PeriodError, ValueError) as exc:
            raise UsageError(f"--period: {exc}") from None
    years = [y for y in c.alignment.years if y.force == rise.force and y.area_kind == rise.area_kind]
    frame = c.loaded.frame if c.loaded is not None else None
    tidy: list[dict[str, Any]] = []
    if frame is not None and frame.height:
        match = pl.col("force") == rise.force
        if rise.force_code:
            match = match | (pl.col("force_code") == rise.force_code)
        tidy = frame.filter(match & (pl.col("measure").is_null() | (pl.col("measure") == c.measure))).to_dicts()

    rows = year_rows(rise.force, years, tidy, wanted)
    if wanted is None or wanted & {c.from_year, c.to_year}:
        rows.extend(explain(rise, r.ranking))
    if "not_answered" in rise.flags and r.campaign is not None and r.campaign.sent is not None:
        from foistats.campaign.clock import run_clock
        from foistats.campaign.law import law_for

        law = law_for(rise.force)
        clock = run_clock(law, r.campaign.sent, r.campaign.events_for(rise.force))
        sent_day = clock.sent or r.campaign.sent
        due_words = f"due {clock.due.isoformat()} (20 working days, {law.short})" if clock.due else "no deadline running"
        rows.append({
            "force": rise.force, "item": "reply", "period": None, "value": None, "source": "–",
            "working": f"no return among the files; sent {sent_day.isoformat()}, {due_words}",
        })
    if not rows:
        raise UsageError(f"{rise.force} has nothing for --period {period}")
    result = render.Result(
        columns=[
            render.Column("force", "Force", table=False),
            render.Column("item", "Figure"),
            render.Column("period", "Year"),
            render.Column("value", "Value", kind="num"),
            render.Column("working", "Working"),
            render.Column("source", "Source (file | sheet | cell)"),
        ],
        rows=rows,
        title=f"{rise.force}: {r.title}",
        caption=(
            f"{c.measure}: {c.from_long} → {c.to_long}, ranked by {BY_WORDS[r.ranking.by]}: {r.ranking.summary}"
        ),
        notes=c.notes,
        sentence=sentence(rise, r.ranking, c.from_long, c.to_long),
    )
    render.emit(result, fmt, output, excel_safe=excel_safe)
    exit_for_failures(c.loaded)
