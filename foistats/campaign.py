"""The campaign file (`foistats.toml`): what was asked, of whom, when, and per-file recipes.

It lets every command agree on the measure name and the comparison year without
the user repeating options, and it is where a per-file recipe fixes an import that
automatic detection gets wrong. Command-line options always win over it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from foistats.errors import UsageError

FILE_NAME = "foistats.toml"
_RECIPE_KEYS = {
    "sheet", "header_rows", "data_rows", "label_columns", "value_columns", "force", "period", "measure", "orientation",
}


@dataclass
class Campaign:
    path: Path
    title: str | None = None
    wording: str | None = None
    measure: str | None = None
    year_start: int | None = None
    periods: list[str] = field(default_factory=list)
    sent: date | None = None
    forces: list[str] = field(default_factory=list)  # canonical names
    recipes: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)  # force -> {status, exemption, received}

    @property
    def folder(self) -> Path:
        return self.path.parent


def find_campaign(paths: list[Path] | None = None, explicit: Path | None = None) -> Campaign | None:
    """--campaign FILE, else foistats.toml in a folder given as input, else in the current folder."""
    if explicit is not None:
        if not explicit.exists():
            raise UsageError(f"campaign file {explicit} does not exist")
        return load_campaign(explicit)
    for p in paths or []:
        folder = p if p.is_dir() else p.parent
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return load_campaign(candidate)
    candidate = Path.cwd() / FILE_NAME
    if candidate.is_file():
        return load_campaign(candidate)
    return None


def load_campaign(path: Path) -> Campaign:
    """Parse and validate; every problem names the key (and the line, for TOML syntax errors)."""
    from foistats.forces import registry

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    request = data.get("request", {})
    if not isinstance(request, dict):
        raise UsageError(f"{path}: [request] must be a table")
    campaign = Campaign(path=path)
    campaign.title = _str(request, "title", path)
    campaign.wording = _str(request, "wording", path)
    campaign.measure = _str(request, "measure", path)
    ys = request.get("year_start")
    if ys is not None:
        from foistats.periods import PeriodError, month_from_name

        try:
            campaign.year_start = month_from_name(str(ys))
        except (PeriodError, ValueError):
            raise UsageError(f"{path}: request.year_start = {ys!r} is not a month (use e.g. \"jun\")") from None
    periods = request.get("periods", [])
    if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        raise UsageError(f"{path}: request.periods must be a list of labels such as [\"2020/21\", \"2021/22\"]")
    campaign.periods = periods
    sent = request.get("sent")
    if sent is not None:
        if isinstance(sent, str):
            try:
                sent = date.fromisoformat(sent)
            except ValueError:
                raise UsageError(f"{path}: request.sent = {sent!r} is not a date (write it as 2024-01-08)") from None
        if not isinstance(sent, date):
            raise UsageError(f"{path}: request.sent must be a date such as 2024-01-08")
        campaign.sent = sent
    forces = data.get("forces", request.get("forces"))
    names: list[str] = []
    if forces is None:
        names = [a.name for a in registry().forces(territorial_only=True)]
    else:
        if not isinstance(forces, list):
            raise UsageError(f"{path}: forces must be a list of force names")
        for name in forces:
            match = registry().resolve(str(name))
            if match is None or match.is_guess:
                hint = registry().suggest(str(name))
                raise UsageError(
                    f"{path}: unknown force {name!r} in forces" + (f" (did you mean {hint[0]}?)" if hint else "")
                )
            names.append(match.area.name)
    campaign.forces = names
    recipes = data.get("recipes", {})
    if not isinstance(recipes, dict):
        raise UsageError(f"{path}: [recipes] must be a table of file names")
    for file_name, recipe in recipes.items():
        if not isinstance(recipe, dict):
            raise UsageError(f"{path}: recipes.{file_name!r} must be a table")
        unknown = set(recipe) - _RECIPE_KEYS
        if unknown:
            raise UsageError(f"{path}: recipes.{file_name!r} has unknown key(s) {', '.join(sorted(unknown))}")
        campaign.recipes[file_name] = recipe
    responses = data.get("responses", {})
    if isinstance(responses, dict):
        for name, info in responses.items():
            match = registry().resolve(str(name))
            if match is None or match.is_guess:
                raise UsageError(f"{path}: unknown force {name!r} in [responses]")
            campaign.responses[match.area.name] = dict(info) if isinstance(info, dict) else {"status": str(info)}
    return campaign


def _str(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise UsageError(f"{path}: request.{key} must be text")
    return value
