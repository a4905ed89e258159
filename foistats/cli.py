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
from foistats.errors import EXIT_USAGE, FoistatsError

HELP = """Turn a pile of police FOI spreadsheets into one tidy, traceable dataset,
and check the rises and rankings a newsroom wants to publish.

[bold]Typical session[/bold] (with the shipped examples):

  foistats import examples/sextortion -o sextortion.csv    [dim]# tidy every return[/dim]
  foistats inspect "examples/sextortion/GMP FOI 2024-0412.xlsx"  [dim]# see how one file is read[/dim]
  foistats periods sextortion.csv --year-start jun         [dim]# align to June–May years[/dim]
  foistats rank sextortion.csv --year-start jun --force Leicestershire  [dim]# rank by % rise[/dim]
  foistats check "rose from 28 to 152, a rise of 443%"     [dim]# verify a quoted figure[/dim]

[bold]Running a campaign[/bold] (one request sent to every force):

  foistats init returns --sent 2024-01-08 --year-start jun [dim]# start a campaign file[/dim]
  foistats status examples/sextortion                      [dim]# who answered, who is overdue[/dim]
  foistats explain Leicestershire examples/sextortion      [dim]# every number behind a figure[/dim]
  foistats export examples/sextortion --to xlsx -o out.xlsx [dim]# a workbook for editors[/dim]

[bold]Output[/bold]: a table in a terminal; CSV when piped (or --format csv|json|markdown, -o FILE).

[bold]Exit codes[/bold]: 0 success · 1 a check failed (inconsistent claim, or --strict saw
warnings) · 2 usage error · 3 an input could not be read.
"""

app = typer.Typer(
    name="foistats",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
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
    ("import", "foistats.commands.importing:import_command"),
    ("inspect", "foistats.commands.inspecting:inspect_command"),
    ("periods", "foistats.commands.periods:periods_command"),
    ("rise", "foistats.commands.rise:rise_command"),
    ("rank", "foistats.commands.rank:rank_command"),
    ("check", "foistats.commands.check:check_command"),
    ("init", "foistats.commands.init:init_command"),
    ("status", "foistats.commands.status:status_command"),
    ("export", "foistats.commands.export:export_command"),
    ("chart", "foistats.commands.chart:chart_command"),
    ("explain", "foistats.commands.explain:explain_command"),
]


def _register() -> None:
    for name, target in COMMANDS:
        module_name, func_name = target.split(":")
        module = importlib.import_module(module_name)
        fn = getattr(module, func_name)
        app.command(name, help=fn.__doc__, context_settings=getattr(fn, "context_settings", None))(guarded(fn))


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
