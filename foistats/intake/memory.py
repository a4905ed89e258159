"""How the process uses memory: jemalloc's options for big workbooks, and the collector's
view of the modules the console script loads (`settle_loaded_code`, at the end).

polars allocates through its own jemalloc, which keeps freed pages for about ten
seconds (`dirty_decay_ms`) in case they are wanted again, in one arena per thread.
Reading a big xlsx the columnar way frees and allocates large buffers one after
another (the sheet's sample, fastexcel's frame, the tidy frame, the CSV being
written), on several threads, and the pages kept in between add up: about 252 MB at
the peak for a 200,000-row sheet. One arena (`narenas:1`), so that a page freed by one
thread is reused by the next, brings it to 225 MB at no cost in time; freed pages
handed back after 100 ms as well, to about 215 MB (docs/performance.md, round five).
Handing them back at once (`dirty_decay_ms:0`, round four's choice) saves another
20 MB but costs about 0.2 s on that file: every buffer polars allocates afresh is
faulted in again. On the record-level CSV and `rank` paths, which reuse their pages,
handing pages back at once cost 18-25% in time (round three), so a setting is chosen
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
_RETURN_SOON = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0"
WORKBOOKS = (".xlsx", ".xlsm")  # the files the columnar path may read


def prefer_small_footprint(files: Iterable[Path], big: int) -> bool:
    """Ask jemalloc for one arena and freed pages returned soon when a workbook among
    `files` is over `big` bytes (where the columnar path may read it). Whether the
    setting was made."""
    if "polars" in sys.modules or _JEMALLOC_OPTIONS in os.environ:
        return False
    for f in files:
        if f.suffix.lower() in WORKBOOKS:
            try:
                if f.stat().st_size > big:
                    os.environ[_JEMALLOC_OPTIONS] = _RETURN_SOON
                    return True
            except OSError:
                continue
    return False


# The console script's process (and only it: a library caller's or a test runner's objects
# are theirs) moves what it has loaded into the collector's permanent generation once the
# heavy modules are in (`settle_loaded_code`). polars, typer and rich bring a few hundred
# thousand objects (functions, classes, module dicts) that live as long as the process;
# every full collection walked them all again, during the run and once more at exit.
# Freezing them is what `gc.freeze` is for. Measured alternately (docs/performance.md,
# round six): the examples' import 0.69 s → 0.63 s, the 200,000-row xlsx about 0.04 s.
# Objects made afterwards (the data, any file opened for writing) are collected as ever.
_settle = {"armed": False}


def arm_settling() -> None:
    """Called by the console script before it runs a command."""
    _settle["armed"] = True


def settle_loaded_code() -> None:
    """Freeze what is loaded so far, in the console script's process (see above)."""
    if _settle["armed"]:
        import gc

        gc.freeze()
