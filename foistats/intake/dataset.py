"""Get a tidy frame from whatever the user pointed at: a tidy dataset, or raw returns.

Every data-taking command (periods, rise, rank, check --data, explain, status, export)
goes through `load()`, so a tidy CSV written by `foistats import` and the folder of
spreadsheets it came from give the same answers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.model.errors import InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from foistats.intake.report import ImportOptions, ImportResult


@dataclass
class Loaded:
    """A tidy frame plus the import report when raw returns were read on the fly."""

    frame: "pl.DataFrame"
    imported: "ImportResult | None" = None
    sources: list[Path] = field(default_factory=list)
    failures_reported: bool = False  # set by the CLI once it has told the user

    @property
    def failures(self) -> list[Any]:
        return [] if self.imported is None else self.imported.failures


def is_tidy_file(path: Path) -> bool:
    """A .parquet file, or a CSV whose header holds the tidy columns."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return True
    if suffix not in (".csv", ".tsv", ".txt"):
        return False
    from foistats.model.schema import is_tidy_header

    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError:
        return False
    return is_tidy_header(next(csv.reader([first]), []))


def read_tidy(path: Path) -> "pl.DataFrame":
    """Read a tidy dataset written by `foistats import` (CSV or Parquet)."""
    import polars as pl

    from foistats.model.schema import conform

    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
        else:
            frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    except Exception as exc:  # polars raises many types; all mean "cannot read"
        raise InputError(f"cannot read tidy dataset: {exc}", path=path) from None
    try:
        return conform(frame)
    except KeyError as exc:
        raise InputError(f"not a tidy dataset: column {exc.args[0]!r} is missing", path=path) from None


def load(paths: list[Path], options: "ImportOptions | None" = None) -> Loaded:
    """Load tidy files as they are and import everything else on the fly."""
    import polars as pl

    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    from foistats.intake.partitioned import partitioned_frames  # issue 19: `import -o DIR/` folders

    parted, others = partitioned_frames(paths)
    if parted:
        rest = load(others, options) if others else None
        frame = pl.concat([*parted, *([rest.frame] if rest else [])], how="vertical")
        return Loaded(frame=frame, imported=rest.imported if rest else None, sources=list(paths))

    if not paths:
        raise UsageError("no input given", hint="pass spreadsheets, a folder, or a tidy dataset")
    for p in paths:
        if not p.exists():
            raise InputError("no such file or folder", path=p)
    tidy_files = [p for p in paths if p.is_file() and is_tidy_file(p)]
    raw = [p for p in paths if p not in tidy_files]
    frames = [read_tidy(p) for p in tidy_files]
    imported = None
    if raw:
        imported = import_paths(raw, options or ImportOptions())
        frames.append(imported.frame)
    frame = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    return Loaded(frame=frame, imported=imported, sources=list(paths))


def measures(frame: "pl.DataFrame") -> list[str]:
    return sorted(m for m in frame.get_column("measure").unique().to_list() if m is not None)


def select_measure(frame: "pl.DataFrame", measure: str | None) -> "tuple[pl.DataFrame, str]":
    """Keep one measure. Several measures and no choice is a usage error that lists them."""
    import polars as pl

    names = measures(frame)
    if not names:
        raise InputError("the data holds no measures at all")
    if measure is None:
        if len(names) == 1:
            return frame, names[0]
        listed = "; ".join(repr(n) for n in names[:12]) + (" …" if len(names) > 12 else "")
        raise UsageError(f"the data holds {len(names)} measures: {listed}", hint="choose one with --measure")
    wanted = measure.strip().lower()
    exact = [n for n in names if n.lower() == wanted]
    if not exact:
        exact = [n for n in names if wanted in n.lower()]
    if len(exact) == 1:
        return frame.filter(pl.col("measure") == exact[0]), exact[0]
    if not exact:
        raise UsageError(f"no measure matches {measure!r}", hint="measures: " + "; ".join(names[:12]))
    raise UsageError(f"--measure {measure!r} matches several measures: " + "; ".join(exact[:12]))
