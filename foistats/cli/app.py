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
from foistats.model.errors import EXIT_USAGE, FoistatsError, UsageError

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
  foistats export examples/sextortion -o out.xlsx             # for editors

Output: a table in a terminal; CSV when piped (or --format csv|tsv|json|ndjson|markdown,
-o FILE, -o - for stdout). Progress, notes and warnings go to stderr only.
A tidy dataset can be piped in: foistats import returns | foistats rank -

Exit codes: 0 success · 1 a check failed (an inconsistent claim, or --strict saw
warnings) · 2 usage error · 3 an input could not be read (or an output written).
"""

from typer.core import TyperCommand, TyperGroup  # noqa: E402  (already loaded by typer)

from foistats.cli import coercion  # noqa: E402

coercion.install()  # plain option values coerced without importing pydantic (issue 19)

# Options people reach for from other tools, and the one foistats spells differently.
_SPELLINGS = {
    "--sort": "--by",
    "--sort-by": "--by",
    "--order-by": "--by",
    "--rank-by": "--by",
    "--out": "--output",
    "--fmt": "--format",
    "--output-format": "--format",
    "--sep": "--delimiter",
    "--separator": "--delimiter",
    "--year": "--year-start",
    "--start": "--from",
    "--end": "--to",
}
# Metavars for help: words, never Python types such as <list[Path]>.
_METAVARS = {
    "output": "FILE",
    "fmt": "FORMAT",
    "target": "FORMAT",
    "year_start": "MONTH",
    "measure": "NAME",
    "force": "FORCE",
    "campaign": "FILE",
    "from_": "YEAR",
    "to": "YEAR",
    "until": "YEAR",
    "by": "pct|change|to|rate",
    "min_base": "N",
    "top": "N",
    "population": "FILE",
    "recipe": "FILE",
    "report": "FILE",
    "period": "PERIOD",
    "sheet": "SHEET",
    "as_of": "DATE",
    "sent": "DATE",
    "delimiter": "CHAR",
    "data": "FILE",
    "file": "FILE",
}


class OneLineUsageError(Exception):
    """Carries a usage error out of Click's parser to be shown in the house style."""


def _usage_line(exc: Any, command_path: str) -> str:
    """`foistats: error: no such option --sort (did you mean --by?)`: one line, the right suggestion."""
    import difflib

    name = getattr(exc, "option_name", None)
    if name:
        possible = [p for p in (getattr(exc, "possibilities", None) or [])]
        wanted = _SPELLINGS.get(name.split("=")[0])
        if wanted is None and possible:
            close = difflib.get_close_matches(name, possible, n=1, cutoff=0.6)
            wanted = close[0] if close else None
        text = f"no such option {name}"
        return text + (f" (did you mean {wanted}?)" if wanted else f" (see {command_path} -h)")
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = message.replace("\n", " ").strip()
    if message and message[0].isupper() and not message[:2].isupper():
        message = message[0].lower() + message[1:]
    return f"{message.rstrip('.')} (see {command_path} -h)"


def _show_usage_error(exc: Any) -> None:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "foistats"
    sys.stderr.write(f"foistats: error: {_usage_line(exc, path)}\n")


def _one_line_usage(exc: Any) -> Any:
    """The same exception, shown as one line instead of Click's usage block."""
    exc.show = lambda file=None: _show_usage_error(exc)  # type: ignore[method-assign]
    return exc


class Command(TyperCommand):
    """Typer's command with plain metavars, value completion and one-line usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from foistats.cli import completion

        for p in self.params:
            if p.param_type_name == "argument":
                if p.metavar is None:
                    p.metavar = (p.name or "").upper()
                p.display_type_rich = lambda ctx: None  # type: ignore[method-assign]  (no <list[Path]>)
            elif p.param_type_name == "option" and not getattr(p, "is_flag", False) and p.metavar is None:
                if p.name in _METAVARS:
                    p.metavar = _METAVARS[p.name]
                elif p.name not in ("help",):
                    p.metavar = (p.name or "VALUE").upper().strip("_")
            completer = completion.for_param(self.name or "", p.name or "")
            if completer is not None:
                p._custom_shell_complete = completer  # type: ignore[attr-defined]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from typer._click.exceptions import UsageError as ClickUsageError

        try:
            return super().parse_args(ctx, args)
        except ClickUsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise _one_line_usage(exc) from None


class Group(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from typer._click.exceptions import UsageError as ClickUsageError

        try:
            return super().parse_args(ctx, args)
        except ClickUsageError as exc:
            raise _one_line_usage(exc) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError as ClickUsageError

        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as exc:
            raise _one_line_usage(exc) from None


app = typer.Typer(
    name="foistats",
    help=None,
    cls=Group,
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so the same clean-up as Ctrl-C runs."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def guarded(fn: Callable[..., Any], name: str = "") -> Callable[..., Any]:
    """Turn the project's own errors into one line on stderr and the documented exit code.

    Also the one place every command's inputs and output are settled before it runs:
    PATHS default alike (stdin when a tidy dataset is piped in, else the campaign
    folder), and `-o` naming an input is refused before anything is read or written.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            from foistats.intake import dataset

            dataset._STDIN.clear()  # stdin is read once per command run
            if "paths" in kwargs:
                from foistats.cli.commands.inputs import default_paths

                kwargs["paths"] = default_paths(
                    kwargs["paths"], kwargs.get("campaign"), command=name, labels=bool(kwargs.get("label"))
                )
                output = kwargs.get("output") or kwargs.get("report")
                if output is not None:
                    from foistats.publish.files import refuse_overwriting_inputs

                    for out in (kwargs.get("output"), kwargs.get("report")):
                        refuse_overwriting_inputs(out, kwargs["paths"])
            if takes_csv:
                _set_delimiter(kwargs.pop("delimiter", None), kwargs.pop("tsv", False))
            else:
                _set_delimiter(None, False)
            return fn(*args, **kwargs)
        except FoistatsError as exc:
            if _state["debug"]:
                raise
            from foistats.publish.render import sanitise

            typer.echo(f"foistats: error: {sanitise(str(exc))}", err=True)  # a file name may hold ESC
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            raise
        except OSError as exc:
            if _state["debug"]:
                raise
            from foistats.publish.render import sanitise

            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(sanitise(f"foistats: error: {where}{(exc.strerror or str(exc)).rstrip('.')}"), err=True)
            raise typer.Exit(3) from None
        except Terminated:
            _restore_terminal()
            typer.echo("foistats: terminated", err=True)
            raise typer.Exit(143) from None
        except KeyboardInterrupt:
            _restore_terminal()
            typer.echo("foistats: interrupted", err=True)
            raise typer.Exit(130) from None

    import inspect

    sig = inspect.signature(fn, eval_str=True)
    takes_csv = "output" in sig.parameters and name not in ("init", "inspect", "check")
    if takes_csv:
        from foistats.cli import options as opt

        extra = [
            inspect.Parameter("delimiter", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=opt.Delimiter),
            inspect.Parameter("tsv", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=opt.Tsv),
        ]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind == p.POSITIONAL_OR_KEYWORD else p
                  for p in sig.parameters.values()]
        wrapper.__signature__ = sig.replace(parameters=params + extra)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {**{k: v.annotation for k, v in sig.parameters.items()},
                                   "delimiter": opt.Delimiter, "tsv": opt.Tsv}
    return wrapper


def _restore_terminal() -> None:
    """An interrupted progress bar leaves the cursor hidden: show it again, on a fresh line."""
    try:
        if sys.stderr.isatty():
            sys.stderr.write("\r\x1b[2K\x1b[?25h")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _set_delimiter(value: str | None, tsv: bool) -> None:
    """--delimiter / --tsv: the separator of this run's CSV output (the renderer reads it)."""
    from foistats.publish import render

    render.OUTPUT_OPTIONS["delimiter"] = None
    if tsv:
        render.OUTPUT_OPTIONS["delimiter"] = "\t"
        return
    if value is None:
        return
    text = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(value.lower(), value)
    if len(text) != 1 or text in ('"', "\n", "\r"):
        raise UsageError(f"--delimiter {value!r} must be one character", hint="e.g. ';' or tab")
    render.OUTPUT_OPTIONS["delimiter"] = text


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
    text = text.replace("\\[", "[")  # Rich markup escapes mean nothing to Click's plain formatter
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
        app.command(
            name, cls=Command, help=plain_help(fn.__doc__), context_settings=getattr(fn, "context_settings", None)
        )(guarded(fn, name))


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
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        try:
            app()
        finally:
            _flush_stdout()
    except BrokenPipeError:
        # Python flushes stdout at exit; point it at devnull so that flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except FoistatsError as exc:  # raised outside a command (should not happen)
        typer.echo(f"foistats: error: {exc}", err=True)
        sys.exit(exc.exit_code or EXIT_USAGE)


def _flush_stdout() -> None:
    """Data still buffered for stdout: a full disk (`> /dev/full`) is one line and exit 3."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.stderr.write(f"foistats: error: cannot write to stdout: {(exc.strerror or str(exc)).rstrip('.')}\n")
        sys.exit(3)
