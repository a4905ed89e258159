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
    imported = getattr(loaded, "imported", None)
    for f in imported.files if imported is not None else []:
        if f.status in ("own_output", "tidy") and f.sheets:
            warn(f"{f.path}: {f.sheets[0].message}")  # foistats' own outputs found among the returns
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


# Commands that read a tidy dataset from stdin when one is piped in and no PATHS are given.
STDIN_COMMANDS = ("rank", "rise", "periods", "explain", "export", "chart", "status")


def default_paths(
    paths: list[Path] | None, campaign: Path | None, *, command: str = "", labels: bool = False
) -> list[Path]:
    """PATHS when none are given, the same for every command.

    A tidy dataset piped in (`foistats import returns | foistats rank`) is read from stdin
    (an empty pipe, as scripts and CI give, is not data);
    else the campaign file's folder (--campaign, or ./foistats.toml); `status` and
    `explain` also work from the current folder, where `init` put the campaign file.
    `-` in PATHS always means stdin.
    """
    from foistats.intake.dataset import STDIN, piped_data

    if paths:
        return [STDIN if str(p) == "-" else p for p in paths]
    if labels:  # periods --label tests labels, no data needed
        return []
    if command in STDIN_COMMANDS and piped_data():  # an empty pipe (a script, CI) is no data
        return [STDIN]
    if campaign is not None:
        return [campaign if campaign.is_dir() else campaign.parent]
    if (Path.cwd() / "foistats.toml").is_file() or command in ("status", "explain"):
        return [Path(".")]
    if command == "import":
        from foistats.model.errors import UsageError

        raise UsageError("no input given", hint="name the returns: files or folders, e.g. foistats import returns/")
    return []

