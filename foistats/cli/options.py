"""Options shared by several commands, defined once so every command spells them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Paths = Annotated[
    Optional[list[Path]],
    typer.Argument(
        help="Returns (spreadsheets, CSV; folders searched recursively) or a tidy dataset made by foistats import; "
        "- reads a tidy dataset from stdin. Default: a tidy dataset piped in, else the campaign folder.",
        show_default=False,
    ),
]
Format = Annotated[
    Optional[str],
    typer.Option(
        "--format",
        "-f",
        help="table, csv, tsv, json, ndjson or markdown. Default: table in a terminal, csv when piped.",
        show_default=False,
    ),
]
Output = Annotated[
    Optional[Path],
    typer.Option(
        "--output", "-o", help="Write to FILE instead of stdout (format from its extension; - is stdout).", show_default=False
    ),
]
Delimiter = Annotated[
    Optional[str],
    typer.Option("--delimiter", help="Field separator for CSV output, e.g. ';' or tab.", show_default=False),
]
Tsv = Annotated[bool, typer.Option("--tsv", help="Tab-separated output (same as --format tsv).")]
YearStart = Annotated[
    Optional[str],
    typer.Option(
        "--year-start",
        help="First month of the comparison year, e.g. jun (June–May years), apr (financial years), jan.",
        show_default=False,
    ),
]
Measure = Annotated[
    Optional[str],
    typer.Option("--measure", "-m", help="Which measure to use (case-insensitive) when the data holds several.", show_default=False),
]
Force = Annotated[
    Optional[str],
    typer.Option("--force", help="A force name, however spelt (e.g. Leicestershire, GMP, 'Devon & Cornwall').", show_default=False),
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Exit 1 if anything was skipped, guessed or warned about."),
]
ExcelSafe = Annotated[
    bool,
    typer.Option(
        "--excel-safe/--no-excel-safe",
        help="Prefix text cells starting with = + - @ with ' so spreadsheets do not run them as formulas.",
    ),
]
Campaign = Annotated[
    Optional[Path],
    typer.Option("--campaign", help="A foistats.toml campaign file (default: ./foistats.toml if present).", show_default=False),
]
Areas = Annotated[
    str,
    typer.Option(
        "--areas",
        help="Which areas to list: forces (default), regions, countries, national, other (other bodies and "
        "unregistered areas), or all; several with commas (forces,regions). Anything but forces is shown "
        "with its area_kind, and only forces are ever ranked.",
    ),
]
