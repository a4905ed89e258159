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

from foistats.intake.tidy_data import read_tidy  # noqa: F401  (re-exported: callers read tidy data from here)
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


STDIN = Path("-")


def stdin_is_data() -> bool:
    """True when stdin is a pipe or a redirected file: `foistats rank < data.csv`, `... | foistats rank`.

    A terminal, /dev/null (cron, CI) or a test runner's fake stream is not data.
    """
    import os
    import stat
    import sys

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


_STDIN: dict[str, bytes] = {}


def stdin_bytes() -> bytes:
    """All of stdin, read once (a pipe cannot be read twice)."""
    import sys

    if "data" not in _STDIN:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        data = stream.read()
        _STDIN["data"] = data.encode("utf-8") if isinstance(data, str) else data
    return _STDIN["data"]


def piped_data() -> bool:
    """A tidy dataset (anything at all) is waiting on stdin: not a terminal, not empty."""
    return stdin_is_data() and bool(stdin_bytes().strip())


def read_stdin() -> "pl.DataFrame":
    """The tidy dataset piped in (CSV, TSV or Parquet), as `foistats import` writes it."""
    import io

    import polars as pl

    from foistats.intake.sanity import validate_tidy
    from foistats.model.schema import conform, is_tidy_header

    data = stdin_bytes()
    if not data.strip():
        raise InputError("stdin is empty", hint="pipe in a tidy dataset written by foistats import")
    if data[:4] == b"PAR1":
        try:
            frame = conform(pl.read_parquet(io.BytesIO(data)))
        except Exception as exc:  # noqa: BLE001 - polars raises many types
            raise InputError(f"stdin: cannot read Parquet: {exc}") from None
        return validate_tidy(frame, Path("-"))
    text = data.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    sep = "\t" if first.count("\t") > first.count(",") else ","
    if not is_tidy_header(next(csv.reader([first], delimiter=sep), [])):
        raise InputError(
            "stdin is not a tidy dataset",
            hint="pipe the CSV written by foistats import; to import returns, name the files or folder",
        )
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), infer_schema_length=0, separator=sep)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"stdin: cannot read the tidy dataset: {exc}") from None
    try:
        frame = conform(frame)
    except KeyError as exc:
        raise InputError(f"stdin: not a tidy dataset: column {exc.args[0]!r} is missing") from None
    return validate_tidy(frame, Path("-"))  # piped data is checked like a file


def is_fifo(path: Path) -> bool:
    import os
    import stat

    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def is_tidy_file(path: Path) -> bool:
    """A .parquet file, or a CSV whose header holds the tidy columns."""
    if is_fifo(path):
        return False
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return True
    if suffix not in (".csv", ".tsv", ".txt"):
        return False
    from foistats.model.schema import is_tidy_header

    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline(65536)
    except OSError:
        return False
    sep = "\t" if first.count("\t") > first.count(",") else ","
    return is_tidy_header(next(csv.reader([first], delimiter=sep), []))


def load(paths: list[Path], options: "ImportOptions | None" = None) -> Loaded:
    """Load tidy files as they are and import everything else on the fly."""
    from foistats.intake.memory import settle_loaded_code
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    from foistats.intake.partitioned import partitioned_frames  # issue 19: `import -o DIR/` folders

    _footprint_for(paths)  # before polars loads, as `import` does
    import polars as pl

    settle_loaded_code()  # the console script's long-lived modules, out of every later collection
    parted, others = partitioned_frames(paths)
    if parted:
        rest = load(others, options) if others else None
        frame = pl.concat([*parted, *([rest.frame] if rest else [])], how="vertical")
        return Loaded(frame=frame, imported=rest.imported if rest else None, sources=list(paths))

    if not paths:
        raise UsageError("no input given", hint="pass spreadsheets, a folder, or a tidy dataset")
    if sum(1 for p in paths if p == STDIN) > 1:
        raise UsageError("- (stdin) can be given once")
    for p in paths:
        if p != STDIN and not p.exists():
            raise InputError("no such file or folder", path=p)
        if is_fifo(p):
            raise InputError("a pipe (FIFO), not a file: refused rather than waited on", path=p, hint="use - to read stdin")
    tidy_files = [p for p in paths if p != STDIN and p.is_file() and is_tidy_file(p)]
    raw = [p for p in paths if p not in tidy_files and p != STDIN]
    frames = [read_stdin() if p == STDIN else read_tidy(p) for p in paths if p == STDIN or p in tidy_files]
    imported = None
    if raw:
        imported = import_paths(raw, options or ImportOptions())
        frames.append(imported.frame)
    frame = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    return Loaded(frame=frame, imported=imported, sources=list(paths))


def _footprint_for(paths: list[Path]) -> None:
    """A big workbook among the inputs of `rank`, `rise` or `periods` gets the allocator
    setting `import` gives it (`memory.prefer_small_footprint`, which must come before
    polars is imported, so here rather than in `pipeline.import_paths`): without it, `rank`
    on the 200,000-row xlsx peaked at 254 MB rather than 212 MB."""
    from foistats.intake.memory import WORKBOOKS, prefer_small_footprint

    candidates = [p for p in paths if p != STDIN and (p.suffix.lower() in WORKBOOKS or p.is_dir())]
    if not candidates:
        return
    from foistats.intake.columnar import MIN_BYTES
    from foistats.intake.pipeline import discover

    prefer_small_footprint(discover(candidates), MIN_BYTES)


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
