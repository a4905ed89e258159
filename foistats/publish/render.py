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
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO

from foistats.model.errors import UsageError

FORMATS = ("table", "csv", "json", "markdown")
_EXTENSIONS = {
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "table",
}
# Characters that make a spreadsheet treat a text cell as a formula (OWASP CSV injection).
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    """How one field is named and shown. `kind` picks the human formatting in tables only."""

    key: str
    header: str | None = None
    kind: str = "text"  # text | int | num | pct | signed | ratio | date
    table: bool = True  # shown in the terminal table (machine formats always carry every column)
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
        if fmt == "md":
            fmt = "markdown"
        if fmt not in FORMATS:
            raise UsageError(f"unknown --format {fmt!r}", hint="choose table, csv, json or markdown")
        return fmt
    if output is not None:
        ext = output.suffix.lower()
        if ext in _EXTENSIONS:
            return _EXTENSIONS[ext]
        raise UsageError(
            f"cannot tell the format of {output} from its extension",
            hint="use .csv, .json or .md, or pass --format",
        )
    stream = stream or sys.stdout
    try:
        return "table" if stream.isatty() else "csv"
    except (AttributeError, ValueError):
        return "csv"


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


def write_csv(result: Result, stream: TextIO, excel_safe: bool = False) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([c.key for c in result.columns])
    for row in result.rows:
        writer.writerow([_csv_text(machine_value(row.get(c.key), excel_safe)) for c in result.columns])


def write_json(result: Result, stream: TextIO) -> None:
    rows = [{c.key: machine_value(row.get(c.key)) for c in result.columns} for row in result.rows]
    json.dump(rows, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


# ---------------------------------------------------------------- human values


def human_value(value: Any, kind: str) -> str:
    """Format for people: thousands separators, signed percentages, "5.43×"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "int" or (kind in ("num", "text") and float(value).is_integer()):
            return f"{int(value):,}"
        if kind == "num":
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        if kind == "pct":
            return f"{value:+,.1f}%"
        if kind == "signed":
            return f"{int(value):+,}" if float(value).is_integer() else f"{value:+,.2f}"
        if kind == "ratio":
            return f"{value:,.2f}×"
        return f"{value:,}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_markdown(result: Result, stream: TextIO) -> None:
    cols = [c for c in result.columns if c.table]
    if result.title:
        stream.write(f"**{result.title}**\n\n")
    stream.write("| " + " | ".join(c.title for c in cols) + " |\n")
    stream.write(
        "|" + "|".join("---:" if c.kind in ("int", "num", "pct", "signed", "ratio") else "---" for c in cols) + "|\n"
    )
    for row in result.rows:
        cells = [human_value(row.get(c.key), c.kind).replace("|", "\\|") for c in cols]
        stream.write("| " + " | ".join(cells) + " |\n")
    for line in _trailer(result):
        stream.write(f"\n{line}\n")


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


def write_table(result: Result, console: Any) -> None:
    from rich import box
    from rich.table import Table

    cols = [c for c in result.columns if c.table]
    table = Table(title=result.title, box=box.SIMPLE_HEAD, caption=result.caption, caption_justify="left")
    for c in cols:
        justify = c.justify or ("right" if c.kind in ("int", "num", "pct", "signed", "ratio") else "left")
        if c.max_width:
            table.add_column(
                c.title, justify=justify, overflow="ellipsis", no_wrap=True, max_width=c.max_width, min_width=c.min_width
            )
        else:
            table.add_column(c.title, justify=justify, overflow="fold", min_width=c.min_width)
    scale = 0.0
    if result.bar:
        table.add_column("", no_wrap=True)
        values = [r.get(result.bar) for r in result.rows]
        nums = [abs(v) for v in values if isinstance(v, (int, float)) and not math.isnan(v)]
        scale = max(nums) if nums else 0.0
    for row in result.rows:
        cells = [human_value(row.get(c.key), c.kind) for c in cols]
        if result.bar:
            cells.append(_bar(row.get(result.bar), scale))
        style = "bold yellow" if result.highlight and result.highlight(row) else None
        table.add_row(*cells, style=style)
    console.print(table)
    for line in result.notes:
        console.print(line, highlight=False, markup=False)
    if result.sentence:
        console.print()
        console.print(result.sentence, style="bold", highlight=False, markup=False)


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
    if output is not None:
        buffer = io.StringIO()
        _render(result, chosen, buffer, err, excel_safe, to_file=True)
        from foistats.publish.files import atomic_write_text

        atomic_write_text(output, buffer.getvalue())
        if chosen in ("csv", "json"):
            for line in _trailer(result):
                err.write(line + "\n")
        return chosen
    _render(result, chosen, out, err, excel_safe, to_file=False)
    if chosen in ("csv", "json"):
        for line in _trailer(result):
            err.write(line + "\n")
    out.flush()
    return chosen


def _render(result: Result, fmt: str, stream: TextIO, err: TextIO, excel_safe: bool, to_file: bool) -> None:
    if fmt == "csv":
        write_csv(result, stream, excel_safe)
    elif fmt == "json":
        write_json(result, stream)
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
    (stream or sys.stderr).write(f"foistats: {message}\n")


def columns_from_keys(keys: Iterable[str]) -> list[Column]:
    return [Column(k) for k in keys]
