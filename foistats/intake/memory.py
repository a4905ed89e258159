"""How the process gives memory back while it reads big workbooks.

polars allocates through its own jemalloc, which keeps freed pages for about ten
seconds (`dirty_decay_ms`) in case they are wanted again. Reading a big xlsx the
columnar way frees and allocates large buffers one after another (the sheet's sample,
fastexcel's frame, the tidy frame, the CSV being written), and the pages kept in
between add up: 286 MB at the peak for a 200,000-row sheet, 229 MB when freed pages go
back at once (docs/performance.md, round four). On the record-level CSV and `rank`
paths, which reuse their pages, the same setting costs 18-25% in time, so it is chosen
only when a big workbook is among the inputs, and never over the user's own jemalloc
options. jemalloc reads its options once, when polars first allocates, so this runs
before polars is imported; once polars is loaded it changes nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable

_JEMALLOC_OPTIONS = "_RJEM_MALLOC_CONF"  # the variable polars' bundled jemalloc reads
_RETURN_AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"
_WORKBOOKS = (".xlsx", ".xlsm")


def prefer_small_footprint(files: Iterable[Path], big: int) -> bool:
    """Ask jemalloc to return freed pages at once when a workbook among `files` is over
    `big` bytes (where the columnar path may read it). Whether the setting was made."""
    if "polars" in sys.modules or _JEMALLOC_OPTIONS in os.environ:
        return False
    for f in files:
        if f.suffix.lower() in _WORKBOOKS:
            try:
                if f.stat().st_size > big:
                    os.environ[_JEMALLOC_OPTIONS] = _RETURN_AT_ONCE
                    return True
            except OSError:
                continue
    return False
