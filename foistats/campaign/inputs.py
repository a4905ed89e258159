"""A campaign's returns: the data loaded with the campaign file's measure name and recipes.

Lives in the campaign stage because it is the one place that joins the campaign file
(found beside the inputs) to the intake; analysis commands call it rather than knowing
where the campaign file is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foistats.intake.dataset import Loaded, load


def load_with_campaign(
    paths: list[Path],
    *,
    campaign_file: Path | None = None,
    force: str | None = None,
    period: str | None = None,
    measure_name: str | None = None,
    keep_measure: str | None = None,
    progress: bool = True,
) -> "tuple[Loaded, Any]":
    """Load with the campaign file's measure name and recipes applied (it is found beside the inputs).
    `keep_measure` is the --measure the command will keep (see `ImportOptions.keep_measure`)."""
    from foistats.campaign.file import find_campaign
    from foistats.intake.report import ImportOptions

    campaign = find_campaign(paths, campaign_file)
    options = ImportOptions(
        measure=measure_name or (campaign.measure if campaign else None),
        force=force,
        period=period,
        recipes=dict(campaign.recipes) if campaign else {},
        progress=progress,
        keep_measure=keep_measure,
    )
    return load(paths, options), campaign
