"""Issue 16: pipes, files and terminals — an output contract people and scripts can trust.

Most tests run the installed `foistats` in a subprocess: progress bars, colour, umask,
signals, FIFOs and /dev/full only behave for real with real file descriptors, and the
terminal tests give stderr (or stdout) a real pseudo-terminal, which CliRunner cannot.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
DATA = Path(__file__).resolve().parent / "data"
FOISTATS = str(Path(sys.executable).parent / "foistats")
TRACEBACK = "Traceback"


def run(*args: object, cwd: Path | None = None, input: bytes | None = None, env: dict | None = None,
        timeout: float = 120, umask: int | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("FOISTATS_DEBUG", None)
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(
        [FOISTATS, *map(str, args)], cwd=cwd, input=input if input is not None else b"",
        capture_output=True, env=full_env, timeout=timeout, preexec_fn=preexec,
    )


def text(p: subprocess.CompletedProcess) -> tuple[str, str]:
    return p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def rows(data: bytes | str, sep: str = ",") -> list[dict[str, str]]:
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return list(csv.DictReader(io.StringIO(data), delimiter=sep))


def one_line_error(stderr: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert TRACEBACK not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("foistats: error:"), stderr


@pytest.fixture(scope="module")
def tidy_csv(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tidy") / "sextortion.csv"
    p = run("import", EXAMPLES, "-o", out)
    assert p.returncode == 0, p.stderr
    return out


def _read_fd(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def run_with_pty(args: list[object], *, on: str, env: dict | None = None, cwd: Path | None = None) -> tuple[bytes, bytes, int]:
    """Run foistats with stderr (on="stderr") or stdout (on="stdout") on a real pseudo-terminal."""
    master, slave = pty.openpty()
    full_env = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color", **(env or {})}
    full_env.pop("NO_COLOR", None)
    full_env.pop("FOISTATS_DEBUG", None)
    kwargs = {"stdout": slave if on == "stdout" else subprocess.PIPE, "stderr": slave if on == "stderr" else subprocess.PIPE}
    proc = subprocess.Popen([FOISTATS, *map(str, args)], stdin=subprocess.DEVNULL, env=full_env, cwd=cwd, **kwargs)
    os.close(slave)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(_read_fd(master)))
    reader.start()
    piped = (proc.stdout if on == "stderr" else proc.stderr).read()
    proc.wait(timeout=120)
    reader.join(timeout=30)
    os.close(master)
    tty = got[0] if got else b""
    return (piped, tty, proc.returncode) if on == "stderr" else (tty, piped, proc.returncode)


# ---------------------------------------------------------------- stdout carries data only


def test_progress_on_a_terminal_never_reaches_piped_stdout() -> None:
    """`foistats import returns/ > data.csv` at a prompt: the first line is the header, not a blank."""
    out, err, code = run_with_pty(["import", EXAMPLES], on="stderr")
    assert code == 0, err
    first = out.decode().splitlines()[0]
    assert first.startswith("force,force_code,area_kind"), out[:200]
    assert b"\x1b" not in out  # no cursor moves, no colour in the data
    assert b"imported 529 rows" in err  # 492 numbers, 25 printed totals, 12 empty cells


def test_stdout_on_a_terminal_carries_no_progress_and_warnings_are_coloured_on_stderr() -> None:
    out, err, code = run_with_pty(["import", EXAMPLES, "--format", "csv"], on="stdout")
    assert code == 0
    assert b"importing" not in out and b"warning" not in out
    # The colour test: warnings stand out on a terminal, never in a pipe.
    _, tty_err, _ = run_with_pty(["import", EXAMPLES, "-o", os.devnull], on="stderr")
    assert b"\x1b[33m  warning:" in tty_err
    _, piped_err = text(run("import", EXAMPLES, "-o", os.devnull))
    assert "\x1b" not in piped_err and "  warning:" in piped_err


def test_machine_formats_keep_words_on_stderr(tidy_csv: Path) -> None:
    for fmt in ("csv", "json", "ndjson", "tsv"):
        p = run("rank", tidy_csv, "--year-start", "jun", "--force", "Leics", "--format", fmt)
        out, err = text(p)
        assert p.returncode == 0, err
        assert "Leicestershire Police: 28 → 152" in err and "Leicestershire Police: 28" not in out
        if fmt == "json":
            json.loads(out)
        if fmt == "ndjson":
            assert all(json.loads(line)["force"] for line in out.splitlines())


# ---------------------------------------------------------------- own outputs are never returns


def test_own_outputs_next_to_the_returns_are_skipped(tmp_path: Path, tidy_csv: Path) -> None:
    returns = tmp_path / "returns"
    shutil.copytree(EXAMPLES, returns)
    shutil.copy(tidy_csv, returns / "all.csv")
    campaign = ("--campaign", EXAMPLES / "foistats.toml")
    assert run("export", tidy_csv, *campaign, "-o", returns / "dw.csv").returncode == 0
    assert run("export", tidy_csv, *campaign, "-o", returns / "editors.xlsx").returncode == 0
    assert run("status", tidy_csv, *campaign, "--as-of", "2024-02-20", "-o", returns / "tracker.csv").returncode == 0
    assert run("rank", tidy_csv, *campaign, "-o", returns / "rank.csv").returncode == 0
    second = run("import", returns, "--format", "csv")
    out, err = text(second)
    assert second.returncode == 0, err
    assert len(rows(out)) == 529 == len(rows((returns / "all.csv").read_bytes()))
    for name, kind in (("all.csv", "a tidy dataset"), ("dw.csv", "a Datawrapper export"), ("editors.xlsx", "a foistats workbook"),
                       ("tracker.csv", "a status tracker"), ("rank.csv", "a rank/rise table")):
        line = next(line for line in err.splitlines() if line.startswith(str(returns / name)))
        assert "skipped" in line and kind in line
    assert err.splitlines()[-1].endswith("5 foistats outputs skipped")
    # Commands that import on the fly say so too, and give the same answer as without them.
    p = run("rank", returns, "--year-start", "jun", "--format", "csv")
    assert p.returncode == 0
    assert f"foistats: {returns / 'dw.csv'}: skipped: a Datawrapper export" in p.stderr.decode()
    assert p.stdout == run("rank", tidy_csv, *campaign, "--format", "csv").stdout


def test_a_tidy_dataset_alone_in_a_folder_is_read_as_tidy_data(tmp_path: Path, tidy_csv: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(tidy_csv, folder / "sextortion.csv")
    direct = run("rank", tidy_csv, "--year-start", "jun", "--format", "csv")
    via_folder = run("rank", folder, "--year-start", "jun", "--format", "csv")
    assert via_folder.returncode == 0, via_folder.stderr
    assert via_folder.stdout == direct.stdout


# ---------------------------------------------------------------- stdin and stdout


def test_tidy_dataset_from_stdin_dash_and_pipe(tidy_csv: Path) -> None:
    data = tidy_csv.read_bytes()
    expected = run("rank", tidy_csv, "--year-start", "jun", "--format", "csv").stdout
    assert run("rank", "-", "--year-start", "jun", "--format", "csv", input=data).stdout == expected
    assert run("rank", "--year-start", "jun", "--format", "csv", input=data).stdout == expected  # piped, no PATHS
    for command in (["rise"], ["periods"], ["explain", "Leics"], ["export"], ["chart", "rank"]):
        p = run(*command, "-", "--year-start", "jun", input=data)
        assert p.returncode == 0, (command, p.stderr)
        assert p.stdout
    # A real shell pipe, as in the help.
    shell = subprocess.run(f"{shlex.quote(FOISTATS)} import {shlex.quote(str(EXAMPLES))} -q | {shlex.quote(FOISTATS)} rank - --year-start jun",
                           shell=True, capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    assert shell.returncode == 0 and shell.stdout == expected


def test_stdin_that_is_not_tidy_data_is_one_line() -> None:
    p = run("rank", "-", input=b"Force,2021\nKent,3\n")
    assert p.returncode == 3
    one_line_error(p.stderr.decode())


def test_output_dash_is_stdout_and_tsv_delimiter_ndjson(tidy_csv: Path) -> None:
    p = run("rank", tidy_csv, "--year-start", "jun", "-o", "-")
    assert p.returncode == 0 and rows(p.stdout)[0]["force"] == "Greater Manchester Police"
    tsv = run("rank", tidy_csv, "--year-start", "jun", "--tsv")
    assert rows(tsv.stdout, "\t")[0]["force"] == "Greater Manchester Police"
    semi = run("rank", tidy_csv, "--year-start", "jun", "--delimiter", ";")
    assert semi.stdout.decode().startswith("rank;force;")
    imp = run("import", EXAMPLES, "--tsv", "-q")
    assert imp.stdout.decode().startswith("force\tforce_code\t")
    nd = run("rank", tidy_csv, "--year-start", "jun", "--format", "ndjson").stdout.decode().splitlines()
    assert len(nd) > 30 and json.loads(nd[0])["rank"] == 1
    assert run("rank", tidy_csv, "--delimiter", "ab").returncode == 2


# ---------------------------------------------------------------- files written


def test_file_mode_follows_the_umask(tmp_path: Path, tidy_csv: Path) -> None:
    for umask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        out = tmp_path / f"rank{umask}.csv"
        assert run("rank", tidy_csv, "--year-start", "jun", "-o", out, umask=umask).returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == mode
    tidy = tmp_path / "tidy.csv"
    assert run("import", EXAMPLES, "-o", tidy, "-q", umask=0o022).returncode == 0
    assert stat.S_IMODE(tidy.stat().st_mode) == 0o644


def test_output_through_a_symlink_writes_the_target(tmp_path: Path, tidy_csv: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("rank", tidy_csv, "--year-start", "jun", "-o", link).returncode == 0
    assert link.is_symlink() and target.read_text().startswith("rank,force")


def test_devices_and_fifos_are_written_as_streams(tmp_path: Path, tidy_csv: Path) -> None:
    before = os.stat("/dev/null")
    p = run("rank", tidy_csv, "--year-start", "jun", "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert p.returncode == 0 and (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    p = run("rank", tidy_csv, "--year-start", "jun", "-o", "/dev/stdout")
    assert p.returncode == 0 and rows(p.stdout)[0]["rank"] == "1"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    p = run("rank", tidy_csv, "--year-start", "jun", "-o", fifo, "--format", "csv")
    reader.join(timeout=60)
    assert p.returncode == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"rank,force")


def test_output_naming_an_input_is_refused_before_writing(tmp_path: Path, tidy_csv: Path) -> None:
    data = tmp_path / "data.csv"
    shutil.copy(tidy_csv, data)
    before = data.read_bytes()
    p = run("rank", data, "--year-start", "jun", "-o", data)
    assert p.returncode == 2 and data.read_bytes() == before
    one_line_error(p.stderr.decode())
    returns = tmp_path / "returns"
    shutil.copytree(EXAMPLES, returns)
    victim = returns / "Bedfordshire Police FOI 2024-118.csv"
    before = victim.read_bytes()
    p = run("import", returns, "-o", victim)
    assert p.returncode == 2 and victim.read_bytes() == before
    assert p.stdout == b""


@pytest.mark.parametrize("where", ["missing-folder", "dev-full", "long-name", "a-folder"])
def test_unwritable_outputs_are_one_line(tmp_path: Path, tidy_csv: Path, where: str) -> None:
    target = {
        "missing-folder": tmp_path / "nope" / "out.csv",
        "dev-full": Path("/dev/full"),
        "long-name": tmp_path / ("x" * 300 + ".csv"),
        "a-folder": tmp_path,
    }[where]
    if where == "dev-full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    p = run("rank", tidy_csv, "--year-start", "jun", "-o", target, "--format", "csv")
    assert p.returncode != 0
    one_line_error(p.stderr.decode())
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_stdout_to_a_full_disk_is_one_line(tidy_csv: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["rank", str(tidy_csv), "--year-start", "jun"], ["import", str(EXAMPLES / "GMP FOI 2024-0412.xlsx"), "-q"]):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([FOISTATS, *args], stdout=full, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
        assert p.returncode == 3
        assert p.stderr.decode() == "foistats: error: cannot write to stdout: No space left on device\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_folder_is_one_line(tmp_path: Path, tidy_csv: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        p = run("rank", tidy_csv, "-o", locked / "out.csv")
        assert p.returncode == 3
        one_line_error(p.stderr.decode())
    finally:
        locked.chmod(0o700)


def test_sigterm_cleans_up_like_sigint(tmp_path: Path) -> None:
    """SIGTERM mid-write: the temporary file is removed and the exit says so."""
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from foistats.cli import app\n"
        "signal.signal(signal.SIGTERM, app._on_sigterm)\n"
        "from foistats.publish.files import atomic_write_with\n"
        "def slow(tmp):\n"
        "    Path(tmp).write_text('half')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(30)\n"
        "@app.guarded\n"
        "def cmd():\n"
        f"    atomic_write_with(Path({str(tmp_path / 'out.csv')!r}), slow)\n"
        "import typer\n"
        "try:\n"
        "    cmd()\n"
        "except typer.Exit as e:\n"
        "    sys.exit(e.exit_code)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"writing"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and b"foistats: terminated" in err
    assert list(tmp_path.iterdir()) == []


def test_main_installs_the_sigterm_handler() -> None:
    import inspect

    from foistats.cli import app

    assert "signal.SIGTERM, _on_sigterm" in inspect.getsource(app.main)


# ---------------------------------------------------------------- reading


def test_fifo_input_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "returns.csv"
    os.mkfifo(fifo)
    start = time.monotonic()
    p = run("rank", fifo, timeout=60)
    assert p.returncode == 3 and time.monotonic() - start < 30
    one_line_error(p.stderr.decode())
    p = run("import", fifo, timeout=60)
    assert p.returncode == 3 and b"FIFO" in p.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_and_folder_inside_a_folder(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    shutil.copytree(EXAMPLES, returns)
    (returns / "GMP FOI 2024-0412.xlsx").chmod(0)
    (returns / "sub").mkdir()
    (returns / "sub").chmod(0)
    try:
        p = run("import", returns, "--format", "csv")
        out, err = text(p)
        assert p.returncode == 3
        assert len(rows(out)) > 400
        assert sum("error:" in line for line in err.splitlines()) == 2
    finally:
        (returns / "sub").chmod(0o700)


def test_unreadable_paths_are_reported_via_the_screen(tmp_path: Path) -> None:
    """The same check as above, for root too: a FIFO found inside a folder is named and skipped."""
    from foistats.intake.own_outputs import screen

    fifo = tmp_path / "odd.csv"
    os.mkfifo(fifo)
    screened = screen([fifo], [tmp_path])
    assert screened.returns == [] and screened.reports[0].status == "error" and "FIFO" in screened.reports[0].error


def test_an_import_that_finds_nothing_exits_3(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    p = run("import", empty)
    assert p.returncode == 3 and p.stdout == b""
    one_line_error(p.stderr.decode())
    (empty / "notes.csv").write_text("Dear requester\nThank you\n")
    p = run("import", empty)
    assert p.returncode == 3 and p.stdout == b""
    assert p.stderr.decode().splitlines()[-1].startswith("foistats: error: found no numbers")
    # A refusal letter read is something: not exit 3.
    refusal = EXAMPLES / "Northumbria Police FOI 1021-24.xlsx"
    assert run("import", refusal, "-q").returncode == 0


# ---------------------------------------------------------------- terminal


def test_control_characters_are_escaped_before_a_terminal(tmp_path: Path, tidy_csv: Path) -> None:
    from foistats.publish.render import sanitise

    assert sanitise("Kent\x1b]8;;http://evil\x07Police\x1b[2J") == "Kent\\x1b]8;;http://evil\\x07Police\\x1b[2J"
    assert sanitise("a\u202eb") == "a\\u202eb"
    evil = tmp_path / "evil.csv"
    lines = tidy_csv.read_text().splitlines()
    lines[1] = lines[1].replace("Avon and Somerset Constabulary", "Avon\x1b]0;pwned\x07 Police", 1)
    evil.write_text("\n".join(lines) + "\n")
    out, err, code = run_with_pty(["periods", evil, "--year-start", "jun"], on="stdout")
    assert b"\x1b]0;" not in out and b"\x07" not in out
    assert b"\\x1b]0;" in out  # shown escaped (the name may wrap after it)


def test_error_messages_escape_control_characters(tmp_path: Path) -> None:
    p = run("rank", tmp_path / "evil\x1b]0;pwned\x07.csv")
    assert p.returncode == 3
    assert b"\x1b" not in p.stderr and b"\\x1b]0;pwned" in p.stderr


def _table(width: int, *args: object, env: dict | None = None) -> str:
    p = run(*args, "--format", "table", env={"COLUMNS": str(width), **(env or {})})
    assert p.returncode == 0, p.stderr
    return p.stdout.decode()


@pytest.mark.parametrize("width", [200, 100, 80, 60, 40])
def test_tables_fit_and_numbers_never_wrap(tidy_csv: Path, width: int) -> None:
    out = _table(width, "rank", tidy_csv, "--year-start", "jun", "--force", "Leics")
    table = out.split("\n\n")[0]
    assert all(len(line.rstrip()) <= width for line in table.splitlines()), out
    # Every figure shown is whole: no "1,0" / "10" split of 1,010, no "+2,7" of +2,700.0%.
    cells = [line for line in table.splitlines() if line.startswith("  ")]
    for line in cells:
        assert not re.search(r"\d,(?!\d{3})", line), line
    if width >= 60:
        assert "1,010" in table
    if width >= 80:
        assert "+2,700.0%" in table and "█" not in table or width >= 100


def test_narrow_tables_drop_the_bar_first(tidy_csv: Path) -> None:
    wide = _table(200, "rank", tidy_csv, "--year-start", "jun")
    narrow = _table(90, "rank", tidy_csv, "--year-start", "jun")
    assert "█" in wide and "█" not in narrow
    assert "+2,700.0%" in narrow and "28.00×" in narrow


def test_term_dumb_is_readable(tidy_csv: Path) -> None:
    out = _table(100, "rank", tidy_csv, "--year-start", "jun", env={"TERM": "dumb"})
    table = out.split("\n\n")[0]
    assert "\x1b" not in out
    assert all(ord(ch) < 128 or ch in "–—→×…█▏▎▍▌▋▊▉░" for ch in table)  # words' own punctuation only
    assert table.splitlines()[0].startswith("+--")  # an ASCII box, no line-drawing characters


# ---------------------------------------------------------------- machine formats hold data


def test_status_csv_and_json_give_numbers(tmp_path: Path) -> None:
    p = run("status", EXAMPLES, "--as-of", "2024-02-20", "--format", "csv")
    got = {r["force"]: r for r in rows(p.stdout)}
    assert got["Metropolitan Police Service"]["2022/23"] == "1010"
    dyfed = got["Dyfed-Powys Police"]
    assert (dyfed["2020/21"], dyfed["2020/21_status"], dyfed["2020/21_low"], dyfed["2020/21_high"]) == ("", "suppressed", "1", "4")
    lincs = got["Lincolnshire Police"]
    assert (lincs["2022/23"], lincs["2022/23_status"], lincs["2022/23_months"]) == ("51", "partial", "8")
    assert got["Essex Police"]["2020/21"] == "47" and got["Essex Police"]["2020/21_status"] == "misaligned"
    for r in got.values():
        for key, value in r.items():
            if key[:4].isdigit():
                assert "," not in value and "–" not in value and "(" not in value
    data = json.loads(run("status", EXAMPLES, "--as-of", "2024-02-20", "--format", "json").stdout)
    met = next(r for r in data if r["force"] == "Metropolitan Police Service")
    assert met["2022/23"] == 1010 and isinstance(met["2022/23"], int)


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson"])
def test_inspect_machine_formats_are_one_document(fmt: str) -> None:
    p = run("inspect", EXAMPLES / "Hampshire FOI 044-24.xlsx", "--format", fmt)
    assert p.returncode == 0
    out = p.stdout.decode()
    if fmt == "json":
        doc = json.loads(out)
        assert len(doc["sheets"]) == 3 and doc["sheets"][0]["tidy_preview"]
    elif fmt == "ndjson":
        assert [json.loads(line)["sheet"] for line in out.splitlines()] == [
            "Jun 2020 - May 2021", "Jun 2021 - May 2022", "Jun 2022 - May 2023"]
    else:
        got = rows(out)
        assert list(got[0])[:3] == ["sheet", "row", "region"] and len({r["sheet"] for r in got}) == 3


# ---------------------------------------------------------------- messages


def test_usage_errors_are_one_line_with_the_right_suggestion(tidy_csv: Path) -> None:
    p = run("rank", tidy_csv, "--sort", "pct")
    assert p.returncode == 2
    assert p.stderr.decode().strip() == "foistats: error: no such option --sort (did you mean --by?)"
    p = run("rank", tidy_csv, "--forse", "Kent")
    assert p.stderr.decode().strip() == "foistats: error: no such option --forse (did you mean --force?)"
    p = run("ranc")
    assert p.returncode == 2
    one_line_error(p.stderr.decode())
    assert "rank" in p.stderr.decode()
    p = run("rank", tidy_csv, "--top", "zero")
    assert p.returncode == 2
    one_line_error(p.stderr.decode())


def _commands() -> list[str]:
    from foistats.cli.app import COMMANDS

    return [name for name, _ in COMMANDS]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_has_no_markup_escapes_or_python_types(command: str) -> None:
    p = run(*([command] if command else []), "--help")
    out = p.stdout.decode()
    assert p.returncode == 0
    assert "\\[" not in out
    assert not re.search(r"<(?:list|str|int|float|bool|Path|path)\b", out), out
    assert "{paths}" not in out


def _examples() -> list[str]:
    lines: list[str] = []
    for command in ["", *_commands()]:
        out = run(*([command] if command else []), "--help").stdout.decode()
        for line in out.splitlines():
            stripped = line.strip()
            if stripped.startswith("foistats ") and line.startswith("    "):
                lines.append(stripped.split("  #")[0].strip())
    return list(dict.fromkeys(lines))


def test_every_help_example_runs(tmp_path: Path) -> None:
    """In a scratch folder holding examples/ and the claims file `check --file` names."""
    (tmp_path / "examples").mkdir()
    shutil.copytree(EXAMPLES, tmp_path / "examples" / "sextortion")
    shutil.copy(DATA / "claims.csv", tmp_path / "claims.csv")
    # The story `check --text` reads: a paragraph of copy whose one claim is right.
    (tmp_path / "story.txt").write_text(
        "Reports to Leicestershire Police rose from 28 in 2020/21 to 152 in 2022/23, a rise of 443 per cent.\n",
        encoding="utf-8",
    )
    examples = _examples()
    assert len(examples) > 25
    # The tidy dataset the later examples read comes from the first one.
    ordered = sorted(examples, key=lambda e: not e.startswith("foistats import examples/sextortion -o"))
    from concurrent.futures import ThreadPoolExecutor

    def one(example: str) -> str | None:
        cwd = tmp_path
        if example.startswith("foistats init returns"):
            cwd = tmp_path / f"init{abs(hash(example))}"  # each init in its own folder
            cwd.mkdir()
            if "--from-wdtk" in example:  # the WhatDoTheyKnow batch export it names
                from test_whatdotheyknow import write_export

                write_export(cwd)
        command = example.replace("foistats ", shlex.quote(FOISTATS) + " ")
        p = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, timeout=180,
                           env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
        if p.returncode not in (0, 1) or TRACEBACK in p.stderr.decode():  # 1: a check that fails on purpose
            return f"{example}: exit {p.returncode}: {p.stderr.decode()[-300:]}"
        return None

    assert one(ordered[0]) is None  # the tidy dataset the others read
    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f for f in pool.map(one, ordered[1:]) if f]
    assert not failures, "\n".join(failures)


def test_export_format_has_its_own_name_and_to_still_works(tmp_path: Path, tidy_csv: Path) -> None:
    new = run("export", tidy_csv, "--year-start", "jun", "--format", "datawrapper")
    old = run("export", tidy_csv, "--year-start", "jun", "--to", "datawrapper")
    assert new.returncode == old.returncode == 0 and new.stdout == old.stdout
    assert b"deprecated" in old.stderr and b"deprecated" not in new.stderr
    assert run("export", tidy_csv, "--year-start", "jun", "-f", "xlsx", "-o", tmp_path / "x.xlsx").returncode == 0
    assert not re.search(r"^\s+--to\b", run("export", "--help").stdout.decode(), re.M)  # hidden, not listed


def test_paths_default_to_the_campaign_folder(tmp_path: Path, tidy_csv: Path) -> None:
    campaign = tmp_path / "returns"
    campaign.mkdir()
    shutil.copy(EXAMPLES / "foistats.toml", campaign)
    shutil.copy(tidy_csv, campaign / "sextortion.csv")  # alone in its folder: read as tidy data
    for command in (["rank"], ["rise"], ["periods"], ["status", "--as-of", "2024-02-20"], ["export"], ["explain", "Leics"]):
        p = run(*command, "--format", "csv" if command[0] != "export" else "datawrapper", cwd=campaign)
        assert p.returncode == 0, (command, p.stderr)
        assert p.stdout, command
    p = run("rank", "--campaign", campaign / "foistats.toml", "--format", "csv", cwd=tmp_path)
    assert p.returncode == 0 and rows(p.stdout)
    p = run("rank", cwd=tmp_path)
    assert p.returncode == 2
    one_line_error(p.stderr.decode())


def test_import_report_is_compact_and_counts_warnings() -> None:
    p = run("import", EXAMPLES, "-o", os.devnull)
    err = p.stderr.decode().splitlines()
    files = [line for line in err if line.startswith(str(EXAMPLES))]
    assert len(files) == 45
    assert err[-1] == "imported 529 rows from 45 of 45 files; 1 warning"
    warnings = [line for line in err if line.lstrip().startswith("warning:")]
    assert len(warnings) == 1 and "printed total 221" in warnings[0]
    assert len(err) == 45 + 1 + 1


# ---------------------------------------------------------------- completion


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_FOISTATS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    p = subprocess.run([FOISTATS], capture_output=True, env=env, timeout=60)
    return p.stdout.decode().split()


def test_completion_offers_values() -> None:
    assert {"pct", "change", "to", "rate"} <= set(_complete("foistats rank --by "))
    assert "ndjson" in _complete("foistats rank --format ")
    assert _complete("foistats export --format ") == ["datawrapper", "xlsx"]
    assert "jun" in _complete("foistats rise --year-start ")
    assert set(_complete("foistats chart ")) >= {"rank", "trend"}
    forces = " ".join(_complete("foistats rank --force Leic"))
    assert "Leicestershire" in forces


# ---------------------------------------------------------------- publishable words


def test_sentence_gives_each_figure_its_own_period_and_plain_words(tidy_csv: Path) -> None:
    def sentence(force: str) -> str:
        return run("rank", tidy_csv, "--year-start", "jun", "--force", force, "--format", "csv").stderr.decode().splitlines()[-1]

    essex = sentence("Essex")
    assert "47 in Apr 2020–Mar 2021" in essex and "233 in Apr 2022–Mar 2023" in essex and "Jun 2020" not in essex.split(". ")[0]
    lincs = sentence("Lincolnshire")
    assert "51 in 8 of the 12 months of Jun 2022–May 2023" in lincs
    cumbria = sentence("Cumbria")
    assert "--" not in cumbria and "fewer than 10 in the first year" in cumbria


def test_chart_pdf_png_svg_source_line_and_recognised(tmp_path: Path, tidy_csv: Path) -> None:
    pytest.importorskip("matplotlib")
    from foistats.intake.own_outputs import recognise

    campaign = ("--campaign", EXAMPLES / "foistats.toml")
    for ext in (".pdf", ".png", ".svg"):
        out = tmp_path / f"chart{ext}"
        p = run("chart", "rank", tidy_csv, *campaign, "--by", "change", "-o", out)
        assert p.returncode == 0, p.stderr
        assert recognise(out) == "a foistats chart"  # never re-imported as a return (PDF readers are coming)
    assert (tmp_path / "chart.pdf").read_bytes().startswith(b"%PDF")
    body = (tmp_path / "chart.svg").read_text()
    assert "Source: Freedom of Information requests to" in body and "sent 8 Jan 2024" in body
    assert "\u22125" in body  # Dorset's -5 with a real minus sign
    assert "1,000" in body  # thousands separators on the axis
    assert "--" not in re.sub(r"<!--.*?-->", "", body, flags=re.S).replace("stroke-dasharray", "")
    trend = tmp_path / "trend.svg"
    assert run("chart", "trend", tidy_csv, *campaign, "-o", trend).returncode == 0
    assert "--force" not in trend.read_text()


def test_xlsx_keeps_formula_like_text_exact_and_formats_percent(tmp_path: Path, tidy_csv: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    assert run("export", tidy_csv, "--year-start", "jun", "-o", out).returncode == 0
    ws = openpyxl.load_workbook(out)["Data"]
    pct = [c for c in ws[2] if c.number_format and "%" in c.number_format][0]
    assert "#,##0" in pct.number_format


def test_plain_words_for_readers() -> None:
    from foistats.publish.sentence import _twice, plain

    assert _twice("10 → 20 (+100%, 2 times as many)") == "10 → 20 (+100%, twice as many)"
    assert _twice("(+200%, 3 times as many)") == "(+200%, three times as many)"
    assert _twice("(+2,700%, 28 times as many)") == "(+2,700%, 28 times as many)"
    assert plain("base below --min-base 10 (6 → 41)") == (
        "fewer than 10 in the first year, too few for a percentage to mean much"
    )
    assert "--" not in plain("misaligned periods (Apr 2020–Mar 2021; Apr 2022–Mar 2023)")
