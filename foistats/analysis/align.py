"""Align tidy rows to the comparison year the request asked for (e.g. June–May).

INTERFACE CONTRACT (shared by periods, rise, rank, check --data, explain):

    align(frame, year_start=None, *, allow_partial=False, include_misaligned=False) -> Alignment

`frame` is a tidy polars DataFrame (foistats.schema columns). Rows whose area_kind
is not "force" are carried through with their kind so callers can exclude them.

How one (force, measure) becomes aligned years, and why:
- a year-long row that is exactly the aligned year is used as it is;
- months and quarters inside an aligned year are summed, counting coverage in months
  (a month given twice is counted once, with a warning), so 7 of 12 months is never
  passed off as a year (status "partial");
- parts are added exactly (each value as the decimal it was written as), so 1.1 twelve
  times is 13.2, never 13.199999999999998, and float noise never splits a tie in a ranking;
- a suppressed part makes the sum a range (low = sum of lows, high = sum of highs,
  or None when a part has no upper bound), never a number;
- a percentage or a rate (the `unit` column: `%`, `per 1,000 population`…) describes its
  own period and cannot be added up: twelve months at 10% are not a year at 120%. Such a
  year is not built from parts (status "not_summed", no value, the reason in `notes`);
  a year-long figure given as it is stays usable;
- a year-long row that starts in another month (a force that answered in financial
  years when June–May was asked) is "misaligned": kept with its value and the months
  it shares with the aligned year it overlaps most, but not `usable` unless asked;
- refusals and "no data" answers surface as rows of their own, even without a period;
- a printed total (`is_total`) is never summed with its own parts: where the parts of a
  (force, measure) are present its total rows are left out, so a year is never counted twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from foistats.model.periods import Period


@dataclass(slots=True)
class AlignedYear:
    """One force's value for one measure in one aligned year, with how it was built."""

    force: str
    force_code: str | None
    area_kind: str
    measure: str
    year: int  # calendar year in which the aligned year starts (2020 for Jun 2020–May 2021)
    start: date  # inclusive
    end: date  # inclusive
    value: float | None  # exact total when fully known, else None
    low: float | None  # lower bound when a suppressed/ranged part makes the total a range
    high: float | None  # upper bound (None when unbounded)
    # ok | partial | suppressed | range | refused | no_data | nil | misaligned | not_available
    # | not_summed (percentages or rates given for months or quarters: no year can be built)
    status: str
    months_covered: int  # months of the aligned year covered by source periods
    months_expected: int  # 12 for a year
    misaligned: bool = False  # source year-long periods start in another month
    overlap_months: int = 12  # months of overlap between source period and aligned year (misaligned only)
    source_labels: list[str] = field(default_factory=list)  # period labels as written in the source
    source_cells: list[str] = field(default_factory=list)  # "file | sheet | A1" per contributing cell
    notes: list[str] = field(default_factory=list)
    # Added by align(): may this year enter a comparison under the options given?
    # ok/nil with a value: yes; partial only with allow_partial (value = the months
    # that are known); misaligned only with include_misaligned; ranges, refusals: no.
    usable: bool = False
    # The unit the source gives (`count`, `%`, `per 1,000 population`…; None = not stated),
    # so a change in a percentage can be told in percentage points.
    unit: str | None = None

    @property
    def label(self) -> str:
        """`2020/21` style label (or `2020` for calendar years)."""
        from foistats.model.periods import aligned_label

        return aligned_label(self.year, self.start.month)

    @property
    def complete(self) -> bool:
        return self.months_covered >= self.months_expected and not self.misaligned


@dataclass(slots=True)
class Alignment:
    """The result of aligning a dataset: values plus what the user must be told."""

    year_start: int  # 1..12
    years: list[AlignedYear]
    warnings: list[str] = field(default_factory=list)
    year_start_source: str = "option"  # option | data | campaign
    allow_partial: bool = False
    include_misaligned: bool = False

    def get(self, force: str, measure: str, year: int) -> AlignedYear | None:
        for y in self.years:
            if y.force == force and y.measure == measure and y.year == year:
                return y
        return None


# ---------------------------------------------------------------- year start


def infer_year_start(frame: "pl.DataFrame") -> int:
    """The start month the data's own year-long periods share; otherwise a usage error (exit 2).

    Monthly data, or years that start in different months, cannot tell us which
    comparison year the request meant, so the user is shown what was found and asked.
    """
    from foistats.model.errors import UsageError
    from foistats.model.periods import MONTH_FULL, Period, PeriodError

    starts: Counter[int] = Counter()
    examples: dict[int, list[str]] = {}
    short: Counter[str] = Counter()
    snapshot_months: set[int] = set()
    first: date | None = None
    last: date | None = None
    for row in frame.select("period_start", "period_end", "period_label").iter_rows(named=True):
        start, end = row["period_start"], row["period_end"]
        if start is None or end is None:
            continue
        try:
            period = Period(start, end)
        except PeriodError:
            continue
        first = start if first is None or start < first else first
        last = end if last is None or end > last else last
        if period.whole_months and period.months == 12:
            starts[start.month] += 1
            names = examples.setdefault(start.month, [])
            label = row["period_label"] or f"{start}–{end}"
            if label not in names and len(names) < 3:
                names.append(label)
        elif period.granularity == "day":
            snapshot_months.add(start.month)
        else:
            short[period.granularity] += 1
    if len(starts) == 1:
        return next(iter(starts))
    hint = "choose the comparison year with --year-start, e.g. jun (June–May), apr (April–March), jan (calendar years)"
    if len(starts) > 1:
        found = "; ".join(
            f"{MONTH_FULL[m]} ({n} row{'s' if n != 1 else ''}, e.g. {', '.join(examples[m])})"
            for m, n in sorted(starts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        raise UsageError(f"the data's year-long periods start in different months: {found}", hint=hint)
    if not short and len(snapshot_months) == 1:
        # Snapshots ("as at 31 March") compare year on year at that date.
        return next(iter(snapshot_months)) % 12 + 1
    if first is None:
        raise UsageError("the data has no dated periods, so there is no year to align to", hint=hint)
    what = ", ".join(f"{g.replace('_', ' ')}" for g in sorted(short)) or "snapshot dates"
    raise UsageError(
        f"the data has no year-long periods, only {what} ({first:%b %Y}–{last:%b %Y})", hint=hint
    )


# ---------------------------------------------------------------- rows


@dataclass
class _Part:
    """One distinct source period of one group: a number, a range, or a reasoned absence."""

    period: "Period"
    kind: str  # number | range | missing | refused | no_data
    value: float | None = None
    low: float | None = None
    high: float | None = None
    status: str = "ok"
    labels: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    order: int = 0
    unit: str | None = None

    @property
    def months(self) -> set[int]:
        first, last = self.period.month_span()
        return set(range(first, last + 1))


def _cell(row: dict[str, Any]) -> str:
    return " | ".join(str(row.get(k) or "") for k in ("source_file", "source_sheet", "source_cell")).strip(" |")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _part_from_row(row: dict[str, Any], period: "Period", order: int) -> _Part:
    from foistats.model import schema

    status = (row.get("status") or schema.OK).strip().lower()
    value, low, high = _num(row.get("value")), _num(row.get("value_low")), _num(row.get("value_high"))
    label = row.get("period_label") or ""
    unit = (str(row.get("unit") or "").strip()) or None
    part = _Part(
        period=period, kind="missing", status=status, labels=[label] if label else [], order=order, unit=unit
    )
    cell = _cell(row)
    if cell:
        part.cells.append(cell)
    if row.get("note"):
        part.notes.append(str(row["note"]))
    if status in schema.NUMERIC_STATUSES:
        if value is not None:
            part.kind, part.value = "number", value
            if status not in (schema.OK, schema.NIL):
                part.notes.append(status)
        elif status == schema.NIL:
            part.kind, part.value = "number", 0.0
            part.notes.append("nil counted as 0")
        elif low is not None or high is not None:
            part.kind, part.low, part.high = "range", low if low is not None else 0.0, high
    elif status in (schema.SUPPRESSED, schema.LOW):
        part.kind, part.low, part.high = "range", low if low is not None else 0.0, high
    elif status == schema.REFUSED:
        part.kind = "refused"
    elif status == schema.NO_DATA:
        part.kind = "no_data"
    return part


def _same(a: _Part, b: _Part) -> bool:
    return (a.kind, a.value, a.low, a.high) == (b.kind, b.value, b.low, b.high)


def _shown(p: _Part) -> str:
    from foistats.model.periods import long_label

    if p.kind == "number":
        return f"{p.value:g}"
    if p.kind == "range":
        return f"{p.low:g}–{'?' if p.high is None else f'{p.high:g}'}"
    return p.kind.replace("_", " ") if p.kind != "missing" else p.status.replace("_", " ") or long_label(p.period)


def _merge_duplicates(parts: list[_Part], who: str, warnings: list[str]) -> _Part:
    """Rows for the same period: counted once when they agree, a range (and a warning) when not."""
    from foistats.model.periods import long_label

    first = parts[0]
    where = "; ".join(c for p in parts for c in p.cells) or "several rows"
    for p in parts[1:]:
        for lab in p.labels:
            if lab not in first.labels:
                first.labels.append(lab)
        first.cells.extend(c for c in p.cells if c not in first.cells)
    if all(_same(first, p) for p in parts[1:]):
        warnings.append(f"{who}: {long_label(first.period)} is given {len(parts)} times ({where}); counted once")
        return first
    values = [p for p in parts if p.kind in ("number", "range")]
    shown = ", ".join(_shown(p) for p in parts)
    warnings.append(f"{who}: sources disagree for {long_label(first.period)} ({shown}; {where})")
    if not values:
        return first
    lows = [p.value if p.kind == "number" else p.low for p in values]
    highs = [p.value if p.kind == "number" else p.high for p in values]
    merged = _Part(
        period=first.period,
        kind="range",
        low=min(v for v in lows if v is not None),
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
        status="conflict",
        labels=first.labels,
        cells=first.cells,
        notes=first.notes + [f"sources disagree: {shown}"],
        order=first.order,
        unit=first.unit,
    )
    return merged


# ---------------------------------------------------------------- align


def align(
    frame: "pl.DataFrame",
    year_start: int | None = None,
    *,
    allow_partial: bool = False,
    include_misaligned: bool = False,
) -> Alignment:
    """Build an AlignedYear for every (force, measure) and every aligned year its data touches."""
    from foistats.model.errors import UsageError

    source = "option"
    if year_start is None:
        year_start = infer_year_start(frame)
        source = "data"
    if not isinstance(year_start, int) or not 1 <= year_start <= 12:
        raise UsageError(f"year start {year_start!r} is not a month (1–12)")
    warnings: list[str] = []
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in frame.iter_rows(named=True):
        key = (row.get("area_kind") or "force", row.get("force") or "", row.get("measure") or "")
        groups.setdefault(key, []).append(row)
    for key, rows in groups.items():
        # A printed total (is_total) beside its parts is never added to them again: the parts
        # are summed, the total is only quoted. A total standing alone is an ordinary figure.
        if any(r.get("is_total") for r in rows) and not all(r.get("is_total") for r in rows):
            parts = [r for r in rows if not r.get("is_total")]
            groups[key] = parts + [r for r in rows if r.get("is_total") and not _has_parts(r, parts)]
    years: list[AlignedYear] = []
    undated_groups: list[tuple[tuple[str, str, str], list[dict[str, Any]]]] = []
    for key, rows in groups.items():
        built, undated = _align_group(key, rows, year_start, warnings)
        years.extend(built)
        if undated and not built:
            undated_groups.append((key, undated))
        elif undated:
            who = f"{key[1]}, {key[2]}"
            for row in undated:
                warnings.append(f"{who}: a row with no period ({_cell(row) or 'no source'}) is not used")
    if undated_groups:
        years.extend(_undated_years(undated_groups, years, year_start, warnings))
    for y in years:
        y.usable = _usable(y, allow_partial, include_misaligned)
    years.sort(key=lambda y: (y.measure, y.area_kind != "force", y.force, y.year))
    return Alignment(
        year_start=year_start,
        years=years,
        warnings=warnings,
        year_start_source=source,
        allow_partial=allow_partial,
        include_misaligned=include_misaligned,
    )


def _has_parts(total: dict[str, Any], parts: list[dict[str, Any]]) -> bool:
    """Some non-total row of the same force and measure falls inside the total's period (or
    neither has a period): the total is the sum of rows that are already counted."""
    start, end = total.get("period_start"), total.get("period_end")
    for p in parts:
        ps, pe = p.get("period_start"), p.get("period_end")
        if start is None or end is None:
            if ps is None and pe is None:
                return True
            continue
        if ps is not None and pe is not None and start <= ps and pe <= end:
            return True
    return False


def _usable(y: AlignedYear, allow_partial: bool, include_misaligned: bool) -> bool:
    if y.value is None:
        return False
    if y.status in ("ok", "nil"):
        return True
    if y.status == "partial":
        return allow_partial
    if y.status == "misaligned":
        return include_misaligned
    return False


def _align_group(
    key: tuple[str, str, str], rows: list[dict[str, Any]], ys: int, warnings: list[str]
) -> tuple[list[AlignedYear], list[dict[str, Any]]]:
    from foistats.model.periods import Period, PeriodError, aligned_period, aligned_year_of, long_label

    area_kind, force, measure = key
    who = f"{force}, {measure}"
    code = next((r.get("force_code") for r in rows if r.get("force_code")), None)
    undated: list[dict[str, Any]] = []
    by_period: dict[tuple[date, date], list[_Part]] = {}
    for order, row in enumerate(rows):
        start, end = row.get("period_start"), row.get("period_end")
        if start is None or end is None:
            undated.append(row)
            continue
        try:
            period = Period(start, end)
        except PeriodError as exc:
            warnings.append(f"{who}: {exc} ({_cell(row)}); not used")
            continue
        by_period.setdefault((period.start, period.end), []).append(_part_from_row(row, period, order))
    parts = [ps[0] if len(ps) == 1 else _merge_duplicates(ps, who, warnings) for ps in by_period.values()]

    exact: dict[int, _Part] = {}
    inside: dict[int, list[_Part]] = {}
    misaligned: dict[int, list[tuple[int, _Part]]] = {}
    answers: dict[int, list[_Part]] = {}
    snapshots: dict[int, list[_Part]] = {}
    for part in sorted(parts, key=lambda p: p.order):
        p = part.period
        first, last = p.month_span()
        if part.kind in ("refused", "no_data"):
            if p.granularity == "day":
                answers.setdefault(aligned_year_of(p.start, ys), []).append(part)
            else:
                for y in range(aligned_year_of(p.start, ys), aligned_year_of(p.end, ys) + 1):
                    answers.setdefault(y, []).append(part)
            continue
        if p.granularity == "day":
            snapshots.setdefault(aligned_year_of(p.start, ys), []).append(part)
            continue
        y_first = (first - (ys - 1)) // 12
        y_last = (last - (ys - 1)) // 12
        if p.whole_months and p.months == 12 and p.start.month == ys:
            exact[p.start.year] = part
        elif p.is_year_long:
            overlaps = {}
            for y in range(y_first, y_last + 1):
                lo = y * 12 + ys - 1
                overlaps[y] = max(0, min(last, lo + 11) - max(first, lo) + 1)
            best = max(overlaps, key=lambda y: (overlaps[y], y))
            misaligned.setdefault(best, []).append((overlaps[best], part))
        elif p.whole_months and p.months < 12 and y_first == y_last:
            inside.setdefault(y_first, []).append(part)
        elif p.months > 12:
            warnings.append(f"{who}: {long_label(p)} is longer than a year and is not used")
        elif p.whole_months:
            warnings.append(
                f"{who}: {long_label(p)} spans two comparison years and cannot be split; not used"
            )
        else:
            warnings.append(f"{who}: {long_label(p)} is not whole months and cannot be aligned; not used")

    out: list[AlignedYear] = []
    for y in sorted(set(exact) | set(inside) | set(misaligned) | set(snapshots) | set(answers)):
        span = aligned_period(y, ys)
        base = AlignedYear(
            force=force, force_code=code, area_kind=area_kind, measure=measure, year=y,
            start=span.start, end=span.end, value=None, low=None, high=None, status="no_data",
            months_covered=0, months_expected=12,
        )
        if y in exact and (exact[y].kind in ("number", "range") or y not in inside):
            _from_exact(base, exact[y], inside.get(y, []), who, warnings)
        elif y in inside:
            _from_parts(base, inside[y], who, warnings)
            if base.months_covered == 0 and y in answers:
                _from_answers(base, answers[y])
        elif y in misaligned:
            _from_misaligned(base, misaligned[y], who, warnings)
        elif y in snapshots:
            _from_snapshots(base, snapshots[y], who, warnings)
        else:
            _from_answers(base, answers[y])
        out.append(base)
    return out, undated


def _take(base: AlignedYear, part: _Part) -> None:
    if base.unit is None and part.unit:
        base.unit = part.unit
    for lab in part.labels:
        if lab not in base.source_labels:
            base.source_labels.append(lab)
    base.source_cells.extend(c for c in part.cells if c not in base.source_cells)
    base.notes.extend(n for n in part.notes if n not in base.notes)


def _single(base: AlignedYear, part: _Part) -> None:
    """A year given by one source period that covers it: its value or its reason, as they are."""
    _take(base, part)
    if part.kind == "number":
        base.value = part.value
        base.status = "nil" if part.status == "nil" else "ok"
        base.months_covered = 12
    elif part.kind == "range":
        base.low, base.high = part.low, part.high
        base.status = "range" if part.status == "conflict" else "suppressed"
        base.months_covered = 12
    elif part.kind in ("refused", "no_data"):
        base.status = part.kind
    else:
        base.status = "not_available"


def _from_exact(base: AlignedYear, part: _Part, inside: list[_Part], who: str, warnings: list[str]) -> None:
    _single(base, part)
    if inside and part.kind == "number":
        check = replace(base, value=None, low=None, high=None, status="", months_covered=0,
                        source_labels=[], source_cells=[], notes=[])
        _from_parts(check, inside, who, [])
        if check.status == "ok" and check.value is not None and check.value != part.value:
            warnings.append(
                f"{who}: {base.label} year total {part.value:g} differs from its months' sum {check.value:g};"
                " the year total is used"
            )


def not_additive(unit: str | None) -> bool:
    """True for a percentage or a rate: it describes its own period and cannot be added up.

    Twelve months at 10% are not a year at 120%, and monthly rates per 1,000 people do not
    sum to a yearly rate. Counts, money and scaled counts (`thousands`) add up; a unit the
    source does not state is read as a count, as before.
    """
    if not unit:
        return False
    u = unit.strip().lower()
    return (
        "%" in u
        or u.startswith("per ")
        or any(word in u for word in ("percent", "rate", "ratio", "average", "mean", "median", "proportion"))
    )


def _not_summed_reason(units: set[str]) -> str:
    """Words for the periods/rank output: what kind of figure it is and why there is no year."""
    what = "percentages" if any("%" in u or "percent" in u for u in units) else "rates"
    return (
        f"{what} are not added up over months or quarters (unit {', '.join(sorted(units))});"
        " a year's figure must come from the force"
    )


def _from_parts(base: AlignedYear, parts: list[_Part], who: str, warnings: list[str]) -> None:
    """Sum months/quarters into the aligned year; a month given twice is counted once.

    The sum is exact (fractions of each value as written), so the order the parts come in
    never changes the total and 1.1 × 12 is 13.2, not 13.199999999999998: a float total
    would print noise and could split a tie that the figures themselves make.
    """
    from foistats.model.values import exact
    from foistats.model.periods import MONTH_ABBR, month_from_index

    used: set[int] = set()
    total = Fraction(0)
    low = Fraction(0)
    high: Fraction | None = Fraction(0)
    ranged = numbers = 0
    missing: list[_Part] = []
    taken: list[_Part] = []
    # Longest periods first: a quarter and one of its months keep the quarter.
    for part in sorted(parts, key=lambda p: (-p.period.months, p.order)):
        months = part.months
        if part.kind not in ("number", "range"):
            missing.append(part)
            continue
        twice = months & used
        if twice:
            names = ", ".join(f"{MONTH_ABBR[m]} {y}" for y, m in (month_from_index(i) for i in sorted(twice)))
            warnings.append(
                f"{who}: {names} reported twice ({', '.join(part.labels) or 'overlapping periods'}); counted once"
            )
            continue
        used |= months
        taken.append(part)
        if part.kind == "number":
            numbers += 1
            total += exact(part.value) or 0
        else:
            ranged += 1
            low += exact(part.low) or 0
            high = None if high is None or part.high is None else high + exact(part.high)  # type: ignore[operator]
    for part in sorted(taken + missing, key=lambda p: (p.period.start, p.order)):
        _take(base, part)
    base.months_covered = len(used)
    if not used:
        kinds = {p.kind for p in missing}
        base.status = "refused" if "refused" in kinds else "no_data" if "no_data" in kinds else "not_available"
        return
    odd = {p.unit for p in taken if p.unit and not_additive(p.unit)}
    if odd:
        # Keep no number rather than a sum of percentages: the months stay in the tidy file.
        base.value = base.low = base.high = None
        base.status = "not_summed"
        base.notes.append(_not_summed_reason(odd))
        if len(used) < base.months_expected:
            base.notes.append(f"only {len(used)} of {base.months_expected} months")
        return
    if ranged:
        base.value = None
        base.low = float(total + low)
        base.high = None if high is None else float(total + high)
        base.status = "range" if numbers else "suppressed"
    else:
        base.value = float(total)
        base.status = "ok"
    if len(used) < base.months_expected:
        base.status = "partial"
        base.notes.append(f"only {len(used)} of {base.months_expected} months")
    if missing:
        base.notes.append(f"{len(missing)} period(s) without a figure ({', '.join(_shown(p) for p in missing)})")


def _from_misaligned(base: AlignedYear, found: list[tuple[int, _Part]], who: str, warnings: list[str]) -> None:
    """Keep the value of the year-long source period that overlaps this aligned year most, marked."""
    from foistats.model.periods import MONTH_FULL, long_label

    found.sort(key=lambda t: (-t[0], t[1].order))
    overlap, part = found[0]
    base.notes.append(
        f"source year {long_label(part.period)} starts in {MONTH_FULL[part.period.start.month]};"
        f" {overlap} of 12 months overlap {long_label(_base_period(base))}"
    )
    if len(found) > 1:
        base.notes.append("also overlapping: " + ", ".join(long_label(p.period) for _, p in found[1:]))
    _single(base, part)
    base.misaligned = True
    base.overlap_months = overlap
    base.months_covered = overlap
    if part.kind in ("number", "range"):
        base.status = "misaligned"


def _base_period(y: AlignedYear) -> "Period":
    from foistats.model.periods import Period

    return Period(y.start, y.end)


def _from_snapshots(base: AlignedYear, snaps: list[_Part], who: str, warnings: list[str]) -> None:
    """A stock ("as at 31 March") is a point: the latest one in the year stands for it, never a sum."""
    from foistats.model.periods import long_label

    snaps.sort(key=lambda p: (p.period.start, p.order))
    part = snaps[-1]
    if len(snaps) > 1:
        warnings.append(
            f"{who}: {len(snaps)} snapshot dates fall in {base.label}; using {long_label(part.period)}"
        )
    _single(base, part)
    base.notes.append(f"as at {part.period.start.isoformat()}")


def _from_answers(base: AlignedYear, parts: list[_Part]) -> None:
    kinds = [p.kind for p in parts]
    base.status = "refused" if "refused" in kinds else "no_data"
    # The refusal reason first: rise/rank quote notes[0].
    for part in sorted(parts, key=lambda p: p.kind != base.status):
        _take(base, part)


def _undated_years(
    groups: list[tuple[tuple[str, str, str], list[dict[str, Any]]]],
    dated: list[AlignedYear],
    ys: int,
    warnings: list[str],
) -> list[AlignedYear]:
    """A refusal without a period still appears, once per aligned year the others answered for."""
    from foistats.model.periods import aligned_period

    by_measure: dict[str, set[int]] = {}
    for y in dated:
        by_measure.setdefault(y.measure, set()).add(y.year)
    every = set().union(*by_measure.values()) if by_measure else set()
    out: list[AlignedYear] = []
    for (area_kind, force, measure), rows in groups:
        who = f"{force}, {measure}"
        parts = []
        for order, row in enumerate(rows):
            status = (row.get("status") or "").strip().lower()
            if status in ("refused", "no_data", "not_available", "not_applicable"):
                parts.append((status, row, order))
            else:
                warnings.append(f"{who}: a value with no period ({_cell(row) or 'no source'}) is not used")
        if not parts:
            continue
        wanted = sorted(by_measure.get(measure) or every)
        if not wanted:
            warnings.append(f"{who}: {parts[0][0].replace('_', ' ')} (no period given, and no other years to show it against)")
            continue
        statuses = [s for s, _, _ in parts]
        status = next((s for s in ("refused", "no_data", "not_available") if s in statuses), "not_available")
        code = next((r.get("force_code") for _, r, _ in parts if r.get("force_code")), None)
        for year in wanted:
            span = aligned_period(year, ys)
            y = AlignedYear(
                force=force, force_code=code, area_kind=area_kind, measure=measure, year=year,
                start=span.start, end=span.end, value=None, low=None, high=None,
                status=status if status != "not_applicable" else "not_available",
                months_covered=0, months_expected=12,
            )
            for s, row, _ in sorted(parts, key=lambda t: t[0] != status):
                if row.get("note") and row["note"] not in y.notes:
                    y.notes.append(str(row["note"]))
                if row.get("period_label") and row["period_label"] not in y.source_labels:
                    y.source_labels.append(row["period_label"])
                cell = _cell(row)
                if cell and cell not in y.source_cells:
                    y.source_cells.append(cell)
            y.notes.append("no period given in the source")
            out.append(y)
    return out


def choose_year_start(option: str | None, campaign: Any, frame: "pl.DataFrame") -> tuple[int, str]:
    """--year-start beats the campaign file, which beats what the data's own years share.

    Returns the month and where it came from ("option", "campaign" or "data").
    """
    from foistats.model.errors import UsageError
    from foistats.model.periods import PeriodError, month_from_name

    if option:
        try:
            return month_from_name(option), "option"
        except (PeriodError, ValueError):
            raise UsageError(f"--year-start {option!r} is not a month", hint="use e.g. jun, apr or jan") from None
    if campaign is not None and getattr(campaign, "year_start", None):
        return campaign.year_start, "campaign"
    return infer_year_start(frame), "data"
