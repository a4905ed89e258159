"""The help pages `foistats` serves without building the Typer app are Typer's own (issue 19)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import run_entry

from foistats.cli import prerendered
from foistats.cli.help_pages import PAGES

STALE = f"the prerendered help is stale (commands, options or help texts changed): run `{prerendered.REGENERATE}`"


def _entry(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return run_entry(args, watch="typer", **env)


def test_prerendered_pages_equal_what_typer_renders_now() -> None:
    rendered = prerendered.render_pages()
    assert sorted(rendered) == sorted(PAGES), STALE
    for key, text in rendered.items():
        assert PAGES[key] == text, f"`foistats {key + ' ' if key else ''}--help` differs: {STALE}"


def test_generated_module_is_byte_for_byte_what_write_produces() -> None:
    with open(prerendered.module_path(), encoding="utf-8") as fh:
        assert fh.read() == prerendered.module_text(prerendered.render_pages()), STALE


@pytest.mark.parametrize("args,key", [(["rank", "--help"], "rank"), (["import", "-h"], "import"), (["--help"], "")])
def test_help_served_without_typer(args: list[str], key: str) -> None:
    proc = _entry(args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == PAGES[key]
    assert "TYPER_LOADED=False" in proc.stderr


def test_version_served_without_typer_and_equal_to_typers() -> None:
    fast = _entry(["--version"])
    assert fast.returncode == 0 and "TYPER_LOADED=False" in fast.stderr
    from typer.testing import CliRunner

    from foistats.cli.app import app

    assert fast.stdout == CliRunner().invoke(app, ["--version"]).stdout


def test_narrow_terminal_and_other_forms_go_through_typer() -> None:
    narrow = _entry(["rank", "--help"], COLUMNS="60")
    assert narrow.returncode == 0 and "TYPER_LOADED=True" in narrow.stderr
    assert narrow.stdout != PAGES["rank"]
    for args in (["--debug", "--help"], ["rank", "--help", "--from", "2020"], ["nosuchcommand", "--help"]):
        assert prerendered.page_key(args) is None or prerendered.page_key(args) not in PAGES


def test_page_keys() -> None:
    assert prerendered.page_key(["--help"]) == ""
    assert prerendered.page_key(["-h"]) == ""
    assert prerendered.page_key(["rise", "--help"]) == "rise"
    assert prerendered.page_key(["--debug", "--help"]) is None
    assert prerendered.page_key(["rank"]) is None
