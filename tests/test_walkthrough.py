"""The docs cannot rot: every `$ foistats ...` line in docs/walkthrough.md (and in the
README's console blocks, if it has any) is run, in order, and must exit as documented.

Commands run in a temporary folder holding a copy of `examples/`, so they are exactly
the lines a reader pastes at the repository root, and their outputs (`-o FILE`) land in
the temporary folder. A line may document a non-zero exit with a trailing comment such
as `# exits 1: ...`.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.cli.app import COMMANDS, app

ROOT = Path(__file__).resolve().parents[1]
WALKTHROUGH = ROOT / "docs" / "walkthrough.md"
README = ROOT / "README.md"
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
_EXIT = re.compile(r"#\s*exits?\s+(?:with\s+)?(\d+)")
_IMAGE = (".svg", ".png")


@dataclass
class DocCommand:
    source: str  # "docs/walkthrough.md:42"
    line: str
    args: list[str]
    exit_code: int


def extract(path: Path) -> list[DocCommand]:
    """`$ foistats ...` lines inside console/shell code fences, with `\\` continuations joined."""
    if not path.exists():
        return []
    out: list[DocCommand] = []
    fence: str | None = None
    shell = False
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _FENCE.match(raw)
        if m and fence is None:
            fence, shell = m.group(2), m.group(3).lower() in ("console", "shell-session", "sh", "bash", "shell", "")
            continue
        if m and fence is not None and raw.strip().startswith(fence[0] * len(fence)) and not m.group(3):
            fence = None
            continue
        if fence is None or not shell:
            continue
        text = raw.strip()
        if pending is not None:
            start, so_far = pending
            text = so_far + " " + text
            number = start
        elif not text.startswith("$ foistats ") and text != "$ foistats":
            continue
        if text.endswith("\\"):
            pending = (number, text[:-1].rstrip())
            continue
        pending = None
        command = text[2:]
        m_exit = _EXIT.search(command)
        args = shlex.split(command, comments=True)[1:]
        out.append(
            DocCommand(f"{path.relative_to(ROOT)}:{number}", command, args, int(m_exit.group(1)) if m_exit else 0)
        )
    return out


def has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def run_all(commands: list[DocCommand], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    charts = has_matplotlib()
    problems = []
    for c in commands:
        expected = c.exit_code
        if not charts and any(a.lower().endswith(_IMAGE) for a in c.args):
            expected = 2  # documented: images need the charts extra, and say so
        result = runner.invoke(app, c.args)
        if result.exit_code != expected:
            problems.append(
                f"{c.source}: `{c.line}` exited {result.exit_code}, expected {expected}\n"
                f"  stderr: {result.stderr.strip()[-500:]}"
            )
    return problems


def test_walkthrough_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = extract(WALKTHROUGH)
    assert len(commands) >= 12, "docs/walkthrough.md should show the whole campaign"
    problems = run_all(commands, tmp_path, monkeypatch)
    assert not problems, "\n".join(problems)
    # The files the walkthrough promises were written.
    for name in ("my-campaign/foistats.toml", "sextortion.csv", "sextortion-datawrapper.csv", "sextortion.xlsx"):
        assert (tmp_path / name).exists(), name


def test_readme_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = extract(README)
    if not commands:
        pytest.skip("README.md has no `$ foistats` lines in console blocks")
    problems = run_all(commands, tmp_path, monkeypatch)
    assert not problems, "\n".join(problems)


def test_walkthrough_covers_the_campaign_commands() -> None:
    used = {c.args[0] for c in extract(WALKTHROUGH) if c.args}
    assert {"init", "status", "import", "rank", "explain", "export", "chart", "check"} <= used
    registered = {name for name, _ in COMMANDS}
    assert used <= registered, f"the walkthrough uses unknown commands: {used - registered}"


def test_extractor_reads_continuations_comments_and_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Text `$ foistats not-a-command`\n\n"
        "```console\n"
        "$ foistats check \"rose from 28 to 152, a rise of 543%\"  # exits 1: wrong\n"
        "output line\n"
        "$ pip install foistats\n"
        "$ foistats rank a.csv \\\n"
        "    --top 3\n"
        "```\n\n"
        "```python\n$ foistats ignored\n```\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    found = extract(doc)
    assert [(c.args, c.exit_code) for c in found] == [
        (["check", "rose from 28 to 152, a rise of 543%"], 1),
        (["rank", "a.csv", "--top", "3"], 0),
    ]
    assert found[1].source == "doc.md:7"  # where the command starts
