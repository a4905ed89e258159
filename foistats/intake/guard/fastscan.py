"""One linear-time pass that clears a big worksheet's chunk of everything `extent` looks for.

`extent._xlsx_extent` measures a sheet with Python's `re`, five searches per megabyte,
each of which stops at every cell reference (a 200,000-row sheet has 1.2 million): about
0.4 s on a 44 MB sheet, the largest single cost of importing it. Here one search with
polars' Rust regex engine (finite automata, no backtracking) asks a question whose usual
answer is no: does this chunk hold a cell start tag that is not exactly `<c r="`, an
`r` attribute written any other way, or a valued cell beyond the widest column or the
furthest row seen so far? No: the chunk changes nothing and Python's searches are
skipped. Yes, or a chunk that is not UTF-8: `extent` runs its exact searches on that
chunk as before. The pattern is a superset of what those searches look for (Unicode
`\\s` covers ASCII whitespace, and any cell tag not written canonically counts), so
skipping a chunk can never hide a cell the exact scan would have counted.

Only for members over `BIG` bytes: a large sheet is read by the import, which loads
polars anyway; smaller ones (every reply but open-data tables) stay on the standard
library, as the rest of the guard does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future

BIG = 4 * 1024 * 1024  # a member's size (uncompressed) above which the scan is worth polars' import

# A cell start tag (`<c` or a prefixed `:c`) followed by `>` or by anything but exactly ` r="`;
# an r attribute with spaces around "=" or single quotes (extent._ODD_R).
_NOT_CANONICAL = r"""[<:]c(?:>|\s(?:[^r]|r[^=]|r=[^"]))|r(?:\s+=|=\s|=')"""
# extent._TAIL without the look-behind: the quote, then a start tag that is not self-closing.
_TAIL = r"""["'](?:[^>]*[^/>])?>"""


class Scanner:
    """Per-sheet: answers `cells(buf, cols_above, rows_above)` for one chunk at a time,
    there and then or (`submit`) on a thread of its own, so the guard inflates the next
    chunk while polars searches this one."""

    def __init__(self) -> None:
        import polars as pl

        self._pl: Any = pl
        self._patterns: dict[tuple[str, str], str] = {}
        self._pool: Any = None

    def submit(self, buf: bytes, cols_above: str, rows_above: str) -> "Future[int | None]":
        """`cells` on the scanner's thread; its answer is the future's result."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="foistats-scan")
        return self._pool.submit(self.cells, buf, cols_above, rows_above)

    def close(self) -> None:
        """Drop what was not started and wait for what was (one chunk's search at most)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def cells(self, buf: bytes, cols_above: str, rows_above: str) -> int | None:
        """How many closed cells (`</c>`, `:c>`) buf holds, when it has no odd cell markup and
        no valued cell whose column matches `cols_above` or whose row matches `rows_above`
        (regex bodies from `extent._above`); None when the exact scan must look. Both
        questions are one polars select, so they run on two threads."""
        try:
            text = buf.decode("utf-8")
        except UnicodeDecodeError:
            return None
        key = (cols_above, rows_above)
        pattern = self._patterns.get(key)
        if pattern is None:
            self._patterns = {}  # one live pattern per sheet: the maxima only grow
            pattern = self._patterns[key] = (
                f"{_NOT_CANONICAL}"
                f"""|r="(?:{cols_above})[0-9]+{_TAIL}"""
                f"""|r="[A-Za-z]+(?:{rows_above}){_TAIL}"""
            )
        pl = self._pl
        try:
            found, cells = pl.DataFrame({"t": [text]}).select(
                pl.col("t").str.contains(pattern), pl.col("t").str.count_matches("</c>|:c>").alias("n")
            ).row(0)
        except Exception:  # noqa: BLE001 - any trouble in the engine: the exact scan decides
            return None
        return int(cells) if found is False else None
