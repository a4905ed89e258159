"""Help pages rendered from the Typer app ahead of time, served without building the app.

Typer stays the source of truth: `render_pages()` builds the real app and asks it for every
`--help` page, exactly as a user would see it in a terminal at least 80 columns wide; the
pages are written into `foistats/cli/help_pages.py` (generated, never edited by hand), and
`tests/test_prerendered_help.py` fails when they differ from what Typer renders now.

After changing any command, option or help text, regenerate with one command:

    python -m foistats.cli.prerendered --write

Why: building the Typer app imports pydantic and builds a validator per parameter (about
2.8× a bare `import typer`), which `foistats rank --help` paid just to print a page of text.
`serve()` answers `--help`, `-h`, `COMMAND --help` and `--version` from the stored pages
and falls back to Typer whenever it could differ: a terminal narrower than the width the
pages were rendered at, a program name other than `foistats` (`python -m foistats`), shell
completion, or any other arguments.
"""

from __future__ import annotations

import os
import sys

WIDTH = 80  # Click wraps help at min(terminal columns, 80) - 2
PROG = "foistats"
HELP_FLAGS = ("--help", "-h")
VERSION_FLAGS = ("--version", "-V")
REGENERATE = "python -m foistats.cli.prerendered --write"


def _terminal_columns() -> int:
    """What Click's formatter will see (shutil.get_terminal_size, without importing shutil)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


def _program_name() -> str:
    """The name Click would print in `Usage:` (its own rule: `python -m pkg` when run as a module)."""
    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else PROG
    return "python -m ..."  # never served: Typer prints it


def page_key(args: list[str]) -> str | None:
    """The stored page an argument list asks for ("" is the top-level help), or None."""
    if len(args) == 1 and args[0] in HELP_FLAGS:
        return ""
    if len(args) == 2 and args[1] in HELP_FLAGS and not args[0].startswith("-"):
        return args[0]
    return None


def serve(args: list[str]) -> bool:
    """Print a prerendered page for these arguments and return True, or return False (use Typer)."""
    if not args or len(args) > 2 or any(k.endswith("_COMPLETE") for k in os.environ if k.startswith("_")):
        return False
    if len(args) == 1 and args[0] in VERSION_FLAGS:
        _quiet_pipe()
        from foistats import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        return True
    key = page_key(args)
    if key is None or _terminal_columns() < WIDTH or _program_name() != PROG:
        return False
    from foistats.cli.help_pages import PAGES

    page = PAGES.get(key)
    if page is None:  # a command added since the pages were written, or a typo: Typer says
        return False
    _quiet_pipe()
    sys.stdout.write(page)
    return True


def _quiet_pipe() -> None:
    """`foistats rank --help | head -3` ends quietly, as the Typer path does (app.main)."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


# --------------------------------------------------------------------------- generating


def render_pages() -> dict[str, str]:
    """Every help page exactly as the Typer app prints it now to a pipe or a terminal of at
    least WIDTH columns (Typer's CliRunner would force another width, so it is not used)."""
    import contextlib
    import io

    from foistats.cli.app import COMMANDS, app

    saved = {k: os.environ.get(k) for k in ("COLUMNS", "FOISTATS_DEBUG")}
    os.environ["COLUMNS"] = str(WIDTH)
    os.environ.pop("FOISTATS_DEBUG", None)
    pages: dict[str, str] = {}
    try:
        for key in ["", *(name for name, _ in COMMANDS)]:
            args = [key, "--help"] if key else ["--help"]
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = app(args, prog_name=PROG, standalone_mode=False)
            if code not in (0, None):
                raise RuntimeError(f"`{PROG} {' '.join(args)}` exited {code}")
            pages[key] = buf.getvalue()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return pages


def module_text(pages: dict[str, str]) -> str:
    lines = [
        '"""Help pages rendered from the Typer app: GENERATED, do not edit.',
        "",
        f"Regenerate after changing commands, options or help texts: `{REGENERATE}`",
        '"""',
        "",
        "PAGES: dict[str, str] = {",
    ]
    lines += [f"    {key!r}: {text!r}," for key, text in pages.items()]
    lines += ["}", ""]
    return "\n".join(lines)


def module_path() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "help_pages.py")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = module_text(render_pages())
    path = module_path()
    if argv[:1] == ["--write"]:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {path}")
        return 0
    if argv[:1] == ["--check"]:
        try:
            with open(path, encoding="utf-8") as fh:
                same = fh.read() == text
        except OSError:
            same = False
        print("prerendered help is up to date" if same else f"prerendered help is stale: run `{REGENERATE}`")
        return 0 if same else 1
    print(f"usage: {REGENERATE} | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
