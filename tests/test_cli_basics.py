"""The CLI contract scripts rely on: help, version, exit codes, clean pipes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT, read_csv_text


def _foistats() -> list[str]:
    """The installed console script: beside this interpreter (a venv), else on PATH."""
    from pathlib import Path

    beside = Path(sys.executable).with_name("foistats")
    exe = str(beside) if beside.exists() else shutil.which("foistats")
    assert exe, "the foistats console script is not installed"
    return [exe]


def test_version(invoke) -> None:
    from foistats import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"foistats {__version__}"


def test_every_command_has_help_with_an_example(invoke) -> None:
    from foistats.cli.app import COMMANDS

    for name, _ in COMMANDS:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "foistats " + name in result.stdout or "Example" in result.stdout, name


def test_top_level_help_documents_exit_codes(invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for words in ("Exit codes", "usage error", "could not be read"):
        assert words in result.stdout


def test_unknown_option_is_a_usage_error(invoke) -> None:
    assert invoke("rank", EXAMPLES, "--by", "nonsense").exit_code == 2


def test_rank_examples_csv_is_machine_clean(invoke) -> None:
    result = invoke("rank", EXAMPLES, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = read_csv_text(result.stdout)
    header = list(rows[0])
    assert header[:11] == [
        "rank", "force", "force_code", "from_period", "to_period", "from_value", "to_value",
        "change", "pct_change", "ratio", "flags",
    ]
    by_force = {r["force"]: r for r in rows}
    assert by_force["Greater Manchester Police"]["rank"] == "1"
    assert float(by_force["Greater Manchester Police"]["pct_change"]) == 2700
    leics = by_force["Leicestershire Police"]
    assert leics["rank"] == "9" and abs(float(leics["pct_change"]) - 442.857142857) < 1e-6
    assert by_force["Northumbria Police"]["rank"] == "" and "refused" in by_force["Northumbria Police"]["flags"]
    assert "," not in leics["to_value"] and "%" not in result.stdout.split("\n")[1]


def test_json_output(invoke) -> None:
    result = invoke("rank", EXAMPLES, "--format", "json", "--force", "Leicestershire")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    leics = next(r for r in rows if r["force"] == "Leicestershire Police")
    assert (leics["rank"], leics["from_value"], leics["to_value"]) == (9, 28, 152)
    assert "9th of 38 forces ranked" in result.stderr


def test_output_file_format_from_extension(invoke, tmp_path) -> None:
    out = tmp_path / "rank.md"
    result = invoke("rank", EXAMPLES, "-o", out)
    assert result.exit_code == 0
    text = out.read_text()
    assert text.startswith("| Rank |") or "| Rank |" in text
    bad = invoke("rank", EXAMPLES, "-o", tmp_path / "rank.xyz")
    assert bad.exit_code == 2 and "extension" in bad.stderr


def test_installed_command_in_a_real_subprocess_pipes_cleanly() -> None:
    env = dict(os.environ, NO_COLOR="1")
    cmd = " ".join(f"'{c}'" for c in _foistats()) + f" rank '{EXAMPLES}' | head -3"
    proc = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode in (0, 141), proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("rank,force,force_code")
    assert lines[1].startswith("1,Greater Manchester Police")
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_subprocess_exit_code_for_unreadable_file(tmp_path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a spreadsheet at all")
    proc = subprocess.run([*_foistats(), "import", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 3
    assert "broken.xlsx" in proc.stderr and "Traceback" not in proc.stderr


def test_one_bad_file_among_many_is_reported_and_the_rest_imported(invoke, tmp_path) -> None:
    folder = tmp_path / "returns"
    shutil.copytree(EXAMPLES, folder)
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 truncated")
    result = invoke("import", folder, "--format", "csv")
    assert result.exit_code == 3
    rows = read_csv_text(result.stdout)
    assert {r["force"] for r in rows} >= {"Leicestershire Police", "Greater Manchester Police"}
    assert "corrupt.xlsx" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback(invoke, tmp_path) -> None:
    from foistats.cli.app import _state

    try:
        result = invoke("--debug", "import", tmp_path / "missing.csv")
        assert result.exit_code != 0
        assert result.exception is not None
    finally:
        _state["debug"] = False


@pytest.mark.parametrize(
    "args",
    [
        ["28", "152", "443%"],
        ["20", "560", "2800%"],
        ["152", "28", "-82%"],
        ["Reports rose from 28 to 152, a rise of 443 per cent", "--format", "json"],
        ["10%", "11%", "+1pp", "-f", "csv"],
    ],
)
def test_fast_check_door_matches_the_typer_command(invoke, args) -> None:
    """`foistats check` skips Typer for plain forms; both doors must give the same answer."""
    typer_result = invoke("check", *args)
    proc = subprocess.run([*_foistats(), "check", *args], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    assert proc.returncode == typer_result.exit_code
    assert proc.stdout == typer_result.stdout


def test_fast_check_imports_neither_typer_nor_polars() -> None:
    code = (
        "import sys; sys.argv = ['foistats', 'check', '28', '152', '443%']\n"
        "from foistats.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "print('MODULES', 'typer' in sys.modules, 'polars' in sys.modules, 'python_calamine' in sys.modules, code, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "MODULES False False False 0" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "command",
    [["rank"], ["rise"], ["periods"], ["status"], ["export"], ["chart", "rank"], ["explain", "Leicestershire"]],
)
def test_every_data_command_reports_an_unreadable_file_once_and_exits_3(invoke, tmp_path, command) -> None:
    folder = tmp_path / "returns"
    shutil.copytree(EXAMPLES, folder)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    args = [*command[:1], *command[1:]] if command[0] != "explain" else command
    if command[0] == "chart":
        result = invoke("chart", "rank", folder, "--format", "csv")
    elif command[0] == "explain":
        result = invoke("explain", "Leicestershire", folder, "--format", "csv")
    elif command[0] == "export":
        result = invoke("export", folder, "--to", "datawrapper")
    else:
        result = invoke(*args, folder, "--format", "csv")
    assert result.exit_code == 3, (command, result.stderr)
    assert result.stderr.count("broken.xlsx") == 1
    assert result.stdout.strip()  # the rest was still processed
