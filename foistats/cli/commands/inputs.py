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
    from foistats.campaign.file import Campaign
    from foistats.intake.dataset import Loaded


def load_data(
    paths: list[Path],
    *,
    campaign_file: Path | None = None,
    force: str | None = None,
    period: str | None = None,
    measure_name: str | None = None,
    progress: bool = True,
) -> "tuple[Loaded, Campaign | None]":
    """Load tidy files or import raw returns (campaign applied), reporting unreadable files now."""
    from foistats.campaign.inputs import load_with_campaign

    loaded, campaign = load_with_campaign(
        paths, campaign_file=campaign_file, force=force, period=period, measure_name=measure_name, progress=progress
    )
    report_failures(loaded)
    return loaded, campaign


def report_failures(loaded: "Loaded") -> None:
    """One line per unreadable input, on stderr, once per load."""
    from foistats.publish.render import warn

    if getattr(loaded, "failures_reported", False):
        return
    for failure in loaded.failures:
        warn(f"error: {failure.error}")
    loaded.failures_reported = True


def exit_for_failures(loaded: "Loaded") -> None:
    """Called after output: a run that could not read every input ends with exit 3.

    Reports the failures first if nobody has yet, so no command can exit 3 silently.
    """
    from foistats.model.errors import EXIT_INPUT

    if loaded.failures:
        report_failures(loaded)
        raise typer.Exit(EXIT_INPUT)


def year_start_for(option: str | None, campaign: "Campaign | None", frame: object) -> tuple[int, str]:
    """--year-start beats the campaign file, which beats what the data's own years share."""
    from foistats.analysis.align import choose_year_start

    return choose_year_start(option, campaign, frame)
