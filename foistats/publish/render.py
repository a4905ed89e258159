"""The one rendering layer: every command hands a `Result` here and nowhere else prints data.

Formats: a Rich table for people, CSV/JSON/Markdown for machines. Data goes to
stdout (or -o FILE, written atomically); captions, notes and warnings go to stderr
whenever stdout carries machine data, so a pipe only ever sees clean rows.
Rich is imported only when a table is actually drawn.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

from foistats.model.errors import UsageError

FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "table",
}
# Characters that make a spreadsheet treat a text cell as a formula (OWASP CSV injection).
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# Set per command run by the CLI's --tsv/--delimiter (see cli/app.py): the CSV field separator.
OUTPUT_OPTIONS: dict[str, Any] = {"delimiter": None}


def delimiter(fmt: str) -> str:
    if fmt == "tsv":
        return "\t"
    return OUTPUT_OPTIONS.get("delimiter") or ","


def sanitise(text: str) -> str:
    """Text safe to show in a terminal: ESC, OSC, bidi overrides and other control characters escaped.

    A spreadsheet cell (or a file name) holding "\x1b]8;;..." would otherwise run as a
    terminal command, hide text or fake a link. Newlines stay for multi-line notes.
    """
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        if ch == "\n" or (ch.isprintable() or ch == " "):
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Column:
    """How one field is named and shown. `kind` picks the human formatting in tables only."""

    key: str
    header: str | None = None
    kind: str = "text"  # text | int | num | pct | signed | ratio | date
    table: bool = True  # shown in the terminal table
    machine: bool = True  # carried by CSV/JSON (False: words for people only, e.g. "1–4", "47 (Apr–Mar year)")
    justify: str | None = None
    max_width: int | None = None  # truncate with an ellipsis in tables (long titles in a grid)
    min_width: int | None = None

    @property
    def title(self) -> str:
        return self.header or self.key


@dataclass
class Result:
    """What a command produced: rows plus the words that must travel with them."""

    columns: list[Column]
    rows: list[dict[str, Any]]
    title: str | None = None
    caption: str | None = None
    notes: list[str] = field(default_factory=list)
    sentence: str | None = None
    highlight: Callable[[dict[str, Any]], bool] | None = None
    bar: str | None = None  # key of a numeric column to draw as a bar in tables


def resolve_format(fmt: str | None, output: Path | None, stream: TextIO | None = None) -> str:
    """Pick the output format: explicit flag, else the -o extension, else tty → table, pipe → csv."""
    if fmt:
        fmt = fmt.lower()
        fmt = {"md": "markdown", "jsonl": "ndjson", "jsonlines": "ndjson"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise UsageError(f"unknown --format {fmt!r}", hint="choose table, csv, tsv, json, ndjson or markdown")
        return fmt
    if OUTPUT_OPTIONS.get("delimiter") == "\t":
        return "tsv"
    if output is not None and str(output) != "-" and not _is_stream(output):
        ext = output.suffix.lower()
        if ext in _EXTENSIONS:
            return _EXTENSIONS[ext]
        raise UsageError(
            f"cannot tell the format of {output} from its extension",
            hint="use .csv, .tsv, .json, .ndjson or .md, or pass --format",
        )
    if output is not None:
        return "csv"  # -o -, /dev/stdout, a FIFO: a stream for a program
    stream = stream or sys.stdout
    try:
        return "table" if stream.isatty() else "csv"
    except (AttributeError, ValueError):
        return "csv"


def _is_stream(path: Path) -> bool:
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


# ---------------------------------------------------------------- machine values


def machine_value(value: Any, excel_safe: bool = False) -> Any:
    """A plain value for CSV/JSON: no separators, '.' decimals, whole floats as integers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(machine_value(v)) for v in value)
    if isinstance(value, str) and excel_safe and value.startswith(_FORMULA_LEADS):
        return "'" + value
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(result: Result, stream: TextIO, excel_safe: bool = False, sep: str = ",") -> None:
    writer = csv.writer(stream, lineterminator="\n", delimiter=sep)
    cols = [c for c in result.columns if c.machine]
    writer.writerow([c.key for c in cols])
    for row in result.rows:
        writer.writerow([_csv_text(machine_value(row.get(c.key), excel_safe)) for c in cols])


def write_json(result: Result, stream: TextIO) -> None:
    cols = [c for c in result.columns if c.machine]
    rows = [{c.key: machine_value(row.get(c.key)) for c in cols} for row in result.rows]
    json.dump(rows, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def write_ndjson(result: Result, stream: TextIO) -> None:
    """One JSON object per line (NDJSON / JSON Lines): for jq, streaming and log tools."""
    cols = [c for c in result.columns if c.machine]
    for row in result.rows:
        stream.write(json.dumps({c.key: machine_value(row.get(c.key)) for c in cols}, ensure_ascii=False))
        stream.write("\n")


# ---------------------------------------------------------------- human values


def human_value(value: Any, kind: str) -> str:
    """Format for people: thousands separators, signed percentages, "5.43×".

    Every figure with decimal places is rounded half up from its exact decimal value
    (`round_half_up`, 12.25 → 12.3, -0.25 → -0.3), as the export, the chart and the
    sentences round it. Python's float formatting rounds the binary float half to even
    instead, so the table once said +12.2% where the Datawrapper CSV said 12.3. A figure
    that rounds to zero carries no sign: "-0.0%" would read as a fall that is not there.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, Decimal) and not value.is_finite():
        return "–"
    if isinstance(value, (int, float, Fraction, Decimal)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isinf(value):
            return "–"
        whole = value == int(value)
        if kind == "int" or (kind in ("num", "text") and whole):
            return f"{int(value):,}"
        if kind == "num":
            return _fixed(value, 2).rstrip("0").rstrip(".")
        if kind == "pct":
            return _fixed(value, 1, signed=True) + "%"
        if kind == "signed":
            return f"{int(value):+,}" if whole else _fixed(value, 2, signed=True)
        if kind == "ratio":
            return _fixed(value, 2) + "×"
        return f"{float(value) if isinstance(value, Fraction) else value:,}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return sanitise(", ".join(str(v) for v in value))
    return sanitise(str(value))


def _fixed(value: "int | float | Fraction | Decimal", places: int, *, signed: bool = False) -> str:
    """`value` to `places` decimals, rounded half up (away from zero) from its exact value.

    A float is read as the decimal it prints as (12.25, not 12.2499999…), and rounded by
    the same `round_half_up` as the export and the sentences, so a table, a Markdown file
    and the export never disagree about the last digit.
    """
    from foistats.analysis.change import exact, round_half_up

    f = exact(value if not isinstance(value, Decimal) else Fraction(value))
    if f is None:
        return "–"
    rounded = round_half_up(f, places)
    if rounded == 0:
        signed = False  # no "-0.0" and no "+0.0": zero is neither a rise nor a fall
    sign = "-" if rounded < 0 else ("+" if signed else "")
    return sign + f"{abs(rounded):,.{places}f}"


def write_markdown(result: Result, stream: TextIO) -> None:
    cols = [c for c in result.columns if c.table]
    if result.title:
        stream.write(f"**{sanitise(result.title)}**\n\n")
    stream.write("| " + " | ".join(sanitise(c.title) for c in cols) + " |\n")
    stream.write(
        "|" + "|".join("---:" if c.kind in ("int", "num", "pct", "signed", "ratio") else "---" for c in cols) + "|\n"
    )
    for row in result.rows:
        cells = [human_value(row.get(c.key), c.kind).replace("|", "\\|") for c in cols]
        stream.write("| " + " | ".join(cells) + " |\n")
    for line in _trailer(result):
        stream.write(f"\n{sanitise(line)}\n")


def _trailer(result: Result) -> list[str]:
    lines = []
    if result.caption:
        lines.append(result.caption)
    lines.extend(result.notes)
    if result.sentence:
        lines.append(result.sentence)
    return lines


def _bar(value: Any, scale: float, width: int = 18) -> str:
    if value is None or not isinstance(value, (int, float)) or scale <= 0 or math.isnan(value):
        return ""
    n = max(0.0, min(1.0, abs(value) / scale)) * width
    full = int(n)
    part = "▏▎▍▌▋▊▉"[int((n - full) * 7) - 1] if (n - full) * 7 >= 1 else ""
    return ("█" * full + part) if value >= 0 else ("░" * max(full, 1))


_NUMERIC = ("int", "num", "pct", "signed", "ratio")


def _build_table(result: Result, cols: list[Column], bar: bool, ascii_box: bool, words: bool = True) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=sanitise(result.title) if result.title and words else None,
        box=box.ASCII2 if ascii_box else box.SIMPLE_HEAD,
        caption=sanitise(result.caption) if result.caption and words else None,
        caption_justify="left",
    )
    for c in cols:
        numeric = c.kind in _NUMERIC
        justify = c.justify or ("right" if numeric else "left")
        if c.max_width:
            table.add_column(
                sanitise(c.title), justify=justify, overflow="ellipsis", no_wrap=True, max_width=c.max_width, min_width=c.min_width
            )
        elif numeric or c.justify == "right":
            # A number is never broken across lines: its column is as wide as its widest figure.
            table.add_column(sanitise(c.title), justify=justify, no_wrap=True, min_width=c.min_width)
        else:
            table.add_column(sanitise(c.title), justify=justify, overflow="fold", min_width=c.min_width)
    scale = 0.0
    if bar and result.bar:
        table.add_column("", no_wrap=True, overflow="crop")
        values = [r.get(result.bar) for r in result.rows]
        nums = [abs(v) for v in values if isinstance(v, (int, float)) and not math.isnan(v)]
        scale = max(nums) if nums else 0.0
    for row in result.rows:
        cells = [human_value(row.get(c.key), c.kind) for c in cols]
        if bar and result.bar:
            cells.append(_bar(row.get(result.bar), scale))
        style = "bold yellow" if result.highlight and result.highlight(row) else None
        table.add_row(*cells, style=style)
    return table


_BAR_WIDTH = 18


def _widths(result: Result, cols: list[Column]) -> tuple[dict[str, int], dict[str, int]]:
    """Each column's natural width and the least it can take: a number its full width,
    text its longest word (names wrap), a capped column its cap."""
    from rich.cells import cell_len

    natural: dict[str, int] = {}
    least: dict[str, int] = {}
    for c in cols:
        texts = [human_value(row.get(c.key), c.kind) for row in result.rows]
        title = sanitise(c.title)
        nat = max([cell_len(title)] + [cell_len(t) for t in texts])
        if c.max_width:
            nat = min(nat, c.max_width)
            low = nat
        elif c.kind in _NUMERIC or c.justify == "right":
            low = nat
        else:
            words = [w for t in texts + [title] for w in t.split()]
            low = min(nat, max([cell_len(w) for w in words] or [1]), 16)
        natural[c.key] = max(nat, c.min_width or 0)
        least[c.key] = max(low, c.min_width or 0)
    return natural, least


def fit_table(result: Result, console: Any) -> tuple[Any, list[str]]:
    """A table that fits the console, and the titles of any columns left out.

    Numbers never wrap. At narrow widths the bar goes first, then empty columns, then
    names wrap; only if the figures still cannot fit are the last columns left out
    (and said so), never cut.
    """
    cols = [c for c in result.columns if c.table]
    ascii_box = os.environ.get("TERM") == "dumb" or not (getattr(console, "encoding", "utf-8") or "").lower().startswith("utf")
    width = console.width
    natural, least = _widths(result, cols)

    def need(chosen: list[Column], bar: bool, table: dict[str, int]) -> int:
        n = len(chosen) + (1 if bar else 0)
        return sum(table[c.key] for c in chosen) + (_BAR_WIDTH if bar else 0) + 3 * n + 1

    bar = bool(result.bar)
    if need(cols, bar, natural) <= width:
        return _build_table(result, cols, bar, ascii_box), []
    if bar and need(cols, False, natural) <= width:
        return _build_table(result, cols, False, ascii_box), []
    shown = [c for c in cols if c.key == "force" or any(row.get(c.key) not in (None, "", [], ()) for row in result.rows)]
    dropped: list[str] = []
    while need(shown, False, least) > width and len(shown) > 2:
        # Leave out the last column that is not the force's name.
        victim = next(c for c in reversed(shown) if c.key != "force")
        shown.remove(victim)
        dropped.append(victim.title)
    return _build_table(result, shown, False, ascii_box), list(reversed(dropped))


def write_table(result: Result, console: Any) -> None:
    table, dropped = fit_table(result, console)
    console.print(table)
    if dropped:
        console.print(
            f"(not shown at this width: {', '.join(dropped)}; widen the window or use --format csv)",
            highlight=False, markup=False, style="dim",
        )
    for line in result.notes:
        console.print(sanitise(line), highlight=False, markup=False)
    if result.sentence:
        console.print()
        console.print(sanitise(result.sentence), style="bold", highlight=False, markup=False)


# ---------------------------------------------------------------- entry point


def emit(
    result: Result,
    fmt: str | None = None,
    output: Path | None = None,
    *,
    excel_safe: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> str:
    """Render `result`; returns the format used. Machine formats keep words on stderr."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    chosen = resolve_format(fmt, output, out)
    if output is not None and str(output) != "-":
        buffer = io.StringIO()
        _render(result, chosen, buffer, err, excel_safe, to_file=True)
        from foistats.publish.files import atomic_write_text

        atomic_write_text(output, buffer.getvalue())
        if chosen in MACHINE:
            _words_to_stderr(result, err)
        return chosen
    try:
        _render(result, chosen, out, err, excel_safe, to_file=output is not None)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        from foistats.publish.files import OutputError, describe_os_error

        raise OutputError(f"cannot write to stdout: {describe_os_error(exc)}") from None
    if chosen in MACHINE:
        _words_to_stderr(result, err)
    return chosen


MACHINE = ("csv", "tsv", "json", "ndjson")


def _words_to_stderr(result: Result, err: TextIO) -> None:
    """Caption, notes and sentence travel beside machine data, on stderr, never in it."""
    for line in _trailer(result):
        err.write(sanitise(line) + "\n")
    err.flush()


def _render(result: Result, fmt: str, stream: TextIO, err: TextIO, excel_safe: bool, to_file: bool) -> None:
    if fmt in ("csv", "tsv"):
        write_csv(result, stream, excel_safe, delimiter(fmt))
    elif fmt == "json":
        write_json(result, stream)
    elif fmt == "ndjson":
        write_ndjson(result, stream)
    elif fmt == "markdown":
        write_markdown(result, stream)
    else:
        write_table(result, make_console(stream, plain=to_file))


def make_console(stream: TextIO | None = None, *, plain: bool = False, stderr: bool = False) -> Any:
    """A Rich console that honours NO_COLOR and gives wide tables room in pipes and tests."""
    from rich.console import Console

    kwargs: dict[str, Any] = {"highlight": False}
    if plain:
        kwargs.update(no_color=True, force_terminal=False, width=160)
    elif os.environ.get("COLUMNS") is None:
        try:
            tty = (stream or (sys.stderr if stderr else sys.stdout)).isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            kwargs["width"] = 160
    if stream is not None:
        kwargs["file"] = stream
    elif stderr:
        kwargs["stderr"] = True
    return Console(**kwargs)


def warn(message: str, stream: TextIO | None = None) -> None:
    """Messages for people always go to stderr, never into piped data."""
    (stream or sys.stderr).write(f"foistats: {sanitise(message)}\n")


def columns_from_keys(keys: Iterable[str]) -> list[Column]:
    return [Column(k) for k in keys]
