"""`foistats chart rank|trend`: the ranking or forces' yearly figures as a chart."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from foistats.cli.commands.export import RankBy
from foistats.cli.commands.rise import FromPeriod, MinBase, ToPeriod
from foistats.cli.options import Areas, Campaign, Format, Measure, Output, Paths, YearStart

Kind = Annotated[str, typer.Argument(help="rank: bars of the ranking; trend: each force's figure per year.", metavar="rank|trend")]
Forces = Annotated[
    Optional[list[str]],
    typer.Option(
        "--force",
        help="rank: highlight this force (always shown). trend: the force(s) to draw (repeat; default: the top 5).",
        show_default=False,
    ),
]
Top = Annotated[
    Optional[int],
    typer.Option("--top", min=1, help="rank: show only the first N places (ties kept).", show_default=False),
]


def chart_command(
    kind: Kind,
    paths: Paths = None,
    force: Forces = None,
    top: Top = None,
    by: RankBy = "pct",
    from_: FromPeriod = None,
    to: ToPeriod = None,
    min_base: MinBase = 10,
    measure: Measure = None,
    year_start: YearStart = None,
    campaign: Campaign = None,
    fmt: Format = None,
    output: Output = None,
    areas: Areas = "forces",
) -> None:
    """Chart the ranking (bars) or forces' yearly figures (trend); SVG/PNG too.

    The title states the years compared; the caption says how many forces
    were ranked and who was left out and why (refused, no answer, other
    periods, small bases) and a source line (the request, how many forces,
    when it was sent). -o chart.svg, chart.png or chart.pdf draws an image
    (needs matplotlib: pip install "foistats[charts]"); -o chart.csv or
    --format csv gives the chart's data.

    Examples:

      foistats chart rank examples/sextortion --top 10 --force Leicestershire

      foistats chart trend examples/sextortion --force Leicestershire --force GMP -o trend.svg
    """
    from foistats.analysis.comparison import parse_areas, ranked
    from foistats.cli.commands.inputs import exit_for_failures
    from foistats.model.errors import UsageError
    from foistats.model.forces import resolve_force_option
    from foistats.publish import chart as charts
    from foistats.publish import render

    kind = kind.strip().lower()
    if kind not in ("rank", "trend"):
        raise UsageError(f"unknown chart {kind!r}", hint="choose rank or trend")
    image = output is not None and output.suffix.lower() in charts.IMAGE_TYPES
    if image:
        charts.require_matplotlib()  # say so before the import work, not after
    names = [resolve_force_option(f).name for f in force or []]
    kinds = parse_areas(areas)
    r = ranked(
        paths, measure=measure, year_start=year_start, from_=from_, to=to, by=by, min_base=min_base, campaign_path=campaign,
        areas=kinds,
    )
    c = r.comparison
    for name in names:
        if r.ranking.rank_of(name) is None:
            raise UsageError(f"{name} is not in the data for {c.measure!r}")
    if kind == "rank":
        if len(names) > 1:
            raise UsageError("chart rank highlights one --force", hint="use chart trend to draw several")
        chart = charts.rank_chart(
            r.ranking, what=r.title, from_long=c.from_long, to_long=c.to_long, top=top, highlight=names[0] if names else None,
            areas=kinds,
        )
    else:
        chosen = names or [e.force for e in r.ranking.top(5)]
        chosen += [e.force for e in r.ranking.not_forces if e.force not in chosen]  # asked for with --areas
        chart = charts.trend_chart(
            c.alignment.years, chosen, r.requested, r.year_start, what=r.title, highlight=names[0] if len(names) > 1 else None,
            areas=kinds,
        )
        if not names:
            chart.caveats.insert(0, "Showing the five forces at the top of the ranking.")
    chart.source = charts.source_line(r.campaign, forces_answered=r.ranking.answered)
    if image:
        assert output is not None
        charts.save_image(chart, output)
        render.warn(f"wrote {output}: {chart.title}")
    else:
        render.emit(charts.chart_result(chart), fmt, output)
    exit_for_failures(c.loaded)
