"""The `foistats` command line: a thin layer that parses options, calls the library, renders.

Command functions live in `foistats.commands.*`, one module per command, and import
their heavy dependencies (polars, readers) inside the function body: `foistats check`
and `foistats --version` must start in about the time it takes to import Typer.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from typing import Any, Callable, Optional

import typer

from foistats import __version__
from foistats.model.errors import EXIT_USAGE, FoistatsError

HELP = """Turn a pile of police FOI spreadsheets into one tidy, traceable dataset,
and check the rises and rankings a newsroom wants to publish.

Typical session (with the shipped examples):

  foistats import examples/sextortion -o sextortion.csv       # tidy every return
  foistats inspect "examples/sextortion/GMP FOI 2024-0412.xlsx"  # how one file is read
  foistats periods sextortion.csv --year-start jun            # June–May years
  foistats rank sextortion.csv --year-start jun --force Leics # rank by % rise
  foistats check "rose from 28 to 152, a rise of 443%"        # verify a figure

Running a campaign (one request sent to every force):

  foistats init returns --sent 2024-01-08 --year-start jun    # a campaign file
  foistats status examples/sextortion                         # who is overdue
  foistats explain Leicestershire examples/sextortion         # numbers behind it
  foistats export examples/sextortion --to xlsx -o out.xlsx   # for editors

Output: a table in a terminal; CSV when piped (or --format csv|json|markdown,
-o FILE). Messages go to stderr.

Exit codes: 0 success · 1 a check failed (an inconsistent claim, or --strict saw
warnings) · 2 usage error · 3 an input could not be read.
"""

app = typer.Typer(
    name="foistats",
    help=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, bool] = {"debug": bool(os.environ.get("FOISTATS_DEBUG"))}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"foistats {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Optional[bool] = typer.Option(
        None, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback on errors."),
) -> None:
    _state["debug"] = debug or bool(os.environ.get("FOISTATS_DEBUG"))


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors into one line on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FoistatsError as exc:
            if _state["debug"]:
                raise
            typer.echo(f"foistats: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("foistats: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


# name -> "module:function". Modules are imported at start-up, so they must stay light.
COMMANDS: list[tuple[str, str]] = [
    ("import", "foistats.cli.commands.importing:import_command"),
    ("inspect", "foistats.cli.commands.inspecting:inspect_command"),
    ("periods", "foistats.cli.commands.periods:periods_command"),
    ("rise", "foistats.cli.commands.rise:rise_command"),
    ("rank", "foistats.cli.commands.rank:rank_command"),
    ("check", "foistats.cli.commands.check:check_command"),
    ("init", "foistats.cli.commands.init:init_command"),
    ("status", "foistats.cli.commands.status:status_command"),
    ("export", "foistats.cli.commands.export:export_command"),
    ("chart", "foistats.cli.commands.chart:chart_command"),
    ("explain", "foistats.cli.commands.explain:explain_command"),
]


def plain_help(doc: str | None) -> str | None:
    """Help for Click's plain formatter: indented example blocks kept as written.

    Rich-formatted help would cost ~90 ms of imports on every `--help`; Click's own
    formatter rewraps paragraphs unless they are marked with \\b, so example blocks
    (paragraphs whose lines are all indented) get that mark here, once, for every command.
    """
    if not doc:
        return doc
    import inspect
    import re

    text = re.sub(r"\[/?(?:bold|dim|italic)\]", "", inspect.cleandoc(doc))
    paragraphs = text.split("\n\n")
    out = []
    for para in paragraphs:
        lines = para.split("\n")
        if lines and all(line.startswith("  ") for line in lines if line.strip()):
            para = "\b\n" + para
        out.append(para)
    return "\n\n".join(out)


app.info.help = plain_help(HELP)


def _register() -> None:
    for name, target in COMMANDS:
        module_name, func_name = target.split(":")
        module = importlib.import_module(module_name)
        fn = getattr(module, func_name)
        app.command(name, help=plain_help(fn.__doc__), context_settings=getattr(fn, "context_settings", None))(
            guarded(fn)
        )


_register()


def main() -> None:
    """Console-script entry point: also makes `| head` end quietly instead of with a traceback.

    Like csvkit, restore the default SIGPIPE action: when the reader of a pipe goes away
    the process ends silently (status 141 under `set -o pipefail`), the Unix convention,
    rather than Click's exit 1, which scripts would read as "a check failed".
    """
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app()
    except BrokenPipeError:
        # Python flushes stdout at exit; point it at devnull so that flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except FoistatsError as exc:  # raised outside a command (should not happen)
        typer.echo(f"foistats: error: {exc}", err=True)
        sys.exit(exc.exit_code or EXIT_USAGE)
