"""Option values coerced without pydantic are exactly what Typer's own adapters make (issue 19).

`foistats.cli.coercion` replaces Typer's per-parameter runtime coercion for plain
types. These tests hold it to Typer: every parameter of every command, many values,
the same result or the same error; and a real data command that no longer imports
pydantic but still answers as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

# Typer before 0.29 coerces through Click's own types, imports no pydantic, and has none
# of the hooks `foistats.cli.coercion` uses (install() then leaves it alone).
_coercion = pytest.importorskip("typer._coercion", reason="this Typer coerces without pydantic adapters: nothing to replace")
from typer._click import Context  # noqa: E402

from conftest import EXAMPLES, run_entry  # noqa: E402
from foistats.cli import coercion  # noqa: E402
from foistats.cli.app import app  # noqa: E402

COMMAND = typer.main.get_command(app)
PARAMS = [(c, p) for c in [COMMAND, *COMMAND.commands.values()] for p in c.params]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error is part of the behaviour compared
        return "error", (type(exc).__name__, str(exc))
    return "value", (type(got).__name__, got, [type(x).__name__ for x in got] if isinstance(got, list) else None)


def _both(command: Any, param: Any, value: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    ctx = Context(command)
    ours = param.get_runtime_param()
    typers = _coercion.build_runtime_param(param.type_descriptor)
    return _outcome(ours, value, param, ctx), _outcome(typers, value, param, ctx)


def _samples(annotation: Any, tmp: Path) -> list[Any]:
    leaf = typer_leaf(annotation)
    if leaf is int:
        items: list[Any] = ["0", "5", "-1", "+4", "007", " 5", "5 ", "5.0", "1_000", "abc", "", "٣", "99999999999999999999", 3, -2]
    elif leaf is Path:
        (tmp / "a file.csv").write_text("x\n")
        (tmp / "folder").mkdir(exist_ok=True)
        items = [str(tmp / "a file.csv"), str(tmp / "folder"), str(tmp / "missing.xlsx"), "", ".", "-", "~/x", "a\0b", tmp]
    elif leaf is bool:
        items = [True, False, "true", "0", "", "maybe"]
    else:
        items = ["a", "", " x ", "é", "-", "--force", "Leics", b"bytes", 7]
    if annotation is leaf:
        return items
    return [tuple(items[:3]), (), list(items[3:6]), items[0], tuple(items)]


def typer_leaf(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    return args[0] if args else annotation


def test_installed_for_every_parameter_foistats_declares() -> None:
    """Every option and argument is plain, so a data command never builds an adapter."""
    assert coercion.install()
    for command, param in PARAMS:
        runtime = param.get_runtime_param()
        assert type(runtime).__name__ == "PlainRuntimeParam", f"{command.name} {param.name}: {param.type_descriptor.annotation}"


@pytest.mark.parametrize("command,param", PARAMS, ids=[f"{c.name}:{p.name}" for c, p in PARAMS])
def test_every_parameter_coerces_like_typer(command: Any, param: Any, tmp_path: Path) -> None:
    param._runtime_param = None
    for value in _samples(param.type_descriptor.annotation, tmp_path):
        ours, typers = _both(command, param, value)
        assert ours == typers, f"{command.name} {param.name} {value!r}"


_INT_PARAMS = [(c, p) for c, p in PARAMS if p.type_descriptor.annotation is int]
_TEXT_PARAMS = [(c, p) for c, p in PARAMS if p.type_descriptor.annotation in (str, list[str])]


@given(st.sampled_from(_INT_PARAMS), st.one_of(st.integers(-10**20, 10**20).map(str), st.text(alphabet="0123456789+-_ .e", max_size=8)))
def test_int_options_like_typer(pair: tuple[Any, Any], value: str) -> None:
    command, param = pair
    ours, typers = _both(command, param, value)
    assert ours == typers


@given(st.sampled_from(_TEXT_PARAMS), st.text(max_size=20))
def test_text_options_like_typer(pair: tuple[Any, Any], value: str) -> None:
    command, param = pair
    if param.type_descriptor.annotation is not str:
        value = (value, value[::-1])  # type: ignore[assignment]
    ours, typers = _both(command, param, value)
    assert ours == typers


def test_out_of_range_number_gets_typers_message(invoke: Any) -> None:
    result = invoke("rank", str(EXAMPLES), "--top", "0")
    assert result.exit_code == 2
    assert "--top" in result.stderr and "greater than or equal to 1" in result.stderr
    result = invoke("rank", str(EXAMPLES), "--top", "three")
    assert result.exit_code == 2
    assert "--top" in result.stderr and "valid integer" in result.stderr


def test_data_command_runs_without_pydantic() -> None:
    """A real `foistats rank` on the shipped examples: the same answer, pydantic never imported."""
    proc = run_entry(["rank", str(EXAMPLES), "--year-start", "jun", "--force", "Leics", "--top", "3"], watch="pydantic")
    assert proc.returncode == 0, proc.stderr
    assert "Leicestershire Police: 28 → 152 (+443%" in proc.stderr + proc.stdout
    assert "PYDANTIC_LOADED=False" in proc.stderr
