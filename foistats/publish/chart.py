"""Charts of a ranking or of forces' yearly figures: in the terminal, or as SVG/PNG.

A chart travels without the table beside it, so its title must carry what a caption
would: which years were compared, what the bars measure, how many forces were ranked
of how many answered, and who was left out and why (refused, no answer, other periods,
small bases). Those words are built here once and used by both renderings.

The terminal chart is a `render.Result` with a bar column (render.py stays the one
output layer); images use matplotlib, an optional extra (`foistats[charts]`) imported
only when an image is asked for.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from foistats.model.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear
    from foistats.analysis.rank import Ranked, Ranking
    from foistats.publish.render import Result

IMAGE_TYPES = (".svg", ".png", ".pdf")
MINUS = "\u2212"  # a real minus sign in images, not a hyphen
MISSING = "charts need matplotlib: pip install 'foistats[charts]'"
_VALUE_KEY = {"pct": "pct_change", "change": "change", "to": "to_value"}
_VALUE_WORDS = {"pct": "% change", "change": "change", "to": "final-year figure"}
# Why a force is not on the chart, in the order a reader cares about.
_LEFT_OUT = (
    ("refused", "refused"),
    ("not_answered", "no answer"),
    ("no_data", "no data held"),
    ("missing_year", "no figure for a year"),
    ("not_available", "figure not available"),
    ("misaligned", "answered for other periods"),
    ("partial", "partial year"),
    ("suppressed_endpoint", "suppressed figure"),
    ("no_change", "zero in both years"),
    ("new_from_zero", "zero base"),
)


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as printed beside the bar
    place: str | None = None
    highlight: bool = False


@dataclass
class Series:
    force: str
    points: list[tuple[str, float | None]]  # (year label, value or a gap)
    highlight: bool = False


@dataclass
class Chart:
    kind: str  # rank | trend
    title: str
    subtitle: str
    caveats: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    value_words: str = ""
    source: str = ""  # the source line under an image: request, forces, date sent


def source_line(campaign: Any, *, forces_answered: int | None = None) -> str:
    """ "Source: FOI requests to 45 police forces, sent 8 Jan 2024 ("…"). Analysis: foistats." """
    parts = []
    n = len(campaign.forces) if campaign is not None and getattr(campaign, "forces", None) else forces_answered
    who = f"{n} police forces" if n else "police forces"
    text = f"Source: Freedom of Information requests to {who}"
    sent = getattr(campaign, "sent", None) if campaign is not None else None
    if sent is not None:
        text += f", sent {sent.day} {sent:%b %Y}"
    parts.append(text)
    wording = getattr(campaign, "wording", None) if campaign is not None else None
    if wording:
        short = wording if len(wording) <= 120 else wording[:117].rstrip() + "…"
        parts.append(f"Request: \u201c{short}\u201d")
    return ". ".join(parts) + "."


def _pct(value: float) -> str:
    """One decimal place on every bar (+2,700.0%, +442.9%, -20.8%): one precision on one chart."""
    from foistats.analysis.change import round_half_up

    rounded = round_half_up(value, 1)
    return "0.0%" if rounded == 0 else f"{rounded:+,.1f}%"


def _signed(value: float) -> str:
    return "0" if value == 0 else (f"{value:+,.0f}" if float(value).is_integer() else f"{value:+,.2f}")


def _count(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def left_out(ranking: "Ranking") -> list[str]:
    """ "Not ranked: 1 refused, 3 no answer, …" plus who fell below the minimum base, by name."""
    counts: dict[str, int] = {}
    small: list[str] = []
    for e in ranking.unranked:
        if not e.rise.is_force:
            continue
        flags = set(e.rise.flags)
        why = next((words for flag, words in _LEFT_OUT if flag in flags), None)
        if why is None and e.reason and e.reason.startswith("base below"):
            a, b = e.rise.from_value, e.rise.to_value
            small.append(f"{e.force} ({_count(a)} → {_count(b)})" if a is not None and b is not None else e.force)
            why = "small base"
        counts[why or "not comparable"] = counts.get(why or "not comparable", 0) + 1
    lines = []
    if counts:
        order = [w for _, w in _LEFT_OUT] + ["small base", "not comparable"]
        parts = [f"{counts[w]} {w}" for w in order if w in counts]
        lines.append("Not ranked: " + ", ".join(parts) + ".")
    if small:
        base = _count(float(ranking.min_base))
        lines.append(f"Small bases: forces with fewer than {base} in the first year are not ranked: " + ", ".join(small) + ".")
    return lines


def rank_chart(
    ranking: "Ranking",
    *,
    what: str,
    from_long: str,
    to_long: str,
    top: int | None = None,
    highlight: str | None = None,
    areas: "frozenset[str]" = frozenset({"force"}),
) -> Chart:
    """Bars of the ranking (first place at the top); the highlighted force always shown.
    Areas other than forces (only when --areas asks) follow, never placed, labelled with their kind."""
    key = _VALUE_KEY.get(ranking.by, "pct_change")
    shown: list["Ranked"] = ranking.top(top) if top else list(ranking.ranked)
    if highlight:
        mine = ranking.rank_of(highlight)
        if mine is not None and mine.rank is not None and mine not in shown:
            shown.append(mine)
    bars = []
    for e in shown:
        value = getattr(e.rise, key)
        if value is None:
            continue
        text = _pct(value) if ranking.by == "pct" else (_signed(value) if ranking.by == "change" else _count(value))
        bars.append(Bar(label=e.force, value=float(value), text=text, place=e.place, highlight=e.force == highlight))
    for e in ranking.not_forces:
        value = getattr(e.rise, key)
        if (e.rise.area_kind or "force") not in areas or value is None:
            continue
        text = _pct(value) if ranking.by == "pct" else (f"{value:+,.0f}" if ranking.by == "change" else _count(value))
        bars.append(Bar(label=f"{e.force} ({e.rise.area_kind.replace('_', ' ')})", value=float(value), text=text))
    words = _VALUE_WORDS.get(ranking.by, ranking.by)
    title = f"{what}: {words}, {from_long} to {to_long}"
    subtitle = f"{ranking.count} of {ranking.answered} forces that answered are ranked" + (
        f"; top {top} shown" if top and top < ranking.count else ""
    )
    return Chart(kind="rank", title=title, subtitle=subtitle, caveats=left_out(ranking), bars=bars, value_words=words)


def trend_chart(
    years: "Iterable[AlignedYear]",
    forces: list[str],
    requested: list[int],
    year_start: int,
    *,
    what: str,
    highlight: str | None = None,
    areas: "frozenset[str]" = frozenset({"force"}),
) -> Chart:
    """Each chosen force's figure per year; a year that is not an exact whole year is a gap.
    Areas other than forces are drawn only when --areas asks, labelled with their kind."""
    from foistats.model.periods import aligned_label, aligned_period, long_label
    from foistats.publish.export import shown_value

    labels = [aligned_label(y, year_start) for y in requested]
    slots: dict[str, dict[int, "AlignedYear"]] = {}
    kinds: dict[str, str] = {}
    for y in years:
        if y.force in forces and (y.area_kind or "force") in areas:
            slots.setdefault(y.force, {})[y.year] = y
            kinds[y.force] = y.area_kind or "force"
    series: list[Series] = []
    gaps: list[str] = []
    for force in forces:
        points = []
        for year, label in zip(requested, labels):
            value, why = shown_value(slots.get(force, {}).get(year))
            points.append((label, value))
            if value is None:
                gaps.append(f"{force} {label}: {why or 'no figure'}")
        kind = kinds.get(force, "force")
        label = force if kind == "force" else f"{force} ({kind.replace('_', ' ')})"
        series.append(Series(force=label, points=points, highlight=force == highlight))
    span = f"{long_label(aligned_period(requested[0], year_start))} to {long_label(aligned_period(requested[-1], year_start))}" if requested else ""
    title = f"{what} by year, {span}" if span else what
    subtitle = f"years {labels[0]} to {labels[-1]} (each {_month_span(year_start)})" if labels else ""
    caveats = [f"Gaps: {'; '.join(gaps)}."] if gaps else []
    return Chart(kind="trend", title=title, subtitle=subtitle, caveats=caveats, series=series, value_words="count")


def _month_span(year_start: int) -> str:
    from foistats.model.periods import MONTH_ABBR

    end = (year_start + 10) % 12 + 1
    return f"{MONTH_ABBR[year_start]}–{MONTH_ABBR[end]}"


# ---------------------------------------------------------------- terminal (through render)


def chart_result(chart: Chart) -> "Result":
    """The chart as rows with a bar column: a chart in a terminal, its data in a pipe."""
    from foistats.publish.render import Column, Result

    if chart.kind == "rank":
        rows = [{"place": b.place, "force": b.label, "value": b.value, "shown": b.text} for b in chart.bars]
        columns = [
            Column("place", "Rank"),
            Column("force", "Force"),
            Column("value", table=False),
            Column("shown", chart.value_words.capitalize(), justify="right"),
        ]
        bar = "value"
    else:
        rows = [
            {"force": s.force, "year": label, "value": value, "shown": "–" if value is None else _count(value)}
            for s in chart.series
            for label, value in s.points
        ]
        columns = [Column("force", "Force"), Column("year", "Year"), Column("value", table=False), Column("shown", "Figure", justify="right")]
        bar = "value"
    highlighted = {b.label for b in chart.bars if b.highlight} | {s.force for s in chart.series if s.highlight}
    return Result(
        columns=columns,
        rows=rows,
        title=chart.title,
        caption=chart.subtitle,
        notes=chart.caveats,
        highlight=(lambda row: row.get("force") in highlighted) if highlighted else None,
        bar=bar,
    )


# ---------------------------------------------------------------- images (matplotlib, optional)


def require_matplotlib() -> Any:
    """matplotlib's Figure class, or the install hint as a usage error (exit 2)."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError(MISSING) from None
    matplotlib.rcParams["svg.hashsalt"] = "foistats"  # the same data gives the same SVG
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, editable by a designer
    return Figure


def image_bytes(chart: Chart, suffix: str) -> bytes:
    """Render to SVG or PNG bytes (format from the suffix)."""
    suffix = suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise UsageError(f"cannot draw a chart as {suffix or 'a file with no extension'}", hint="use .svg, .png or .pdf")
    Figure = require_matplotlib()
    if chart.kind == "rank":
        fig = _rank_figure(Figure, chart)
    else:
        fig = _trend_figure(Figure, chart)
    buffer = io.BytesIO()
    fmt = suffix[1:]
    # "foistats" in the metadata is how a later import knows this file is not a return.
    metadata: dict[str, Any] = {
        "svg": {"Date": None, "Creator": "foistats"},
        "png": {"Software": "foistats"},
        "pdf": {"Creator": "foistats", "Producer": "foistats", "CreationDate": None},
    }[fmt]
    fig.savefig(buffer, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    return buffer.getvalue()


def save_image(chart: Chart, path: Path) -> None:
    from foistats.publish.files import atomic_write_bytes

    atomic_write_bytes(path, image_bytes(chart, Path(path).suffix))


def _wrap(text: str, width: int = 95) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def _minus(text: str) -> str:
    """A real minus sign before a figure (−21%), hyphens elsewhere left alone."""
    import re

    return re.sub(r"(?<![\w])-(?=\d)", MINUS, text)


def _frame(Figure: Any, chart: Chart, height: float) -> tuple[Any, Any]:
    foot = "\n".join(_wrap(_minus(c), 110) for c in [*chart.caveats, *([chart.source] if chart.source else [])])
    fig = Figure(figsize=(9, height), layout="constrained")
    fig.suptitle(_wrap(chart.title, 80), x=0.01, ha="left", fontsize=12, fontweight="bold")
    ax = fig.add_subplot()
    ax.set_title(_wrap(chart.subtitle, 100), loc="left", fontsize=9, color="#444444")
    if foot:
        ax.annotate(foot, xy=(0, 0), xycoords="axes fraction", xytext=(0, -34), textcoords="offset points",
                    ha="left", va="top", fontsize=7.5, color="#444444")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _rank_figure(Figure: Any, chart: Chart) -> Any:
    bars = chart.bars
    fig, ax = _frame(Figure, chart, height=max(3.0, 1.4 + 0.28 * len(bars)))
    labels = [f"{b.place}  {b.label}" if b.place else b.label for b in bars]
    values = [b.value for b in bars]
    colours = ["#d9480f" if b.highlight else "#1c7ed6" for b in bars]
    positions = list(range(len(bars)))
    ax.barh(positions, values, color=colours)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#888888", linewidth=0.8)
    span = max((abs(v) for v in values), default=1.0) or 1.0
    for pos, b in zip(positions, bars):
        ax.text(b.value + (span * 0.01 if b.value >= 0 else -span * 0.01), pos, _minus(b.text), va="center",
                ha="left" if b.value >= 0 else "right", fontsize=7.5)
    ax.xaxis.set_major_formatter(_tick_formatter(percent=chart.value_words.startswith("%")))
    ax.set_xlabel(chart.value_words)
    ax.margins(x=0.12)
    return fig


def _trend_figure(Figure: Any, chart: Chart) -> Any:
    fig, ax = _frame(Figure, chart, height=4.8)
    for s in chart.series:
        xs = [label for label, _ in s.points]
        ys = [float("nan") if v is None else v for _, v in s.points]
        ax.plot(xs, ys, marker="o", linewidth=2.6 if s.highlight else 1.4, label=s.force)
    ax.yaxis.set_major_formatter(_tick_formatter())
    ax.set_ylabel("figure per year")
    ax.set_ylim(bottom=0)
    if chart.series:
        ax.legend(fontsize=7.5, frameon=False, loc="upper left")
    return fig


def _tick_formatter(percent: bool = False) -> Any:
    """Axis ticks with thousands separators and a real minus sign: 1,000 and −20%."""
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: Any) -> str:
        text = f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"
        return _minus(text + ("%" if percent else ""))

    return FuncFormatter(fmt)
