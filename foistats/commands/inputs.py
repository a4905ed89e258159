"""How commands get their data: campaign file + on-the-fly import + a summary on stderr.

Shared by every data-taking command so they all treat bad files the same way: the
problem is reported on one line naming the file, the rest is still used, and the
command ends with exit code 3 after its output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # pragma: no cover
    from foistats.campaign import Campaign
    from foistats.dataset import Loaded


def load_data(
    paths: list[Path],
    *,
    campaign_file: Path | None = None,
    force: str | None = None,
    period: str | None = None,
    measure_name: str | None = None,
    progress: bool = True,
) -> "tuple[Loaded, Campaign | None]":
    """Load tidy files or import raw returns, applying the campaign's measure name and recipes."""
    from foistats.campaign import find_campaign
    from foistats.dataset import load
    from foistats.importer import ImportOptions

    campaign = find_campaign(paths, campaign_file)
    options = ImportOptions(
        measure=measure_name or (campaign.measure if campaign else None),
        force=force,
        period=period,
        recipes=dict(campaign.recipes) if campaign else {},
        progress=progress,
    )
    loaded = load(paths, options)
    report_failures(loaded)
    return loaded, campaign


def report_failures(loaded: "Loaded") -> None:
    from foistats.render import warn

    for failure in loaded.failures:
        warn(f"error: {failure.error}")


def exit_for_failures(loaded: "Loaded") -> None:
    """Called after output: a run that could not read every input ends with exit 3."""
    from foistats.errors import EXIT_INPUT

    if loaded.failures:
        raise typer.Exit(EXIT_INPUT)


def year_start_for(option: str | None, campaign: "Campaign | None", frame: object) -> tuple[int, str]:
    """--year-start beats the campaign file, which beats what the data's own years share."""
    from foistats.align import infer_year_start
    from foistats.errors import UsageError
    from foistats.periods import PeriodError, month_from_name

    if option:
        try:
            return month_from_name(option), "option"
        except (PeriodError, ValueError):
            raise UsageError(f"--year-start {option!r} is not a month", hint="use e.g. jun, apr or jan") from None
    if campaign is not None and campaign.year_start:
        return campaign.year_start, "campaign"
    return infer_year_start(frame), "data"
