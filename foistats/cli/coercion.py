"""Typer's coercion of plain option values, done without importing pydantic.

Typer (0.29) turns every parsed option into its Python value through a pydantic
`TypeAdapter` built on first use. Building the first one imports pydantic: about
0.1 s on every data command, paid before any file is opened, and a tenth of what
`foistats rank` on six million rows is allowed above DuckDB (issue 19).

Every option foistats declares is a `str`, `int`, `bool`, `Path` or a list of
them, with no ranges, parsers or path checks beyond Typer's defaults. For those,
this module gives Typer a runtime parameter that returns what the adapter would
return, and hands anything it does not recognise — another type, a constrained
option, a value of an unexpected shape, a malformed number — to Typer's own
adapter, so error messages and edge cases stay Typer's. `tests/test_coercion.py`
runs every parameter of every command through both and compares the results.

If Typer's internals move (the hooks below are not public API), `install()` leaves
Typer alone and the only cost is the old start-up time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, get_args, get_origin

_MISS = object()  # "not a plain case: ask Typer's adapter"
_INT = re.compile(r"[+-]?[0-9]{1,18}\Z")  # what int() and pydantic read alike, no spaces or underscores


def install() -> bool:
    """Make Typer coerce plain parameters here; True if it did."""
    try:
        from typer import _coercion, core
        from typer._param_types import coerce_cli_path, routes_to_path
    except ImportError:
        return False
    base = getattr(core, "_TyperParameter", None)
    runtime = getattr(_coercion, "RuntimeParam", None)
    build = getattr(_coercion, "build_runtime_param", None)
    if base is None or runtime is None or build is None or not hasattr(base, "get_runtime_param"):
        return False
    if getattr(base.get_runtime_param, "_foistats", False):
        return True
    plain_class = _plain_class(runtime, build, coerce_cli_path)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if _leaf_of(descriptor, routes_to_path) is not None:
                self._runtime_param = plain_class(
                    annotation=descriptor.annotation, parameter_info=descriptor.parameter_info, descriptor=descriptor,
                )
            else:
                self._runtime_param = build(descriptor)
        return self._runtime_param

    get_runtime_param._foistats = True  # type: ignore[attr-defined]
    base.get_runtime_param = get_runtime_param
    return True


def _plain_class(runtime: type, build: Callable[[Any], Any], coerce_cli_path: Callable[..., Any]) -> type:
    """A subclass of Typer's RuntimeParam: its `coerce` (None, multiple values) is Typer's
    own; only the per-value step is done here, falling back to the adapter."""

    @dataclass(frozen=True)
    class PlainRuntimeParam(runtime):  # type: ignore[misc, valid-type]
        descriptor: Any = None
        _full: list[Any] = field(default_factory=list, compare=False, repr=False)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            got = _coerce(self.annotation, self.parameter_info, value, param, ctx, coerce_cli_path)
            if got is not _MISS:
                return got
            if not self._full:
                self._full.append(build(self.descriptor))
            return self._full[0]._coerce_value(value, param=param, ctx=ctx)

    return PlainRuntimeParam


def _leaf_of(descriptor: Any, routes_to_path: Callable[[Any, Any], bool]) -> type | None:
    """The element type when the parameter is plain (str, int, bool, Path or a list of
    one of them; an int may have a range, checked here, but not be clamped); None when
    Typer should keep it."""
    info = descriptor.parameter_info
    if getattr(descriptor, "file_annotation", None) is not None:
        return None
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        args = get_args(annotation)
        if len(args) != 1:
            return None
        annotation = args[0]
    elif get_origin(annotation) is not None:
        return None
    if annotation is str or annotation is bool:
        return annotation
    if annotation is int:
        return None if info.clamp else int
    if annotation is Path:
        plain_path = getattr(info, "path_type", None) is None and not getattr(info, "allow_dash", False)
        return Path if plain_path and routes_to_path(annotation, info) else None
    return None


def _coerce(annotation: Any, info: Any, value: Any, param: Any, ctx: Any, coerce_cli_path: Callable[..., Any]) -> Any:
    if get_origin(annotation) is list:
        if not isinstance(value, (list, tuple)):
            return _MISS
        leaf = get_args(annotation)[0]
        items = [_leaf(leaf, info, item, param, ctx, coerce_cli_path) for item in value]
        return _MISS if any(item is _MISS for item in items) else items
    return _leaf(annotation, info, value, param, ctx, coerce_cli_path)


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any, coerce_cli_path: Callable[..., Any]) -> Any:
    kind = type(value)
    if annotation is str:
        return value if kind is str else _MISS
    if annotation is bool:
        return value if kind is bool else _MISS
    if annotation is int:
        if kind is str and _INT.match(value):
            value = int(value)
        elif kind is not int:
            return _MISS
        # Out of range: Typer's adapter says so in its own words.
        low, high = info.min, info.max
        return _MISS if (low is not None and value < low) or (high is not None and value > high) else value
    if annotation is Path:
        if kind is str and "\0" not in value:
            value = Path(value)  # what pydantic's Path validator makes of a str
        elif not isinstance(value, Path):
            return _MISS
        # Typer's own path step (stat, readable check), reached with a Path so it needs no pydantic.
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    return _MISS
