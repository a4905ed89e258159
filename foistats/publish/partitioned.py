"""Write the tidy dataset as a hive-partitioned Parquet folder with a Frictionless descriptor.

`foistats import … -o DIR/` (a path ending in `/`, or a folder that exists) writes

    DIR/datapackage.json
    DIR/force=Avon%20and%20Somerset/year=2020/00000000.parquet
    …

partitioned by force and by the calendar year of `period_start` (rows without a start date
go under `year=__HIVE_DEFAULT_PARTITION__`, the hive convention for null), so that DuckDB
(`read_parquet('DIR/**/*.parquet', hive_partitioning = true)`), Spark or BigQuery read the
same data when a newsroom outgrows one machine, and `rank`/`periods`/`rise` read the folder
lazily (`foistats.intake.partitioned`). Key values are percent-encoded in folder names.

The partition keys live in the folder names only (the hive convention): `force` is a tidy
column recovered from them, `year` is not a tidy column and readers drop it.
`datapackage.json` (Frictionless Data Package v1) describes the logical table: every tidy
column with its type and meaning (from `foistats.model.schema`), the statuses, area kinds and
evidence sources as enums, the provenance columns, and the partitioning.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

PARTITION_KEYS = ("force", "year")
DESCRIPTOR = "datapackage.json"
PROFILE = "foistats-tidy-partitioned"  # marks a folder as ours (readers look for it)

_DESCRIPTIONS = {
    "force": "Area the number is about: a police force's canonical name, or another area (see area_kind).",
    "force_code": "The force's code, when known.",
    "area_kind": "What the area is; only 'force' rows are ever ranked.",
    "measure": "What is counted or measured.",
    "period_start": "First day of the period the number covers.",
    "period_end": "Last day of the period the number covers.",
    "period_label": "The period as the return wrote it.",
    "value": "The number; null when the status says why there is none.",
    "status": "Whether the value is a real published number, and if not why not.",
    "value_low": "Lower bound of a banded or suppressed value (e.g. 1 for '<5').",
    "value_high": "Upper bound of a banded or suppressed value (e.g. 4 for '<5').",
    "source_file": "Provenance: the file the number was read from.",
    "source_sheet": "Provenance: the sheet (or page/table) within the file.",
    "source_cell": "Provenance: the cell (or row/column) within the sheet.",
    "note": "A footnote or remark attached to the number.",
    "force_source": "Evidence: where the force came from.",
    "period_source": "Evidence: where the period came from.",
    "measure_source": "Evidence: where the measure came from.",
    "guess": "Why the attribution is only a guess; null when it is not one.",
    "is_total": "A printed total: never added again to its own parts.",
    "unit": "Unit of the value when stated ('count', '%', '£m' …).",
}
PROVENANCE = ("source_file", "source_sheet", "source_cell")


def named_as_folder(output: Path, argv: list[str] | None = None) -> bool:
    """`-o DIR/` or an existing folder. pathlib drops a trailing slash, so the slash is looked
    for in the command line as typed (`-o DIR/`, `--output DIR/`, `--output=DIR/`, `-oDIR/`)."""
    if output.is_dir():
        return True
    argv = sys.argv[1:] if argv is None else argv
    seps = ("/", os.sep)
    for i, arg in enumerate(argv):
        candidates = []
        if arg in ("-o", "--output") and i + 1 < len(argv):
            candidates.append(argv[i + 1])
        elif arg.startswith("--output="):
            candidates.append(arg.split("=", 1)[1])
        elif arg.startswith("-o") and not arg.startswith("--") and len(arg) > 2:
            candidates.append(arg[2:].lstrip("="))
        for value in candidates:
            if value.endswith(seps) and Path(value) == output:
                return True
    return False


def _field_type(dtype: Any) -> str:
    import polars as pl

    if dtype == pl.Date:
        return "date"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_numeric():
        return "number"
    return "string"


def descriptor(parts: list[str], rows: int) -> dict[str, Any]:
    """The Frictionless Data Package descriptor for a partitioned tidy dataset."""
    from foistats import __version__
    from foistats.model import schema

    enums = {"status": list(schema.STATUSES), "area_kind": list(schema.AREA_KINDS)}
    for name in ("force_source", "period_source", "measure_source"):
        enums[name] = list(schema.SOURCES)
    fields = []
    for name, dtype in schema.polars_schema().items():
        field: dict[str, Any] = {"name": name, "type": _field_type(dtype), "description": _DESCRIPTIONS.get(name, "")}
        if field["type"] == "date":
            field["format"] = "%Y-%m-%d"
        constraints: dict[str, Any] = {}
        if name in ("force", "measure", "status", "area_kind", "source_file"):
            constraints["required"] = True
        if name in enums:
            constraints["enum"] = enums[name]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "profile": "data-package",
        "name": "foistats-tidy",
        "title": "Tidy dataset written by foistats import",
        "created_by": f"foistats {__version__}",
        "foistats": {
            "profile": PROFILE,
            "rows": rows,
            "statuses": list(schema.STATUSES),
            "numeric_statuses": sorted(schema.NUMERIC_STATUSES),
            "provenance_columns": list(PROVENANCE),
            "evidence_columns": ["force_source", "period_source", "measure_source", "guess"],
        },
        "resources": [
            {
                "name": "tidy",
                "profile": "data-resource",
                "path": parts,
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "encoding": "binary",
                "schema": {"fields": fields, "missingValues": [""]},
                "partitioning": {
                    "style": "hive",
                    "keys": [
                        {"name": "force", "type": "string", "from": "the force column (in folder names only)"},
                        {"name": "year", "type": "integer", "from": "calendar year of period_start; not a tidy column"},
                    ],
                    "null": "__HIVE_DEFAULT_PARTITION__",
                    "encoding": "percent-encoded key values",
                },
            }
        ],
    }


def _is_ours(entry: Path) -> bool:
    return entry.name == DESCRIPTOR or (entry.is_dir() and entry.name.startswith("force="))


def write_partitioned(frame: "pl.DataFrame", folder: Path) -> list[Path]:
    """Write `frame` under `folder` as hive partitions plus datapackage.json; return the parts.

    A dataset already in the folder is replaced (only its own `force=*` folders and
    descriptor; other files are left alone). Parts are written to a hidden staging folder
    first, and the descriptor last, so a reader never sees a half-written dataset described.
    """
    import polars as pl

    from foistats.model.errors import InputError
    from foistats.model.schema import COLUMNS

    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".foistats-partial-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    frame = frame.select([c for c in COLUMNS if c in frame.columns])
    keyed = frame.with_columns(pl.col("period_start").dt.year().alias("year"))
    try:
        if keyed.height:
            keyed.write_parquet(staging, partition_by=list(PARTITION_KEYS))
        else:
            staging.mkdir()
        for entry in list(folder.iterdir()):
            if _is_ours(entry):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for entry in staging.iterdir():
            entry.replace(folder / entry.name)
    except OSError as exc:
        raise InputError(f"cannot write the partitioned dataset: {exc}", path=folder) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    parts = sorted(p for p in folder.glob("force=*/*/*.parquet"))
    rel = [p.relative_to(folder).as_posix() for p in parts]
    text = json.dumps(descriptor(rel, frame.height), indent=2, ensure_ascii=False) + "\n"
    tmp = folder / (DESCRIPTOR + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(folder / DESCRIPTOR)
    return parts
