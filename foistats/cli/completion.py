"""Shell completion offers values, not only option names: force names, --by, --format,
--year-start, chart kinds. Each completer imports only what it needs, when asked."""

from __future__ import annotations

from typing import Any, Callable

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown")


def _starting(values: Any, incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [v for v in values if v.lower().startswith(low)]


def force_names(ctx: Any, param: Any, incomplete: str) -> list[str]:
    from foistats.model.forces import registry

    names = sorted({a.name for a in registry().forces()})
    low = incomplete.lower()
    starts = [n for n in names if n.lower().startswith(low)]
    return starts or [n for n in names if low in n.lower()]


def _fixed(values: tuple[str, ...]) -> Callable[[Any, Any, str], list[str]]:
    return lambda ctx, param, incomplete: _starting(values, incomplete)


def for_param(command: str, name: str) -> Callable[[Any, Any, str], list[str]] | None:
    """The completer for one parameter of one command, or None (Click's default)."""
    if name == "force" or (command == "explain" and name == "force_name"):
        return force_names
    if name == "by":
        return _fixed(("pct", "change", "to", "rate") if command == "rank" else ("pct", "change", "to"))
    if name == "fmt":
        return _fixed(("datawrapper", "xlsx") if command == "export" else FORMATS)
    if name == "target":
        return _fixed(("datawrapper", "xlsx"))
    if name == "year_start":
        return _fixed(_MONTHS)
    if command == "chart" and name == "kind":
        return _fixed(("rank", "trend"))
    return None
