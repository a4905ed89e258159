"""The `foistats` console script: a fast door for one-line checks, Typer for everything else.

A journalist runs `foistats check 28 152 443%` and expects the answer before their
finger leaves the key. Importing Typer and letting it build pydantic validators for
each parameter costs ~110 ms on its own, so the plain forms of `check` — claim words
plus `--format/-f`, `--output/-o` and `--text` — are parsed here and handed to the same function
the Typer command calls. Anything else (help, `--file`, `--data`, an unknown option)
goes through Typer, which owns usage errors and help text.
"""

from __future__ import annotations

import os
import sys

_FAST_OPTIONS = {"--format": "fmt", "-f": "fmt", "--output": "output", "-o": "output", "--text": "text"}


def _fast_check(args: list[str]) -> int | None:
    """Exit code of a plain `check`, or None when the arguments need the full CLI."""
    from pathlib import Path

    tokens: list[str] = []
    opts: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name in _FAST_OPTIONS:
            if not eq:
                if i + 1 >= len(args):
                    return None
                value = args[i + 1]
                i += 1
            opts[_FAST_OPTIONS[name]] = value
        elif arg == "--" or (arg.startswith("-") and not _looks_like_number(arg)):
            return None  # --help, --file, --data, typos: Typer's job
        else:
            tokens.append(arg)
        i += 1
    if not tokens and "text" not in opts:
        return None
    from foistats.cli.commands.check_run import run_check
    from foistats.model.errors import FoistatsError

    try:
        run_check(
            tokens, None, opts.get("fmt"), Path(opts["output"]) if "output" in opts else None,
            text=Path(opts["text"]) if "text" in opts else None,
        )
    except FoistatsError as exc:
        sys.stderr.write(f"foistats: error: {exc}\n")
        return exc.exit_code
    return 0


def _looks_like_number(arg: str) -> bool:
    """`-82%`, `-5.4x` and `-1pp` are claims, not options."""
    return len(arg) > 1 and (arg[1].isdigit() or arg[1] == ".")


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["check"] and not os.environ.get("FOISTATS_DEBUG"):
        import signal

        if hasattr(signal, "SIGPIPE"):
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        code = _fast_check(args[1:])
        if code is not None:
            sys.exit(code)
    # Help pages and --version from pages prerendered by Typer (issue 19): no app to build.
    from foistats.cli.prerendered import serve

    if serve(args):
        return
    from foistats.cli.app import main as full_main
    from foistats.intake.memory import arm_settling

    arm_settling()
    full_main()
