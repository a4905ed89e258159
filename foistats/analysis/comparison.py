"""What was compared: one measure, two aligned years, one Rise per force.

The plumbing every comparing command shares (load → measure → year start → align →
rises), kept in the library so `rise`, `rank`, `check --data`, `explain` and `export`
can never disagree about what was compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import Alignment
    from foistats.campaign.file import Campaign as CampaignFile
    from foistats.analysis.change import Rise
    from foistats.analysis.rank import Ranking


@dataclass
class Comparison:
    """What was compared: one measure, two aligned years, one Rise per force."""

    measure: str
    rises: "list[Rise]"
    alignment: "Alignment"
    from_year: int
    to_year: int
    from_label: str
    to_label: str
    from_long: str
    to_long: str
    defaulted: bool  # years chosen by foistats rather than --from/--to
    loaded: Any = None  # dataset.Loaded: the command exits 3 after output if an input failed
    notes: list[str] = field(default_factory=list)


def _long_label(year: int, start_month: int) -> str:
    """ "Jun 2020–May 2021": the window spelt out, so nobody guesses what "2020/21" meant."""
    from foistats.model.periods import aligned_period, long_label

    return long_label(aligned_period(year, start_month))


def _parse_year(option: str, label: str | None, start_month: int) -> int | None:
    from foistats.model.errors import UsageError
    from foistats.model.periods import parse_aligned

    if label is None:
        return None
    try:
        return int(parse_aligned(label, start_month))
    except Exception as exc:  # noqa: BLE001 - PeriodError/ValueError: a period the user typed
        raise UsageError(f"{option}: {exc}") from None


def _answers(frame: Any, measure: str, campaign: Any) -> dict:
    """Who replied and how: refusals in the data, plus the campaign's roster and responses."""
    import polars as pl

    from foistats.analysis.change import Answer
    from foistats.model.forces import registry
    from foistats.analysis.rank import answers_from_frame

    rows = frame.filter(pl.col("measure").is_null() | (pl.col("measure") == measure))
    answers = answers_from_frame(rows)
    if campaign is None:
        return answers
    responses = getattr(campaign, "responses", {}) or {}
    present = {_canonical(name, a.force_code) for name, a in answers.items()}
    for name in getattr(campaign, "forces", []) or []:
        if name in answers or name in present:
            continue
        info = responses.get(name, {})
        status = str(info.get("status", "")).lower()
        note = info.get("exemption") or None
        area = registry().by_name(name)
        code = area.code if area is not None else None
        if status == "refused":
            answers[name] = Answer(force=name, force_code=code, refused=True, note=str(note) if note else None)
        elif status in ("no_data", "no data", "not held"):
            answers[name] = Answer(force=name, force_code=code, no_data=True)
        else:
            answers[name] = Answer(force=name, force_code=code, answered=False)
    return answers


def compare(
    paths: list[Path],
    *,
    measure: str | None,
    year_start: str | None,
    from_: str | None,
    to: str | None,
    min_base: int,
    allow_partial: bool,
    include_misaligned: bool,
    campaign_path: Path | None,
    loaded: "tuple[Any, Any] | None" = None,
) -> Comparison:
    """Load, pick the measure, align the years and build one Rise per force. `loaded` is the
    (data, campaign) a caller comparing the same inputs several ways has loaded already
    (`check --data` tries each reading of a sentence's years), so they are read once."""
    import calendar

    from foistats.analysis import align as align_mod
    from foistats.intake import dataset
    from foistats.analysis.change import default_years, rises_between
    from foistats.campaign.inputs import load_with_campaign
    from foistats.model.errors import UsageError
    from foistats.model.periods import aligned_label

    loaded, campaign = loaded or load_with_campaign(list(paths), campaign_file=campaign_path, keep_measure=measure)
    frame, chosen = dataset.select_measure(loaded.frame, measure or (campaign.measure if campaign else None))
    start, start_source = align_mod.choose_year_start(year_start, campaign, frame)
    alignment = align_mod.align(frame, start, allow_partial=allow_partial, include_misaligned=include_misaligned)
    alignment.year_start_source = start_source
    ys = alignment.year_start
    notes = list(alignment.warnings)

    from_year = _parse_year("--from", from_, ys)
    to_year = _parse_year("--to", to, ys)
    defaulted = from_year is None or to_year is None
    if defaulted:
        found = default_years(alignment.years, allow_partial)
        if found is None:
            have = sorted({y.year for y in alignment.years if y.area_kind == "force"})
            listed = ", ".join(aligned_label(y, ys) for y in have) or "none"
            raise UsageError(
                f"need two complete years to compare; the data has: {listed}",
                hint="pass --from and --to, or try --allow-partial or another --year-start",
            )
        from_year = found[0] if from_year is None else from_year
        to_year = found[1] if to_year is None else to_year
    assert from_year is not None and to_year is not None
    if from_year >= to_year:
        raise UsageError(
            f"--from {aligned_label(from_year, ys)} must be before --to {aligned_label(to_year, ys)}"
        )
    present = {y.year for y in alignment.years if y.area_kind == "force"}
    for option, year in (("--from", from_year), ("--to", to_year)):
        if year not in present:
            listed = ", ".join(aligned_label(y, ys) for y in sorted(present)) or "none"
            raise UsageError(f"no force has figures for {option} {aligned_label(year, ys)}", hint=f"years in the data: {listed}")

    from_label, to_label = aligned_label(from_year, ys), aligned_label(to_year, ys)
    rises = rises_between(
        alignment.years,
        from_year,
        to_year,
        min_base,
        from_label=from_label,
        to_label=to_label,
        allow_partial=allow_partial,
        allow_misaligned=include_misaligned,
        answers=_answers(loaded.frame, chosen, campaign),
    )
    for r in rises:
        r.measure = r.measure or chosen
    source = {"option": "--year-start", "campaign": "the campaign file", "data": "the data"}.get(
        alignment.year_start_source, alignment.year_start_source
    )
    comparison = Comparison(
        measure=chosen,
        rises=rises,
        alignment=alignment,
        from_year=from_year,
        to_year=to_year,
        from_label=from_label,
        to_label=to_label,
        from_long=_long_label(from_year, ys),
        to_long=_long_label(to_year, ys),
        defaulted=defaulted,
        loaded=loaded,
        notes=notes,
    )
    if defaulted:
        comparison.notes.append(
            f"Compared {comparison.from_long} with {comparison.to_long} (years start in {calendar.month_name[ys]}, "
            f"from {source}); unless given, --from/--to are the earliest and latest complete years."
        )
    return comparison


# --areas words -> area kinds (schema.AREA_KINDS). Forces only unless asked: a region's or the
# nation's figure beside the forces invites adding them up, or ranking a region as a force.
_AREA_WORDS = {
    "force": ("force",), "forces": ("force",),
    "region": ("region",), "regions": ("region",),
    "country": ("country",), "countries": ("country",),
    "national": ("national",), "nation": ("national",),
    "other_body": ("other_body",), "other_bodies": ("other_body",), "bodies": ("other_body",),
    "combined": ("combined",),
    "other": ("other", "other_body", "combined"),
}
FORCES_ONLY = frozenset({"force"})


def parse_areas(text: str | None) -> frozenset[str]:
    """`--areas forces,regions` -> {"force", "region"}; "all" -> every kind. Raises UsageError."""
    from foistats.model import schema
    from foistats.model.errors import UsageError

    if text is None or not text.strip():
        return FORCES_ONLY
    kinds: set[str] = set()
    for word in text.replace(";", ",").split(","):
        w = word.strip().lower().replace("-", "_").replace(" ", "_")
        if not w:
            continue
        if w == "all":
            return frozenset(schema.AREA_KINDS)
        if w not in _AREA_WORDS:
            raise UsageError(
                f"unknown --areas {word.strip()!r}", hint="choose forces, regions, countries, national, other or all (commas for several)"
            )
        kinds.update(_AREA_WORDS[w])
    return frozenset(kinds) or FORCES_ONLY


def in_areas(area_kind: str | None, kinds: frozenset[str]) -> bool:
    return (area_kind or "force") in kinds


def _canonical(name: str, code: str | None = None) -> str:
    """The registry's name for however the data spells a force (the name itself if unknown)."""
    from foistats.model.forces import registry

    match = registry().resolve(name, code, fuzzy=False)
    return match.area.name if match is not None else name


def find_force(comparison: Comparison, text: str) -> "Rise":
    """The --force row, or a usage error: unknown names get "did you mean", absent forces the list."""
    from foistats.model.errors import UsageError
    from foistats.model.forces import resolve_force_option

    area = resolve_force_option(text)
    for r in comparison.rises:
        if r.force == area.name or (area.code and r.force_code == area.code):
            return r
    for r in comparison.rises:
        if _canonical(r.force, r.force_code) == area.name:
            return r
    raise UsageError(f"{area.name} is not in the data for {comparison.measure!r}")


@dataclass
class Ranked:
    """A comparison, its ranking, the campaign file (if any) and the years asked for."""

    comparison: "Comparison"
    ranking: "Ranking"
    campaign: "CampaignFile | None"
    requested: list[int]

    @property
    def year_start(self) -> int:
        return self.comparison.alignment.year_start

    @property
    def title(self) -> str:
        c = self.campaign
        return (c.title if c is not None and c.title else None) or self.comparison.measure


def ranked(
    paths: list[Path],
    *,
    measure: str | None = None,
    year_start: str | None = None,
    from_: str | None = None,
    to: str | None = None,
    by: str = "pct",
    min_base: int = 10,
    campaign_path: Path | None = None,
    areas: frozenset[str] = FORCES_ONLY,
) -> Ranked:
    """Load → compare two years → rank, exactly as `foistats rank` does (for export, chart, explain)."""
    from foistats.campaign.file import find_campaign
    from foistats.analysis.comparison import compare
    from foistats.model.errors import UsageError
    from foistats.analysis.rank import rank_rises

    by = by.strip().lower()
    if by not in ("pct", "change", "to"):
        raise UsageError(f"unknown --by {by!r}", hint="choose pct, change or to (rank --by rate needs populations)")
    comparison = compare(
        paths,
        measure=measure,
        year_start=year_start,
        from_=from_,
        to=to,
        min_base=min_base,
        allow_partial=False,
        include_misaligned=False,
        campaign_path=campaign_path,
    )
    camp = find_campaign(paths, campaign_path)
    comparison.rises = [r for r in comparison.rises if in_areas(r.area_kind, areas)]
    ranking = rank_rises(comparison.rises, by=by, min_base=min_base)
    ys = comparison.alignment.year_start
    requested: list[int] = []
    if camp is not None and camp.periods:
        requested = camp.requested_years(ys)
    if not requested:
        requested = sorted(
            {y.year for y in comparison.alignment.years if y.area_kind == "force" and y.complete and y.value is not None}
        )
    for year in (comparison.from_year, comparison.to_year):
        if year not in requested:
            requested.append(year)
    return Ranked(comparison=comparison, ranking=ranking, campaign=camp, requested=sorted(requested))
